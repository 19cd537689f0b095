"""The finance engine as LangChain tools, for the agents.

Each tool wraps a plain typed function of this package with its pydantic input model (the
``Field`` descriptions are what the model reads). Tools get a fresh read-only session per
call from the ledger they are bound to; results are JSON-ready (Decimal → number).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, Field

from khazna.ledger.db import Ledger


class CheckInvoiceInput(BaseModel):
    """Check one invoice of the ledger against the Algerian invoicing rules."""

    number: str = Field(description="The invoice number, e.g. F2026-0142.")
    as_of: Any = Field(
        description="Day of the check (YYYY-MM-DD): a date after it is 'in the future'."
    )


def _json(result: Any) -> Any:
    from khazna.commands.common import jsonable

    return jsonable(result)


def engine_tools(ledger: Ledger) -> list:
    """aging, forecast, riskiest_invoices, categorize, anomalies, check_invoice."""
    from langchain_core.tools import StructuredTool

    from khazna.tools.anomalies import AnomaliesInput, detect_anomalies
    from khazna.tools.categorize import CategorizeInput, categorize
    from khazna.tools.forecast import ForecastInput, forecast
    from khazna.tools.payment_profiles import RiskInput, riskiest
    from khazna.tools.receivables import AgingInput, aging_report

    def bind(name: str, schema: type[BaseModel], fn: Callable[..., Any], doc: str):
        def run(**kwargs: Any) -> Any:
            inp = schema(**kwargs)
            with ledger.read() as s:
                return _json(fn(s, inp))

        return StructuredTool.from_function(
            func=run, name=name, description=doc, args_schema=schema
        )

    def check(s, inp: CheckInvoiceInput):
        from datetime import date

        from khazna.tools.invoice_check.ledger_check import check_number

        return check_number(s, inp.number, date.fromisoformat(str(inp.as_of)))

    return [
        bind(
            "aging",
            AgingInput,
            lambda s, i: aging_report(s, i.as_of, i.client_id).to_json(),
            "Aged balance of receivables per client and bucket, with DSO.",
        ),
        bind(
            "forecast",
            ForecastInput,
            lambda s, i: forecast(s, i.as_of, i.days, explain=i.explain),
            "30-day cash forecast day by day against the safety threshold (ok / a_surveiller / tension).",
        ),
        bind(
            "riskiest_invoices",
            RiskInput,
            lambda s, i: riskiest(s, i.as_of, n=i.n),
            "The open invoices most at risk of not being paid, with the factors of their score.",
        ),
        bind(
            "categorize",
            CategorizeInput,
            categorize,
            "Category and matched document of each bank line of a period.",
        ),
        bind(
            "anomalies",
            AnomaliesInput,
            detect_anomalies,
            "Spending anomalies: duplicate payments, over-limit, card misuse, missing receipts, outliers, unknown payees.",
        ),
        bind(
            "check_invoice",
            CheckInvoiceInput,
            check,
            "Check one invoice: mandatory mentions, identifiers, VAT and totals, stamp duty, dates, clarity.",
        ),
    ]
