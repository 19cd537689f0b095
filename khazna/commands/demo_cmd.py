"""``khazna demo``: build the demo company's books and load them into the ledger."""

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
from khazna.commands.ledger_cmds import confirm_replace
from khazna.config import khazna_home
from khazna.demo.generator import generate
from khazna.ledger.bundle import BundleError, import_bundle
from khazna.ledger.models import Company, Setting
from khazna.ledger.replace import DEMO_BOOKS
from khazna.money import format_dzd
from khazna.text import count
from khazna.tools.anomalies import KINDS as ANOMALY_KINDS
from khazna.tools.status import ledger_status

NEXT_STEPS = [
    "khazna status",
    "khazna aging",
    "khazna forecast",
    "khazna anomalies",
    "khazna check-invoice --all",
    "khazna run",
    "khazna inbox list",
    'khazna ask "total des créances de plus de 60 jours ?"',
]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "demo",
        help=summary("demo"),
        description="Écrit un lot de démonstration réaliste dans DIR (tiré au sort avec une graine : "
        "même graine et même date, mêmes fichiers), puis l'importe dans le grand livre, à la "
        "place de ce qu'il contenait.",
    )
    add_db(p)
    p.add_argument("--dir", type=Path, default=None, metavar="DIR",
                   help="où écrire le lot (défaut : $KHAZNA_HOME/demo-bundle)")  # fmt: skip
    p.add_argument("--seed", type=int, default=7, metavar="N", help="graine du tirage (défaut 7)")
    add_as_of(p)
    p.add_argument(
        "--yes",
        action="store_true",
        help="remplace sans demander des livres qui ne sont pas ceux d'une démo (voir import --replace)",
    )
    add_json(p)
    p.set_defaults(func=cmd_demo)


def cmd_demo(args: argparse.Namespace) -> int:

    day = as_of(args)
    out = args.dir or khazna_home() / "demo-bundle"
    ledger = open_ledger(args, must_exist=False)
    if not args.yes and _holds_own_books(ledger):
        # a company's own books: the demo deletes them as `import --replace` would, so it
        # lists what goes and asks (refuses without a terminal), as that command does
        try:
            if not confirm_replace(
                ledger, ask=sys.stdin.isatty() and not args.json, who="khazna demo"
            ):
                raise CommandError("démo annulée : rien n'a été modifié")
        except CommandError:
            ledger.dispose()
            raise
    try:
        summary = generate(out, seed=args.seed, as_of=day)
    except OSError as err:
        ledger.dispose()
        raise CommandError(f"cannot write the demo bundle in {out}: {err.strerror}") from None
    try:
        report = import_bundle(ledger, out, replace=True)
    except BundleError as err:  # a generator bug: show it plainly
        lines = "\n  ".join(err.problems)
        raise CommandError(f"{out}: the demo bundle was refused:\n  {lines}", exit_code=2) from None
    with ledger.session() as s:
        s.merge(Setting(key=DEMO_BOOKS, value={"seed": args.seed, "as_of": day.isoformat()}))
    with ledger.read() as s:
        st = ledger_status(s, day)
    if args.json:
        print_json({
            "dir": str(out), "seed": args.seed, "as_of": day, "imported": report.counts,
            "warnings": report.warnings, "date_from": st.date_from, "date_to": st.date_to,
            "opening_balance": summary.opening_balance, "cash_position": st.cash_position,
            "open_receivables": st.open_receivables, "open_invoices": st.open_invoices,
            "balance_min": summary.balance_min, "balance_min_date": summary.balance_min_date,
            "safety_threshold": summary.safety_threshold,
            "anomalies_seeded": summary.anomalies_by_kind,
            "invoice_documents_with_defects": summary.document_defects,
            "pieces": summary.pieces,
            "truth": str(out / "truth.json"), "next": NEXT_STEPS,
        })  # fmt: skip
        return 0
    _print_human(summary, report, st, out)
    return 0


def _holds_own_books(ledger) -> bool:
    """Books are in the ledger and ``khazna demo`` did not write them."""
    with ledger.read() as s:
        return s.get(Company, 1) is not None and s.get(Setting, DEMO_BOOKS) is None


def _print_human(summary, report, st, out: Path) -> None:

    print(
        f"Société de démonstration {st.company} (graine {summary.seed}, au {summary.as_of:%d/%m/%Y})"
    )
    print(f"  dossier écrit dans {out}  (truth.json à côté : ce que les agents doivent trouver)")
    print(f"  écritures du {st.date_from:%d/%m/%Y} au {st.date_to:%d/%m/%Y}")
    for name, n in report.counts.items():
        print(f"  {name:<20} {n:>6}")
    print(f"  trésorerie         {format_dzd(st.cash_position):>20}  (seuil de sécurité "
          f"{format_dzd(summary.safety_threshold)})")  # fmt: skip
    print(
        f"  solde le plus bas  {format_dzd(summary.balance_min):>20}  le {summary.balance_min_date:%d/%m/%Y}"
    )
    print(
        f"  créances ouvertes  {format_dzd(st.open_receivables):>20}  "
        f"({count(st.open_invoices, 'facture', 'factures')})"
    )
    seeded = ", ".join(
        ANOMALY_KINDS[k].counted(v) if k in ANOMALY_KINDS else f"{k} {v}"
        for k, v in summary.anomalies_by_kind.items()
    )
    defects = count(summary.document_defects, "document de facture", "documents de facture")
    print(f"  anomalies semées : {seeded} ; {defects} avec un défaut semé")
    notes = count(summary.pieces.get("delivery_note", 0), "bon de livraison", "bons de livraison")
    asf = summary.pieces.get("service_attestation", 0)
    attestations = count(asf, "attestation de service fait", "attestations de service fait")
    print(
        f"  pièces jointes aux relances : {notes}, {attestations} (documents/*-BL.pdf, *-ASF.pdf)"
    )
    for w in report.warnings:
        print(f"  avertissement : {w}")
    print("\nEssayez ensuite :")
    for cmd in NEXT_STEPS:
        print(f"  {cmd}")
