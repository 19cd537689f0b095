"""Reminders go out as multipart/alternative (text + HTML) with the invoices as a real table:
``<table dir="rtl">`` in Arabic, one invoice per line in the text part, Latin tokens isolated,
and the attached invoice PDF carries the Arabic client's name in readable, ordered text."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata

import pytest
from pypdf import PdfReader

from khazna.agents.approval.state import Decision
from khazna.agents.deps import AgentDeps
from khazna.agents.dunning.graph import build_dunning_graph
from khazna.agents.inbox import decide
from khazna.ledger.bundle import import_bundle
from khazna.ledger.db import Ledger
from khazna.mail.letter_html import TextTable, letter_html
from khazna.text import LRI, PDI, strip_bidi
from tests.bundles import FILES, write_bundle
from tests.test_approval import AS_OF, DRAFT, _smtp
from tests.test_approval import _drafted as drafted_fr

NAME = "شركة الأمل للتوزيع"
ARABIC_WORD = re.compile(r"[\u0600-\u06ff]+")


def _drafted_ar(db_url, tmp_path, transport):
    clients = FILES["clients.csv"].replace(
        "C01,Sonatel SPA,grand_compte,compta@sonatel.example.dz,,fr,",
        f"C01,{NAME},grand_compte,compta@sonatel.example.dz,,ar,",
    )
    ledger = Ledger(db_url)
    import_bundle(ledger, write_bundle(tmp_path / "b", clients_csv=clients))
    deps = AgentDeps(ledger=ledger, transport=transport)
    build_dunning_graph().invoke({"as_of": AS_OF, "run_id": "t"}, {"configurable": {"deps": deps}})
    return deps


def test_an_arabic_reminder_has_a_right_to_left_html_table_and_a_readable_attachment(
    db_url, tmp_path, smtp
):
    deps = _drafted_ar(db_url, tmp_path, _smtp(smtp.port))
    view = decide(deps, DRAFT, Decision(action="approve", by="gerant"))
    assert view.status == "sent"
    msg = smtp.parsed(0)
    alt = next(p for p in msg.walk() if p.get_content_type() == "multipart/alternative")
    assert [p.get_content_type() for p in alt.iter_parts()] == ["text/plain", "text/html"]
    html = msg.get_body(("html",)).get_content()
    assert '<html lang="ar" dir="rtl">' in html
    assert html.count('<table dir="rtl"') == 1
    row = re.search(r"<tr><td[^>]*><bdi>F2026-0001</bdi></td>.*?</tr>", html).group()
    cells = re.findall(r"<bdi>(.*?)</bdi>", row)
    # 119 000 - 50 000 paid - 11 900 credited; the amount and « دج » in one cell
    assert cells[0] == "F2026-0001" and cells[3] == "57\u202f100,00 دج"
    # the text part: one invoice per line, its Latin tokens isolated, no pipe columns
    text = msg.get_body(("plain",)).get_content()
    line = next(ln for ln in text.splitlines() if "F2026-0001" in ln and "الفاتورة" in ln)
    assert "|" not in text
    assert f"{LRI}F2026-0001{PDI}" in line and f"{LRI}10/01/2026{PDI}" in line
    # the invoice PDF shows the client's name in Arabic: the words, in the order written
    (pdf,) = [p for p in msg.iter_attachments() if p.get_filename() == "F2026-0001.pdf"]
    extracted = unicodedata.normalize(
        "NFKC",
        "\n".join(pg.extract_text() for pg in PdfReader(io.BytesIO(pdf.get_content())).pages),
    )
    client_line = next(ln for ln in extracted.splitlines() if ln.startswith("Client"))
    assert ARABIC_WORD.findall(client_line) == ARABIC_WORD.findall(NAME)


def test_a_french_reminder_gets_the_same_html_part(db_url, tmp_path, smtp):
    deps = drafted_fr(db_url, tmp_path, _smtp(smtp.port))
    decide(deps, DRAFT, Decision(action="approve", by="gerant"))
    html = smtp.parsed(0).get_body(("html",)).get_content()
    assert '<html lang="fr" dir="ltr">' in html and '<table dir="ltr"' in html
    assert "<bdi>F2026-0001</bdi>" in html and "<th" in html and "Reste dû" in html


def test_an_edited_table_block_is_shown_as_written_not_as_the_old_table():
    table = TextTable(
        text="- facture F1 : reste dû 10,00 DA", columns=("Facture", "Reste dû"),
        rows=(("F1", "10,00 DA"),),
    )  # fmt: skip
    same = letter_html("Madame,\n\n- facture F1 : reste dû 10,00 DA\n\nCordialement", "fr", [table])
    assert "<table" in same and same.count("<p") == 2
    edited = letter_html("Madame,\n\n- facture F1 : reste dû 1,00 DA", "fr", [table])
    assert "<table" not in edited and "reste dû 1,00 DA" in edited
    # client text is escaped, never markup
    assert "&lt;script&gt;" in letter_html("<script>x</script>", "fr")


PDFTOTEXT = shutil.which("pdftotext")


@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext absent (apt-get install poppler-utils)")
def test_pdftotext_reads_the_arabic_name_on_the_invoice_attached_to_the_reminder(
    db_url, tmp_path, smtp
):
    """Issue 13.2, with a PDF tool that is not ours (Debian's poppler ``pdftotext``) on the
    attachment exactly as it reached the SMTP server: the Arabic client's name is text (no
    empty boxes: the font that draws it is embedded), shaped letters that fold back to the
    name, its words in the order written; the invoice number and the amounts unbroken."""
    deps = _drafted_ar(db_url, tmp_path, _smtp(smtp.port))
    assert decide(deps, DRAFT, Decision(action="approve", by="gerant")).status == "sent"
    (pdf,) = [p for p in smtp.parsed(0).iter_attachments() if p.get_filename() == "F2026-0001.pdf"]
    path = tmp_path / "F2026-0001.pdf"
    path.write_bytes(pdf.get_content())
    raw = subprocess.run(
        [PDFTOTEXT, "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    # pdftotext gives the shaped forms (presentation forms, U+FExx) inside embedding marks:
    # compatibility folding gives back the letters the name was written with
    text = strip_bidi(unicodedata.normalize("NFKC", raw)).replace("\xa0", " ")
    client_line = next(ln for ln in text.splitlines() if ln.startswith("Client"))
    assert ARABIC_WORD.findall(client_line) == ARABIC_WORD.findall(NAME), client_line
    assert NAME in client_line
    assert "F2026-0001" in text and "119 000,00" in text
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert any("DejaVu" in ln and " yes " in ln for ln in fonts.splitlines()), fonts
