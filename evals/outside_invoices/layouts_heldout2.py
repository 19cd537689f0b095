"""The second held-out split, L9–L13: its own layouts, people, catalogue and wordings.

Whoever works on the invoice reader or checker does not read this file (use the truth files
and the scorer's output). It was written blind, from `spec/algeria.md` and from what
ordinary Algerian invoices look like, without reading the reader, the checker or the first
held-out split (`layouts_heldout.py`):

- L9  bilingual letterhead (French left, Arabic right), bilingual identifier labels, ruled
      table with bilingual headers, "Client" box on the right, "Net à payer";
- L10 a dense, scanned-looking print (typewriter font, capitals without accents, a page
      turned by a fraction of a degree, specks), no table borders, dotted totals, every
      identifier of the seller on one line;
- L11 two-column header (seller left, "Facturé à" box right), a strip of boxed meta cells,
      a table ruled only horizontally with an article code and a VAT column, a totals box,
      the seller's identifiers only in the footer, the amount in words over a line break;
- L12 the classic "Doit" book: place and long date, long identifier labels ("Registre de
      commerce n°", "Matricule fiscal", "Article d'imposition"), grouped digits, two buyer
      identifiers per line, line numbers, "Total T.T.C" / "Droit de timbre" / "Net à payer";
- L13 a modern template: meta table on the right, "Destinataire", zebra rows without rules,
      amounts `1.234.567,89`, a shaded totals box, "Soit la somme de", the identifiers in a
      footer table (labels in a header row, values under them).

As in every layout of the set, a mention that is None is left off the page entirely (label
and value). This module imports nothing of Khazna but the outside set's own model and drawing
helpers; `build_invoice` makes the clean invoices of this split (the defects are seeded by
`generator.py`, from the catalogue there plus `generator.HELDOUT2_EXTRA_DEFECTS`).
"""

from __future__ import annotations

import random
import re
import unicodedata
import zlib
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import arabic_reshaper
from bidi.algorithm import get_display

from khazna.evals.outside_invoices.model import Invoice, Line, Party, rib_key
from khazna.evals.outside_invoices.render import (
    Page,
    capital,
    day,
    dejavu,
    draw_totals,
    firm,
    grouped,
    method_label,
    money,
    qty,
    rib_spaced,
    totals,
    words_text,
)

LAYOUT_NAMES = ("L9", "L10", "L11", "L12", "L13")

