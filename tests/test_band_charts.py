"""The P10-P90 band drawn on the dashboard chart (SVG) and the weekly report's chart (PNG)."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

from khazna.agents.reporter.render import forecast_chart_png
from khazna.tools.forecast import Forecast, ForecastDay
from khazna.web.chart import forecast_svg

AS_OF = date(2026, 4, 1)


def make_forecast(banded: bool) -> Forecast:
    days = []
    for i in range(1, 31):
        bal = Decimal(2_000_000 - 20_000 * i)
        spread = Decimal(10_000 * i)
        days.append(
            ForecastDay(
                date=AS_OF + timedelta(days=i),
                inflows=Decimal(0),
                outflows=Decimal(20_000),
                balance=bal,
                status="ok",
                p10=bal - spread if banded else None,
                p90=bal + spread if banded else None,
            )
        )
    return Forecast(
        as_of=AS_OF,
        horizon_days=30,
        opening_balance=Decimal(2_000_000),
        threshold=Decimal(500_000),
        status="ok",
        min_balance=days[-1].balance,
        min_balance_date=days[-1].date,
        excess_cash=Decimal(0),
        days=days,
    )


def test_dashboard_chart_shades_the_band_when_the_days_carry_one():
    svg = str(forecast_svg(make_forecast(True)))
    assert svg.count("<polygon") == 1 and 'class="band"' in svg and "P10–P90" in svg
    assert svg.index('class="band"') < svg.index("<circle")  # under the line and the days
    plain = str(forecast_svg(make_forecast(False)))
    assert "<polygon" not in plain and "P10–P90" not in plain


def _png_pixels(days: list[dict]) -> list[tuple[int, int, int]]:
    from PIL import Image

    facts = SimpleNamespace(forecast_days=days, threshold=Decimal(500_000), language="fr")
    raw = Image.open(io.BytesIO(forecast_chart_png(facts))).convert("RGB").tobytes()
    return [(raw[i], raw[i + 1], raw[i + 2]) for i in range(0, len(raw), 3)]


def test_report_chart_shades_the_band():
    fc = make_forecast(True)
    plain = [{"date": str(d.date), "balance": str(d.balance), "status": d.status} for d in fc.days]
    banded = [  # p90 never above the first day's balance: the same scale with and without
        day | {"p10": str(d.balance - 10_000 * i), "p90": str(d.balance + 5_000 * (i - 1))}
        for i, (day, d) in enumerate(zip(plain, fc.days, strict=True), 1)
    ]
    with_band, without = _png_pixels(banded), _png_pixels(plain)
    changed = [(a, b) for a, b in zip(with_band, without, strict=True) if a != b]
    assert len(changed) > 5_000  # a shaded area, not a line or a label
    # shaded = tinted toward the band's blue (31, 78, 121): bluer than it was, never redder
    assert sum(a[2] - a[0] > b[2] - b[0] for a, b in changed) > 0.8 * len(changed)
