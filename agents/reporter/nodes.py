"""The weekly reporter's nodes: gather figures → write the commentary → store → send."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import cast

from langchain_core.runnables import RunnableConfig

from khazna import prompts
from khazna.agents.checked import checked_write, prompt
from khazna.agents.factcheck import check_text
from khazna.agents.llm import fallback_note, within_budget
from khazna.agents.reporter.compose import compose_commentary, with_books_paragraph
from khazna.agents.reporter.facts import ReportFacts, build_report_facts, to_check_facts
from khazna.agents.reporter.mail import report_delivery, send_report
from khazna.agents.reporter.state import ReporterState, ReportFactsData
from khazna.config import owner_email
from khazna.ledger.tables_agents import Report
from khazna.text import isolate_names


def gather(state: ReporterState, config: RunnableConfig) -> ReporterState:
    deps = config["configurable"]["deps"]
    with deps.ledger.read() as s:
        sent = s.get(Report, report_id_of(state["as_of"]))
        if sent is not None and sent.sent_to and sent.facts:
            # already sent under this id: what the owner received stands (never a second
            # version of the same report with another status)
            return {
                "facts": cast(ReportFactsData, sent.facts),
                "commentary": sent.commentary,
                "writer": sent.writer,
                "writer_note": sent.writer_note,
                "model_calls": 0,
                "already_sent": True,
            }
        facts = build_report_facts(s, state["as_of"])
    # ReportFacts' fields are ReportFactsData's keys (tests/test_state_types.py)
    return {"facts": cast(ReportFactsData, facts.model_dump(mode="json"))}


def report_id_of(day) -> str:
    return f"R{day:%Y%m%d}"


def write(state: ReporterState, config: RunnableConfig) -> ReporterState:
    if state.get("already_sent"):
        return {}
    deps = config["configurable"]["deps"]
    facts = ReportFacts.model_validate(state["facts"])
    draft = compose_commentary(facts)
    if deps.model is None:
        return {"commentary": with_books_paragraph(facts, draft), "writer": "template",
                "writer_note": "", "model_calls": 0}  # fmt: skip
    model = within_budget(deps.model, deps.deadline, deps.model_clock)
    if model is None:  # the run's model budget is spent, or the model stopped answering
        return {"commentary": with_books_paragraph(facts, draft), "writer": "template_fallback",
                "writer_note": fallback_note(deps.model_clock), "model_calls": 0}  # fmt: skip
    check = to_check_facts(facts)
    system = prompts.load("reporter", "system", facts.language)
    request = (
        "FAITS :\n"
        # the books' end is the code's paragraph, added to whatever the model writes (its
        # dates and day counts are not figures the fact check knows)
        + json.dumps(
            {k: v for k, v in state["facts"].items() if k not in ("books_end", "books_note")},
            ensure_ascii=False,
            indent=1,
        )
        + "\n\nBROUILLON (chiffres exacts, à reformuler) :\n"
        + draft
    )
    out = checked_write(
        model,
        prompt(system, request),
        lambda raw: raw or None,
        lambda text: [
            p.message for p in check_text(text, check, ["cash_in", "cash_out", "min_balance"])
        ],
        draft,
        callbacks=[deps.usage] if deps.usage is not None else [],
    )
    text = out.value
    if facts.language != "ar":  # an Arabic client's name inside French sentences: isolated
        text = isolate_names(text, [r.client_name for r in facts.riskiest])
    return {
        "commentary": with_books_paragraph(facts, text),
        "writer": out.writer,
        "writer_note": out.note,
        "model_calls": out.calls,
    }


def store(state: ReporterState, config: RunnableConfig) -> ReporterState:
    deps = config["configurable"]["deps"]
    facts = ReportFacts.model_validate(state["facts"])
    report_id = report_id_of(facts.as_of)
    if state.get("already_sent"):
        with deps.ledger.read() as s:
            row = s.get(Report, report_id)
            sent_to = list(row.sent_to or []) if row else []
        return {"report_id": report_id, "sent_to": sent_to, **report_delivery(deps, report_id)}
    with deps.ledger.session() as s:
        row = s.get(Report, report_id)
        if row is None:
            row = Report(
                report_id=report_id,
                as_of=facts.as_of,
                created_at=datetime.now(UTC).replace(tzinfo=None),
            )
            s.add(row)
        row.week_start, row.week_end = facts.week_start, facts.week_end
        row.forecast_status = facts.forecast_status
        row.facts = state["facts"]
        row.commentary = state["commentary"]
        row.writer, row.writer_note = state.get("writer", "template"), state.get("writer_note", "")
        sent_to = list(row.sent_to or [])
    return {"report_id": report_id, "sent_to": sent_to, **report_delivery(deps, report_id)}


def send(state: ReporterState, config: RunnableConfig) -> ReporterState:
    """Email the report to the owner (no approval: it goes to the company itself)."""
    deps = config["configurable"]["deps"]
    owner = owner_email()
    if not state.get("send") or not owner:
        return {}
    sent_to = send_report(deps, state["report_id"], [owner])
    return {"sent_to": sent_to, **report_delivery(deps, state["report_id"])}
