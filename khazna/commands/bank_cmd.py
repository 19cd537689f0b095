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
            "Importe un relevé bancaire tel que la banque l'exporte : CSV (';' ou ',') ou XLSX, "
            "ou un relevé PDF avec du texte (colonnes Date, Libellé, Débit, Crédit, Solde), "
            "dates jj/mm/aaaa, virgule décimale, colonnes Débit/Crédit ou un Montant signé. "
            "La disposition est reconnue par les en-têtes, ou nommée avec --mapping. Le compte "
            "est celui que le relevé nomme (RIB ou numéro de compte), rapproché de ceux du "
            "grand livre. Les lignes déjà présentes, dans n'importe quel compte, ne sont pas "
            "ajoutées deux fois ; les soldes et les totaux du relevé doivent concorder avec ses "
            "lignes et avec le grand livre."
        ),
    )
    p.add_argument("file", type=Path, help="le relevé (.csv, .xlsx ou .pdf)")
    p.add_argument(
        "--mapping",
        metavar="NOM",
        help="cette correspondance de colonnes (défaut : reconnue par les en-têtes)",
    )
    p.add_argument(
        "--mappings",
        metavar="FICHIER",
        type=Path,
        help="un fichier JSON de correspondances en plus ($KHAZNA_HOME/bank_mappings.json)",
    )
    p.add_argument(
        "--account",
        metavar="ID",
        help="le compte bancaire (défaut : celui que le relevé nomme, rapproché de ceux du "
        "grand livre ; sinon le seul compte du grand livre ; s'il y en a plusieurs, requis)",
    )
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="tout vérifier et montrer ce qui serait ajouté ou écarté, et pourquoi ; "
        "ne rien écrire",
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="ajouter les lignes même si la plupart sont déjà dans le grand livre sous un "
        "autre compte, ou si le numéro de compte du relevé en nomme un autre",
    )
    p.add_argument(
        "--encoding",
        metavar="NOM",
        help="l'encodage du CSV, p. ex. cp1252 (défaut : celui de la correspondance, ou utf-8)",
    )
    add_db(p)
    add_json(p)
    p.set_defaults(func=cmd_import_bank)


def _n(count: int, one: str, many: str) -> str:
    return f"{count} {one if abs(count) <= 1 else many}"  # French: 0 and 1 are singular


def _day(d) -> str:
    return d.strftime("%d/%m/%Y")


def cmd_import_bank(args: argparse.Namespace) -> int:

    if not args.file.is_file():
        raise CommandError(f"{args.file} : fichier introuvable")
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
            f"{args.file} : relevé refusé, rien n'a été importé :\n{err}", exit_code=2
        ) from None
    finally:
        ledger.dispose()
    if args.json:
        print_json(result)
        return 0
    r = result
    if r.dry_run:
        print(f"Essai à blanc (rien n'est écrit) : {args.file}, compte '{r.account}', "
              f"correspondance '{r.mapping}'")  # fmt: skip
    else:
        print(f"Relevé {args.file} importé dans le compte '{r.account}' "
              f"(correspondance '{r.mapping}')")  # fmt: skip
    print(f"  compte      {r.account_from}")
    span = f" du {_day(r.date_from)} au {_day(r.date_to)}" if r.date_from and r.date_to else ""
    if r.dry_run:
        added = _n(r.inserted, "ligne serait ajoutée", "lignes seraient ajoutées")
    else:
        added = _n(r.inserted, "ligne ajoutée", "lignes ajoutées")
    print(f"  {_n(r.rows, 'ligne lue', 'lignes lues')}{span} : {added}, "
          f"{_n(r.already_present, 'déjà présente', 'déjà présentes')}")  # fmt: skip
    if r.skipped:
        print(f"  {_n(r.skipped, 'ligne écartée', 'lignes écartées')} "
              "(totaux, soldes, pieds de page)")  # fmt: skip
    print(f"  crédits     {format_dzd(r.total_credit):>20}")
    print(f"  débits      {format_dzd(r.total_debit):>20}")
    if r.balances_checked:
        print("  soldes      en accord avec le grand livre")
    for acct, n in sorted(r.also_elsewhere.items()):
        forced = "ajoutées : --force" if r.forced else "ajoutées quand même : une minorité"
        print(f"  aussi dans le compte '{acct}' : {_n(n, 'ligne', 'lignes')} ({forced})")
    shown = [v for v in r.lines if r.dry_run or v.action == "skip"]
    for v in shown[:200]:
        what = "ajout " if v.action == "add" else "écarté"
        why = v.reason + (f" ({v.matches})" if v.matches else "")
        print(
            f"  {what} ligne {v.line:<5} {_day(v.date)}  {format_dzd(v.amount):>18}  "
            f"{v.label[:40]:<40}  {why}"
        )
    if len(shown) > 200:
        print(f"  … et {len(shown) - 200} lignes de plus (--json les liste toutes)")
    return 0
