"""The ledger at a glance (``khazna status``): counts, dates, cash and open receivables."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from khazna.ledger.models import (
    BankLine,
    Client,
    Commitment,
    Document,
    Expense,
    Interaction,
    Invoice,
    Payment,
    Supplier,
)
from khazna.ledger.queries import cash_position, get_company
from khazna.tools.receivables import open_invoices  # the one open-amount rule


class LedgerStatus(BaseModel):
    company: str
    as_of: date
    counts: dict[str, int]
    date_from: date | None
    date_to: date | None
    cash_position: Decimal
    open_receivables: Decimal
    open_invoices: int
    notes: list[str] = []
    # where the as-of day stands against the records: "before_books" (before the opening
    # date), "before_first_record", "within", "after_last_record"
    as_of_position: str = "within"


class BooksSpan(BaseModel):
    """Where a day stands against the books: their first and last record, and what to say."""

    date_from: date | None
    date_to: date | None
    # "before_books" (before the opening date), "before_first_record", "within",
    # "after_last_record"
    position: str = "within"
    notes: list[str] = []


def last_record_dates(session: Session) -> dict[str, date | None]:
    """The last dated record of each kind (None for a kind with none): what
    :func:`books_span` and :func:`books_end` both read. Four max lookups on indexed dates."""
    return {
        "bank_lines": session.scalar(select(func.max(BankLine.date))),
        "invoices": session.scalar(select(func.max(Invoice.issue_date))),
        "payments": session.scalar(select(func.max(Payment.date))),
        "expenses": session.scalar(select(func.max(Expense.date))),
    }


def books_span(session: Session, as_of: date) -> BooksSpan:
    """The first and last dated record (bank lines, payments, expenses, invoices) and, when
    ``as_of`` lies outside them, the sentence that says so: one reading for ``khazna status
    --as-of`` and the dashboard. Eight min/max lookups on indexed dates."""
    company = get_company(session)
    assert company is not None, "open_ledger() checks the company first"
    lo = [
        d
        for d in (session.scalar(select(func.min(m.date))) for m in (BankLine, Payment, Expense))
        if d
    ]
    lo.append(session.scalar(select(func.min(Invoice.issue_date))) or company.opening_date)
    hi = [d for d in last_record_dates(session).values() if d]
    notes = []
    if as_of < company.opening_date:
        notes.append(
            f"le {as_of:%d/%m/%Y} précède le début des comptes ({company.opening_date:%d/%m/%Y}) : "
            "la trésorerie est le solde d'ouverture"
        )
    date_from, date_to = (min(lo) if lo else None), (max(hi) if hi else None)
    position = "within"
    if as_of < company.opening_date:
        position = "before_books"
    elif date_from and as_of < date_from:
        position = "before_first_record"
        notes.append(
            f"le {as_of:%d/%m/%Y} précède le premier enregistrement ({date_from:%d/%m/%Y}) : "
            "aucune opération n'est encore comptée à cette date"
        )
    elif date_to and as_of > date_to:
        position = "after_last_record"
        notes.append(
            f"le {as_of:%d/%m/%Y} est après le dernier enregistrement ({date_to:%d/%m/%Y}) : "
            f"rien n'est enregistré depuis le {date_to:%d/%m/%Y}, les montants sont ceux de "
            "ce jour-là (importez les opérations récentes pour les mettre à jour)"
        )
    return BooksSpan(date_from=date_from, date_to=date_to, position=position, notes=notes)


class BooksEnd(BaseModel):
    """The books stop before the day asked: the last record of each kind, and the one line
    every command and page that reports as of a later day shows (``books_end`` / ``notes``
    in ``--json``)."""

    as_of: date
    last_record: date  # the last dated record of any kind
    bank_lines: date | None = None
    invoices: date | None = None
    payments: date | None = None
    expenses: date | None = None
    note: str

    def note_in(self, language: str) -> str:
        """The sentence in the language of an answer (``fr`` as :attr:`note`, ``ar``, ``en``)."""
        end, day = f"{self.last_record:%d/%m/%Y}", f"{self.as_of:%d/%m/%Y}"
        if language == "en":
            return (
                f"the books stop on {end} ({(self.as_of - self.last_record).days} days before "
                f"{day}): nothing is recorded since, the figures are those of that day (import "
                "the recent operations to bring them up to date)"
            )
        if language == "ar":
            return (
                f"تتوقف الدفاتر عند {end}، أي قبل {day}: لم يُسجَّل شيء بعد ذلك، والأرقام هي "
                "أرقام ذلك اليوم (استورد العمليات الأخيرة لتحديثها)"
            )
        return self.note


def books_end(session: Session, as_of: date) -> BooksEnd | None:
    """When ``as_of`` is after the ledger's last record (bank lines, invoices, payments,
    expenses), what the books cover and the sentence that says so; else None. Four max
    lookups on indexed dates."""
    last = last_record_dates(session)
    known = [d for d in last.values() if d is not None]
    if not known or as_of <= max(known):
        return None
    end = max(known)
    bank = last["bank_lines"]
    bank_words = (
        f", dernière ligne bancaire le {bank:%d/%m/%Y}" if bank is not None and bank != end else ""
    )
    note = (
        f"les livres s'arrêtent au {end:%d/%m/%Y} ({(as_of - end).days} jours avant le "
        f"{as_of:%d/%m/%Y}{bank_words}) : rien n'est enregistré depuis, les chiffres sont "
        "ceux de ce jour-là (importez les opérations récentes pour les mettre à jour)"
    )
    return BooksEnd(as_of=as_of, last_record=end, note=note, **last)


def ledger_status(session: Session, as_of: date) -> LedgerStatus:
    company = get_company(session)
    assert company is not None, "open_ledger() checks the company first"
    tables = {
        "clients": Client,
        "suppliers": Supplier,
        "invoices": Invoice,
        "payments": Payment,
        "expenses": Expense,
        "bank_lines": BankLine,
        "commitments": Commitment,
        "interactions": Interaction,
        "documents": Document,
    }
    counts = {
        name: int(session.scalar(select(func.count()).select_from(m)) or 0)
        for name, m in tables.items()
    }
    span = books_span(session, as_of)
    notes, position = list(span.notes), span.position
    date_from, date_to = span.date_from, span.date_to
    if counts["bank_lines"] == 0:
        notes.append("aucune ligne bancaire : chargez un relevé avec `khazna import-bank FICHIER`")
    opens = [i for i in open_invoices(session, as_of) if i.open_amount > 0]
    total, n = sum((i.open_amount for i in opens), Decimal("0.00")), len(opens)
    return LedgerStatus(
        company=company.name,
        as_of=as_of,
        counts=counts,
        date_from=date_from,
        date_to=date_to,
        cash_position=cash_position(session, as_of)
        if as_of >= company.opening_date
        else company.opening_balance,
        open_receivables=total,
        open_invoices=n,
        notes=notes,
        as_of_position=position,
    )
