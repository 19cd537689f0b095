"""The 30-day cash forecast as an inline SVG, drawn on the server (no JavaScript)."""

from __future__ import annotations

from decimal import Decimal

from markupsafe import Markup, escape

from khazna.money import format_dzd

STATUS_COLOURS = {"ok": "#1a7f37", "a_surveiller": "#b35900", "tension": "#c62828"}
W, H = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 78, 16, 16, 40


def _compact(value: Decimal) -> str:
    """'4,2 M' / '850 k': axis labels (the exact figures are in the tooltips and tables)."""
    a = abs(value)
    if a >= 1_000_000:
        text = f"{value / 1_000_000:.1f} M"
    elif a >= 1_000:
        text = f"{value / 1_000:.0f} k"
    else:
        text = f"{value:.0f}"
    return text.replace(".", ",")


def forecast_svg(fc) -> Markup:
    """``fc`` is a :class:`khazna.tools.forecast.Forecast`; one point per day, coloured by its
    status, the safety threshold dashed, zero drawn when in range."""
    days = fc.days
    if not days:
        return Markup("<p>Pas de prévision.</p>")
    balances = [d.balance for d in days]
    lo = min([*balances, fc.threshold, fc.opening_balance, Decimal(0)])
    hi = max([*balances, fc.threshold, fc.opening_balance])
    if hi == lo:
        hi = lo + 1
    pad = (hi - lo) / 10
    lo, hi = lo - pad, hi + pad
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM
    n = len(days)

    def x(i: int) -> str:
        return f"{LEFT + plot_w * i / max(1, n - 1):.1f}"

    def y(v: Decimal) -> str:
        return f"{TOP + plot_h * (hi - v) / (hi - lo):.1f}"

    parts = [
        f'<svg class="chart" viewBox="0 0 {W} {H}" role="img" '
        f'aria-labelledby="fc-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="fc-title">Prévision de trésorerie sur {n} jours : statut {escape(fc.status)}, '
        f"minimum {escape(format_dzd(fc.min_balance))} le {fc.min_balance_date:%d/%m/%Y}</title>",
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="#fafafa" '
        'stroke="#ddd"/>',
    ]
    for k in range(5):  # horizontal grid and y labels
        v = lo + (hi - lo) * k / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y(v)}" y2="{y(v)}" stroke="#eee"/>'
            f'<text x="{LEFT - 6}" y="{y(v)}" text-anchor="end" dominant-baseline="middle" '
            f'font-size="11" fill="#555">{escape(_compact(v))}</text>'
        )
    if lo < 0 < hi:
        parts.append(
            f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y(Decimal(0))}" y2="{y(Decimal(0))}" '
            'stroke="#c62828" stroke-width="1"/>'
        )
    ty = y(fc.threshold)
    parts.append(
        f'<line class="threshold" x1="{LEFT}" x2="{W - RIGHT}" y1="{ty}" y2="{ty}" '
        'stroke="#b35900" stroke-width="1.5" stroke-dasharray="6 4"/>'
        f'<text x="{W - RIGHT - 4}" y="{float(ty) - 5:.1f}" text-anchor="end" font-size="11" '
        f'fill="#b35900">seuil {escape(format_dzd(fc.threshold))}</text>'
    )
    points = " ".join(f"{x(i)},{y(d.balance)}" for i, d in enumerate(days))
    parts.append(f'<polyline points="{points}" fill="none" stroke="#1f4e79" stroke-width="2"/>')
    for i, d in enumerate(days):
        colour = STATUS_COLOURS.get(d.status, "#555")
        parts.append(
            f'<circle class="day {escape(d.status)}" cx="{x(i)}" cy="{y(d.balance)}" r="3.5" '
            f'fill="{colour}"><title>{d.date:%d/%m/%Y} : {escape(format_dzd(d.balance))} '
            f"({escape(d.status)})</title></circle>"
        )
    step = max(1, n // 6)
    for i in range(0, n, step):
        parts.append(
            f'<text x="{x(i)}" y="{H - BOTTOM + 18}" text-anchor="middle" font-size="11" '
            f'fill="#555">{days[i].date:%d/%m}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def what_if_svg(base, scenario) -> Markup:
    """Two forecasts of the same days: the base (grey) and a what-if scenario (blue), the
    threshold dashed; a scenario day below the threshold is marked by its status colour."""
    days = scenario.days
    if not days:
        return Markup("<p>Pas de prévision.</p>")
    values = [d.balance for d in days] + [d.balance for d in base.days]
    lo = min([*values, scenario.threshold, Decimal(0)])
    hi = max([*values, scenario.threshold])
    if hi == lo:
        hi = lo + 1
    pad = (hi - lo) / 10
    lo, hi = lo - pad, hi + pad
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM
    n = len(days)

    def x(i: int) -> str:
        return f"{LEFT + plot_w * i / max(1, n - 1):.1f}"

    def y(v: Decimal) -> str:
        return f"{TOP + plot_h * (hi - v) / (hi - lo):.1f}"

    parts = [
        f'<svg class="chart what-if" viewBox="0 0 {W} {H}" role="img" '
        f'aria-labelledby="wi-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="wi-title">Base : minimum {escape(format_dzd(base.min_balance))} ; '
        f"scénario : minimum {escape(format_dzd(scenario.min_balance))} le "
        f"{scenario.min_balance_date:%d/%m/%Y}</title>",
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="#fafafa" '
        'stroke="#ddd"/>',
    ]
    for k in range(5):
        v = lo + (hi - lo) * k / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y(v)}" y2="{y(v)}" stroke="#eee"/>'
            f'<text x="{LEFT - 6}" y="{y(v)}" text-anchor="end" dominant-baseline="middle" '
            f'font-size="11" fill="#555">{escape(_compact(v))}</text>'
        )
    if lo < 0 < hi:
        parts.append(
            f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y(Decimal(0))}" y2="{y(Decimal(0))}" '
            'stroke="#c62828" stroke-width="1"/>'
        )
    ty = y(scenario.threshold)
    parts.append(
        f'<line class="threshold" x1="{LEFT}" x2="{W - RIGHT}" y1="{ty}" y2="{ty}" '
        'stroke="#b35900" stroke-width="1.5" stroke-dasharray="6 4"/>'
    )
    for cls, fc, colour in (("base", base, "#999"), ("scenario", scenario, "#1f4e79")):
        points = " ".join(f"{x(i)},{y(d.balance)}" for i, d in enumerate(fc.days))
        parts.append(
            f'<polyline class="{cls}" points="{points}" fill="none" stroke="{colour}" '
            f'stroke-width="2"/>'
        )
    for i, (b, d) in enumerate(zip(base.days, days, strict=True)):
        colour = STATUS_COLOURS.get(d.status, "#555")
        parts.append(
            f'<circle class="day {escape(d.status)}" cx="{x(i)}" cy="{y(d.balance)}" r="3" '
            f'fill="{colour}"><title>{d.date:%d/%m/%Y} : scénario '
            f"{escape(format_dzd(d.balance))}, base {escape(format_dzd(b.balance))}</title></circle>"
        )
    step = max(1, n // 6)
    for i in range(0, n, step):
        parts.append(
            f'<text x="{x(i)}" y="{H - BOTTOM + 18}" text-anchor="middle" font-size="11" '
            f'fill="#555">{days[i].date:%d/%m}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
