"""The weekly report as an email to the owner: the commentary in HTML and text, the
forecast chart inline (PNG) and the full report as a PDF attachment."""

from __future__ import annotations

from html import escape
from typing import Any

from sqlalchemy import select

from khazna.agents.deps import AgentDeps
from khazna.agents.reporter.facts import ReportFacts, week_span
from khazna.agents.reporter.render import forecast_chart_png, report_pdf
from khazna.ledger.models import Company
from khazna.ledger.tables_agents import Report
from khazna.ledger.tables_mail import MailMessage
from khazna.mail.message import Attachment, InlineImage, build_message, sender_address
from khazna.mail.outbox import delivery_of, delivery_phrase, send_now
from khazna.money import format_dzd

WORDS: dict[str, dict[str, Any]] = {
    "fr": {"title": "Trésorerie – {span}",
           "chart": "Prévision de trésorerie 30 jours", "risky": "Les 10 factures les plus à risque",
           "cols": ("Facture", "Client", "Reste dû", "Jours de retard"),
           "subject": "Rapport de trésorerie – semaine du {start} – statut {status}"},
    "ar": {"title": "الخزينة – {span}",
           "chart": "توقعات الخزينة لثلاثين يوما", "risky": "الفواتير العشر الأكثر خطرا",
           "cols": ("الفاتورة", "العميل", "المبلغ المتبقي", "أيام التأخير"),
           "subject": "تقرير الخزينة – أسبوع {start} – الحالة: {status}"},
}  # fmt: skip
STATUS_WORDS = {"fr": {"ok": "OK", "a_surveiller": "à surveiller", "tension": "tension"},
                "ar": {"ok": "جيد", "a_surveiller": "تحت المراقبة", "tension": "توتر"}}  # fmt: skip


def report_html(facts: ReportFacts, commentary: str, chart_cid: str | None) -> str:
    lang = "ar" if facts.language == "ar" else "fr"
    w = WORDS[lang]
    symbol = "دج" if lang == "ar" else "DA"
    paras = "".join(f"<p>{escape(p)}</p>" for p in commentary.split("\n\n"))
    far = "left" if lang == "ar" else "right"
    rows = "".join(
        f"<tr><td><bdi>{escape(r.number)}</bdi></td><td>{escape(r.client_name)}</td>"
        f"<td style='text-align:{far}'><bdi>{escape(format_dzd(r.open_amount, symbol=symbol))}"
        f"</bdi></td><td>{r.days_late}</td></tr>"
        for r in facts.riskiest
    )
    chart = f'<p><img src="cid:{chart_cid}" alt="{escape(w["chart"])}"></p>' if chart_cid else ""
    head = "".join(f"<th>{escape(c)}</th>" for c in w["cols"])
    title = w["title"].format(span=week_span(facts, lang))
    direction = "rtl" if lang == "ar" else "ltr"
    return (
        f"<h2>{escape(title)}</h2>{paras}{chart}<h3>{escape(w['risky'])}</h3>"
        f"<table dir='{direction}' border='1' cellpadding='4' cellspacing='0'>"
        f"<tr>{head}</tr>{rows}</table>"
    )


def send_report(deps: AgentDeps, report_id: str, to: list[str]) -> list[str]:
    key = f"report:{report_id}:{','.join(sorted(to))}"
    with deps.ledger.session() as s:
        row = s.get(Report, report_id)
        company = s.get(Company, 1)
        assert row is not None and company is not None, (
            "a stored report, in a ledger with its company"
        )
        facts = ReportFacts.model_validate(row.facts)
        lang = "ar" if facts.language == "ar" else "fr"
        png = forecast_chart_png(facts)
        msg = build_message(
            sender=sender_address(company),
            to=to,
            subject=WORDS[lang]["subject"].format(
                start=f"{facts.week_start:%d/%m/%Y}",
                status=STATUS_WORDS[lang].get(facts.forecast_status, facts.forecast_status),
            ),
            text=row.commentary,
            html=report_html(facts, row.commentary, "chart" if png else None),
            inline_images=[InlineImage(cid="chart", content=png)] if png else [],
            attachments=[
                Attachment(
                    filename=f"rapport-{facts.as_of:%Y-%m-%d}.pdf",
                    content=report_pdf(facts, row.commentary),
                )
            ],
            reply_to=company.email or None,
            language=lang,
        )
    sent = send_now(
        deps.ledger.session, deps.mail_transport, msg, kind="report", key=key, ref=report_id
    )
    with deps.ledger.session() as s:
        row = s.get(Report, report_id)
        assert row is not None, "the report was stored before it is sent"
        if sent.state == "sent":
            row.sent_to = sorted(set(row.sent_to or []) | set(to))
        return list(row.sent_to or [])


def report_delivery(deps, report_id: str) -> dict:
    """How the report last left: ``{"delivery": "smtp" | "file" | None, "delivery_note"}``
    (French; a report the file outbox took was written, not sent)."""
    with deps.ledger.read() as s:
        row = s.scalars(
            select(MailMessage)
            .where(
                MailMessage.kind == "report",
                MailMessage.ref == report_id,
                MailMessage.state == "sent",
            )
            .order_by(MailMessage.id.desc())
            .limit(1)
        ).first()
        if row is None:
            return {"delivery": None, "delivery_note": ""}
        return {
            "delivery": delivery_of(row.via or ""),
            "delivery_note": delivery_phrase("sent", row.via or "", row.message_id, feminine=False),
        }
