"""The cash forecast: day by day over the next N days, from the cash position at the end of D.

Position on D = company.opening_balance + the bank lines dated from opening_date to D.
Projected flows (every one carries its source, shown by ``--explain``):
- inflows: each open invoice, weighted by its odds of being paid within the horizon and
  dated on its due date + the expected days late, both read from the life table of its
  client's invoices as late as it is now (:mod:`khazna.tools.receipt_odds`: the share of
  those that were paid within the horizon, shrunk toward the client's kind). An invoice none
  as late was ever paid within the horizon is left out as doubtful. When no settled invoice
  at all tells, the older rule applies: due date + the client's typical delay (see
  :mod:`khazna.tools.payment_profiles`), a week out when already later than that, left out
  60 days past it. Batch payers (clients who usually settle several invoices in one
  payment) are expected to pay their invoices together, on the median of their dates.
- outflows: the commitments (commitments.csv), for the amount the bank last showed (the
  median of the last three periods of their learned twin, when they have one); the
  recurring outflows learned from the bank history (:mod:`khazna.tools.recurring`) that no
  commitment already plans; supplier expenses dated after D; and the everyday irregular
  spending (the average, per working day, of the debits of the last 90 days that belong to
  no recurring pattern).
A flow that falls on a Friday, a Saturday or a public holiday moves to the next working day,
or to the working day before for a recurring outflow whose bank history shows that habit
(more of its past due days that fell on a day off were paid before than after).

Threshold = policy ``treasury.safety_threshold`` (settings key "policy"), else one month of
fixed outflows (salaries + rent + social contributions, from commitments and learned
patterns). A day is ``ok`` at or above the threshold, ``a_surveiller`` below it but not
negative, ``tension`` when negative; the horizon takes its worst day's status.
``excess_cash = max(0, min_balance − threshold)``.
"""

from __future__ import annotations

import calendar as _cal
import datetime as _dt
import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from khazna.calendar_dz import WorkingCalendar
from khazna.ledger.models import BankLine, Commitment, Company, Expense, Payment, Setting
from khazna.money import format_dzd, q2
from khazna.tools.forecast_background import (
    SEASON_WINDOW_DAYS,
    Seasons,
    learn_everyday,
    project,
    unmatched_credits,
)
from khazna.tools.payment_profiles import (
    YEAR_DAYS,
    PaymentProfile,
    payment_profiles,
    settled_delays,
)
from khazna.tools.receipt_odds import ReceiptModel, ReceiptOdds
from khazna.tools.receivables import (
    EngineCache,
    OpenInvoice,
    cents,
    covered,
    from_cents,
    open_invoices,
    scan,
)
from khazna.tools.recurring import (
    BANK_DATE_INDEX,
    FIXED_CATEGORIES,
    Pattern,
    learn_patterns,
    match_commitments,
)

DOUBTFUL_AFTER_DAYS = 60
OVERDUE_EXPECT_DAYS = 7
STATUS_RANK = {"ok": 0, "a_surveiller": 1, "tension": 2}


# the owner's words for each status (the codes stay in --json, ../shared/spec/cli.md)
STATUS_LABELS = {"ok": "OK", "a_surveiller": "à surveiller", "tension": "tension"}
THRESHOLD_SOURCE_LABELS = {
    "policy treasury.safety_threshold": "fixé dans la politique de trésorerie",
    "one month of fixed outflows (salaries + rent + social contributions)": (
        "un mois de sorties fixes (salaires, loyer, cotisations)"
    ),
}


class ForecastError(ValueError):
    """The forecast cannot be made (no company, or a date before the books start)."""


class ForecastInput(BaseModel):
    """Ask for the cash forecast."""

    as_of: date = Field(
        description="The forecast starts from the cash position at the end of this day."
    )
    days: int = Field(30, ge=1, le=366, description="Horizon in days.")
    explain: bool = Field(False, description="Also list every projected flow with its source.")


class Flow(BaseModel):
    """One projected flow; immutable (placing it on a working day makes a new one)."""

    model_config = ConfigDict(frozen=True)

    date: _dt.date = Field(description="Day the flow is expected (moved to a working day).")
    amount: Decimal = Field(description="Signed amount in DZD: positive in, negative out.")
    kind: str = Field(description="invoice, commitment, learned, expense or background.")
    source: str = Field(description="Invoice number, commitment id, learned pattern key...")
    detail: str = Field("", description="Why this date and amount.")
    evidence: list[str] = Field(default_factory=list, description="Bank line ids it rests on.")


