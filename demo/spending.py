"""Money going out: suppliers, payroll, taxes, the company card, and their bank lines.

Regular outflows follow the commitments (salaries on the 25th, CNAS, G50 before the 20th,
quarterly rent, a loan instalment); the rest is drawn around each supplier's usual amount,
so that the seeded anomalies (:mod:`khazna.demo.anomalies`) stand out from a clean history.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from khazna.demo import ids
from khazna.demo.book import Book
from khazna.demo.catalog import CARD_MERCHANTS, EMPLOYEES, SUPPLIERS
from khazna.money import q2

CARD_HOLDER = "S. Meziane"
LOAN_LABEL = "ECHEANCE PRET CMT 2024/118"
LOAN_AMOUNT = Decimal("185000.00")
RENT_QUARTER = {2025: Decimal("1140000.00"), 2026: Decimal("1200000.00")}
INSURANCE = Decimal("486000.00")


def make_suppliers(book: Book) -> None:
    for sid, name, cat, label in SUPPLIERS:
        public = sid in ("S05", "S06")
        book.suppliers.append({
            "supplier_id": sid, "name": name, "category": cat,
            "email": "" if public else f"facturation@{label.lower().replace(' ', '-')}.example.dz",
            "nif": "" if public else ids.nif(book.rng), "_label": label,
        })  # fmt: skip


class Payer:
    """Writes an expense and the bank debit that pays it, together or not at all."""

    def __init__(self, book: Book) -> None:
        self.book = book
        self.sup = {s["supplier_id"]: s for s in book.suppliers}
        self.invoice_seq: dict[str, int] = defaultdict(int)

    def supplier_invoice(self, sid: str, d: date) -> str:
        self.invoice_seq[sid] += 1
        return f"{sid.replace('S', 'FA')}-{d.year}-{self.invoice_seq[sid] * 7 + 100:04d}"

    def supplier(self, d: date, sid: str, amount, desc: str, *, label: str | None = None,
                 sup_inv: str | None = "auto", commitment: str = "", receipt: str = "yes",
                 category: str | None = None) -> dict | None:  # fmt: skip
        book, s = self.book, self.sup[sid]
        d = book.working_on_or_after(d)
        if d > book.as_of:
            return None
        amount = q2(amount)
        if sup_inv == "auto":
            sup_inv = self.supplier_invoice(sid, d)
        ref = f"VE{d:%y%m%d}{book.rng.randint(100, 999)}"
        cat = category or s["category"]
        exp = book.expense_add(date=d, supplier_id=sid, payee=s["name"], category=cat,
                               amount=amount, reference=ref, supplier_invoice=sup_inv or "",
                               receipt=receipt, description=desc)  # fmt: skip
        text = label or f"VIR EMIS {s['_label']}" + (
            f" FACT {sup_inv}" if sup_inv and book.rng.random() < 0.6 else ""
        )
        extra = {"commitment_id": commitment} if commitment else {}
        book.bank_add(d, text, -amount, cat, ref, expense=exp, **extra)
        return exp

    def card(self, d: date, merchant: str, category: str, amount, payee: str, *,
             employee: str = CARD_HOLDER, receipt: str | None = None) -> dict | None:  # fmt: skip
        book = self.book
        debit = book.cal.add_working_days(d, 1)
        if debit > book.as_of or d < book.start:
            return None
        amount = q2(amount)
        if receipt is None:
            receipt = "yes" if amount > 5000 else book.rng.choice(["yes", "no"])
        exp = book.expense_add(date=d, payee=payee, category=category, amount=amount,
                               method="carte", card_id="CARD-01", employee=employee,
                               receipt=receipt, reference=f"CB{d:%y%m%d}{book.rng.randint(10, 99)}",
                               description=f"Carte société : {payee}")  # fmt: skip
        assert exp is not None, "start <= d <= debit <= as_of: expense_add keeps the row"
        book.bank_add(debit, f"PAIEMENT CB {merchant} {d:%d/%m}", -amount, category,
                      exp["reference"], expense=exp)  # fmt: skip
        return exp

    def employee(
        self, d: date, who: str, amount, desc: str, category: str = "deplacements"
    ) -> dict | None:
        book = self.book
        d = book.working_on_or_after(d)
        if d > book.as_of:
            return None
        amount = q2(amount)
        ref = f"NDF{d:%y%m%d}{book.rng.randint(10, 99)}"
        exp = book.expense_add(date=d, payee=who, category=category, amount=amount, employee=who,
                               reference=ref, receipt="yes", description=desc)  # fmt: skip
        label = "VIR EMIS " + who.replace(".", "").upper() + " NDF"
        book.bank_add(d, label, -amount, category, ref, expense=exp)
        return exp


def _rand(book: Book, lo: int, hi: int, step: int = 100) -> Decimal:
    return Decimal(book.rng.randrange(lo // step, hi // step + 1) * step)


def make_spending(book: Book) -> None:
    rng, pay = book.rng, Payer(book)
    months = book.months()
    salaries: dict[date, Decimal] = {}
    for i, m in enumerate(months):
        heads = 28 + round(8 * i / max(1, len(months) - 1))
        mass = q2(Decimal(heads) * Decimal(rng.randint(90_500, 93_500)) * (1 + Decimal(i) / 400))
        salaries[m] = mass
        prev = months[i - 1] if i else m
        period = f"{prev:%m/%Y}"
        # payroll on the 25th (the working day before when the 25th is off)
        d = book.working_on_or_before(m.replace(day=25))
        if d <= book.as_of:
            exp = book.expense_add(date=d, payee="Personnel (virement groupé)", category="salaires",
                                   amount=mass, reference=f"PAIE{m:%Y%m}", receipt="yes",
                                   description=f"Salaires nets {m:%m/%Y} ({heads} salariés)")  # fmt: skip
            book.bank_add(d, f"VIR SALAIRES {m:%m/%Y}", -mass, "salaires", f"PAIE{m:%Y%m}",
                          expense=exp, commitment_id="CM-SAL")  # fmt: skip
        # CNAS for last month's payroll, G50 for last month's VAT and IRG
        cnas = q2(salaries[prev] * Decimal("0.38"))
        pay.supplier(book.working_on_or_before(m.replace(day=28)), "S05", cnas,
                     f"Cotisations sociales {period}", label=f"VIR CNAS COTIS {period}",
                     sup_inv=f"CNAS-{prev:%Y%m}", commitment="CM-CNAS")  # fmt: skip
        vat = sum((inv["total_tva"] for inv in book.invoices if inv["status"] == "issued"
                   and (inv["issue_date"].year, inv["issue_date"].month) == (prev.year, prev.month)),
                  Decimal(0))  # fmt: skip
        g50 = q2(vat * Decimal("0.88") + salaries[prev] * Decimal("0.11"))
        pay.supplier(book.working_on_or_before(m.replace(day=19)), "S06", g50,
                     f"Déclaration G50 {period} (TVA, IRG salaires)",
                     label=f"G50 DGI {period} RECETTE IMPOTS", sup_inv=f"G50-{prev:%Y%m}",
                     commitment="CM-G50")  # fmt: skip
        # loan, rent, utilities, subscriptions
        book.bank_add(book.working_on_or_after(m.replace(day=10)), LOAN_LABEL, -LOAN_AMOUNT,
                      "remboursement_emprunt", f"PRET{m:%Y%m}", commitment_id="CM-PRET")  # fmt: skip
        if m.month in (1, 4, 7, 10):
            q = (m.month - 1) // 3 + 1
            pay.supplier(m.replace(day=5), "S01", RENT_QUARTER.get(m.year, RENT_QUARTER[2026]),
                         f"Loyer des bureaux, trimestre {q} {m.year}",
                         label=f"VIR EMIS SCI DAR EL BARAKA LOYER T{q} {m.year}",
                         sup_inv=f"QL-{m.year}-T{q}", commitment="CM-LOYER")  # fmt: skip
        season = (
            Decimal("1.5")
            if m.month in (6, 7, 8, 9)
            else Decimal("1.15")
            if m.month in (12, 1, 2)
            else 1
        )
        pay.supplier(m.replace(day=12), "S02", _rand(book, 38_000, 46_000, 10) * season,
                     f"Électricité et gaz {period}", label="PRLV SONELGAZ", commitment="CM-SONELGAZ")  # fmt: skip
        pay.supplier(m.replace(day=8), "S03", Decimal("18900"), f"Fibre optique pro {m:%m/%Y}",
                     label="PRLV ALGERIE TELECOM", commitment="CM-AT")  # fmt: skip
        pay.supplier(m.replace(day=15), "S04", _rand(book, 41_000, 46_000, 10),
                     f"Flotte mobile {period}", label="PRLV MOBILIS", commitment="CM-MOB")  # fmt: skip
        pay.supplier(m.replace(day=3), "S13", Decimal("35700"),
                     f"Hébergement serveurs {m:%m/%Y}", commitment="CM-ICOS")  # fmt: skip
        if m.month in (3, 6, 9, 12):
            pay.supplier(m.replace(day=14), "S10", Decimal("130000" if m.year >= 2026 else "120000"),
                         "Honoraires expertise comptable (trimestre)", commitment="CM-HONO")  # fmt: skip
        if m.month == 3:  # the planned annual insurance premium (multirisque + flotte)
            pay.supplier(m.replace(day=10), "S11", INSURANCE, "Prime annuelle multirisque bureaux et flotte",
                         commitment="CM-ASSUR")  # fmt: skip
        _variable(book, pay, m)
        _card_and_cash(book, pay, m)
    book.facts["salaries"] = {f"{m:%Y-%m}": str(v) for m, v in salaries.items()}


def _day(book: Book, m: date, lo: int = 1, hi: int = 28) -> date:
    return m.replace(day=book.rng.randint(lo, hi))


def _variable(book: Book, pay: Payer, m: date) -> None:
    rng = book.rng
    pay.supplier(
        _day(book, m), "S09", _rand(book, 9_000, 38_000), "Fournitures de bureau et consommables"
    )
    if rng.random() < 0.6:
        pay.supplier(_day(book, m), "S07", _rand(book, 150_000, 480_000, 1000),
                     "Sous-traitance développement (lot mensuel)")  # fmt: skip
    if rng.random() < 0.35:
        pay.supplier(
            _day(book, m), "S15", _rand(book, 120_000, 350_000, 1000), "Mission de conseil réseau"
        )
    if rng.random() < 0.3:
        pay.supplier(_day(book, m), "S08", _rand(book, 180_000, 900_000, 1000),
                     "Matériel informatique (postes, écrans, onduleurs)")  # fmt: skip
    if m.month % 2 == 0:
        pay.supplier(_day(book, m), "S12", _rand(book, 18_000, 32_000), "Entretien climatisation")
    pay.supplier(_day(book, m), "S14", _rand(book, 2_000, 4_800), "Envois de plis et colis",
                 receipt=rng.choice(["yes", "no"]))  # fmt: skip
    if rng.random() < 0.15:
        pay.supplier(
            _day(book, m), "S16", _rand(book, 60_000, 150_000, 1000), "Insertion publicitaire"
        )
    if rng.random() < 0.3:
        who = rng.choice(EMPLOYEES)
        pay.employee(_day(book, m), who, _rand(book, 15_000, 45_000),
                     f"Note de frais mission {rng.choice(['Oran', 'Constantine', 'Sétif', 'Béjaïa'])}")  # fmt: skip


def _card_and_cash(book: Book, pay: Payer, m: date) -> None:
    rng = book.rng
    counts = {
        "carburant": rng.randint(4, 7),
        "restaurant": rng.randint(2, 4),
        "deplacements": rng.randint(0, 2),
    }
    for cat, n in counts.items():
        options = [x for x in CARD_MERCHANTS if x[1] == cat]
        for _ in range(n):
            merchant, _, (lo, hi), payee = rng.choice(options)
            pay.card(_day(book, m), merchant, cat, _rand(book, lo, hi, 10), payee)
    # petty cash: one withdrawal, small cash purchases
    d = book.working_on_or_after(m.replace(day=2))
    book.bank_add(d, "RETRAIT DAB", Decimal("-30000.00"), "virement_interne", f"DAB{d:%y%m%d}")
    for desc in rng.sample(["Produits d'entretien", "Café et eau minérale", "Timbres fiscaux",
                            "Photocopies et reliures", "Petites fournitures"], 4):  # fmt: skip
        day = _day(book, m, d.day, 28)
        if day <= book.as_of:
            book.expense_add(date=day, payee="Caisse", category="fournitures", method="especes",
                             amount=_rand(book, 800, 4_800), receipt=rng.choice(["yes", "no"]),
                             description=desc)  # fmt: skip


def add_bank_fees(book: Book) -> None:
    """Monthly account fee and transfer commissions, computed from the month's transfers."""
    per_month: dict[tuple[int, int], int] = defaultdict(int)
    for e in book.bank:
        if e.amount < 0 and e.label.startswith(("VIR EMIS", "VIR SALAIRES", "VIR CNAS")):
            per_month[(e.date.year, e.date.month)] += 1
    for m in book.months():
        nxt = date(m.year + (m.month == 12), m.month % 12 + 1, 1)
        d = book.working_on_or_before(nxt - timedelta(days=1))
        if d > book.as_of:
            continue
        book.bank_add(
            d, "FRAIS TENUE DE COMPTE", Decimal("-1200.00"), "frais_bancaires", f"FTC{m:%Y%m}"
        )
        n = per_month[(m.year, m.month)]
        if n:
            book.bank_add(d, f"COMMISSION VIR {m:%m/%Y}", -q2(Decimal(n * 250)), "frais_bancaires",
                          f"COM{m:%Y%m}")  # fmt: skip


