"""Issue 15 part 6: a PDF's text is read within a budget (decoded content per page, parsing work
per stream, CPU seconds, characters) and past it the owner reads "trop complexe à lire".

The attack: an 83 KB PDF whose content stream draws 3 million operators took 2 min 50 s in
``check-invoice`` (with pypdf 7.1: 8 s, then "damaged or truncated PDF"); 600 000 operators,
under pypdf's own parsing bound, took 37 s and read garbage. The PDFs are built by the
tests (tests/hostile/pdf_craft.py)."""

from __future__ import annotations

import time
from datetime import date

import pytest

from khazna.cli import main
from khazna.ledger import bank_pdf
from khazna.ledger.pdf_budget import PdfBudget
from khazna.tools.invoice_check.files import check_file
from khazna.tools.invoice_check.models import InvoiceReadError
from khazna.tools.invoice_check.pdf_text import extract_text
from tests.hostile.pdf_craft import invoice_bytes, with_operators

AS_OF = date(2026, 10, 20)
TOO_COMPLEX = "PDF trop complexe à lire ("


def _cpu(fn, *args, **kwargs):
    started = time.process_time()
    try:
        return fn(*args, **kwargs), time.process_time() - started
    except InvoiceReadError as err:
        return err, time.process_time() - started


def test_the_3_million_operator_attack_is_refused_in_a_second(tmp_path, capsys):
    data = with_operators(tmp_path, 3_000_000)
    assert len(data) < 100_000  # the attack's size
    path = tmp_path / "F2026-0142.pdf"
    path.write_bytes(data)
    started = time.process_time()
    assert main(["check-invoice", str(path)]) == 1
    spent = time.process_time() - started
    err = capsys.readouterr().err
    assert f"F2026-0142.pdf: {TOO_COMPLEX}un flux dépasse 16,0 Mio une fois décompressé)" in err
    assert "Traceback" not in err
    assert spent < 5  # 2 min 50 s before; about 0.3 s of CPU here


@pytest.mark.parametrize(
    ("operators", "op", "reason"),
    [
        # 600 000 text operators, 4 MiB decoded: under pypdf's own bounds, 37 s before
        (600_000, b"(a) Tj\n", "le contenu de la page 1 fait 4,0 Mio une fois décompressé, "),
        # dense tokens within the page's bytes: pypdf's parsing work bound, ours
        (400_000, b"0 ", "un flux de contenu dessine plus de 300\u202f000 éléments"),
    ],
)
def test_bounded_bytes_and_parsing_work(tmp_path, operators, op, reason):
    got, spent = _cpu(extract_text, with_operators(tmp_path, operators, op), "x.pdf")
    assert isinstance(got, InvoiceReadError)
    assert str(got).startswith(f"x.pdf: {TOO_COMPLEX}{reason}")
    assert spent < 5


def test_pages_each_within_bounds_are_stopped_by_the_cpu_budget(tmp_path):
    """Ten pages of 100 000 operators: each page passes the size and parsing bounds, the
    document costs about 10 s; the CPU budget (0.5 s here) stops it, between or within pages."""
    data = with_operators(tmp_path, 100_000, pages=10)
    budget = PdfBudget(cpu_seconds=0.5)
    got, spent = _cpu(extract_text, data, "x.pdf", budget=budget)
    assert isinstance(got, InvoiceReadError)
    assert str(got).startswith(f"x.pdf: {TOO_COMPLEX}plus de 0,5 s de calcul pour en lire le texte")
    assert spent < 3


def test_the_text_extracted_is_bounded(tmp_path):
    budget = PdfBudget(text_chars=50_000)
    got, _ = _cpu(extract_text, with_operators(tmp_path, 60_000), "x.pdf", budget=budget)
    assert isinstance(got, InvoiceReadError)
    assert f"{TOO_COMPLEX}plus de 50\u202f000 caractères de texte" in str(got)


def test_an_ordinary_invoice_is_still_read_and_checked(tmp_path):
    path = tmp_path / "F.pdf"
    path.write_bytes(invoice_bytes(tmp_path))
    result, spent = _cpu(check_file, path, AS_OF)
    assert not isinstance(result, InvoiceReadError)
    assert result.ok and result.findings == []
    assert spent < 2


def test_a_bank_statement_pdf_has_the_same_budget(tmp_path):
    path = tmp_path / "releve.pdf"
    path.write_bytes(with_operators(tmp_path, 3_000_000))
    with pytest.raises(bank_pdf.PdfStatementError, match="releve.pdf: PDF trop complexe à lire"):
        bank_pdf.pdf_lines(path)
    path.write_bytes(with_operators(tmp_path, 100_000, pages=4))
    with pytest.raises(bank_pdf.PdfStatementError, match="s de calcul"):
        bank_pdf.pdf_lines(path, PdfBudget(cpu_seconds=0.3))
