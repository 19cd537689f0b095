"""The third blind held-out split, L14–L19: layouts unlike the usual templates.

Written from `spec/algeria.md` and from what Algerian invoices look like, by someone who read
neither the reader, the checker, `layouts_heldout.py` nor `layouts_heldout2.py`. **Whoever
works on the reader does not read this file** (use the truth files and the scorer's output).

- L14 a landscape page, the buyer's block on the LEFT and the seller's on the RIGHT
  (right-aligned), long dates ("Alger, le 3 mars 2026"), article codes in the table;
- L15 an invoice over two pages: the lines run onto page 2 with "À reporter" / "Report",
  the totals, the words and the terms on page 2, the seller's identifiers in the footer of
  both pages;
- L16 a pre-printed invoice book ("carnet") filled in by hand: printed labels, the values in
  a handwriting font (reportlab's own Calligrapher), a red pre-printed number made of digits
  only, the quantity column first, amounts written "DA 12 345,00";
- L17 a credit note (facture d'avoir) citing the invoice it corrects, refund terms;
- L18 a French/Arabic export of an ERP in the English number format (`1,234,567.89 DZD`),
  bilingual labels, the identifiers stacked label-above-value;
- L19 identifiers and totals as header/value grids (the label above its value, not beside
  it), "DA" before every amount.

Its people, goods, numbering forms and wordings are its own; `build_invoice` draws from the
random stream the generator gives it (`heldout3/<seed>`).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from khazna.evals.outside_invoices.model import Invoice, Line, Party, rib_key
from khazna.evals.outside_invoices.render import (
    MONTHS,
    Page,
    day,
    dejavu,
    firm,
    money,
    qty,
    rib_spaced,
    words_text,
)

LAYOUT_NAMES = ("L14", "L15", "L16", "L17", "L18", "L19")
# A credit note is refunded by transfer or cheque: the cash (stamp duty) defects never go on it.
FORBIDDEN_GROUPS: dict[str, frozenset[str]] = {"L17": frozenset({"cash"})}

# --- the people and goods of this split -------------------------------------------------
SELLERS = [
    ("Mitidja Hydraulique", "SARL", "Zone d'activité Ben Boulaid, lot 88, 09000 Blida", "09"),
    ("Tlemcen Textiles Modernes", "EURL", "17, rue Commandant Ferradj, 13000 Tlemcen", "13"),
    ("Aurès Matériaux de Construction", "SARL", "Route de Biskra, km 3, 05000 Batna", "05"),
    ("Imprimerie Numérique Bouaziz", "SNC", "Lotissement Bouaziz n° 9, 15000 Tizi Ouzou", "15"),
    ("Saoura Solaire Énergies", "SPA", "Cité 320 logements, local 2, 08000 Béchar", "08"),
    ("Hammadites Informatique et Réseaux", "SARL", "14, rue Ben Badis, 34000 Bordj Bou Arréridj", "34"),
    ("Palmeraie de Bounoura", "EURL", "Zone industrielle Bounoura, 47000 Ghardaïa", "47"),
]  # fmt: skip
BUYERS = [
    ("SARL Rym Agroalimentaire", "Zone industrielle, lot 101, 35000 Boumerdès", "35"),
    ("EPIC Cité Verte de Mostaganem", "Boulevard de l'ALN, 27000 Mostaganem", "27"),
    ("EURL Salah Bey Pièces Auto", "45, rue Abane Ramdane, 25000 Constantine", "25"),
    ("SPA Hôtel Les Zianides", "Boulevard Khedim Ali, 13000 Tlemcen", "13"),
    ("SARL Bab Ezzouar Logistique", "Cité Sorecal, BP 45, 16311 Bab Ezzouar, Alger", "16"),
    ("Clinique Ibn Sina Médéa SARL", "Quartier Takbou, 26000 Médéa", "26"),
    ("EURL Oasis Froid Industriel", "Route de Touggourt, 30000 Ouargla", "30"),
]
CATALOGUE = [
    ("Tube PEHD diamètre 63 mm PN16 (barre de 6 m)", "Barre", 2350, 19),
    ("Vanne papillon DN100 fonte ductile", "U", 18900, 19),
    ("Panneau photovoltaïque 550 Wc monocristallin", "U", 24500, 19),
    ("Onduleur hybride 5 kW avec écran", "U", 168000, 19),
    ("Impression dépliants A4 quadri recto-verso (le mille)", "Mille", 9500, 19),
    ("Dattes Deglet Nour catégorie extra (carton de 5 kg)", "Carton", 3200, 9),
    ("Huile d'olive vierge extra (bidon de 5 l)", "Bidon", 4800, 9),
    ("Tissu coton écru largeur 240 cm (au mètre)", "m", 650, 19),
    ("Brique rouge 8 trous (palette de 400)", "Palette", 11200, 19),
    ("Rond à béton HA 12 (la tonne)", "Tonne", 138000, 19),
    ("Switch 24 ports Gigabit manageable", "U", 42000, 19),
    ("Câblage réseau catégorie 6, pose et raccordement (par prise)", "Prise", 3500, 19),
    ("Formation des utilisateurs au logiciel de paie, 3 jours", "Forfait", 90000, 19),
    ("Transport de marchandises Alger - Ouargla (camion 20 t)", "Voyage", 125000, 19),
    ("Sucre blanc cristallisé (sac de 50 kg)", "Sac", 4750, 9),
]
BANKS = [("BDL", "005"), ("BNA", "001"), ("CPA", "004"), ("BADR", "003"), ("AGB", "032")]
TERMS = [
    "Paiement à 30 jours fin de mois",
    "Règlement sous 15 jours à réception de facture",
    "Payable à la livraison",
    "À régler sous 45 jours date de facture",
]
REFUND_TERMS = ["Remboursement sous 15 jours", "Remboursement sous 30 jours date de l'avoir"]
REFUND_REASONS = [
    "Retour de marchandise non conforme",
    "Erreur de quantité sur la facture d'origine",
    "Remise commerciale accordée après livraison",
]


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _party(rng: random.Random, name: str, form: str | None, address: str, wil: str) -> Party:
    year = f"{rng.randint(3, 25):02d}"
    serial = _digits(rng, 7)
    rc = f"{wil}/00-{serial} B {year}" if rng.random() < 0.5 else f"{year} B {serial} {wil}/00"
    bank, code = rng.choice(BANKS)
    agency, account = _digits(rng, 5), _digits(rng, 10)
    return Party(
        name=name,
        legal_form=form,
        capital=Decimal(rng.choice([200000, 1000000, 3000000, 15000000, 120000000])),
        address=address,
        phone=f"0{rng.choice(['25', '29', '33', '43', '49'])} {_digits(rng, 2)} {_digits(rng, 2)} {_digits(rng, 2)}",
        rc=rc,
        nif=rng.choice(["000", "001", "099"]) + wil + _digits(rng, 10),
        nis=rng.choice(["0", "1"]) + _digits(rng, 14),
        ai=wil + _digits(rng, 9),
        rib=code + agency + account + rib_key(agency, account),
        bank=bank,
    )


def _number(rng: random.Random, layout: str) -> str:
    n = rng.randint(20, 990)
    return {
        "L14": f"{n}/26",
        "L15": f"FC/2026/{n:05d}",
        "L16": f"{n:04d}",
        "L17": f"AV-2026/{n:04d}",
        "L18": f"2026-F-{n:04d}",
        "L19": f"FV.{n:03d}.2026",
    }[layout]


def build_invoice(rng: random.Random, layout: str, index: int) -> Invoice:
    """A clean invoice of `layout`: every mention present, the sums right."""
    s_name, s_form, s_addr, s_wil = rng.choice(SELLERS)
    b_name, b_addr, b_wil = rng.choice(BUYERS)
    seller = _party(rng, s_name, s_form, s_addr, s_wil)
    buyer = _party(rng, b_name, None, b_addr, b_wil)
    buyer.capital = buyer.rib = buyer.bank = buyer.phone = None
    if rng.random() < 0.5:
        buyer.nis = None
    methods = ["virement", "cheque"] if layout == "L17" else ["virement", "cheque", "especes"]
    method = rng.choice(methods)
    lo, hi = (5, 8) if layout == "L15" else (2, 5)
    lines = []
    for desc, unit, price, rate in rng.sample(CATALOGUE, rng.randint(lo, hi)):
        q = Decimal(rng.choice([1, 2, 3, 5, 8, 10, 15, 24, 50]))
        if method == "especes":
            q = Decimal(rng.choice([1, 2]))
        if unit in ("Forfait", "Voyage"):
            q = Decimal(1)
        cents = Decimal(rng.choice([0, 0, 0, 20, 50, 90])) / 100
        lines.append(Line(desc, unit, q, Decimal(price) + cents, rate))
    issue = date(2026, rng.randint(1, 11), rng.randint(1, 28))
    due: date | None = issue + timedelta(days=rng.choice([15, 30, 45]))
    terms: str | None = None
    if method == "especes" or rng.random() < 0.4:
        due = None
        terms = rng.choice(REFUND_TERMS if layout == "L17" else TERMS)
        if method == "especes":
            terms = "Payable à la livraison"
    if layout == "L17":
        ref = f"F-2026-{rng.randint(100, 999)}"  # the invoice the credit note corrects
    else:
        ref = f"Bon de commande n° {rng.randint(100, 999)}/{issue.year}"
    return Invoice(
        key=f"{layout}-{index:02d}",
        layout=layout,
        number=_number(rng, layout),
        issue_date=issue,
        due_date=due,
        terms=terms,
        method=method,
        seller=seller,
        buyer=buyer,
        lines=lines,
        order_ref=ref,
        order_date=issue - timedelta(days=rng.randint(5, 40)),
    )


# --- drawing helpers of this split ---------------------------------------------------------
class Sheet(Page):
    """A page of any size, possibly several pages in one file."""

    def __init__(
        self, path: Path, size: tuple[float, float] = A4, fonts: tuple[str, str] = ("", "")
    ):
        font, bold = fonts if fonts[0] else dejavu()
        super().__init__(path, font, bold)
        self.c = canvas.Canvas(str(path), pagesize=size, invariant=1)
        self.c.setTitle("Facture")
        self.c.setAuthor("")
        self.width, self.height = size

    def next_page(self) -> None:
        self.c.showPage()


_REPORTLAB_FONTS = Path(pdfmetrics.__file__).resolve().parent.parent / "fonts"


def hand_font() -> str:
    """reportlab's Calligrapher (a handwriting face, shipped with reportlab), else an italic."""
    try:
        pdfmetrics.getFont("Calligrapher")
        return "Calligrapher"
    except KeyError:
        pass
    try:
        face = pdfmetrics.EmbeddedType1Face(
            str(_REPORTLAB_FONTS / "callig15.afm"), str(_REPORTLAB_FONTS / "callig15.pfb")
        )
        pdfmetrics.registerTypeFace(face)
        pdfmetrics.registerFont(pdfmetrics.Font("Calligrapher", face.name, "WinAnsiEncoding"))
        return "Calligrapher"
    except Exception:  # no such file: an oblique face still looks written
        return "Helvetica-Oblique"


