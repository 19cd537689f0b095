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
  The dates of the invoices not paid in batches move by :func:`season_shift`: how much
  later than their habit the clients paid in the same weeks of past years.
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
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from khazna.calendar_dz import WorkingCalendar
from khazna.ledger.models import (
    Allocation,
    BankLine,
    Commitment,
    Company,
    Expense,
    Invoice,
    Payment,
    Setting,
)
from khazna.money import format_dzd, q2
from khazna.tools.categorize import categorize_lines
from khazna.tools.forecast_background import (
    FOLLOW_DAYS,
    SEASON_WINDOW_DAYS,
    Seasons,
    follows_receipts,
    learn_everyday,
    past_levels,
    project,
    project_following,
    unmatched_credits,
)
from khazna.tools.forecast_draws import (
    BAND_DRAWS,
    BAND_SEED,
    BAND_WIDEN,
    YEARS_BACK,
    Spread,
    batch_day,
    batch_odds,
    batch_share,
    batch_shares,
    delay_offsets,
    gap_offsets,
    simulate,
    year_batch,
    year_offsets,
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
    settled_invoice_dates,
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
STALE_AFTER_DAYS = 14  # a statement stopping longer before as_of: books not brought up to date
# the same weeks of past years: how much later than its habit each client paid then
SEASON_MIN_INVOICES = 8  # settled invoices expected in those weeks, of
SEASON_MIN_CLIENTS = 2  # at least that many clients, for the weeks to tell
SEASON_MIN_SHIFT = 5  # days: a smaller median is noise, the dates stay
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
        None, description="Balance 9 draws in 10 stay above (see khazna.tools.forecast_draws)."
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
    prob_below_threshold: Decimal | None = Field(
        None,
        description="Share (0-1) of the draws (payment delays and odds, recurring amounts, "
        "everyday levels) whose lowest balance over the horizon goes under the threshold.",
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
        raise ForecastError("le grand livre n'a pas de société : importez d'abord un lot")
    if as_of < company.opening_date:
        raise ForecastError(
            f"le {as_of:%d/%m/%Y} est avant le début des comptes (opening_date "
            f"{company.opening_date:%d/%m/%Y})"
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
    late: dict[str, list[int]] = {}
    flows, left_out = _invoice_flows(
        session, h, days, keep_left_out=keep_left_out, cache=cache, late=late
    )
    commitments = (
        session.execute(select(Commitment).order_by(Commitment.commitment_id)).scalars().all()
    )
    known = books_end(session, as_of)  # stale books: learn from the last weeks they show
    patterns = learn_patterns(session, known)
    by_books = _books_categories(session, patterns, known) if commitments else {}
    match_commitments(patterns, commitments, by_books)
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
    everyday, scales = _background(
        session,
        as_of,
        h.end,
        cal,
        patterns,
        commitments,
        [f for f in flows if f.amount > 0],
        known=known,
    )
    flows += everyday
    flows.sort(key=lambda f: (f.date, f.kind, f.source))
    ctx = {
        "patterns": patterns,
        "commitments": commitments,
        "scales": scales,
        "late": late,
        "known": known,
    }
    return flows, left_out, ctx


def _invoice_flows(
    session: Session,
    h: _Horizon,
    days: int,
    *,
    keep_left_out: bool,
    cache: EngineCache,
    late: dict[str, list[int]] | None = None,
) -> tuple[list[Flow], list[Flow]]:
    """Inflows: each open invoice at the date its client's history predicts, a batch payer's
    invoices together on its batch dates. (flows in the horizon, flows left out); ``late``
    receives, per invoice dated by its life table, the days its date may move by (the days
    late of the invoices as late paid within the horizon, less the median one)."""
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
            if late is not None and r is not None and r.days_late is not None and r.seen:
                late[o.number] = [d - r.days_late for d in r.seen]
    shift = season_shift(session, h.as_of, days, set(batches))
    if shift:
        flows, later = _shifted(flows, shift, h)
        if keep_left_out:
            left_out += later
    paid_on = batch_payment_days(session, sorted(batches), h.as_of, days)
    past = past_batches(session, paid_on, h.as_of)
    for cid, group in batches.items():
        lag = _past_batch_lag(session, cid, paid_on.get(cid, []), h.as_of, days)
        for f in _batch_flows(
            group, profiles[cid], paid_on.get(cid, []), h.as_of, days, lag, past.get(cid, [])
        ):
            if f.date > h.end:
                left_out.append(f)
            elif (placed := h.place(f)) is not None:
                flows.append(placed)
    return flows, left_out


def season_shift(session: Session, as_of: date, days: int, batchers: set[str]) -> int:
    """Days the invoices expected over the horizon may come later (or earlier, negative) than
    their clients' habits say, from the same weeks of the past years: the median, over the
    settled invoices (not a batch payer's) whose expected day (due date + their client's
    median days late) fell in those weeks, of their days late less that median (a slow August,
    the weeks of an Aïd). 0 when fewer than ``SEASON_MIN_INVOICES`` invoices of
    ``SEASON_MIN_CLIENTS`` clients tell, or the median is under ``SEASON_MIN_SHIFT`` days."""
    since = as_of - timedelta(days=YEARS_BACK * YEAR_DAYS + days)
    rows = [r for r in settled_invoice_dates(session, as_of, since) if r[0] not in batchers]
    by_client: dict[str, list[int]] = defaultdict(list)
    for cid, _, late in rows:
        by_client[cid].append(late)
    med = {cid: sorted(v)[(len(v) - 1) // 2] for cid, v in by_client.items()}
    excess, clients = [], set()
    for cid, due, late in rows:
        expected = due + timedelta(days=med[cid])
        for k in range(1, YEARS_BACK + 1):
            lo = as_of - timedelta(days=k * YEAR_DAYS)
            if lo < expected <= lo + timedelta(days=days):
                excess.append(late - med[cid])
                clients.add(cid)
    if len(excess) < SEASON_MIN_INVOICES or len(clients) < SEASON_MIN_CLIENTS:
        return 0
    mid = sorted(excess)[(len(excess) - 1) // 2]
    return mid if abs(mid) >= SEASON_MIN_SHIFT else 0


def _shifted(flows: list[Flow], shift: int, h: _Horizon) -> tuple[list[Flow], list[Flow]]:
    """(flows moved by ``shift`` days and still in the horizon, those moved past it)."""
    kept, later = [], []
    note = (
        f" ; les mêmes semaines des années passées, les clients ont payé {shift:+d} j "
        "par rapport à leur habitude"
    )
    for f in flows:
        moved = f.model_copy(
            update={"date": f.date + timedelta(days=shift), "detail": f.detail + note}
        )
        placed = h.place(moved, may_be_past=True)
        if placed is None:
            later.append(moved)
        else:
            kept.append(placed)
    return kept, later


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
            detail += (
                f" ; remplace la récurrence du relevé {twin.describe()} : "
                "montant = sa médiane récente"
            )
        early = twin is not None and _pays_early(twin, h.cal)
        paid = None if twin is None else _paid_occurrence(c, anchor, twin.last_date)
        for raw in _occurrences(c.day_of_month, c.every_months, anchor, h.lo, h.end):
            if (c.start and raw < c.start) or (c.end and raw > c.end) or raw == paid:
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


def _books_categories(session: Session, patterns: list[Pattern], known: date) -> dict[str, str]:
    """Per learned pattern whose wording names no category (« VIR EMIS SCI »), the category
    the books give most of its bank lines (:func:`khazna.tools.categorize.categorize_lines`:
    the expense or commitment each line settles, the payee learned...): the rent paid to the
    landlord's company, the salaries sent as one transfer. One categorisation of the debits
    since the oldest such line."""
    vague = [p for p in patterns if p.category == "autre" and p.evidence_lines]
    if not vague:
        return {}
    lo = min(d for p in vague for d, _ in p.evidence_lines)
    cat = categorize_lines(session, lo, known, debits_only=True)
    of_line = dict(zip(cat.line_id, cat.category.tolist(), strict=True))
    out: dict[str, str] = {}
    for p in vague:
        votes = Counter(c for lid in p.evidence if (c := of_line.get(lid)) and c != "autre")
        if votes:
            top, n = votes.most_common(1)[0]
            if n * 2 > len(p.evidence):  # most of its lines, not one stray match
                out[p.key] = top
    return out


def _paid_occurrence(c: Commitment, anchor: date, last_paid: date) -> date | None:
    """The occurrence of ``c`` its twin's last bank line paid: the one nearest to it (salaries
    advanced before an Aïd pay the occurrence of the 25th a week early: it is not due again)."""
    lo, hi = last_paid - timedelta(days=400), last_paid + timedelta(days=400)
    near = _occurrences(c.day_of_month, c.every_months, anchor, lo, hi)
    return min(near, key=lambda d: abs((d - last_paid).days)) if near else None


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
                        "detail": f"{f.detail} ; déjà prévu par l'échéance {pat.covered_by}, "
                        "compté une fois",
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
            else f"déjà prévu par l'échéance {twin_flow.source}, compté une fois",
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


def batch_payment_days(
    session: Session, clients: Sequence[str], as_of: date, days: int
) -> dict[str, list[date]]:
    """The days each of ``clients`` paid over the last two years and a horizon, up to as_of."""
    out: dict[str, list[date]] = defaultdict(list)
    if not clients:
        return out
    for cid, d in session.execute(
        select(Payment.client_id, Payment.date).where(
            Payment.client_id.in_(list(clients)),
            Payment.date <= as_of,
            Payment.date > as_of - timedelta(days=YEAR_DAYS * 2 + days),
            Payment.status != "rejected",
        )
    ):
        out[cid].append(d)
    return out


def past_batches(
    session: Session, paid_on: dict[str, list[date]], as_of: date
) -> dict[str, list[tuple[date, int, int, int]]]:
    """Per batch payer, what each of its past batches found open and settled: one row
    (batch day, days past due that day, centimes open the day before, centimes that batch
    settled) per invoice issued before the batch and not settled before it, for the batch
    days of ``paid_on`` (:func:`batch_payment_days`). One query for the invoices and one for
    the allocations of every client at once (credit notes are not subtracted: a share, not
    a balance)."""
    out: dict[str, list[tuple[date, int, int, int]]] = defaultdict(list)
    clients = sorted(c for c, days in paid_on.items() if days)
    if not clients:
        return out
    invoices = session.execute(
        select(Invoice.number, Invoice.client_id, Invoice.issue_date, Invoice.due_date,
               cents(Invoice.total_ttc))
        .where(
            Invoice.client_id.in_(clients),
            Invoice.issue_date <= as_of,
            Invoice.status != "cancelled",
            or_(Invoice.credited_invoice == "", Invoice.credited_invoice.is_(None)),
            Invoice.total_ttc > 0,
        )
    ).all()  # fmt: skip
    paid: dict[str, list[tuple[date, int]]] = defaultdict(list)
    for num, d, c in session.execute(
        select(Allocation.invoice_number, Payment.date, cents(Allocation.amount))
        .join(Payment, Payment.payment_id == Allocation.payment_id)
        .where(
            Payment.client_id.in_(clients),
            Payment.status != "rejected",
            Payment.date <= as_of,
        )
    ):
        paid[num].append((d, int(c)))
    by_client: dict[str, list[tuple[str, date, date, int]]] = defaultdict(list)
    for num, cid, issued, due, total in invoices:
        by_client[cid].append((num, issued, due, int(total)))
    for cid in clients:
        for day in sorted(set(paid_on[cid])):
            for num, issued, due, total in by_client.get(cid, []):
                if issued >= day:
                    continue
                before = sum(c for d, c in paid.get(num, []) if d < day)
                open_c = total - before
                if open_c <= 0:
                    continue
                on_day = sum(c for d, c in paid.get(num, []) if d == day)
                out[cid].append((day, (day - due).days, open_c, on_day))
    return out


def _past_batch_lag(
    session: Session, client_id: str, paid_on: list[date], as_of: date, days: int
) -> int | None:
    """When a batch payer paid in the same weeks of a past year (its budget calendar, as
    :func:`khazna.tools.forecast_draws.batch_day` dates the next batch), the days late of the
    youngest invoice that batch settled (negative: paid before its due date): the batch of
    the same weeks pays what is at least as old. None otherwise."""
    year = year_batch(sorted({d for d in paid_on if d <= as_of}), as_of, days)
    if year is None:
        return None
    past = year[:1]
    dues = session.execute(
        select(Invoice.due_date)
        .join(Allocation, Allocation.invoice_number == Invoice.number)
        .join(Payment, Payment.payment_id == Allocation.payment_id)
        .where(Payment.client_id == client_id, Payment.date == past[0])
    ).scalars()
    lates = [(past[0] - d).days for d in dues]
    return min(lates) if lates else None


def _clearing_year(
    session: Session, client_id: str, paid_on: list[date], as_of: date, days: int
) -> bool:
    """True when the next batch is dated by the same weeks of a past year whose batch settled
    invoices not yet due (it cleared the books: a budget year's close), a date as sure as the
    client's calendar; a batch that settled only its oldest invoices is not."""
    lag = _past_batch_lag(session, client_id, paid_on, as_of, days)
    return lag is not None and lag < 0


def _batch_flows(
    items,
    p,
    paid_on: list[date],
    as_of: date,
    days: int,
    past_lag: int | None = None,
    past: Sequence[tuple[date, int, int, int]] = (),
) -> list[Flow]:
    """A batch payer's next batch within the horizon, if any (see
    :func:`khazna.tools.forecast_draws.batch_day`): each open invoice for the share of it the
    client's past batches settled of invoices as late on their day
    (:func:`khazna.tools.forecast_draws.batch_shares`, those of the same weeks of past years
    when they date it), shrunk toward the older rule — all of those due at least its fastest
    usual delay (5th percentile of days late) before that day, or, when the same weeks of a
    past year dated it, as late as the youngest invoice that batch paid (``past_lag``) —;
    weighted by the chance the client pays at all within the horizon
    (:func:`khazna.tools.forecast_draws.batch_odds`)."""
    day, why = batch_day(paid_on, as_of, days, calendar=bool(p.annual_dates))
    if day is None:
        return []
    odds = batch_odds(paid_on, as_of, days)
    usual = round(p.min_days_late or 0)
    lag = timedelta(days=usual if past_lag is None else min(usual, past_lag))
    shares = batch_shares(past, day, past_lag is not None)
    out = []
    for o in sorted(items, key=lambda o: o.due_date):
        rule = 1.0 if o.due_date + lag <= day else 0.0
        share = batch_share(shares, (day - o.due_date).days, rule)
        if share <= 0:
            continue
        pct = Decimal(str(round(odds * share, 4)))
        out.append(
            Flow(
                date=day,
                amount=q2(o.open_amount * pct),
                kind="invoice",
                source=o.number,
                detail=f"{o.client_id} paie par lots ({why}) ; {odds * 100:.0f} % de chances "
                f"qu'il paie sous {days} j ; ses lots passés ont réglé {share * 100:.0f} % des "
                f"factures aussi en retard ; échéance {o.due_date:%d/%m/%Y}",
            )
        )
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
    session: Session,
    as_of: date,
    end: date,
    cal: WorkingCalendar,
    patterns,
    commitments,
    inflows: Sequence[Flow] = (),
    *,
    known: date | None = None,
) -> tuple[list[Flow], dict[str, list[float]]]:
    """The everyday flows no invoice, pattern or commitment explains, per working day, with
    the seasons and days off learned from the books (:mod:`khazna.tools.forecast_background`):
    takings (kind ``takings``) and spending (kind ``background``), the spending scaled by the
    receipts of the 4 weeks before each day when the books show it follows them
    (:func:`khazna.tools.forecast_background.follows_receipts`; the receipts after ``as_of``
    are ``inflows`` and the takings projected); and, per kind, the spread of its level
    (:func:`khazna.tools.forecast_background.past_levels`).
    ``known``: the last day the books show (:func:`books_end`); when it is before ``as_of``
    the streams are learned up to it and projected from ``as_of`` on, not scaled by the
    receipts (none is known between the two days).
    """
    seasons = Seasons.of(cal)
    learn_to = as_of if known is None else min(known, as_of)
    streams = [
        ("takings", "recettes courantes", 1, _unexplained_credits(session, learn_to)),
        ("background", "dépenses courantes", -1,
         _unexplained_debits(session, learn_to, patterns, commitments)),
    ]  # fmt: skip
    out: list[Flow] = []
    scales: dict[str, list[float]] = {}
    for kind, source, sign, by_day in streams:
        model = learn_everyday(by_day, learn_to, cal, seasons)
        if model is None:
            continue
        scales[kind] = past_levels(model, by_day, learn_to, (end - as_of).days, cal, seasons)
        what = (
            "les débits qu'aucune récurrence ni échéance n'explique"
            if sign < 0
            else "les crédits qu'aucun paiement enregistré n'explique"
        )
        detail = f"{what}, {model.describe()}"
        days = project(model, as_of, end, cal, seasons)
        if sign < 0 and learn_to == as_of:
            receipts = _credits_by_day(session, as_of)
            trail = follows_receipts(model, by_day, receipts, as_of, cal, seasons)
            if trail is not None:
                for f in [*inflows, *out]:
                    if f.amount > 0 and f.date > as_of:
                        receipts[f.date] = receipts.get(f.date, 0) + int(q2(f.amount) * 100)
                days = project_following(model, trail, receipts, as_of, end, cal, seasons)
                detail += f" ; suit les encaissements de J-{trail.lag[1]} à J-{trail.lag[0]}"
        for d, c in days:
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
    return out, scales


def books_end(session: Session, as_of: date) -> date:
    """The day the books stop: ``as_of``, or the last bank line's day when the statement
    stops more than :data:`STALE_AFTER_DAYS` before it (the books not brought up to date: the
    patterns and the everyday streams are learned from the weeks they show, not read as an
    end of spending). ``as_of`` when there is no bank line at all."""
    last = session.execute(
        select(func.max(BankLine.date)).where(BankLine.date <= as_of)
    ).scalar_one_or_none()
    if last is None or (as_of - last).days <= STALE_AFTER_DAYS:
        return as_of
    return last


def _credits_by_day(session: Session, as_of: date) -> dict[date, int]:
    """Every bank credit (centimes) by day over the season window and 4 weeks before it."""
    start = as_of - timedelta(days=SEASON_WINDOW_DAYS + FOLLOW_DAYS)
    day = covered(session, BankLine.date, BANK_DATE_INDEX)
    return {
        d: int(c)
        for d, c in session.execute(
            select(day, func.sum(cents(BankLine.amount)))
            .where(day > start, day <= as_of, BankLine.amount > 0)
            .group_by(day)
        )
    }


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
    """([(p10, p90)] per day, per cent of draws under ``threshold``) when only the invoice
    inflows' dates move (``clients``: invoice number -> client; its offsets, else
    ``fallback``): :func:`khazna.tools.forecast_draws.simulate` with those spreads alone."""
    spreads = {
        i: Spread(group=f"invoice:{f.source}", offsets=offsets.get(clients[f.source], fallback))
        for i, f in enumerate(flows)
        if f.kind == "invoice" and f.source in clients
    }
    out = simulate(opening, flows, spreads, as_of, days, cal, threshold, draws=draws, seed=seed)
    return [(lo, hi) for lo, _, hi in out.bands], round(100 * out.prob_below)


def _pattern_scales(pat: Pattern) -> list[float]:
    """A recurring outflow's past amounts over their median (its spread)."""
    amounts = sorted(c for _, c in pat.evidence_lines if c > 0)
    if len(amounts) < 2:
        return [1.0]
    mid = amounts[(len(amounts) - 1) // 2]
    return [c / mid for c in amounts]


def flow_spreads(
    session: Session,
    as_of: date,
    days: int,
    flows: Sequence[Flow],
    ctx: dict,
    cache: EngineCache | None,
) -> dict[int, Spread]:
    """Each projected flow's spread (see :mod:`khazna.tools.forecast_draws`), by its index."""
    cache = EngineCache() if cache is None else cache
    items = {o.number: o for o in open_invoices(session, as_of, cache=cache)}
    profiles = payment_profiles(session, as_of, cache=cache)
    own, company = delay_offsets(settled_delays(session, as_of, cache=cache))
    batchers = {cid for cid, p in profiles.items() if p.batch_payer and p.batch_interval_days}
    patterns = {p.key: p for p in ctx.get("patterns", [])}
    twins = {p.covered_by: p for p in patterns.values() if p.covered_by}
    scales = ctx.get("scales", {})
    late = ctx.get("late", {})
    paid_on = batch_payment_days(session, sorted(batchers), as_of, days)
    gap_offs = {  # by its calendar when a past year's same weeks cleared its books, else its gaps
        cid: (year_offsets(paid) if _clearing_year(session, cid, paid, as_of, days) else None)
        or gap_offsets(paid)
        for cid, paid in paid_on.items()
    }
    odds_of = {cid: batch_odds(paid, as_of, days) for cid, paid in paid_on.items()}
    out: dict[int, Spread] = {}
    for i, f in enumerate(flows):
        if f.kind == "invoice" and (o := items.get(f.source)) is not None:
            offs = own.get(o.client_id, company)
            whole = o.open_amount if o.open_amount > 0 else f.amount
            if o.client_id in odds_of and odds_of[o.client_id] > 0:
                # a batch settles a share of each invoice (its flow is share x odds): the
                # draw has the batch or not, at its odds, for that share
                whole = min(whole, q2(f.amount / Decimal(str(round(odds_of[o.client_id], 4)))))
            prob = min(max(float(f.amount / whole), 0.0), 1.0) if whole else 1.0
            group = (  # a batch comes whole or not at all
                f"batch:{o.client_id}:{f.date}"
                if o.client_id in batchers
                else f"invoice:{o.number}"
            )
            if o.number in late:  # dated by its life table: its spread given it is paid
                offs = late[o.number]
            if o.client_id in batchers:  # a batch moves as its gaps do
                offs = gap_offs.get(o.client_id) or offs
            out[i] = Spread(
                group=group,
                prob=prob,
                offsets=offs,
                amount=whole if prob < 1 else None,
                within=prob < 1,
            )
        elif f.kind in ("learned", "commitment"):
            pat = patterns.get(f.source) if f.kind == "learned" else twins.get(f.source)
            if pat is not None:
                out[i] = Spread(group=f"{f.kind}:{f.source}:{f.date}", scales=_pattern_scales(pat))
        elif f.kind in scales and len(scales[f.kind]) > 1:
            out[i] = Spread(group=f.kind, scales=scales[f.kind])
    return out


def _bands(
    session: Session,
    opening: Decimal,
    as_of: date,
    days: int,
    cal: WorkingCalendar,
    flows: list[Flow],
    ctx: dict,
    out_days: list[ForecastDay],
    threshold: Decimal,
    cache: EngineCache | None,
) -> Decimal:
    """Set each day's p10 / balance (the P50) / p90 and status from the draws; return
    prob_below_threshold (0-1).

    The band and the probability come from the full draws. The balance is the median of the
    same draws with each open invoice not paid in a batch kept on its expected day (whether it
    comes, and how much, still drawn): on the demo books, the median of draws whose receipt days also moved
    lagged what the bank then showed (skill 0.28 -> 0.24 vs flat), while it did not on the
    generated companies, so the days' spread widens the band and leaves the median alone.
    The band's half-widths are then scaled by ``BAND_WIDEN`` (its calibration, see there)."""
    spreads = flow_spreads(session, as_of, days, flows, ctx, cache)
    draws = simulate(opening, flows, spreads, as_of, days, cal, threshold)
    on_day = {
        i: replace(sp, offsets=(0,)) if sp.group.startswith("invoice:") else sp
        for i, sp in spreads.items()
    }
    mid = simulate(opening, flows, on_day, as_of, days, cal, threshold).bands
    for d, (p10, _, p90), (_, p50, _) in zip(out_days, draws.bands, mid, strict=True):
        d.balance = q2(p50)
        d.status = status_of(d.balance, threshold)
        lo, hi = max(d.balance - p10, Decimal(0)), max(p90 - d.balance, Decimal(0))
        d.p10, d.p90 = q2(d.balance - BAND_WIDEN * lo), q2(d.balance + BAND_WIDEN * hi)
    return draws.prob_below


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
    cache = EngineCache() if cache is None else cache  # the flows and the bands share it
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
    if ctx["known"] < as_of:
        notes.append(
            f"les relevés s'arrêtent le {ctx['known']:%d/%m/%Y}, "
            f"{(as_of - ctx['known']).days} j avant le {as_of:%d/%m/%Y} : la prévision part du "
            "dernier solde connu ; dépenses et recettes courantes et sorties récurrentes "
            "projetées d'après les dernières semaines connues"
        )
    if adjust is not None:
        flows = sorted(adjust(flows), key=lambda f: (f.date, f.kind, f.source))
    threshold = _policy_threshold(session)
    source = "policy treasury.safety_threshold"
    if threshold is None:
        threshold = fixed_monthly_outflows(ctx["commitments"], ctx["patterns"])
        source = "one month of fixed outflows (salaries + rent + social contributions)"
    out_days = _forecast_days(opening, flows, as_of, days, threshold)
    prob = _bands(session, opening, as_of, days, cal, flows, ctx, out_days, threshold, cache)
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
