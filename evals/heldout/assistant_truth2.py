# mypy: disable-error-code="union-attr,var-annotated,index,arg-type,assignment,return-value"
# (a standalone truth script: the module-level books object L is set once in main before any use)
#!/usr/bin/env python3
"""Second held-out split for the accountant's assistant (issue 10): assistant_heldout2.

Standalone: Python stdlib only (csv, decimal, datetime, json), it does NOT import khazna and
was written from shared/spec/bundle.md and the demo's CSV files only (not from the assistant's
code nor its development dataset). It reads the CSV files of a ledger bundle and writes
evals/datasets/assistant_heldout2.yaml: the questions, and for each one the expected figure and
the ids it rests on, computed here from the CSVs.

    python evals/heldout/assistant_truth2.py /work/heldout-bundle-s23 \
        evals/datasets/assistant_heldout2.yaml

The bundle is the demo generated with seed 23 and looked at on 2026-10-15:

    from khazna.demo.generator import generate
    generate(Path("/work/heldout-bundle-s23"), seed=23, as_of=date(2026, 10, 15))

The questions name that bundle's clients, suppliers, employees and invoice numbers; the figures
are recomputed from whatever CSVs are given.

Definitions (the same conventions as heldout/assistant_truth.py, the first split)
- as-of day: 2026-10-15 ("aujourd'hui", "today", "à ce jour"). "Le mois dernier" / "last
  month" = September 2026; "ce mois-ci" / "this month" = 2026-10-01 .. 2026-10-15; "cette
  année" / "depuis le début de l'année" / "YTD" = 2026-01-01 .. as-of; "fin 2025" = end of
  2025-12-31; "l'an dernier" = calendar 2025. Periods are inclusive of both ends; a date alone
  ("au 30/06/2026") means the end of that day.
- Quarters: T1/Q1 = Jan-Mar, T2 = Apr-Jun, T3 = Jul-Sep, T4 = Oct-Dec; S1/H1 = Jan-Jun,
  S2/H2 = Jul-Dec. A quarter named without a year is the one of 2026.
- Invoices: a row of invoices.csv with status `cancelled` is ignored everywhere (except when
  cancelled invoices are counted). A credit note (avoir) is a row with a negative total and a
  `credited_invoice`; invoicing totals (CA = total_ht, TTC, TVA, timbre) include credit notes
  (they are negative), invoice counts exclude them. The invoices of a period are those whose
  issue_date falls in it.
- Amounts are Decimal, written with 2 decimals (ROUND_HALF_UP); percentages likewise ('12.34'
  means 12.34 %); counts and days are ints.
- Payments (encaissements): only `cleared` rows count; a `rejected` cheque pays nothing. A
  payment naming several invoices (`;`) is allocated oldest invoice first (issue date, then
  number), each up to what it still has to receive (TTC - earlier allocations), payments taken
  in date order then id; what is left, or a payment naming no invoice, is unallocated.
  Receipts of a period = cleared payments dated in it, unallocated ones included.
- Open receivable of an invoice on day D = TTC - cleared payments dated <= D allocated to it -
  |TTC| of the credit notes issued <= D crediting it; an invoice issued after D is not open.
  Credit notes are not receivables; unallocated payments are not deducted from any invoice.
- Overdue on day D: open > 0 and due_date < D; days late = D - due_date; age buckets by days
  late 1-30, 31-60, 61-90, >90 (91 and more). Not due: open > 0 and due_date >= D.
- Bank / cash position ("tréso", "solde", "en banque") at the end of day D = company.json
  opening_balance + the signed amounts of bank_lines dated opening_date .. D; unknown (null)
  for D before opening_date. Bank credits / debits of a period: the sum of the positive /
  the absolute value of the sum of the negative bank line amounts dated in it.
- Expenses = rows of expenses.csv (money paid out), by date; "payé au fournisseur X" = the
  expenses whose supplier_id is X. Filters: category, supplier_id, employee, card_id, method,
  receipt.
- Rankings (top N) list the ids in order (ordered: true); their value is the combined amount.
- Items: the ids the figure rests on (invoice numbers for receivables and invoicing, payment
  ids for receipts, expense ids for expenses, bank line ids for bank debits/credits, client ids
  for counts of clients); empty for a balance.
- No answer (value null, items []): a client, supplier, employee or invoice that is not in the
  books; a period that lies wholly before the first row of the file it needs (invoices start
  2025-02-02; payments, bank lines and expenses start at opening_date 2025-05-01); a question
  that is not about these books.
"""

