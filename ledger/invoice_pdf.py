"""Print an :class:`InvoiceDocument` as an ordinary French invoice PDF (reportlab).

The labels are the ones a reader (``khazna check-invoice``) looks for: ``NIF :``,
``NIS :``, ``N° RC :``, ``AI :``, ``RIB :``, ``Capital social :``, ``Client :``,
``Facture N°``, ``Date :``, ``Échéance :``, ``Mode de paiement :``, ``Total HT``,
``TVA 19 %``, ``Droit de timbre``, ``Total TTC`` and ``Arrêtée la présente facture à la
somme de :``. A field that is missing from the document is left off the page, so the
checker finds it missing there too.

Text is drawn top to bottom, one line at a time, so that text extraction (pypdf) reads it
back in that order. Amounts use a no-break space (U+00A0) between groups: the font
embeds it and extraction gives a plain space. The font is reportlab's own Vera (TrueType,
Latin accents); a line holding Arabic (an Arabic client's name or address, a description) is
set in DejaVu Sans, shaped and laid out right to left (:func:`khazna.pdf_text.draw_bidi`).
"""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from khazna.ledger.documents import DocLine, InvoiceDocument
from khazna.money import NNBSP, format_dzd, q2
from khazna.pdf_text import arabic_font, arabic_font_bold, draw_bidi, has_arabic

FONT, FONT_BOLD = "KhaznaVera", "KhaznaVeraBold"
METHODS = {"virement": "Virement", "cheque": "Chèque", "especes": "Espèces", "carte": "Carte",
           "effet": "Effet de commerce"}  # fmt: skip


def _register_fonts() -> None:
    # lazy: reportlab (0.05-0.12 s) only when an invoice PDF is drawn
    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = Path(reportlab.__file__).parent / "fonts"
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "Vera.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(folder / "VeraBd.ttf")))


def _face(text: str, bold: bool) -> tuple[str, bool]:
    """The font for ``text``: Vera, or DejaVu when the text holds Arabic (and is installed)."""
    if has_arabic(text) and arabic_font():
        return (arabic_font_bold() if bold else arabic_font()) or FONT, True
    return (FONT_BOLD if bold else FONT), False


def _draw(c, x: float, y: float, text: str, size: float, bold: bool = False, align: str = "l"):
    font, arabic = _face(text, bold)
    c.setFont(font, size)
    if arabic:
        draw_bidi(c, x, y, text, align=align)
    else:
        (c.drawRightString if align == "r" else c.drawString)(x, y, text)


def money(value: Decimal | None) -> str:
    """``1 234 567,89 DA`` with U+00A0 between groups (reads back as a plain space)."""
    return "" if value is None else format_dzd(value).replace(NNBSP, "\u00a0")


def _num(value: Decimal | None) -> str:
    if value is None:
        return ""
    v = value.normalize()
    text = f"{v:f}" if v == v.to_integral_value() else f"{value:f}".rstrip("0")
    return text.replace(".", ",")


def _date(d: date | None) -> str:
    return f"{d:%d/%m/%Y}" if d else ""


class _Page:
    """A cursor over a reportlab canvas: lines drawn downwards, a new page when full."""

    def __init__(self, out: BinaryIO) -> None:
        # lazy: reportlab (0.05-0.12 s) only when an invoice PDF is drawn
        from reportlab.lib.pagesizes import A4
        from reportlab.pdfgen import canvas

        self.width, self.height = A4
        self.c = canvas.Canvas(out, pagesize=A4, invariant=1)  # invariant: same bytes each run
        self.y = self.height - 50
        self.left = 50

    def line(self, text: str, *, x: float | None = None, size: float = 9, bold: bool = False,
             gap: float = 12) -> None:  # fmt: skip
        if self.y < 60:
            self.c.showPage()
            self.y = self.height - 50
        _draw(self.c, self.left if x is None else x, self.y, text, size, bold)
        self.y -= gap

    def cells(
        self, cells: list[tuple[float, str, str]], *, bold: bool = False, size: float = 8
    ) -> None:
        """One table row; ``cells`` are (x, text, align) with align ``l`` or ``r``."""
        # lazy: reportlab (0.05-0.12 s) only when an invoice PDF is drawn
        from reportlab.lib.utils import simpleSplit

        first_x, first_text, _ = cells[0]
        font, _arabic = _face(first_text, bold)
        wrapped = simpleSplit(
            first_text, font, size, cells[1][0] - first_x - 8 if len(cells) > 1 else 300
        )
        if self.y - 11 * len(wrapped) < 60:
            self.c.showPage()
            self.y = self.height - 50
        for k, part in enumerate(wrapped or [""]):
            _draw(self.c, first_x, self.y - 11 * k, part, size, bold)
        for x, text, align in cells[1:]:
            _draw(self.c, x, self.y, text, size, bold, align)
        self.y -= 11 * max(1, len(wrapped)) + 2

    def rule(self) -> None:
        self.c.setLineWidth(0.5)
        self.c.line(self.left, self.y + 8, self.width - 50, self.y + 8)
        self.y -= 4


