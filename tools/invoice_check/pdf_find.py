"""Finding a labelled value in PDF text laid out in columns.

A value is looked for right after its label on the same line, or, when the label ends its
cell, in the cell just below it (a table header with the value underneath). Cells are runs of
text separated by two spaces or more, as pypdf's layout mode keeps the columns.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from khazna import months
from khazna.money import MoneyError, parse_amount

CELL = re.compile(r"\S+(?: \S+)*")
_SEP = r"[\s:#°º.\-]*"
# A figure next to a "%" on either side is a rate, not an amount ("19 %", and "%19" as an
# Arabic label's right-to-left run prints it).
AMOUNT = re.compile(
    r"(?<![\d.,%])(?<!% )-?(?:\d{1,3}(?:(?:[ .,']\d{3})+)(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)(?![\d%])(?!\s?%)"
)
_CODE = re.compile(r"(?<!\S)(?!(?:eur|usd|dzd|da|rs|inr)\.?\d)[^\s\d]*[A-Za-z]-?\d\S*", re.I)
_CURRENCY_WORDS = {"eur", "usd", "dzd", "da", "ttc", "ht", "rs", "inr", "on", "sur", "dinars", "€"}

_MONTHS = months.ALL
_MONTH_RE = months.alternation(_MONTHS)
DATE = re.compile(
    r"(?P<iso>\d{4}-\d{2}-\d{2})"
    r"|(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4}|\d{2})(?!\d)"
    rf"|(?P<d2>\d{{1,2}})\.?(?:er)?\s+(?P<mon>{_MONTH_RE})\.?\s+(?P<y2>\d{{4}})"
    rf"|(?P<mon3>{_MONTH_RE})\.?\s+(?P<d3>\d{{1,2}})\s*,\s*(?P<y3>\d{{4}})",
    re.IGNORECASE,
)


def parse_date(text: str) -> date | None:
    """The first date in ``text``: ISO, dd/mm/yyyy (mm/dd when the day cannot be a
    month), "7. Mai 2014", "02 Juillet 2015", "August 3, 2014"."""
    for m in DATE.finditer(text):
        try:
            if m["iso"]:
                return date.fromisoformat(m["iso"])
            if m["d"]:
                d, mo, y = int(m["d"]), int(m["m"]), int(m["y"])
                y = y + 2000 if y < 100 else y
                if mo > 12 and d <= 12:
                    d, mo = mo, d
                return date(y, mo, d)
            if m["d2"]:
                return date(int(m["y2"]), (months.month_number(m["mon"]) or 0), int(m["d2"]))
            return date(int(m["y3"]), (months.month_number(m["mon3"]) or 0), int(m["d3"]))
        except (ValueError, KeyError):
            continue
    return None


def amounts_in(text: str) -> list[Decimal]:
    """Amounts in the first cells of ``text``, stopping at the first wordy cell after one."""
    found: list[Decimal] = []
    for cell in CELL.finditer(text):
        c = cell.group()
        words = [w for w in re.findall(r"[A-Za-zÀ-ÿ€]{2,}", c) if w.lower() not in _CURRENCY_WORDS]
        codes = _CODE.findall(c)  # "N° F2026-0880": a reference, not an amount
        words += codes
        values = AMOUNT.findall(_CODE.sub(" ", c) if codes else c)
        if words and found:
            break
        for v in values:
            try:
                found.append(parse_amount(v))
            except MoneyError:
                continue
        if words and found:
            break
    return found


def cell_below(lines: list[str], i: int, start: int, end: int, depth: int = 3) -> str | None:
    """The cell under columns [start, end) in the next non-empty lines."""
    seen = 0
    for j in range(i + 1, min(len(lines), i + 1 + depth * 2)):
        if not lines[j].strip():
            continue
        seen += 1
        best, overlap = None, 0
        for c in CELL.finditer(lines[j]):
            ov = min(end + 2, c.end()) - max(start - 2, c.start())
            if ov > overlap:
                best, overlap = c.group(), ov
        if best is not None:
            return best
        if seen >= depth:
            break
    return None


def find(
    lines: list[str],
    labels: list[str],
    value: re.Pattern[str] | None = None,
    *,
    last: bool = False,
    below: bool = True,
    convert=None,
):
    """The value after (or below) the first label of ``labels`` that has one.

    ``convert(text)`` turns the text after the label into the value (None = not there);
    by default the match of ``value``. With ``last`` the last occurrence of a label wins.
    """

    def conv(text: str):
        if convert is not None:
            return convert(text)
        m = value.match(text) if value is not None else None
        return m.group(0) if m else None

    for label in labels:
        pat = re.compile(label, re.IGNORECASE)
        hits = []
        for i, line in enumerate(lines):
            for m in pat.finditer(line):
                rest = re.sub(rf"^{_SEP}", "", line[m.end() :])
                got = conv(rest) if rest.strip() else None
                if got is None and below and not _same_cell_text(line, m.end()):
                    under = cell_below(lines, i, m.start(), m.end())
                    got = conv(under) if under else None
                if got is not None:
                    hits.append(got)
                    if not last:
                        return got
        if hits:
            return hits[-1]
    return None


def _same_cell_text(line: str, pos: int) -> bool:
    """True when the label's cell goes on with other words (so nothing is 'below' it)."""
    rest = line[pos:]
    m = re.match(r"[\s:#°.]*", rest)
    after = rest[m.end() if m else 0 :]
    return bool(after) and not rest.startswith("  ") and not re.match(r"[:#°.]?\s{2,}", rest)
