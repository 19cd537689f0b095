"""The receipt odds (life table of days late) and the weekend habit, computed by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from khazna.calendar_dz import WorkingCalendar
from khazna.tools.forecast import _pays_early
from khazna.tools.receipt_odds import ReceiptModel
from khazna.tools.recurring import Pattern


def test_life_table_odds_by_hand():
    # client A settled invoices 10, 20, 40, 100 days late; two more are open, 70 and 5 days late
    settled = [("A", d, 1) for d in (10, 20, 40, 100)]
    m = ReceiptModel(settled, [("A", 70), ("A", 5)], {"A": "pme"})
    r = m.odds("A", 30, 30)
    # still unpaid at 30: 40, 100 (settled) and the open one at 70 (> 60): 1 paid (40) of 3;
    # the kind is A alone: shrinking toward the same ratio leaves 1/3
    assert round(r.odds, 6) == round(1 / 3, 6) and r.days_late == 40
    r = m.odds("A", 0, 30)  # not due yet: 10, 20 paid of 10, 20, 40, 100, open 70 → 2 of 5
    assert round(r.odds, 6) == 0.4 and r.days_late == 10  # lower median of 10, 20
    r = m.odds("A", 50, 30)  # still unpaid at 50: 100 only, paid later → 0 of 1: doubtful
    assert r.odds == 0 and r.days_late is None
    assert m.odds("A", 100, 30) is None  # none ever as late with a known outcome
    # a client without history takes its kind's ratio (K = 3: 0 own of 0 → the prior)
    m2 = ReceiptModel(settled, [], {"A": "pme", "B": "pme"})
    assert round(m2.odds("B", 0, 30).odds, 6) == 0.5 and m2.odds("B", 0, 30).days_late == 10
    assert ReceiptModel([], [], {"A": "pme"}).odds("A", 0, 30) is None  # nothing to go on


def _pattern(days: list[date]) -> Pattern:
    return Pattern(
        key="VIR SALAIRES",
        category="salaires",
        amount=Decimal("100"),
        day=25,
        every_months=1,
        last_date=days[-1],
        evidence_lines=[(d, 10000) for d in days],
    )


def test_weekend_habit_is_learned_from_the_bank():
    cal = WorkingCalendar.load()
    # 2026-04-25 and 2026-07-25 are Saturdays; 2026-05-25 and 2026-06-25 working days
    early = [date(2026, 4, 23), date(2026, 5, 25), date(2026, 6, 25), date(2026, 7, 23)]
    late = [date(2026, 4, 26), date(2026, 5, 25), date(2026, 6, 25), date(2026, 7, 26)]
    assert _pays_early(_pattern(early), cal)
    assert not _pays_early(_pattern(late), cal)
    assert not _pays_early(_pattern(early[1:3]), cal)  # never due on a day off: no habit