import csv
import datetime as dt
import json
import os
import sys
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

AS_OF = dt.date(2026, 10, 15)
ZERO = Decimal("0")
CENT = Decimal("0.01")


def day(s):
    return dt.date.fromisoformat(s)


def fmt(x):
    return str(Decimal(x).quantize(CENT, rounding=ROUND_HALF_UP))


def percent(num, den):
    return fmt(Decimal(num) * 100 / Decimal(den))


def total(xs):
    return sum(xs, ZERO)


def read_csv(folder, name):
    path = os.path.join(folder, name)
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def month(y, m):
    nxt = dt.date(y + 1, 1, 1) if m == 12 else dt.date(y, m + 1, 1)
    return dt.date(y, m, 1), nxt - dt.timedelta(days=1)


def quarter(y, q):
    return dt.date(y, 3 * q - 2, 1), month(y, 3 * q)[1]


def half(y, h):
    return dt.date(y, 6 * h - 5, 1), month(y, 6 * h)[1]


def year(y):
    return dt.date(y, 1, 1), dt.date(y, 12, 31)


YTD = (dt.date(2026, 1, 1), AS_OF)
LAST_MONTH = month(2026, 9)
THIS_MONTH = (dt.date(2026, 10, 1), AS_OF)
EVER = (dt.date(1900, 1, 1), AS_OF)
BUCKETS = {"1-30": (1, 30), "31-60": (31, 60), "61-90": (61, 90), ">90": (91, 10**6)}


