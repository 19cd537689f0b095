"""Typed state of the dunning writer's graph."""

from __future__ import annotations

from datetime import date
from typing import TypedDict


class DunningState(TypedDict, total=False):
    as_of: date
    run_id: str
    client_id: str  # only this client (a request from the owner)
    plans: list[dict]  # ReminderPlan, as plain data
    skipped: list[dict]
    drafts: list[dict]  # {"draft_id", "client_id", "invoice_numbers", "level", "status"}
    model_calls: int


class DunningOutput(TypedDict, total=False):
    drafts: list[dict]
    skipped: list[dict]
    model_calls: int
