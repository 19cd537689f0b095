"""What ``khazna import --replace`` starts over, and what it keeps (issue 15, part 6).

``--replace`` used to delete every table: the users and their sessions, the mail queue and
its history, the reports, the decided drafts, the settings. It now deletes the *books* —
what a bundle holds and ``khazna export`` writes — and keeps the rest:

- deleted: the tables of :data:`BOOKS`, and the ``policy`` setting (``policy.json`` is part
  of a bundle); with them the drafts still waiting for the owner (``pending_approval``,
  ``failed``), which quote the old books — a run drafts them again from the new ones;
- kept: the tables of :data:`KEPT` — who may sign in, their sessions and login attempts, the
  mail queue and history, the reports, the runs and imports, the other settings (bank
  mappings, alerts already sent, placements, confirmed pairs), and the drafts the owner
  decided (approved, sent, rejected: a reminder sent today is not drafted again today);
- receipts (the owner's uploads, attached to an expense) are kept for the expenses the new
  bundle still has — held while the books are replaced, put back once its expenses are
  in — and deleted with the others.

Every table of the schema is in one of the two (``tests/hostile/test_replace.py``): a new
table has to be placed, it is neither wiped nor kept by accident.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, delete, func, insert, select
from sqlalchemy.orm import Session

from khazna.ledger.schema import METADATA

BOOKS = (
    "company",
    "clients",
    "suppliers",
    "invoices",
    "invoice_lines",
    "payments",
    "allocations",
    "expenses",
    "bank_lines",
    "commitments",
    "interactions",
    "documents",
)
KEPT = (
    "users",
    "web_sessions",
    "login_attempts",
    "mail_messages",
    "reports",
    "agent_runs",
    "import_runs",
    "settings",
    "drafts",
    "receipts",
    # caches (ledger/tables_cache.py): a result_cache row is for the state before the
    # import, an invoice_checks row for its fingerprint: neither can serve new books
    "result_cache",
    "invoice_checks",
)
# settings that describe the books: deleted with them. ``demo_books``: the books are the
# ones ``khazna demo`` generated (it replaces those without asking, not a company's own)
DEMO_BOOKS = "demo_books"
BUNDLE_SETTINGS = ("policy", DEMO_BOOKS)
AWAITING = ("pending_approval", "failed")  # drafts that quote the books and wait for the owner


@dataclass
class Replaced:
    """Rows deleted and kept, per table (``drafts`` split by what was decided)."""

    deleted: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)
    held_receipts: list[dict[str, Any]] = field(default_factory=list, repr=False)


def _table(name: str) -> Table:
    return METADATA.tables[name]


def _count(session: Session, table: Table, *where: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(table).where(*where)) or 0)


def preview(session: Session) -> Replaced:
    """What :func:`clear_books` would delete and keep, without touching anything (receipts
    all counted as kept: which expenses the bundle keeps is known once it is read)."""
    out = Replaced()
    for name in BOOKS:
        if n := _count(session, _table(name)):
            out.deleted[name] = n
    drafts, settings = _table("drafts"), _table("settings")
    awaiting = drafts.c.status.in_(AWAITING)
    bundle_setting = settings.c.key.in_(BUNDLE_SETTINGS)
    if n := _count(session, drafts, awaiting):
        out.deleted["drafts"] = n
    if n := _count(session, settings, bundle_setting):
        out.deleted["settings"] = n
    for name in KEPT:
        table = _table(name)
        where = (
            (~awaiting,) if name == "drafts" else (~bundle_setting,) if name == "settings" else ()
        )
        if n := _count(session, table, *where):
            out.kept[name] = n
    return out


def clear_books(session: Session) -> Replaced:
    """Delete the books (see the module), holding the receipts until :func:`put_back`."""
    out = preview(session)
    receipts = _table("receipts")
    out.held_receipts = [dict(r) for r in session.execute(select(receipts)).mappings()]
    session.execute(delete(receipts))
    drafts, settings = _table("drafts"), _table("settings")
    session.execute(delete(drafts).where(drafts.c.status.in_(AWAITING)))
    session.execute(delete(settings).where(settings.c.key.in_(BUNDLE_SETTINGS)))
    books = set(BOOKS)
    for table in reversed(METADATA.sorted_tables):  # foreign-key order
        if table.name in books:
            session.execute(delete(table))
    return out


def put_back(session: Session, replaced: Replaced) -> None:
    """The held receipts whose expense the new books still have; the others are counted
    deleted."""
    held, replaced.held_receipts = replaced.held_receipts, []
    if not held:
        return
    expenses = _table("expenses")
    ids = {r["expense_id"] for r in held}
    present = set(
        session.scalars(select(expenses.c.expense_id).where(expenses.c.expense_id.in_(ids)))
    )
    back = [r for r in held if r["expense_id"] in present]
    if back:
        session.execute(insert(_table("receipts")), back)
    replaced.kept.pop("receipts", None)
    if back:
        replaced.kept["receipts"] = len(back)
    if gone := len(held) - len(back):
        replaced.deleted["receipts"] = gone
