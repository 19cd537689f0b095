"""Everyday takings and seasons (tools/forecast_background.py), and the annual batch rhythm."""

from __future__ import annotations

from datetime import date, timedelta

from khazna.calendar_dz import WorkingCalendar
from khazna.tools.forecast_background import (
    Seasons,
    follows_receipts,
    learn_everyday,
    project,
    project_following,
    unmatched_credits,
)
from khazna.tools.payment_profiles import follows_the_year

CAL = WorkingCalendar.load()


def test_a_credit_a_payment_accounts_for_is_not_takings() -> None:
    d = date(2026, 5, 10)
    credits = [(d, 500_00), (d, 500_00), (d + timedelta(days=1), 123_00)]
    payments = [(d - timedelta(days=2), 500_00)]  # one payment: one of the two credits
    assert unmatched_credits(credits, payments) == {d: 500_00, d + timedelta(days=1): 123_00}


def test_ramadan_takings_learned_and_put_back() -> None:
    # counter sales 1 000 DA a working day, 1 500 during Ramadan 2025 (from the holiday table)
    seasons = Seasons.of(CAL)
    by_day = {}
    d = date(2024, 12, 1)
    while d <= date(2026, 1, 31):
        if CAL.is_working_day(d):
            by_day[d] = 150_000 if "ramadan" in seasons.of_day(d) else 100_000
        d += timedelta(days=1)
    model = learn_everyday(by_day, date(2026, 1, 31), CAL, seasons)
    assert model is not None and 1.25 < model.factors["ramadan"] < 1.55  # shrunk toward 1
    assert abs(model.rate - 100_000) < 1000
    days = dict(project(model, date(2026, 2, 1), date(2026, 3, 1), CAL, seasons))
    assert days[date(2026, 2, 24)] > 1.3 * days[date(2026, 2, 10)]  # in Ramadan 2026


def test_annual_rhythm_only_when_the_year_foretold_better() -> None:
    as_of = date(2026, 10, 1)
    yearly = [date(y, m, d) for y in (2024, 2025, 2026) for m, d in ((4, 20), (7, 10), (12, 5))]
    assert follows_the_year([x for x in yearly if x <= as_of], as_of)
    every_61 = [date(2024, 11, 1) + timedelta(days=61 * k) for k in range(11)]
    assert not follows_the_year(every_61, as_of)
    assert not follows_the_year(yearly[-3:], as_of)  # not a year of history: no claim


def _restocking_books(follow: bool) -> tuple[dict[date, int], dict[date, int], date]:
    """A lump of 600 000 DA on some Thursdays (one in three, irregularly), 20 000 DA on the
    other working days; a
    purchase every Tuesday of 40 % of what came in 7 to 20 days before (``follow``), else a
    flat 100 000 DA."""
    receipts: dict[date, int] = {}
    spending: dict[date, int] = {}
    d, end = date(2025, 1, 1), date(2026, 3, 31)
    while d <= end:
        if CAL.is_working_day(d):
            lump = d.weekday() == 3 and d.toordinal() * 7919 % 3 == 0
            receipts[d] = 60_000_000 if lump else 2_000_000
        if d.weekday() == 1 and CAL.is_working_day(d):
            came = sum(receipts.get(d - timedelta(days=k), 0) for k in range(7, 21))
            spending[d] = round(0.4 * came / 2) if follow else 10_000_000
        d += timedelta(days=1)
    return spending, receipts, end


def test_spending_that_follows_the_receipts_is_projected_from_them() -> None:
    seasons = Seasons.of(CAL)
    spending, receipts, as_of = _restocking_books(follow=True)
    model = learn_everyday(spending, as_of, CAL, seasons)
    assert model is not None
    following = follows_receipts(model, spending, receipts, as_of, CAL, seasons)
    assert following is not None and following.lag == (7, 20)
    # a lump forecast on the 2nd of April: the purchases of 7 to 20 days later grow with it
    ahead = dict(receipts)
    ahead[date(2026, 4, 2)] = 300_000_000
    end = as_of + timedelta(days=30)
    plain = dict(project(model, as_of, end, CAL, seasons))
    follow = dict(project_following(model, following, ahead, as_of, end, CAL, seasons))
    assert follow[date(2026, 4, 14)] > 1.5 * plain[date(2026, 4, 14)]
    assert follow[date(2026, 4, 7)] < follow[date(2026, 4, 14)]  # 5 days after: not yet


def test_spending_that_does_not_follow_the_receipts_keeps_its_level() -> None:
    seasons = Seasons.of(CAL)
    spending, receipts, as_of = _restocking_books(follow=False)
    model = learn_everyday(spending, as_of, CAL, seasons)
    assert model is not None
    assert follows_receipts(model, spending, receipts, as_of, CAL, seasons) is None
