"""The fourth blind held-out split, L20–L25: a reader is never tuned on these.

Written from `spec/algeria.md` (décret 05-468 mentions, identifier shapes, VAT 19/9/0 %, the
stamp duty on cash payments) and from what ordinary Algerian PMEs print, by someone who read
neither the reader, the checker nor the earlier held-out layouts:

- L20 a building firm's "situation de travaux" (contract, previous and period quantities;
  the period's quantity is the one billed), Times, "Maître de l'ouvrage";
- L21 a pharmaceutical wholesaler: many small lines with batch numbers and expiry dates, a
  "Rem. %" column between the list price (PPA) and the net price, exempt and 19 % lines,
  `1.234,56`, a gross total and the discount before the net HT;
- L22 a consulting firm: half-day quantities, dates on one line, "Soit la somme de", the
  seller's identifiers, capital and RIB only in a grey boxed footer band;
- L23 a household-appliance dealer: the client block on the right under "Adressé à", the
  seller's identifiers with French/Arabic labels, "Béjaïa, le 5 mars 2026", a table without
  ruling, "Arrêté à la somme de" with the words on the next line;
- L24 a road haulier in Courier (an old billing program): trip lines with their own dates and
  waybill numbers, plain amounts `1234567,89`, "Montant en votre aimable règlement";
- L25 a food wholesaler with two VAT rates (9 % and 19 %) on every invoice, a "Taux" column,
  a VAT summary table per rate, "M.F." / "N° Stat." / "Art. Imp." labels in a right column
  and "Doit" / "الزبون".

Every mention that is None is left off the page entirely (label and value), so "absent"
means the page holds nothing that could be it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from khazna.evals.outside_invoices.model import Invoice, Line, Party, q2, rib_key
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
    words_text,
)

LAYOUT_NAMES = ("L20", "L21", "L22", "L23", "L24", "L25")
# A building contract or a haulage account is never settled in cash: no stamp-duty defect there.
FORBIDDEN_GROUPS = {"L20": frozenset({"cash"}), "L24": frozenset({"cash"})}


@dataclass
class WorksLine(Line):
    """A line of a "situation de travaux": the billed quantity is the period's."""

    contract_qty: Decimal = Decimal(0)
    previous_qty: Decimal = Decimal(0)


@dataclass
class DiscountLine(Line):
    """A wholesaler's line: list price, discount %, the net unit price billed; batch, expiry."""

    list_price: Decimal = Decimal(0)
    discount: int = 0
    batch: str = ""
    expiry: str = ""


@dataclass
class TripLine(Line):
    """A haulage line: the day of the trip and its waybill (lettre de voiture)."""

    trip_date: date | None = None
    waybill: str = ""