# --- the people, goods and wordings of this split (none of them in the first two splits) ----
# name, legal form, address, wilaya code, name in Arabic, activity in Arabic
SELLERS = [
    (
        "Tafna Matériaux de Construction",
        "SARL",
        "Route de Maghnia, Z.I. Chetouane, 13000 Tlemcen",
        "13",
        "تافنة لمواد البناء",
        "بيع مواد البناء بالجملة",
    ),
    (
        "Saoura Distribution Alimentaire",
        "EURL",
        "Cité Debdaba, rue 14, 08000 Béchar",
        "08",
        "الساورة للتوزيع الغذائي",
        "توزيع المواد الغذائية",
    ),
    (
        "Zibans Irrigation et Forage",
        "SARL",
        "Zone d'activités Ouest, lot 27, 07000 Biskra",
        "07",
        "الزيبان للسقي والتنقيب",
        "معدات السقي والتنقيب",
    ),
    (
        "Titteri Imprimerie Moderne",
        "SNC",
        "14, avenue du 1er Novembre, 26000 Médéa",
        "26",
        "مطبعة التيطري الحديثة",
        "الطباعة والنشر",
    ),
    (
        "Dahra Logistique et Transport",
        "SPA",
        "Port de Mostaganem, hangar 5, 27000 Mostaganem",
        "27",
        "الظهرة للإمداد والنقل",
        "نقل البضائع",
    ),
    (
        "Kotama Électricité Industrielle",
        "EURL",
        "Cité 200 logements, bloc B, 18000 Jijel",
        "18",
        "كتامة للكهرباء الصناعية",
        "التجهيزات الكهربائية",
    ),
    (
        "Bibans Pièces Auto",
        "SARL",
        "Boulevard de l'Indépendance, 34000 Bordj Bou Arréridj",
        "34",
        "البيبان لقطع الغيار",
        "بيع قطع غيار السيارات",
    ),
    (
        "Oasis Conseil et Formation",
        "SARL",
        "Cité El Khafdji, villa 19, 30000 Ouargla",
        "30",
        "الواحة للاستشارة والتكوين",
        "الاستشارة والتكوين",
    ),
]
ACTIVITIES = {
    "13": "Matériaux de construction – Quincaillerie",
    "08": "Distribution de produits alimentaires",
    "07": "Irrigation – Forage – Pompage",
    "26": "Imprimerie – Édition – Sérigraphie",
    "27": "Transport routier de marchandises – Entreposage",
    "18": "Installations électriques industrielles",
    "34": "Pièces détachées automobiles",
    "30": "Conseil en gestion – Formation professionnelle",
}
BUYERS = [
    ("SARL Hodna Minoterie", "Zone industrielle, BP 45, 28000 M'Sila", "28"),
    ("SPA Soummam Boissons", "Zone d'activités Taharacht, 06001 Akbou, Béjaïa", "06"),
    ("EURL Cirta Services Médicaux", "12, rue Abane Ramdane, 25000 Constantine", "25"),
    ("SARL Mitidja Agrumes", "Route de Boufarik, km 3, 09000 Blida", "09"),
    ("Hôtel Les Dunes SARL", "Route de Touggourt, 39000 El Oued", "39"),
    ("EURL Rostom Bâtiment", "Cité Zaâtcha, n° 88, 14000 Tiaret", "14"),
    ("SNC Frères Belkacemi et Cie", "Marché de gros des fruits et légumes, 19000 Sétif", "19"),
    ("SARL Génie Climatique de l'Est", "Z.I. Pont Bouchet, 23000 Annaba", "23"),
]
CATALOGUE = [
    ("Parpaing creux 15x20x40", "U", 48, 19),
    ("Rond à béton HA 12 (barre de 12 m)", "Barre", 1480, 19),
    ("Peinture vinylique blanche, seau de 25 kg", "Seau", 6900, 19),
    ("Huile de table, bidon de 5 L", "Bidon", 650, 9),
    ("Sucre blanc cristallisé (sac de 50 kg)", "Sac", 5400, 9),
    ("Pompe immergée 4 pouces 2 CV", "U", 78500, 19),
    ("Tube PEHD Ø 63 mm PN10 (rouleau de 100 m)", "Rouleau", 23800, 19),
    ("Impression de 5 000 dépliants A4 quadrichromie", "Forfait", 96000, 19),
    ("Transport Mostaganem – Alger, camion 20 t", "Voyage", 55000, 19),
    ("Formation « Gestion de trésorerie », 3 jours, 8 participants", "Forfait", 240000, 19),
    ("Disjoncteur tétrapolaire 63 A", "U", 12400, 19),
    ("Plaquettes de frein avant (jeu de 4)", "Jeu", 4350, 19),
    ("Filtre à huile moteur diesel", "U", 1150, 19),
    ("Dattes Deglet Nour, carton de 5 kg", "Carton", 2100, 9),
    ("Assistance comptable et fiscale, mois d'août 2026", "Mois", 85000, 19),
    ("Gel hydroalcoolique, flacon de 500 ml", "Flacon", 420, 19),
    ("Audit énergétique du site de production", "Forfait", 310000, 19),
]
BANKS = [("BNA", "001"), ("BEA", "002"), ("BADR", "003"), ("CPA", "004"), ("BDL", "005")]
TERMS = [
    "Règlement à 30 jours",
    "Payable à réception de facture",
    "Paiement à 60 jours fin de mois",
    "Règlement à 45 jours date de facture",
]
CASH_TERMS = "Payable à réception de facture"
NUMBERS: dict[str, Callable[[int], str]] = {
    "L9": lambda n: f"2026/{n:05d}",
    "L10": lambda n: f"FV{n:06d}",
    "L11": lambda n: f"F-26-{n:04d}",
    "L12": lambda n: f"{n:03d}-26/F",
    "L13": lambda n: f"INV-2026-{n:04d}",
}


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _party(rng: random.Random, name: str, form: str | None, address: str, wilaya: str) -> Party:
    bank, code = rng.choice(BANKS)
    agency, account = _digits(rng, 5), _digits(rng, 10)
    year = f"{rng.randint(1, 25):02d}"
    serial = _digits(rng, 7)
    letter = "B"  # every party of this split is a company
    rc = (
        f"{wilaya}/00-{serial} {letter} {year}"
        if rng.random() < 0.6
        else (f"{year} {letter} {serial} {wilaya}/00")
    )
    return Party(
        name=name,
        legal_form=form,
        capital=Decimal(rng.choice([100000, 200000, 1000000, 5000000, 20000000, 100000000])),
        address=address,
        phone=f"0{rng.choice(['43', '49', '33', '25', '45', '34', '29'])} {_digits(rng, 2)} {_digits(rng, 2)} {_digits(rng, 2)}",
        rc=rc,
        nif=rng.choice(["000", "001", "099"]) + wilaya + _digits(rng, 10),
        nis=rng.choice(["0", "1"]) + _digits(rng, 14),
        ai=wilaya + _digits(rng, 9),
        rib=code + agency + account + rib_key(agency, account),
        bank=bank,
    )


