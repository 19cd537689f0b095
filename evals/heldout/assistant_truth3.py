#!/usr/bin/env python3
"""Held-out split 3 of the accountant's assistant: questions and their independent truth.

Standalone, standard library only (csv, json, decimal, datetime). It reads the CSV files of
a demo bundle and nothing of Khazna's code, computes the expected answer of every question
and writes evals/datasets/assistant_heldout3.yaml in the format of assistant_heldout2.yaml.

The bundle (seed 41, as of 2026-09-20, never used by another split):

    KHAZNA_HOME=/tmp/s27h/home .venv/bin/khazna demo --seed 41 --as-of 2026-09-20 \
        --db sqlite:////tmp/s27h/demo41.db --dir /tmp/s27h/bundle41 --json
    python3 evals/heldout/assistant_truth3.py /tmp/s27h/bundle41

(the demo is deterministic: a second run with the same seed and date wrote identical
files; the sha256 of each CSV is written into the header of the YAML).

Conventions (from spec/bundle.md and spec/cli.md; every question is read with them):
- As-of date AS_OF = 2026-09-20 (a Sunday). "aujourd'hui", "à ce jour", "ce mois-ci"
  (1-20 Sept 2026), "le mois dernier" (August 2026), "cette année" / "depuis le début de
  l'année" (2026-01-01..AS_OF), "l'an dernier" (2025), T1..T4 / S1, S2 are calendar
  quarters / halves; a period is inclusive at both ends.
- Money is Decimal, written with 2 decimals as a quoted string; counts and numbers of days
  are integers; percentages are quoted with 2 decimals (ROUND_HALF_UP).
- Cancelled invoices (status cancelled) count nowhere (not invoiced, not open, not counted),
  except in the one question about cancelled invoices.
- A credit note (avoir) is an invoice with a negative total naming the invoice it corrects.
  It is not an invoice for counts, largest invoice or averages; it reduces the open amount
  of the invoice it corrects; in "amount invoiced" (TTC, HT, TVA) it is netted in, i.e. the
  figure is net of credit notes, unless the question says "hors avoirs"/"before credit
  notes". "Montant des avoirs" is given as a positive magnitude.
- Open amount of an invoice on day D = total_ttc - cleared payments dated <= D allocated to
  it - credit notes issued <= D against it. A payment naming several invoices is allocated
  oldest first (issue date, then number), each up to its open amount. Rejected payments
  count nowhere (the invoice is open again). The unallocated payment reduces no invoice.
  "Open receivables" / "créances" / "encours" = sum of open amounts > 0 (items: invoices).
- Overdue (échue, en retard) = open and due_date < AS_OF; "not yet due" (non échue) =
  open and due_date >= AS_OF. Days late = AS_OF - due_date. Age buckets by days late:
  not_due (<= 0), 1_30, 31_60, 61_90, over_90 (> 90).
- Average days late = plain mean over overdue invoices; weighted = weighted by open amount.
- "Facturé" / "invoiced" / "CA" with neither HT nor TTC means TTC. A "fournisseur" /
  supplier is a row of suppliers.csv (the tax office and the CNAS included); a "dépense" /
  expense is any row of expenses.csv (salaries, taxes and the dividends included).
- Invoiced amounts by issue_date; receipts (encaissements) = cleared payments by payment
  date (items: payment ids), whatever the invoice; expenses = expenses.csv rows by date
  (items: expense ids), filters on category, supplier_id, employee, card_id, method.
- Bank: credits = sum of positive lines, debits = sum of |negative lines| (a positive
  figure), net = signed sum; balance at the end of day D = company opening_balance +
  signed lines dated <= D (no balance before the opening date 2025-04-01).
- Two-step questions: share = 100 * part / whole; difference = a - b in the order the
  question states; change = later - earlier (or 100 * (later - earlier) / earlier when a
  percentage is asked). Their items are the union of the ids of both measures.
- Top N: items are the ids in order (ordered: true); value is the total of the N when the
  question asks for it, else the amount of the first.
- Days since last payment = AS_OF - date of the client's last cleared payment (items: that
  payment).
- Expected null: unknown client / supplier / invoice / card, impossible date, a date the
  books do not cover, a measure the books do not hold.
"""
import csv
import hashlib
import json
import sys
from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

AS_OF = date(2026, 9, 20)
SEED = 41
ZERO = Decimal("0")
CENT = Decimal("0.01")
ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "evals" / "datasets" / "assistant_heldout3.yaml"


# ---------------------------------------------------------------- the books

