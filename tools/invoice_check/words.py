"""French amounts in words, read back to a Decimal.

``words_to_amount("un million deux cent trente-quatre mille cinq cent soixante-sept dinars
algériens et quatre-vingt-neuf centimes") == Decimal("1234567.89")``. The inverse is
:func:`khazna.words.amount_in_words`.
"""

from __future__ import annotations

import re
from decimal import Decimal

from khazna.text import fold

_UNITS = {
    "zero": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
    "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13,
    "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20, "trente": 30,
    "quarante": 40, "cinquante": 50, "soixante": 60, "septante": 70, "huitante": 80,
    "octante": 80, "nonante": 90,
}  # fmt: skip
_SCALES = {"mille": 10**3, "mil": 10**3, "million": 10**6, "millions": 10**6,
           "milliard": 10**9, "milliards": 10**9}  # fmt: skip
_CURRENCY = {"dinar", "dinars", "da", "dzd"}
_CENTIMES = {"centime", "centimes", "cts", "ct"}
# Words allowed inside or after the amount that carry no value.
_FILLERS = {"et", "de", "d", "algerien", "algeriens", "algerienne", "algeriennes",
            "seulement", "toutes", "taxes", "comprises", "ttc", "hors", "taxe", "ht"}  # fmt: skip
_NUMBER_WORDS = set(_UNITS) | set(_SCALES) | {"cent", "cents"}
# Every word an amount in words may hold (number words, currency, centimes, fillers).
AMOUNT_WORDS = _NUMBER_WORDS | _CURRENCY | _CENTIMES | _FILLERS | {"moins"}
NUMBER_WORDS = frozenset(_NUMBER_WORDS)


def _normalise(text: str) -> list[str]:
    t = fold(text)
    t = re.sub(r"[^a-z0-9]+", " ", t)
    return t.split()


def _parse_int(tokens: list[str]) -> int | None:
    """The value of a run of number words; None when a word is not one."""
    if not any(t in _NUMBER_WORDS for t in tokens):
        return None
    total, group, prev = 0, 0, ""
    for tok in tokens:
        if tok in _FILLERS:
            continue
        if tok in ("vingt", "vingts") and prev == "quatre" and group % 10 == 4:
            group += 76  # quatre-vingt(s) = 4 × 20
        elif tok in _UNITS:
            group += _UNITS[tok]
        elif tok in ("cent", "cents"):
            if group >= 100:
                return None
            group = (group or 1) * 100
        elif tok in _SCALES:
            scale = _SCALES[tok]
            total += (group or 1) * scale
            group = 0
        else:
            return None
        prev = tok
    return total + group


def words_to_amount(text: str) -> Decimal | None:
    """The amount written in French words in ``text``, or None when it cannot be read.

    Leading words before the first number word are skipped ("Arrêtée la présente facture
    à la somme de : ..."); the dinars end at "dinars"/"DA", the centimes at "centimes".
    """
    tokens = _normalise(text)
    start = next((i for i, t in enumerate(tokens) if t in _NUMBER_WORDS), None)
    if start is None:
        return None
    negative = "moins" in tokens[:start]
    tokens = tokens[start:]
    value = _amount(tokens)
    return -value if negative and value is not None else value


def _amount(tokens: list[str]) -> Decimal | None:
    cur = next((i for i, t in enumerate(tokens) if t in _CURRENCY), None)
    if cur is None:
        cents_at = next((i for i, t in enumerate(tokens) if t in _CENTIMES), None)
        if cents_at is not None:  # "quarante centimes" alone
            cents = _parse_int(tokens[:cents_at])
            return None if cents is None or cents > 99 else Decimal(cents) / 100
        units = _parse_int(tokens)
        return None if units is None else Decimal(units)
    units = _parse_int(tokens[:cur])
    if units is None:
        return None
    rest = [t for t in tokens[cur + 1 :] if t not in _FILLERS and t not in _CURRENCY]
    if not rest:
        return Decimal(units)
    cents_at = next((i for i, t in enumerate(rest) if t in _CENTIMES), None)
    if cents_at is None:
        return None
    cents = _parse_int(rest[:cents_at])
    if cents is None or cents > 99:
        return None
    return Decimal(units) + Decimal(cents) / 100
