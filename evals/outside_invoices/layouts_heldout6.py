"""The sixth blind held-out split, L32–L37: six more ordinary Algerian invoice layouts.

Written in session 32 from `spec/algeria.md` (décret 05-468 mentions, identifier shapes,
VAT 19/9 %, droit de timbre on cash payments) and from what small Algerian firms print,
without reading Khazna's reader or checker nor any earlier `layouts*.py` (only the docstring
of `layouts_heldout5.py`, to learn the form, and the harness: generator, model, render, score):

- L32 a pharmacy wholesaler ("répartiteur"): 7 pt type, a dense line table with a product
  code, the lot number, the expiry date (DDP), the public price (PPA) beside the wholesale
  unit price, 9 % and 19 % lines, 6–12 lines; the pharmacy under "Officine"; the seller's
  identifiers in one line under the letterhead with `Agrément` beside them.
- L33 a haulier billing trips: a route table (trip date, bon de transport, "Alger → Oran",
  truck registration, number of trips, price per trip), "Client / Donneur d'ordre", the
  amounts with a dot as thousands separator (`1.234.567,89`), "Montant à payer".
- L34 an all-Arabic invoice: every label in Arabic (shaped, right to left: the seller on the
  right, the client on the left, the table's columns from right to left), the identifiers,
  dates, amounts and names in Latin digits and letters; the payment method in Arabic with the
  French word after it; the amount in words in French after an Arabic sentence.
- L35 a consulting firm's letter: "Alger, le 3 mars 2026", "Objet : Facture n° …", a single
  fee line written as a sentence, the totals as a short ruled statement, the payment terms,
  method, RIB and the amount in words in one paragraph ("Nous vous prions de bien vouloir
  régler la somme de … (…) par virement …"), and the seller's RC, NIF, NIS, AI and capital in a
  small footer paragraph; never paid in cash.
- L36 a restaurant supplier's pre-printed invoice book: the printed labels in a plain face,
  the values "handwritten" in an italic serif with a jittered baseline, thin grey rules, a
  fixed grid of 12 rows of which only some are filled, the number pre-printed in red-ish grey
  (`N° 004512`), "Droit de timbre" always printed, left blank when there is none.
- L37 an equipment rental firm: the totals in a box at the top right, before the lines
  ("Récapitulatif" with "Montant net HT", "TVA 19 %", "Droit de timbre", "Total à payer" and
  the words under it), then the invoice's facts, then the lines (rental days) at the bottom.

Every mention that is None is left off the page (label and value). Expected findings come
from how each defect is built (`generator.HELDOUT6_DEFECTS`), one defect per defective
invoice; `audit()` recomputes the arithmetic codes from the printed figures alone, and a
test holds the two to agree.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
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
    Page,
    capital,
    day,
    dejavu,
    firm,
    money,
    qty,
    rib_spaced,
    words_text,
)

LAYOUT_NAMES = ("L32", "L33", "L34", "L35", "L36", "L37")
# A consulting firm's fees are never paid in cash: no stamp duty defect there.
FORBIDDEN_GROUPS: dict[str, frozenset[str]] = {"L35": frozenset({"cash"})}

_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")

# --- the people and goods of this split ---------------------------------------------------
SELLERS: dict[str, list[tuple[str, str, str, str]]] = {
    "L32": [
        ("Tafna Pharm Distribution", "SARL", "Zone d'activités Kiffane, lot 18, 13000 Tlemcen", "13"),
        ("Sitifis Médical Répartition", "SPA", "48, route de Bougaa, Cité Bel Air, 19000 Sétif", "19"),
    ],
    "L33": [
        ("Trans-Rhumel Logistique", "EURL", "Zone industrielle Palma, 25000 Constantine", "25"),
        ("Express Marchandises du Sud", "SARL", "Route de Touggourt, km 3, 30000 Ouargla", "30"),
    ],
    "L34": [
        ("Mazafran Produits Laitiers", "SARL", "Route de Koléa, 42000 Tipaza", "42"),
        ("Chélif Huiles et Conserves", "SPA", "Zone industrielle Oued Sly, 02000 Chlef", "02"),
    ],
    "L35": [
        ("Numidia Conseil et Organisation", "SARL", "14, rue Didouche Mourad, 16000 Alger", "16"),
        ("Medjerda Études et Audit", "EURL", "3, boulevard de l'ALN, 41000 Souk Ahras", "41"),
    ],
    "L36": [
        ("Bouzid Alimentation Générale", "EURL", "Marché de gros, carré 12, 09000 Blida", "09"),
        ("Dar El Khodra Primeurs", "SNC", "Marché de gros, local 31, 16150 Eucalyptus", "16"),
    ],
    "L37": [
        ("Titteri Location Matériel", "SARL", "Zone d'activités, lot 5, 26000 Médéa", "26"),
        ("Aurès Engins et Levage", "EURL", "Cité 1000 logements, bloc D, 05000 Batna", "05"),
    ],
}  # fmt: skip
BUYERS: dict[str, list[tuple[str, str, str]]] = {
    "L32": [
        ("Pharmacie Ibn Sina SNC", "12, rue de la Liberté, 31000 Oran", "31"),
        ("Pharmacie El Chifa", "Cité 320 logements, local 2, 22000 Sidi Bel Abbès", "22"),
    ],
    "L33": [
        ("SARL Minoterie des Hauts Plateaux", "Zone industrielle, 14000 Tiaret", "14"),
        ("EURL Briqueterie El Hidhab", "Route de Batna, 19000 Sétif", "19"),
    ],
    "L34": [
        ("Supérette El Baraka", "5, rue Emir Abdelkader, 42000 Tipaza", "42"),
        ("SARL Alimentation Ennasr", "Cité 200 logements, 44000 Aïn Defla", "44"),
    ],
    "L35": [
        ("SPA Société des Eaux du Djurdjura", "Nouvelle ville, 15000 Tizi Ouzou", "15"),
        ("SARL Clinique Les Oliviers", "Lotissement El Bina, 16035 Dely Ibrahim", "16"),
    ],
    "L36": [
        ("SARL Restaurant Le Phénicien", "Front de mer, 42002 Cherchell", "42"),
        ("EURL Pizzeria La Casbah", "7, place des Martyrs, 16001 Alger", "16"),
    ],
    "L37": [
        ("SPA Hôpital privé Ennour", "Route nationale n° 1, 03000 Laghouat", "03"),
        ("SARL Complexe Touristique Les Andalouses", "Les Andalouses, 31330 El Ançor", "31"),
    ],
}
GOODS: dict[str, list[tuple[str, str, int, int]]] = {
    "L32": [
        ("Paracétamol 500 mg cp B/20", "Boîte", 68, 9),
        ("Amoxicilline 1 g cp B/12", "Boîte", 312, 9),
        ("Oméprazole 20 mg gél B/14", "Boîte", 245, 9),
        ("Metformine 850 mg cp B/30", "Boîte", 186, 9),
        ("Sérum physiologique 0,9 % 500 ml", "Flacon", 92, 9),
        ("Insuline glargine 100 UI/ml stylo", "Boîte", 2850, 9),
        ("Compresses stériles 10x10 B/50", "Boîte", 410, 19),
        ("Gel hydroalcoolique 500 ml", "Flacon", 380, 19),
        ("Crème solaire SPF 50 tube 50 ml", "Tube", 1650, 19),
        ("Lait infantile 1er âge 400 g", "Boîte", 1190, 9),
        ("Seringues 5 ml B/100", "Boîte", 960, 19),
        ("Thermomètre digital", "U", 720, 19),
        ("Vitamine C 1000 mg cp eff. B/20", "Tube", 265, 9),
        ("Tensiomètre poignet automatique", "U", 5400, 19),
    ],
    "L33": [
        ("Alger → Oran", "Voyage", 95000, 19),
        ("Sétif → Alger", "Voyage", 62000, 19),
        ("Tiaret → Oran", "Voyage", 48000, 19),
        ("Constantine → Annaba", "Voyage", 36000, 19),
        ("Ouargla → Hassi Messaoud", "Voyage", 28500, 19),
        ("Blida → Béjaïa (retour à vide)", "Voyage", 54000, 19),
        ("Attente au déchargement", "Heure", 2500, 19),
    ],
    "L34": [
        ("حليب معقم 1 لتر", "كرتون", 1080, 9),
        ("لبن 1 لتر", "كرتون", 960, 9),
        ("جبن مثلثات 16 قطعة", "كرتون", 4150, 19),
        ("ياغورت بالفواكه 110 غ", "كرتون", 2280, 19),
        ("زبدة 500 غ", "كرتون", 6900, 19),
        ("زيت مائدة 5 لتر", "كرتون", 2960, 9),
        ("طماطم مصبرة 800 غ", "كرتون", 3400, 19),
    ],
    "L35": [
        ("Honoraires : mission d'assistance à la mise en place de la comptabilité analytique", "Jour", 45000, 19),
        ("Honoraires : audit des procédures d'achat et de stock", "Jour", 52000, 19),
        ("Honoraires : formation des équipes commerciales (session de deux jours)", "Forfait", 280000, 19),
        ("Honoraires : étude de faisabilité d'une unité de conditionnement", "Forfait", 650000, 19),
    ],
    "L36": [
        ("Tomate fraîche", "kg", 120, 9),
        ("Oignon sec", "kg", 65, 9),
        ("Poivron vert", "kg", 150, 9),
        ("Pomme de terre", "kg", 70, 9),
        ("Huile d'olive 5 l", "Bidon", 5200, 19),
        ("Fromage mozzarella 2,5 kg", "Pièce", 3100, 19),
        ("Farine de blé tendre 25 kg", "Sac", 2400, 9),
        ("Olives noires 5 kg", "Seau", 1850, 19),
        ("Thon à l'huile 1,7 kg", "Boîte", 2650, 19),
    ],
    "L37": [
        ("Location nacelle élévatrice 12 m", "Jour", 18500, 19),
        ("Location chariot élévateur 3 t", "Jour", 14000, 19),
        ("Location groupe électrogène 100 kVA", "Jour", 22000, 19),
        ("Location échafaudage (module de 50 m²)", "Semaine", 26000, 19),
        ("Transport aller-retour du matériel", "Forfait", 35000, 19),
        ("Mise à disposition d'un conducteur qualifié", "Jour", 6500, 19),
    ],
}  # fmt: skip
BANKS = [("BNA", "001"), ("BADR", "003"), ("CPA", "004"), ("BDL", "005"), ("CNEP", "011")]
TERMS = ["Paiement à 30 jours", "Payable à réception de facture", "Règlement à 60 jours"]


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _party(rng: random.Random, name: str, form: str | None, address: str, wilaya: str) -> Party:
    bank, code = rng.choice(BANKS)
    agency, account = _digits(rng, 5), _digits(rng, 10)
    year = f"{rng.randint(3, 24):02d}"
    serial = _digits(rng, 7)
    rc = (
        f"{wilaya}/00-{serial} B {year}" if rng.random() < 0.5 else f"{year} B {serial} {wilaya}/00"
    )
    return Party(
        name=name,
        legal_form=form,
        capital=Decimal(rng.choice([100000, 1000000, 5000000, 20000000])) if form else None,
        address=address,
        phone=f"0{rng.choice(['25', '29', '31', '33', '38', '43'])} {_digits(rng, 2)} {_digits(rng, 2)} {_digits(rng, 2)}",
        rc=rc,
        nif=("0" + wilaya + _digits(rng, 12))[:15] if rng.random() < 0.5 else "1" + _digits(rng, 14),
        nis=_digits(rng, 15),
        ai=wilaya + _digits(rng, 9),
        rib=code + agency + account + rib_key(agency, account),
        bank=bank,
    )  # fmt: skip


def _number(rng: random.Random, layout: str) -> str:
    n = rng.randint(20, 990)
    return {
        "L32": f"FV26-{n:05d}",
        "L33": f"T/2026/{n:04d}",
        "L34": f"2026-{n:04d}",
        "L35": f"C26/{n:03d}",
        "L36": f"{4000 + n:06d}",
        "L37": f"LOC-{n:04d}-26",
    }[layout]


def build_invoice(rng: random.Random, layout: str, index: int) -> Invoice:
    """A clean invoice of `layout`: every mention present, the sums right."""
    seller = _party(rng, *rng.choice(SELLERS[layout]))
    b_name, b_addr, b_wil = rng.choice(BUYERS[layout])
    buyer = _party(rng, b_name, None, b_addr, b_wil)
    buyer.capital = buyer.rib = buyer.bank = buyer.phone = None
    if rng.random() < 0.5:
        buyer.nis = None
    methods = {"L35": ["virement", "virement", "cheque"], "L36": ["especes", "especes", "cheque"]}
    method = rng.choice(methods.get(layout, ["virement", "cheque", "especes", "virement"]))
    count = {"L32": (6, 12), "L33": (2, 5), "L35": (1, 1), "L36": (3, 7)}.get(layout, (2, 5))
    goods = GOODS[layout]
    lines: list[Line] = []
    for desc, unit, price, rate in rng.sample(goods, min(len(goods), rng.randint(*count))):
        if layout == "L32":
            q = Decimal(rng.choice([5, 10, 12, 20, 24, 30, 50, 100]))
        elif layout == "L36":
            q = (
                Decimal(rng.choice([5, 10, 15, 20, 25, 40]))
                if unit == "kg"
                else Decimal(rng.randint(1, 6))
            )
        elif unit in ("Forfait",):
            q = Decimal(1)
        else:
            q = Decimal(rng.randint(1, 12 if layout != "L33" else 4))
        if method == "especes" and layout != "L36":
            q = Decimal(max(1, int(q) // 4))
        cents = Decimal(rng.choice([0, 0, 0, 25, 50, 80])) / 100
        lines.append(Line(desc, unit, q, Decimal(price) + cents, rate))  # fmt: skip
    issue = date(2026, rng.randint(1, 10), rng.randint(1, 28))
    due: date | None = issue + timedelta(days=rng.choice([30, 45, 60]))
    terms: str | None = None
    if method == "especes":
        due, terms = None, "Payable à réception de facture"
    elif rng.random() < 0.3:
        due, terms = None, rng.choice(TERMS)
    order = f"BC n° {rng.randint(100, 999)}/2026" if rng.random() < 0.6 else None
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
        order_ref=order,
        order_date=issue - timedelta(days=rng.randint(3, 25)) if order else None,
    )


# --- the arithmetic, recomputed from what the page prints ----------------------------------
def printed_figures(inv: Invoice) -> dict[str, object]:
    """What the page shows: each line's quantity, unit price, rate and total, the totals."""
    return {
        "lines": [(ln.quantity, ln.unit_price, ln.rate, ln.amount) for ln in inv.lines],
        "ht": inv.total_ht,
        "tva": inv.tva_by_rate,
        "timbre": inv.timbre,
        "ttc": inv.total_ttc,
        "method": inv.method,
        "words": inv.words,
    }


