"""The owner's approval queue, shared by ``khazna inbox`` and the web inbox.

Decisions resume the draft's approval thread; nothing is sent except through it.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from langgraph.types import Command
from pydantic import BaseModel
from sqlalchemy import case, func, select

from khazna.agents.approval.graph import build_approval_graph, thread_config
from khazna.agents.approval.sending import deliver_now
from khazna.agents.approval.state import Decision
from khazna.agents.checkpoint import open_checkpointer
from khazna.agents.deps import AgentDeps
from khazna.ledger.tables_agents import Draft, DraftStatus


class InboxError(Exception):
    """A decision that cannot be taken (unknown draft, already decided...)."""


class DraftView(BaseModel):
    """``inbox show --json`` (spec/cli.md), plus what the web inbox shows."""

    draft_id: str
    client_id: str
    level: int
    status: DraftStatus
    to: list[str]
    cc: list[str]
    language: str
    subject: str
    short: str
    detailed: str
    invoice_numbers: list[str]
    attachments: list[str]
    facts: dict
    citations: list = []
    # what the owner must weigh before deciding: a client's promise or dispute read from an
    # email that may not pause reminders by itself ("... — à confirmer")
    notes: list[str] = []
    total: Decimal
    max_days_late: int
    as_of: date
    writer: str
    writer_note: str
    edited: bool
    decision_note: str
    message_id: str
    decided_by: str = ""
    decided_at: datetime | None = None


def view(d: Draft) -> DraftView:
    return DraftView(
        draft_id=d.draft_id,
        client_id=d.client_id,
        level=d.level,
        status=d.status,
        to=list(d.to_addrs),
        cc=list(d.cc_addrs),
        language=d.language,
        subject=d.subject,
        short=d.short,
        detailed=d.detailed,
        invoice_numbers=list(d.invoice_numbers),
        attachments=list(d.attachments),
        facts=dict(d.facts),
        citations=list(d.citations),
        notes=[c["note"] for c in d.citations if c.get("kind") == "claim" and c.get("note")],
        total=d.total,
        max_days_late=d.max_days_late,
        as_of=d.as_of,
        writer=d.writer,
        writer_note=d.writer_note,
        edited=d.edited,
        decision_note=d.decision_note,
        message_id=d.message_id,
        decided_by=d.decided_by,
        decided_at=d.decided_at,
    )


def urgency_order():
    """Most urgent first: level, then amount, then days late."""
    return (Draft.level.desc(), Draft.total.desc(), Draft.max_days_late.desc(), Draft.draft_id)


def list_drafts(
    deps: AgentDeps,
    statuses: tuple[DraftStatus, ...] = (DraftStatus.PENDING_APPROVAL,),
    limit: int | None = None,
    offset: int = 0,
) -> list[DraftView]:
    """Drafts in ``statuses`` (all when empty), pending first then most urgent first;
    ``limit``/``offset`` page through them (the web inbox shows 50 at a time)."""
    with deps.ledger.read() as s:
        # Page through the ids first (a narrow sort), then load only those drafts: a deep
        # page of a long queue does not drag every draft's text through the sort.
        q = select(Draft.draft_id)
        if len(statuses) != 1:  # with one status the pending-first key is constant
            q = q.order_by(case((Draft.status == DraftStatus.PENDING_APPROVAL, 0), else_=1))
        q = q.order_by(*urgency_order())
        if statuses:
            q = q.where(Draft.status.in_(statuses))
        if limit:
            q = q.limit(limit)
        if offset:
            q = q.offset(offset)
        ids = list(s.scalars(q))
        if not ids:
            return []
        by_id = {d.draft_id: d for d in s.scalars(select(Draft).where(Draft.draft_id.in_(ids)))}
        return [view(by_id[i]) for i in ids]


def count_drafts(
    deps: AgentDeps, statuses: tuple[DraftStatus, ...] = (DraftStatus.PENDING_APPROVAL,)
) -> int:
    with deps.ledger.read() as s:
        q = select(func.count()).select_from(Draft)
        if statuses:
            q = q.where(Draft.status.in_(statuses))
        return s.scalar(q) or 0


def get_draft(deps: AgentDeps, draft_id: str) -> DraftView:
    with deps.ledger.read() as s:
        d = s.get(Draft, draft_id)
        if d is None:
            raise InboxError(f"no draft {draft_id!r} (see `khazna inbox list`)")
        return view(d)


def start_thread(deps: AgentDeps, draft_id: str) -> None:
    """Start the draft's approval thread; it runs until it waits for the owner."""
    with open_checkpointer(deps.ledger.url) as saver:
        graph = build_approval_graph(saver)
        cfg = thread_config(draft_id, deps)
        if graph.get_state(cfg).values:
            return  # already started
        graph.invoke({"draft_id": draft_id}, cfg)


def decide(deps: AgentDeps, draft_id: str, decision: Decision) -> DraftView:
    """Resume the draft's thread with the owner's decision (approve / edit / reject)."""
    current = get_draft(deps, draft_id)
    if current.status != DraftStatus.PENDING_APPROVAL:
        if current.status == DraftStatus.APPROVED and decision.action != "reject":
            _finish(deps, draft_id)  # a send interrupted by a crash: finish it, once
            return get_draft(deps, draft_id)
        raise InboxError(f"draft {draft_id} is already {current.status}: nothing to decide")
    if decision.action == "edit" and not (decision.short or decision.detailed or decision.subject):
        raise InboxError("an edit needs a new subject, short or detailed text")
    with open_checkpointer(deps.ledger.url) as saver:
        graph = build_approval_graph(saver)
        cfg = thread_config(draft_id, deps)
        snapshot = graph.get_state(cfg)
        if not snapshot.values:
            graph.invoke({"draft_id": draft_id}, cfg)
            snapshot = graph.get_state(cfg)
        if not snapshot.interrupts:
            raise InboxError(f"draft {draft_id} is not waiting for a decision")
        graph.invoke(Command(resume=decision.model_dump()), cfg)
    return get_draft(deps, draft_id)


def _finish(deps: AgentDeps, draft_id: str) -> None:
    with open_checkpointer(deps.ledger.url) as saver:
        graph = build_approval_graph(saver)
        cfg = thread_config(draft_id, deps)
        if graph.get_state(cfg).next:
            graph.invoke(None, cfg)
            return

    deliver_now(deps, draft_id)
