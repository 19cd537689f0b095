"""Typed state of the weekly reporter's graph."""

from __future__ import annotations

from datetime import date
from typing import NotRequired, TypedDict


class RiskyInvoiceData(TypedDict):
    number: str
    client_id: str
    client_name: str
    open_amount: str  # a Decimal, as JSON text
    due_date: str  # ISO date
    days_late: int
    score: float


class OutOfNormData(TypedDict):
    kind: str
    refs: list[str]
    amount: str  # a Decimal, as JSON text
    reason: str
    date: str  # ISO date


class ForecastDayData(TypedDict):
    date: str  # ISO date
    balance: str  # a Decimal, as text
    status: str
    p10: NotRequired[str]  # a Decimal, as text: the low band of the seeded draws
    p90: NotRequired[str]


class ReportFactsData(TypedDict):
    """:class:`khazna.agents.reporter.facts.ReportFacts` as JSON data
    (``model_dump(mode="json")``: amounts as text, dates ISO): what the state carries, the
    report row stores and ``khazna report --json`` prints."""

    as_of: str
    week_start: str
    week_end: str
    week_closes: str | None
    company: str
    language: str
    cash_in: str
    cash_out: str
    net: str
    cash_position: str
    forecast_status: str
    threshold: str
    min_balance: str
    min_balance_date: str
    excess_cash: str
    horizon_days: int
    tension_days: list[str]
    watch_days: list[str]
    open_receivables: str
    overdue_receivables: str
    riskiest: list[RiskyInvoiceData]
    out_of_norm: list[OutOfNormData]
    forecast_days: list[ForecastDayData]
    prob_below_threshold: int | None
    books_end: str | None
    books_note: str | None


class ReporterState(TypedDict, total=False):
    as_of: date
    send: bool
    facts: ReportFactsData
    commentary: str
    writer: str
    writer_note: str
    model_calls: int
    report_id: str
    sent_to: list[str]
    delivery: str | None  # "smtp" | "file" (an .eml in the local outbox: not sent) | None
    delivery_note: str
    # the report of this id was already sent: its stored figures and words stand, unchanged
    already_sent: bool


class ReporterOutput(TypedDict, total=False):
    report_id: str
    sent_to: list[str]
    commentary: str
    writer: str
    writer_note: str
    model_calls: int
    facts: ReportFactsData
    delivery: str | None
    delivery_note: str
    already_sent: bool