class ForecastDay(BaseModel):
    date: _dt.date
    inflows: Decimal
    outflows: Decimal = Field(description="Money out that day, as a positive number.")
    balance: Decimal = Field(description="Projected balance at the end of the day.")
    status: str = Field(description="ok, a_surveiller (below the threshold) or tension (negative).")
    p10: Decimal | None = Field(
        None, description="Balance 9 draws in 10 stay above (the clients' payment delays drawn)."
    )
    p90: Decimal | None = Field(None, description="Balance 9 draws in 10 stay below.")


class Forecast(BaseModel):
    """The projected cash position day by day, with its status against the threshold."""

    as_of: date
    horizon_days: int
    opening_balance: Decimal = Field(description="Cash position at the end of the as-of day.")
    threshold: Decimal = Field(description="Safety threshold the balance should stay above.")
    threshold_source: str = ""
    status: str = Field(description="Worst day's status over the horizon.")
    min_balance: Decimal
    min_balance_date: date
    excess_cash: Decimal = Field(
        description="max(0, min_balance − threshold): placeable for the whole horizon."
    )
    days: list[ForecastDay]
    notes: list[str] = Field(default_factory=list)
    prob_below_threshold: int | None = Field(
        None,
        description="Per cent of the draws of the clients' payment delays whose lowest balance "
        "over the horizon goes under the threshold.",
    )
    flows: list[Flow] | None = Field(None, description="Every projected flow (with explain).")
    left_out: list[Flow] | None = Field(
        None, description="Flows not counted, and why (with explain)."
    )


def status_of(balance: Decimal, threshold: Decimal) -> str:
    if balance < 0:
        return "tension"
    return "ok" if balance >= threshold else "a_surveiller"


def cash_position(session: Session, as_of: date) -> tuple[Decimal, int]:
    """(balance at the end of ``as_of``, number of bank lines it rests on)."""
    company = session.get(Company, 1) or session.execute(select(Company)).scalars().first()
    if company is None:
        raise ForecastError("the ledger has no company: import a bundle first")
    if as_of < company.opening_date:
        raise ForecastError(
            f"as-of date {as_of} is before the books start (opening_date {company.opening_date})"
        )
    day = covered(session, BankLine.date, BANK_DATE_INDEX)
    total, n = session.execute(
        select(func.coalesce(func.sum(cents(BankLine.amount)), 0), func.count()).where(
            day >= company.opening_date, day <= as_of
        )
    ).one()
    return Decimal(company.opening_balance) + from_cents(total), int(n)


def _month_date(mi: int, day: int) -> date:
    y, m = divmod(mi, 12)
    return date(y, m + 1, min(day, _cal.monthrange(y, m + 1)[1]))


def _occurrences(day: int, every: int, anchor: date, lo: date, hi: date) -> list[date]:
    """Raw dates on ``day`` every ``every`` months in phase with ``anchor``, within [lo, hi]."""
    every = max(every or 1, 1)
    a = anchor.year * 12 + anchor.month - 1
    out = []
    for mi in range(lo.year * 12 + lo.month - 1, hi.year * 12 + hi.month):
        if (mi - a) % every == 0:
            d = _month_date(mi, day)
            if lo <= d <= hi:
                out.append(d)
    return out


def _policy_threshold(session: Session) -> Decimal | None:
    row = session.get(Setting, "policy")
    value = (row.value or {}).get("treasury", {}).get("safety_threshold") if row else None
    return None if value in (None, "") else Decimal(str(value))


@dataclass(frozen=True)
class _Horizon:
    """The days a projected flow is counted on: after ``as_of``, up to ``end``."""

    as_of: date
    end: date
    cal: WorkingCalendar

    @property
    def lo(self) -> date:
        """The first due day to project: one up to a week back may still move past as_of."""
        return self.as_of - timedelta(days=6)

    def holds(self, d: date) -> bool:
        return self.as_of < d <= self.end

    def place(self, flow: Flow, *, may_be_past: bool = False, early: bool = False) -> Flow | None:
        """``flow`` moved from its due day (its date) to a working day, the move told in its
        detail; None when that day is outside the horizon. The next working day, or the one
        before for an ``early`` payer; ``may_be_past``: a due day gone by is still expected."""
        raw = flow.date
        d = self.cal.next_working_day(
            max(raw, self.as_of + timedelta(days=1)) if may_be_past else raw
        )
        before = _previous_working_day(self.cal, raw) if early and d != raw else None
        detail = flow.detail
        if before is not None and before > self.as_of:
            d = before
            detail += (
                f" (prévu le {raw:%d/%m/%Y}, jour chômé : payé le jour ouvré d'avant, comme le "
                "montre le relevé)"
            )
        elif d != raw:
            detail += f" (prévu le {raw:%d/%m/%Y}, reporté au jour ouvré suivant)"
        if not self.holds(d):
            return None
        return flow.model_copy(update={"date": d, "detail": detail})