def audit(inv: Invoice) -> set[str]:
    """The arithmetic and stamp codes of `inv` recomputed from its printed figures alone."""
    fig = printed_figures(inv)
    lines: list[tuple[Decimal, Decimal, int, Decimal]] = fig["lines"]  # type: ignore[assignment]
    ht: Decimal = fig["ht"]  # type: ignore[assignment]
    tva: dict[int, Decimal] = fig["tva"]  # type: ignore[assignment]
    timbre: Decimal | None = fig["timbre"]  # type: ignore[assignment]
    ttc: Decimal = fig["ttc"]  # type: ignore[assignment]
    words: str | None = fig["words"]  # type: ignore[assignment]
    out: set[str] = set()
    if any(rate not in (0, 9, 19) for _, _, rate, _ in lines):
        out.add("TVA_RATE_INVALID")
    if any(q2(q * pu) != amount for q, pu, _, amount in lines):
        out.add("LINE_TOTAL_MISMATCH")
    if sum((amount for *_, amount in lines), Decimal(0)) != ht:
        out.add("TOTAL_HT_MISMATCH")
    vat: dict[int, Decimal] = {}
    for _, _, rate, amount in lines:
        vat[rate] = vat.get(rate, Decimal(0)) + q2(amount * rate / 100)
    if any(
        abs(vat.get(rate, Decimal(0)) - amount) > Decimal("0.01") * len(lines)
        for rate, amount in tva.items()
    ):
        out.add("TVA_AMOUNT_MISMATCH")  # fmt: skip
    total_tva = sum(tva.values(), Decimal(0))
    if fig["method"] == "especes":
        right = stamp_duty(ht + total_tva)
        if timbre is None and right:
            out.add("TIMBRE_MISSING")
        elif timbre is not None and timbre != right:
            out.add("TIMBRE_INCORRECT")
    elif timbre is not None:
        out.add("TIMBRE_UNEXPECTED")
    if ttc != ht + total_tva + (timbre or Decimal(0)):
        out.add("TOTAL_TTC_MISMATCH")
    if words is not None and words != amount_in_words(ttc):
        out.add("AMOUNT_IN_WORDS_MISMATCH")
    return out


