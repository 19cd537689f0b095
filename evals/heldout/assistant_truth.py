# mypy: disable-error-code="union-attr,var-annotated"
# (a standalone truth script: its module-level Books is set once in main before any use)
#!/usr/bin/env python3
"""Held-out truth for the accountant's assistant (issue 10).

Standalone: Python stdlib only (csv, decimal, datetime, json), it does NOT import khazna.
It reads the CSV files of a ledger bundle (format: shared/spec/bundle.md) and writes
evals/datasets/assistant_heldout.yaml: the questions, and for each one the expected figure
computed here from the CSVs.

    python evals/heldout/assistant_truth.py /work/heldout-bundle-s11 \
        evals/datasets/assistant_heldout.yaml

The questions were written for the demo bundle "seed 11" looked at on 2026-11-20 (they name its
clients, suppliers and invoice numbers); the figures are recomputed from whatever CSVs are given.

General definitions (used by every family below)
- as-of day: 2026-11-20 ("aujourd'hui", "today"); "le mois dernier" = October 2026, "ce mois-ci"
  = 1-20 November 2026, "cette année"/"depuis le début de l'année" = 2026-01-01 .. as-of,
  "fin 2025" = 2025-12-31 (end of that day). Periods are inclusive of both ends.
- Quarters: T1/Q1 = Jan-Mar, T2 = Apr-Jun, T3 = Jul-Sep, T4 = Oct-Dec; S1/H1 = Jan-Jun,
  S2/H2 = Jul-Dec.
- Invoices: a row of invoices.csv with status `cancelled` is ignored everywhere (except the
  count of cancelled invoices). A credit note (avoir) is a row with a negative total and a
  `credited_invoice`.
- Amounts are Decimal, printed with 2 decimals (ROUND_HALF_UP); percentages likewise
  ('12.34' means 12.34 %); counts and days are ints.
- Payments: only `cleared` rows count (a `rejected` cheque pays nothing). A payment naming
  several invoices is allocated oldest invoice first (issue date, then number), each up to what
  is still open, payments taken in date order; a payment with no invoice is unallocated.
- Open receivable of an invoice on day D = TTC - cleared payments dated <= D allocated to it
  - |TTC| of the credit notes issued <= D that credit it. Credit notes themselves are not
  receivables. An unallocated payment is NOT deducted from any invoice (it is reported
  separately).
- Overdue on day D: open > 0 and due_date < D. Days late = D - due_date. Age buckets by days
  late: 1-30, 31-60, 61-90, >90.
- Bank balance at the end of day D = company.json opening_balance + signed bank lines dated
  opening_date..D; unknown (null) for D before opening_date.
- A question about a period that lies wholly before the first row of the file it needs
  (or before opening_date for receipts/bank/expenses) has no data: value null.
- A question naming a client/supplier/invoice that is not in the books: value null.
"""

import csv
import datetime as dt
import json
import os
import sys
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

AS_OF = dt.date(2026, 11, 20)
Z = Decimal("0")


def d(s):
    return dt.date.fromisoformat(s)