def projected_flows(
    session: Session,
    as_of: date,
    days: int,
    cal: WorkingCalendar,
    *,
    scheduled_expenses: bool = True,
    keep_left_out: bool = True,
    cache: EngineCache | None = None,
) -> tuple[list[Flow], list[Flow], dict]:
    """(flows in the horizon, flows left out, context: patterns, commitments, notes).

    ``keep_left_out=False`` skips building the doubtful invoices' flows (left out anyway):
    the list of flows left out is then incomplete, the flows and the balances are the same.
    """
    cache = EngineCache() if cache is None else cache  # profiles and odds share the delays
    h = _Horizon(as_of, as_of + timedelta(days=days), cal)
    flows, left_out = _invoice_flows(session, h, days, keep_left_out=keep_left_out, cache=cache)
    commitments = (
        session.execute(select(Commitment).order_by(Commitment.commitment_id)).scalars().all()
    )
    patterns = learn_patterns(session, as_of)
    match_commitments(patterns, commitments)
    planned = _commitment_flows(session, h, commitments, patterns)
    learned, learned_planned = _learned_flows(h, patterns)
    flows += planned + learned
    left_out += learned_planned
    if scheduled_expenses:
        expenses, booked = _expense_flows(
            session, h, planned, commitments, keep_left_out=keep_left_out
        )
        flows += expenses
        left_out += booked
    flows += _background(session, as_of, h.end, cal, patterns, commitments)
    flows.sort(key=lambda f: (f.date, f.kind, f.source))
    return flows, left_out, {"patterns": patterns, "commitments": commitments}


def _invoice_flows(
    session: Session, h: _Horizon, days: int, *, keep_left_out: bool, cache: EngineCache
) -> tuple[list[Flow], list[Flow]]:
    """Inflows: each open invoice at the date its client's history predicts, a batch payer's
    invoices together on its batch dates. (flows in the horizon, flows left out)"""
    profiles = payment_profiles(session, h.as_of, cache=cache)
    items = open_invoices(session, h.as_of, cache=cache)
    odds = ReceiptModel(
        settled_delays(session, h.as_of, cache=cache),
        [(o.client_id, o.days_past_due) for o in items],
        {cid: p.kind for cid, p in profiles.items()},
    )
    flows: list[Flow] = []
    left_out: list[Flow] = []
    batches: dict[str, list[OpenInvoice]] = defaultdict(list)
    for o in items:
        p = profiles.get(o.client_id)
        if p and p.batch_payer and p.batch_interval_days:
            batches[o.client_id].append(o)
            continue
        r = odds.odds(o.client_id, o.days_past_due, days)
        f = _open_invoice_flow(o, p, r, h, days, keep_left_out=keep_left_out)
        if f is None:
            continue
        if f.kind != "invoice":
            left_out.append(f)
        elif (placed := h.place(f)) is not None:
            flows.append(placed)
    for cid, group in batches.items():
        for f in _batch_flows(group, profiles[cid], h.as_of, h.end):
            if f.date > h.end:
                left_out.append(f)
            elif (placed := h.place(f)) is not None:
                flows.append(placed)
    return flows, left_out


def _open_invoice_flow(
    o: OpenInvoice,
    p: PaymentProfile | None,
    r: ReceiptOdds | None,
    h: _Horizon,
    days: int,
    *,
    keep_left_out: bool,
) -> Flow | None:
    """One open invoice's flow (kind "invoice", or "doubtful": left out), from its odds ``r``
    when its life table tells, else from its client's typical delay; None when it is neither
    counted nor left out (expected after the horizon, or doubtful and ``keep_left_out`` off)."""
    if r is not None:
        f = _odds_flow(o, r, days)
        return f if f.kind == "invoice" or keep_left_out else None
    predicted = o.due_date + timedelta(days=p.typical_delay_days if p else 0)
    if predicted > h.end:
        return None  # expected after the horizon: neither counted nor left out
    if not keep_left_out and (h.as_of - predicted).days > DOUBTFUL_AFTER_DAYS:
        return None  # doubtful: left out
    return _invoice_flow(o, p, h.as_of)