# --- the people and goods of this split --------------------------------------------------
SELLERS = {
    "L20": [
        ("Bouzid Frères Bâtiment", "SARL", "Cité 200 logements, BP 45, 28000 M'Sila", "28"),
        (
            "Hamrouche Travaux Tous Corps d'État",
            "EURL",
            "Zone d'activités, 34000 Bordj Bou Arréridj",
            "34",
        ),
    ],
    "L21": [
        (
            "Dar El Chifa Distribution Pharmaceutique",
            "SARL",
            "Lot. Ennakhil n° 14, 09000 Blida",
            "09",
        ),
        ("Pharmadis El Hidhab", "SPA", "Zone industrielle, lot 88, 19600 El Eulma", "19"),
    ],
    "L22": [
        ("Ikhlass Conseil et Formation", "EURL", "17, rue Didouche Mourad, 16000 Alger", "16"),
        ("Qalam Audit & Organisation", "SARL", "Résidence Chabani, bloc B, 16035 Hydra", "16"),
    ],
    "L23": [
        ("Tifaouine Électroménager", "SNC", "52, avenue de l'Indépendance, 06000 Béjaïa", "06"),
        ("Bensalem Équipement Maison", "EURL", "Cité Frères Abbas, 25000 Constantine", "25"),
    ],
    "L24": [
        ("Transports Rapides du Sud", "SARL", "Route de Ouargla, km 3, 47000 Ghardaïa", "47"),
        ("Trans-Hauts-Plateaux", "EURL", "Zone de dépôts, 14000 Tiaret", "14"),
    ],
    "L25": [
        ("Minoterie et Laiterie du Hodna", "SARL", "Route de Bou Saâda, 28000 M'Sila", "28"),
        ("Agro-Distribution Mitidja", "SPA", "Zone d'activités, lot 9, 42000 Tipaza", "42"),
    ],
}
BUYERS = {
    "L20": [
        ("SARL Promotion Immobilière El Feth", "Cité 1 000 logements, 28000 M'Sila", "28"),
        ("SPA Immobilière des Bibans", "Boulevard de l'ALN, 34000 Bordj Bou Arréridj", "34"),
    ],
    "L21": [
        ("EURL Pharmacie Centrale Benali", "3, place du 1er Novembre, 09000 Blida", "09"),
        ("SARL Officine Es-Salam", "Cité 400 logements, 19000 Sétif", "19"),
        ("Clinique Ibn Rochd SARL", "Route de Batna, 25000 Constantine", "25"),
    ],
    "L22": [
        ("SPA Numidia Ciments", "Zone industrielle, BP 21, 05000 Batna", "05"),
        ("SARL Green Pack Algérie", "Zone d'activités Rouiba, lot 33, 16012 Rouiba", "16"),
    ],
    "L23": [
        ("SARL Hôtel Les Hammadites", "Front de mer, 06000 Béjaïa", "06"),
        (
            "EURL Résidence Universitaire Privée El Nour",
            "Nouvelle ville Ali Mendjeli, 25016 Constantine",
            "25",
        ),
    ],
    "L24": [
        ("SARL Matériaux du Sahara", "Zone industrielle, 30000 Ouargla", "30"),
        ("SPA Grands Moulins de l'Ouest", "Port d'Oran, môle 4, 31000 Oran", "31"),
    ],
    "L25": [
        ("SARL Superette Ennasr", "12, rue Emir Abdelkader, 28000 M'Sila", "28"),
        ("EURL Restauration Collective Sahel", "Cité 500 logements, 42000 Tipaza", "42"),
    ],
}
# (description, unit, unit price HT, VAT rate)
GOODS = {
    "L20": [
        ("Fouille en pleine masse en terrain ordinaire", "m³", 1200, 19),
        ("Béton armé dosé à 350 kg/m³ pour poteaux et poutres", "m³", 38000, 19),
        ("Maçonnerie en double cloison de briques creuses de 10", "m²", 2400, 19),
        ("Enduit extérieur au mortier de ciment, deux couches", "m²", 950, 19),
        ("Carrelage granito 30x30 y compris pose et joints", "m²", 2100, 19),
        ("Étanchéité multicouche de la terrasse", "m²", 3100, 19),
        ("Fourniture et pose de menuiserie aluminium", "m²", 14500, 19),
    ],
    "L21": [
        ("Paracétamol 500 mg cp B/20", "Boîte", 85, 0),
        ("Amoxicilline 1 g cp B/12", "Boîte", 420, 0),
        ("Oméprazole 20 mg gél B/14", "Boîte", 360, 0),
        ("Metformine 850 mg cp B/30", "Boîte", 210, 0),
        ("Amlodipine 5 mg cp B/30", "Boîte", 540, 0),
        ("Sérum physiologique 5 ml unidoses B/40", "Boîte", 310, 19),
        ("Gel hydroalcoolique 500 ml", "Flacon", 450, 19),
        ("Compresses stériles 10x10 B/50", "Boîte", 690, 19),
        ("Seringues 5 ml avec aiguille B/100", "Boîte", 1450, 19),
        ("Crème solaire SPF 50 tube 50 ml", "Tube", 1850, 19),
        ("Lait infantile 1er âge 400 g", "Boîte", 1240, 19),
        ("Ibuprofène 400 mg cp B/30", "Boîte", 260, 0),
        ("Vitamine C 1 g cp effervescent B/20", "Tube", 330, 19),
        ("Bandes de gaze 10 cm x 4 m", "Paquet", 160, 19),
    ],
    "L22": [
        ("Formation « Gestion de la paie et déclarations CNAS »", "Jour", 45000, 19),
        ("Audit organisationnel du service achats", "Jour", 60000, 19),
        ("Accompagnement à la mise en place de la norme ISO 9001", "Jour", 55000, 19),
        ("Rédaction du manuel de procédures comptables", "Forfait", 240000, 19),
        ("Atelier de sensibilisation à la sécurité au travail", "Demi-journée", 28000, 19),
    ],
    "L23": [
        ("Réfrigérateur combiné 450 L no frost", "U", 98000, 19),
        ("Téléviseur LED 55 pouces 4K", "U", 112000, 19),
        ("Machine à laver 9 kg frontale", "U", 76500, 19),
        ("Climatiseur mural 12 000 BTU inverter", "U", 68000, 19),
        ("Cuisinière 4 feux avec four, inox", "U", 45500, 19),
        ("Chauffe-eau à gaz 10 L", "U", 23900, 19),
    ],
    "L24": [
        ("Transport semi-remorque 38 t", "Voyage", 185000, 19),
        ("Transport camion plateau 20 t", "Voyage", 96000, 19),
        ("Location camion avec chauffeur", "Jour", 42000, 19),
        ("Frais de manutention au chargement", "Forfait", 15000, 19),
        ("Transport conteneur 40 pieds, port vers dépôt", "Voyage", 128000, 19),
    ],
    "L25": [
        ("Semoule moyenne (sac de 25 kg)", "Sac", 1300, 9),
        ("Farine panifiable (sac de 50 kg)", "Sac", 2000, 9),
        ("Lait pasteurisé conditionné (caisse de 12 L)", "Caisse", 300, 9),
        ("Pâtes alimentaires spaghetti (carton de 20 x 500 g)", "Carton", 1450, 9),
        ("Yaourt aromatisé (plateau de 24)", "Plateau", 960, 19),
        ("Fromage fondu en portions (carton de 48 boîtes)", "Carton", 7200, 19),
        ("Jus de fruits 1 L (pack de 6)", "Pack", 870, 19),
        ("Huile de table 5 L", "Bidon", 1150, 19),
    ],
}
ROUTES = [
    "Alger – Hassi Messaoud",
    "Oran – Ouargla",
    "Béjaïa – Ghardaïa",
    "Skikda – Biskra",
    "Port d'Oran – Tiaret",
    "Annaba – Tébessa",
]
BANKS = [("BNA", "001"), ("BEA", "002"), ("BADR", "003"), ("CPA", "004"), ("BDL", "005")]
TERMS = [
    "Paiement à 30 jours à compter de la date de facture",
    "Payable à réception de la facture",
    "Règlement à 45 jours fin de mois",
    "À régler sous 15 jours",
]
NUMBERS: dict[str, Callable[[int], str]] = {
    "L20": lambda n: f"SIT{n:03d}/2026",
    "L21": lambda n: f"FV26-{n:06d}",
    "L22": lambda n: f"2026-{n:03d}",
    "L23": lambda n: f"{n:04d}/T/26",
    "L24": lambda n: f"TRS-{n:04d}-26",
    "L25": lambda n: f"26/{n:06d}",
}


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _party(rng: random.Random, name: str, form: str | None, address: str, wilaya: str) -> Party:
    bank, code = rng.choice(BANKS)
    agency, account = _digits(rng, 5), _digits(rng, 10)
    year, serial = f"{rng.randint(3, 23):02d}", _digits(rng, 7)
    letter = "A" if form is None and rng.random() < 0.1 else "B"
    rc = (
        f"{wilaya}/00-{serial} {letter} {year}"
        if rng.random() < 0.6
        else f"{year} {letter} {serial} {wilaya}/00"
    )
    return Party(
        name=name,
        legal_form=form,
        capital=Decimal(rng.choice([100000, 1000000, 3000000, 20000000])) if form else None,
        address=address,
        phone=f"0{rng.choice(['35', '34', '29', '46', '24', '38'])} {_digits(rng, 2)} {_digits(rng, 2)} {_digits(rng, 2)}",
        rc=rc,
        nif=("099" if rng.random() < 0.3 else "000") + wilaya + _digits(rng, 10),
        nis=_digits(rng, 15),
        ai=wilaya + _digits(rng, 9),
        rib=code + agency + account + rib_key(agency, account),
        bank=bank,
    )


