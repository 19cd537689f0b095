"""Turning an approved draft into the email that goes out, and handing it to the outbox."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from khazna.agents.channels import client_channel, whatsapp_template, whatsapp_window_open
from khazna.agents.deps import AgentDeps
from khazna.agents.dunning.compose import invoice_table
from khazna.agents.dunning.facts import DunningFacts
from khazna.filenames import safe_name
from khazna.ledger.documents import INVOICE_KIND, InvoiceDocument, piece_file_name
from khazna.ledger.invoice_pdf import invoice_pdf_bytes
from khazna.ledger.models import Company, Document, Invoice
from khazna.ledger.queries import piece_content
from khazna.ledger.tables_agents import Draft, DraftStatus
from khazna.mail.letter_html import TextTable, letter_html
from khazna.mail.message import Attachment, build_message, sender_address
from khazna.mail.messaging import document_part, template_part, text_part
from khazna.mail.outbox import enqueue_payload, send_queued
from khazna.tools.invoice_check.ledger_check import document_from_rows


def invoice_pdf(session: Session, number: str) -> bytes | None:
    """The invoice as a PDF: the stored PDF, else rendered from its structured document
    (stored JSON, or rebuilt from the ledger rows)."""

    stored = session.scalars(
        select(Document).where(Document.number == number, Document.kind == INVOICE_KIND)
    ).all()
    for doc in stored:
        if doc.media_type == "application/pdf":
            return doc.content
    document = None
    for doc in stored:
        if doc.media_type == "application/json":
            try:
                document = InvoiceDocument.model_validate_json(doc.content)
            except ValueError:
                document = None
    if document is None:
        inv = session.get(Invoice, number)
        if inv is None:
            return None

        document = document_from_rows(session, inv)

    return invoice_pdf_bytes(document)  # in memory: no file named after the number


def draft_tables(facts: dict | None) -> list[TextTable]:
    """The invoice table of a draft's letter, rebuilt from its facts (none when the facts
    are not a dunning draft's, e.g. a row written by an older version)."""
    try:
        parsed = DunningFacts.model_validate(facts or {})
    except ValueError:
        return []
    table = invoice_table(parsed)
    return [table] if table is not None else []


def draft_html(facts: dict | None, language: str, body: str) -> str:
    """The HTML form of ``body`` (the approved text), as mailed and as the web shows it."""
    return letter_html(body, language, draft_tables(facts))


def build_reminder_message(session: Session, draft: Draft, body: str):
    company = session.get(Company, 1)
    assert company is not None, "a ledger with drafts has its company"
    attachments = []
    for number in draft.invoice_numbers:
        pdf = invoice_pdf(session, number)
        if pdf is not None:
            attachments.append(Attachment(filename=safe_name(number, ".pdf"), content=pdf))
    # the pieces the approved letter names (compose.attachment_phrase: its facts' `pieces`),
    # delivery notes and attestations de service fait: no more, no fewer
    for piece in (draft.facts or {}).get("pieces", []):
        number, kind = piece["number"], piece["kind"]
        content = piece_content(session, number, kind) if number in draft.invoice_numbers else None
        if content is not None:
            name = piece_file_name(number, kind)
            attachments.append(Attachment(filename=name, content=content))
    return build_message(
        sender=sender_address(company),
        to=list(draft.to_addrs),
        cc=list(draft.cc_addrs),
        subject=draft.subject,
        text=body,
        html=draft_html(draft.facts, draft.language, body),
        reply_to=company.email or None,
        attachments=attachments,
        language=draft.language,
    )


def part_keys(session: Session, draft: Draft) -> list[str]:
    """The outbox keys of a draft: ``reminder:<id>`` (the email, or the channel's text
    message), then ``reminder:<id>:doc:<number>`` per invoice sent as a WhatsApp document."""
    key = f"reminder:{draft.draft_id}"
    return [key, *(f"{key}:doc:{n}" for n in draft.invoice_numbers)]


def enqueue_channel_parts(
    session: Session, draft: Draft, body: str, channel: str, phone: str
) -> str:
    """Queue the approved text on ``channel`` (WhatsApp: then each invoice as a document
    message), each part under its own key; returns the text's outbox id (Message-ID form)."""
    key = f"reminder:{draft.draft_id}"
    part = text_part(phone, body, reference=key)
    templated = channel == "whatsapp" and not whatsapp_window_open(session, draft.client_id)
    if templated:
        # outside the 24-hour window the Cloud API takes only an approved template (the
        # owner saw its filled text on the draft); the invoices, free-form documents, wait
        t = whatsapp_template(draft)
        part = template_part(phone, t.name, t.language, t.parameters, t.text, reference=key)
    text = enqueue_payload(
        session,
        part,
        channel=channel,
        kind="reminder",
        idempotency_key=key,
        to=phone,
        subject=draft.subject,
        ref=draft.draft_id,
        client_id=draft.client_id,
    )
    if channel == "whatsapp" and not templated:
        for number in draft.invoice_numbers:
            pdf = invoice_pdf(session, number)
            if pdf is None:
                continue
            enqueue_payload(
                session,
                document_part(phone, safe_name(number, ".pdf"), pdf, caption=number),
                channel=channel,
                kind="reminder",
                idempotency_key=f"{key}:doc:{number}",
                to=phone,
                subject=f"{draft.subject} — {number}",
                ref=draft.draft_id,
                client_id=draft.client_id,
            )
    return text.message_id


def deliver_now(deps: AgentDeps, draft_id: str) -> str:
    """Send the draft's queued message now and record the result on the draft.

    A temporary failure leaves the message queued (the outbox retries with backoff);
    the draft stays ``approved`` until the message is sent."""
    key = f"reminder:{draft_id}"
    now = datetime.now(UTC)
    with deps.ledger.read() as s:
        d0 = s.get(Draft, draft_id)
        channel = (d0.channel or client_channel(s, d0.client_id)) if d0 is not None else "email"
        keys = part_keys(s, d0) if d0 is not None else [key]
    transport = deps.channel_transport(channel)
    if transport is None:
        return "queued"  # no transport on this channel: the owner sends it by hand
    states = send_queued(deps.ledger.session, transport, keys, now=now)
    row = states.get(key)
    with deps.ledger.session() as s:
        d = s.get(Draft, draft_id)
        if row is None:
            return "failed"
        assert d is not None, "a queued reminder has its draft"
        if row.state == "sent" and d.status != DraftStatus.SENT:
            d.status = DraftStatus.SENT
            d.sent_at = row.sent_at or now.replace(tzinfo=None)
            for k in keys[1:]:
                doc = states.get(k)
                if doc is not None and doc.state in ("failed", "unconfirmed"):
                    d.decision_note += (
                        f"; {k.rsplit(':', 1)[-1]} : pièce {doc.state} ({doc.last_error})"
                    )
        elif row.state == "failed" and d.status != DraftStatus.FAILED:
            d.status = DraftStatus.FAILED
            d.decision_note = (d.decision_note + f"; mail failed: {row.last_error}").strip("; ")
        return {"sent": "sent", "failed": "failed"}.get(row.state, "queued")
