"""``khazna mail-outbox`` and ``khazna mail-retry``: see and flush the outgoing mail.

Heavy modules are imported inside the command that uses them (measured in
:mod:`khazna.commands`).
"""

from __future__ import annotations

import argparse
from dataclasses import asdict
from datetime import UTC, datetime

from khazna.calendar_dz import format_local
from khazna.commands import summary
from khazna.commands.common import CommandError, add_db, add_json, print_json
from khazna.config import resolve_db_url
from khazna.labels import MAIL_KIND, label, outbox_state
from khazna.text import count

STATES = ("pending", "sending", "sent", "failed", "unconfirmed")  # khazna.ledger.tables_mail.STATES


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "mail-outbox",
        help=summary("mail-outbox"),
        description="Liste le courrier sortant enregistré au grand livre : relances, rapports, alertes.",
    )
    add_db(p)
    add_json(p)
    p.add_argument(
        "--state", choices=STATES, action="append", help="seulement cet état (répétable)"
    )
    p.set_defaults(func=cmd_outbox)

    p = sub.add_parser(
        "mail-retry",
        help=summary("mail-retry"),
        description=(
            "Règle les envois interrompus par un arrêt brutal, puis envoie chaque message en "
            "attente dont l'heure est venue (par SMTP quand KHAZNA_SMTP_HOST est défini, sinon "
            "écrit en fichier .eml dans $KHAZNA_HOME/outbox, non envoyé). Un message au sort "
            "inconnu ('unconfirmed') n'est jamais renvoyé sans votre demande."
        ),
    )
    add_db(p)
    add_json(p)
    p.add_argument(
        "--resend",
        type=int,
        action="append",
        default=[],
        metavar="ID",
        help="renvoie un message 'unconfirmed' ou 'failed' (même Message-ID)",
    )
    p.add_argument(
        "--mark-sent",
        type=int,
        action="append",
        default=[],
        metavar="ID",
        help="enregistre qu'un message 'unconfirmed' est bien arrivé",
    )
    p.set_defaults(func=cmd_retry)


def _open(args: argparse.Namespace):
    # lazy: SQLAlchemy (0.25 s) only for the commands that open the ledger
    from sqlalchemy.exc import OperationalError

    from khazna.ledger.db import Ledger

    url = resolve_db_url(getattr(args, "db", None))
    try:
        ledger = Ledger(url)  # migrates to head, mail_messages included
    except OperationalError as err:
        raise CommandError(
            f"impossible d'ouvrir la base du grand livre {url} : {err.orig}"
        ) from None
    return ledger


def _counts(session) -> dict[str, int]:
    # lazy: SQLAlchemy (0.25 s) only for the commands that open the ledger
    from sqlalchemy import func, select

    from khazna.ledger.tables_mail import MailMessage

    rows = session.execute(select(MailMessage.state, func.count()).group_by(MailMessage.state))
    counts = dict.fromkeys(STATES, 0)
    counts.update({state: n for state, n in rows})
    return counts


def _state_fr(state: str, delivery: str | None) -> str:
    return outbox_state(state, delivery)


def cmd_outbox(args: argparse.Namespace) -> int:
    from khazna.mail.outbox import delivery_phrase, describe, list_messages, outbox_files

    ledger = _open(args)
    with ledger.read() as s:
        rows = list_messages(s, args.state)
        files = outbox_files(rows)
        messages = [describe(m, files) for m in rows]
        counts = _counts(s)
        vias = {m.id: m.via or "" for m in rows}
    sent_by = {
        how: sum(1 for m in messages if m["state"] == "sent" and m["delivery"] == how)
        for how in ("smtp", "file")
    }
    if args.json:
        print_json({"messages": messages, "counts": counts, "sent_by": sent_by})
        return 0
    if not messages:
        print("Aucun courrier sortant.")
    for m in messages:
        to = ", ".join(m["to"])
        shown = _state_fr(m["state"], m["delivery"])
        kind = label(MAIL_KIND, m["kind"])
        print(f"#{m['id']:<4} {shown:<14} {kind:<20} {m['ref'] or '-':<12} {to}")
        print(f"      {m['subject']}")
        if m["state"] == "sent":
            # the file outbox writes an .eml: say so, a reader must not think it left
            print(
                f"      {delivery_phrase('sent', vias[m['id']], m['message_id'], feminine=False)}"
            )
        if m["state"] == "pending" and m["attempts"]:
            nxt = m["next_attempt_at"]
            when = format_local(datetime.fromisoformat(str(nxt))) if nxt else "…"
            print(f"      essai {m['attempts']} en échec, prochain le {when}")
        if m["last_error"] and m["state"] != "sent":
            print(f"      {m['last_error']}")
    if messages:
        written = sent_by["file"]
        shown_counts = dict(counts)
        shown_counts["sent"] -= written  # the .eml files did not leave: counted apart
        parts = [f"{_state_fr(k, None)} : {v}" for k, v in shown_counts.items() if v > 0]
        if written:
            parts.append(f"écrit dans la boîte d'envoi locale : {written}")
        print(" ; ".join(parts))
        if written:
            s_ = "s" if written > 1 else ""
            print(
                f"{written} message{s_} écrit{s_} dans la boîte d'envoi locale et non "
                f"envoyé{s_} : aucun serveur SMTP n'était configuré (KHAZNA_SMTP_HOST). "
                "Ouvrez les fichiers .eml avec un client de messagerie, ou configurez SMTP."
            )
    return 0


