"""A second invoice layout, unlike khazna.ledger.invoice_pdf, for the invoice checker's eval.

What differs: the title and number sit to the right of the seller block (two columns on the
same lines), the identifiers use dotted labels (``N.I.F``, ``N.I.S``, ``R.C``, ``A.I``,
``R.I.B``) two per line, the buyer block is headed ``Doit :``, the table has a reference
column, the totals say ``Montant HT`` / ``Montant TVA`` / ``Timbre`` / ``Net à payer TTC``,
and the amount in words reads ``Arrêtée la présente facture à la somme de`` on its own line.
"""

from __future__ import annotations

from pathlib import Path

from khazna.ledger.documents import InvoiceDocument
from khazna.ledger.invoice_pdf import FONT, FONT_BOLD, METHODS, _register_fonts, money
from khazna.money import q2


def _qty(v) -> str:
    if v is None:
        return ""
    return f"{v.normalize():f}".replace(".", ",")


def render_layout2(doc: InvoiceDocument, path: Path) -> Path:
    # lazy: reportlab (0.05-0.12 s) only when a PDF is rendered
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    _register_fonts()
    path = Path(path)
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    width, height = A4
    s, b = doc.seller, doc.buyer
    y = height - 60

    def text(x: float, yy: float, t: str, size: float = 9, bold: bool = False, right: bool = False):
        c.setFont(FONT_BOLD if bold else FONT, size)
        (c.drawRightString if right else c.drawString)(x, yy, t)

    # seller block, left; title block, right, on the same lines
    left = [(f"{s.legal_form} {s.name}" if s.legal_form else (s.name or ""), True)]
    if s.address:
        left.append((s.address, False))
    if s.capital is not None:
        left.append((f"Au capital de {money(s.capital)}", False))
    pairs = [("R.C", s.rc), ("N.I.F", s.nif), ("N.I.S", s.nis), ("A.I", s.ai)]
    shown = [f"{k} : {v}" for k, v in pairs if v]
    for i in range(0, len(shown), 2):
        left.append(("    ".join(shown[i : i + 2]), False))
    if s.rib:
        left.append((f"R.I.B : {s.rib}", False))
    right = [("FACTURE", True)]
    if doc.number:
        right.append((f"N° {doc.number}", True))
    if doc.issue_date:
        right.append((f"Date : {doc.issue_date:%d/%m/%Y}", False))
    for k in range(max(len(left), len(right))):
        if k < len(left):
            text(40, y, left[k][0][:70], 10 if k == 0 else 8, left[k][1])
        if k < len(right):
            text(width - 40, y, right[k][0], 12 if k == 0 else 9, right[k][1], right=True)
        y -= 13
    y -= 14
    text(40, y, "Doit :", 9, True)
    y -= 13
    buyer = [b.name, b.address]
    ids = [
        f"{k} : {v}"
        for k, v in (("R.C", b.rc), ("N.I.F", b.nif), ("N.I.S", b.nis), ("A.I", b.ai))
        if v
    ]
    buyer += ["    ".join(ids[i : i + 2]) for i in range(0, len(ids), 2)]
    for line in buyer:
        if line:
            text(60, y, line, 9)
            y -= 12
    y -= 8
    cond = []
    if doc.payment_method:
        cond.append(f"Règlement : {METHODS.get(doc.payment_method, doc.payment_method)}")
    if doc.payment_terms:
        cond.append(f"Conditions : {doc.payment_terms}")
    if doc.due_date:
        cond.append(f"Échéance : {doc.due_date:%d/%m/%Y}")
    for line in cond:
        text(40, y, line, 8)
        y -= 11
    y -= 10
    cols = [(40, "Réf", "l"), (70, "Désignation", "l"), (330, "Qté", "r"), (400, "P.U. HT", "r"),
            (440, "TVA", "r"), (555, "Total HT", "r")]  # fmt: skip
    for x, t, a in cols:
        text(x, y, t, 8, True, right=a == "r")
    y -= 4
    c.line(40, y, width - 40, y)
    y -= 12
    for i, ln in enumerate(doc.lines, start=1):
        amount = ln.total_ht
        if amount is None and ln.quantity is not None and ln.unit_price_ht is not None:
            amount = q2(ln.quantity * ln.unit_price_ht)
        row = [f"{i:02d}", (ln.description or "")[:48], _qty(ln.quantity), money(ln.unit_price_ht),
               f"{_qty(ln.tva_rate)}%" if ln.tva_rate is not None else "", money(amount)]  # fmt: skip
        for (x, _, a), t in zip(cols, row, strict=True):
            text(x, y, t, 8, right=a == "r")
        y -= 12
    c.line(40, y + 4, width - 40, y + 4)
    y -= 12
    totals = [("Montant HT", doc.total_ht), ("Montant TVA", doc.total_tva)]
    if doc.timbre or doc.payment_method == "especes":
        totals.append(("Timbre", doc.timbre))
    totals.append(("Net à payer TTC", doc.total_ttc))
    for label, value in totals:
        if value is not None:
            text(360, y, label, 9, label.startswith("Net"))
            text(555, y, money(value), 9, label.startswith("Net"), right=True)
            y -= 13
    y -= 12
    if doc.amount_in_words:
        text(40, y, "Arrêtée la présente facture à la somme de :", 9)
        y -= 12
        text(40, y, doc.amount_in_words[:110], 9, True)
    c.showPage()
    c.save()
    return path