class Books:
    def __init__(self, bundle):
        b = Path(bundle)

        def rows(name):
            with open(b / name, encoding="utf-8-sig", newline="") as fh:
                return list(csv.DictReader(fh))

        self.hashes = {f.name: hashlib.sha256(f.read_bytes()).hexdigest()
                       for f in sorted(b.glob("*.csv"))}
        self.company = json.loads((b / "company.json").read_text(encoding="utf-8"))
        self.clients = {c["client_id"]: c for c in rows("clients.csv")}
        self.suppliers = {s["supplier_id"]: s for s in rows("suppliers.csv")}
        self.all_invoices = rows("invoices.csv")
        for i in self.all_invoices:
            i["ttc"] = Decimal(i["total_ttc"])
            i["ht"] = Decimal(i["total_ht"])
            i["tva"] = Decimal(i["total_tva"])
            i["stamp"] = Decimal(i["timbre"] or "0")
            i["issue"] = date.fromisoformat(i["issue_date"])
            i["due"] = date.fromisoformat(i["due_date"])
            i["status"] = i["status"] or "issued"
        self.by_number = {i["number"]: i for i in self.all_invoices}
        self.issued = [i for i in self.all_invoices if i["status"] == "issued"]
        self.invoices = [i for i in self.issued if i["ttc"] > 0]      # not credit notes
        self.credit_notes = [i for i in self.issued if i["ttc"] < 0]
        self.payments = rows("payments.csv")
        for p in self.payments:
            p["amt"] = Decimal(p["amount"])
            p["day"] = date.fromisoformat(p["date"])
            p["status"] = p["status"] or "cleared"
        self.cleared = [p for p in self.payments if p["status"] == "cleared"]
        self.expenses = rows("expenses.csv")
        for e in self.expenses:
            e["amt"] = Decimal(e["amount"])
            e["day"] = date.fromisoformat(e["date"])
        self.bank = rows("bank_lines.csv")
        for ln in self.bank:
            ln["amt"] = Decimal(ln["amount"])
            ln["day"] = date.fromisoformat(ln["date"])
        self.commitments = rows("commitments.csv")
        self.opening = Decimal(str(self.company["opening_balance"]))
        self.opening_date = date.fromisoformat(self.company["opening_date"])

    # open amounts ------------------------------------------------------
    def open_amounts(self, day=AS_OF):
        paid = defaultdict(lambda: ZERO)
        credit = defaultdict(lambda: ZERO)
        for c in self.credit_notes:
            if c["issue"] <= day and c["credited_invoice"]:
                credit[c["credited_invoice"]] += -c["ttc"]
        for p in sorted(self.cleared, key=lambda p: (p["day"], p["payment_id"])):
            if p["day"] > day:
                continue
            nums = [n for n in p["invoice_number"].split(";") if n.strip()]
            nums.sort(key=lambda n: (self.by_number[n]["issue"], n))
            rest = p["amt"]
            for n in nums:
                inv = self.by_number[n]
                left = max(inv["ttc"] - paid[n] - credit[n], ZERO)
                a = min(left, rest)
                paid[n] += a
                rest -= a
        out = {}
        for i in self.invoices:
            if i["issue"] > day:
                continue
            v = i["ttc"] - paid[i["number"]] - credit[i["number"]]
            if v > 0:
                out[i["number"]] = v
        self._paid = paid
        return out

    def open_list(self, day=AS_OF, client=None, kind=None, overdue=None, bucket=None,
                  method=None):
        res = {}
        for n, v in self.open_amounts(day).items():
            i = self.by_number[n]
            late = (day - i["due"]).days
            if client and i["client_id"] not in _set(client):
                continue
            if kind and self.clients[i["client_id"]]["kind"] not in _set(kind):
                continue
            if overdue is True and late <= 0:
                continue
            if overdue is False and late > 0:
                continue
            if bucket and bucket_of(late) not in _set(bucket):
                continue
            if method and i["payment_method"] != method:
                continue
            res[n] = v
        return res

    # flows ---------------------------------------------------------------
    def invoiced(self, start, end, field="ttc", client=None, kind=None, method=None,
                 credit_notes=True):
        rows = self.issued if credit_notes else self.invoices
        sel = [i for i in rows if start <= i["issue"] <= end
               and (not client or i["client_id"] in _set(client))
               and (not kind or self.clients[i["client_id"]]["kind"] in _set(kind))
               and (not method or i["payment_method"] == method)]
        return sum((i[field] for i in sel), ZERO), [i["number"] for i in sel]

    def invoice_rows(self, start, end, client=None, kind=None, method=None):
        return [i for i in self.invoices if start <= i["issue"] <= end
                and (not client or i["client_id"] in _set(client))
                and (not kind or self.clients[i["client_id"]]["kind"] in _set(kind))
                and (not method or i["payment_method"] == method)]

    def receipts(self, start, end, client=None, method=None, kind=None):
        sel = [p for p in self.cleared if start <= p["day"] <= end
               and (not client or p["client_id"] in _set(client))
               and (not kind or self.clients[p["client_id"]]["kind"] in _set(kind))
               and (not method or p["method"] == method)]
        return sum((p["amt"] for p in sel), ZERO), [p["payment_id"] for p in sel]

    def expense_rows(self, start, end, category=None, supplier=None, employee=None,
                     card=None, method=None, payee=None, receipt=None):
        return [e for e in self.expenses if start <= e["day"] <= end
                and (not category or e["category"] in _set(category))
                and (not supplier or e["supplier_id"] in _set(supplier))
                and (not employee or e["employee"] == employee)
                and (not card or e["card_id"] == card)
                and (not method or e["method"] == method)
                and (not payee or e["payee"] == payee)
                and (receipt is None or e["receipt"] == receipt)]

    def spent(self, start, end, **kw):
        sel = self.expense_rows(start, end, **kw)
        return sum((e["amt"] for e in sel), ZERO), [e["expense_id"] for e in sel]

    def bank_lines(self, start, end, sign=None):
        sel = [ln for ln in self.bank if start <= ln["day"] <= end
               and (sign is None or (sign > 0 and ln["amt"] > 0) or (sign < 0 and ln["amt"] < 0))]
        return sel

    def balance(self, day):
        if day < self.opening_date or day > AS_OF:
            return None
        return self.opening + sum((ln["amt"] for ln in self.bank if ln["day"] <= day), ZERO)


def _set(x):
    return {x} if isinstance(x, str) else set(x)


def bucket_of(late):
    if late <= 0:
        return "not_due"
    if late <= 30:
        return "1_30"
    if late <= 60:
        return "31_60"
    if late <= 90:
        return "61_90"
    return "over_90"


# ---------------------------------------------------------------- periods

def month(y, m):
    start = date(y, m, 1)
    end = (date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1))
    return start, min(end, AS_OF)


def quarter(y, q):
    start = date(y, 3 * q - 2, 1)
    return start, month(y, 3 * q)[1]


def half(y, h):
    return (date(y, 1, 1), month(y, 6)[1]) if h == 1 else (date(y, 7, 1), month(y, 12)[1])


def year(y):
    return date(y, 1, 1), min(date(y, 12, 31), AS_OF)


YTD = (date(2026, 1, 1), AS_OF)
THIS_MONTH = month(2026, 9)
LAST_MONTH = month(2026, 8)


# ---------------------------------------------------------------- answers

def money(v):
    return Decimal(v).quantize(CENT, rounding=ROUND_HALF_UP)


def pct(part, whole):
    return money(Decimal(100) * part / whole)


class A:
    """An expected answer: value (Decimal money / percent, int, or None) and items."""

    def __init__(self, value, items=(), ordered=False, integer=False):
        self.value = value
        self.items = list(items)
        self.ordered = ordered
        self.integer = integer


def union(*lists):
    seen, out = set(), []
    for lst in lists:
        for x in lst:
            if x not in seen:
                seen.add(x)
                out.append(x)
    return out


def a_sum(pairs):
    v, items = pairs
    return A(money(v), items)


def a_dict(d):
    return A(money(sum(d.values(), ZERO)), sorted(d))


def a_count(items):
    items = list(items)
    return A(len(items), items, integer=True)


NULL = A(None)


# ---------------------------------------------------------------- measures

def open_(b, day=AS_OF, **kw):
    return a_dict(b.open_list(day, **kw))


def open_count(b, **kw):
    return a_count(sorted(b.open_list(**kw)))


def overdue_clients(b, **kw):
    return a_count(sorted({b.by_number[n]["client_id"] for n in b.open_list(overdue=True, **kw)}))


def inv(b, period, field="ttc", **kw):
    return a_sum(b.invoiced(*period, field=field, **kw))


def inv_count(b, period, **kw):
    return a_count(i["number"] for i in b.invoice_rows(*period, **kw))


def stamp(b, period):
    rows = [i for i in b.issued if period[0] <= i["issue"] <= period[1] and i["stamp"] != 0]
    return A(money(sum((i["stamp"] for i in rows), ZERO)), [i["number"] for i in rows])


def rec(b, period, **kw):
    return a_sum(b.receipts(*period, **kw))


def rec_count(b, period, **kw):
    return a_count(b.receipts(*period, **kw)[1])


def spend(b, period, **kw):
    return a_sum(b.spent(*period, **kw))


def exp_count(b, period, **kw):
    return a_count(e["expense_id"] for e in b.expense_rows(*period, **kw))


def bank_sum(b, period, sign):
    lines = b.bank_lines(*period, sign=sign)
    total = sum((ln["amt"] for ln in lines), ZERO)
    return A(money(abs(total) if sign else total), [ln["line_id"] for ln in lines])


def bal(b, day):
    v = b.balance(day)
    return NULL if v is None else A(money(v))


def days_late(b, number):
    i = b.by_number[number]
    assert number in b.open_amounts(), number
    return A((AS_OF - i["due"]).days, [number], integer=True)


def since_payment(b, client):
    ps = sorted((p for p in b.cleared if p["client_id"] == client and p["day"] <= AS_OF),
                key=lambda p: (p["day"], p["payment_id"]))
    last = ps[-1]
    return A((AS_OF - last["day"]).days, [last["payment_id"]], integer=True)


