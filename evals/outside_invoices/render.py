"""Drawing helpers for the outside layouts: a page, wrapped text, ruled tables, formats."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from khazna.evals.outside_invoices.model import Invoice, Party

MONTHS = (
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()
)
_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def dejavu() -> tuple[str, str]:
    """An embedded TrueType font (as office software writes), else Helvetica."""
    try:
        pdfmetrics.getFont("DejaVuSans")
    except KeyError:
        try:
            pdfmetrics.registerFont(TTFont("DejaVuSans", str(_DEJAVU / "DejaVuSans.ttf")))
            pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(_DEJAVU / "DejaVuSans-Bold.ttf")))
        except Exception:  # no font file here: the layout still renders, in Helvetica
            return "Helvetica", "Helvetica-Bold"
    return "DejaVuSans", "DejaVuSans-Bold"


def money(value: Decimal, style: str = "space") -> str:
    """1 234 567,89 (space), 1.234.567,89 (dot) or 1234567,89 (plain)."""
    sign = "-" if value < 0 else ""
    whole, cents = f"{abs(value):.2f}".split(".")
    if style != "plain":
        sep = "." if style == "dot" else " "
        groups: list[str] = []
        while whole:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        whole = sep.join(groups)
    return f"{sign}{whole},{cents}"


def day(value: date, style: str = "slash") -> str:
    if style == "long":
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    sep = {"slash": "/", "dash": "-", "dot": "."}[style]
    return f"{value.day:02d}{sep}{value.month:02d}{sep}{value.year}"


def grouped(digits: str | None, sizes: tuple[int, ...]) -> str | None:
    """Digits printed in groups (`0001 16098 76543 21`), the rest as one last group."""
    if digits is None:
        return None
    out, i = [], 0
    for size in sizes:
        if i >= len(digits):
            break
        out.append(digits[i : i + size])
        i += size
    if i < len(digits):
        out.append(digits[i:])
    return " ".join(out)


def rib_spaced(rib: str | None) -> str | None:
    return grouped(rib, (3, 5, 10))


METHODS = {
    "virement": ("Virement bancaire", "Virement"),
    "cheque": ("Chèque", "Chèque bancaire"),
    "especes": ("Espèces", "En espèces"),
}


def method_label(method: str | None, variant: int = 0) -> str | None:
    return None if method is None else METHODS[method][variant]


class Page:
    """One A4 page drawn with reportlab; y grows upward, as in PDF."""

    def __init__(self, path: Path, font: str = "Helvetica", bold: str = "Helvetica-Bold"):
        self.c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
        self.c.setTitle("Facture")
        self.c.setAuthor("")
        self.font, self.bold = font, bold
        self.width, self.height = A4

    def text(
        self, x: float, y: float, s: str, size: float = 9, bold: bool = False, align: str = "l"
    ) -> None:
        self.c.setFont(self.bold if bold else self.font, size)
        if align == "r":
            self.c.drawRightString(x, y, s)
        elif align == "c":
            self.c.drawCentredString(x, y, s)
        else:
            self.c.drawString(x, y, s)

    def split(self, s: str, width: float, size: float, bold: bool = False) -> list[str]:
        """`s` cut at spaces into lines no wider than `width`."""
        font = self.bold if bold else self.font
        lines: list[str] = []
        current = ""
        for word in s.split(" "):
            trial = f"{current} {word}".strip()
            if current and pdfmetrics.stringWidth(trial, font, size) > width:
                lines.append(current)
                current = word
            else:
                current = trial
        if current:
            lines.append(current)
        return lines

    def para(
        self,
        x: float,
        y: float,
        s: str,
        width: float,
        size: float = 9,
        leading: float = 11,
        bold: bool = False,
    ) -> float:
        """Wrapped text from the top line at `y`; returns the y below it."""
        for line in self.split(s, width, size, bold):
            self.text(x, y, line, size, bold)
            y -= leading
        return y

    def box(self, x: float, y: float, w: float, h: float, fill: float | None = None) -> None:
        """A rectangle whose lower-left corner is (x, y); `fill` a grey level."""
        if fill is not None:
            self.c.setFillGray(fill)
            self.c.rect(x, y, w, h, stroke=1, fill=1)
            self.c.setFillGray(0)
        else:
            self.c.rect(x, y, w, h, stroke=1, fill=0)

    def hline(self, x1: float, x2: float, y: float) -> None:
        self.c.line(x1, y, x2, y)

    def table(
        self,
        x: float,
        y: float,
        cols: Sequence[tuple[str, float, str]],
        rows: list[list[str]],
        size: float = 8.5,
        grid: bool = True,
        header_fill: float | None = 0.85,
    ) -> float:
        """A table from its top edge at `y`: (header, width, align) columns; returns its bottom.

        Cells wrap at their column width; `grid=False` rules only under the header and at the end.
        """
        leading = size + 2.5
        total = sum(w for _, w, _ in cols)
        head_h = leading + 6
        if grid or header_fill is not None:
            self.box(x, y - head_h, total, head_h, fill=header_fill)
        cx = x
        for header, w, _align in cols:
            self.text(cx + w / 2, y - head_h + 5, header, size, bold=True, align="c")
            cx += w
        top = y - head_h
        if not grid:
            self.hline(x, x + total, top)
        yy = top
        for row in rows:
            cells = [self.split(v, w - 6, size) for v, (_, w, _) in zip(row, cols, strict=True)]
            h = max(len(c) for c in cells) * leading + 6
            cx = x
            for lines, (_, w, align) in zip(cells, cols, strict=True):
                ly = yy - leading
                for line in lines:
                    if align == "r":
                        self.text(cx + w - 3, ly, line, size, align="r")
                    elif align == "c":
                        self.text(cx + w / 2, ly, line, size, align="c")
                    else:
                        self.text(cx + 3, ly, line, size)
                    ly -= leading
                cx += w
            yy -= h
        if grid:
            self.c.rect(x, yy, total, top - yy, stroke=1, fill=0)
            cx = x
            for _, w, _ in cols[:-1]:
                cx += w
                self.c.line(cx, y, cx, yy)
        else:
            self.hline(x, x + total, yy)
        return yy

    def kv(
        self,
        x: float,
        y: float,
        pairs: list[tuple[str, str | None]],
        size: float = 9,
        leading: float = 11.5,
        sep: str = " : ",
        label_w: float | None = None,
    ) -> float:
        """`label : value` lines, skipping pairs whose value is None; returns the y below."""
        for label, value in pairs:
            if value is None:
                continue
            if label_w is None:
                self.text(x, y, f"{label}{sep}{value}" if label else value, size)
            else:
                self.text(x, y, label, size)
                self.text(x + label_w, y, f"{sep.strip()} {value}".strip(), size)
            y -= leading
        return y

    def save(self) -> None:
        self.c.showPage()
        self.c.save()


# --- pieces every layout prints -----------------------------------------------------------
def firm(p: Party, form_first: bool = True) -> str:
    if not p.legal_form:
        return p.name or ""
    return f"{p.legal_form} {p.name}" if form_first else f"{p.name} {p.legal_form}"


def capital(p: Party, style: str = "space", wording: int = 0) -> str | None:
    if p.capital is None:
        return None
    amount = money(p.capital, style)
    return f"Capital social : {amount} DA" if wording == 0 else f"au capital de {amount} DA"


def qty(q: Decimal, decimals: bool = False) -> str:
    return f"{q:.2f}".replace(".", ",") if decimals else f"{q:.0f}"


def words_text(inv: Invoice, upper: bool = False) -> str | None:
    if inv.words is None:
        return None
    w = inv.words
    return w.upper() if upper else w[0].upper() + w[1:]


def totals(
    inv: Invoice, labels: dict[str, str], style: str, rate_fmt: str = "{} %"
) -> list[tuple[str, str]]:
    """The totals block: (label, amount) rows; labels have keys ht, tva, timbre, ttc."""
    rows = [(labels["ht"], money(inv.total_ht, style))]
    for rate, amount in inv.tva_by_rate.items():
        rows.append((labels["tva"].format(rate_fmt.format(rate)), money(amount, style)))
    if inv.timbre is not None:
        rows.append((labels["timbre"], money(inv.timbre, style)))
    rows.append((labels["ttc"], money(inv.total_ttc, style)))
    return rows


def draw_totals(
    pg: Page,
    x_label: float,
    x_value: float,
    y: float,
    rows: list[tuple[str, str]],
    size: float = 9,
    boxed: bool = False,
    suffix: str = "",
) -> float:
    for i, (label, value) in enumerate(rows):
        last = i == len(rows) - 1
        if boxed:
            pg.box(x_label - 4, y - 4, x_value - x_label + 8, 15)
        pg.text(x_label, y, label, size, bold=last)
        pg.text(x_value, y, value + suffix, size, bold=last, align="r")
        y -= 16 if boxed else 13
    return y