def make_commitments(book: Book) -> None:
    """Known future outflows, at the amounts of the latest months."""

    def last(label_start: str, n: int = 3) -> Decimal:
        vals = [-e.amount for e in book.bank if e.label.startswith(label_start)][-n:]
        return Decimal(round(sum(vals) / len(vals) / 1000) * 1000) if vals else Decimal(0)

    y0 = book.start.year
    rows = [
        (
            "CM-SAL",
            "Salaires nets du personnel",
            "salaires",
            last("VIR SALAIRES", 1),
            25,
            1,
            book.start,
        ),
        (
            "CM-CNAS",
            "Cotisations CNAS du mois précédent",
            "cotisations_sociales",
            last("VIR CNAS", 1),
            28,
            1,
            book.start,
        ),
        (
            "CM-G50",
            "Déclaration G50 (TVA, IRG) avant le 20",
            "impots_taxes",
            last("G50 DGI"),
            20,
            1,
            book.start,
        ),
        (
            "CM-LOYER",
            "Loyer trimestriel SCI Dar El Baraka",
            "loyer",
            RENT_QUARTER[2026],
            5,
            3,
            date(y0, 1, 5),
        ),
        (
            "CM-PRET",
            "Échéance prêt CMT 2024/118",
            "remboursement_emprunt",
            LOAN_AMOUNT,
            10,
            1,
            book.start,
        ),
        (
            "CM-SONELGAZ",
            "Électricité et gaz (Sonelgaz)",
            "energie",
            last("PRLV SONELGAZ", 12),
            12,
            1,
            book.start,
        ),
        ("CM-AT", "Fibre optique Algérie Télécom", "telecom", Decimal("18900"), 8, 1, book.start),
        ("CM-MOB", "Flotte mobile Mobilis", "telecom", last("PRLV MOBILIS", 6), 15, 1, book.start),
        ("CM-ICOS", "Hébergement serveurs Icosnet", "telecom", Decimal("35700"), 3, 1, book.start),
        (
            "CM-HONO",
            "Honoraires expert-comptable",
            "honoraires",
            Decimal("130000"),
            14,
            3,
            date(y0, 3, 14),
        ),
        (
            "CM-ASSUR",
            "Prime annuelle d'assurance SAA",
            "assurance",
            INSURANCE,
            10,
            12,
            date(y0, 3, 10),
        ),
    ]
    for cid, label, cat, amount, day, every, start in rows:
        end = date(2028, 6, 10) if cid == "CM-PRET" else None
        book.commitments.append({"commitment_id": cid, "label": label, "category": cat,
                                 "amount": q2(amount), "day_of_month": day, "every_months": every,
                                 "start": start, "end": end})  # fmt: skip
