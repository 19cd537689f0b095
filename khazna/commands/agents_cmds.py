"""``khazna run``, ``khazna inbox``, ``khazna report``, ``khazna ask``: the agents.

Heavy modules are imported inside the command that uses them (measured in
:mod:`khazna.commands`).
"""

from __future__ import annotations

import argparse
import logging
import os
import shlex
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from khazna.calendar_dz import format_local
from khazna.commands import summary
from khazna.commands.common import (
    CommandError,
    add_as_of,
    add_db,
    add_json,
    as_of,
    books_end_of,
    open_ledger,
    print_books_end,
    print_json,
    with_books_end,
)
from khazna.config import owner_email
from khazna.labels import FORECAST_STATUS, decider, decision_words, draft_status, label
from khazna.money import format_dzd
from khazna.text import count


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help=summary("run"))
    add_db(p)
    add_as_of(p)
    add_json(p)
    p.add_argument(
        "--no-send", action="store_true", help="n'envoie pas le rapport de la semaine par courriel"
    )
    p.add_argument(
        "--report",
        action="store_true",
        help="fait le rapport de la semaine même si la semaine n'est pas finie",
    )
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("inbox", help=summary("inbox"))
    id_help = "l'identifiant d'une relance (D20261207-C04-L3), ou C04-L3 / C04 : la plus récente de ce client"
    isub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    q = isub.add_parser("list", help="les relances en attente, les plus urgentes d'abord")
    q.add_argument("--all", action="store_true", help="aussi les relances déjà décidées")
    add_db(q)
    add_json(q)
    q = isub.add_parser("show", help="une relance, en entier")
    q.add_argument("draft_id", metavar="ID", help=id_help)
    add_db(q)
    add_json(q)
    q = isub.add_parser(
        "approve",
        help="approuve une relance : elle part (par SMTP si configuré, sinon écrite dans la boîte d'envoi locale)",
    )
    q.add_argument("draft_id", metavar="ID", help=id_help)
    q.add_argument(
        "--version",
        choices=("detailed", "short"),
        default="detailed",
        help="la version que le message porte (défaut : detailed)",
    )
    q.add_argument("--by", default="owner", help="qui approuve (enregistré)")
    q.add_argument("--yes", action="store_true", help=YES_HELP)
    add_db(q)
    add_json(q)
    q = isub.add_parser(
        "edit",
        help="modifier le texte d'une relance, puis l'ENVOYER (le texte modifié est celui qui part)",
        description=(
            "Modifie une relance puis l'envoie aussitôt : le texte modifié est celui qui part, "
            "par SMTP si KHAZNA_SMTP_HOST est défini, sinon écrit dans la boîte d'envoi locale "
            "($KHAZNA_HOME/outbox, non envoyé). Sans --subject/--short/--detailed, ouvre "
            "$VISUAL ou $EDITOR sur le texte actuel. Le texte modifié passe le même contrôle "
            "des faits qu'un texte du modèle (montants, numéros de facture, dates, adresses) : "
            "en cas d'écart rien n'est envoyé, les écarts sont listés ; --force envoie quand "
            "même et la décision enregistre que le contrôle a été outrepassé."
        ),
    )
    q.add_argument("draft_id", metavar="ID", help=id_help)
    q.add_argument("--subject", help="nouvel objet")
    q.add_argument("--short", help="nouvelle version courte ('-' la lit sur l'entrée standard)")
    q.add_argument(
        "--detailed", help="nouvelle version détaillée ('-' la lit sur l'entrée standard)"
    )
    q.add_argument(
        "--version",
        choices=("detailed", "short"),
        default="detailed",
        help="la version envoyée (défaut : detailed)",
    )
    q.add_argument(
        "--force",
        action="store_true",
        help="envoyer même si le texte ne concorde pas avec les faits (enregistré)",
    )
    q.add_argument("--yes", action="store_true", help=YES_HELP)
    q.add_argument("--by", default="owner")
    add_db(q)
    add_json(q)
    q = isub.add_parser(
        "leave-out",
        help="retirer une facture d'une relance (la lettre est réécrite, rien n'est envoyé)",
        description=(
            "Retire une facture d'une relance en attente — par exemple une facture que le "
            "contrôle signale comme erronée (« à corriger avant de relancer ? ») : les "
            "totaux, le niveau, la mise en demeure et l'échéancier sont recalculés et la "
            "lettre réécrite. La relance reste en attente d'approbation."
        ),
    )
    q.add_argument("draft_id", metavar="ID", help=id_help)
    q.add_argument("number", help="le numéro de la facture à retirer")
    q.add_argument("--by", default="owner")
    add_db(q)
    add_json(q)
    q = isub.add_parser(
        "set-channel",
        help="le canal de cette relance : email, whatsapp, sms ou client (celui du client)",
    )
    q.add_argument("draft_id", metavar="ID", help=id_help)
    q.add_argument("channel", choices=("email", "whatsapp", "sms", "client"))
    add_db(q)
    add_json(q)
    q = isub.add_parser(
        "mark-sent",
        help="une relance approuvée que vous avez envoyée vous-même (lien WhatsApp) : "
        "enregistrée « marquée envoyée à la main », jamais comme remise",
    )
    q.add_argument("draft_id", metavar="ID", help=id_help)
    q.add_argument("--by", default="owner")
    add_db(q)
    add_json(q)
    q = isub.add_parser("reject", help="rejette une relance (rien n'est envoyé)")
    q.add_argument("draft_id", metavar="ID", help=id_help)
    q.add_argument("--reason", required=True, help="pourquoi (retenu pour ce client)")
    q.add_argument("--by", default="owner")
    add_db(q)
    add_json(q)
    p.set_defaults(func=cmd_inbox)

    p = sub.add_parser("report", help=summary("report"))
    add_db(p)
    add_as_of(p)
    add_json(p)
    p.add_argument("--send", action="store_true", help="l'envoie par courriel à KHAZNA_OWNER_EMAIL")
    p.add_argument(
        "--pdf", metavar="FILE", help="écrit aussi le rapport complet dans un fichier PDF"
    )
    p.set_defaults(func=cmd_report)

    p = sub.add_parser(
        "ask",
        help=summary("ask"),
        description="Pose une question aux comptes, en français, en arabe ou en anglais.",
        epilog=ASK_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("question")
    add_db(p)
    add_as_of(p)
    add_json(p)
    p.set_defaults(func=cmd_ask)


ASK_EPILOG = """\
La réponse commence par la façon dont la question a été lue (« Compris : créances ouvertes,
total, échues de 31 à 60 jours, tous clients, au 05/11/2026 »). Un nom, une facture, une
période ou un mot qui n'a pas pu être lu ne reçoit aucun chiffre : la réponse dit ce qui n'a
pas été compris et nomme les clients les plus proches. Hors ligne (sans OPENAI_API_KEY), une
question pour l'assistant reçoit sa réponse sans le graphe du superviseur ni le modèle.
--json imprime {"answer", "value", "items", "tools", "route", "route_reason", "understood",
"query", "unresolved", "language", "question_kind", "writer", "note", "model_calls", "tokens",
"model", "verdict"} : `understood` est la phrase de lecture, `query` la requête typée exécutée,
`unresolved` ce qui n'a pas été compris, `verdict` la réponse d'une question oui/non de la
prévision (ok, a_surveiller, tension ; `value` est alors le solde le plus bas prévu).
"""


def _deps(args, *, memory: bool = True):
    """The agents' dependencies; ``memory=False`` leaves the client memory (chromadb, synced
    from the ledger: seconds on big books) closed for commands that only read drafts."""
    from khazna.agents.configuration import ConfigurationError
    from khazna.agents.run import make_deps

    ledger = open_ledger(args)
    try:
        return make_deps(ledger, as_of=getattr(args, "as_of", None), memory=memory)
    except ConfigurationError as err:
        raise CommandError(f"configuration du modèle : {err}") from None


def iso_fr(day: str | None) -> str:
    """``2026-12-06`` → ``06/12/2026`` (the owner's form of a day)."""
    if not day:
        return "…"
    y, m, d = day.split("-")
    return f"{d}/{m}/{y}"


# the steps of a run as the owner reads them ('durées :' line; --json keeps the codes)
STEP_FR = {
    "replies": "réponses des clients",
    "invoice_checker": "contrôle des factures",
    "anomaly_analyst": "anomalies",
    "dunning_writer": "relances",
    "weekly_reporter": "rapport",
    "alerts": "alertes",
    "open_anomalies": "anomalies ouvertes",
}


def model_time_line(budget: dict[str, Any]) -> str:
    """« temps du modèle : 34,1 s d'attente sur 600 s (tenu) ; ... » from ``model_budget``."""
    wait = f"{budget['waited_seconds']:g} s d'attente sur {budget['seconds']:g} s".replace(".", ",")
    if budget["model_stopped"]:
        state = "le modèle ne répondait pas, les modèles de texte ont pris le relais"
    elif budget["exhausted"]:
        state = "épuisé, les modèles de texte ont pris le relais"
    else:
        state = "tenu" if budget["held"] else "dépassé"
    texts = (
        f"{count(len(budget['by_model']), 'texte rédigé', 'textes rédigés')} par le modèle, "
        f"{count(len(budget['fell_back']), 'texte standard', 'textes standard')} à sa place"
    )
    return f"temps du modèle : {wait} ({state}) ; {texts}"


def cmd_run(args: argparse.Namespace) -> int:
    from khazna.agents.run import run_cycle
    from khazna.agents.run_lock import RunBusy

    deps = _deps(args)
    try:
        out = run_cycle(deps, as_of(args), send_report=not args.no_send, force_report=args.report)
    except RunBusy as err:
        print(f"khazna run : {err}", file=sys.stderr)
        return 1
    end = books_end_of(deps.ledger, as_of(args))
    if args.json:
        print_json(with_books_end(out, end))
        return 0
    writer = (
        "modèle " + out["model"] if out["model"] != "offline" else "hors ligne (modèles de texte)"
    )
    print(f"Cycle du {iso_fr(out['as_of'])} ({out['run_id']}), rédaction : {writer}")
    if end is not None:
        print(f"  {end.note}")
    budget = out.get("model_budget")
    if budget:
        print("  " + model_time_line(budget))
    ch = out["changes"]
    earlier = ch.get("earlier_today")
    if earlier:
        when = format_local(datetime.fromisoformat(earlier))[-5:]
        since = f"déjà fait aujourd'hui, à {when}"
    elif ch.get("since"):
        since = f"du {iso_fr(ch['since'])}"
    else:
        since = "premier passage"
    print(
        f"  depuis le dernier passage ({since}) : "
        f"{count(ch.get('new_invoices', 0), 'facture nouvelle', 'factures nouvelles')}, "
        f"{count(ch.get('new_bank_lines', 0), 'ligne bancaire', 'lignes bancaires')}, "
        f"{count(ch.get('new_expenses', 0), 'dépense', 'dépenses')}"
    )
    rep = out["replies"]
    if rep["added"] or rep["quarantined"]:
        print(
            f"  réponses des clients : {count(len(rep['added']), 'lue', 'lues')}, dont {len(rep['unconfirmed'])} "
            "à confirmer (ne suspendent rien d'elles-mêmes)"
        )
    for q in rep["quarantined"]:
        print(f"  réponse mise en quarantaine : {q['source']} : {q['reason']} → {q['file']}")
    if earlier and not ch.get("new_invoices"):
        print("  contrôle des factures : déjà fait aujourd'hui, aucune facture nouvelle")
    else:
        print(f"  contrôle des factures : {count(out['invoice_findings'], 'erreur', 'erreurs')}")
    oa = out.get("open_anomalies") or {}
    if oa:
        print(
            f"  anomalies : {count(oa['count'], 'ouverte', 'ouvertes')} (du {iso_fr(oa.get('date_from'))} au {iso_fr(oa.get('date_to'))}), "
            + (
                f"dont {count(out['anomalies'], 'nouvelle', 'nouvelles')} depuis le dernier passage"
                if not earlier or ch.get("new_bank_lines") or ch.get("new_expenses")
                else "aucune nouvelle depuis le passage déjà fait aujourd'hui"
            )
        )
    else:
        print(f"  anomalies : {out['anomalies']}")
    print(
        f"  relances préparées : {len(out['drafts'])} (en attente d'approbation : khazna inbox list)"
    )
    for d in out["drafts"]:
        print(f"    {d['draft_id']}  niveau {d['level']}  {', '.join(d['invoice_numbers'])}")
    if out["report"]:
        r = out["report"]
        sent = ""
        if r.get("sent_to"):
            sent = f", {r.get('delivery_note') or 'envoyé'} (pour {', '.join(r['sent_to'])})"
        status = label(FORECAST_STATUS, r["forecast_status"])
        if not r.get("sent_to") and not owner_email() and not args.no_send:
            sent = ", non envoyé : KHAZNA_OWNER_EMAIL n'est pas défini (khazna report --pdf FICHIER pour le lire)"
        if r.get("already_sent"):
            sent = f", déjà envoyé (pour {', '.join(r.get('sent_to') or [])}) : non recalculé"
        print(f"  rapport hebdomadaire {r['id']} : statut {status}{sent}")
    if out["model_calls"]:
        print(f"  appels au modèle : {out['model_calls']} ({out['tokens']} jetons)")
    timings = out.get("timings") or {}
    steps = ", ".join(
        f"{STEP_FR.get(k, k)} {v:.1f} s".replace(".", ",")
        for k, v in timings.items()
        if k != "total"
    )
    if timings:
        print(f"  durées : {steps} ; total {timings['total']:.1f} s".replace(".", ","))
    return 0


NOT_CONFIRMED = (
    "{draft_id} : relance non confirmée (mise en demeure, ou RIB invalide), rien n'est envoyé "
    "(répondez « o » à la question, ou ajoutez --yes)."
)
YES_HELP = (
    "une mise en demeure (niveau 3) demande une confirmation avant de partir : "
    "--yes la donne d'avance (sans question)"
)


def _confirmed(d, args: argparse.Namespace) -> bool:
    """A formal notice about to leave asks « Envoyer la mise en demeure à … ? » on the
    terminal (as the web asks a second click); the answer is read from the standard input,
    as ``rm -i`` does. ``--yes`` answers in advance; no answer (end of input) is a no."""
    from khazna.agents.inbox import confirmation_detail, confirmation_question, needs_confirmation

    if args.yes or not needs_confirmation(d):
        return True
    print(f"{confirmation_question(d)}\n{confirmation_detail(d)}", file=sys.stderr)
    print("Confirmer l'envoi ? [o/N] ", end="", file=sys.stderr, flush=True)
    try:
        answer = sys.stdin.readline()
    except (OSError, ValueError):  # no standard input at all (closed, or a test's capture)
        answer = ""
    if not answer:
        print(file=sys.stderr)
    return answer.strip().lower() in ("o", "oui", "y", "yes")


def _to_check(d) -> str:
    """« — à vérifier : F2026-0288 » when the invoice checker finds an invoice of the draft
    wrong (the owner sees it in the list, before opening the draft)."""
    numbers = list(dict.fromkeys(w["number"] for w in d.warnings))
    if d.rib_warning:  # the letter asks to be paid on an invalid RIB
        numbers.append("RIB invalide")
    return f"  — à vérifier : {', '.join(numbers)}" if numbers else ""


def _status(d) -> str:
    return draft_status(d.status, d.delivery, bool(d.sent_by_hand))


def _read(value: str | None) -> str | None:
    return sys.stdin.read() if value == "-" else value


def cmd_inbox(args: argparse.Namespace) -> int:
    from khazna.agents.approval.state import Decision
    from khazna.agents.dunning.leave_out import LeaveOutError, leave_out
    from khazna.agents.inbox import (
        EditCheckError,
        InboxError,
        check_edit,
        decide,
        get_draft,
        list_drafts,
        mark_sent,
        resolve_draft_id,
        set_channel,
    )
    from khazna.ledger.tables_agents import DraftStatus

    # only a decision writes to the client memory (what the owner approved, edited, rejected)
    deps = _deps(args, memory=args.action in ("approve", "edit", "reject"))
    try:
        if getattr(args, "draft_id", None):
            args.draft_id = resolve_draft_id(deps, args.draft_id)
        if args.action == "list":
            drafts = list_drafts(deps, statuses=() if args.all else (DraftStatus.PENDING_APPROVAL,))
            if args.json:
                print_json(
                    {
                        "drafts": [
                            d.model_dump(
                                include={
                                    "draft_id",
                                    "client_id",
                                    "level",
                                    "status",
                                    "subject",
                                    "invoice_numbers",
                                    "total",
                                    "max_days_late",
                                    "to",
                                }
                            )
                            for d in drafts
                        ]
                    }
                )
                return 0
            if not drafts:
                print("Aucune relance en attente.")
            for d in drafts:
                print(
                    f"{d.draft_id:<20} {_status(d):<26} niv.{d.level}  {format_dzd(d.total):>18}  "
                    f"{d.max_days_late:>4} j  {d.client_id}  {', '.join(d.invoice_numbers)}"
                    + _to_check(d)
                )
            return 0
        if args.action == "show":
            d = get_draft(deps, args.draft_id)
        elif args.action == "set-channel":
            d = set_channel(deps, args.draft_id, "" if args.channel == "client" else args.channel)
        elif args.action == "mark-sent":
            d = mark_sent(deps, args.draft_id, args.by)
        elif args.action == "leave-out":
            try:
                leave_out(deps, args.draft_id, args.number, args.by)
            except LeaveOutError as err:
                raise CommandError(str(err)) from None
            d = get_draft(deps, args.draft_id)
        elif args.action == "approve":
            if not _confirmed(get_draft(deps, args.draft_id), args):
                raise CommandError(NOT_CONFIRMED.format(draft_id=args.draft_id))
            d = decide(
                deps, args.draft_id, Decision(action="approve", by=args.by, version=args.version)
            )
        elif args.action == "edit":
            texts = _edited(deps, args)
            if texts is None:
                print("Aucune modification : rien n'est envoyé.", file=sys.stderr)
                return 1
            current = get_draft(deps, args.draft_id)
            if current.status == DraftStatus.PENDING_APPROVAL and not args.force:
                # the facts first: a mismatch is refused before the formal notice is asked
                problems = check_edit(current, **texts)
                if problems:
                    raise EditCheckError(args.draft_id, problems)
            if not _confirmed(current, args):
                raise CommandError(NOT_CONFIRMED.format(draft_id=args.draft_id))
            d = decide(
                deps,
                args.draft_id,
                Decision(
                    action="edit",
                    by=args.by,
                    version=args.version,
                    force=args.force,
                    **texts,
                ),
            )
        else:
            d = decide(
                deps, args.draft_id, Decision(action="reject", by=args.by, reason=args.reason)
            )
    except EditCheckError as err:
        lines = "\n".join(f"  - {p.message}" for p in err.problems)
        raise CommandError(
            f"{err.draft_id} : le texte modifié ne concorde pas avec les faits de la relance, "
            f"rien n'est envoyé :\n{lines}\n"
            "Corrigez le texte, ou relancez avec --force pour l'envoyer tel quel "
            "(la décision enregistrera que le contrôle a été outrepassé)."
        ) from None
    except InboxError as err:
        raise CommandError(str(err)) from None
    if args.json:
        print_json(d)
        return 0
    print(
        f"{d.draft_id} — {_status(d)} — niveau {d.level} — {d.client_id} — à : "
        + (f"+{d.phone} ({d.channel})" if d.phone else ", ".join(d.to) or "(pas d’email)")
    )
    print(f"Objet : {d.subject}")
    if d.decided_at is not None:  # who decided, when (Algiers time), and what
        what = decision_words(d.decision_note)
        print(
            f"Décision : {d.decided_by and decider(d.decided_by) or 'inconnu'}, le "
            f"{format_local(d.decided_at)} (heure d'Alger){f' — {what}' if what else ''}"
        )
    if d.channel != "email":
        print(f"Canal : {d.channel} (la version courte est le message)")
    if d.wa_link and d.status == DraftStatus.APPROVED:
        print(
            "À envoyer à la main — ouvrez ce lien, WhatsApp s'ouvre avec le texte approuvé :\n"
            f"  {d.wa_link}\n"
            f"  puis : khazna inbox mark-sent {d.draft_id}"
        )
    elif d.channel == "whatsapp" and d.status == DraftStatus.PENDING_APPROVAL:
        print(
            "Après approbation : lien WhatsApp (wa.me) avec la version courte, ou envoi par l'API."
        )
    if d.wa_template:
        print(
            "Hors de la fenêtre de 24 h de WhatsApp (le client n'a pas écrit depuis) : l'API "
            f"enverra le modèle approuvé, sans les factures :\n  {d.wa_template}"
        )
    if args.action == "show":
        # an invoice the checker finds wrong: said before the text, as on the web page
        if d.rib_warning:
            print(f"Attention : {d.rib_warning}")
        for w in d.warnings:
            print(
                f"Facture à vérifier : {w['note']} (khazna inbox leave-out {d.draft_id} {w['number']})"
            )
        print(f"\n[version courte]\n{d.short}\n\n[version détaillée]\n{d.detailed}\n")
        print(f"Pièces jointes : {', '.join(d.attachments)}")
        if d.writer_note:
            print(f"Note : {d.writer_note}")
        for note in d.notes:
            print(f"À vérifier : {note}")
    if args.action == "leave-out":
        print(
            f"{args.number} retirée : la relance porte sur {', '.join(d.invoice_numbers)} "
            f"({format_dzd(d.total)}), niveau {d.level} ; toujours en attente d'approbation."
        )
    elif d.status == DraftStatus.SENT and d.sent_by_hand:
        print(f"Relance {d.delivery_note}.")
    elif d.status == DraftStatus.SENT and d.delivery == "file":
        print(f"Relance {d.delivery_note}.")
        print("  Pour envoyer pour de bon : configurez KHAZNA_SMTP_HOST (khazna doctor).")
    elif d.status == DraftStatus.SENT:
        print(f"Relance {d.delivery_note} à {', '.join(d.to)} ({d.message_id}).")
    elif d.status == DraftStatus.FAILED:
        print(f"Non envoyée : {decision_words(d.decision_note)}")
        print(f"  Pour réessayer : khazna inbox approve {d.draft_id} ; pour l'abandonner : reject.")
    elif d.status == DraftStatus.APPROVED and d.wa_link and not d.message_id:
        print("Approuvé : à envoyer à la main avec le lien ci-dessus (rien n'est parti).")
    elif d.status == DraftStatus.APPROVED and not d.message_id:
        print(f"Approuvé : à envoyer à la main par {d.channel} (aucun transport configuré).")
    elif d.status == DraftStatus.APPROVED:
        print("Approuvé : l'envoi est en file d'attente (nouvel essai automatique).")
    if args.action == "edit" and "outrepassé" in d.decision_note:
        print("  Contrôle des faits outrepassé (--force) : c'est enregistré dans la décision.")
    return 0


def _edited(deps, args: argparse.Namespace) -> dict[str, str | None] | None:
    """The edited fields (only those that changed), from the options or from $EDITOR;
    None when nothing changed."""
    from khazna.agents.inbox import InboxError, get_draft

    try:
        current = get_draft(deps, args.draft_id)
    except InboxError as err:
        raise CommandError(str(err)) from None
    given = {
        "subject": args.subject,
        "short": _read(args.short),
        "detailed": _read(args.detailed),
    }
    if not any(v is not None for v in given.values()):
        given = dict(zip(("subject", "short", "detailed"), _in_editor(current), strict=True))
    changed = {
        k: v
        for k, v in given.items()
        if v is not None and v.strip() and v.strip() != getattr(current, k).strip()
    }
    return changed or None


def _in_editor(current) -> tuple[str, str, str]:
    """Open $VISUAL / $EDITOR on the draft's text; the (subject, short, detailed) saved."""
    from khazna.agents.inbox import editable_text, parse_editable

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        raise CommandError(
            "aucun éditeur : définissez $EDITOR (par exemple export EDITOR=nano), ou passez "
            "le texte avec --subject, --short ou --detailed"
        )
    with tempfile.TemporaryDirectory(prefix="khazna-edit-") as tmp:
        path = Path(tmp) / f"{current.draft_id}.txt"
        path.write_text(editable_text(current), encoding="utf-8")
        try:
            done = subprocess.run([*shlex.split(editor), str(path)], check=False)
        except OSError as err:
            raise CommandError(f"l'éditeur {editor!r} ne démarre pas : {err}") from None
        if done.returncode != 0:
            raise CommandError(
                f"l'éditeur {editor!r} a échoué (code {done.returncode}) : rien n'est envoyé"
            )
        text = path.read_text(encoding="utf-8")
    parsed = parse_editable(text)
    if parsed is None:
        if not text.strip() or all(line.startswith("#") for line in text.splitlines() if line):
            return current.subject, current.short, current.detailed  # emptied: nothing changes
        raise CommandError(
            "le fichier modifié n'a plus ses repères OBJET: / ---COURT--- / ---DÉTAILLÉ--- : "
            "rien n'est envoyé"
        )
    return parsed


def cmd_report(args: argparse.Namespace) -> int:
    from khazna.agents.reporter.graph import build_reporter_graph

    deps = _deps(args)
    out = build_reporter_graph().invoke(
        {"as_of": as_of(args), "send": args.send}, {"configurable": {"deps": deps}}
    )
    if args.send and not out.get("sent_to"):
        if not owner_email():
            raise CommandError(
                "--send demande KHAZNA_OWNER_EMAIL (l'adresse où part le rapport de la semaine)"
            )
    pdf_path = None
    if args.pdf:
        from khazna.agents.reporter.facts import ReportFacts
        from khazna.agents.reporter.render import report_pdf

        pdf_path = Path(args.pdf).expanduser().resolve()
        content = report_pdf(ReportFacts.model_validate(out["facts"]), out["commentary"])
        try:
            pdf_path.write_bytes(content)
        except OSError as err:
            raise CommandError(
                f"--pdf {args.pdf}: impossible d'écrire le fichier ({err.strerror})"
            ) from None
    if args.json:
        end = books_end_of(deps.ledger, as_of(args))
        print_json(
            with_books_end(
                {
                    "id": out["report_id"],
                    "forecast_status": out["facts"]["forecast_status"],
                    # the days the figures count, and the Thursday the week closes (later than
                    # week_end while the week is not over)
                    "week_start": out["facts"]["week_start"],
                    "week_end": out["facts"]["week_end"],
                    "week_closes": out["facts"].get("week_closes") or out["facts"]["week_end"],
                    "sent_to": out.get("sent_to", []),
                    "delivery": out.get("delivery"),
                    "pdf": str(pdf_path) if pdf_path else None,
                    "commentary": out["commentary"],
                    "writer": out.get("writer"),
                    "writer_note": out.get("writer_note", ""),
                    "facts": out["facts"],
                },
                end,
            )
        )
        return 0
    print(out["commentary"])
    if out.get("writer_note"):
        print(f"\n(note : {out['writer_note']})")
    if pdf_path:
        print(f"\nRapport PDF écrit dans {pdf_path} ({len(content) // 1024 or 1} Ko).")
    if out.get("sent_to"):
        if out.get("delivery") == "file":
            print(f"\nRapport pour {', '.join(out['sent_to'])} {out['delivery_note']}.")
        else:
            note = out.get("delivery_note") or "envoyé"
            print(f"\nRapport {note} à {', '.join(out['sent_to'])}.")
    return 0


log = logging.getLogger(__name__)
LATE_NOTE = "le modèle n'a pas répondu à temps : réponse calculée hors ligne"
PRINT_RESERVE_S = 0.3  # printing an answer already computed


def _model_or_in_time(args: argparse.Namespace, started: float) -> dict[str, Any] | None:
    """The model's answer, or the offline reader's at the question's budget, whichever comes
    first. The offline answer is computed first (1-3 s); the model path (its libraries, the
    memory, the graph, then its calls) runs beside it in a thread, bounded by the budget less
    the offline reserve as before; at the budget, if it has not answered, the offline answer
    is printed and the thread left (the program then leaves by ``os._exit``). On a machine
    so loaded that loading the model path alone outlasts the budget (29-40 s seen at load
    13-17), the owner still waits the budget. None: a question another route takes (the
    graph answers it, as before)."""
    import threading

    from khazna.agents.ask import ask_offline
    from khazna.agents.configuration import Configuration
    from khazna.config import model_limits, question_deadline

    fallback = ask_offline(open_ledger(args), args.question, as_of(args), note=LATE_NOTE)
    if fallback is None:
        return None
    budget = model_limits().question_s
    box: dict[str, Any] = {}

    def model_path() -> None:
        from khazna.agents.run import ask

        try:
            deps = _deps(args)
            if deps.model is not None:
                deps.deadline = question_deadline(started, budget)
            box["out"] = ask(deps, args.question, as_of(args))
        except BaseException as err:  # handed to the command's thread
            box["err"] = err

    worker = threading.Thread(target=model_path, name="khazna-ask-model", daemon=True)
    worker.start()
    worker.join(max(0.0, started + budget - PRINT_RESERVE_S - time.monotonic()))
    if "err" in box:
        raise box["err"]
    if "out" in box:
        return box["out"]
    log.warning("ask: the model path did not answer within %.0f s, the offline answer", budget)
    return {**fallback, "model": Configuration.from_env().model}


def cmd_ask(args: argparse.Namespace) -> int:
    # the question's budget counts from here: loading the model path (its libraries, the
    # memory, the graph: 7-9 s on a loaded machine) is part of the owner's wait, so a silent
    # model server makes `ask` fall back within KHAZNA_QUESTION_BUDGET_S of the command
    from khazna.config import wait_started

    started = wait_started(time.monotonic())  # the program's start, when run as khazna
    from khazna.agents.ask import ask_offline
    from khazna.agents.configuration import Configuration, ConfigurationError

    try:
        offline = Configuration.from_env().offline
    except ConfigurationError as err:
        raise CommandError(f"configuration du modèle : {err}") from None
    # offline, a question for the assistant skips the graph, the model and the memory (1 s
    # instead of 3: benchmarks/bench_ask.py); another route, or a model, goes through them
    ledger = open_ledger(args)
    out = ask_offline(ledger, args.question, as_of(args)) if offline else None
    if out is None and not offline:
        out = _model_or_in_time(args, started)
    if out is None:
        from khazna.agents.run import ask
        from khazna.config import model_limits, question_deadline

        deps = _deps(args)
        if deps.model is not None:  # the offline answer, if it comes to it, within the budget
            deps.deadline = question_deadline(started, model_limits().question_s)
        out = ask(deps, args.question, as_of(args))
    end = books_end_of(ledger, as_of(args))
    language = str(out.get("language") or "fr")
    if end is not None and language != "fr":  # the note in the language of the answer
        end = end.model_copy(update={"note": end.note_in(language)})
    if args.json:
        print_json(with_books_end(out, end))
        return 0
    print(out["answer"])
    shown = [str(i) for i in out.get("items", [])[:30]]
    # not when the answer lists them, even cut (« F1, F2 … », « et 4 autres »): one list
    if shown and not any(i in out["answer"] for i in shown):
        label = {"ar": "المصادر", "en": "sources"}.get(str(out.get("language")), "sources")
        print(f"\n({label} : {', '.join(shown)})")
    if out.get("note") and out.get("writer") == "template" and out.get("model") != "offline":
        print(f"\n(note : {out['note']})")  # why a configured model did not write it
    if end is not None:
        print()
        note_label = {"ar": "ملاحظة:", "en": "Note:"}.get(language)
        print(f"{note_label} {end.note}") if note_label else print_books_end(end)
    return 0
