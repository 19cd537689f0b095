"""The supervisor's nodes. Specialists run their own subgraphs (typed state each) and
write one key of the parent state."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from langchain_core.runnables import RunnableConfig
from langgraph.types import Command
from sqlalchemy import func, select

from khazna.agents.supervisor.routing import route_by_model, route_by_rules
from khazna.agents.supervisor.state import SupervisorState

Next = Literal[
    "invoice_checker",
    "anomaly_analyst",
    "dunning_writer",
    "weekly_reporter",
    "assistant",
    "finalize",
]
INVOICE_RX = re.compile(r"\b[A-Z]{1,4}\d{4}-\d{2,6}\b", re.I)


def _deps(config: RunnableConfig):
    return config["configurable"]["deps"]


def _callbacks(deps) -> list:
    return [deps.usage] if deps.usage is not None else []


def last_run_as_of(session, before: date) -> date | None:
    from khazna.ledger.tables_agents import AgentRun

    return session.scalar(select(func.max(AgentRun.as_of)).where(AgentRun.as_of < before))


def supervisor(state: SupervisorState, config: RunnableConfig) -> Command[Next]:
    deps = _deps(config)
    if state.get("mode") == "request":
        request = state.get("request", "")
        decided = (
            route_by_model(deps.model, request, _callbacks(deps))
            if deps.model is not None
            else None
        )
        route, why = decided or route_by_rules(request)
        return Command(goto=route, update={"route": route, "route_reason": why})
    from khazna.calendar_dz import WorkingCalendar
    from khazna.ledger.models import BankLine, Expense, Invoice

    as_of = state["as_of"]
    with deps.ledger.read() as s:
        since = last_run_as_of(s, as_of)
        lo = since or date.min
        changes = {
            "since": since.isoformat() if since else None,
            "new_invoices": s.scalar(
                select(func.count())
                .select_from(Invoice)
                .where(Invoice.issue_date > lo, Invoice.issue_date <= as_of)
            ),
            "new_bank_lines": s.scalar(
                select(func.count())
                .select_from(BankLine)
                .where(BankLine.date > lo, BankLine.date <= as_of)
            ),
            "new_expenses": s.scalar(
                select(func.count())
                .select_from(Expense)
                .where(Expense.date > lo, Expense.date <= as_of)
            ),
        }
    cal = WorkingCalendar.load()
    last_day = cal.week_end(as_of)
    while not cal.is_working_day(last_day) and last_day > as_of:
        last_day -= timedelta(days=1)  # a holiday Thursday: the report goes out the day before
    end_of_week = as_of == last_day
    changes["end_of_week"] = end_of_week
    goto: list[Next] = ["dunning_writer"]  # due reminders are checked every run
    if changes["new_invoices"]:
        goto.append("invoice_checker")
    if changes["new_bank_lines"] or changes["new_expenses"]:
        goto.append("anomaly_analyst")
    if end_of_week or state.get("force_report"):
        goto.append("weekly_reporter")
    return Command(goto=goto, update={"changes": changes})


def invoice_checker(state: SupervisorState, config: RunnableConfig) -> dict:
    from khazna.agents.specialists import check_invoices

    return {"checker": check_invoices(_deps(config), state)}


def anomaly_analyst(state: SupervisorState, config: RunnableConfig) -> dict:
    from khazna.agents.specialists import analyse_anomalies

    return {"analyst": analyse_anomalies(_deps(config), state)}


def dunning_writer(state: SupervisorState, config: RunnableConfig) -> dict:
    from khazna.agents.specialists import write_reminders

    return {"dunning": write_reminders(_deps(config), state, config)}


def weekly_reporter(state: SupervisorState, config: RunnableConfig) -> dict:
    from khazna.agents.specialists import weekly_report

    return {"report": weekly_report(_deps(config), state, config)}


def assistant(state: SupervisorState, config: RunnableConfig) -> dict:
    from khazna.agents.specialists import answer

    return {"answer": answer(_deps(config), state)}


def finalize(state: SupervisorState, config: RunnableConfig) -> dict:
    if state.get("mode") == "request":
        return {}
    from khazna.ledger.tables_agents import AgentRun

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


def parse_day(text: str, as_of: date) -> date | None:
    """'le 26', '26/12', '26/12/2026', '2026-12-26' → the date meant, from ``as_of`` on."""
    if m := re.search(r"(\d{4})-(\d{2})-(\d{2})", text):
        return date(int(m[1]), int(m[2]), int(m[3]))
    if m := re.search(r"\b(\d{1,2})/(\d{1,2})(?:/(\d{4}))?\b", text):
        return date(int(m[3] or as_of.year), int(m[2]), int(m[1]))
    if m := re.search(r"\b(?:le|du|au|on|the)\s+(\d{1,2})\b", text, re.I):
        day = int(m[1])
        d = as_of
        for _ in range(62):
            d += timedelta(days=1)
            if d.day == day:
                return d
    return None