def build_invoice(rng: random.Random, layout: str, index: int) -> Invoice:
    """A clean invoice of `layout`: every mention present, the sums right."""
    s_name, s_form, s_addr, s_wil, _, _ = rng.choice(SELLERS)
    b_name, b_addr, b_wil = rng.choice(BUYERS)
    seller = _party(rng, s_name, s_form, s_addr, s_wil)
    buyer = _party(rng, b_name, None, b_addr, b_wil)
    buyer.capital = buyer.rib = buyer.bank = None
    if rng.random() < 0.4:
        buyer.phone = None
    if rng.random() < 0.5:
        buyer.nis = None  # not required of the buyer, often left out
    # the second invoice of each layout is paid in cash: every layout shows its stamp duty clean
    method = rng.choice(["virement", "virement", "cheque", "cheque", "especes"])
    if index == 1:
        method = "especes"
    lines = []
    for desc, unit, price, rate in rng.sample(CATALOGUE, rng.randint(1, 6)):
        q = Decimal(rng.choice([1, 2, 4, 5, 8, 10, 15, 24, 50, 100, 250]))
        if unit in ("Forfait", "Mois", "Voyage"):
            q = Decimal(rng.choice([1, 1, 2]))
        if method == "especes":
            q = Decimal(rng.choice([1, 2, 5]))
        cents = Decimal(rng.choice([0, 0, 0, 0, 20, 50, 90])) / 100
        lines.append(Line(desc, unit, q, Decimal(price) + cents, rate))
    issue = date(2026, rng.randint(1, 10), rng.randint(1, 28))
    due: date | None = issue + timedelta(days=rng.choice([10, 20, 30, 30, 45, 60, 90]))
    terms: str | None = None
    if method == "especes":
        terms, due = CASH_TERMS, None
    elif rng.random() < 0.3:
        terms, due = rng.choice(TERMS), None
    order = rng.choice(
        [f"BC n° {rng.randint(10, 999)}/2026", f"BL-{rng.randint(10000, 99999)}", None]
    )
    return Invoice(
        key=f"{layout}-{index:02d}",
        layout=layout,
        number=NUMBERS[layout](rng.randint(7, 2400)),
        issue_date=issue,
        due_date=due,
        terms=terms,
        method=method,
        seller=seller,
        buyer=buyer,
        lines=lines,
        order_ref=order,
        order_date=issue - timedelta(days=rng.randint(1, 25)) if order else None,
    )


# --- small drawing helpers of this split ------------------------------------------------------
def arabic(text: str) -> str:
    """Arabic shaped and put in visual order, as a PDF draws it."""
    return str(get_display(arabic_reshaper.reshape(text)))


def _arabic_of(p: Party) -> tuple[str, str] | None:
    for name, _form, _addr, _wil, ar_name, ar_activity in SELLERS:
        if name == p.name:
            return ar_name, ar_activity
    return None


def _activity(p: Party) -> str | None:
    for name, _form, _addr, wil, _a, _b in SELLERS:
        if name == p.name:
            return ACTIVITIES[wil]
    return None


def _plain_upper(s: str) -> str:
    """Capitals without accents, as an old billing program prints (« » kept as quotes)."""
    s = s.replace("«", '"').replace("»", '"').replace("–", "-").replace("Ø", "O")
    decomposed = unicodedata.normalize("NFKD", s)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).upper()


def _code(description: str) -> str:
    return f"A{zlib.crc32(description.encode()) % 9000 + 1000}"


def _due_or_terms(inv: Invoice, due_label: str, terms_label: str, style: str) -> tuple[str, str]:
    """The payment date as printed: (label, value); ("", "") when neither is on the invoice."""
    if inv.due_date:
        return due_label, day(inv.due_date, style)
    if inv.terms:
        return terms_label, inv.terms
    return "", ""


