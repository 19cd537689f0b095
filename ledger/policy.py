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


class Policy(BaseModel):
    treasury: Treasury = Field(default_factory=Treasury)
    dunning: Dunning = Field(default_factory=Dunning)
    expenses: Expenses = Field(default_factory=Expenses)

    @classmethod
    def from_json(cls, raw: Any, warnings: list[str] | None = None) -> Policy:
        if not isinstance(raw, dict):
            raise PolicyError([("policy", "must be a JSON object")])
        known = {"treasury", "dunning", "expenses"}
        for k in raw:
            if k not in known and warnings is not None:
                warnings.append(f"policy.json:-: {k}: unknown section ignored")
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
                    problems.append((f"expenses.{section}.{cat}", f"unknown category {cat!r}"))
        for card, allowed in ex.card_allowed_categories.items():
            for cat in allowed:
                if cat not in CATEGORIES:
                    problems.append(
                        (f"expenses.card_allowed_categories.{card}", f"unknown category {cat!r}")
                    )
        levels = pol.dunning.levels_days
        if levels != sorted(levels) or len(levels) != 3:
            problems.append(
                ("dunning.levels_days", "three increasing numbers of days, e.g. [3, 10, 30]")
            )
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
    return _plain(policy.model_dump(exclude_none=True))


def get_policy_json(session: Session) -> dict[str, Any] | None:

    row = session.get(Setting, "policy")
    return row.value if row else None


def get_policy(session: Session) -> Policy:
    """The stored policy, or the defaults when the bundle had none."""
    raw = get_policy_json(session)
    return Policy.model_validate(raw) if raw else Policy()