class Ledger:
    """The CSVs of one bundle, with the derived allocation of payments."""

    def __init__(self, folder):
        with open(os.path.join(folder, "company.json"), encoding="utf-8-sig") as f:
            company = json.load(f)
        self.opening_balance = Decimal(str(company["opening_balance"]))
        self.opening_date = day(company["opening_date"])
        self.clients = {r["client_id"]: r for r in read_csv(folder, "clients.csv")}
        self.suppliers = {r["supplier_id"]: r for r in read_csv(folder, "suppliers.csv")}
        self.rows = read_csv(folder, "invoices.csv")
        for r in self.rows:
            r["status"] = (r.get("status") or "").strip() or "issued"
            r["issue"], r["due"] = day(r["issue_date"]), day(r["due_date"])
            for k in ("total_ht", "total_tva", "timbre", "total_ttc"):
                r[k] = Decimal(r[k] or "0")
            r["credited_invoice"] = (r.get("credited_invoice") or "").strip()
        self.by_number = {r["number"]: r for r in self.rows if r["status"] != "cancelled"}
        self.cancelled = [r for r in self.rows if r["status"] == "cancelled"]
        self.avoirs = [
            r for r in self.by_number.values() if r["total_ttc"] < 0 or r["credited_invoice"]
        ]
        self.invoices = [r for r in self.by_number.values() if r not in self.avoirs]
        self.payments = read_csv(folder, "payments.csv")
        for p in self.payments:
            p["day"], p["amount"] = day(p["date"]), Decimal(p["amount"])
            p["status"] = (p.get("status") or "").strip() or "cleared"
        self.cleared = [p for p in self.payments if p["status"] == "cleared"]
        self.expenses = read_csv(folder, "expenses.csv")
        for e in self.expenses:
            e["day"], e["amount"] = day(e["date"]), Decimal(e["amount"])
        self.bank = read_csv(folder, "bank_lines.csv")
        for b in self.bank:
            b["day"], b["amount"] = day(b["date"]), Decimal(b["amount"])
        self.first_invoice = min(r["issue"] for r in self.rows)
        self._allocate()

    def _allocate(self):
        self.allocations = []  # (day, invoice number, amount, payment id)
        self.unallocated = []  # (payment row, amount left)
        received = defaultdict(Decimal)
        for p in sorted(self.cleared, key=lambda p: (p["day"], p["payment_id"])):
            left = p["amount"]
            named = [x.strip() for x in (p.get("invoice_number") or "").split(";")]
            named = [x for x in named if x in self.by_number]
            for n in sorted(named, key=lambda n: (self.by_number[n]["issue"], n)):
                part = max(ZERO, min(left, self.by_number[n]["total_ttc"] - received[n]))
                if part > 0:
                    received[n] += part
                    left -= part
                    self.allocations.append((p["day"], n, part, p["payment_id"]))
            if left > 0:
                self.unallocated.append((p, left))

    # receivables ----------------------------------------------------------------------
    def paid(self, number, on=AS_OF):
        return total(a for d, n, a, _ in self.allocations if n == number and d <= on)

    def open_amount(self, number, on=AS_OF):
        r = self.by_number[number]
        if r["issue"] > on:
            return ZERO
        credited = total(
            -c["total_ttc"]
            for c in self.avoirs
            if c["credited_invoice"] == number and c["issue"] <= on
        )
        return r["total_ttc"] - self.paid(number, on) - credited

    def kind(self, client_id):
        return self.clients[client_id]["kind"]

    def open_list(self, on=AS_OF, client=None, kind=None, overdue=None, bucket=None):
        """[(invoice row, open amount, days late)] of invoices open > 0 on `on`, filtered."""
        out = []
        for r in sorted(self.invoices, key=lambda r: r["number"]):
            if client and r["client_id"] != client:
                continue
            if kind and self.kind(r["client_id"]) != kind:
                continue
            o = self.open_amount(r["number"], on)
            if o <= 0:
                continue
            late = (on - r["due"]).days
            if overdue is True and late <= 0:
                continue
            if overdue is False and late > 0:
                continue
            if bucket and not (BUCKETS[bucket][0] <= late <= BUCKETS[bucket][1]):
                continue
            out.append((r, o, late))
        return out

    # invoicing ------------------------------------------------------------------------
    def issued(self, period, client=None, kind=None, method=None, avoirs=True):
        pool = self.invoices + (self.avoirs if avoirs else [])
        return sorted(
            (
                r
                for r in pool
                if period[0] <= r["issue"] <= period[1]
                and (not client or r["client_id"] == client)
                and (not kind or self.kind(r["client_id"]) == kind)
                and (not method or r["payment_method"] == method)
            ),
            key=lambda r: r["number"],
        )

    # money in and out -----------------------------------------------------------------
    def received(self, period, client=None, method=None, kind=None):
        return sorted(
            (
                p
                for p in self.cleared
                if period[0] <= p["day"] <= period[1]
                and (not client or p["client_id"] == client)
                and (not method or p["method"] == method)
                and (not kind or self.kind(p["client_id"]) == kind)
            ),
            key=lambda p: (p["day"], p["payment_id"]),
        )

    def spent(self, period=None, **flt):
        out = []
        for e in self.expenses:
            if period and not (period[0] <= e["day"] <= period[1]):
                continue
            if any(e[k] != v for k, v in flt.items()):
                continue
            out.append(e)
        return out

    def balance(self, on):
        if on < self.opening_date:
            return None
        return self.opening_balance + total(b["amount"] for b in self.bank if b["day"] <= on)

    def before_books(self, period, what):
        start = self.first_invoice if what == "invoices" else self.opening_date
        return period[1] < start


L = None  # the Ledger, set in main()


def label(period):
    return f"{period[0]}..{period[1]}"


def flt_text(**flt):
    return "".join(f", {k}={v}" for k, v in flt.items() if v)


# --------------------------------------------------------------------------------------
# Families: each returns (value, items, ordered, definition)
# --------------------------------------------------------------------------------------
def none(why):
    return lambda: (None, [], False, why)


def open_rec(client=None, kind=None, on=AS_OF):
    its = L.open_list(on, client=client, kind=kind)
    return (
        fmt(total(o for _, o, _ in its)),
        [r["number"] for r, _, _ in its],
        False,
        f"sum of open amounts (TTC - allocated cleared payments - credit notes) on {on}"
        + flt_text(client=client, kind=kind),
    )


def not_due(client=None, kind=None):
    its = L.open_list(client=client, kind=kind, overdue=False)
    return (
        fmt(total(o for _, o, _ in its)),
        [r["number"] for r, _, _ in its],
        False,
        "sum of open amounts of invoices with due_date >= as-of" + flt_text(client=client, kind=kind),
    )


