"""The weekly report: figures from the tools, commentary, and the email to the owner
(HTML, inline chart, PDF) through a real SMTP server."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

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


def _layout_lines(pdf: bytes) -> list[str]:
    """The PDF's text as laid out on its pages (pypdf's layout mode keeps the columns)."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    text = "\n".join(p.extract_text(extraction_mode="layout") for p in pages)
    return [ln.replace("\xa0", " ") for ln in text.splitlines() if ln.strip()]


def test_the_report_pdf_is_laid_out_for_reading(tmp_path):
    """Issue 13.6, read back from the PDF itself: long client names wrap inside their column
    (the due date beside them stays whole), amounts are right-aligned and never broken
    (figures and "DA" on one line), invoice numbers never wrap, scores read "75 %", the
    anomaly kinds are words, an Arabic name inside the French commentary keeps the amount
    after it whole, and the report does not send the reader to "the report"."""
    import re

    from khazna.agents.reporter.facts import OutOfNorm, RiskyInvoice
    from khazna.agents.reporter.render import report_pdf

    ledger = _ledger(tmp_path)
    with ledger.read() as s:
        f = build_report_facts(s, AS_OF)
    long_name = "Entreprise Nationale de Travaux Publics et de Génie Civil du Grand Alger SPA"
    arabic = "مديرية الصحة لولاية بومرداس"
    f.riskiest = [
        RiskyInvoice(number="F2026-0236", client_id="C01", client_name=long_name,
                     open_amount=Decimal("922916.40"), due_date=date(2026, 1, 22), days_late=35,
                     score=0.75),
        RiskyInvoice(number="F2026-0294", client_id="C02", client_name=arabic,
                     open_amount=Decimal("45220.00"), due_date=date(2026, 2, 1), days_late=25,
                     score=0.6149),
    ]  # fmt: skip
    reason = (
        (
            "Dépense E-0449 (restaurant, 22 800,00 DA, Restaurant El Djenina, le 08/11/2026) "
            "au-dessus du plafond par opération de 15 000,00 DA, exigé au-dessus de 5 000,00 DA"
        )
        .replace(" 000,00", "\u202f000,00")
        .replace("22 800", "22\u202f800")
    )
    f.out_of_norm = [OutOfNorm(kind="over_limit", refs=["E-0449"], amount=Decimal("22800"),
                               reason=reason, date=date(2026, 2, 20))]  # fmt: skip
    commentary = (
        compose_commentary(f)
        + f"\n\nLa facture F2026-0294 ({arabic}, 122\u202f570,00 DA, 97 jours de retard)."
    )
    lines = _layout_lines(report_pdf(f, commentary))
    text = "\n".join(lines)

    rows = [ln for ln in lines if re.match(r"\s*F2026-0(236|294)\s", ln)]
    assert len(rows) == 2  # each invoice number whole, at the start of its row
    first = rows[0]
    assert "22/01/2026" in first and "Entreprise Nationale" in first
    assert "Grand Alger SPA" not in first  # the long name wrapped onto a next line...
    assert any("Grand Alger SPA" in ln and "/2026" not in ln for ln in lines)  # ...in its column
    ends = [re.search(r"\d DA", row).end() for row in rows]  # the amounts' right edges
    assert max(ends) - min(ends) <= 1, rows
    assert re.search(r"75 %\s*$", first) and re.search(r"61 %\s*$", rows[1])
    assert not re.search(r"F20\d\d-\s*\n", text)  # no invoice number cut
    for ln in lines:  # an amount never wraps: "DA" never opens a line, a figure never ends one
        assert not re.match(r"\s*DA\b", ln), ln
        assert not re.search(r"\d{1,3}\s*$", ln) or re.search(r"(%|j|/\d{4})\s*$", ln), ln
    assert "122 570,00 DA, 97 jours de retard" in text
    assert "Dépassement de" in text and "over_limit" not in text
    assert "le détail figure dans le rapport" not in text


