"""Text normalisation shared by kind inference, the lexical pass and the hashing embedder.

French: case and accents are folded (``Réglé`` → ``regle``). Arabic: diacritics (tashkeel)
and tatweel are removed, the alef forms, ``ة``/``ه`` and ``ى``/``ي`` are unified, and
Arabic-Indic or Persian digits become ASCII digits, so that ``٢٠`` and ``20`` match.
"""

from __future__ import annotations

import re
import unicodedata

_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_ARABIC_LETTERS = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ـ": ""}
)
# Arabic diacritics (harakat, shadda, sukun, superscript alef) and Quranic marks.
_TASHKEEL = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_WORD = re.compile(r"\w+", re.UNICODE)

FR_STOPWORDS = frozenset(
    "a au aux avec ce ces cet cette d de des du elle en et il ils je l la le les leur lui ma "
    "me mes mon n ne nos notre nous on ou par pas pour qu que qui s sa se ses son sur t ta "
    "te tes ton tu un une vos votre vous y est sont ete etre avons avez ont".split()
)
AR_STOPWORDS = frozenset(
    "في من على الى عن ان او ثم هذا هذه ذلك تلك التي الذي هو هي نحن انتم هم مع قد لقد كان "
    "كانت ما لا و".split()
)
_AR_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال", "و", "ب", "ف", "ل", "س")
_AR_SUFFIXES = ("هما", "كم", "هم", "ها", "نا", "ات", "ون", "ين", "ان", "ه", "ي")


def fold_digits(text: str) -> str:
    return text.translate(_ARABIC_DIGITS)


def normalize(text: str) -> str:
    """Case-folded, accent-free French; normalised Arabic; ASCII digits."""
    text = unicodedata.normalize("NFKC", text).translate(_ARABIC_DIGITS).replace("\u2019", "'")
    text = _TASHKEEL.sub("", text).translate(_ARABIC_LETTERS)
    decomposed = unicodedata.normalize("NFD", text.casefold())
    # Drop combining marks (French accents); Arabic letters have none left at this point.
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def is_arabic(token: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in token)


def stem(token: str) -> str:
    """A deliberately crude stemmer: explainable, language-agnostic enough for short notes.

    Latin tokens are truncated to 5 characters (``reglerons``/``regler``/``reglement`` →
    ``regle``); Arabic tokens lose one common prefix (article, conjunction, future ``س``) and
    one common suffix while at least three letters remain (``بالدفع`` → ``دفع``).
    """
    if is_arabic(token):
        for p in _AR_PREFIXES:
            if token.startswith(p) and len(token) - len(p) >= 3:
                token = token[len(p) :]
                break
        for s in _AR_SUFFIXES:
            if token.endswith(s) and len(token) - len(s) >= 3:
                token = token[: -len(s)]
                break
        return token
    return token[:5] if not token.isdigit() else token


def words(text: str) -> list[str]:
    """Normalised word tokens, stopwords kept (the inference rules need them)."""
    return _WORD.findall(normalize(text))


def terms(text: str) -> list[str]:
    """Index terms for the lexical pass: normalised, stopwords dropped, stemmed."""
    out = []
    for w in words(text):
        if w in FR_STOPWORDS or w in AR_STOPWORDS or (len(w) < 2 and not w.isdigit()):
            continue
        out.append(stem(w))
    return out
