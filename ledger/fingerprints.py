"""The fingerprint of a bank line (shared by statement and bundle imports), in a module of
its own: the bundle import needs it without loading the statement readers (pydantic,
pypdf: a third of a second of every ``khazna import``)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from operator import methodcaller
from typing import Any


def norm(text: str) -> str:
    """Spaces collapsed, case folded, NFC (ASCII text needs no normalisation)."""
    t = " ".join(text.split()).casefold()
    return t if t.isascii() else unicodedata.normalize("NFC", t)


def fingerprint(account: str, day: date | str, cents: int, label: str, reference: str) -> str:
    """SHA-1 (40 hex) of the line: fields joined by U+001F, each with spaces collapsed,
    case folded and NFC; the date ISO, the amount in signed centimes."""
    iso = day if isinstance(day, str) else day.isoformat()
    key = "\x1f".join((norm(account), iso, str(cents), norm(label), norm(reference)))
    return hashlib.sha1(key.encode("utf-8")).hexdigest()


class Fingerprints:
    """:func:`fingerprint` for the lines of one file, remembering the normalised account
    and label (a million lines carry a few thousand of each): the same hex digests."""

    MAX = 200_000

    def __init__(self) -> None:
        self._norms: dict[str, str] = {}

    def _norm(self, text: str) -> str:
        got = self._norms.get(text)
        if got is None:
            got = norm(text)
            if len(self._norms) < self.MAX:
                self._norms[text] = got
        return got

    def __call__(
        self, account: str, day: date | str, cents: int, label: str, reference: str
    ) -> str:
        iso = day if isinstance(day, str) else day.isoformat()
        ref = norm(reference) if reference else ""
        key = "\x1f".join((self._norm(account), iso, str(cents), self._norm(label), ref))
        return hashlib.sha1(key.encode("utf-8")).hexdigest()

    def many(
        self,
        accounts: Sequence[str],
        days: Sequence[date | str],
        cents: Iterable[int],
        labels: Sequence[str],
        references: Sequence[str],
    ) -> list[str]:
        """:meth:`__call__` of each line, given as columns: the same digests, each distinct
        account, label, reference and day normalised once and the rest done in C."""
        keys = map(
            "\x1f".join,
            zip(
                _each_once(self._norm, accounts),
                _each_once(_iso, days),
                map(str, cents),
                _each_once(self._norm, labels),
                _each_once(_norm_reference, references, _norm_plain_ascii),
                strict=True,
            ),
        )
        return list(map(_HEX, map(hashlib.sha1, map(str.encode, keys))))


_HEX = methodcaller("hexdigest")


def _iso(day: date | str) -> str:
    return day if isinstance(day, str) else day.isoformat()


def _norm_reference(reference: str) -> str:
    return norm(reference) if reference else ""


# what makes :func:`norm` of plain ASCII values joined by U+001F more than their lower case:
# whitespace other than single spaces inside a value (str.split's ASCII whitespace)
_NOT_PLAIN = re.compile(r"[\t\n\x0b\x0c\r\x1c-\x1e]|  | \x1f|\x1f |^ | $")


def _norm_plain_ascii(values: list[str]) -> list[str] | None:
    """:func:`norm` of each value at once when all are plain ASCII (one lower-casing of
    them joined: casefold is lower on ASCII), else None. References are mostly distinct:
    170 000 of them, 0.7 s one by one."""
    joined = "\x1f".join(values)
    if not joined.isascii() or joined.count("\x1f") != len(values) - 1 or _NOT_PLAIN.search(joined):
        return None
    return joined.lower().split("\x1f")


def _each_once(
    f: Callable[[Any], str],
    values: Sequence[Any],
    many: Callable[[list[Any]], list[str] | None] | None = None,
) -> Iterator[str]:
    """``f`` of each value, computed once per distinct value (by ``many`` for all of them
    at once when it can)."""
    distinct = list(set(values))
    got = many(distinct) if many else None
    memo = dict(zip(distinct, got, strict=True)) if got is not None else {v: f(v) for v in distinct}
    return map(memo.__getitem__, values)