def cmd_retry(args: argparse.Namespace) -> int:
    from khazna.ledger.tables_mail import MailMessage
    from khazna.mail.messaging import channel_transport_from_env
    from khazna.mail.outbox import (
        OutboxError,
        deliver_due_now,
        mark_sent,
        reconcile,
        resend_unconfirmed,
        retry_failed,
    )
    from khazna.mail.transport import MailConfigError, MailSettings, make_transport

    try:
        transport = make_transport(MailSettings.from_env())
    except MailConfigError as err:
        raise CommandError(str(err)) from None
    ledger = _open(args)
    now = datetime.now(UTC)
    requeued = []
    for pk in args.resend:
        with ledger.read() as s:
            row = s.get(MailMessage, pk)
        if row is None or row.state not in ("unconfirmed", "failed"):
            state = _state_fr(row.state, None) if row else "introuvable"
            raise CommandError(
                f"--resend {pk} : le message est {state} ; seul un message au sort "
                "inconnu (unconfirmed) ou en échec (failed) est renvoyé"
            )
        again = resend_unconfirmed if row.state == "unconfirmed" else retry_failed
        requeued.append(again(ledger.session, pk, now))
    for pk in args.mark_sent:
        try:
            requeued.append(mark_sent(ledger.session, pk, now))
        except OutboxError as err:
            raise CommandError(f"--mark-sent {pk}: {err}") from None
    settled = reconcile(ledger.session, transport, now)
    delivered = deliver_due_now(ledger.session, transport, now)
    others = [t for t in map(channel_transport_from_env, ("whatsapp", "sms")) if t is not None]
    for other in others:  # WhatsApp and SMS rows, each taken only by its own transport
        settled += reconcile(ledger.session, other, now)
        delivered += deliver_due_now(ledger.session, other, now)
    with ledger.read() as s:
        counts = _counts(s)
    if args.json:
        print_json(
            {
                "transport": transport.name,
                "channel_transports": [t.name for t in others],
                "requeued": [asdict(o) for o in requeued],
                "reconciled": [asdict(o) for o in settled],
                "delivered": [asdict(o) for o in delivered],
                "counts": counts,
            }
        )
        return 0
    to_file = transport.name.startswith("file:")
    via = f"boîte d'envoi locale {transport.name[5:]} (rien ne part)" if to_file else transport.name
    print(f"Transport : {via}")
    for o in settled:
        print(f"#{o.id} interrompu pendant l'envoi : maintenant {_state_fr(o.state, None)}")
    for o in delivered:
        line = f"#{o.id} {_state_fr(o.state, 'file' if to_file else None)}"
        if o.state == "pending":
            line += f" (nouvel essai le {format_local(o.next_attempt_at)})"
        if o.error:
            line += f" : {o.error}"
        print(line)
    if not delivered:
        print("Rien à envoyer.")
    if counts["unconfirmed"]:
        n = counts["unconfirmed"]
        print(
            f"{count(n, 'message', 'messages')} au sort inconnu (peut-être arrivé{'s' if n > 1 else ''}, "
            "peut-être pas) : voir `khazna mail-outbox --state unconfirmed`, puis "
            "`khazna mail-retry --resend ID` ou `--mark-sent ID`."
        )
    return 0
