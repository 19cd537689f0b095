"""The pieces that go with an invoice (issue 14, part 4): ``documents/<number>-BL.pdf`` (the
delivery note) and ``documents/<number>-ASF.pdf`` (the attestation de service fait of a
public body) are imported with their invoice, named in the letter's list of attached pieces
and attached to the email that goes out (a real SMTP server, the file outbox's .eml)."""

from __future__ import annotations

from datetime import date
from email import message_from_bytes, policy
from pathlib import Path

from khazna.agents.approval.state import Decision
from khazna.agents.deps import AgentDeps
from khazna.agents.dunning.graph import build_dunning_graph
from khazna.agents.dunning.leave_out import checker_warnings, leave_out
from khazna.agents.inbox import decide, get_draft, list_drafts
from khazna.ledger.bundle import export_bundle, import_bundle
from khazna.ledger.db import Ledger
from khazna.ledger.models import Document
from khazna.mail.transport import FileOutbox, MailSettings, SmtpTransport
from khazna.text import strip_bidi
from tests.bundles import write_bundle

AS_OF = date(2026, 3, 31)  # F2026-0001 (Sonatel, grand compte) is 50 days late: level 3
DRAFT = "D20260331-C01-L3"
BL = b"%PDF-1.4\n% bon de livraison signe F2026-0001\n%%EOF\n"
ASF = b"%PDF-1.4\n% attestation de service fait\n%%EOF\n"


def _pdf(root: Path, name: str, content: bytes) -> None:
    (root / "documents").mkdir(exist_ok=True)
    (root / "documents" / name).write_bytes(content)


def _draft(db_url: str, bundle: Path, transport=None) -> AgentDeps:
    ledger = Ledger(db_url)
    import_bundle(ledger, bundle)
    deps = AgentDeps(ledger=ledger, transport=transport)
    build_dunning_graph().invoke({"as_of": AS_OF, "run_id": "t"}, {"configurable": {"deps": deps}})
    return deps


def _smtp(port: int) -> SmtpTransport:
    return SmtpTransport(
        MailSettings(host="127.0.0.1", port=port, mail_from="tresorerie@atlas.example.dz")
    )


def test_the_delivery_note_is_named_in_the_letter_and_attached(db_url, tmp_path, smtp):
    bundle = write_bundle(tmp_path / "b")
    _pdf(bundle, "F2026-0001-BL.pdf", BL)
    deps = _draft(db_url, bundle, _smtp(smtp.port))
    with deps.ledger.read() as s:
        (doc,) = s.query(Document).all()
        assert (doc.number, doc.kind, doc.filename) == (
            "F2026-0001",
            "delivery_note",
            "F2026-0001-BL.pdf",
        )
        # a delivery note is not an invoice document: the checker does not read it
        assert checker_warnings(s, ["F2026-0001"], AS_OF) == []
    draft = get_draft(deps, DRAFT)
    assert "Vous trouverez ci-joint la facture et le bon de livraison." in draft.detailed

    decide(deps, DRAFT, Decision(action="approve", by="gerant"))
    msg = smtp.parsed(0)
    files = {p.get_filename(): p.get_content() for p in msg.iter_attachments()}
    assert sorted(files) == ["F2026-0001-BL.pdf", "F2026-0001.pdf"]
    assert files["F2026-0001-BL.pdf"] == BL  # the stored bytes, as given
    assert files["F2026-0001.pdf"].startswith(b"%PDF")


def test_without_documents_nothing_changes(db_url, tmp_path, smtp):
    deps = _draft(db_url, write_bundle(tmp_path / "b"), _smtp(smtp.port))
    draft = get_draft(deps, DRAFT)
    assert "Vous trouverez ci-joint la facture." in draft.detailed
    assert "bon de livraison" not in draft.detailed
    decide(deps, DRAFT, Decision(action="approve", by="gerant"))
    assert [p.get_filename() for p in smtp.parsed(0).iter_attachments()] == ["F2026-0001.pdf"]