# --- fonts ----------------------------------------------------------------------------------
def _font(name: str, file: str) -> str | None:
    try:
        pdfmetrics.getFont(name)
    except KeyError:
        try:
            pdfmetrics.registerFont(TTFont(name, str(_DEJAVU / file)))
        except Exception:
            return None
    return name


def _ar(s: str) -> str:
    """Arabic text in visual order with its letters shaped (what an Arabic PDF holds)."""
    return str(get_display(arabic_reshaper.reshape(s)))


METHOD_AR = {"virement": "تحويل بنكي", "cheque": "صك بنكي", "especes": "نقدا"}
METHOD_FR = {"virement": "Virement", "cheque": "Chèque", "especes": "Espèces"}


def _d(value: date | None, style: str = "slash") -> str | None:
    return None if value is None else day(value, style)


def _ids(p: Party, labels: tuple[str, str, str, str], sep: str = " : ") -> list[str]:
    """`RC : …`, `NIF : …`, `NIS : …`, `AI : …` for the identifiers printed."""
    values = (p.rc, p.nif, p.nis, p.ai)
    return [f"{lab}{sep}{v}" for lab, v in zip(labels, values, strict=True) if v is not None]


# --- L32: a pharmacy wholesaler, dense lot/expiry table -----------------------------------
def render_l32(inv: Invoice, path: Path) -> None:
    font, bold = dejavu()
    pg = Page(path, font, bold)
    s, b = inv.seller, inv.buyer
    top = pg.height - 40
    pg.text(36, top, firm(s, form_first=False).upper(), 13, bold=True)
    pg.text(36, top - 13, "Répartiteur pharmaceutique agréé — Agrément n° 0412/MSPRH/2019", 7)
    pg.text(
        36, top - 23, " – ".join(x for x in (s.address, s.phone and f"Tél/Fax {s.phone}") if x), 7
    )
    ids = _ids(s, ("R.C", "N.I.F", "N.I.S", "A.I"))
    cap = capital(s)
    pg.text(36, top - 33, "   ".join([*([cap] if cap else []), *ids]), 6.5)
    y = top - 52
    pg.box(330, y - 62, 229, 70)
    pg.text(336, y - 2, "Officine", 7, bold=True)
    by = pg.kv(336, y - 13, [("", b.name), ("", b.address)], size=7.5, leading=9.5)
    pg.kv(336, by, [(k, v) for k, v in zip(("RC", "NIF", "NIS", "AI"), (b.rc, b.nif, b.nis, b.ai), strict=True)], size=6.5, leading=8.5, sep=" ")  # fmt: skip
    pg.text(36, y - 2, "FACTURE", 14, bold=True)
    fy = pg.kv(
        36,
        y - 18,
        [
            ("Facture N°", inv.number),
            ("Date", _d(inv.issue_date)),
            ("Commande", inv.order_ref and f"{inv.order_ref} du {day(inv.order_date)}" if inv.order_date else inv.order_ref),
            ("Mode de règlement", METHOD_FR.get(inv.method or "")),
            ("Échéance", _d(inv.due_date)),
            ("Conditions", inv.terms),
        ],
        size=7.5,
        leading=9.5,
        label_w=70,
    )  # fmt: skip
    rng = random.Random(inv.key)
    rows = []
    for i, ln in enumerate(inv.lines):
        code = f"{rng.randint(100000, 999999)}"
        lot = f"{rng.choice('ABCDKLM')}{rng.randint(1000, 9999)}"
        ddp = f"{rng.randint(1, 12):02d}/{rng.randint(2027, 2029)}"
        ppa = money(q2(ln.unit_price * Decimal("1.3")))
        rows.append([code, ln.description, lot, ddp, qty(ln.quantity), ppa, money(ln.unit_price), f"{ln.rate}", money(ln.amount)])  # fmt: skip
        if i > 40:
            break
    cols = [
        ("Code", 38, "l"), ("Désignation", 150, "l"), ("Lot", 38, "c"), ("DDP", 38, "c"),
        ("Qté", 30, "r"), ("PPA", 46, "r"), ("P.U HT", 50, "r"), ("TVA%", 30, "c"), ("Montant HT", 103, "r"),
    ]  # fmt: skip
    yy = pg.table(36, min(fy, y - 70) - 10, cols, rows, size=6.8, header_fill=0.88)
    yy -= 14
    rows_t = [("Total HT", money(inv.total_ht))]
    for rate, amount in inv.tva_by_rate.items():
        rows_t.append((f"TVA {rate} %", money(amount)))
    if inv.timbre is not None:
        rows_t.append(("Droit de timbre", money(inv.timbre)))
    rows_t.append(("Total TTC", money(inv.total_ttc)))
    ty = yy
    for label, value in rows_t:
        pg.text(400, ty, label, 7.5, bold=label == "Total TTC")
        pg.text(559, ty, value, 7.5, bold=label == "Total TTC", align="r")
        ty -= 10
    words = words_text(inv)
    if words:
        pg.para(36, yy, f"Arrêtée la présente facture à la somme de : {words}.", 340, size=7.5, leading=9.5)  # fmt: skip
    bank = [
        x for x in (s.bank and f"Banque : {s.bank}", s.rib and f"RIB : {rib_spaced(s.rib)}") if x
    ]
    if bank:
        pg.text(36, 50, "   ".join(bank), 7)
    pg.text(36, 40, "Les produits pharmaceutiques ne sont ni repris ni échangés.", 6.5)
    pg.save()