def overdue(client=None, kind=None, bucket=None, on=AS_OF):
    its = L.open_list(on, client=client, kind=kind, overdue=True, bucket=bucket)
    return (
        fmt(total(o for _, o, _ in its)),
        [r["number"] for r, _, _ in its],
        False,
        f"sum of open amounts of invoices with due_date < {on}"
        + flt_text(client=client, kind=kind, days_late=bucket),
    )


def overdue_count(client=None, kind=None, bucket=None):
    its = L.open_list(client=client, kind=kind, overdue=True, bucket=bucket)
    return (
        len(its),
        [r["number"] for r, _, _ in its],
        False,
        "number of invoices open > 0 with due_date < as-of"
        + flt_text(client=client, kind=kind, days_late=bucket),
    )


def open_count(client=None, kind=None):
    its = L.open_list(client=client, kind=kind)
    return (
        len(its),
        [r["number"] for r, _, _ in its],
        False,
        "number of invoices open > 0 on as-of" + flt_text(client=client, kind=kind),
    )


def overdue_clients(kind=None, bucket=None):
    ids = sorted({r["client_id"] for r, _, _ in L.open_list(kind=kind, overdue=True, bucket=bucket)})
    return (
        len(ids),
        ids,
        False,
        "number of distinct clients with at least one overdue invoice (open > 0, due < as-of)"
        + flt_text(kind=kind, days_late=bucket),
    )


def share_overdue(buckets=None, kind=None, of="open"):
    """100 * overdue amount (in `buckets`, of `kind`) / all open (or all overdue)."""
    num = []
    for b in buckets or [None]:
        num += L.open_list(kind=kind, overdue=True, bucket=b)
    den = L.open_list() if of == "open" else L.open_list(overdue=True)
    return (
        percent(total(o for _, o, _ in num), total(o for _, o, _ in den)),
        [r["number"] for r, _, _ in num],
        False,
        f"100 * overdue open amount (buckets {'+'.join(buckets) if buckets else 'all'}"
        f"{', kind ' + kind if kind else ''}) / {'all open receivables' if of == 'open' else 'all overdue'}",
    )


def share_open(kind=None, client=None):
    num = L.open_list(kind=kind, client=client)
    den = L.open_list()
    return (
        percent(total(o for _, o, _ in num), total(o for _, o, _ in den)),
        [r["number"] for r, _, _ in num],
        False,
        "100 * open receivables" + flt_text(kind=kind, client=client) + " / all open receivables",
    )


def overdue_minus(a, b):
    """overdue of client-or-kind a minus overdue of b."""

    def pick(x):
        return L.open_list(overdue=True, **({"client": x} if x in L.clients else {"kind": x}))

    ia, ib = pick(a), pick(b)
    return (
        fmt(total(o for _, o, _ in ia) - total(o for _, o, _ in ib)),
        [r["number"] for r, _, _ in ia + ib],
        False,
        f"overdue open amount of {a} minus that of {b}, as-of",
    )


def open_minus_overdue_of(client):
    its = L.open_list(client=client, overdue=False)
    return (
        fmt(total(o for _, o, _ in its)),
        [r["number"] for r, _, _ in its],
        False,
        f"open receivables of {client} minus its overdue part = open amounts with due_date >= as-of",
    )


def days_late_mean(weighted=False, kind=None, client=None):
    its = L.open_list(kind=kind, client=client, overdue=True)
    if weighted:
        v = total(Decimal(late) * o for _, o, late in its) / total(o for _, o, _ in its)
    else:
        v = Decimal(sum(late for _, _, late in its)) / len(its)
    return (
        fmt(v),
        [r["number"] for r, _, _ in its],
        False,
        ("amount-weighted mean (weights = open amounts)" if weighted else "plain mean")
        + " of days late (as-of - due_date) over overdue invoices"
        + flt_text(kind=kind, client=client),
    )


def days_late_max(client=None):
    its = L.open_list(client=client, overdue=True)
    top = max(its, key=lambda t: t[2])
    assert sum(1 for t in its if t[2] == top[2]) == 1, "tie"
    return (
        top[2],
        [top[0]["number"]],
        False,
        "largest days late (as-of - due_date) among overdue invoices" + flt_text(client=client),
    )


