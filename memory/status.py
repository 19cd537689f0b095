"""Which promises and disputes are still open on a given day: the rules, in one place.

Promise: a record of kind ``promise`` dated on or before ``as_of`` is open while its
promised date (or, when the text gave none, its own date + ``undated_days``) is on or after
``as_of``. A later promise that covers any of the same invoices (or either names none, so
covers the whole account) replaces it: the client's latest word counts.

Dispute: a record of kind ``dispute`` dated on or before ``as_of`` stays open until a record
dated on or after it (and on or before ``as_of``) settles it: a note whose text says so
("litige réglé", "accord trouvé", "تمت التسوية"...; see ``infer.RESOLUTION``) or a credit
note (avoir) on the invoice, loaded from the ledger. The settling record must share an
invoice number with the dispute, or one of the two must name no invoice.

Records flagged ``suspicious`` (instruction-like text) neither open nor settle anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from khazna.memory.models import MemoryRecord, OpenItem


def _overlap(a: list[str], b: list[str]) -> bool:
    return not a or not b or bool(set(a) & set(b))


def _order(r: MemoryRecord) -> tuple[date, str]:
    return (r.date, r.id)


def open_promises(
    records: Iterable[MemoryRecord], as_of: date, *, undated_days: int = 7
) -> list[OpenItem]:
    promises = sorted(
        (r for r in records if r.kind == "promise" and r.date <= as_of and not r.suspicious),
        key=_order,
    )
    out = []
    for i, p in enumerate(promises):
        if any(_overlap(p.invoice_numbers, q.invoice_numbers) for q in promises[i + 1 :]):
            continue
        until = p.promised_date or p.date + timedelta(days=undated_days)
        if until >= as_of:
            out.append(OpenItem(record=p, invoice_numbers=p.invoice_numbers, until=until))
    return out


def open_disputes(records: Iterable[MemoryRecord], as_of: date) -> list[OpenItem]:
    recs = sorted((r for r in records if r.date <= as_of and not r.suspicious), key=_order)
    settlers = [r for r in recs if r.resolves and r.kind != "dispute"]
    out = []
    for d in (r for r in recs if r.kind == "dispute"):
        settled = any(
            s.date >= d.date and _overlap(d.invoice_numbers, s.invoice_numbers) for s in settlers
        )
        if not settled:
            out.append(OpenItem(record=d, invoice_numbers=d.invoice_numbers))
    return out