def test_the_chart_of_an_arabic_report_speaks_arabic_in_a_font_that_has_its_letters(tmp_path):
    """Issue 13.2: the PNG chart inside an Arabic report (HTML and PDF) said « Trésorerie
    prévue », « seuil », « point bas », « M DA » in Vera, which has no Arabic glyph. Its
    words are now the company's language, each label drawn in a font holding every glyph
    it needs (shaped, display order), the title on the right where an Arabic reader starts."""
    import json
    import re

    from PIL import Image
    from reportlab.pdfbase.ttfonts import TTFontFile

    from khazna.agents.reporter.render import W, _font_path, chart_labels, forecast_chart_png
    from khazna.pdf_text import has_arabic, visual
    from tests.bundles import COMPANY

    def facts(lang: str, where: Path):
        ledger = Ledger(f"sqlite:///{where / 'l.db'}")
        company = json.dumps(COMPANY | {"language": lang}, ensure_ascii=False)
        import_bundle(ledger, write_bundle(where / "b", company_json=company))
        with ledger.read() as s:
            return build_report_facts(s, AS_OF)

    (tmp_path / "ar").mkdir()
    (tmp_path / "fr").mkdir()
    ar, fr = facts("ar", tmp_path / "ar"), facts("fr", tmp_path / "fr")
    ar_labels, fr_labels = chart_labels(ar), chart_labels(fr)
    words = " ".join(label.text for label in ar_labels)
    assert "الخزينة المتوقعة على" in words and "العتبة" in words and "مليون دج" in words
    assert not re.search(r"Trésorerie|seuil|point bas|zone|jours|\bM DA\b", words), words
    assert "Trésorerie prévue sur" in " ".join(label.text for label in fr_labels)
    assert len(ar_labels) == len(fr_labels) >= 8
    for label in ar_labels:
        cmap = TTFontFile(str(_font_path(has_arabic(label.text), label.bold))).charToGlyph
        missing = [c for c in visual(label.text) if not c.isspace() and ord(c) not in cmap]
        assert not missing, (label.text, missing)
    title = next(label for label in ar_labels if "الخزينة" in label.text)
    assert title.anchor == "ra" and title.xy[0] > W - 40  # right-aligned at the right edge
    png = Image.open(io.BytesIO(forecast_chart_png(ar))).convert("L")
    right_top = png.crop((W - 220, 4, W - 16, 22))
    assert right_top.getextrema()[0] < 80  # the Arabic title is drawn there, in black


def test_a_report_before_the_week_is_over_says_so(tmp_path):
    """Issue 13: a report made on a Tuesday counts the week so far and says the week is not
    over — in the commentary (French and Arabic), the PDF's title, the mail's title and
    ``--json`` (``week_end`` the last day counted, ``week_closes`` its Thursday)."""
    import json

    from khazna.agents.reporter.facts import week_is_open, week_span
    from khazna.agents.reporter.mail import report_html
    from khazna.agents.reporter.render import report_pdf
    from tests.bundles import COMPANY

    tuesday = date(2026, 2, 24)
    ledger = _ledger(tmp_path)
    with ledger.read() as s:
        f = build_report_facts(s, tuesday)
        closed = build_report_facts(s, AS_OF)
    assert (f.week_start, f.week_end, f.week_closes) == (
        date(2026, 2, 20), tuesday, date(2026, 2, 26)
    )  # fmt: skip
    assert week_is_open(f) and not week_is_open(closed)
    assert f.cash_out == Decimal("0")  # the salaries of 25/02 are not counted yet
    text = compose_commentary(f)
    assert text.startswith(
        "Semaine en cours, du 20/02/2026 au 24/02/2026 (elle se termine le 26/02/2026) :"
    )
    assert "depuis le début de la semaine" in text
    assert check_text(text, to_check_facts(f), ["cash_in", "cash_out", "min_balance"]) == []
    assert compose_commentary(closed).startswith("Semaine du 20/02/2026 au 26/02/2026 :")
    title = " ".join(" ".join(_layout_lines(report_pdf(f, text))[:3]).split())  # it wraps
    assert "semaine en cours, du 20/02/2026 au 24/02/2026 (elle se termine le 26/02/2026)" in title
    assert "(elle se termine le 26/02/2026)" in report_html(f, text, None)
    assert (
        week_span(f, "ar") == "الأسبوع الجاري، من 20/02/2026 إلى 24/02/2026 (ينتهي في 26/02/2026)"
    )
    # an Arabic company: the same honesty in its words
    ar_ledger = Ledger(f"sqlite:///{tmp_path / 'ar.db'}")
    company = json.dumps(COMPANY | {"language": "ar"}, ensure_ascii=False)
    import_bundle(ar_ledger, write_bundle(tmp_path / "ar", company_json=company))
    with ar_ledger.read() as s:
        ar = build_report_facts(s, tuesday)
    assert compose_commentary(ar).startswith("الأسبوع الجاري، من ")