# --- L33: a haulier, trips in a route table ------------------------------------------------
def render_l33(inv: Invoice, path: Path) -> None:
    font, bold = dejavu()
    pg = Page(path, font, bold)
    s, b = inv.seller, inv.buyer
    top = pg.height - 46
    pg.box(36, top - 60, 523, 74, fill=0.92)
    pg.text(46, top - 6, firm(s), 15, bold=True)
    pg.text(46, top - 20, "Transport public de marchandises — toutes distances", 8)
    pg.text(46, top - 32, s.address or "", 8)
    cap = capital(s, "dot", wording=1)
    pg.text(46, top - 44, " | ".join(x for x in (cap and cap[0].upper() + cap[1:], s.phone and f"Tél. {s.phone}") if x), 8)  # fmt: skip
    ids = _ids(s, ("RC N°", "NIF", "NIS", "Art. Imp."), sep=" ")
    pg.text(46, top - 55, "  •  ".join(ids), 7.5)
    y = top - 86
    pg.text(36, y, "FACTURE DE TRANSPORT", 12, bold=True)
    fy = pg.kv(
        36,
        y - 16,
        [
            ("N°", inv.number),
            ("Date", _d(inv.issue_date, "dot")),
            ("Votre commande", inv.order_ref),
            ("Mode de paiement", METHOD_FR.get(inv.method or "")),
            ("Date d'échéance", _d(inv.due_date, "dot")),
            ("Modalités", inv.terms),
        ],
        size=8.5,
        label_w=95,
    )
    pg.text(320, y, "Client / Donneur d'ordre", 8.5, bold=True)
    by = pg.kv(320, y - 13, [("", b.name), ("", b.address)], size=8.5)
    pg.kv(320, by, [("R.C N°", b.rc), ("N.I.F", b.nif), ("N.I.S", b.nis), ("Art. Imp.", b.ai)], size=8, leading=10.5)  # fmt: skip
    rng = random.Random(inv.key)
    rows = []
    for ln in inv.lines:
        d = (inv.issue_date or date(2026, 6, 1)) - timedelta(days=rng.randint(2, 20))
        truck = f"{rng.randint(10000, 99999)}-{rng.randint(110, 124)}-{rng.choice(['16', '19', '25', '30', '31'])}"  # fmt: skip
        bt = f"BT {rng.randint(1000, 9999)}"
        rows.append([day(d, "dot"), bt, ln.description, truck, qty(ln.quantity), money(ln.unit_price, "dot"), money(ln.amount, "dot")])  # fmt: skip
    cols = [
        ("Date", 52, "c"), ("Bon", 48, "c"), ("Trajet", 150, "l"), ("Camion", 72, "c"),
        ("Nb", 30, "r"), ("Prix HT", 80, "r"), ("Montant HT", 91, "r"),
    ]  # fmt: skip
    yy = pg.table(36, min(fy, by - 44) - 8, cols, rows, size=8, header_fill=0.8)
    yy -= 18
    rows_t = [("Total HT", money(inv.total_ht, "dot"))]
    for rate, amount in inv.tva_by_rate.items():
        rows_t.append((f"T.V.A {rate}%", money(amount, "dot")))
    if inv.timbre is not None:
        rows_t.append(("Timbre fiscal", money(inv.timbre, "dot")))
    rows_t.append(("Montant à payer", money(inv.total_ttc, "dot")))
    ty = yy
    for label, value in rows_t:
        pg.box(370, ty - 4, 189, 14)
        pg.text(375, ty, label, 8.5, bold=label == "Montant à payer")
        pg.text(554, ty, value, 8.5, bold=label == "Montant à payer", align="r")
        ty -= 14
    words = words_text(inv)
    if words:
        pg.text(36, yy, "Arrêté à la somme de :", 8.5, bold=True)
        pg.para(36, yy - 12, words, 300, size=8.5)
    pg.hline(36, 559, 70)
    bank = [x for x in (s.bank and f"Domiciliation : {s.bank}", s.rib and f"RIB {s.rib}") if x]
    pg.text(36, 58, " — ".join(bank), 7.5)
    pg.save()


