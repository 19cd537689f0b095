"""How each client pays, and how risky each open invoice is.

A client's profile rests on the invoices it fully settled over the 12 months before the
as-of date: days late = date of the last payment allocated to the invoice − due date
(negative when early). Its *typical delay*, used to predict when an open invoice will be
paid, is the median of those days shrunk toward the median of clients of the same kind
(``grand_compte``, ``pme``, ``administration``, ``particulier``) when history is thin:
``typical = (n × own_median + K × kind_median) / (n + K)`` with K = 3.

The risk score of an open invoice is a weighted sum of factors in [0, 1]; the factors and
their weights are returned with the score, so that a person can see why.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from khazna.ledger.models import Client, Interaction
from khazna.tools.receivables import (
    EngineCache,
    OpenInvoice,
    batch_share,
    cached,
    open_invoices,
    payment_dates,
    rejected_payments,
    settled_invoice_delays,
)

SHRINK_K = 3
PROFILE_WINDOW_DAYS = 365
BATCH_PAYER_SHARE = 0.5

# weight of each risk factor; they sum to 1 so the score stays in [0, 1]
RISK_WEIGHTS = {
    "days_late": 0.35,
    "client_delay": 0.20,
    "client_late_share": 0.10,
    "returned_cheques": 0.15,
    "amount": 0.10,
    "dispute": 0.10,
}


class PaymentProfile(BaseModel):
    """How a client paid over the last 12 months."""

    client_id: str
    kind: str = Field(
        "", description="Client kind (grand_compte, pme, administration, particulier)."
    )
    paid_invoices: int = Field(0, description="Invoices fully settled in the last 12 months.")
    median_days_late: float | None = Field(None, description="Median days late (negative = early).")
    iqr_days: float | None = Field(None, description="Interquartile range of days late (spread).")
    share_late: float | None = Field(
        None, description="Share of settled invoices paid after the due date."
    )
    returned_cheques: int = Field(
        0, description="Rejected payments (returned cheques) in 12 months."
    )
    batch_payer: bool = Field(False, description="Usually pays several invoices in one payment.")
    typical_delay_days: int = Field(0, description="Days after the due date a payment is expected.")
    min_days_late: float | None = Field(
        None, description="5th percentile of days late (fastest usual payment)."
    )
    batch_interval_days: int | None = Field(
        None, description="Batch payers: median days between payments."
    )
    last_payment: date | None = Field(None, description="Batch payers: date of the last payment.")
    annual_dates: list[date] = Field(
        default_factory=list,
        description="Batch payers whose payments follow the calendar year (an administration's "
        "budget cycle): their payment dates of the last two years, else empty.",
    )
    basis: str = Field("", description="What the typical delay rests on.")


class RiskInput(BaseModel):
    """Ask for the riskiest open invoices."""

    as_of: date = Field(description="Day to look from.")
    n: int = Field(10, ge=1, le=500, description="How many invoices to return.")


class RiskFactor(BaseModel):
    name: str = Field(description="Factor name (days_late, client_delay, ...).")
    value: float = Field(description="Factor value in [0, 1].")
    weight: float = Field(description="Weight of the factor in the score.")
    detail: str = Field(description="The fact behind the value, in words.")


class InvoiceRisk(BaseModel):
    number: str
    client_id: str
    open_amount: Decimal
    due_date: date
    days_past_due: int
    score: float = Field(description="Risk in [0, 1]: sum of value × weight of the factors.")
    factors: list[RiskFactor]


def _delay_stats(delays: dict[str, list[int]]) -> dict[str, tuple[float, float, float, float]]:
    """Per client: (median, IQR, share paid late, 5th percentile) of its days late.

    Clients with the same number of settled invoices are stacked into one matrix and
    ``np.percentile`` runs along its rows: the same arithmetic as one call per client
    (hence the same floats), in a few dozen calls instead of thousands.
    """
    by_n: dict[int, list[str]] = defaultdict(list)
    for cid, vals in delays.items():
        by_n[len(vals)].append(cid)
    out = {}
    for cids in by_n.values():
        arr = np.asarray([delays[c] for c in cids], dtype=float)
        q1, med, q3 = np.percentile(arr, [25, 50, 75], axis=1)
        iqr = q3 - q1
        p5 = np.percentile(arr, 5, axis=1)
        late = (arr > 0).mean(axis=1)
        for i, cid in enumerate(cids):
            out[cid] = (float(med[i]), float(iqr[i]), float(late[i]), float(p5[i]))
    return out


def payment_profiles(
    session: Session, as_of: date, *, cache: EngineCache | None = None
) -> dict[str, PaymentProfile]:
    """Profiles of every client on ``as_of`` (clients without history get their kind's).

    With a ``cache``, the dict is shared by the callers: treat it as read-only.
    """
    return cached(cache, ("profiles", as_of), lambda: _payment_profiles(session, as_of, cache))


def settled_delays(
    session: Session, as_of: date, *, cache: EngineCache | None = None
) -> list[tuple[str, int, int]]:
    """:func:`settled_invoice_delays` over the profile window (12 months), kept in ``cache``."""
    since = as_of - timedelta(days=PROFILE_WINDOW_DAYS)
    return cached(
        cache, ("settled_delays", as_of), lambda: settled_invoice_delays(session, as_of, since)
    )


def _payment_profiles(
    session: Session, as_of: date, cache: EngineCache | None = None
) -> dict[str, PaymentProfile]:
    since = as_of - timedelta(days=PROFILE_WINDOW_DAYS)
    kinds: dict[str, str] = {
        cid: kind for cid, kind in session.execute(select(Client.client_id, Client.kind))
    }
    delays: dict[str, list[int]] = defaultdict(list)
    for cid, late, _ in settled_delays(session, as_of, cache=cache):
        delays[cid].append(late)
    by_kind: dict[str, list[int]] = defaultdict(list)
    for cid, vals in delays.items():
        by_kind[kinds.get(cid, "")].extend(vals)
    all_vals = [v for vals in delays.values() for v in vals]
    global_med = float(np.median(all_vals)) if all_vals else 0.0
    kind_med = {k: float(np.median(v)) for k, v in by_kind.items() if v}
    returned = rejected_payments(session, as_of, since)
    batches = batch_share(session, as_of, since)
    stats = _delay_stats(delays)

    out: dict[str, PaymentProfile] = {}
    make = PaymentProfile
    for cid, kind in kinds.items():
        prior = kind_med.get(kind, global_med)
        n = len(delays.get(cid, ()))
        common = {
            "client_id": cid,
            "kind": kind,
            "returned_cheques": returned.get(cid, 0),
            "batch_payer": batches.get(cid, 0.0) >= BATCH_PAYER_SHARE,
        }
        if n:
            med, iqr, late_share, p5 = stats[cid]
            out[cid] = make(
                **common,
                paid_invoices=n,
                median_days_late=med,
                iqr_days=iqr,
                share_late=round(late_share, 3),
                min_days_late=p5,
                typical_delay_days=round((n * med + SHRINK_K * prior) / (n + SHRINK_K)),
                basis=f"{n} settled invoices, median {med:g} d, shrunk toward {kind or 'all'} median {prior:g} d",
            )
        else:
            out[cid] = make(
                **common,
                typical_delay_days=round(prior),
                basis=f"no settled invoice in 12 months: {kind or 'all'} median {prior:g} d",
            )
    batch_ids = [cid for cid, p in out.items() if p.batch_payer]
    for cid, dates in payment_dates(session, as_of, since, batch_ids).items():
        out[cid].last_payment = dates[-1]
        if len(dates) >= 2:
            out[cid].batch_interval_days = int(np.median(np.diff([d.toordinal() for d in dates])))
    two_years = as_of - timedelta(days=2 * YEAR_DAYS + ANNUAL_TOLERANCE_DAYS)
    for cid, dates in payment_dates(session, as_of, two_years, batch_ids).items():
        if follows_the_year(dates, as_of):
            out[cid].annual_dates = dates
    return out


YEAR_DAYS = 365
ANNUAL_TOLERANCE_DAYS = 15
ANNUAL_MIN_CHECKS = 3


def follows_the_year(dates: list[date], as_of: date) -> bool:
    """True when a client's payments of the last 12 months were better foretold by its own
    payments a year before than by its usual interval since its previous payment.

    Each payment of the last year is "foretold" by both rules: the interval rule's date
    (previous payment + median interval so far) and the year rule's (the nearest payment a
    year before, + 365 days); the rule with the smaller mean error in days wins, the year
    rule only with at least :data:`ANNUAL_MIN_CHECKS` payments it could check (history must
    reach a year before them).
    """
    if len(dates) < 4:
        return False
    ords = [d.toordinal() for d in dates]
    first = ords[0]
    err_year, err_interval = [], []
    for i, t in enumerate(ords):
        if t <= as_of.toordinal() - YEAR_DAYS or i < 2:
            continue
        step = float(np.median(np.diff(ords[:i])))
        err_interval.append(abs(ords[i - 1] + step - t))
        if t - YEAR_DAYS - ANNUAL_TOLERANCE_DAYS < first:
            continue  # the history does not reach a year before this payment
        back = min(ords[:i], key=lambda o: abs(o + YEAR_DAYS - t))
        err_year.append(abs(back + YEAR_DAYS - t))
    if len(err_year) < ANNUAL_MIN_CHECKS or not err_interval:
        return False
    return float(np.mean(err_year)) < float(np.mean(err_interval))


def _disputes(session: Session, as_of: date) -> tuple[set[str], dict[str, str]]:
    """(clients with a recent dispute, {invoice number named in a dispute: client})."""
    since = as_of - timedelta(days=180)
    rows = session.execute(
        select(Interaction.client_id, Interaction.text)
        .where(Interaction.kind == "dispute", Interaction.date <= as_of, Interaction.date > since)
        .order_by(Interaction.date, Interaction.interaction_id)
    ).all()
    texts: dict[str, str] = defaultdict(str)
    for cid, text in rows:
        texts[cid] += "\n" + (text or "")
    return set(texts), dict(texts)


def _factor_values(o: OpenInvoice, p: PaymentProfile, big: float, dispute: float) -> list[float]:
    """The factors' values, rounded as reported, in the order of :data:`RISK_WEIGHTS`."""
    late = max(o.days_past_due, 0)
    return [
        round(min(late / 90, 1.0), 3),
        round(min(max(p.typical_delay_days, 0) / 60, 1.0), 3),
        round(p.share_late or 0.0, 3),
        round(min(p.returned_cheques / 2, 1.0), 3),
        round(min(float(o.open_amount) / big, 1.0), 3),
        round(dispute, 3),
    ]