def da_before(value: Decimal) -> str:
    return f"DA {money(value)}"


def english(value: Decimal) -> str:
    """1,234,567.89 (an ERP set to the English locale)."""
    return f"{value:,.2f}"


def long_day(value: date) -> str:
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def method_text(method: str | None) -> str | None:
    return {"virement": "Virement bancaire", "cheque": "Chèque", "especes": "Espèces"}.get(
        method or ""
    )


def terms_text(inv: Invoice, due_label: str, fmt: Callable[[date], str]) -> str | None:
    if inv.due_date:
        return f"{due_label} {fmt(inv.due_date)}"
    return inv.terms


def vat_rows(inv: Invoice, label: str, fmt: Callable[[Decimal], str]) -> list[tuple[str, str]]:
    return [(label.format(rate), fmt(amount)) for rate, amount in inv.tva_by_rate.items()]


def total_rows(
    inv: Invoice, labels: tuple[str, str, str, str], fmt: Callable[[Decimal], str]
) -> list[tuple[str, str]]:
    ht, tva, stamp, ttc = labels
    rows = [(ht, fmt(inv.total_ht)), *vat_rows(inv, tva, fmt)]
    if inv.timbre is not None:
        rows.append((stamp, fmt(inv.timbre)))
    rows.append((ttc, fmt(inv.total_ttc)))
    return rows


