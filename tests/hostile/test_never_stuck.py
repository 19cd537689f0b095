"""Issue 15 part 6, never stuck: any exception in the approval's send node records the draft
``failed`` with the reason, and a failed draft can be retried or rejected; approval threads
are unique per draft instance, so ``import --replace`` then a run the same day gives drafts
that can be decided."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from khazna.agents.approval import nodes
from khazna.agents.approval.state import Decision
from khazna.agents.deps import AgentDeps
from khazna.agents.dunning.graph import build_dunning_graph
from khazna.agents.inbox import InboxError, decide
from khazna.ledger.bundle import import_bundle
from khazna.ledger.db import Ledger
from khazna.ledger.models import Invoice
from khazna.ledger.tables_agents import Draft, DraftStatus
from khazna.mail.transport import FileOutbox
from tests.bundles import write_bundle

AS_OF = date(2026, 3, 31)
DRAFT = "D20260331-C01-L3"


def _run(deps: AgentDeps) -> list[str]:
    out = build_dunning_graph().invoke(
        {"as_of": AS_OF, "run_id": "t"}, {"configurable": {"deps": deps}}
    )
    return [d["draft_id"] for d in out["drafts"]]


def _drafted(tmp_path: Path) -> AgentDeps:
    ledger = Ledger(f"sqlite:///{tmp_path / 'l.db'}")
    import_bundle(ledger, write_bundle(tmp_path / "b"))
    deps = AgentDeps(ledger=ledger, transport=FileOutbox(tmp_path / "outbox"))
    assert _run(deps) == [DRAFT]
    return deps


def _status(deps: AgentDeps) -> tuple[str, str]:
    with deps.ledger.read() as s:
        d = s.get(Draft, DRAFT)
        return d.status, d.decision_note


@pytest.mark.parametrize("bad", ["F\r\n2026-9", "F\n2026-9", "F\x002026-9"])
def test_a_hostile_invoice_number_leaves_the_draft_failed_then_rejectable(tmp_path, bad):
    """The attack: an invoice number with CR/LF or NUL (put in the ledger directly; the import
    refuses it) made ``inbox approve`` raise and left the draft pending forever."""
    deps = _drafted(tmp_path)
    with deps.ledger.session() as s:
        s.add(Invoice(number=bad, client_id="C01", issue_date=date(2026, 1, 1),
                      due_date=date(2026, 1, 31), payment_method="virement",
                      total_ht=Decimal("1000.00"), total_tva=Decimal("190.00"),
                      timbre=Decimal("0"), total_ttc=Decimal("1190.00"), status="issued",
                      credited_invoice=""))  # fmt: skip
        d = s.get(Draft, DRAFT)
        d.invoice_numbers = [*d.invoice_numbers, bad]
    decide(deps, DRAFT, Decision(action="approve", by="owner"))  # never a traceback
    status, _ = _status(deps)
    assert status in (DraftStatus.FAILED, DraftStatus.SENT)
    if status == DraftStatus.FAILED:
        decide(deps, DRAFT, Decision(action="reject", by="owner", reason="numéro illisible"))
        assert _status(deps)[0] == DraftStatus.REJECTED


def test_any_exception_in_send_records_failed_with_the_reason_and_a_retry_sends(
    tmp_path, monkeypatch
):
    deps = _drafted(tmp_path)
    real = nodes.build_reminder_message

    def boom(*a, **k):
        raise ValueError("Header values may not contain linefeed or carriage return")

    monkeypatch.setattr(nodes, "build_reminder_message", boom)
    decide(deps, DRAFT, Decision(action="approve", by="owner"))
    status, note = _status(deps)
    assert status == DraftStatus.FAILED
    assert "ValueError" in note and "linefeed" in note
    monkeypatch.setattr(nodes, "build_reminder_message", real)
    decide(deps, DRAFT, Decision(action="approve", by="owner"))  # retry
    assert _status(deps)[0] == DraftStatus.SENT
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1
    with pytest.raises(InboxError):
        decide(deps, DRAFT, Decision(action="approve", by="owner"))  # sent: nothing to decide


# import --replace then a run the same day: tests/hostile/test_replace.py