def _risk_model(
    o: OpenInvoice, p: PaymentProfile, big: float, on_invoice: bool, values: list[float], score
) -> InvoiceRisk:
    late = max(o.days_past_due, 0)
    dispute = values[5]
    details = [
        f"{late} days past due",
        f"typical delay {p.typical_delay_days} d ({p.basis})",
        f"{(p.share_late or 0) * 100:.0f}% of settled invoices paid late",
        f"{p.returned_cheques} returned cheque(s) in 12 months",
        f"open {o.open_amount} DZD vs 90th percentile {big:.2f}",
        "dispute naming this invoice"
        if on_invoice
        else ("dispute with the client" if dispute else "no dispute"),
    ]
    factors = [
        RiskFactor(name=n, value=v, weight=w, detail=d)
        for (n, w), v, d in zip(RISK_WEIGHTS.items(), values, details, strict=True)
    ]
    return InvoiceRisk(
        number=o.number,
        client_id=o.client_id,
        open_amount=o.open_amount,
        due_date=o.due_date,
        days_past_due=o.days_past_due,
        score=score,
        factors=factors,
    )


def invoice_risks(
    session: Session,
    as_of: date,
    items: list[OpenInvoice] | None = None,
    profiles: dict[str, PaymentProfile] | None = None,
    *,
    top: int | None = None,
    cache: EngineCache | None = None,
) -> list[InvoiceRisk]:
    """A risk score for every open invoice on ``as_of`` (the ``top`` riskiest only, when
    given), riskiest first.

    Scores are computed for all; the explained models are built only for those returned.
    """
    items = open_invoices(session, as_of, cache=cache) if items is None else items
    if not items:
        return []
    profiles = payment_profiles(session, as_of, cache=cache) if profiles is None else profiles
    dispute_clients, dispute_text = _disputes(session, as_of)
    amounts = np.array([float(o.open_amount) for o in items])
    big = float(np.percentile(amounts, 90)) or 1.0
    weights = list(RISK_WEIGHTS.values())
    scored = []
    for i, o in enumerate(items):
        p = profiles.get(o.client_id) or PaymentProfile(client_id=o.client_id)
        on_invoice = o.client_id in dispute_clients and o.number in dispute_text.get(
            o.client_id, ""
        )
        dispute = 1.0 if on_invoice else (0.5 if o.client_id in dispute_clients else 0.0)
        values = _factor_values(o, p, big, dispute)
        score = round(sum(v * w for v, w in zip(values, weights, strict=True)), 3)
        scored.append((-score, -o.open_amount, o.number, i, p, on_invoice, values))
    chosen = sorted(scored) if top is None else heapq.nsmallest(top, scored)
    return [
        _risk_model(items[i], p, big, on_invoice, values, -neg_score)
        for neg_score, _, _, i, p, on_invoice, values in chosen
    ]


def riskiest(
    session: Session, as_of: date, n: int = 10, *, cache: EngineCache | None = None
) -> list[InvoiceRisk]:
    """The ``n`` open invoices most at risk of not being paid on ``as_of``."""
    return invoice_risks(session, as_of, top=n, cache=cache)
