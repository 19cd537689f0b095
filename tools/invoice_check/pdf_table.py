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
    ("desc", re.compile(r"d(?:é|e)signation|description|libell(?:é|e)|produit|prestation|^article|^nature|^d(?:é|e)tail|^objet", re.I)),
    ("qty", re.compile(r"^(?:qt(?:é|e)s?|quantit(?:é|e)s?|qty|nbre|nombre|q)\b\.?", re.I)),
    ("unit", re.compile(r"^(?:unit(?:é|e)s?|u\.?|u\.?m\.?|conditionnement)$", re.I)),
    ("pu", re.compile(r"^p\.?\s*u\b|prix\s+u(?:nit(?:aire)?)?\b\.?|unit\s+price|^px\s+u|^prix(?:\s+h\.?t\.?)?$|^tarif", re.I)),
    ("rate", re.compile(r"^(?:taux(?:\s+(?:de\s+)?t\.?v\.?a\.?)?|(?:t\.?v\.?a|v\.?a\.?t)\.?(?:\s*(?:%|rate))?|%\s*(?:t\.?v\.?a|v\.?a\.?t)\.?|(?:tva|vat)\s*\(%\)|tax\s+rate)$", re.I)),
    ("total", re.compile(r"total|montant|amount|^prix\s+total|^valeur", re.I)),
    ("ref", re.compile(r"^(?:r(?:é|e)f(?:\.|(?:é|e)rence)?|code|n°|no\.?|item|#|article|n°\s*ordre)$", re.I)),
]  # fmt: skip
_NUMERIC = re.compile(
    r"^(?:(?:DA|DZD)\s?)?[-+(]?\d[\d\s.,']*\)?\s*(?:%|DA|DZD|€|dinars?)?$|^-?\d+(?:[.,]\d+)?\s*%$",
    re.I,
)
_END = re.compile(
    r"^(?:sous[\s-]?total|total|montant|net\s+(?:à|a)\s+payer|arr(?:ê|e)t|t\.?v\.?a\b|timbre|"
    r"remise|report|base\s+h\.?t)",
    re.I,
)
# The sentence of the amount in words, printed left of the totals on their rows: the
# table has ended.
_WORDS_SENTENCE = re.compile(
    r"arr(?:ê|e)t(?:é|e)e?s?\b|pr(?:é|e)sente\s+facture|soit\s+(?:la\s+somme|un\s+montant)",
    re.I,
)
# A subtotal carried to the next page ("À reporter", "Report", "Total à reporter"): the
# table goes on under the same header on the next page.
_CARRIED = re.compile(
    r"^(?:total\s+)?(?:(?:à|a)\s+reporter|report(?:é|e)?|report\s+(?:de\s+la\s+)?page)\b"
    r"|^sous[\s-]?total\s+(?:page|(?:à|a)\s+reporter)"
    r"|^(?:\.{2,}|…)?\s*(?:suite\s+(?:(?:(?:à|a)\s+la\s+|en\s+)?page\s+suivante|au\s+verso)|"
    r"(?:à|a)\s+suivre)\b",
    re.I,
)
_NUMBER_KINDS = ("qty", "pu", "rate", "total")
_CODE = re.compile(r"^(?=\S*\d)[A-Z0-9][A-Za-z0-9\-_/.]*$")


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
    # where the table's first known column starts, when the header has a wide margin of
    # something else on its left (a sidebar of the seller's mentions beside the table)
    left: int = 0


def _header(lines: list[str]) -> tuple[int, list[Column]] | None:
    """The first line whose cells name a description column and a figure column."""
    for i, ln in enumerate(lines):
        cols = []
        for c in CELL.finditer(ln):
            kind = next((k for k, pat in _HEADER_KINDS if pat.search(c.group())), "skip")
            cols.append(Column(kind, c.start(), c.end()))
        kinds = [c.kind for c in cols]
        if (
            "desc" in kinds
            and len([k for k in kinds if k != "skip"]) >= 3
            and any(k in kinds for k in ("qty", "pu"))
            and any(k in kinds for k in ("pu", "total"))
        ):
            return i, cols
    return None


def _distance(a0: int, a1: int, col: Column) -> float:
    """0 when the cell overlaps the column's header (by more, the better); else the gap."""
    ov = min(a1, col.end + 2) - max(a0, col.start - 2)
    if ov > 0:
        return -ov
    return float(max(col.start - a1, a0 - col.end))


def _nearest(a0: int, a1: int, cols: list[Column]) -> Column:
    mid = (a0 + a1) / 2
    return min(cols, key=lambda c: (_distance(a0, a1, c), abs(mid - (c.start + c.end) / 2)))


