"""The facts a reminder rests on, computed by code from the ledger (never by the model)."""

from __future__ import annotations

import datetime as dt
from datetime import date, timedelta
from decimal import Decimal

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from khazna.agents.factcheck import Facts
from khazna.calendar_dz import WorkingCalendar
from khazna.ledger.models import Client, Company
from khazna.ledger.queries import pieces_of
from khazna.money import q2
from khazna.text import count
from khazna.tools.client_state import ClientState
from khazna.tools.dunning import DueInvoice, ReminderPlan, is_public_body
from khazna.tools.names import civility_of

FORMAL_NOTICE_DAYS = 8  # working days a mise en demeure gives (company preference)
PLAN_INSTALMENTS = 3
PLAN_START_WORKING_DAYS = 5  # first instalment of a plan: 5 working days out (within the notice)
LEGAL_ARTICLES = (306, 307, 308)  # injonction de payer, code de procédure civile et administrative
# Late-payment interest of public procurement: décret présidentiel n° 15-247 du 16/09/2015
# (réglementation des marchés publics), JORA n° 50 du 20/09/2015 — see docs/dunning-law.md.
PUBLIC_PROCUREMENT_DECREE = (15, 247)


class PlanInstalment(BaseModel):
    date: date
    amount: Decimal


class Piece(BaseModel):
    """A document that goes with an invoice in the reminder (``ledger.documents.PIECES``)."""

    number: str = Field(description="the invoice it goes with")
    kind: str = Field(description="delivery_note or service_attestation")


class HistoryCitation(BaseModel):
    """A past exchange the reminder refers to (typed fields only: no client text)."""

    interaction_id: str
    date: dt.date
    kind: str = Field(description="promise or reminder")
    promised_date: dt.date | None = None
    invoice_numbers: list[str] = Field(
        default_factory=list,
        description="the draft's invoices the exchange was about (empty: the whole account)",
    )


class PastExchange(BaseModel):
    """A reminder sent or a promise made, as the client's history records it (typed fields
    only): what the letter rules check a cited exchange against. Not shown to the model."""

    date: dt.date
    kind: str = Field(description="reminder or promise")
    invoice_numbers: list[str] = Field(
        default_factory=list, description="the invoices it was about (empty: the whole account)"
    )


class DunningFacts(BaseModel):
    draft_key: str
    as_of: date
    level: int
    language: str
    client_id: str
    client_name: str
    client_kind: str
    civility: str = Field(
        default="", description="f (Madame, السيدة), m (Monsieur, السيد), '' (not known)"
    )
    public_body: bool = Field(default=False, description="paid through public accounting")
    client_email: str
    company_name: str
    company_email: str
    rib: str
    invoices: list[DueInvoice]
    total: Decimal
    max_days_late: int
    deadline: date | None = Field(default=None, description="formal notice deadline (level 3)")
    deadline_days: int | None = None
    deadline_working_days: bool = Field(default=True, description="the delay counts working days")
    notice_invoices: list[str] = Field(
        default_factory=list, description="level 3: the invoices in default (the formal demand)"
    )
    notice_total: Decimal | None = Field(default=None, description="their open total")
    plan: list[PlanInstalment] = Field(default_factory=list)
    plan_reason: str = ""
    history: HistoryCitation | None = None
    previous_reminders: int = Field(
        default=0, description="reminders already sent about these invoices"
    )
    pieces: list[Piece] = Field(
        default_factory=list, description="attached besides the invoices (delivery notes, ASF)"
    )
    exchanges: list[PastExchange] = Field(
        default_factory=list,
        description="the client's reminders and promises up to as_of (the letter rules' history)",
    )
    defective: list[str] = Field(
        default_factory=list,
        description="invoices whose document the invoice checker finds wrong (error level)",
    )


