"""``khazna categorize`` and ``khazna anomalies``: the analyst's view of the statement and spending."""

from __future__ import annotations

import argparse
import json
import sys

from khazna.commands import summary
from khazna.commands.common import CommandError, add_db, add_json, iso_date, open_ledger, print_json
from khazna.money import format_dzd, jsonable
from khazna.text import count
from khazna.tools.anomalies import AnomaliesInput, confirm_not_duplicate, detect_anomalies
from khazna.tools.categorize import categorize_lines, category_totals
from khazna.tools.ledger_columns import from_cents


def _add_period(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--from", dest="date_from", type=iso_date, metavar="YYYY-MM-DD", help="first date included"
    )
    p.add_argument(
        "--to", dest="date_to", type=iso_date, metavar="YYYY-MM-DD", help="last date included"
    )


def register(sub) -> None:
    p = sub.add_parser(
        "categorize",
        help=summary("categorize"),
        description="Give each bank line a category, a confidence and what it settles (an invoice, a "
        "payment, an expense or a commitment).",
    )
    add_db(p)
    _add_period(p)
    p.add_argument(
        "--limit", type=int, default=None, metavar="N", help="show only the N most recent lines"
    )
    add_json(p)
    p.set_defaults(func=cmd_categorize)

    p = sub.add_parser(
        "anomalies",
        help=summary("anomalies"),
        description="Spending anomalies of the period. `khazna anomalies confirm REF1 REF2` records that "
        "two payments flagged as a duplicate are both genuine; they are not flagged again.",
    )
    add_db(p)
    _add_period(p)
    add_json(p)
    p.set_defaults(func=cmd_anomalies)
    actions = p.add_subparsers(dest="anomalies_action", metavar="ACTION")
    c = actions.add_parser(
        "confirm", help="mark two payments (expense or bank line ids) as not a duplicate"
    )
    c.add_argument("refs", nargs=2, metavar="REF")
    # SUPPRESS: `anomalies --db X confirm A B` keeps the --db given before the action
    c.add_argument(
        "--db", metavar="URL", default=argparse.SUPPRESS, help="ledger database (as above)"
    )
    c.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help="print one JSON document"
    )
    c.set_defaults(func=cmd_confirm)


def _check_period(args: argparse.Namespace) -> None:
    if args.date_from and args.date_to and args.date_from > args.date_to:
        raise CommandError(f"--from {args.date_from} is after --to {args.date_to}")


def _money_number(cents: int) -> int | float:
    """Centimes as a JSON number with at most two decimals (``c / 100`` is correctly rounded)."""
    return cents // 100 if cents % 100 == 0 else cents / 100


def _write_json_lines(cat, order, header: dict) -> None:
    """The categorize document, streamed: a million lines without a million pydantic objects."""

    out = sys.stdout
    head = json.dumps(jsonable(header), ensure_ascii=False, indent=2)
    out.write(head[:-2] + ',\n  "lines": [')
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    first = True
    dates = cat.day.astype("datetime64[D]").astype(str).tolist()  # ISO dates, vectorised
    cents = cat.cents.tolist()
    for i in order.tolist():
        matched = cat.matched[i]
        row = {
            "line_id": cat.line_id[i], "date": dates[i], "amount": _money_number(cents[i]),
            "label": cat.label[i], "category": cat.category[i], "confidence": round(float(cat.confidence[i]), 2),
            "matched": matched, "match_kind": cat.match_kind[i],
            "match_refs": cat.match_refs(i), "source": cat.source[i],
        }  # fmt: skip
        out.write(("\n    " if first else ",\n    ") + dumps(row))
        first = False
    out.write("\n  ]\n}\n")


def cmd_categorize(args: argparse.Namespace) -> int:

    _check_period(args)
    if args.limit is not None and args.limit < 0:
        raise CommandError("--limit must be 0 or more")
    ledger = open_ledger(args)
    with ledger.read() as s:
        cat = categorize_lines(s, args.date_from, args.date_to)
    n = len(cat)
    order = cat.date_order()
    if args.limit is not None:
        order = order[max(0, n - args.limit) :]
    totals = category_totals(cat)
    matched = int(cat.is_matched.sum())
    if args.json:
        header = {"date_from": args.date_from, "date_to": args.date_to, "total_lines": n,
                  "matched_lines": matched, "truncated": len(order) < n, "by_category": totals}  # fmt: skip
        _write_json_lines(cat, order, header)
        return 0
    for i in order.tolist():
        print(
            f"{cat.date_iso(i)}  {cat.line_id[i]:<12} {format_dzd(from_cents(cat.cents[i])):>18}  "
            f"{cat.category[i]:<22} {cat.confidence[i]:4.2f}  {cat.matched[i] or '-':<18} {cat.label[i]}"
        )
    print(f"\n{count(n, 'ligne', 'lignes')}, {count(matched, 'rapprochée', 'rapprochées')}")
    for t in totals:
        print(f"  {t.category:<22} {t.lines:>8}  {format_dzd(t.amount):>20}")
    return 0


def cmd_anomalies(args: argparse.Namespace) -> int:

    _check_period(args)
    ledger = open_ledger(args)
    with ledger.read() as s:
        out = detect_anomalies(s, AnomaliesInput(date_from=args.date_from, date_to=args.date_to))
    if args.json:
        print_json(out)
        return 0
    if not out.anomalies:
        print("Aucune anomalie.")
        return 0
    for a in out.anomalies:
        print(
            f"[{a.severity}] {a.kind}  {format_dzd(a.amount)}  {', '.join(a.refs)}\n    {a.reason}"
        )
    print(
        f"\n{count(len(out.anomalies), 'anomalie', 'anomalies')} : "
        + ", ".join(f"{k} {v}" for k, v in sorted(out.counts.items()))
    )
    return 0


def cmd_confirm(args: argparse.Namespace) -> int:

    ledger = open_ledger(args)
    try:
        with ledger.session() as s:
            pairs = confirm_not_duplicate(s, *args.refs)
    except ValueError as err:
        raise CommandError(str(err)) from None
    if args.json:
        print_json({"confirmed": sorted(args.refs), "pairs": pairs})
    else:
        print(
            f"{args.refs[0]} et {args.refs[1]} : deux paiements distincts, plus signalés comme doublon."
        )
    return 0
