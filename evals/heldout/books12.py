"""Books of held-out split 12: a distributor of building materials in Sétif.

Standard library only, seeded, deterministic. Writes a bundle (shared/spec/bundle.md) into a
folder: ``python evals/heldout/books12.py evals/heldout/bundle12``.

SARL Hidhab Matériaux sells cement, rebar, bricks, tiles and plumbing to builders, public
bodies and private people of the wilaya of Sétif, from June 2025 to early December 2026. It
banks with the BNA (main account) and the CPA (a second account that some clients pay into),
pays its suppliers by transfer, cheque and bill of exchange, its utilities by direct debit, and
its two sales staff spend with company cards and in cash.
"""

from __future__ import annotations

import csv
import json
import math
import random
import sys
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

SEED = 1212
START = date(2025, 6, 1)
END = date(2026, 12, 10)
AS_OF = date(2026, 11, 18)  # the day split 12 asks its questions (a Wednesday)
CENT = Decimal("0.01")
ACC_BNA = "BNA-SETIF-512001"
ACC_CPA = "CPA-EULMA-512002"


def q2(x: Decimal) -> Decimal:
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def money(x: Decimal) -> str:
    return f"{q2(x):.2f}"


def working(d: date) -> date:
    """The next working day (Sunday to Thursday) on or after d."""
    while d.weekday() in (4, 5):  # Friday, Saturday
        d += timedelta(days=1)
    return d


def timbre(ttc: Decimal) -> Decimal:
    """Droit de timbre on a cash invoice (algeria.md, LF 2025 art. 46)."""
    if ttc <= 300:
        return Decimal("0")
    units = math.ceil(ttc / 100)
    if ttc <= 30000:
        rate = Decimal("1")
    elif ttc <= 100000:
        rate = Decimal("1.5")
    else:
        rate = Decimal("2")
    return max(Decimal("5"), q2(units * rate))


# name, kind, language, terms, profile (activity per month, mean delay past due, partial share,
# never-pays share), bank account its transfers reach, first month index (0 = June 2025)
CLIENTS = [
    # grands comptes
    ("Cosider Construction Sétif", "grand_compte", "fr", 60, (2.2, 25, 0.10, 0.02), ACC_BNA, 0),
    ("ETRHB Haddad Unité Est", "grand_compte", "fr", 60, (1.6, 40, 0.15, 0.05), ACC_BNA, 0),
    ("ENGOA Batna – chantier Sétif", "grand_compte", "fr", 45, (1.2, 15, 0.05, 0.02), ACC_BNA, 2),
    ("Batimetal Est SPA", "grand_compte", "fr", 60, (1.4, 35, 0.20, 0.03), ACC_BNA, 0),
    ("Groupe Hasnaoui Promotion", "grand_compte", "fr", 45, (1.8, 10, 0.05, 0.00), ACC_BNA, 0),
    (
        "شركة الهضاب العليا للترقية العقارية",
        "grand_compte",
        "ar",
        60,
        (1.1, 50, 0.25, 0.05),
        ACC_BNA,
        3,
    ),
    (
        "Algérienne des Eaux – Unité de Sétif",
        "grand_compte",
        "fr",
        60,
        (0.9, 30, 0.05, 0.00),
        ACC_BNA,
        0,
    ),
    # administrations and public bodies
    ("APC de Sétif", "administration", "fr", 30, (0.8, 70, 0.00, 0.05), ACC_BNA, 0),
    (
        "Direction des Équipements Publics de la Wilaya de Sétif",
        "administration",
        "fr",
        30,
        (0.7, 95, 0.00, 0.10),
        ACC_BNA,
        0,
    ),
    ("OPGI de Sétif", "administration", "fr", 30, (0.9, 60, 0.00, 0.05), ACC_BNA, 0),
    (
        "Université Ferhat Abbas Sétif 1",
        "administration",
        "fr",
        30,
        (0.5, 45, 0.00, 0.00),
        ACC_BNA,
        0,
    ),
    ("CHU Saâdna Abdenour de Sétif", "administration", "fr", 30, (0.4, 80, 0.00, 0.05), ACC_BNA, 1),
    (
        "Direction de l'Éducation de la Wilaya de Sétif",
        "administration",
        "fr",
        30,
        (0.5, 55, 0.00, 0.00),
        ACC_BNA,
        0,
    ),
    ("بلدية العلمة", "administration", "ar", 30, (0.6, 85, 0.00, 0.05), ACC_BNA, 0),
    ("مديرية السكن لولاية سطيف", "administration", "ar", 30, (0.5, 100, 0.00, 0.10), ACC_BNA, 2),
    ("Daïra d'Aïn Oulmène", "administration", "fr", 30, (0.3, 65, 0.00, 0.00), ACC_BNA, 4),
    ("EPSP Bougaa", "administration", "fr", 30, (0.3, 50, 0.00, 0.00), ACC_BNA, 5),
    # PME
    ("SARL Bouzid Bâtiment", "pme", "fr", 30, (1.5, 12, 0.15, 0.02), ACC_CPA, 0),
    ("EURL Kherbache Travaux", "pme", "fr", 30, (1.2, 28, 0.30, 0.05), ACC_CPA, 0),
    ("Entreprise Benmansour BTPH", "pme", "fr", 30, (1.0, 5, 0.10, 0.00), ACC_BNA, 0),
    ("SARL Zerguine Promotion", "pme", "fr", 45, (1.3, 35, 0.25, 0.05), ACC_BNA, 0),
    ("EURL Aït Saïd Génie Civil", "pme", "fr", 30, (0.9, 20, 0.20, 0.02), ACC_CPA, 0),
    ("SNC Boudiaf et Frères", "pme", "fr", 30, (0.8, 45, 0.35, 0.08), ACC_CPA, 0),
    ("SARL El Bina El Hadith", "pme", "fr", 30, (1.1, 15, 0.10, 0.00), ACC_BNA, 1),
    ("EURL Hamadouche Carrelage", "pme", "fr", 30, (0.7, 8, 0.05, 0.00), ACC_CPA, 0),
    ("SARL Tebboune Menuiserie Aluminium", "pme", "fr", 30, (0.6, 22, 0.15, 0.03), ACC_CPA, 2),
    ("Entreprise Lakhdari Plomberie", "pme", "fr", 30, (0.7, 18, 0.20, 0.02), ACC_CPA, 0),
    ("SARL Medjahed Construction", "pme", "fr", 30, (1.0, 60, 0.30, 0.10), ACC_BNA, 0),
    ("EURL Sahraoui Étanchéité", "pme", "fr", 30, (0.5, 10, 0.05, 0.00), ACC_CPA, 3),
    ("SARL Hodna Travaux Publics", "pme", "fr", 45, (0.9, 30, 0.15, 0.03), ACC_BNA, 0),
    ("EURL Belkacemi Rénovation", "pme", "fr", 30, (0.6, 25, 0.25, 0.05), ACC_CPA, 6),
    ("SARL Guerfi Immobilier", "pme", "fr", 30, (0.8, 40, 0.20, 0.05), ACC_BNA, 0),
    ("مؤسسة بن عمارة للبناء", "pme", "ar", 30, (1.0, 20, 0.20, 0.03), ACC_CPA, 0),
    ("شركة الإخوة رحماني للأشغال", "pme", "ar", 30, (0.9, 35, 0.25, 0.05), ACC_CPA, 0),
    ("مقاولة بوشارب للبناء والري", "pme", "ar", 30, (0.7, 15, 0.10, 0.02), ACC_BNA, 1),
    ("مؤسسة السعيدي للتجارة", "pme", "ar", 30, (0.6, 45, 0.30, 0.08), ACC_CPA, 0),
    ("شركة النور للترقية العقارية", "pme", "ar", 45, (0.8, 25, 0.15, 0.02), ACC_BNA, 4),
    ("EURL Mansouri Dallage", "pme", "fr", 30, (0.5, 12, 0.10, 0.00), ACC_CPA, 0),
    ("SARL Djemila Bâtiment", "pme", "fr", 30, (0.7, 30, 0.20, 0.04), ACC_BNA, 0),
    ("SARL Ouled Sabor Matériaux", "pme", "fr", 30, (0.6, 18, 0.10, 0.02), ACC_CPA, 8),
    ("EURL Kaci Électricité Bâtiment", "pme", "fr", 30, (0.4, 10, 0.05, 0.00), ACC_CPA, 0),
    ("SARL Amokrane Travaux", "pme", "fr", 30, (0.8, 55, 0.35, 0.10), ACC_BNA, 0),
    ("Entreprise Ferhat Rebiai", "pme", "fr", 30, (0.5, 20, 0.15, 0.02), ACC_CPA, 10),
    ("SARL Chellal BTP", "pme", "fr", 30, (0.7, 14, 0.10, 0.00), ACC_BNA, 12),
    # particuliers (cash at the counter mostly)
    ("Mohamed Lamine Saadi", "particulier", "fr", 0, (0.4, 0, 0.0, 0.0), ACC_BNA, 0),
    ("Rachid Bensalem", "particulier", "fr", 0, (0.3, 0, 0.0, 0.0), ACC_BNA, 0),
    ("Fatima Zohra Meziane", "particulier", "fr", 0, (0.2, 0, 0.0, 0.0), ACC_BNA, 2),
    ("Abdelkader Touati", "particulier", "fr", 0, (0.3, 0, 0.0, 0.0), ACC_BNA, 0),
    ("حسين بوعزة", "particulier", "ar", 0, (0.3, 0, 0.0, 0.0), ACC_BNA, 0),
    ("عبد الحميد قريشي", "particulier", "ar", 0, (0.25, 0, 0.0, 0.0), ACC_BNA, 1),
    ("نور الدين زروال", "particulier", "ar", 0, (0.2, 0, 0.0, 0.0), ACC_BNA, 3),
    ("Samir Hamlaoui", "particulier", "fr", 15, (0.3, 10, 0.3, 0.1), ACC_BNA, 0),
    ("Khaled Boukhalfa", "particulier", "fr", 0, (0.2, 0, 0.0, 0.0), ACC_BNA, 5),
    ("Yamina Derradji", "particulier", "fr", 0, (0.15, 0, 0.0, 0.0), ACC_BNA, 0),
    ("Salah Eddine Ghemri", "particulier", "fr", 15, (0.25, 20, 0.4, 0.1), ACC_BNA, 0),
    ("مراد بلعيد", "particulier", "ar", 0, (0.2, 0, 0.0, 0.0), ACC_BNA, 6),
]