def top_clients(n, what="open"):
    sums = defaultdict(Decimal)
    if what in ("open", "overdue"):
        for r, o, _ in L.open_list(overdue=True if what == "overdue" else None):
            sums[r["client_id"]] += o
    else:  # invoiced HT over a period given as ("ht", period)
        field, period = what
        for r in L.issued(period):
            sums[r["client_id"]] += r[field]
    ranked = sorted(sums.items(), key=lambda kv: (-kv[1], kv[0]))
    assert len(ranked) <= n or ranked[n - 1][1] != ranked[n][1], "tie at the cut"
    top = ranked[:n]
    desc = what if isinstance(what, str) else f"{what[0]} invoiced {label(what[1])}"
    return (
        fmt(total(v for _, v in top)),
        [c for c, _ in top],
        True,
        f"clients ranked by {desc} amount, descending; items = top {n} in order, value = their sum",
    )


def top_suppliers(n, period):
    sums = defaultdict(Decimal)
    for e in L.spent(period):
        if e["supplier_id"]:
            sums[e["supplier_id"]] += e["amount"]
    ranked = sorted(sums.items(), key=lambda kv: (-kv[1], kv[0]))
    assert ranked[n - 1][1] != ranked[n][1], "tie at the cut"
    top = ranked[:n]
    return (
        fmt(total(v for _, v in top)),
        [s for s, _ in top],
        True,
        f"suppliers ranked by expenses paid to them (supplier_id set) dated {label(period)};"
        f" items = top {n} supplier ids in order, value = their sum",
    )


def invoice_days_late(number):
    r = L.by_number.get(number)
    if r is None:
        return (None, [], False, f"no invoice {number} in invoices.csv")
    assert L.open_amount(number) > 0 and r["due"] < AS_OF, number
    return ((AS_OF - r["due"]).days, [number], False, f"as-of - due_date of {number}")


def invoice_left(number):
    r = L.by_number.get(number)
    if r is None:
        return (None, [], False, f"no invoice {number} in invoices.csv")
    cn = [c["number"] for c in L.avoirs if c["credited_invoice"] == number]
    return (
        fmt(L.open_amount(number)),
        [number] + cn,
        False,
        f"TTC of {number} - cleared payments allocated to it - credit notes crediting it, as-of",
    )


def invoice_field(number, field):
    r = L.by_number.get(number)
    if r is None:
        return (None, [], False, f"no invoice {number} in invoices.csv")
    return (fmt(r[field]), [number], False, f"{field} of invoice {number} as in invoices.csv")


def partly_paid(what="count", client=None):
    its = [(r, o) for r, o, _ in L.open_list(client=client) if L.paid(r["number"]) > 0]
    items = [r["number"] for r, _ in its]
    if what == "count":
        return (
            len(its),
            items,
            False,
            "number of invoices open > 0 with cleared payments allocated > 0" + flt_text(client=client),
        )
    return (
        fmt(total(o for _, o in its)),
        items,
        False,
        "sum of open amounts of invoices open > 0 with cleared payments allocated > 0"
        + flt_text(client=client),
    )


def since_last_payment(client):
    ps = L.received(EVER, client=client)
    last = max(ps, key=lambda p: (p["day"], p["payment_id"]))
    return (
        (AS_OF - last["day"]).days,
        [last["payment_id"]],
        False,
        f"as-of - date of the last cleared payment of {client} ({last['date']})",
    )


def invoiced(field, period, client=None, kind=None, method=None):
    if L.before_books(period, "invoices"):
        return (None, [], False, f"invoices start {L.first_invoice}: no data for {label(period)}")
    rs = L.issued(period, client=client, kind=kind, method=method)
    items = [r["number"] for r in rs if field in ("total_ht", "total_ttc") or r[field] != 0]
    return (
        fmt(total(r[field] for r in rs)),
        items,
        False,
        f"sum of {field} of invoices issued {label(period)} (cancelled excluded, credit notes deducted)"
        + flt_text(client=client, kind=kind, payment_method=method),
    )


