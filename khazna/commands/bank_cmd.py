"""``khazna import-bank FILE``: load a bank statement (CSV or XLSX) into the ledger."""

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
            "Import a bank statement as the bank exports it: CSV (';' or ',') or XLSX, "
            "dd/mm/yyyy dates, decimal commas, Débit/Crédit columns or one signed Montant. "
            "The layout is found by its header names, or named with --mapping. Lines "
            "already imported (an overlapping statement) are not added twice."
        ),
    )
    p.add_argument("file", type=Path, help="the statement file (.csv or .xlsx)")
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
        "--account", metavar="ID", help="the bank account id (default: the mapping's, or 'main')"
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
    print(f"Imported {args.file} with mapping '{result.mapping}' into account '{result.account}'")
    print(f"  lines read        {result.rows:>9}   ({span})")
    print(f"  new               {result.inserted:>9}")
    print(f"  already present   {result.already_present:>9}")
    if result.skipped:
        print(f"  skipped           {result.skipped:>9}   (totals, balances, footers)")
    print(f"  credits           {format_dzd(result.total_credit):>20}")
    print(f"  debits            {format_dzd(result.total_debit):>20}")
    return 0