# --- L9: bilingual letterhead ---------------------------------------------------------------
def layout_9(inv: Invoice, path: Path) -> None:
    font, bold = dejavu()
    pg, s, b = Page(path, font, bold), inv.seller, inv.buyer
    ar = _arabic_of(s)
    pg.text(40, 805, firm(s), 14, bold=True)
    if ar:
        pg.text(555, 805, arabic(ar[0]), 14, align="r")
        pg.text(555, 789, arabic(ar[1]), 9, align="r")
    y = pg.kv(40, 789, [("", capital(s)), ("", s.address), ("Tél / Fax", s.phone)], size=8.5)
    pg.hline(40, 555, min(y, 755) - 2)
    # identifiers: French label and value on the left, the Arabic label at the column's end
    y = 738
    for label, value, ar_label in (
        ("R.C", s.rc, "السجل التجاري"),
        ("N.I.F", s.nif, "رقم التعريف الجبائي"),
        ("N.I.S", s.nis, "رقم التعريف الإحصائي"),
        ("A.I", s.ai, "رقم المادة"),
    ):
        if value is None:
            continue
        pg.text(40, y, f"{label} : {value}", 8.5)
        pg.text(290, y, arabic(ar_label), 8.5, align="r")
        y -= 12
    pg.box(320, 640, 235, 106)
    pg.text(328, 734, "Client", 9, bold=True)
    pg.text(547, 734, arabic("الزبون"), 9, align="r")
    pg.kv(
        328,
        720,
        [
            ("", b.name),
            ("", b.address),
            ("R.C", b.rc),
            ("N.I.F", b.nif),
            ("N.I.S", b.nis),
            ("A.I", b.ai),
        ],
        size=8,
        leading=10.5,
    )
    title = f"FACTURE N° {inv.number}" if inv.number else "FACTURE"
    pg.text(40, 650, title, 13, bold=True)
    pg.text(290, 650, arabic("فاتورة"), 13, align="r")
    if inv.issue_date:
        pg.text(40, 634, f"Date / {arabic('التاريخ')} : {day(inv.issue_date, 'dash')}", 9)
    if inv.order_ref and inv.order_date:
        pg.text(40, 621, f"Votre commande : {inv.order_ref} du {day(inv.order_date, 'dash')}", 8)
    cols = [
        (f"Désignation / {arabic('البيان')}", 195, "l"),
        (f"Unité / {arabic('الوحدة')}", 65, "c"),
        (f"Qté / {arabic('الكمية')}", 60, "r"),
        (f"TVA / {arabic('الرسم')}", 55, "c"),
        ("P.U H.T", 65, "r"),
        ("Montant H.T", 75, "r"),
    ]
    rows = [
        [ln.description, ln.unit, qty(ln.quantity), f"{ln.rate}%"]
        + [money(ln.unit_price), money(ln.amount)]
        for ln in inv.lines
    ]
    yy = pg.table(40, 605, cols, rows, size=7.5, header_fill=0.9)
    labels = {
        "ht": f"Total H.T / {arabic('المجموع خارج الرسم')}",
        "tva": "T.V.A {} / " + arabic("ر.ق.م"),
        "timbre": f"Droit de timbre / {arabic('حق الطابع')}",
        "ttc": f"Net à payer / {arabic('الصافي للدفع')}",
    }
    yy = draw_totals(pg, 330, 555, yy - 22, totals(inv, labels, "space"), size=8.5)
    words = words_text(inv)
    if words:
        yy = pg.para(
            40, yy - 10, f"Arrêtée la présente facture à la somme de : {words}.", 515, 8.5, 10.5
        )
    yy -= 8
    mode = method_label(inv.method)
    if mode:
        pg.text(40, yy, f"Mode de paiement / {arabic('طريقة الدفع')} : {mode}", 8.5)
        yy -= 12
    label, value = _due_or_terms(
        inv, f"Échéance / {arabic('تاريخ الاستحقاق')}", "Conditions de paiement", "dash"
    )
    if label:
        pg.text(40, yy, f"{label} : {value}", 8.5)
    if s.rib:
        pg.text(40, 70, f"Domiciliation bancaire : {s.bank} — RIB : {s.rib}", 8)
    pg.text(430, 110, "Cachet et signature", 8)
    pg.text(555, 98, arabic("الختم والإمضاء"), 8, align="r")
    pg.save()


