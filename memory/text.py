"""Tokens for the lexical pass and the hashing embedder, on :func:`khazna.text.fold`.

Stop words (French and Arabic) and a crude, explainable stemmer; the folding itself (case,
accents, Arabic letter forms, digits) is :mod:`khazna.text`'s, shared by every reader.
"""

from __future__ import annotations

import re

from khazna.text import fold, is_arabic

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
    return _WORD.findall(fold(text))


def terms(text: str) -> list[str]:
    """Index terms for the lexical pass: normalised, stopwords dropped, stemmed."""
    out = []
    for w in words(text):
        if w in FR_STOPWORDS or w in AR_STOPWORDS or (len(w) < 2 and not w.isdigit()):
            continue
        out.append(stem(w))
    return out
