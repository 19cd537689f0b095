"""``khazna aging``, ``khazna forecast``, ``khazna backtest``: receivables and cash ahead."""

from __future__ import annotations

import argparse
import textwrap

from khazna.commands import summary
from khazna.commands.common import (
    CommandError,
    add_as_of,
    add_db,
    add_json,
    as_of,
    open_ledger,
    print_books_end,
    print_json,
    with_books_end,
)
from khazna.labels import RISK_FACTOR, label
from khazna.money import format_dzd
from khazna.text import is_arabic, isolate_name
from khazna.tools.backtest import backtest
from khazna.tools.forecast import (
    STATUS_LABELS,
    THRESHOLD_SOURCE_LABELS,
    ForecastError,
)
from khazna.tools.payment_profiles import riskiest
from khazna.tools.receivables import BUCKET_LABELS, BUCKETS, aging_report, lateness
from khazna.tools.scenarios import (
    GRAMMAR,
    ScenarioError,
    WhatIf,
    outcome,
    run_what_if,
    what_if_text,
)
from khazna.tools.status import books_end
from khazna.tools.stored import forecast_of

AGING_HELP = summary("aging")
FORECAST_HELP = summary("forecast")
BACKTEST_HELP = summary("backtest")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("aging", help=AGING_HELP, description=AGING_HELP)
    add_db(p)
    add_as_of(p)
    add_json(p)
    p.add_argument("--client", metavar="ID", help="seulement ce client, avec ses factures ouvertes")
    p.add_argument(
        "--risk",
        type=int,
        metavar="N",
        default=0,
        help="liste aussi les N factures ouvertes les plus risquées",
    )
    p.set_defaults(func=cmd_aging)

    p = sub.add_parser("forecast", help=FORECAST_HELP, description=FORECAST_HELP)
    add_db(p)
    add_as_of(p)
    add_json(p)
    p.add_argument("--days", type=int, default=30, help="horizon en jours (défaut 30)")
    p.add_argument("--explain", action="store_true", help="liste chaque flux prévu avec sa source")
    p.add_argument(
        "--what-if",
        action="append",
        default=[],
        metavar="SPEC",
        help=f"un scénario, répétable, tous appliqués ensemble et chacun seul ({GRAMMAR}) ; "
        "imprime la base face au scénario",
    )
    p.set_defaults(func=cmd_forecast)

    p = sub.add_parser("backtest", help=BACKTEST_HELP, description=BACKTEST_HELP)
    add_db(p)
    add_json(p)
    p.add_argument("--cutoffs", type=int, default=6, help="nombre de dates de coupure (défaut 6)")
    p.add_argument("--days", type=int, default=30, help="horizon en jours (défaut 30)")
    p.set_defaults(func=cmd_backtest)


def percent(share: float) -> str:
    """A share of 1 as the owner reads it: ``0.75`` → ``75 %``."""
    return f"{round(100 * float(share))} %"


def wrap_cell(text: str, width: int) -> list[str]:
    """``text`` cut into lines of at most ``width`` characters, between words where it can
    (a word longer than the column is cut); at least one line."""
    return textwrap.wrap(text, width, break_on_hyphens=False) or [""]


def pad(text: str, width: int) -> str:
    """A cell padded to ``width`` columns; an Arabic part isolated (U+2068 … U+2069), so a
    terminal that lays text out right to left keeps the amounts after it in their columns
    (the isolate marks take no column)."""
    head, _, rest = text.partition(" ")
    if rest and is_arabic(rest) and not is_arabic(head):  # "C16 مديرية …": the name alone
        shown = f"{head} {isolate_name(rest)}"
    else:
        shown = isolate_name(text)
    return shown + " " * max(0, width - len(text))


def _dzd(v) -> str:

    return format_dzd(v)


