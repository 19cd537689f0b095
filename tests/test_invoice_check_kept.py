"""The invoice checker of the weekly run checks only what changed (``invoice_checks``), and
finds what the full ``check_ledger`` finds, entry for entry, on the demo books."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import delete, func, select, update

from khazna.demo.generator import generate
from khazna.ledger.bundle import import_bundle
from khazna.ledger.db import Ledger
from khazna.ledger.models import Document, Invoice
from khazna.ledger.tables_cache import InvoiceCheckRow
from khazna.tools.invoice_check import ledger_check
from khazna.tools.invoice_check.ledger_check import CheckSummary, check_ledger, check_ledger_summary

AS_OF = date(2026, 11, 26)


@pytest.fixture
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("kept")
    generate(root / "bundle", seed=7, as_of=AS_OF)
    ledger = Ledger(f"sqlite:///{root / 'k.db'}")
    import_bundle(ledger, root / "bundle", replace=True)
    # every demo invoice has its document: half of them lose it, to be checked on their rows
    with ledger.session() as s:
        numbers = s.scalars(select(Invoice.number).order_by(Invoice.number)).all()
        s.execute(delete(Document.__table__).where(Document.number.in_(numbers[::2])))
    yield ledger
    ledger.dispose()


def _full(ledger: Ledger, as_of: date):
    with ledger.read() as s:
        full = check_ledger(s, as_of)
    entries = [
        CheckSummary(r.number, r.ok, sum(f.severity == "error" for f in r.findings))
        for r in full.invoices
    ]
    return entries, [f.model_dump() for f in full.ledger_findings]


def _summary(ledger: Ledger, as_of: date):
    with ledger.read() as s:
        entries, findings = check_ledger_summary(s, as_of)
    return entries, [f.model_dump() for f in findings]


def test_summary_equals_the_full_check_and_checks_only_what_changed(demo, monkeypatch):
    full = _full(demo, AS_OF)
    assert any(not e.ok for e in full[0]) and full[1]  # the demo has defects to find
    assert _summary(demo, AS_OF) == full  # first run: every invoice checked, and kept
    with demo.read() as s:
        kept = s.scalar(select(InvoiceCheckRow.key).limit(1))
        assert kept is not None

    checked: list[str] = []
    real = ledger_check._check_rows

    def counting(session, invoice, *args, **kw):
        checked.append(invoice.number)
        return real(session, invoice, *args, **kw)

    monkeypatch.setattr(ledger_check, "_check_rows", counting)
    monkeypatch.setattr(ledger_check, "_check_stored", _no_document_read)
    assert _summary(demo, AS_OF) == full  # nothing changed: nothing checked again
    assert checked == []

    # one invoice's total changes in place (as ``import --replace`` writes it): that invoice
    # alone is checked again
    with demo.read() as s:
        documented = set(s.scalars(select(Document.number)))
        number = next(
            n
            for n in s.scalars(select(Invoice.number).order_by(Invoice.number))
            if n not in documented
        )
    table = Invoice.__table__
    with demo.session() as s:
        s.execute(
            update(table)
            .where(table.c.number == number)
            .values(total_ttc=table.c.total_ttc + Decimal("1000"))
        )
    monkeypatch.undo()
    changed = _full(demo, AS_OF)
    monkeypatch.setattr(ledger_check, "_check_rows", counting)
    assert _summary(demo, AS_OF) == changed
    assert checked == [number]
    assert changed != full  # the change is a finding (the totals no longer add up)


def _no_document_read(*args, **kw):
    raise AssertionError("an unchanged document was read again")


def test_the_as_of_day_counts_only_for_invoices_dated_after_it(demo):
    early = date(2026, 6, 30)  # invoices of the later months are dated after it
    assert _summary(demo, AS_OF) == _full(demo, AS_OF)
    assert _summary(demo, early) == _full(demo, early)
    assert _summary(demo, AS_OF) == _full(demo, AS_OF)


def test_a_big_ledger_is_checked_in_a_process_of_its_own_with_the_same_result(demo, monkeypatch):
    """From ``OWN_PROCESS_FROM`` invoices the run's checker works in a spawned process (the
    run's specialists share one interpreter lock): same summaries, same ledger findings, and
    ``invoice_checks`` written by that process, so the next check rebuilds nothing."""
    from khazna.agents.deps import AgentDeps
    from khazna.agents.invoice_checker import specialist

    with demo.read() as s:
        here = check_ledger_summary(s, AS_OF)
    with demo.session() as s:
        s.execute(delete(InvoiceCheckRow.__table__))
    monkeypatch.setattr(specialist, "OWN_PROCESS_FROM", 1)
    spawned: list[str] = []
    real = specialist.ProcessPoolExecutor

    def counted(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        spawned.append("pool")
        return real(*args, **kwargs)

    monkeypatch.setattr(specialist, "ProcessPoolExecutor", counted)
    with demo.read() as s:
        there = specialist._ledger_summary(AgentDeps(ledger=demo), s, AS_OF)
    assert spawned == ["pool"]
    assert there[0] == here[0] and there[1] == here[1]
    with demo.read() as s:
        kept = s.scalar(select(func.count()).select_from(InvoiceCheckRow))
        assert kept == len(here[0])

    def no_rebuild(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("an unchanged invoice was rebuilt")

    monkeypatch.setattr(ledger_check, "_check_rows", no_rebuild)
    monkeypatch.setattr(specialist, "OWN_PROCESS_FROM", 10**9)  # here, in this process
    with demo.read() as s:
        assert specialist._ledger_summary(AgentDeps(ledger=demo), s, AS_OF) == there
