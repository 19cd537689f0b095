"""Reading CSV files the way the bundle contract asks: UTF-8 (BOM accepted), every problem
located as ``file:line: column: message``, bounded memory on any input; and the rule that
keeps the spreadsheets Khazna writes from running code (:func:`neutralise`)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
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


def check_header(
    cells: list[str],
    name: str,
    problems: Problems,
    required: set[str],
    known: set[str],
    warnings: list[str],
    state: ReadState,
) -> bool:
    """Check a file's header row; on success ``state.header`` holds it (stripped) and
    unknown columns are warned of. A header too wide or without a required column breaks
    the file (``state.broken``)."""
    header = [h.strip() for h in cells]
    if len(header) > MAX_FIELDS:
        problems.add(
            name,
            1,
            "-",
            f"l'en-tête a {len(header)} colonnes ; un fichier du lot en a {MAX_FIELDS} au plus",
        )
        state.broken = True
        return False
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
        return False
    for extra in sorted(seen - known - {""}):
        warnings.append(f"{name}:1: {extra}: colonne inconnue ignorée")
    state.header = header
    return True


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
    if not check_header(header, name, problems, required, known, warnings, state):
        return
    header = state.header
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


# -- the columnar path ----------------------------------------------------------------------


class Unusual(Exception):  # noqa: N818 (not an error: a signal to take the row-by-row path)
    """Something :func:`read_blocks` does not vouch for (bytes that are not UTF-8, a line
    too long, unreadable CSV, a row of another width, a header with a problem): the file is
    read again by :func:`read_cells`, which names the problem with its line."""


BLOCK_BYTES = MAX_LINE_BYTES  # every line of a block then fits the line limit


# what may put a space at the edge of a cell of an ASCII text without quotes
_EDGE_SPACES = (
    " ,",
    ", ",
    " \n",
    "\n ",
    "\t",
    "\r",
    "\x0b",
    "\x0c",
    "\x1c",
    "\x1d",
    "\x1e",
    "\x1f",
)


class _Spaces:
    """Whether every text read so far is one where no cell can start or end with white
    space (then cells need no stripping): ASCII, no quote, no space beside a comma or a
    line end, no other white space."""

    def __init__(self) -> None:
        self.none = True

    def see(self, text: str) -> None:
        if self.none and (
            not text.isascii()
            or '"' in text
            or text[:1] == " "
            or text[-1:] == " "
            or any(s in text for s in _EDGE_SPACES)
        ):
            self.none = False


def _texts(path: Path, spaces: _Spaces) -> Iterator[io.StringIO]:
    """The file as decoded blocks of whole lines (about :data:`BLOCK_BYTES` each), each an
    in-memory text whose lines end at LF only, as the row-by-row reader splits them."""
    with path.open("rb") as f:
        first = True
        while block := f.read(BLOCK_BYTES):
            if not block.endswith(b"\n"):  # complete the last line; no line may pass the limit
                tail = f.readline(MAX_LINE_BYTES + 1)
                if len(block) - block.rfind(b"\n") - 1 + len(tail) > MAX_LINE_BYTES - 3:
                    raise Unusual("line too long")
                block += tail
            if first and block.startswith(b"\xef\xbb\xbf"):
                block = block[3:]
            first = False
            try:
                text = block.decode("utf-8")
            except UnicodeDecodeError:
                raise Unusual("not UTF-8") from None
            spaces.see(text)
            yield io.StringIO(text, newline="\n")


def read_blocks(
    path: Path,
    name: str,
    *,
    required: set[str],
    known: set[str],
    warnings: list[str],
    state: ReadState,
    rows: int = 50_000,
) -> Iterator[list[tuple[str, ...]]]:
    """The rows of a CSV file as blocks of columns (one tuple of stripped cells per column
    of ``state.header``, set before the first block), read and split in C: what
    :func:`read_cells` reads, a block at a time, for files of a million rows. Blank lines
    are skipped as there; anything else out of the ordinary raises :class:`Unusual`, with
    no problem recorded (header warnings are, as :func:`read_cells` records them)."""
    spaces = _Spaces()
    reader = csv.reader(chain.from_iterable(_texts(path, spaces)))
    try:
        header = next(reader)
        quiet = Problems()
        if not check_header(header, name, quiet, required, known, warnings, state) or quiet:
            raise Unusual("header")
        width = len(state.header)
        while block := list(islice(reader, rows)):
            if set(map(len, block)) != {width}:
                block = [r for r in block if r]  # blank lines read as []
                if set(map(len, block)) - {width}:
                    raise Unusual("row width")
                if not block:
                    continue
            # the rows of a block come from texts already read (and seen)
            if spaces.none:  # no cell to strip (1M bank lines: 0.7 s of stripping saved)
                yield list(zip(*block, strict=True))
            else:
                yield [tuple(map(str.strip, col)) for col in zip(*block, strict=True)]
    except csv.Error:
        raise Unusual("unreadable CSV") from None
    except StopIteration:  # an empty file
        raise Unusual("empty") from None
