"""The report's chart (a PNG drawn with Pillow, which reportlab brings) and its PDF."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from khazna.agents.reporter.compose import STATUS_FR
from khazna.agents.reporter.facts import ReportFacts, week_span
from khazna.ledger.invoice_pdf import FONT, FONT_BOLD, _register_fonts
from khazna.money import format_dzd, nice_ticks
from khazna.pdf_text import FONT_DIRS, arabic_font, has_arabic, visual
from khazna.text import strip_bidi
from khazna.tools.anomalies import KINDS

W, H = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 96, 16, 28, 40
# the report's words per language (the figures are formatted by the code)
LABELS: dict[str, dict[str, Any]] = {
    "fr": {"title": "{company} – rapport de trésorerie, {span}",
           "risky": "Factures les plus à risque",
           "risky_cols": ["Facture", "Client", "Échéance", "Reste dû", "Retard", "Score"],
           "days": "{n} j", "forecast": "Prévision sur {n} jours (seuil {threshold})",
           "forecast_cols": ["Date", "Solde prévu", "Statut"],
           "odd": "Dépenses hors norme (30 jours)", "odd_cols": ["Type", "Réf.", "Montant", "Motif"],
           "none": "aucune", "doc_title": "Rapport de trésorerie"},
    "ar": {"title": "{company} – تقرير الخزينة، {span}",
           "risky": "الفواتير الأكثر خطرا",
           "risky_cols": ["الفاتورة", "العميل", "تاريخ الاستحقاق", "المبلغ المتبقي", "التأخير", "الخطر"],
           "days": "{n} يوما", "forecast": "توقعات {n} يوما (العتبة {threshold})",
           "forecast_cols": ["التاريخ", "الرصيد المتوقع", "الحالة"],
           "odd": "نفقات خارج المعايير (30 يوما)", "odd_cols": ["النوع", "المرجع", "المبلغ", "السبب"],
           "none": "لا شيء", "doc_title": "تقرير الخزينة"},
}  # fmt: skip
STATUS_AR = {"ok": "جيد", "a_surveiller": "تحت المراقبة", "tension": "توتر"}
# the anomaly kinds of tools/anomalies.KINDS in an Arabic report (French: their label_fr)
KIND_AR = {
    "duplicate_payment": "دفع مكرر",
    "over_limit": "تجاوز السقف",
    "category_not_allowed": "استعمال البطاقة خارج الفئات",
    "missing_receipt": "وصل مفقود",
    "amount_outlier": "مبلغ غير معتاد",
    "unknown_payee": "مستفيد مجهول",
}
COLORS = {"ok": (46, 139, 87), "a_surveiller": (230, 150, 30), "tension": (200, 40, 40)}


# the chart's words per language; the figures are the code's (``{amount}``: ``4,5 M DA``)
CHART_WORDS: dict[str, dict[str, str]] = {
    "fr": {"title": "Trésorerie prévue sur {n} jours", "low": "point bas {day} : {amount}",
           "threshold": "seuil {amount}", "band": "zone bleutée : 8 chances sur 10 (P10–P90)",
           "millions": "{m} M DA"},
    "ar": {"title": "الخزينة المتوقعة على {n} يوما", "low": "أدنى رصيد {day} : {amount}",
           "threshold": "العتبة {amount}",
           "band": "المنطقة الزرقاء: 8 احتمالات من 10 (P10–P90)",
           "millions": "{m} مليون دج"},
}  # fmt: skip


def _font_path(arabic: bool, bold: bool) -> Path:
    """Vera (reportlab's) for Latin text; DejaVu Sans, which has the Arabic glyphs and their
    presentation forms, for a label with Arabic letters (Vera draws them as empty boxes)."""
    if arabic:
        for folder in FONT_DIRS:
            path = folder / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
            if path.is_file():
                return path
    # lazy: reportlab/PIL (0.12 s) only when a PDF or chart image is drawn
    import reportlab

    return Path(reportlab.__file__).parent / "fonts" / ("VeraBd.ttf" if bold else "Vera.ttf")


def _font(size: int, bold: bool = False, arabic: bool = False):
    # lazy: reportlab/PIL (0.12 s) only when a PDF or chart image is drawn
    from PIL import ImageFont

    # the basic layout: Arabic labels come shaped and in display order (pdf_text.visual),
    # the same on a Pillow built without libraqm
    return ImageFont.truetype(
        str(_font_path(arabic, bold)), size, layout_engine=ImageFont.Layout.BASIC
    )


def _short(v: Decimal, lang: str = "fr") -> str:
    """Axis labels: ``4,5 M DA`` (``4,5 مليون دج`` in Arabic)."""
    millions = v / Decimal(1_000_000)
    text = f"{millions:.1f}".removesuffix(".0").replace(".", ",")
    return CHART_WORDS[lang]["millions"].format(m="0" if text == "-0" else text)


class ChartLabel(NamedTuple):
    """A text of the chart: its words in logical order, where it goes (``anchor`` as
    Pillow's: ``la`` left-top, ``ra`` right-top), its size and weight."""

    text: str
    xy: tuple[int, int]
    size: int = 11
    bold: bool = False
    fill: tuple[int, int, int] = (90, 90, 90)
    anchor: str = "la"
    boxed: bool = False  # on a white box (the threshold's label, never lost on a bar)


def chart_labels(f: ReportFacts) -> list[ChartLabel]:
    """Every text the chart draws, in the report's language."""
    days = f.forecast_days
    if not days:
        return []
    lang = "ar" if f.language == "ar" else "fr"
    words = CHART_WORDS[lang]
    balances = [Decimal(d["balance"]) for d in days]
    ticks, y_of = _scale(f)
    labels = [ChartLabel(_short(v, lang), (LEFT - 6, y_of(v) - 7), anchor="ra") for v in ticks]
    n = len(days)
    slot = (W - LEFT - RIGHT) / n
    for i, d in enumerate(days):
        if i % 5 == 0 or i == n - 1:
            x0 = LEFT + int(i * slot) + 1
            labels.append(
                ChartLabel(d["date"][8:10] + "/" + d["date"][5:7], (x0, H - BOTTOM + 6),
                           fill=(60, 60, 60))
            )  # fmt: skip
    if all("p10" in d and "p90" in d for d in days):
        labels.append(ChartLabel(words["band"], (LEFT + 4, H - BOTTOM + 20), fill=(31, 78, 121)))
    labels.append(
        ChartLabel(words["threshold"].format(amount=_short(f.threshold, lang)),
                   (LEFT + 4, y_of(f.threshold) - 17), fill=(40, 40, 200), boxed=True)
    )  # fmt: skip
    low_i = min(range(n), key=lambda i: balances[i])
    day = f"{days[low_i]['date'][8:10]}/{days[low_i]['date'][5:7]}"
    low = words["low"].format(day=day, amount=_short(balances[low_i], lang))
    title = words["title"].format(n=n)
    if lang == "ar":  # the title where an Arabic reader starts: on the right
        labels.append(ChartLabel(title, (W - RIGHT, 6), 12, True, (0, 0, 0), anchor="ra"))
        labels.append(ChartLabel(low, (LEFT, 6), 12, True, (0, 0, 0)))
    else:
        labels.append(ChartLabel(title, (LEFT, 6), 12, True, (0, 0, 0)))
        labels.append(ChartLabel(low, (W - 250, 6), 12, True, (0, 0, 0)))
    return labels


def _scale(f: ReportFacts):
    """The axis' round values (2 M, 4 M, 6 M…, as the dashboard's chart) and the y of an
    amount."""
    days = f.forecast_days
    balances = [Decimal(d["balance"]) for d in days]
    banded = all("p10" in d and "p90" in d for d in days)
    band = [(Decimal(d["p10"]), Decimal(d["p90"])) for d in days] if banded else []
    ticks = nice_ticks(
        min(min(balances), *(p10 for p10, _ in band), Decimal(0), f.threshold),
        max(max(balances), *(p90 for _, p90 in band), f.threshold, Decimal(1)),
    )
    lo, hi = ticks[0], ticks[-1]
    span = hi - lo or Decimal(1)

    def y_of(v: Decimal) -> int:
        return int(TOP + (H - TOP - BOTTOM) * (1 - (v - lo) / span))

    return ticks, y_of


def forecast_chart_png(f: ReportFacts) -> bytes:
    """Bars of the projected balance per day, coloured by status, the threshold as a dashed
    line, zero as a solid one, the lowest day marked; its words in the report's language
    (:func:`chart_labels`)."""
    # lazy: reportlab/PIL (0.12 s) only when a PDF or chart image is drawn
    from PIL import Image, ImageDraw

    days = f.forecast_days
    if not days:
        return b""
    balances = [Decimal(d["balance"]) for d in days]
    banded = all("p10" in d and "p90" in d for d in days)
    band = [(Decimal(d["p10"]), Decimal(d["p90"])) for d in days] if banded else []
    ticks, y_of = _scale(f)
    img = Image.new("RGB", (W, H), "white")
    draw = ImageDraw.Draw(img)
    plot_w = W - LEFT - RIGHT
    for v in ticks:  # horizontal grid
        y = y_of(v)
        draw.line([(LEFT, y), (W - RIGHT, y)], fill=(230, 230, 230))
    n = len(days)
    slot = plot_w / n
    zero_y = y_of(Decimal(0))
    low_i = min(range(n), key=lambda i: balances[i])
    for i, (d, b) in enumerate(zip(days, balances, strict=True)):
        x0 = LEFT + int(i * slot) + 1
        x1 = LEFT + int((i + 1) * slot) - 2
        top, bottom = sorted((y_of(b), zero_y))
        draw.rectangle([x0, top, x1, bottom], fill=COLORS.get(d["status"], (90, 90, 90)))
    if band:  # the P10–P90 band, shaded over the bars, its edges drawn
        img = _draw_band(img, band, y_of, slot)
        draw = ImageDraw.Draw(img)
    draw.line([(LEFT, zero_y), (W - RIGHT, zero_y)], fill=(0, 0, 0), width=1)
    ty = y_of(f.threshold)
    for x in range(LEFT, W - RIGHT, 12):
        draw.line([(x, ty), (x + 6, ty)], fill=(40, 40, 200), width=2)
    lx = LEFT + int((low_i + 0.5) * slot)
    draw.polygon(
        [(lx - 5, TOP - 8), (lx + 5, TOP - 8), (lx, TOP - 1)], fill=(0, 0, 0)
    )  # marks the lowest day
    for label in chart_labels(f):
        arabic = has_arabic(label.text)
        font = _font(label.size, label.bold, arabic)
        text = visual(label.text) if arabic else label.text
        if label.boxed:
            box = draw.textbbox(label.xy, text, font=font, anchor=label.anchor)
            draw.rectangle([box[0] - 2, box[1] - 1, box[2] + 2, box[3] + 1], fill="white")
        draw.text(label.xy, text, fill=label.fill, font=font, anchor=label.anchor)
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def _draw_band(img, band: list[tuple[Decimal, Decimal]], y_of, slot: float):
    """``img`` with the band between each day's p10 and p90 (at the middle of its bar)
    composited in translucent blue, its two edges as thin lines."""
    from PIL import Image, ImageDraw

    xs = [LEFT + int((i + 0.5) * slot) for i in range(len(band))]
    upper = [(x, y_of(p90)) for x, (_, p90) in zip(xs, band, strict=True)]
    lower = [(x, y_of(p10)) for x, (p10, _) in zip(xs, band, strict=True)]
    layer = Image.new("RGBA", img.size, (0, 0, 0, 0))
    pen = ImageDraw.Draw(layer)
    pen.polygon(upper + lower[::-1], fill=(31, 78, 121, 70))
    pen.line(upper, fill=(31, 78, 121, 200), width=1)
    pen.line(lower, fill=(31, 78, 121, 200), width=1)
    return Image.alpha_composite(img.convert("RGBA"), layer).convert("RGB")


NBSP = "\u00a0"
_ARABIC_RUN = re.compile(
    r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]"
    r"(?:[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff\s]*"
    r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff])?"
)


