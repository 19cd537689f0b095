"""The invoice checker as the supervisor calls it: in the cycle, the invoices issued since
the last run; for a request, the invoice numbers it names."""

from __future__ import annotations

import logging
import multiprocessing
import re
from concurrent.futures import ProcessPoolExecutor
from datetime import date

from langchain_core.runnables import RunnableConfig
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from khazna.agents.deps import AgentDeps
from khazna.agents.supervisor.state import CheckerResult, SupervisorState
from khazna.ledger.models import Invoice
from khazna.text import count
from khazna.tools.invoice_check.currency import DINAR, foreign_currency_note
from khazna.tools.invoice_check.ledger_check import (
    check_ledger_summary,
    check_number,
    summary_and_kept_rows,
    write_kept_rows,
)
from khazna.tools.invoice_check.models import InvoiceReadError

log = logging.getLogger(__name__)
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
        summaries, ledger_findings = _ledger_summary(deps, s, as_of)
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


# From this many invoices, a run checks the ledger in a process of its own: the run's
# specialists are threads of one process and share one interpreter lock, so a first check of
# 200 000 invoices (~45 s of Python) would otherwise run after, not beside, the dunning writer
# (~45 s for 5 000 reminders) on a machine with a second core. Below it, starting a process
# (~1 s of imports) costs more than it saves.
OWN_PROCESS_FROM = 20_000


def _ledger_summary(deps: AgentDeps, s: Session, as_of: date):
    """:func:`check_ledger_summary` of the ledger, computed in a process of its own when the
    ledger is big and is a file or a server (same result; the rows of ``invoice_checks`` it
    returns are written here). If that process cannot be started or fails, the check runs
    here."""
    url = deps.ledger.url
    on_disk = ":memory:" not in url and url not in ("sqlite://", "sqlite:///")
    if on_disk and (s.scalar(select(func.count()).select_from(Invoice)) or 0) >= OWN_PROCESS_FROM:
        try:
            ctx = multiprocessing.get_context("spawn")  # never fork a process with threads
            with ProcessPoolExecutor(max_workers=1, mp_context=ctx) as pool:
                summaries, findings, rows = pool.submit(ledger_summary_of, url, as_of).result()
            # written here, by the run's process: a second process writing 200 000 rows in a
            # tight loop starved the dunning writer of SQLite's write lock ("database is
            # locked" after its 30 s wait)
            write_kept_rows(s, rows)
            return summaries, findings
        except Exception as err:  # noqa: BLE001 - the same check, here, is the fallback
            log.warning("invoice check in its own process failed (%s): checked in the run", err)
    return check_ledger_summary(s, as_of)


def ledger_summary_of(url: str, as_of: date):
    """The child process's job: the ledger at ``url`` checked (``summary_and_kept_rows``);
    it writes nothing."""
    from khazna.ledger.db import Ledger

    ledger = Ledger(url, migrate=False)  # the run's own process has migrated it
    try:
        with ledger.read() as s:
            return summary_and_kept_rows(s, as_of)
    finally:
        ledger.dispose()


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
        currency = getattr(r, "currency", DINAR)
        if currency != DINAR:
            lines.append(f"{n} : {foreign_currency_note(currency)}.")
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
