"""The month vocabulary: one table for every reader of dates and periods.

Full names in French, English and Arabic (the Algerian names taken from French, the Mashriq
names and the Levantine ones), the usual abbreviations, and the German and Dutch names met
on foreign suppliers' invoices. Each table maps both the written spelling (accents, hamza)
and its :func:`khazna.text.fold` form to the month number, so a regex built from a table
finds the month in raw text and :func:`month_number` finds it in raw or folded text.

Which tables a reader uses is its choice: a question about "sept jours" must not become
September, so the assistant reads full names only; a bank label drops abbreviations too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from khazna.text import ascii_fold, fold

_FULL = {
    1: "janvier january جانفي يناير كانون_الثاني",
    2: "février february فيفري فبراير شباط",
    3: "mars march مارس آذار اذار",
    4: "avril april أفريل أبريل نيسان",
    5: "mai may ماي مايو أيار",
    6: "juin june جوان يونيو يونيه حزيران",
    7: "juillet july جويلية يوليو يوليه تموز",
    8: "août august أوت أغسطس آب",
    9: "septembre september سبتمبر أيلول",
    10: "octobre october أكتوبر تشرين_الأول",
    11: "novembre november نوفمبر نونبر تشرين_الثاني",
    12: "décembre december ديسمبر دجنبر كانون_الأول",
}
_ABBREVIATED = {
    1: "janv jan",
    2: "févr fevr fév fev feb",
    3: "mar",
    4: "avr apr",
    6: "jun",
    7: "juil jul",
    8: "aug",
    9: "sept sep",
    10: "oct",
    11: "nov",
    12: "déc dec",
}
_FOREIGN = {  # German and Dutch, as printed on imported goods' invoices
    1: "januar januari",
    2: "februar februari",
    3: "märz maart",
    5: "mei",
    6: "juni",
    7: "juli",
    8: "augustus",
    10: "oktober",
    12: "dezember",
}
# French names in order, to write a month ("mars 2026")
FRENCH: tuple[str, ...] = tuple(_FULL[m].split()[0] for m in range(1, 13))


def _table(raw: Mapping[int, str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for month, names in raw.items():
        for name in names.split():
            name = name.replace("_", " ")  # two-word Levantine names stay one entry
            out[name] = month
            out[fold(name)] = month
    return out


MONTHS: dict[str, int] = _table(_FULL)
ABBREVIATIONS: dict[str, int] = _table(_ABBREVIATED)
FOREIGN: dict[str, int] = _table(_FOREIGN)
ALL: dict[str, int] = {**MONTHS, **ABBREVIATIONS, **FOREIGN}
# upper-case ASCII French names and abbreviations, as bank labels write them ("FACT JANV")
BANK_TOKENS: frozenset[str] = frozenset(
    ascii_fold(w).upper()
    for m in range(1, 13)
    for w in (_FULL[m].split()[0], *_ABBREVIATED.get(m, "").split())
)


def month_number(word: str, table: Mapping[str, int] = ALL) -> int | None:
    """The month a word names in ``table`` (raw or folded spelling), else None."""
    w = word.strip().lower()
    return table.get(w) or table.get(fold(w))


def alternation(table: Mapping[str, int]) -> str:
    """A regex alternation of the table's names, longest first (``juillet`` before ``juil``)."""
    return "|".join(sorted(map(re.escape, table), key=len, reverse=True))
