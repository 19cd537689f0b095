"""Reading a bank statement file: CSV or XLSX, as a stream of (line number, cells).

The format is told by the first bytes (an XLSX is a zip), the separator by trying ``;``,
``,``, tab and ``|`` on the first lines and keeping the one under which a mapping's header is
found, the encoding by the mapping (UTF-8 unless it says otherwise). Nothing here holds the
whole file: rows come from generators, one at a time.
"""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from khazna.ledger.bank_mappings import (
    HEADER_SEARCH_ROWS,
    BankMapping,
    HeaderMatch,
    MappingError,
    find_header,
    normalise_header,
)
from khazna.ledger.bank_pdf import PdfStatementError, Piece, as_cells, pdf_lines
from khazna.money import q2

MAX_LINE_BYTES = 1 << 20
# An XLSX is a zip: what it unpacks to is bounded before openpyxl reads a byte of it. A
# statement of a million lines unpacks to about 200 MiB; a "zip bomb" to gigabytes.
MAX_XLSX_UNPACKED = 512 << 20
MAX_XLSX_MEMBERS = 10_000
# A sheet XML packs 5-20x; a member above 8 MiB packed over 100x is padding, not a statement
# (400 MiB of blanks at 1000x took 16 s to read for one line).
MAX_XLSX_RATIO, RATIO_FROM = 100, 8 << 20
DELIMITERS = (";", ",", "\t", "|")
LABEL_ALIGN = 3.0  # points: a wrapped label's next line starts under its first
# a line under a label that is a total, a balance or a page footer, not the label's end
_NOT_A_LABEL = re.compile(r"(total|totaux|solde|report|a reporter|cumul|page|suite)\b")


class StatementError(Exception):
    """The file cannot be read as a statement (one message naming the file)."""


@dataclass
class Layout:
    """How a statement is read: format, mapping and where its header is."""

    path: Path
    kind: str  # "csv", "xlsx" or "pdf"
    header: HeaderMatch
    encoding: str = "utf-8"
    delimiter: str = ";"
    pdf: list[list[Piece]] | None = None  # a PDF's text lines (read whole: it is small)

    @property
    def mapping(self) -> BankMapping:
        return self.header.mapping


class NotDecodableError(StatementError):
    """A byte the encoding cannot decode (the rest of the file cannot be read)."""


def _file_kind(path: Path) -> str:
    with path.open("rb") as f:
        head = f.read(8)
    if not head:
        raise StatementError(f"{path.name}: le fichier est vide")
    if head.startswith(b"PK"):
        return "xlsx"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise StatementError(
            f"{path.name}: un ancien fichier Excel .xls : enregistrez-le en .xlsx ou en CSV et recommencez"
        )
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise StatementError(
            f"{path.name}: un fichier texte UTF-16 : enregistrez-le en CSV UTF-8 et recommencez"
        )
    return "csv"


def _decode_error(name: str, line: int, offset: int, raw: bytes, enc: str, err) -> StatementError:
    bad = raw[err.start]
    return NotDecodableError(
        f"{name}:{line}: l'octet à la position {offset + err.start} (0x{bad:02X}, colonne "
        f"{err.start + 1} de la ligne) n'est pas du {enc} valide : le fichier est sans doute en "
        'Windows-1252/Latin-1 ; passez --encoding cp1252, ou mettez "encoding": "cp1252" dans '
        "sa correspondance de colonnes"
    )


def _csv_lines(path: Path, encoding: str) -> Iterator[str]:
    """Decoded physical lines, one at a time, naming the line and byte offset of a bad byte."""
    with path.open("rb") as f:
        offset, line = 0, 0
        while raw := f.readline(MAX_LINE_BYTES):
            line += 1
            if len(raw) == MAX_LINE_BYTES and not raw.endswith(b"\n"):
                raise StatementError(
                    f"{path.name}:{line}: une ligne de plus de 1 Mio : pas un relevé bancaire"
                )
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError as err:
                raise _decode_error(path.name, line, offset, raw, encoding, err) from None
            if line == 1 and text.startswith("\ufeff"):
                text = text[1:]
            offset += len(raw)
            yield text


