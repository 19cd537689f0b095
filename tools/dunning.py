"""Which invoices to remind today, at which level (the dunning rule of spec/cli.md).

Level 1 when an invoice is ``levels_days[0]`` days past due (3 by default), level 2 at
``levels_days[1]`` (10), level 3 — the formal notice — at ``levels_days[2]`` (30). A step
that falls on a weekend day or a holiday moves to the next working day. One draft per
client, at the highest level among its invoices. Nothing for an invoice under an open
dispute, a promise whose date has not passed, a pending draft, or a reminder of the same
level already sent (or rejected by the owner).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from khazna.calendar_dz import WorkingCalendar
from khazna.ledger.models import Client
from khazna.ledger.policy import get_policy
from khazna.ledger.tables_agents import Draft, DraftStatus
from khazna.text import fold
from khazna.tools.client_state import client_states
from khazna.tools.receivables import open_invoices

# Words that name a public body in a client's name (folded: Arabic ة is ه, ؤ and ئ lose the hamza): a client recorded as ``pme`` but
# named "APC de Bab Ezzouar" or "EPH Bologhine" is paid like an administration, through the
# ordonnateur and the comptable public after service fait and mandatement.
_PUBLIC_WORDS = re.compile(
    r"\b(apc|apw|eph|epsp|eps|epa|epic|chu|ehs|cem|lycee|universite|ministere|wilaya|daira|"
    r"commune|mairie|direction (de|des|du|generale)|office national|agence nationale|"
    r"assemblee populaire|centre hospitalier|etablissement public)\b|بلديه|ولايه|وزاره|جامعه|مديريه|مستشفى|موسسه عموميه|الموسسه العموميه|استشفاي|دائره"
)


# Who heads a public body, from its name, for the salutation of its letters: a commune's
# president of the APC, a university's rector; any other (direction, EPH, office…) a director.
_HEADS = [
    (
        "president",
        re.compile(r"\b(apc|commune|mairie|assemblee populaire communale)\b|بلديه|الشعبي البلدي"),
    ),
    ("recteur", re.compile(r"\buniversite\b|جامعه")),
]


def public_head(name: str) -> str:
    """``president``, ``recteur`` or ``directeur`` (the default)."""
    folded = fold(name)
    return next((head for head, rx in _HEADS if rx.search(folded)), "directeur")


def is_public_body(kind: str, name: str) -> bool:
    """A client paid through public accounting: kind ``administration``, or a name that says so."""
    return kind == "administration" or bool(_PUBLIC_WORDS.search(fold(name)))


class DueInvoice(BaseModel):
    number: str
    issue_date: date
    due_date: date
    total_ttc: Decimal
    open_amount: Decimal
    days_late: int
    level: int = Field(description="1, 2 or 3 (3 = mise en demeure)")


class Skipped(BaseModel):
    number: str
    client_id: str
    reason: str = Field(description="dispute, promise, pending_draft, already_reminded")
    ref: str = Field(description="the interaction or draft id behind the reason")


class ReminderPlan(BaseModel):
    client_id: str
    client_name: str
    kind: str
    language: str
    email: str
    level: int
    invoices: list[DueInvoice]
    total_open: Decimal
    max_days_late: int


class DunningSelection(BaseModel):
    as_of: date
    plans: list[ReminderPlan]
    skipped: list[Skipped]


def level_on(due: date, as_of: date, levels_days: list[int], cal: WorkingCalendar) -> int:
    """The highest level reached by ``as_of`` for an invoice due on ``due`` (0: none)."""
    level = 0
    for i, days in enumerate(levels_days, start=1):
        if cal.next_working_day(due + timedelta(days=days)) <= as_of:
            level = i
    return level


def select_reminders(
    session: Session, as_of: date, cal: WorkingCalendar | None = None, client_id: str | None = None
) -> DunningSelection:
    cal = cal or WorkingCalendar.load()
    levels = get_policy(session).dunning.levels_days
    states = client_states(session, as_of)
    pending: dict[str, str] = {}
    for d in session.scalars(select(Draft).where(Draft.status == DraftStatus.PENDING_APPROVAL)):
        for n in d.invoice_numbers:
            pending[n] = d.draft_id
    clients = {c.client_id: c for c in session.scalars(select(Client))}
    by_client: dict[str, list[DueInvoice]] = {}
    skipped: list[Skipped] = []
    for inv in open_invoices(session, as_of, client_id):
        if inv.open_amount <= 0:
            continue
        level = level_on(inv.due_date, as_of, levels, cal)
        if level == 0:
            continue
        st = states.get(inv.client_id)
        reason: tuple[str, str] | None = None
        if inv.number in pending:
            reason = ("pending_draft", pending[inv.number])
        elif st and (dispute := st.disputed(inv.number)):
            reason = ("dispute", dispute.interaction_id)
        elif st and (p := st.pending_promise(inv.number, as_of)):
            reason = ("promise", p.interaction_id)
        elif st and (r := st.reminded(inv.number, level)):
            reason = ("already_reminded", r.source)
        if reason:
            skipped.append(
                Skipped(number=inv.number, client_id=inv.client_id, reason=reason[0], ref=reason[1])
            )
            continue
        by_client.setdefault(inv.client_id, []).append(
            DueInvoice(
                number=inv.number,
                issue_date=inv.issue_date,
                due_date=inv.due_date,
                total_ttc=inv.total_ttc,
                open_amount=inv.open_amount,
                days_late=(as_of - inv.due_date).days,
                level=level,
            )
        )
    plans = []
    for cid, invs in sorted(by_client.items()):
        c = clients[cid]
        invs.sort(key=lambda i: (i.due_date, i.number))
        plans.append(
            ReminderPlan(
                client_id=cid,
                client_name=c.name,
                kind=c.kind,
                language=c.language or "fr",
                email=c.email,
                level=max(i.level for i in invs),
                invoices=invs,
                total_open=sum((i.open_amount for i in invs), Decimal("0")),
                max_days_late=max(i.days_late for i in invs),
            )
        )
    plans.sort(key=lambda p: (-p.level, -p.total_open))
    return DunningSelection(as_of=as_of, plans=plans, skipped=skipped)