# --- L10: dense, scanned-looking -------------------------------------------------------------
def layout_10(inv: Invoice, path: Path) -> None:
    pg, s, b = Page(path, "Courier", "Courier-Bold"), inv.seller, inv.buyer
    c = pg.c
    specks = random.Random(zlib.crc32(inv.key.encode()))
    c.setFillGray(0.965)
    c.rect(0, 0, pg.width, pg.height, stroke=0, fill=1)
    c.setFillGray(0.55)
    for _ in range(260):
        c.circle(specks.uniform(0, pg.width), specks.uniform(0, pg.height), 0.35, 0, 1)
    c.setFillGray(0.1)
    c.translate(pg.width / 2, pg.height / 2)
    c.rotate(0.35)
    c.translate(-pg.width / 2, -pg.height / 2)
    up = _plain_upper
    size, lead = 7.2, 8.6
    y: float = 812
    pg.text(36, y, up(firm(s)), 10, bold=True)
    y -= 11
    for part in (_activity(s), s.address, capital(s), f"TEL {s.phone}" if s.phone else None):
        if part:
            pg.text(36, y, up(part), size)
            y -= lead
    ids = [("RC", s.rc), ("NIF", s.nif), ("NIS", s.nis), ("ART", s.ai)]
    line = "   ".join(f"{k}:{v}" for k, v in ids if v)
    if line:
        pg.text(36, y, line, size)
        y -= lead
    pg.text(36, y, "-" * 112, size)
    y -= lead * 1.4
    head = f"FACTURE N. {inv.number}" if inv.number else "FACTURE"
    pg.text(36, y, head, 10, bold=True)
    if inv.issue_date:
        pg.text(560, y, f"DU {day(inv.issue_date, 'dot')}", 9, align="r")
    y -= lead * 1.5
    pg.text(36, y, "DOIT :", size, bold=True)
    y -= lead
    buyer_lines = [b.name, b.address]
    buyer_ids = "   ".join(
        f"{k}:{v}" for k, v in (("RC", b.rc), ("NIF", b.nif), ("NIS", b.nis), ("ART", b.ai)) if v
    )
    for part in [*buyer_lines, buyer_ids or None]:
        if part:
            pg.text(50, y, up(part), size)
            y -= lead
    if inv.order_ref and inv.order_date:
        pg.text(36, y, up(f"REF. {inv.order_ref} DU {day(inv.order_date, 'dot')}"), size)
        y -= lead
    y -= lead * 0.5
    pg.text(36, y, "-" * 112, size)
    y -= lead
    xs = (36, 300, 340, 380, 460, 560)  # désignation, unité, qté, tva | pu, montant (right)
    pg.text(xs[0], y, "DESIGNATION", size, bold=True)
    pg.text(xs[1], y, "UNITE", size, bold=True)
    pg.text(xs[2] + 28, y, "QTE", size, bold=True, align="r")
    pg.text(xs[3], y, "TVA", size, bold=True)
    pg.text(xs[4], y, "P.U.H.T", size, bold=True, align="r")
    pg.text(xs[5], y, "MONTANT H.T", size, bold=True, align="r")
    y -= lead * 0.8
    pg.text(36, y, "-" * 112, size)
    y -= lead
    for ln in inv.lines:
        desc = pg.split(up(ln.description), xs[1] - xs[0] - 8, size)
        pg.text(xs[0], y, desc[0], size)
        pg.text(xs[1], y, up(ln.unit), size)
        pg.text(xs[2] + 28, y, qty(ln.quantity), size, align="r")
        pg.text(xs[3], y, f"{ln.rate}%", size)
        pg.text(xs[4], y, money(ln.unit_price, "plain"), size, align="r")
        pg.text(xs[5], y, money(ln.amount, "plain"), size, align="r")
        for more in desc[1:]:
            y -= lead
            pg.text(xs[0], y, more, size)
        y -= lead
    pg.text(36, y, "-" * 112, size)
    y -= lead * 1.3
    labels = {"ht": "TOTAL H.T", "tva": "TVA {}", "timbre": "TIMBRE", "ttc": "TOTAL T.T.C"}
    for label, value in totals(inv, labels, "plain"):
        pg.text(330, y, f"{label} {'.' * (22 - len(label))}", size)
        pg.text(560, y, f"{value} DA", size, align="r")
        y -= lead
    y -= lead * 0.5
    words = inv.words
    if words:
        sentence = "ARRETEE LA PRESENTE FACTURE A LA SOMME DE : " + up(words)
        for part in pg.split(sentence, 520, size):
            pg.text(36, y, part, size)
            y -= lead
    y -= lead * 0.5
    mode = method_label(inv.method, 1)
    if mode:
        pg.text(36, y, f"MODE DE REGLEMENT : {up(mode)}", size)
        y -= lead
    label, value = _due_or_terms(inv, "ECHEANCE", "CONDITIONS", "dot")
    if label:
        pg.text(36, y, f"{label} : {up(value)}", size)
        y -= lead
    if s.rib:
        pg.text(36, y, f"RIB {s.bank} : {rib_spaced(s.rib)}", size)
    pg.text(400, 120, "LE GERANT", size)
    pg.save()


