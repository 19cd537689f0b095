"""The forecast's draws (tools/forecast_draws.py): a flow's chance, its group, its amount's
spread, a batch payer's odds and day, and the P50 / band / probability they give."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

from khazna.calendar_dz import WorkingCalendar
from khazna.tools.forecast import Flow, forecast
from khazna.tools.forecast_draws import (
    Spread,
    batch_day,
    batch_odds,
    batch_share,
    batch_shares,
    gap_offsets,
    simulate,
    year_batch,
    year_offsets,
)
from tests.test_forecast import AS_OF, make

CAL = WorkingCalendar.load()
DAY = date(2026, 4, 14)  # a Tuesday
LAST = (DAY - AS_OF).days - 1  # index of DAY in the horizon


def flow(amount: str, kind: str = "invoice", source: str = "F1", d: date = DAY) -> Flow:
    return Flow(date=d, amount=Decimal(amount), kind=kind, source=source)


def run(flows, spreads, threshold=Decimal(0), opening=Decimal(1000000)):
    return simulate(opening, flows, spreads, AS_OF, 30, CAL, threshold)


def test_unlikely_payment_is_out_of_the_median_and_inside_p90():
    flows = [flow("30000")]  # 30 % of 100 000
    out = run(flows, {0: Spread(group="invoice:F1", prob=0.3, amount=Decimal(100000))})
    p10, p50, p90 = out.bands[-1]
    assert (p10, p50, p90) == (Decimal(1000000), Decimal(1000000), Decimal(1100000))
    likely = run(flows, {0: Spread(group="invoice:F1", prob=0.8, amount=Decimal(100000))})
    assert likely.bands[-1][1] == Decimal(1100000)  # more likely than not: in the median


def test_a_group_comes_whole_or_not_at_all():
    flows = [flow("50000", source="F1"), flow("50000", source="F2")]
    sp = Spread(group="batch:C1", prob=0.5, amount=Decimal(100000))
    out = run(flows, {0: sp, 1: sp})
    assert set(out.bands[-1]) == {Decimal(1000000), Decimal(1200000)}  # never one of the two
    # apart, each 50 % on its own: some draws get one of the two (1 100 000)
    apart = run(
        flows,
        {
            0: Spread(group="invoice:F1", prob=0.5, amount=Decimal(100000)),
            1: Spread(group="invoice:F2", prob=0.5, amount=Decimal(100000)),
        },
    )
    assert apart.bands[-1][1] == Decimal(1100000)


def test_recurring_amount_spread_widens_the_band_and_seed_fixes_it():
    flows = [flow("-100000", kind="learned", source="LOYER")]
    fixed = run(flows, {})
    assert fixed.bands[-1] == (Decimal(900000),) * 3
    sp = {0: Spread(group="learned:LOYER", scales=(0.5, 1.0, 1.5))}
    out = run(flows, sp)
    p10, p50, p90 = out.bands[-1]
    assert p10 == Decimal(850000) and p90 == Decimal(950000) and p10 < p50 < p90
    assert out == run(flows, sp)  # seeded: the same draws every time
    assert out.bands[LAST - 1] == (Decimal(1000000),) * 3  # before the day nothing moves


def test_prob_below_threshold_is_a_share():
    flows = [flow("-300000", kind="commitment", source="K1")]
    assert run(flows, {}, threshold=Decimal(800000)).prob_below == 1
    assert run(flows, {}, threshold=Decimal(600000)).prob_below == 0
    half = run(
        [flow("-30000", kind="learned", source="X")],
        {0: Spread(group="x", prob=0.5, amount=Decimal(-300000))},
        threshold=Decimal(800000),
    )
    assert Decimal("0.3") < half.prob_below < Decimal("0.7")


def test_batch_odds_from_gaps_and_from_the_same_weeks_of_past_years():
    # under a year of history: the gaps alone tell (last payment 2026-04-30)
    every_60 = [date(2025, 9, 1) + timedelta(days=60 * k) for k in range(5)]
    soon = every_60[-1] + timedelta(days=50)  # 50 days without paying: gaps of 60 end soon
    just = every_60[-1] + timedelta(days=5)
    assert batch_odds(every_60, soon, 30) > 0.7 > 0.3 > batch_odds(every_60, just, 30)
    assert batch_odds([], soon, 30) == 0.5
    # paid each December only: a cut-off in late November of the next year expects it
    decembers = [date(2024, 12, 10), date(2025, 12, 9)]
    nov = date(2026, 11, 25)
    assert batch_odds(decembers, nov, 30) > batch_odds(decembers, date(2026, 8, 1), 30)
    day, why = batch_day(decembers, nov, 30)
    assert day == date(2025, 12, 9) + timedelta(days=365) and "an(s) plus tôt" in why
    day, _ = batch_day(every_60, soon, 30)
    assert day == every_60[-1] + timedelta(days=60)
    assert batch_day(every_60, just, 30)[0] is None  # no past gap ends within the horizon


def test_a_yearly_batch_a_little_late_on_its_calendar_is_still_expected():
    # paid on 28/11 last year, nothing since October: on 03/12 this year's is late, not gone
    paid = [date(2024, 10, 20), date(2024, 11, 28), date(2025, 4, 30), date(2025, 10, 15)]
    as_of = date(2025, 12, 3)
    assert year_batch(paid, as_of, 30) == (date(2024, 11, 28), as_of + timedelta(days=7), 1)
    day, why = batch_day(paid, as_of, 30)
    assert day == as_of + timedelta(days=7) and "28/11/2024" in why
    late = batch_odds(paid, as_of, 30)
    assert late > batch_odds(paid[:1] + paid[2:], as_of, 30)  # without last year's: lower
    # paid weeks before its anniversary came (a December batch paid on 20/11): not again
    assert year_batch([*paid, date(2025, 11, 20)], as_of, 30) is None
    # more than three weeks before the horizon's days last year: not the same weeks
    assert year_batch([date(2024, 10, 20), date(2025, 4, 30)], as_of, 30) is None


def test_a_batch_moves_by_its_gaps_or_by_its_anniversaries():
    every_60 = [date(2025, 1, 5) + timedelta(days=60 * k + (k % 2) * 4) for k in range(6)]
    # gaps 64, 56, 64, 56, 64: each less their (lower) median, 64
    assert sorted(gap_offsets(every_60) or []) == [-8, -8, 0, 0, 0]
    assert gap_offsets(every_60[:3]) is None  # two gaps: too few to tell
    yearly = [date(2024, 4, 20), date(2024, 12, 10), date(2025, 4, 28), date(2025, 12, 5)]
    assert sorted(year_offsets(yearly, min_pairs=2) or []) == [-5, 8]
    assert year_offsets(yearly) is None  # two pairs: under three


def test_forecast_json_prob_is_a_share_and_balance_inside_band(db_url, tmp_path, capsys):
    from khazna.cli import main

    ledger = make(tmp_path, db_url, threshold=1500000)  # 1 450 000 on the cut-off
    with ledger.read() as s:
        fc = forecast(s, AS_OF, 30)
    assert fc.prob_below_threshold == 1
    assert all(d.p10 <= d.balance <= d.p90 for d in fc.days)
    assert main(["forecast", "--db", ledger.url, "--as-of", AS_OF.isoformat(), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert 0 <= doc["prob_below_threshold"] <= 1 and doc["prob_below_threshold"] == 1
    assert main(["forecast", "--db", ledger.url, "--as-of", AS_OF.isoformat()]) == 0
    assert "probabilité de passer sous le seuil : 100 %" in capsys.readouterr().out


def test_a_batch_pays_as_the_batches_of_its_season_did():
    # December cleared the books (all of every age), April paid none of the young invoices
    # and a third of the old ones
    past = [
        (date(2025, 12, 10), 10, 100_000, 100_000),
        (date(2025, 12, 10), 100, 100_000, 100_000),
        (date(2026, 4, 20), 10, 100_000, 0),
        (date(2026, 4, 20), 100, 300_000, 100_000),
    ]
    december = batch_shares(past, date(2026, 12, 12), same_weeks=True)
    assert batch_share(december, 10, rule=0.0) == 0.5  # (1 x 1.0 + 0) / 2
    assert batch_share(december, 100, rule=1.0) == 1.0
    pooled = batch_shares(past, date(2026, 12, 12), same_weeks=False)
    assert batch_share(pooled, 10, rule=0.0) == (2 * 0.5 + 0) / 3
    assert batch_share(pooled, 100, rule=1.0) == (2 * 0.5 + 1) / 3
    # no past batch saw an invoice that late: the rule alone
    assert batch_share(december, 40, rule=1.0) == 1.0
    assert batch_share(december, 40, rule=0.0) == 0.0
    # an August batch has no season of its own in the past: every batch counts
    assert batch_shares(past, date(2026, 8, 20), same_weeks=True) == pooled


def test_a_calendar_payer_is_not_expected_by_its_gaps_in_weeks_it_never_paid():
    # April, July, October and December of two years: gaps of ~60-120 days; on 10/02 a gap
    # like its past ones would end within 30 days, but February saw no payment last year
    paid = [date(y, m, 15) for y in (2024, 2025) for m in (4, 7, 10, 12)]
    as_of = date(2026, 2, 10)
    assert batch_day(paid, as_of, 60)[0] is not None  # by its gaps (the Dec -> Apr gap)
    day, why = batch_day(paid, as_of, 60, calendar=True)
    assert day is None and "calendrier" in why
    # the same weeks of last year saw a batch: still expected on its anniversary
    day, _ = batch_day(paid, date(2026, 3, 25), 30, calendar=True)
    assert day == date(2025, 4, 15) + timedelta(days=365)
    # books too short to cover a past year's same days: the gaps still tell
    short = [date(2025, 4, 15), date(2025, 7, 15), date(2025, 10, 15)]
    day, _ = batch_day(short, date(2026, 1, 5), 30, calendar=True)
    assert day == short[-1] + timedelta(days=91)  # its shorter gap
