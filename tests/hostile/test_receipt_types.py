"""Issue 15 part 6: a receipt uploaded as ``x.html`` whose bytes are a PDF is stored and
served under the extension of its detected type."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfWriter

from khazna.ledger.bundle import import_bundle
from khazna.ledger.db import Ledger
from khazna.tools.receipts import attach_receipt, named_for
from tests.bundles import write_bundle


def _pdf() -> bytes:
    w = PdfWriter()
    w.add_blank_page(width=200, height=200)
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "media", "stored"),
    [
        ("x.html", "application/pdf", "x.pdf"),
        ("facture.PDF", "application/pdf", "facture.PDF"),
        ("photo.svg", "image/png", "photo.png"),
        ("ticket", "image/jpeg", "ticket.jpg"),
        ("t.jpeg", "image/jpeg", "t.jpeg"),
        ("../../a.pdf.html", "application/pdf", "a.pdf.pdf"),
    ],
)
def test_a_receipt_is_named_by_its_detected_type(name, media, stored):
    assert named_for(name, media) == stored


def test_a_pdf_uploaded_as_html_is_stored_as_pdf(tmp_path):
    ledger = Ledger(f"sqlite:///{tmp_path / 'l.db'}")
    import_bundle(ledger, write_bundle(tmp_path / "b"))
    info = attach_receipt(ledger, "E001", "x.html", _pdf())
    assert info.media_type == "application/pdf" and info.filename == "x.pdf"
