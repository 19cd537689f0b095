"""Small score helpers shared by the scorers: every score is a float in [0, 1]."""

from __future__ import annotations

from collections.abc import Iterable


def ratio(num: float, den: float, *, empty: float = 1.0) -> float:
    """``num / den``; ``empty`` when there is nothing to count (no case = nothing missed)."""
    return round(num / den, 4) if den else empty


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    """Precision, recall and F1 from counts (1.0 when nothing was expected nor found)."""
    p = ratio(tp, tp + fp)
    r = ratio(tp, tp + fn)
    f1 = round(2 * p * r / (p + r), 4) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f1}


def clip01(x: float) -> float:
    return round(min(1.0, max(0.0, x)), 4)


def share(checks: Iterable[bool]) -> float:
    items = list(checks)
    return ratio(sum(items), len(items))
