"""``khazna categorize`` and ``khazna anomalies``: the analyst's view of the statement and spending."""

from __future__ import annotations

import argparse
import csv
import json
import re
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

import numpy as np
import orjson

from khazna.commands import summary
from khazna.commands.common import (
    CommandError,
    add_as_of,
    add_db,
    add_json,
    as_of,
    iso_date,
    open_ledger,
    print_books_end,
    print_json,
    with_books_end,
    write_bytes,
)
from khazna.config import Paths
from khazna.labels import CATEGORY, SEVERITY, label
from khazna.ledger.csvio import neutralise
from khazna.money import format_dzd, jsonable
from khazna.text import count
from khazna.tools.anomalies import (
    KINDS,
    AnomaliesInput,
    confirm_not_duplicate,
    open_anomalies_start,
)
from khazna.tools.categorize import categorize_lines, category_totals
from khazna.tools.ledger_columns import from_cents
from khazna.tools.status import books_end
from khazna.tools.stored import anomalies_of, open_anomalies_of


def _add_period(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--from", dest="date_from", type=iso_date, metavar="YYYY-MM-DD", help="premier jour compris"
    )
    p.add_argument(
        "--to", dest="date_to", type=iso_date, metavar="YYYY-MM-DD", help="dernier jour compris"
    )


TOP = 10  # items a summary shows
JSON_CHUNK = 20_000  # rows of a streamed --json document encoded before each write


def _add_listing(p: argparse.ArgumentParser, what: str) -> None:
    """``what``: the rows, in French and in the plural (both are feminine: lignes, anomalies)."""
    p.add_argument(
        "--all",
        action="store_true",
        help=f"imprime toutes les {what} (défaut : un résumé, les {TOP} premières et un CSV "
        f"de toutes les {what})",
    )
    p.add_argument(
        "--csv",
        type=Path,
        metavar="FILE",
        help=f"où écrire le CSV de toutes les {what} (défaut : $KHAZNA_HOME/exports/)",
    )


def _csv_target(args: argparse.Namespace, name: str) -> Path:
    if args.csv is not None:
        return Path(args.csv)
    span = f"{args.date_from or 'debut'}_{args.date_to or 'fin'}"
    return Paths.from_env().exports / f"{name}_{span}.csv"