def cmd_aging(args: argparse.Namespace) -> int:

    day = as_of(args)
    ledger = open_ledger(args)
    with ledger.read() as s:
        rep = aging_report(s, day, client_id=args.client)
        risks = riskiest(s, day, args.risk) if args.risk > 0 else []
        end = books_end(s, day)
    if args.client and not rep.clients:
        raise CommandError(
            f"client {args.client!r} : rien de dû ni d'avoir au {day:%d/%m/%Y} (ou client inconnu)"
        )
    doc = rep.to_json()
    if args.json:
        if risks:
            doc["riskiest"] = [r.model_dump(mode="python") for r in risks]
        print_json(with_books_end(doc, end))
        return 0
    heads = ["client", *(BUCKET_LABELS[b] for b in BUCKETS), "total"]
    dso = (
        f"{rep.dso_days} jours".replace(".", ",") if rep.dso_days is not None else "non calculable"
    )
    print(f"Balance âgée au {day:%d/%m/%Y}  (DSO : {dso})")
    print_books_end(end)
    widths = [28] + [18] * (len(heads) - 1)
    print(
        "  ".join(
            h.ljust(w) if i == 0 else h.rjust(w)
            for i, (h, w) in enumerate(zip(heads, widths, strict=True))
        )
    )
    rows = doc["clients"] + [{"client_id": "", "name": "TOTAL", **doc["totals"]}]
    for r in rows:
        # a long name wraps inside its column (never cut, never over the next column): the
        # amounts on its first line, the rest of the name on the lines below
        name = wrap_cell(f"{r['client_id']} {r['name']}".strip(), widths[0])
        cells = [_dzd(r[b]) for b in (*BUCKETS, "total")]
        first = pad(name[0], widths[0])
        print("  ".join([first, *(c.rjust(18) for c in cells)]))
        for more in name[1:]:
            print(f"    {isolate_name(more)}")
    if rep.unallocated_credit:
        print(f"Avoir client non affecté : {_dzd(rep.unallocated_credit)}")
    for c in rep.clients:
        for o in c.invoices or []:
            print(
                f"  {o.number:<14} échéance {o.due_date:%d/%m/%Y}  {lateness(o.days_past_due):<22} {_dzd(o.open_amount):>18}  {BUCKET_LABELS.get(o.bucket, o.bucket)}"
            )
    if risks:
        print("Factures les plus à risque (score de 0 à 100 %, et ce qui le fait) :")
    for r in risks:
        why = ", ".join(
            f"{label(RISK_FACTOR, f.name)} {percent(f.value)}" for f in r.factors if f.value
        )
        print(
            f"  risque {percent(r.score):>5}  {r.number:<14} {r.client_id:<10} "
            f"{_dzd(r.open_amount):>18}  ({why})"
        )
    return 0


def cmd_forecast(args: argparse.Namespace) -> int:

    if args.days < 1:
        raise CommandError("--days vaut au moins 1")
    day = as_of(args)
    ledger = open_ledger(args)
    with ledger.read() as s:
        try:
            fc = forecast_of(s, day, args.days, explain=args.explain)
            wi = run_what_if(s, day, args.what_if, args.days, base=fc) if args.what_if else None
        except ForecastError as err:
            raise CommandError(str(err)) from None
        except ScenarioError as err:
            raise CommandError(f"{err}", exit_code=2) from None
    if wi is not None:
        return _print_what_if(wi, args)
    if args.json:
        print_json(fc.model_dump(mode="python", exclude_none=True))
        return 0
    label = STATUS_LABELS.get(fc.status, fc.status)
    source = THRESHOLD_SOURCE_LABELS.get(fc.threshold_source, fc.threshold_source)
    print(f"Prévision de trésorerie du {day:%d/%m/%Y} sur {fc.horizon_days} jours : {label}")
    print(
        f"  solde d'ouverture {_dzd(fc.opening_balance):>20}   seuil {_dzd(fc.threshold)} ({source})"
    )
    print(f"  solde minimum     {_dzd(fc.min_balance):>20}   le {fc.min_balance_date:%d/%m/%Y}")
    print(f"  excédent plaçable {_dzd(fc.excess_cash):>20}")
    if fc.prob_below_threshold is not None:
        print(f"  probabilité de passer sous le seuil : {round(100 * fc.prob_below_threshold)} %")
    for n in fc.notes:
        print(f"  note : {n}")
    print(f"  {'date':<10} {'entrées':>18} {'sorties':>18} {'solde':>20}  statut")
    for d in fc.days:
        print(
            f"  {d.date:%d/%m/%Y} {_dzd(d.inflows):>18} {_dzd(d.outflows):>18} {_dzd(d.balance):>20}  {STATUS_LABELS.get(d.status, d.status)}"
        )
    if args.explain:
        print("Flux projetés :")
        for f in fc.flows or []:
            ev = f"  [lignes {', '.join(f.evidence)}]" if f.evidence else ""
            print(f"  {_flow_line(f)}{ev}")
        if fc.left_out:
            print("Non comptés :")
            for f in fc.left_out:
                print(f"  {_flow_line(f)}")
    return 0


