"""The structured invoice document (``spec/cli.md``, ``check-invoice``): what a printed
invoice says, field by field. The demo writes these as ``documents/<number>.json``, the
PDF renderer prints them, the invoice checker reads them (or reads a PDF into one).

Every field is optional: a document read from a PDF holds only what was found, and a
structured one may leave any field empty (``""``, ``null``, or absent): an empty field is a
field not given, which the checker reports as its finding (``TERMS_MISSING``...), never an
error of the file.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from khazna.filenames import safe_name


class _Fields(BaseModel):
    """A record whose empty values (blank text, ``null``) are read as "not given"."""

    model_config = ConfigDict(extra="allow")

    @field_validator("*", mode="before")
    @classmethod
    def _empty_is_not_given(cls, value: Any, info: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            default = cls.model_fields[info.field_name]
            return default.get_default(call_default_factory=True)
        return value


class Party(_Fields):
    name: str | None = None
    legal_form: str | None = None
    capital: Decimal | None = None
    address: str | None = None
    rc: str | None = None
    nif: str | None = None
    nis: str | None = None
    ai: str | None = None
    rib: str | None = None


class DocLine(_Fields):
    description: str | None = None
    quantity: Decimal | None = None
    unit: str | None = None
    unit_price_ht: Decimal | None = None
    tva_rate: Decimal | None = None
    total_ht: Decimal | None = Field(default=None, description="the line total as printed")


class InvoiceDocument(_Fields):
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

    @field_validator("lines", mode="before")
    @classmethod
    def _null_line_is_an_empty_line(cls, value: Any) -> Any:
        """``"lines": [null]`` (or ``[""]``) is a line with nothing given (its fields'
        findings)."""
        if isinstance(value, list):
            return [
                {} if item is None or (isinstance(item, str) and not item.strip()) else item
                for item in value
            ]
        return value


# --- the pieces that go with an invoice ----------------------------------------------------
# A bundle's documents/ may hold, beside an invoice's own document, PDF pieces named after
# it: ``<number>-BL.pdf`` (the delivery note, the signed copy when there is one) and
# ``<number>-ASF.pdf`` (the attestation de service fait a public body signs). The number part
# is written as :func:`khazna.filenames.safe_name` writes it (``2026/0001`` → ``2026%2F0001``).
PIECES: dict[str, str] = {"BL": "delivery_note", "ASF": "service_attestation"}
PIECE_TAG: dict[str, str] = {kind: tag for tag, kind in PIECES.items()}
PIECE_LABEL: dict[str, str] = {
    "delivery_note": "bon de livraison",
    "service_attestation": "attestation de service fait",
}
INVOICE_KIND = "invoice"


def piece_file_name(number: str, kind: str) -> str:
    """The file name of a piece, as attached and exported: ``FA%2F2026%2F7-BL.pdf``."""
    return safe_name(number, f"-{PIECE_TAG[kind]}.pdf")


def piece_of(stem: str) -> tuple[str, str] | None:
    """``(number part, kind)`` when a file name's stem ends with a piece tag (``-BL``,
    ``-ASF``; any case), else None."""
    base, sep, tag = stem.rpartition("-")
    kind = PIECES.get(tag.upper())
    if sep and base and kind:
        return base, kind
    return None