COMMUNES = [
    "Sétif",
    "El Eulma",
    "Aïn Oulmène",
    "Bougaa",
    "Aïn Arnat",
    "Ain Azel",
    "Beni Ourtilane",
    "Salah Bey",
    "Guidjel",
    "Aïn Kébira",
]

# description, unit, unit price HT (low, high), quantity (low, high), VAT rate
PRODUCTS = [
    ("Ciment CPJ 42.5 GICA (sac 50 kg)", "sac", (820, 980), (40, 1200), 19),
    ("Ciment CRS Lafarge (sac 50 kg)", "sac", (1050, 1250), (20, 600), 19),
    ("Rond à béton HA 12 Tosyali", "tonne", (118000, 136000), (1, 25), 19),
    ("Rond à béton HA 8 Tosyali", "tonne", (121000, 139000), (1, 12), 19),
    ("Brique rouge 12 trous", "unité", (28, 36), (500, 12000), 19),
    ("Brique rouge 8 trous", "unité", (22, 29), (500, 10000), 19),
    ("Parpaing creux 20x20x40", "unité", (55, 70), (200, 5000), 19),
    ("Sable de carrière 0/4 (m3)", "m3", (1800, 2600), (5, 120), 9),
    ("Gravier 8/15 (m3)", "m3", (2200, 3000), (5, 90), 9),
    ("Plâtre fin (sac 25 kg)", "sac", (380, 460), (20, 400), 19),
    ("Carrelage grès cérame 60x60 (m2)", "m2", (1400, 2900), (20, 900), 19),
    ("Faïence murale 25x40 (m2)", "m2", (950, 1700), (20, 500), 19),
    ("Tube PVC pression Ø110 (6 m)", "unité", (2300, 3100), (10, 200), 19),
    ("Tube PEHD Ø63 (rouleau 50 m)", "rouleau", (14500, 19000), (1, 30), 19),
    ("Peinture vinylique blanche (fût 25 kg)", "fût", (4200, 6400), (5, 120), 19),
    ("Treillis soudé 150x150 (panneau)", "panneau", (3100, 3900), (10, 400), 19),
    ("Hourdis 16 cm", "unité", (85, 110), (200, 6000), 19),
    ("Livraison par camion plateau", "voyage", (6000, 15000), (1, 8), 19),
]

