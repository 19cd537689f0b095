"""Backtest of the cash forecast: replay history at several cut-off dates.

At each cut-off C the forecast is made from what was known then (every query of the
forecast filters on records dated ≤ C: invoices issued, payments received, bank lines; the
supplier expenses dated after C are *not* used, they were not known), over the next
``days`` days, and compared with the end-of-day balances that actually happened. Two
baselines are scored the same way: the balance held flat (``flat``) and the last ``days``
days repeated (``repeat``: the change over (C − days, C] added again).
Error = mean absolute error (MAE) in DZD over the horizon's days, then over the cut-offs.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import numpy as np
from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from khazna.calendar_dz import WorkingCalendar
from khazna.ledger.models import BankLine, Company
from khazna.money import q2
from khazna.tools.forecast import ForecastError, forecast
from khazna.tools.receivables import cents, from_cents, scan

MIN_HISTORY_DAYS = 120


class BacktestInput(BaseModel):
    """Ask how well the forecast would have done on this ledger's own history."""

    cutoffs: int = Field(6, ge=1, le=60, description="How many cut-off dates to replay.")
    days: int = Field(30, ge=1, le=120, description="Forecast horizon in days.")


class CutoffScore(BaseModel):
    cutoff: date
    mae_forecast: Decimal = Field(description="Mean absolute error of the forecast, DZD.")
    mae_flat: Decimal = Field(description="MAE of the balance held flat, DZD.")
    mae_repeat: Decimal = Field(description="MAE of the last period repeated, DZD.")
    actual_end: Decimal = Field(description="Actual balance at the end of the horizon.")
    forecast_end: Decimal = Field(description="Forecast balance at the end of the horizon.")


class BacktestReport(BaseModel):
    """The forecast's errors against two naive baselines, per cut-off and overall."""

    horizon_days: int
    cutoffs: list[CutoffScore]
    mae_forecast: Decimal
    mae_flat: Decimal
    mae_repeat: Decimal
    beats_flat: bool
    beats_repeat: bool


def daily_balances(session: Session) -> tuple[date, np.ndarray, date]:
    """(first day, end-of-day balances in centimes from it, last bank line day)."""
    company = session.execute(select(Company)).scalars().first()
    if company is None:
        raise ForecastError("le grand livre n'a pas de société : importez d'abord un lot")
    day = scan(session, BankLine.date)
    rows = session.execute(
        select(day, func.sum(cents(BankLine.amount)))
        .where(day >= company.opening_date)
        .group_by(day)
    ).all()
    start = company.opening_date
    if not rows:
        raise ForecastError(
            "le grand livre n'a pas de lignes bancaires : rien contre quoi rejouer la prévision"
        )
    last = max(d for d, _ in rows)
    deltas = np.zeros((last - start).days + 1, dtype=np.int64)
    for d, c in rows:
        deltas[(d - start).days] += int(c)
    opening_c = int(q2(Decimal(company.opening_balance)) * 100)
    return start, opening_c + np.cumsum(deltas), last


def pick_cutoffs(start: date, last: date, n: int, days: int) -> list[date]:
    """``n`` cut-offs spread evenly from start + 120 days to the last day minus the horizon."""
    lo, hi = start + timedelta(days=MIN_HISTORY_DAYS), last - timedelta(days=days)
    if hi < lo:
        raise ForecastError(
            f"pas assez d'historique pour rejouer la prévision : lignes bancaires du "
            f"{start:%d/%m/%Y} au {last:%d/%m/%Y}, il faut {MIN_HISTORY_DAYS} jours "
            f"d'historique plus un horizon de {days} jours"
        )
    if n == 1:
        return [hi]
    span = (hi - lo).days
    return sorted({lo + timedelta(days=round(span * i / (n - 1))) for i in range(n)})


def backtest(
    session: Session, cutoffs: int = 6, days: int = 30, cal: WorkingCalendar | None = None
) -> BacktestReport:
    """Replay the forecast at ``cutoffs`` dates and score it against the baselines."""
    cal = cal or WorkingCalendar.load()
    start, bal, last = daily_balances(session)

    def at(d: date) -> int:
        i = (d - start).days
        return int(bal[min(i, len(bal) - 1)]) if i >= 0 else int(bal[0] - 0)

    scores = []
    for c in pick_cutoffs(start, last, cutoffs, days):
        fc = forecast(session, c, days, cal=cal, scheduled_expenses=False)
        actual = np.array([at(c + timedelta(days=k)) for k in range(1, days + 1)])
        pred = np.array([int(d.balance * 100) for d in fc.days])
        flat = np.full(days, at(c))
        base = c - timedelta(days=days)
        repeat = np.array(
            [at(c) + at(base + timedelta(days=k)) - at(base) for k in range(1, days + 1)]
        )

        def mae(x: np.ndarray, actual: np.ndarray = actual) -> Decimal:
            return q2(from_cents(int(np.abs(x - actual).sum())) / days)

        scores.append(
            CutoffScore(
                cutoff=c,
                mae_forecast=mae(pred),
                mae_flat=mae(flat),
                mae_repeat=mae(repeat),
                actual_end=from_cents(int(actual[-1])),
                forecast_end=fc.days[-1].balance,
            )
        )

    def avg(name: str) -> Decimal:
        return q2(sum((getattr(s, name) for s in scores), Decimal(0)) / len(scores))

    f, fl, rp = avg("mae_forecast"), avg("mae_flat"), avg("mae_repeat")
    return BacktestReport(
        horizon_days=days,
        cutoffs=scores,
        mae_forecast=f,
        mae_flat=fl,
        mae_repeat=rp,
        beats_flat=f < fl,
        beats_repeat=f < rp,
    )