def repeated_lateness(profile, state: ClientState | None) -> str:
    """Why a payment plan is proposed ('' when it is not): lateness that repeats."""
    if profile is not None and (profile.share_late or 0) >= 0.5 and profile.paid_invoices >= 3:
        return (
            f"{round((profile.share_late or 0) * 100)} % des factures réglées en retard sur 12 mois"
        )
    if state is not None and len([r for r in state.reminders]) >= 2:
        return f"{len(state.reminders)} relances déjà adressées"
    if profile is not None and profile.returned_cheques:
        n = profile.returned_cheques
        return f"{count(n, 'chèque impayé', 'chèques impayés')} sur 12 mois"
    return ""


def payment_plan(
    total: Decimal, start: date, cal: WorkingCalendar, n: int = PLAN_INSTALMENTS
) -> list[PlanInstalment]:
    """``n`` monthly instalments on working days; the last absorbs the rounding."""
    share = q2(total / n)
    out = []
    for i in range(n):
        due = cal.next_working_day(start + timedelta(days=30 * i))
        amount = share if i < n - 1 else total - share * (n - 1)
        out.append(PlanInstalment(date=due, amount=amount))
    return out


def build_facts(
    session: Session,
    plan: ReminderPlan,
    as_of: date,
    state: ClientState | None,
    profile,
    cal: WorkingCalendar,
) -> DunningFacts:
    company = session.get(Company, 1)
    client = session.get(Client, plan.client_id)
    assert company is not None and client is not None
    deadline = cal.add_working_days(as_of, FORMAL_NOTICE_DAYS) if plan.level == 3 else None
    public = is_public_body(client.kind, client.name)
    # no payment plan to a public body: it pays what is mandated, by public accounting
    reason = repeated_lateness(profile, state) if plan.level >= 2 and not public else ""
    numbers = [i.number for i in plan.invoices]
    history, reminded = _history(state, numbers, as_of)
    in_default = [i for i in plan.invoices if i.level == 3] if plan.level == 3 else []
    if in_default and len(in_default) < len(plan.invoices):
        # a notice on part of the letter: its opening ("malgré notre rappel, les factures A, B
        # …") speaks of the reminders about the invoices in default, not about the others
        reminded = _history(state, [i.number for i in in_default], as_of)[1]
    plan_start = cal.add_working_days(as_of, PLAN_START_WORKING_DAYS)
    if deadline is not None and plan_start > deadline:  # the first instalment within the notice
        plan_start = deadline
    return DunningFacts(
        draft_key=f"{plan.client_id}-L{plan.level}",
        as_of=as_of,
        level=plan.level,
        language=plan.language,
        client_id=plan.client_id,
        client_name=client.name,
        client_kind=client.kind,
        civility=civility_of(client.civility, client.name),
        public_body=public,
        client_email=client.email,
        company_name=company.name,
        company_email=company.email,
        rib=company.rib,
        invoices=plan.invoices,
        total=plan.total_open,
        max_days_late=plan.max_days_late,
        deadline=deadline,
        deadline_days=FORMAL_NOTICE_DAYS if deadline else None,
        notice_invoices=[i.number for i in in_default],
        notice_total=sum((i.open_amount for i in in_default), Decimal("0")) if in_default else None,
        plan=payment_plan(plan.total_open, plan_start, cal) if reason else [],
        plan_reason=reason,
        history=history,
        previous_reminders=reminded,
        pieces=[Piece(number=n, kind=k) for n, k in pieces_of(session, numbers)],
        exchanges=_exchanges(state, as_of),
    )


def _exchanges(state: ClientState | None, as_of: date) -> list[PastExchange]:
    """Every reminder sent and promise made by the client up to ``as_of``, whatever invoice it
    was about: a letter citing one about another invoice is then seen to be wrong."""
    if state is None:
        return []
    out = [
        PastExchange(date=r.on, kind="reminder", invoice_numbers=list(r.invoice_numbers))
        for r in state.reminders
        if r.on <= as_of
    ]
    out += [
        PastExchange(date=p.made_on, kind="promise", invoice_numbers=list(p.invoice_numbers))
        for p in state.promises
        if p.made_on <= as_of
    ]
    return sorted(out, key=lambda e: e.date)


