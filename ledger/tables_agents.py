"""What the agents keep in the ledger database: reminder drafts and weekly reports.

A draft is the owner's unit of approval. Its text is what will be sent, exactly; the
approval thread (LangGraph, checkpointed) moves it through the statuses of spec/cli.md.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import JSON, Boolean, Date, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from khazna.ledger.models import Base, Money


class DraftStatus(StrEnum):
    """A draft's status, stored as its string value (``drafts.status`` is a plain string).

    ``pending_approval`` → (owner approves or edits) ``approved`` → ``sent`` or ``failed``;
    (owner rejects) ``rejected``. An approved draft whose send was interrupted stays
    ``approved`` until the outbox delivers it.
    """

    PENDING_APPROVAL = "pending_approval"
    APPROVED = "approved"
    SENT = "sent"
    REJECTED = "rejected"
    FAILED = "failed"


class Draft(Base):
    __tablename__ = "drafts"
    draft_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    run_id: Mapped[str] = mapped_column(String(80), index=True)
    as_of: Mapped[date] = mapped_column(Date, index=True)
    client_id: Mapped[str] = mapped_column(String(60), index=True)
    level: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(
        String(20), index=True, default=DraftStatus.PENDING_APPROVAL
    )
    language: Mapped[str] = mapped_column(String(2), default="fr")
    to_addrs: Mapped[list] = mapped_column(JSON, default=list)
    cc_addrs: Mapped[list] = mapped_column(JSON, default=list)
    subject: Mapped[str] = mapped_column(Text, default="")
    short: Mapped[str] = mapped_column(Text, default="")
    detailed: Mapped[str] = mapped_column(Text, default="")
    invoice_numbers: Mapped[list] = mapped_column(JSON, default=list)
    attachments: Mapped[list] = mapped_column(JSON, default=list)
    facts: Mapped[dict] = mapped_column(JSON, default=dict)
    citations: Mapped[list] = mapped_column(JSON, default=list)
    total: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    max_days_late: Mapped[int] = mapped_column(Integer, default=0)
    writer: Mapped[str] = mapped_column(String(30), default="template")
    writer_note: Mapped[str] = mapped_column(Text, default="")
    edited: Mapped[bool] = mapped_column(Boolean, default=False)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    message_id: Mapped[str] = mapped_column(String(200), default="")
    thread_id: Mapped[str] = mapped_column(String(120), default="")
    # the owner's choice for this draft ("email", "whatsapp", "sms"); "" = the client's channel
    channel: Mapped[str] = mapped_column(String(10), default="", server_default="")


class Report(Base):
    __tablename__ = "reports"
    report_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    as_of: Mapped[date] = mapped_column(Date, index=True)
    week_start: Mapped[date] = mapped_column(Date)
    week_end: Mapped[date] = mapped_column(Date)
    forecast_status: Mapped[str] = mapped_column(String(20))
    facts: Mapped[dict] = mapped_column(JSON, default=dict)
    commentary: Mapped[str] = mapped_column(Text, default="")
    writer: Mapped[str] = mapped_column(String(30), default="template")
    writer_note: Mapped[str] = mapped_column(Text, default="")
    sent_to: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class AgentRun(Base):
    """One pass of the supervisor (``khazna run``), for 'what changed since the last run'."""

    __tablename__ = "agent_runs"
    run_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    as_of: Mapped[date] = mapped_column(Date, index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
