"""Entry points of the agent system: the weekly cycle and a free request, each one pass of
the supervisor graph, with the model built when the run starts (never at import)."""

from __future__ import annotations

import time
import uuid
from datetime import date
from typing import Any

from sqlalchemy import select

from khazna.agents.alerts import check_alerts, quarantine_alert, send_alerts
from khazna.agents.ask import request_answer
from khazna.agents.configuration import Configuration
from khazna.agents.deps import AgentDeps
from khazna.agents.llm import MIN_REQUEST_S, ModelClock, build_chat_model, run_deadline
from khazna.agents.memory_link import open_memory
from khazna.agents.registry import BY_NAME, DEFAULT
from khazna.agents.run_lock import run_lock
from khazna.agents.supervisor.graph import RECURSION_LIMIT, build_supervisor_graph
from khazna.agents.usage import UsageCounter
from khazna.config import model_limits, question_deadline
from khazna.ledger.db import Ledger
from khazna.ledger.tables_agents import Draft
from khazna.mail.replies import ImapSettings, ingest_replies
from khazna.tools.stored import open_anomalies_of


def make_deps(
    ledger: Ledger, *, as_of: date | None = None, environ=None, memory: bool = True
) -> AgentDeps:
    cfg = Configuration.from_env(environ)
    usage = UsageCounter()
    model = build_chat_model(cfg, callbacks=None)
    deps = AgentDeps(
        ledger=ledger,
        model=model,
        usage=usage,
        as_of=as_of,
        memory=open_memory(ledger) if memory else None,
    )
    deps.notes.append(cfg.describe() if hasattr(cfg, "describe") else "")
    return deps


def _invoke(deps: AgentDeps, state: dict) -> dict:
    graph = build_supervisor_graph()
    return graph.invoke(state, {"configurable": {"deps": deps}, "recursion_limit": RECURSION_LIMIT})


def _usage(deps: AgentDeps) -> dict[str, Any]:
    snap = deps.usage.snapshot() if deps.usage is not None else None
    return {
        "model_calls": snap.calls if snap else 0,
        "tokens": snap.total_tokens if snap else 0,
        "model": getattr(deps.model, "model_name", "model")
        if deps.model is not None
        else "offline",
    }


def ingest_client_replies(deps: AgentDeps, as_of: date) -> dict:
    """Clients' replies (``.eml`` files in ``$KHAZNA_HOME/replies``, or IMAP when
    ``KHAZNA_IMAP_HOST`` is set) go into their history before reminders are selected: a
    reply that promises or disputes pauses the reminders it concerns when its sender is
    authenticated and it names the client's invoices; otherwise it is a note on the draft.
    A message that cannot be read is quarantined and listed once in ``quarantined``."""
    with deps.ledger.session() as s:
        report = ingest_replies(s, imap=ImapSettings.from_env(), today=as_of)
    if report.added and deps.memory is not None:
        with deps.ledger.read() as s:
            deps.memory.sync_from_ledger(s)
    return {
        "added": report.added,
        "already": report.already,
        "unmatched": report.unmatched,
        # interaction id -> why it pauses nothing by itself (mail/replies.py)
        "unconfirmed": {
            iid: r.unconfirmed
            for iid, r in zip(report.added, report.replies, strict=True)
            if r.unconfirmed
        },
        "quarantined": [q.as_dict() for q in report.quarantined],
        "already_quarantined": report.already_quarantined,
    }


def run_cycle(
    deps: AgentDeps, as_of: date, *, send_report: bool = True, force_report: bool = False
) -> dict:
    """The weekly cycle (``khazna run``), shaped as spec/cli.md says."""
    run_id = f"run-{as_of:%Y%m%d}-{uuid.uuid4().hex[:6]}"
    budget = model_limits().run_s
    started, cpu = time.monotonic(), time.process_time()
    if deps.model is not None and deps.deadline is None:
        # every model call ends by the budget less a margin; then the templates write
        deps.model_clock = ModelClock(budget, run_deadline(started, budget))
        deps.deadline = deps.model_clock.deadline
    with run_lock(deps.ledger, run_id):  # a second run at once: RunBusy, never IntegrityError
        out = _cycle(deps, as_of, run_id, send_report=send_report, force_report=force_report)
    out["timings"] = {**deps.timings, "total": round(time.monotonic() - started, 3)}
    # CPU seconds: each specialist's thread, and the whole process over the run (all threads)
    out["cpu"] = {**deps.cpu_timings, "total": round(time.process_time() - cpu, 3)}
    if deps.model is not None:
        out["model_budget"] = model_budget(deps, out, budget, started)
    return out


