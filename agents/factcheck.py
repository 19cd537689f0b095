"""Checking a model's text against the facts it was given.

The model writes words; the code computes figures. After the model writes, every amount,
date, count, percentage, invoice number and e-mail address found in its text must be one of
the facts, and the required facts must all appear. :func:`check_text` returns the problems
as values; the writers retry once with them, then fall back to the template writer.

Read forms: French amounts (``1 234 567,89 DA``, ``1.234.567,89``, ``1234567.89``, ``دج``),
dates ``dd/mm/yyyy`` (``-`` or ``.`` too), ISO dates, ``12 octobre 2026``, ``1er octobre
2026``, Arabic month names (Maghreb and Mashriq), invoice numbers ``F2026-0142``, e-mail
addresses, and Arabic-Indic digits (``١٢٣``, ``۱۲۳``) with the Arabic decimal and thousands
separators.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field

from khazna import months
from khazna.money import MoneyError, format_dzd, parse_amount, q2

FactKind = Literal["amounts", "dates", "counts", "rates", "ids", "names", "emails"]
_KINDS: tuple[FactKind, ...] = ("amounts", "dates", "counts", "rates", "ids", "names", "emails")


class Facts(BaseModel):
    """What a text may state, by kind. A value may be one item or a list of items."""

    amounts: dict[str, Decimal | list[Decimal]] = Field(default_factory=dict)
    dates: dict[str, date | list[date]] = Field(default_factory=dict)
    counts: dict[str, int | list[int]] = Field(default_factory=dict)
    rates: dict[str, Decimal | list[Decimal]] = Field(default_factory=dict, description="percent")
    ids: dict[str, str | list[str]] = Field(default_factory=dict, description="invoice numbers…")
    names: dict[str, str | list[str]] = Field(default_factory=dict)
    emails: dict[str, str | list[str]] = Field(default_factory=dict)

    def kind_of(self, key: str) -> FactKind | None:
        for kind in _KINDS:
            if key in getattr(self, kind):
                return kind
        return None

    def values(self, kind: FactKind, key: str | None = None) -> list:
        """Every value of ``kind`` (lists flattened), or only those under ``key``."""
        table = getattr(self, kind)
        items = [table[key]] if key is not None else list(table.values())
        out: list = []
        for item in items:
            out.extend(item if isinstance(item, list) else [item])
        return out

    def keys(self) -> list[str]:
        return [k for kind in _KINDS for k in getattr(self, kind)]


ProblemKind = Literal[
    "unknown_amount",
    "unknown_date",
    "unknown_number",
    "unknown_rate",
    "unknown_invoice",
    "unknown_email",
    "missing_required",
    "empty_text",
]


class Problem(BaseModel):
    kind: ProblemKind
    found: str
    message: str


# --- normalising -------------------------------------------------------------------------

_DIGITS: dict[int, str | None] = {ord(c): str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")}
_DIGITS.update({ord(c): str(i) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")})
_DIGITS.update({0x066B: ",", 0x066C: " ", 0x2212: "-", 0x00A0: " ", 0x202F: " ", 0x2009: " "})
_DIGITS.update({0x200F: None, 0x200E: None, 0x061C: None})  # bidi marks
_DIGITS.update({c: None for c in range(0x2066, 0x206A)})  # isolates (khazna.text.isolate_latin)


def normalise(text: str) -> str:
    """Western digits, plain spaces and no bidi marks; lengths may change."""
    return text.translate(_DIGITS)


# --- what the text states ------------------------------------------------------------------

_MONTHS = months.MONTHS
_MONTH_ALT = months.alternation(_MONTHS)

# An invoice number stands between anything but Latin letters, digits or "_": an Arabic letter
# may touch it ("F2026-0001 وF2026-0002": the conjunction is written attached), where "\b"
# would not see the second number.
_INVOICE = re.compile(r"(?<![^\W\u0600-\u06ff])F\d{4}-\d+(?![^\W\u0600-\u06ff])", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_DATE_NUM = re.compile(r"(?<![\d/.-])(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?![\d/-])")
_DATE_ISO = re.compile(r"(?<![\d/.-])(\d{4})-(\d{2})-(\d{2})(?![\d/-])")
_DATE_WORDS = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:er|ère)?\s+(?:de\s+|d['’])?({_MONTH_ALT})\s*,?\s+(\d{{4}})(?!\d)",
    re.IGNORECASE,
)
_CURRENCY = r"(?:\s?(?:DA|DZD|dinars?|دج|د\.ج\.?|دينارا?)(?!\w))"
_NUMBER = re.compile(
    rf"(?<![\w,.])(\d{{1,3}}(?:[ .,]\d{{3}})+(?:[.,]\d{{1,2}})?|\d+(?:[.,]\d{{1,2}})?)"
    rf"(?!\d)(?P<unit>{_CURRENCY}|\s?%)?",
    re.IGNORECASE,
)


MentionKind = Literal["amount", "date", "number", "rate", "invoice", "email"]


class Mention(BaseModel):
    kind: MentionKind
    text: str
    value: Decimal | date | str


def _blank(text: str, span: tuple[int, int]) -> str:
    a, b = span
    return text[:a] + " " * (b - a) + text[b:]


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def extract_mentions(text: str, facts: Facts | None = None) -> list[Mention]:
    """Every figure-like thing in ``text``. The literal names and ids of ``facts`` are masked
    first, so the digits inside "SARL 2M Bâtiment" are not read as a count."""
    t = normalise(text)
    if facts is not None:
        for literal in sorted(
            (normalise(v) for v in facts.values("names") + facts.values("ids") if v),
            key=len,
            reverse=True,
        ):
            for m in re.finditer(rf"(?<![\w-]){re.escape(literal)}(?![\w-])", t, re.IGNORECASE):
                t = _blank(t, m.span())
    out: list[Mention] = []
    for m in _INVOICE.finditer(t):
        out.append(Mention(kind="invoice", text=m.group(0), value=m.group(0).upper()))
        t = _blank(t, m.span())
    for m in _EMAIL.finditer(t):
        out.append(Mention(kind="email", text=m.group(0), value=m.group(0).lower()))
        t = _blank(t, m.span())
    for m in _DATE_WORDS.finditer(t):
        d = _safe_date(
            int(m.group(3)), (months.month_number(m.group(2), _MONTHS) or 0), int(m.group(1))
        )
        if d:
            out.append(Mention(kind="date", text=m.group(0), value=d))
            t = _blank(t, m.span())
    for pattern, order in ((_DATE_ISO, (1, 2, 3)), (_DATE_NUM, (3, 2, 1))):
        for m in pattern.finditer(t):
            y, mo, d_ = (int(m.group(i)) for i in order)
            d = _safe_date(y, mo, d_)
            if d:
                out.append(Mention(kind="date", text=m.group(0), value=d))
                t = _blank(t, m.span())
    for m in _NUMBER.finditer(t):
        number, unit = m.group(1), (m.group("unit") or "").strip()
        try:
            amount = parse_amount(number)
        except MoneyError:
            continue
        kind: MentionKind
        if unit == "%":
            kind = "rate"
        elif unit or re.search(r"[.,]\d{1,2}$", number) or re.search(r"\d[ .,]\d{3}", number):
            kind = "amount"
        else:
            kind = "number"
        out.append(Mention(kind=kind, text=m.group(0).strip(), value=amount))
    return out


# --- checking ------------------------------------------------------------------------------


def _amount_set(facts: Facts) -> set[Decimal]:
    return {abs(q2(v)) for v in facts.values("amounts")}


def check_text(text: str, facts: Facts, required: Iterable[str] = ()) -> list[Problem]:
    """The problems of ``text`` against ``facts``: unknown figures, then missing required facts.

    A plain integer must be a count, an amount, a rate, or the year of a date fact; an amount
    (a decimal part, grouping, or a currency) must be an amount fact to the centime.
    """
    if not text or not text.strip():
        return [Problem(kind="empty_text", found="", message="the text is empty")]
    mentions = extract_mentions(text, facts)
    amounts = _amount_set(facts)
    dates = set(facts.values("dates"))
    counts = {Decimal(v) for v in facts.values("counts")}
    rates = {q2(v) for v in facts.values("rates")}
    years = {Decimal(d.year) for d in dates}
    invoices = {str(v).upper() for v in facts.values("ids")}
    emails = {str(v).lower() for v in facts.values("emails")}
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()

    def add(kind: ProblemKind, found: str, message: str) -> None:
        if (kind, found) not in seen:
            seen.add((kind, found))
            problems.append(Problem(kind=kind, found=found, message=message))

    for m in mentions:
        v = m.value
        if isinstance(v, date):
            if v not in dates:
                add("unknown_date", m.text, f"date {m.text} is not among the facts")
        elif isinstance(v, str):
            if m.kind == "invoice" and v not in invoices:
                add("unknown_invoice", m.text, f"invoice number {m.text} is not among the facts")
            elif m.kind == "email" and v not in emails:
                add("unknown_email", m.text, f"e-mail address {m.text} is not among the facts")
        elif m.kind == "amount" and abs(q2(v)) not in amounts:
            add("unknown_amount", m.text, f"amount {m.text} is not among the facts")
        elif m.kind == "rate" and q2(v) not in rates:
            add("unknown_rate", m.text, f"percentage {m.text} is not among the facts")
        elif m.kind == "number" and not (
            v in counts or abs(v) in amounts or v in years or q2(v) in rates
        ):
            add("unknown_number", m.text, f"number {m.text} is not among the facts")
    for key in required:
        for missing in _missing(key, facts, text, mentions):
            add("missing_required", missing, f"required fact '{key}' ({missing}) is missing")
    return problems


def _missing(key: str, facts: Facts, text: str, mentions: list[Mention]) -> Iterator[str]:
    kind = facts.kind_of(key)
    if kind is None:
        raise KeyError(f"required fact {key!r} is not among the facts")
    said: dict[str, set[Any]] = {}
    for m in mentions:
        said.setdefault(m.kind, set()).add(m.value)
    for value in facts.values(kind, key):
        if kind == "amounts":
            ok = any(abs(q2(v)) == abs(q2(value)) for v in said.get("amount", set()))
            ok = ok or (value == value.to_integral_value() and abs(value) in said.get("number", ()))
            shown = format_dzd(value)
        elif kind == "dates":
            ok, shown = value in said.get("date", ()), value.strftime("%d/%m/%Y")
        elif kind == "counts":
            ok, shown = Decimal(value) in said.get("number", ()), str(value)
        elif kind == "rates":
            ok, shown = q2(value) in {q2(v) for v in said.get("rate", ())}, f"{value} %"
        elif kind == "emails":
            ok, shown = str(value).lower() in normalise(text).lower(), str(value)
        else:  # ids and names: the literal text, case-insensitively
            ok, shown = normalise(str(value)).lower() in normalise(text).lower(), str(value)
        if not ok:
            yield shown