def test_report_json_names_the_day_the_week_closes(tmp_path, monkeypatch, capsys):
    from khazna.cli import main

    monkeypatch.setenv("KHAZNA_HOME", str(tmp_path / "home"))
    url = f"sqlite:///{tmp_path / 'l.db'}"
    import_bundle(Ledger(url), write_bundle(tmp_path / "b"))
    assert main(["report", "--db", url, "--as-of", "24/02/2026", "--json"]) == 0
    doc = __import__("json").loads(capsys.readouterr().out)
    assert (doc["week_start"], doc["week_end"], doc["week_closes"]) == (
        "2026-02-20", "2026-02-24", "2026-02-26"
    )  # fmt: skip
    assert doc["facts"]["week_closes"] == "2026-02-26"
    assert doc["commentary"].startswith("Semaine en cours")


def test_an_arabic_name_in_the_french_commentary_is_isolated():
    """Issue 13: inside a French sentence, an Arabic client's name is one right-to-left unit
    (U+2068 … U+2069), so the comma and the amount after it stay in the French order — from
    the offline writer and, after the fact, from a model's text."""
    from khazna.agents.reporter.facts import RiskyInvoice
    from khazna.text import FSI, PDI, isolate_names, strip_bidi

    arabic = "مؤسسة النور للبناء"
    f = _facts_for_names(
        [
            RiskyInvoice(
                number="F2026-0397",
                client_id="C12",
                client_name=arabic,
                open_amount=Decimal("185318.70"),
                due_date=date(2026, 12, 4),
                days_late=4,
                score=0.5,
            ),
            RiskyInvoice(
                number="F2026-0305",
                client_id="C09",
                client_name="EURL El Manar",
                open_amount=Decimal("1000"),
                due_date=date(2026, 9, 1),
                days_late=90,
                score=0.6,
            ),
        ]  # fmt: skip
    )
    text = compose_commentary(f)
    assert f"F2026-0397 ({FSI}{arabic}{PDI}, 185\u202f318,70 DA" in text
    assert f"({FSI}EURL" not in text  # a Latin name needs nothing
    model_text = f"La facture F2026-0397 de {arabic} reste due."
    once = isolate_names(model_text, [arabic, "EURL El Manar"])
    assert once == f"La facture F2026-0397 de {FSI}{arabic}{PDI} reste due."
    assert isolate_names(once, [arabic]) == once  # never twice
    assert strip_bidi(once) == model_text


def _facts_for_names(riskiest):
    from khazna.agents.reporter.facts import ReportFacts

    return ReportFacts(
        as_of=date(2026, 12, 8), week_start=date(2026, 12, 4), week_end=date(2026, 12, 8),
        week_closes=date(2026, 12, 10), company="Atlas", cash_in=Decimal("0"),
        cash_out=Decimal("0"), net=Decimal("0"), cash_position=Decimal("1"),
        forecast_status="ok", threshold=Decimal("1"), min_balance=Decimal("1"),
        min_balance_date=date(2026, 12, 20), excess_cash=Decimal("0"), horizon_days=30,
        open_receivables=Decimal("186318.70"), overdue_receivables=Decimal("186318.70"),
        riskiest=riskiest, out_of_norm=[],
    )  # fmt: skip
