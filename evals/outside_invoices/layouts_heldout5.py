"""The fifth blind held-out split, L26–L31: six more ordinary Algerian invoice layouts.

Written in session 31 from `spec/algeria.md` (décret 05-468 mentions, identifier shapes,
VAT 19/9 %, droit de timbre on cash payments) and from what small Algerian firms print,
without reading Khazna's reader or checker nor any earlier `layouts_heldout*.py`:

- L26 an IT services firm's ERP export: the seller's whole identity (form, capital, address,
  RC, NIF, NIS, AI, bank, RIB) in a grey sidebar down the left edge, labels stacked above
  their values; "À l'attention de"; amounts grouped with narrow no-break spaces and "DZD";
  "Montant en lettres :"; "Date limite de paiement"; never paid in cash.
- L27 a hardware shop: small type (7 pt), every label in lower case (`rc n°`, `nif`,
  `art. imp`, `réf client`, `n° d'article`), the client block on the right, a line table
  with no rule at all, the totals in a boxed grid.
- L28 a food distributor, French and Arabic: the seller's block on the right with an Arabic
  label beside each French one, the client on the left under "Client / الزبون", 9 % and
  19 % lines, the totals on the left, "Arrêtée la présente facture à la somme de" with the
  words wrapped over several lines in a narrow column.
- L29 a building-materials wholesaler: 14–32 lines over two or three pages, the table
  header and a "Page i/n" repeated, the seller's identifiers and RIB only in a grey footer
  band on every page, the delivery note and order cited with their own dates.
- L30 a printer: a two-column header, the seller's mentions as label/value rows with
  dotted leaders on the left, a ruled grid of the invoice's facts (number, date, réf
  client, order, payment, due date) on the right, the buyer under "Vendu à" below; on a cash
  invoice "Total T.T.C." is before the duty and "Net à payer" after it.
- L31 a garage: serif type, a vehicle block (registration, mileage, chassis number), the
  lines in two sections (spare parts, labour in hours) with their sub-totals inside the
  table, the totals in a framed box.

Every mention that is None is left off the page (label and value). Expected findings come
from how each defect is built (`generator.HELDOUT5_DEFECTS`), one defect per defective
invoice; `audit()` recomputes the arithmetic codes from the printed figures alone, and a
test holds the two to agree.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import arabic_reshaper
from bidi.algorithm import get_display
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from khazna.evals.outside_invoices.model import (
    Invoice,
    Line,
    Party,
    amount_in_words,
    q2,
    rib_key,
    stamp_duty,
)
from khazna.evals.outside_invoices.render import (
    MONTHS,
    Page,
    capital,
    day,
    dejavu,
    firm,
    grouped,
    method_label,
    money,
    qty,
    rib_spaced,
)

LAYOUT_NAMES = ("L26", "L27", "L28", "L29", "L30", "L31")
# L26 (a services firm paid by transfer or cheque) is first: the cash defects it may not
# take stay in the pool for the layouts after it, so every defect is seeded whatever the seed.
FORBIDDEN_GROUPS: dict[str, frozenset[str]] = {"L26": frozenset({"cash"})}
NNBSP = "\u202f"
_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def serif() -> tuple[str, str]:
    """DejaVu Serif embedded (else Times)."""
    try:
        pdfmetrics.getFont("DejaVuSerif")
    except KeyError:
        try:
            pdfmetrics.registerFont(TTFont("DejaVuSerif", str(_DEJAVU / "DejaVuSerif.ttf")))
            pdfmetrics.registerFont(
                TTFont("DejaVuSerif-Bold", str(_DEJAVU / "DejaVuSerif-Bold.ttf"))
            )
        except Exception:
            return "Times-Roman", "Times-Bold"
    return "DejaVuSerif", "DejaVuSerif-Bold"


def ar(text: str) -> str:
    """Arabic shaped and put in visual order, as a PDF printed from Word holds it."""
    return str(get_display(arabic_reshaper.reshape(text)))


# --- the people and goods of this split ---------------------------------------------------
SELLERS: dict[str, list[tuple[str, str, str, str]]] = {
    "L26": [
        (
            "Mazafran Systèmes d'Information",
            "SARL",
            "Lot. Said Hamdine, villa 31, 16012 Bir Mourad Raïs, Alger",
            "16",
        ),
        (
            "Rostom Digital Solutions",
            "EURL",
            "Cyberparc Sidi Abdellah, bureau B-14, 16093 Rahmania",
            "16",
        ),
    ],
    "L27": [
        ("Quincaillerie Benchaabane", "EURL", "17, rue Émir Abdelkader, 06000 Béjaïa", "06"),
        ("Outillage du Titteri", "SARL", "Cité des 200 logements, local 9, 26000 Médéa", "26"),
    ],
    "L28": [
        ("Distribution Alimentaire Hodna", "SARL", "Zone d'activités, îlot 5, 28000 M'Sila", "28"),
        ("El Waha Agroalimentaire", "SARL", "Route de Touggourt, km 3, 30000 Ouargla", "30"),
    ],
    "L29": [
        ("Matériaux Chelghoum Laïd", "SARL", "RN 5, sortie est, 43000 Mila", "43"),
        (
            "Comptoir des Matériaux de l'Ouest",
            "SPA",
            "Zone industrielle Es-Sénia, lot 88, 31100 Oran",
            "31",
        ),
    ],
    "L30": [
        ("Imprimerie Rahma Print", "EURL", "9, rue Mohamed Khemisti, 09000 Blida", "09"),
        ("Arts Graphiques du Sahel", "SARL", "Cité El Bousten, n° 120, 39000 El Oued", "39"),
    ],
    "L31": [
        (
            "Garage Ferhat Auto Services",
            "EURL",
            "Route de Bouira, lieu-dit Tala Amara, 15000 Tizi Ouzou",
            "15",
        ),
        ("Centre Auto El Kala", "SARL", "Boulevard du 1er Novembre, n° 46, 36000 El Tarf", "36"),
    ],
}
BUYERS = [
    ("SARL Transports Ait Yahia", "Cité Krim Belkacem, bloc 12, 15000 Tizi Ouzou", "15"),
    ("EURL Cabinet d'Études Tafat", "14, rue Didouche Mourad, 16000 Alger", "16"),
    ("SPA Laiterie Soummam Distribution", "Zone industrielle Taharacht, 06010 Akbou", "06"),
    ("SARL Promotion Immobilière El Nakhil", "Cité 1 000 logements, bloc D, 07000 Biskra", "07"),
    ("EURL Clinique Dentaire Ibn Sina", "Lotissement Bouzid, n° 3, 05000 Batna", "05"),
    ("SARL Boulangerie Industrielle Zibans", "Zone d'activités, lot 19, 07000 Biskra", "07"),
    ("Entreprise de Travaux Kheddache SNC", "Village Agricole, 35000 Boumerdès", "35"),
]
BANKS = [("BNA", "001"), ("BEA", "002"), ("BADR", "003"), ("CPA", "004"), ("BDL", "005")]
CATALOGUES: dict[str, list[tuple[str, str, int, int]]] = {
    "L26": [
        ("Développement module de gestion des stocks (lot 2)", "Forfait", 240000, 19),
        ("Licence annuelle logiciel de paie, 25 postes", "Licence", 86000, 19),
        ("Assistance technique sur site", "Jour", 28000, 19),
        ("Hébergement serveur dédié, trimestre", "Trim.", 54000, 19),
        ("Formation des utilisateurs au module comptable", "Jour", 35000, 19),
        ("Audit de sécurité du réseau informatique", "Forfait", 150000, 19),
    ],
    "L27": [
        ("Perceuse à percussion 750 W", "U", 9800, 19),
        ("Boîte de vis à bois 4x40 (200 pcs)", "Boîte", 650, 19),
        ("Cadenas laiton 50 mm", "U", 1200, 19),
        ("Pinceau plat 50 mm", "U", 320, 19),
        ("Rouleau de ruban adhésif d'emballage 48 mm", "U", 280, 19),
        ("Clé à molette 250 mm", "U", 1850, 19),
        ("Disque à tronçonner métal 230 mm", "U", 450, 19),
        ("Mètre ruban 5 m", "U", 600, 19),
    ],
    "L28": [
        ("Huile de table 5 L (carton de 4)", "Carton", 3900, 9),
        ("Sucre blanc cristallisé 1 kg (balle de 10)", "Balle", 1050, 9),
        ("Café moulu 250 g (carton de 24)", "Carton", 9600, 19),
        ("Pâtes alimentaires 500 g (carton de 20)", "Carton", 1700, 9),
        ("Concentré de tomate 800 g (carton de 12)", "Carton", 3300, 19),
        ("Eau minérale 1,5 L (pack de 6)", "Pack", 240, 19),
        ("Farine boulangère T55 (sac de 50 kg)", "Sac", 2300, 9),
        ("Boisson gazeuse 2 L (pack de 6)", "Pack", 720, 19),
    ],
    "L30": [
        ("Impression dépliants A4 quadri recto-verso, 1 000 ex.", "Lot", 38000, 19),
        ("Cartes de visite 350 g pelliculées, boîte de 500", "Boîte", 3500, 19),
        ("Kakémono 85x200 cm avec structure", "U", 12500, 19),
        ("Carnets à souches A5 autocopiants, 50 feuillets", "U", 900, 19),
        ("Enveloppes 22x11 imprimées, 500 ex.", "Lot", 7800, 19),
        ("Conception graphique de la charte de l'entreprise", "Forfait", 45000, 19),
        ("Chemises à rabats 320 g, 250 ex.", "Lot", 26000, 19),
    ],
}
# L29's catalogue: materials in their usual sizes, enough for thirty-two distinct lines.
_MATERIALS = (
    [(f"Tube PVC pression Ø {d} mm, barre de 6 m", "Barre", p, 19) for d, p in
     ((32, 780), (40, 1050), (50, 1480), (63, 2150), (75, 2900), (90, 4100), (110, 6050))]
    + [(f"Rond à béton HA {d} (barre de 12 m)", "Barre", p, 19) for d, p in
       ((8, 690), (10, 1080), (12, 1540), (14, 2120), (16, 2760))]
    + [(f"Coude PVC 90° Ø {d} mm", "U", p, 19) for d, p in ((40, 120), (50, 160), (110, 640))]
    + [(f"Brique rouge {s} (palette)", "Palette", p, 19) for s, p in
       (("8 trous", 19800), ("12 trous", 23500))]
    + [
        ("Ciment CEM II 42,5 sac de 50 kg", "Sac", 780, 19),
        ("Plâtre de construction sac de 40 kg", "Sac", 640, 19),
        ("Sable de carrière 0/4 (m³)", "m³", 2400, 19),
        ("Gravier 8/15 (m³)", "m³", 2700, 19),
        ("Treillis soudé 2,40 x 6 m", "Panneau", 3850, 19),
        ("Fil de ligature recuit (rouleau 25 kg)", "Rouleau", 5200, 19),
        ("Hourdis polystyrène 16 cm", "U", 310, 19),
        ("Parpaing creux 20x20x40", "U", 95, 19),
        ("Carreau de faïence 25x40 (m²)", "m²", 1350, 19),
        ("Colle carrelage sac de 25 kg", "Sac", 1150, 19),
        ("Robinet d'arrêt 1/2\" laiton", "U", 890, 19),
        ("Vanne à boisseau 3/4\"", "U", 1450, 19),
        ("Tuyau multicouche 16 mm (couronne 100 m)", "Couronne", 16800, 19),
        ("Peinture vinylique blanche 25 kg", "Seau", 6900, 19),
        ("Étanchéité bitume armé 4 mm (rouleau 10 m²)", "Rouleau", 5600, 19),
    ]
)  # fmt: skip
CATALOGUES["L29"] = _MATERIALS
_PARTS = [
    ("Filtre à huile", "FH-2231", 1350),
    ("Huile moteur 5W40 synthétique (bidon 4 L)", "HM-5W40", 6400),
    ("Plaquettes de frein avant (jeu)", "PF-0917", 5800),
    ("Disque de frein avant", "DF-0417", 7200),
    ("Filtre à air", "FA-1180", 1900),
    ("Courroie de distribution avec galet (kit)", "KD-3321", 14500),
    ("Bougie d'allumage", "BA-0062", 850),
    ("Amortisseur arrière", "AM-2208", 9600),
    ("Batterie 12 V 70 Ah", "BT-0070", 16500),
]
_LABOUR = [
    ("Main-d'œuvre vidange et remplacement des filtres", 2500),
    ("Main-d'œuvre remplacement du kit de distribution", 3000),
    ("Main-d'œuvre freinage avant (plaquettes et disques)", 2500),
    ("Diagnostic électronique (valise)", 3500),
    ("Main-d'œuvre remplacement des amortisseurs", 2800),
]
VEHICLES = ["Renault Symbol 1.6", "Hyundai Accent 1.4", "Toyota Hilux 2.4 D", "Peugeot 301 1.6 HDi",
            "Isuzu NPR 75", "Dacia Logan 1.5 dCi"]  # fmt: skip
TERMS = {
    "L26": ["Paiement à 30 jours fin de mois", "Paiement à 45 jours date de facture"],
    "L27": ["Payable à réception", "Paiement à 15 jours"],
    "L28": ["Règlement à 30 jours date de livraison", "Payable à réception de facture"],
    "L29": ["Règlement à 60 jours date de facture", "Paiement à 30 jours"],
    "L30": ["Payable à la livraison", "Règlement à 30 jours"],
    "L31": ["Payable à la restitution du véhicule", "Règlement à 15 jours"],
}


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _party(rng: random.Random, name: str, form: str | None, address: str, wilaya: str) -> Party:
    year = f"{rng.randint(3, 25):02d}"
    serial = _digits(rng, 7)
    rc = (
        f"{wilaya}/00-{serial} B {year}" if rng.random() < 0.5 else f"{year} B {serial} {wilaya}/00"
    )
    bank, code = rng.choice(BANKS)
    agency, account = _digits(rng, 5), _digits(rng, 10)
    return Party(
        name=name,
        legal_form=form,
        capital=Decimal(rng.choice([100000, 300000, 1000000, 5000000, 20000000])) if form else None,
        address=address,
        phone=f"0{rng.choice(['24', '26', '27', '29', '33', '34', '38'])} {_digits(rng, 2)} {_digits(rng, 2)} {_digits(rng, 2)}",
        rc=rc,
        nif=("000" if rng.random() < 0.7 else "199") + wilaya + _digits(rng, 10),
        nis=("0" + wilaya if rng.random() < 0.5 else "19" + wilaya[0]) + _digits(rng, 12),
        ai=wilaya + _digits(rng, 9),
        rib=code + agency + account + rib_key(agency, account),
        bank=bank,
    )


def _number(rng: random.Random, layout: str) -> str:
    seq = rng.randint(15, 1900)
    return {
        "L26": f"FAC/2026/{seq:05d}",
        "L27": f"FC26/{seq:04d}",
        "L28": f"{seq:03d}/2026/F",
        "L29": f"FM2026-{seq:05d}",
        "L30": f"{seq:04d}-A/2026",
        "L31": f"FR {seq:04d}/26",
    }[layout]


def _lines(rng: random.Random, layout: str, cash: bool) -> list[Line]:
    if layout == "L31":
        parts = rng.sample(_PARTS, rng.randint(1, 4))
        labour = rng.sample(_LABOUR, rng.randint(1, 2))
        out = [Line(f"{d} [{ref}]", "U", Decimal(rng.choice([1, 1, 2, 4])), Decimal(p), 19)
               for d, ref, p in parts]  # fmt: skip
        out += [
            Line(d, "h", Decimal(rng.choice(["0.5", "1", "1.5", "2", "3.5"])), Decimal(p), 19)
            for d, p in labour
        ]
        return out
    catalogue = CATALOGUES[layout]
    count = rng.randint(14, 32) if layout == "L29" else rng.randint(2, min(6, len(catalogue)))
    out = []
    for desc, unit, price, rate in rng.sample(catalogue, count):
        if unit in ("Forfait", "Licence", "Trim."):
            n = Decimal(1)
        elif cash:
            n = Decimal(rng.choice([1, 2, 3]))
        elif layout == "L29" and unit in ("U", "Sac"):
            n = Decimal(rng.choice([20, 50, 100, 150, 400]))
        else:
            n = Decimal(rng.choice([1, 2, 3, 5, 6, 10, 12, 24]))
        cents = Decimal(rng.choice([0, 0, 0, 50])) / 100 if price < 5000 else Decimal(0)
        out.append(Line(desc, unit, n, Decimal(price) + cents, rate))
    if layout == "L28" and len({ln.rate for ln in out}) == 1:  # a grocer's invoice mixes rates
        other = next(c for c in catalogue if c[3] != out[0].rate)
        out.append(Line(other[0], other[1], Decimal(2), Decimal(other[2]), other[3]))
    return out


def build_invoice(rng: random.Random, layout: str, index: int) -> Invoice:
    """A clean invoice of `layout`: every mention present, the sums right."""
    s_name, s_form, s_addr, s_wil = rng.choice(SELLERS[layout])
    b_name, b_addr, b_wil = rng.choice(BUYERS)
    seller = _party(rng, s_name, s_form, s_addr, s_wil)
    buyer = _party(rng, b_name, None, b_addr, b_wil)
    buyer.rib = buyer.bank = None
    if rng.random() < 0.5:
        buyer.nis = None
    methods = ["virement", "cheque"] if layout == "L26" else ["virement", "cheque", "especes"]
    if layout in ("L27", "L31"):  # counter sales: cash is common
        methods.append("especes")
    method = rng.choice(methods)
    lines = _lines(rng, layout, method == "especes")
    issue = date(2026, rng.randint(1, 10), rng.randint(1, 28))
    due: date | None = issue + timedelta(days=rng.choice([15, 30, 45, 60]))
    terms: str | None = None
    if method == "especes" or rng.random() < 0.4:
        terms, due = rng.choice(TERMS[layout]), None
        if method == "especes":
            terms = TERMS[layout][0] if layout in ("L27", "L30", "L31") else "Paiement comptant"
    order_ref = (
        f"BC n° {rng.randint(100, 999)}/2026"
        if rng.random() < 0.5
        else f"BL n° {rng.randint(1000, 9999)}"
    )
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
        order_ref=order_ref,
        order_date=issue - timedelta(days=rng.randint(1, 15)),
    )


# --- what a careful reader of the printed figures finds (independent of the defects) ------
def audit(inv: Invoice) -> set[str]:
    """The arithmetic and stamp-duty codes the printed figures call for, recomputed from the
    page alone (line by line, per rate, the duty of LF 2025 on the TTC before it)."""
    codes: set[str] = set()
    for ln in inv.lines:
        if ln.rate not in (0, 9, 19):
            codes.add("TVA_RATE_INVALID")
        if abs(ln.amount - q2(ln.quantity * ln.unit_price)) > Decimal("0.01"):
            codes.add("LINE_TOTAL_MISMATCH")
    lines_ht = sum((ln.amount for ln in inv.lines), Decimal(0))
    if abs(inv.total_ht - lines_ht) > Decimal("0.01"):
        codes.add("TOTAL_HT_MISMATCH")
    vat = sum((q2(ln.amount * ln.rate / 100) for ln in inv.lines), Decimal(0))
    if abs(inv.total_tva - vat) > Decimal("0.01") * len(inv.lines):
        codes.add("TVA_AMOUNT_MISMATCH")
    base = inv.total_ht + inv.total_tva
    right = stamp_duty(base) if inv.method == "especes" else Decimal(0)
    if inv.method == "especes" and right and inv.timbre is None:
        codes.add("TIMBRE_MISSING")
    elif inv.method == "especes" and inv.timbre is not None and inv.timbre != right:
        codes.add("TIMBRE_INCORRECT")
    elif inv.method != "especes" and inv.timbre is not None:
        codes.add("TIMBRE_UNEXPECTED")
    if inv.total_ttc != base + (inv.timbre or Decimal(0)):
        codes.add("TOTAL_TTC_MISMATCH")
    if inv.words is not None and inv.words != amount_in_words(inv.total_ttc):
        codes.add("AMOUNT_IN_WORDS_MISMATCH")
    return codes


# --- small drawing helpers of this split ---------------------------------------------------
def nb_money(value: Decimal) -> str:
    """1 234 567,89 with narrow no-break spaces (what office software writes in fr-DZ)."""
    return money(value).replace(" ", NNBSP)


def long_day(value: date) -> str:
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def rate_rows(inv: Invoice) -> list[tuple[int, Decimal]]:
    return list(inv.tva_by_rate.items())


def bare_table(
    pg: Page,
    x: float,
    y: float,
    cols: Sequence[tuple[str, float, str]],
    rows: list[list[str]],
    size: float = 7,
    rules: str = "none",
    bold_head: bool = True,
) -> float:
    """A table drawn as text only (`rules="none"`) or with a thin rule under each row
    (`rules="rows"`); returns the y below its last row."""
    leading = size + 2.6
    cx = x
    for head, w, align in cols:
        ax = cx + 2 if align == "l" else (cx + w - 2 if align == "r" else cx + w / 2)
        pg.text(ax, y - leading, head, size, bold=bold_head, align=align)
        cx += w
    yy = y - leading - 5
    total = sum(w for _, w, _ in cols)
    if rules == "rows":
        pg.c.setLineWidth(0.4)
        pg.hline(x, x + total, yy + 2)
    for row in rows:
        cells = [pg.split(v, w - 4, size) for v, (_, w, _) in zip(row, cols, strict=True)]
        height = max(len(c) for c in cells) * leading + 3
        cx = x
        for lines, (_, w, align) in zip(cells, cols, strict=True):
            ly = yy - leading
            ax = cx + 2 if align == "l" else (cx + w - 2 if align == "r" else cx + w / 2)
            for line in lines:
                pg.text(ax, ly, line, size, align=align)
                ly -= leading
            cx += w
        yy -= height
        if rules == "rows":
            pg.hline(x, x + total, yy + 1)
    pg.c.setLineWidth(1)
    return yy


def grid_totals(
    pg: Page, x: float, y: float, wl: float, wv: float, rows: list[tuple[str, str]], size: float
) -> float:
    """Totals as a ruled grid of label and value cells; returns the y below the grid."""
    h = size + 7
    for i, (label, value) in enumerate(rows):
        last = i == len(rows) - 1
        top = y - i * h
        pg.box(x, top - h, wl, h, fill=0.88 if last else None)
        pg.box(x + wl, top - h, wv, h, fill=0.88 if last else None)
        pg.text(x + 3, top - h + 4, label, size, bold=last)
        pg.text(x + wl + wv - 3, top - h + 4, value, size, bold=last, align="r")
    return y - len(rows) * h


# --- L26: ERP export, the seller in a grey sidebar -----------------------------------------
def layout_26(inv: Invoice, path: Path) -> None:
    font, bold = dejavu()
    pg, s, b = Page(path, font, bold), inv.seller, inv.buyer
    pg.box(0, 0, 170, 842, fill=0.93)
    y = pg.para(18, 800, s.name or "", 140, 11, 13, bold=True)
    y -= 2
    if s.legal_form:
        cap = f" au capital de {nb_money(s.capital)} DA" if s.capital is not None else ""
        y = pg.para(18, y, s.legal_form + cap, 140, 7.5, 9.5)
    elif s.capital is not None:
        y = pg.para(18, y, f"Capital social {nb_money(s.capital)} DA", 140, 7.5, 9.5)
    if s.address:
        y = pg.para(18, y, s.address, 140, 7.5, 9.5)
    if s.phone:
        y = pg.para(18, y, f"Tél. {s.phone}", 140, 7.5, 9.5)
    y -= 14
    stacked = [
        ("REGISTRE DE COMMERCE", s.rc),
        ("NIF", grouped(s.nif, (3, 3, 4, 5)) if s.nif and len(s.nif) == 15 else s.nif),
        ("NIS", s.nis),
        ("ARTICLE D'IMPOSITION", s.ai),
        ("BANQUE", s.bank if s.rib else None),
        ("RIB", rib_spaced(s.rib)),
    ]
    for label, value in stacked:
        if value is None:
            continue
        pg.text(18, y, label, 6.2, bold=True)
        pg.text(18, y - 10, value, 8)
        y -= 26
    pg.text(195, 790, "Facture", 22, bold=True)
    meta = [
        f"N° {inv.number}" if inv.number else None,
        f"Date d'émission : {long_day(inv.issue_date)}" if inv.issue_date else None,
        f"Réf client : CL-{inv.key[-2:]}{len(inv.lines):02d}",
        (
            f"{'Bon de livraison' if inv.order_ref.startswith('BL') else 'Bon de commande'} : "
            f"{inv.order_ref.replace('BL ', '').replace('BC ', '')}"
            if inv.order_ref
            else None
        ),
    ]
    my = 796
    for item in meta:
        if item:
            pg.text(560, my, item, 8.5, bold=item.startswith("N°"), align="r")
            my -= 12
    pg.text(195, 725, "À l'attention de :", 8, bold=True)
    pg.text(195, 711, b.name or "", 10, bold=True)
    y = 698
    if b.address:
        y = pg.para(195, y, b.address, 220, 8.5, 10.5)
    for label, value in (("NIF", b.nif), ("RC", b.rc), ("AI", b.ai), ("NIS", b.nis)):
        if value:
            pg.text(195, y, f"{label} : {value}", 8)
            y -= 10.5
    cols = [("Description", 165, "l"), ("Qté", 35, "r"), ("P.U. HT", 65, "r"),
            ("TVA", 35, "r"), ("Total HT", 65, "r")]  # fmt: skip
    rows = [[ln.description, qty(ln.quantity), nb_money(ln.unit_price), f"{ln.rate} %",
             nb_money(ln.amount)] for ln in inv.lines]  # fmt: skip
    yy = bare_table(pg, 195, min(y, 640) - 16, cols, rows, 8.5, rules="rows")
    ty = yy - 22
    trows = [("Total HT", inv.total_ht)] + [(f"TVA {r} %", v) for r, v in rate_rows(inv)]
    if inv.timbre is not None:
        trows.append(("Droit de timbre", inv.timbre))
    trows.append(("Total TTC", inv.total_ttc))
    for i, (tlabel, tvalue) in enumerate(trows):
        last = i == len(trows) - 1
        if last:
            pg.box(390, ty - 5, 170, 17, fill=0.85)
        pg.text(396, ty, tlabel, 9, bold=last)
        pg.text(556, ty, f"{nb_money(tvalue)} DZD", 9, bold=last, align="r")
        ty -= 17
    ty -= 10
    if inv.words:
        ty = pg.para(
            195, ty, f"Montant en lettres : {inv.words[0].upper()}{inv.words[1:]}.", 365, 8.5, 11
        )
    ty -= 10
    if inv.method:
        pg.text(195, ty, f"Mode de paiement : {method_label(inv.method)}", 8.5)
        ty -= 12
    if inv.due_date:
        pg.text(195, ty, f"Date limite de paiement : {long_day(inv.due_date)}", 8.5)
    elif inv.terms:
        pg.text(195, ty, f"Conditions de paiement : {inv.terms}", 8.5)
    pg.text(377, 40, "Merci de rappeler le numéro de facture lors du paiement.", 7, align="c")
    pg.save()


# --- L27: hardware shop, small type, lower-case labels, bare table, totals grid ------------
def layout_27(inv: Invoice, path: Path) -> None:
    pg, s, b = Page(path), inv.seller, inv.buyer
    pg.text(36, 806, firm(s, form_first=False), 11, bold=True)
    pg.text(36, 795, "outillage – quincaillerie – droguerie – visserie", 7)
    y: float = 784
    for item in (
        s.address,
        f"tél / fax : {s.phone}" if s.phone else None,
        f"capital social : {money(s.capital)} da" if s.capital is not None else None,
        f"rc n° : {s.rc}" if s.rc else None,
        f"nif : {s.nif}" if s.nif else None,
        f"nis : {s.nis}" if s.nis else None,
        f"art. imp : {s.ai}" if s.ai else None,
    ):
        if item:
            pg.text(36, y, item, 7)
            y -= 9
    pg.box(330, 700, 230, 100)
    pg.text(336, 790, "client :", 7, bold=True)
    by: float = 780
    for item in (
        b.name,
        f"réf client : {inv.key.replace('-', '')}",
        b.address,
        f"rc : {b.rc}" if b.rc else None,
        f"nif : {b.nif}" if b.nif else None,
        f"nis : {b.nis}" if b.nis else None,
        f"ai : {b.ai}" if b.ai else None,
    ):
        if item:
            for part in pg.split(item, 218, 7):
                pg.text(336, by, part, 7)
                by -= 9
    head = f"facture n° {inv.number}" if inv.number else "facture"
    pg.text(36, 672, head, 10, bold=True)
    if inv.issue_date:
        pg.text(36, 661, f"le {day(inv.issue_date)}", 7.5)
    if inv.order_ref and inv.order_date:
        pg.text(200, 661, f"votre {inv.order_ref.lower()} du {day(inv.order_date)}", 7)
    cols = [("n° d'article", 58, "l"), ("désignation", 210, "l"), ("u", 32, "c"), ("qté", 32, "r"),
            ("p.u ht", 62, "r"), ("tva", 30, "r"), ("montant ht", 70, "r")]  # fmt: skip
    rows = [[f"QB-{(i * 7919 + len(ln.description) * 31) % 90000 + 10000}", ln.description.lower(),
             ln.unit.lower(), qty(ln.quantity), money(ln.unit_price), f"{ln.rate}%", money(ln.amount)]
            for i, ln in enumerate(inv.lines, 1)]  # fmt: skip
    yy = bare_table(pg, 36, 645, cols, rows, 7, rules="none", bold_head=False)
    trows = [("total ht", money(inv.total_ht))]
    trows += [(f"tva {r} %", money(v)) for r, v in rate_rows(inv)]
    if inv.timbre is not None:
        trows.append(("droit de timbre", money(inv.timbre)))
    trows.append(("total ttc", money(inv.total_ttc)))
    ty = grid_totals(pg, 400, yy - 14, 80, 80, trows, 7.5)
    wy = ty - 16
    if inv.words:
        wy = pg.para(36, wy, f"arrêtée la présente facture à la somme de : {inv.words}", 520, 7, 9)
    wy -= 6
    if inv.method:
        pg.text(36, wy, f"mode de paiement : {(method_label(inv.method) or '').lower()}", 7)
        wy -= 9
    if inv.due_date:
        pg.text(36, wy, f"échéance : {day(inv.due_date)}", 7)
    elif inv.terms:
        pg.text(36, wy, f"conditions : {inv.terms.lower()}", 7)
    if s.rib:
        pg.text(36, 50, f"rib {s.bank.lower() if s.bank else ''} : {s.rib}", 6.5)
    pg.text(470, 70, "cachet et signature", 6.5)
    pg.save()


# --- L28: French and Arabic, seller on the right, client on the left ----------------------
def layout_28(inv: Invoice, path: Path) -> None:
    font, bold = dejavu()
    pg, s, b = Page(path, font, bold), inv.seller, inv.buyer
    pg.text(560, 808, firm(s), 12, bold=True, align="r")
    pg.text(560, 795, ar("توزيع المواد الغذائية بالجملة"), 8, align="r")
    sy: float = 782
    rows: list[tuple[str | None, str]] = [
        (s.address, "العنوان"),
        (capital(s, wording=0) if s.capital is not None else None, "رأس المال"),
        (f"Tél : {s.phone}" if s.phone else None, "الهاتف"),
        (f"R.C : {s.rc}" if s.rc else None, "السجل التجاري"),
        (f"N.I.F : {s.nif}" if s.nif else None, "رقم التعريف الجبائي"),
        (f"N.I.S : {s.nis}" if s.nis else None, "رقم التعريف الإحصائي"),
        (f"A.I : {s.ai}" if s.ai else None, "رقم المادة"),
    ]
    for value, label in rows:
        if value is None:
            continue
        pg.text(300, sy, value, 7.5)
        pg.text(560, sy, ar(label), 7.5, align="r")
        sy -= 10.5
    pg.text(297, 690, ar("فاتورة"), 16, bold=True, align="c")
    pg.text(
        297, 674, f"FACTURE N° {inv.number}" if inv.number else "FACTURE", 11, bold=True, align="c"
    )
    if inv.issue_date:
        pg.text(297, 661, f"Date : {day(inv.issue_date)}", 8.5, align="c")
    pg.box(36, 705, 235, 105)
    pg.text(42, 798, "Client / " + ar("الزبون"), 8.5, bold=True)
    by: float = 786
    for bvalue, blabel in (
        (b.name, None),
        (b.address, None),
        (f"RC : {b.rc}" if b.rc else None, "س.ت"),
        (f"NIF : {b.nif}" if b.nif else None, "ر.ت.ج"),
        (f"NIS : {b.nis}" if b.nis else None, "ر.ت.إ"),
        (f"AI : {b.ai}" if b.ai else None, "ر.م"),
    ):
        if bvalue is None:
            continue
        for part in pg.split(bvalue, 190 if blabel else 225, 7.5):
            pg.text(42, by, part, 7.5)
            if blabel:
                pg.text(265, by, ar(blabel), 7.5, align="r")
            by -= 10
    if inv.order_ref and inv.order_date:
        pg.text(36, 645, f"Réf. : {inv.order_ref} du {day(inv.order_date)}", 7.5)
    cols = [("Code", 40, "c"), ("Désignation", 215, "l"), ("Qté", 40, "r"), ("P.U HT", 70, "r"),
            ("TVA %", 45, "c"), ("Montant HT", 114, "r")]  # fmt: skip
    cx = 36
    for (_, w, _), label in zip(
        cols, ["الرمز", "التعيين", "الكمية", "سعر الوحدة", "الرسم", "المبلغ"], strict=True
    ):
        pg.text(cx + w / 2, 630, ar(label), 7, align="c")
        cx += w
    trows_t = [[f"{100 + i}", ln.description, qty(ln.quantity), money(ln.unit_price), str(ln.rate),
                money(ln.amount)] for i, ln in enumerate(inv.lines, 1)]  # fmt: skip
    yy = pg.table(36, 625, cols, trows_t, size=7.8, header_fill=0.9)
    trows: list[tuple[str, str, Decimal]] = [("Total H.T", "المجموع خارج الرسم", inv.total_ht)]
    trows += [(f"T.V.A {r} %", f"ر.ق.م {r}%", v) for r, v in rate_rows(inv)]
    if inv.timbre is not None:
        trows.append(("Droit de timbre", "حق الطابع", inv.timbre))
    trows.append(("Total T.T.C", "المجموع بكل الرسوم", inv.total_ttc))
    top = yy - 16
    pg.box(36, top - 15 * len(trows) - 2, 250, 15 * len(trows) + 10)
    ty = top - 4
    for i, (fr, arabic, amount) in enumerate(trows):
        last = i == len(trows) - 1
        pg.text(42, ty, fr, 8, bold=last)
        pg.text(180, ty, money(amount), 8, bold=last, align="r")
        pg.text(280, ty, ar(arabic), 7.5, align="r")
        ty -= 15
    wy = top - 4
    if inv.words:
        pg.text(560, wy, ar("أوقفت هذه الفاتورة بمبلغ"), 7.5, align="r")
        pg.text(310, wy - 12, "Arrêtée la présente facture à la somme de :", 8)
        words = inv.words[0].upper() + inv.words[1:]
        wy = pg.para(310, wy - 24, words, 200, 8, 10, bold=True)
    py = min(ty, wy) - 16
    if inv.method:
        pg.text(36, py, f"Mode de paiement : {method_label(inv.method)}", 8)
        pg.text(300, py, ar("طريقة الدفع"), 7.5, align="r")
        py -= 12
    if inv.due_date:
        pg.text(36, py, f"Échéance : {day(inv.due_date)}", 8)
        pg.text(300, py, ar("تاريخ الاستحقاق"), 7.5, align="r")
    elif inv.terms:
        pg.text(36, py, f"Conditions de paiement : {inv.terms}", 8)
        pg.text(300, py, ar("شروط الدفع"), 7.5, align="r")
    if s.rib:
        pg.text(36, 48, f"RIB ({s.bank}) : {rib_spaced(s.rib)}", 7.5)
        pg.text(560, 48, ar("الحساب البنكي"), 7.5, align="r")
    pg.text(470, 90, ar("الختم والإمضاء") + " / Cachet", 7.5, align="c")
    pg.save()


# --- L29: several pages, identifiers in a footer band on every page ------------------------
_FIRST_ROWS, _NEXT_ROWS = 12, 16


def _pages_of(inv: Invoice) -> list[list[int]]:
    idx = list(range(len(inv.lines)))
    pages = [idx[:_FIRST_ROWS]]
    rest = idx[_FIRST_ROWS:]
    while rest:
        pages.append(rest[:_NEXT_ROWS])
        rest = rest[_NEXT_ROWS:]
    if len(pages[-1]) > _NEXT_ROWS - 5 or len(pages) == 1:  # no room left for the totals
        pages.append([])
    return pages


def layout_29(inv: Invoice, path: Path) -> None:
    pg, s, b = Page(path), inv.seller, inv.buyer
    chunks = _pages_of(inv)
    n = len(chunks)
    cols = [("Code", 45, "c"), ("Désignation", 215, "l"), ("Unité", 45, "c"), ("Quantité", 50, "r"),
            ("P.U. HT", 70, "r"), ("Montant HT", 95, "r")]  # fmt: skip

    def frame(page: int) -> None:
        pg.text(36, 806, (s.name or "").upper(), 13, bold=True)
        pg.text(36, 794, "Matériaux de construction – Plomberie – Rond à béton", 7.5)
        pg.text(560, 806, f"FACTURE N° {inv.number}" if inv.number else "FACTURE", 11,
                bold=True, align="r")  # fmt: skip
        if inv.issue_date:
            pg.text(560, 793, f"du {day(inv.issue_date)}", 8.5, align="r")
        pg.text(560, 781, f"Page {page}/{n}", 7.5, align="r")
        pg.hline(36, 560, 775)
        pg.box(36, 28, 524, 44, fill=0.9)
        first = [
            firm(s, form_first=False),
            f"au capital de {money(s.capital)} DA" if s.capital is not None else None,
            f"Siège : {s.address}" if s.address else None,
            f"Tél. {s.phone}" if s.phone else None,
        ]
        second = [
            f"R.C N° {s.rc}" if s.rc else None,
            f"N.I.F {s.nif}" if s.nif else None,
            f"N.I.S {s.nis}" if s.nis else None,
            f"A.I {s.ai}" if s.ai else None,
        ]
        pg.text(298, 61, " – ".join(x for x in first if x), 6.5, align="c")
        pg.text(298, 50, " – ".join(x for x in second if x), 6.5, align="c")
        if s.rib:
            pg.text(298, 39, f"Domiciliation : {s.bank} – RIB {s.rib}", 6.5, align="c")

    for page, chunk in enumerate(chunks, 1):
        frame(page)
        top = 760
        if page == 1:
            pg.box(330, 670, 230, 85)
            pg.text(336, 744, "Client :", 8, bold=True)
            pg.text(470, 744, f"Code client : 411{inv.key[1:3]}{inv.key[-2:]}", 7.5)
            cy: float = 732
            for item in (
                b.name,
                b.address,
                f"RC : {b.rc}" if b.rc else None,
                f"NIF : {b.nif}" if b.nif else None,
                f"NIS : {b.nis}" if b.nis else None,
                f"AI : {b.ai}" if b.ai else None,
            ):
                if item:
                    for part in pg.split(item, 218, 7.5):
                        pg.text(336, cy, part, 7.5)
                        cy -= 9.5
            if inv.order_ref and inv.order_date:
                pg.text(36, 740, f"Selon {inv.order_ref} du {day(inv.order_date)}", 8)
            pg.text(36, 727, "Livraison : chantier du client", 8)
            top = 655
        if chunk:
            rows = [[f"{2600 + i:05d}", inv.lines[i].description, inv.lines[i].unit,
                     qty(inv.lines[i].quantity), money(inv.lines[i].unit_price),
                     money(inv.lines[i].amount)] for i in chunk]  # fmt: skip
            yy = pg.table(36, top, cols, rows, size=7.5, header_fill=0.85)
        else:
            yy = top
        if page < n:
            pg.text(560, yy - 12, "… suite page suivante", 7.5, align="r")
            pg.c.showPage()
            continue
        trows = [("Montant total HT", inv.total_ht)]
        trows += [(f"Montant TVA {r} %", v) for r, v in rate_rows(inv)]
        if inv.timbre is not None:
            trows.append(("Droit de timbre", inv.timbre))
        trows.append(("Montant total TTC", inv.total_ttc))
        ty = yy - 20
        for i, (label, value) in enumerate(trows):
            last = i == len(trows) - 1
            pg.text(360, ty, label, 8.5, bold=last)
            pg.text(556, ty, money(value), 8.5, bold=last, align="r")
            ty -= 13
        wy = ty - 12
        if inv.words:
            words = inv.words[0].upper() + inv.words[1:]
            wy = pg.para(
                36, wy, f"La présente facture est arrêtée à la somme de : {words}.", 520, 8.5
            )
        wy -= 8
        pay = []
        if inv.method:
            pay.append(method_label(inv.method) or "")
        if inv.due_date:
            pay.append(f"échéance le {day(inv.due_date)}")
        elif inv.terms:
            pay.append(inv.terms.lower())
        if pay:
            pg.text(36, wy, "Règlement : " + " – ".join(pay), 8.5)
        pg.text(470, 100, "La Direction commerciale", 7.5, align="c")
    pg.save()


# --- L30: two-column header, dotted leaders, a ruled grid of the invoice's facts ---------
def _leader(pg: Page, x: float, y: float, label: str, value: str, vx: float, size: float) -> None:
    pg.text(x, y, label, size)
    used = pdfmetrics.stringWidth(label + " ", pg.font, size)
    dot = pdfmetrics.stringWidth(".", pg.font, size)
    pg.text(x + used, y, "." * max(2, int((vx - x - used - 4) / dot)), size)
    pg.text(vx, y, value, size)


def layout_30(inv: Invoice, path: Path) -> None:
    pg, s, b = Page(path), inv.seller, inv.buyer
    pg.text(36, 810, s.name or "", 13, bold=True)
    pg.text(36, 798, "Impression offset et numérique – Conception graphique", 7.5)
    y: float = 782
    for label, value in (
        ("Forme juridique", s.legal_form),
        ("Capital social", f"{money(s.capital)} DA" if s.capital is not None else None),
        ("Siège social", s.address),
        ("Téléphone", s.phone),
        ("Registre de commerce", s.rc),
        ("N° d'identification fiscale", s.nif),
        ("N° d'identification statistique", s.nis),
        ("Article d'imposition", s.ai),
    ):
        if value is None:
            continue
        lines = pg.split(value, 150, 7.5)
        _leader(pg, 36, y, label, lines[0], 150, 7.5)
        for more in lines[1:]:
            y -= 9.5
            pg.text(150, y, more, 7.5)
        y -= 10.5
    facts = [
        ("Facture N°", inv.number),
        ("Date", day(inv.issue_date) if inv.issue_date else None),
        ("Réf client", f"C{inv.key[1:3]}-{inv.key[-2:]}7"),
        ("Bon de commande", inv.order_ref if inv.order_ref and "BC" in inv.order_ref else None),
        ("Bon de livraison", inv.order_ref if inv.order_ref and "BL" in inv.order_ref else None),
        ("Mode de paiement", method_label(inv.method)),
        ("Échéance", day(inv.due_date) if inv.due_date else inv.terms),
    ]
    gy: float = 805
    for label, value in facts:
        if value is None:
            continue
        pg.box(330, gy - 14, 80, 14, fill=0.9)
        pg.box(410, gy - 14, 150, 14)
        pg.text(334, gy - 10, label, 7.5, bold=True)
        pg.text(414, gy - 10, value, 7.5)
        gy -= 14
    by: float = min(y, gy) - 18
    pg.text(36, by, "Vendu à :", 8.5, bold=True)
    by -= 12
    pg.text(36, by, b.name or "", 9.5, bold=True)
    by -= 11
    if b.address:
        by = pg.para(36, by, b.address, 300, 8, 10)
    ids = [("RC", b.rc), ("NIF", b.nif), ("AI", b.ai), ("NIS", b.nis)]
    line = "    ".join(f"{k} : {v}" for k, v in ids if v)
    if line:
        pg.text(36, by, line, 7.5)
        by -= 10
    cols = [("Réf.", 40, "l"), ("Désignation", 220, "l"), ("Qté", 40, "r"), ("P.U. H.T.", 75, "r"),
            ("Taux TVA", 50, "r"), ("Montant H.T.", 99, "r")]  # fmt: skip
    rows = [[f"IM{30 + i:03d}", ln.description, qty(ln.quantity), money(ln.unit_price),
             f"{ln.rate} %", money(ln.amount)] for i, ln in enumerate(inv.lines, 1)]  # fmt: skip
    yy = bare_table(pg, 36, by - 14, cols, rows, 8, rules="rows")
    trows = [("Total H.T.", inv.total_ht)] + [(f"T.V.A. {r} %", v) for r, v in rate_rows(inv)]
    if inv.timbre is not None:  # the TTC before the duty, then the duty, then what is paid
        trows.append(("Total T.T.C.", inv.total_ttc - inv.timbre))
        trows.append(("Droit de timbre", inv.timbre))
        trows.append(("Net à payer", inv.total_ttc))
    else:
        trows.append(("Total T.T.C.", inv.total_ttc))
    ty = yy - 18
    for i, (tlabel, tvalue) in enumerate(trows):
        last = i == len(trows) - 1
        pg.text(380, ty, tlabel, 8.5, bold=last)
        pg.text(556, ty, f"{money(tvalue)} DA", 8.5, bold=last, align="r")
        ty -= 13
    wy = ty - 10
    if inv.words:
        words = inv.words[0].upper() + inv.words[1:]
        wy = pg.para(36, wy, f"Arrêtée la présente facture à la somme de : {words}.", 520, 8.5)
    pg.text(450, max(70, wy - 30), "Le gérant", 8, align="c")
    if s.rib:
        pg.hline(36, 560, 52)
        pg.text(
            298, 42, f"Coordonnées bancaires : {s.bank} – RIB n° {rib_spaced(s.rib)}", 7, align="c"
        )
    pg.save()


# --- L31: a garage, serif, vehicle block, sections with sub-totals -------------------------
def layout_31(inv: Invoice, path: Path) -> None:
    font, bold = serif()
    pg, s, b = Page(path, font, bold), inv.seller, inv.buyer
    pg.text(36, 808, firm(s), 13, bold=True)
    pg.text(36, 796, "Mécanique générale – Électricité auto – Diagnostic", 8)
    y: float = 784
    for item in (
        s.address,
        f"Tél. {s.phone}" if s.phone else None,
        capital(s, wording=1),
    ):
        if item:
            pg.text(36, y, item, 8)
            y -= 10
    iy = 808
    for label, value in (
        ("Registre de commerce N°", s.rc),
        ("N.I.F.", s.nif),
        ("N.I.S.", s.nis),
        ("A.I.", s.ai),
    ):
        if value:
            pg.text(560, iy, f"{label} : {value}", 7.5, align="r")
            iy -= 10
    pg.hline(36, 560, 748)
    pg.text(36, 728, f"FACTURE N° {inv.number}" if inv.number else "FACTURE", 12, bold=True)
    if inv.issue_date:
        pg.text(36, 715, f"Date de facture : {day(inv.issue_date)}", 8.5)
    if inv.order_date:
        pg.text(
            36,
            703,
            f"Ordre de réparation n° OR-{inv.key[1:3]}{inv.key[-2:]} du {day(inv.order_date)}",
            8,
        )
    seed = sum(ord(c) for c in (b.name or "") + inv.key)
    s_wilaya = (s.ai or "16")[:2]
    vehicle = VEHICLES[seed % len(VEHICLES)]
    pg.box(36, 610, 250, 80)
    vy = 678
    for label, value in (
        ("Véhicule", vehicle),
        ("Immatriculation", f"{seed % 90000 + 10000:05d}-1{seed % 20 + 5:02d}-{s_wilaya}"),
        ("Kilométrage", f"{(seed * 37) % 250000 + 12000:,} km".replace(",", " ")),
        ("N° de châssis", f"VF1LB{seed * 7919 % 10**12:012d}"),
    ):
        pg.text(42, vy, f"{label} : {value}", 8)
        vy -= 12
    pg.box(300, 610, 260, 80)
    pg.text(306, 678, "Client :", 8, bold=True)
    cy = 666
    for item in (
        b.name,
        b.address,
        f"RC : {b.rc}" if b.rc else None,
        f"NIF : {b.nif}" if b.nif else None,
        f"AI : {b.ai}" if b.ai else None,
        f"NIS : {b.nis}" if b.nis else None,
    ):
        if item:
            for part in pg.split(item, 248, 7.5):
                pg.text(306, cy, part, 7.5)
                cy -= 9
    cols = [("Réf.", 55, "l"), ("Désignation", 230, "l"), ("Qté", 35, "r"), ("P.U. HT", 70, "r"),
            ("TVA", 35, "c"), ("Montant HT", 99, "r")]  # fmt: skip
    parts = [ln for ln in inv.lines if ln.unit != "h"]
    labour = [ln for ln in inv.lines if ln.unit == "h"]
    rows: list[list[str]] = []

    def section(title: str, lines: list[Line], sub: str) -> None:
        if not lines:
            return
        rows.append(["", title, "", "", "", ""])
        for ln in lines:
            desc, ref = ln.description, ""
            if desc.endswith("]") and "[" in desc:
                desc, ref = desc[: desc.rindex("[")].strip(), desc[desc.rindex("[") + 1 : -1]
            rows.append([ref, desc, qty(ln.quantity, ln.unit == "h"), money(ln.unit_price),
                         f"{ln.rate} %", money(ln.amount)])  # fmt: skip
        rows.append(["", sub, "", "", "", money(sum((ln.amount for ln in lines), Decimal(0)))])

    section("PIÈCES DE RECHANGE", parts, "Sous-total pièces HT")
    section("MAIN-D'ŒUVRE", labour, "Sous-total main-d'œuvre HT")
    yy = pg.table(36, 595, cols, rows, size=7.8, header_fill=0.88)
    trows = [("Total HT", inv.total_ht)] + [(f"TVA {r} %", v) for r, v in rate_rows(inv)]
    if inv.timbre is not None:
        trows.append(("Timbre", inv.timbre))
    trows.append(("Total TTC", inv.total_ttc))
    top = yy - 14
    pg.box(350, top - 14 * len(trows) - 4, 210, 14 * len(trows) + 8)
    ty = top - 8
    for i, (tlabel, tvalue) in enumerate(trows):
        last = i == len(trows) - 1
        pg.text(358, ty, tlabel, 8.5, bold=last)
        pg.text(552, ty, money(tvalue), 8.5, bold=last, align="r")
        ty -= 14
    wy = top - 8
    if inv.words:
        wy = pg.para(36, wy, "Arrêtée la présente facture à la somme de : "
                     + inv.words[0].upper() + inv.words[1:], 300, 8.5, 10.5)  # fmt: skip
    wy = min(wy, ty) - 12
    if inv.method:
        pg.text(36, wy, f"Règlement : {method_label(inv.method)}", 8.5)
        wy -= 11
    if inv.due_date:
        pg.text(36, wy, f"Échéance : {day(inv.due_date)}", 8.5)
    elif inv.terms:
        pg.text(36, wy, inv.terms, 8.5)
    if s.rib:
        pg.text(36, 50, f"RIB {s.bank} : {rib_spaced(s.rib)}", 7.5)
    pg.text(470, 80, "Cachet du garage", 7.5, align="c")
    pg.save()


LAYOUTS: dict[str, Callable[[Invoice, Path], None]] = {
    "L26": layout_26,
    "L27": layout_27,
    "L28": layout_28,
    "L29": layout_29,
    "L30": layout_30,
    "L31": layout_31,
}
