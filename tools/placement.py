"""How much excess cash can be placed, for how long, and what it would earn; the placements
the owner made, and whether one will be needed back before its term ("rapatrier").

The amount placeable for T days is read from the forecast's *lowest* path: a deposit made on
the first day leaves the account until day T, so it must fit under every day of that span,

    placeable(T) = max(0, min over days 1..T of (low balance of the day − threshold)),

where the low balance is the day's ``p10`` when the forecast carries a band, else its
``balance``. The forecast is made over the longest term (at most 366 days); past the open
invoices it knows, a long forecast sees outflows and few inflows, so long terms come out small,
which is the prudent reading.

Interest is simple: amount × rate × days / day basis (365 or 360, ``policy.json``), in
``Decimal``, rounded to centimes. Products (term, rate, minimum) come from the policy's
``placement.products``; a product flagged ``placeholder`` has an example rate and is shown as
such.

Placements made are kept in the ``settings`` table under ``"placements"`` (``khazna placement
add``). :func:`needed_back` says which of them the forecast will need before their term.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from khazna.calendar_dz import WorkingCalendar
from khazna.ledger.models import Setting
from khazna.ledger.policy import PlacementProduct, get_policy
from khazna.money import q2
from khazna.tools.forecast import Forecast, forecast

PLACEMENTS_KEY = "placements"
MAX_DAYS = 366


class PlacementError(ValueError):
    """A placement that cannot be recorded or found (message in French)."""


def low_balance(day) -> Decimal:
    """The lowest path's balance of a forecast day: its P10 when the forecast has one."""
    p10 = getattr(day, "p10", None)
    return Decimal(p10) if p10 is not None else Decimal(day.balance)


def interest(amount: Decimal, rate_percent: Decimal, days: int, day_basis: int = 365) -> Decimal:
    """Simple interest of a term deposit, in centimes."""
    return q2(Decimal(amount) * Decimal(rate_percent) / 100 * days / day_basis)


def placeable(fc: Forecast, term_days: int) -> Decimal:
    """The largest amount that can leave the account for ``term_days`` days (from the day
    after the as-of date) without any day of the lowest path below the threshold."""
    span = [d for d in fc.days[:term_days]]
    if not span:
        return Decimal(0)
    room = min(low_balance(d) - fc.threshold for d in span)
    return q2(max(Decimal(0), room))


class ProductOption(BaseModel):
    product_id: str
    name: str
    term_days: int
    annual_rate_percent: Decimal
    placeholder: bool = Field(description="True: an example rate, not the bank's.")
    min_amount: Decimal
    amount: Decimal = Field(description="What can be placed in it: placeable(term), if ≥ min.")
    interest: Decimal = Field(description="What that amount would earn over the term.")
    below_minimum: bool


class TermOption(BaseModel):
    term_days: int
    amount: Decimal = Field(description="Largest amount placeable for the whole term.")
    lowest_day: date | None = Field(None, description="The day that limits it.")
    beyond_forecast: bool = Field(
        False, description="The term runs past the forecast's horizon (not computed)."
    )


class PlacementPlan(BaseModel):
    as_of: date
    horizon_days: int
    threshold: Decimal
    path: str = Field(description="p10 (the band's low edge) or balance (median).")
    terms: list[TermOption]
    products: list[ProductOption]
    day_basis: int


def plan(
    fc: Forecast, terms: Sequence[int], products: Sequence[PlacementProduct], day_basis: int
) -> PlacementPlan:
    """Placeable amounts for each term and each product, from one forecast ``fc``."""
    options = []
    for t in sorted(set(terms)):
        if t > fc.horizon_days:
            options.append(TermOption(term_days=t, amount=Decimal(0), beyond_forecast=True))
            continue
        span = fc.days[:t]
        low = min(span, key=lambda d: (low_balance(d), d.date))
        options.append(TermOption(term_days=t, amount=placeable(fc, t), lowest_day=low.date))
    out = []
    for p in products:
        amount = placeable(fc, p.term_days) if p.term_days <= fc.horizon_days else Decimal(0)
        below = amount < p.min_amount or amount == 0
        fit = Decimal(0) if below else amount
        out.append(
            ProductOption(
                product_id=p.product_id,
                name=p.name or p.product_id,
                term_days=p.term_days,
                annual_rate_percent=p.annual_rate_percent,
                placeholder=p.placeholder,
                min_amount=p.min_amount,
                amount=fit,
                interest=interest(fit, p.annual_rate_percent, p.term_days, day_basis),
                below_minimum=below,
            )
        )
    has_band = bool(fc.days) and getattr(fc.days[0], "p10", None) is not None
    return PlacementPlan(
        as_of=fc.as_of,
        horizon_days=fc.horizon_days,
        threshold=fc.threshold,
        path="p10" if has_band else "balance",
        terms=options,
        products=out,
        day_basis=day_basis,
    )


