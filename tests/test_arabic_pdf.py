"""Arabic in the PDFs Khazna writes: glyphs embedded (DejaVu Sans), letters shaped, the line
laid out right to left, and a real extractor (pypdf) reads the words back in the order they
were written — the client's name and address, an amount and an invoice number unbroken."""

from __future__ import annotations

import io
import re
import unicodedata

import pytest
from pypdf import PdfReader

from khazna.ledger.documents import Party
from khazna.ledger.invoice_pdf import invoice_pdf_bytes
from khazna.pdf_text import arabic_font, bidi_runs, visual
from tests.test_invoice_pdf import _doc

pytestmark = pytest.mark.skipif(arabic_font() is None, reason="fonts-dejavu-core not installed")

NAME = "مؤسسة النور للبناء"
ADDRESS = "شارع العربي بن مهيدي، البليدة 09000"
ARABIC_WORD = re.compile(r"[\u0600-\u06ff]+")


def extracted(pdf: bytes) -> str:
    raw = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    return unicodedata.normalize("NFKC", raw).replace("\u00a0", " ")


def words(text: str) -> list[str]:
    return ARABIC_WORD.findall(text)


def test_invoice_for_an_arabic_client_embeds_the_glyphs_and_reads_back_in_order():
    pdf = invoice_pdf_bytes(_doc(buyer=Party(name=NAME, address=ADDRESS)))
    fonts = {
        str(f["/BaseFont"])
        for page in PdfReader(io.BytesIO(pdf)).pages
        for f in page["/Resources"]["/Font"].values()
    }
    assert any("DejaVu" in f or "KhaznaArabic" in f for f in fonts), fonts
    text = extracted(pdf)
    assert "Client :" in text and "F2026-0142" in text
    # every Arabic word of the name and the address, in the order written
    line = next(ln for ln in text.splitlines() if "Client" in ln)
    assert words(line) == words(NAME)
    address = next(ln for ln in text.splitlines() if "Adresse" in ln)
    assert words(address) == words(ADDRESS)
    assert "09000" in address


def test_a_mixed_right_to_left_line_keeps_numbers_and_ids_whole():
    """An Arabic sentence holding an invoice number, a date and an amount (NBSP groups):
    the runs come out in logical order, so pypdf reads the sentence as written."""
    sentence = "الفاتورة رقم F2026-0363 بتاريخ 03/12/2026 بمبلغ 559\u00a0300,00 دج"
    runs = bidi_runs(sentence)
    assert [r for _p, r, rtl in runs if not rtl] == ["F2026-0363", "03/12/2026", "559\u00a0300,00"]
    # drawn, the page holds what visual() shows (the shaped display order)
    assert "".join(r for _p, r, _ in sorted(runs, key=lambda run: len(run[0]))) == visual(sentence)
    pdf = invoice_pdf_bytes(
        _doc(
            buyer=Party(name=NAME),
            lines=[],
            total_ht=None,
            total_tva=None,
            total_ttc=None,
            amount_in_words=sentence,
        )  # fmt: skip
    )
    text = " ".join(extracted(pdf).split())
    assert words(text)[-len(words(sentence)) :] == words(sentence)
    squashed = re.sub(r"\s", "", text)
    assert re.sub(r"\s", "", "F2026-0363بتاريخ03/12/2026بمبلغ559 300,00دج") in squashed
