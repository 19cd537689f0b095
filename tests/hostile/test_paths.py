"""Paths built from data (issue 15, part 1): every file name derived from an id goes through
khazna.filenames, inside its folder; the import refuses ids that could climb out of one;
an invoice number such as ``2026/0001`` works in files and links, encoded, not refused.

The attacks are built by the tests (no crafted file is committed)."""

from __future__ import annotations

import csv
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from khazna.agents.approval.sending import build_reminder_message
from khazna.cli import main
from khazna.filenames import MAX_NAME, inside, name_of, safe_name, safe_path, url_segment
from khazna.ledger.bundle import BundleError, export_bundle, import_bundle
from khazna.ledger.db import Ledger
from khazna.ledger.models import Document, Invoice
from khazna.ledger.tables_agents import Draft
from khazna.mail.message import build_message
from khazna.mail.transport import FileOutbox
from khazna.web.app import create_app
from khazna.web.throttle import LoginLimiter
from khazna.web.users import add_user
from tests.bundles import FILES, write_bundle
from tests.invoice_check_pdfs import good, render
from tests.web_helpers import OWNER, add_draft, login

EVIL = "../../../../outside/evil"
SLASHED = "2026/0001"


def invoices_with(number: str) -> str:
    return FILES["invoices.csv"] + (
        f"{number},C01,2026-03-01,2026-03-31,virement,1000.00,190.00,0,1190.00,issued,\n"
    )


# -- the one function ---------------------------------------------------------------------


@settings(max_examples=400, deadline=None)
@given(st.text(min_size=1, max_size=80))
def test_any_text_maps_to_one_plain_name_inside_its_folder_and_back(name):
    folder = Path("/data/outbox")
    got = safe_name(name, ".pdf")
    assert got not in (".", "..") and not got.startswith(".")
    assert not any(c in got for c in "/\\\0\r\n") and got.isascii() and got.isprintable()
    assert len(got) <= MAX_NAME
    assert safe_path(folder, name, ".pdf").parent == folder
    if "~" not in got[:-4] or len(got) < MAX_NAME - 20:  # not shortened: reversible
        assert name_of(got, ".pdf") == name


def test_the_names_of_the_attack_and_of_a_slashed_number():
    assert safe_name(EVIL, ".pdf") == "%2E.%2F..%2F..%2F..%2Foutside%2Fevil.pdf"
    assert safe_name(SLASHED, ".pdf") == "2026%2F0001.pdf"
    assert safe_name("F2026-0001", ".pdf") == "F2026-0001.pdf"  # ordinary numbers unchanged
    assert safe_name("2026/0001") != safe_name("2026-0001")  # no two numbers share a file
    assert url_segment(SLASHED) == "2026%2F0001"
    for bad in ("..", ".", "a/b", "a\\b", "a\0b", ""):
        with pytest.raises(ValueError):
            inside(Path("/data"), bad)


# -- the import refuses ids that name a place -----------------------------------------------


@pytest.mark.parametrize(
    ("number", "message"),
    [
        (EVIL, "un identifiant ne peut pas contenir de segment de chemin '.' ou '..'"),
        ("2026/../x", "un identifiant ne peut pas contenir de segment de chemin '.' ou '..'"),
        (
            "F1\\..\\x",
            "un identifiant ne peut pas contenir une barre oblique inverse (caractère 3)",
        ),
        ('"F1\rBcc: x@evil.example"', "un identifiant ne peut pas contenir CR (caractère 3)"),
        ('"F1\nX"', "un identifiant ne peut pas contenir LF (caractère 3)"),
        ("F1\0X", "un identifiant ne peut pas contenir NUL (caractère 3)"),
        (
            "F1\x1bX",
            "un identifiant ne peut pas contenir le caractère de contrôle U+001B (caractère 3)",
        ),
    ],
)
def test_the_import_refuses_an_id_that_names_a_place(tmp_path, capsys, number, message):
    root = write_bundle(tmp_path / "b", invoices_csv=invoices_with(number))
    url = f"sqlite:///{tmp_path / 'l.db'}"
    assert main(["import", str(root), "--db", url]) != 0
    err = capsys.readouterr().err
    assert f"invoices.csv:6: number: {message}" in err
    assert "Traceback" not in err


def test_a_plain_slash_in_a_number_is_legitimate_in_the_ledger_files_and_links(tmp_path):
    """2026/0001 imports, its document is documents/2026%2F0001.pdf, the export names it the
    same way and a second ledger reads the export back; the web links and the PDF work."""
    root = write_bundle(tmp_path / "b", invoices_csv=invoices_with(SLASHED))
    (root / "documents").mkdir()
    render(good(number=SLASHED), safe_path(root / "documents", SLASHED, ".pdf"))
    ledger = Ledger(f"sqlite:///{tmp_path / 'l.db'}")
    report = import_bundle(ledger, root)
    assert report.counts["documents"] == 1 and not [w for w in report.warnings if "documents" in w]
    with ledger.read() as s:
        (doc,) = s.query(Document).all()
        assert (doc.number, doc.filename) == (SLASHED, "2026%2F0001.pdf")
    out = tmp_path / "export"
    export_bundle(ledger, out)
    assert [p.name for p in (out / "documents").iterdir()] == ["2026%2F0001.pdf"]
    assert not (out / "documents" / "2026").exists()
    again = Ledger(f"sqlite:///{tmp_path / 'again.db'}")
    assert import_bundle(again, out).counts["documents"] == 1
    with again.read() as s:
        assert s.get(Invoice, SLASHED) is not None

    with ledger.session() as s:
        add_user(s, OWNER[0], "owner", OWNER[1])
    add_draft(
        ledger,
        "D20260331-C/01-L1",
        client_id="C01",
        invoice_numbers=[SLASHED],
        attachments=[safe_name(SLASHED, ".pdf")],
        facts={
            "client_name": "Sonatel SPA",
            "invoices": [
                {
                    "number": SLASHED,
                    "issue_date": "2026-03-01",
                    "due_date": "2026-03-31",
                    "total_ttc": "1190.00",
                    "open_amount": "1190.00",
                    "days_late": 0,
                }
            ],
        },  # fmt: skip
    )
    app = create_app(ledger.url, secret="s" * 40, limiter=LoginLimiter(max_failures=3, window=60))
    with TestClient(app) as web:
        login(web, OWNER)
        page = web.get("/drafts/D20260331-C%2F01-L1")
        assert page.status_code == 200
        assert 'href="/invoices/2026%2F0001"' in page.text
        assert 'href="/invoices/2026%2F0001/pdf"' in page.text
        assert 'action="/drafts/D20260331-C%2F01-L1/approve"' in page.text
        inv = web.get("/invoices/2026%2F0001")
        assert inv.status_code == 200 and "Facture 2026/0001" in inv.text
        pdf = web.get("/invoices/2026%2F0001/pdf")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        assert 'filename="2026%2F0001.pdf"' in pdf.headers["content-disposition"]
        assert web.get("/invoices/2026%2F0002").status_code == 404
    app.state.ledger.dispose()