def avg_late(b, weighted=False, **kw):
    d = b.open_list(overdue=True, **kw)
    lates = {n: Decimal((AS_OF - b.by_number[n]["due"]).days) for n in d}
    if weighted:
        v = sum((lates[n] * d[n] for n in d), ZERO) / sum(d.values(), ZERO)
    else:
        v = sum(lates.values(), ZERO) / len(lates)
    return A(money(v), sorted(d))


def avg_invoice(b, period, field="ttc", **kw):
    rows = b.invoice_rows(*period, **kw)
    return A(money(sum((i[field] for i in rows), ZERO) / len(rows)), [i["number"] for i in rows])


def largest_invoice(b, period, **kw):
    rows = b.invoice_rows(*period, **kw)
    top = max(rows, key=lambda i: i["ttc"])
    assert sum(1 for i in rows if i["ttc"] == top["ttc"]) == 1
    return A(money(top["ttc"]), [top["number"]])


def largest_expense(b, period, **kw):
    rows = b.expense_rows(*period, **kw)
    top = max(rows, key=lambda e: e["amt"])
    assert sum(1 for e in rows if e["amt"] == top["amt"]) == 1
    return A(money(top["amt"]), [top["expense_id"]])


def _top(totals, n, total):
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    assert len(ranked) <= n or ranked[n - 1][1] != ranked[n][1], "tie at the cut"
    ranked = ranked[:n]
    v = sum((x for _, x in ranked), ZERO) if total else ranked[0][1]
    return A(money(v), [k for k, _ in ranked], ordered=True)


def top_clients_open(b, n, total=False, **kw):
    t = defaultdict(lambda: ZERO)
    for num, v in b.open_list(**kw).items():
        t[b.by_number[num]["client_id"]] += v
    return _top(t, n, total)


def top_clients_invoiced(b, period, n, total=False, field="ttc"):
    t = defaultdict(lambda: ZERO)
    for i in b.issued:
        if period[0] <= i["issue"] <= period[1]:
            t[i["client_id"]] += i[field]
    return _top(t, n, total)


def top_suppliers(b, period, n, total=False):
    t = defaultdict(lambda: ZERO)
    for e in b.expense_rows(*period):
        if e["supplier_id"]:
            t[e["supplier_id"]] += e["amt"]
    return _top(t, n, total)


def partial(b):
    op = b.open_amounts()
    d = {n: v for n, v in op.items() if v < b.by_number[n]["ttc"]}
    return a_dict(d)


def credit_notes(b, period, count=False):
    rows = [c for c in b.credit_notes if period[0] <= c["issue"] <= period[1]]
    if count:
        return a_count(c["number"] for c in rows)
    return A(money(-sum((c["ttc"] for c in rows), ZERO)), [c["number"] for c in rows])


def cancelled(b):
    return a_count(i["number"] for i in b.all_invoices if i["status"] == "cancelled")


def rejected(b):
    rows = [p for p in b.payments if p["status"] == "rejected"]
    return A(money(sum((p["amt"] for p in rows), ZERO)), [p["payment_id"] for p in rows])


def unallocated(b):
    rows = [p for p in b.cleared if not p["invoice_number"].strip()]
    return A(money(sum((p["amt"] for p in rows), ZERO)), [p["payment_id"] for p in rows])


def clients_of_kind(b, kind):
    return a_count(sorted(c for c, r in b.clients.items() if r["kind"] == kind))


def clients_invoiced(b, period):
    return a_count(sorted({i["client_id"] for i in b.invoice_rows(*period)}))


# two-step combinations
def share(part, whole):
    return A(pct(part.value, whole.value), union(part.items, whole.items))


def diff(a, c):
    return A(money(a.value - c.value), union(a.items, c.items))


def change(earlier, later, percent=False):
    d = later.value - earlier.value
    v = pct(d, earlier.value) if percent else money(d)
    return A(v, union(earlier.items, later.items))


# ---------------------------------------------------------------- the questions
# (question, language, kind, answer(books), definition, family)
# family: "simple", "filtered" (a filter beyond the period), "two_step", "null"

Q = []


def q(text, lang, kind, fn, definition, family="simple"):
    Q.append((text, lang, kind, fn, definition, family))


d = date
ALL = (d(2025, 1, 1), AS_OF)
Y25, Y26 = year(2025), YTD
F, FI, T2, N = "filtered", "filtered", "two_step", "null"

# ------------------------------------------------------------- French (120)
q("Combien nos clients nous doivent-ils en tout aujourd'hui ?", "fr", "open_receivables",
  lambda b: open_(b), "open receivables, all clients, on 2026-09-20")
q("c'est quoi ma tréso aujourd'hui", "fr", "balance",
  lambda b: bal(b, AS_OF), "bank balance at the end of 2026-09-20")
q("combien on a en banque ce soir ?", "fr", "balance",
  lambda b: bal(b, AS_OF), "bank balance at the end of 2026-09-20")
q("Solde du compte bancaire au 30/06/2026 ?", "fr", "balance",
  lambda b: bal(b, d(2026, 6, 30)), "bank balance at the end of 2026-06-30")
q("quel etait le solde banque fin 2025", "fr", "balance",
  lambda b: bal(b, d(2025, 12, 31)), "bank balance at the end of 2025-12-31")
q("Combien a-t-on réglé à la papeterie el amel en 2025 ?", "fr", "expenses",
  lambda b: spend(b, Y25, supplier="S09"),
  "expenses of supplier S09 Papeterie El Amel in 2025 (not the client C11 El Amel)", F)
q("Total des créances échues à ce jour ?", "fr", "overdue",
  lambda b: open_(b, overdue=True), "open amounts with due_date < 2026-09-20")
q("créances échues de 31 à 60 jours", "fr", "overdue",
  lambda b: open_(b, bucket="31_60"), "open, 31-60 days past due", F)
q("Montant des impayés de plus de 90 jours ?", "fr", "overdue",
  lambda b: open_(b, bucket="over_90"), "open, more than 90 days past due", F)
q("balance agee : combien dans la tranche 61-90 j ?", "fr", "overdue",
  lambda b: open_(b, bucket="61_90"), "open, 61-90 days past due", F)
q("factures échues des administrations : total ?", "fr", "overdue",
  lambda b: open_(b, overdue=True, kind="administration"),
  "overdue open amounts of clients of kind administration", F)
q("Combien nous doivent les grands comptes, échu et non échu confondus ?", "fr",
  "open_receivables", lambda b: open_(b, kind="grand_compte"),
  "open receivables of grand_compte clients", F)
q("encours des PME pas encore échu", "fr", "not_due",
  lambda b: open_(b, kind="pme", overdue=False), "open, not yet due, pme clients", F)
q("Sonarep nous doit combien ?", "fr", "open_receivables",
  lambda b: open_(b, client="C01"), "open receivables of C01 SONAREP", F)
q("combien doit cosider", "fr", "open_receivables",
  lambda b: open_(b, client="C04"), "open receivables of C04 COSIDAR (typo)", F)
q("Qu'est-ce que Cosidar a d'échu chez nous ?", "fr", "overdue",
  lambda b: open_(b, client="C04", overdue=True), "overdue open amounts of C04", F)
q("la direction de l'education d'alger nous doit combien en retard ?", "fr", "overdue",
  lambda b: open_(b, client="C15", overdue=True), "overdue open amounts of C15", F)