def _csv_rows(path: Path, encoding: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(_csv_lines(path, encoding), delimiter=delimiter)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            raise StatementError(
                f"{path.name}:{reader.line_num}: la ligne ne se lit pas en CSV : {err}"
            ) from None
        yield reader.line_num, row


def _cell_text(value: object, decimal_sep: str) -> str:
    """An XLSX cell as the text a CSV export would hold (dates ISO, numbers exact)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool | int):
        return str(value)
    if isinstance(value, float):
        d = Decimal(repr(value))  # the shortest text of the stored double, never float math
        exponent = d.as_tuple().exponent  # a letter for NaN and infinity: left as text
        if isinstance(exponent, int) and exponent < -2 and abs(d - q2(d)) < Decimal("0.000001"):
            d = q2(d)  # Excel noise such as 0.30000000000000004
        text = format(d, "f")
        return text.replace(".", ",") if decimal_sep == "," else text
    return str(value)


def check_xlsx_size(path: Path) -> None:
    """Refuse a workbook whose members would unpack past :data:`MAX_XLSX_UNPACKED`.

    The sizes are those the zip declares; Python's zipfile (which openpyxl reads through)
    never inflates a member past its declared size and fails on a CRC mismatch, so a
    lying header cannot get more out of it than this check counted."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise StatementError(f"{path.name}: pas un classeur .xlsx lisible ({err})") from None
    if len(infos) > MAX_XLSX_MEMBERS:
        raise StatementError(
            f"{path.name}:-: -: {len(infos)} parties dans le classeur, plus que les "
            f"{MAX_XLSX_MEMBERS} qu'un relevé peut contenir : pas un relevé bancaire"
        )
    for i in infos:
        if i.file_size > RATIO_FROM and i.file_size > MAX_XLSX_RATIO * max(i.compress_size, 1):
            raise StatementError(
                f"{path.name}:-: -: {i.filename} se décompresse à "
                f"{i.file_size // max(i.compress_size, 1)} fois sa taille (plus de "
                f"{MAX_XLSX_RATIO}x) : une bombe de décompression, pas un relevé bancaire ; "
                "rien n'a été importé"
            )
    total = sum(i.file_size for i in infos)
    if total > MAX_XLSX_UNPACKED:
        raise StatementError(
            f"{path.name}:-: -: le classeur se décompresse en {total / (1 << 20):,.0f} Mio, plus "
            f"que les {MAX_XLSX_UNPACKED >> 20} Mio qu'un relevé peut contenir ; rien n'a été "
            "importé (exportez le relevé en CSV, qui n'a pas de limite, ou coupez-le)"
        )


def _xlsx_rows(path: Path, sheet: str | None, decimal_sep: str) -> Iterator[tuple[int, list[str]]]:
    # lazy: openpyxl (0.20 s) only for an XLSX statement
    from openpyxl import load_workbook

    check_xlsx_size(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds on a broken file
        raise StatementError(f"{path.name}: pas un classeur .xlsx lisible ({err})") from None
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            raise StatementError(
                f"{path.name}: pas de feuille {sheet!r} (feuilles : {', '.join(wb.sheetnames)})"
            )
        ws = wb[sheet] if sheet else wb.worksheets[0]
        ws.reset_dimensions()  # exporters often write a wrong <dimension>
        for i, row in enumerate(ws.iter_rows(min_row=1, values_only=True), start=1):
            cells = [_cell_text(v, decimal_sep) for v in row]
            while cells and not cells[-1]:
                cells.pop()
            yield i, cells
    finally:
        wb.close()


def _sample(rows: Iterator[tuple[int, list[str]]]) -> list[list[str]]:
    out = []
    for _, cells in rows:
        out.append(cells)
        if len(out) > HEADER_SEARCH_ROWS:
            break
    if hasattr(rows, "close"):
        rows.close()
    return out


def open_statement(
    path: Path,
    mappings: list[BankMapping],
    *,
    mapping_name: str | None = None,
    encoding: str | None = None,
) -> Layout:
    """Find the format, separator, encoding, mapping and header row of a statement."""
    try:
        return _open_statement(path, mappings, mapping_name, encoding)
    except (StatementError, MappingError) as err:
        msg = str(err)
        raise StatementError(msg if msg.startswith(path.name) else f"{path.name}: {msg}") from None
    except PdfStatementError as err:
        raise StatementError(str(err)) from None
    except OSError as err:
        raise StatementError(f"{path}: impossible de lire le fichier : {err.strerror}") from None


def _open_statement(path, mappings, mapping_name, encoding) -> Layout:
    kind = _file_kind(path)
    forced = next((m for m in mappings if m.name == mapping_name), None)
    if kind == "pdf":
        lines = pdf_lines(path)
        rows = [[p.text for p in line] for line in lines[: HEADER_SEARCH_ROWS + 1]]
        return Layout(path, "pdf", find_header(rows, mappings, mapping_name), pdf=lines)
    if kind == "xlsx":
        sep = forced.decimal_separator if forced else ","
        rows = _sample(_xlsx_rows(path, forced.sheet if forced else None, sep))
        if not any(any(c for c in r) for r in rows):
            raise StatementError(f"{path.name}: la première feuille est vide")
        return Layout(path, "xlsx", find_header(rows, mappings, mapping_name))
    explicit = encoding or (
        forced.encoding if forced and "encoding" in forced.model_fields_set else None
    )
    try:
        enc = explicit or "utf-8"
        layout = _sniff_csv(path, mappings, mapping_name, enc)
    except NotDecodableError as err:
        if explicit:
            raise
        # Not UTF-8: detect with cp1252 and use it only when the mapping found says so.
        layout = _sniff_csv(path, mappings, mapping_name, "cp1252")
        if "encoding" not in layout.mapping.model_fields_set or layout.mapping.encoding == "utf-8":
            raise err from None
        return layout
    if not explicit and "encoding" in layout.mapping.model_fields_set:
        layout.encoding = layout.mapping.encoding
    return layout


def _rows_until_error(lines: list[str], delimiter: str) -> list[list[str]]:
    """The rows of the first lines; a line the csv module refuses ends the sample (the
    streaming pass reports it with its line number)."""
    rows: list[list[str]] = []
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        for row in reader:
            rows.append(row)
    except csv.Error:
        pass
    return rows


def _sniff_csv(path: Path, mappings, mapping_name, enc: str) -> Layout:
    lines: list[str] = []
    for text in _csv_lines(path, enc):
        lines.append(text)
        if len(lines) > HEADER_SEARCH_ROWS + 5:
            break
    if not "".join(lines).strip():
        raise StatementError(f"{path.name}: le fichier est vide (que des lignes blanches)")
    forced = next((m for m in mappings if m.name == mapping_name), None)
    candidates = [forced.delimiter] if forced and forced.delimiter else list(DELIMITERS)
    best: tuple[tuple, Layout] | None = None
    errors: list[tuple[int, int, MappingError]] = []
    for d in candidates:
        rows = _rows_until_error(lines, d)
        try:
            hm = find_header(rows, mappings, mapping_name)
        except MappingError as err:
            # explain with the separator that splits the lines the most
            errors.append((max((len(r) for r in rows), default=0), -len(errors), err))
            continue
        if hm.mapping.delimiter and hm.mapping.delimiter != d:
            continue
        key = (len(hm.positions), hm.hinted, -candidates.index(d))
        if best is None or key > best[0]:
            best = (key, Layout(path, "csv", hm, enc, d))
    if best is None:
        raise (
            max(errors, key=lambda e: e[:2])[2]
            if errors
            else MappingError("aucune ligne d'en-tête trouvée")
        )
    return best[1]


def statement_rows(layout: Layout) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of the rows after the header: a generator, never the whole file."""
    m = layout.mapping
    if layout.pdf is not None:
        yield from _pdf_rows(layout, layout.pdf)
        return
    if layout.kind == "xlsx":
        rows = _xlsx_rows(layout.path, m.sheet, m.decimal_separator)
    else:
        rows = _csv_rows(layout.path, layout.encoding, layout.delimiter)
    for index, (line, cells) in enumerate(rows):
        if index > layout.header.row_index:
            yield line, cells


def _pdf_rows(layout: Layout, lines: list[list[Piece]]) -> Iterator[tuple[int, list[str]]]:
    """A PDF's lines after the header, in the header's columns; the header repeated on a
    later page is not a line."""
    r = layout.header.row_index
    header = lines[r]
    texts = [p.text for p in header]
    i_label, i_date = layout.header.positions["label"], layout.header.positions["date"]
    held: tuple[int, list[str]] | None = None  # an operation, until its label is complete
    label_x: float | None = None  # where that operation's label starts
    for number, line in enumerate(lines[r + 1 :], start=r + 2):
        if [p.text for p in line] == texts:
            continue
        cells = as_cells(line, header)
        if (
            held is not None
            and label_x is not None
            and all(not c for i, c in enumerate(cells) if i != i_label)
            and min(p.x0 for p in line) >= label_x - LABEL_ALIGN
            and not _NOT_A_LABEL.match(normalise_header(cells[i_label]))
        ):
            # a label wrapped on the next line, under the label's start: part of it
            held[1][i_label] = f"{held[1][i_label]} {cells[i_label]}"
            continue
        if held is not None:
            yield held
            held, label_x = None, None
        if cells[i_date]:
            held = (number, cells)
            starts = [p.x0 for p in line if as_cells([p], header)[i_label]]
            label_x = min(starts) if starts else None
        else:
            yield number, cells
    if held is not None:
        yield held


def title_rows(layout: Layout) -> list[list[str]]:
    """The rows above the header (bank, account, period, opening balance), as read."""
    return [cells for _, cells in numbered_title_rows(layout)]


def numbered_title_rows(layout: Layout) -> list[tuple[int, list[str]]]:
    """:func:`title_rows` with the line (or sheet row) number of each."""
    m = layout.mapping
    if layout.pdf is not None:
        return [
            (i, [p.text for p in line])
            for i, line in enumerate(layout.pdf[: layout.header.row_index], start=1)
        ]
    if layout.kind == "xlsx":
        rows = _xlsx_rows(layout.path, m.sheet, m.decimal_separator)
    else:
        rows = _csv_rows(layout.path, layout.encoding, layout.delimiter)
    out = []
    for index, (line, cells) in enumerate(rows):
        if index >= layout.header.row_index:
            break
        out.append((line, cells))
    if hasattr(rows, "close"):
        rows.close()
    return out
