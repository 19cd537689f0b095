"""Small, exact queries over the ledger that many parts need.

Sums go through integer centimes (:func:`cents`): exact on PostgreSQL's NUMERIC and on
SQLite, where NUMERIC values are stored as REAL.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import BigInteger, ColumnElement, and_, cast, func, select
from sqlalchemy.orm import Session

from khazna.ledger.models import Allocation, BankLine, Company, Invoice, Payment


def cents(col) -> ColumnElement[int]:
    """``col`` (a money column) as integer centimes, for exact SQL sums."""
    return cast(func.round(col * 100), BigInteger)


def sum_money(session: Session, col, *where) -> Decimal:
    total = session.scalar(select(func.coalesce(func.sum(cents(col)), 0)).where(*where))
    return Decimal(int(total or 0)) / 100


def get_company(session: Session) -> Company | None:
    return session.get(Company, 1)


def cash_position(session: Session, as_of: date) -> Decimal:
    """Opening balance plus every bank line up to the end of ``as_of``."""
    company = get_company(session)
    if company is None:
        return Decimal("0.00")
    moved = sum_money(
        session, BankLine.amount, BankLine.date >= company.opening_date, BankLine.date <= as_of
    )
    return company.opening_balance + moved


def open_receivables(session: Session, as_of: date) -> tuple[Decimal, int]:
    """Total still owed by clients on ``as_of`` and the number of open invoices.

    Open amount = total TTC − cleared payments allocated to it − credit notes against it.
    """
    paid = (
        select(Allocation.invoice_number.label("n"), func.sum(cents(Allocation.amount)).label("c"))
        .join(Payment, Payment.payment_id == Allocation.payment_id)
        .where(Payment.status == "cleared", Payment.date <= as_of)
        .group_by(Allocation.invoice_number)
        .subquery()
    )
    credit = (
        select(Invoice.credited_invoice.label("n"), func.sum(cents(Invoice.total_ttc)).label("c"))
        .where(
            Invoice.credited_invoice != "",
            Invoice.issue_date <= as_of,
            Invoice.status != "cancelled",
        )
        .group_by(Invoice.credited_invoice)
        .subquery()
    )
    open_c = cents(Invoice.total_ttc) - func.coalesce(paid.c.c, 0) + func.coalesce(credit.c.c, 0)
    q = (
        select(func.coalesce(func.sum(open_c), 0), func.count())
        .select_from(Invoice)
        .outerjoin(paid, paid.c.n == Invoice.number)
        .outerjoin(credit, credit.c.n == Invoice.number)
        .where(
            and_(
                Invoice.status != "cancelled",
                Invoice.credited_invoice == "",
                Invoice.issue_date <= as_of,
            )
        )
        .where(open_c > 0)
    )
    total, count = session.execute(q).one()
    return Decimal(int(total)) / 100, int(count)