def _write_csv(path: Path, header: list[str], rows: Iterable[list]) -> None:
    """Rows to ``path`` (its folder made), written to a temporary file then renamed: a reader
    never sees half a file. Text cells are neutralised for spreadsheets (``csvio.neutralise``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows([neutralise(c) if isinstance(c, str) else c for c in row] for row in rows)
    tmp.replace(path)


def register(sub) -> None:
    p = sub.add_parser(
        "categorize",
        help=summary("categorize"),
        description="Donne à chaque ligne bancaire une catégorie, une confiance et ce qu'elle règle "
        "(une facture, un paiement, une dépense ou un engagement).",
    )
    add_db(p)
    _add_period(p)
    p.add_argument(
        "--limit",
        type=int,
        default=None,
        metavar="N",
        help="seulement les N lignes les plus récentes",
    )
    _add_listing(p, "lignes")
    add_json(p)
    p.set_defaults(func=cmd_categorize)

    p = sub.add_parser(
        "anomalies",
        help=summary("anomalies"),
        description="Les anomalies de dépenses de la période. `khazna anomalies confirm REF1 REF2` "
        "enregistre que deux paiements signalés en double sont tous deux réels : ils ne sont plus "
        "signalés.",
    )
    add_db(p)
    _add_period(p)
    add_as_of(p)
    _add_listing(p, "anomalies")
    add_json(p)
    p.set_defaults(func=cmd_anomalies)
    actions = p.add_subparsers(dest="anomalies_action", metavar="ACTION")
    c = actions.add_parser(
        "confirm",
        help="marque deux paiements (identifiants de dépense ou de ligne bancaire) comme n'étant pas un doublon",
    )
    c.add_argument("refs", nargs=2, metavar="REF")
    # SUPPRESS: `anomalies --db X confirm A B` keeps the --db given before the action
    c.add_argument(
        "--db",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="base du grand livre (comme plus haut)",
    )
    c.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS,
        help="imprime un seul document JSON",
    )
    c.set_defaults(func=cmd_confirm)


def _check_period(args: argparse.Namespace) -> None:
    if args.date_from and args.date_to and args.date_from > args.date_to:
        raise CommandError(
            f"--from {args.date_from:%d/%m/%Y} est après --to {args.date_to:%d/%m/%Y}"
        )


def _by_value(values: np.ndarray, encode) -> list:
    """``encode(v)`` for each entry of ``values``, computed once per distinct value (dates,
    confidences: a few thousand of them for a million lines)."""
    if not len(values):
        return []
    levels, level_of = np.unique(values, return_inverse=True)
    done = [encode(x) for x in levels.tolist()]
    return [done[k] for k in level_of.tolist()]


def _amounts(cents: np.ndarray) -> np.ndarray:
    """Centimes as JSON numbers with at most two decimals: an int when whole, else
    ``c / 100`` (correctly rounded); an object array of ints and floats."""
    out = np.empty(len(cents), dtype=object)
    whole = cents % 100 == 0
    out[whole] = (cents[whole] // 100).tolist()
    out[~whole] = (cents[~whole] / 100).tolist()
    return out


# a JSON string is its text between quotes unless it holds one of these (orjson escapes
# exactly the quote, the backslash and the control characters)
_ESCAPED = re.compile(r'["\\\x00-\x1f]')
_ROW = (
    '{"line_id":%s,"date":%s,"amount":%s,"label":%s,"category":%s,"confidence":%s,'
    '"matched":%s,"match_kind":%s,"match_refs":%s,"source":%s}'
)


def _json_texts(values: list, memo: dict | None = None) -> list[str]:
    """The JSON text of each value (a str or None), as orjson writes it. Without a quote,
    backslash or control character in any of them, a string is its text between quotes (one
    regex search over the chunk instead of a call per value); else each is encoded (once per
    distinct value with ``memo``, for the columns with few distinct values)."""
    if memo is not None:
        for v in set(values) - memo.keys():
            memo[v] = orjson.dumps(v).decode()
        return [memo[v] for v in values]
    strings = [v for v in values if v is not None]
    if len(strings) == len(values) and not _ESCAPED.search("".join(strings)):
        return ['"' + v + '"' for v in strings]
    if not _ESCAPED.search("".join(strings)):
        return ["null" if v is None else '"' + v + '"' for v in values]
    return [orjson.dumps(v).decode() for v in values]


def _write_json_lines(cat, order, header: dict) -> None:
    """The categorize document, streamed: a million lines without a million pydantic objects
    or dicts. The columns are put in the output order with numpy; each cell becomes its JSON
    text by chunk (numbers in one ``orjson.dumps`` of the chunk, strings by
    :func:`_json_texts`, values with few distinct ones once each), and a row is one ``%``
    of :data:`_ROW`: the same bytes as ``orjson.dumps`` of the row's dict."""

    head = json.dumps(jsonable(header), ensure_ascii=False, indent=2)
    write_bytes((head[:-2] + ',\n  "lines": [').encode("utf-8"))
    order = np.asarray(order, dtype=np.int64)
    dates = _by_value(cat.day[order].astype("datetime64[D]"), lambda d: f'"{d}"')  # ISO dates
    conf = _by_value(cat.confidence[order], lambda x: orjson.dumps(round(float(x), 2)).decode())
    amounts = _amounts(cat.cents[order]).tolist()
    ids, labels = _objects_of(cat.line_id)[order].tolist(), _objects_of(cat.label)[order].tolist()
    matched, kinds = cat.matched[order].tolist(), cat.match_kind[order].tolist()
    category, source = cat.category[order].tolist(), cat.source[order].tolist()
    refs = ["[]"] * len(order)
    has = ~(_none(cat.matched[order]) & _none(cat.refs[order]))
    for k, i in zip(np.flatnonzero(has).tolist(), order[has].tolist(), strict=True):
        refs[k] = orjson.dumps(cat.match_refs(i)).decode()
    few: tuple[dict, dict, dict] = ({}, {}, {})  # category, match_kind, source: a handful each
    lead = "\n    "  # before the first row; a separator before every later chunk
    for s in range(0, len(order), JSON_CHUNK):
        e = s + JSON_CHUNK
        money = orjson.dumps(amounts[s:e])[1:-1].decode().split(",")  # numbers: no comma
        cells = zip(
            _json_texts(ids[s:e]), dates[s:e], money, _json_texts(labels[s:e]),
            _json_texts(category[s:e], few[0]), conf[s:e], _json_texts(matched[s:e]),
            _json_texts(kinds[s:e], few[1]), refs[s:e], _json_texts(source[s:e], few[2]),
            strict=True,
        )  # fmt: skip
        write_bytes((lead + ",\n    ".join([_ROW % row for row in cells])).encode("utf-8"))
        lead = ",\n    "
    write_bytes(b"\n  ]\n}\n")