def _lines(rng: random.Random, layout: str, cash: bool, issue: date) -> list[Line]:
    goods = GOODS[layout]
    if layout == "L21":
        picked = rng.sample(goods, rng.randint(7, 12))
    elif layout == "L25":  # always both rates
        nine = [g for g in goods if g[3] == 9]
        other = [g for g in goods if g[3] == 19]
        picked = rng.sample(nine, rng.randint(1, 3)) + rng.sample(other, rng.randint(1, 3))
        rng.shuffle(picked)
    else:
        picked = rng.sample(goods, rng.randint(2, 5))
    out: list[Line] = []
    for desc, unit, price, rate in picked:
        cents = Decimal(rng.choice([0, 0, 0, 50, 20])) / 100
        if layout == "L20":  # measured quantities to the centième: prices in whole dinars
            cents = Decimal(0)
        base = Decimal(price) + cents
        if layout == "L20":
            contract = (
                Decimal(rng.choice([120, 250, 480, 36, 64])) + Decimal(rng.choice([0, 50])) / 100
            )
            done = q2(contract * Decimal(rng.choice([10, 25, 30, 40])) / 100)
            before = q2(contract * Decimal(rng.choice([0, 20, 35])) / 100)
            out.append(
                WorksLine(desc, unit, done, base, rate, contract_qty=contract, previous_qty=before)
            )
        elif layout == "L21":
            n = (
                Decimal(rng.choice([1, 2, 3]))
                if cash
                else Decimal(rng.choice([5, 10, 12, 20, 30, 50]))
            )
            off = rng.choice([0, 5, 8, 10, 12, 15])
            net = q2(base * (100 - off) / 100)
            expiry = f"{rng.randint(1, 12):02d}/{rng.randint(2027, 2029)}"
            out.append(
                DiscountLine(
                    desc, unit, n, net, rate, list_price=base, discount=off,
                    batch=f"{rng.choice('ABKLM')}{_digits(rng, 4)}", expiry=expiry,
                )
            )  # fmt: skip
        elif layout == "L22":
            n = (
                Decimal(1)
                if unit in ("Forfait", "Demi-journée")
                else Decimal(rng.choice([1, 2, 3, 5])) + Decimal(rng.choice([0, 0, 5])) / 10
            )
            out.append(Line(desc, unit, n, base, rate))
        elif layout == "L24":
            trip = issue - timedelta(days=rng.randint(3, 25))
            route = rng.choice(ROUTES) if unit == "Voyage" else ""
            n = Decimal(1) if unit == "Forfait" else Decimal(rng.choice([1, 2, 3, 4]))
            text = f"{desc}, {route}" if route else desc
            out.append(
                TripLine(text, unit, n, base, rate, trip_date=trip, waybill=f"LV {_digits(rng, 5)}")
            )
        else:
            n = (
                Decimal(rng.choice([1, 2, 3]))
                if cash
                else Decimal(rng.choice([1, 2, 4, 6, 10, 15, 24]))
            )
            out.append(Line(desc, unit, n, base, rate))
    return out


