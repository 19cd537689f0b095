"""What one process computed for the next: results per ledger state (``result_cache``) and
the invoice checker's result per invoice, under a fingerprint of what it was checked on
(``invoice_checks``). Created by the Alembic migration ``0012_result_cache``.

Both are caches: deleting their rows loses time, never a figure (``ledger/state.py``,
``tools/invoice_check/ledger_check.py``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from khazna.ledger.models import Base


class ResultCache(Base):
    __tablename__ = "result_cache"
    what: Mapped[str] = mapped_column(String(40), primary_key=True)  # "forecast", ...
    args: Mapped[str] = mapped_column(String(200), primary_key=True)  # its arguments, as JSON
    state: Mapped[str] = mapped_column(String(16))  # ledger.state.state_key when computed
    value: Mapped[bytes] = mapped_column(LargeBinary)  # zlib of the result's JSON
    created_at: Mapped[datetime] = mapped_column(DateTime)


class InvoiceCheckRow(Base):
    __tablename__ = "invoice_checks"
    # the invoice number (checked on its ledger rows) or "documents/<file>" (a stored document)
    key: Mapped[str] = mapped_column(String(260), primary_key=True)
    # sha1 of every input of the check: the invoice's row and lines (or its document's
    # sha256), the client's and the company's rows, the rules
    fingerprint: Mapped[str] = mapped_column(String(40))
    # the as-of day when it mattered (the invoice is dated after it), else ""
    dated: Mapped[str] = mapped_column(String(10))
    issue_date: Mapped[str] = mapped_column(String(10))  # as the check read it, or ""
    printed: Mapped[str] = mapped_column(String(200))  # the number the document prints, or ""
    ok: Mapped[bool] = mapped_column(Boolean)
    errors: Mapped[int] = mapped_column(Integer)  # error-level findings
