"""A third invoice layout, held out from the checker's tuning: a generalisation check.

Unlike ``khazna.ledger.invoice_pdf`` and ``khazna.evals.invoice_layout2``: the buyer block
("Facturé à") sits on the right of the seller's; the invoice data is a two-column key/value
table without colons ("Réf. facture", "Date d'émission", "Payable par", "Conditions de
paiement", "Date d'échéance"); the lines table puts the unit price before the quantity, has a
code column and prints the rate last; amounts use points between thousands
("1.234.567,89"); the totals box is on the left ("Total H.T.", one "TVA x %" line per rate
and no total VAT line, "Timbre fiscal", "Total T.T.C", "Net à payer"), with "Arrêtée la
présente facture" / "à la somme de : ..." across lines on its right; the seller's
identifiers are in the footer, on one line separated by " - ".
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from khazna.ledger.documents import InvoiceDocument
from khazna.ledger.invoice_pdf import FONT, FONT_BOLD, _register_fonts
from khazna.money import q2

METHODS = {"virement": "Virement bancaire", "cheque": "Chèque", "especes": "Espèces"}


def money(v: Decimal | None) -> str:
    """``1.234.567,89`` (points between thousands, decimal comma, no currency)."""
    if v is None:
        return ""
    sign = "-" if v < 0 else ""
    units, cents = f"{abs(q2(v)):.2f}".split(".")
    groups = []
    while units:
        groups.insert(0, units[-3:])
        units = units[:-3]
    return f"{sign}{'.'.join(groups)},{cents}"


def _num(v: Decimal | None) -> str:
    return "" if v is None else f"{v.normalize():f}".replace(".", ",")


def _wrap(text: str, width: int) -> list[str]:
    out, cur = [], ""
    for w in text.split():
        if cur and len(cur) + 1 + len(w) > width:
            out.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    return out + ([cur] if cur else [])


def render_layout3(doc: InvoiceDocument, path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    _register_fonts()
    path = Path(path)
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    width, height = A4
    s, b = doc.seller, doc.buyer

    def text(x, y, t, size=9, bold=False, right=False):
        c.setFont(FONT_BOLD if bold else FONT, size)
        (c.drawRightString if right else c.drawString)(x, y, t)

    y0 = height - 50
    seller = [(s.name or "", 14, True)]
    if s.legal_form or s.capital is not None:
        cap = f" au capital social de {money(s.capital)} DA" if s.capital is not None else ""
        seller.append((f"{s.legal_form or ''}{cap}".strip(), 8, False))
    if s.address:
        seller.append((s.address, 8, False))
    for k, (t, size, bold) in enumerate(seller):
        text(40, y0 - 14 * k, t, size, bold)
    buyer = [("Facturé à :", True), (b.name or "", True), (b.address or "", False)]
    buyer += [(f"{k} : {v}", False) for k, v in (("NIF", b.nif), ("RC", b.rc), ("AI", b.ai),
                                                 ("NIS", b.nis)) if v]  # fmt: skip
    for k, (t, bold) in enumerate(buyer):
        if t:
            text(330, y0 - 12 * k, t, 9, bold)
    y = y0 - 12 * max(len(buyer), len(seller) + 1) - 20
    text(40, y, "FACTURE", 16, True)
    y -= 24
    kv = [("Réf. facture", doc.number),
          ("Date d'émission", f"{doc.issue_date:%d/%m/%Y}" if doc.issue_date else None),
          ("Payable par", METHODS.get(doc.payment_method or "", doc.payment_method)),
          ("Conditions de paiement", doc.payment_terms),
          ("Date d'échéance", f"{doc.due_date:%d/%m/%Y}" if doc.due_date else None)]  # fmt: skip
    for label, value in kv:
        if value:
            c.rect(38, y - 4, 120, 14)
            c.rect(158, y - 4, 130, 14)
            text(42, y, label, 8, True)
            text(162, y, value, 9)
            y -= 14
    y -= 22
    cols = [(40, "Code", "l"), (80, "Désignation", "l"), (370, "P.U. HT", "r"),
            (410, "Qté", "r"), (490, "Montant HT", "r"), (555, "TVA", "r")]  # fmt: skip
    for x, t, a in cols:
        text(x, y, t, 8, True, right=a == "r")
    y -= 14
    for i, ln in enumerate(doc.lines, start=1):
        amount = ln.total_ht
        if amount is None and ln.quantity is not None and ln.unit_price_ht is not None:
            amount = q2(ln.quantity * ln.unit_price_ht)
        rate = f"{_num(ln.tva_rate)} %" if ln.tva_rate is not None else ""
        row = [f"A{100 + i}", (ln.description or "")[:52], money(ln.unit_price_ht),
               _num(ln.quantity), money(amount), rate]  # fmt: skip
        for (x, _, a), t in zip(cols, row, strict=True):
            text(x, y, t, 8, right=a == "r")
        y -= 12
    y -= 20
    by_rate: dict[Decimal, Decimal] = defaultdict(Decimal)
    for ln in doc.lines:
        if ln.tva_rate is not None and ln.quantity is not None and ln.unit_price_ht is not None:
            by_rate[ln.tva_rate] += q2(ln.quantity * ln.unit_price_ht)
    rates = sorted(by_rate, reverse=True)
    totals = [("Total H.T.", doc.total_ht)]
    if len(rates) == 1:
        totals.append((f"TVA {_num(rates[0])} %", doc.total_tva))  # printed, right or wrong
    else:
        totals += [(f"TVA {_num(r)} %", q2(by_rate[r] * r / 100)) for r in rates]
    if doc.timbre:
        totals.append(("Timbre fiscal", doc.timbre))
    totals += [("Total T.T.C", doc.total_ttc), ("Net à payer", doc.total_ttc)]
    words: list[str] = []
    if doc.amount_in_words:
        words = ["Arrêtée la présente facture"]
        words += _wrap(f"à la somme de : {doc.amount_in_words}.", 48)
    top = y
    for k in range(max(len(totals), len(words))):
        if k < len(totals) and totals[k][1] is not None:
            label, value = totals[k]
            text(44, y, label, 9, label.startswith(("Total T", "Net")))
            text(250, y, money(value), 9, label.startswith(("Total T", "Net")), right=True)
        if k < len(words):
            text(300, y, words[k], 8)
        y -= 13
    c.rect(38, y + 8, 218, top - y + 4)
    footer = [f"{k} : {v}" for k, v in (("RC", s.rc), ("NIF", s.nif), ("NIS", s.nis),
                                        ("AI", s.ai)) if v]  # fmt: skip
    text(40, 60, " - ".join(footer), 7)
    if s.rib:
        text(40, 50, f"RIB : {s.rib}", 7)
    c.showPage()
    c.save()
    return path