# --- L34: an all-Arabic invoice with French identifiers ------------------------------------
def render_l34(inv: Invoice, path: Path) -> None:
    font, bold = dejavu()
    pg = Page(path, font, bold)
    s, b = inv.seller, inv.buyer
    R = 559  # the right margin: the text runs from it

    def row(xr: float, y: float, label: str, value: str | None, size: float = 8.5) -> bool:
        """An Arabic label ending at `xr`, its value to its left; nothing when None."""
        if value is None:
            return False
        text = _ar(label + " :")
        pg.text(xr, y, text, size, align="r")
        pg.text(xr - pdfmetrics.stringWidth(text, font, size) - 6, y, value, size, align="r")
        return True

    top = pg.height - 44
    pg.text(R, top, _ar("الشركة"), 8, align="r")
    pg.text(R - 40, top, firm(s), 13, bold=True, align="r")
    y = top - 16
    for label, value in (
        ("العنوان", s.address),
        ("الهاتف", s.phone),
        ("رأس المال", s.capital is not None and f"{money(s.capital)} DA" or None),
        ("السجل التجاري", s.rc),
        ("رقم التعريف الجبائي", s.nif),
        ("رقم التعريف الإحصائي", s.nis),
        ("رقم المادة الضريبية", s.ai),
    ):
        y -= 11 * row(R, y, label, value, 8)
    pg.text(36, top, _ar("فاتورة"), 20, bold=True)
    fy = top - 20
    for label, value in (
        ("رقم الفاتورة", inv.number),
        ("التاريخ", _d(inv.issue_date)),
        ("طلبية", inv.order_ref),
    ):
        if value is not None:
            text = _ar(label + " :")
            pg.text(200, fy, text, 9, align="r")
            pg.text(200 - pdfmetrics.stringWidth(text, font, 9) - 6, fy, value, 9, align="r")
            fy -= 12
    y = min(y, fy) - 12
    pg.box(36, y - 70, 250, 78)
    pg.text(280, y - 4, _ar("الزبون"), 9, bold=True, align="r")
    cy = y - 17
    for label, value in (
        ("الاسم", b.name),
        ("العنوان", b.address),
        ("السجل التجاري", b.rc),
        ("رقم التعريف الجبائي", b.nif),
        ("رقم التعريف الإحصائي", b.nis),
        ("رقم المادة الضريبية", b.ai),
    ):
        cy -= 10 * row(280, cy, label, value, 7.5)
    y = min(y - 80, cy) - 8
    cols = [
        (_ar("المبلغ خارج الرسم"), 95, "r"), (_ar("الرسم %"), 45, "c"), (_ar("سعر الوحدة"), 75, "r"),
        (_ar("الكمية"), 45, "r"), (_ar("الوحدة"), 50, "c"), (_ar("التعيين"), 213, "r"),
    ]  # fmt: skip
    rows = [[money(ln.amount), f"{ln.rate}", money(ln.unit_price), qty(ln.quantity), _ar(ln.unit), _ar(ln.description)] for ln in inv.lines]  # fmt: skip
    yy = pg.table(36, y, cols, rows, size=8.5, header_fill=0.86) - 16
    ty = yy
    tot = [("المجموع خارج الرسم", money(inv.total_ht))]
    for rate, amount in inv.tva_by_rate.items():
        tot.append((f"الرسم على القيمة المضافة {rate} %", money(amount)))
    if inv.timbre is not None:
        tot.append(("حقوق الطابع", money(inv.timbre)))
    tot.append(("المبلغ الإجمالي مع الرسوم", money(inv.total_ttc)))
    for label, value in tot:
        pg.text(250, ty, _ar(label), 8.5, align="r")
        pg.text(40, ty, value, 8.5)
        pg.hline(36, 250, ty - 3)
        ty -= 13
    py = yy
    method = inv.method and f"{_ar(METHOD_AR[inv.method])} ({METHOD_FR[inv.method]})"
    for label, value in (
        ("طريقة الدفع", method),
        ("تاريخ الاستحقاق", _d(inv.due_date)),
        ("شروط الدفع", inv.terms),
        ("البنك", s.bank),
        ("RIB", rib_spaced(s.rib)),
    ):
        py -= 12 * row(R, py, label, value, 8.5)
    words = words_text(inv)
    wy = min(ty, py) - 14
    if words:
        lead = _ar("أوقفت هذه الفاتورة على مبلغ :")
        pg.text(R, wy, lead, 9, align="r")
        for line in pg.split(words, 480, 8.5):
            wy -= 12
            pg.text(R, wy, line, 8.5, align="r")
    pg.text(R, 50, _ar("الختم والإمضاء"), 8, align="r")
    pg.save()


