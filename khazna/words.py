"""Amounts in words, as the invoice's TTC must be written (décret 05-468, art. 3).

French, traditional spelling: ``vingt et un``, ``quatre-vingts``, ``deux cents``,
``mille``, ``un million``. ``amount_in_words(Decimal("1234567.89"))`` →
``"un million deux cent trente-quatre mille cinq cent soixante-sept dinars algériens et
quatre-vingt-neuf centimes"``.
"""

from __future__ import annotations

from decimal import Decimal

from khazna.money import q2

_UNITS = [
    "zéro",
    "un",
    "deux",
    "trois",
    "quatre",
    "cinq",
    "six",
    "sept",
    "huit",
    "neuf",
    "dix",
    "onze",
    "douze",
    "treize",
    "quatorze",
    "quinze",
    "seize",
    "dix-sept",
    "dix-huit",
    "dix-neuf",
]
_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}


def _below_100(n: int) -> str:
    if n < 20:
        return _UNITS[n]
    tens, unit = divmod(n, 10)
    if tens in (7, 9):  # soixante-dix..., quatre-vingt-dix...
        base = "soixante" if tens == 7 else "quatre-vingt"
        if tens == 7 and unit == 1:
            return "soixante et onze"
        return f"{base}-{_UNITS[10 + unit]}"
    if tens == 8:
        return "quatre-vingts" if unit == 0 else f"quatre-vingt-{_UNITS[unit]}"
    word = _TENS[tens]
    if unit == 0:
        return word
    if unit == 1:
        return f"{word} et un"
    return f"{word}-{_UNITS[unit]}"


def _below_1000(n: int, *, final: bool) -> str:
    """``final``: nothing follows (``deux cents`` takes an s only then)."""
    hundreds, rest = divmod(n, 100)
    parts = []
    if hundreds:
        if hundreds == 1:
            parts.append("cent")
        else:
            plural = "s" if rest == 0 and final else ""
            parts.append(f"{_UNITS[hundreds]} cent{plural}")
    if rest:
        text = _below_100(rest)
        if not final and text.endswith("quatre-vingts"):
            text = text[:-1]  # quatre-vingt mille
        parts.append(text)
    return " ".join(parts)


def integer_in_words(n: int) -> str:
    """A non-negative integer in French words."""
    if n < 0:
        raise ValueError("negative")
    if n == 0:
        return "zéro"
    scales = [(10**9, "milliard"), (10**6, "million")]
    parts = []
    for size, name in scales:
        count, n = divmod(n, size)
        if count:
            parts.append(f"{integer_in_words(count)} {name}{'s' if count > 1 else ''}")
    thousands, n = divmod(n, 1000)
    if thousands:
        parts.append("mille" if thousands == 1 else f"{_below_1000(thousands, final=False)} mille")
    if n:
        parts.append(_below_1000(n, final=True))
    return " ".join(parts)


def amount_in_words(value: Decimal, currency: str = "dinars algériens") -> str:
    """A DZD amount in French words, ``... dinars algériens et ... centimes``."""
    v = q2(value)
    if v < 0:
        return "moins " + amount_in_words(-v, currency)
    dinars = int(v)
    centimes = int((v - dinars) * 100)
    unit = currency if dinars > 1 else currency.replace("dinars algériens", "dinar algérien")
    # "un million de dinars": French puts "de" after a round million/milliard.
    de = "de " if dinars and dinars % 1_000_000 == 0 else ""
    text = f"{integer_in_words(dinars)} {de}{unit}"
    if centimes:
        text += f" et {integer_in_words(centimes)} centime{'s' if centimes > 1 else ''}"
    return text