# --- L14: landscape, buyer left, seller right ------------------------------------------------
def layout_14(inv: Invoice, path: Path) -> None:
    pg, s, b = Sheet(path, landscape(A4)), inv.seller, inv.buyer
    right = pg.width - 30
    # the seller, right-aligned in the upper right corner
    pg.text(right, 560, firm(s), 15, bold=True, align="r")
    y = 544.0
    for value in (
        f"au capital de {money(s.capital)} DA" if s.capital is not None else None,
        s.address,
        f"Tél. / Fax : {s.phone}" if s.phone else None,
        f"Registre de commerce : {s.rc}" if s.rc else None,
        f"Identifiant fiscal : {s.nif}" if s.nif else None,
        f"N° statistique : {s.nis}" if s.nis else None,
        f"Article d'imposition : {s.ai}" if s.ai else None,
    ):
        if value:
            pg.text(right, y, value, 8.5, align="r")
            y -= 11
    # the buyer, boxed on the left
    pg.box(30, 440, 330, 125)
    pg.text(38, 552, "FACTURÉ À", 9, bold=True)
    pg.kv(
        38,
        538,
        [
            ("", b.name),
            ("", b.address),
            ("Registre de commerce", b.rc),
            ("Identifiant fiscal", b.nif),
            ("N° statistique", b.nis),
            ("Article d'imposition", b.ai),
        ],
        size=8.5,
        leading=11,
    )
    # the invoice's own band
    pg.box(30, 405, pg.width - 60, 24, fill=0.9)
    pg.text(40, 413, f"FACTURE N° {inv.number}" if inv.number else "FACTURE", 12, bold=True)
    found = re.search(r"\d{5} (.+)$", s.address or "")
    city = found.group(1).split(",")[0] if found else "Alger"
    if inv.issue_date:
        pg.text(420, 413, f"{city}, le {long_day(inv.issue_date)}", 9.5, align="c")
    if inv.order_ref:
        pg.text(right - 10, 413, inv.order_ref, 8.5, align="r")
    cols = [
        ("Code", 60, "l"), ("Désignation", 330, "l"), ("U.", 50, "c"), ("Quantité", 60, "r"),
        ("P.U. H.T. (DA)", 110, "r"), ("T.V.A.", 50, "c"), ("Montant H.T. (DA)", 122, "r"),
    ]  # fmt: skip
    rows = [
        [f"ART-{100 + 7 * i:04d}", ln.description, ln.unit, qty(ln.quantity),
         money(ln.unit_price), f"{ln.rate} %", money(ln.amount)]
        for i, ln in enumerate(inv.lines)
    ]  # fmt: skip
    yy = pg.table(30, 392, cols, rows, size=8.5)
    # left: words, payment; right: the totals box
    top = yy - 14
    rows_t = total_rows(inv, ("Total H.T.", "T.V.A. {} %", "Timbre fiscal", "Total T.T.C."), money)
    pg.box(560, top - 15 * len(rows_t) - 4, pg.width - 590, 15 * len(rows_t) + 12)
    ty = top - 6
    for i, (label, value) in enumerate(rows_t):
        last = i == len(rows_t) - 1
        pg.text(568, ty, label, 9, bold=last)
        pg.text(right - 8, ty, f"{value} DA", 9, bold=last, align="r")
        ty -= 15
    ly = top - 6
    words = words_text(inv)
    if words:
        ly = pg.para(30, ly, f"Arrêtée la présente facture à la somme de : {words}.", 500, 9)
        ly -= 6
    mode = method_text(inv.method)
    if mode:
        pg.text(30, ly, f"Mode de règlement : {mode}", 9)
        ly -= 12
    terms = terms_text(inv, "Date d'échéance :", long_day)
    if terms:
        pg.text(30, ly, f"Conditions de paiement : {terms}", 9)
    pg.hline(30, right, 40)
    if s.rib:
        pg.text(
            pg.width / 2, 28, f"Domiciliation : {s.bank} — RIB {rib_spaced(s.rib)}", 8, align="c"
        )
    pg.save()


