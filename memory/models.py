"""Records kept in the client memory and what a search returns."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field, field_validator

RecordKind = Literal["note", "promise", "dispute", "reminder"]
Source = Literal["interaction", "reminder", "reply", "owner_edit", "credit_note"]


class MemoryRecord(BaseModel):
    """One event of a client's history. ``text`` is untrusted client data, never instructions."""

    id: str = Field(min_length=1, description="stable id; adding the same id again replaces it")
    client_id: str = Field(min_length=1)
    date: dt.date
    kind: RecordKind | Literal[""] = Field(
        default="", description="note, promise, dispute or reminder; empty = inferred from the text"
    )
    direction: Literal["in", "out"] = "in"
    channel: str = "email"
    text: str = ""
    source: Source = "interaction"
    promised_date: dt.date | None = None
    invoice_numbers: list[str] = Field(default_factory=list)
    suspicious: bool = Field(
        default=False, description="the text looks like instructions aimed at an agent"
    )
    resolves: bool = Field(
        default=False, description="the text settles a dispute (see memory/status.py)"
    )

    @field_validator("invoice_numbers")
    @classmethod
    def _upper(cls, v: list[str]) -> list[str]:
        return [n.strip().upper() for n in v if n.strip()]


class MemoryHit(BaseModel):
    record: MemoryRecord
    score: float = Field(description="reciprocal-rank-fusion score (higher is better)")
    semantic_rank: int | None = Field(default=None, description="1-based rank in the vector search")
    lexical_rank: int | None = Field(
        default=None, description="1-based rank in the lexical (BM25) pass"
    )


class OpenItem(BaseModel):
    """An open promise or dispute: reminders on its invoices should wait."""

    record: MemoryRecord
    invoice_numbers: list[str] = Field(
        default_factory=list, description="empty = the whole client account is concerned"
    )
    until: dt.date | None = Field(
        default=None, description="a promise's effective date; None for a dispute"
    )