q("APC Bab Ezzouar : encours total ?", "fr", "open_receivables",
  lambda b: open_(b, client="C14"), "open receivables of C14", F)
q("Combien de factures sont en retard de paiement ?", "fr", "overdue_count",
  lambda b: open_count(b, overdue=True), "number of overdue open invoices")
q("Combien de clients ont au moins une facture échue ?", "fr", "overdue_clients",
  lambda b: overdue_clients(b), "number of distinct clients with an overdue open invoice")
q("Nombre de factures pas encore soldées aujourd'hui ?", "fr", "open_count",
  lambda b: open_count(b), "number of invoices with an open amount > 0")
q("Quel est le client qui nous doit le plus ?", "fr", "ranking",
  lambda b: top_clients_open(b, 1), "client with the largest open receivables; value = its total")
q("Top 3 des clients par créances échues, et combien ils doivent à eux trois ?", "fr",
  "ranking", lambda b: top_clients_open(b, 3, total=True, overdue=True),
  "3 clients with the largest overdue amounts, ordered; value = their sum", F)
q("Quelle part de nos créances est échue, en % ?", "fr", "share",
  lambda b: share(open_(b, overdue=True), open_(b)), "100 * overdue / open receivables", T2)
q("Part de Cosidar dans l'encours clients total (pourcentage)", "fr", "share",
  lambda b: share(open_(b, client="C04"), open_(b)), "100 * open C04 / open all", T2)
q("Quel pourcentage des créances échues est dû par les administrations ?", "fr", "share",
  lambda b: share(open_(b, overdue=True, kind="administration"), open_(b, overdue=True)),
  "100 * overdue of administration clients / all overdue", T2)
q("CA TTC de 2025 ?", "fr", "invoiced",
  lambda b: inv(b, Y25), "sum total_ttc of invoices issued in 2025 (no credit note in 2025)")
q("chiffre d'affaires HT du T2 2026", "fr", "invoiced",
  lambda b: inv(b, quarter(2026, 2), "ht"), "sum total_ht issued 2026-04-01..06-30")
q("Combien a-t-on facturé en août 2026, TTC ?", "fr", "invoiced",
  lambda b: inv(b, month(2026, 8)), "sum total_ttc issued in August 2026")
q("facturation HT du mois dernier", "fr", "invoiced",
  lambda b: inv(b, LAST_MONTH, "ht"), "sum total_ht issued in August 2026")
q("CA HT du premier semestre 2026, net des avoirs", "fr", "invoiced",
  lambda b: inv(b, half(2026, 1), "ht"), "sum total_ht issued in H1 2026, credit note netted in")
q("Montant facturé TTC en janvier 2026 hors avoirs", "fr", "invoiced",
  lambda b: inv(b, month(2026, 1), credit_notes=False),
  "sum total_ttc of January 2026 invoices, credit notes excluded", F)
q("Combien avons-nous facturé à Sonelec depuis le début de l'année (TTC) ?", "fr", "invoiced",
  lambda b: inv(b, YTD, client="C02"), "total_ttc issued to C02 in 2026-01-01..09-20", F)
q("facturé aux particuliers en 2025, TTC", "fr", "invoiced",
  lambda b: inv(b, Y25, kind="particulier"), "total_ttc issued to particulier clients in 2025", F)
q("Évolution du CA HT net des avoirs entre le T1 et le T2 2026, en dinars ?", "fr", "change",
  lambda b: change(inv(b, quarter(2026, 1), "ht"), inv(b, quarter(2026, 2), "ht")),
  "HT(Q2 2026) - HT(Q1 2026), credit note netted in Q1", T2)
q("De combien de % notre CA TTC a-t-il varié du T2 au T3 2025 ?", "fr", "change",
  lambda b: change(inv(b, quarter(2025, 2)), inv(b, quarter(2025, 3)), percent=True),
  "100 * (TTC Q3 2025 - TTC Q2 2025) / TTC Q2 2025", T2)
q("Écart entre le facturé TTC de juillet 2026 et celui de juillet 2025 ?", "fr", "difference",
  lambda b: diff(inv(b, month(2026, 7)), inv(b, month(2025, 7))),
  "TTC July 2026 - TTC July 2025", T2)
q("Nombre de factures émises en mars 2026", "fr", "invoice_count",
  lambda b: inv_count(b, month(2026, 3)), "invoices (not credit notes, not cancelled) issued in March 2026")
q("Combien de factures payables en espèces avons-nous émises cette année ?", "fr",
  "invoice_count", lambda b: inv_count(b, YTD, method="especes"),
  "invoices with payment_method especes issued 2026-01-01..09-20", F)
q("TVA collectée du T2 2026", "fr", "vat",
  lambda b: inv(b, quarter(2026, 2), "tva"), "sum total_tva issued in Q2 2026")
q("Droit de timbre perçu sur nos factures en 2025", "fr", "stamp_duty",
  lambda b: stamp(b, Y25), "sum timbre of invoices issued in 2025")
q("Encaissements clients d'août 2026", "fr", "receipts",
  lambda b: rec(b, month(2026, 8)), "cleared payments dated in August 2026")
q("Combien avons-nous encaissé en espèces en juin 2026 ?", "fr", "receipts",
  lambda b: rec(b, month(2026, 6), method="especes"), "cleared cash payments in June 2026", F)
q("Ce que Sonarep nous a versé en 2025", "fr", "receipts",
  lambda b: rec(b, Y25, client="C01"), "cleared payments of C01 in 2025", F)
q("encaissements depuis le debut de l'annee", "fr", "receipts",
  lambda b: rec(b, YTD), "cleared payments 2026-01-01..09-20")
q("Combien de règlements clients avons-nous reçus en juillet 2026 ?", "fr", "receipt_count",
  lambda b: rec_count(b, month(2026, 7)), "number of cleared payments in July 2026")
q("Encaissements par chèque au T2 2026", "fr", "receipts",
  lambda b: rec(b, quarter(2026, 2), method="cheque"), "cleared cheque payments in Q2 2026", F)
q("Différence entre ce qu'on a encaissé et ce qu'on a facturé TTC en août 2026 ?", "fr",
  "difference", lambda b: diff(rec(b, month(2026, 8)), inv(b, month(2026, 8))),
  "receipts Aug 2026 - invoiced TTC Aug 2026", T2)
q("Combien avons-nous dépensé en carburant en 2025 ?", "fr", "expenses",
  lambda b: spend(b, Y25, category="carburant"), "expenses of category carburant in 2025", F)
q("Combien a-t-on payé à Sonelgaz depuis janvier ?", "fr", "expenses",
  lambda b: spend(b, YTD, supplier="S02"), "expenses of supplier S02 in 2026-01-01..09-20", F)
q("total versé à algerie telecom en 2025", "fr", "expenses",
  lambda b: spend(b, Y25, supplier="S03"), "expenses of supplier S03 in 2025", F)
q("paiements au cabinet Hamidi cette année ?", "fr", "expenses",
  lambda b: spend(b, YTD, supplier="S10"), "expenses of supplier S10 in 2026", F)
q("Combien nous a coûté la sous-traitance au S1 2026 ?", "fr", "expenses",
  lambda b: spend(b, half(2026, 1), category="sous_traitance"),
  "expenses of category sous_traitance in H1 2026", F)
q("Combien S. Meziane a-t-il dépensé avec la carte en août 2026 ?", "fr", "expenses",
  lambda b: spend(b, month(2026, 8), employee="S. Meziane"),
  "expenses with employee S. Meziane in August 2026", F)
