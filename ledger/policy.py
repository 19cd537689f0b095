"""The company's policy (``policy.json``): treasury threshold, dunning levels, spending rules.

Stored in the ``settings`` table under ``"policy"``; amounts are kept as JSON integers or
decimal strings (never binary floats) and read back as ``Decimal`` through :class:`Policy`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field, ValidationError
from sqlalchemy.orm import Session

from khazna.ledger.bundle_spec import CATEGORIES
from khazna.ledger.models import Setting


class PolicyError(ValueError):
    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{w}: {m}" for w, m in problems))
        self.problems = problems


class Treasury(BaseModel):
    safety_threshold: Decimal | None = Field(
        default=None, ge=0, description="cash below this is 'à surveiller'"
    )
    horizon_days: int = Field(default=30, ge=1, le=366)


class Dunning(BaseModel):
    levels_days: list[int] = Field(
        default_factory=lambda: [3, 10, 30], description="days past due for levels 1, 2, 3"
    )


class Expenses(BaseModel):
    receipt_required_above: Decimal = Field(default=Decimal("5000"), ge=0)
    max_per_transaction: dict[str, Decimal] = Field(default_factory=dict)
    max_per_month: dict[str, Decimal] = Field(default_factory=dict)
    card_allowed_categories: dict[str, list[str]] = Field(default_factory=dict)


class PlacementProduct(BaseModel):
    """A term deposit (dépôt à terme) the owner's bank offers. The shipped examples carry
    ``placeholder: true``: their rates are examples to replace, never a bank's real rate."""

    product_id: str = Field(min_length=1, description="short id, e.g. DAT-90")
    name: str = Field(default="", description="as the bank calls it")
    term_days: int = Field(ge=1, le=3660)
    annual_rate_percent: Decimal = Field(ge=0, le=100, description="simple yearly rate, %")
    min_amount: Decimal = Field(default=Decimal(0), ge=0)
    placeholder: bool = Field(
        default=False, description="true: the rate is an example, not the bank's"
    )


class Placement(BaseModel):
    """Where excess cash may go: the terms to weigh and the bank's products."""

    terms_days: list[int] = Field(default_factory=lambda: [30, 90, 180])
    day_basis: int = Field(default=365, description="days in the year of the interest formula")
    products: list[PlacementProduct] = Field(default_factory=list)


class Policy(BaseModel):
    treasury: Treasury = Field(default_factory=Treasury)
    dunning: Dunning = Field(default_factory=Dunning)
    expenses: Expenses = Field(default_factory=Expenses)
    placement: Placement = Field(default_factory=Placement)

    @classmethod
    def from_json(cls, raw: Any, warnings: list[str] | None = None) -> Policy:
        if not isinstance(raw, dict):
            raise PolicyError([("policy", "doit être un objet JSON")])
        known = {"treasury", "dunning", "expenses", "placement"}
        for k in raw:
            if k not in known and warnings is not None:
                warnings.append(f"policy.json:-: {k}: section inconnue ignorée")
        try:
            pol = cls.model_validate({k: v for k, v in raw.items() if k in known})
        except ValidationError as err:
            raise PolicyError(
                [(".".join(str(p) for p in e["loc"]), e["msg"]) for e in err.errors()]
            ) from None
        problems = []
        ex = pol.expenses
        for section, cats in (
            ("max_per_transaction", ex.max_per_transaction),
            ("max_per_month", ex.max_per_month),
        ):
            for cat in cats:
                if cat not in CATEGORIES:
                    problems.append((f"expenses.{section}.{cat}", f"catégorie inconnue {cat!r}"))
        for card, allowed in ex.card_allowed_categories.items():
            for cat in allowed:
                if cat not in CATEGORIES:
                    problems.append(
                        (f"expenses.card_allowed_categories.{card}", f"catégorie inconnue {cat!r}")
                    )
        levels = pol.dunning.levels_days
        if levels != sorted(levels) or len(levels) != 3:
            problems.append(
                ("dunning.levels_days", "three increasing numbers of days, e.g. [3, 10, 30]")
            )
        terms = pol.placement.terms_days
        if not terms or any(not 1 <= t <= 366 for t in terms):
            problems.append(("placement.terms_days", "days between 1 and 366, e.g. [30, 90, 180]"))
        if pol.placement.day_basis not in (360, 365):
            problems.append(("placement.day_basis", "360 or 365"))
        ids = [p.product_id for p in pol.placement.products]
        for pid in {i for i in ids if ids.count(i) > 1}:
            problems.append(("placement.products", f"product_id {pid!r} appears twice"))
        if problems:
            raise PolicyError(problems)
        return pol


def _plain(v: Any) -> Any:
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else str(v)
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v


def policy_to_json(policy: Policy) -> dict[str, Any]:
    out = _plain(policy.model_dump(exclude_none=True))
    if policy.placement == Placement():  # an older policy.json exports as it came
        out.pop("placement")
    return out


def get_policy_json(session: Session) -> dict[str, Any] | None:

    row = session.get(Setting, "policy")
    return row.value if row else None


def get_policy(session: Session) -> Policy:
    """The stored policy, or the defaults when the bundle had none."""
    raw = get_policy_json(session)
    return Policy.model_validate(raw) if raw else Policy()