# --- L15: two pages, totals on page 2 ----------------------------------------------------------
def _l15_footer(pg: Sheet, s: Party, page: int) -> None:
    pg.hline(40, 555, 58)
    parts = [
        f"{firm(s)}" + (f" au capital de {money(s.capital)} DA" if s.capital is not None else ""),
        " — ".join(
            f"{label} {value}"
            for label, value in (("RC", s.rc), ("NIF", s.nif), ("NIS", s.nis), ("AI", s.ai))
            if value
        ),
    ]
    pg.text(297, 46, parts[0], 7.5, align="c")
    pg.text(297, 36, parts[1], 7.5, align="c")
    pg.text(555, 22, f"Page {page}/2", 7.5, align="r")


def layout_15(inv: Invoice, path: Path) -> None:
    pg, s, b = Sheet(path), inv.seller, inv.buyer
    pg.text(297, 805, (s.name or "").upper(), 16, bold=True, align="c")
    if s.address:
        pg.text(297, 790, s.address, 9, align="c")
    if s.phone:
        pg.text(297, 778, f"Tél : {s.phone}", 9, align="c")
    pg.box(360, 675, 195, 80)
    pg.text(457, 738, "FACTURE", 14, bold=True, align="c")
    pg.kv(
        370,
        720,
        [
            ("N°", inv.number),
            ("Date", day(inv.issue_date) if inv.issue_date else None),
            ("Réf.", inv.order_ref),
        ],
        size=9,
        leading=12,
    )
    pg.text(40, 752, "Destinataire", 9, bold=True)
    pg.hline(40, 300, 748)
    pg.kv(
        40,
        735,
        [("", b.name), ("", b.address), ("RC", b.rc), ("NIF", b.nif), ("NIS", b.nis), ("AI", b.ai)],
        size=8.5,
        leading=11,
    )
    cols = [
        ("N°", 25, "c"), ("Désignation", 230, "l"), ("Unité", 50, "c"), ("Qté", 40, "r"),
        ("P.U. HT", 75, "r"), ("TVA", 35, "c"), ("Total HT", 60 + 0, "r"),
    ]  # fmt: skip
    cols[-1] = ("Total HT", 515 - sum(w for _, w, _ in cols[:-1]), "r")

    def row(i: int, ln: Line) -> list[str]:
        return [str(i + 1), ln.description, ln.unit, qty(ln.quantity), money(ln.unit_price),
                f"{ln.rate}%", money(ln.amount)]  # fmt: skip

    first = inv.lines[:-2]
    carried = sum((ln.amount for ln in first), Decimal(0))
    yy = pg.table(40, 650, cols, [row(i, ln) for i, ln in enumerate(first)], size=8.5)
    pg.text(440, yy - 14, "À reporter :", 9, bold=True, align="r")
    pg.text(555, yy - 14, money(carried), 9, bold=True, align="r")
    _l15_footer(pg, s, 1)
    pg.next_page()
    pg.text(
        40,
        805,
        f"Facture N° {inv.number} (suite)" if inv.number else "Facture (suite)",
        10,
        bold=True,
    )
    pg.text(440, 780, "Report :", 9, bold=True, align="r")
    pg.text(555, 780, money(carried), 9, bold=True, align="r")
    rest = [row(i + len(first), ln) for i, ln in enumerate(inv.lines[-2:])]
    yy = pg.table(40, 768, cols, rest, size=8.5)
    rows_t = total_rows(inv, ("Montant HT", "TVA {} %", "Droit de timbre", "Montant TTC"), money)
    ty = yy - 22
    for i, (label, value) in enumerate(rows_t):
        last = i == len(rows_t) - 1
        pg.text(370, ty, label, 9.5, bold=last)
        pg.text(555, ty, f"{value} DA", 9.5, bold=last, align="r")
        if last:
            pg.box(364, ty - 5, 195, 17)
        ty -= 14
    ly = ty - 18
    words = words_text(inv)
    if words:
        ly = pg.para(40, ly, f"La présente facture est arrêtée à la somme de : {words}.", 515, 9)
        ly -= 8
    mode = method_text(inv.method)
    if mode:
        pg.text(40, ly, f"Mode de paiement : {mode}", 9)
        ly -= 12
    terms = terms_text(inv, "à payer avant le", day)
    if terms:
        pg.text(40, ly, f"Règlement : {terms}", 9)
        ly -= 12
    if s.rib:
        pg.text(40, ly - 6, f"Coordonnées bancaires : {s.bank}, RIB {s.rib}", 9)
    pg.text(400, ly - 40, "Cachet et signature", 9, bold=True)
    _l15_footer(pg, s, 2)
    pg.save()


