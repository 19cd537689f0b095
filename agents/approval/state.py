"""Typed state of an approval thread, and the typed interrupt payload / resume value."""

from __future__ import annotations

from typing import Literal, TypedDict

from pydantic import BaseModel, Field

Action = Literal["approve", "edit", "reject"]


class Decision(BaseModel):
    """What the owner said (the resume value of the interrupt)."""

    action: Action
    by: str = Field(default="owner", description="who decided (a user name)")
    subject: str | None = Field(default=None, description="edited subject (edit only)")
    short: str | None = Field(default=None, description="edited short version (edit only)")
    detailed: str | None = Field(default=None, description="edited detailed version (edit only)")
    reason: str = Field(default="", description="why it was rejected (reject only)")
    version: Literal["short", "detailed"] = Field(
        default="detailed", description="which version the email carries"
    )
    force: bool = Field(
        default=False,
        description="send an edit even though its text does not match the draft's facts",
    )
    overridden: list[str] = Field(
        default_factory=list,
        description="the fact-check mismatches the owner confirmed (set by inbox.decide)",
    )


class ApprovalRequest(BaseModel):
    """The interrupt payload: what the owner is asked to decide on."""

    draft_id: str
    client_id: str
    level: int
    subject: str


class DecisionData(TypedDict):
    """A :class:`Decision` as plain data (``Decision.model_dump()``), as the checkpoint keeps it."""

    action: Action
    by: str
    subject: str | None
    short: str | None
    detailed: str | None
    reason: str
    version: Literal["short", "detailed"]
    force: bool
    overridden: list[str]


class ApprovalState(TypedDict, total=False):
    draft_id: str
    decision: DecisionData  # plain data: checkpoint-serialisable
    outcome: Literal["sent", "rejected", "failed", "queued"]
    message_id: str
