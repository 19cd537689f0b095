"""The report's chart (a PNG made with the standard library) and its PDF (reportlab)."""

from __future__ import annotations

import io
import struct
import zlib
from decimal import Decimal

from khazna.agents.reporter.compose import STATUS_FR
from khazna.agents.reporter.facts import ReportFacts
from khazna.money import format_dzd

W, H, PAD = 640, 260, 24
COLORS = {"ok": (46, 139, 87), "a_surveiller": (230, 150, 30), "tension": (200, 40, 40)}


def _png(pixels: list[bytearray]) -> bytes:
    raw = b"".join(b"\x00" + bytes(row) for row in pixels)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", W, H, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def forecast_chart_png(f: ReportFacts) -> bytes:
    """Bars of the projected balance per day, coloured by status, with the threshold as a
    dashed line and zero as a solid one."""
    days = f.forecast_days
    if not days:
        return b""
    balances = [Decimal(d["balance"]) for d in days]
    lo = min(min(balances), Decimal(0), f.threshold)
    hi = max(max(balances), f.threshold, Decimal(1))
    span = hi - lo or Decimal(1)
    px = [bytearray(b"\xff" * (W * 3)) for _ in range(H)]

    def y_of(v: Decimal) -> int:
        return int(PAD + (H - 2 * PAD) * (1 - (v - lo) / span))

    def put(x: int, y: int, rgb: tuple[int, int, int]) -> None:
        if 0 <= x < W and 0 <= y < H:
            px[y][3 * x : 3 * x + 3] = bytes(rgb)

    n = len(days)
    bar = max(2, (W - 2 * PAD) // n - 2)
    zero_y = y_of(Decimal(0))
    for i, (d, b) in enumerate(zip(days, balances, strict=True)):
        x0 = PAD + i * (W - 2 * PAD) // n
        top, bottom = sorted((y_of(b), zero_y))
        for x in range(x0, x0 + bar):
            for y in range(top, bottom + 1):
                put(x, y, COLORS.get(d["status"], (90, 90, 90)))
    ty = y_of(f.threshold)
    for x in range(PAD, W - PAD):
        put(x, zero_y, (0, 0, 0))
        if (x // 6) % 2 == 0:
            put(x, ty, (40, 40, 200))
            put(x, ty + 1, (40, 40, 200))
    return _png(px)


def report_pdf(f: ReportFacts, commentary: str) -> bytes:
    """The full report: commentary, chart, receivables, forecast and anomalies tables."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from khazna.ledger.invoice_pdf import FONT, FONT_BOLD, _register_fonts

    _register_fonts()
    body = ParagraphStyle("b", fontName=FONT, fontSize=9.5, leading=13)
    h1 = ParagraphStyle("h1", fontName=FONT_BOLD, fontSize=15, leading=19, spaceAfter=8)
    h2 = ParagraphStyle("h2", fontName=FONT_BOLD, fontSize=11.5, leading=15, spaceBefore=10, spaceAfter=4)

    def m(v) -> str:
        return format_dzd(Decimal(str(v))).replace("\u202f", " ")

    def table(rows: list[list[str]], widths: list[float]) -> Table:
        t = Table(rows, colWidths=[w * cm for w in widths], repeatRows=1)
        t.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), FONT, 8), ("FONT", (0, 0), (-1, 0), FONT_BOLD, 8),
            ("GRID", (0, 0), (-1, -1), 0.3, colors.grey), ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]))
        return t

    story = [Paragraph(f"{f.company} – rapport de trésorerie du {f.week_start:%d/%m/%Y} au {f.week_end:%d/%m/%Y}", h1)]
    story += [Paragraph(p.replace("\u202f", " "), body) for p in commentary.split("\n\n")]
    png = forecast_chart_png(f)
    if png:
        story += [Spacer(1, 6), Image(io.BytesIO(png), width=16 * cm, height=6.5 * cm)]
    story.append(Paragraph("Factures les plus à risque", h2))
    story.append(table([["Facture", "Client", "Échéance", "Reste dû", "Retard", "Score"]] + [
        [r.number, r.client_name[:34], f"{r.due_date:%d/%m/%Y}", m(r.open_amount), f"{r.days_late} j", f"{r.score:.2f}"]
        for r in f.riskiest], [2.6, 5.4, 2.2, 3.2, 1.4, 1.2]))
    story.append(Paragraph(f"Prévision sur {f.horizon_days} jours (seuil {m(f.threshold)})", h2))
    story.append(table([["Date", "Solde prévu", "Statut"]] + [
        [d["date"][8:10] + "/" + d["date"][5:7] + "/" + d["date"][:4], m(d["balance"]), STATUS_FR.get(d["status"], d["status"])]
        for d in f.forecast_days], [3, 4, 3]))
    story.append(Paragraph("Dépenses hors norme (30 jours)", h2))
    story.append(table([["Type", "Réf.", "Montant", "Motif"]] + [
        [a.kind, ", ".join(a.refs)[:24], m(a.amount), Paragraph(a.reason.replace("\u202f", " "), body)]
        for a in f.out_of_norm] if f.out_of_norm else [["Type", "Réf.", "Montant", "Motif"], ["—", "", "", "aucune"]],
        [3.2, 3, 2.8, 8]))
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, leftMargin=1.6 * cm, rightMargin=1.6 * cm, topMargin=1.5 * cm,
                      bottomMargin=1.5 * cm, title="Rapport de trésorerie").build(story)
    return buf.getvalue()