q("Combien de dépenses sans justificatif depuis le début de l'année ?", "fr",
  "expense_count", lambda b: exp_count(b, YTD, receipt="no"),
  "number of expenses with receipt = no in 2026", F)
q("dépenses réglées en espèces en juillet 2026", "fr", "expenses",
  lambda b: spend(b, month(2026, 7), method="especes"), "expenses with method especes in July 2026", F)
q("Quelle part des dépenses de 2025 est partie en salaires ?", "fr", "share",
  lambda b: share(spend(b, Y25, category="salaires"), spend(b, Y25)),
  "100 * expenses salaires 2025 / all expenses 2025", T2)
q("Combien ont coûté les fournitures de bureau d'avril à juin 2026 ?", "fr", "expenses",
  lambda b: spend(b, quarter(2026, 2), category="fournitures"), "expenses fournitures in Q2 2026", F)
q("Quelle est la plus grosse dépense de l'année ?", "fr", "largest_expense",
  lambda b: largest_expense(b, YTD), "largest single expense in 2026")
q("Plus grosse facture émise en 2025 ?", "fr", "largest_invoice",
  lambda b: largest_invoice(b, Y25), "largest single invoice (total_ttc) issued in 2025")
q("Total des débits bancaires de mai 2026", "fr", "bank",
  lambda b: bank_sum(b, month(2026, 5), -1), "sum |negative bank lines| in May 2026")
q("crédits en banque en juillet 2026 ?", "fr", "bank",
  lambda b: bank_sum(b, month(2026, 7), 1), "sum positive bank lines in July 2026")
q("flux net du compte bancaire en août 2026", "fr", "bank_net",
  lambda b: bank_sum(b, month(2026, 8), None), "signed sum of bank lines in August 2026")
q("Combien de jours de retard sur la facture F2026-0121 ?", "fr", "days_late",
  lambda b: days_late(b, "F2026-0121"), "2026-09-20 - due_date of F2026-0121")
q("La F2026-0222 a combien de jours de retard ?", "fr", "days_late",
  lambda b: days_late(b, "F2026-0222"), "2026-09-20 - due_date of F2026-0222")
q("Depuis combien de jours Cosidar ne nous a rien réglé ?", "fr", "days_since_payment",
  lambda b: since_payment(b, "C04"), "2026-09-20 - date of C04's last cleared payment", F)
q("Dernier paiement de l'EPH Rouiba : il y a combien de jours ?", "fr", "days_since_payment",
  lambda b: since_payment(b, "C17"), "2026-09-20 - date of C17's last cleared payment", F)
q("Retard moyen des factures échues, en jours ?", "fr", "average",
  lambda b: avg_late(b), "mean of days late over overdue open invoices")
q("retard moyen pondéré par les montants restant dus", "fr", "average",
  lambda b: avg_late(b, weighted=True), "days late weighted by open amount, overdue invoices", T2)
q("Montant moyen d'une facture en 2025 (TTC) ?", "fr", "average",
  lambda b: avg_invoice(b, Y25), "mean total_ttc of invoices issued in 2025", T2)
q("Quelles factures sont payées en partie seulement, et combien reste-t-il dessus ?", "fr",
  "partial", lambda b: partial(b), "open invoices with some payment allocated; value = their open sum", F)
q("Combien d'avoirs avons-nous émis en 2026 ?", "fr", "credit_notes",
  lambda b: credit_notes(b, YTD, count=True), "number of credit notes issued in 2026")
q("Montant total des avoirs de l'année", "fr", "credit_notes",
  lambda b: credit_notes(b, YTD), "magnitude of credit notes issued in 2026")
q("Combien de factures ont été annulées ?", "fr", "cancelled",
  lambda b: cancelled(b), "invoices with status cancelled")
q("Le chèque impayé de Numidia, il était de combien ?", "fr", "rejected",
  lambda b: rejected(b), "amount of the rejected payment (C07)", F)
q("Y a-t-il un règlement qu'on n'a affecté à aucune facture ? de combien ?", "fr",
  "unallocated", lambda b: unallocated(b), "cleared payments with no invoice_number", F)
q("Combien de clients différents a-t-on facturés en août 2026 ?", "fr", "client_count",
  lambda b: clients_invoiced(b, month(2026, 8)), "distinct clients of invoices issued Aug 2026", F)
q("Encours de Tassili ingenierie non echu", "fr", "not_due",
  lambda b: open_(b, client="C08", overdue=False), "open not yet due amounts of C08", F)
q("Créances non échues au total ?", "fr", "not_due",
  lambda b: open_(b, overdue=False), "open amounts with due_date >= 2026-09-20", F)
q("Combien de factures de Bordj Logistique restent ouvertes ?", "fr", "open_count",
  lambda b: open_count(b, client="C06"), "open invoices of C06", F)
q("El Manar Print : combien d'impayés de plus de 30 jours ?", "fr", "overdue",
  lambda b: open_(b, client="C09", bucket=("31_60", "61_90", "over_90")),
  "open amounts of C09 more than 30 days past due", F)
q("Variation de l'encours clients entre le 30/06/2026 et aujourd'hui ?", "fr", "change",
  lambda b: change(open_(b, d(2026, 6, 30)), open_(b)),
  "open receivables on 2026-09-20 - open receivables on 2026-06-30", T2)
q("créances clients au 31/12/2025", "fr", "open_receivables",
  lambda b: open_(b, d(2025, 12, 31)), "open receivables on 2025-12-31")
q("Écart des dépenses entre T1 et T2 2026 ?", "fr", "change",
  lambda b: change(spend(b, quarter(2026, 1)), spend(b, quarter(2026, 2))),
  "expenses Q2 2026 - expenses Q1 2026", T2)
q("Quel fournisseur a-t-on le plus payé en 2025 ?", "fr", "ranking",
  lambda b: top_suppliers(b, Y25, 1), "supplier with the largest expenses in 2025; value = its total")
q("combien de virements reçus de Djazair Mobile cette année ?", "fr", "receipt_count",
  lambda b: rec_count(b, YTD, client="C03"), "cleared payments of C03 in 2026", F)
q("facturé HT à Ibn Sina medical au T1 2026", "fr", "invoiced",
  lambda b: inv(b, quarter(2026, 1), "ht", client="C05"),
  "total_ht issued to C05 in Q1 2026 (cancelled F2026-0066 excluded)", F)
q("Retard moyen des factures échues des administrations ?", "fr", "average",
  lambda b: avg_late(b, kind="administration"), "mean days late, overdue invoices of administrations", F)
q("Quelle part du CA TTC 2025 vient des grands comptes ?", "fr", "share",
  lambda b: share(inv(b, Y25, kind="grand_compte"), inv(b, Y25)),
  "100 * TTC 2025 grand_compte / TTC 2025", T2)
q("combien on a payé en salaires l'an dernier", "fr", "expenses",
  lambda b: spend(b, Y25, category="salaires"), "expenses of category salaires in 2025", F)
q("Total des dépenses du mois dernier", "fr", "expenses",
  lambda b: spend(b, LAST_MONTH), "all expenses in August 2026")
q("Combien a-t-on facturé ce mois-ci ?", "fr", "invoiced",
  lambda b: inv(b, THIS_MONTH), "total_ttc issued 2026-09-01..09-20")
