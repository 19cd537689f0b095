"""Small, exact queries over the ledger that many parts need.

Sums go through integer centimes (:func:`cents`): exact on PostgreSQL's NUMERIC and on
SQLite, where NUMERIC values are stored as REAL.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import BigInteger, ColumnElement, cast, func, select
from sqlalchemy.orm import Session

from khazna.ledger.documents import INVOICE_KIND, PIECES
from khazna.ledger.models import BankLine, Company, Document


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


def pieces_of(session: Session, numbers: list[str]) -> list[tuple[str, str]]:
    """The pieces stored with ``numbers`` (delivery notes, attestations de service fait),
    as ``(invoice number, kind)``, in the order of ``numbers`` then of ``PIECES``."""
    kinds = list(PIECES.values())
    found = {
        (n, k)
        for n, k in session.execute(
            select(Document.number, Document.kind).where(
                Document.number.in_(numbers), Document.kind != INVOICE_KIND
            )
        )
    }
    return [(n, k) for n in numbers for k in kinds if (n, k) in found]


def piece_content(session: Session, number: str, kind: str) -> bytes | None:
    """The stored PDF of one piece (the first by file name), or None."""
    return session.scalar(
        select(Document.content)
        .where(Document.number == number, Document.kind == kind)
        .order_by(Document.filename)
        .limit(1)
    )