SUPPLIERS = [
    ("S01", "GICA – Société des Ciments de Aïn El Kebira", "achats_marchandises", "virement"),
    ("S02", "Lafarge Algérie – Ciment de M'Sila", "achats_marchandises", "effet"),
    ("S03", "Tosyali Iron & Steel Algérie", "achats_marchandises", "virement"),
    ("S04", "Briqueterie El Hidhab", "achats_marchandises", "cheque"),
    ("S05", "Céramique Hodna Carrelage", "achats_marchandises", "cheque"),
    ("S06", "Sonelgaz Distribution Est", "energie", "prelevement"),
    ("S07", "Algérie Télécom", "telecom", "prelevement"),
    ("S08", "Mobilis", "telecom", "prelevement"),
    ("S09", "Naftal", "carburant", "carte"),
    ("S10", "SAA – Société Nationale d'Assurance", "assurance", "cheque"),
    ("S11", "Cabinet Hamidi Expertise Comptable", "honoraires", "virement"),
    ("S12", "Transports Zerrouki Frères", "transport", "cheque"),
    ("S13", "Garage Bellil Poids Lourds", "maintenance", "cheque"),
    ("S14", "Bureau Plus Sétif", "fournitures", "especes"),
    ("S15", "Imprimerie Ennour Sétif", "publicite", "cheque"),
    ("S16", "M. Rahmani Abdelmadjid (bailleur dépôt)", "loyer", "cheque"),
    ("S17", "CNAS Agence de Sétif", "cotisations_sociales", "virement"),
    ("S18", "Recette des Impôts de Sétif", "impots_taxes", "virement"),
    ("S19", "BNA Agence Sétif 1er Novembre", "remboursement_emprunt", "prelevement"),
    ("S20", "Informatique Maghreb Sétif", "equipement", "virement"),
]

EMPLOYEES = [("Karim Benali", "CARD-01"), ("Nadia Haddad", "CARD-02"), ("Sofiane Merabet", "")]


def digits(rng: random.Random, n: int) -> str:
    return "".join(str(rng.randint(0, 9)) for _ in range(n))


def month_start(i: int) -> date:
    y, m = divmod(START.month - 1 + i, 12)
    return date(START.year + y, m + 1, 1)


def month_end(d: date) -> date:
    nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


