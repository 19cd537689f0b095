"""Issue 15, part 7: the PDF reader under hypothesis.

Property: whatever the bytes, :func:`read_pdf_bytes` (what ``check-invoice`` runs on a PDF)
returns a reading or raises :class:`InvoiceReadError` with a message (never anything else),
within its CPU budget; and :func:`bank_pdf.pdf_lines` raises only ``PdfStatementError``.

Inputs: raw bytes behind a ``%PDF`` header; the ordinary invoice with its content stream
replaced by one generated from the operator grammar (text, positioning, graphics state,
nested arrays, strings with escapes and hex, inline images, XObject calls, huge numbers,
unbalanced BT/ET and q/Q), written uncompressed and then mutated byte-wise (flips, inserted
delimiters, deleted and duplicated slices, amplified slices). ``KHAZNA_FUZZ_EXAMPLES``
raises the number of examples for a longer run (the default keeps the suite fast).
"""

from __future__ import annotations

import io
import os
import time
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject

from khazna.ledger import bank_pdf
from khazna.ledger.pdf_budget import PdfBudget
from khazna.tools.invoice_check.models import InvoiceReadError, PdfRead
from khazna.tools.invoice_check.pdf_read import read_pdf_bytes
from tests.invoice_check_pdfs import good, render

EXAMPLES = int(os.environ.get("KHAZNA_FUZZ_EXAMPLES", "120"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # the budget is checked by the property itself
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=os.environ.get("KHAZNA_FUZZ_RANDOM") is None,  # CI: the same examples each run
)
# the reader's own CPU budget, plus what it may spend after its last check (one page's
# layout pass at the parsing bound, then reading fields out of the text)
BUDGET = PdfBudget().cpu_seconds + 6.0


@cache
def _invoice() -> tuple[bytes, str]:
    """The ordinary invoice, its page content uncompressed, and its font's resource name."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        data = render(good(), Path(tmp) / "F.pdf").read_bytes()
    page = PdfReader(io.BytesIO(data)).pages[0]
    font = str(next(iter(page["/Resources"]["/Font"].keys())))
    return data, font


def _with_content(body: bytes) -> bytes:
    data, _ = _invoice()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    stream = DecodedStreamObject()
    stream.set_data(body)
    writer.pages[0][NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


_number = st.sampled_from(
    [b"0", b"1", b"-1", b"9.5", b"1e308", b"99999999999999999999", b".", b"-"]
)
_WELL_FORMED = [b"(Facture F2026-0142)", b"(a\\)b)", b"(\\\\)", b"((nested))", b"<48656c6c6f>",
                b"<4>", b"(\\376\\377\\000A)", b"(Total TTC : 173 500,00 DA)", b"()",
                b"(N\\260 F2026-0001)", b"(Date : 05/10/2026)"]  # fmt: skip
# a broken string ends the page's parse: drawn one time in twelve, so most pages get read
_string = st.sampled_from(_WELL_FORMED * 6 + [b"(unclosed", b"<zz>", b"(\\"])
_name = st.sampled_from([b"/F1", b"/F2", b"/Vera", b"/Im0", b"/X", b"/#20", b"/"])


@st.composite
def _operand(draw, depth: int = 0) -> bytes:
    kind = draw(st.sampled_from(["num", "str", "name", "array", "dict"]))
    if kind == "array" and depth < 4:
        return b"[" + b" ".join(draw(st.lists(_operand(depth + 1), max_size=5))) + b"]"
    if kind == "dict" and depth < 4:
        pairs = draw(st.lists(st.tuples(_name, _operand(depth + 1)), max_size=3))
        return b"<<" + b" ".join(k + b" " + v for k, v in pairs) + b">>"
    return draw({"num": _number, "str": _string, "name": _name}.get(kind, _number))


_operator = st.sampled_from(
    [b"BT", b"ET", b"Tf", b"Td", b"TD", b"Tm", b"T*", b"Tj", b"TJ", b"'", b'"', b"Tc", b"Tw",
     b"Tz", b"TL", b"Ts", b"cm", b"q", b"Q", b"re", b"f", b"Do", b"gs", b"BMC", b"EMC", b"xyz"]
)  # fmt: skip
_small = st.integers(-900, 900).map(lambda n: str(n).encode())


@st.composite
def _typical(draw, font: bytes) -> bytes:
    """An operator with the operands it expects (most of what an invoice page draws)."""
    kind = draw(st.sampled_from(["Tj", "TJ", "Td", "Tm", "Tf", "cm", "T*", "q", "Q"]))
    if kind == "Tj":
        return draw(_string) + b" Tj"
    if kind == "TJ":
        items = draw(st.lists(_string | _small, max_size=6))
        return b"[" + b" ".join(items) + b"] TJ"
    if kind in ("Td", "Tm", "cm"):
        n = 2 if kind == "Td" else 6
        return b" ".join(draw(st.lists(_small, min_size=n, max_size=n))) + b" " + kind.encode()
    if kind == "Tf":
        return font + b" " + draw(_small) + b" Tf"
    return kind.encode()


@st.composite
def content(draw) -> bytes:
    _, name = _invoice()
    font = name.encode()
    ops = [b"BT " + font + b" 9 Tf 50 800 Td"]
    for _ in range(draw(st.integers(0, 40))):
        roll = draw(st.integers(0, 9))
        if roll == 0:
            ops.append(b"BI /W 2 /H 2 /BPC 8 /CS /G ID \x00\x01\x02\x03 EI")
        elif roll <= 2:  # anything: operands and operator drawn apart
            operands = draw(st.lists(_operand(), max_size=4))
            ops.append(b" ".join([*operands, draw(_operator)]))
        else:
            ops.append(draw(_typical(font)))
    if draw(st.booleans()):
        ops.append(b"ET")
    body = b"\n".join(ops)
    if draw(st.booleans()):  # a slice repeated: where a superlinear step would show
        at = draw(st.integers(0, len(body)))
        body = body[:at] + body[at : at + 32] * draw(st.integers(10, 5_000)) + body[at:]
    return body


@st.composite
def mutated(draw) -> bytes:
    raw = bytearray(draw(content().map(_with_content)))
    for _ in range(draw(st.integers(0, 6))):
        at = draw(st.integers(0, len(raw) - 1))
        op = draw(st.sampled_from(["flip", "insert", "delete", "dup"]))
        if op == "flip":
            raw[at] = draw(st.integers(0, 255))
        elif op == "insert":
            raw[at:at] = draw(st.sampled_from([b"(", b")", b"<<", b">>", b"[", b"]", b"\x00",
                                               b" obj ", b"endstream", b"%%EOF", b" R "]))  # fmt: skip
        elif op == "delete":
            del raw[at : at + draw(st.integers(1, 64))]
        else:
            end = min(len(raw), at + draw(st.integers(1, 64)))
            raw[at:at] = raw[at:end] * draw(st.integers(1, 50))
    return bytes(raw)


pdfs = st.binary(max_size=2000).map(lambda b: b"%PDF-1.4\n" + b) | content().map(_with_content)
pdfs = pdfs | mutated()


# found by this target (1 500 examples): a Tf with an array before its font name made
# pypdf's text extractor raise TypeError, and `khazna import-bank` a traceback
FOUND = [b"BT /F1 9 Tf 50 800 Td\nT*\n[]  /F1 9 Tf 50 800 Td\nT* BT"]


@FUZZ
@given(pdfs)
@example(_with_content(FOUND[0]))
def test_read_pdf_never_raises_anything_else(data):
    started = time.process_time()
    try:
        got = read_pdf_bytes(data, "x.pdf")
    except InvoiceReadError as err:
        assert str(err).startswith("x.pdf: ")
        event("refused: " + str(err)[7:32])
    else:
        assert isinstance(got, PdfRead)
        event("read, number found" if got.document.number else "read, no number")
    spent = time.process_time() - started
    event(next(f"cpu < {b} s" for b in (0.1, 0.5, 2, 1e9) if spent < b))
    assert spent < BUDGET


@settings(FUZZ, max_examples=max(20, EXAMPLES // 4))
@given(pdfs)
@example(_with_content(FOUND[0]))
def test_bank_pdf_raises_only_its_own_error(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("bank") / "releve.pdf"
    path.write_bytes(data)
    try:
        bank_pdf.pdf_lines(path)
    except bank_pdf.PdfStatementError as err:
        assert str(err).startswith("releve.pdf: ")