def _commitment_flows(
    session: Session, h: _Horizon, commitments: Sequence[Commitment], patterns: list[Pattern]
) -> list[Flow]:
    """Outflows: each commitment's occurrences in the horizon, for the amount the bank last
    showed when a learned pattern is its twin (the twin's bank lines as evidence)."""
    company = session.execute(select(Company)).scalars().first()
    twins = {p.covered_by: p for p in patterns if p.covered_by}
    flows = []
    for c in commitments:
        anchor = c.start
        if anchor is None:
            assert company is not None, "forecast() calls cash_position first: it needs a company"
            anchor = company.opening_date
        twin = twins.get(c.commitment_id)
        amount = abs(Decimal(c.amount)) if twin is None else twin.amount
        every = c.every_months or 1
        detail = f"{c.label} : le {c.day_of_month} " + (
            "de chaque mois" if every == 1 else f"tous les {every} mois"
        )
        if twin is not None:
            detail += f" ; montant = la médiane récente du relevé ({twin.describe()})"
        early = twin is not None and _pays_early(twin, h.cal)
        for raw in _occurrences(c.day_of_month, c.every_months, anchor, h.lo, h.end):
            if (c.start and raw < c.start) or (c.end and raw > c.end):
                continue
            f = Flow(
                date=raw,
                amount=-amount,
                kind="commitment",
                source=c.commitment_id,
                detail=detail,
                evidence=[] if twin is None else twin.evidence[-6:],
            )
            if (placed := h.place(f, early=early)) is not None:
                flows.append(placed)
    return flows


def _learned_flows(h: _Horizon, patterns: list[Pattern]) -> tuple[list[Flow], list[Flow]]:
    """Outflows: the recurring patterns learned from the bank, from their next period on; a
    pattern a commitment plans is left out, not counted twice. (flows, flows left out)"""
    flows: list[Flow] = []
    left_out: list[Flow] = []
    for pat in patterns:
        first = pat.last_date.replace(day=1)
        early = not pat.covered_by and _pays_early(pat, h.cal)
        for raw in _occurrences(pat.day, pat.every_months, pat.last_date, h.lo, h.end):
            if raw.replace(day=1) <= first:
                continue  # this period's payment already went through
            f = Flow(
                date=raw,
                amount=-pat.amount,
                kind="learned",
                source=pat.key,
                detail=pat.describe(),
                evidence=pat.evidence[-6:],
            )
            if pat.covered_by:
                f = f.model_copy(
                    update={
                        "date": h.cal.next_working_day(raw),
                        "detail": f"{f.detail}; planned by commitment {pat.covered_by}, "
                        "not counted twice",
                    }
                )
                if h.holds(f.date):
                    left_out.append(f)
            elif (placed := h.place(f, may_be_past=True, early=early)) is not None:
                flows.append(placed)
    return flows, left_out


def _expense_flows(
    session: Session,
    h: _Horizon,
    planned: list[Flow],
    commitments: Sequence[Commitment],
    *,
    keep_left_out: bool,
) -> tuple[list[Flow], list[Flow]]:
    """Outflows: the supplier expenses dated in the horizon; one booked for a commitment's
    occurrence in ``planned`` is left out, counted once. (flows, flows left out)"""
    categories = {c.commitment_id: c.category for c in commitments}
    flows: list[Flow] = []
    left_out: list[Flow] = []
    for e in session.execute(
        select(Expense)
        .where(Expense.date > h.as_of, Expense.date <= h.end)
        .order_by(Expense.date, Expense.expense_id)
    ).scalars():
        twin_flow = _planned_twin(e, planned, categories)
        f = Flow(
            date=e.date,
            amount=-abs(Decimal(e.amount)),
            kind="expense",
            source=e.expense_id,
            detail=f"{e.payee or e.supplier_id} ({e.category})"
            if twin_flow is None
            else f"planned by commitment {twin_flow.source}, not counted twice",
        )
        if twin_flow is not None:
            if keep_left_out:  # the expense booked for a commitment's occurrence
                left_out.append(f)
        elif (placed := h.place(f)) is not None:
            flows.append(placed)
    return flows, left_out


def _planned_twin(expense, planned: list[Flow], categories: dict[str, str]) -> Flow | None:
    """The commitment occurrence an expense booked ahead stands for: same category, within
    5 days and 5 % of its amount (salaries recorded before the 25th, say)."""
    amount = abs(Decimal(expense.amount))
    for f in planned:
        if categories.get(f.source) != expense.category or abs((f.date - expense.date).days) > 5:
            continue
        if abs(-f.amount - amount) <= amount * Decimal("0.05"):
            return f
    return None


