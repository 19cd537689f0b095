"""A PDF bank statement read as the rows of a table, for the same checks as a CSV export.

The common layout of a statement PDF: title lines (bank, RIB, period, opening balance), a
header line (``Date  Libellé  Débit  Crédit  Solde``), one line per operation, totals and a
footer, the header repeated on each page. pypdf's text visitor gives each string drawn with
its position; strings are grouped into lines by their height on the page, and each string of
an operation line goes to the header column it lies under (the largest horizontal overlap,
else the nearest). Text lines are numbered from the start of the document, which is what an
error's ``file:line`` means for a PDF. A statement is read within a :class:`PdfBudget`
(per page as an invoice, more CPU for its up to 500 pages): past it "trop complexe à lire".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from khazna.ledger.pdf_budget import PdfBudget, Reading, TooComplex

MAX_PAGES = 500  # a year of daily statements; more is not a statement
LINE_TOLERANCE = 2.5  # points: strings of one line share a baseline, give or take
BUDGET = PdfBudget(cpu_seconds=60.0, text_chars=20_000_000)  # 500 pages: 0.1 s each


class PdfStatementError(ValueError):
    """The PDF cannot be read as a statement (scanned, encrypted, damaged)."""


@dataclass(frozen=True)
class Piece:
    text: str
    x0: float
    x1: float


def _width(text: str, size: float) -> float:
    return max(1.0, len(text) * size * 0.5)  # no font metrics from the visitor: an estimate


def pdf_lines(path: Path, budget: PdfBudget = BUDGET) -> list[list[Piece]]:
    """The document's text lines, top to bottom and page after page, each left to right."""
    reading = Reading(budget)
    try:
        with reading.limits():
            return _pdf_lines(path, reading)
    except TooComplex as err:
        raise PdfStatementError(f"{path.name}: PDF trop complexe à lire ({err.reason})") from None


def _pdf_lines(path: Path, reading: Reading) -> list[list[Piece]]:
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise PdfStatementError(f"{path.name}: un PDF chiffré : exportez-le sans mot de passe")
        pages = reader.pages
        if len(pages) > MAX_PAGES:
            raise PdfStatementError(f"{path.name}: {len(pages)} pages, plus de {MAX_PAGES}")
        out: list[list[Piece]] = []
        for number, page in enumerate(pages, 1):
            reading.check_page(page, number)
            found: list[tuple[float, Piece]] = []

            def visit(text, cm, tm, _font, size, found=found) -> None:
                t = text.strip()
                if not t:
                    return
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                scale = abs(tm[0] * cm[0]) or 1.0
                found.append((y, Piece(t, x, x + _width(t, size * scale))))

            reading.add_text(
                page.extract_text(visitor_text=visit, visitor_operand_before=reading.tick)
            )
            found.sort(key=lambda p: (-p[0], p[1].x0))
            line: list[Piece] = []
            y_line: float | None = None
            for y, piece in found:
                if y_line is not None and abs(y - y_line) > LINE_TOLERANCE:
                    out.append(sorted(line, key=lambda p: p.x0))
                    line = []
                if not line:
                    y_line = y
                line.append(piece)
            if line:
                out.append(sorted(line, key=lambda p: p.x0))
    except PdfStatementError:
        raise
    except PdfReadError as err:
        raise PdfStatementError(f"{path.name}: PDF illisible ({err})") from None
    except Exception as err:  # noqa: BLE001 - pypdf raises many kinds on broken files
        # (found by tests/hostile/test_fuzz_pdf.py: ``[] /F1 9 Tf`` raises TypeError in
        # pypdf's text extractor); a statement with a page unread would miss its rows
        if (over := reading.over(err)) is not None:
            raise over from None
        raise PdfStatementError(
            f"{path.name}: PDF illisible ({type(err).__name__}: {err})"
        ) from None
    if not out:
        raise PdfStatementError(
            f"{path.name}: pas de texte dans ce PDF (un scan ?) : exportez le relevé en CSV ou "
            "en PDF avec du texte"
        )
    return out


def as_cells(line: list[Piece], header: list[Piece]) -> list[str]:
    """The strings of ``line`` in the columns of ``header``."""
    cells = [""] * len(header)
    for p in line:
        overlaps = [min(p.x1, h.x1) - max(p.x0, h.x0) for h in header]
        best = max(range(len(header)), key=lambda i: overlaps[i])
        if overlaps[best] <= 0:
            mid = (p.x0 + p.x1) / 2
            best = min(
                range(len(header)), key=lambda i: abs((header[i].x0 + header[i].x1) / 2 - mid)
            )
        cells[best] = f"{cells[best]} {p.text}".strip()
    return cells
