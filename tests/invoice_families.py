"""Invoice PDFs in the layout families the reader once misread (issue 11.1, second blind
split), written from their description: the words sentence on the lines after its label,
"FACTURE N. FV-…" in typewriter capitals, a "DESTINATAIRE" block holding the buyer's
identifiers, the stamp duty in a boxed totals area, "Date de règlement", and the seller's
identifiers only in the footer. Each PDF is drawn with reportlab by the test that uses it."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

from khazna.tools.invoice_check.rules import timbre_due
from khazna.words import amount_in_words

SELLER_IDS = {
    "rc": "31/00-0123456 B 15",
    "nif": "000231012345678",
    "nis": "198765432109876",
    "ai": "31012345678",
}
BUYER_IDS = {
    "rc": "09/00-0012345 B 19",
    "nif": "000109012345678",
    "nis": "098765432109871",
    "ai": "09012345678",
}


def money(v: Decimal) -> str:
    whole, cents = f"{v:.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return " ".join(groups) + "," + cents


@dataclass
class Family:
    """What varies between the families; the defaults are an ordinary clean invoice."""

    caps: bool = False  # typewriter: capitals, no accents
    font: str = "Helvetica"
    number_label: str = "Facture N° "
    number: str = "FV-2026-0113"
    buyer_heading: str = "Client :"
    buyer_ids: dict[str, str] = field(default_factory=lambda: dict(BUYER_IDS))
    seller_ids_in_footer: bool = False
    cash: bool = False
    stamp_printed: bool = True  # the stamp duty line of a cash invoice
    boxed_totals: bool = False  # a ruled box around the totals
    text_box: bool = False  # the totals boxed with characters ("| TOTAL HT | … |", "+---+")
    words_lead: str = "Arrêtée la présente facture à la somme de :"
    words_next_line: bool = False
    words_of_ht: bool = False
    words_lines: int = 2
    terms_line: str = "Conditions de paiement : 30 jours"
    tva_shown: Decimal | None = None  # a wrong VAT printed
    pitch: float = 12  # the buyer block's line spacing (a typewriter double-spaces)
    heading_dx: float = 0  # the buyer heading indented from its block (centred over it)
    words_dx: float = 0  # the words printed indented from their sentence
    words_beside_totals: bool = False  # the sentence on the totals' rows, left of them
    after_ids: tuple[str, ...] = ()  # buyer lines printed under its identifiers
    beside_words: str = ""  # another column's text on the words label's line
    words_centre: bool = False  # each line of words centred on the page
    words_quote: tuple[str, str] = ("", "")  # the words between quotes, «…» or (…)
    block_lines: tuple[str, ...] = ("EURL Atlas Import", "23, avenue de l'ALN, 09000 Blida")
    seller_heading: str | None = None  # "EXPÉDITEUR": the seller's block beside the buyer's
    across_totals: bool = False  # the totals as one row of labels with the values under them
    ids_gap: float = 0  # a gap between the buyer's address and its identifiers
    ids_dx: float = 0  # the buyer's identifiers indented from its block
    qty: int = 10
    unit: Decimal = Decimal("2900.00")

    def totals(self) -> tuple[Decimal, Decimal, Decimal, Decimal]:
        ht = self.unit * self.qty
        tva = (
            self.tva_shown
            if self.tva_shown is not None
            else (ht * Decimal("0.19")).quantize(Decimal("0.01"))
        )
        before = ht + tva
        stamp = timbre_due(before) if self.cash and self.stamp_printed else Decimal(0)
        return ht, tva, stamp, before + stamp


def _text(f: Family, s: str) -> str:
    if not f.caps:
        return s
    import unicodedata

    return "".join(
        c for c in unicodedata.normalize("NFD", s.upper()) if unicodedata.category(c) != "Mn"
    )


def draw(path: Path, f: Family) -> Path:
    c = Canvas(str(path), invariant=1)
    T = lambda s: _text(f, s)  # noqa: E731
    c.setFont(f.font, 9)

    def left(x: float, y: float, s: str) -> None:
        c.drawString(x, y, T(s))

    def right(x: float, y: float, s: str) -> None:
        c.drawRightString(x, y, T(s))

    left(40, 800, "SARL Méditerranée Équipements")
    left(40, 788, "Zone industrielle, lot 14, 31000 Oran")
    left(40, 776, "Capital social : 1 000 000,00 DA")
    y = 764
    if not f.seller_ids_in_footer:
        ids = SELLER_IDS
        left(40, y, f"RC : {ids['rc']}   NIF : {ids['nif']}")
        left(40, y - 12, f"NIS : {ids['nis']}   AI : {ids['ai']}")
    left(330, 740, f"{f.number_label}{f.number}")
    left(330, 728, "Date : 14/09/2026")
    bx = 40
    if f.seller_heading:  # the seller's block on the left, the buyer's on the right
        bx = 320
        left(40, 710, f.seller_heading)
        left(40, 698, "SARL Méditerranée Équipements")
        left(40, 686, "Zone industrielle, lot 14, 31000 Oran")
    left(bx + f.heading_dx, 710, f.buyer_heading)
    yy = 710 - f.pitch
    for text in f.block_lines:
        left(bx, yy, text)
        yy -= f.pitch
    yy -= f.ids_gap
    for kind, label in (("rc", "RC"), ("nif", "NIF"), ("nis", "NIS"), ("ai", "AI")):
        if kind in f.buyer_ids:
            left(bx + f.ids_dx, yy, f"{label} : {f.buyer_ids[kind]}")
            yy -= f.pitch
    for text in f.after_ids:
        left(bx, yy, text)
        yy -= f.pitch
    # the lines table
    ty = min(600, yy - 20)
    for x, h in ((40, "Désignation"), (300, "Qté"), (380, "P.U HT"), (440, "TVA"),
                 (500, "Montant HT")):  # fmt: skip
        left(x, ty, h)
    left(40, ty - 14, "Ramette papier A4 80 g")
    right(320, ty - 14, str(f.qty))
    right(420, ty - 14, money(f.unit))
    left(440, ty - 14, "19 %")
    right(555, ty - 14, money(f.unit * f.qty))
    ht, tva, stamp, ttc = f.totals()
    rows = [("Total HT", ht), ("TVA 19 %", tva)]
    if f.cash and f.stamp_printed:
        rows.append(("Droit de timbre", stamp))
    rows.append(("Net à payer", ttc))
    by = ty - 60
    if f.boxed_totals:
        c.rect(370, by - 12 * len(rows) + 4, 195, 12 * len(rows) + 6)
    if f.across_totals:
        for k, (label, value) in enumerate(rows):
            c.drawCentredString(100 + 130 * k, by, T(label))
            c.drawCentredString(100 + 130 * k, by - 12, money(value))
    elif f.text_box:
        rule = "+" + "-" * 38 + "+"
        left(330, by + 12, rule)
        for k, (label, value) in enumerate(rows):
            left(330, by - 12 * k, f"| {T(label):<20}| {money(value):>14} |")
        left(330, by - 12 * len(rows), rule)
    else:
        for k, (label, value) in enumerate(rows):
            left(380, by - 12 * k, label)
            right(560, by - 12 * k, money(value))
    wy = by if f.words_beside_totals else by - 12 * len(rows) - 24
    words = amount_in_words(ht if f.words_of_ht else ttc)
    if not f.words_lead:
        pass
    elif f.words_next_line:
        left(40, wy, f.words_lead)
        if f.beside_words:
            left(400, wy, f.beside_words)
        parts = words.split(" ")
        n = max(1, f.words_lines)
        size = -(-len(parts) // n)
        for k in range(n):
            chunk = " ".join(parts[k * size : (k + 1) * size])
            if not chunk:
                continue
            if k == 0:
                chunk = f.words_quote[0] + chunk
            chunk += (f.words_quote[1] + ".") if k == n - 1 else ""
            if f.words_centre:
                c.drawCentredString(300, wy - 12 * (k + 1), T(chunk))
            else:
                left(40 + f.words_dx, wy - 12 * (k + 1), chunk)
        wy -= 12 * (n + 1)
    else:
        left(40, wy, f"{f.words_lead} {words}.")
    if not f.words_lead:
        wy += 24
    wy -= 24
    left(40, wy, "Mode de paiement : " + ("Espèces" if f.cash else "Virement bancaire"))
    if f.terms_line:
        left(40, wy - 12, f.terms_line)
    if f.seller_ids_in_footer:
        ids = SELLER_IDS
        left(40, 70, f"SARL Méditerranée Équipements - RC {ids['rc']} - NIF {ids['nif']}")
        left(40, 58, f"NIS {ids['nis']} - AI {ids['ai']} - Tél. 041 23 45 67")
    c.showPage()
    c.save()
    return path
