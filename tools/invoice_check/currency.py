"""The currency an invoice is written in, read from the shapes its amounts carry.

One table of shapes per currency (a symbol, the ISO code, the name in words); the
currency is the one whose shapes the page shows most often. A page showing none is in
dinars (an Algerian invoice may print bare amounts). Only the dinar gets the checks
proper to it (stamp duty, Algerian VAT rates, amount in words in dinars).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

DINAR = "DZD"

# ISO code → the shapes that say it. Codes and symbols are case-sensitive (« DA », « EUR »
# in capitals: « da » and « eur » are parts of words); names are not.
_SHAPES: dict[str, list[str]] = {
    "DZD": [r"\bDZD\b", r"(?<![\w.])DA\b", r"دج", r"\bdinars?\b(?!\s+(?:tunisiens?|koweïtiens?))"],
    "EUR": [r"€", r"\bEUR\b", r"\beuros?\b"],
    "USD": [r"US\$", r"\$", r"\bUSD\b", r"\bdollars?\b"],
    "GBP": [r"£", r"\bGBP\b", r"\bpounds?\s+sterling\b"],
    "CHF": [r"\bCHF\b"],
    "INR": [r"₹", r"\bINR\b", r"\bRs\.?(?=\s*\d)", r"\brupees?\b"],
    "TND": [r"\bTND\b", r"\bdinars?\s+tunisiens?\b"],
    "MAD": [r"\bMAD\b", r"\bdirhams?\b"],
}
_NAMES = re.compile(r"\\b[a-z]")  # a pattern starting with a lower-case word: a name


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE if _NAMES.match(pattern) else 0)


_COMPILED = {code: [_compile(p) for p in shapes] for code, shapes in _SHAPES.items()}


def currency_counts(lines: Iterable[str]) -> dict[str, int]:
    """How many times each currency's shapes occur on the page (``US$`` counted once)."""
    text = "\n".join(lines)
    counts: dict[str, int] = {}
    for code, patterns in _COMPILED.items():
        n = 0
        for pattern in patterns:
            n += len(pattern.findall(text))
            text = pattern.sub(" ", text) if code == "USD" else text  # « US$ » is not also « $ »
        if n:
            counts[code] = n
    return counts


def read_currency(lines: Iterable[str]) -> str:
    """The ISO code of the currency the page shows most; the dinar when it shows none or
    when the dinar ties with another."""
    counts = currency_counts(lines)
    if not counts:
        return DINAR
    best = max(counts.values())
    if counts.get(DINAR) == best:
        return DINAR
    return max(counts, key=lambda code: counts[code])


def foreign_currency_note(currency: str) -> str:
    """What the owner reads once, before the findings of an invoice not in dinars."""
    return (
        f"facture en {currency} : montants non convertis ; "
        "contrôles propres au dinar non appliqués (droit de timbre, taux de TVA algériens, "
        "montant en lettres en dinars)"
    )