def _previous_working_day(cal: WorkingCalendar, d: date) -> date:
    d -= timedelta(days=1)
    for _ in range(31):
        if cal.is_working_day(d):
            break
        d -= timedelta(days=1)
    return d


def _pays_early(pat, cal: WorkingCalendar) -> bool:
    """True when the bank history shows this outflow, due on a day off, paid the working day
    (or days) before rather than after: counted over the months whose day fell on a day off."""
    first: dict[tuple[int, int], date] = {}
    for d, _ in pat.evidence_lines:
        first[(d.year, d.month)] = min(d, first.get((d.year, d.month), d))
    before = after = 0
    for (y, m), d in first.items():
        due = _month_date(y * 12 + m - 1, pat.day)
        if not cal.is_working_day(due):
            before += d < due
            after += d > due
    return before > after


def _invoice_flow(o: OpenInvoice, p: PaymentProfile | None, as_of: date) -> Flow:
    """An open invoice at due date + its client's typical delay (kind "doubtful" when far past)."""
    delay = p.typical_delay_days if p else 0
    predicted = o.due_date + timedelta(days=delay)
    late = (as_of - predicted).days
    day, kind = predicted, "invoice"
    if predicted > as_of:
        detail = f"{o.client_id} : échéance {o.due_date:%d/%m/%Y} + retard habituel {delay} j"
    elif late > DOUBTFUL_AFTER_DAYS:
        kind = "doubtful"
        detail = f"{o.client_id} : {late} j après la date attendue ({predicted:%d/%m/%Y}) : douteux"
    else:
        wait = max(OVERDUE_EXPECT_DAYS, round((p.iqr_days or 0) / 2) if p else 0)
        day = as_of + timedelta(days=wait)
        detail = (
            f"{o.client_id} : déjà en retard sur la date attendue ({predicted:%d/%m/%Y}) ; "
            f"attendu dans {wait} j"
        )
    return Flow(date=day, amount=o.open_amount, kind=kind, source=o.number, detail=detail)


def _odds_flow(o, r: ReceiptOdds, days: int) -> Flow:
    """An open invoice weighted by its odds of being paid within the horizon (see
    :mod:`khazna.tools.receipt_odds`), on its due date + the expected days late."""
    if r.days_late is None or r.odds <= 0:
        return Flow(
            date=o.due_date,
            amount=o.open_amount,
            kind="doubtful",
            source=o.number,
            detail=f"{o.client_id} : {o.days_past_due} j de retard, aucune facture aussi en retard "
            f"payée sous {days} j ({r.basis})",
        )
    pct = Decimal(str(round(r.odds, 4)))
    return Flow(
        date=o.due_date + timedelta(days=r.days_late),
        amount=q2(o.open_amount * pct),
        kind="invoice",
        source=o.number,
        detail=(
            f"{o.client_id} : {r.odds * 100:.0f} % de {format_dzd(o.open_amount)} restant dus, "
            f"échéance {o.due_date:%d/%m/%Y} {r.days_late:+d} j ({r.basis})"
        ),
    )


def _annual_batch_flows(items, p, as_of: date, end: date) -> list[Flow]:
    """A batch payer whose payments follow the year (see ``follows_the_year``): a batch on
    each day of the horizon it paid on a year before, settling the invoices due at least its
    fastest usual delay before it; none when it paid nothing in those days a year before."""
    lag = timedelta(days=round(p.min_days_late or 0))
    year = timedelta(days=YEAR_DAYS)
    todo = sorted(items, key=lambda o: o.due_date)
    out = []
    for back in p.annual_dates:
        batch = back + year
        if not as_of < batch <= end:
            continue
        now = [o for o in todo if o.due_date + lag <= batch]
        for o in now:
            out.append(
                Flow(
                    date=batch,
                    amount=o.open_amount,
                    kind="invoice",
                    source=o.number,
                    detail=f"{o.client_id} paie par lots au calendrier de l'année "
                    f"(payé le {back:%d/%m/%Y} un an plus tôt) ; échéance {o.due_date:%d/%m/%Y} "
                    f"+ au moins {lag.days} j",
                )
            )
        todo = [o for o in todo if o not in now]
    return out


