"""The 30-day cash forecast as an inline SVG, drawn on the server (no JavaScript).

Drawn for any width: the SVG has no viewBox, so nothing is scaled — horizontal positions are
percentages of the width the page gives it, heights and font sizes are CSS pixels. At 390 px
(a phone) the labels are as large as at 1366 px (13 px), the axis has four round values
(2 M, 4 M, 6 M), five dates, and the threshold's label sits above its line on a white halo.
"""

from __future__ import annotations

from decimal import Decimal

from markupsafe import Markup, escape

from khazna.money import format_dzd, nice_ticks

STATUS_COLOURS = {"ok": "#1a7f37", "a_surveiller": "#b35900", "tension": "#c62828"}
STATUS_WORDS = {"ok": "OK", "a_surveiller": "à surveiller", "tension": "tension"}
H, TOP, BOTTOM = 280, 24, 30  # px
X0, X1 = 3.0, 97.0  # the plot's horizontal extent, in % of the width
FONT = 13  # px, whatever the width
HALO = 'paint-order="stroke" stroke="#fff" stroke-width="3" stroke-linejoin="round"'


def _compact(value: Decimal) -> str:
    """'4 M' / '4,5 M' / '850 k': axis labels (the exact figures are in the tooltips)."""
    a = abs(value)
    if a >= 1_000_000:
        text = f"{value / 1_000_000:.1f}".removesuffix(".0") + " M"
    elif a >= 1_000:
        text = f"{value / 1_000:.0f} k"
    else:
        text = f"{value:.0f}"
    return text.replace(".", ",")


def forecast_svg(fc) -> Markup:
    """``fc`` is a :class:`khazna.tools.forecast.Forecast`; one point per day, coloured by its
    status, the P10–P90 band shaded behind the line when the days carry one, the safety
    threshold dashed, zero drawn when in range."""
    days = fc.days
    if not days:
        return Markup("<p>Pas de prévision.</p>")
    balances = [d.balance for d in days]
    banded = all(d.p10 is not None and d.p90 is not None for d in days)
    spread = [v for d in days for v in (d.p10, d.p90) if v is not None] if banded else []
    ticks = nice_ticks(
        min([*balances, *spread, fc.threshold, fc.opening_balance, Decimal(0)]),
        max([*balances, *spread, fc.threshold, fc.opening_balance]),
    )
    lo, hi = ticks[0], ticks[-1]
    if hi == lo:
        hi = lo + 1
    plot_h = H - TOP - BOTTOM
    n = len(days)

    def x(i: int) -> str:
        return f"{X0 + (X1 - X0) * i / max(1, n - 1):.2f}%"

    def y(v: Decimal) -> float:
        return round(float(TOP + plot_h * (hi - v) / (hi - lo)), 1)

    status = STATUS_WORDS.get(fc.status, fc.status)
    parts = [
        f'<svg class="chart" width="100%" height="{H}" role="img" font-size="{FONT}" '
        f'font-family="system-ui, sans-serif" aria-labelledby="fc-title" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="fc-title">Prévision de trésorerie sur {n} jours : statut {escape(status)}, '
        f"minimum {escape(format_dzd(fc.min_balance))} le {fc.min_balance_date:%d/%m/%Y}</title>",
        f'<rect x="0" y="{TOP}" width="100%" height="{plot_h}" fill="#fafafa" stroke="#ddd"/>',
    ]
    values = []  # each grid line's value, just above it at the left: drawn last, over the line
    for v in ticks:
        parts.append(f'<line x1="0" x2="100%" y1="{y(v)}" y2="{y(v)}" stroke="#e4e4e4"/>')
        values.append(
            f'<text class="axis" x="4" y="{y(v) - 4}" fill="#555" {HALO}>'
            f"{escape(_compact(v))}</text>"
        )
    if lo < 0 < hi:
        parts.append(
            f'<line x1="0" x2="100%" y1="{y(Decimal(0))}" y2="{y(Decimal(0))}" '
            'stroke="#c62828" stroke-width="1"/>'
        )
    ty = y(fc.threshold)
    # the label goes on the side of the line with more room, clear of it
    label_y = ty - 6 if ty - TOP > FONT + 8 else ty + FONT + 4
    parts.append(
        f'<line class="threshold" x1="0" x2="100%" y1="{ty}" y2="{ty}" '
        'stroke="#b35900" stroke-width="1.5" stroke-dasharray="6 4"/>'
        f'<text class="threshold-label" x="99%" y="{label_y}" text-anchor="end" fill="#b35900" '
        f"{HALO}>seuil {escape(_compact(fc.threshold))}</text>"
    )
    if banded:
        parts.append(_band_svg(days, y, n))
    for i in range(n - 1):  # the line, segment by segment (a polyline has no % coordinates)
        parts.append(
            f'<line x1="{x(i)}" y1="{y(balances[i])}" x2="{x(i + 1)}" y2="{y(balances[i + 1])}" '
            'stroke="#1f4e79" stroke-width="2"/>'
        )
    for i, d in enumerate(days):
        colour = STATUS_COLOURS.get(d.status, "#555")
        parts.append(
            f'<circle class="day {escape(d.status)}" cx="{x(i)}" cy="{y(d.balance)}" r="3.5" '
            f'fill="{colour}"><title>{d.date:%d/%m/%Y} : {escape(format_dzd(d.balance))} '
            f"({escape(STATUS_WORDS.get(d.status, d.status))})</title></circle>"
        )
    if banded:
        parts.append(
            f'<text class="band-label" x="99%" y="{TOP - 7}" text-anchor="end" '
            f'fill="#1f4e79" {HALO}>zone ombrée : 8 chances sur 10 (P10–P90)</text>'
        )
    parts += values  # halo-ed, the values stay readable where the line crosses them
    marks = sorted({round(k * (n - 1) / 4) for k in range(5)})  # five dates, ends included
    for i in marks:
        anchor = "start" if i == 0 else "end" if i == n - 1 else "middle"
        parts.append(
            f'<text class="axis" x="{x(i)}" y="{H - BOTTOM + FONT + 6}" text-anchor="{anchor}" '
            f'fill="#555">{days[i].date:%d/%m}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _band_svg(days, y, n: int) -> str:
    """The P10–P90 band as one shaded polygon. A polygon takes no % coordinates: it is drawn
    in a nested SVG spanning the plot's width, whose viewBox (one unit per day across, CSS
    pixels down) is stretched to that width (preserveAspectRatio none)."""
    upper = [f"{i},{y(d.p90)}" for i, d in enumerate(days)]
    lower = [f"{i},{y(d.p10)}" for i, d in reversed(list(enumerate(days)))]
    tip = "; ".join(
        f"{d.date:%d/%m} {format_dzd(d.p10)} – {format_dzd(d.p90)}" for d in days[:: max(1, n // 6)]
    )
    return (
        f'<svg class="band" x="{X0}%" y="0" width="{X1 - X0}%" height="{H}" '
        f'viewBox="0 0 {max(1, n - 1)} {H}" preserveAspectRatio="none" overflow="visible">'
        f'<polygon points="{" ".join(upper + lower)}" fill="#1f4e79" fill-opacity="0.16" '
        f'stroke="none"><title>P10–P90 : {escape(tip)}</title></polygon></svg>'
    )


# the what-if chart keeps a fixed drawing box scaled by its viewBox (the dashboard's chart
# is drawn for the width, see forecast_svg)
W, H = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 78, 16, 16, 40


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
