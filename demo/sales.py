"""Clients, invoices and the money they bring in (payments and their bank lines)."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from khazna.demo import ids
from khazna.demo.book import Book
from khazna.demo.catalog import CLIENTS, DEBOURS, HOME_SERVICES, MAINTENANCE, SERVICES, ClientSpec
from khazna.money import q2

PROJECT_RATE = 2.0  # more, smaller project invoices than the catalogue's base rates
PRICE_LEVEL = 1.0  # the catalogue's prices, scaled to this firm's margin
MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre"]  # fmt: skip
# (issue day, client row, invoice lines, meta: the number given, the invoice credited)
_Draft = tuple[date, dict, list[dict], dict[str, Any]]


def make_clients(book: Book) -> None:
    rng = book.rng
    for spec in CLIENTS:
        row = {
            "client_id": spec.client_id, "name": spec.name, "kind": spec.kind,
            "email": spec.email, "phone": spec.phone, "language": spec.language,
            "payment_terms_days": spec.terms, "nif": "", "nis": "", "rc": "", "ai": "",
            "address": spec.address, "_spec": spec,
        }  # fmt: skip
        if spec.kind in ("grand_compte", "pme"):
            row["nif"] = ids.nif(rng, spec.wilaya)
            row["nis"] = ids.nis(rng, spec.wilaya)
            row["rc"] = ids.rc(rng, spec.wilaya, "A" if spec.name.startswith("مؤسسة") else "B")
            row["ai"] = ids.ai(rng, spec.wilaya)
        elif spec.kind == "administration":  # public bodies have a NIF but no RC
            row["nif"] = ids.nif(rng, spec.wilaya)
            row["nis"] = ids.nis(rng, spec.wilaya)
            row["ai"] = ids.ai(rng, spec.wilaya)
        book.clients.append(row)


def _line(
    rng: random.Random,
    desc: str,
    unit: str,
    price_range: tuple[int, int],
    rate: int,
    *,
    qty: int | None = None,
) -> dict[str, Any]:
    lo, hi = price_range
    price = Decimal(rng.randrange(lo // 100, hi // 100 + 1) * 100)
    if qty is None:
        qty = {"jour": rng.randint(3, 18), "point": rng.randint(12, 60),
               "unité": rng.randint(1, 8), "session": rng.randint(1, 4)}.get(unit, 1)  # fmt: skip
    return {"description": desc, "quantity": Decimal(qty), "unit": unit,
            "unit_price_ht": price, "tva_rate": rate}  # fmt: skip


def _random_day(book: Book, month: date) -> date | None:
    nxt = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    days = [month + timedelta(days=i) for i in range((nxt - month).days)]
    days = [d for d in days if book.cal.is_working_day(d) and d <= book.as_of]
    return book.rng.choice(days) if days else None


def _growth(book: Book, month: date) -> float:
    """Business grows about 25 % over the 18 months."""
    span = max(1, (book.as_of - book.start).days)
    return 0.9 + 0.25 * (month - book.start).days / span


def make_invoices(book: Book) -> None:
    rng = book.rng
    drafts: list[tuple[date, dict, list[dict]]] = []
    for month in book.months(book.sales_start):
        g = _growth(book, month)
        first = book.working_on_or_after(month)
        for c in book.clients:
            spec: ClientSpec = c["_spec"]
            if spec.monthly_ht and first <= book.as_of:
                label = MAINTENANCE.format(month=f"{MONTHS_FR[month.month - 1]} {month.year}")
                price = Decimal(round(spec.monthly_ht * g * PRICE_LEVEL / 1000) * 1000)
                drafts.append((first, c, [{"description": label, "quantity": Decimal(1),
                                           "unit": "mois", "unit_price_ht": price,
                                           "tva_rate": 19}]))  # fmt: skip
            if spec.kind == "particulier" and month < book.start:
                continue
            count = spec.projects_per_month * g * PROJECT_RATE
            n = int(count) + (1 if rng.random() < count - int(count) else 0)
            for _ in range(n):
                d = _random_day(book, month)
                if d is None:
                    continue
                if spec.kind == "particulier":
                    lines = [_line(rng, *rng.choice(HOME_SERVICES), qty=1)]
                    if rng.random() < 0.3:
                        lines.append(_line(rng, *rng.choice(HOME_SERVICES), qty=1))
                else:
                    scale = spec.project_scale * PRICE_LEVEL / 600_000 / PROJECT_RATE
                    lines = []
                    for s in rng.sample(SERVICES, rng.randint(1, 3)):
                        ln = _line(rng, *s)
                        ln["unit_price_ht"] = max(
                            Decimal(1000),
                            q2(ln["unit_price_ht"] * Decimal(str(round(max(0.3, scale), 2))) / 100)
                            * 100,
                        )  # noqa: E501
                        lines.append(ln)
                    if rng.random() < 0.15:
                        lines.append(_line(rng, *DEBOURS, qty=1))
                drafts.append((d, c, lines))
    drafts.sort(key=lambda t: (t[0], t[1]["client_id"]))
    numbered: list[_Draft] = [(d, c, lines, {}) for d, c, lines in drafts]
    _insert_credit_note(book, numbered)
    counters: dict[int, int] = defaultdict(int)
    per_year: dict[int, int] = defaultdict(int)
    for t in numbered:
        per_year[t[0].year] += 1
    gap_year = max(per_year, key=lambda y: (per_year[y], y))
    gap_at = per_year[gap_year] * 2 // 3
    for day, c, lines, meta in numbered:
        counters[day.year] += 1
        if day.year == gap_year and counters[day.year] == gap_at:  # one number never issued
            book.facts["numbering_gap"] = f"F{day.year}-{counters[day.year]:04d}"
            counters[day.year] += 1
        meta["number"] = f"F{day.year}-{counters[day.year]:04d}"
        credited = ""
        if "credit_of" in meta:
            credited = meta["credit_of"]["number"]
            lines[0]["description"] = lines[0]["description"].format(number=credited)
        _add_invoice(book, meta["number"], day, c, lines, credited=credited)


def _insert_credit_note(book: Book, drafts: list[_Draft]) -> None:
    """An avoir (credit note) for part of a contested invoice, 20 days after it."""
    rng = book.rng
    cands = [t for t in drafts if t[1]["client_id"] == "C08" and len(t[2]) > 0
             and not t[2][0]["description"].startswith("Maintenance")
             and 200 <= (book.as_of - t[0]).days <= 300]  # fmt: skip
    if not cands:
        return
    d0, c, lines, meta = rng.choice(cands)
    first = lines[0]
    refund = max(
        Decimal(1000), q2(first["unit_price_ht"] * first["quantity"] * Decimal("0.15") / 100) * 100
    )
    refund = Decimal(int(refund / 100) * 100)
    avoir = [{"description": "Avoir sur facture {number} : réclamation sur « "
              + first["description"] + " », remise accordée", "quantity": Decimal(1),
              "unit": "forfait", "unit_price_ht": -refund, "tva_rate": first["tva_rate"]}]  # fmt: skip
    day = book.working_on_or_after(d0 + timedelta(days=20))
    drafts.append((day, c, avoir, {"credit_of": meta}))
    drafts.sort(key=lambda t: (t[0], t[1]["client_id"], "credit_of" in t[3]))


def _add_invoice(book: Book, number, d, c, lines, *, status="issued", credited="") -> dict:
    spec: ClientSpec = c["_spec"]
    method = {"cash": "especes", "cheque": "cheque"}.get(spec.profile, "virement")
    ht = tva = Decimal(0)
    for ln in lines:
        line_ht = q2(ln["quantity"] * ln["unit_price_ht"])
        ht += line_ht
        tva += q2(line_ht * ln["tva_rate"] / 100)
        book.lines.append({"number": number, **ln})
    inv_lines = lines
    timbre = ids.timbre(ht + tva) if method == "especes" else Decimal("0.00")
    inv = {
        "number": number, "client_id": c["client_id"], "issue_date": d,
        "due_date": d + timedelta(days=spec.terms), "payment_method": method,
        "total_ht": q2(ht), "total_tva": q2(tva), "timbre": timbre,
        "total_ttc": q2(ht + tva + timbre), "status": status, "credited_invoice": credited, "_lines": inv_lines,
    }  # fmt: skip
    book.invoices.append(inv)
    return inv


# --- payments -----------------------------------------------------------------------------


def _pay_date(book: Book, inv: dict, profile: str) -> date | None:
    rng = book.rng
    delay = {
        "on_time": lambda: rng.randint(-5, 3),
        "late": lambda: rng.randint(10, 20) if rng.random() < 0.85 else rng.randint(25, 45),
        "very_late": lambda: rng.randint(90, 150),
        "cheque": lambda: rng.randint(-2, 8),
        "cash": lambda: 0,
    }[profile]()
    base = inv["issue_date"] if profile == "cash" else inv["due_date"]
    d = max(inv["issue_date"], base + timedelta(days=delay))
    if d < book.start:  # paid before the statement starts: moved just after it
        d = book.start + timedelta(days=rng.randint(0, 30))
    d = book.working_on_or_after(d)
    return d if d <= book.as_of else None


def _receipt_label(book: Book, spec: ClientSpec, numbers: list[str]) -> str:
    r = book.rng.random()
    if r < 0.75:
        return f"VIR RECU {spec.bank_label} FACT {' '.join(numbers)}"
    if r < 0.9:
        return f"VIR RECU {spec.bank_label} REGL FACT {' '.join(numbers)}"
    return f"VIR RECU {spec.bank_label}"


class _Payments:
    def __init__(self, book: Book) -> None:
        self.book = book
        self.n = 0
        self.cash_pending: list[dict] = []

    def add(self, d: date, c: dict, numbers: list[str], amount: Decimal, *, method=None,
            status="cleared", label=None) -> dict:  # fmt: skip
        book, spec = self.book, c["_spec"]
        self.n += 1
        method = method or {"cash": "especes", "cheque": "cheque"}.get(spec.profile, "virement")
        pid = f"P-{self.n:04d}"
        ref = ""
        if method == "cheque":
            ref = f"{book.rng.randint(1000000, 9999999):07d}"
        elif method == "virement":
            ref = f"VR{d:%y%m%d}{book.rng.randint(1000, 9999)}"
        pay = {"payment_id": pid, "date": d, "client_id": c["client_id"],
               "invoice_number": ";".join(numbers), "amount": q2(amount), "method": method,
               "reference": ref, "status": status}  # fmt: skip
        book.payments.append(pay)
        settles = {"payment_id": pid, "invoices": numbers}
        if method == "virement":
            book.bank_add(d, label or _receipt_label(book, spec, numbers), pay["amount"],
                          "encaissement_client", ref, **settles)  # fmt: skip
        elif method == "cheque":
            credit = book.cal.add_working_days(d, book.rng.randint(1, 3))
            book.bank_add(credit, f"REMISE CHQ {ref}", pay["amount"], "encaissement_client",
                          ref, **settles)  # fmt: skip
            pay["_credit_date"] = credit
        else:
            self.cash_pending.append(pay)
        return pay

    def deposit_cash(self) -> None:
        """Cash takings go to the bank once a week (Sunday, or the next working day)."""
        by_week: dict[date, list[dict]] = defaultdict(list)
        for p in self.cash_pending:
            sunday = p["date"] + timedelta(days=(6 - p["date"].weekday()) % 7 or 7)
            by_week[self.book.working_on_or_after(sunday)].append(p)
        for d, pays in sorted(by_week.items()):
            total = sum((p["amount"] for p in pays), Decimal(0))
            self.book.bank_add(d, "VERSEMENT ESPECES", q2(total), "encaissement_client",
                               f"VE{d:%y%m%d}", payment_ids=[p["payment_id"] for p in pays],
                               invoices=[p["invoice_number"] for p in pays])  # fmt: skip


def make_payments(book: Book) -> None:
    """Each client pays the way its profile says; the special cases are set aside first."""
    pays = _Payments(book)
    special = _pick_special_cases(book)
    by_client: dict[str, list[dict]] = defaultdict(list)
    for inv in book.invoices:
        if inv["status"] == "issued" and not inv["credited_invoice"]:
            by_client[inv["client_id"]].append(inv)
    for c in book.clients:
        spec: ClientSpec = c["_spec"]
        invs = [i for i in by_client[c["client_id"]] if i["number"] not in special["skip"]]
        if spec.profile == "admin_batch":
            _admin_batches(book, pays, c, invs)
            continue
        for inv in invs:
            d = _pay_date(book, inv, spec.profile)
            if d is not None:
                pays.add(d, c, [inv["number"]], inv["total_ttc"])
    _special_payments(book, pays, special)
    pays.deposit_cash()
    book.payments.sort(key=lambda p: (p["date"], p["payment_id"]))


def _admin_batches(book: Book, pays: _Payments, c: dict, invs: list[dict]) -> None:
    """Public bodies pay through the Trésor, in batches, 60-120 days after the invoice."""
    rng = book.rng
    open_invs = sorted(invs, key=lambda i: i["issue_date"])
    d = max(
        book.sales_start + timedelta(days=rng.randint(75, 110)),
        book.start + timedelta(days=rng.randint(5, 20)),
    )
    mandat = rng.randint(100, 400)
    while d <= book.as_of and open_invs:
        batch = [i for i in open_invs if (d - i["issue_date"]).days >= 60]
        batch = [i for i in batch if (d - i["issue_date"]).days <= 150] or batch[:4]
        if batch:
            pay_day = book.working_on_or_after(d)
            if pay_day > book.as_of:
                break
            mandat += rng.randint(20, 90)
            total = sum((i["total_ttc"] for i in batch), Decimal(0))
            nums = [i["number"] for i in batch]
            label = f"VIR RECU {c['_spec'].bank_label} MANDAT {pay_day.year}/{mandat:04d}"
            pays.add(pay_day, c, nums, total, label=label)
            open_invs = [i for i in open_invs if i not in batch]
        d += timedelta(days=rng.randint(55, 95))


def _recent(book: Book, client_id: str, lo: int, hi: int) -> list[dict]:
    return [i for i in book.invoices if i["client_id"] == client_id and i["status"] == "issued"
            and not i["credited_invoice"] and lo <= (book.as_of - i["issue_date"]).days <= hi]  # fmt: skip


def _pick_special_cases(book: Book) -> dict:
    """Invoices whose payment story is written by hand (partial, grouped, cheque, avoir)."""
    rng = book.rng
    s: dict = {"skip": set()}
    s["partial_done"] = rng.choice(_recent(book, "C08", 120, 200))
    s["partial_open"] = rng.choice(_recent(book, "C06", 70, 110))
    s["grouped"] = sorted(_recent(book, "C01", 100, 170), key=lambda i: i["issue_date"])[:2]
    s["bounced"] = rng.choice(_recent(book, "C12", 45, 75) or _recent(book, "C07", 45, 75))
    s["credited"] = next(book.invoice(i["credited_invoice"]) for i in book.invoices
                         if i["credited_invoice"])  # fmt: skip
    s["cancelled"] = rng.choice([i for i in _recent(book, "C05", 150, 250)
                                 if not i["_lines"][0]["description"].startswith("Maint")]
                                or _recent(book, "C05", 150, 250))  # fmt: skip
    s["disputed"] = rng.choice(_recent(book, "C01", 45, 75))
    for key in ("partial_done", "partial_open", "bounced", "credited", "cancelled", "disputed"):
        s["skip"].add(s[key]["number"])
    s["skip"].update(i["number"] for i in s["grouped"])
    return s


def _special_payments(book: Book, pays: _Payments, s: dict) -> None:
    rng, cal = book.rng, book.cal
    f = book.facts
    # partial payments: one settled in two goes, one still half open
    inv = s["partial_done"]
    c = book.client(inv["client_id"])
    first = q2(inv["total_ttc"] * Decimal("0.6"))
    d1 = book.working_on_or_after(inv["due_date"] + timedelta(days=12))
    pays.add(d1, c, [inv["number"]], first)
    pays.add(cal.add_working_days(d1, 24), c, [inv["number"]], inv["total_ttc"] - first)
    inv = s["partial_open"]
    c = book.client(inv["client_id"])
    part = Decimal(round(inv["total_ttc"] * Decimal("0.4") / 1000) * 1000)
    pays.add(book.working_on_or_after(inv["due_date"] + timedelta(days=15)), c,
             [inv["number"]], part)  # fmt: skip
    f["partial_open"] = {"invoice": inv["number"], "paid": str(part)}
    # unallocated: the same client sends money without saying what for
    unalloc = pays.add(book.working_on_or_after(book.as_of - timedelta(days=21)), c, [],
                       Decimal("150000.00"), label=f"VIR RECU {c['_spec'].bank_label}")  # fmt: skip
    f["unallocated_payment"] = unalloc["payment_id"]
    # one transfer for two invoices
    grouped = s["grouped"]
    c = book.client("C01")
    d = book.working_on_or_after(max(i["due_date"] for i in grouped) + timedelta(days=14))
    total = sum((i["total_ttc"] for i in grouped), Decimal(0))
    grp = pays.add(d, c, [i["number"] for i in grouped], total)
    f["grouped_payment"] = grp["payment_id"]
    # returned cheque: REMISE CHQ credit, then IMPAYE CHQ debit and the bank's fee
    inv = s["bounced"]
    c = book.client(inv["client_id"])
    pay = pays.add(book.working_on_or_after(inv["due_date"] + timedelta(days=2)), c,
                   [inv["number"]], inv["total_ttc"], method="cheque", status="rejected")  # fmt: skip
    back = cal.add_working_days(pay["_credit_date"], rng.randint(4, 6))
    book.bank_add(back, f"IMPAYE CHQ {pay['reference']} {c['_spec'].bank_label}",
                  -pay["amount"], "encaissement_client", pay["reference"],
                  payment_id=pay["payment_id"], invoices=[inv["number"]])  # fmt: skip
    book.bank_add(back, f"FRAIS IMPAYE CHQ {pay['reference']}", Decimal("-1500.00"),
                  "frais_bancaires", pay["reference"])  # fmt: skip
    f["returned_cheque"] = {"payment_id": pay["payment_id"], "invoice": inv["number"]}
    # the contested invoice with a credit note is paid net of the avoir
    inv = s["credited"]
    avoir = next(i for i in book.invoices if i["credited_invoice"] == inv["number"])
    c = book.client(inv["client_id"])
    pays.add(book.working_on_or_after(max(inv["due_date"], avoir["issue_date"]) + timedelta(days=14)),
             c, [inv["number"]], inv["total_ttc"] + avoir["total_ttc"])  # fmt: skip
    f["credit_note"] = {"number": avoir["number"], "credited_invoice": inv["number"]}
    # a cancelled invoice (issued by mistake, never paid) and an open disputed one
    inv = s["cancelled"]
    inv["status"] = "cancelled"
    f["cancelled_invoice"] = inv["number"]
    f["disputed_invoice"] = s["disputed"]["number"]