def invoiced_change(field, p1, p2, mode="diff"):
    r1, r2 = L.issued(p1), L.issued(p2)
    v1, v2 = total(r[field] for r in r1), total(r[field] for r in r2)
    return (
        fmt(v2 - v1) if mode == "diff" else percent(v2 - v1, v1),
        [r["number"] for r in r1 + r2],
        False,
        f"{'v2 - v1' if mode == 'diff' else '100*(v2-v1)/v1'}, v = sum of {field} of invoices issued"
        f" in p1={label(p1)}, p2={label(p2)} (credit notes deducted)",
    )


def invoiced_share(field, period, client=None, kind=None, method=None):
    part = L.issued(period, client=client, kind=kind, method=method)
    whole = L.issued(period)
    return (
        percent(total(r[field] for r in part), total(r[field] for r in whole)),
        [r["number"] for r in part],
        False,
        f"100 * {field} invoiced{flt_text(client=client, kind=kind, payment_method=method)}"
        f" / {field} invoiced to all, issued {label(period)}",
    )


def invoice_count(period, client=None, kind=None, method=None):
    if L.before_books(period, "invoices"):
        return (None, [], False, f"invoices start {L.first_invoice}: no data for {label(period)}")
    rs = L.issued(period, client=client, kind=kind, method=method, avoirs=False)
    return (
        len(rs),
        [r["number"] for r in rs],
        False,
        f"number of invoices issued {label(period)}, cancelled and credit notes excluded"
        + flt_text(client=client, kind=kind, payment_method=method),
    )


def invoice_mean(field, period, client=None, kind=None):
    rs = L.issued(period, client=client, kind=kind, avoirs=False)
    return (
        fmt(total(r[field] for r in rs) / len(rs)),
        [r["number"] for r in rs],
        False,
        f"mean {field} of invoices issued {label(period)} (credit notes and cancelled excluded)"
        + flt_text(client=client, kind=kind),
    )


def stamped_count(period):
    rs = [r for r in L.issued(period, avoirs=False) if r["timbre"] > 0]
    return (
        len(rs),
        [r["number"] for r in rs],
        False,
        f"number of invoices issued {label(period)} with timbre > 0",
    )


def cancelled_count():
    return (
        len(L.cancelled),
        [r["number"] for r in L.cancelled],
        False,
        "number of rows of invoices.csv with status cancelled",
    )


def avoirs(what="sum", field="total_ttc", client=None):
    cs = [c for c in L.avoirs if not client or c["client_id"] == client]
    items = [c["number"] for c in cs]
    if what == "count":
        return (len(cs), items, False, "number of credit notes" + flt_text(client=client))
    return (
        fmt(total(-c[field] for c in cs)),
        items,
        False,
        f"sum of |{field}| of credit notes" + flt_text(client=client),
    )


def biggest_invoice(period=None, kind=None, client=None, field="total_ttc"):
    rs = [
        r
        for r in L.invoices
        if (not period or period[0] <= r["issue"] <= period[1])
        and (not kind or L.kind(r["client_id"]) == kind)
        and (not client or r["client_id"] == client)
    ]
    top = max(rs, key=lambda r: r[field])
    assert sum(1 for r in rs if r[field] == top[field]) == 1, "tie"
    return (
        fmt(top[field]),
        [top["number"]],
        False,
        f"largest {field} among invoices (credit notes and cancelled excluded)"
        + (f" issued {label(period)}" if period else "")
        + flt_text(kind=kind, client=client),
    )


def receipts(period, client=None, method=None, kind=None):
    if L.before_books(period, "payments"):
        return (None, [], False, f"payments start {L.opening_date}: no data for {label(period)}")
    ps = L.received(period, client=client, method=method, kind=kind)
    return (
        fmt(total(p["amount"] for p in ps)),
        [p["payment_id"] for p in ps],
        False,
        f"sum of cleared payments dated {label(period)}"
        + flt_text(client=client, method=method, kind=kind),
    )


def receipts_count(period, client=None, method=None):
    ps = L.received(period, client=client, method=method)
    return (
        len(ps),
        [p["payment_id"] for p in ps],
        False,
        f"number of cleared payments dated {label(period)}" + flt_text(client=client, method=method),
    )


