"""``khazna categorize`` and ``khazna anomalies``: the analyst's view of the statement and spending."""

from __future__ import annotations

import argparse

from khazna.commands.common import CommandError, add_db, add_json, iso_date, open_ledger, print_json

ORDER = 40


def _add_period(p: argparse.ArgumentParser) -> None:
    p.add_argument("--from", dest="date_from", type=iso_date, metavar="YYYY-MM-DD", help="first date included")
    p.add_argument("--to", dest="date_to", type=iso_date, metavar="YYYY-MM-DD", help="last date included")


def register(sub) -> None:
    p = sub.add_parser(
        "categorize",
        help="categorise every bank line and match it with payments, expenses, commitments",
        description="Give each bank line a category, a confidence and what it settles (an invoice, a "
        "payment, an expense or a commitment).",
    )
    add_db(p)
    _add_period(p)
    p.add_argument("--limit", type=int, default=None, metavar="N", help="show only the N most recent lines")
    add_json(p)
    p.set_defaults(func=cmd_categorize)

    p = sub.add_parser(
        "anomalies",
        help="find duplicate payments, policy breaches, outliers and unknown payees",
        description="Spending anomalies of the period. `khazna anomalies confirm REF1 REF2` records that "
        "two payments flagged as a duplicate are both genuine; they are not flagged again.",
    )
    add_db(p)
    _add_period(p)
    add_json(p)
    p.set_defaults(func=cmd_anomalies)
    actions = p.add_subparsers(dest="anomalies_action", metavar="ACTION")
    c = actions.add_parser("confirm", help="mark two payments (expense or bank line ids) as not a duplicate")
    c.add_argument("refs", nargs=2, metavar="REF")
    # SUPPRESS: `anomalies --db X confirm A B` keeps the --db given before the action
    c.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help="ledger database (as above)")
    c.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print one JSON document")
    c.set_defaults(func=cmd_confirm)


def _check_period(args: argparse.Namespace) -> None:
    if args.date_from and args.date_to and args.date_from > args.date_to:
        raise CommandError(f"--from {args.date_from} is after --to {args.date_to}")


def cmd_categorize(args: argparse.Namespace) -> int:
    from khazna.money import format_dzd
    from khazna.tools.categorize import CategorizeInput, categorize

    _check_period(args)
    if args.limit is not None and args.limit < 0:
        raise CommandError("--limit must be 0 or more")
    ledger = open_ledger(args)
    with ledger.read() as s:
        out = categorize(s, CategorizeInput(date_from=args.date_from, date_to=args.date_to, limit=args.limit))
    if args.json:
        print_json(out)
        return 0
    for line in out.lines:
        print(
            f"{line.date.isoformat()}  {line.line_id:<12} {format_dzd(line.amount):>18}  "
            f"{line.category:<22} {line.confidence:4.2f}  {line.matched or '-':<18} {line.label}"
        )
    print(f"\n{out.total_lines} ligne(s), {out.matched_lines} rapprochée(s)")
    for t in out.by_category:
        print(f"  {t.category:<22} {t.lines:>8}  {format_dzd(t.amount):>20}")
    return 0


def cmd_anomalies(args: argparse.Namespace) -> int:
    from khazna.money import format_dzd
    from khazna.tools.anomalies import AnomaliesInput, detect_anomalies

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
        print(f"[{a.severity}] {a.kind}  {format_dzd(a.amount)}  {', '.join(a.refs)}\n    {a.reason}")
    print(f"\n{len(out.anomalies)} anomalie(s): " + ", ".join(f"{k} {v}" for k, v in sorted(out.counts.items())))
    return 0


def cmd_confirm(args: argparse.Namespace) -> int:
    from khazna.tools.anomalies import confirm_not_duplicate

    ledger = open_ledger(args)
    try:
        with ledger.session() as s:
            pairs = confirm_not_duplicate(s, *args.refs)
    except ValueError as err:
        raise CommandError(str(err)) from None
    if args.json:
        print_json({"confirmed": sorted(args.refs), "pairs": pairs})
    else:
        print(f"{args.refs[0]} et {args.refs[1]} : deux paiements distincts, plus signalés comme doublon.")
    return 0