def money(x):
    return str(Decimal(x).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def pct(num, den):
    return money(Decimal(num) * 100 / Decimal(den))


def rows(folder, name):
    path = os.path.join(folder, name)
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def month(y, m):
    start = dt.date(y, m, 1)
    end = dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


def quarter(y, q):
    return dt.date(y, 3 * q - 2, 1), month(y, 3 * q)[1]


def half(y, h):
    return dt.date(y, 6 * h - 5, 1), month(y, 6 * h)[1]


def year(y):
    return dt.date(y, 1, 1), dt.date(y, 12, 31)


YTD = (dt.date(2026, 1, 1), AS_OF)
LAST_MONTH = month(2026, 10)
THIS_MONTH = (dt.date(2026, 11, 1), AS_OF)


class Books:
    def __init__(self, folder):
        with open(os.path.join(folder, "company.json"), encoding="utf-8-sig") as f:
            self.company = json.load(f)
        self.opening_balance = Decimal(str(self.company["opening_balance"]))
        self.opening_date = d(self.company["opening_date"])
        self.clients = {r["client_id"]: r for r in rows(folder, "clients.csv")}
        self.suppliers = {r["supplier_id"]: r for r in rows(folder, "suppliers.csv")}
        self.all_invoices = rows(folder, "invoices.csv")
        for r in self.all_invoices:
            r["status"] = (r.get("status") or "issued").strip() or "issued"
            r["_issue"], r["_due"] = d(r["issue_date"]), d(r["due_date"])
            for k in ("total_ht", "total_tva", "timbre", "total_ttc"):
                r[k] = Decimal(r[k] or "0")
        self.inv = {r["number"]: r for r in self.all_invoices if r["status"] != "cancelled"}
        self.invoices = [
            r for r in self.inv.values() if r["total_ttc"] >= 0 and not r.get("credited_invoice")
        ]
        self.credit_notes = [r for r in self.inv.values() if r not in self.invoices]
        self.payments = rows(folder, "payments.csv")
        for p in self.payments:
            p["_date"], p["amount"] = d(p["date"]), Decimal(p["amount"])
            p["status"] = (p.get("status") or "cleared").strip() or "cleared"
        self.cleared = [p for p in self.payments if p["status"] == "cleared"]
        self.expenses = rows(folder, "expenses.csv")
        for e in self.expenses:
            e["_date"], e["amount"] = d(e["date"]), Decimal(e["amount"])
        self.bank = rows(folder, "bank_lines.csv")
        for b in self.bank:
            b["_date"], b["amount"] = d(b["date"]), Decimal(b["amount"])
        # allocation of cleared payments, in date order, oldest invoice first
        self.alloc = []  # (date, invoice number, amount, payment_id)
        self.unallocated = []  # (payment, amount)
        paid = defaultdict(Decimal)
        for p in sorted(self.cleared, key=lambda p: (p["_date"], p["payment_id"])):
            left = p["amount"]
            nums = [n.strip() for n in (p.get("invoice_number") or "").split(";") if n.strip()]
            nums = sorted(
                (n for n in nums if n in self.inv), key=lambda n: (self.inv[n]["_issue"], n)
            )
            for n in nums:
                a = max(Z, min(left, self.inv[n]["total_ttc"] - paid[n]))
                if a:
                    paid[n] += a
                    left -= a
                    self.alloc.append((p["_date"], n, a, p["payment_id"]))
            if left:
                self.unallocated.append((p, left))

    # ---- receivables -------------------------------------------------------------------
    def open_of(self, number, day=AS_OF):
        r = self.inv[number]
        if r["_issue"] > day:
            return Z
        o = r["total_ttc"]
        o -= sum((a for (dd, n, a, _) in self.alloc if n == number and dd <= day), Z)
        o -= sum(
            (
                -c["total_ttc"]
                for c in self.credit_notes
                if c.get("credited_invoice") == number and c["_issue"] <= day
            ),
            Z,
        )
        return o

    def paid_of(self, number, day=AS_OF):
        return sum((a for (dd, n, a, _) in self.alloc if n == number and dd <= day), Z)

    def open_items(self, day=AS_OF, client=None, kind=None, overdue=None, bucket=None):
        """[(invoice row, open amount, days late)] with open > 0, filtered."""
        out = []
        for r in sorted(self.invoices, key=lambda r: r["number"]):
            if client and r["client_id"] != client:
                continue
            if kind and self.clients[r["client_id"]]["kind"] != kind:
                continue
            o = self.open_of(r["number"], day)
            if o <= 0:
                continue
            late = (day - r["_due"]).days
            if overdue is True and late <= 0:
                continue
            if overdue is False and late > 0:
                continue
            if bucket:
                lo, hi = bucket
                if late < lo or (hi is not None and late > hi):
                    continue
            out.append((r, o, late))
        return out

    # ---- invoicing ----------------------------------------------------------------------
    def invoiced(self, period, client=None, kind=None, method=None, with_credit_notes=True):
        lo, hi = period
        out = []
        pool = list(self.invoices) + (self.credit_notes if with_credit_notes else [])
        for r in sorted(pool, key=lambda r: r["number"]):
            if not (lo <= r["_issue"] <= hi):
                continue
            if client and r["client_id"] != client:
                continue
            if kind and self.clients[r["client_id"]]["kind"] != kind:
                continue
            if method and r["payment_method"] != method:
                continue
            out.append(r)
        return out

    def first_invoice_date(self):
        return min(r["_issue"] for r in self.all_invoices)

    # ---- receipts, bank, expenses --------------------------------------------------------
    def receipts(self, period, client=None, method=None):
        lo, hi = period
        return sorted(
            (
                p
                for p in self.cleared
                if lo <= p["_date"] <= hi
                and (not client or p["client_id"] == client)
                and (not method or p["method"] == method)
            ),
            key=lambda p: (p["_date"], p["payment_id"]),
        )

    def bank_lines(self, period, sign):
        lo, hi = period
        return [
            b
            for b in self.bank
            if lo <= b["_date"] <= hi and (b["amount"] > 0 if sign > 0 else b["amount"] < 0)
        ]

    def balance(self, day):
        if day < self.opening_date:
            return None
        return self.opening_balance + sum((b["amount"] for b in self.bank if b["_date"] <= day), Z)

    def exp(
        self,
        period=None,
        category=None,
        supplier=None,
        card=None,
        employee=None,
        method=None,
        receipt=None,
        payee_contains=None,
    ):
        out = []
        for e in self.expenses:
            if period and not (period[0] <= e["_date"] <= period[1]):
                continue
            if category and e["category"] != category:
                continue
            if supplier and e["supplier_id"] != supplier:
                continue
            if card and e["card_id"] != card:
                continue
            if employee and e["employee"] != employee:
                continue
            if method and e["method"] != method:
                continue
            if receipt and e["receipt"] != receipt:
                continue
            if payee_contains and payee_contains.lower() not in e["payee"].lower():
                continue
            out.append(e)
        return out

    def no_data_before(self, period, what):
        """True when the period ends before the books of `what` start."""
        if what == "invoices":
            return period[1] < self.first_invoice_date()
        return period[1] < self.opening_date


# ------------------------------------------------------------------------------------------
# Families. Each returns (value, items, ordered, definition).
# ------------------------------------------------------------------------------------------
B = None  # the Books, set in main()

BUCKETS = {"1-30": (1, 30), "31-60": (31, 60), "61-90": (61, 90), ">90": (91, None)}


def _sum(xs):
    return sum(xs, Z)


def f_open(client=None, kind=None, day=AS_OF):
    # open receivables: sum of open amounts of invoices (TTC - allocated cleared payments
    # - credit notes), on day `day`, optionally for one client or one client kind
    its = B.open_items(day, client=client, kind=kind)
    what = f"client {client}" if client else (f"kind {kind}" if kind else "all clients")
    return (
        money(_sum(o for _, o, _ in its)),
        [r["number"] for r, _, _ in its],
        False,
        f"sum of open amounts (TTC - allocated cleared payments - credit notes) of invoices of {what} on {day}",
    )


def f_not_due(day=AS_OF):
    its = B.open_items(day, overdue=False)
    return (
        money(_sum(o for _, o, _ in its)),
        [r["number"] for r, _, _ in its],
        False,
        f"sum of open amounts of invoices with due_date >= {day} (not yet overdue)",
    )


def f_overdue(client=None, kind=None, bucket=None, day=AS_OF):
    # overdue receivables: open > 0 and due_date < day; bucket by days late (day - due)
    its = B.open_items(
        day, client=client, kind=kind, overdue=True, bucket=BUCKETS[bucket] if bucket else None
    )
    what = (
        ", ".join(
            x
            for x in (
                f"client {client}" if client else "",
                f"kind {kind}" if kind else "",
                f"days late {bucket}" if bucket else "",
            )
            if x
        )
        or "all clients"
    )
    return (
        money(_sum(o for _, o, _ in its)),
        [r["number"] for r, _, _ in its],
        False,
        f"sum of open amounts of invoices with due_date < {day} ({what})",
    )


def f_overdue_count(client=None, kind=None, bucket=None):
    its = B.open_items(
        AS_OF, client=client, kind=kind, overdue=True, bucket=BUCKETS[bucket] if bucket else None
    )
    return (
        len(its),
        [r["number"] for r, _, _ in its],
        False,
        "number of invoices open > 0 with due_date < as-of"
        + (f", client {client}" if client else "")
        + (f", kind {kind}" if kind else "")
        + (f", days late {bucket}" if bucket else ""),
    )


def f_overdue_clients(kind=None):
    # count of distinct clients (not invoices) having at least one overdue invoice
    cl = sorted({r["client_id"] for r, _, _ in B.open_items(AS_OF, kind=kind, overdue=True)})
    return (
        len(cl),
        cl,
        False,
        "number of distinct clients with at least one invoice open > 0 and due_date < as-of"
        + (f", kind {kind}" if kind else ""),
    )


def f_overdue_share(num_bucket=None, num_kind=None, over="open"):
    # share in %: numerator overdue (optionally a bucket list or a kind) / denominator
    buckets = num_bucket or [None]
    num_items = []
    for bk in buckets:
        num_items += B.open_items(
            AS_OF, kind=num_kind, overdue=True, bucket=BUCKETS[bk] if bk else None
        )
    num = _sum(o for _, o, _ in num_items)
    den_items = B.open_items(AS_OF) if over == "open" else B.open_items(AS_OF, overdue=True)
    den = _sum(o for _, o, _ in den_items)
    return (
        pct(num, den),
        [r["number"] for r, _, _ in num_items],
        False,
        f"100 * overdue open amount ({'buckets ' + '+'.join(buckets) if num_bucket else 'all'}"
        f"{', kind ' + num_kind if num_kind else ''}) / {'all open receivables' if over == 'open' else 'all overdue'}",
    )


def f_open_share_kind(kind):
    num_items = B.open_items(AS_OF, kind=kind)
    num = _sum(o for _, o, _ in num_items)
    den = _sum(o for _, o, _ in B.open_items(AS_OF))
    return (
        pct(num, den),
        [r["number"] for r, _, _ in num_items],
        False,
        f"100 * open receivables of kind {kind} / all open receivables, as-of",
    )


def f_overdue_diff_kinds(k1, k2):
    a = B.open_items(AS_OF, kind=k1, overdue=True)
    b = B.open_items(AS_OF, kind=k2, overdue=True)
    return (
        money(_sum(o for _, o, _ in a) - _sum(o for _, o, _ in b)),
        [r["number"] for r, _, _ in a + b],
        False,
        f"overdue open amount of kind {k1} minus that of kind {k2}, as-of",
    )


def f_avg_late(weighted=False, kind=None):
    # average days late over overdue invoices; weighted = sum(days*open)/sum(open)
    its = B.open_items(AS_OF, kind=kind, overdue=True)
    if weighted:
        v = _sum(Decimal(late) * o for _, o, late in its) / _sum(o for _, o, _ in its)
    else:
        v = Decimal(sum(late for _, _, late in its)) / len(its)
    return (
        money(v),
        [r["number"] for r, _, _ in its],
        False,
        ("amount-weighted mean (weights = open amounts)" if weighted else "plain mean")
        + " of (as-of - due_date) over invoices open > 0 with due_date < as-of"
        + (f", kind {kind}" if kind else ""),
    )


def f_top_debtors(n, overdue=False):
    # ranking: clients by open (or overdue) amount, descending; value = total of the top n
    tot = defaultdict(Decimal)
    for r, o, _ in B.open_items(AS_OF, overdue=True if overdue else None):
        tot[r["client_id"]] += o
    full = sorted(tot.items(), key=lambda kv: (-kv[1], kv[0]))
    assert len(full) <= n or full[n - 1][1] != full[n][1], "tie at the cut: question ambiguous"
    ranked = full[:n]
    return (
        money(_sum(v for _, v in ranked)),
        [c for c, _ in ranked],
        True,
        f"clients ranked by {'overdue' if overdue else 'open'} amount, as-of; items = the top {n} in order,"
        f" value = their combined amount",
    )


def f_days_late(number):
    r = B.inv.get(number)
    if r is None:
        return (None, [], False, f"no invoice {number} in invoices.csv")
    return (
        (AS_OF - r["_due"]).days,
        [number],
        False,
        f"as-of - due_date of {number} (open, overdue)",
    )


def f_remaining(number):
    r = B.inv.get(number)
    if r is None:
        return (None, [], False, f"no invoice {number} in invoices.csv")
    cns = [c["number"] for c in B.credit_notes if c.get("credited_invoice") == number]
    return (
        money(B.open_of(number)),
        [number] + cns,
        False,
        f"TTC of {number} - cleared payments allocated to it - credit notes crediting it, as-of",
    )


def f_partial(what):
    # partially paid: open > 0 and some cleared payment allocated to it
    its = [(r, o) for r, o, _ in B.open_items(AS_OF) if B.paid_of(r["number"]) > 0]
    items = [r["number"] for r, _ in its]
    if what == "count":
        return (
            len(its),
            items,
            False,
            "number of invoices with open > 0 and cleared payments allocated > 0",
        )
    return (
        money(_sum(o for _, o in its)),
        items,
        False,
        "sum of open amounts of invoices with open > 0 and cleared payments allocated > 0",
    )


def f_days_since_payment(client):
    ps = B.receipts((dt.date.min, AS_OF), client=client)
    last = max(ps, key=lambda p: (p["_date"], p["payment_id"]))
    return (
        (AS_OF - last["_date"]).days,
        [last["payment_id"]],
        False,
        f"as-of - date of the last cleared payment of client {client} ({last['date']})",
    )


def f_invoiced(field, period, client=None, kind=None, method=None):
    # invoicing totals: sum of `field` (total_ht = "CA", total_ttc, total_tva, timbre) of
    # invoices issued in the period, cancelled excluded, credit notes (negative) included
    if B.no_data_before(period, "invoices"):
        return (
            None,
            [],
            False,
            f"no invoice before {B.first_invoice_date()}: no data for {period[0]}..{period[1]}",
        )
    rs = B.invoiced(period, client=client, kind=kind, method=method)
    # items: the invoices the sum rests on (for stamp duty / VAT only those with a non-zero figure)
    its = [r["number"] for r in rs if field in ("total_ht", "total_ttc") or r[field] != 0]
    return (
        money(_sum(r[field] for r in rs)),
        its,
        False,
        f"sum of {field} of invoices issued {period[0]}..{period[1]} (cancelled excluded, credit notes deducted)"
        + (f", client {client}" if client else "")
        + (f", kind {kind}" if kind else "")
        + (f", payment_method {method}" if method else ""),
    )


def f_invoiced_change(field, p1, p2, mode):
    # two-step: change from period p1 to period p2: diff = v2 - v1; pct = 100*(v2-v1)/v1
    r1, r2 = B.invoiced(p1), B.invoiced(p2)
    v1, v2 = _sum(r[field] for r in r1), _sum(r[field] for r in r2)
    val = money(v2 - v1) if mode == "diff" else pct(v2 - v1, v1)
    return (
        val,
        [r["number"] for r in r1 + r2],
        False,
        f"{'v2 - v1' if mode == 'diff' else '100*(v2-v1)/v1'} with v = sum of {field} of invoices issued in"
        f" p1={p1[0]}..{p1[1]}, p2={p2[0]}..{p2[1]} (credit notes deducted)",
    )


def f_invoiced_share_client(field, period, client):
    rc = B.invoiced(period, client=client)
    ra = B.invoiced(period)
    return (
        pct(_sum(r[field] for r in rc), _sum(r[field] for r in ra)),
        [r["number"] for r in rc],
        False,
        f"100 * {field} invoiced to {client} / {field} invoiced to all, issued {period[0]}..{period[1]}",
    )


def f_invoice_count(period, client=None, method=None):
    # invoice counts: invoices issued in the period, cancelled and credit notes excluded
    rs = B.invoiced(period, client=client, method=method, with_credit_notes=False)
    return (
        len(rs),
        [r["number"] for r in rs],
        False,
        f"number of invoices issued {period[0]}..{period[1]}, cancelled and credit notes excluded"
        + (f", client {client}" if client else "")
        + (f", payment_method {method}" if method else ""),
    )


def f_stamp_count(period):
    rs = [r for r in B.invoiced(period, with_credit_notes=False) if r["timbre"] > 0]
    return (
        len(rs),
        [r["number"] for r in rs],
        False,
        f"number of invoices issued {period[0]}..{period[1]} with timbre > 0 (cancelled excluded)",
    )


def f_cancelled_count():
    rs = [r["number"] for r in B.all_invoices if r["status"] == "cancelled"]
    return (len(rs), rs, False, "number of rows of invoices.csv with status cancelled")


def f_credit_notes(what, field="total_ttc", client=None):
    cns = [c for c in B.credit_notes if not client or c["client_id"] == client]
    items = [c["number"] for c in cns]
    if what == "count":
        return (
            len(cns),
            items,
            False,
            "number of credit notes (negative total, credited_invoice set)",
        )
    return (
        money(_sum(-c[field] for c in cns)),
        items,
        False,
        f"sum of |{field}| of credit notes" + (f" of client {client}" if client else ""),
    )


def f_largest_invoice(period=None, kind=None):
    rs = [
        r
        for r in B.invoices
        if (not period or period[0] <= r["_issue"] <= period[1])
        and (not kind or B.clients[r["client_id"]]["kind"] == kind)
    ]
    top = max(rs, key=lambda r: (r["total_ttc"], r["number"]))
    assert sum(1 for r in rs if r["total_ttc"] == top["total_ttc"]) == 1, "tie: question ambiguous"
    return (
        money(top["total_ttc"]),
        [top["number"]],
        False,
        "largest total_ttc among issued invoices (cancelled and credit notes excluded)"
        + (f" issued {period[0]}..{period[1]}" if period else "")
        + (f", kind {kind}" if kind else ""),
    )


def f_receipts(period, client=None, method=None):
    # client receipts (encaissements): cleared payments dated in the period (unallocated
    # ones included, rejected excluded), optionally one client / one method
    if B.no_data_before(period, "payments"):
        return (
            None,
            [],
            False,
            f"payments and bank start {B.opening_date}: no data for {period[0]}..{period[1]}",
        )
    ps = B.receipts(period, client=client, method=method)
    return (
        money(_sum(p["amount"] for p in ps)),
        [p["payment_id"] for p in ps],
        False,
        f"sum of cleared payments dated {period[0]}..{period[1]}"
        + (f", client {client}" if client else "")
        + (f", method {method}" if method else ""),
    )


def f_receipts_vs_invoiced(period, mode):
    ps = B.receipts(period)
    rs = B.invoiced(period)
    rec, ttc = _sum(p["amount"] for p in ps), _sum(r["total_ttc"] for r in rs)
    val = money(rec - ttc) if mode == "diff" else pct(rec, ttc)
    return (
        val,
        [p["payment_id"] for p in ps] + [r["number"] for r in rs],
        False,
        ("receipts - invoiced TTC" if mode == "diff" else "100 * receipts / invoiced TTC")
        + f" for {period[0]}..{period[1]} (receipts = cleared payments by date; invoiced = TTC by issue date)",
    )


def f_rejected():
    ps = [p for p in B.payments if p["status"] == "rejected"]
    return (
        money(_sum(p["amount"] for p in ps)),
        [p["payment_id"] for p in ps],
        False,
        "sum of payments with status rejected (returned cheques)",
    )


def f_unallocated(client):
    ps = [(p, a) for p, a in B.unallocated if p["client_id"] == client]
    return (
        money(_sum(a for _, a in ps)),
        [p["payment_id"] for p, _ in ps],
        False,
        f"cleared payments of {client} (or parts of them) allocated to no invoice",
    )


def f_bank(period, sign):
    # bank debits (sign<0, reported as a positive total) / credits (sign>0) of bank_lines
    # dated in the period
    if B.no_data_before(period, "bank"):
        return (None, [], False, f"bank lines start {B.opening_date}: no data")
    ls = B.bank_lines(period, sign)
    return (
        money(abs(_sum(b["amount"] for b in ls))),
        [b["line_id"] for b in ls],
        False,
        f"{'sum of positive' if sign > 0 else 'absolute value of the sum of negative'} amounts of bank_lines"
        f" dated {period[0]}..{period[1]}",
    )


def f_bank_net(period):
    ls = [b for b in B.bank if period[0] <= b["_date"] <= period[1]]
    return (
        money(_sum(b["amount"] for b in ls)),
        [b["line_id"] for b in ls],
        False,
        f"sum of signed bank_lines amounts dated {period[0]}..{period[1]} (credits - debits)",
    )


def f_balance(day):
    # cash / bank balance at the end of `day` (bundle.md: opening_balance + signed bank lines)
    v = B.balance(day)
    if v is None:
        return (None, [], False, f"{day} is before opening_date {B.opening_date}: balance unknown")
    return (
        money(v),
        [],
        False,
        f"opening_balance + signed bank lines dated {B.opening_date}..{day}",
    )


def f_balance_change(d1, d2):
    return (
        money(B.balance(d2) - B.balance(d1)),
        [],
        False,
        f"bank balance end of {d2} minus bank balance end of {d1}",
    )


def f_expenses(period=None, **flt):
    # expenses: sum of expenses.csv amounts dated in the period, with the given filters
    # (category, supplier_id, card_id, employee, method, receipt, payee substring)
    if period and B.no_data_before(period, "expenses"):
        return (None, [], False, f"expenses start {B.opening_date}: no data")
    es = B.exp(period, **flt)
    return (
        money(_sum(e["amount"] for e in es)),
        [e["expense_id"] for e in es],
        False,
        "sum of expenses.csv amounts"
        + (f" dated {period[0]}..{period[1]}" if period else "")
        + "".join(f", {k}={v}" for k, v in flt.items()),
    )


def f_expense_count(period=None, min_amount=None, **flt):
    es = [e for e in B.exp(period, **flt) if min_amount is None or e["amount"] > min_amount]
    return (
        len(es),
        [e["expense_id"] for e in es],
        False,
        "number of expenses"
        + (f" dated {period[0]}..{period[1]}" if period else "")
        + "".join(f", {k}={v}" for k, v in flt.items())
        + (f", amount > {min_amount}" if min_amount is not None else ""),
    )


def f_largest_expense(period=None, **flt):
    es = B.exp(period, **flt)
    top = max(es, key=lambda e: (e["amount"], e["expense_id"]))
    assert sum(1 for e in es if e["amount"] == top["amount"]) == 1, "tie: question ambiguous"
    return (
        money(top["amount"]),
        [top["expense_id"]],
        False,
        "largest single expenses.csv amount"
        + (f" dated {period[0]}..{period[1]}" if period else "")
        + "".join(f", {k}={v}" for k, v in flt.items()),
    )


def f_expense_share(period, part, whole):
    a = B.exp(period, **part)
    b = B.exp(period, **whole)
    return (
        pct(_sum(e["amount"] for e in a), _sum(e["amount"] for e in b)),
        [e["expense_id"] for e in a],
        False,
        f"100 * expenses {part} / expenses {whole}, dated {period[0]}..{period[1]}",
    )


def unknown(kind_of_thing, name):
    def f():
        return (
            None,
            [],
            False,
            f"no {kind_of_thing} named '{name}' in the books: the answer is 'unknown {kind_of_thing}'",
        )

    return f


# ------------------------------------------------------------------------------------------
# The questions: (language, family, question, thunk)
# ------------------------------------------------------------------------------------------
M = month
Q = quarter
H = half
Y = year


def cases():
    c = []

    def add(lang, kind, q, fn):
        c.append((lang, kind, q, fn))

    # ---------------- French (105) ----------------
    # open receivables
    add(
        "fr",
        "open_receivables",
        "Quel est le total des factures clients impayées aujourd'hui ?",
        lambda: f_open(),
    )
    add("fr", "open_receivables", "encours factures clients au 20/11/2026 stp", lambda: f_open())
    add("fr", "open_receivables", "Combien nous doit Sonarep ?", lambda: f_open(client="C01"))
    add("fr", "open_receivables", "encours cosidar", lambda: f_open(client="C04"))
    add(
        "fr",
        "open_receivables",
        "Combien nous doit l'EPH de Rouiba ?",
        lambda: f_open(client="C17"),
    )
    add(
        "fr",
        "open_receivables",
        "combien nous doit encore la direction de l'education d'alger ?",
        lambda: f_open(client="C15"),
    )
    add(
        "fr",
        "open_receivables",
        "encours des administrations",
        lambda: f_open(kind="administration"),
    )
    add(
        "fr",
        "open_receivables",
        "total des créances sur les grands comptes",
        lambda: f_open(kind="grand_compte"),
    )
    add(
        "fr",
        "open_receivables",
        "Combien nous doivent les particuliers ?",
        lambda: f_open(kind="particulier"),
    )
    add(
        "fr",
        "open_receivables",
        "Combien nous devait Sonarep au 31/03/2026 ?",
        lambda: f_open(client="C01", day=dt.date(2026, 3, 31)),
    )
    add(
        "fr",
        "open_receivables",
        "encours clients total fin 2025 (factures non réglées au 31/12/2025)",
        lambda: f_open(day=dt.date(2025, 12, 31)),
    )
    add("fr", "open_receivables", "montant des créances pas encore échues", lambda: f_not_due())
    add(
        "fr",
        "open_receivables",
        "Tassili ingenierie nous doit combien ?",
        lambda: f_open(client="C08"),
    )
    add("fr", "open_receivables", "Sonelec, reste à encaisser ?", lambda: f_open(client="C02"))
    add(
        "fr", "open_receivables", "combien nous doit ibn sina medical", lambda: f_open(client="C05")
    )
    add(
        "fr",
        "share",
        "Quelle part de l'encours clients est due par les grands comptes, en % ?",
        lambda: f_open_share_kind("grand_compte"),
    )
    # overdue
    add("fr", "overdue_receivables", "total des créances échues au 20/11/2026", lambda: f_overdue())
    add(
        "fr",
        "overdue_receivables",
        "créances échues de 31 à 60 jours",
        lambda: f_overdue(bucket="31-60"),
    )
    add(
        "fr",
        "overdue_receivables",
        "montant des factures échues depuis plus de 90 jours",
        lambda: f_overdue(bucket=">90"),
    )
    add("fr", "overdue_receivables", "echu de 1 a 30 jours ?", lambda: f_overdue(bucket="1-30"))
    add(
        "fr",
        "overdue_receivables",
        "retards entre 61 et 90 jours, combien en DA ?",
        lambda: f_overdue(bucket="61-90"),
    )
    add(
        "fr",
        "overdue_receivables",
        "factures échues des administrations : montant total",
        lambda: f_overdue(kind="administration"),
    )
    add(
        "fr",
        "overdue_receivables",
        "impayés échus des PME de 31 à 60 jours",
        lambda: f_overdue(kind="pme", bucket="31-60"),
    )
    add(
        "fr",
        "overdue_receivables",
        "montant échu chez elmanar print",
        lambda: f_overdue(client="C09"),
    )
    add(
        "fr",
        "overdue_receivables",
        "Cosidar : montant échu depuis plus de 90 jours ?",
        lambda: f_overdue(client="C04", bucket=">90"),
    )
    add(
        "fr",
        "overdue_receivables",
        "les grands comptes, combien d'échu ?",
        lambda: f_overdue(kind="grand_compte"),
    )
    add(
        "fr",
        "overdue_receivables",
        "créances échues au 31/12/2025",
        lambda: f_overdue(day=dt.date(2025, 12, 31)),
    )
    add(
        "fr",
        "overdue_receivables",
        "EPH Rouiba, montant en retard ?",
        lambda: f_overdue(client="C17"),
    )
    add(
        "fr",
        "overdue_count",
        "combien de factures sont en retard de paiement ?",
        lambda: f_overdue_count(),
    )
    add(
        "fr",
        "overdue_count",
        "El Manar a combien de factures échues ?",
        lambda: f_overdue_count(client="C09"),
    )
    add(
        "fr",
        "overdue_count",
        "nb de factures échues de 1 à 30 jours",
        lambda: f_overdue_count(bucket="1-30"),
    )
    add(
        "fr",
        "overdue_clients",
        "Combien de clients ont au moins une facture échue ?",
        lambda: f_overdue_clients(),
    )
    add(
        "fr",
        "overdue_clients",
        "combien d'administrations ont des factures echues ?",
        lambda: f_overdue_clients(kind="administration"),
    )
    add("fr", "share", "Quelle part de nos créances est échue (en %) ?", lambda: f_overdue_share())
    add(
        "fr",
        "share",
        "quel pourcentage de l'échu a plus de 60 jours de retard ?",
        lambda: f_overdue_share(num_bucket=["61-90", ">90"], over="overdue"),
    )
    add(
        "fr",
        "share",
        "part des administrations dans le total échu, en pourcentage",
        lambda: f_overdue_share(num_kind="administration", over="overdue"),
    )
    add(
        "fr",
        "difference",
        "de combien l'échu des administrations dépasse celui des PME ?",
        lambda: f_overdue_diff_kinds("administration", "pme"),
    )
    add("fr", "avg_days_late", "retard moyen des factures échues, en jours ?", lambda: f_avg_late())
    add(
        "fr",
        "weighted_days_late",
        "retard moyen pondéré par les montants des factures échues",
        lambda: f_avg_late(weighted=True),
    )
    add(
        "fr",
        "avg_days_late",
        "retard moyen (jours) des factures échues des administrations",
        lambda: f_avg_late(kind="administration"),
    )
    add(
        "fr",
        "top_debtors",
        "Quel client a le plus gros montant échu ? (et combien)",
        lambda: f_top_debtors(1, overdue=True),
    )
    add(
        "fr",
        "top_debtors",
        "top 3 des clients qui nous doivent le plus (encours total), et combien à eux trois ?",
        lambda: f_top_debtors(3),
    )
    # one invoice
    add(
        "fr",
        "days_late",
        "la facture F2026-0206 a combien de jours de retard ?",
        lambda: f_days_late("F2026-0206"),
    )
    add("fr", "days_late", "F2026-0309 : retard en jours ?", lambda: f_days_late("F2026-0309"))
    add(
        "fr",
        "days_late",
        "nombre de jours de retard de la F2026-0344",
        lambda: f_days_late("F2026-0344"),
    )
    add(
        "fr",
        "days_late",
        "depuis combien de jours la fact F2026-0322 est échue ?",
        lambda: f_days_late("F2026-0322"),
    )
    add(
        "fr",
        "invoice_remaining",
        "reste à payer sur la F2026-0336 ?",
        lambda: f_remaining("F2026-0336"),
    )
    add(
        "fr",
        "invoice_remaining",
        "F2026-0344 : combien reste dû (le cheque est revenu impayé) ?",
        lambda: f_remaining("F2026-0344"),
    )
    add(
        "fr",
        "invoice_remaining",
        "F2026-0063, il reste combien à encaisser ?",
        lambda: f_remaining("F2026-0063"),
    )
    add(
        "fr",
        "partially_paid",
        "combien de factures sont partiellement payées ?",
        lambda: f_partial("count"),
    )
    add(
        "fr",
        "partially_paid",
        "montant restant dû sur les factures payées en partie",
        lambda: f_partial("amount"),
    )
    # days since last payment
    add(
        "fr",
        "days_since_payment",
        "ça fait combien de jours que El Manar Print ne nous a rien payé ?",
        lambda: f_days_since_payment("C09"),
    )
    add(
        "fr",
        "days_since_payment",
        "dernier paiement de l'EPH Rouiba, c'était il y a combien de jours ?",
        lambda: f_days_since_payment("C17"),
    )
    add(
        "fr",
        "days_since_payment",
        "Ennour Batiment n'a rien réglé depuis combien de jours ? (cheque rejeté non compté)",
        lambda: f_days_since_payment("C12"),
    )
    add(
        "fr",
        "days_since_payment",
        "APC Bab Ezzouar : nb de jours depuis son dernier versement",
        lambda: f_days_since_payment("C14"),
    )
    # invoicing
    add("fr", "invoiced_ht", "CA d'octobre 2026", lambda: f_invoiced("total_ht", M(2026, 10)))
    add("fr", "invoiced_ht", "CA HT du mois dernier", lambda: f_invoiced("total_ht", LAST_MONTH))
    add(
        "fr",
        "invoiced_ttc",
        "total facturé TTC en septembre 2026",
        lambda: f_invoiced("total_ttc", M(2026, 9)),
    )
    add(
        "fr",
        "invoiced_ht",
        "chiffre d'affaires HT du T3 2026",
        lambda: f_invoiced("total_ht", Q(2026, 3)),
    )
    add("fr", "invoiced_ht", "ca t2 2026", lambda: f_invoiced("total_ht", Q(2026, 2)))
    add(
        "fr",
        "invoiced_ht",
        "CA HT du T1 2026, avoirs déduits",
        lambda: f_invoiced("total_ht", Q(2026, 1)),
    )
    add("fr", "invoiced_ht", "CA du 4e trimestre 2025", lambda: f_invoiced("total_ht", Q(2025, 4)))
    add(
        "fr",
        "invoiced_ht",
        "CA HT du 1er semestre 2026 (net des avoirs)",
        lambda: f_invoiced("total_ht", H(2026, 1)),
    )
    add("fr", "invoiced_ht", "chiffre d'affaire 2025 HT", lambda: f_invoiced("total_ht", Y(2025)))
    add(
        "fr",
        "invoiced_ht",
        "CA HT depuis le début de l'année (avoirs déduits)",
        lambda: f_invoiced("total_ht", YTD),
    )
    add("fr", "invoiced_ttc", "facturé TTC au S2 2025", lambda: f_invoiced("total_ttc", H(2025, 2)))
    add(
        "fr",
        "invoiced_ttc",
        "montant facturé ttc juin 2025",
        lambda: f_invoiced("total_ttc", M(2025, 6)),
    )
    add(
        "fr",
        "invoiced_ht",
        "CA HT réalisé avec Sonarep en 2025",
        lambda: f_invoiced("total_ht", Y(2025), client="C01"),
    )
    add(
        "fr",
        "invoiced_ht",
        "combien on a facturé HT aux administrations au T3 2026 ?",
        lambda: f_invoiced("total_ht", Q(2026, 3), kind="administration"),
    )
    add(
        "fr",
        "invoiced_ht",
        "CA HT fait avec les particuliers au 3e trimestre 2026",
        lambda: f_invoiced("total_ht", Q(2026, 3), kind="particulier"),
    )
    add(
        "fr",
        "invoiced_ttc",
        "facturation TTC de Cosidar au 2e semestre 2025",
        lambda: f_invoiced("total_ttc", H(2025, 2), client="C04"),
    )
    add(
        "fr",
        "invoiced_ht",
        "CA HT de ce mois-ci jusqu'à aujourd'hui",
        lambda: f_invoiced("total_ht", THIS_MONTH),
    )
    add(
        "fr",
        "change",
        "évolution du CA HT entre le T2 et le T3 2026, en % ?",
        lambda: f_invoiced_change("total_ht", Q(2026, 2), Q(2026, 3), "pct"),
    )
    add(
        "fr",
        "difference",
        "de combien le CA HT du T3 2026 a varié par rapport au T2 2026 (en DA) ?",
        lambda: f_invoiced_change("total_ht", Q(2026, 2), Q(2026, 3), "diff"),
    )
    add(
        "fr",
        "difference",
        "CA HT septembre 2026 moins CA HT aout 2026 ?",
        lambda: f_invoiced_change("total_ht", M(2026, 8), M(2026, 9), "diff"),
    )
    add(
        "fr",
        "share",
        "part de Sonarep dans le CA HT 2025 (%)",
        lambda: f_invoiced_share_client("total_ht", Y(2025), "C01"),
    )
    # VAT
    add("fr", "vat", "TVA collectée au T3 2026", lambda: f_invoiced("total_tva", Q(2026, 3)))
    add(
        "fr", "vat", "tva facturée 2eme trimestre 2026", lambda: f_invoiced("total_tva", Q(2026, 2))
    )
    add("fr", "vat", "TVA collectée sur l'année 2025", lambda: f_invoiced("total_tva", Y(2025)))
    add(
        "fr",
        "vat",
        "TVA du mois d'octobre 2026 sur nos factures",
        lambda: f_invoiced("total_tva", M(2026, 10)),
    )
    add(
        "fr",
        "vat",
        "TVA collectée T1 2026 nette des avoirs",
        lambda: f_invoiced("total_tva", Q(2026, 1)),
    )
    # stamp duty
    add(
        "fr",
        "stamp_duty",
        "droit de timbre facturé en 2026 (jusqu'à aujourd'hui)",
        lambda: f_invoiced("timbre", YTD),
    )
    add(
        "fr",
        "stamp_duty",
        "total du timbre sur les factures d'octobre 2026",
        lambda: f_invoiced("timbre", M(2026, 10)),
    )
    add(
        "fr",
        "stamp_duty",
        "combien de factures avec droit de timbre en 2025 ?",
        lambda: f_stamp_count(Y(2025)),
    )
    add(
        "fr",
        "stamp_duty",
        "timbre facturé à Mme Belkacem en 2026",
        lambda: f_invoiced("timbre", YTD, client="C19"),
    )
    # counts
    add(
        "fr",
        "invoice_count",
        "combien de factures émises en octobre 2026 ?",
        lambda: f_invoice_count(M(2026, 10)),
    )
    add(
        "fr",
        "invoice_count",
        "nb factures 2025 (hors avoirs et annulées)",
        lambda: f_invoice_count(Y(2025)),
    )
    add(
        "fr",
        "invoice_count",
        "combien de factures avons-nous faites à Sonelec au T3 2026 ?",
        lambda: f_invoice_count(Q(2026, 3), client="C02"),
    )
    add(
        "fr",
        "invoice_count",
        "combien de factures payables en espèces émises en 2026 ?",
        lambda: f_invoice_count(YTD, method="especes"),
    )
    add("fr", "invoice_count", "combien de factures annulées ?", lambda: f_cancelled_count())
    # credit notes
    add("fr", "credit_notes", "combien d'avoirs avons-nous émis ?", lambda: f_credit_notes("count"))
    add("fr", "credit_notes", "montant total des avoirs TTC", lambda: f_credit_notes("amount"))
    add(
        "fr",
        "credit_notes",
        "l'avoir fait à Tassili Ingénierie, montant HT ?",
        lambda: f_credit_notes("amount", field="total_ht", client="C08"),
    )
    # receipts
    add("fr", "receipts", "encaissements d'octobre 2026", lambda: f_receipts(M(2026, 10)))
    add(
        "fr",
        "receipts",
        "combien on a encaissé depuis le début de l'année ?",
        lambda: f_receipts(YTD),
    )
    add("fr", "receipts", "encaissements clients du T3 2026", lambda: f_receipts(Q(2026, 3)))
    add(
        "fr",
        "receipts",
        "combien Sonarep nous a payé en 2026 ?",
        lambda: f_receipts(YTD, client="C01"),
    )
    add(
        "fr",
        "receipts",
        "encaissements en especes en 2025",
        lambda: f_receipts(Y(2025), method="especes"),
    )
    add(
        "fr",
        "receipts",
        "règlements par chèque reçus en 2026",
        lambda: f_receipts(YTD, method="cheque"),
    )
    add(
        "fr",
        "receipts",
        "combien on a reçu de l'APC Bab Ezzouar en 2025 ?",
        lambda: f_receipts(Y(2025), client="C14"),
    )
    add(
        "fr",
        "receipts",
        "encaissements du 09/11/2026 au 15/11/2026",
        lambda: f_receipts((dt.date(2026, 11, 9), dt.date(2026, 11, 15))),
    )
    add(
        "fr",
        "difference",
        "encaissements d'octobre 2026 moins facturé TTC d'octobre 2026 ?",
        lambda: f_receipts_vs_invoiced(M(2026, 10), "diff"),
    )
    add(
        "fr",
        "share",
        "taux d'encaissement du T3 2026 : encaissé / facturé TTC du trimestre, en %",
        lambda: f_receipts_vs_invoiced(Q(2026, 3), "pct"),
    )
    add("fr", "receipts", "montant des chèques clients rejetés (impayés)", lambda: f_rejected())
    add(
        "fr",
        "receipts",
        "combien avons-nous reçu de Bordj Logistique sans facture rattachée ?",
        lambda: f_unallocated("C06"),
    )
    # bank
    add(
        "fr",
        "bank_credits",
        "total des crédits bancaires en octobre 2026",
        lambda: f_bank(M(2026, 10), +1),
    )
    add("fr", "bank_debits", "débits banque septembre 2026", lambda: f_bank(M(2026, 9), -1))
    add(
        "fr",
        "bank_debits",
        "total des sorties sur le relevé bancaire le mois dernier",
        lambda: f_bank(LAST_MONTH, -1),
    )
    add(
        "fr",
        "bank_net",
        "mouvement net du compte en juillet 2026 (crédits - débits)",
        lambda: f_bank_net(M(2026, 7)),
    )
    # cash
    add("fr", "cash_balance", "c'est quoi ma tréso aujourd'hui ?", lambda: f_balance(AS_OF))
    add("fr", "cash_balance", "combien on a en banque ?", lambda: f_balance(AS_OF))
    add("fr", "cash_balance", "solde bancaire fin 2025", lambda: f_balance(dt.date(2025, 12, 31)))
    add(
        "fr",
        "cash_balance",
        "solde du compte au 30/06/2026 au soir",
        lambda: f_balance(dt.date(2026, 6, 30)),
    )
    add(
        "fr",
        "difference",
        "de combien la tréso a bougé depuis fin 2025 ?",
        lambda: f_balance_change(dt.date(2025, 12, 31), AS_OF),
    )
    # expenses
    add(
        "fr",
        "expenses",
        "dépenses carburant en octobre 2026",
        lambda: f_expenses(M(2026, 10), category="carburant"),
    )
    add(
        "fr",
        "expenses",
        "combien on a payé à Sonelgaz en 2026 ?",
        lambda: f_expenses(YTD, supplier="S02"),
    )
    add(
        "fr",
        "expenses",
        "total payé à CodeLink en 2025",
        lambda: f_expenses(Y(2025), supplier="S07"),
    )
    add(
        "fr",
        "expenses",
        "dépenses sur la carte CARD-01 en septembre 2026",
        lambda: f_expenses(M(2026, 9), card="CARD-01"),
    )
    add(
        "fr",
        "expenses",
        "total des notes de frais de K. Benali",
        lambda: f_expenses(employee="K. Benali"),
    )
    add(
        "fr",
        "expenses",
        "depenses restaurant du T3 2026",
        lambda: f_expenses(Q(2026, 3), category="restaurant"),
    )
    add(
        "fr",
        "expense_count",
        "combien de dépenses de plus de 5000 DA sans justificatif ?",
        lambda: f_expense_count(min_amount=5000, receipt="no"),
    )
    add(
        "fr",
        "share",
        "part du carburant dans les dépenses payées par carte en 2026 (%)",
        lambda: f_expense_share(
            YTD, {"category": "carburant", "method": "carte"}, {"method": "carte"}
        ),
    )
    add(
        "fr",
        "largest_expense",
        "plus grosse dépense de carburant",
        lambda: f_largest_expense(category="carburant"),
    )
    add(
        "fr",
        "largest_expense",
        "plus gros paiement à un sous-traitant",
        lambda: f_largest_expense(category="sous_traitance"),
    )
    add(
        "fr",
        "largest_invoice",
        "plus grosse facture de 2025 (TTC) ?",
        lambda: f_largest_invoice(Y(2025)),
    )
    add(
        "fr",
        "largest_invoice",
        "la plus grosse facture TTC faite à une administration en 2026",
        lambda: f_largest_invoice(YTD, kind="administration"),
    )
    # unknown names / no data
    add("fr", "unknown_client", "Combien nous doit Sonatel ?", unknown("client", "Sonatel"))
    add("fr", "unknown_client", "encours de Cevital au 31/03/2026", unknown("client", "Cevital"))
    add(
        "fr",
        "unknown_client",
        "Combien nous doit Sonelgaz ?",
        unknown("client", "Sonelgaz (S02 is a supplier)"),
    )
    add(
        "fr",
        "unknown_client",
        "factures échues de Condor Electronics",
        unknown("client", "Condor Electronics"),
    )
    add(
        "fr",
        "unknown_supplier",
        "combien on a payé à Ooredoo en 2026 ?",
        unknown("supplier or payee", "Ooredoo"),
    )
    add(
        "fr",
        "unknown_invoice",
        "reste dû sur la facture F2026-0999",
        lambda: f_remaining("F2026-0999"),
    )
    add("fr", "no_data", "solde bancaire au 31/12/2024", lambda: f_balance(dt.date(2024, 12, 31)))
    add("fr", "no_data", "CA HT 2024", lambda: f_invoiced("total_ht", Y(2024)))
    add("fr", "no_data", "encaissements d'avril 2025", lambda: f_receipts(M(2025, 4)))

    # ---------------- Arabic (35): Modern Standard and Darja ----------------
    add(
        "ar",
        "overdue_clients",
        "شكون اللي ما خلصش؟ شحال من كليان عندو فاتورة فات أجلها؟",
        lambda: f_overdue_clients(),
    )
    add(
        "ar",
        "open_receivables",
        "شحال يسالونا الكليان في المجموع (الفواتير اللي ما تخلصتش)؟",
        lambda: f_open(),
    )
    add("ar", "open_receivables", "شحال يسالنا سونارب؟", lambda: f_open(client="C01"))
    add(
        "ar",
        "open_receivables",
        "كم تدين لنا مديرية الصحة لولاية بومرداس؟",
        lambda: f_open(client="C16"),
    )
    add("ar", "open_receivables", "شحال تسالنا شركة الأمل للتوزيع؟", lambda: f_open(client="C11"))
    add(
        "ar",
        "overdue_receivables",
        "كم مجموع الديون المتأخرة (التي فات أجل استحقاقها) على الإدارات؟",
        lambda: f_overdue(kind="administration"),
    )
    add(
        "ar",
        "overdue_receivables",
        "كم المبلغ المتأخر من 31 إلى 60 يوما؟",
        lambda: f_overdue(bucket="31-60"),
    )
    add(
        "ar",
        "overdue_receivables",
        "شحال الفلوس اللي عند الكليان وفاتها الأجل اليوم؟",
        lambda: f_overdue(),
    )
    add(
        "ar",
        "overdue_count",
        "شحال من فاتورة فاتها أكثر من 90 يوم؟",
        lambda: f_overdue_count(bucket=">90"),
    )
    add(
        "ar",
        "overdue_clients",
        "كم عدد الزبائن الخواص (particuliers) الذين لديهم فواتير متأخرة؟",
        lambda: f_overdue_clients(kind="particulier"),
    )
    add(
        "ar",
        "invoiced_ht",
        "كم رقم الأعمال خارج الرسوم للثلاثي الثالث 2026؟",
        lambda: f_invoiced("total_ht", Q(2026, 3)),
    )
    add(
        "ar",
        "invoiced_ttc",
        "شحال فوترنا TTC في أكتوبر 2026؟",
        lambda: f_invoiced("total_ttc", M(2026, 10)),
    )
    add(
        "ar",
        "invoiced_ht",
        "رقم الأعمال خارج الرسوم لشهر جوان 2026",
        lambda: f_invoiced("total_ht", M(2026, 6)),
    )
    add(
        "ar",
        "invoiced_ht",
        "شحال فوترنا للإدارات في السداسي الأول 2026 خارج الرسوم؟",
        lambda: f_invoiced("total_ht", H(2026, 1), kind="administration"),
    )
    add(
        "ar",
        "vat",
        "كم الرسم على القيمة المضافة المحصل في الثلاثي الثاني 2026؟",
        lambda: f_invoiced("total_tva", Q(2026, 2)),
    )
    add(
        "ar",
        "stamp_duty",
        "كم بلغ مجموع حقوق الطابع في فواتير 2025؟",
        lambda: f_invoiced("timbre", Y(2025)),
    )
    add(
        "ar",
        "invoice_count",
        "كم عدد الفواتير الصادرة في سبتمبر 2026؟",
        lambda: f_invoice_count(M(2026, 9)),
    )
    add(
        "ar",
        "credit_notes",
        "كم عدد الفواتير التصحيحية (avoirs) اللي درناها؟",
        lambda: f_credit_notes("count"),
    )
    add("ar", "cash_balance", "شحال عندنا في البنكة اليوم؟", lambda: f_balance(AS_OF))
    add(
        "ar",
        "cash_balance",
        "كم كان الرصيد البنكي في 31/12/2025؟",
        lambda: f_balance(dt.date(2025, 12, 31)),
    )
    add(
        "ar",
        "receipts",
        "شحال دخلنا من الكليان في شهر أكتوبر 2026؟",
        lambda: f_receipts(M(2026, 10)),
    )
    add(
        "ar",
        "receipts",
        "كم دفعت لنا شركة الأمل للتوزيع في 2026؟",
        lambda: f_receipts(YTD, client="C11"),
    )
    add(
        "ar",
        "bank_debits",
        "كم مجموع المبالغ المدينة في كشف البنك لشهر سبتمبر 2026؟",
        lambda: f_bank(M(2026, 9), -1),
    )
    add("ar", "bank_credits", "شحال دخل للحساب البنكي في أوت 2026؟", lambda: f_bank(M(2026, 8), +1))
    add(
        "ar",
        "expenses",
        "شحال صرفنا على الوقود (carburant) في أكتوبر 2026؟",
        lambda: f_expenses(M(2026, 10), category="carburant"),
    )
    add("ar", "expenses", "شحال خلصنا لسونلغاز في 2026؟", lambda: f_expenses(YTD, supplier="S02"))
    add("ar", "days_late", "الفاتورة F2026-0254 متأخرة بكم يوم؟", lambda: f_days_late("F2026-0254"))
    add(
        "ar",
        "invoice_remaining",
        "شحال باقي ما تخلصش في الفاتورة F2026-0336؟",
        lambda: f_remaining("F2026-0336"),
    )
    add(
        "ar",
        "days_since_payment",
        "آخر دفعة من مستشفى EPH الرويبة كانت قبل كم يوم؟",
        lambda: f_days_since_payment("C17"),
    )
    add(
        "ar",
        "largest_invoice",
        "واش هي أكبر فاتورة TTC في 2026؟ شحال؟",
        lambda: f_largest_invoice(YTD),
    )
    add(
        "ar",
        "share",
        "ما نسبة الديون المتأخرة من مجموع الديون على الزبائن؟",
        lambda: f_overdue_share(),
    )
    add("ar", "avg_days_late", "ما متوسط أيام التأخير للفواتير المتأخرة؟", lambda: f_avg_late())
    add(
        "ar",
        "difference",
        "الفرق بين رقم الأعمال خارج الرسوم للثلاثي الثالث والثلاثي الثاني 2026؟",
        lambda: f_invoiced_change("total_ht", Q(2026, 2), Q(2026, 3), "diff"),
    )
    add("ar", "unknown_client", "شحال يسالنا سوناطراك؟", unknown("client", "Sonatrach"))
    add("ar", "no_data", "كم كان رقم الأعمال في 2024؟", lambda: f_invoiced("total_ht", Y(2024)))
    add("ar", "invoice_count", "شحال من فاتورة خرجنا في 2025؟", lambda: f_invoice_count(Y(2025)))
    add(
        "ar",
        "vat",
        "كم الرسم على القيمة المضافة المحصل في الثلاثي الرابع 2025؟",
        lambda: f_invoiced("total_tva", Q(2025, 4)),
    )
    add(
        "ar",
        "overdue_receivables",
        "شحال يسالنا كوسيدار في الفواتير اللي فات أجلها؟",
        lambda: f_overdue(client="C04"),
    )
    add(
        "ar",
        "receipts",
        "شحال دخلنا كاش (especes) من الكليان في 2026؟",
        lambda: f_receipts(YTD, method="especes"),
    )
    add(
        "ar",
        "overdue_clients",
        "كم عدد الإدارات التي لديها فواتير متأخرة؟",
        lambda: f_overdue_clients(kind="administration"),
    )
    add(
        "ar",
        "change",
        "نسبة تطور رقم الأعمال خارج الرسوم بين الثلاثي الأول والثلاثي الثاني 2026 (بعد خصم الأفوار)؟",
        lambda: f_invoiced_change("total_ht", Q(2026, 1), Q(2026, 2), "pct"),
    )
    add("ar", "unknown_client", "شحال يسالنا جيزي؟", unknown("client", "Djezzy"))
    add(
        "ar",
        "cash_balance",
        "كم كان الرصيد في البنك نهار 31/10/2026؟",
        lambda: f_balance(dt.date(2026, 10, 31)),
    )
    add(
        "ar",
        "expenses",
        "شحال صرفنا في الريسطورة (restaurant) في الثلاثي الثالث 2026؟",
        lambda: f_expenses(Q(2026, 3), category="restaurant"),
    )
    add(
        "ar",
        "days_since_payment",
        "كم يوما مضى منذ آخر دفعة من مؤسسة النور للبناء؟ (الشيك المرفوض لا يحسب)",
        lambda: f_days_since_payment("C12"),
    )

    # ---------------- English (35) ----------------
    add(
        "en",
        "open_receivables",
        "What is the total of unpaid client invoices today?",
        lambda: f_open(),
    )
    add("en", "open_receivables", "How much does Sonelec owe us?", lambda: f_open(client="C02"))
    add(
        "en",
        "open_receivables",
        "How much does Djazair Mobile owe us?",
        lambda: f_open(client="C03"),
    )
    add("en", "overdue_receivables", "Total overdue receivables as of today?", lambda: f_overdue())
    add(
        "en",
        "overdue_receivables",
        "overdue 61-90 days, how much?",
        lambda: f_overdue(bucket="61-90"),
    )
    add(
        "en",
        "overdue_receivables",
        "Overdue amount owed by government clients (administrations)?",
        lambda: f_overdue(kind="administration"),
    )
    add(
        "en",
        "overdue_receivables",
        "How much of the PME clients' invoices is overdue by 1 to 30 days?",
        lambda: f_overdue(kind="pme", bucket="1-30"),
    )
    add("en", "overdue_count", "How many invoices are overdue?", lambda: f_overdue_count())
    add(
        "en",
        "overdue_clients",
        "How many clients have overdue invoices?",
        lambda: f_overdue_clients(),
    )
    add(
        "en",
        "invoiced_ht",
        "Revenue excluding VAT in Q3 2026?",
        lambda: f_invoiced("total_ht", Q(2026, 3)),
    )
    add(
        "en",
        "invoiced_ttc",
        "Total invoiced including VAT in October 2026?",
        lambda: f_invoiced("total_ttc", M(2026, 10)),
    )
    add(
        "en",
        "invoiced_ht",
        "Revenue excl. VAT for H2 2025?",
        lambda: f_invoiced("total_ht", H(2025, 2)),
    )
    add("en", "vat", "VAT collected in Q4 2025?", lambda: f_invoiced("total_tva", Q(2025, 4)))
    add(
        "en",
        "stamp_duty",
        "Stamp duty invoiced in Q3 2026?",
        lambda: f_invoiced("timbre", Q(2026, 3)),
    )
    add(
        "en",
        "invoice_count",
        "How many invoices have we issued in 2026 so far (excluding credit notes and cancelled ones)?",
        lambda: f_invoice_count(YTD),
    )
    add("en", "receipts", "Client receipts last month?", lambda: f_receipts(LAST_MONTH))
    add(
        "en",
        "receipts",
        "How much did Cosidar pay us in 2026?",
        lambda: f_receipts(YTD, client="C04"),
    )
    add(
        "en",
        "receipts",
        "How much did we receive in cash (especes) payments in Q3 2026?",
        lambda: f_receipts(Q(2026, 3), method="especes"),
    )
    add(
        "en",
        "cash_balance",
        "How much cash do we have in the bank today?",
        lambda: f_balance(AS_OF),
    )
    add(
        "en",
        "cash_balance",
        "Bank balance at the end of September 2026?",
        lambda: f_balance(dt.date(2026, 9, 30)),
    )
    add("en", "bank_debits", "Total bank debits in October 2026?", lambda: f_bank(M(2026, 10), -1))
    add("en", "bank_credits", "Total bank credits in June 2025?", lambda: f_bank(M(2025, 6), +1))
    add(
        "en",
        "largest_invoice",
        "What is the largest single invoice we ever issued (TTC)?",
        lambda: f_largest_invoice(),
    )
    add(
        "en",
        "largest_expense",
        "Largest fuel expense in 2026?",
        lambda: f_largest_expense(YTD, category="carburant"),
    )
    add(
        "en",
        "expenses",
        "What did we spend on subcontracting in H1 2026?",
        lambda: f_expenses(H(2026, 1), category="sous_traitance"),
    )
    add(
        "en",
        "days_late",
        "How many days late is invoice F2026-0285?",
        lambda: f_days_late("F2026-0285"),
    )
    add(
        "en",
        "days_since_payment",
        "How many days since Hodna Plast's last payment?",
        lambda: f_days_since_payment("C10"),
    )
    add(
        "en",
        "weighted_days_late",
        "Average days late on overdue invoices, weighted by amount?",
        lambda: f_avg_late(weighted=True),
    )
    add(
        "en",
        "share",
        "What share of total receivables is overdue, in %?",
        lambda: f_overdue_share(),
    )
    add(
        "en",
        "change",
        "Change in revenue (excl. VAT) from Q2 to Q3 2026, in %?",
        lambda: f_invoiced_change("total_ht", Q(2026, 2), Q(2026, 3), "pct"),
    )
    add(
        "en",
        "difference",
        "Receipts minus amount invoiced incl. VAT in Q3 2026?",
        lambda: f_receipts_vs_invoiced(Q(2026, 3), "diff"),
    )
    add(
        "en",
        "top_debtors",
        "Top 3 clients by overdue amount, and their combined overdue total?",
        lambda: f_top_debtors(3, overdue=True),
    )
    add("en", "partially_paid", "How many invoices are partially paid?", lambda: f_partial("count"))
    add("en", "unknown_client", "How much does Ooredoo owe us?", unknown("client", "Ooredoo"))
    add(
        "en",
        "no_data",
        "What was our bank balance on 1 January 2025?",
        lambda: f_balance(dt.date(2025, 1, 1)),
    )
    add(
        "en",
        "invoiced_ht",
        "Revenue excl. VAT from government clients (administrations) in 2025?",
        lambda: f_invoiced("total_ht", Y(2025), kind="administration"),
    )
    add(
        "en",
        "overdue_receivables",
        "How much of El Manar Print's unpaid invoices is 31 to 60 days overdue?",
        lambda: f_overdue(client="C09", bucket="31-60"),
    )
    add(
        "en",
        "vat",
        "VAT collected in Q1 2026, net of credit notes?",
        lambda: f_invoiced("total_tva", Q(2026, 1)),
    )
    add(
        "en",
        "expenses",
        "How much did we pay Algerie Telecom in 2025?",
        lambda: f_expenses(Y(2025), supplier="S03"),
    )
    add(
        "en",
        "stamp_duty",
        "Stamp duty invoiced to Karim Hadjadj in 2025?",
        lambda: f_invoiced("timbre", Y(2025), client="C18"),
    )
    add("en", "days_late", "days overdue for F2026-0342?", lambda: f_days_late("F2026-0342"))
    add(
        "en",
        "bank_net",
        "Net bank movement in October 2026 (credits minus debits)?",
        lambda: f_bank_net(M(2026, 10)),
    )
    add(
        "en",
        "overdue_clients",
        "How many PME clients have at least one overdue invoice?",
        lambda: f_overdue_clients(kind="pme"),
    )
    add(
        "en",
        "difference",
        "Total unpaid invoices minus overdue ones: how much is not yet due?",
        lambda: f_not_due(),
    )
    add(
        "en",
        "expense_count",
        "How many expenses were paid in cash (especes) in 2026?",
        lambda: f_expense_count(YTD, method="especes"),
    )
    return c


TWO_STEP = {"share", "difference", "change"}


def yq(s):
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'


def main(argv):
    global B
    folder = argv[1] if len(argv) > 1 else "/work/heldout-bundle-s11"
    out = (
        argv[2]
        if len(argv) > 2
        else os.path.join(os.path.dirname(__file__), "..", "datasets", "assistant_heldout.yaml")
    )
    B = Books(folder)
    lines = [
        "dataset: assistant_heldout",
        "ledger: {demo_seed: 11, as_of: '2026-11-20'}",
        "note: written from the bundle spec and the CSVs only; truth by evals/heldout/assistant_truth.py",
        "cases:",
    ]
    n = defaultdict(int)
    fams = defaultdict(int)
    seen = set()
    for lang, kind, q, fn in cases():
        assert q not in seen, q
        seen.add(q)
        value, items, ordered, definition = fn()
        n[lang] += 1
        fams[kind] += 1
        if value is None:
            v = "null"
        elif isinstance(value, int):
            v = str(value)
        else:
            v = "'" + value + "'"
        lines += [
            f"- question: {yq(q)}",
            f"  language: {lang}",
            f"  kind: {kind}",
            f"  value: {v}",
            "  items: [" + ", ".join(yq(i) for i in items) + "]",
            f"  ordered: {'true' if ordered else 'false'}",
            f"  definition: {yq(definition)}",
        ]
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    total = sum(n.values())
    print(f"{total} cases -> {out}")
    print("languages:", dict(n), {k: f"{100 * v / total:.1f}%" for k, v in n.items()})
    print("families:", dict(sorted(fams.items())))


if __name__ == "__main__":
    main(sys.argv)
