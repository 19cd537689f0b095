"""Books of held-out split 13: an IT services and maintenance firm in Oran, as a ledger bundle.

    python evals/heldout/books13.py OUT_DIR       # writes the bundle (same bytes every run)

Written from ``shared/spec/bundle.md`` only (standard library), by helper s32f, without reading
Khazna's code or the other generators. The company — *Wahran Systèmes & Maintenance* (SARL,
Oran) — sells maintenance contracts (one invoice a month), network and CCTV installations and
hardware, to 61 clients: public bodies (APC, hospitals, universities, wilaya directorates, paid
by transfer in batches months late, 60-day terms), large companies of Arzew and the port,
clinics, pharmacies, shops, private persons (cash, stamp duty), some named in Arabic. Its
history runs from 2025-06-01 to 2026-10-07 on three accounts (BNA, CPA, CCP) with internal
transfers; suppliers, salaries, CNAS, G50, rent each quarter, three company cards held by
employees, credit notes, partial payments and returned cheques.
"""

from __future__ import annotations

import csv
import json
import random
import sys
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

START = date(2025, 6, 1)
END = date(2026, 10, 7)  # the last day written (the split's as-of day)
SEED = 13013
CENT = Decimal("0.01")
BNA, CPA, CCP = "BNA-00412", "CPA-01187", "CCP-775421"

