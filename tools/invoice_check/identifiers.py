"""Algerian identifiers (``spec/algeria.md``, part 1): shape checks, and the RIB key.

Only the RIB has a public checksum; NIF, NIS and AI are checked for their length, the RC for
one of its two written forms.
"""

from __future__ import annotations

import re

_SPACES = re.compile(r"[\s\u00a0\u202f.\-]+")
# 16/00-0012345 B 19   or   25 B 1204921 16/00
_RC_FORMS = (
    re.compile(r"\d{2}/\d{2}-\d{7}\s*[AB]\s*\d{2}"),
    re.compile(r"\d{2}\s*[AB]\s*\d{7}\s*\d{2}/\d{2}"),
)


def digits_only(text: str) -> str:
    """The identifier without spaces (and dots or dashes used as separators)."""
    return _SPACES.sub("", text)


def nif_valid(text: str) -> bool:
    d = digits_only(text)
    return d.isdigit() and len(d) in (15, 20)


def nis_valid(text: str) -> bool:
    d = digits_only(text)
    return d.isdigit() and len(d) == 15


def ai_valid(text: str) -> bool:
    d = digits_only(text)
    return d.isdigit() and len(d) == 11


def rc_valid(text: str) -> bool:
    t = re.sub(r"\s+", " ", text.strip().upper())
    return any(p.fullmatch(t) for p in _RC_FORMS)


def rib_key(agency: str, account: str) -> int:
    """97 − ((agency‖account) × 100 mod 97), 97 when that is 0 (the bank code is not used)."""
    key = 97 - (int(agency + account) * 100) % 97
    return key or 97


def rib_valid(text: str) -> bool:
    d = digits_only(text)
    if not (d.isdigit() and len(d) == 20):
        return False
    return rib_key(d[3:8], d[8:18]) == int(d[18:20])
