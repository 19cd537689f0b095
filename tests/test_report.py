"""The weekly report: figures from the tools, commentary, and the email to the owner
(HTML, inline chart, PDF) through a real SMTP server."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from pypdf import PdfReader

from khazna.agents.deps import AgentDeps
from khazna.agents.factcheck import check_text
from khazna.agents.reporter.compose import compose_commentary
from khazna.agents.reporter.facts import build_report_facts, to_check_facts
from khazna.agents.reporter.graph import build_reporter_graph
from khazna.ledger.bundle import import_bundle
from khazna.ledger.db import Ledger
from khazna.mail.transport import MailSettings, SmtpTransport
from tests.bundles import write_bundle

AS_OF = date(
    2026, 2, 26
)  # a Thursday: the week of 20–26 Feb holds the REMISE CHQ, the IMPAYE and salaries


def _ledger(tmp_path) -> Ledger:
    ledger = Ledger(f"sqlite:///{tmp_path / 'l.db'}")
    import_bundle(ledger, write_bundle(tmp_path / "b"))
    return ledger


def test_report_facts_come_from_the_books(tmp_path):
    ledger = _ledger(tmp_path)
    with ledger.read() as s:
        f = build_report_facts(s, AS_OF)
    assert (f.week_start, f.week_end) == (date(2026, 2, 20), date(2026, 2, 26))
    assert f.cash_in == Decimal("59500.00")  # the cheque remitted on 20/02
    assert f.cash_out == Decimal(
        "1200000.00"
    )  # salaries on 25/02; the cheque comes back on 27/02, next week
    assert f.cash_position == Decimal("3109500.00")
    assert f.threshold == Decimal("3500000")
    assert f.forecast_status in ("a_surveiller", "tension")
    text = compose_commentary(f)
    assert check_text(text, to_check_facts(f), ["cash_in", "cash_out", "min_balance"]) == []
    assert "déficit de 1\u202f140\u202f500,00 DA" in text


def test_report_email_reaches_the_owner_with_chart_and_pdf(tmp_path, smtp, monkeypatch):
    monkeypatch.setenv("KHAZNA_OWNER_EMAIL", "gerant@atlas.example.dz")
    ledger = _ledger(tmp_path)
    transport = SmtpTransport(
        MailSettings(host="127.0.0.1", port=smtp.port, mail_from="tresorerie@atlas.example.dz")
    )
    deps = AgentDeps(ledger=ledger, transport=transport)
    out = build_reporter_graph().invoke(
        {"as_of": AS_OF, "send": True}, {"configurable": {"deps": deps}}
    )
    assert out["sent_to"] == ["gerant@atlas.example.dz"]
    assert out["delivery"] == "smtp"
    assert out["delivery_note"] == f"envoyé par SMTP (127.0.0.1:{smtp.port})"
    assert len(smtp.accepted) == 1
    msg = smtp.parsed(0)
    assert msg["To"] == "gerant@atlas.example.dz"
    html = msg.get_body(("html",)).get_content()
    assert "cid:chart" in html and "3\u202f109\u202f500,00 DA" in html
    images = [p for p in msg.walk() if p.get_content_type() == "image/png"]
    assert len(images) == 1 and images[0].get_content().startswith(b"\x89PNG")
    (pdf,) = [p for p in msg.iter_attachments() if p.get_content_type() == "application/pdf"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.get_content())).pages)
    assert "rapport de trésorerie" in text and "Prévision sur 30 jours" in text
    assert "3 109 500,00 DA" in text.replace("\u202f", " ").replace("\xa0", " ")
    # sending the same report again does not send a second email
    build_reporter_graph().invoke({"as_of": AS_OF, "send": True}, {"configurable": {"deps": deps}})
    assert len(smtp.accepted) == 1


def test_report_cli_says_where_the_pdf_went_and_that_the_mail_was_only_written(
    tmp_path, capsys, monkeypatch
):
    import json
    import os
    from pathlib import Path

    from khazna.cli import main

    monkeypatch.setenv("KHAZNA_OWNER_EMAIL", "gerant@atlas.example.dz")
    ledger = _ledger(tmp_path)
    db = ledger.url
    monkeypatch.chdir(tmp_path)
    rc = main(
        ["report", "--db", db, "--as-of", AS_OF.isoformat(), "--pdf", "rapport.pdf", "--send"]
    )
    assert rc == 0
    out = capsys.readouterr().out
    written = (tmp_path / "rapport.pdf").resolve()
    assert written.read_bytes().startswith(b"%PDF")
    assert f"Rapport PDF écrit dans {written} (" in out and " Ko)." in out
    # no SMTP server: the report was written in the local outbox, and the CLI says so
    [eml] = sorted((Path(os.environ["KHAZNA_HOME"]) / "outbox").glob("*.eml"))
    assert (
        "Rapport pour gerant@atlas.example.dz écrit dans la boîte d'envoi locale "
        f"(non envoyé : aucun serveur SMTP configuré) : {eml}." in out
    )
    assert "Envoyé à" not in out
    rc = main(["report", "--db", db, "--as-of", AS_OF.isoformat(), "--pdf", "r2.pdf", "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert doc["pdf"] == str((tmp_path / "r2.pdf").resolve()) and doc["delivery"] == "file"
    rc = main(["report", "--db", db, "--as-of", AS_OF.isoformat(), "--pdf", "/nonexistent/x.pdf"])
    assert rc == 1
    assert "--pdf /nonexistent/x.pdf: impossible d'écrire le fichier" in capsys.readouterr().err


def test_a_company_in_arabic_gets_its_weekly_report_in_arabic(tmp_path, smtp, monkeypatch):
    """company.json language 'ar': the commentary (offline writer, fact-checked like the
    French one), the email (lang/dir rtl, Arabic table) and the PDF are in Arabic; the PDF's
    words read back with pypdf, the figures whole."""
    import json
    import re
    import unicodedata

    from tests.bundles import COMPANY

    monkeypatch.setenv("KHAZNA_OWNER_EMAIL", "gerant@atlas.example.dz")
    ledger = Ledger(f"sqlite:///{tmp_path / 'l.db'}")
    company = json.dumps(COMPANY | {"language": "ar"}, ensure_ascii=False)
    import_bundle(ledger, write_bundle(tmp_path / "b", company_json=company))
    with ledger.read() as s:
        f = build_report_facts(s, AS_OF)
    assert f.language == "ar"
    text = compose_commentary(f)
    assert check_text(text, to_check_facts(f), ["cash_in", "cash_out", "min_balance"]) == []
    assert "عجز قدره" in text and "1\u202f140\u202f500,00" in text and "دج" in text
    assert "DA" not in text
    transport = SmtpTransport(
        MailSettings(host="127.0.0.1", port=smtp.port, mail_from="tresorerie@atlas.example.dz")
    )
    deps = AgentDeps(ledger=ledger, transport=transport)
    build_reporter_graph().invoke({"as_of": AS_OF, "send": True}, {"configurable": {"deps": deps}})
    msg = smtp.parsed(0)
    assert msg["Subject"].startswith("تقرير الخزينة")
    html = msg.get_body(("html",)).get_content()
    assert '<html lang="ar" dir="rtl">' in html and "<table dir='rtl'" in html
    assert "الفواتير العشر الأكثر خطرا" in html
    (pdf,) = [p for p in msg.iter_attachments() if p.get_content_type() == "application/pdf"]
    raw = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.get_content())).pages)
    read = unicodedata.normalize("NFKC", raw).replace("\xa0", " ")
    for title in ("الفواتير الأكثر خطرا", "نفقات خارج المعايير"):
        assert re.sub(r"\s", "", title) in re.sub(r"\s", "", read), title
    assert "3 109 500,00" in read