# id, name, kind, language, terms, behaviour, method, monthly contract HT (0 = none)
CLIENTS = [
    ("C001", "APC d'Oran", "administration", "fr", 60, "batch", "virement", 145000),
    (
        "C002",
        "Direction de la Santé et de la Population de la Wilaya d'Oran",
        "administration",
        "fr",
        60,
        "batch",
        "virement",
        98000,
    ),
    ("C003", "CHU d'Oran Dr Benzerdjeb", "administration", "fr", 60, "batch", "virement", 210000),
    (
        "C004",
        "Université Oran 1 Ahmed Ben Bella",
        "administration",
        "fr",
        60,
        "late",
        "virement",
        120000,
    ),
    (
        "C005",
        "Université des Sciences et de la Technologie d'Oran Mohamed Boudiaf",
        "administration",
        "fr",
        60,
        "batch",
        "virement",
        0,
    ),
    (
        "C006",
        "Direction de l'Éducation de la Wilaya d'Oran",
        "administration",
        "fr",
        60,
        "bad",
        "virement",
        0,
    ),
    ("C007", "OPGI d'Oran", "administration", "fr", 60, "late", "virement", 65000),
    ("C008", "EPH d'Arzew", "administration", "fr", 60, "batch", "virement", 88000),
    ("C009", "APC de Bir El Djir", "administration", "fr", 60, "late", "virement", 0),
    (
        "C010",
        "Centre de Formation Professionnelle d'Es-Senia",
        "administration",
        "fr",
        60,
        "ontime",
        "virement",
        0,
    ),
    (
        "C011",
        "Direction des Travaux Publics de la Wilaya d'Oran",
        "administration",
        "fr",
        60,
        "bad",
        "virement",
        0,
    ),
    ("C012", "EHS Canastel", "administration", "ar", 60, "batch", "virement", 54000),
    ("C013", "Sonatrach Raffinerie d'Arzew", "grand_compte", "fr", 45, "late", "virement", 320000),
    ("C014", "Entreprise Portuaire d'Oran", "grand_compte", "fr", 45, "ontime", "virement", 180000),
    ("C015", "Tosyali Iron & Steel Algérie", "grand_compte", "fr", 45, "partial", "virement", 0),
    ("C016", "Hyproc Shipping Company", "grand_compte", "fr", 45, "ontime", "virement", 76000),
    ("C017", "Sorfert Algérie", "grand_compte", "fr", 45, "late", "virement", 0),
    ("C018", "Mobilis Direction Régionale Oran", "grand_compte", "fr", 45, "ontime", "virement", 0),
    ("C019", "Air Algérie Agence d'Oran", "grand_compte", "fr", 45, "partial", "virement", 42000),
    (
        "C020",
        "Banque Extérieure d'Algérie Direction Régionale Ouest",
        "grand_compte",
        "fr",
        45,
        "ontime",
        "virement",
        95000,
    ),
    ("C021", "Groupe Hasnaoui", "grand_compte", "fr", 45, "late", "virement", 0),
    ("C022", "Fertial Arzew", "grand_compte", "fr", 45, "bad", "virement", 0),
    ("C023", "SARL El Bahia Distribution", "pme", "fr", 30, "ontime", "cheque", 28000),
    ("C024", "Clinique Ibn Sina Oran", "pme", "fr", 30, "partial", "virement", 46000),
    ("C025", "Pharmacie Benkhelifa", "pme", "fr", 30, "ontime", "cheque", 0),
    (
        "C026",
        "Cabinet d'Expertise Comptable Mansouri",
        "pme",
        "fr",
        30,
        "ontime",
        "virement",
        12000,
    ),
    ("C027", "SARL Oran Logistique Services", "pme", "fr", 30, "late", "cheque", 35000),
    ("C028", "EURL Tlemcani Import-Export", "pme", "fr", 30, "partial", "cheque", 0),
    ("C029", "Hôtel Les Andalouses", "pme", "fr", 30, "ontime", "virement", 52000),
    ("C030", "École Privée El Nadjah", "pme", "ar", 30, "late", "cheque", 18000),
    ("C031", "SARL Agro-Céréales de l'Ouest", "pme", "fr", 30, "ontime", "virement", 0),
    (
        "C032",
        "Laboratoire d'Analyses Médicales Dr Hamou",
        "pme",
        "fr",
        30,
        "ontime",
        "cheque",
        15000,
    ),
    ("C033", "مؤسسة النور للتجهيزات", "pme", "ar", 30, "late", "cheque", 0),
    ("C034", "شركة الوفاء للنقل", "pme", "ar", 30, "partial", "virement", 22000),
    ("C035", "SARL Sidi El Houari Bâtiment", "pme", "fr", 30, "bad", "cheque", 0),
    ("C036", "Boulangerie-Pâtisserie Ezzahra", "pme", "ar", 30, "ontime", "especes", 0),
    ("C037", "Etablissements Bouziane Frères", "pme", "fr", 30, "late", "cheque", 0),
    ("C038", "SNC Kaddour et Fils", "pme", "fr", 30, "ontime", "cheque", 9500),
    ("C039", "Étude de Maître Belhadj, notaire", "pme", "fr", 30, "ontime", "virement", 8000),
    ("C040", "SARL Med Plast Oran", "pme", "fr", 30, "partial", "virement", 0),
    ("C041", "Auto-École El Amel", "pme", "ar", 30, "ontime", "especes", 0),
    ("C042", "Cabinet Dentaire Dr Zerrouki", "pme", "fr", 30, "ontime", "cheque", 7000),
    ("C043", "SARL Transit Marhaba", "pme", "fr", 30, "late", "virement", 0),
    ("C044", "مكتب الدراسات الهندسية الرازي", "pme", "ar", 30, "ontime", "virement", 0),
    ("C045", "Supérette Bab El Hamra", "pme", "fr", 30, "ontime", "especes", 0),
    ("C046", "SARL Ouest Froid Industriel", "pme", "fr", 30, "late", "cheque", 24000),
    ("C047", "EURL Bensaïd Informatique", "pme", "fr", 30, "ontime", "virement", 0),
    ("C048", "Agence de Voyages Sahara Tours", "pme", "fr", 30, "partial", "cheque", 0),
    ("C049", "SARL Imprimerie Es-Salam", "pme", "ar", 30, "ontime", "virement", 14000),
    ("C050", "Centre d'Imagerie El Chifa", "pme", "fr", 30, "late", "virement", 33000),
    ("C051", "SARL Gaz Industriels Arzew", "pme", "fr", 30, "ontime", "virement", 0),
    ("C052", "Cabinet d'Avocats Benmansour", "pme", "fr", 30, "ontime", "cheque", 0),
    ("C053", "Mohamed Amine Belarbi", "particulier", "fr", 0, "ontime", "especes", 0),
    ("C054", "Fatima Zohra Bensalem", "particulier", "fr", 0, "ontime", "especes", 0),
    ("C055", "Abdelkader Ould Ali", "particulier", "fr", 15, "late", "especes", 0),
    ("C056", "Khadidja Merabet", "particulier", "fr", 0, "ontime", "especes", 0),
    ("C057", "Youcef Lakhdari", "particulier", "fr", 15, "partial", "cheque", 0),
    ("C058", "Nabil Saïdi", "particulier", "fr", 0, "ontime", "especes", 0),
    ("C059", "Samira Hadjadj", "particulier", "fr", 0, "ontime", "especes", 0),
    ("C060", "عبد الرحمن بوشامة", "particulier", "ar", 0, "ontime", "especes", 0),
    ("C061", "SARL Numidia Cloud", "pme", "fr", 30, "new", "virement", 26000),
]