def _batch_flows(items, p, as_of: date, end: date) -> list[Flow]:
    """A batch payer settles, every ``batch_interval_days``, the invoices due at least its
    fastest usual delay (5th percentile of days late) before the batch date."""
    if p.annual_dates:
        return _annual_batch_flows(items, p, as_of, end)
    step = timedelta(days=max(p.batch_interval_days, 7))
    lag = timedelta(days=round(p.min_days_late or 0))
    batch = p.last_payment + step
    late = batch <= as_of
    if late:
        batch = as_of + timedelta(days=OVERDUE_EXPECT_DAYS)
    out, todo = [], sorted(items, key=lambda o: o.due_date)
    while todo and batch <= end + step:
        now = [o for o in todo if o.due_date + lag <= batch]
        for o in now:
            why = (
                "lot suivant en retard, attendu sous une semaine"
                if late
                else f"tous les {step.days} j depuis le {p.last_payment:%d/%m/%Y}"
            )
            out.append(
                Flow(
                    date=batch,
                    amount=o.open_amount,
                    kind="invoice",
                    source=o.number,
                    detail=f"{o.client_id} paie par lots ({why}) ; échéance {o.due_date:%d/%m/%Y} "
                    f"+ au moins {lag.days} j",
                )
            )
        todo = [o for o in todo if o not in now]
        batch, late = batch + step, False
    return out


def _unexplained_debits(session: Session, as_of: date, patterns, commitments) -> dict[date, int]:
    """The debits (centimes, positive) of the season window no pattern or commitment explains,
    by day. Unexplained = not a line of a learned pattern, not a commitment's payment (amount
    within 5 %, within a week of its day of month), not a returned cheque (``IMPAYE``/``REJET``).
    """
    start = as_of - timedelta(days=SEASON_WINDOW_DAYS)
    day = covered(session, BankLine.date, BANK_DATE_INDEX)
    window = (day > start, day <= as_of, BankLine.amount < 0)
    by_day: dict[date, int] = defaultdict(int)
    for d, c in session.execute(
        select(day, func.sum(cents(BankLine.amount))).where(*window).group_by(day)
    ):
        by_day[d] += -int(c)
    taken: set[str] = set()
    for p in patterns:  # what the recurring patterns already project
        for lid, (d, c) in zip(p.evidence, p.evidence_lines, strict=True):
            if start < d <= as_of:
                taken.add(lid)
                by_day[d] -= c
    for c in commitments:
        amt = abs(Decimal(c.amount))
        q = (
            select(BankLine.line_id, day, cents(BankLine.amount))
            .where(
                *window,
                BankLine.amount <= -amt * Decimal("0.95"),
                BankLine.amount >= -amt * Decimal("1.05"),
            )
            .order_by(day, BankLine.line_id)  # first line wins, on every back end
        )
        for lid, d, cc in session.execute(q):
            if lid not in taken and abs(d.day - c.day_of_month) <= 7:
                taken.add(lid)
                by_day[d] += int(cc)
    by_scan = scan(session, BankLine.date)  # the labels are in the table: read it in order
    q = select(BankLine.line_id, by_scan, cents(BankLine.amount)).where(
        by_scan > start,
        by_scan <= as_of,
        BankLine.amount < 0,
        # ilike: SQLite's LIKE ignores ASCII case, PostgreSQL's does not
        or_(BankLine.label.ilike("%IMPAYE%"), BankLine.label.ilike("%REJET%")),
    )
    for lid, d, cc in session.execute(q):
        if lid not in taken:
            by_day[d] += int(cc)
    return by_day


def _unexplained_credits(session: Session, as_of: date) -> dict[date, int]:
    """The credits (centimes) of the season window that settle no recorded payment, by day:
    counter sales banked, card settlements, transfers no payment row names."""
    start = as_of - timedelta(days=SEASON_WINDOW_DAYS)
    day = covered(session, BankLine.date, BANK_DATE_INDEX)
    credits = [
        (d, int(c))
        for d, c in session.execute(
            select(day, cents(BankLine.amount)).where(
                day > start, day <= as_of, BankLine.amount > 0
            )
        )
    ]
    paid = [
        (d, int(c))
        for d, c in session.execute(
            select(Payment.date, cents(Payment.amount)).where(
                Payment.date > start - timedelta(days=7),
                Payment.date <= as_of + timedelta(days=7),
                Payment.status != "rejected",
            )
        )
    ]
    return unmatched_credits(credits, paid)