# --- L16: a pre-printed book filled in by hand ------------------------------------------------
def layout_16(inv: Invoice, path: Path) -> None:
    pg, s, b = Sheet(path, fonts=("Helvetica", "Helvetica-Bold")), inv.seller, inv.buyer
    hand = hand_font()
    jitter = random.Random(inv.key)

    def width(value: str, size: float) -> float:
        return pdfmetrics.stringWidth(value, hand, size) + value.count(" ") * size * 0.35

    def write(x: float, y: float, value: str, size: float = 15, align: str = "l") -> None:
        """Blue ink, the baseline a little off; the face has no space width: word spacing."""
        dy = jitter.uniform(-1.2, 1.2)
        x = x - width(value, size) if align == "r" else x + jitter.uniform(0, 3)
        pg.c.saveState()  # the word spacing must not stay on the printed labels
        text = pg.c.beginText(x, y + dy)
        text.setFont(hand, size)
        text.setWordSpace(size * 0.35)
        text.setFillColorRGB(0.05, 0.1, 0.45)
        text.textOut(value)
        pg.c.drawText(text)
        pg.c.restoreState()

    # the printed letterhead of the book
    pg.box(40, 700, 515, 110)
    name_size = 14.0
    while pdfmetrics.stringWidth(firm(s), "Helvetica-Bold", name_size) > 270:
        name_size -= 0.5
    pg.text(50, 790, firm(s), name_size, bold=True)
    y = pg.kv(50, 775, [("", s.address), ("Tél", s.phone)], size=8.5, leading=10.5)
    if s.capital is not None:
        pg.text(50, y, f"Capital : {money(s.capital)} DA", 8.5)
    pg.kv(
        340,
        790,
        [("R.C. N°", s.rc), ("N.I.F.", s.nif), ("N.I.S.", s.nis), ("Art. Imp.", s.ai)],
        size=8.5,
        leading=11,
    )
    if s.rib:
        pg.text(340, 742, f"RIB {s.bank} : {s.rib}", 8)
    pg.text(297, 672, "FACTURE", 16, bold=True, align="c")
    if inv.number:
        pg.c.setFillColorRGB(0.75, 0.05, 0.05)
        pg.text(555, 672, f"N° {inv.number}", 13, bold=True, align="r")
        pg.c.setFillColorRGB(0, 0, 0)
    pg.text(40, 650, "Date :", 9)
    if inv.issue_date:
        write(75, 650, day(inv.issue_date, "dash"))
    pg.text(40, 630, "Doit :", 9, bold=True)
    labels = [("", b.name), ("", b.address), ("R.C. :", b.rc), ("N.I.F. :", b.nif),
              ("N.I.S. :", b.nis), ("A.I. :", b.ai)]  # fmt: skip
    y = 630.0
    for label, value in labels:
        if value is None:
            continue
        if label:
            pg.text(75, y, label, 8.5)
        write(120 if label else 75, y, value, 14)
        y -= 15
    mixed = len({ln.rate for ln in inv.lines}) > 1
    cols = [("Qté", 40, "r"), ("Désignation", 265 if mixed else 300, "l")]
    cols += [("TVA", 35, "c")] if mixed else []
    cols += [("P.U.", 85, "r"), ("Montant", 90, "r")]
    top = y - 10
    # the printed grid, its rows left empty, then the writing over it
    pg.box(40, top - 18, 515, 18, fill=0.88)
    cx = 40.0
    for header, w, _ in cols:
        pg.text(cx + w / 2, top - 13, header, 8.5, bold=True, align="c")
        cx += w
    row_h = 26
    nrows = max(6, len(inv.lines))
    bottom = top - 18 - row_h * nrows
    pg.c.rect(40, bottom, 515, row_h * nrows, stroke=1, fill=0)
    cx = 40.0
    for _, w, _ in cols[:-1]:
        cx += w
        pg.c.line(cx, top, cx, bottom)
    ry = top - 18 - 16
    for ln in inv.lines:
        cells = [qty(ln.quantity), ln.description]
        cells += [f"{ln.rate}%"] if mixed else []
        cells += [money(ln.unit_price), money(ln.amount)]
        cx = 40.0
        for value, (_, w, align) in zip(cells, cols, strict=True):
            size = 14.0
            while width(value, size) > w - 6 and size > 8:
                size -= 0.5
            if align == "l":
                write(cx + 3, ry, value, size)
            else:
                write(cx + w - 4, ry, value, size, align="r")
            cx += w
        ry -= row_h
    rows_t = total_rows(
        inv, ("Total H.T", "T.V.A {} %", "Droit de timbre", "Net à payer"), da_before
    )
    ty = bottom - 20
    for label, value in rows_t:
        pg.box(330, ty - 6, 225, 19)
        pg.text(336, ty, label, 9, bold=label == "Net à payer")
        write(550, ty, value, 14, align="r")
        ty -= 19
    ly = ty - 16
    pg.text(40, ly, "Arrêtée la présente facture à la somme de :", 9)
    words = words_text(inv)
    if words:
        lines: list[str] = [""]
        for word in words.split(" "):
            trial = f"{lines[-1]} {word}".strip()
            if lines[-1] and width(trial, 15) > 500:
                lines.append(word)
            else:
                lines[-1] = trial
        for part in lines:
            ly -= 17
            write(45, ly, part)
    else:
        ly -= 17
    ly -= 24
    pg.text(40, ly, "Mode de paiement :", 9)
    mode = method_text(inv.method)
    if mode:
        write(135, ly, mode)
    ly -= 18
    pg.text(40, ly, "Échéance :", 9)
    terms = terms_text(inv, "le", lambda d: day(d, "dash"))
    if terms:
        write(95, ly, terms)
    pg.text(420, ly - 30, "Signature et cachet", 8.5)
    pg.save()