# id, name, category, usual method, typical amount (TTC), every n days (0 = irregular)
SUPPLIERS = [
    ("S01", "Sonelgaz Distribution Ouest", "energie", "prelevement"),
    ("S02", "Algérie Télécom", "telecom", "prelevement"),
    ("S03", "Djezzy", "telecom", "prelevement"),
    ("S04", "Naftal", "carburant", "carte"),
    ("S05", "Microsystèmes Algérie SPA", "achats_marchandises", "virement"),
    ("S06", "Condor Electronics", "achats_marchandises", "cheque"),
    ("S07", "Papeterie El Feth", "fournitures", "cheque"),
    ("S08", "Cabinet Comptable Haddad", "honoraires", "virement"),
    ("S09", "SAA Assurances Oran", "assurance", "virement"),
    ("S10", "Yalidine Express", "transport", "virement"),
    ("S11", "Restaurant Le Cintra", "restaurant", "carte"),
    ("S12", "Réseaux Ouest Sous-Traitance SARL", "sous_traitance", "virement"),
    ("S13", "SCI Benhaddou Immobilier", "loyer", "virement"),
    ("S14", "CNAS Agence d'Oran", "cotisations_sociales", "prelevement"),
    ("S15", "Recette des Impôts d'Oran Est", "impots_taxes", "virement"),
    ("S16", "Hôtel Méridien Oran", "deplacements", "carte"),
]

# employee, card (empty: reimbursed by transfer), categories
EMPLOYEES = [
    ("Karim Bouazza", "CARD-01", ["carburant", "deplacements", "restaurant"]),
    ("Yacine Mahi", "CARD-02", ["carburant"]),
    ("Nadia Belkheir", "CARD-03", ["restaurant", "deplacements"]),
    ("Sofiane Rahmani", "", ["deplacements", "fournitures"]),
]

PROJECTS = [
    ("Installation réseau LAN (câblage Cat6, baies)", "forfait", 380000, 1400000),
    ("Installation vidéosurveillance IP", "forfait", 250000, 1200000),
    ("Fourniture de postes de travail", "unité", 95000, 145000),
    ("Fourniture d'imprimantes laser réseau", "unité", 42000, 88000),
    ("Intervention de dépannage sur site", "heure", 4500, 6500),
    ("Fourniture et pose d'onduleurs", "unité", 38000, 160000),
    ("Migration serveur et sauvegarde", "forfait", 180000, 650000),
    ("Licences antivirus (1 an)", "poste", 3200, 5200),
]


def money(x: Decimal | float | int) -> Decimal:
    return Decimal(str(x)).quantize(CENT, rounding=ROUND_HALF_UP)


def timbre(ttc: Decimal) -> Decimal:
    """Stamp duty on a cash invoice: 1 % of the TTC, at least 5 DA, at most 2 500 DA."""
    return min(max(money(ttc / 100), Decimal(5)), Decimal(2500))