_AMOUNT_UNIT = re.compile(r"(\d) (?=DA\b|دج)")  # "5 000,00 DA": the unit stays with its figure


def _escape(text: str) -> str:
    """Text for a reportlab Paragraph, which reads markup: ``&``, ``<``, ``>`` as entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _kind_fr(kind: str) -> str:
    spec = KINDS.get(kind)
    return spec.label_fr.capitalize() if spec else kind


def _markup(text: str, rtl: bool, ar_font: str | None) -> str:
    """A paragraph's text as Paragraph markup. Amounts keep their no-break spaces. In an
    Arabic report the whole paragraph is shaped and laid out right to left; in a French one
    only its Arabic runs (a client's name) are, each set in the Arabic font, so the French
    words, the amounts and the invoice numbers around them stay in their order."""
    text = _AMOUNT_UNIT.sub("\\1" + NBSP, strip_bidi(text).replace("\u202f", NBSP))
    if not has_arabic(text) or ar_font is None:
        return _escape(text)
    if rtl:
        return _escape(visual(text))
    out, at = [], 0
    for run in _ARABIC_RUN.finditer(text):
        out.append(_escape(text[at : run.start()]))
        out.append(
            f'<font face="{ar_font}">{_escape(visual(run.group())).replace(" ", NBSP)}</font>'
        )
        at = run.end()
    out.append(_escape(text[at:]))
    return "".join(out)


def report_pdf(f: ReportFacts, commentary: str) -> bytes:
    """The full report: commentary, chart, receivables, forecast and anomalies tables."""
    # lazy: reportlab/PIL (0.12 s) only when a PDF or chart image is drawn
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    _register_fonts()
    body = ParagraphStyle("b", fontName=FONT, fontSize=9.5, leading=13, spaceAfter=5)
    h1 = ParagraphStyle("h1", fontName=FONT_BOLD, fontSize=15, leading=19, spaceAfter=8)
    h2 = ParagraphStyle(
        "h2", fontName=FONT_BOLD, fontSize=11.5, leading=15, spaceBefore=10, spaceAfter=4
    )

    ar_font = arabic_font()
    rtl = f.language == "ar" and ar_font is not None
    words = LABELS["ar" if rtl else "fr"]
    if rtl:  # an Arabic report: its words shaped, right-aligned, in a font with the glyphs
        body = ParagraphStyle("b", fontName=ar_font, fontSize=10, leading=15, spaceAfter=5,
                              alignment=2)  # fmt: skip
        h1 = ParagraphStyle("h1", fontName=ar_font, fontSize=15, leading=21, spaceAfter=8,
                            alignment=2)  # fmt: skip
        h2 = ParagraphStyle("h2", fontName=ar_font, fontSize=12, leading=17, spaceBefore=10,
                            spaceAfter=4, alignment=2)  # fmt: skip

    def m(v) -> str:
        # a no-break space between the thousands: an amount never wraps mid-number
        text = format_dzd(Decimal(str(v)), symbol="دج" if rtl else "DA")
        return _AMOUNT_UNIT.sub("\\1" + NBSP, text.replace("\u202f", NBSP))

    def para(text: str, style) -> Paragraph:
        return Paragraph(_markup(text, rtl, ar_font), style)

    ar_style = ParagraphStyle("ar", fontName=ar_font or FONT, fontSize=8, leading=10, alignment=2)
    text_style = ParagraphStyle("cell", fontName=FONT, fontSize=8, leading=10)

    def cell(value):
        """Text that may be long (a client's name, a reason) wraps inside its column;
        Arabic cells are shaped and right-aligned in a font that has the glyphs."""
        if isinstance(value, str) and has_arabic(value) and ar_font:
            return Paragraph(visual(value), ar_style)
        return value

    def wrapping(value: str) -> Paragraph | str:
        return cell(value) if has_arabic(value) else Paragraph(_escape(value), text_style)

    def table(rows: list[list], widths: list[float], right: tuple[int, ...] = ()) -> Table:
        """``right``: the columns right-aligned (amounts, days, scores)."""
        rows = [[cell(v) for v in row] for row in rows]
        last = len(widths) - 1
        if rtl:  # columns read right to left
            rows, widths = [row[::-1] for row in rows], widths[::-1]
            right = tuple(last - c for c in right)
        t = Table(rows, colWidths=[w * cm for w in widths], repeatRows=1)
        t.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), FONT, 8),
                    ("FONT", (0, 0), (-1, 0), FONT_BOLD, 8),
                    ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    *[("ALIGN", (c, 0), (c, -1), "RIGHT") for c in right],
                ]
            )
        )
        return t

    story = [
        para(
            words["title"].format(company=f.company, span=week_span(f, "ar" if rtl else "fr")),
            h1,
        )
    ]  # fmt: skip
    story += [para(p, body) for p in commentary.split("\n\n")]
    png = forecast_chart_png(f)
    if png:
        story += [Spacer(1, 6), Image(io.BytesIO(png), width=16 * cm, height=6.5 * cm)]
    story.append(para(words["risky"], h2))
    story.append(
        table(
            [words["risky_cols"]]
            + [
                [
                    r.number,  # a plain cell: an invoice number never wraps
                    wrapping(r.client_name),
                    f"{r.due_date:%d/%m/%Y}",
                    m(r.open_amount),
                    words["days"].format(n=r.days_late),
                    f"{round(r.score * 100)} %",
                ]
                for r in f.riskiest
            ],
            [2.6, 5.4, 2.2, 3.2, 1.4, 1.2],
            right=(3, 4, 5),
        )
    )
    status_words = STATUS_AR if rtl else STATUS_FR
    story.append(para(words["forecast"].format(n=f.horizon_days, threshold=m(f.threshold)), h2))
    story.append(
        table(
            [words["forecast_cols"]]
            + [
                [
                    d["date"][8:10] + "/" + d["date"][5:7] + "/" + d["date"][:4],
                    m(d["balance"]),
                    status_words.get(d["status"], d["status"]),
                ]
                for d in f.forecast_days
            ],
            [3, 4, 3],
            right=(1,),
        )
    )
    story.append(para(words["odd"], h2))
    story.append(
        table(
            [words["odd_cols"]]
            + [
                [
                    wrapping(KIND_AR.get(a.kind, a.kind) if rtl else _kind_fr(a.kind)),
                    ", ".join(a.refs)[:24],
                    m(a.amount),
                    para(a.reason, body),
                ]
                for a in f.out_of_norm
            ]
            if f.out_of_norm
            else [words["odd_cols"], ["—", "", "", words["none"]]],
            [3.2, 3, 2.8, 8],
            right=(2,),
        )
    )
    buf = io.BytesIO()
    SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=1.6 * cm,
        rightMargin=1.6 * cm,
        topMargin=1.5 * cm,
        bottomMargin=1.5 * cm,
        title=words["doc_title"],
    ).build(story)
    return buf.getvalue()
