"""Typed state of the dunning writer's graph."""

from __future__ import annotations

from datetime import date
from typing import TypedDict

from khazna.tools.dunning import ReminderPlan


class SkippedReminder(TypedDict):
    """An invoice not reminded, as plain data (:class:`khazna.tools.dunning.Skipped`)."""

    number: str
    client_id: str
    reason: str  # dispute, promise, pending_draft, already_reminded
    ref: str  # the interaction or draft id behind the reason


class DraftSummary(TypedDict):
    """A draft queued for the owner's approval (``khazna run --json``'s ``drafts``)."""

    draft_id: str
    client_id: str
    invoice_numbers: list[str]
    level: int
    status: str


class DunningState(TypedDict, total=False):
    as_of: date
    run_id: str
    client_id: str  # only this client (a request from the owner)
    plans: list[ReminderPlan]  # never leaves the graph (not in DunningOutput)
    skipped: list[SkippedReminder]
    drafts: list[DraftSummary]
    model_calls: int


class DunningOutput(TypedDict, total=False):
    drafts: list[DraftSummary]
    skipped: list[SkippedReminder]
    model_calls: int
