"""The invoice checker as the supervisor calls it: in the cycle, the invoices issued since
the last run; for a request, the invoice numbers it names."""

from __future__ import annotations

import re
from datetime import date

from langchain_core.runnables import RunnableConfig
from sqlalchemy import select
from sqlalchemy.orm import Session

from khazna.agents.deps import AgentDeps
from khazna.agents.supervisor.state import CheckerResult, SupervisorState
from khazna.ledger.models import Invoice
from khazna.text import count
from khazna.tools.invoice_check.ledger_check import check_ledger_summary, check_number
from khazna.tools.invoice_check.models import InvoiceReadError

INVOICE_RX = re.compile(
    r"(?<![^\W\u0600-\u06ff])[A-Z]{1,4}\d{4}-\d{2,6}(?![^\W\u0600-\u06ff])", re.I
)


def check_invoices(
    deps: AgentDeps, state: SupervisorState, config: RunnableConfig
) -> CheckerResult:
    as_of: date = state["as_of"]
    with deps.ledger.read() as s:
        if state.get("mode") == "request":
            return _check_named(s, state.get("request", ""), as_of)
        since = changes["since"] if (changes := state.get("changes")) else None
        # each invoice checked once per change of its rows (kept in invoice_checks)
        summaries, ledger_findings = check_ledger_summary(s, as_of)
        new = (
            {
                n
                for n in s.scalars(
                    select(Invoice.number).where(Invoice.issue_date > date.fromisoformat(since))
                )
            }
            if since
            else None
        )
    concerned = [r for r in summaries if new is None or (r.number in new)]
    findings = sum(r.errors for r in concerned)
    findings += len([f for f in ledger_findings if f.severity == "error"])
    return {
        "invoices_checked": len(concerned),
        "findings": findings,
        "with_errors": [r.number for r in concerned if not r.ok][:50],
    }


def _check_named(s: Session, request: str, as_of: date) -> CheckerResult:
    numbers = [n.upper() for n in INVOICE_RX.findall(request)]
    if not numbers:
        return {
            "answer": "Quelle facture ? Donnez son numéro, par exemple F2026-0142.",
            "items": [],
            "value": None,
        }
    lines, items, errors = [], [], 0
    for n in numbers:
        try:
            r = check_number(s, n, as_of)
        except InvoiceReadError as err:
            lines.append(f"{n} : {err}")
            continue
        items.append(n)
        errs = [f for f in r.findings if f.severity == "error"]
        errors += len(errs)
        if not r.findings:
            lines.append(f"{n} : conforme, aucune remarque.")
        else:
            lines.append(
                f"{n} : {count(len(errs), 'erreur', 'erreurs')}, {count(len(r.findings) - len(errs), 'avertissement', 'avertissements')}."
            )
            lines += [f"  - {f.code} : {f.message}" for f in r.findings]
    return {
        "answer": "\n".join(lines),
        "items": items,
        "value": errors,
        "tools": ["check_invoice"],
    }