# -- the writers: nothing lands outside its folder, even for data the import did not check --


def test_an_approval_writes_no_file_named_after_the_number(tmp_path, monkeypatch):
    """The original attack: the approval rendered ``<tmp>/<number>.pdf``; with the number
    ``../../../../outside/evil`` that was ``evil.pdf`` four folders up, directories created on
    the way. The number is put in the ledger directly (the import refuses it)."""
    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    monkeypatch.setattr(tempfile, "tempdir", str(deep))
    ledger = Ledger(f"sqlite:///{tmp_path / 'l.db'}")
    import_bundle(ledger, write_bundle(tmp_path / "b"))
    with ledger.session() as s:
        s.add(Invoice(number=EVIL, client_id="C01", issue_date=date(2026, 3, 1),
                      due_date=date(2026, 3, 31), payment_method="virement",
                      total_ht=Decimal("1000.00"), total_tva=Decimal("190.00"),
                      timbre=Decimal("0"), total_ttc=Decimal("1190.00"), status="issued",
                      credited_invoice=""))  # fmt: skip
    draft = Draft(draft_id="D1", to_addrs=["compta@sonatel.example.dz"], cc_addrs=[],
                  subject="Rappel", language="fr", invoice_numbers=[EVIL])  # fmt: skip
    with ledger.read() as s:
        msg = build_reminder_message(s, draft, "Bonjour")
    (att,) = list(msg.iter_attachments())
    assert att.get_filename() == safe_name(EVIL, ".pdf")
    assert att.get_content().startswith(b"%PDF")
    assert not (tmp_path / "outside").exists()
    assert sorted(p.name for p in tmp_path.rglob("*.pdf")) == []


async def test_a_hostile_message_id_stays_in_the_outbox(tmp_path):
    outbox = FileOutbox(tmp_path / "box" / "outbox")
    msg = build_message(sender="a@atlas.example.dz", to=["b@example.dz"], subject="x", text="y",
                        message_id="<../../../evil/x@atlas.example.dz>")  # fmt: skip
    result = await outbox.send(msg)
    written = Path(result.location or "")
    assert written.parent == tmp_path / "box" / "outbox"
    assert not (tmp_path / "evil").exists() and not (tmp_path / "box" / "evil").exists()
    assert outbox.delivered("<../../../evil/x@atlas.example.dz>")
    assert (await outbox.send(msg)).reply == "already in the outbox"  # still exactly once


def test_an_exported_document_with_a_hostile_stored_name_stays_in_documents(tmp_path):
    ledger = Ledger(f"sqlite:///{tmp_path / 'l.db'}")
    import_bundle(ledger, write_bundle(tmp_path / "b"))
    with ledger.session() as s:
        s.add(Document(filename="../../evil.pdf", number=EVIL, content=b"%PDF-1.4",
                       sha256="0" * 64, media_type="application/pdf"))  # fmt: skip
    export_bundle(ledger, tmp_path / "x" / "export")
    assert [p.name for p in (tmp_path / "x" / "export" / "documents").iterdir()] == [
        safe_name(EVIL, ".pdf")
    ]
    assert not (tmp_path / "evil.pdf").exists() and not (tmp_path / "x" / "evil.pdf").exists()


def test_a_document_whose_name_decodes_to_a_place_is_refused(tmp_path):
    root = write_bundle(tmp_path / "b")
    (root / "documents").mkdir()
    (root / "documents" / "..%2F..%2Fevil.pdf").write_bytes(b"%PDF-1.4\n")
    with pytest.raises(BundleError) as err:
        import_bundle(Ledger(f"sqlite:///{tmp_path / 'l.db'}"), root)
    assert any(
        p.startswith("documents/..%2F..%2Fevil.pdf:-: -: le numéro de facture de ce nom de fichier")
        for p in err.value.problems
    )


def test_the_csv_helper_sees_the_same_number(tmp_path):
    """The bundle's CSV keeps 2026/0001 as written (only file names and links encode it)."""
    root = write_bundle(tmp_path / "b", invoices_csv=invoices_with(SLASHED))
    ledger = Ledger(f"sqlite:///{tmp_path / 'l.db'}")
    import_bundle(ledger, root)
    export_bundle(ledger, tmp_path / "out")
    with (tmp_path / "out" / "invoices.csv").open(encoding="utf-8") as f:
        assert SLASHED in [r["number"] for r in csv.DictReader(f)]
