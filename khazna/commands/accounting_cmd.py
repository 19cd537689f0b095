"""``khazna export-accounting``: the period's journal in SCF accounts for the accountant."""

from __future__ import annotations

import argparse
from pathlib import Path

from khazna.commands import summary
from khazna.commands.common import CommandError, add_db, add_json, iso_date, open_ledger, print_json
from khazna.money import format_dzd
from khazna.text import count
from khazna.tools.accounting import AccountingError, export

HELP = summary("export-accounting")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export-accounting", help=HELP, description=HELP)
    p.add_argument("--from", dest="date_from", type=iso_date, required=True, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", type=iso_date, required=True, metavar="YYYY-MM-DD")
    p.add_argument("--format", choices=("csv", "xlsx"), default=None,
                   help="défaut : l'extension de --out, sinon csv")  # fmt: skip
    p.add_argument("--out", type=Path, default=None, metavar="FILE",
                   help="défaut : journal-DU-AU.csv|xlsx dans le dossier courant")  # fmt: skip
    add_db(p)
    add_json(p)
    p.set_defaults(func=cmd_export_accounting)


def cmd_export_accounting(args: argparse.Namespace) -> int:

    fmt = args.format or ("xlsx" if args.out and args.out.suffix.lower() == ".xlsx" else "csv")
    out = args.out or Path(f"journal-{args.date_from}-{args.date_to}.{fmt}")
    if out.parent and not out.parent.exists():
        raise CommandError(f"--out {out} : le dossier {out.parent} n'existe pas")
    ledger = open_ledger(args)
    try:
        with ledger.read() as s:
            summary = export(s, args.date_from, args.date_to, fmt, out)
    except AccountingError as err:
        raise CommandError(str(err)) from None
    except OSError as err:
        raise CommandError(f"--out {out}: {err.strerror}") from None
    if args.json:
        print_json(summary)
        return 0
    journals = ", ".join(f"{k} {v}" for k, v in sorted(summary["journals"].items()))
    print(f"{summary['entries']} écritures ({journals}), {summary['lines']} lignes → {out}")
    print(
        f"Total débit {format_dzd(summary['total_debit'])} = total crédit {format_dzd(summary['total_credit'])}"
    )
    _print_bank(summary["bank"])
    return 0


SHOWN_SUSPENSE = 10  # lines parked on 471 printed one by one; --json has them all


def _print_bank(bank: dict) -> None:
    """What the bank statement gave the journal, and what waits on the suspense account."""
    print(
        f"Relevé bancaire : {count(bank['lines'], 'ligne', 'lignes')} sur la période ; "
        f"{bank['matched']} déjà passées par un règlement ou une dépense, "
        f"{count(bank['cash_deposits'], 'versement', 'versements')} d'espèces (512/53), "
        f"{count(bank['cash_withdrawals'], 'retrait', 'retraits')} d'espèces (53/512), "
        f"{count(bank['transfers'], 'virement interne', 'virements internes')} (512/581), "
        f"{count(bank['fees'], 'frais bancaire', 'frais bancaires')} (627), "
        f"{len(bank['suspense'])} en compte d'attente 471."
    )
    same = bank["journal_512"] == bank["statement_total"]
    why = []
    if bank["booked_without_bank_line"]:
        why.append(
            f"{count(bank['booked_without_bank_line'], 'règlement ou dépense', 'règlements ou dépenses')} "
            f"de la période sans ligne de relevé dans la période "
            f"({format_dzd(bank['booked_without_bank_line_total'])})"
        )
    if bank["bank_lines_booked_outside"]:
        why.append(
            f"{count(bank['bank_lines_booked_outside'], 'ligne', 'lignes')} du relevé déjà "
            f"passée(s) hors période ({format_dzd(bank['bank_lines_booked_outside_total'])})"
        )
    print(
        f"Mouvements 512 du journal {format_dzd(bank['journal_512'])} "
        + ("= relevé" if same else "; relevé")
        + f" {format_dzd(bank['statement_total'])}"
        + (f" — écart de dates : {' ; '.join(why)}" if why and not same else "")
    )
    if bank["suspense"]:
        print(
            f"En compte d'attente (471), à imputer par le comptable : "
            f"{format_dzd(bank['suspense_total'])}"
        )
        for x in bank["suspense"][:SHOWN_SUSPENSE]:
            print(
                f"  {x['date']:%d/%m/%Y}  {x['line_id']}  {format_dzd(x['amount'])}  {x['label']}"
            )
        more = len(bank["suspense"]) - SHOWN_SUSPENSE
        if more > 0:
            print(f"  … et {more} autres (--json pour toutes)")