CLIENTS = """client_id,name,kind,email,phone,language,payment_terms_days,nif,nis,rc,ai,address
A1,Direction de la santé de Tipaza,administration,dsp@tipaza.example.dz,,fr,30,,,,,Tipaza
A2,مديرية الأشغال العمومية,administration,dtp@example.dz,,ar,30,,,,,البليدة
"""
INVOICES = """number,client_id,issue_date,due_date,payment_method,total_ht,total_tva,timbre,total_ttc,status,credited_invoice
FA/2026/7,A1,2026-01-10,2026-02-09,virement,100000.00,19000.00,0,119000.00,issued,
F2026-0011,A2,2026-01-10,2026-03-15,virement,50000.00,9500.00,0,59500.00,issued,
F2026-0012,A2,2026-01-10,2026-03-20,virement,20000.00,3800.00,0,23800.00,issued,
"""
PAYMENTS = "payment_id,date,client_id,invoice_number,amount,method,reference,status\n"
INTERACTIONS = "interaction_id,client_id,date,channel,direction,kind,text\n"


def _public_bundle(tmp_path: Path) -> Path:
    bundle = write_bundle(
        tmp_path / "b",
        clients_csv=CLIENTS,
        invoices_csv=INVOICES,
        invoice_lines_csv=None,
        payments_csv=PAYMENTS,
        interactions_csv=INTERACTIONS,
    )
    # FA/2026/7 is written as khazna.filenames.safe_name writes it
    _pdf(bundle, "FA%2F2026%2F7-ASF.pdf", ASF)
    _pdf(bundle, "FA%2F2026%2F7-BL.pdf", BL)
    _pdf(bundle, "F2026-0012-ASF.pdf", ASF)
    return bundle


def test_a_public_body_gets_the_attestation_de_service_fait(db_url, tmp_path):
    outbox = tmp_path / "outbox"
    deps = _draft(db_url, _public_bundle(tmp_path), FileOutbox(outbox))
    drafts = {d.client_id: d for d in list_drafts(deps)}

    fr = drafts["A1"]
    assert (
        "Vous trouverez ci-joint la facture, le bon de livraison et l'attestation de service fait."
        in fr.detailed
    )
    decide(deps, fr.draft_id, Decision(action="approve", by="gerant"))
    (eml,) = outbox.glob("*.eml")
    msg = message_from_bytes(eml.read_bytes(), policy=policy.default)
    files = {p.get_filename(): p.get_content() for p in msg.iter_attachments()}  # type: ignore[attr-defined]
    assert sorted(files) == ["FA%2F2026%2F7-ASF.pdf", "FA%2F2026%2F7-BL.pdf", "FA%2F2026%2F7.pdf"]
    assert files["FA%2F2026%2F7-ASF.pdf"] == ASF and files["FA%2F2026%2F7-BL.pdf"] == BL

    # two invoices, one with its attestation: the piece is named with its invoice, in Arabic
    ar = drafts["A2"]
    assert (
        "تجدون مرفقا الفواتير المعنية وشهادة الخدمة المنجزة (الفاتورة F2026-0012)."
        in strip_bidi(ar.detailed)
    )
    decide(deps, ar.draft_id, Decision(action="approve", by="gerant"))
    (eml2,) = [p for p in outbox.glob("*.eml") if p != eml]
    msg = message_from_bytes(eml2.read_bytes(), policy=policy.default)
    names = sorted(p.get_filename() for p in msg.iter_attachments())  # type: ignore[attr-defined]
    assert names == ["F2026-0011.pdf", "F2026-0012-ASF.pdf", "F2026-0012.pdf"]


def test_pieces_go_out_with_export_and_come_back_unchanged(db_url, tmp_path):
    ledger = Ledger(db_url)
    import_bundle(ledger, _public_bundle(tmp_path))
    out = tmp_path / "exported"
    counts = export_bundle(ledger, out)
    assert counts["documents"] == 3
    assert sorted(p.name for p in (out / "documents").iterdir()) == [
        "F2026-0012-ASF.pdf",
        "FA%2F2026%2F7-ASF.pdf",
        "FA%2F2026%2F7-BL.pdf",
    ]
    report = import_bundle(ledger, out)
    assert report.unchanged["documents"] == 3 and report.counts["documents"] == 0


def test_a_piece_of_an_unknown_invoice_is_stored_with_a_warning(db_url, tmp_path):
    bundle = write_bundle(tmp_path / "b")
    _pdf(bundle, "F2099-0001-BL.pdf", BL)
    report = import_bundle(Ledger(db_url), bundle)
    assert any("aucune facture 'F2099-0001'" in w for w in report.warnings)


