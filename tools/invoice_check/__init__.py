"""The invoice checker: Algerian invoice rules on a JSON document, a PDF or the ledger."""

from khazna.tools.invoice_check.models import (
    CheckResult,
    CheckSettings,
    Finding,
    InvoiceReadError,
    LedgerCheck,
    PdfRead,
)
from khazna.tools.invoice_check.pdf_read import read_pdf
from khazna.tools.invoice_check.rules import check_document, timbre_due
from khazna.tools.invoice_check.words import words_to_amount

__all__ = [
    "CheckResult",
    "CheckSettings",
    "Finding",
    "InvoiceReadError",
    "LedgerCheck",
    "PdfRead",
    "check_document",
    "read_pdf",
    "timbre_due",
    "words_to_amount",
]
