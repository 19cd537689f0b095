"""The supervisor's nodes. Specialists (the registry's entries) run their own subgraphs
(typed state each) and write one key of the parent state."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from langchain_core.runnables import RunnableConfig
from langgraph.types import Command
from sqlalchemy import func, select

from khazna.agents.ask import route_offline
from khazna.agents.deps import AgentDeps
from khazna.agents.registry import SPECIALISTS, SpecialistEntry
from khazna.agents.supervisor.routing import route_by_model
from khazna.agents.supervisor.state import Changes, Specialist, SupervisorState
from khazna.calendar_dz import WorkingCalendar
from khazna.ledger.models import BankLine, Expense, Invoice
from khazna.ledger.tables_agents import AgentRun

Next = Literal[Specialist, "finalize"]


def _deps(config: RunnableConfig) -> AgentDeps:
    return config["configurable"]["deps"]


def _callbacks(deps: AgentDeps) -> list:
    return [deps.usage] if deps.usage is not None else []


def last_run_as_of(session, before: date) -> date | None:
    return session.scalar(select(func.max(AgentRun.as_of)).where(AgentRun.as_of < before))


def earlier_run_today(session, as_of: date) -> datetime | None:
    """When the latest finished run of ``as_of`` started (UTC), or None: the run lock's own
    row has a far-future day, so it is never one."""
    return session.scalar(select(func.max(AgentRun.started_at)).where(AgentRun.as_of == as_of))


def supervisor(state: SupervisorState, config: RunnableConfig) -> Command[Next]:
    deps = _deps(config)
    if state.get("mode") == "request":
        request = state.get("request", "")
        decided = (
            route_by_model(deps.model, request, _callbacks(deps), deadline=deps.deadline)
            if deps.model is not None
            else None
        )
        if decided is not None:
            route, why = decided
        else:  # the rules, and a figure question read whole goes to the assistant
            as_of_req = state.get("as_of") or date.today()
            route, why, _ = route_offline(deps.ledger, request, as_of_req)  # type: ignore[assignment]
        return Command(goto=route, update={"route": route, "route_reason": why})
    as_of = state["as_of"]
    cal = WorkingCalendar.load()
    last_day = cal.week_end(as_of)
    while not cal.is_working_day(last_day) and last_day > as_of:
        last_day -= timedelta(days=1)  # a holiday Thursday: the report goes out the day before
    end_of_week = as_of == last_day
    with deps.ledger.read() as s:
        since = last_run_as_of(s, as_of)
        lo = since or date.min
        earlier = earlier_run_today(s, as_of)
        if earlier is not None:  # done already today: only what is newer than that run counts
            lo = as_of
        changes: Changes = {
            "since": since.isoformat() if since else None,
            "new_invoices": s.scalar(
                select(func.count())
                .select_from(Invoice)
                .where(Invoice.issue_date > lo, Invoice.issue_date <= as_of)
            )
            or 0,  # a count is never None
            "new_bank_lines": s.scalar(
                select(func.count())
                .select_from(BankLine)
                .where(BankLine.date > lo, BankLine.date <= as_of)
            )
            or 0,
            "new_expenses": s.scalar(
                select(func.count())
                .select_from(Expense)
                .where(Expense.date > lo, Expense.date <= as_of)
            )
            or 0,
            "end_of_week": end_of_week,
            "earlier_today": earlier.isoformat(timespec="seconds") if earlier else None,
        }
    goto: list[Next] = [s.name for s in SPECIALISTS if s.in_cycle and s.in_cycle(changes, state)]
    return Command(goto=goto, update={"changes": changes})


def specialist_node(entry: SpecialistEntry):
    """The graph node of a registry entry: runs it and writes its state key."""

    def node(state: SupervisorState, config: RunnableConfig) -> dict:
        deps = _deps(config)
        started, cpu = time.perf_counter(), time.thread_time()
        try:
            return {entry.key: entry.run(deps, state, config)}
        finally:
            took = time.perf_counter() - started
            deps.timings[entry.name] = round(deps.timings.get(entry.name, 0.0) + took, 3)
            # its own thread's CPU: the specialists run side by side and share the GIL and
            # the machine, so their wall times include each other's (and a loaded machine's)
            used = time.thread_time() - cpu
            deps.cpu_timings[entry.name] = round(deps.cpu_timings.get(entry.name, 0.0) + used, 3)

    node.__name__ = entry.name
    return node


def finalize(state: SupervisorState, config: RunnableConfig) -> dict:
    if state.get("mode") == "request":
        return {}
    deps = _deps(config)
    with deps.ledger.session() as s:
        s.merge(
            AgentRun(
                run_id=state["run_id"],
                as_of=state["as_of"],
                started_at=datetime.now(UTC).replace(tzinfo=None),
                summary={
                    "changes": state.get("changes", {}),
                    "drafts": len((state.get("dunning") or {}).get("drafts", [])),
                    "report": (state.get("report") or {}).get("id"),
                },
            )
        )
    return {}