# --- L11: two-column header, "Facturé à", ids in the footer -----------------------------------
def layout_11(inv: Invoice, path: Path) -> None:
    font, bold = dejavu()
    pg, s, b = Page(path, font, bold), inv.seller, inv.buyer
    pg.text(40, 800, s.name or "", 15, bold=True)
    y = 785.0
    for part in (_activity(s), s.address, f"Tél. : {s.phone}" if s.phone else None):
        if part:
            pg.text(40, y, part, 8.5)
            y -= 11
    pg.box(330, 700, 225, 100)
    pg.text(338, 788, "Facturé à", 9, bold=True)
    pg.kv(
        338,
        774,
        [
            ("", b.name),
            ("", b.address),
            ("RC", b.rc),
            ("NIF", b.nif),
            ("AI", b.ai),
            ("NIS", b.nis),
        ],
        size=8,
        leading=10.5,
    )
    pg.text(40, 712, "FACTURE", 18, bold=True)
    cells: list[tuple[str, str]] = []
    if inv.number:
        cells.append(("Facture n°", inv.number))
    if inv.issue_date:
        cells.append(("Date", day(inv.issue_date)))
    label, value = _due_or_terms(inv, "Échéance", "Conditions", "slash")
    if label:
        cells.append((label, value))
    mode = method_label(inv.method)
    if mode:
        cells.append(("Mode de règlement", mode))
    x, w = 40.0, 515 / max(1, len(cells))
    for head, val in cells:
        pg.box(x, 650, w, 32)
        pg.text(x + 5, 671, head, 7.5, bold=True)
        size = 8.5 if len(val) < 26 else 6.5
        pg.text(x + 5, 656, val, size)
        x += w
    if inv.order_ref and inv.order_date:
        pg.text(40, 636, f"Réf. commande client : {inv.order_ref} du {day(inv.order_date)}", 8)
    cols = [
        ("Code", 45, "l"),
        ("Article", 200, "l"),
        ("Qté", 40, "r"),
        ("U", 45, "c"),
        ("Prix unitaire HT", 75, "r"),
        ("TVA", 35, "c"),
        ("Total HT", 75, "r"),
    ]
    rows = [
        [_code(ln.description), ln.description, qty(ln.quantity), ln.unit]
        + [money(ln.unit_price), f"{ln.rate} %", money(ln.amount)]
        for ln in inv.lines
    ]
    yy = pg.table(40, 625, cols, rows, size=8, grid=False, header_fill=None)
    rows_t = totals(
        inv,
        {
            "ht": "Montant H.T",
            "tva": "T.V.A {}",
            "timbre": "Droit de timbre",
            "ttc": "Montant T.T.C",
        },
        "space",
    )
    top = yy - 16
    height = 14 * len(rows_t) + 8
    pg.box(345, top - height, 210, height)
    y = top - 13
    for i, (label, value) in enumerate(rows_t):
        last = i == len(rows_t) - 1
        pg.text(352, y, label, 8.5, bold=last)
        pg.text(549, y, f"{value} DA", 8.5, bold=last, align="r")
        y -= 14
    words = words_text(inv)
    if words:
        wy = pg.para(40, top - 10, "La présente facture est arrêtée à la somme de :", 290, 8.5)
        pg.para(40, wy, words + ".", 290, 8.5, bold=True)
    pg.text(420, 150, "Signature et cachet", 8)
    # footer: identity, then every identifier, then the bank
    pg.hline(40, 555, 78)
    identity = ", ".join(x for x in (firm(s, form_first=False), capital(s, wording=1)) if x)
    pg.text(297, 68, f"{identity} — {s.address}" if s.address else identity, 6.8, align="c")
    ids = [("RC", s.rc), ("NIF", s.nif), ("NIS", s.nis), ("AI", s.ai)]
    pg.text(297, 58, "  |  ".join(f"{k} : {v}" for k, v in ids if v), 6.8, align="c")
    if s.rib:
        pg.text(297, 48, f"{s.bank} — RIB : {rib_spaced(s.rib)}", 6.8, align="c")
    pg.save()