def model_budget(deps: AgentDeps, out: dict, budget: float, started: float) -> dict[str, Any]:
    """What the run's model path spent and what it wrote (``model_budget`` of ``khazna run
    --json``): the budget and the deadline's margin, the seconds waited on the model (its
    calls, retries included) and the run's own, whether the wait held within the budget,
    and each text of the run by who wrote it (the model, or the templates and why)."""
    clock = deps.model_clock
    by_model: list[str] = []
    fell_back: list[dict[str, str]] = []
    with deps.ledger.read() as s:
        rows = s.execute(
            select(Draft.draft_id, Draft.writer, Draft.writer_note)
            .where(Draft.run_id == out["run_id"])
            .order_by(Draft.draft_id)
        )
        texts = [(r.draft_id, r.writer, r.writer_note or "") for r in rows]
    report = out.get("report") or {}
    if report.get("writer") and not report.get("already_sent"):
        texts.append((report.get("id", "report"), report["writer"], report.get("writer_note", "")))
    for text_id, writer, note in texts:
        if writer == "model":
            by_model.append(text_id)
        elif writer == "template_fallback":
            fell_back.append({"text": text_id, "why": note or ""})
    waited = clock.waited_s if clock is not None else 0.0
    left = deps.deadline - time.monotonic() if deps.deadline is not None else budget
    return {
        "seconds": budget,
        "margin_seconds": round(budget - (deps.deadline - started), 1)
        if deps.deadline is not None
        else 0.0,
        "waited_seconds": round(waited, 1),
        "run_seconds": round(time.monotonic() - started, 1),
        "calls": clock.calls if clock is not None else 0,
        "timeouts": clock.timeouts if clock is not None else 0,
        "held": waited <= budget,
        "exhausted": left < MIN_REQUEST_S,
        "model_stopped": clock.silent() if clock is not None else False,
        "by_model": by_model,
        "fell_back": fell_back,
    }


def _cycle(
    deps: AgentDeps, as_of: date, run_id: str, *, send_report: bool, force_report: bool
) -> dict:
    started = time.perf_counter()
    replies = ingest_client_replies(deps, as_of)
    deps.timings["replies"] = round(time.perf_counter() - started, 3)
    # told at once: the quarantine remembers the message, so a later failure of this run
    # must not swallow the only telling
    told = send_alerts(deps, [quarantine_alert(q, as_of) for q in replies["quarantined"]])
    out = _invoke(
        deps,
        {
            "mode": "cycle",
            "as_of": as_of,
            "run_id": run_id,
            "send_report": send_report,
            "force_report": force_report,
        },
    )
    report = out.get("report")
    started = time.perf_counter()
    alerts = [a.model_dump() for a in [*told, *check_alerts(deps, as_of)]]
    deps.timings["alerts"] = round(time.perf_counter() - started, 3)
    started = time.perf_counter()
    open_anomalies = _open_anomalies(deps, as_of)
    deps.timings["open_anomalies"] = round(time.perf_counter() - started, 3)
    return {
        "as_of": as_of.isoformat(),
        "run_id": run_id,
        "replies": replies,
        "drafts": (out.get("dunning") or {}).get("drafts", []),
        "report": report,
        "anomalies": (out.get("analyst") or {}).get("count", 0),
        "open_anomalies": open_anomalies,
        "invoice_findings": (out.get("checker") or {}).get("findings", 0),
        "changes": out.get("changes", {}),
        "skipped_reminders": (out.get("dunning") or {}).get("skipped", []),
        "duplicates": (out.get("analyst") or {}).get("duplicates", []),
        "alerts": alerts,
        **_usage(deps),
    }


def ask(deps: AgentDeps, question: str, as_of: date) -> dict:
    """A free request (``khazna ask``): routed by the supervisor to one specialist, every
    model call of it (routing, tools, rewrite) ended within the question's budget."""
    if deps.model is not None and deps.deadline is None:
        deps.deadline = question_deadline(time.monotonic(), model_limits().question_s)
    out = _invoke(deps, {"mode": "request", "as_of": as_of, "request": question, "run_id": "ask"})
    route = out.get("route", DEFAULT.name)
    result = dict(out.get(BY_NAME[route].key) or {})
    return request_answer(route, out.get("route_reason", ""), result, _usage(deps))


def _open_anomalies(deps: AgentDeps, as_of: date) -> dict[str, Any]:
    """The open anomalies of the books (the dashboard's and ``khazna anomalies``' count),
    beside ``anomalies``: those found since the last run."""
    with deps.ledger.read() as s:
        out = open_anomalies_of(s, as_of)
    return {
        "count": len(out.anomalies),
        "date_from": out.date_from.isoformat() if out.date_from else None,
        "date_to": out.date_to.isoformat() if out.date_to else None,
    }
