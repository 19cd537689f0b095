"""Typed state of the supervisor graph. Each specialist writes its own key: no shared
list, so nothing is duplicated when branches join."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal, TypedDict

from khazna.agents.dunning.state import DunningOutput

Specialist = Literal[
    "invoice_checker", "anomaly_analyst", "dunning_writer", "weekly_reporter", "assistant"
]


class Changes(TypedDict):
    """What changed in the books since the last run (``khazna run --json``'s ``changes``)."""

    since: str | None  # ISO date of the last run, None for the first
    new_invoices: int
    new_bank_lines: int
    new_expenses: int
    end_of_week: bool
    # an earlier run of the same day: when it started (ISO, UTC), else None; counts are then
    # since that run (nothing dated up to today is new)
    earlier_today: str | None


class RequestAnswer(TypedDict, total=False):
    """What a specialist answers to a request (``khazna ask --json``)."""

    answer: str
    items: list[str]
    value: Decimal | int | None
    tools: list[str]


class CheckerResult(RequestAnswer, total=False):
    """The invoice checker's key: counts in the cycle, an answer for a request."""

    invoices_checked: int
    findings: int
    with_errors: list[str | None]  # invoice numbers (None: an invoice read without one)


class AnalystResult(RequestAnswer, total=False):
    """The anomaly analyst's key: counts in the cycle, an answer for a request."""

    count: int
    counts: dict[str, int]  # anomalies per kind
    duplicates: list[list[str]]  # the refs of each duplicate payment


class DunningResult(DunningOutput, RequestAnswer, total=False):
    """The dunning writer's key: the dunning graph's output, plus an answer for a request."""


class ReportResult(RequestAnswer, total=False):
    """The weekly reporter's key: the stored report in the cycle, an answer for a request."""

    id: str
    forecast_status: str
    sent_to: list[str]
    delivery: str | None  # smtp | file | None (not sent)
    delivery_note: str
    writer: str
    writer_note: str
    already_sent: bool  # sent earlier under the same id: not recomputed
    # a what-if request (agents/reporter/what_if.py)
    unresolved: list[str]
    scenarios: list[str]
    base: dict
    scenario: dict
    what_breaks: str


class AssistantAnswer(RequestAnswer, total=False):
    """The assistant's key: :class:`khazna.agents.assistant.Answer` as plain data."""

    language: Literal["fr", "ar", "en"]
    question_kind: str | None
    writer: Literal["template", "model", "template_fallback"]
    note: str
    understood: str
    query: dict[str, Any] | None
    unresolved: list[str]
    verdict: str | None


SpecialistResult = CheckerResult | AnalystResult | DunningResult | ReportResult | AssistantAnswer


class SupervisorState(TypedDict, total=False):
    mode: Literal["cycle", "request"]
    as_of: date
    run_id: str
    request: str
    send_report: bool
    force_report: bool
    changes: Changes
    route: Specialist
    route_reason: str
    checker: CheckerResult
    analyst: AnalystResult
    dunning: DunningResult
    report: ReportResult
    answer: AssistantAnswer
