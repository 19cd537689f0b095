"""File names and web links built from data: the one way Khazna turns an id into a name.

An invoice number, an expense id, a draft or report id comes from the books, and the books
come from outside (a bundle, a bank, a model). :func:`safe_name` maps any such text to a
single file name that stays inside its folder, and :func:`name_of` gives the text back:

- the encoding is percent-encoding (``urllib.parse.quote`` with nothing kept but letters,
  digits and ``- _ . ~ @``), so ``2026/0001`` is the file ``2026%2F0001.pdf`` and
  ``../../x`` is ``%2E.%2F..%2Fx`` — a separator, ``\\``, NUL, CR/LF, a control character
  or a leading dot never reaches the file system;
- a name whose encoding would pass :data:`MAX_NAME` characters is cut and ends with ``~``
  and 16 hex digits of its SHA-256 (unique, not reversible: ids that long are refused at
  import, so only data written by other means gets there);
- :func:`safe_path` joins the name to its folder and checks that the result is a direct
  child of it (a second guard, should the encoding ever change).

:func:`url_segment` is the same idea for a link: one path segment, ``/`` quoted as ``%2F``
(the web routes read such segments back from the raw path).

The stdlib's ``quote``/``unquote`` do the work; ``werkzeug.utils.secure_filename`` (not a
dependency here) and ``pathvalidate`` (not installed) were considered: both drop or replace
characters, so two numbers (``2026/0001``, ``2026-0001``) could share a file; this does not.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import quote, unquote

MAX_NAME = 200  # characters of a file name, suffix included (file systems allow 255 bytes)
_KEEP = "-_.~@"  # kept as is besides ASCII letters and digits


class UnsafePathError(ValueError):
    """A name that would not land inside its folder (never raised for an encoded name)."""


def safe_name(name: str, suffix: str = "") -> str:
    """``name`` as one file name (plus ``suffix``, e.g. ``".pdf"``), reversible by :func:`name_of`."""
    encoded = quote(name, safe=_KEEP)
    if encoded.startswith("."):
        encoded = "%2E" + encoded[1:]  # no ".", "..", nor hidden file
    if not encoded:
        raise UnsafePathError("an empty name has no file")
    room = MAX_NAME - len(suffix)
    if len(encoded) > room:
        digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        head = encoded[: room - 17]
        if "%" in head[-2:]:  # do not cut a %XX escape in two
            head = head[: head.rindex("%")]
        encoded = f"{head}~{digest}"
    return encoded + suffix


def name_of(filename: str, suffix: str = "") -> str:
    """The text a :func:`safe_name` file name stands for (``suffix`` removed first)."""
    if suffix and filename.endswith(suffix):
        filename = filename[: -len(suffix)]
    return unquote(filename, errors="strict")


def safe_path(folder: Path | str, name: str, suffix: str = "") -> Path:
    """``folder / safe_name(name, suffix)``, checked to be a direct child of ``folder``."""
    return inside(folder, safe_name(name, suffix))


def inside(folder: Path | str, filename: str) -> Path:
    """``folder / filename`` when ``filename`` is one plain name (no separator, not ``.``
    nor ``..``, no NUL); else :class:`UnsafePathError`."""
    base = Path(folder)
    if (
        not filename
        or filename in (".", "..")
        or any(c in filename for c in "/\\\0")
        or Path(filename).name != filename
    ):
        raise UnsafePathError(f"not a plain file name: {filename!r}")
    target = base / filename
    if target.parent != base:
        raise UnsafePathError(f"{filename!r} is not inside {base}")
    return target


def url_segment(value: str) -> str:
    """``value`` as one URL path segment: everything but letters, digits and ``-_.~`` quoted
    (``2026/0001`` → ``2026%2F0001``)."""
    return quote(str(value), safe="")
