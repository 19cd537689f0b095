"""``khazna check-invoice FILE|--number N|--all [--json]``: the invoice checker."""

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
from khazna.text import count
from khazna.tools.invoice_check.currency import DINAR, foreign_currency_note
from khazna.tools.invoice_check.files import check_file
from khazna.tools.invoice_check.ledger_check import check_ledger, check_number
from khazna.tools.invoice_check.models import InvoiceReadError

EPILOG = """\
FILE est un PDF ou une facture structurée (JSON, spec/cli.md). Avec --number, le document
enregistré au grand livre est contrôlé (ou, s'il n'y en a pas, la facture tirée des lignes du
grand livre). --all contrôle chaque document enregistré et chaque facture sans document, et
ajoute les remarques de numérotation NUMBER_DUPLICATE et NUMBERING_GAP par série annuelle
(F2026-0142). Une remarque identique sur 5 factures ou plus (erreur ou avertissement)
est dite une fois, avec le nombre de factures et les premiers numéros ; ensuite seules les
factures avec une remarque qui leur est propre sont listées (--verbose les liste toutes,
chaque remarque à sa place) ; --json les contient toujours toutes.

Sortie JSON : FILE/--number impriment un résultat
  {"number", "ok", "document", "unread", "fields", "findings": [{"code", "severity",
   "field", "message"}], "source", "notes", "error", "currency"}
`currency` (ajouté) est le code ISO de la monnaie lue sur le document (€, EUR, $, USD,
euros, DA, DZD, دج…) : hors dinar (DZD), les montants sont dits dans cette monnaie, non
convertis, et les contrôles propres au dinar (droit de timbre, taux de TVA 0/9/19 %,
montant en lettres) ne sont pas appliqués ; les autres le sont.
`fields` (ajouté à la forme de spec/cli.md) dit pour chaque champ "read" (lu), "unread"
(le PDF contient quelque chose qui pourrait l'être, mais pas lu avec confiance : aucune
remarque ne s'appuie dessus) ou "absent" (rien sur la page ne peut l'être : sa remarque
*_MISSING) ; `unread` liste toujours chaque champ qu'un PDF n'a pas donné (non lu ou absent).
--all imprime
  {"as_of", "invoices": [<one result per invoice>], "ledger_findings": [<findings>],
   "summary": {"invoices", "ok", "with_errors", "unreadable", "errors", "warnings",
               "ledger_findings", "by_code": {CODE: count}}}
`ok` vaut true quand aucune remarque n'a la gravité "error". L'acheteur est un particulier
(seul son nom est exigé) quand le document dit buyer.kind = "particulier", quand le client du
grand livre est de type "particulier", ou avec --particulier. Code de sortie 0 quand la
commande a pu répondre (même avec des remarques), 1 quand l'entrée est illisible.
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check-invoice",
        help=summary("check-invoice"),
        description="Contrôle une facture (PDF ou JSON) ou les factures du grand livre selon les "
        "règles algériennes de facturation.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("file", nargs="?", metavar="FILE", help="une facture PDF ou JSON")
    what.add_argument("--number", metavar="N", help="un numéro de facture du grand livre")
    what.add_argument("--all", action="store_true", help="toutes les factures du grand livre")
    p.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        help="avec --all, liste aussi les factures sans remarque (par défaut, seulement les problèmes)",
    )
    p.add_argument(
        "--particulier",
        action="store_true",
        help="l'acheteur est un particulier (FILE seulement) : seul son nom est exigé",
    )
    add_db(p)
    add_as_of(p)
    add_json(p)
    p.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:

    day = as_of(args)
    try:
        if args.file:
            result = check_file(Path(args.file), day, buyer_is_person=args.particulier)
            return _show_one(result, args.json)
        ledger = open_ledger(args)
        try:
            with ledger.read() as session:
                if args.number:
                    return _show_one(check_number(session, args.number, day), args.json)
                report = check_ledger(session, day)
        finally:
            ledger.dispose()
    except InvoiceReadError as err:
        raise CommandError(str(err)) from None
    if args.json:
        print_json({"as_of": day, **report.model_dump(mode="python")})
        return 0
    repeated = {} if args.verbose else repeated_findings(report.invoices, REPEATED_AT)
    if repeated:
        print(
            "Constats répétés sur de nombreuses factures (--verbose pour le détail par facture) :"
        )
        for (severity, _code, message), numbers in repeated.items():
            print(
                f"  {_mark(severity)} {message} — sur {count(len(numbers), 'facture', 'factures')} : {_first(numbers)}"
            )
        print()
    clean = grouped_only = 0
    for result in report.invoices:
        if args.verbose or _has_remarks(result, repeated):
            _print_result(result, repeated)
        elif _has_remarks(result):
            grouped_only += 1  # only findings said once above, for all the invoices they concern
        else:
            clean += 1  # an invoice with nothing to say: counted, not listed
    if grouped_only:
        print(
            f"({count(grouped_only, 'facture', 'factures')} sans autre constat que les constats "
            "répétés ci-dessus)"
        )
    if clean and not args.verbose:
        if clean == len(report.invoices):
            print(f"Aucune remarque sur les {clean} factures." if clean > 1 else "Aucune remarque.")
        else:
            shown = (
                "facture sans constat n'est pas affichée"
                if clean == 1
                else ("factures sans constat ne sont pas affichées")
            )
            print(f"({clean} {shown} : --verbose pour tout voir)")
    print()
    if report.ledger_findings:
        print("Numérotation du registre :")
        for f in report.ledger_findings:
            print(f"  {_mark(f.severity)} {f.message}")
    s = report.summary
    print(
        f"{count(s.invoices, 'facture', 'factures')} : {count(s.ok, 'conforme', 'conformes')}, {s.with_errors} avec erreurs, "
        f"{count(s.unreadable, 'illisible', 'illisibles')} ; {count(s.errors, 'erreur', 'erreurs')}, {count(s.warnings, 'avertissement', 'avertissements')}, "
        f"{count(s.ledger_findings, 'constat', 'constats')} de numérotation."
    )
    return 0


def _show_one(result, as_json: bool) -> int:
    if as_json:
        print_json(result.model_dump(mode="python"))
    else:
        _print_result(result)
    return 0


REPEATED_AT = 5  # a finding on this many invoices or more is said once, with its count


def repeated_findings(results, at_least: int = REPEATED_AT) -> dict[tuple, list[str]]:
    """The findings, errors and warnings alike, that repeat word for word on ``at_least``
    invoices or more — « RIB … invalide » on all 725 invoices, « mention absente : le NIF
    du client » on 692 — keyed ``(severity, code, message)``, with the invoices they
    concern; errors first, then the most frequent. Said once, a company-level problem does
    not bury what is specific to each invoice under a thousand identical lines."""
    seen: dict[tuple, list[str]] = {}
    for result in results:
        for f in result.findings:
            numbers = seen.setdefault((f.severity, f.code, f.message), [])
            number = result.number or result.source
            if not numbers or numbers[-1] != number:
                numbers.append(number)
        for note in getattr(result, "notes", ()):  # « facture tirée des lignes du grand livre »
            numbers = seen.setdefault(("note", "", note), [])
            if not numbers or numbers[-1] != (result.number or result.source):
                numbers.append(result.number or result.source)
    kept = {key: numbers for key, numbers in seen.items() if len(numbers) >= at_least}
    rank = {"error": 0, "note": 2}  # errors, then warnings, then the notes
    return dict(sorted(kept.items(), key=lambda kv: (rank.get(kv[0][0], 1), -len(kv[1]))))


def _first(numbers: list[str], n: int = 3) -> str:
    more = len(numbers) - n
    return ", ".join(numbers[:n]) + (f" et {more} autres" if more > 1 else "")


def _grouped(f, repeated: dict[tuple, list[str]]) -> bool:
    return (f.severity, f.code, f.message) in repeated


def _has_remarks(result, repeated: dict[tuple, list[str]] | None = None) -> bool:
    """Something to show the owner: a finding (error or warning) or an unreadable document;
    a finding said once for all its invoices (``repeated``) does not count.
    Fields a PDF did not yield are not a problem by themselves (a required one missing is
    a finding); --verbose lists them."""
    findings = [f for f in result.findings if not _grouped(f, repeated or {})]
    if repeated is None:
        return bool(not result.ok or findings or result.error)
    return bool(findings or result.error)


# what ``source`` (kept as is in --json) says, in the owner's words; a file name stays itself
SOURCE_WORDS = {
    "ledger rows": "lignes du grand livre",
    "ledger document": "document du grand livre",
}


def _mark(severity: str) -> str:
    return {"error": "✘", "note": "·"}.get(severity, "!")


def _print_result(result, repeated: dict[tuple, list[str]] | None = None) -> None:
    """One invoice: its findings in words (the codes and field names are in ``--json``)."""
    head = "✔" if result.ok else "✘"
    title = result.number or "(sans numéro)"
    print(f"{head} {title}  [{SOURCE_WORDS.get(result.source, result.source)}]")
    currency = getattr(result, "currency", DINAR)
    if currency != DINAR:  # once, before anything that says an amount
        print(f"    · {foreign_currency_note(currency)}")
    if result.error:
        print(f"    ✘ illisible : {result.error}")
    for f in result.findings:
        if not _grouped(f, repeated or {}):
            print(f"    {_mark(f.severity)} {f.message}")
    unsure = [k for k, v in result.fields.items() if v == "unread"]
    if unsure:
        print(f"    · non lu avec certitude (à vérifier à l'œil) : {', '.join(unsure)}")
    for note in result.notes:
        if ("note", "", note) not in (repeated or {}):
            print(f"    · {note}")
    if result.ok and not result.findings:
        print("    aucune remarque")
