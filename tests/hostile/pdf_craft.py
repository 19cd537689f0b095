"""Crafted PDFs for the hostile PDF tests: built here from an ordinary invoice, never committed."""

from __future__ import annotations

import io
import zlib
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import EncodedStreamObject, NameObject

from tests.invoice_check_pdfs import good, render


def invoice_bytes(tmp: Path) -> bytes:
    return render(good(), tmp / "base.pdf").read_bytes()


def with_operators(
    tmp: Path, operators: int, op: bytes = b"(a) Tj\n", pages: int = 1, base: bytes | None = None
) -> bytes:
    """The ordinary invoice, each of its first ``pages`` pages (the page repeated) drawing
    ``operators`` more text operators in its own font, flate-compressed: 3 million of them
    make a PDF of about 55 KB (the attack: 83 KB)."""
    reader = PdfReader(io.BytesIO(base or invoice_bytes(tmp)))
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_page(reader.pages[0])
    for page in writer.pages:
        font = next(iter(page["/Resources"]["/Font"].keys()))
        contents = page.get_contents()
        assert contents is not None
        body = contents.get_data() + b"\nBT " + font.encode() + b" 9 Tf 10 10 Td "
        body += op * operators + b" ET\n"
        stream = EncodedStreamObject()
        stream._data = zlib.compress(body, 9)
        stream[NameObject("/Filter")] = NameObject("/FlateDecode")
        page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