def test_the_draft_lists_its_pieces_and_leaving_an_invoice_out_drops_its_pieces(db_url, tmp_path):
    deps = _draft(db_url, _public_bundle(tmp_path), FileOutbox(tmp_path / "outbox"))
    drafts = {d.client_id: d for d in list_drafts(deps)}
    assert drafts["A1"].attachments == [
        "FA/2026/7.pdf",
        "FA%2F2026%2F7-BL.pdf",
        "FA%2F2026%2F7-ASF.pdf",
    ]
    ar = drafts["A2"]
    assert ar.attachments == ["F2026-0011.pdf", "F2026-0012.pdf", "F2026-0012-ASF.pdf"]
    leave_out(deps, ar.draft_id, "F2026-0012", by="gerant")
    after = get_draft(deps, ar.draft_id)
    assert after.attachments == ["F2026-0011.pdf"]
    assert "تجدون مرفقا الفاتورة." in after.detailed
    decide(deps, ar.draft_id, Decision(action="approve", by="gerant"))
    (eml,) = (tmp_path / "outbox").glob("*.eml")
    msg = message_from_bytes(eml.read_bytes(), policy=policy.default)
    names = [p.get_filename() for p in msg.iter_attachments()]  # type: ignore[attr-defined]
    assert names == ["F2026-0011.pdf"]


def test_the_draft_page_names_the_pieces(tmp_path):
    from fastapi.testclient import TestClient

    from khazna.web.app import create_app
    from khazna.web.users import add_user
    from tests.web_helpers import login

    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    deps = _draft(url, _public_bundle(tmp_path))
    with deps.ledger.session() as s:
        add_user(s, "amina", "owner", "owner-pass-123")
    (a1,) = [d for d in list_drafts(deps) if d.client_id == "A1"]
    app = create_app(url, secret="s" * 40)
    with TestClient(app) as web:
        login(web, ("amina", "owner-pass-123"))
        page = web.get(f"/drafts/{a1.draft_id}").text
    assert "FA%2F2026%2F7-BL.pdf (bon de livraison)" in page
    assert "FA%2F2026%2F7-ASF.pdf (attestation de service fait)" in page
    app.state.ledger.dispose()
    deps.ledger.dispose()


def test_pieces_of_one_kind_are_named_once_with_their_invoices(db_url, tmp_path):
    """Five attestations in a letter read as one item (« les attestations de service fait des
    factures A et B »), not one sentence part per invoice; French and Arabic."""
    bundle = _public_bundle(tmp_path)
    _pdf(bundle, "F2026-0011-ASF.pdf", ASF)
    _pdf(bundle, "F2026-0011-BL.pdf", BL)
    deps = _draft(db_url, bundle, FileOutbox(tmp_path / "outbox"))
    ar = {d.client_id: d for d in list_drafts(deps)}["A2"]
    assert (
        "تجدون مرفقا الفواتير المعنية، وصل التسليم (الفاتورة F2026-0011) "
        "وشهادات الخدمة المنجزة (الفواتير F2026-0011 وF2026-0012)."
    ) in strip_bidi(ar.detailed)
    assert ar.attachments == [
        "F2026-0011.pdf",
        "F2026-0012.pdf",
        "F2026-0011-BL.pdf",
        "F2026-0011-ASF.pdf",
        "F2026-0012-ASF.pdf",
    ]


def test_the_delivery_notes_come_first_whatever_the_order_of_the_invoices():
    from khazna.agents.dunning.compose import attachment_phrase, phrases
    from khazna.agents.dunning.facts import Piece

    class Facts:  # the two fields attachment_phrase reads
        invoices = ["A", "B", "C"]
        pieces = [
            Piece(number="A", kind="service_attestation"),
            Piece(number="B", kind="delivery_note"),
            Piece(number="B", kind="service_attestation"),
        ]

    assert attachment_phrase(Facts(), phrases("fr"), ", ") == (  # type: ignore[arg-type]
        "les factures concernées, le bon de livraison de la facture B "
        "et les attestations de service fait des factures A et B"
    )