def _history(
    state: ClientState | None, numbers: list[str], as_of: date
) -> tuple[HistoryCitation | None, int]:
    """The past exchange a reminder may cite, and how many reminders went out about these
    invoices. Only exchanges about the same invoices count: a promise that names them (or no
    invoice: the whole account), a reminder that named one of them. A reminder about another
    invoice is never cited ("nous vous avions déjà adressé un rappel" would be false)."""
    if state is None:
        return None, 0
    wanted = set(numbers)
    about = [r for r in state.reminders if wanted & set(r.invoice_numbers)]
    promises = [
        p
        for p in state.promises
        if p.promised_date
        and p.promised_date < as_of
        and (not p.invoice_numbers or wanted & set(p.invoice_numbers))
    ]
    if promises:
        p = promises[-1]
        cited = [n for n in numbers if n in p.invoice_numbers]
        return HistoryCitation(
            interaction_id=p.interaction_id,
            date=p.made_on,
            kind="promise",
            promised_date=p.promised_date,
            invoice_numbers=cited,
        ), len(about)
    if about:
        r = max(about, key=lambda r: r.on)
        cited = [n for n in numbers if n in r.invoice_numbers]
        return HistoryCitation(
            interaction_id=r.source, date=r.on, kind="reminder", invoice_numbers=cited
        ), len(about)
    return None, 0


def split_notice(f: DunningFacts) -> bool:
    """Does the formal demand cover only part of the letter's invoices?"""
    return f.notice_total is not None and len(f.notice_invoices) < len(f.invoices)


def required_facts(f: DunningFacts) -> tuple[list[str], list[str]]:
    """The facts the short and the detailed text must state: the amount demanded (at level 3
    with invoices not yet in default, the formal demand's total, and the others' total in
    the detailed text), and every invoice in the detailed text."""
    if split_notice(f):
        return ["notice_total"], ["notice_total", "others_total", "invoices"]
    return ["total"], ["total", "invoices"]


def to_check_facts(f: DunningFacts):
    """The same facts in the fact checker's shape: what a written text may state."""

    amounts: dict = {"total": f.total}
    dates: dict = {"as_of": f.as_of}
    for inv in f.invoices:
        amounts[f"open_{inv.number}"] = inv.open_amount
        amounts[f"ttc_{inv.number}"] = inv.total_ttc
        dates[f"issue_{inv.number}"] = inv.issue_date
        dates[f"due_{inv.number}"] = inv.due_date
    for i, p in enumerate(f.plan, start=1):
        amounts[f"plan_{i}"] = p.amount
        dates[f"plan_{i}"] = p.date
    if f.deadline:
        dates["deadline"] = f.deadline
    if f.history:
        dates["history_date"] = f.history.date
        if f.history.promised_date:
            dates["history_promised"] = f.history.promised_date
    counts: dict = {
        "days_late": [i.days_late for i in f.invoices],
        "max_days_late": f.max_days_late,
        "invoice_count": len(f.invoices),
        "level": f.level,
    }
    if f.deadline_days:
        counts["deadline_days"] = f.deadline_days
    if f.notice_total is not None:
        amounts["notice_total"] = f.notice_total
        others = f.total - f.notice_total
        if others:
            amounts["others_total"] = others
    if f.level == 3 and f.public_body:  # public procurement's late-payment interest
        counts["legal_refs"] = list(PUBLIC_PROCUREMENT_DECREE)
    elif f.level == 3:  # the formal notice cites the civil procedure code
        counts["legal_articles"] = list(LEGAL_ARTICLES)
    if f.plan:
        counts["plan_count"] = len(f.plan)
    return Facts(
        amounts=amounts,
        dates=dates,
        counts=counts,
        ids={"invoices": [i.number for i in f.invoices], "rib": f.rib},
        names={"client": f.client_name, "company": f.company_name},
        emails={"client": f.client_email, "company": f.company_email},
    )