def build_invoice(rng: random.Random, layout: str, index: int) -> Invoice:
    """A clean invoice of `layout`: every mention present, the sums right."""
    s_name, s_form, s_addr, s_wil = rng.choice(SELLERS[layout])
    b_name, b_addr, b_wil = rng.choice(BUYERS[layout])
    seller = _party(rng, s_name, s_form, s_addr, s_wil)
    buyer = _party(rng, b_name, None, b_addr, b_wil)
    buyer.capital = buyer.rib = buyer.bank = buyer.phone = None
    if rng.random() < 0.4:
        buyer.nis = None  # not required of the buyer; often left out
    methods = (
        ["virement", "cheque"] if layout in FORBIDDEN_GROUPS else ["virement", "cheque", "especes"]
    )
    method = rng.choice(methods)
    issue = date(2026, rng.randint(1, 10), rng.randint(1, 28))
    lines = _lines(rng, layout, method == "especes", issue)
    due: date | None = issue + timedelta(days=rng.choice([15, 30, 45, 60]))
    terms: str | None = None
    if method == "especes":
        due, terms = None, "Payable au comptant"
    elif rng.random() < 0.4:
        due, terms = None, rng.choice(TERMS)
    refs = {
        "L20": f"Marché n° {rng.randint(1, 40):02d}/2026",
        "L21": f"BL n° {rng.randint(10000, 99999)}",
        "L22": f"Bon de commande n° {rng.randint(100, 999)}/2026",
        "L23": f"BC {rng.randint(1000, 9999)}",
        "L24": f"Contrat n° {rng.randint(10, 99)}/T/2026",
        "L25": f"BL {rng.randint(100, 999)}-{rng.randint(10, 99)}",
    }
    return Invoice(
        key=f"{layout}-{index:02d}",
        layout=layout,
        number=NUMBERS[layout](rng.randint(7, 990)),
        issue_date=issue,
        due_date=due,
        terms=terms,
        method=method,
        seller=seller,
        buyer=buyer,
        lines=lines,
        order_ref=refs[layout],
        order_date=issue - timedelta(days=rng.randint(5, 60)),
    )


# --- small pieces -----------------------------------------------------------------------
def _join(parts: list[str | None], sep: str) -> str:
    return sep.join(p for p in parts if p)


def _town(p: Party) -> str:
    """The town of an address ending "…, 28000 M'Sila", as a letter's place and date use it."""
    last = (p.address or "Alger").rsplit(",", 1)[-1].strip()
    return last.split(" ", 1)[1] if last[:5].isdigit() and " " in last else last


def _long_date(d: date) -> str:
    return f"{'1er' if d.day == 1 else d.day} {MONTHS[d.month - 1]} {d.year}"


def _tva_rows(inv: Invoice, label: str, style: str) -> list[tuple[str, str]]:
    return [(label.format(rate), money(amount, style)) for rate, amount in inv.tva_by_rate.items()]


def _stamp_row(inv: Invoice, label: str, style: str) -> list[tuple[str, str]]:
    return [] if inv.timbre is None else [(label, money(inv.timbre, style))]


def _rows(pg: Page, xl: float, xr: float, y: float, rows: list[tuple[str, str]], size: float,
          step: float, last_bold: bool = True) -> float:  # fmt: skip
    for i, (label, value) in enumerate(rows):
        bold = last_bold and i == len(rows) - 1
        pg.text(xl, y, label, size, bold=bold)
        pg.text(xr, y, value, size, bold=bold, align="r")
        y -= step
    return y


# --- L20: "situation de travaux" of a building firm ---------------------------------------
def layout_20(inv: Invoice, path: Path) -> None:
    pg, s, b = Page(path, "Times-Roman", "Times-Bold"), inv.seller, inv.buyer
    pg.text(40, 805, firm(s).upper(), 15, bold=True)
    pg.text(40, 791, "Entreprise de travaux de bâtiment, tous corps d'état", 9)
    y = pg.kv(40, 778, [("", s.address), ("Tél/Fax", s.phone), ("", capital(s, wording=1))], 9, 11)
    ids = [("R.C", s.rc), ("N.I.F", s.nif), ("N.I.S", s.nis), ("N° Article", s.ai)]
    pg.kv(330, 790, ids, 8.5, 11, label_w=62)
    pg.hline(40, 555, min(y, 740) - 4)
    head = "FACTURE – SITUATION DE TRAVAUX"
    pg.text(297, 705, head, 13, bold=True, align="c")
    if inv.number:
        pg.text(297, 690, f"N° {inv.number}", 11, bold=True, align="c")
    yy: float = 668
    if inv.order_ref and inv.order_date:
        pg.text(
            40, yy, f"Objet : {inv.order_ref} du {day(inv.order_date)} – travaux de réalisation", 9
        )
    if inv.issue_date:
        pg.text(555, yy, f"{_town(s)} le : {day(inv.issue_date)}", 9, align="r")
    pg.text(40, 648, "Maître de l'ouvrage :", 9, bold=True)
    yb = pg.kv(40, 635, [("", b.name), ("", b.address)], 8.5, 10.5)
    pg.kv(
        40,
        yb,
        [("R.C", b.rc), ("N.I.F", b.nif), ("N.I.S", b.nis), ("A.I", b.ai)],
        8.5,
        10.5,
        label_w=40,
    )
    cols = [
        ("N°", 22, "c"),
        ("Désignation des ouvrages", 170, "l"),
        ("U", 25, "c"),
        ("Qté marché", 50, "r"),
        ("Qté antér.", 50, "r"),
        ("Qté période", 52, "r"),
        ("P.U H.T", 66, "r"),
        ("Montant H.T", 80, "r"),
    ]
    rows = []
    for i, ln in enumerate(inv.lines, 1):
        contract = ln.contract_qty if isinstance(ln, WorksLine) else ln.quantity
        before = ln.previous_qty if isinstance(ln, WorksLine) else Decimal(0)
        rows.append([
            f"{i:02d}", ln.description, ln.unit, qty(contract, True), qty(before, True),
            qty(ln.quantity, True), money(ln.unit_price), money(ln.amount),
        ])  # fmt: skip
    yy = pg.table(40, 560, cols, rows, size=8, header_fill=0.9)
    rows2 = [("Montant de la situation H.T", money(inv.total_ht))]
    rows2 += _tva_rows(inv, "T.V.A {} %", "space")
    rows2 += _stamp_row(inv, "Droit de timbre", "space")
    rows2.append(("Montant de la situation T.T.C", money(inv.total_ttc)))
    for label, value in rows2:
        pg.box(320, yy - 18, 235, 14)
        pg.text(324, yy - 14, label, 8.5, bold=label.endswith("T.T.C"))
        pg.text(551, yy - 14, value, 8.5, bold=label.endswith("T.T.C"), align="r")
        yy -= 14
    words = words_text(inv)
    yy -= 22
    if words:
        yy = pg.para(40, yy, f"Arrêtée la présente situation à la somme de : {words}.", 515, 9.5)
    yy -= 8
    pay = method_label(inv.method)
    if pay:
        pg.text(40, yy, f"Mode de paiement : {pay}", 9)
        yy -= 12
    if inv.due_date:
        pg.text(40, yy, f"Date limite de paiement : {day(inv.due_date)}", 9)
    elif inv.terms:
        pg.text(40, yy, f"Délai de paiement : {inv.terms}", 9)
    pg.text(60, 130, "L'Entrepreneur", 9, bold=True)
    pg.text(400, 130, "Visa du maître de l'ouvrage", 9, bold=True)
    if s.rib:
        pg.text(
            297, 50, f"Domiciliation : {s.bank} – Compte RIB n° {rib_spaced(s.rib)}", 8, align="c"
        )
    pg.save()


