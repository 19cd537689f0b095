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

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from khazna.ledger.models import Client, Interaction
from khazna.tools.receivables import (
    OpenInvoice,
    batch_share,
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


def _median_iqr(values: np.ndarray) -> tuple[float, float]:
    q1, med, q3 = np.percentile(values, [25, 50, 75])
    return float(med), float(q3 - q1)


def payment_profiles(session: Session, as_of: date) -> dict[str, PaymentProfile]:
    """Profiles of every client on ``as_of`` (clients without history get their kind's)."""
    since = as_of - timedelta(days=PROFILE_WINDOW_DAYS)
    kinds = dict(session.execute(select(Client.client_id, Client.kind)).all())
    delays: dict[str, list[int]] = defaultdict(list)
    for cid, late, _ in settled_invoice_delays(session, as_of, since):
        delays[cid].append(late)
    by_kind: dict[str, list[int]] = defaultdict(list)
    for cid, vals in delays.items():
        by_kind[kinds.get(cid, "")].extend(vals)
    all_vals = [v for vals in delays.values() for v in vals]
    global_med = float(np.median(all_vals)) if all_vals else 0.0
    kind_med = {k: float(np.median(v)) for k, v in by_kind.items() if v}
    returned = rejected_payments(session, as_of, since)
    batches = batch_share(session, as_of, since)

    out: dict[str, PaymentProfile] = {}
    for cid, kind in kinds.items():
        prior = kind_med.get(kind, global_med)
        vals = delays.get(cid)
        p = PaymentProfile(
            client_id=cid,
            kind=kind,
            returned_cheques=returned.get(cid, 0),
            batch_payer=batches.get(cid, 0.0) >= BATCH_PAYER_SHARE,
        )
        if vals:
            arr = np.asarray(vals, dtype=float)
            med, iqr = _median_iqr(arr)
            n = len(vals)
            p.paid_invoices = n
            p.median_days_late = med
            p.iqr_days = iqr
            p.share_late = round(float((arr > 0).mean()), 3)
            p.min_days_late = float(np.percentile(arr, 5))
            p.typical_delay_days = round((n * med + SHRINK_K * prior) / (n + SHRINK_K))
            p.basis = f"{n} settled invoices, median {med:g} d, shrunk toward {kind or 'all'} median {prior:g} d"
        else:
            p.typical_delay_days = round(prior)
            p.basis = f"no settled invoice in 12 months: {kind or 'all'} median {prior:g} d"
        out[cid] = p
    batch_ids = [cid for cid, p in out.items() if p.batch_payer]
    for cid, dates in payment_dates(session, as_of, since, batch_ids).items():
        out[cid].last_payment = dates[-1]
        if len(dates) >= 2:
            out[cid].batch_interval_days = int(np.median(np.diff([d.toordinal() for d in dates])))
    return out


def _disputes(session: Session, as_of: date) -> tuple[set[str], dict[str, str]]:
    """(clients with a recent dispute, {invoice number named in a dispute: client})."""
    since = as_of - timedelta(days=180)
    rows = session.execute(
        select(Interaction.client_id, Interaction.text).where(
            Interaction.kind == "dispute", Interaction.date <= as_of, Interaction.date > since
        )
    ).all()
    texts: dict[str, str] = defaultdict(str)
    for cid, text in rows:
        texts[cid] += "\n" + (text or "")
    return set(texts), dict(texts)


def invoice_risks(
    session: Session,
    as_of: date,
    items: list[OpenInvoice] | None = None,
    profiles: dict[str, PaymentProfile] | None = None,
) -> list[InvoiceRisk]:
    """A risk score for every open invoice on ``as_of``, riskiest first."""
    items = open_invoices(session, as_of) if items is None else items
    if not items:
        return []
    profiles = payment_profiles(session, as_of) if profiles is None else profiles
    dispute_clients, dispute_text = _disputes(session, as_of)
    amounts = np.array([float(o.open_amount) for o in items])
    big = float(np.percentile(amounts, 90)) or 1.0
    out = []
    for o in items:
        p = profiles.get(o.client_id) or PaymentProfile(client_id=o.client_id)
        late = max(o.days_past_due, 0)
        on_invoice = o.client_id in dispute_clients and o.number in dispute_text.get(
            o.client_id, ""
        )
        dispute = 1.0 if on_invoice else (0.5 if o.client_id in dispute_clients else 0.0)
        factors = [
            ("days_late", min(late / 90, 1.0), f"{late} days past due"),
            (
                "client_delay",
                min(max(p.typical_delay_days, 0) / 60, 1.0),
                f"typical delay {p.typical_delay_days} d ({p.basis})",
            ),
            (
                "client_late_share",
                p.share_late or 0.0,
                f"{(p.share_late or 0) * 100:.0f}% of settled invoices paid late",
            ),
            (
                "returned_cheques",
                min(p.returned_cheques / 2, 1.0),
                f"{p.returned_cheques} returned cheque(s) in 12 months",
            ),
            (
                "amount",
                min(float(o.open_amount) / big, 1.0),
                f"open {o.open_amount} DZD vs 90th percentile {big:.2f}",
            ),
            (
                "dispute",
                dispute,
                "dispute naming this invoice"
                if on_invoice
                else ("dispute with the client" if dispute else "no dispute"),
            ),
        ]
        fs = [
            RiskFactor(name=n, value=round(v, 3), weight=RISK_WEIGHTS[n], detail=d)
            for n, v, d in factors
        ]
        score = round(sum(f.value * f.weight for f in fs), 3)
        out.append(
            InvoiceRisk(
                number=o.number,
                client_id=o.client_id,
                open_amount=o.open_amount,
                due_date=o.due_date,
                days_past_due=o.days_past_due,
                score=score,
                factors=fs,
            )
        )
    out.sort(key=lambda r: (-r.score, -r.open_amount, r.number))
    return out


def riskiest(session: Session, as_of: date, n: int = 10) -> list[InvoiceRisk]:
    """The ``n`` open invoices most at risk of not being paid on ``as_of``."""
    return invoice_risks(session, as_of)[:n]