def receipts_share_method(period, method):
    part, whole = L.received(period, method=method), L.received(period)
    return (
        percent(total(p["amount"] for p in part), total(p["amount"] for p in whole)),
        [p["payment_id"] for p in part],
        False,
        f"100 * cleared payments by {method} / all cleared payments, dated {label(period)}",
    )


def collection_rate(period, mode="pct"):
    ps, rs = L.received(period), L.issued(period)
    rec, ttc = total(p["amount"] for p in ps), total(r["total_ttc"] for r in rs)
    return (
        percent(rec, ttc) if mode == "pct" else fmt(rec - ttc),
        [p["payment_id"] for p in ps] + [r["number"] for r in rs],
        False,
        ("100 * receipts / invoiced TTC" if mode == "pct" else "receipts - invoiced TTC")
        + f" over {label(period)} (receipts by payment date, invoicing by issue date)",
    )


def receipts_change(p1, p2, mode="diff"):
    a, b = L.received(p1), L.received(p2)
    v1, v2 = total(p["amount"] for p in a), total(p["amount"] for p in b)
    return (
        fmt(v2 - v1) if mode == "diff" else percent(v2 - v1, v1),
        [p["payment_id"] for p in a + b],
        False,
        f"{'v2 - v1' if mode == 'diff' else '100*(v2-v1)/v1'}, v = cleared payments dated in"
        f" p1={label(p1)}, p2={label(p2)}",
    )


def rejected():
    ps = [p for p in L.payments if p["status"] == "rejected"]
    return (
        fmt(total(p["amount"] for p in ps)),
        [p["payment_id"] for p in ps],
        False,
        "sum of payments with status rejected (returned cheques)",
    )


def unallocated(client=None):
    ps = [(p, a) for p, a in L.unallocated if not client or p["client_id"] == client]
    return (
        fmt(total(a for _, a in ps)),
        [p["payment_id"] for p, _ in ps],
        False,
        "cleared payments (or their parts) allocated to no invoice" + flt_text(client=client),
    )


def bank(period, sign):
    if L.before_books(period, "bank"):
        return (None, [], False, f"bank lines start {L.opening_date}: no data for {label(period)}")
    ls = [
        b
        for b in L.bank
        if period[0] <= b["day"] <= period[1] and (b["amount"] > 0 if sign > 0 else b["amount"] < 0)
    ]
    return (
        fmt(abs(total(b["amount"] for b in ls))),
        [b["line_id"] for b in ls],
        False,
        f"{'sum of positive' if sign > 0 else 'absolute value of the sum of negative'} bank_lines"
        f" amounts dated {label(period)}",
    )


def bank_net(period):
    ls = [b for b in L.bank if period[0] <= b["day"] <= period[1]]
    return (
        fmt(total(b["amount"] for b in ls)),
        [b["line_id"] for b in ls],
        False,
        f"sum of signed bank_lines amounts dated {label(period)} (credits - debits)",
    )


def cash(on=AS_OF):
    v = L.balance(on)
    if v is None:
        return (None, [], False, f"{on} is before opening_date {L.opening_date}: unknown")
    return (fmt(v), [], False, f"opening_balance + signed bank lines dated {L.opening_date}..{on}")


def cash_change(d1, d2):
    return (
        fmt(L.balance(d2) - L.balance(d1)),
        [],
        False,
        f"bank balance at the end of {d2} minus that at the end of {d1}",
    )


def cash_extreme(period, lowest=True):
    days = []
    cur = period[0]
    while cur <= period[1]:
        days.append((L.balance(cur), cur))
        cur += dt.timedelta(days=1)
    v = min(days)[0] if lowest else max(days)[0]
    return (
        fmt(v),
        [],
        False,
        f"{'lowest' if lowest else 'highest'} end-of-day bank balance over {label(period)}",
    )


def expenses(period=None, **flt):
    if period and L.before_books(period, "expenses"):
        return (None, [], False, f"expenses start {L.opening_date}: no data for {label(period)}")
    es = L.spent(period, **flt)
    return (
        fmt(total(e["amount"] for e in es)),
        [e["expense_id"] for e in es],
        False,
        "sum of expenses.csv amounts" + (f" dated {label(period)}" if period else "") + flt_text(**flt),
    )