q("Combien nous a réglé l'APC de Bab Ezzouar au S1 2026 ?", "fr", "receipts",
  lambda b: rec(b, half(2026, 1), client="C14"), "cleared payments of C14 in H1 2026", F)
q("Somme des factures échues de Sonarep", "fr", "overdue",
  lambda b: open_(b, client="C01", overdue=True), "overdue open amounts of C01", F)
q("Combien de factures échues chez les PME ?", "fr", "overdue_count",
  lambda b: open_count(b, overdue=True, kind="pme"), "overdue open invoices of pme clients", F)
q("Combien de clients PME ont des factures en retard ?", "fr", "overdue_clients",
  lambda b: overdue_clients(b, kind="pme"), "pme clients with an overdue open invoice", F)
q("Différence entre les crédits et les débits bancaires de juin 2026 ?", "fr", "bank_net",
  lambda b: bank_sum(b, month(2026, 6), None), "credits - debits (signed sum) in June 2026", T2)
q("Évolution des encaissements du T1 au T2 2026, en % ?", "fr", "change",
  lambda b: change(rec(b, quarter(2026, 1)), rec(b, quarter(2026, 2)), percent=True),
  "100 * (receipts Q2 - receipts Q1) / receipts Q1, 2026", T2)
q("TVA collectée depuis le début de l'année, avoirs déduits", "fr", "vat",
  lambda b: inv(b, YTD, "tva"), "sum total_tva issued in 2026, credit note netted in")
q("Plus grosse facture encore impayée ?", "fr", "largest_invoice",
  lambda b: (lambda o: A(money(max(o.values())), [max(o, key=o.get)]))(b.open_list()),
  "largest open amount among open invoices", F)
q("Combien les 5 plus gros débiteurs représentent-ils au total ?", "fr", "ranking",
  lambda b: top_clients_open(b, 5, total=True), "5 clients with the largest open receivables; value = sum", F)
q("Dépenses d'énergie au T3 2026 jusqu'ici", "fr", "expenses",
  lambda b: spend(b, quarter(2026, 3), category="energie"), "expenses energie 2026-07-01..09-20", F)
# French: expected null
q("Combien nous doit Sonatel au 31/03 ?", "fr", "unknown_name", lambda b: NULL,
  "no client Sonatel", N)
q("Encours de Cevital ?", "fr", "unknown_name", lambda b: NULL, "no client Cevital", N)
q("combien doit condor electronics", "fr", "unknown_name", lambda b: NULL,
  "no client Condor", N)
q("Combien nous doit la Sonelgaz ?", "fr", "unknown_name", lambda b: NULL,
  "Sonelgaz is a supplier, no client of that name", N)
q("Combien a-t-on payé à Ooredoo cette année ?", "fr", "unknown_name", lambda b: NULL,
  "no supplier or payee Ooredoo", N)
q("Solde bancaire au 31/02/2026 ?", "fr", "no_data", lambda b: NULL, "impossible date", N)
q("Factures émises le 30 février 2026", "fr", "no_data", lambda b: NULL, "impossible date", N)
q("Combien a-t-on encaissé le 32 mai 2026 ?", "fr", "no_data", lambda b: NULL,
  "impossible date", N)
q("Solde banque au 15 janvier 2025", "fr", "no_data", lambda b: NULL,
  "before the opening date 2025-04-01: the books hold no balance", N)
q("Chiffre d'affaires de 2023 ?", "fr", "no_data", lambda b: NULL,
  "the books start in 2025", N)
q("Quel est notre stock de marchandises ?", "fr", "out_of_scope", lambda b: NULL,
  "no stock in the books", N)
q("Combien de salariés avons-nous ?", "fr", "out_of_scope", lambda b: NULL,
  "headcount not in the books", N)
q("Montant de la facture F2026-0999 ?", "fr", "unknown_name", lambda b: NULL,
  "no invoice F2026-0999", N)
q("Dépenses de la carte CARD-07 en 2026", "fr", "unknown_name", lambda b: NULL,
  "no card CARD-07", N)
q("Notes de frais de M. Rahmani ce trimestre", "fr", "unknown_name", lambda b: NULL,
  "no employee Rahmani", N)
q("Quelle est la marge nette de l'an dernier ?", "fr", "out_of_scope", lambda b: NULL,
  "no income statement / cost of sales in the books", N)
q("Taux de change du dinar contre l'euro aujourd'hui ?", "fr", "out_of_scope",
  lambda b: NULL, "not in the books", N)
q("Combien nous doit Hydra Pharm ?", "fr", "unknown_name", lambda b: NULL,
  "no client Hydra Pharm", N)

# ------------------------------------------------------------- Arabic (40)
q("شحال يسالونا الكليان في المجموع؟", "ar", "open_receivables",
  lambda b: open_(b), "open receivables, all clients, on 2026-09-20 (Darja)")
q("شكون اللي ما خلصش؟", "ar", "overdue_clients",
  lambda b: overdue_clients(b), "clients with an overdue open invoice; value = their number (Darja)")
q("قداش عندنا في البنك اليوم؟", "ar", "balance",
  lambda b: bal(b, AS_OF), "bank balance at the end of 2026-09-20 (Darja)")
q("ما هو رصيد الحساب البنكي في 30 جوان 2026؟", "ar", "balance",
  lambda b: bal(b, d(2026, 6, 30)), "bank balance at the end of 2026-06-30 (Maghreb month)")
q("رصيد البنك في آخر ديسمبر ٢٠٢٥", "ar", "balance",
  lambda b: bal(b, d(2025, 12, 31)), "bank balance at the end of 2025-12-31 (Eastern digits)")
q("مجموع الديون المتأخرة عن الدفع إلى اليوم", "ar", "overdue",
  lambda b: open_(b, overdue=True), "open amounts with due_date < 2026-09-20")
q("الديون المتأخرة بأكثر من 90 يوما", "ar", "overdue",
  lambda b: open_(b, bucket="over_90"), "open, more than 90 days past due", F)
q("الديون المتأخرة من 31 إلى 60 يوم", "ar", "overdue",
  lambda b: open_(b, bucket="31_60"), "open, 31-60 days past due", F)
q("كم تدين لنا كوسيدار؟", "ar", "open_receivables",
  lambda b: open_(b, client="C04"), "open receivables of C04 COSIDAR (transliterated)", F)
q("شحال خلصتنا سوناريب هذا العام؟", "ar", "receipts",
  lambda b: rec(b, YTD, client="C01"), "cleared payments of C01 in 2026 (Darja, transliterated)", F)
q("رقم الأعمال خارج الرسم لشهر جويلية 2026", "ar", "invoiced",
  lambda b: inv(b, month(2026, 7), "ht"), "sum total_ht issued in July 2026 (Maghreb month)")
q("كم فوترنا في أوت 2026 بكل الرسوم؟", "ar", "invoiced",
  lambda b: inv(b, month(2026, 8)), "sum total_ttc issued in August 2026 (Maghreb month)")
q("مبلغ الرسم على القيمة المضافة المحصل في الثلاثي الثاني 2026", "ar", "vat",
  lambda b: inv(b, quarter(2026, 2), "tva"), "sum total_tva issued in Q2 2026")
q("حقوق الطابع المحصلة في 2025", "ar", "stamp_duty",
  lambda b: stamp(b, Y25), "sum timbre of invoices issued in 2025")