# --- L17: a credit note ---------------------------------------------------------------------------
def layout_17(inv: Invoice, path: Path) -> None:
    pg, s, b = Sheet(path), inv.seller, inv.buyer
    pg.text(40, 800, firm(s, form_first=False), 14, bold=True)
    y = pg.kv(
        40,
        785,
        [
            ("", f"Société au capital de {money(s.capital)} DA" if s.capital is not None else None),
            ("", s.address),
            ("Tél", s.phone),
        ],
        size=8.5,
        leading=10.5,
    )
    ids = [("RC", s.rc), ("NIF", s.nif), ("NIS", s.nis), ("AI", s.ai)]
    shown = [(k, v) for k, v in ids if v]
    for i, (label, value) in enumerate(shown):
        x = 40 + (i % 2) * 200
        pg.text(x, y - 4 - (i // 2) * 11, f"{label} : {value}", 8)
    pg.box(330, 640, 225, 95)
    pg.text(338, 722, "Client :", 9, bold=True)
    pg.kv(
        338,
        708,
        [("", b.name), ("", b.address), ("RC", b.rc), ("NIF", b.nif), ("NIS", b.nis), ("AI", b.ai)],
        size=8,
        leading=10.5,
    )
    pg.text(40, 690, "FACTURE D'AVOIR", 15, bold=True)
    pg.kv(
        40,
        672,
        [
            ("Avoir N°", inv.number),
            ("Date", day(inv.issue_date, "dot") if inv.issue_date else None),
            (
                "Facture d'origine",
                f"{inv.order_ref} du {day(inv.order_date, 'dot')}"
                if inv.order_ref and inv.order_date
                else None,
            ),
        ],
        size=9,
        leading=12,
    )
    reason = REFUND_REASONS[sum(map(ord, inv.key)) % len(REFUND_REASONS)]
    pg.text(40, 626, f"Motif : {reason}", 9)
    cols = [("Désignation", 245, "l"), ("Unité", 45, "c"), ("Qté", 40, "r"),
            ("P.U. HT", 80, "r"), ("TVA", 30, "c"), ("Montant HT", 75, "r")]  # fmt: skip
    rows = [[ln.description, ln.unit, qty(ln.quantity), money(ln.unit_price), f"{ln.rate}%",
             money(ln.amount)] for ln in inv.lines]  # fmt: skip
    yy = pg.table(40, 610, cols, rows, size=8.5, grid=False, header_fill=None)
    rows_t = total_rows(
        inv,
        ("Montant H.T. de l'avoir", "T.V.A. {} % à régulariser", "Droit de timbre", "Montant T.T.C. de l'avoir"),
        money,
    )  # fmt: skip
    ty = yy - 20
    for label, value in rows_t:
        pg.text(330, ty, label, 9)
        pg.text(555, ty, value, 9, align="r")
        ty -= 13
    ly = ty - 14
    words = words_text(inv)
    if words:
        ly = pg.para(40, ly, f"Arrêté le présent avoir à la somme de : {words}.", 515, 9)
        ly -= 8
    mode = method_text(inv.method)
    if mode:
        pg.text(40, ly, f"Mode de remboursement : {mode}", 9)
        ly -= 12
    terms = terms_text(inv, "Date de remboursement :", lambda d: day(d, "dot"))
    if terms:
        pg.text(40, ly, terms, 9)
        ly -= 12
    if s.rib:
        pg.text(40, 50, f"Banque : {s.bank} — RIB : {s.rib}", 8)
    pg.save()


# --- L18: a bilingual ERP export, English number format -----------------------------------------
def layout_18(inv: Invoice, path: Path) -> None:
    pg, s, b = Sheet(path), inv.seller, inv.buyer
    pg.text(40, 805, firm(s), 13, bold=True)
    pg.text(555, 805, "فاتورة", 16, bold=True, align="r")
    pg.text(555, 788, "FACTURE", 11, bold=True, align="r")
    y = pg.kv(40, 790, [("", s.address), ("Tél", s.phone)], size=8.5, leading=10.5)
    if s.capital is not None:
        pg.text(40, y, f"Capital social / رأس المال : {english(s.capital)} DZD", 8.5)
    # identifiers stacked: the bilingual label above, the value under it
    cells = [("R.C / السجل التجاري", s.rc), ("N.I.F / رقم التعريف الجبائي", s.nif),
             ("N.I.S / رقم التعريف الإحصائي", s.nis), ("A.I / رقم المادة", s.ai)]  # fmt: skip
    x = 40.0
    for label, value in cells:
        if value is None:
            continue
        pg.text(x, 748, label, 7)
        pg.text(x, 737, value, 8.5, bold=True)
        x += 130
    pg.hline(40, 555, 728)
    pg.kv(
        40,
        712,
        [
            ("N° facture / رقم الفاتورة", inv.number),
            ("Date / التاريخ", day(inv.issue_date) if inv.issue_date else None),
            ("Commande / الطلبية", inv.order_ref),
        ],
        size=9,
        leading=12,
        label_w=130,
    )
    pg.text(330, 712, "Client / الزبون", 9, bold=True)
    pg.kv(
        330,
        698,
        [("", b.name), ("", b.address), ("R.C", b.rc), ("N.I.F", b.nif), ("N.I.S", b.nis), ("A.I", b.ai)],
        size=8.5,
        leading=11,
    )  # fmt: skip
    cols = [("Article / البيان", 190, "l"), ("Qté", 45, "r"), ("Unité", 50, "c"),
            ("Prix unitaire", 85, "r"), ("TVA", 35, "c"), ("Montant / المبلغ", 110, "r")]  # fmt: skip
    rows = [[ln.description, qty(ln.quantity), ln.unit, english(ln.unit_price), f"{ln.rate}%",
             english(ln.amount)] for ln in inv.lines]  # fmt: skip
    yy = pg.table(40, 610, cols, rows, size=8.5, header_fill=0.8)
    rows_t = total_rows(
        inv,
        ("Total HT / المجموع خارج الرسم", "TVA {} % / الرسم على القيمة المضافة", "Timbre / الطابع",
         "Total TTC / المجموع"),
        lambda v: f"{english(v)} DZD",
    )  # fmt: skip
    ty = yy - 18
    for i, (label, value) in enumerate(rows_t):
        last = i == len(rows_t) - 1
        pg.text(250, ty, label, 8, bold=last)
        pg.text(555, ty, value, 8.5, bold=last, align="r")
        ty -= 13
    ly = ty - 14
    words = words_text(inv)
    if words:
        ly = pg.para(40, ly, f"Arrêtée la présente facture à la somme de : {words}.", 515, 8.5)
        ly -= 8
    mode = method_text(inv.method)
    if mode:
        pg.text(40, ly, f"Mode de paiement / طريقة الدفع : {mode}", 8.5)
        ly -= 12
    terms = terms_text(inv, "Échéance le", day)
    if terms:
        pg.text(40, ly, f"Conditions / شروط الدفع : {terms}", 8.5)
    if s.rib:
        pg.text(40, 45, f"RIB / رقم الحساب : {rib_spaced(s.rib)} ({s.bank})", 8)
    pg.save()


# --- L19: header/value grids, "DA" before the amounts ---------------------------------------------
def _grid(pg: Sheet, x: float, y: float, cells: list[tuple[str, str]], width: float) -> float:
    """Labels in a shaded row, the values in the row under them; returns the bottom."""
    w = width / len(cells)
    for i, (label, value) in enumerate(cells):
        cx = x + i * w
        pg.box(cx, y - 14, w, 14, fill=0.9)
        pg.box(cx, y - 30, w, 16)
        pg.text(cx + w / 2, y - 10, label, 7.5, bold=True, align="c")
        size = 8.5
        while pdfmetrics.stringWidth(value, pg.font, size) > w - 4 and size > 5:
            size -= 0.5
        pg.text(cx + w / 2, y - 25, value, size, align="c")
    return y - 30


def layout_19(inv: Invoice, path: Path) -> None:
    pg, s, b = Sheet(path), inv.seller, inv.buyer
    pg.box(40, 770, 60, 40, fill=0.75)  # the logo's place
    pg.text(110, 795, firm(s), 14, bold=True)
    pg.text(110, 781, s.address or "", 8.5)
    if s.phone:
        pg.text(110, 770, f"Tél : {s.phone}", 8.5)
    cells = [(k, v) for k, v in (("R.C", s.rc), ("N.I.F", s.nif), ("N.I.S", s.nis), ("A.I", s.ai))
             if v]  # fmt: skip
    if s.capital is not None:
        cells.append(("Capital social", da_before(s.capital)))
    yy = _grid(pg, 40, 758, cells, 515)
    pg.text(40, yy - 26, "FACTURE", 15, bold=True)
    facts = [("N°", inv.number), ("Date", long_day(inv.issue_date) if inv.issue_date else None),
             ("Bon de commande", (inv.order_ref or "").replace("Bon de commande n° ", ""))]  # fmt: skip
    yy = _grid(pg, 40, yy - 36, [(k, v) for k, v in facts if v], 250)
    pg.text(330, yy + 40, "Client", 9, bold=True)
    pg.kv(330, yy + 26, [("", b.name), ("", b.address)], size=8.5, leading=11)
    bcells = [(k, v) for k, v in (("R.C", b.rc), ("N.I.F", b.nif), ("N.I.S", b.nis), ("A.I", b.ai))
              if v]  # fmt: skip
    yy = _grid(pg, 40, yy - 14, bcells, 515) if bcells else yy - 14
    cols = [("Désignation", 235, "l"), ("Unité", 45, "c"), ("Qté", 40, "r"),
            ("Prix unitaire HT", 85, "r"), ("TVA", 30, "c"), ("Total HT", 80, "r")]  # fmt: skip
    rows = [[ln.description, ln.unit, qty(ln.quantity), da_before(ln.unit_price), f"{ln.rate}%",
             da_before(ln.amount)] for ln in inv.lines]  # fmt: skip
    yy = pg.table(40, yy - 16, cols, rows, size=8.5, header_fill=0.9)
    rows_t = total_rows(inv, ("Total HT", "TVA {}%", "Droit de timbre", "Total TTC"), da_before)
    yy = _grid(pg, 40, yy - 16, rows_t, 515)
    ly = yy - 20
    words = words_text(inv)
    if words:
        ly = pg.para(40, ly, f"Arrêté à la somme de : {words}.", 515, 9)
        ly -= 8
    pays = [("Règlement", method_text(inv.method)),
            ("Échéance", long_day(inv.due_date)) if inv.due_date else ("Conditions", inv.terms)]  # fmt: skip
    shown = [(k, v) for k, v in pays if v]
    if shown:
        ly = _grid(pg, 40, ly, shown, 330)
    if s.rib:
        pg.text(
            297, 40, f"Domiciliation bancaire {s.bank} — RIB : {rib_spaced(s.rib)}", 8, align="c"
        )
    pg.save()


LAYOUTS: dict[str, Callable[[Invoice, Path], None]] = {
    "L14": layout_14,
    "L15": layout_15,
    "L16": layout_16,
    "L17": layout_17,
    "L18": layout_18,
    "L19": layout_19,
}