def expense_count(period=None, above=None, **flt):
    es = [e for e in L.spent(period, **flt) if above is None or e["amount"] > above]
    return (
        len(es),
        [e["expense_id"] for e in es],
        False,
        "number of expenses"
        + (f" dated {label(period)}" if period else "")
        + flt_text(**flt)
        + (f", amount > {above}" if above is not None else ""),
    )


def biggest_expense(period=None, **flt):
    es = L.spent(period, **flt)
    top = max(es, key=lambda e: e["amount"])
    assert sum(1 for e in es if e["amount"] == top["amount"]) == 1, "tie"
    return (
        fmt(top["amount"]),
        [top["expense_id"]],
        False,
        "largest single expenses.csv amount"
        + (f" dated {label(period)}" if period else "")
        + flt_text(**flt),
    )


def expense_share(period, part, whole=None):
    a, b = L.spent(period, **part), L.spent(period, **(whole or {}))
    return (
        percent(total(e["amount"] for e in a), total(e["amount"] for e in b)),
        [e["expense_id"] for e in a],
        False,
        f"100 * expenses {part} / expenses {whole or 'all'}, dated {label(period)}",
    )


def expense_change(p1, p2, mode="diff", **flt):
    a, b = L.spent(p1, **flt), L.spent(p2, **flt)
    v1, v2 = total(e["amount"] for e in a), total(e["amount"] for e in b)
    return (
        fmt(v2 - v1) if mode == "diff" else percent(v2 - v1, v1),
        [e["expense_id"] for e in a + b],
        False,
        f"{'v2 - v1' if mode == 'diff' else '100*(v2-v1)/v1'}, v = expenses{flt_text(**flt)} dated in"
        f" p1={label(p1)}, p2={label(p2)}",
    )


def client_count(kind=None):
    ids = sorted(c for c, r in L.clients.items() if not kind or r["kind"] == kind)
    return (len(ids), ids, False, "number of rows of clients.csv" + flt_text(kind=kind))


# --------------------------------------------------------------------------------------
# The questions: (language, family, question, thunk)
# --------------------------------------------------------------------------------------
M, Q, H, Y = month, quarter, half, year
D = dt.date
TWO_STEP = {"share", "difference", "change", "average", "ranking"}


def cases():
    c = []

    def add(lang, kind, q, fn):
        c.append((lang, kind, q, fn))

    # ======================= French =======================
    add("fr", "open_receivables", "Combien nos clients nous doivent-ils au total à ce jour ?", lambda: open_rec())
    return c


def quote(s):
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'


def main(argv):
    global L
    folder = argv[1] if len(argv) > 1 else "/work/heldout-bundle-s23"
    out = (
        argv[2]
        if len(argv) > 2
        else os.path.join(os.path.dirname(__file__), "..", "datasets", "assistant_heldout2.yaml")
    )
    L = Ledger(folder)
    lines = [
        "dataset: assistant_heldout2",
        "ledger: {demo_seed: 23, as_of: '2026-10-15'}",
        "note: second held-out split, written from the bundle spec and the CSVs only;"
        " truth by evals/heldout/assistant_truth2.py",
        "cases:",
    ]
    langs, fams, seen = defaultdict(int), defaultdict(int), set()
    nulls = 0
    for lang, kind, q, fn in cases():
        assert q not in seen, q
        seen.add(q)
        value, items, ordered, definition = fn()
        langs[lang] += 1
        fams[kind] += 1
        if value is None:
            nulls += 1
            v = "null"
        elif isinstance(value, int):
            v = str(value)
        else:
            v = "'" + value + "'"
        lines += [
            f"- question: {quote(q)}",
            f"  language: {lang}",
            f"  kind: {kind}",
            f"  value: {v}",
            "  items: [" + ", ".join(quote(i) for i in items) + "]",
            f"  ordered: {'true' if ordered else 'false'}",
            f"  definition: {quote(definition)}",
        ]
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    n = sum(langs.values())
    print(f"{n} cases -> {out}")
    print("languages:", dict(langs), {k: f"{100 * v / n:.1f}%" for k, v in langs.items()})
    print("families:", dict(sorted(fams.items())))
    print(f"null answers: {nulls} ({100 * nulls / n:.1f}%)")


if __name__ == "__main__":
    main(sys.argv)