def _background(
    session: Session, as_of: date, end: date, cal: WorkingCalendar, patterns, commitments
) -> list[Flow]:
    """The everyday flows no invoice, pattern or commitment explains, per working day, with
    the seasons and days off learned from the books (:mod:`khazna.tools.forecast_background`):
    spending (kind ``background``) and takings (kind ``takings``).
    """
    seasons = Seasons.of(cal)
    streams = [
        ("background", "dépenses courantes", -1,
         _unexplained_debits(session, as_of, patterns, commitments)),
        ("takings", "recettes courantes", 1, _unexplained_credits(session, as_of)),
    ]  # fmt: skip
    out = []
    for kind, source, sign, by_day in streams:
        model = learn_everyday(by_day, as_of, cal, seasons)
        if model is None:
            continue
        what = (
            "les débits qu'aucune récurrence ni échéance n'explique"
            if sign < 0
            else "les crédits qu'aucun paiement enregistré n'explique"
        )
        detail = f"{what}, {model.describe()}"
        for d, c in project(model, as_of, end, cal, seasons):
            if c > 0:
                out.append(
                    Flow(
                        date=d,
                        amount=sign * q2(from_cents(c)),
                        kind=kind,
                        source=source,
                        detail=detail,
                    )
                )
    return out


def fixed_monthly_outflows(commitments, patterns) -> Decimal:
    """One month of salaries + rent + social contributions (commitments, then uncovered patterns)."""
    total = Decimal(0)
    for c in commitments:
        if c.category in FIXED_CATEGORIES:
            total += abs(Decimal(c.amount)) / max(c.every_months or 1, 1)
    for p in patterns:
        if p.category in FIXED_CATEGORIES and not p.covered_by:
            total += p.amount / p.every_months
    return q2(total)


def _forecast_days(
    opening: Decimal, flows: list[Flow], as_of: date, days: int, threshold: Decimal
) -> list[ForecastDay]:
    """The horizon's days: each one's inflows, outflows, end-of-day balance and status."""
    by_day_in: dict[date, Decimal] = defaultdict(Decimal)
    by_day_out: dict[date, Decimal] = defaultdict(Decimal)
    for f in flows:
        (by_day_in if f.amount > 0 else by_day_out)[f.date] += f.amount
    balance = opening
    out_days = []
    for i in range(1, days + 1):
        d = as_of + timedelta(days=i)
        inflow, outflow = q2(by_day_in[d]), q2(-by_day_out[d])
        balance = balance + inflow - outflow
        out_days.append(
            ForecastDay(
                date=d,
                inflows=inflow,
                outflows=outflow,
                balance=balance,
                status=status_of(balance, threshold),
            )
        )
    return out_days


BAND_DRAWS = 200
BAND_SEED = 20260101
MIN_OWN_HISTORY = 3


