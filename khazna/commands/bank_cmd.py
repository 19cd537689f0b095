"""``khazna import-bank FILE``: load a bank statement (CSV, XLSX or PDF) into the ledger."""

from __future__ import annotations

import argparse
import codecs
from pathlib import Path

from khazna.commands import summary
from khazna.commands.common import CommandError, add_db, add_json, open_ledger, print_json
from khazna.config import Paths
from khazna.ledger.bank_import import BankImportError, import_bank_statement
from khazna.ledger.bank_mappings import MappingError, all_mappings
from khazna.money import format_dzd


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import-bank",
        help=summary("import-bank"),
        description=(
            "Import a bank statement as the bank exports it: CSV (';' or ',') or XLSX, or a "
            "PDF statement with text (Date, Libellé, Débit, Crédit, Solde columns), "
            "dd/mm/yyyy dates, decimal commas, Débit/Crédit columns or one signed Montant. "
            "The layout is found by its header names, or named with --mapping. The account "
            "is the one the statement names (RIB or account number), matched with the "
            "ledger's. Lines already in the ledger, in any account, are not added twice; the "
            "statement's balances must agree with the ledger."
        ),
    )
    p.add_argument("file", type=Path, help="the statement file (.csv, .xlsx or .pdf)")
    p.add_argument(
        "--mapping", metavar="NAME", help="use this column mapping (default: detect by headers)"
    )
    p.add_argument(
        "--mappings",
        metavar="FILE",
        type=Path,
        help="a JSON file of extra mappings (besides $KHAZNA_HOME/bank_mappings.json)",
    )
    p.add_argument(
        "--account",
        metavar="ID",
        help="the bank account id (default: the account the statement names, matched with the "
        "ledger's; else the ledger's only account; with several, this is required)",
    )
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="check everything and show what would be added or skipped, and why; write nothing",
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="add the lines even if most are already in the ledger under another account, or "
        "the statement's account number names another account",
    )
    p.add_argument(
        "--encoding",
        metavar="NAME",
        help="the CSV file's encoding, e.g. cp1252 (default: the mapping's, or utf-8)",
    )
    add_db(p)
    add_json(p)
    p.set_defaults(func=cmd_import_bank)


def cmd_import_bank(args: argparse.Namespace) -> int:

    if not args.file.is_file():
        raise CommandError(f"{args.file}: no such file")
    if args.encoding:
        try:
            codecs.lookup(args.encoding)
        except LookupError:
            raise CommandError(
                f"unknown encoding {args.encoding!r} (try utf-8, cp1252 or latin-1)"
            ) from None
    files = [args.mappings] if args.mappings else []
    default = Paths.from_env().bank_mappings
    if default.is_file():
        files.append(default)
    try:
        mappings = all_mappings(files)
    except MappingError as err:
        raise CommandError(str(err)) from None
    ledger = open_ledger(args)
    try:
        result = import_bank_statement(
            ledger.engine,
            args.file,
            mappings,
            mapping_name=args.mapping,
            account=args.account,
            encoding=args.encoding,
            force=args.force,
            dry_run=args.dry_run,
        )
    except BankImportError as err:
        raise CommandError(
            f"{args.file}: statement refused, nothing was imported:\n{err}", exit_code=2
        ) from None
    finally:
        ledger.dispose()
    if args.json:
        print_json(result)
        return 0
    span = f"{result.date_from} → {result.date_to}" if result.rows else "no operations"
    verb = "Would import (dry run, nothing written)" if result.dry_run else "Imported"
    print(f"{verb} {args.file} with mapping '{result.mapping}' into account '{result.account}'")
    print(f"  account           {result.account_from}")
    print(f"  lines read        {result.rows:>9}   ({span})")
    print(f"  new               {result.inserted:>9}")
    print(f"  already present   {result.already_present:>9}")
    if result.skipped:
        print(f"  skipped           {result.skipped:>9}   (totals, balances, footers)")
    print(f"  credits           {format_dzd(result.total_credit):>20}")
    print(f"  debits            {format_dzd(result.total_debit):>20}")
    if result.balances_checked:
        print("  balances          agree with the ledger")
    for acct, n in sorted(result.also_elsewhere.items()):
        forced = " (added: --force)" if result.forced else " (added anyway: a minority)"
        print(f"  also in '{acct}'   {n:>9}{forced}")
    shown = [v for v in result.lines if result.dry_run or v.action == "skip"]
    for v in shown[:200]:
        what = "add " if v.action == "add" else "skip"
        why = v.reason + (f" ({v.matches})" if v.matches else "")
        print(
            f"  {what} line {v.line:<5} {v.date}  {format_dzd(v.amount):>18}  {v.label[:40]:<40}  {why}"
        )
    if len(shown) > 200:
        print(f"  … and {len(shown) - 200} more lines (--json lists them all)")
    return 0
