"""The ledger's tables.

Money is ``Numeric(18, 2)`` read back as ``Decimal``. SQLite has no decimal type and keeps
such values as REAL; every value written has at most two decimals, so it reads back
exactly, and SQL aggregates go through integer centimes (:func:`khazna.ledger.queries.cents`)
so that sums stay exact on both back ends.

Invoices, payments and bank lines are the records the books rest on: they are never
updated in place (a correction is a new record: a credit note, a reversal). The ORM refuses
such updates (see :func:`_refuse_update`).
"""

from __future__ import annotations

import datetime as _dt
import warnings
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    event,
    exc,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# SQLite stores NUMERIC as REAL; values carry two decimals at most and sums are done in
# integer centimes, so the generic warning does not apply to this schema.
warnings.filterwarnings("ignore", r".*does \*not\* support Decimal objects natively", exc.SAWarning)

Money = Numeric(18, 2, asdecimal=True)


class Base(DeclarativeBase):
    pass


class Company(Base):
    __tablename__ = "company"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    name: Mapped[str] = mapped_column(String(200))
    legal_form: Mapped[str] = mapped_column(String(40), default="")
    capital: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    address: Mapped[str] = mapped_column(Text, default="")
    rc: Mapped[str] = mapped_column(String(60), default="")
    nif: Mapped[str] = mapped_column(String(40), default="")
    nis: Mapped[str] = mapped_column(String(40), default="")
    ai: Mapped[str] = mapped_column(String(40), default="")
    rib: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    language: Mapped[str] = mapped_column(String(2), default="fr")
    opening_balance: Mapped[Decimal] = mapped_column(Money)
    opening_date: Mapped[date] = mapped_column(Date)
    extra: Mapped[dict] = mapped_column(JSON, default=dict)


class Setting(Base):
    """Small JSON documents: the policy, bank column mappings, run bookkeeping."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[dict] = mapped_column(JSON)


class Client(Base):
    __tablename__ = "clients"
    client_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    language: Mapped[str] = mapped_column(String(2), default="fr")
    payment_terms_days: Mapped[int] = mapped_column(Integer, default=30)
    nif: Mapped[str] = mapped_column(String(40), default="")
    nis: Mapped[str] = mapped_column(String(40), default="")
    rc: Mapped[str] = mapped_column(String(60), default="")
    ai: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    # How a letter addresses the client: "f" (Madame, السيدة), "m" (Monsieur, السيد) or ""
    # (not given: read from the name's title, else the neutral "Madame, Monsieur").
    civility: Mapped[str] = mapped_column(String(1), default="", server_default="")
    # where reminders go: "email" (default), "whatsapp", "sms" (khazna client set-channel)
    channel: Mapped[str] = mapped_column(String(10), default="email", server_default="email")


class Supplier(Base):
    __tablename__ = "suppliers"
    supplier_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(40), default="autre")
    email: Mapped[str] = mapped_column(String(200), default="")
    nif: Mapped[str] = mapped_column(String(40), default="")


class Invoice(Base):
    __tablename__ = "invoices"
    number: Mapped[str] = mapped_column(String(60), primary_key=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.client_id"), index=True)
    issue_date: Mapped[date] = mapped_column(Date, index=True)
    due_date: Mapped[date] = mapped_column(Date, index=True)
    payment_method: Mapped[str] = mapped_column(String(20), default="virement")
    total_ht: Mapped[Decimal] = mapped_column(Money)
    total_tva: Mapped[Decimal] = mapped_column(Money)
    timbre: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    total_ttc: Mapped[Decimal] = mapped_column(Money)
    status: Mapped[str] = mapped_column(String(20), default="issued")
    credited_invoice: Mapped[str] = mapped_column(String(60), default="", index=True)


class InvoiceLine(Base):
    __tablename__ = "invoice_lines"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    number: Mapped[str] = mapped_column(ForeignKey("invoices.number"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text, default="")
    quantity: Mapped[Decimal] = mapped_column(Numeric(18, 3, asdecimal=True))
    unit: Mapped[str] = mapped_column(String(20), default="")
    unit_price_ht: Mapped[Decimal] = mapped_column(Money)
    tva_rate: Mapped[Decimal] = mapped_column(Numeric(5, 2, asdecimal=True))


class Payment(Base):
    __tablename__ = "payments"
    payment_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    date: Mapped[date] = mapped_column(Date, index=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.client_id"), index=True)
    invoice_number: Mapped[str] = mapped_column(String(400), default="")
    amount: Mapped[Decimal] = mapped_column(Money)
    method: Mapped[str] = mapped_column(String(20), default="virement")
    reference: Mapped[str] = mapped_column(String(120), default="")
    status: Mapped[str] = mapped_column(String(20), default="cleared")


class Allocation(Base):
    """A payment's amount allocated to one invoice (derived at import, oldest first)."""

    __tablename__ = "allocations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    payment_id: Mapped[str] = mapped_column(ForeignKey("payments.payment_id"), index=True)
    invoice_number: Mapped[str] = mapped_column(ForeignKey("invoices.number"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money)


class Expense(Base):
    __tablename__ = "expenses"
    expense_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    date: Mapped[date] = mapped_column(Date, index=True)
    supplier_id: Mapped[str] = mapped_column(String(60), default="", index=True)
    payee: Mapped[str] = mapped_column(String(200), default="")
    category: Mapped[str] = mapped_column(String(40), default="autre")
    amount: Mapped[Decimal] = mapped_column(Money)
    method: Mapped[str] = mapped_column(String(20), default="virement")
    reference: Mapped[str] = mapped_column(String(120), default="")
    supplier_invoice: Mapped[str] = mapped_column(String(120), default="")
    employee: Mapped[str] = mapped_column(String(120), default="")
    card_id: Mapped[str] = mapped_column(String(60), default="")
    receipt: Mapped[str] = mapped_column(String(3), default="no")
    description: Mapped[str] = mapped_column(Text, default="")


class BankLine(Base):
    __tablename__ = "bank_lines"
    line_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    account: Mapped[str] = mapped_column(String(60), default="")
    date: Mapped[date] = mapped_column(Date, index=True)
    label: Mapped[str] = mapped_column(Text, default="")
    amount: Mapped[Decimal] = mapped_column(Money)
    reference: Mapped[str] = mapped_column(String(120), default="")
    # Set for lines loaded from a bank statement: a hash of (account, date, amount,
    # label, reference) and its occurrence number within the statement, so that an
    # overlapping statement adds nothing while two genuine identical lines both stay.
    fingerprint: Mapped[str | None] = mapped_column(String(40), nullable=True)
    occurrence: Mapped[int | None] = mapped_column(Integer, nullable=True)
    source: Mapped[str] = mapped_column(String(200), default="")
    # the statement's value date (date de valeur), when it prints one (migration 0008)
    value_date: Mapped[_dt.date | None] = mapped_column(Date, nullable=True, default=None)
    __table_args__ = (UniqueConstraint("fingerprint", "occurrence", name="uq_bank_fingerprint"),)


class Commitment(Base):
    __tablename__ = "commitments"
    commitment_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    label: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(40), default="autre")
    amount: Mapped[Decimal] = mapped_column(Money)
    day_of_month: Mapped[int] = mapped_column(Integer)
    every_months: Mapped[int] = mapped_column(Integer, default=1)
    start: Mapped[date | None] = mapped_column(Date, nullable=True)
    end: Mapped[date | None] = mapped_column(Date, nullable=True)