q("التحصيلات ديال شهر ماي 2026", "ar", "receipts",
  lambda b: rec(b, month(2026, 5)), "cleared payments in May 2026")
q("كم صرفنا على الوقود في فيفري ٢٠٢٦؟", "ar", "expenses",
  lambda b: spend(b, month(2026, 2), category="carburant"),
  "expenses carburant in February 2026 (Maghreb month, Eastern digits)", F)
q("مصاريف المطاعم في مارس 2026", "ar", "expenses",
  lambda b: spend(b, month(2026, 3), category="restaurant"), "expenses restaurant in March 2026", F)
q("شحال خلصنا لسونلغاز في 2025؟", "ar", "expenses",
  lambda b: spend(b, Y25, supplier="S02"), "expenses of supplier S02 Sonelgaz in 2025", F)
q("عدد الفواتير الصادرة في سبتمبر 2026", "ar", "invoice_count",
  lambda b: inv_count(b, month(2026, 9)), "invoices issued 2026-09-01..09-20")
q("كم عدد الفواتير المتأخرة؟", "ar", "overdue_count",
  lambda b: open_count(b, overdue=True), "number of overdue open invoices")
q("ما نسبة الديون المتأخرة من مجموع الديون؟", "ar", "share",
  lambda b: share(open_(b, overdue=True), open_(b)), "100 * overdue / open receivables", T2)
q("الفرق بين التحصيلات والمصاريف في جوان 2026", "ar", "difference",
  lambda b: diff(rec(b, month(2026, 6)), spend(b, month(2026, 6))),
  "receipts June 2026 - expenses June 2026", T2)
q("تطور رقم الأعمال خارج الرسم بين الثلاثي الأول والثلاثي الثاني 2025", "ar", "change",
  lambda b: change(inv(b, quarter(2025, 1), "ht"), inv(b, quarter(2025, 2), "ht")),
  "HT Q2 2025 - HT Q1 2025", T2)
q("أكبر فاتورة أصدرناها في 2026", "ar", "largest_invoice",
  lambda b: largest_invoice(b, YTD), "largest single invoice (total_ttc) issued in 2026")
q("أكبر مصروف في 2025", "ar", "largest_expense",
  lambda b: largest_expense(b, Y25), "largest single expense in 2025")
q("كم يوم تأخير في الفاتورة F2026-0206؟", "ar", "days_late",
  lambda b: days_late(b, "F2026-0206"), "2026-09-20 - due_date of F2026-0206")
q("شحال من يوم فات على آخر دفعة من مديرية الصحة لولاية بومرداس؟", "ar", "days_since_payment",
  lambda b: since_payment(b, "C16"), "2026-09-20 - date of C16's last cleared payment", F)
q("ديون الإدارات العمومية المتأخرة", "ar", "overdue",
  lambda b: open_(b, overdue=True, kind="administration"), "overdue of administration clients", F)
q("قداش تسالنا مؤسسة النور للبناء؟", "ar", "open_receivables",
  lambda b: open_(b, client="C12"), "open receivables of C12", F)
q("شركة الامل للتوزيع: كم بقي عليها؟", "ar", "open_receivables",
  lambda b: open_(b, client="C11"), "open receivables of C11 (no hamza)", F)
q("مجموع المبالغ المدينة في الحساب البنكي خلال أفريل 2026", "ar", "bank",
  lambda b: bank_sum(b, month(2026, 4), -1), "sum |negative bank lines| in April 2026")
q("المبالغ الدائنة في البنك خلال جانفي 2026", "ar", "bank",
  lambda b: bank_sum(b, month(2026, 1), 1), "sum positive bank lines in January 2026")
q("مبيعات الزبائن الخواص في 2025 بكل الرسوم", "ar", "invoiced",
  lambda b: inv(b, Y25, kind="particulier"), "total_ttc issued to particulier clients in 2025", F)
q("أكبر ثلاثة زبائن من حيث الديون، وكم مجموع ما عليهم؟", "ar", "ranking",
  lambda b: top_clients_open(b, 3, total=True), "3 clients with the largest open receivables; value = sum", F)
# Arabic: expected null
q("كم تدين لنا سوناطراك؟", "ar", "unknown_name", lambda b: NULL, "no client Sonatrach", N)
q("رصيد البنك يوم 31 فيفري 2026", "ar", "no_data", lambda b: NULL, "impossible date", N)
q("شحال عندنا في المخزون؟", "ar", "out_of_scope", lambda b: NULL, "no stock in the books", N)
q("واش يسالنا أوريدو؟", "ar", "unknown_name", lambda b: NULL, "no client Ooredoo", N)
q("قداش خلصنا لجيزي في مارس 2026؟", "ar", "unknown_name", lambda b: NULL,
  "no supplier or payee Djezzy", N)
q("ما هو سعر صرف الأورو اليوم؟", "ar", "out_of_scope", lambda b: NULL, "not in the books", N)

# ------------------------------------------------------------- English (40)
q("How much do clients owe us in total as of today?", "en", "open_receivables",
  lambda b: open_(b), "open receivables, all clients, on 2026-09-20")
q("what's our bank balance right now", "en", "balance",
  lambda b: bal(b, AS_OF), "bank balance at the end of 2026-09-20")
q("Cash position at the end of March 2026?", "en", "balance",
  lambda b: bal(b, d(2026, 3, 31)), "bank balance at the end of 2026-03-31")
q("Total overdue receivables?", "en", "overdue",
  lambda b: open_(b, overdue=True), "open amounts with due_date < 2026-09-20")
q("Receivables 61 to 90 days past due", "en", "overdue",
  lambda b: open_(b, bucket="61_90"), "open, 61-90 days past due", F)
q("How much of what's overdue is owed by government bodies (administrations)?", "en",
  "overdue", lambda b: open_(b, overdue=True, kind="administration"),
  "overdue of administration clients", F)
q("How much does Sonelec owe us?", "en", "open_receivables",
  lambda b: open_(b, client="C02"), "open receivables of C02", F)
q("Cosidar: how much is more than 90 days past due?", "en", "overdue",
  lambda b: open_(b, client="C04", bucket="over_90"), "C04 open amounts > 90 days past due", F)
q("Revenue excl. VAT for Q2 2026", "en", "invoiced",
  lambda b: inv(b, quarter(2026, 2), "ht"), "sum total_ht issued in Q2 2026")
q("How much did we invoice incl. VAT in 2025?", "en", "invoiced",
  lambda b: inv(b, Y25), "sum total_ttc issued in 2025")
q("Invoiced to SMEs in H1 2026, tax included, net of credit notes", "en", "invoiced",
  lambda b: inv(b, half(2026, 1), kind="pme"),
  "total_ttc issued to pme clients in H1 2026, credit note netted in", F)
q("VAT collected in Q1 2026, after credit notes", "en", "vat",
  lambda b: inv(b, quarter(2026, 1), "tva"), "sum total_tva issued in Q1 2026, credit note netted in")
q("Stamp duty collected in Q3 2026 so far", "en", "stamp_duty",
  lambda b: stamp(b, quarter(2026, 3)), "sum timbre of invoices issued 2026-07-01..09-20")
q("Client receipts in March 2026", "en", "receipts",
  lambda b: rec(b, month(2026, 3)), "cleared payments in March 2026")
