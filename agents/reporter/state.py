"""Typed state of the weekly reporter's graph."""

from __future__ import annotations

from datetime import date
from typing import TypedDict


class ReporterState(TypedDict, total=False):
    as_of: date
    send: bool
    facts: dict
    commentary: str
    writer: str
    writer_note: str
    model_calls: int
    report_id: str
    sent_to: list[str]


class ReporterOutput(TypedDict, total=False):
    report_id: str
    sent_to: list[str]
    commentary: str
    writer: str
    writer_note: str
    model_calls: int
    facts: dict
