"""Result models and settings of the invoice checker (``spec/cli.md``, check-invoice)."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from khazna.ledger.documents import InvoiceDocument

Severity = Literal["error", "warning"]


class InvoiceReadError(ValueError):
    """A document that cannot be read at all (bad JSON, scanned, encrypted, damaged PDF)."""


class Finding(BaseModel):
    code: str = Field(description="stable code of spec/cli.md, e.g. SELLER_NIF_INVALID")
    severity: Severity
    field: str = Field(description="the document field concerned, e.g. seller.nif, lines[2]")
    message: str = Field(description="what is wrong, in French, for the owner")


class TimbreBracket(BaseModel):
    up_to: Decimal | None = Field(description="upper bound of the whole amount; None = no bound")
    rate: Decimal = Field(description="DA per 100 DA or fraction")


class TimbreScale(BaseModel):
    """Droit de timbre on cash payments (LF 2025 art. 46 by default): a setting, since the
    minimum and the cap have changed several times since 2022."""

    exempt_up_to: Decimal = Decimal("300")
    per: Decimal = Decimal("100")
    brackets: list[TimbreBracket] = Field(
        default_factory=lambda: [
            TimbreBracket(up_to=Decimal("30000"), rate=Decimal("1")),
            TimbreBracket(up_to=Decimal("100000"), rate=Decimal("1.5")),
            TimbreBracket(up_to=None, rate=Decimal("2")),
        ]
    )
    minimum: Decimal = Decimal("5")
    cap: Decimal | None = None


class CheckSettings(BaseModel):
    tva_rates: list[Decimal] = Field(
        default_factory=lambda: [Decimal("0"), Decimal("9"), Decimal("19")]
    )
    tolerance: Decimal = Field(default=Decimal("0.01"), description="per line, in DA")
    timbre: TimbreScale = Field(default_factory=TimbreScale)
    cash_methods: list[str] = Field(default_factory=lambda: ["especes", "cash", "liquide"])
    vague_words: list[str] = Field(
        default_factory=lambda: ["divers", "prestation", "service", "travaux", "travail"]
    )
    max_pdf_pages: int = Field(default=10, description="pages read from a long PDF (last included)")


FieldStatus = Literal["read", "unread", "absent"]


class PdfRead(BaseModel):
    document: InvoiceDocument
    unread: list[str] = Field(default_factory=list)
    fields: dict[str, FieldStatus] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)
    currency: str = Field(default="DZD", description="ISO code read from the page's amounts")
    pages_total: int = 0
    pages_read: int = 0


class CheckResult(BaseModel):
    number: str | None = None
    ok: bool
    source: str = Field(default="", description="file, ledger document or ledger rows")
    document: InvoiceDocument
    unread: list[str] = Field(default_factory=list)
    fields: dict[str, FieldStatus] = Field(
        default_factory=dict,
        description="per field: read, unread (something could be it, not read with "
        "confidence: no finding of absence) or absent (nothing on the page could be it)",
    )
    findings: list[Finding] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    error: str | None = Field(default=None, description="set when the document was unreadable")
    currency: str = Field(
        default="DZD",
        description="ISO code of the invoice's currency; not DZD: amounts not converted, "
        "the dinar's own checks (stamp duty, Algerian VAT rates, amount in words) not applied",
    )


class LedgerSummary(BaseModel):
    invoices: int = 0
    ok: int = 0
    with_errors: int = 0
    unreadable: int = 0
    errors: int = 0
    warnings: int = 0
    ledger_findings: int = 0
    by_code: dict[str, int] = Field(default_factory=dict)


class LedgerCheck(BaseModel):
    invoices: list[CheckResult] = Field(default_factory=list)
    ledger_findings: list[Finding] = Field(default_factory=list)
    summary: LedgerSummary = Field(default_factory=LedgerSummary)
