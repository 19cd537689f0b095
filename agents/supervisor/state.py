"""Typed state of the supervisor graph. Each specialist writes its own key: no shared
list, so nothing is duplicated when branches join."""

from __future__ import annotations

from datetime import date
from typing import Literal, TypedDict

Specialist = Literal[
    "invoice_checker", "anomaly_analyst", "dunning_writer", "weekly_reporter", "assistant"
]


class SupervisorState(TypedDict, total=False):
    mode: Literal["cycle", "request"]
    as_of: date
    run_id: str
    request: str
    send_report: bool
    force_report: bool
    changes: dict
    route: Specialist
    route_reason: str
    checker: dict
    analyst: dict
    dunning: dict
    report: dict
    answer: dict
