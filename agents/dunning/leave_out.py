"""Do not chase an invoice that is itself wrong.

When a draft is written, each of its invoices goes through the invoice checker; an
error-level finding (amount in words not matching the total, a missing mandatory mention…)
is kept on the draft as a warning for the owner, shown above the text: « F2026-0288 : le
montant en lettres ne correspond pas au total — à corriger avant de relancer ? ». The owner
can leave that invoice out of the letter in one step (:func:`leave_out`): the facts lose the
invoice, the totals, level, formal notice and plan are computed again, and the offline
composer writes the letter again from them. Nothing is sent: the draft stays pending.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from khazna.agents.deps import AgentDeps
from khazna.agents.dunning.compose import compose
from khazna.agents.dunning.facts import DunningFacts, build_facts
from khazna.calendar_dz import WorkingCalendar
from khazna.labels import DRAFT_STATUS, label
from khazna.ledger.documents import INVOICE_KIND, piece_file_name
from khazna.ledger.models import Document
from khazna.ledger.tables_agents import Draft, DraftStatus
from khazna.tools.client_state import client_states
from khazna.tools.dunning import ReminderPlan
from khazna.tools.invoice_check.ledger_check import check_number
from khazna.tools.invoice_check.models import InvoiceReadError
from khazna.tools.payment_profiles import payment_profiles


class LeaveOutError(Exception):
    """The invoice cannot be left out (not pending, not in the draft, the only one)."""


def checker_warnings(session: Session, numbers: list[str], as_of: date) -> list[dict]:
    """The error-level findings of the invoice checker on ``numbers``, as draft citations.

    Only invoices whose issued document is in the books (a PDF or JSON in ``documents/``) are
    checked: an invoice known only by its ledger row says what the books hold, not what the
    client received, and a mention missing from the books is not missing from the invoice."""
    documented = set(
        session.scalars(
            select(Document.number).where(
                Document.number.in_(numbers), Document.kind == INVOICE_KIND
            )
        )
    )
    out = []
    for number in (n for n in numbers if n in documented):
        try:
            result = check_number(session, number, as_of)
        except InvoiceReadError:
            continue
        for f in result.findings:
            if f.severity != "error":
                continue
            out.append(
                {
                    "id": f"check:{number}:{f.code}",
                    "kind": "checker",
                    "number": number,
                    "code": f.code,
                    "message": f.message,
                    "note": f"{number} : {_lower_first(f.message)} — à corriger avant de relancer ?",
                }
            )
    return out


def _lower_first(text: str) -> str:
    text = text.strip().rstrip(".")
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def leave_out(deps: AgentDeps, draft_id: str, number: str, by: str) -> None:
    """Take ``number`` out of the pending draft ``draft_id`` and write the letter again."""
    with deps.ledger.session() as s:
        d = s.get(Draft, draft_id)
        if d is None:
            raise LeaveOutError(f"pas de relance {draft_id!r}")
        if d.status != DraftStatus.PENDING_APPROVAL:
            raise LeaveOutError(
                f"la relance {draft_id} est déjà {label(DRAFT_STATUS, d.status)} : rien à retirer"
            )
        if number not in d.invoice_numbers:
            raise LeaveOutError(f"la facture {number} ne figure pas dans la relance {draft_id}")
        if len(d.invoice_numbers) == 1:
            raise LeaveOutError(
                f"{number} est la seule facture de la relance {draft_id} : rejetez la relance"
            )
        facts = facts_without(s, DunningFacts.model_validate(d.facts), number)
        text = compose(facts)
        d.subject, d.short, d.detailed = text.subject, text.short, text.detailed
        d.level = facts.level
        d.invoice_numbers = [i.number for i in facts.invoices]
        d.attachments = [f"{i.number}.pdf" for i in facts.invoices] + [
            piece_file_name(p.number, p.kind) for p in facts.pieces
        ]
        d.facts = facts.model_dump(mode="json")
        d.total = facts.total
        d.max_days_late = facts.max_days_late
        d.citations = [c for c in d.citations if c.get("number") != number]
        when = datetime.now(UTC).replace(tzinfo=None)
        note = f"{number} retirée de la relance par {by} le {when:%d/%m/%Y}"
        d.writer = "template"
        d.writer_note = f"{d.writer_note} ; {note}" if d.writer_note else note


def facts_without(session: Session, f: DunningFacts, number: str) -> DunningFacts:
    """The draft's facts computed again from the ledger, as of the draft's day, without
    ``number``: the same :func:`build_facts` as a new draft (history, plan, notice)."""
    invoices = [i for i in f.invoices if i.number != number]
    plan = ReminderPlan(
        client_id=f.client_id,
        client_name=f.client_name,
        kind=f.client_kind,
        language=f.language,
        email=f.client_email,
        level=max(i.level for i in invoices),
        invoices=invoices,
        total_open=sum((i.open_amount for i in invoices), Decimal("0")),
        max_days_late=max(i.days_late for i in invoices),
    )
    state = client_states(session, f.as_of).get(f.client_id)
    profile = payment_profiles(session, f.as_of).get(f.client_id)
    out = build_facts(session, plan, f.as_of, state, profile, WorkingCalendar.load())
    out.defective = [n for n in f.defective if n != number]
    return out