def _assign(ln: str, cols: list[Column], left: int = 0) -> tuple[dict[str, str], list[str]] | None:
    """({column kind: text}, description parts) for one row, each cell to the column it
    sits under (figures to the figure columns in their order when there are as many of
    each); None when two figures fall under one column (a row this reader cannot place)."""
    numeric_cols = [c for c in cols if c.kind in _NUMBER_KINDS]
    placed = [c for c in cols if c.kind in (*_NUMBER_KINDS, "desc", "unit", "ref")]
    numbers: list[re.Match[str]] = []
    got: dict[str, str] = {}
    parts: list[str] = []
    for m in CELL.finditer(ln):
        if m.end() < left:
            continue  # a side column beside the table, not one of its cells
        col = _nearest(m.start(), m.end(), placed)
        numeric = bool(_NUMERIC.match(m.group()))
        if col.kind == "ref" and (numeric or _CODE.match(m.group())):
            continue  # a line number or a product code
        if numeric and col.kind != "desc":
            numbers.append(m)
        elif col.kind == "unit" and not numeric:
            got["unit"] = m.group()
        elif col.kind == "ref":
            text = m.group()
            parts.append(text.split(" ", 1)[1] if " " in text else text)
        else:
            parts.append(m.group())
    if not numeric_cols:
        return got, parts
    if len(numbers) == len(numeric_cols):
        pairs = list(zip(numeric_cols, numbers, strict=True))
    else:
        pairs = [(_nearest(m.start(), m.end(), numeric_cols), m) for m in numbers]
    for col, m in pairs:
        if col.kind in got:
            return None
        got[col.kind] = m.group()
    return got, parts


def _value(text: str | None):
    if not text:
        return None
    t = re.sub(r"(?i)\s*(?:%|DA|DZD|€|dinars?)\s*$", "", text.strip())
    t = re.sub(r"^(?:DA|DZD)\s*", "", t)  # "DA 3 500,20": the currency first
    try:
        return parse_amount(t)
    except MoneyError:
        return None


_FIGURE_TAIL = re.compile(r"^\d{3}(?:[ .]\d{3})*(?:[.,]\d{1,2})?(?:\s*(?:DA|DZD))?$")


def _wrapped_figure(lines: list[str], i: int, got: dict[str, str], cols: list[Column]) -> bool:
    """Whether the row's amount runs on to the next line: a narrow column wraps "4 032" /
    "012,00" (the amount has no decimals yet, the next line holds only three-digit groups
    under the same column)."""
    value = got.get("total")
    if not value or re.search(r"[.,]\d{1,2}\s*(?:DA|DZD)?$", value) or i + 1 >= len(lines):
        return False
    cells = list(CELL.finditer(lines[i + 1]))
    if len(cells) != 1 or not _FIGURE_TAIL.match(cells[0].group()):
        return False
    col = _nearest(cells[0].start(), cells[0].end(), cols)
    return col.kind == "total"


_SUBTOTAL = re.compile(r"^(?:sous[\s-]?total|total\s+(?:partiel|section))\b", re.I)


def _rows_follow(lines: list[str], i: int, cols: list[Column], left: int = 0) -> bool:
    """Whether table rows (a quantity and a price or an amount) come after line ``i``
    before any totals label: a sub-total closing one section of the table ("Sous-total
    pièces" then the labour's rows), not the table's end."""
    for k in range(i + 1, min(len(lines), i + 9)):
        first = CELL.search(lines[k])
        if first is None:
            continue
        if _END.match(first.group()) or _WORDS_SENTENCE.search(lines[k]):
            return False
        assigned = _assign(lines[k], cols, left)
        if assigned is None:
            continue
        got = assigned[0]
        if _value(got.get("qty")) is not None and (
            _value(got.get("pu")) is not None or _value(got.get("total")) is not None
        ):
            return True
    return False


def _sidebar(cols: list[Column]) -> int:
    """The column left of which the table's rows hold a side column of their own: header
    cells the reader does not know (``BANQUE``), 15 columns or more before the first one it
    knows. 0 when the table starts at the margin."""
    known = [c for c in cols if c.kind != "skip"]
    if not known:
        return 0
    first = min(c.start for c in known)
    before = [c for c in cols if c.end <= first]
    if before and first - max(c.end for c in before) >= 15:
        return first - 2
    return 0


def read_table(lines: list[str]) -> Table:
    """The lines table under the first header that names a description and a quantity."""
    found = _header(lines)
    if found is None:
        return Table()
    start, cols = found
    if not any(c.kind in ("total", "pu") for c in cols):
        return Table(header=start)
    table = Table(header=start, end=start, left=_sidebar(cols))
    last_row = None  # index of the previous row line, for a wrapped description
    i = start
    while i + 1 < len(lines):
        i += 1
        ln = lines[i]
        first = CELL.search(ln)
        if first is None:
            last_row = None
            continue
        cells = list(CELL.finditer(ln))
        if len(cells) <= 2 and any(_CARRIED.match(c.group()) for c in cells):
            again = _header(lines[i + 1 :])
            if again is None:
                break
            i, cols, last_row = i + 1 + again[0], again[1], None
            continue
        assigned = _assign(ln, cols, table.left)
        if assigned is None:
            continue
        got, parts = assigned
        if "qty" not in got and (
            _END.match(first.group())
            or any(_END.match(c.group()) or _WORDS_SENTENCE.search(c.group())
                   for c in CELL.finditer(ln))
        ):  # fmt: skip
            if _SUBTOTAL.match(first.group()) and _rows_follow(lines, i, cols, table.left):
                last_row = None  # a section's sub-total: more rows of the table follow
                continue
            break  # the totals under the table (a totals label in any cell of the row)
        if not any(k in got for k in _NUMBER_KINDS):
            if last_row is not None and parts and table.lines:
                prev = table.lines[-1]
                prev.description = f"{prev.description or ''} {' '.join(parts)}".strip()
                last_row = i
            continue
        if _wrapped_figure(lines, i, got, cols):
            got["total"] = f"{got['total']} {lines[i + 1].strip()}"
            i += 1
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