# --- L12: the classic "Doit" book -------------------------------------------------------------
def layout_12(inv: Invoice, path: Path) -> None:
    font, bold = dejavu()
    pg, s, b = Page(path, font, bold), inv.seller, inv.buyer
    pg.text(297, 805, firm(s).upper(), 13, bold=True, align="c")
    sub = " — ".join(x for x in (_activity(s), capital(s)) if x)
    pg.text(297, 791, sub, 8, align="c")
    pg.text(297, 780, s.address or "", 8, align="c")
    pg.hline(40, 555, 772)
    place = re.search(r"\d{5} ([^,]+)", s.address or "")
    city = place.group(1) if place else "Alger"
    if inv.issue_date:
        pg.text(555, 755, f"{city}, le {day(inv.issue_date, 'long')}", 9, align="r")
    pg.kv(
        40,
        755,
        [
            ("Registre de commerce n°", s.rc),
            ("Matricule fiscal", grouped(s.nif, (3, 2, 5, 5))),
            ("N° d'identification statistique", grouped(s.nis, (4, 4, 4, 3))),
            ("Article d'imposition", grouped(s.ai, (2, 3, 3, 3))),
        ],
        size=8,
        leading=10.5,
        label_w=130,
    )
    pg.text(
        297, 690, f"FACTURE N° {inv.number}" if inv.number else "FACTURE", 14, bold=True, align="c"
    )
    pg.text(40, 668, "Doit :", 10, bold=True)
    pg.text(80, 668, b.name or "", 10, bold=True)
    y = 655.0
    if b.address:
        pg.text(80, y, f"Adresse : {b.address}", 8.5)
        y -= 11
    pairs = [("R.C", b.rc), ("N.I.F", b.nif), ("A.I", b.ai), ("N.I.S", b.nis)]
    shown = [(k, v) for k, v in pairs if v]
    for i in range(0, len(shown), 2):
        for j, (k, v) in enumerate(shown[i : i + 2]):
            pg.text(80 + j * 230, y, f"{k} : {v}", 8.5)
        y -= 11
    if inv.order_ref and inv.order_date:
        pg.text(80, y, f"Bon de commande : {inv.order_ref} du {day(inv.order_date)}", 8.5)
    mixed = len({ln.rate for ln in inv.lines}) > 1
    cols = [("N°", 25, "c"), ("Désignation", 215 if mixed else 250, "l"), ("Qté", 50, "r")]
    cols += [("TVA", 35, "c")] if mixed else []
    cols += [("P.U. H.T", 85, "r"), ("Montant H.T", 105, "r")]
    rows = [
        [str(i), ln.description, qty(ln.quantity, decimals=True)]
        + ([f"{ln.rate}%"] if mixed else [])
        + [money(ln.unit_price), money(ln.amount)]
        for i, ln in enumerate(inv.lines, 1)
    ]
    yy = pg.table(40, 605, cols, rows, size=8.5, header_fill=None)
    rows_t = [("Montant H.T", money(inv.total_ht))]
    rows_t += [(f"T.V.A {r} %", money(a)) for r, a in inv.tva_by_rate.items()]
    if inv.timbre is not None:
        rows_t += [("Total T.T.C", money(inv.total_ht + inv.total_tva))]
        rows_t += [("Droit de timbre", money(inv.timbre)), ("Net à payer", money(inv.total_ttc))]
    else:
        rows_t += [("Montant T.T.C", money(inv.total_ttc))]
    yy = draw_totals(pg, 370, 550, yy - 14, rows_t, boxed=True, size=8.5)
    words = words_text(inv)
    if words:
        yy = pg.para(40, yy - 12, f"Arrêté à la somme de : {words}.", 515, 9)
    yy -= 8
    mode = method_label(inv.method)
    if mode:
        pg.text(40, yy, f"Mode de règlement : {mode}", 9)
        yy -= 12
    label, value = _due_or_terms(inv, "Date de règlement", "Conditions de paiement", "slash")
    if label:
        pg.text(40, yy, f"{label} : {value}", 9)
        yy -= 12
    if s.rib:
        pg.text(40, yy - 4, f"Compte {s.bank} n° {s.rib}", 8.5)
    pg.text(400, 120, "Le Gérant", 9)
    pg.save()


