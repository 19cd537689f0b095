"""The forecast's p10/p90 bands and prob_below_threshold (a seeded draw of payment delays)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

from khazna.calendar_dz import WorkingCalendar
from khazna.tools.forecast import Flow, delay_offsets, draw_bands, forecast
from tests.test_forecast import AS_OF, make

CAL = WorkingCalendar.load()
DAY = date(2026, 4, 14)  # a Tuesday, a working day


def inflow(n: str, d: date = DAY, amount: str = "100000.00") -> Flow:
    return Flow(date=d, amount=Decimal(amount), kind="invoice", source=n)


def test_offsets_own_history_from_three_paid_invoices_else_company():
    own, company = delay_offsets([("A", 5, 1), ("A", 5, 1), ("A", 5, 1), ("B", 40, 1)])
    assert own == {"A": [0, 0, 0]}  # A: zero spread; B has one paid invoice: company-wide
    assert sorted(company) == [0, 0, 0, 35]


def test_zero_spread_client_gives_zero_width_band_and_spread_widens_it():
    flows = [inflow("F1"), Flow(date=DAY, amount=Decimal("-5000"), kind="commitment", source="K")]
    bands, _ = draw_bands(
        Decimal(1000000), flows, {"F1": "A"}, {"A": [0, 0, 0]}, [0], AS_OF, 30, CAL, Decimal(0)
    )
    assert all(lo == hi for lo, hi in bands)
    assert bands[-1][0] == Decimal("1095000")
    spread = {"A": [-10, 0, 10, 20]}
    bands, _ = draw_bands(
        Decimal(1000000), flows, {"F1": "A"}, spread, [0], AS_OF, 30, CAL, Decimal(0)
    )
    day_i = (DAY - AS_OF).days - 1
    assert bands[day_i][0] < bands[day_i][1]
    assert (
        bands
        == draw_bands(
            Decimal(1000000), flows, {"F1": "A"}, spread, [0], AS_OF, 30, CAL, Decimal(0)
        )[0]
    )  # deterministic


def test_prob_below_threshold_zero_far_above_and_hundred_far_below():
    flows = [inflow("F1")]
    args = ({"F1": "A"}, {"A": [-20, 0, 30]}, [0], AS_OF, 30, CAL)
    assert draw_bands(Decimal(10**8), flows, *args, Decimal(1000))[1] == 0
    assert draw_bands(Decimal(-(10**8)), flows, *args, Decimal(1000))[1] == 100


def test_forecast_days_carry_ordered_bands(db_url, tmp_path):
    ledger = make(tmp_path, db_url)
    with ledger.read() as s:
        fc = forecast(s, AS_OF, 30)
    assert fc.prob_below_threshold == 0  # 1 450 000 and more, threshold 500 000
    for d in fc.days:
        assert d.p10 is not None and d.p90 is not None
        assert d.p10 <= d.balance <= d.p90
    assert AS_OF + timedelta(days=30) == fc.days[-1].date


def test_forecast_json_and_text_gain_the_bands(db_url, tmp_path, capsys):
    from khazna.cli import main

    ledger = make(tmp_path, db_url)
    assert main(["forecast", "--db", ledger.url, "--as-of", "2026-03-31", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["prob_below_threshold"] == 0
    assert all({"p10", "p90", "balance", "status"} <= set(d) for d in doc["days"])
    assert main(["forecast", "--db", ledger.url, "--as-of", "2026-03-31"]) == 0
    assert "probabilité de passer sous le seuil : 0 %" in capsys.readouterr().out