def _low_median(vals: list[int]) -> int:
    s = sorted(vals)
    return s[(len(s) - 1) // 2]


def delay_offsets(
    delays: Sequence[tuple[str, int, int]], min_own: int = MIN_OWN_HISTORY
) -> tuple[dict[str, list[int]], list[int]]:
    """(client -> offsets, company-wide offsets): each paid invoice's days late minus the
    median of its set, from the client's own paid invoices when it has ``min_own`` or more,
    else (the fallback list) from the whole company's."""
    by_client: dict[str, list[int]] = defaultdict(list)
    for cid, late, _ in delays:
        by_client[cid].append(int(late))
    every = [v for vals in by_client.values() for v in vals]
    company = [v - _low_median(every) for v in every] if every else [0]
    own = {
        cid: [v - _low_median(vals) for v in vals]
        for cid, vals in by_client.items()
        if len(vals) >= min_own
    }
    return own, company


def draw_bands(
    opening: Decimal,
    flows: Sequence[Flow],
    clients: dict[str, str],
    offsets: dict[str, list[int]],
    fallback: list[int],
    as_of: date,
    days: int,
    cal: WorkingCalendar,
    threshold: Decimal,
    *,
    draws: int = BAND_DRAWS,
    seed: int = BAND_SEED,
) -> tuple[list[tuple[Decimal, Decimal]], int]:
    """([(p10, p90)] per day, per cent of draws whose lowest balance goes under ``threshold``).

    A seeded Monte-Carlo: in each draw every invoice inflow (``clients``: invoice number ->
    client) moves by a delay offset drawn from its client's paid history (``offsets``, else
    ``fallback``), to a working day; one moved past the horizon is not received. The other
    flows stay on their day. Amounts in centimes, so the bands are exact Decimals."""
    rng = random.Random(seed)
    end = as_of + timedelta(days=days)
    fixed: dict[date, int] = defaultdict(int)
    moving: list[tuple[date, int, list[int]]] = []
    for f in flows:
        c = int(q2(f.amount) * 100)
        cid = clients.get(f.source) if f.kind == "invoice" else None
        if cid is None:
            fixed[f.date] += c
        else:
            moving.append((f.date, c, offsets.get(cid, fallback)))
    start = int(q2(opening) * 100)
    thr = int(q2(threshold) * 100)
    paths: list[list[int]] = []
    below = 0
    for _ in range(draws):
        by_day = dict(fixed)
        for d, c, offs in moving:
            off = rng.choice(offs)
            if off:
                d = cal.next_working_day(max(d + timedelta(days=off), as_of + timedelta(days=1)))
                if d > end:
                    continue
            by_day[d] = by_day.get(d, 0) + c
        bal, path = start, []
        for i in range(1, days + 1):
            bal += by_day.get(as_of + timedelta(days=i), 0)
            path.append(bal)
        below += min(path) < thr
        paths.append(path)
    bands = []
    lo_k, hi_k = (draws - 1) // 10, (draws - 1) - (draws - 1) // 10
    for i in range(days):
        col = sorted(p[i] for p in paths)
        bands.append((Decimal(col[lo_k]) / 100, Decimal(col[hi_k]) / 100))
    return bands, round(100 * below / draws)


def _bands(
    session: Session,
    opening: Decimal,
    as_of: date,
    days: int,
    cal: WorkingCalendar,
    flows: list[Flow],
    out_days: list[ForecastDay],
    threshold: Decimal,
    cache: EngineCache | None,
) -> int:
    """Set each day's p10/p90 (around its balance, the p50) and return prob_below_threshold."""
    cache = EngineCache() if cache is None else cache
    clients = {o.number: o.client_id for o in open_invoices(session, as_of, cache=cache)}
    own, company = delay_offsets(settled_delays(session, as_of, cache=cache))
    bands, prob = draw_bands(opening, flows, clients, own, company, as_of, days, cal, threshold)
    for d, (p10, p90) in zip(out_days, bands, strict=True):
        d.p10, d.p90 = q2(min(p10, d.balance)), q2(max(p90, d.balance))
    return prob


def forecast(
    session: Session,
    as_of: date,
    days: int = 30,
    *,
    explain: bool = False,
    cal: WorkingCalendar | None = None,
    scheduled_expenses: bool = True,
    cache: EngineCache | None = None,
    adjust: Callable[[list[Flow]], list[Flow]] | None = None,
) -> Forecast:
    """The cash forecast from the end of ``as_of`` over ``days`` days (see the module doc).

    ``cache``: an :class:`EngineCache` shared with ``aging_report``/``riskiest`` calls made
    on the same session, so that the open invoices and the profiles are computed once.
    ``adjust``: a what-if (:mod:`khazna.tools.scenarios`) that changes the projected flows
    before the days are counted.
    """
    cal = cal or WorkingCalendar.load()
    opening, n_lines = cash_position(session, as_of)
    notes = []
    if n_lines == 0:
        notes.append("no bank lines up to the as-of date: working from the opening balance")
    flows, left_out, ctx = projected_flows(
        session,
        as_of,
        days,
        cal,
        scheduled_expenses=scheduled_expenses,
        keep_left_out=explain,
        cache=cache,
    )
    if adjust is not None:
        flows = sorted(adjust(flows), key=lambda f: (f.date, f.kind, f.source))
    threshold = _policy_threshold(session)
    source = "policy treasury.safety_threshold"
    if threshold is None:
        threshold = fixed_monthly_outflows(ctx["commitments"], ctx["patterns"])
        source = "one month of fixed outflows (salaries + rent + social contributions)"
    out_days = _forecast_days(opening, flows, as_of, days, threshold)
    prob = _bands(session, opening, as_of, days, cal, flows, out_days, threshold, cache)
    low = min(out_days, key=lambda x: (x.balance, x.date))
    worst = max(out_days, key=lambda x: STATUS_RANK[x.status]).status
    return Forecast(
        as_of=as_of,
        horizon_days=days,
        opening_balance=opening,
        threshold=threshold,
        threshold_source=source,
        status=worst,
        min_balance=low.balance,
        min_balance_date=low.date,
        excess_cash=max(Decimal(0), low.balance - threshold),
        days=out_days,
        notes=notes,
        prob_below_threshold=prob,
        flows=flows if explain else None,
        left_out=left_out if explain else None,
    )
