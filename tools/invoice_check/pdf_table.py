"""The lines table of an invoice PDF, read column by column from its header.

The header row (a description column and a quantity column) says which column holds what,
in whatever order the layout prints them. A row's figures are given to the numeric columns
left to right when there are as many of each (the order on the page is the header's order);
otherwise each figure goes to the column it sits under. Text goes to the description, except
a code printed before it (a reference column) or a word under a unit column. A line with
only text under the description, right after a row, continues that row's description.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from khazna.ledger.documents import DocLine
from khazna.money import MoneyError, parse_amount
from khazna.tools.invoice_check.pdf_find import CELL

# (kind, pattern on a header cell); the first that matches names the column.
_HEADER_KINDS: list[tuple[str, re.Pattern[str]]] = [
    ("skip", re.compile(r"t\.?t\.?c|montant\s+(?:de\s+(?:la\s+)?)?t\.?v\.?a|total\s+t\.?v\.?a", re.I)),
    ("desc", re.compile(r"d(?:é|e)signation|description|libell(?:é|e)|produit|prestation", re.I)),
    ("qty", re.compile(r"^(?:qt(?:é|e)s?|quantit(?:é|e)s?|qty|nbre|nombre)\b", re.I)),
    ("unit", re.compile(r"^(?:unit(?:é|e)s?|u\.?|u\.?m\.?)$", re.I)),
    ("pu", re.compile(r"^p\.?\s*u\b|prix\s+unit|unit\s+price|^prix(?:\s+h\.?t\.?)?$", re.I)),
    ("rate", re.compile(r"^(?:taux(?:\s+(?:de\s+)?t\.?v\.?a\.?)?|t\.?v\.?a\.?(?:\s*%)?|%\s*t\.?v\.?a\.?)$", re.I)),
    ("total", re.compile(r"total|montant|amount|^prix\s+total", re.I)),
    ("ref", re.compile(r"^(?:r(?:é|e)f(?:\.|(?:é|e)rence)?|code|n°|no\.?|item|#|article)$", re.I)),
]  # fmt: skip
_NUMERIC = re.compile(
    r"^[-+(]?\d[\d\s.,']*\)?\s*(?:%|DA|DZD|€|dinars?)?$|^-?\d+(?:[.,]\d+)?\s*%$", re.I
)
_END = re.compile(
    r"^(?:sous[\s-]?total|total|montant|net\s+(?:à|a)\s+payer|arr(?:ê|e)t|t\.?v\.?a\b|timbre|"
    r"remise|report|base\s+h\.?t)",
    re.I,
)
_NUMBER_KINDS = ("qty", "pu", "rate", "total")


@dataclass
class Column:
    kind: str
    start: int
    end: int


@dataclass
class Table:
    lines: list[DocLine] = field(default_factory=list)
    header: int | None = None  # index of the header line
    end: int | None = None  # index of the last row line


def _header(lines: list[str]) -> tuple[int, list[Column]] | None:
    for i, ln in enumerate(lines):
        if not (
            re.search(r"d(?:é|e)signation|description|libell(?:é|e)", ln, re.I)
            and re.search(r"qt(?:é|e)|quantit|qty", ln, re.I)
        ):
            continue
        cols = []
        for c in CELL.finditer(ln):
            kind = next((k for k, pat in _HEADER_KINDS if pat.search(c.group())), "skip")
            cols.append(Column(kind, c.start(), c.end()))
        if any(c.kind == "desc" for c in cols) and any(c.kind == "qty" for c in cols):
            return i, cols
    return None


def _overlap(a0: int, a1: int, col: Column) -> int:
    return min(a1, col.end + 2) - max(a0, col.start - 2)


def _nearest(a0: int, a1: int, cols: list[Column]) -> Column:
    mid = (a0 + a1) / 2
    return max(cols, key=lambda c: (_overlap(a0, a1, c), -abs(mid - (c.start + c.end) / 2)))


def _assign(ln: str, cols: list[Column]) -> tuple[dict[str, str], list[str]] | None:
    """({column kind: text}, description parts) for one row; None when two figures fall
    under one column (a row this reader cannot place)."""
    desc = next(c for c in cols if c.kind == "desc")
    has_ref = any(c.kind == "ref" for c in cols)
    numeric_cols = [c for c in cols if c.kind in _NUMBER_KINDS]
    numbers: list[re.Match[str]] = []
    texts: list[re.Match[str]] = []
    for m in CELL.finditer(ln):
        if m.end() <= desc.start:
            continue  # a code printed before the description (a reference column)
        (numbers if _NUMERIC.match(m.group()) else texts).append(m)
    if len(numbers) == len(numeric_cols):
        pairs = list(zip(numeric_cols, numbers, strict=True))
    else:
        pairs = [(_nearest(m.start(), m.end(), numeric_cols), m) for m in numbers]
    got: dict[str, str] = {}
    for col, m in pairs:
        if col.kind in got:
            return None
        got[col.kind] = m.group()
    parts = []
    unit = next((c for c in cols if c.kind == "unit"), None)
    for m in texts:
        text = m.group()
        if has_ref and m.start() < desc.start - 1 and " " in text:
            text = text.split(" ", 1)[1]  # the code and the description run together
        if unit and _overlap(m.start(), m.end(), unit) > _overlap(m.start(), m.end(), desc):
            got["unit"] = text
        else:
            parts.append(text)
    return got, parts


def _value(text: str | None):
    if not text:
        return None
    t = re.sub(r"(?i)\s*(?:%|DA|DZD|€|dinars?)\s*$", "", text.strip())
    try:
        return parse_amount(t)
    except MoneyError:
        return None


def read_table(lines: list[str]) -> Table:
    """The lines table under the first header that names a description and a quantity."""
    found = _header(lines)
    if found is None:
        return Table()
    start, cols = found
    if not any(c.kind in ("total", "pu") for c in cols):
        return Table(header=start)
    table = Table(header=start, end=start)
    last_row = None  # index of the previous row line, for a wrapped description
    for i in range(start + 1, len(lines)):
        ln = lines[i]
        first = CELL.search(ln)
        if first is None:
            last_row = None
            continue
        assigned = _assign(ln, cols)
        if assigned is None:
            continue
        got, parts = assigned
        if _END.match(first.group()) and "qty" not in got:
            break  # the totals under the table
        if not any(k in got for k in _NUMBER_KINDS):
            if last_row is not None and parts and table.lines:
                prev = table.lines[-1]
                prev.description = f"{prev.description or ''} {' '.join(parts)}".strip()
                last_row = i
            continue
        qty, pu, total = _value(got.get("qty")), _value(got.get("pu")), _value(got.get("total"))
        if not ((qty is not None and (pu is not None or total is not None)) or (parts and total)):
            continue
        table.lines.append(
            DocLine(
                description=" ".join(parts).strip() or None,
                quantity=qty,
                unit=got.get("unit"),
                unit_price_ht=pu,
                tva_rate=_value(got.get("rate")),
                total_ht=total,
            )
        )
        table.end = last_row = i
    return table