# --- L35: a consulting firm's letter --------------------------------------------------------
def render_l35(inv: Invoice, path: Path) -> None:
    serif = _font("DejaVuSerif", "DejaVuSerif.ttf") or "Times-Roman"
    serif_b = _font("DejaVuSerif-Bold", "DejaVuSerif-Bold.ttf") or "Times-Bold"
    pg = Page(path, serif, serif_b)
    s, b = inv.seller, inv.buyer
    top = pg.height - 56
    pg.text(60, top, firm(s), 15, bold=True)
    pg.text(60, top - 14, "Conseil en organisation, gestion et audit", 8.5)
    pg.text(60, top - 26, " — ".join(x for x in (s.address, s.phone and f"Tél. {s.phone}") if x), 8)
    pg.hline(60, 535, top - 34)
    by = top - 66
    pg.text(330, by, "À l'attention de la Direction Générale", 9)
    by = pg.kv(330, by - 13, [("", b.name), ("", b.address)], size=9.5, leading=12)
    ids = [f"{k} {v}" for k, v in zip(("RC", "NIF", "NIS", "AI"), (b.rc, b.nif, b.nis, b.ai), strict=True) if v]  # fmt: skip
    for chunk in (ids[:2], ids[2:]):
        if chunk:
            pg.text(330, by, " – ".join(chunk), 7.5)
            by -= 10
    city = re.sub(r"^.*\b\d{5} ", "", s.address or "Alger")
    y = by - 20
    if inv.issue_date:
        pg.text(535, y, f"{city}, le {day(inv.issue_date, 'long')}", 9.5, align="r")
    y -= 28
    subject = f"Objet : Facture n° {inv.number}" if inv.number else "Objet : Facture"
    if inv.order_ref:
        subject += f" — Réf. : votre {inv.order_ref}"
    pg.text(60, y, subject, 10, bold=True)
    y -= 24
    pg.text(60, y, "Messieurs,", 10)
    y -= 18
    ln = inv.lines[0]
    body = (
        "Nous avons l'honneur de vous adresser ci-après notre facture relative à la mission que vous "
        "avez bien voulu nous confier."
    )
    y = pg.para(60, y, body, 475, size=10, leading=13) - 8
    if ln.unit == "Forfait":
        line = f"{ln.description} — forfait : {money(ln.amount)} DA HT"
    else:
        line = f"{ln.description} — {qty(ln.quantity)} jours × {money(ln.unit_price)} DA = {money(ln.amount)} DA HT"  # fmt: skip
    y = pg.para(80, y, line, 455, size=10, leading=13) - 8
    rows = [("Montant hors taxes", money(inv.total_ht))]
    for rate, amount in inv.tva_by_rate.items():
        rows.append((f"TVA au taux de {rate} %", money(amount)))
    if inv.timbre is not None:
        rows.append(("Droit de timbre", money(inv.timbre)))
    rows.append(("Montant toutes taxes comprises", money(inv.total_ttc)))
    for label, value in rows:
        pg.text(200, y, label, 10, bold=label.startswith("Montant toutes"))
        pg.text(500, y, f"{value} DA", 10, bold=label.startswith("Montant toutes"), align="r")
        y -= 6
        pg.c.setLineWidth(0.4)
        pg.hline(200, 500, y)
        y -= 11
    y -= 8
    words = inv.words
    pay = "Nous vous prions de bien vouloir régler"
    pay += f" la somme de {money(inv.total_ttc)} DA ({words})" if words else " cette somme"
    if inv.method:
        pay += {"virement": " par virement", "cheque": " par chèque", "especes": " en espèces"}[
            inv.method
        ]
        if inv.method == "virement" and (s.rib or s.bank):
            pay += " au compte"
            pay += f" RIB {s.rib}" if s.rib else ""
            pay += f" ouvert auprès de la {s.bank}" if s.bank else ""
    if inv.due_date:
        pay += f", au plus tard le {day(inv.due_date)}"
    elif inv.terms:
        pay += f" ({inv.terms.lower()})"
    pay += "."
    if inv.method != "virement" and (s.rib or s.bank):
        coords = " ".join(x for x in (s.rib and f"RIB {s.rib}", s.bank and f"({s.bank})") if x)
        pay += f" Nos coordonnées bancaires : {coords}."
    y = pg.para(60, y, pay, 475, size=10, leading=13) - 8
    y = pg.para(60, y, "Nous vous prions d'agréer, Messieurs, l'expression de nos salutations distinguées.", 475, size=10, leading=13)  # fmt: skip
    pg.text(380, y - 30, "Le Gérant", 10)
    foot = [firm(s)]
    cap = capital(s, wording=1)
    if cap:
        foot[0] += f" {cap}"
    foot += _ids(s, ("RC n°", "NIF", "NIS", "Article d'imposition"), sep=" ")
    pg.c.setLineWidth(0.5)
    pg.hline(60, 535, 70)
    pg.para(60, 60, " — ".join(foot), 475, size=7.5, leading=9)
    pg.save()


