"""The demo's working state: rows of every bundle file and the generator's truth.

The sub-generators (sales, spending, interactions, documents) append to one :class:`Book`;
:mod:`khazna.demo.generator` orders it, gives bank lines their ids and writes the bundle.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from khazna.calendar_dz import WorkingCalendar

if TYPE_CHECKING:
    from khazna.ledger.documents import InvoiceDocument


def shipped_calendar() -> WorkingCalendar:
    """The shipped holiday table only: the bundle must not depend on the user's overrides."""
    import khazna.calendar_dz as cal

    raw = json.loads(Path(cal.__file__).with_name("holidays.json").read_text(encoding="utf-8"))
    return WorkingCalendar(islamic={date.fromisoformat(k): v for k, v in raw["islamic"].items()})


@dataclass
class BankEntry:
    date: date
    label: str
    amount: Decimal
    reference: str
    category: str
    settles: dict
    seq: int
    line_id: str = ""


@dataclass
class Book:
    rng: random.Random
    start: date
    as_of: date
    cal: WorkingCalendar
    sales_start: date  # invoicing starts before the statement: the opening receivables
    company: dict = field(default_factory=dict)
    clients: list[dict] = field(default_factory=list)
    suppliers: list[dict] = field(default_factory=list)
    invoices: list[dict] = field(default_factory=list)
    lines: list[dict] = field(default_factory=list)
    payments: list[dict] = field(default_factory=list)
    expenses: list[dict] = field(default_factory=list)
    bank: list[BankEntry] = field(default_factory=list)
    commitments: list[dict] = field(default_factory=list)
    interactions: list[dict] = field(default_factory=list)
    documents: dict[str, InvoiceDocument] = field(default_factory=dict)  # number -> document
    pdf_numbers: list[str] = field(default_factory=list)
    # the pieces kept beside an invoice: number -> {kind (ledger.documents.PIECES): day signed}
    pieces: dict[str, dict[str, date]] = field(default_factory=dict)
    # truth
    anomalies: list[dict] = field(default_factory=list)
    lookalikes: list[dict] = field(default_factory=list)
    doc_defects: dict[str, list[str]] = field(default_factory=dict)
    facts: dict = field(default_factory=dict)
    _seq: int = 0

    # --- calendar helpers -------------------------------------------------------------
    def working_on_or_after(self, d: date) -> date:
        return self.cal.next_working_day(d)

    def working_on_or_before(self, d: date) -> date:
        while not self.cal.is_working_day(d):
            d -= timedelta(days=1)
        return d

    def months(self, since: date | None = None) -> list[date]:
        """First day of each month from the start (or ``since``) through the as-of month."""
        out, d = [], since or self.start
        while d <= self.as_of:
            out.append(d)
            d = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
        return out

    # --- appenders -----------------------------------------------------------------------
    def bank_add(
        self, d: date, label: str, amount: Decimal, category: str, reference: str = "", **settles
    ) -> BankEntry | None:
        """A bank line, only when it falls on or before the as-of day."""
        if d > self.as_of or d < self.start:
            return None
        self._seq += 1
        entry = BankEntry(d, label, amount, reference, category, settles, self._seq)
        self.bank.append(entry)
        return entry

    def expense_add(self, **row) -> dict | None:
        if row["date"] > self.as_of or row["date"] < self.start:
            return None
        base: dict[str, Any] = {
            "supplier_id": "",
            "payee": "",
            "method": "virement",
            "reference": "",
            "supplier_invoice": "",
            "employee": "",
            "card_id": "",
            "receipt": "yes",
            "description": "",
        }
        base.update(row)
        self._seq += 1
        base["_seq"] = self._seq
        self.expenses.append(base)
        return base

    def client(self, client_id: str) -> dict:
        return next(c for c in self.clients if c["client_id"] == client_id)

    def invoice(self, number: str) -> dict:
        return next(i for i in self.invoices if i["number"] == number)
