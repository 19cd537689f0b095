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
            "Importe un relevé bancaire tel que la banque l'exporte : CSV (';' ou ',') ou "
            "XLSX, ou un relevé PDF avec du texte (colonnes Date, Libellé, Débit, Crédit, "
            "Solde), dates jj/mm/aaaa, virgule décimale, colonnes Débit/Crédit ou un seul "
            "Montant signé. La disposition est reconnue aux noms des en-têtes, ou nommée par "
            "--mapping. Le compte est celui que le relevé nomme (RIB ou numéro de compte), "
            "rapproché de ceux du grand livre. Une ligne déjà au grand livre, sur n'importe "
            "quel compte, n'est pas ajoutée deux fois ; les soldes du relevé doivent "
            "concorder avec le grand livre."
        ),
    )
    p.add_argument("file", type=Path, help="le fichier du relevé (.csv, .xlsx ou .pdf)")
    p.add_argument(
        "--mapping",
        metavar="NAME",
        help="cette correspondance de colonnes (défaut : reconnue aux en-têtes)",
    )
    p.add_argument(
        "--mappings",
        metavar="FILE",
        type=Path,
        help="un fichier JSON de correspondances en plus (outre $KHAZNA_HOME/bank_mappings.json)",
    )
    p.add_argument(
        "--account",
        metavar="ID",
        help="l'identifiant du compte bancaire (défaut : le compte que le relevé nomme, rapproché "
        "de ceux du grand livre ; sinon le seul compte du grand livre ; obligatoire s'il y en a "
        "plusieurs)",
    )
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="vérifie tout et montre ce qui serait ajouté ou écarté, et pourquoi ; n'écrit rien",
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="ajoute les lignes même si la plupart sont déjà au grand livre sous un autre compte, "
        "ou si le numéro de compte du relevé en nomme un autre",
    )
    p.add_argument(
        "--encoding",
        metavar="NAME",
        help="l'encodage du fichier CSV, p. ex. cp1252 (défaut : celui de la correspondance, ou utf-8)",
    )
    add_db(p)
    add_json(p)
    p.set_defaults(func=cmd_import_bank)


def cmd_import_bank(args: argparse.Namespace) -> int:

    if not args.file.is_file():
        raise CommandError(f"{args.file}: fichier introuvable")
    if args.encoding:
        try:
            codecs.lookup(args.encoding)
        except LookupError:
            raise CommandError(
                f"encodage inconnu {args.encoding!r} (essayez utf-8, cp1252 ou latin-1)"
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
            f"{args.file}: relevé refusé, rien n'a été importé :\n{err}", exit_code=2
        ) from None
    finally:
        ledger.dispose()
    if args.json:
        print_json(result)
        return 0
    span = (
        f"du {result.date_from:%d/%m/%Y} au {result.date_to:%d/%m/%Y}"
        if result.rows
        else "aucune opération"
    )
    verb = "Importerait (essai, rien n'est écrit)" if result.dry_run else "Importé"
    print(
        f"{verb} : {args.file}, correspondance '{result.mapping}', sur le compte '{result.account}'"
    )
    print(f"  compte             {result.account_from}")
    print(f"  lignes lues        {result.rows:>9}   ({span})")
    print(f"  nouvelles          {result.inserted:>9}")
    print(f"  déjà présentes     {result.already_present:>9}")
    if result.skipped:
        print(f"  écartées           {result.skipped:>9}   (totaux, soldes, pieds de page)")
    print(f"  crédits            {format_dzd(result.total_credit):>20}")
    print(f"  débits             {format_dzd(result.total_debit):>20}")
    if result.balances_checked:
        print("  soldes             concordent avec le grand livre")
    for acct, n in sorted(result.also_elsewhere.items()):
        forced = (
            " (ajoutées : --force)" if result.forced else " (ajoutées quand même : une minorité)"
        )
        print(f"  aussi sur '{acct}'  {n:>9}{forced}")
    shown = [v for v in result.lines if result.dry_run or v.action == "skip"]
    for v in shown[:200]:
        what = "ajoutée" if v.action == "add" else "écartée"
        why = v.reason + (f" ({v.matches})" if v.matches else "")
        print(
            f"  {what} ligne {v.line:<5} {v.date:%d/%m/%Y}  {format_dzd(v.amount):>18}  "
            f"{v.label[:40]:<40}  {why}"
        )
    if len(shown) > 200:
        print(f"  … et {len(shown) - 200} lignes de plus (--json les liste toutes)")
    return 0