# --- L36: a restaurant supplier's pre-printed book, "handwritten" values -------------------
def render_l36(inv: Invoice, path: Path) -> None:
    font, bold = dejavu()
    hand = _font("DejaVuSerif-Italic", "DejaVuSerif-Italic.ttf") or "Times-Italic"
    pg = Page(path, font, bold)
    s, b = inv.seller, inv.buyer
    jit = random.Random("hand/" + inv.key)

    def hw(x: float, y: float, text: str, size: float = 10, align: str = "l") -> None:
        pg.c.setFillGray(0.2)
        pg.c.setFont(hand, size)
        yy, xx = y + jit.uniform(-1.2, 1.2), x + jit.uniform(-1.5, 1.5)
        if align == "r":
            pg.c.drawRightString(xx, yy, text)
        else:
            pg.c.drawString(xx, yy, text)
        pg.c.setFillGray(0)

    pg.c.setLineWidth(0.3)
    pg.c.setStrokeGray(0.45)
    top = pg.height - 50
    pg.text(50, top, firm(s), 14, bold=True)
    pg.text(50, top - 13, "Fruits, légumes et produits alimentaires — Vente en gros", 8)
    pg.text(50, top - 24, s.address or "", 8)
    pre = [("R.C", s.rc), ("N.I.F", s.nif), ("N.I.S", s.nis), ("A.I", s.ai)]
    py = top - 36
    for label, value in pre:
        if value is not None:
            pg.text(50, py, f"{label} : {value}", 7.5)
            py -= 9.5
    cap = capital(s)
    if cap:
        pg.text(50, py, cap, 7.5)
        py -= 9.5
    pg.c.setFillGray(0.35)
    pg.text(545, top, "FACTURE", 16, bold=True, align="r")
    if inv.number:
        pg.text(545, top - 18, f"N° {inv.number}", 13, bold=True, align="r")
    pg.c.setFillGray(0)
    pg.text(360, top - 40, "Date :", 9)
    pg.hline(395, 545, top - 42)
    if inv.issue_date:
        hw(400, top - 40, day(inv.issue_date))
    y = min(py, top - 60) - 14
    fields = [
        ("Doit M. :", b.name),
        ("Adresse :", b.address),
        ("R.C :", b.rc),
        ("N.I.F :", b.nif),
        ("N.I.S :", b.nis),
        ("A.I :", b.ai),
    ]
    for label, value in fields:
        if value is None:
            continue
        pg.text(50, y, label, 9)
        pg.hline(110, 545, y - 2)
        hw(115, y, value)
        y -= 16
    y -= 8
    widths = [("Quantité", 60, "r"), ("Désignation", 235, "l"), ("Prix unitaire", 85, "r"), ("TVA", 35, "c"), ("Montant", 80, "r")]  # fmt: skip
    x0 = 50
    pg.text(x0, y, "", 8)
    cx = x0
    head = y
    for name, w, _ in widths:
        pg.text(cx + w / 2, head - 11, name, 8.5, bold=True, align="c")
        cx += w
    pg.hline(x0, cx, head)
    pg.hline(x0, cx, head - 16)
    row_h = 17
    ry = head - 16
    for i in range(12):
        if i < len(inv.lines):
            ln = inv.lines[i]
            base = ry - 12
            q = f"{qty(ln.quantity)} {ln.unit}"
            hw(x0 + widths[0][1] - 4, base, q, 9.5, "r")
            hw(x0 + widths[0][1] + 5, base, ln.description, 9.5)
            hw(x0 + 60 + 235 + 85 - 4, base, money(ln.unit_price), 9.5, "r")
            hw(x0 + 60 + 235 + 85 + 17, base, f"{ln.rate}%", 9, "l")
            hw(cx - 4, base, money(ln.amount), 9.5, "r")
        ry -= row_h
        pg.hline(x0, cx, ry)
    cx2 = x0
    for _, w, _ in widths:
        pg.c.line(cx2, head, cx2, ry)
        cx2 += w
    pg.c.line(cx2, head, cx2, ry)
    ty = ry - 18
    tot: list[tuple[str, str | None]] = [("Total H.T", money(inv.total_ht))]
    for rate, amount in inv.tva_by_rate.items():
        tot.append((f"T.V.A {rate} %", money(amount)))
    tot.append(("Droit de timbre", None if inv.timbre is None else money(inv.timbre)))
    tot.append(("Total T.T.C", money(inv.total_ttc)))
    for label, value in tot:
        pg.text(380, ty, label, 8.5, bold=label == "Total T.T.C")
        pg.hline(455, 545, ty - 2)
        if value is not None:
            hw(543, ty, value, 10, "r")
        ty -= 16
    wy = ry - 18
    pg.text(50, wy, "Arrêtée la présente facture à la somme de :", 8.5)
    words = words_text(inv)
    wlines = pg.split(words, 300, 10) if words else []
    for k in range(max(3, len(wlines))):
        pg.hline(50, 360, wy - 16 - 16 * k)
    for k, line in enumerate(wlines):
        hw(52, wy - 14 - 16 * k, line, 10)
    my = min(ty, wy - 16 - 16 * max(3, len(wlines))) - 14
    pg.text(50, my, "Mode de paiement :", 8.5)
    pg.hline(135, 300, my - 2)
    if inv.method:
        hw(140, my, METHOD_FR[inv.method])
    pg.text(320, my, "Échéance :", 8.5)
    pg.hline(370, 545, my - 2)
    if inv.due_date:
        hw(375, my, day(inv.due_date))
    elif inv.terms:
        hw(375, my, inv.terms, 9)
    bank = [x for x in (s.bank and f"Banque {s.bank}", s.rib and f"RIB : {s.rib}") if x]
    if bank:
        pg.text(50, my - 20, "  ".join(bank), 7.5)
    pg.text(420, my - 50, "Cachet et signature", 8)
    pg.save()