def _objects_of(values: list) -> np.ndarray:
    """A list of str as an object array (indexed by an order in one numpy call)."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


_NONE = np.array(None, dtype=object)


def _none(values: np.ndarray) -> np.ndarray:
    return np.equal(values, _NONE)


def cmd_categorize(args: argparse.Namespace) -> int:

    _check_period(args)
    if args.limit is not None and args.limit < 0:
        raise CommandError("--limit vaut 0 ou plus")
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
    if args.all or args.limit is not None:
        for i in order.tolist():
            print(_line_text(cat, i))
    print(
        f"{count(n, 'ligne', 'lignes')}, {count(matched, 'rapprochée', 'rapprochées')}{_period(args)}"
    )
    for t in totals:
        print(f"  {label(CATEGORY, t.category):<24} {t.lines:>8}  {format_dzd(t.amount):>20}")
    if args.all or args.limit is not None or not n:
        return 0
    unmatched = order[~cat.is_matched[order]]
    if len(unmatched):
        top = unmatched[abs(cat.cents[unmatched]).argsort(kind="stable")[::-1][:TOP]]
        print(f"\nLes {min(TOP, len(unmatched))} plus gros mouvements non rapprochés :")
        for i in top.tolist():
            print("  " + _line_text(cat, i))
    target = _csv_target(args, "categorize")
    dates = cat.day.astype("datetime64[D]").astype(str).tolist()
    cents = cat.cents.tolist()
    _write_csv(
        target,
        [
            "line_id",
            "date",
            "amount",
            "label",
            "category",
            "confidence",
            "matched",
            "match_kind",
            "match_refs",
            "source",
        ],  # fmt: skip
        (
            [
                cat.line_id[i],
                dates[i],
                from_cents(cents[i]),
                cat.label[i],
                cat.category[i],
                round(float(cat.confidence[i]), 2),
                cat.matched[i] or "",
                cat.match_kind[i] or "",
                ";".join(cat.match_refs(i)),
                cat.source[i],
            ]  # fmt: skip
            for i in order.tolist()
        ),
    )
    print(f"\nToutes les lignes : {target} (--all pour les afficher ici)")
    return 0


def _period(args: argparse.Namespace) -> str:
    if args.date_from and args.date_to:
        return f" du {args.date_from:%d/%m/%Y} au {args.date_to:%d/%m/%Y}"
    if args.date_from:
        return f" depuis le {args.date_from:%d/%m/%Y}"
    if args.date_to:
        return f" jusqu'au {args.date_to:%d/%m/%Y}"
    return ""


def _fr_day(iso: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}"


def _line_text(cat, i: int) -> str:  # noqa: ANN001 - the columnar categorisation
    return (
        f"{_fr_day(cat.date_iso(i))}  {cat.line_id[i]:<12} {format_dzd(from_cents(cat.cents[i])):>18}  "
        f"{label(CATEGORY, cat.category[i]):<24} {round(float(cat.confidence[i]) * 100):>3} %  "
        f"{cat.matched[i] or '-':<18} {cat.label[i]}"
    )


def cmd_anomalies(args: argparse.Namespace) -> int:

    _check_period(args)
    ledger = open_ledger(args)
    with ledger.read() as s:
        if args.date_from is None and args.date_to is None:
            # THE open anomalies (the dashboard's, run's): every one up to the day, its period
            out = open_anomalies_of(s, as_of(args))
            first = open_anomalies_start(s, as_of(args))
            args.date_from, args.date_to, opened = first, as_of(args), True
        else:
            out = anomalies_of(s, AnomaliesInput(date_from=args.date_from, date_to=args.date_to))
            opened = False
        end = books_end(s, args.date_to) if args.date_to is not None else None
    if args.json:
        print_json(with_books_end(out, end))
        return 0
    print_books_end(end)
    if not out.anomalies:
        print("Aucune anomalie.")
        return 0
    listed = out.anomalies if args.all else _top_anomalies(out.anomalies)
    if not args.all:
        n = len(out.anomalies)
        what = (
            count(n, "anomalie ouverte", "anomalies ouvertes")
            if opened
            else count(n, "anomalie", "anomalies")
        )
        print(f"{what}{_period(args)} :")
        for kind, n in sorted(out.counts.items(), key=lambda kv: (-kv[1], kv[0])):
            spec = KINDS.get(kind)
            total = sum((a.amount for a in out.anomalies if a.kind == kind), Decimal(0))
            words = spec.counted(n) if spec else f"{n} {kind}"
            print(f"  {words:<44} {format_dzd(total):>20}")
        print(f"\nLes {len(listed)} plus importantes :")
    for a in listed:
        kind = KINDS[a.kind].label_fr if a.kind in KINDS else a.kind
        print(
            f"[{label(SEVERITY, a.severity)}] {kind}  {format_dzd(a.amount)}  "
            f"{', '.join(a.refs)}\n    {a.reason}"
        )
    if args.all:
        print(
            f"\n{count(len(out.anomalies), 'anomalie', 'anomalies')} : "
            + ", ".join(
                KINDS[k].counted(v) if k in KINDS else f"{k} {v}"
                for k, v in sorted(out.counts.items())
            )
        )
        return 0
    target = _csv_target(args, "anomalies")
    _write_csv(
        target,
        ["kind", "severity", "date", "amount", "refs", "payee", "category", "reason"],
        (
            [
                a.kind,
                a.severity,
                a.date.isoformat(),
                a.amount,
                ";".join(a.refs),
                a.payee,
                a.category,
                a.reason,
            ]  # fmt: skip
            for a in out.anomalies
        ),
    )
    print(f"\nToutes les anomalies : {target} (--all pour les afficher ici)")
    return 0


SEVERITY_RANK = {"high": 0, "medium": 1, "low": 2}


def _top_anomalies(items: list) -> list:
    """The :data:`TOP` anomalies to look at first: the most severe, then the largest amounts."""
    return sorted(items, key=lambda a: (SEVERITY_RANK.get(a.severity, 3), -a.amount))[:TOP]


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