# --- L21: pharmaceutical wholesaler, many lines, discount column -----------------------------
def layout_21(inv: Invoice, path: Path) -> None:
    font, bold = dejavu()
    pg, s, b = Page(path, font, bold), inv.seller, inv.buyer
    pg.box(30, 782, 535, 44, fill=0.88)
    pg.text(38, 808, firm(s, form_first=False), 13, bold=True)
    pg.text(38, 792, _join([s.address, f"Tél : {s.phone}" if s.phone else None], "  –  "), 8)
    ids = _join(
        [f"RC: {s.rc}" if s.rc else None, f"NIF: {s.nif}" if s.nif else None,
         f"NIS: {s.nis}" if s.nis else None, f"AI: {s.ai}" if s.ai else None],
        "  |  ",
    )  # fmt: skip
    pg.text(30, 770, ids, 7.2)
    cap = capital(s, "dot")
    if cap:
        pg.text(30, 760, cap, 7.2)
    pg.text(565, 738, "FACTURE", 15, bold=True, align="r")
    if inv.number:
        pg.text(565, 724, f"N°: {inv.number}", 9.5, align="r")
    if inv.issue_date:
        pg.text(565, 712, f"Date: {day(inv.issue_date, 'dot')}", 9, align="r")
    if inv.order_ref:
        pg.text(565, 700, f"Réf. livraison: {inv.order_ref}", 8, align="r")
    pg.text(30, 738, "Client :", 8.5, bold=True)
    pg.text(30, 726, b.name or "", 9.5, bold=True)
    y = pg.kv(30, 714, [("", b.address)], 8, 10)
    for label, value in (("RC", b.rc), ("NIF", b.nif), ("NIS", b.nis), ("AI", b.ai)):
        if value:
            pg.text(30, y, f"{label}: {value}", 7.5)
            y -= 9.5
    cols = [
        ("Désignation", 170, "l"),
        ("Lot", 42, "c"),
        ("Pér.", 42, "c"),
        ("Qté", 32, "r"),
        ("PPA", 55, "r"),
        ("Rem.%", 36, "c"),
        ("P.U Net", 55, "r"),
        ("TVA", 30, "c"),
        ("Montant HT", 73, "r"),
    ]
    rows = []
    for ln in inv.lines:
        listed = ln.list_price if isinstance(ln, DiscountLine) else ln.unit_price
        off = ln.discount if isinstance(ln, DiscountLine) else 0
        rows.append([
            ln.description, getattr(ln, "batch", ""), getattr(ln, "expiry", ""), qty(ln.quantity),
            money(listed, "dot"), f"{off}" if off else "-", money(ln.unit_price, "dot"),
            "Exo" if ln.rate == 0 else f"{ln.rate}%", money(ln.amount, "dot"),
        ])  # fmt: skip
    yy = pg.table(30, min(y, 690) - 8, cols, rows, size=7, header_fill=0.8)
    gross = sum(
        (q2(ln.quantity * (ln.list_price if isinstance(ln, DiscountLine) else ln.unit_price))
         for ln in inv.lines),
        Decimal(0),
    )  # fmt: skip
    lines_ht = sum((ln.amount for ln in inv.lines), Decimal(0))
    pg.text(30, yy - 12, f"Nombre d'articles : {len(inv.lines)}", 7.5)
    rows2 = [("Total brut", money(gross, "dot")), ("Remise", money(gross - lines_ht, "dot"))]
    rows2.append(("Net H.T", money(inv.total_ht, "dot")))
    for rate, amount in inv.tva_by_rate.items():
        if rate or amount:  # the exempt lines' zero VAT is not printed
            rows2.append((f"T.V.A {rate}%", money(amount, "dot")))
    rows2 += _stamp_row(inv, "Timbre", "dot")
    rows2.append(("Net à payer TTC", money(inv.total_ttc, "dot")))
    yy = _rows(pg, 400, 565, yy - 14, rows2, 8.5, 12)
    words = words_text(inv)
    if words:
        yy = pg.para(30, yy - 8, f"Arrêtée la présente facture à la somme de : {words}", 535, 8.5)
    yy -= 8
    pay = [f"Mode de règlement : {method_label(inv.method, 1)}" if inv.method else None]
    if inv.due_date:
        pay.append(f"Échéance : {day(inv.due_date, 'dot')}")
    elif inv.terms:
        pay.append(f"Conditions : {inv.terms}")
    pg.text(30, yy, _join(pay, "     "), 8.5)
    if s.rib:
        pg.text(30, 48, f"Banque : {s.bank}   RIB : {s.rib}", 7.5)
    pg.text(565, 48, "Les produits voyagent aux risques du destinataire.", 6.5, align="r")
    pg.save()