def placement_plan(
    session: Session, as_of: date, *, cal: WorkingCalendar | None = None
) -> PlacementPlan:
    """The placement options on ``as_of``: one forecast over the longest term or product."""
    pol = get_policy(session).placement
    longest = max([*pol.terms_days, *(p.term_days for p in pol.products)])
    fc = forecast(session, as_of, min(longest, MAX_DAYS), cal=cal)
    return plan(fc, pol.terms_days, pol.products, pol.day_basis)


# -- placements made ---------------------------------------------------------------------


class PlacementRecord(BaseModel):
    """Money the owner placed: it left the account on ``start`` and comes back on ``maturity``."""

    placement_id: str
    amount: Decimal = Field(gt=0)
    start: date
    term_days: int = Field(ge=1, le=3660)
    product_id: str = ""
    annual_rate_percent: Decimal | None = None

    @property
    def maturity(self) -> date:
        return self.start + timedelta(days=self.term_days)


def placements(session: Session) -> list[PlacementRecord]:
    row = session.get(Setting, PLACEMENTS_KEY)
    return [PlacementRecord.model_validate(r) for r in (row.value or [] if row else [])]


def _save(session: Session, records: list[PlacementRecord]) -> None:
    session.merge(Setting(key=PLACEMENTS_KEY, value=[r.model_dump(mode="json") for r in records]))


def add_placement(
    session: Session, amount: Decimal, start: date, term_days: int, product_id: str = ""
) -> PlacementRecord:
    """Record a placement made (the bank debit is in the statement; this says when it returns)."""
    rate = None
    if product_id:
        pol = get_policy(session).placement
        found = [p for p in pol.products if p.product_id.lower() == product_id.lower()]
        if not found:
            known = ", ".join(p.product_id for p in pol.products) or "aucun dans policy.json"
            raise PlacementError(
                f"produit de placement inconnu : {product_id!r} (connus : {known})"
            )
        product_id, rate = found[0].product_id, found[0].annual_rate_percent
    rec = PlacementRecord(
        placement_id="P" + uuid.uuid4().hex[:8].upper(),
        amount=q2(amount),
        start=start,
        term_days=term_days,
        product_id=product_id,
        annual_rate_percent=rate,
    )
    _save(session, [*placements(session), rec])
    return rec


def remove_placement(session: Session, placement_id: str) -> PlacementRecord:
    records = placements(session)
    hit = [r for r in records if r.placement_id.upper() == placement_id.upper()]
    if not hit:
        raise PlacementError(f"aucun placement {placement_id!r} (khazna placement list)")
    _save(session, [r for r in records if r is not hit[0]])
    return hit[0]


class NeededBack(BaseModel):
    """A placement the forecast will need before its term."""

    placement: PlacementRecord
    first_day: date = Field(description="First day the lowest path goes below the threshold.")
    shortfall: Decimal = Field(
        description="How far below the threshold, at its lowest before maturity."
    )
    lowest_day: date


def needed_back(
    session: Session, as_of: date, *, cal: WorkingCalendar | None = None
) -> list[NeededBack]:
    """The active placements (started, not matured) whose money the forecast says will be
    needed before their maturity: some day before it falls below the threshold."""
    active = [r for r in placements(session) if r.start <= as_of < r.maturity]
    if not active:
        return []
    longest = min(max((r.maturity - as_of).days for r in active), MAX_DAYS)
    fc = forecast(session, as_of, longest, cal=cal)
    out = []
    for r in active:
        span = [d for d in fc.days if d.date < r.maturity]
        under = [d for d in span if low_balance(d) < fc.threshold]
        if under:
            low = min(under, key=lambda d: (low_balance(d), d.date))
            out.append(
                NeededBack(
                    placement=r,
                    first_day=under[0].date,
                    shortfall=q2(fc.threshold - low_balance(low)),
                    lowest_day=low.date,
                )
            )
    return out
