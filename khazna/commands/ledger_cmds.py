"""``khazna import``, ``khazna export``, ``khazna status``: the ledger itself."""

from __future__ import annotations

import argparse
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
    p.add_argument("dir", type=Path, help="the bundle folder")
    p.add_argument("--replace", action="store_true", help="start the ledger over with this bundle")
    add_db(p)
    add_json(p)
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help=summary("export"))
    p.add_argument("dir", type=Path, help="the folder to write (created)")
    add_db(p)
    add_json(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("status", help=summary("status"))
    add_db(p)
    add_as_of(p)
    add_json(p)
    p.set_defaults(func=cmd_status)


def cmd_import(args: argparse.Namespace) -> int:

    ledger = open_ledger(args, must_exist=False)
    try:
        report = import_bundle(ledger, args.dir, replace=args.replace)
    except BundleError as err:
        lines = "\n  ".join(err.problems)
        raise CommandError(
            f"{args.dir}: bundle refused, nothing was imported:\n  {lines}", exit_code=2
        ) from None
    if args.json:
        print_json(
            {
                "dir": str(args.dir),
                "imported": report.counts,
                "unchanged": report.unchanged,
                "updated": report.updated,
                "warnings": report.warnings,
            }
        )
        return 0
    for w in report.warnings:
        print(f"warning: {w}")
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
        raise CommandError(f"cannot write {args.dir}: {err.strerror}") from None
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
