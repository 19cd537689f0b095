"""The structured invoice document (``spec/cli.md``, ``check-invoice``): what a printed
invoice says, field by field. The demo writes these as ``documents/<number>.json``, the
PDF renderer prints them, the invoice checker reads them (or reads a PDF into one).

Every field is optional: a document read from a PDF holds only what was found.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field


class Party(BaseModel):
    model_config = ConfigDict(extra="allow")
    name: str | None = None
    legal_form: str | None = None
    capital: Decimal | None = None
    address: str | None = None
    rc: str | None = None
    nif: str | None = None
    nis: str | None = None
    ai: str | None = None
    rib: str | None = None


class DocLine(BaseModel):
    model_config = ConfigDict(extra="allow")
    description: str | None = None
    quantity: Decimal | None = None
    unit: str | None = None
    unit_price_ht: Decimal | None = None
    tva_rate: Decimal | None = None
    total_ht: Decimal | None = Field(default=None, description="the line total as printed")


class InvoiceDocument(BaseModel):
    model_config = ConfigDict(extra="allow")
    number: str | None = None
    issue_date: date | None = None
    due_date: date | None = None
    payment_terms: str | None = None
    payment_method: str | None = None
    seller: Party = Field(default_factory=Party)
    buyer: Party = Field(default_factory=Party)
    lines: list[DocLine] = Field(default_factory=list)
    total_ht: Decimal | None = None
    total_tva: Decimal | None = None
    timbre: Decimal | None = None
    total_ttc: Decimal | None = None
    amount_in_words: str | None = None