FLOW_KIND_FR = {
    "invoice": "facture",
    "doubtful": "douteux",
    "commitment": "échéance",
    "learned": "récurrent",
    "expense": "dépense",
    "background": "courant",
    "takings": "recette",
}


def _flow_line(f) -> str:
    """One projected flow: the day, the amount, its kind in words, where it comes from (said
    once: a detail that already names its source does not repeat it)."""
    kind = FLOW_KIND_FR.get(f.kind, f.kind)
    detail = f.detail.removeprefix(f"{f.source}: ")
    return f"{f.date:%d/%m/%Y} {_dzd(f.amount):>18}  {kind:<10} {f.source} : {detail}"


def what_if_json(wi: WhatIf) -> dict:
    """The scenario's forecast document (the same keys as without it), plus ``base`` (the
    forecast without it), ``scenarios`` (each one alone) and ``what_breaks``."""
    doc = wi.scenario.model_dump(mode="python", exclude_none=True)
    base = outcome_json(wi.base)
    doc["base"] = base
    doc["what_breaks"] = wi.breaks
    doc["scenarios"] = [
        {
            "spec": it.spec,
            "what": it.scenario.model_dump(mode="python"),
            "description": it.description,
            **it.outcome.model_dump(mode="python"),
            "flows": [f.model_dump(mode="python") for f in it.flows],
            "notes": it.notes,
        }
        for it in wi.items
    ]
    return doc


def outcome_json(fc) -> dict:
    return outcome(fc).model_dump(mode="python")


def _print_what_if(wi: WhatIf, args: argparse.Namespace) -> int:
    if args.json:
        print_json(what_if_json(wi))
        return 0
    print(what_if_text(wi))
    return 0


def cmd_backtest(args: argparse.Namespace) -> int:

    if args.cutoffs < 1 or args.days < 1:
        raise CommandError("--cutoffs et --days valent au moins 1")
    ledger = open_ledger(args)
    with ledger.read() as s:
        try:
            rep = backtest(s, cutoffs=args.cutoffs, days=args.days)
        except ForecastError as err:
            raise CommandError(str(err)) from None
    if args.json:
        print_json(rep)
        return 0
    print(main_backtest_text(rep))
    return 0


def main_backtest_text(rep) -> str:
    """The human table of a backtest report (also printed by the benchmark)."""
    out = [
        f"Rétro-test de la prévision à {rep.horizon_days} jours : écart moyen absolu du solde "
        "quotidien (prévision contre deux références : solde constant, dernier mois répété)",
        f"  {'date de coupure':<16} {'prévision':>18} {'solde constant':>18} {'mois répété':>18}",
    ]
    for c in rep.cutoffs:
        out.append(
            f"  {c.cutoff:%d/%m/%Y}       {_dzd(c.mae_forecast):>18} {_dzd(c.mae_flat):>18} {_dzd(c.mae_repeat):>18}"
        )
    out.append(
        f"  {'moyenne':<16} {_dzd(rep.mae_forecast):>18} {_dzd(rep.mae_flat):>18} {_dzd(rep.mae_repeat):>18}"
    )
    if rep.beats_flat and rep.beats_repeat:
        verdict = "fait mieux que les deux références"
    elif rep.beats_flat or rep.beats_repeat:
        better = "le solde constant" if rep.beats_flat else "le mois répété"
        verdict = f"fait mieux que {better} seulement"
    else:
        verdict = "ne fait PAS mieux que les deux références"
    out.append(f"La prévision {verdict}.")
    return "\n".join(out)