def workday(d: date) -> date:
    while d.weekday() in (4, 5):  # Friday, Saturday
        d += timedelta(days=1)
    return d


def months(start: date, end: date):
    d = date(start.year, start.month, 1)
    while d <= end:
        yield d
        d = date(d.year + (d.month == 12), d.month % 12 + 1, 1)


def build(out: Path) -> None:
    rng = random.Random(SEED)
    out.mkdir(parents=True, exist_ok=True)
    invoices: list[dict] = []
    lines: list[dict] = []
    payments: list[dict] = []
    expenses: list[dict] = []
    bank: list[dict] = []
    seq = {2025: 0, 2026: 0}
    av_seq = {2025: 0, 2026: 0}

    def new_invoice(client, day: date, desc: str, unit: str, qty: int, pu: int) -> dict:
        cid, _n, _k, _l, terms, _b, method, _c = client
        seq[day.year] += 1
        number = f"F{day.year}-{seq[day.year]:04d}"
        ht = money(qty * pu)
        tva = money(ht * Decimal("0.19"))
        tb = timbre(ht + tva) if method == "especes" else Decimal(0)
        inv = {"number": number, "client_id": cid, "issue_date": day.isoformat(),
               "due_date": (day + timedelta(days=terms)).isoformat(), "payment_method": method,
               "total_ht": ht, "total_tva": tva, "timbre": tb, "total_ttc": ht + tva + tb,
               "status": "issued", "credited_invoice": ""}  # fmt: skip
        invoices.append(inv)
        lines.append({"number": number, "description": desc, "quantity": qty, "unit": unit,
                      "unit_price_ht": money(pu), "tva_rate": 19})  # fmt: skip
        return inv

    # --- invoices: monthly contracts on the first working day, projects at random ---------------
    for m in months(START, END):
        for c in CLIENTS:
            if not c[7] or (c[5] == "new" and m < date(2026, 7, 1)):
                continue
            day = workday(m + timedelta(days=1))
            if day <= END:
                label = f"Contrat de maintenance informatique — {m:%m/%Y}"
                new_invoice(c, day, label, "mois", 1, c[7])
        for _ in range(rng.randint(14, 20)):
            c = rng.choice(CLIENTS)
            if c[5] == "new" and m < date(2026, 7, 1):
                continue
            day = workday(m + timedelta(days=rng.randint(2, 27)))
            if day > END:
                continue
            desc, unit, lo, hi = rng.choice(PROJECTS)
            if c[2] == "particulier":
                desc, unit, lo, hi = rng.choice([PROJECTS[3], PROJECTS[4], PROJECTS[7]])
            if unit == "forfait":
                qty, pu = 1, rng.randrange(lo, hi, 500)
            elif unit == "heure":
                qty, pu = rng.randint(2, 12), rng.randrange(lo, hi, 100)
            else:
                qty, pu = (
                    rng.randint(1, 6 if c[2] == "particulier" else 20),
                    rng.randrange(lo, hi, 100),
                )
            new_invoice(c, day, desc, unit, qty, pu)
    invoices.sort(key=lambda i: (i["issue_date"], i["number"]))

    # --- credit notes: a disputed part of 12 invoices --------------------------------------------
    batch_payers = {c[0] for c in CLIENTS if c[5] == "batch"}  # an avoir never in a batch payment
    candidates = [i for i in invoices if i["payment_method"] != "especes" and i["total_ht"] > 60000
                  and i["client_id"] not in batch_payers]  # fmt: skip
    credited = rng.sample(candidates, 12)
    credit_of: dict[str, Decimal] = {}
    for inv in sorted(credited, key=lambda i: i["issue_date"]):
        day = date.fromisoformat(inv["issue_date"]) + timedelta(days=rng.randint(8, 40))
        if day > END:
            continue
        av_seq[day.year] += 1
        share = Decimal(rng.choice([10, 15, 20, 25, 50])) / 100
        ht = money(inv["total_ht"] * share)
        tva = money(ht * Decimal("0.19"))
        number = f"AV{day.year}-{av_seq[day.year]:03d}"
        invoices.append({"number": number, "client_id": inv["client_id"], "issue_date": day.isoformat(),
                         "due_date": day.isoformat(), "payment_method": inv["payment_method"],
                         "total_ht": -ht, "total_tva": -tva, "timbre": Decimal(0),
                         "total_ttc": -(ht + tva), "status": "issued",
                         "credited_invoice": inv["number"]})  # fmt: skip
        lines.append({"number": number, "description": f"Avoir sur facture {inv['number']} (prestation contestée)",
                      "quantity": 1, "unit": "forfait", "unit_price_ht": -ht, "tva_rate": 19})  # fmt: skip
        credit_of[inv["number"]] = ht + tva

    # --- payments ---------------------------------------------------------------------------------
    pay_n = 0
    byclient: dict[str, list[dict]] = {}
    for inv in invoices:
        if not inv["number"].startswith("AV"):
            byclient.setdefault(inv["client_id"], []).append(inv)

    def pay(
        day: date, cid: str, numbers: list[str], amount: Decimal, method: str, status="cleared"
    ):
        nonlocal pay_n
        pay_n += 1
        pid = f"P{pay_n:05d}"
        ref = {"virement": f"VIR{rng.randint(100000, 999999)}", "cheque": f"CHQ{rng.randint(1000000, 9999999)}",
               "especes": f"VERS{rng.randint(1000, 9999)}"}[method]  # fmt: skip
        payments.append({"payment_id": pid, "date": day.isoformat(), "client_id": cid,
                         "invoice_number": ";".join(numbers), "amount": amount, "method": method,
                         "reference": ref, "status": status})  # fmt: skip
        return pid, ref

    client_of = {c[0]: c for c in CLIENTS}
    for cid, invs in byclient.items():
        c = client_of[cid]
        behaviour, method = c[5], c[6]
        due_of = lambda i: i["total_ttc"] - credit_of.get(i["number"], Decimal(0))  # noqa: E731
        if behaviour == "batch":  # a public body paying what it owes every ~3-4 months
            # pay in batches: each batch date settles the invoices due 20+ days before it
            d = date(2025, 9, rng.randint(10, 28))
            todo = list(invs)
            while d <= END and todo:
                d = workday(d)
                batch = [
                    i for i in todo if date.fromisoformat(i["due_date"]) + timedelta(days=20) <= d
                ]
                if batch:
                    amount = sum((due_of(i) for i in batch), Decimal(0))
                    pay(d, cid, [i["number"] for i in batch], amount, "virement")
                    todo = [i for i in todo if i not in batch]
                d += timedelta(days=rng.randint(90, 130))
            continue
        for inv in invs:
            issue, due = date.fromisoformat(inv["issue_date"]), date.fromisoformat(inv["due_date"])
            amount = due_of(inv)
            if behaviour == "ontime":
                d = issue + timedelta(days=max(0, (due - issue).days + rng.randint(-12, 6)))
            elif behaviour == "late" or behaviour == "new":
                d = due + timedelta(days=rng.randint(10, 75))
            elif behaviour == "partial":
                d = due + timedelta(days=rng.randint(0, 30))
            else:  # bad: paid the first months, nothing since February 2026
                d = due + timedelta(days=rng.randint(20, 60))
                if issue >= date(2026, 1, 1) or d >= date(2026, 2, 15):
                    continue
            d = workday(d)
            if d > END:
                continue
            m = method
            if behaviour == "partial" and amount > 20000 and rng.random() < 0.55:
                part = money(amount * Decimal(rng.choice([30, 40, 50, 60])) / 100)
                pay(d, cid, [inv["number"]], part, m)
                d2 = workday(d + timedelta(days=rng.randint(25, 90)))
                if d2 <= END and rng.random() < 0.6:
                    pay(d2, cid, [inv["number"]], amount - part, m)
                continue
            if m == "cheque" and rng.random() < 0.035:  # a returned cheque, paid again later or not
                pay(d, cid, [inv["number"]], amount, m, status="rejected")
                d2 = workday(d + timedelta(days=rng.randint(12, 40)))
                if d2 <= END and rng.random() < 0.6:
                    pay(d2, cid, [inv["number"]], amount, "virement")
                continue
            pay(d, cid, [inv["number"]], amount, m)
    payments.sort(key=lambda p: (p["date"], p["payment_id"]))

    # --- expenses ---------------------------------------------------------------------------------
    exp_n = 0
    sup = {s[0]: s for s in SUPPLIERS}

    def spend(day: date, sid: str, amount, payee="", category="", method="", employee="",
              card="", receipt="yes", desc="", supplier_invoice=""):  # fmt: skip
        nonlocal exp_n
        exp_n += 1
        s = sup.get(sid)
        expenses.append({"expense_id": f"E{exp_n:05d}", "date": day.isoformat(), "supplier_id": sid,
                         "payee": payee or (s[1] if s else ""), "category": category or s[2],
                         "amount": money(amount), "method": method or s[3],
                         "reference": f"R{exp_n:05d}", "supplier_invoice": supplier_invoice,
                         "employee": employee, "card_id": card, "receipt": receipt,
                         "description": desc})  # fmt: skip

    for m in months(START, END):

        def on(day: int, m: date = m) -> date:
            return workday(date(m.year, m.month, day))

        if on(25) <= END:
            spend(on(25), "", 2380000 + rng.randrange(0, 60000, 100), payee="Personnel — salaires",
                  category="salaires", method="virement", desc=f"Salaires {m:%m/%Y}")  # fmt: skip
        if on(12) <= END:
            spend(on(12), "S14", 610000 + rng.randrange(0, 15000, 100), desc="Cotisations CNAS")
            spend(on(18), "S15", 240000 + rng.randrange(0, 260000, 100), desc="Déclaration G50")
            spend(on(10), "S02", 14500 + rng.randrange(0, 1500, 10), desc="Fibre et lignes fixes")
            spend(on(14), "S03", 23800 + rng.randrange(0, 4000, 10), desc="Flotte mobile")
        if m.month % 2 == 0 and on(16) <= END:
            spend(on(16), "S01", 68000 + rng.randrange(0, 30000, 10), desc="Facture bimestrielle")
        if m.month in (1, 4, 7, 10) and on(5) <= END:
            spend(on(5), "S13", 540000, desc="Loyer du trimestre (locaux Haï Khemisti)")
        if m.month == 9 and on(8) <= END:
            spend(on(8), "S09", 186000 + rng.randrange(0, 20000, 100), desc="Flotte et multirisque")
        if on(20) <= END and m.month % 3 == 0:
            spend(on(20), "S08", 90000, desc="Honoraires trimestriels")
        for _ in range(rng.randint(3, 5)):
            d = workday(m + timedelta(days=rng.randint(1, 26)))
            if d <= END:
                sid = rng.choice(["S05", "S05", "S06"])
                spend(d, sid, rng.randrange(300000, 2100000, 100),
                      supplier_invoice=f"FA-{rng.randint(1000, 9999)}", desc="Matériel pour revente")  # fmt: skip
        for _ in range(rng.randint(0, 2)):
            d = workday(m + timedelta(days=rng.randint(1, 26)))
            if d <= END:
                spend(
                    d,
                    "S12",
                    rng.randrange(120000, 600000, 500),
                    desc="Tirage de câbles sous-traité",
                )
        for sid, lo, hi in (("S07", 8000, 45000), ("S10", 3000, 16000)):
            d = workday(m + timedelta(days=rng.randint(1, 26)))
            if d <= END:
                spend(d, sid, rng.randrange(lo, hi, 10))
        for emp, card, cats in EMPLOYEES:
            for _ in range(rng.randint(2, 5)):
                d = m + timedelta(days=rng.randint(0, 27))
                if d > END:
                    continue
                cat = rng.choice(cats)
                sid = {"carburant": "S04", "restaurant": "S11", "deplacements": "S16"}.get(
                    cat, "S07"
                )
                lo, hi = {"carburant": (3000, 12000), "restaurant": (2500, 14000),
                          "deplacements": (9000, 38000), "fournitures": (1500, 9000)}[cat]  # fmt: skip
                rcpt = "no" if rng.random() < 0.06 else "yes"
                spend(d, sid, rng.randrange(lo, hi, 10), method="carte" if card else "virement",
                      employee=emp, card=card, receipt=rcpt, category=cat,
                      desc="Mission client" if cat != "carburant" else "Plein véhicule")  # fmt: skip
    expenses.sort(key=lambda e: (e["date"], e["expense_id"]))

    # --- bank lines ---------------------------------------------------------------------------------
    for p in payments:
        d = p["date"]
        name = client_of[p["client_id"]][1].upper()
        if p["method"] == "virement":
            acct, label = BNA, f"VIR RECU {name} {p['invoice_number'].replace(';', ' ')}"
        elif p["method"] == "cheque":
            acct, label = CPA, f"REMISE CHQ {p['reference'][3:]} {name}"
        else:
            acct, label = CCP, f"VERSEMENT ESPECES {p['reference']}"
        bank.append(
            {
                "account": acct,
                "date": d,
                "label": label,
                "amount": p["amount"],
                "reference": p["reference"],
            }
        )
        if p["status"] == "rejected":
            back = (date.fromisoformat(d) + timedelta(days=6)).isoformat()
            bank.append({"account": acct, "date": back, "label": f"CHQ IMPAYE {p['reference'][3:]} RETOUR",
                         "amount": -p["amount"], "reference": p["reference"]})  # fmt: skip
    for e in expenses:
        words = {
            "prelevement": "PRLV",
            "virement": "VIR EMIS",
            "cheque": "CHQ",
            "carte": "PAIEMENT CB",
        }
        acct = CPA if e["method"] == "cheque" else BNA
        label = f"{words[e['method']]} {e['payee'].upper()}"
        if e["method"] == "carte":
            label += f" {e['card_id']}"
        bank.append(
            {
                "account": acct,
                "date": e["date"],
                "label": label,
                "amount": -e["amount"],
                "reference": e["reference"],
            }
        )
    for m in months(START, END):
        d = workday(date(m.year, m.month, 28))
        if d <= END:
            for acct, fee in ((BNA, 2350), (CPA, 1450), (CCP, 300)):
                bank.append({"account": acct, "date": d.isoformat(), "label": "FRAIS TENUE DE COMPTE",
                             "amount": Decimal(-fee), "reference": ""})  # fmt: skip
        if m.month % 2 == 1 and workday(date(m.year, m.month, 6)) <= END:  # sweep CCP/CPA to BNA
            d = workday(date(m.year, m.month, 6)).isoformat()
            for acct, amt in ((CPA, 1500000), (CCP, 400000)):
                bank.append(
                    {
                        "account": acct,
                        "date": d,
                        "label": f"VIR INTERNE VERS {BNA}",
                        "amount": Decimal(-amt),
                        "reference": "INT",
                    }
                )
                bank.append(
                    {
                        "account": BNA,
                        "date": d,
                        "label": f"VIR INTERNE DE {acct}",
                        "amount": Decimal(amt),
                        "reference": "INT",
                    }
                )
    bank.sort(key=lambda b: (b["date"], b["account"], b["label"]))
    for n, b in enumerate(bank, 1):
        b["line_id"] = f"BL{n:05d}"

    # --- files --------------------------------------------------------------------------------------
    company = {"name": "Wahran Systèmes & Maintenance", "legal_form": "SARL", "capital": 3000000,
               "address": "14 boulevard de la Soummam, Haï Khemisti, 31000 Oran",
               "rc": "31/00-0456123 B 14", "nif": "001431045612398", "nis": "001431010203344",
               "ai": "31017450126", "rib": "00100412030000012345", "email": "contact@wsm-oran.dz",
               "phone": "+213 41 33 21 08", "language": "fr", "opening_balance": 16500000.00,
               "opening_date": START.isoformat()}  # fmt: skip
    (out / "company.json").write_text(
        json.dumps(company, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )

    def write(name: str, cols: list[str], rows: list[dict]) -> None:
        with (out / name).open("w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=cols, lineterminator="\n")
            w.writeheader()
            for r in rows:
                w.writerow({k: r.get(k, "") for k in cols})

    write("clients.csv", ["client_id", "name", "kind", "email", "phone", "language", "payment_terms_days",
                          "nif", "nis", "rc", "ai", "address"],
          [{"client_id": c[0], "name": c[1], "kind": c[2], "language": c[3], "payment_terms_days": c[4],
            "email": f"compta.{c[0].lower()}@example.dz" if c[2] != "particulier" else "",
            "phone": f"+213 5{n % 10}{n:02d} {n * 37 % 100:02d} {n * 53 % 100:02d} {n * 11 % 100:02d}",
            "address": "Oran" if "Arzew" not in c[1] else "Arzew"} for n, c in enumerate(CLIENTS, 1)])  # fmt: skip
    write(
        "suppliers.csv",
        ["supplier_id", "name", "category", "email", "nif"],
        [{"supplier_id": s[0], "name": s[1], "category": s[2]} for s in SUPPLIERS],
    )
    write("invoices.csv", ["number", "client_id", "issue_date", "due_date", "payment_method", "total_ht",
                           "total_tva", "timbre", "total_ttc", "status", "credited_invoice"], invoices)  # fmt: skip
    write(
        "invoice_lines.csv",
        ["number", "description", "quantity", "unit", "unit_price_ht", "tva_rate"],
        lines,
    )
    write("payments.csv", ["payment_id", "date", "client_id", "invoice_number", "amount", "method",
                           "reference", "status"], payments)  # fmt: skip
    write("expenses.csv", ["expense_id", "date", "supplier_id", "payee", "category", "amount", "method",
                           "reference", "supplier_invoice", "employee", "card_id", "receipt",
                           "description"], expenses)  # fmt: skip
    write("bank_lines.csv", ["line_id", "account", "date", "label", "amount", "reference"], bank)
    write("commitments.csv", ["commitment_id", "label", "category", "amount", "day_of_month", "every_months",
                              "start", "end"],
          [{"commitment_id": "K1", "label": "Salaires", "category": "salaires", "amount": 2410000,
            "day_of_month": 25, "every_months": 1, "start": "2025-06-01"},
           {"commitment_id": "K2", "label": "CNAS", "category": "cotisations_sociales", "amount": 617000,
            "day_of_month": 12, "every_months": 1, "start": "2025-06-01"},
           {"commitment_id": "K3", "label": "G50", "category": "impots_taxes", "amount": 370000,
            "day_of_month": 18, "every_months": 1, "start": "2025-06-01"},
           {"commitment_id": "K4", "label": "Loyer Haï Khemisti", "category": "loyer", "amount": 540000,
            "day_of_month": 5, "every_months": 3, "start": "2025-07-01"}])  # fmt: skip
    policy = {"treasury": {"safety_threshold": 3500000, "horizon_days": 30},
              "dunning": {"levels_days": [3, 10, 30], "group_by_client": True},
              "expenses": {"receipt_required_above": 5000,
                           "max_per_transaction": {"restaurant": 12000, "carburant": 15000},
                           "card_allowed_categories": {e[1]: e[2] for e in EMPLOYEES if e[1]}}}  # fmt: skip
    (out / "policy.json").write_text(
        json.dumps(policy, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    build(Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).with_name("bundle13")))