# --- L22: consulting firm, identifiers in a boxed footer band --------------------------------
def layout_22(inv: Invoice, path: Path) -> None:
    font, bold = dejavu()
    pg, s, b = Page(path, font, bold), inv.seller, inv.buyer
    initials = "".join(w[0] for w in (s.name or "X").split() if w[0].isupper())[:3]
    pg.box(40, 765, 50, 50, fill=0.2)
    pg.c.setFillGray(1)
    pg.text(65, 784, initials, 14, bold=True, align="c")
    pg.c.setFillGray(0)
    pg.text(555, 800, s.name or "", 13, bold=True, align="r")
    pg.text(555, 786, "Conseil – Audit – Formation professionnelle", 8, align="r")
    if s.phone:
        pg.text(555, 774, f"Tél. {s.phone}", 8, align="r")
    pg.text(40, 730, "FACTURE", 22, bold=True)
    if inv.number:
        pg.text(40, 714, f"N° {inv.number}", 10)
    dates = [
        f"Émise le {day(inv.issue_date)}" if inv.issue_date else None,
        f"échéance le {day(inv.due_date)}" if inv.due_date else None,
    ]
    line = _join(dates, "  ·  ")
    pg.text(40, 698, line[:1].upper() + line[1:], 8.5)
    if inv.order_ref and inv.order_date:
        pg.text(40, 686, f"{inv.order_ref} du {day(inv.order_date)}", 8)
    pg.text(330, 730, "CLIENT", 8, bold=True)
    pg.hline(330, 555, 726)
    pg.text(330, 714, b.name or "", 10, bold=True)
    y = pg.para(330, 701, b.address or "", 225, 8.5, 10.5) if b.address else 701
    ids = [("N.I.F.", b.nif), ("R.C.", b.rc), ("Art.", b.ai), ("N.I.S.", b.nis)]
    pg.kv(330, y, ids, 8, 10)
    cols = [
        ("Prestation", 265, "l"),
        ("Unité", 70, "c"),
        ("Qté", 40, "r"),
        ("Tarif HT", 65, "r"),
        ("Total HT", 75, "r"),
    ]
    rows = [
        [ln.description, ln.unit, qty(ln.quantity, ln.quantity != int(ln.quantity)),
         money(ln.unit_price), money(ln.amount)]
        for ln in inv.lines
    ]  # fmt: skip
    yy = pg.table(40, 620, cols, rows, size=8.5, grid=False, header_fill=None)
    rows2 = [("Sous-total HT", money(inv.total_ht) + " DA")]
    rows2 += [(lab, v + " DA") for lab, v in _tva_rows(inv, "TVA ({}%)", "space")]
    rows2 += [(lab, v + " DA") for lab, v in _stamp_row(inv, "Droit de timbre", "space")]
    rows2.append(("Montant à régler", money(inv.total_ttc) + " DA"))
    yy = _rows(pg, 360, 555, yy - 20, rows2, 9, 14)
    words = words_text(inv)
    if words:
        yy = pg.para(40, yy - 10, f"Soit la somme de {words}.", 300, 8.5, 10.5)
    yy -= 10
    if inv.method:
        pg.text(40, yy, f"Moyen de paiement : {method_label(inv.method)}", 8.5)
        yy -= 11
    if inv.terms:
        pg.text(40, yy, f"Conditions de paiement : {inv.terms}", 8.5)
    pg.box(40, 40, 515, 42, fill=0.9)
    top = _join([firm(s), capital(s), s.address], " – ")
    pg.text(297, 70, top, 7.5, align="c")
    ids2 = _join(
        [f"RC {s.rc}" if s.rc else None, f"NIF {s.nif}" if s.nif else None,
         f"NIS {s.nis}" if s.nis else None, f"AI {s.ai}" if s.ai else None],
        " · ",
    )  # fmt: skip
    pg.text(297, 59, ids2, 7.5, align="c")
    if s.rib:
        pg.text(297, 48, f"{s.bank} – RIB {rib_spaced(s.rib)}", 7.5, align="c")
    pg.save()


