"""Reading CSV files the way the bundle contract asks: UTF-8 (BOM accepted), every problem
located as ``file:line: column: message``, bounded memory on any input; and the rule that
keeps the spreadsheets Khazna writes from running code (:func:`neutralise`)."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

MAX_LINE_BYTES = 1 << 20  # a CSV line longer than 1 MiB is not a ledger row
MAX_FIELDS = 200  # a bundle row never has more columns than this

# A spreadsheet reads a cell starting with one of these as a formula (or a DDE call).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_LIVE = re.compile(r"'*[=+\-@\t\r]")  # such a cell, possibly behind apostrophes already


def neutralise(text: str) -> str:
    """A text cell that no spreadsheet runs: one apostrophe before a cell that starts with
    ``= + - @``, TAB or CR, or with apostrophes followed by one of them (so that
    :func:`restore` is exact). Only text goes through here: numbers and dates are written
    as numbers (``-12.50`` is an amount, not a formula)."""
    return "'" + text if _LIVE.match(text) else text


def restore(text: str) -> str:
    """The inverse of :func:`neutralise`: ``restore(neutralise(t)) == t`` for every text.
    One leading apostrophe goes only when apostrophes are followed by ``= + - @``, TAB or
    CR; any other apostrophe (``'Ain Benian``) is data and stays."""
    return text[1:] if text.startswith("'") and _LIVE.match(text) else text


@dataclass
class Problems:
    """Problems found while reading, each ``file:line: column: message``, capped so that a
    hopeless file cannot flood memory. The one collector of the bundle and bank importers."""

    file: str = ""  # the file :meth:`at` speaks of
    limit: int = 500
    items: list[str] = field(default_factory=list)
    count: int = 0  # every problem found, shown or not

    @property
    def dropped(self) -> int:
        return self.count - len(self.items)

    def add(self, file: str, line: int | str | None, column: str | None, message: str) -> None:
        self.count += 1
        if len(self.items) < self.limit:
            where = file + (f":{line}" if line is not None else "") + ": "
            self.items.append(where + (f"{column}: " if column else "") + message)

    def at(self, line: int | None, column: str | None, message: str) -> None:
        """A problem in :attr:`file`."""
        self.add(self.file, line, column, message)

    def note(self, located_message: str) -> None:
        """A problem already written with its location (an error raised further down)."""
        self.count += 1
        if len(self.items) < self.limit:
            self.items.append(located_message)

    def __bool__(self) -> bool:
        return self.count > 0

    def render(self) -> list[str]:
        out = list(self.items)
        if self.dropped:
            out.append(f"... and {self.dropped} more problems")
        return out


class _LineSource:
    """Decoded lines of a file, tracking the physical line number, refusing non-UTF-8
    bytes and overlong lines with a precise location."""

    def __init__(self, path: Path, name: str, problems: Problems) -> None:
        self.path, self.name, self.problems = path, name, problems
        self.line_no = 0
        self.failed = False

    def __iter__(self) -> Iterator[str]:
        with self.path.open("rb") as f:
            while True:
                raw = f.readline(MAX_LINE_BYTES + 1)
                if not raw:
                    return
                self.line_no += 1
                if len(raw) > MAX_LINE_BYTES:
                    self.problems.add(
                        self.name,
                        self.line_no,
                        "-",
                        f"ligne de plus de {MAX_LINE_BYTES // 1024} Kio : pas une ligne CSV",
                    )
                    self.failed = True
                    return
                if self.line_no == 1 and raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
                try:
                    yield raw.decode("utf-8")
                except UnicodeDecodeError as err:
                    col = len(raw[: err.start].decode("utf-8", "replace")) + 1
                    self.problems.add(
                        self.name,
                        self.line_no,
                        f"char {col}",
                        f"pas en UTF-8 (octet 0x{raw[err.start]:02x}) ; enregistrez le fichier en UTF-8",
                    )
                    self.failed = True
                    return


@dataclass
class Row:
    line: int
    values: dict[str, str]


class ReadState:
    """Whether a file could be read through (``broken`` after a fatal problem), and its
    header (stripped) once read."""

    def __init__(self) -> None:
        self.broken = False
        self.header: list[str] = []


def read_rows(
    path: Path,
    name: str,
    problems: Problems,
    *,
    required: set[str],
    known: set[str],
    warnings: list[str],
    state: ReadState | None = None,
) -> Iterator[Row]:
    """Rows of a CSV file as dicts keyed by the header, stripped; missing optional columns
    read as empty. Header problems stop the file; row problems are recorded and the row
    skipped. ``state.broken`` tells the caller the file could not be read through."""
    state = state or ReadState()
    for line, fields in read_cells(
        path, name, problems, required=required, known=known, warnings=warnings, state=state
    ):
        yield Row(line, {h: v for h, v in zip(state.header, fields, strict=True) if h in known})


def read_cells(
    path: Path,
    name: str,
    problems: Problems,
    *,
    required: set[str],
    known: set[str],
    warnings: list[str],
    state: ReadState,
) -> Iterator[tuple[int, list[str]]]:
    """What :func:`read_rows` reads, as ``(line, stripped cells)`` in the order of
    ``state.header`` (set before the first row): no dict per row, for files of a million."""
    yield from _rows(path, name, problems, required, known, warnings, state)


def _rows(
    path, name, problems, required, known, warnings, state
) -> Iterator[tuple[int, list[str]]]:
    src = _LineSource(path, name, problems)
    try:
        yield from _parse(src, name, problems, required, known, warnings, state)
    finally:
        if src.failed:
            state.broken = True


def _parse(
    src, name, problems, required, known, warnings, state
) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(src)
    try:
        header = next(reader)
    except StopIteration:
        if not src.failed:
            problems.add(
                name,
                1,
                "-",
                f"fichier vide : une ligne d'en-tête avec {', '.join(sorted(required))} est attendue",
            )
        state.broken = True
        return
    except csv.Error as err:
        problems.add(name, src.line_no, "-", f"CSV illisible : {err}")
        return
    header = [h.strip() for h in header]
    if len(header) > MAX_FIELDS:
        problems.add(
            name,
            1,
            "-",
            f"l'en-tête a {len(header)} colonnes ; un fichier du lot en a {MAX_FIELDS} au plus",
        )
        state.broken = True
        return
    seen: set[str] = set()
    for h in header:
        if h in seen:
            problems.add(name, 1, h or "-", "colonne nommée deux fois dans l'en-tête")
        seen.add(h)
    missing = required - seen
    for col in sorted(missing):
        problems.add(
            name, 1, col, f"colonne obligatoire absente (l'en-tête a : {', '.join(header)})"
        )
    if missing:
        state.broken = True
        return
    for extra in sorted(seen - known - {""}):
        warnings.append(f"{name}:1: {extra}: colonne inconnue ignorée")
    state.header = header
    width = len(header)
    while True:
        start = src.line_no + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            problems.add(name, start, "-", f"CSV illisible : {err}")
            return
        if not fields or all(not f.strip() for f in fields):
            continue  # blank line
        if len(fields) != width:
            problems.add(
                name, start, "-", f"la ligne a {len(fields)} champs, l'en-tête en a {width}"
            )
            continue
        yield start, [v.strip() for v in fields]