def render_invoice_pdf(doc: InvoiceDocument, path: Path) -> None:
    """Write ``doc`` as a one- or multi-page A4 invoice at ``path`` (same bytes each run).

    ``path`` is the caller's, in a folder that exists: nothing here creates directories, and
    a name derived from the invoice number goes through :func:`khazna.filenames.safe_path`."""
    Path(path).write_bytes(invoice_pdf_bytes(doc))


def invoice_pdf_bytes(doc: InvoiceDocument) -> bytes:
    """``doc`` as PDF bytes, rendered in memory (no file, no name derived from the number)."""
    _register_fonts()
    out = io.BytesIO()
    p = _Page(out)
    s, b = doc.seller, doc.buyer
    title = " ".join(x for x in (s.name, s.legal_form) if x)
    if title:
        p.line(title, size=14, bold=True, gap=16)
    seller_rows = [
        ("", s.address), ("Capital social : ", money(s.capital) if s.capital is not None else None),
        ("N° RC : ", s.rc), ("NIF : ", s.nif), ("NIS : ", s.nis), ("AI : ", s.ai), ("RIB : ", s.rib),
    ]  # fmt: skip
    for label, value in seller_rows:
        if value:
            p.line(f"{label}{value}")
    p.y -= 10
    head = f"Facture N° {doc.number}" if doc.number else "Facture"
    if doc.lines and doc.total_ttc is not None and doc.total_ttc < 0:
        head = f"Facture d'avoir N° {doc.number}"
    p.line(head, size=13, bold=True, gap=16)
    if doc.issue_date:
        p.line(f"Date : {_date(doc.issue_date)}")
    if doc.due_date:
        p.line(f"Échéance : {_date(doc.due_date)}")
    if doc.payment_terms:
        p.line(f"Conditions de paiement : {doc.payment_terms}")
    if doc.payment_method:
        p.line(f"Mode de paiement : {METHODS.get(doc.payment_method, doc.payment_method)}")
    p.y -= 8
    if b.name:
        p.line(f"Client : {b.name}", bold=True)
    for label, value in (("Adresse : ", b.address), ("N° RC : ", b.rc), ("NIF : ", b.nif),
                         ("NIS : ", b.nis), ("AI : ", b.ai)):  # fmt: skip
        if value:
            p.line(f"{label}{value}")
    p.y -= 12
    cols = [(p.left, "l"), (310, "r"), (318, "l"), (420, "r"), (465, "r"), (545, "r")]

    def row(texts: list[str], bold: bool = False) -> None:
        p.cells([(x, t, a) for (x, a), t in zip(cols, texts, strict=True)], bold=bold)

    row(["Désignation", "Qté", "Unité", "PU HT", "TVA", "Montant HT"], bold=True)
    p.rule()
    for ln in doc.lines:
        amount = ln.total_ht
        if amount is None and ln.quantity is not None and ln.unit_price_ht is not None:
            amount = q2(ln.quantity * ln.unit_price_ht)
        rate = f"{_num(ln.tva_rate)} %" if ln.tva_rate is not None else ""
        row(
            [
                ln.description or "",
                _num(ln.quantity),
                ln.unit or "",
                money(ln.unit_price_ht),
                rate,
                money(amount),
            ]
        )
    p.rule()
    p.y -= 4
    _totals(p, doc)
    p.y -= 10
    if doc.amount_in_words:
        # lazy: reportlab (0.05-0.12 s) only when an invoice PDF is drawn
        from reportlab.lib.utils import simpleSplit

        text = f"Arrêtée la présente facture à la somme de : {doc.amount_in_words}"
        for part in simpleSplit(text, _face(text, False)[0], 9, p.width - 100):
            p.line(part)
    p.c.showPage()
    p.c.save()
    return out.getvalue()