class Books:
    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.clients: list[dict] = []
        self.invoices: list[dict] = []
        self.lines: list[dict] = []
        self.payments: list[dict] = []
        self.expenses: list[dict] = []
        self.bank: list[dict] = []
        self._pay_seq = 0
        self._exp_seq = 0
        self._chq = 4512000

    # --- helpers ---------------------------------------------------------------------------
    def bank_line(self, account: str, d: date, label: str, amount: Decimal, ref: str = "") -> None:
        self.bank.append(
            {"account": account, "date": d, "label": label, "amount": q2(amount), "reference": ref}
        )

    def add_payment(
        self,
        d: date,
        client: dict,
        numbers: list[str],
        amount: Decimal,
        method: str,
        status: str = "cleared",
    ) -> dict:
        self._pay_seq += 1
        pid = f"P-{self._pay_seq:05d}"
        ref = ""
        if method == "cheque":
            ref = f"CHQ {self.rng.randint(1000000, 9999999)}"
        elif method == "virement":
            ref = f"VIR{d:%y%m%d}{self.rng.randint(100, 999)}"
        elif method == "effet":
            ref = f"LC {self.rng.randint(10000, 99999)}"
        p = {
            "payment_id": pid,
            "date": d,
            "client_id": client["client_id"],
            "invoice_number": ";".join(numbers),
            "amount": q2(amount),
            "method": method,
            "reference": ref,
            "status": status,
        }
        self.payments.append(p)
        return p

    def add_expense(
        self,
        d: date,
        supplier: tuple | None,
        payee: str,
        category: str,
        amount: Decimal,
        method: str,
        *,
        employee: str = "",
        card: str = "",
        receipt: str = "yes",
        description: str = "",
        supplier_invoice: str = "",
        account: str = ACC_BNA,
        bank_label: str | None = None,
    ) -> dict:
        self._exp_seq += 1
        eid = f"E-{self._exp_seq:05d}"
        ref = ""
        bank_date = d
        if method == "cheque":
            self._chq += 1
            ref = f"{self._chq:07d}"
            bank_date = d + timedelta(days=self.rng.randint(2, 9))
            label = bank_label or f"CHQ {ref}"
        elif method == "carte":
            ref = f"CB{d:%m%d}{self.rng.randint(1000, 9999)}"
            bank_date = d + timedelta(days=self.rng.randint(1, 2))
            label = bank_label or f"PAIEMENT CB {payee.upper()[:28]} {card}"
        elif method == "prelevement":
            ref = f"PRLV{d:%Y%m}"
            label = bank_label or f"PRLV {payee.upper()[:30]}"
        elif method == "effet":
            ref = f"LCR{self.rng.randint(100000, 999999)}"
            bank_date = d
            label = bank_label or f"ECHEANCE EFFET {payee.upper()[:28]}"
        elif method == "virement":
            ref = f"VE{d:%y%m%d}{self.rng.randint(10, 99)}"
            label = bank_label or f"VIR EMIS {payee.upper()[:30]}"
        else:
            label = ""
        e = {
            "expense_id": eid,
            "date": d,
            "supplier_id": supplier[0] if supplier else "",
            "payee": payee,
            "category": category,
            "amount": q2(amount),
            "method": method,
            "reference": ref,
            "supplier_invoice": supplier_invoice,
            "employee": employee,
            "card_id": card,
            "receipt": receipt,
            "description": description,
        }
        self.expenses.append(e)
        if method != "especes" and bank_date <= END:
            self.bank_line(account, bank_date, label, -q2(amount), ref)
        return e

    # --- clients -------------------------------------------------------------------------
    def make_clients(self) -> None:
        rng = self.rng
        for i, (name, kind, lang, terms, prof, acc, first) in enumerate(CLIENTS, start=1):
            cid = f"CL{i:03d}"
            company = kind != "particulier"
            slug = "".join(ch for ch in name.lower() if ch.isascii() and ch.isalnum())[:14]
            email = (
                (f"contact@{slug}.dz" if slug else f"client{i:03d}@mail.dz")
                if (company or rng.random() < 0.4)
                else ""
            )
            wil = rng.choice(["19"])
            self.clients.append(
                {
                    "client_id": cid,
                    "name": name,
                    "kind": kind,
                    "email": email,
                    "phone": f"+213 {rng.choice(['36', '550', '661', '770'])} {digits(rng, 6)}",
                    "language": lang,
                    "payment_terms_days": terms,
                    "nif": digits(rng, 15) if company else "",
                    "nis": digits(rng, 15) if company else "",
                    "rc": (
                        f"{wil}/00-{digits(rng, 7)} B {rng.randint(98, 99) if rng.random() < 0.2 else rng.randint(10, 23):02d}"
                        if kind in ("pme", "grand_compte")
                        else ""
                    ),
                    "ai": digits(rng, 11) if kind in ("pme", "grand_compte") else "",
                    "address": f"{rng.randint(1, 140)} {rng.choice(['rue', 'cité', 'route', 'boulevard'])} "
                    f"{rng.choice(['du 8 Mai 1945', 'des Frères Bouchama', '1er Novembre', 'Ben Boulaïd', 'El Hidhab', '500 logements', 'de Bejaïa', 'Kaaboub'])}, "
                    f"{rng.choice(COMMUNES)}",
                    "_prof": prof,
                    "_acc": acc,
                    "_first": first,
                }
            )

    # --- invoices ------------------------------------------------------------------------
    def make_invoices(self) -> None:
        rng = self.rng
        drafts = []
        n_months = (END.year - START.year) * 12 + END.month - START.month + 1
        for c in self.clients:
            rate, _, _, _ = c["_prof"]
            kind = c["kind"]
            for mi in range(c["_first"], n_months):
                ms = month_start(mi)
                season = 0.6 if ms.month in (1, 2) else (0.75 if ms.month == 8 else 1.0)
                lam = rate * season
                k = 0
                # Poisson draw by inversion, deterministic
                L, p = math.exp(-lam), 1.0
                while True:
                    p *= rng.random()
                    if p <= L:
                        break
                    k += 1
                for _ in range(k):
                    d = ms + timedelta(days=rng.randint(0, month_end(ms).day - 1))
                    d = working(d)
                    if d > END or d < START:
                        continue
                    drafts.append((d, c))
        drafts.sort(key=lambda t: (t[0], t[1]["client_id"]))
        seq: dict[int, int] = {}
        for d, c in drafts:
            seq[d.year] = seq.get(d.year, 0) + 1
            number = f"F{d.year}-{seq[d.year]:04d}"
            kind = c["kind"]
            scale = {"grand_compte": 2.4, "administration": 1.6, "pme": 1.0, "particulier": 0.18}[
                kind
            ]
            n_lines = (
                rng.choice([1, 1, 2, 2, 3, 4]) if kind != "particulier" else rng.choice([1, 1, 2])
            )
            prods = rng.sample(PRODUCTS, n_lines)
            ht = Decimal("0")
            tva = Decimal("0")
            lines = []
            for desc, unit, (plo, phi), (qlo, qhi), rate in prods:
                qty = max(1, int(rng.randint(qlo, qhi) * scale * rng.uniform(0.3, 1.0)))
                if unit in ("tonne", "rouleau", "voyage", "m3"):
                    qty = max(1, min(qty, int(qhi * scale)))
                pu = Decimal(rng.randint(plo, phi))
                if unit == "tonne":
                    pu = Decimal(rng.randint(plo // 10, phi // 10) * 10)
                lht = q2(pu * qty)
                ltva = q2(lht * rate / Decimal(100))
                ht += lht
                tva += ltva
                lines.append(
                    {
                        "number": number,
                        "description": desc,
                        "quantity": qty,
                        "unit": unit,
                        "unit_price_ht": money(pu),
                        "tva_rate": rate,
                    }
                )
            ttc0 = ht + tva
            if kind == "particulier" and c["payment_terms_days"] == 0:
                method = "especes" if rng.random() < 0.85 else "cheque"
            elif kind == "particulier":
                method = rng.choice(["cheque", "virement"])
            elif kind == "administration":
                method = "virement"
            elif kind == "grand_compte":
                method = "virement" if rng.random() < 0.8 else "effet"
            else:
                method = (
                    rng.choice(["cheque", "cheque", "virement", "virement", "effet", "especes"])
                    if ttc0 < 400000
                    else rng.choice(["cheque", "virement", "effet"])
                )
            tb = timbre(ttc0) if method == "especes" else Decimal("0")
            terms = c["payment_terms_days"]
            due = d + timedelta(days=terms)
            inv = {
                "number": number,
                "client_id": c["client_id"],
                "issue_date": d,
                "due_date": due,
                "payment_method": method,
                "total_ht": q2(ht),
                "total_tva": q2(tva),
                "timbre": tb,
                "total_ttc": q2(ttc0 + tb),
                "status": "issued",
                "credited_invoice": "",
                "_c": c,
                "_lines": lines,
            }
            self.invoices.append(inv)
            self.lines.extend(lines)

    # --- credit notes, cancellations, payments --------------------------------------------
    def settle(self) -> None:
        rng = self.rng
        credit_seq: dict[int, int] = {}
        credits = []
        batch_queue: dict[str, list[tuple[date, dict]]] = {}
        for inv in list(self.invoices):
            c = inv["_c"]
            _, delay, p_partial, p_never = c["_prof"]
            ttc = inv["total_ttc"]
            if inv["payment_method"] == "especes":
                # paid at the counter, same day (a few settle a week later)
                pd = inv["issue_date"] + timedelta(
                    days=0 if rng.random() < 0.8 else rng.randint(1, 9)
                )
                if pd <= END:
                    self.add_payment(pd, c, [inv["number"]], ttc, "especes")
                continue
            r = rng.random()
            if r < 0.015:
                inv["status"] = "cancelled"
                continue
            credit = Decimal("0")
            if r < 0.05 and c["kind"] != "particulier":
                # an avoir: goods returned or a price correction on the first line
                line = inv["_lines"][0]
                frac = Decimal(rng.choice([10, 15, 20, 25, 30, 50])) / 100
                lht = q2(Decimal(line["unit_price_ht"]) * line["quantity"])
                cht = q2(lht * frac)
                ctva = q2(cht * line["tva_rate"] / Decimal(100))
                credit = cht + ctva
                cd = working(inv["issue_date"] + timedelta(days=rng.randint(6, 25)))
                credits.append((cd, inv, cht, ctva))
            if not credit and rng.random() < p_never:
                continue  # never paid (or not yet)
            pay_day = inv["due_date"] + timedelta(days=int(rng.gauss(delay, max(5, delay * 0.5))))
            pay_day = max(pay_day, inv["issue_date"] + timedelta(days=2))
            if credit:
                cd = credits[-1][0]
                pay_day = working(max(pay_day, cd + timedelta(days=rng.randint(3, 20))))
                if cd <= AS_OF < pay_day:
                    # an avoir and its settlement stay on the same side of the day of the split
                    cd = working(AS_OF + timedelta(days=2))
                    credits[-1] = (cd, inv, credits[-1][2], credits[-1][3])
                    pay_day = max(pay_day, working(cd + timedelta(days=3)))
            pay_day = working(pay_day)
            inv["_credit"] = credit
            remain = ttc - credit
            meth = (
                "cheque"
                if inv["payment_method"] == "cheque"
                else ("effet" if inv["payment_method"] == "effet" else "virement")
            )
            if c["kind"] == "administration":
                batch_queue.setdefault(c["client_id"], []).append((pay_day, inv))
                continue
            if not credit and rng.random() < p_partial:
                first = q2(remain * Decimal(rng.choice([30, 40, 50, 60])) / 100)
                d1 = working(pay_day - timedelta(days=rng.randint(0, 20)))
                d2 = working(d1 + timedelta(days=rng.randint(20, 75)))
                if d1 <= END:
                    self.add_payment(d1, c, [inv["number"]], first, meth)
                if d2 <= END and rng.random() < 0.8:
                    self.add_payment(d2, c, [inv["number"]], remain - first, meth)
                continue
            if pay_day <= END:
                self.add_payment(pay_day, c, [inv["number"]], remain, meth)
        # administrations pay in batches: one transfer for every invoice ready by that day
        for cid, queue in batch_queue.items():
            c = next(x for x in self.clients if x["client_id"] == cid)
            queue.sort(key=lambda t: (t[0], t[1]["number"]))
            pending: list[dict] = []
            i = 0
            day = START + timedelta(days=rng.randint(50, 90))
            while day <= END:
                while i < len(queue) and queue[i][0] <= day:
                    pending.append(queue[i][1])
                    i += 1
                if pending:
                    plain = [v for v in pending if not v["_credit"]]
                    for v in pending:
                        if v["_credit"]:  # a credited invoice is paid on its own
                            self.add_payment(
                                working(day),
                                c,
                                [v["number"]],
                                v["total_ttc"] - v["_credit"],
                                "virement",
                            )
                    if plain:
                        total = sum((v["total_ttc"] for v in plain), Decimal("0"))
                        self.add_payment(
                            working(day), c, [v["number"] for v in plain], total, "virement"
                        )
                    pending = []
                # a batch every one to three months, and always one in mid-December
                nxt = day + timedelta(days=rng.randint(35, 95))
                dec = date(day.year, 12, 16)
                if day < dec < nxt:
                    nxt = dec
                day = nxt
        for cd, inv, cht, ctva in sorted(credits, key=lambda t: (t[0], t[1]["number"])):
            if cd > END:
                continue
            credit_seq[cd.year] = credit_seq.get(cd.year, 0) + 1
            self.invoices.append(
                {
                    "number": f"AV{cd.year}-{credit_seq[cd.year]:03d}",
                    "client_id": inv["client_id"],
                    "issue_date": cd,
                    "due_date": cd,
                    "payment_method": inv["payment_method"],
                    "total_ht": -cht,
                    "total_tva": -ctva,
                    "timbre": Decimal("0"),
                    "total_ttc": -(cht + ctva),
                    "status": "issued",
                    "credited_invoice": inv["number"],
                    "_c": inv["_c"],
                    "_lines": [],
                }
            )

    def reject_some_cheques(self) -> None:
        """A few cheques come back unpaid; the client pays again by transfer later (or not)."""
        rng = self.rng
        cheques = [
            p
            for p in self.payments
            if p["method"] == "cheque"
            and ";" not in p["invoice_number"]
            and p["date"] < END - timedelta(days=30)
        ]
        chosen = rng.sample(cheques, 5)
        for n, p in enumerate(sorted(chosen, key=lambda x: x["payment_id"])):
            p["status"] = "rejected"
            p["_rejected_on"] = working(p["date"] + timedelta(days=rng.randint(4, 9)))
            if n < 3:
                redo = working(p["_rejected_on"] + timedelta(days=rng.randint(10, 40)))
                if redo <= END:
                    c = next(x for x in self.clients if x["client_id"] == p["client_id"])
                    self.add_payment(
                        redo, c, p["invoice_number"].split(";"), p["amount"], "virement"
                    )

    # --- expenses ------------------------------------------------------------------------
    def make_expenses(self) -> None:
        rng = self.rng
        sup = {s[0]: s for s in SUPPLIERS}
        n_months = (END.year - START.year) * 12 + END.month - START.month + 1
        # purchases follow the month's sales (about 80 % of HT), paid 30 to 50 days later
        sales_by_month: dict[tuple[int, int], Decimal] = {}
        for inv in self.invoices:
            if inv["total_ttc"] > 0:
                k = (inv["issue_date"].year, inv["issue_date"].month)
                sales_by_month[k] = sales_by_month.get(k, Decimal("0")) + inv["total_ht"]
        sinv = 7000
        for mi in range(n_months):
            ms = month_start(mi)
            me = month_end(ms)
            base = sales_by_month.get((ms.year, ms.month), Decimal("8000000"))
            budget = base * Decimal("0.80")
            if mi < 4:  # the stock of the opening was bought before the books start
                budget *= Decimal("0.45")
            split = {"S01": 0.30, "S02": 0.12, "S03": 0.33, "S04": 0.13, "S05": 0.12}
            for sid, share in split.items():
                s = sup[sid]
                n = rng.randint(1, 3)
                for _ in range(n):
                    amount = q2(
                        budget * Decimal(str(share)) / n * Decimal(str(rng.uniform(0.8, 1.2)))
                    )
                    d = working(ms + timedelta(days=rng.randint(30, 50)))
                    if d > END:
                        continue
                    sinv += 1
                    self.add_expense(
                        d,
                        s,
                        s[1],
                        s[2],
                        amount,
                        s[3],
                        supplier_invoice=f"FA-{sinv}",
                        description="Achat marchandises pour revente",
                    )
            # salaries (25th), CNAS (20th), G50 (20th), loan (10th), utilities, telecom
            sal = Decimal(2380000 + (120000 if ms >= date(2026, 1, 1) else 0))
            if ms.month in (3, 5) and ms.year == 2026:
                sal += 350000  # Aïd advance
            d25 = working(date(ms.year, ms.month, 25))
            if d25 <= END:
                self.add_expense(
                    d25,
                    None,
                    "Personnel – salaires",
                    "salaires",
                    sal,
                    "virement",
                    description=f"Salaires {ms:%m/%Y}",
                    bank_label=f"VIR SALAIRES {ms:%m/%Y}",
                )
            d20 = working(date(ms.year, ms.month, 20))
            if d20 <= END:
                self.add_expense(
                    d20,
                    sup["S17"],
                    sup["S17"][1],
                    "cotisations_sociales",
                    q2(sal * Decimal("0.26")),
                    "virement",
                    description=f"Cotisations CNAS {ms:%m/%Y}",
                )
                g50 = q2(Decimal(rng.randint(280000, 620000)))
                self.add_expense(
                    d20,
                    sup["S18"],
                    sup["S18"][1],
                    "impots_taxes",
                    g50,
                    "virement",
                    description=f"Déclaration G50 {ms:%m/%Y}",
                    bank_label="VIR EMIS RECETTE DES IMPOTS G50",
                )
            d10 = date(ms.year, ms.month, 10)
            if d10 <= END:
                self.add_expense(
                    d10,
                    sup["S19"],
                    sup["S19"][1],
                    "remboursement_emprunt",
                    Decimal("185000"),
                    "prelevement",
                    description="Échéance crédit véhicules",
                    bank_label="PRLV ECHEANCE PRET 0045871",
                )
                elec = q2(Decimal(rng.randint(38000, 96000)))
                self.add_expense(
                    working(date(ms.year, ms.month, 14)),
                    sup["S06"],
                    "Sonelgaz",
                    "energie",
                    elec,
                    "prelevement",
                    description="Électricité dépôt",
                    bank_label="PRLV SONELGAZ",
                )
                self.add_expense(
                    working(date(ms.year, ms.month, 6)),
                    sup["S07"],
                    "Algérie Télécom",
                    "telecom",
                    q2(Decimal(rng.randint(6500, 9800))),
                    "prelevement",
                    description="Internet et fixe",
                    bank_label="PRLV ALGERIE TELECOM",
                )
                self.add_expense(
                    working(date(ms.year, ms.month, 8)),
                    sup["S08"],
                    "Mobilis",
                    "telecom",
                    q2(Decimal(rng.randint(12000, 16500))),
                    "prelevement",
                    description="Flotte mobile",
                    bank_label="PRLV MOBILIS FLOTTE",
                )
            me_d = working(me) if working(me) <= END else None
            if me_d:
                fee = Decimal(1800) + Decimal(rng.randint(0, 40) * 50)
                self.add_expense(
                    me_d,
                    None,
                    "BNA – frais de tenue de compte",
                    "frais_bancaires",
                    fee,
                    "prelevement",
                    description="Frais bancaires",
                    bank_label="FRAIS TENUE COMPTE ET COMMISSIONS",
                )
                if rng.random() < 0.6:
                    self.add_expense(
                        me_d,
                        None,
                        "CPA – frais de tenue de compte",
                        "frais_bancaires",
                        Decimal(950),
                        "prelevement",
                        account=ACC_CPA,
                        description="Frais bancaires CPA",
                        bank_label="COMMISSIONS TENUE DE COMPTE",
                    )
            # rent every three months (Jun, Sep, Dec, Mar)
            if ms.month in (3, 6, 9, 12):
                self.add_expense(
                    working(ms + timedelta(days=2)),
                    sup["S16"],
                    sup["S16"][1],
                    "loyer",
                    Decimal("450000"),
                    "cheque",
                    description="Loyer trimestriel du dépôt",
                )
            # insurance twice a year, accountant quarterly
            if ms.month in (1, 7):
                self.add_expense(
                    working(ms + timedelta(days=9)),
                    sup["S10"],
                    sup["S10"][1],
                    "assurance",
                    q2(Decimal(rng.randint(210000, 260000))),
                    "cheque",
                    description="Assurance flotte et dépôt",
                )
            if ms.month in (1, 4, 7, 10):
                self.add_expense(
                    working(ms + timedelta(days=12)),
                    sup["S11"],
                    sup["S11"][1],
                    "honoraires",
                    Decimal("120000"),
                    "virement",
                    description="Honoraires tenue comptable trimestre",
                )
            # transport and maintenance of the trucks
            for _ in range(rng.randint(1, 3)):
                d = working(ms + timedelta(days=rng.randint(0, me.day - 1)))
                if d <= END:
                    self.add_expense(
                        d,
                        sup["S12"],
                        sup["S12"][1],
                        "transport",
                        q2(Decimal(rng.randint(25000, 140000))),
                        "cheque",
                        description="Transport ciment depuis l'usine",
                    )
            if rng.random() < 0.7:
                d = working(ms + timedelta(days=rng.randint(0, me.day - 1)))
                if d <= END:
                    self.add_expense(
                        d,
                        sup["S13"],
                        sup["S13"][1],
                        "maintenance",
                        q2(Decimal(rng.randint(18000, 210000))),
                        "cheque",
                        description="Entretien camion",
                    )
            if rng.random() < 0.35:
                d = working(ms + timedelta(days=rng.randint(0, me.day - 1)))
                if d <= END:
                    self.add_expense(
                        d,
                        sup["S15"],
                        sup["S15"][1],
                        "publicite",
                        q2(Decimal(rng.randint(15000, 90000))),
                        "cheque",
                        description="Dépliants et panneau",
                    )
            # office supplies in cash
            for _ in range(rng.randint(1, 2)):
                d = working(ms + timedelta(days=rng.randint(0, me.day - 1)))
                if d <= END:
                    amt = q2(Decimal(rng.randint(1200, 14000)))
                    self.add_expense(
                        d,
                        sup["S14"],
                        sup["S14"][1],
                        "fournitures",
                        amt,
                        "especes",
                        employee="Sofiane Merabet",
                        receipt="yes" if rng.random() < 0.8 else "no",
                        description="Fournitures de bureau",
                    )
            # the sales staff: fuel with the cards, restaurants, trips; some cash
            for emp, card in EMPLOYEES[:2]:
                for _ in range(rng.randint(3, 6)):
                    d = working(ms + timedelta(days=rng.randint(0, me.day - 1)))
                    if d > END:
                        continue
                    r = rng.random()
                    if r < 0.55:
                        self.add_expense(
                            d,
                            sup["S09"],
                            "Naftal",
                            "carburant",
                            q2(Decimal(rng.randint(3000, 14000))),
                            "carte",
                            employee=emp,
                            card=card,
                            receipt="yes" if rng.random() < 0.9 else "no",
                            description="Carburant véhicule commercial",
                        )
                    elif r < 0.8:
                        payee = rng.choice(
                            [
                                "Restaurant El Djenina",
                                "Pizzeria Le Palmier",
                                "Restaurant Ain Fouara",
                                "Grill Sétifien",
                            ]
                        )
                        self.add_expense(
                            d,
                            None,
                            payee,
                            "restaurant",
                            q2(Decimal(rng.randint(2500, 16500))),
                            "carte",
                            employee=emp,
                            card=card,
                            receipt="yes" if rng.random() < 0.75 else "no",
                            description="Repas client",
                        )
                    else:
                        payee = rng.choice(
                            [
                                "Hôtel El Rabie Sétif",
                                "Hôtel Panorama Béjaïa",
                                "Air Algérie",
                                "Taxi collectif",
                            ]
                        )
                        meth = "especes" if payee == "Taxi collectif" else "carte"
                        self.add_expense(
                            d,
                            None,
                            payee,
                            "deplacements",
                            q2(Decimal(rng.randint(1500, 38000))),
                            meth,
                            employee=emp,
                            card=card if meth == "carte" else "",
                            receipt="yes" if rng.random() < 0.8 else "no",
                            description="Déplacement prospection",
                        )
            # the driver buys fuel in cash
            for _ in range(rng.randint(2, 4)):
                d = working(ms + timedelta(days=rng.randint(0, me.day - 1)))
                if d <= END:
                    self.add_expense(
                        d,
                        sup["S09"],
                        "Naftal",
                        "carburant",
                        q2(Decimal(rng.randint(4000, 18000))),
                        "especes",
                        employee="Sofiane Merabet",
                        receipt="yes" if rng.random() < 0.7 else "no",
                        description="Gasoil camion livraison",
                    )
        # two pieces of equipment
        self.add_expense(
            date(2025, 11, 4),
            sup["S20"],
            sup["S20"][1],
            "equipement",
            Decimal("684000"),
            "virement",
            supplier_invoice="IMS-2025-221",
            description="Serveur et postes de travail",
        )
        self.add_expense(
            date(2026, 4, 15),
            sup["S20"],
            sup["S20"][1],
            "equipement",
            Decimal("238500"),
            "virement",
            supplier_invoice="IMS-2026-088",
            description="Terminal de paiement et imprimantes",
        )

    # --- the bank statement ------------------------------------------------------------
    def make_bank(self) -> None:
        rng = self.rng
        by_client = {c["client_id"]: c for c in self.clients}
        cash_week: dict[date, Decimal] = {}
        for p in self.payments:
            c = by_client[p["client_id"]]
            if p["method"] == "especes":
                wk = p["date"] + timedelta(days=(3 - p["date"].weekday()) % 7)  # the Thursday
                cash_week[wk] = cash_week.get(wk, Decimal("0")) + p["amount"]
                continue
            acc = c["_acc"]
            if p["method"] == "cheque":
                bd = working(p["date"] + timedelta(days=rng.randint(1, 4)))
                label = f"REMISE CHQ {p['reference'][4:]} {c['name'].upper()[:26]}"
            elif p["method"] == "effet":
                bd = p["date"]
                label = f"ENCAISSEMENT EFFET {p['reference']}"
            else:
                bd = p["date"]
                label = (
                    f"VIR RECU {c['name'].upper()[:30]} FACT {p['invoice_number'].split(';')[0]}"
                )
            if bd <= END:
                self.bank_line(acc, bd, label, p["amount"], p["reference"])
            if p["status"] == "rejected" and p["_rejected_on"] <= END:
                self.bank_line(
                    acc,
                    max(p["_rejected_on"], bd + timedelta(days=1)),
                    f"CHQ IMPAYE {p['reference'][4:]} RETOUR",
                    -p["amount"],
                    p["reference"],
                )
        for wk, amt in sorted(cash_week.items()):
            keep = q2(amt * Decimal("0.1"))
            if wk <= END:
                self.bank_line(ACC_BNA, wk, "VERSEMENT ESPECES AGENCE", amt - keep)
        # a petty-cash withdrawal each month, and internal transfers from the CPA account
        d = START
        while d <= END:
            self.bank_line(
                ACC_BNA,
                working(d + timedelta(days=3)),
                "RETRAIT ESPECES CAISSE",
                -Decimal(rng.choice([60000, 80000, 100000])),
            )
            y, m = d.year + (d.month == 12), d.month % 12 + 1
            d = date(y, m, 1)
        for td, amt in (
            (date(2025, 12, 7), 9000000),
            (date(2026, 3, 10), 7500000),
            (date(2026, 6, 21), 11000000),
        ):
            ref = f"VI{td:%y%m%d}"
            self.bank_line(ACC_CPA, td, "VIREMENT INTERNE VERS BNA 512001", -Decimal(amt), ref)
            self.bank_line(ACC_BNA, td, "VIREMENT INTERNE DE CPA 512002", Decimal(amt), ref)

    # --- writing -----------------------------------------------------------------------
    def write(self, out: Path) -> None:
        out.mkdir(parents=True, exist_ok=True)
        rng = self.rng
        company = {
            "name": "Hidhab Matériaux",
            "legal_form": "SARL",
            "capital": 15000000,
            "address": "Zone d'activités, lot 37, route de Béjaïa, 19000 Sétif",
            "rc": "19/00-0087412 B 11",
            "nif": "001119008741296",
            "nis": "001119010052374",
            "ai": "19015237410",
            "rib": "00100231030001234512",
            "email": "gerance@hidhab-materiaux.dz",
            "phone": "+213 36 84 21 57",
            "language": "fr",
            "opening_balance": 45000000.00,
            "opening_date": START.isoformat(),
        }
        (out / "company.json").write_text(
            json.dumps(company, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        policy = {
            "treasury": {"safety_threshold": 3000000, "horizon_days": 30},
            "dunning": {"levels_days": [3, 10, 30], "group_by_client": True},
            "expenses": {
                "receipt_required_above": 5000,
                "max_per_transaction": {"restaurant": 15000, "carburant": 20000},
                "max_per_month": {"deplacements": 150000},
                "card_allowed_categories": {
                    "CARD-01": ["carburant", "deplacements", "restaurant"],
                    "CARD-02": ["carburant", "deplacements", "restaurant"],
                },
            },
        }
        (out / "policy.json").write_text(
            json.dumps(policy, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )

        def dump(name: str, cols: list[str], rows: list[dict]) -> None:
            with (out / name).open("w", encoding="utf-8", newline="") as fh:
                w = csv.writer(fh)
                w.writerow(cols)
                for r in rows:
                    row = []
                    for col in cols:
                        v = r.get(col, "")
                        if isinstance(v, Decimal):
                            v = money(v)
                        elif isinstance(v, date):
                            v = v.isoformat()
                        row.append(v)
                    w.writerow(row)

        dump(
            "clients.csv",
            [
                "client_id",
                "name",
                "kind",
                "email",
                "phone",
                "language",
                "payment_terms_days",
                "nif",
                "nis",
                "rc",
                "ai",
                "address",
            ],
            self.clients,
        )
        sups = [
            {
                "supplier_id": s[0],
                "name": s[1],
                "category": s[2],
                "email": f"contact{s[0].lower()}@fournisseur.dz",
                "nif": "".join(str(rng.randint(0, 9)) for _ in range(15)),
            }
            for s in SUPPLIERS
        ]
        dump("suppliers.csv", ["supplier_id", "name", "category", "email", "nif"], sups)
        invs = sorted(self.invoices, key=lambda v: (v["issue_date"], v["number"]))
        dump(
            "invoices.csv",
            [
                "number",
                "client_id",
                "issue_date",
                "due_date",
                "payment_method",
                "total_ht",
                "total_tva",
                "timbre",
                "total_ttc",
                "status",
                "credited_invoice",
            ],
            invs,
        )
        dump(
            "invoice_lines.csv",
            ["number", "description", "quantity", "unit", "unit_price_ht", "tva_rate"],
            self.lines,
        )
        pays = sorted(self.payments, key=lambda p: (p["date"], p["payment_id"]))
        dump(
            "payments.csv",
            [
                "payment_id",
                "date",
                "client_id",
                "invoice_number",
                "amount",
                "method",
                "reference",
                "status",
            ],
            pays,
        )
        exps = sorted(self.expenses, key=lambda e: (e["date"], e["expense_id"]))
        dump(
            "expenses.csv",
            [
                "expense_id",
                "date",
                "supplier_id",
                "payee",
                "category",
                "amount",
                "method",
                "reference",
                "supplier_invoice",
                "employee",
                "card_id",
                "receipt",
                "description",
            ],
            exps,
        )
        bank = sorted(self.bank, key=lambda b: (b["date"], b["account"], b["label"], b["amount"]))
        for i, b in enumerate(bank, start=1):
            b["line_id"] = f"BL-{i:05d}"
        dump("bank_lines.csv", ["line_id", "account", "date", "label", "amount", "reference"], bank)
        commitments = [
            {
                "commitment_id": "K-SAL",
                "label": "Salaires du personnel",
                "category": "salaires",
                "amount": "2500000.00",
                "day_of_month": 25,
                "every_months": 1,
                "start": "2026-01-01",
                "end": "",
            },
            {
                "commitment_id": "K-CNAS",
                "label": "Cotisations CNAS",
                "category": "cotisations_sociales",
                "amount": "650000.00",
                "day_of_month": 20,
                "every_months": 1,
                "start": "2026-01-01",
                "end": "",
            },
            {
                "commitment_id": "K-G50",
                "label": "Déclaration G50",
                "category": "impots_taxes",
                "amount": "450000.00",
                "day_of_month": 20,
                "every_months": 1,
                "start": "2025-06-01",
                "end": "",
            },
            {
                "commitment_id": "K-PRET",
                "label": "Échéance prêt véhicules BNA",
                "category": "remboursement_emprunt",
                "amount": "185000.00",
                "day_of_month": 10,
                "every_months": 1,
                "start": "2025-06-01",
                "end": "2027-05-31",
            },
            {
                "commitment_id": "K-LOYER",
                "label": "Loyer du dépôt",
                "category": "loyer",
                "amount": "450000.00",
                "day_of_month": 3,
                "every_months": 3,
                "start": "2025-06-01",
                "end": "",
            },
        ]
        dump(
            "commitments.csv",
            [
                "commitment_id",
                "label",
                "category",
                "amount",
                "day_of_month",
                "every_months",
                "start",
                "end",
            ],
            commitments,
        )

    def build(self) -> Books:
        self.make_clients()
        self.make_invoices()
        self.settle()
        self.reject_some_cheques()
        self.make_expenses()
        self.make_bank()
        return self


def main(argv: list[str]) -> int:
    out = Path(argv[1] if len(argv) > 1 else "evals/heldout/bundle12")
    Books().build().write(out)
    print(f"bundle written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
