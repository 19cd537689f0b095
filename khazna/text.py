"""Text folding: the one way Khazna compares words written by people.

:func:`fold` gives the comparison form of any text, French or Arabic: Unicode compatibility
forms unified (NFKC), case folded, Latin accents dropped (``Réglé`` → ``regle``), the curly
apostrophe made straight; in Arabic, diacritics (tashkeel) and tatweel removed and the
alef forms, ``ة``/``ه`` and ``ى``/``ي`` unified; Arabic-Indic and Persian digits become ASCII
digits, so that ``٢٠`` and ``20`` match. :func:`ascii_fold` keeps only the ASCII part, for
keys that must be plain Latin (CSV headers, bank-label groups).

Every reader that compares names, labels, headers, enumerated values or notes goes through
these two functions; what each does next (tokens, underscores, upper case) is its own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_ARABIC_LETTERS = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ـ": "", "\u2019": "'"}
)
# Arabic diacritics (harakat, shadda, sukun, superscript alef) and Quranic marks.
_TASHKEEL = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")


def fold_digits(text: str) -> str:
    """Arabic-Indic and Persian digits as ASCII digits; nothing else changes."""
    return text.translate(_DIGITS)


def fold(text: str) -> str:
    """The comparison form: case-folded, accent-free French; normalised Arabic; ASCII digits."""
    if text.isascii():
        return text.casefold()
    text = unicodedata.normalize("NFKC", text).translate(_DIGITS)
    text = _TASHKEEL.sub("", text).translate(_ARABIC_LETTERS)
    decomposed = unicodedata.normalize("NFD", text.casefold())
    # Drop combining marks (Latin accents); Arabic letters have none left at this point.
    return decomposed.translate(_MARKS)


class _Marks(dict[int, int | None]):
    """``str.translate``'s table for :func:`fold`: a combining mark maps to None (dropped),
    any other character to itself; filled as characters are met (one ``combining`` call per
    distinct character, not per character of every text)."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_MARKS = _Marks()


def ascii_fold(text: str) -> str:
    """:func:`fold`, then only its ASCII characters (``Débit (DZD)`` → ``debit (dzd)``)."""
    folded = fold(text)
    return folded if folded.isascii() else folded.encode("ascii", "ignore").decode()


def is_arabic(text: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in text)


_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


def fold_pattern(pattern: str) -> str:
    """A regex written in natural spelling, made to match :func:`fold`-ed text.

    Only the non-ASCII runs are folded (``فاتورة`` → ``فاتوره``, ``échéance`` → ``echeance``),
    so escapes such as ``\\D`` or ``\\W`` keep their case and their meaning.
    """
    return _NON_ASCII_RUN.sub(lambda m: fold(m.group()), pattern)


def count(n: int, one: str, many: str, lang: str = "fr", two: str | None = None) -> str:
    """``1 facture impayée``, ``3 factures impayées``, ``0 facture``: the number and its noun in
    the right number (French: 0 and 1 take the singular; English: 1 only), never
    ``facture(s)``. Arabic (``lang="ar"``): 3 to 10 take the plural (``5 فواتير``), 11 and up
    the singular (``12 فاتورة``), as do 0 and 1; 2 takes ``two`` (the dual) when given. Past
    100 the last two digits decide (``103 فواتير``, ``111 فاتورة``)."""
    if lang == "ar":
        k = abs(n) % 100 if abs(n) >= 100 else abs(n)
        if k == 2 and two is not None and abs(n) == 2:
            return f"{n} {two}"
        return f"{n} {many if 3 <= k <= 10 else one}"
    single = abs(n) <= 1 if lang == "fr" else abs(n) == 1
    return f"{n} {one if single else many}"


# --- right-to-left text ---------------------------------------------------------------------

LRI, PDI = "\u2066", "\u2069"  # LEFT-TO-RIGHT ISOLATE ... POP DIRECTIONAL ISOLATE
BIDI_CONTROLS = "\u200e\u200f\u061c\u2066\u2067\u2068\u2069"
# A Latin token inside Arabic text: an invoice number, a RIB, a date, an amount ("559 300,00"
# with no-break or narrow spaces), an email address, a Latin name: letters (accented ones
# too: "Systèmes", "Sétif"; not × or ÷) and digits joined by the marks such tokens use inside
# them ("d'Oran", "Haï-Khemisti").
_LATIN = "A-Za-z0-9\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
_WORD = rf"[{_LATIN}][{_LATIN}_@+]*(?:[-/.,:@_'\u2019\u00a0\u202f][{_LATIN}]+)*%?"
# Latin words one space or one "&" apart ("Atlas Services", "RIB 0040…", "Systèmes &
# Maintenance") make one run: split in two, a right-to-left line would swap the halves
_LATIN_TOKEN = re.compile(rf"{_WORD}(?:(?: | ?& ?){_WORD})*")


def isolate_latin(text: str) -> str:
    """Arabic text with each Latin token (invoice number, RIB, date, amount) wrapped in a
    left-to-right isolate (U+2066 … U+2069): a mail reader or a phone lays it out as one
    left-to-right unit that neither breaks nor moves past its neighbours (« F2026-0363 »,
    « 559 300,00 »). Text without Arabic is returned as it is; tokens already isolated stay so."""
    if not is_arabic(text):
        return text
    out, last = [], 0
    for m in _LATIN_TOKEN.finditer(text):
        start, end = m.span()
        if start > 0 and text[start - 1] == LRI:
            continue
        out += [text[last:start], LRI, m.group(), PDI]
        last = end
    out.append(text[last:])
    return "".join(out)


FSI = "\u2068"  # FIRST STRONG ISOLATE: the run takes the direction of its first letter


def isolate_name(text: str) -> str:
    """A name inside a sentence of the other direction (an Arabic client's name in a French
    report) wrapped in a first-strong isolate (U+2068 … U+2069): the name is laid out right
    to left as one unit, and the comma, amount or parenthesis after it stays where the French
    sentence put it. A name without Arabic, or already isolated, is returned as it is."""
    if not is_arabic(text) or text[:1] in (FSI, LRI, "\u2067"):
        return text
    return f"{FSI}{text}{PDI}"


def isolate_names(text: str, names: Iterable[str]) -> str:
    """``text`` (French) with every Arabic name of ``names`` isolated where it appears
    (:func:`isolate_name`), wherever the sentence came from — the offline writer or a model."""
    for name in sorted({n for n in names if is_arabic(n)}, key=len, reverse=True):
        text = re.sub(
            rf"(?<![{FSI}{LRI}\u2067]){re.escape(name)}(?!{PDI})", isolate_name(name), text
        )
    return text


def strip_bidi(text: str) -> str:
    """The text without bidi marks and isolates (what a reader compares)."""
    return text.translate({ord(c): None for c in BIDI_CONTROLS})