class Interaction(Base):
    __tablename__ = "interactions"
    interaction_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.client_id"), index=True)
    date: Mapped[date] = mapped_column(Date, index=True)
    channel: Mapped[str] = mapped_column(String(20), default="email")
    direction: Mapped[str] = mapped_column(String(3), default="in")
    kind: Mapped[str] = mapped_column(String(20), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    # Why this client message may not pause reminders by itself ('' when it may: the owner's
    # records, an authenticated reply naming the client's invoices). Set by mail/replies.py:
    # sender_not_authenticated, sender_not_client, no_invoice_of_client. A promise or dispute
    # with a reason here is shown on the draft for the owner to decide (tools/client_state.py).
    unconfirmed: Mapped[str] = mapped_column(String(40), default="", server_default="")
    # when the message arrived (naive UTC), where the channel says (the WhatsApp webhook):
    # the WhatsApp 24-hour window (agents/channels.whatsapp_window_open)
    at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class Document(Base):
    """An invoice document as given in the bundle (PDF bytes or structured JSON)."""

    __tablename__ = "documents"
    filename: Mapped[str] = mapped_column(String(200), primary_key=True)
    number: Mapped[str] = mapped_column(String(60), index=True)
    media_type: Mapped[str] = mapped_column(String(40))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    # "invoice" (the invoice itself), or a piece that goes with it (``ledger.documents
    # .PIECES``): "delivery_note" (``<number>-BL.pdf``), "service_attestation" (``-ASF.pdf``).
    kind: Mapped[str] = mapped_column(String(20), default="invoice", server_default="invoice")


class ImportRun(Base):
    """One import (bundle or bank statement), for the audit trail."""

    __tablename__ = "import_runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime)
    counts: Mapped[dict] = mapped_column(JSON, default=dict)


Index("ix_bank_lines_account_date", BankLine.account, BankLine.date)

IMMUTABLE = (Invoice, InvoiceLine, Payment, Allocation, BankLine)


class ImmutableRecordError(RuntimeError):
    """An attempt to edit a record the books rest on."""


def _refuse_update(mapper, connection, target) -> None:  # noqa: ARG001 - SQLAlchemy signature
    raise ImmutableRecordError(
        f"{type(target).__name__} records are never edited in place: "
        "record a correction instead (a credit note, a reversal)"
    )


for _cls in IMMUTABLE:
    event.listen(_cls, "before_update", _refuse_update)
