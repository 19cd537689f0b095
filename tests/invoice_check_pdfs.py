"""Invoice documents and PDFs for the invoice checker's tests (reportlab, Vera.ttf)."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

from khazna.money import format_dzd

GOOD: dict[str, Any] = {
    "number": "F2026-0142",
    "issue_date": "2026-10-05",
    "due_date": "2026-11-04",
    "payment_terms": "30 jours",
    "payment_method": "virement",
    "seller": {
        "name": "Atlas Services", "legal_form": "SARL", "capital": "1000000",
        "address": "12 rue Didouche Mourad, 16000 Alger", "rc": "16/00-0012345 B 19",
        "nif": "000216001234567", "nis": "000216010012345", "ai": "16350190602",
        "rib": "00300060000201930048",
    },
    "buyer": {
        "name": "Sonatel SPA", "address": "5 chemin des Crêtes, Hydra, Alger",
        "rc": "16/00-0098765 B 12", "nif": "000116001234567", "nis": "000116010098765",
        "ai": "16010123456",
    },
    "lines": [
        {"description": "Maintenance serveurs octobre 2026", "quantity": "1", "unit": "forfait",
         "unit_price_ht": "100000.00", "tva_rate": "19", "total_ht": "100000.00"},
        {"description": "Formation logiciel de paie", "quantity": "10", "unit": "jour",
         "unit_price_ht": "5000.00", "tva_rate": "9", "total_ht": "50000.00"},
    ],
    "total_ht": "150000.00", "total_tva": "23500.00", "timbre": "0", "total_ttc": "173500.00",
    "amount_in_words": "cent soixante-treize mille cinq cents dinars algériens",
}  # fmt: skip


def good(**changes: Any) -> dict[str, Any]:
    """A correct document; ``changes`` use ``seller__nif`` for nested keys (None drops)."""
    doc = copy.deepcopy(GOOD)
    for key, value in changes.items():
        target, *path = key.split("__")
        holder, name = (doc, target) if not path else (doc[target], path[0])
        if value is None:
            holder.pop(name, None)
        else:
            holder[name] = value
    return doc


def _font() -> str:
    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "Vera" not in pdfmetrics.getRegisteredFontNames():
        path = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"
        pdfmetrics.registerFont(TTFont("Vera", str(path)))
    return "Vera"


def _money(v: Any) -> str:
    return format_dzd(Decimal(str(v)))


def render(
    doc: dict[str, Any], path: Path, *, side_by_side: bool = True, symbol: str = "DA"
) -> Path:
    """An ordinary French invoice layout: seller at the top left, the buyer in a
    "Client" block (on the right, or below), the lines table, totals, amount in words;
    the amounts carry ``symbol`` (« DA », or « € » for an invoice in another currency)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    font = _font()

    def money(v: Any) -> str:
        return format_dzd(Decimal(str(v)), symbol)

    c = Canvas(str(path), pagesize=A4)
    c.setFont(font, 9)
    s, b = doc.get("seller", {}), doc.get("buyer", {})
    y = 800
    seller_lines = [s.get("name", "")]
    if s.get("legal_form") or s.get("capital"):
        seller_lines.append(
            f"{s.get('legal_form', '')} au capital de {money(s['capital'])}"
            if s.get("capital")
            else s.get("legal_form", "")
        )
    seller_lines += [s.get("address", "")]
    for label, key in (("RC", "rc"), ("NIF", "nif"), ("NIS", "nis"), ("AI", "ai"), ("RIB", "rib")):
        if s.get(key):
            seller_lines.append(f"{label} : {s[key]}")
    for i, text in enumerate(seller_lines):
        c.drawString(40, y - 12 * i, text)
    bx, by = (330, y) if side_by_side else (40, y - 12 * len(seller_lines) - 20)
    buyer_lines = ["Client :", b.get("name", ""), b.get("address", "")]
    for label, key in (("RC", "rc"), ("NIF", "nif"), ("NIS", "nis"), ("AI", "ai")):
        if b.get(key):
            buyer_lines.append(f"{label} : {b[key]}")
    for i, text in enumerate(buyer_lines):
        c.drawString(bx, by - 12 * i, text)
    y = min(y - 12 * len(seller_lines), by - 12 * len(buyer_lines)) - 30
    head = [("number", "Facture N° {}"), ("issue_date", "Date : {}"), ("due_date", "Échéance : {}"),
            ("payment_method", "Mode de paiement : {}"),
            ("payment_terms", "Conditions de paiement : {}")]  # fmt: skip
    for key, fmt in head:
        if doc.get(key):
            value = doc[key]
            if key.endswith("date"):
                yy, mm, dd = value.split("-")
                value = f"{dd}/{mm}/{yy}"
            c.drawString(40, y, fmt.format(value))
            y -= 12
    y -= 16
    cols = [40, 280, 320, 370, 450, 500]
    for x, title in zip(
        cols, ["Désignation", "Qté", "Unité", "P.U. HT", "TVA", "Montant HT"], strict=True
    ):
        c.drawString(x, y, title)
    y -= 14
    for line in doc.get("lines", []):
        c.drawString(cols[0], y, line.get("description", ""))
        c.drawString(cols[1], y, str(line.get("quantity", "")))
        c.drawString(cols[2], y, line.get("unit", ""))
        c.drawRightString(cols[4] - 10, y, money(line["unit_price_ht"]).replace(f" {symbol}", ""))
        c.drawString(cols[4], y, f"{line.get('tva_rate', '')} %")
        c.drawRightString(570, y, money(line.get("total_ht", "0")).replace(f" {symbol}", ""))
        y -= 12
    y -= 16
    totals = [("Total HT", "total_ht"), ("Total TVA", "total_tva"),
              ("Droit de timbre", "timbre"), ("Total TTC", "total_ttc")]  # fmt: skip
    for label, key in totals:
        if doc.get(key) not in (None, "0", 0):
            c.drawString(360, y, f"{label} :")
            c.drawRightString(570, y, money(doc[key]))
            y -= 12
    if doc.get("amount_in_words"):
        y -= 12
        text = f"Arrêtée la présente facture à la somme de : {doc['amount_in_words']}."
        words = text.split()
        first, second = " ".join(words[:12]), " ".join(words[12:])
        c.drawString(40, y, first)
        if second:
            c.drawString(40, y - 12, second)
    c.showPage()
    c.save()
    return path


def scanned_pdf(path: Path) -> Path:
    """A PDF with an image and no text layer, like a scan."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    c = Canvas(str(path), pagesize=A4)
    c.rect(40, 400, 300, 200, fill=1)
    c.showPage()
    c.save()
    return path


def long_pdf(path: Path, pages: int) -> Path:
    from reportlab.pdfgen.canvas import Canvas

    c = Canvas(str(path))
    c.setFont(_font(), 10)
    for i in range(pages):
        if i == 0:
            c.drawString(40, 800, "Facture N° F2026-0300")
            c.drawString(40, 785, "Date : 01/10/2026")
        c.drawString(40, 700, f"Annexe page {i + 1}: relevé détaillé des interventions")
        if i == pages - 1:
            c.drawString(360, 100, "Total TTC :")
            c.drawRightString(570, 100, "119 000,00 DA")
        c.showPage()
    c.save()
    return path
