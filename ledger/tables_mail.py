"""The durable record of outgoing mail (``mail_messages``), on the ledger's ``Base``.

A row is written (``pending``) before anything goes out, and holds the exact bytes sent, so
a retry is the same message with the same ``Message-ID``. States::

    pending → sending → sent
                      ↘ pending (temporary failure, retried later with backoff)
                      ↘ failed (permanent refusal, or too many attempts)
                      ↘ unconfirmed (the server may have taken it: the owner decides)

Times are naive UTC. The table is created by the ledger's Alembic migrations (0002).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from khazna.ledger.models import Base

STATES = ("pending", "sending", "sent", "failed", "unconfirmed")
KINDS = ("reminder", "report", "alert", "receipt_reminder")


class MailMessage(Base):
    __tablename__ = "mail_messages"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # "reminder:<draft_id>", "report:<as_of>", ...: enqueueing the same thing twice gives one row.
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    message_id: Mapped[str] = mapped_column(String(250), unique=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    ref: Mapped[str] = mapped_column(String(120), default="")
    client_id: Mapped[str] = mapped_column(String(60), default="", index=True)
    sender: Mapped[str] = mapped_column(String(250))
    recipients: Mapped[list] = mapped_column(JSON, default=list)
    subject: Mapped[str] = mapped_column(Text, default="")
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    state: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # Which transport took the last attempt ("smtp:host:port", "file:/path"): a restart
    # with another transport cannot tell whether the message went out.
    via: Mapped[str] = mapped_column(String(300), default="")
    last_error: Mapped[str] = mapped_column(Text, default="")
    server_reply: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # which kind of transport may take the row: "email" (SMTP or file outbox), "whatsapp"
    # (raw = the Cloud API request as JSON), "sms" (raw = the gateway's message as JSON)
    channel: Mapped[str] = mapped_column(String(10), default="email", server_default="email")