def _totals(p: _Page, doc: InvoiceDocument) -> None:
    x_label, x_value = 330, 545

    def total(label: str, value: Decimal | None, bold: bool = False) -> None:
        if value is None:
            return
        _draw(p.c, x_label, p.y, label, 9, bold)
        _draw(p.c, x_value, p.y, money(value), 9, bold, "r")
        p.y -= 13

    total("Total HT", doc.total_ht)
    by_rate: dict[Decimal, Decimal] = defaultdict(Decimal)
    for ln in doc.lines:
        if ln.tva_rate is not None and ln.quantity is not None and ln.unit_price_ht is not None:
            by_rate[ln.tva_rate] += q2(q2(ln.quantity * ln.unit_price_ht) * ln.tva_rate / 100)
    rates = sorted((r for r in by_rate if r != 0), reverse=True)
    if len(rates) == 1 and doc.total_tva is not None:
        total(f"TVA {_num(rates[0])} %", doc.total_tva)  # the printed total, right or wrong
    else:
        for r in rates:
            total(f"TVA {_num(r)} %", by_rate[r])
        total("Total TVA", doc.total_tva)
    if doc.timbre or doc.payment_method == "especes":
        total("Droit de timbre", doc.timbre)
    total("Total TTC", doc.total_ttc, bold=True)


def piece_pdf_bytes(
    doc: InvoiceDocument, kind: str, on: date, lines: list[DocLine] | None = None
) -> bytes:
    """A piece that goes with the invoice ``doc`` (``ledger.documents.PIECES``), as PDF bytes.

    ``delivery_note``: the bon de livraison of ``lines`` (default: every line of the
    invoice), delivered and signed for by the buyer on ``on``. ``service_attestation``: the
    attestation de service fait a public buyer signs on ``on`` for the whole invoice. What a
    company keeps beside an invoice and a reminder attaches; the invoice checker does not
    read it (it holds no total to check)."""
    _register_fonts()
    out = io.BytesIO()
    p = _Page(out)
    s, b = doc.seller, doc.buyer
    if kind == "delivery_note":
        title = " ".join(x for x in (s.name, s.legal_form) if x)
        if title:
            p.line(title, size=14, bold=True, gap=16)
        for label, value in (("", s.address), ("N° RC : ", s.rc), ("NIF : ", s.nif)):
            if value:
                p.line(f"{label}{value}")
        p.y -= 10
        p.line(f"Bon de livraison N° BL-{doc.number}", size=13, bold=True, gap=16)
        p.line(f"Date de livraison : {_date(on)}")
        p.line(f"Facture N° {doc.number} du {_date(doc.issue_date)}")
        p.y -= 8
        p.line(f"Client : {b.name}", bold=True)
        if b.address:
            p.line(f"Adresse : {b.address}")
        p.y -= 12
        cols = [(p.left, "l"), (420, "r"), (430, "l")]
        head = ["Désignation", "Qté", "Unité"]
        p.cells([(x, t, a) for (x, a), t in zip(cols, head, strict=True)], bold=True)
        p.rule()
        for ln in doc.lines if lines is None else lines:
            texts = [ln.description or "", _num(ln.quantity), ln.unit or ""]
            p.cells([(x, t, a) for (x, a), t in zip(cols, texts, strict=True)])
        p.rule()
        p.y -= 14
        p.line(f"Livré et reçu conforme le {_date(on)}.", bold=True)
        p.line("Nom, signature et cachet du client :")
        p.line(f"{b.name} (exemplaire signé)")
    elif kind == "service_attestation":
        p.line(b.name or "", size=13, bold=True, gap=16)
        if b.address:
            p.line(b.address)
        p.y -= 16
        p.line("Attestation de service fait", size=14, bold=True, gap=22)
        seller = " ".join(x for x in (s.name, s.legal_form) if x)
        # lazy: reportlab (0.05-0.12 s) only when a PDF is drawn
        from reportlab.lib.utils import simpleSplit

        text = (
            f"L'ordonnateur soussigné atteste que les prestations objet de la facture "
            f"N° {doc.number} du {_date(doc.issue_date)}, présentée par {seller}, d'un montant "
            f"de {money(doc.total_ttc)} TTC, ont été exécutées conformément à la commande "
            f"(service fait)."
        )
        for part in simpleSplit(text, FONT, 10, p.width - 100):
            p.line(part, size=10, gap=14)
        p.y -= 8
        for ln in doc.lines:
            p.line(f"- {ln.description or ''} : {_num(ln.quantity)} {ln.unit or ''}".rstrip())
        p.y -= 16
        p.line(f"Fait le {_date(on)}.")
        p.line("L'ordonnateur (signature et cachet)", bold=True)
    else:
        raise ValueError(f"no piece of kind {kind!r}")
    p.c.showPage()
    p.c.save()
    return out.getvalue()