q("How much has EPH Rouiba paid us this year?", "en", "receipts",
  lambda b: rec(b, YTD, client="C17"), "cleared payments of C17 in 2026", F)
q("Cash (especes) received from customers in 2025", "en", "receipts",
  lambda b: rec(b, Y25, method="especes"), "cleared cash payments in 2025", F)
q("How much did we spend on fuel last month?", "en", "expenses",
  lambda b: spend(b, LAST_MONTH, category="carburant"), "expenses carburant in August 2026", F)
q("Total paid to Yalidine in 2025", "en", "expenses",
  lambda b: spend(b, Y25, supplier="S14"), "expenses of supplier S14 in 2025", F)
q("Spend with our subcontractors CodeLink and DataSoft together in 2025", "en", "expenses",
  lambda b: spend(b, Y25, supplier=("S07", "S15")), "expenses of suppliers S07 + S15 in 2025", F)
q("How many invoices did we issue in Q3 2025?", "en", "invoice_count",
  lambda b: inv_count(b, quarter(2025, 3)), "invoices issued in Q3 2025")
q("How many customers have overdue invoices?", "en", "overdue_clients",
  lambda b: overdue_clients(b), "distinct clients with an overdue open invoice")
q("What share of total receivables does Sonarep account for, in percent?", "en", "share",
  lambda b: share(open_(b, client="C01"), open_(b)), "100 * open C01 / open all", T2)
q("Change in client receipts from Q1 to Q2 2026, in DZD", "en", "change",
  lambda b: change(rec(b, quarter(2026, 1)), rec(b, quarter(2026, 2))),
  "receipts Q2 2026 - receipts Q1 2026", T2)
q("Difference between revenue incl. VAT and client receipts in 2025", "en", "difference",
  lambda b: diff(inv(b, Y25), rec(b, Y25)), "invoiced TTC 2025 - receipts 2025", T2)
q("What is the largest single invoice we issued last month?", "en", "largest_invoice",
  lambda b: largest_invoice(b, LAST_MONTH), "largest total_ttc issued in August 2026")
q("Largest expense in Q2 2026?", "en", "largest_expense",
  lambda b: largest_expense(b, quarter(2026, 2)), "largest single expense in Q2 2026")
q("How many days late is invoice F2026-0158?", "en", "days_late",
  lambda b: days_late(b, "F2026-0158"), "2026-09-20 - due_date of F2026-0158")
q("How many days since the Direction de l'Education last paid us?", "en",
  "days_since_payment", lambda b: since_payment(b, "C15"),
  "2026-09-20 - date of C15's last cleared payment", F)
q("Average days late on overdue invoices, weighted by amount", "en", "average",
  lambda b: avg_late(b, weighted=True), "days late weighted by open amount", T2)
q("Average invoice value incl. VAT this year", "en", "average",
  lambda b: avg_invoice(b, YTD), "mean total_ttc of invoices issued in 2026", T2)
q("Top 3 customers by 2025 revenue incl. VAT, and their combined total", "en", "ranking",
  lambda b: top_clients_invoiced(b, Y25, 3, total=True),
  "3 clients with the largest TTC invoiced in 2025, ordered; value = sum", F)
q("Bank debits in June 2026", "en", "bank",
  lambda b: bank_sum(b, month(2026, 6), -1), "sum |negative bank lines| in June 2026")
q("Net bank movement in Q2 2026", "en", "bank_net",
  lambda b: bank_sum(b, quarter(2026, 2), None), "signed sum of bank lines in Q2 2026")
q("Receivables not yet due for Ibn Sina Medical", "en", "not_due",
  lambda b: open_(b, client="C05", overdue=False), "open not yet due amounts of C05", F)
# English: expected null
q("How much does Air Algerie owe us?", "en", "unknown_name", lambda b: NULL,
  "Air Algérie is a payee of expenses, not a client", N)
q("Bank balance on 2026-02-30?", "en", "no_data", lambda b: NULL, "impossible date", N)
q("What was our revenue in 2024?", "en", "no_data", lambda b: NULL,
  "the books start in 2025", N)
q("What's our headcount?", "en", "out_of_scope", lambda b: NULL, "not in the books", N)
q("Spending on card CARD-99 this year", "en", "unknown_name", lambda b: NULL,
  "no card CARD-99", N)
q("What will the USD/DZD rate be next month?", "en", "out_of_scope", lambda b: NULL,
  "not in the books", N)


# ---------------------------------------------------------------- output

def yaml_value(a):
    if a.value is None:
        return "null"
    if a.integer:
        return str(int(a.value))
    return f"'{money(a.value)}'"


def render(books, bundle_desc):
    lines = [
        "# Held-out split 3 of the accountant's assistant (issue 10). Written from",
        "# spec/bundle.md, spec/cli.md and the demo CSV files only, without reading the",
        "# parser, the executor or the other datasets. Generated, do not edit by hand:",
        "#   KHAZNA_HOME=/tmp/s27h/home .venv/bin/khazna demo --seed 41 --as-of 2026-09-20 \\",
        "#       --db sqlite:////tmp/s27h/demo41.db --dir /tmp/s27h/bundle41 --json",
        "#   python3 evals/heldout/assistant_truth3.py /tmp/s27h/bundle41",
        "# (seed 41 and 2026-09-20 are used by no other split; the demo is deterministic:",
        "# same seed and date, same files). Conventions: see the docstring of",
        "# evals/heldout/assistant_truth3.py.",
        "# " + bundle_desc,
    ] + [f"# sha256 {h} {n}" for n, h in sorted(books.hashes.items())] + [
        "dataset: assistant_heldout3",
        f"ledger: {{demo_seed: {SEED}, as_of: '{AS_OF.isoformat()}'}}",
        "note: third held-out split, written from the bundle spec and the CSVs only; "
        "truth by evals/heldout/assistant_truth3.py",
        "cases:",
    ]
    for text, lang, kind, fn, definition, _family in Q:
        a = fn(books)
        lines += [
            "- question: " + json.dumps(text, ensure_ascii=False),
            "  language: " + lang,
            "  kind: " + kind,
            "  value: " + yaml_value(a),
            "  items: " + json.dumps(a.items, ensure_ascii=False),
            "  ordered: " + ("true" if a.ordered else "false"),
            "  definition: " + json.dumps(definition, ensure_ascii=False),
        ]
    return "\n".join(lines) + "\n"


def summary():
    from collections import Counter
    langs = Counter(x[1] for x in Q)
    fams = Counter(x[5] for x in Q)
    by = Counter((x[1], x[5]) for x in Q)
    return langs, fams, by


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        print("usage: assistant_truth3.py BUNDLE_DIR [OUT.yaml]", file=sys.stderr)
        return 2
    bundle = Path(argv[1])
    out = Path(argv[2]) if len(argv) > 2 else OUT
    books = Books(bundle)
    desc = (f"bundle: {len(books.clients)} clients, {len(books.all_invoices)} invoices, "
            f"{len(books.payments)} payments, {len(books.expenses)} expenses, "
            f"{len(books.bank)} bank lines")
    texts = [x[0] for x in Q]
    assert len(texts) == len(set(texts)), "duplicate question"
    out.write_text(render(books, desc), encoding="utf-8")
    langs, fams, by = summary()
    print(f"wrote {out}: {len(Q)} questions")
    print("languages:", dict(langs))
    print("families:", dict(fams))
    print("per language:", dict(sorted(by.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