# --- L23: "Adressé à" on the right, French/Arabic identifier labels ---------------------------
def layout_23(inv: Invoice, path: Path) -> None:
    font, bold = dejavu()
    pg, s, b = Page(path, font, bold), inv.seller, inv.buyer
    pg.text(40, 805, firm(s, form_first=False), 14, bold=True)
    pg.text(40, 791, "Vente en gros et détail d'appareils électroménagers", 8)
    y = pg.para(40, 779, s.address or "", 240, 8.5, 10.5) if s.address else 779
    labels = [
        ("R.C / السجل التجاري", s.rc),
        ("N.I.F / رقم التعريف الجبائي", s.nif),
        ("N.I.S / رقم التعريف الإحصائي", s.nis),
        ("A.I / رقم المادة", s.ai),
    ]
    for label, value in labels:
        if value:
            pg.text(40, y, f"{label} : {value}", 7.8)
            y -= 10
    cap = capital(s)
    if cap:
        pg.text(40, y, cap, 7.8)
        y -= 10
    if inv.issue_date:
        pg.text(555, 805, f"{_town(s)}, le {_long_date(inv.issue_date)}", 9, align="r")
    pg.box(330, 650, 225, 100)
    pg.text(338, 738, "Adressé à :", 8.5, bold=True)
    pg.text(338, 724, b.name or "", 9.5, bold=True)
    yb = pg.para(338, 711, b.address or "", 210, 8.5, 10.5) if b.address else 711
    pg.kv(338, yb, [("RC", b.rc), ("NIF", b.nif), ("NIS", b.nis), ("AI", b.ai)], 8, 10)
    pg.text(40, 620, "FACTURE  فاتورة", 14, bold=True)
    if inv.number:
        pg.text(200, 620, f"N° {inv.number}", 12, bold=True)
    if inv.order_ref and inv.order_date:
        pg.text(40, 604, f"Votre commande : {inv.order_ref} du {day(inv.order_date)}", 8.5)
    cols = [
        ("Article", 45, "c"),
        ("Désignation", 245, "l"),
        ("Qté", 40, "r"),
        ("Prix HT", 85, "r"),
        ("Total HT", 100, "r"),
    ]
    rows = [
        [f"A{100 + i}", ln.description, qty(ln.quantity), money(ln.unit_price), money(ln.amount)]
        for i, ln in enumerate(inv.lines, 1)
    ]
    yy = pg.table(40, 590, cols, rows, size=8.5, grid=False, header_fill=0.93)
    rows2 = [("Total H.T.", money(inv.total_ht))]
    rows2 += _tva_rows(inv, "T.V.A. {} %", "space")
    rows2 += _stamp_row(inv, "Timbre fiscal", "space")
    rows2.append(("Total T.T.C.", money(inv.total_ttc)))
    yy = _rows(pg, 380, 555, yy - 18, rows2, 9, 13)
    words = words_text(inv)
    if words:
        pg.text(40, yy - 8, "Arrêté à la somme de :", 8.5, bold=True)
        yy = pg.para(40, yy - 20, words + ".", 515, 8.5, 10.5)
    yy -= 8
    if inv.method:
        pg.text(40, yy, f"Règlement : {method_label(inv.method)}", 8.5)
        yy -= 11
    if inv.due_date:
        pg.text(40, yy, f"Date d'échéance : {day(inv.due_date)}", 8.5)
    elif inv.terms:
        pg.text(40, yy, inv.terms, 8.5)
    if s.rib:
        pg.text(40, 60, f"RIB : {grouped(s.rib, (5, 5, 5, 5))} ({s.bank})", 8)
    pg.text(555, 60, "الختم والإمضاء / Cachet et signature", 8, align="r")
    pg.save()


# --- L24: road haulier, Courier, "Montant en votre aimable règlement" -----------------------
def layout_24(inv: Invoice, path: Path) -> None:
    pg, s, b = Page(path, "Courier", "Courier-Bold"), inv.seller, inv.buyer
    pg.text(297, 808, firm(s).upper(), 13, bold=True, align="c")
    pg.text(297, 795, "Transport public de marchandises - national", 8.5, align="c")
    pg.text(297, 784, s.address or "", 8, align="c")
    ids = [
        ("Registre de Commerce N°", s.rc),
        ("Identifiant Fiscal (NIF)", s.nif),
        ("Identifiant Statistique", s.nis),
        ("Article d'Imposition", s.ai),
    ]
    pg.kv(40, 762, ids, 7.8, 10, sep=": ", label_w=130)
    cap = capital(s, "plain", 1)
    pg.kv(330, 762, [("Tel", s.phone), ("", cap)], 7.8, 10)
    pg.hline(40, 555, 716)
    pg.box(350, 630, 205, 70)
    info = [
        ("Facture n°", inv.number),
        ("Date", day(inv.issue_date, "dash") if inv.issue_date else None),
        ("Votre réf.", inv.order_ref),
    ]
    pg.kv(358, 686, info, 8.5, 13, sep=": ", label_w=70)
    pg.text(40, 698, "Client:", 8.5, bold=True)
    pg.kv(
        40, 686,
        [("", b.name), ("", b.address), ("RC", b.rc), ("NIF", b.nif), ("NIS", b.nis), ("AI", b.ai)],
        8, 10.5, sep=": ",
    )  # fmt: skip
    cols = [
        ("Date", 55, "c"),
        ("L.V", 55, "c"),
        ("Désignation / trajet", 185, "l"),
        ("Nbre", 35, "r"),
        ("Prix unit.", 80, "r"),
        ("Montant HT", 105, "r"),
    ]
    rows = []
    for ln in inv.lines:
        trip = ln.trip_date if isinstance(ln, TripLine) else None
        rows.append([
            day(trip, "dash")[:5] if trip else "", getattr(ln, "waybill", ""), ln.description,
            qty(ln.quantity), money(ln.unit_price, "plain"), money(ln.amount, "plain"),
        ])  # fmt: skip
    yy = pg.table(40, 600, cols, rows, size=7.8, header_fill=None)
    rows2 = [("Total hors taxes", money(inv.total_ht, "plain"))]
    rows2 += _tva_rows(inv, "TVA à {} %", "plain")
    rows2 += _stamp_row(inv, "Droit de timbre", "plain")
    rows2.append(("Montant en votre aimable règlement", money(inv.total_ttc, "plain")))
    yy = _rows(pg, 250, 555, yy - 18, rows2, 8.5, 12)
    words = words_text(inv, upper=True)
    if words:
        yy = pg.para(
            40, yy - 8, f"La présente facture est arrêtée à la somme de {words}", 515, 8, 10
        )
    yy -= 10
    pay = [f"Règlement par : {method_label(inv.method, 1)}" if inv.method else None]
    if inv.due_date:
        pay.append(f"Échéance : {day(inv.due_date, 'dash')}")
    elif inv.terms:
        pay.append(f"Délai : {inv.terms}")
    pg.text(40, yy, _join(pay, "   "), 8)
    if s.rib:
        pg.text(40, 70, f"Domiciliation bancaire: {s.bank}", 7.8)
        pg.text(40, 60, f"RIB: {rib_spaced(s.rib)}", 7.8)
    pg.text(450, 70, "La Direction", 8, bold=True)
    pg.save()