# --- L13: modern template, ids in a footer table -------------------------------------------------
def layout_13(inv: Invoice, path: Path) -> None:
    font, bold = dejavu()
    pg, s, b = Page(path, font, bold), inv.seller, inv.buyer
    pg.box(40, 770, 48, 40, fill=0.2)
    pg.c.setFillGray(1)
    pg.text(64, 785, (s.name or "?")[:1], 20, bold=True, align="c")
    pg.c.setFillGray(0)
    pg.text(96, 796, firm(s, form_first=False), 12, bold=True)
    y = pg.kv(96, 782, [("", s.address), ("Tél", s.phone)], size=8)
    pg.text(555, 796, "FACTURE", 22, bold=True, align="r")
    meta = [
        ("N° facture", inv.number),
        ("Date d'émission", day(inv.issue_date) if inv.issue_date else None),
        ("Date d'échéance", day(inv.due_date) if inv.due_date else None),
        ("Conditions", None if inv.due_date else inv.terms),
        ("Mode de paiement", method_label(inv.method)),
        ("Réf. commande", inv.order_ref),
    ]
    y = 770.0
    for label, value in meta:
        if value is None:
            continue
        pg.box(350, y - 4, 82, 14, fill=0.9)
        pg.box(432, y - 4, 123, 14)
        pg.text(354, y, label, 7.5, bold=True)
        pg.text(551, y, value, 7.5 if len(value) < 26 else 6, align="r")
        y -= 14
    pg.text(40, 735, "DESTINATAIRE", 8, bold=True)
    pg.hline(40, 250, 731)
    pg.kv(
        40,
        719,
        [
            ("", b.name),
            ("", b.address),
            ("NIF", b.nif),
            ("NIS", b.nis),
            ("RC", b.rc),
            ("N° article", b.ai),
        ],
        size=8,
        leading=10.5,
    )
    cols = [("Description", 245), ("Qté", 45), ("P.U. HT", 80), ("TVA", 40), ("Total HT", 105)]
    x0, top, size, lead = 40.0, 630.0, 8.0, 10.5
    pg.box(x0, top - 16, 515, 16, fill=0.25)
    pg.c.setFillGray(1)
    cx = x0
    for head, w in cols:
        first = head == "Description"
        pg.text(cx + 4 if first else cx + w - 4, top - 11, head, size, True, "l" if first else "r")
        cx += w
    pg.c.setFillGray(0)
    yy = top - 16
    for i, ln in enumerate(inv.lines):
        desc = pg.split(ln.description, 235, size)
        h = lead * len(desc) + 6
        if i % 2:
            pg.c.setFillGray(0.93)
            pg.c.rect(x0, yy - h, 515, h, stroke=0, fill=1)
            pg.c.setFillGray(0)
        ly = yy - lead
        for part in desc:
            pg.text(x0 + 4, ly, part, size)
            ly -= lead
        values = [
            f"{qty(ln.quantity)} {ln.unit}",
            money(ln.unit_price, "dot"),
            f"{ln.rate}%",
            money(ln.amount, "dot"),
        ]
        cx = x0 + 245
        for (_, w), v in zip(cols[1:], values, strict=True):
            pg.text(cx + w - 4, yy - lead, v, size, align="r")
            cx += w
        yy -= h
    rows_t = totals(
        inv,
        {"ht": "Total HT", "tva": "TVA ({})", "timbre": "Timbre fiscal", "ttc": "Total TTC (DZD)"},
        "dot",
        rate_fmt="{}%",
    )
    height = 15 * len(rows_t) + 6
    top_t = yy - 14
    pg.box(355, top_t - height, 200, height, fill=0.94)
    ty = top_t - 13
    for i, (label, value) in enumerate(rows_t):
        last = i == len(rows_t) - 1
        pg.text(362, ty, label, 8.5, bold=last)
        pg.text(549, ty, value, 8.5, bold=last, align="r")
        ty -= 15
    words = words_text(inv)
    if words:
        pg.para(40, top_t - 12, f"Soit la somme de : {words}", 295, 8.5)
    pg.text(440, 150, "Cachet de l'entreprise", 7.5)
    # footer: legal form and capital, identifiers as a table, bank
    identity = " ".join(x for x in (firm(s), capital(s, "dot", wording=1)) if x)
    pg.text(297, 104, identity, 7.5, align="c")
    heads = [
        ("Registre du commerce", s.rc),
        ("NIF", s.nif),
        ("NIS", s.nis),
        ("Article d'imposition", s.ai),
    ]
    shown = [(h, v) for h, v in heads if v]
    if shown:
        cw = 515 / len(shown)
        for i, (head, value) in enumerate(shown):
            x = 40 + i * cw
            pg.box(x, 84, cw, 12, fill=0.9)
            pg.box(x, 72, cw, 12)
            pg.text(x + cw / 2, 87, head, 7, bold=True, align="c")
            pg.text(x + cw / 2, 75, value, 7, align="c")
    if s.rib:
        pg.text(297, 58, f"Banque : {s.bank} — RIB : {rib_spaced(s.rib)}", 7.5, align="c")
    pg.save()


LAYOUTS: dict[str, Callable[[Invoice, Path], None]] = {
    "L9": layout_9,
    "L10": layout_10,
    "L11": layout_11,
    "L12": layout_12,
    "L13": layout_13,
}
