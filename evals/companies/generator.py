"""A second generator of company books (issue 12), written from the bundle spec only.

Standalone: Python stdlib only, it does not import khazna, and it was written without reading
the forecast code, so that a forecast tuned on the demo can be measured on habits the demo
lacks:

- the Islamic calendar: Ramadan (sales up for food, down for services, payments slower), the two
  Aïds (3 days off each, shopping before them, salaries paid before the Aïd, an Aïd bonus);
- an August slowdown (fewer invoices, clients paying later);
- administrations paying in batches, the biggest before their budget year closes in December,
  nothing in the first quarter;
- quarterly rent and insurance, loan instalments (a loan that starts and one that ends inside
  the books), bi-monthly electricity, the monthly CNAS and G50;
- a big client paying everything it owes in one lump every two months;
- a new client with no history (first invoice a few months before the end of the books);
- counter sales deposited in cash every working day.

Each company is a `Profile` (name, size, habits) and a seed; `generate(profile)` returns its
`Book` (every row of the full books, in memory), `Book.write(dir, until=cut_off)` writes the
bundle of `shared/spec/bundle.md` truncated at a cut-off (only what was known that day), and
`Book.balances()` the realised end-of-day bank balance, the truth a backtest scores against.
Four of the companies are held out (`Profile.held_out`): nobody tunes the forecast on them.

    python evals/companies/generator.py OUT_DIR [--until YYYY-MM-DD]   # writes every bundle
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

BOOKS_START = date(2024, 1, 1)
BOOKS_END = date(2026, 11, 30)

# The generator's own calendar (algeria.md §5.2; 2024-2025 official, 2026-2027 predicted).
RAMADAN_START = {
    2024: date(2024, 3, 11),
    2025: date(2025, 3, 1),
    2026: date(2026, 2, 19),
    2027: date(2027, 2, 8),
}
AID_FITR = {
    2024: date(2024, 4, 10),
    2025: date(2025, 3, 31),
    2026: date(2026, 3, 20),
    2027: date(2027, 3, 10),
}
AID_ADHA = {
    2024: date(2024, 6, 16),
    2025: date(2025, 6, 6),
    2026: date(2026, 5, 27),
    2027: date(2027, 5, 17),
}
ONE_DAY_ISLAMIC = [
    date(2024, 7, 7),
    date(2024, 7, 16),
    date(2024, 9, 15),
    date(2025, 6, 26),
    date(2025, 7, 5),
    date(2025, 9, 5),
    date(2026, 6, 16),
    date(2026, 6, 25),
    date(2026, 8, 25),
    date(2027, 6, 6),
    date(2027, 6, 15),
    date(2027, 8, 15),
]
FIXED_HOLIDAYS = [(1, 1), (1, 12), (5, 1), (7, 5), (11, 1)]


def _holidays() -> frozenset[date]:
    days = set(ONE_DAY_ISLAMIC)
    for aid in [*AID_FITR.values(), *AID_ADHA.values()]:
        days.update(aid + timedelta(days=k) for k in range(3))
    for year in range(2023, 2028):
        days.update(date(year, m, d) for m, d in FIXED_HOLIDAYS)
    return frozenset(days)


HOLIDAYS = _holidays()


def is_working_day(d: date) -> bool:
    """Sunday to Thursday, public holidays excepted (Friday = 4, Saturday = 5)."""
    return d.weekday() not in (4, 5) and d not in HOLIDAYS


def next_working_day(d: date) -> date:
    while not is_working_day(d):
        d += timedelta(days=1)
    return d


def previous_working_day(d: date) -> date:
    while not is_working_day(d):
        d -= timedelta(days=1)
    return d


def in_ramadan(d: date) -> bool:
    start = RAMADAN_START.get(d.year)
    return start is not None and start <= d < AID_FITR[d.year]


def days_before_aid(d: date) -> int | None:
    """Days from d to the next Aïd (Fitr or Adha) when it is at most 10 days away."""
    for aid in (AID_FITR.get(d.year), AID_ADHA.get(d.year)):
        if aid is not None and 0 < (aid - d).days <= 10:
            return (aid - d).days
    return None


def month_start(year: int, month: int) -> date:
    while month > 12:
        year, month = year + 1, month - 12
    return date(year, month, 1)


def day_in_month(year: int, month: int, day: int) -> date:
    first = month_start(year, month)
    last = (month_start(first.year, first.month + 1) - timedelta(days=1)).day
    return first.replace(day=min(day, last))


def months(start: date, end: date) -> Iterator[tuple[int, int]]:
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        yield y, m
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def cents_str(c: int) -> str:
    sign = "-" if c < 0 else ""
    return f"{sign}{abs(c) // 100}.{abs(c) % 100:02d}"


@dataclass(frozen=True)
class Profile:
    """One company: its size and habits; the seed draws every amount and date."""

    key: str
    name: str
    seed: int
    monthly_revenue: int  # DA, TTC, before seasonality
    sector: str  # "food" (Ramadan and pre-Aïd peaks) or "services" (Ramadan dip)
    retail_share: float  # share of revenue from daily counter sales (cash deposits)
    n_regular: int  # invoiced clients paying each invoice on their own habit
    lump_client: bool  # a big client paying everything in one lump every two months
    admin_clients: int  # administrations paying in batches, before December above all
    new_client: bool  # a client whose first invoice comes ~5 months before the end
    loan: bool  # monthly loan instalments (a second loan starts inside the books)
    quarterly_rent: bool  # rent every three months (else monthly)
    quarterly_insurance: bool
    aid_bonus: bool  # a prime paid with the salaries advanced before Aïd el-Fitr
    declares_commitments: bool  # whether commitments.csv is written
    august_factor: float  # sales in August, relative to a normal month
    held_out: bool = False


def _profile(
    key: str,
    name: str,
    seed: int,
    revenue: int,
    sector: str,
    retail: float,
    regular: int,
    august: float,
    habits: str,
    held_out: bool = False,
) -> Profile:
    """A profile from a line of habits: lump, admin:N, new, loan, rent:q, insurance:q, bonus,
    commitments (written in commitments.csv)."""
    words = dict(w.partition(":")[::2] for w in habits.split())
    return Profile(
        key,
        name,
        seed,
        revenue,
        sector,
        retail,
        regular,
        lump_client="lump" in words,
        admin_clients=int(words.get("admin") or 0),
        new_client="new" in words,
        loan="loan" in words,
        quarterly_rent=words.get("rent") == "q",
        quarterly_insurance=words.get("insurance") == "q",
        aid_bonus="bonus" in words,
        declares_commitments="commitments" in words,
        august_factor=august,
        held_out=held_out,
    )


# fmt: off
PROFILES: tuple[Profile, ...] = (
    _profile("boulangerie", "Boulangerie Es-Salam", 101, 2_600_000, "food", 0.85, 2, 0.75,
             "bonus"),
    _profile("etudes", "Bureau d'études Tassili", 102, 9_000_000, "services", 0.0, 3, 0.45,
             "admin:3 new rent:q insurance:q commitments"),
    _profile("agro", "Distribution Agro Mitidja", 103, 38_000_000, "food", 0.25, 6, 0.7,
             "lump admin:1 loan insurance:q bonus commitments"),
    _profile("transport", "Hoggar Transport Logistique", 104, 16_000_000, "services", 0.0, 4,
             0.6, "lump admin:1 new loan rent:q"),
    _profile("dentaire", "Cabinet dentaire El Yasmine", 105, 3_200_000, "services", 0.7, 2,
             0.5, "admin:1 new loan insurance:q bonus commitments"),
    _profile("pharma", "Répartiteur Pharma Tell", 110, 28_000_000, "food", 0.05, 7, 0.85,
             "lump admin:2 loan insurance:q commitments"),
    # held out: nobody tunes the forecast on these four
    _profile("btp", "Entreprise BTP Ziban", 106, 55_000_000, "services", 0.0, 3, 0.4,
             "lump admin:3 new loan rent:q insurance:q commitments", held_out=True),
    _profile("superette", "Supérette Djurdjura", 107, 6_500_000, "food", 0.9, 1, 0.8,
             "loan rent:q bonus", held_out=True),
    _profile("imprimerie", "Imprimerie Numidia", 108, 11_000_000, "services", 0.1, 5, 0.55,
             "lump admin:2 new insurance:q bonus commitments", held_out=True),
    _profile("informatique", "Numidia Informatique Services", 109, 7_500_000, "services",
             0.0, 8, 0.5, "admin:2 new loan rent:q insurance:q bonus", held_out=True),
)
# fmt: on


@dataclass
class Book:
    """Every row of one company's books; `write` truncates at a cut-off."""

    profile: Profile
    opening_balance: int  # centimes, at the start of BOOKS_START
    threshold: int  # centimes: the company's safety threshold (policy.json)
    clients: list[dict[str, str]] = field(default_factory=list)
    suppliers: list[dict[str, str]] = field(default_factory=list)
    invoices: list[dict[str, str]] = field(default_factory=list)
    payments: list[dict[str, str]] = field(default_factory=list)
    expenses: list[dict[str, str]] = field(default_factory=list)
    bank_lines: list[dict[str, str]] = field(default_factory=list)
    commitments: list[dict[str, str]] = field(default_factory=list)

    def balances(self) -> dict[date, int]:
        """Realised end-of-day bank balance (centimes), every calendar day of the books."""
        by_day: dict[date, int] = {}
        for line in self.bank_lines:
            d = date.fromisoformat(line["date"])
            by_day[d] = by_day.get(d, 0) + _cents(line["amount"])
        out: dict[date, int] = {}
        balance = self.opening_balance
        d = BOOKS_START
        while d <= BOOKS_END:
            balance += by_day.get(d, 0)
            out[d] = balance
            d += timedelta(days=1)
        return out

    def write(self, folder: Path, until: date | None = None) -> None:
        """The bundle as known at the end of `until` (every row dated on or before it)."""
        cut = until or BOOKS_END
        folder.mkdir(parents=True, exist_ok=True)
        p = self.profile
        company = {
            "name": p.name,
            "legal_form": "SARL",
            "capital": 1000000,
            "address": "Zone d'activités, 16000 Alger",
            "rc": "16/00-0" + str(p.seed).zfill(6) + " B 19",
            "nif": "0" + str(p.seed * 7919).zfill(14),
            "nis": "0" + str(p.seed * 104729).zfill(14),
            "ai": str(p.seed).zfill(11),
            "rib": "",
            "email": f"gerance@{p.key}.example.dz",
            "phone": "+213 21 00 00 00",
            "language": "fr",
            "opening_balance": float(cents_str(self.opening_balance)),
            "opening_date": BOOKS_START.isoformat(),
        }
        (folder / "company.json").write_text(json.dumps(company, ensure_ascii=False, indent=1))
        policy = {"treasury": {"safety_threshold": int(self.threshold // 100), "horizon_days": 30}}
        (folder / "policy.json").write_text(json.dumps(policy, indent=1))

        def known(rows: list[dict[str, str]], key: str) -> list[dict[str, str]]:
            return [r for r in rows if date.fromisoformat(r[key]) <= cut]

        invoices = known(self.invoices, "issue_date")
        seen = {r["client_id"] for r in invoices} | {r["client_id"] for r in self.clients[:1]}
        clients = [c for c in self.clients if c["client_id"] in seen]
        _write_csv(folder / "clients.csv", clients)
        _write_csv(folder / "suppliers.csv", self.suppliers)
        _write_csv(folder / "invoices.csv", invoices)
        _write_csv(folder / "payments.csv", known(self.payments, "date"))
        _write_csv(folder / "expenses.csv", known(self.expenses, "date"))
        _write_csv(folder / "bank_lines.csv", known(self.bank_lines, "date"))
        if p.declares_commitments:
            _write_csv(folder / "commitments.csv", known(self.commitments, "start"))


def _cents(text: str) -> int:
    neg = text.startswith("-")
    whole, _, frac = text.lstrip("-").partition(".")
    c = int(whole) * 100 + int((frac + "00")[:2])
    return -c if neg else c


def _write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    if not rows:
        path.unlink(missing_ok=True)
        return
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


# --- the simulation ------------------------------------------------------------------------


@dataclass
class _Flow:
    day: date
    cents: int  # signed: + money in
    label: str
    kind: str  # "payment", "expense" or "bank"
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class _ClientHabit:
    client_id: str
    name: str
    kind: str  # clients.csv kind
    habit: str  # "regular", "lump", "admin", "new"
    share: float  # of the invoiced revenue
    invoices_per_month: float
    terms: int
    delay_mean: float  # days after the due date (negative = early)
    delay_sd: float
    first_invoice: date = BOOKS_START


CLIENT_NAMES = [
    "Sarl Bensalem Négoce",
    "Eurl Hamidi Services",
    "Sarl Atlas Froid",
    "Sarl El Bahdja Distribution",
    "Eurl Kaci Equipements",
    "Sarl Meziane Trading",
    "Sarl Tizi Pièces",
    "Eurl Rahmani Conseil",
    "Sarl Sahel Emballage",
    "Sarl Oasis Agro",
    "Eurl Belkacem Auto",
    "Sarl Chelif Matériaux",
]
BIG_NAMES = [
    "Cimenterie des Babors",
    "Sonatrach Activité Aval",
    "Groupe Cevital Agro",
    "Condor Electronics",
]
ADMIN_NAMES = [
    "APC de Bab Ezzouar",
    "Direction de l'Éducation de Blida",
    "CHU Mustapha Pacha",
    "Direction des Travaux Publics de Sétif",
    "Wilaya de Tipaza",
]
NEW_NAMES = ["Sarl Nouvelle Vague Import", "Eurl Startup Djazair"]


def _season(d: date, p: Profile) -> float:
    """Sales multiplier of a day: August, Ramadan, the days before an Aïd, December."""
    f = 1.0
    if d.month == 8:
        f *= p.august_factor
    if in_ramadan(d):
        f *= 1.35 if p.sector == "food" else 0.75
    if days_before_aid(d) is not None:
        f *= 1.8 if p.sector == "food" else 1.0
    if d.month == 12:
        f *= 1.1
    return f


def _habits(p: Profile, rng: random.Random) -> list[_ClientHabit]:
    habits: list[_ClientHabit] = []
    weights: list[tuple[str, float]] = []
    if p.lump_client:
        weights.append(("lump", 0.3))
    weights += [("admin", 0.28 / max(1, p.admin_clients))] * p.admin_clients
    weights += [("regular", 0.4 / max(1, p.n_regular) * rng.uniform(0.5, 1.5))] * p.n_regular
    if p.new_client:
        weights.append(("new", 0.12))
    total = sum(w for _, w in weights)
    names = {"regular": iter(CLIENT_NAMES), "lump": iter(BIG_NAMES), "admin": iter(ADMIN_NAMES)}
    names["new"] = iter(NEW_NAMES)
    for i, (habit, w) in enumerate(weights, 1):
        name = next(names[habit])
        kind = {"lump": "grand_compte", "admin": "administration"}.get(habit, "pme")
        delay_mean: float
        delay_sd: float
        if habit == "regular":
            delay_mean = rng.choice([-3, 0, 5, 15, 30, 50])
            delay_sd, per_month, terms = rng.uniform(2, 14), rng.choice([1, 2, 4]), 30
        elif habit == "lump":
            delay_mean, delay_sd, per_month, terms = 0, 0, rng.choice([2, 3]), 60
        elif habit == "admin":
            delay_mean, delay_sd, per_month, terms = 0, 0, 1, 30
        else:
            delay_mean, delay_sd, per_month, terms = rng.uniform(20, 45), 12, 2, 30
        first = BOOKS_START
        if habit == "new":
            first = BOOKS_END - timedelta(days=rng.randint(140, 190))
        habits.append(
            _ClientHabit(
                f"C{i:02d}",
                name,
                kind,
                habit,
                w / total,
                per_month,
                terms,
                delay_mean,
                delay_sd,
                first,
            )
        )
    return habits


def _invoice_days(h: _ClientHabit, rng: random.Random) -> list[date]:
    out: list[date] = []
    for y, m in months(h.first_invoice, BOOKS_END):
        n = h.invoices_per_month
        for k in range(int(n)):
            day = 1 + int((k + rng.uniform(0.1, 0.9)) * 28 / n)
            d = next_working_day(day_in_month(y, m, day))
            if h.first_invoice <= d <= BOOKS_END:
                out.append(d)
    return out


def _delay_payday(due: date, h: _ClientHabit, rng: random.Random) -> date:
    d = due + timedelta(days=round(rng.gauss(h.delay_mean, h.delay_sd)))
    if d.month == 8:  # the client's accountant is on holiday
        d += timedelta(days=rng.randint(5, 20))
    if in_ramadan(d):
        d += timedelta(days=rng.randint(0, 7))
    return next_working_day(d)


def _lump_days(rng: random.Random) -> list[date]:
    """Every two months, around the 10th, the big client pays all it owes."""
    odd = rng.random() < 0.5
    return [
        next_working_day(day_in_month(y, m, rng.randint(7, 13)))
        for y, m in months(BOOKS_START, BOOKS_END)
        if (m % 2 == 1) == odd
    ]


def _admin_batches(rng: random.Random) -> list[tuple[date, int]]:
    """(payday, minimum age in days of the invoices it pays): spring, summer, autumn, December."""
    out: list[tuple[date, int]] = []
    for year in range(BOOKS_START.year, BOOKS_END.year + 1):
        windows = [((4, 10), (5, 20), 90), ((7, 1), (7, 25), 90), ((10, 10), (10, 31), 60)]
        windows.append(((11, 25), (12, 18), 5))  # before the budget year closes
        for (m1, d1), (m2, d2), age in windows:
            lo, hi = date(year, m1, d1), date(year, m2, d2)
            if rng.random() < 0.85 or age == 5:
                out.append(
                    (next_working_day(lo + timedelta(days=rng.randint(0, (hi - lo).days))), age)
                )
    return out


def _receivables(p: Profile, rng: random.Random, book: Book) -> list[_Flow]:
    flows: list[_Flow] = []
    invoiced = p.monthly_revenue * (1 - p.retail_share)
    number = 0
    for h in _habits(p, rng):
        book.clients.append(
            {
                "client_id": h.client_id,
                "name": h.name,
                "kind": h.kind,
                "email": f"compta@{h.client_id.lower()}.example.dz",
                "phone": "",
                "language": "fr",
                "payment_terms_days": str(h.terms),
                "nif": "",
                "nis": "",
                "rc": "",
                "ai": "",
                "address": "Alger",
            }
        )
        issued: list[tuple[date, str, int, date]] = []  # issue, number, cents, due
        for day in _invoice_days(h, rng):
            number += 1
            ttc = invoiced * h.share / h.invoices_per_month * _season(day, p)
            ttc *= math.exp(rng.gauss(0, 0.3))
            ht = int(ttc / 1.19)
            tva = int(ht * 0.19)
            num = f"F{day.year}-{number:05d}"
            due = day + timedelta(days=h.terms)
            issued.append((day, num, (ht + tva) * 100, due))
            book.invoices.append(
                {
                    "number": num,
                    "client_id": h.client_id,
                    "issue_date": day.isoformat(),
                    "due_date": due.isoformat(),
                    "payment_method": "virement",
                    "total_ht": f"{ht}.00",
                    "total_tva": f"{tva}.00",
                    "timbre": "0.00",
                    "total_ttc": f"{ht + tva}.00",
                    "status": "issued",
                    "credited_invoice": "",
                }
            )
        flows += _settle(h, issued, rng)
    return flows


def _settle(
    h: _ClientHabit, issued: list[tuple[date, str, int, date]], rng: random.Random
) -> list[_Flow]:
    groups: dict[date, list[tuple[str, int]]] = {}
    if h.habit in ("regular", "new"):
        for _, num, c, due in issued:
            groups.setdefault(_delay_payday(due, h, rng), []).append((num, c))
    else:
        batches = [(d, 20) for d in _lump_days(rng)] if h.habit == "lump" else _admin_batches(rng)
        open_ = list(issued)
        for payday, age in sorted(batches):
            paid = [x for x in open_ if (payday - x[0]).days >= age]
            if payday.month in (4, 5, 7, 10) and len(paid) > 1:  # part of the backlog only
                paid = paid[: max(1, int(len(paid) * rng.uniform(0.5, 0.9)))]
            if paid:
                groups[payday] = [(num, c) for _, num, c, _ in paid]
                open_ = [x for x in open_ if x not in paid]
    flows = []
    for payday, items in groups.items():
        if payday > BOOKS_END:
            continue
        nums = ";".join(n for n, _ in items)
        total = sum(c for _, c in items)
        method = "cheque" if h.kind == "pme" and rng.random() < 0.3 else "virement"
        label = (
            f"REMISE CHQ {rng.randint(1000000, 9999999)} {h.name.upper()}"
            if method == "cheque"
            else f"VIR RECU {h.name.upper()} FACT {' '.join(n for n, _ in items[:3])}"
        )
        flows.append(
            _Flow(
                payday,
                total,
                label,
                "payment",
                {"client_id": h.client_id, "invoice_number": nums, "method": method},
            )
        )
    return flows


def _counter_sales(p: Profile, rng: random.Random) -> list[_Flow]:
    flows: list[_Flow] = []
    per_day = p.monthly_revenue * p.retail_share / 30.4  # sold every day, banked on working days
    pending = 0.0
    d = BOOKS_START
    while d <= BOOKS_END:
        pending += per_day * _season(d, p)
        if is_working_day(d):
            amount = int(pending * math.exp(rng.gauss(0, 0.18)))
            if amount > 0:
                flows.append(_Flow(d, amount * 100, "VERSEMENT ESPECES CAISSE", "bank"))
            pending = 0.0
        d += timedelta(days=1)
    return flows


def _expense(d: date, cents: int, label: str, category: str, payee: str, method: str) -> _Flow:
    return _Flow(
        d, -cents, label, "expense", {"category": category, "payee": payee, "method": method}
    )


def _outflows(
    p: Profile, rng: random.Random, book: Book, sales: dict[tuple[int, int], int]
) -> list[_Flow]:
    r = p.monthly_revenue
    flows: list[_Flow] = []
    payroll = int(r * rng.uniform(0.22, 0.32)) * 100
    rent_month = int(r * rng.uniform(0.03, 0.06)) * 100
    insurance_q = int(r * rng.uniform(0.01, 0.02)) * 100
    loan_a = int(r * rng.uniform(0.04, 0.07)) * 100
    loan_b = int(r * rng.uniform(0.03, 0.05)) * 100
    loan_b_start = date(2025, rng.randint(3, 10), 1)
    loan_a_end = date(2026, rng.randint(4, 9), 28)
    rent_offset = rng.randint(0, 2)
    ins_offset = (rent_offset + 1) % 3
    raise_month = date(2025, 1, 1)
    for y, m in months(BOOKS_START, BOOKS_END):
        first = date(y, m, 1)
        pay = payroll if first < raise_month else int(payroll * 1.08)
        payday = previous_working_day(date(y, m, 25))
        for aid in (AID_FITR.get(y), AID_ADHA.get(y)):
            # an Aïd in the 20 days before the 25th: salaries are paid before it
            if aid and timedelta(0) <= payday - aid <= timedelta(days=20):
                payday = previous_working_day(aid - timedelta(days=2))
        flows.append(
            _expense(payday, pay, f"VIR SALAIRES {m:02d}/{y}", "salaires", "Personnel", "virement")
        )
        fitr = AID_FITR.get(y)
        if p.aid_bonus and fitr and fitr.month == m:
            bonus_day = previous_working_day(fitr - timedelta(days=3))
            flows.append(
                _expense(
                    bonus_day,
                    pay // 4,
                    "VIR PRIME AID EL FITR",
                    "salaires",
                    "Personnel",
                    "virement",
                )
            )
        cnas_day = next_working_day(date(y, m, 15))
        flows.append(
            _expense(
                cnas_day,
                int(pay * 0.35),
                "PRLV CNAS COTISATIONS",
                "cotisations_sociales",
                "CNAS",
                "prelevement",
            )
        )
        prev = (y, m - 1) if m > 1 else (y - 1, 12)
        g50 = int(sales.get(prev, r * 100) * 0.19 / 1.19 * 0.45) + int(pay * 0.1)
        flows.append(
            _expense(
                previous_working_day(date(y, m, 19)),
                g50,
                "PRLV DGI G50",
                "impots_taxes",
                "DGI",
                "prelevement",
            )
        )
        if p.quarterly_rent:
            if (m - 1) % 3 == rent_offset:
                flows.append(
                    _expense(
                        next_working_day(date(y, m, 3)),
                        rent_month * 3,
                        f"VIR LOYER TRIMESTRE {m:02d}/{y}",
                        "loyer",
                        "SCI El Manar",
                        "virement",
                    )
                )
        else:
            flows.append(
                _expense(
                    next_working_day(date(y, m, 5)),
                    rent_month,
                    f"VIR LOYER {m:02d}/{y}",
                    "loyer",
                    "SCI El Manar",
                    "virement",
                )
            )
        if p.quarterly_insurance and (m - 1) % 3 == ins_offset:
            flows.append(
                _expense(
                    next_working_day(date(y, m, 10)),
                    insurance_q,
                    "PRLV SAA ASSURANCE TRIM",
                    "assurance",
                    "SAA",
                    "prelevement",
                )
            )
        if p.loan:
            if first <= loan_a_end:
                flows.append(
                    _expense(
                        next_working_day(date(y, m, 20)),
                        loan_a,
                        "PRLV ECHEANCE PRET 0087",
                        "remboursement_emprunt",
                        "BNA",
                        "prelevement",
                    )
                )
            if first > loan_b_start:
                flows.append(
                    _expense(
                        next_working_day(date(y, m, 8)),
                        loan_b,
                        "PRLV ECHEANCE PRET 0112",
                        "remboursement_emprunt",
                        "BNA",
                        "prelevement",
                    )
                )
            if (y, m) == (loan_b_start.year, loan_b_start.month):
                flows.append(
                    _Flow(
                        next_working_day(loan_b_start),
                        loan_b * 30,
                        "DEBLOCAGE CREDIT BNA 0112",
                        "bank",
                    )
                )
                flows.append(
                    _expense(
                        next_working_day(loan_b_start + timedelta(days=9)),
                        int(loan_b * 28),
                        "VIR ACHAT EQUIPEMENT",
                        "equipement",
                        "Equip Algérie",
                        "virement",
                    )
                )
        if m % 2 == 1:
            energy = (
                int(r * 0.012 * (1.6 if m in (7, 9) else 1.0) * math.exp(rng.gauss(0, 0.15))) * 100
            )
            flows.append(
                _expense(
                    next_working_day(date(y, m, 12)),
                    energy,
                    "PRLV SONELGAZ",
                    "energie",
                    "Sonelgaz",
                    "prelevement",
                )
            )
        telecom = int(r * 0.003 * math.exp(rng.gauss(0, 0.05))) * 100
        flows.append(
            _expense(
                next_working_day(date(y, m, 8)),
                telecom,
                "PRLV ALGERIE TELECOM",
                "telecom",
                "Algérie Télécom",
                "prelevement",
            )
        )
        flows.append(
            _Flow(
                previous_working_day(day_in_month(y, m, 31)),
                -(2500 + rng.randint(0, 900)) * 100,
                "FRAIS TENUE DE COMPTE",
                "bank",
            )
        )
        for _ in range(rng.randint(3, 7)):
            d = next_working_day(date(y, m, rng.randint(1, 28)))
            cat, payee = rng.choice(
                [
                    ("carburant", "Naftal"),
                    ("fournitures", "Bureau Plus"),
                    ("maintenance", "Tech Maintenance"),
                    ("transport", "Yalidine"),
                ]
            )
            flows.append(
                _expense(
                    d,
                    int(r * rng.uniform(0.001, 0.006)) * 100,
                    f"PAIEMENT {payee.upper()}",
                    cat,
                    payee,
                    "virement",
                )
            )
    if p.declares_commitments:
        book.commitments = _commitments(
            p,
            payroll,
            rent_month,
            insurance_q,
            loan_a,
            loan_b,
            loan_a_end,
            loan_b_start,
            rent_offset,
            ins_offset,
        )
    return flows


def _commitments(
    p: Profile,
    payroll: int,
    rent_month: int,
    insurance_q: int,
    loan_a: int,
    loan_b: int,
    loan_a_end: date,
    loan_b_start: date,
    rent_offset: int,
    ins_offset: int,
) -> list[dict[str, str]]:
    rows: list[tuple[str, str, int, int, int, date, date | None]] = [
        ("Salaires", "salaires", payroll, 25, 1, BOOKS_START, None),
        ("CNAS", "cotisations_sociales", int(payroll * 0.35), 15, 1, BOOKS_START, None),
    ]
    if p.quarterly_rent:
        rows.append(
            (
                "Loyer trimestriel",
                "loyer",
                rent_month * 3,
                3,
                3,
                date(2024, 1 + rent_offset, 1),
                None,
            )
        )
    else:
        rows.append(("Loyer", "loyer", rent_month, 5, 1, BOOKS_START, None))
    if p.quarterly_insurance:
        rows.append(
            ("Assurance SAA", "assurance", insurance_q, 10, 3, date(2024, 1 + ins_offset, 1), None)
        )
    if p.loan:
        rows.append(
            ("Échéance prêt 0087", "remboursement_emprunt", loan_a, 20, 1, BOOKS_START, loan_a_end)
        )
        rows.append(
            (
                "Échéance prêt 0112",
                "remboursement_emprunt",
                loan_b,
                8,
                1,
                loan_b_start + timedelta(days=31),
                None,
            )
        )
    return [
        {
            "commitment_id": f"K{i:02d}",
            "label": label,
            "category": cat,
            "amount": cents_str(amount),
            "day_of_month": str(dom),
            "every_months": str(every),
            "start": start.isoformat(),
            "end": end.isoformat() if end else "",
        }
        for i, (label, cat, amount, dom, every, start, end) in enumerate(rows, 1)
    ]


def _purchases(p: Profile, rng: random.Random, sales_by_day: dict[date, int]) -> list[_Flow]:
    """Suppliers paid every week for what the last weeks sold; stock bought before Ramadan."""
    share = 0.42 if p.sector == "food" else 0.22
    flows: list[_Flow] = []
    d = BOOKS_START + timedelta(days=7)
    while d <= BOOKS_END:
        if d.weekday() == 1:  # Tuesdays
            sold = sum(sales_by_day.get(d - timedelta(days=k), 0) for k in range(7, 21)) / 2
            start = RAMADAN_START.get(d.year)
            if p.sector == "food" and start and 0 < (start - d).days <= 21:
                sold *= 1.6
            amount = int(sold * share * math.exp(rng.gauss(0, 0.25)) / 100) * 100
            if amount > 0:
                flows.append(
                    _expense(
                        next_working_day(d),
                        amount,
                        "VIR FOURNISSEUR GROSSISTE",
                        "achats_marchandises",
                        "Grossiste Central",
                        "virement",
                    )
                )
        d += timedelta(days=1)
    return flows


def generate(profile: Profile) -> Book:
    rng = random.Random(profile.seed)
    book = Book(profile, 0, 0)
    book.suppliers = [
        {"supplier_id": f"S{i:02d}", "name": n, "category": c, "email": "", "nif": ""}
        for i, (n, c) in enumerate(
            [
                ("Grossiste Central", "achats_marchandises"),
                ("SCI El Manar", "loyer"),
                ("SAA", "assurance"),
                ("Sonelgaz", "energie"),
                ("Algérie Télécom", "telecom"),
                ("Naftal", "carburant"),
                ("Bureau Plus", "fournitures"),
                ("BNA", "remboursement_emprunt"),
                ("Tech Maintenance", "maintenance"),
                ("Yalidine", "transport"),
                ("CNAS", "cotisations_sociales"),
                ("DGI", "impots_taxes"),
                ("Equip Algérie", "equipement"),
            ],
            1,
        )
    ]
    flows = _receivables(profile, rng, book) + _counter_sales(profile, rng)
    sales_by_day: dict[date, int] = {}
    sales_by_month: dict[tuple[int, int], int] = {}
    for f in flows:
        sales_by_day[f.day] = sales_by_day.get(f.day, 0) + f.cents
        key = (f.day.year, f.day.month)
        sales_by_month[key] = sales_by_month.get(key, 0) + f.cents
    flows += _outflows(profile, rng, book, sales_by_month)
    flows += _purchases(profile, rng, sales_by_day)
    flows = [f for f in flows if BOOKS_START <= f.day <= BOOKS_END]
    flows += _sweeps(flows, rng)
    flows.sort(key=lambda f: (f.day, -f.cents, f.label))
    _record(book, flows, rng)
    _settle_balances(book, rng)
    return book


def _sweeps(flows: list[_Flow], rng: random.Random) -> list[_Flow]:
    """Keep the balance from drifting for ever: a company that earns more than it spends
    moves the surplus to a term account each quarter; one that loses gets its partners'
    contributions (apport en compte courant d'associé)."""
    n_months = len(list(months(BOOKS_START, BOOKS_END)))
    drift = sum(f.cents for f in flows) / n_months
    out = []
    for y, m in months(BOOKS_START, BOOKS_END):
        if m % 3:
            continue
        amount = int(abs(drift) * 3 * math.exp(rng.gauss(0, 0.15)) / 100) * 100
        day = previous_working_day(date(y, m, 28))
        if drift > 0:
            out.append(_Flow(day, -amount, "VIR VERS COMPTE A TERME 0099", "bank"))
        else:
            out.append(_Flow(day, amount, "VERSEMENT APPORT ASSOCIE", "bank"))
    return out


def _record(book: Book, flows: list[_Flow], rng: random.Random) -> None:
    supplier_ids = {s["name"]: s["supplier_id"] for s in book.suppliers}
    for n, f in enumerate(flows, 1):
        ref = f"R{n:06d}"
        book.bank_lines.append(
            {
                "line_id": f"BL{n:06d}",
                "account": "BNA-001",
                "date": f.day.isoformat(),
                "label": f.label,
                "amount": cents_str(f.cents),
                "reference": ref,
            }
        )
        if f.kind == "payment":
            book.payments.append(
                {
                    "payment_id": f"P{len(book.payments) + 1:05d}",
                    "date": f.day.isoformat(),
                    "client_id": f.extra["client_id"],
                    "invoice_number": f.extra["invoice_number"],
                    "amount": cents_str(f.cents),
                    "method": f.extra["method"],
                    "reference": ref,
                    "status": "cleared",
                }
            )
        elif f.kind == "expense":
            payee = f.extra["payee"]
            book.expenses.append(
                {
                    "expense_id": f"E{len(book.expenses) + 1:05d}",
                    "date": f.day.isoformat(),
                    "supplier_id": supplier_ids.get(payee, ""),
                    "payee": payee,
                    "category": f.extra["category"],
                    "amount": cents_str(-f.cents),
                    "method": f.extra["method"],
                    "reference": ref,
                    "supplier_invoice": "",
                    "employee": "",
                    "card_id": "",
                    "receipt": "yes",
                    "description": f.label.title(),
                }
            )


def _settle_balances(book: Book, rng: random.Random) -> None:
    """Opening balance: the books never go far below zero; threshold: a low quantile of the
    balances of the last year, so that the balance crosses it at some cut-offs and not others."""
    book.opening_balance = 0
    path = book.balances()
    low = min(path.values())
    cushion = book.profile.monthly_revenue * 100 * rng.uniform(0.15, 0.4)
    book.opening_balance = int(-low + cushion) // 10000 * 10000
    path = book.balances()
    last_year = sorted(v for d, v in path.items() if d >= BOOKS_END - timedelta(days=400))
    q = last_year[int(len(last_year) * rng.uniform(0.15, 0.3))]
    book.threshold = max(100_000_00, q // 10_000_000 * 10_000_000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--until", type=date.fromisoformat, default=None)
    args = parser.parse_args()
    for p in PROFILES:
        book = generate(p)
        book.write(args.out / p.key, until=args.until)
        split = "held-out" if p.held_out else "dev"
        print(
            f"{p.key:14} {split:8} {len(book.bank_lines):6} bank lines  threshold {book.threshold // 100}"
        )


if __name__ == "__main__":
    main()