# --- L25: food wholesaler, two VAT rates, VAT summary per rate ------------------------------
def layout_25(inv: Invoice, path: Path) -> None:
    font, bold = dejavu()
    pg, s, b = Page(path, font, bold), inv.seller, inv.buyer
    pg.text(40, 806, firm(s), 13, bold=True)
    pg.kv(40, 792, [("", s.address), ("Tél", s.phone), ("", capital(s))], 8.5, 10.5)
    pg.box(390, 738, 165, 68)
    pg.text(396, 796, "Identifiants", 7.5, bold=True)
    ids = [("R.C.", s.rc), ("M.F.", s.nif), ("N° Stat.", s.nis), ("Art. Imp.", s.ai)]
    pg.kv(396, 784, ids, 7.3, 10.5, label_w=42)
    pg.hline(40, 555, 728)
    title = f"Facture N° {inv.number}" if inv.number else "Facture"
    pg.text(40, 706, title, 13, bold=True)
    if inv.issue_date:
        pg.text(40, 692, f"Date de facture : {day(inv.issue_date)}", 9)
    if inv.order_ref:
        pg.text(40, 680, f"Livraison : {inv.order_ref}", 8.5)
    pg.text(300, 706, "Doit / الزبون :", 9, bold=True)
    pg.kv(
        300, 693,
        [("", b.name), ("", b.address), ("R.C.", b.rc), ("M.F.", b.nif), ("N° Stat.", b.nis),
         ("Art. Imp.", b.ai)],
        8.5, 10.5,
    )  # fmt: skip
    cols = [
        ("Désignation", 225, "l"),
        ("Unité", 50, "c"),
        ("Qté", 40, "r"),
        ("P.U. HT", 70, "r"),
        ("Taux", 40, "c"),
        ("Montant HT", 90, "r"),
    ]
    rows = [
        [ln.description, ln.unit, qty(ln.quantity), money(ln.unit_price), f"{ln.rate}%",
         money(ln.amount)]
        for ln in inv.lines
    ]  # fmt: skip
    yy = pg.table(40, 610, cols, rows, size=8.2, header_fill=0.85)
    bases: dict[int, Decimal] = {}
    for ln in inv.lines:
        bases[ln.rate] = bases.get(ln.rate, Decimal(0)) + ln.amount
    summary = [
        [f"{rate} %", money(bases.get(rate, Decimal(0))), money(amount)]
        for rate, amount in inv.tva_by_rate.items()
    ]
    pg.text(40, yy - 16, "Récapitulatif TVA", 8, bold=True)
    cols2 = [("Taux", 45, "c"), ("Base HT", 90, "r"), ("Montant TVA", 90, "r")]
    yv = pg.table(40, yy - 22, cols2, summary, size=8, header_fill=0.93)
    rows2 = [("Total HT", money(inv.total_ht)), ("Total TVA", money(inv.total_tva))]
    rows2 += _stamp_row(inv, "Droit de timbre", "space")
    rows2.append(("Total TTC", money(inv.total_ttc)))
    yt = _rows(pg, 390, 555, yy - 22, rows2, 9, 13)
    yy = min(yv, yt) - 14
    words = words_text(inv)
    if words:
        pg.text(40, yy, "Arrêtée la présente facture à la somme de", 8.5)
        yy = pg.para(40, yy - 11, words, 515, 8.5, 10.5, bold=True)
    yy -= 8
    if inv.method:
        pg.text(40, yy, f"Mode de paiement : {method_label(inv.method)}", 8.5)
        yy -= 11
    if inv.due_date:
        pg.text(40, yy, f"À payer avant le {day(inv.due_date)}", 8.5)
    elif inv.terms:
        pg.text(40, yy, f"Conditions : {inv.terms}", 8.5)
    if s.rib:
        pg.text(40, 55, f"RIB {s.bank} : {rib_spaced(s.rib)}", 8)
    pg.save()


LAYOUTS: dict[str, Callable[[Invoice, Path], None]] = {
    "L20": layout_20,
    "L21": layout_21,
    "L22": layout_22,
    "L23": layout_23,
    "L24": layout_24,
    "L25": layout_25,
}
