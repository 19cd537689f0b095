"""Money: Decimal end to end, formatted the fr-DZ way (``1 234 567,89 DA``).

Amounts are never binary floats. Parsing accepts what people and banks write
(``1 234,50``, ``1.234,50``, ``-1234.5``, ``1234,50 DA``); formatting gives the CLDR
fr-DZ form with a narrow no-break space (U+202F) between groups.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
NNBSP = "\u202f"

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")


class MoneyError(ValueError):
    """A text that cannot be read as an amount."""


def q2(value: Decimal | int | str) -> Decimal:
    """Round to centimes, half up (the accountant's rounding)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def parse_plain(text: str) -> Decimal:
    """Parse a bundle amount: decimal point, no separators, at most two decimals."""
    t = text.strip()
    if not re.fullmatch(r"[+-]?\d+(\.\d{1,2})?", t):
        raise MoneyError(
            f"pas un montant avec un point décimal et deux décimales au plus : {text!r}"
        )
    return Decimal(t)


def parse_amount(text: str, decimal_sep: str | None = None) -> Decimal:
    """Parse an amount as written by a person or a bank export.

    ``decimal_sep`` forces the decimal separator (``","`` or ``"."``); when None it is
    guessed: the last of ``,``/``.`` followed by one or two digits is the decimal mark.
    """
    t = text.strip()
    if not t:
        raise MoneyError("empty amount")
    t = re.sub(r"(?i)\s*(da|dzd|dinars?|د\.?ج)\s*$", "", t)
    negative = False
    if t.startswith("(") and t.endswith(")"):
        negative, t = True, t[1:-1]
    t = _SPACES.sub("", t)
    if t.endswith("-"):
        negative, t = not negative, t[:-1]
    if t[:1] in ("+", "-"):
        negative, t = (t[0] == "-") != negative, t[1:]
    if decimal_sep is None:
        m = re.search(r"[.,](\d{1,2})$", t)
        decimal_sep = t[m.start()] if m and t.count(t[m.start()]) == 1 else ""
    units, _, fraction = (
        t.rpartition(decimal_sep) if decimal_sep and decimal_sep in t else (t, "", "")
    )
    if decimal_sep and decimal_sep in t and not fraction.isdigit():
        raise MoneyError(f"pas un montant : {text!r}")
    grouping = [g for g in ",." if g != decimal_sep]
    for g in grouping:
        if g in units:
            # grouping marks must group by three: 1.234.567 or 1,234
            if not re.fullmatch(rf"\d{{1,3}}(\{g}\d{{3}})+", units):
                raise MoneyError(f"pas un montant : {text!r}")
            units = units.replace(g, "")
    t = f"{units}.{fraction}" if fraction else units
    if not re.fullmatch(r"\d+(\.\d+)?", t):  # no exponent, no NaN or Infinity
        raise MoneyError(f"pas un montant : {text!r}")
    try:
        value = Decimal(t)
    except InvalidOperation as exc:  # pragma: no cover - guarded by the regex
        raise MoneyError(f"pas un montant : {text!r}") from exc
    return -value if negative else value


def format_dzd(value: Decimal | int, symbol: str = "DA") -> str:
    """``Decimal('1234567.891')`` → ``'1 234 567,89 DA'`` (U+202F between groups)."""
    if isinstance(value, float):  # a float near money is a bug: refuse it loudly
        raise TypeError("money must be Decimal, not float")
    d = q2(value)
    sign = "-" if d < 0 else ""
    units, cents = f"{abs(d):.2f}".split(".")
    groups: list[str] = []
    while units:
        groups.insert(0, units[-3:])
        units = units[:-3]
    body = NNBSP.join(groups) + "," + cents
    return f"{sign}{body} {symbol}" if symbol else f"{sign}{body}"


def to_json_number(value: Decimal) -> float | int:
    """A JSON number with at most two decimals (the CLI contract).

    JSON has no decimal type; this is the one place a Decimal turns into a number,
    rounded to centimes first, so the printed text is exact.
    """
    d = q2(value)
    if d == d.to_integral_value():
        return int(d)
    return float(d)


def jsonable(obj: Any) -> Any:
    """The JSON form of a value: Decimals numbers with at most two decimals, dates ISO
    strings, pydantic models their fields (the CLI's ``--json`` contract)."""
    if isinstance(obj, Decimal):
        return to_json_number(obj)
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple | set | frozenset):
        return [jsonable(v) for v in obj]
    if hasattr(obj, "model_dump"):
        return jsonable(obj.model_dump(mode="python"))
    return obj


def nice_ticks(lo: Decimal, hi: Decimal, count: int = 4) -> list[Decimal]:
    """A chart axis's round values (1, 2, 2,5 or 5 × 10ⁿ apart) covering [lo, hi], about ``count`` of them."""
    span = hi - lo or Decimal(1)
    raw = span / count
    power = Decimal(10) ** (len(str(int(raw))) - 1) if raw >= 1 else Decimal(1)
    step = next(m * power for m in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))
                if m * power >= raw)  # fmt: skip
    first = (lo / step).to_integral_value(rounding="ROUND_FLOOR") * step
    ticks, v = [], first
    while v <= hi + step / 2:
        ticks.append(v)
        v += step
    return ticks
