"""``khazna import``, ``khazna export``, ``khazna status``: the ledger itself."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from khazna.commands import summary
from khazna.commands.common import (
    CommandError,
    add_as_of,
    add_db,
    add_json,
    as_of,
    open_ledger,
    print_json,
)
from khazna.ledger.bundle import BundleError, export_bundle, import_bundle
from khazna.money import format_dzd
from khazna.text import count
from khazna.tools.status import ledger_status


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help=summary("import"))
    p.add_argument("dir", type=Path, help="le dossier du lot")
    p.add_argument(
        "--replace",
        action="store_true",
        help="recommence les comptes avec ce lot (utilisateurs, sessions, historique du courrier, "
        "rapports, réglages et relances décidées sont gardés ; voir la liste imprimée)",
    )
    p.add_argument(
        "--yes",
        action="store_true",
        help="avec --replace : supprime sans demander (nécessaire quand aucun terminal ne "
        "peut répondre, p. ex. dans un script ou avec --json)",
    )
    add_db(p)
    add_json(p)
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help=summary("export"))
    p.add_argument("dir", type=Path, help="le dossier à écrire (créé)")
    add_db(p)
    add_json(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("status", help=summary("status"))
    add_db(p)
    add_as_of(p)
    add_json(p)
    p.set_defaults(func=cmd_status)


# Owner-facing names of the tables --replace deletes or keeps (ledger.replace), singular and
# plural: « 1 brouillon », « 9 brouillons » (khazna.text.count)
TABLE_NAMES = {
    "company": ("fiche société", "fiches société"),
    "clients": ("client", "clients"),
    "suppliers": ("fournisseur", "fournisseurs"),
    "invoices": ("facture", "factures"),
    "invoice_lines": ("ligne de facture", "lignes de facture"),
    "payments": ("paiement", "paiements"),
    "allocations": ("affectation", "affectations"),
    "expenses": ("dépense", "dépenses"),
    "bank_lines": ("ligne bancaire", "lignes bancaires"),
    "commitments": ("engagement", "engagements"),
    "interactions": ("échange client", "échanges clients"),
    "documents": ("document", "documents"),
    "drafts": ("brouillon", "brouillons"),
    "receipts": ("justificatif", "justificatifs"),
    "settings": ("réglage", "réglages"),
    "users": ("utilisateur", "utilisateurs"),
    "web_sessions": ("session web", "sessions web"),
    "login_attempts": ("tentative de connexion", "tentatives de connexion"),
    "mail_messages": ("message de la file d'envoi", "messages de la file d'envoi"),
    "reports": ("rapport", "rapports"),
    "agent_runs": ("passage", "passages"),
    "import_runs": ("import", "imports"),
    "result_cache": ("résultat en cache", "résultats en cache"),
    "invoice_checks": ("contrôle de facture", "contrôles de factures"),
}


def _listed(counts: dict[str, int]) -> str:
    return ", ".join(count(n, *TABLE_NAMES.get(k, (k, k))) for k, n in counts.items()) or "rien"


def _say_plan(plan, who: str) -> None:
    print(f"{who} supprimera : {_listed(plan.deleted)}", file=sys.stderr)
    print(
        "  (brouillons : ceux qui attendent une décision ; réglages : la politique, "
        "remplacée par celle du dossier)",
        file=sys.stderr,
    )
    print(f"et gardera : {_listed(plan.kept)}", file=sys.stderr)
    print(
        "  (justificatifs : gardés pour les dépenses que le nouveau dossier contient encore)",
        file=sys.stderr,
    )


def confirm_replace(ledger, *, ask: bool, who: str = "--replace") -> bool:
    """Say what --replace will delete and keep; ask at a terminal (``ask``), else refuse.

    An empty ledger has nothing to lose: no question. Without a terminal (a script, a pipe,
    ``--json``) nobody can answer, so nothing is deleted unless ``--yes`` said so."""
    from khazna.ledger.replace import preview

    with ledger.read() as s:
        plan = preview(s)
    if not plan.deleted:
        return True
    _say_plan(plan, who)
    if not ask:
        raise CommandError(
            f"{who} sans terminal pour confirmer : rien n'a été modifié "
            "(relancez avec --yes pour supprimer ce qui est listé ci-dessus)"
        )
    try:
        answer = input("Confirmer le remplacement ? [o/N] ")
    except EOFError:
        answer = ""
    return answer.strip().lower() in ("o", "oui", "y", "yes")


def cmd_import(args: argparse.Namespace) -> int:

    ledger = open_ledger(args, must_exist=False)
    if args.replace and not args.yes:
        try:
            if not confirm_replace(ledger, ask=sys.stdin.isatty() and not args.json):
                raise CommandError("remplacement annulé : rien n'a été modifié")
        except CommandError:
            ledger.dispose()
            raise
    try:
        report = import_bundle(ledger, args.dir, replace=args.replace)
    except BundleError as err:
        lines = "\n  ".join(err.problems)
        raise CommandError(
            f"{args.dir}: lot refusé, rien n'a été importé :\n  {lines}", exit_code=2
        ) from None
    if args.json:
        print_json(
            {
                "dir": str(args.dir),
                "imported": report.counts,
                "unchanged": report.unchanged,
                "updated": report.updated,
                "warnings": report.warnings,
                **({"deleted": report.deleted, "kept": report.kept} if args.replace else {}),
            }
        )
        return 0
    for w in report.warnings:
        print(f"warning: {w}")
    if args.replace:
        print(f"Remplacé : supprimé {_listed(report.deleted)}")
        print(f"  gardé : {_listed(report.kept)}")
    total_new = sum(report.counts.values())
    total_seen = total_new + sum(report.unchanged.values())
    if total_new:
        print(f"Imported {args.dir}: {total_new} new records")
    elif total_seen:
        print(f"Imported {args.dir}: nothing new (all {total_seen} records already in the ledger)")
    else:
        print(
            f"Imported {args.dir}: the company, and no records yet (the files hold only their headers)"
        )
    for name, n in report.counts.items():
        extra = (
            f", {report.unchanged.get(name, 0)} already there" if report.unchanged.get(name) else ""
        )
        print(f"  {name:<20} {n:>7} new{extra}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:

    ledger = open_ledger(args)
    try:
        counts = export_bundle(ledger, args.dir)
    except BundleError as err:
        raise CommandError("\n".join(err.problems)) from None
    except OSError as err:
        from khazna.ledger.storage import storage_full

        raise CommandError(
            storage_full(err, where=str(args.dir))
            or f"impossible d'écrire {args.dir} : {err.strerror}"
        ) from None
    if args.json:
        print_json({"dir": str(args.dir), "exported": counts})
    else:
        print(f"Exported to {args.dir}:")
        for name, n in counts.items():
            print(f"  {name:<20} {n:>7}")
    return 0


# the ledger's tables as the owner names them (status; --json keeps the keys)
RECORDS_FR = {
    "clients": "clients",
    "suppliers": "fournisseurs",
    "invoices": "factures",
    "payments": "paiements",
    "expenses": "dépenses",
    "bank_lines": "lignes bancaires",
    "commitments": "échéances",
    "interactions": "échanges",
    "documents": "documents",
}


def _day(d) -> str:
    return f"{d:%d/%m/%Y}" if d else "…"


def cmd_status(args: argparse.Namespace) -> int:

    ledger = open_ledger(args)
    with ledger.read() as s:
        st = ledger_status(s, as_of(args))
    if args.json:
        print_json(st)
        return 0
    print(f"{st.company} — au {st.as_of:%d/%m/%Y}")
    print(f"  écritures du {_day(st.date_from)} au {_day(st.date_to)}")
    print(f"  trésorerie          {format_dzd(st.cash_position):>22}")
    print(
        f"  créances ouvertes   {format_dzd(st.open_receivables):>22}  "
        f"({count(st.open_invoices, 'facture', 'factures')})"
    )
    print("  contenu : " + ", ".join(f"{RECORDS_FR.get(k, k)} {v}" for k, v in st.counts.items()))
    if st.notes:
        for n in st.notes:
            print(f"  note : {n}")
    return 0