# --- L37: an equipment rental, totals in a box at the top right ---------------------------
def render_l37(inv: Invoice, path: Path) -> None:
    font, bold = dejavu()
    pg = Page(path, font, bold)
    s, b = inv.seller, inv.buyer
    top = pg.height - 42
    pg.text(36, top, firm(s), 14, bold=True)
    pg.text(36, top - 13, "Location d'engins, de matériel de levage et de chantier", 8)
    sy = pg.kv(36, top - 26, [("", s.address), ("", capital(s))], size=7.5, leading=9.5)
    sy = pg.kv(
        36,
        sy,
        [
            ("Tél.", s.phone),
            ("Registre de commerce", s.rc),
            ("Matricule fiscal", s.nif),
            ("N° statistique", s.nis),
            ("Article d'imposition", s.ai),
        ],
        size=7.5,
        leading=9.5,
        label_w=82,
    )
    # the summary box, before anything else of the invoice
    bx, bw = 330, 229
    rows = [("Montant net HT", money(inv.total_ht))]
    for rate, amount in inv.tva_by_rate.items():
        rows.append((f"TVA {rate} %", money(amount)))
    if inv.timbre is not None:
        rows.append(("Droit de timbre", money(inv.timbre)))
    rows.append(("Total à payer", money(inv.total_ttc)))
    words = words_text(inv)
    wlines = pg.split(f"Soit la somme de {words}", bw - 12, 7.5) if words else []
    h = 20 + 13 * len(rows) + 9.5 * len(wlines) + 8
    pg.box(bx, top + 10 - h, bw, h, fill=0.94)
    pg.text(bx + 6, top, "RÉCAPITULATIF", 8.5, bold=True)
    ry = top - 15
    for label, value in rows:
        last = label == "Total à payer"
        pg.text(bx + 6, ry, label, 8.5, bold=last)
        pg.text(bx + bw - 6, ry, f"{value} DA", 8.5, bold=last, align="r")
        ry -= 13
    for line in wlines:
        pg.text(bx + 6, ry, line, 7.5)
        ry -= 9.5
    y = min(sy, top + 10 - h) - 22
    pg.text(36, y, "FACTURE DE LOCATION", 12, bold=True)
    fy = pg.kv(
        36,
        y - 16,
        [
            ("Numéro", inv.number),
            ("Date de facturation", _d(inv.issue_date, "dash")),
            ("Bon de commande", inv.order_ref),
            ("Mode de paiement", METHOD_FR.get(inv.method or "")),
            ("Échéance", _d(inv.due_date, "dash")),
            ("Conditions de paiement", inv.terms),
        ],
        size=8.5,
        label_w=105,
    )
    bank = [
        x for x in (s.bank and f"Banque : {s.bank}", s.rib and f"RIB : {rib_spaced(s.rib)}") if x
    ]
    for line in bank:
        pg.text(36, fy, line, 8)
        fy -= 11
    pg.box(330, y - 76, 229, 84)
    pg.text(336, y - 4, "Facturé à", 8.5, bold=True)
    cy = pg.kv(336, y - 17, [("", b.name), ("", b.address)], size=8.5, leading=10.5)
    pg.kv(336, cy, [("Registre de commerce", b.rc), ("Matricule fiscal", b.nif), ("N° statistique", b.nis), ("Article d'imposition", b.ai)], size=7, leading=8.8, label_w=80)  # fmt: skip
    rng = random.Random(inv.key)
    rows2 = []
    for ln in inv.lines:
        start = (inv.issue_date or date(2026, 6, 1)) - timedelta(days=rng.randint(8, 40))
        rows2.append([ln.description, f"du {day(start)}", ln.unit, qty(ln.quantity), money(ln.unit_price), f"{ln.rate} %", money(ln.amount)])  # fmt: skip
    cols = [
        ("Matériel / prestation", 170, "l"), ("Période", 70, "c"), ("Unité", 50, "c"),
        ("Durée", 40, "r"), ("Tarif HT", 70, "r"), ("TVA", 38, "c"), ("Montant HT", 85, "r"),
    ]  # fmt: skip
    pg.table(36, min(fy, y - 90) - 14, cols, rows2, size=8, header_fill=0.9)
    pg.text(36, 46, "Le matériel reste la propriété du loueur. Toute journée entamée est due.", 7)
    pg.save()


LAYOUTS: dict[str, Callable[[Invoice, Path], None]] = {
    "L32": render_l32,
    "L33": render_l33,
    "L34": render_l34,
    "L35": render_l35,
    "L36": render_l36,
    "L37": render_l37,
}
