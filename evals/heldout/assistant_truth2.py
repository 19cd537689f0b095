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
  S2/H2 = Jul-Dec. A quarter or a month named without a year is the one of 2026; "le
  trimestre dernier" / "last quarter" = T3 2026.
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
  expenses whose supplier_id is X; "notes de frais de X" = the expenses whose employee is X;
  "sans justificatif" = receipt `no`. Filters: category, supplier_id, employee, card_id,
  method, receipt. "La plus grosse dépense" = the largest single row.
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
BUCKETS = {
    "1-30": (1, 30),
    "31-60": (31, 60),
    "61-90": (61, 90),
    ">90": (91, 10**6),
    ">30": (31, 10**6),
    ">60": (61, 10**6),
}


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
        "sum of open amounts of invoices with due_date >= as-of"
        + flt_text(client=client, kind=kind),
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
    ids = sorted(
        {r["client_id"] for r, _, _ in L.open_list(kind=kind, overdue=True, bucket=bucket)}
    )
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
            "number of invoices open > 0 with cleared payments allocated > 0"
            + flt_text(client=client),
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
        f"number of cleared payments dated {label(period)}"
        + flt_text(client=client, method=method),
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
        "sum of expenses.csv amounts"
        + (f" dated {label(period)}" if period else "")
        + flt_text(**flt),
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

    GC, PME, ADM, PART = "grand_compte", "pme", "administration", "particulier"
    LAST_Q = Q(2026, 3)

    # ======================= French =======================
    # open receivables
    fr = "fr"
    add(
        fr,
        "open_receivables",
        "Combien nos clients nous doivent-ils au total à ce jour ?",
        lambda: open_rec(),
    )
    add(fr, "open_receivables", "encours clients global stp", lambda: open_rec())
    add(fr, "open_receivables", "montant des créances clients au 15/10/2026", lambda: open_rec())
    add(
        fr,
        "open_receivables",
        "Sonarep nous doit combien en ce moment ?",
        lambda: open_rec(client="C01"),
    )
    add(fr, "open_receivables", "reste à encaisser chez Sonelec", lambda: open_rec(client="C02"))
    add(fr, "open_receivables", "encour djazair mobile", lambda: open_rec(client="C03"))
    add(
        fr,
        "open_receivables",
        "Quel est le solde client d'Ibn Sina Medical ?",
        lambda: open_rec(client="C05"),
    )
    add(fr, "open_receivables", "combien doit encor hodna plast", lambda: open_rec(client="C10"))
    add(fr, "open_receivables", "encours de l'APC de Bab Ezzouar", lambda: open_rec(client="C14"))
    add(fr, "open_receivables", "Créances sur les PME ?", lambda: open_rec(kind=PME))
    add(fr, "open_receivables", "encours total des grands comptes", lambda: open_rec(kind=GC))
    add(
        fr,
        "open_receivables",
        "Combien nous doivent les particuliers ?",
        lambda: open_rec(kind=PART),
    )
    add(
        fr,
        "open_receivables",
        "Quel était l'encours clients au 30 juin 2026 ?",
        lambda: open_rec(on=D(2026, 6, 30)),
    )
    add(
        fr,
        "open_receivables",
        "encours de COSIDAR fin 2025",
        lambda: open_rec(client="C04", on=D(2025, 12, 31)),
    )
    add(
        fr,
        "open_receivables",
        "creances clients au 31/03/2026",
        lambda: open_rec(on=D(2026, 3, 31)),
    )
    # not due / overdue
    add(fr, "not_due", "Montant des factures non échues à ce jour ?", lambda: not_due())
    add(
        fr,
        "not_due",
        "Sonarep : combien n'est pas encore arrivé à échéance ?",
        lambda: not_due(client="C01"),
    )
    add(fr, "overdue", "Total des factures échues et impayées ?", lambda: overdue())
    add(fr, "overdue", "Montant total en retard chez nos clients", lambda: overdue())
    add(fr, "overdue", "impayés échus de Cosidar", lambda: overdue(client="C04"))
    add(
        fr,
        "overdue",
        "factures en retard d'El Manar Print : montant ?",
        lambda: overdue(client="C09"),
    )
    add(fr, "overdue", "Créances échues depuis plus de 90 jours ?", lambda: overdue(bucket=">90"))
    add(fr, "overdue", "echu entre 61 et 90 jours", lambda: overdue(bucket="61-90"))
    add(fr, "overdue", "retards de 1 à 30 jours, total", lambda: overdue(bucket="1-30"))
    add(
        fr,
        "overdue",
        "Balance âgée : tranche 31-60 jours pour les administrations",
        lambda: overdue(kind=ADM, bucket="31-60"),
    )
    add(fr, "overdue", "Échu des grands comptes ?", lambda: overdue(kind=GC))
    add(fr, "overdue", "montant echu des administrations publiques", lambda: overdue(kind=ADM))
    add(
        fr,
        "overdue",
        "Combien l'EPH de Rouiba a-t-il d'impayés échus ?",
        lambda: overdue(client="C17"),
    )
    add(
        fr,
        "overdue_count",
        "Combien de factures sont en retard de paiement ?",
        lambda: overdue_count(),
    )
    add(
        fr,
        "overdue_count",
        "nombre de factures échues de l'APC Bab Ezzouar",
        lambda: overdue_count(client="C14"),
    )
    add(
        fr,
        "overdue_count",
        "combien de factures PME en retard de plus de 60 jours ?",
        lambda: overdue_count(kind=PME, bucket=">60"),
    )
    add(
        fr,
        "overdue_clients",
        "Combien de clients ont au moins une facture échue ?",
        lambda: overdue_clients(),
    )
    add(
        fr,
        "overdue_clients",
        "nombre de clients administrations en retard de paiement",
        lambda: overdue_clients(kind=ADM),
    )
    add(
        fr,
        "open_count",
        "Combien de factures clients restent ouvertes (non soldées) ?",
        lambda: open_count(),
    )
    add(
        fr,
        "open_count",
        "nb de factures impayées de la Direction de l'Education",
        lambda: open_count(client="C15"),
    )
    # two-step on receivables
    add(fr, "share", "Quel pourcentage de l'encours est échu ?", lambda: share_overdue())
    add(
        fr,
        "share",
        "Part des créances de plus de 60 jours dans le total échu (en %)",
        lambda: share_overdue([">60"], of="overdue"),
    )
    add(
        fr,
        "share",
        "Poids des administrations dans l'encours clients, en % ?",
        lambda: share_open(kind=ADM),
    )
    add(
        fr,
        "share",
        "Quelle part de notre encours total représente Sonarep ?",
        lambda: share_open(client="C01"),
    )
    add(
        fr,
        "difference",
        "Différence entre l'échu des administrations et celui des PME ?",
        lambda: overdue_minus(ADM, PME),
    )
    add(
        fr,
        "difference",
        "Écart entre l'échu de Cosidar et celui de Sonarep",
        lambda: overdue_minus("C04", "C01"),
    )
    add(
        fr,
        "difference",
        "Encours Cosidar moins sa partie échue ?",
        lambda: open_minus_overdue_of("C04"),
    )
    add(fr, "average", "Retard moyen (en jours) des factures échues ?", lambda: days_late_mean())
    add(
        fr,
        "average",
        "retard moyen pondéré par les montants sur les factures en retard",
        lambda: days_late_mean(weighted=True),
    )
    add(
        fr,
        "average",
        "Retard moyen des factures échues des administrations, en jours",
        lambda: days_late_mean(kind=ADM),
    )
    add(
        fr,
        "days_late",
        "Quelle est la facture la plus en retard d'El Manar Print, de combien de jours ?",
        lambda: days_late_max(client="C09"),
    )
    add(fr, "ranking", "Top 3 des clients qui nous doivent le plus", lambda: top_clients(3))
    add(
        fr,
        "ranking",
        "les 5 plus gros retardataires (montant échu)",
        lambda: top_clients(5, "overdue"),
    )
    # one invoice
    add(
        fr,
        "days_late",
        "Depuis combien de jours la facture F2026-0269 est-elle échue ?",
        lambda: invoice_days_late("F2026-0269"),
    )
    add(
        fr,
        "days_late",
        "F2026-0195 : nb de jours de retard ?",
        lambda: invoice_days_late("F2026-0195"),
    )
    add(fr, "remaining", "Reste à payer sur la F2026-0282 ?", lambda: invoice_left("F2026-0282"))
    add(
        fr,
        "remaining",
        "Qu'est-ce qui reste dû sur la facture F2026-0294 ?",
        lambda: invoice_left("F2026-0294"),
    )
    add(
        fr,
        "invoice_amount",
        "Montant TTC de la facture F2026-0300 ?",
        lambda: invoice_field("F2026-0300", "total_ttc"),
    )
    add(fr, "partial", "Combien de factures sont partiellement payées ?", lambda: partly_paid())
    add(
        fr,
        "days_since_payment",
        "Ça fait combien de jours que la Direction de la santé de Boumerdès ne nous a rien versé ?",
        lambda: since_last_payment("C16"),
    )
    add(
        fr,
        "days_since_payment",
        "Dernier paiement de l'APC de Bab Ezzouar : il y a combien de jours ?",
        lambda: since_last_payment("C14"),
    )
    # invoicing
    add(fr, "invoiced", "CA du T3 2026 ?", lambda: invoiced("total_ht", Q(2026, 3)))
    add(
        fr,
        "invoiced",
        "chiffre d'affaires HT du 1er semestre 2026",
        lambda: invoiced("total_ht", H(2026, 1)),
    )
    add(fr, "invoiced", "CA 2025", lambda: invoiced("total_ht", Y(2025)))
    add(fr, "invoiced", "Total facturé TTC en août 2026", lambda: invoiced("total_ttc", M(2026, 8)))
    add(
        fr, "invoiced", "facturation TTC du mois dernier", lambda: invoiced("total_ttc", LAST_MONTH)
    )
    add(
        fr,
        "invoiced",
        "Combien a-t-on facturé ce mois-ci (TTC) ?",
        lambda: invoiced("total_ttc", THIS_MONTH),
    )
    add(fr, "vat", "TVA collectée au T2 2026", lambda: invoiced("total_tva", Q(2026, 2)))
    add(
        fr,
        "vat",
        "Montant de TVA facturée sur l'année 2025",
        lambda: invoiced("total_tva", Y(2025)),
    )
    add(
        fr,
        "stamp_duty",
        "timbre fiscal facturé depuis le début de l'année",
        lambda: invoiced("timbre", YTD),
    )
    add(
        fr,
        "invoiced",
        "CA réalisé avec Sonarep en 2026",
        lambda: invoiced("total_ht", Y(2026), client="C01"),
    )
    add(
        fr,
        "invoiced",
        "Facturé HT aux administrations au S1 2026",
        lambda: invoiced("total_ht", H(2026, 1), kind=ADM),
    )
    add(
        fr,
        "invoiced",
        "CA HT des grands comptes au T4 2025",
        lambda: invoiced("total_ht", Q(2025, 4), kind=GC),
    )
    add(
        fr,
        "invoiced",
        "TTC des factures payables en espèces en 2026",
        lambda: invoiced("total_ttc", Y(2026), method="especes"),
    )
    add(
        fr,
        "invoiced",
        "Combien avons-nous facturé (HT) à la Direction de l'Éducation d'Alger en 2025 ?",
        lambda: invoiced("total_ht", Y(2025), client="C15"),
    )
    add(
        fr,
        "invoice_count",
        "combien de factures émises en septembre ?",
        lambda: invoice_count(M(2026, 9)),
    )
    add(
        fr,
        "invoice_count",
        "Nombre de factures établies pour Cosidar depuis janvier",
        lambda: invoice_count(YTD, client="C04"),
    )
    add(
        fr,
        "invoice_count",
        "Combien de factures réglables par chèque en 2025 ?",
        lambda: invoice_count(Y(2025), method="cheque"),
    )
    add(
        fr,
        "invoice_count",
        "nb de factures aux particuliers au T2 2026",
        lambda: invoice_count(Q(2026, 2), kind=PART),
    )
    add(
        fr,
        "stamp_count",
        "nombre de factures soumises au droit de timbre au T3",
        lambda: stamped_count(Q(2026, 3)),
    )
    add(fr, "cancelled", "Combien de factures ont été annulées ?", lambda: cancelled_count())
    add(fr, "credit_notes", "Montant total des avoirs émis ?", lambda: avoirs())
    add(fr, "credit_notes", "nbre d'avoirs", lambda: avoirs("count"))
    add(
        fr,
        "largest_invoice",
        "Quelle est la plus grosse facture émise en 2026 ?",
        lambda: biggest_invoice(Y(2026)),
    )
    add(
        fr,
        "largest_invoice",
        "plus grosse facture d'un particulier",
        lambda: biggest_invoice(kind=PART),
    )
    add(
        fr,
        "average",
        "Montant HT moyen par facture au T3 2026",
        lambda: invoice_mean("total_ht", Q(2026, 3)),
    )
    add(
        fr,
        "change",
        "Évolution du CA entre T2 et T3 2026 (en %) ?",
        lambda: invoiced_change("total_ht", Q(2026, 2), Q(2026, 3), "pct"),
    )
    add(
        fr,
        "change",
        "De combien le CA a-t-il progressé du T1 au T2 2026 ?",
        lambda: invoiced_change("total_ht", Q(2026, 1), Q(2026, 2)),
    )
    add(
        fr,
        "change",
        "variation du TTC facturé entre juillet et août 2026",
        lambda: invoiced_change("total_ttc", M(2026, 7), M(2026, 8)),
    )
    add(
        fr,
        "change",
        "De combien le CA du S1 2026 dépasse-t-il celui du S2 2025 ?",
        lambda: invoiced_change("total_ht", H(2025, 2), H(2026, 1)),
    )
    add(
        fr,
        "share",
        "Part de Sonarep dans le CA 2025 (%)",
        lambda: invoiced_share("total_ht", Y(2025), client="C01"),
    )
    add(
        fr,
        "share",
        "Quelle proportion du CA HT du T3 vient des administrations ?",
        lambda: invoiced_share("total_ht", Q(2026, 3), kind=ADM),
    )
    add(
        fr,
        "ranking",
        "Top 3 clients par CA HT en 2025",
        lambda: top_clients(3, ("total_ht", Y(2025))),
    )
    # receipts
    add(fr, "receipts", "Encaissements du mois dernier", lambda: receipts(LAST_MONTH))
    add(fr, "receipts", "Combien a-t-on encaissé au T2 2026 ?", lambda: receipts(Q(2026, 2)))
    add(
        fr,
        "receipts",
        "Règlements reçus de Sonelec depuis le début de l'année",
        lambda: receipts(YTD, client="C02"),
    )
    add(
        fr,
        "receipts",
        "encaissements en especes en 2026",
        lambda: receipts(Y(2026), method="especes"),
    )
    add(
        fr,
        "receipts",
        "Qu'ont versé les administrations au T3 2026 ?",
        lambda: receipts(Q(2026, 3), kind=ADM),
    )
    add(
        fr,
        "receipt_count",
        "Combien de paiements clients avons-nous reçus en septembre 2026 ?",
        lambda: receipts_count(M(2026, 9)),
    )
    add(
        fr,
        "share",
        "Taux d'encaissement du T3 2026 (encaissé / facturé TTC) ?",
        lambda: collection_rate(Q(2026, 3)),
    )
    add(
        fr,
        "share",
        "Part des chèques dans les encaissements 2026",
        lambda: receipts_share_method(Y(2026), "cheque"),
    )
    add(fr, "rejected", "Montant des chèques rejetés ?", lambda: rejected())
    add(
        fr,
        "unallocated",
        "Paiements non affectés de Bordj Logistique ?",
        lambda: unallocated(client="C06"),
    )
    add(
        fr,
        "change",
        "Encaissements T3 moins encaissements T2 2026",
        lambda: receipts_change(Q(2026, 2), Q(2026, 3)),
    )
    # bank / cash
    add(fr, "balance", "c'est combien ma tréso aujourd'hui ?", lambda: cash())
    add(fr, "balance", "solde bancaire au 31/12/2025", lambda: cash(D(2025, 12, 31)))
    add(fr, "balance", "solde en banque fin juin 2026", lambda: cash(D(2026, 6, 30)))
    add(fr, "bank", "Total des crédits bancaires en septembre 2026", lambda: bank(M(2026, 9), +1))
    add(fr, "bank", "débits du relevé en août 2026", lambda: bank(M(2026, 8), -1))
    add(
        fr,
        "change",
        "De combien la tréso a-t-elle varié depuis le 30 juin ?",
        lambda: cash_change(D(2026, 6, 30), AS_OF),
    )
    add(
        fr,
        "balance",
        "Quel a été le point bas de la trésorerie depuis janvier ?",
        lambda: cash_extreme(YTD),
    )
    add(fr, "bank_net", "flux net bancaire du mois dernier", lambda: bank_net(LAST_MONTH))
    # expenses
    add(fr, "expenses", "depenses totales du mois dernier", lambda: expenses(LAST_MONTH))
    add(
        fr,
        "expenses",
        "Combien a-t-on dépensé en carburant depuis le début de l'année ?",
        lambda: expenses(YTD, category="carburant"),
    )
    add(
        fr,
        "expenses",
        "frais de restaurant au T3 2026",
        lambda: expenses(Q(2026, 3), category="restaurant"),
    )
    add(
        fr,
        "expenses",
        "Combien avons-nous payé à Sonelgaz en 2026 ?",
        lambda: expenses(Y(2026), supplier_id="S02"),
    )
    add(
        fr,
        "expenses",
        "Total versé à la CNAS en 2025",
        lambda: expenses(Y(2025), supplier_id="S05"),
    )
    add(
        fr,
        "expenses",
        "Dépenses de la carte CARD-01 en septembre 2026",
        lambda: expenses(M(2026, 9), card_id="CARD-01"),
    )
    add(
        fr,
        "expenses",
        "Notes de frais de K. Benali en 2026",
        lambda: expenses(Y(2026), employee="K. Benali"),
    )
    add(
        fr,
        "expenses",
        "Dépenses sans justificatif depuis janvier : montant ?",
        lambda: expenses(YTD, receipt="no"),
    )
    add(
        fr,
        "expenses",
        "honoraires du cabinet Hamidi en 2026",
        lambda: expenses(Y(2026), supplier_id="S10"),
    )
    add(
        fr,
        "expenses",
        "Combien nous a coûté Clim Service depuis le début de l'année ?",
        lambda: expenses(YTD, supplier_id="S12"),
    )
    add(fr, "expenses", "loyer payé en 2025", lambda: expenses(Y(2025), category="loyer"))
    add(
        fr,
        "expense_count",
        "Combien de dépenses ont été payées en espèces en 2026 ?",
        lambda: expense_count(Y(2026), method="especes"),
    )
    add(
        fr,
        "expense_count",
        "Nombre de dépenses de plus de 100 000 DA en 2026",
        lambda: expense_count(Y(2026), above=Decimal(100000)),
    )
    add(fr, "largest_expense", "plus grosse dépense de 2026", lambda: biggest_expense(Y(2026)))
    add(
        fr,
        "largest_expense",
        "Plus gros plein de carburant ?",
        lambda: biggest_expense(category="carburant"),
    )
    add(
        fr,
        "share",
        "Part des salaires dans les dépenses 2026 (%)",
        lambda: expense_share(Y(2026), {"category": "salaires"}),
    )
    add(
        fr,
        "ranking",
        "Les 3 fournisseurs auxquels on a le plus payé cette année",
        lambda: top_suppliers(3, YTD),
    )
    add(
        fr,
        "change",
        "De combien les dépenses télécom ont-elles changé du T2 au T3 2026 ?",
        lambda: expense_change(Q(2026, 2), Q(2026, 3), category="telecom"),
    )
    add(
        fr,
        "client_count",
        "Combien avons-nous de clients administrations ?",
        lambda: client_count(kind=ADM),
    )
    # no answer
    add(
        fr,
        "unknown_name",
        "Combien nous doit Sonatrach ?",
        none("no client named Sonatrach in clients.csv"),
    )
    add(
        fr,
        "unknown_name",
        "encours de la SARL Condor Electronics",
        none("no client named Condor Electronics"),
    )
    add(
        fr,
        "unknown_name",
        "Combien a-t-on payé à Ooredoo cette année ?",
        none("no supplier or payee named Ooredoo"),
    )
    add(
        fr,
        "unknown_name",
        "Retard de la facture F2026-0950 ?",
        none("no invoice F2026-0950 in invoices.csv"),
    )
    add(
        fr,
        "unknown_name",
        "notes de frais de M. Zerrouki en 2026",
        none("no employee named Zerrouki in expenses.csv"),
    )
    add(
        fr,
        "no_data",
        "CA de janvier 2025",
        none("invoices start 2025-02-02: no data for January 2025"),
    )
    add(
        fr,
        "no_data",
        "Solde bancaire au 31 décembre 2024",
        none("2024-12-31 is before opening_date 2025-05-01"),
    )
    add(
        fr,
        "no_data",
        "Encaissements de mars 2025",
        none("payments start at opening_date 2025-05-01"),
    )
    add(
        fr,
        "no_data",
        "Dépenses de carburant en avril 2025",
        none("expenses start at opening_date 2025-05-01"),
    )
    add(fr, "no_data", "CA de l'année 2024", none("invoices start 2025-02-02: no data for 2024"))
    add(
        fr,
        "out_of_scope",
        "Quel temps fera-t-il demain à Alger ?",
        none("not a question about the books"),
    )
    add(
        fr,
        "out_of_scope",
        "Prix du baril de Brent aujourd'hui ?",
        none("not a question about the books"),
    )

    # ======================= Arabic =======================
    ar = "ar"
    add(ar, "open_receivables", "شحال يسالونا الكليان في المجموع؟", lambda: open_rec())
    add(ar, "overdue", "مجموع الفواتير المتأخرة عن الدفع", lambda: overdue())
    add(ar, "open_receivables", "قداش يسالنا كوسيدار؟", lambda: open_rec(client="C04"))
    add(ar, "open_receivables", "كم تدين لنا شركة الأمل للتوزيع؟", lambda: open_rec(client="C11"))
    add(
        ar,
        "open_receivables",
        "مؤسسة النور للبناء: المبلغ المتبقي غير المدفوع",
        lambda: open_rec(client="C12"),
    )
    add(ar, "open_receivables", "مستحقاتنا على الإدارات", lambda: open_rec(kind=ADM))
    add(
        ar,
        "overdue_clients",
        "شكون اللي ما خلصش؟ شحال من كليان عندهم فواتير متأخرة",
        lambda: overdue_clients(),
    )
    add(
        ar,
        "overdue_count",
        "عدد الفواتير المتأخرة لأكثر من 90 يوما",
        lambda: overdue_count(bucket=">90"),
    )
    add(ar, "overdue", "المبالغ المتأخرة بين 31 و 60 يوما", lambda: overdue(bucket="31-60"))
    add(
        ar, "overdue", "مستحقات مديرية الصحة لولاية بومرداس المتأخرة", lambda: overdue(client="C16")
    )
    add(
        ar,
        "days_late",
        "شحال فات على الفاتورة F2026-0201 من نهار الاستحقاق؟",
        lambda: invoice_days_late("F2026-0201"),
    )
    add(
        ar,
        "invoiced",
        "رقم الأعمال خارج الرسوم للثلاثي الثاني 2026",
        lambda: invoiced("total_ht", Q(2026, 2)),
    )
    add(ar, "invoiced", "رقم الأعمال لشهر جويلية 2026", lambda: invoiced("total_ht", M(2026, 7)))
    add(
        ar,
        "invoiced",
        "مجموع الفواتير بكل الرسوم في فيفري 2026",
        lambda: invoiced("total_ttc", M(2026, 2)),
    )
    add(
        ar, "invoiced", "رقم الأعمال في تشرين الأول 2026", lambda: invoiced("total_ht", M(2026, 10))
    )
    add(
        ar,
        "vat",
        "الرسم على القيمة المضافة المفوتر في الثلاثي الأول 2026",
        lambda: invoiced("total_tva", Q(2026, 1)),
    )
    add(ar, "stamp_duty", "حقوق الطابع المفوترة في 2025", lambda: invoiced("timbre", Y(2025)))
    add(ar, "invoice_count", "كم فاتورة أصدرنا في أفريل 2026؟", lambda: invoice_count(M(2026, 4)))
    add(ar, "largest_invoice", "أكبر فاتورة في 2025", lambda: biggest_invoice(Y(2025)))
    add(ar, "receipts", "التحصيلات في شهر ماي 2026", lambda: receipts(M(2026, 5)))
    add(ar, "receipts", "قداش خلصتنا سوناريب هاد العام؟", lambda: receipts(YTD, client="C01"))
    add(ar, "receipts", "المبالغ المحصلة في أيلول 2026", lambda: receipts(M(2026, 9)))
    add(
        ar,
        "change",
        "الفرق بين التحصيلات في جوان وماي 2026",
        lambda: receipts_change(M(2026, 5), M(2026, 6)),
    )
    add(ar, "balance", "شحال عندنا في البنك اليوم؟", lambda: cash())
    add(ar, "balance", "رصيد الحساب البنكي نهاية مارس 2026", lambda: cash(D(2026, 3, 31)))
    add(ar, "balance", "رصيد البنك في ٣٠ جوان ٢٠٢٦", lambda: cash(D(2026, 6, 30)))
    add(
        ar,
        "bank",
        "مجموع الخصومات (المدين) في البنك خلال جويلية 2026",
        lambda: bank(M(2026, 7), -1),
    )
    add(ar, "expenses", "شحال صرفنا الشهر اللي فات؟", lambda: expenses(LAST_MONTH))
    add(
        ar,
        "expenses",
        "مصاريف الوقود (carburant) في 2025",
        lambda: expenses(Y(2025), category="carburant"),
    )
    add(
        ar,
        "expenses",
        "كم دفعنا لاتصالات الجزائر في 2026؟",
        lambda: expenses(Y(2026), supplier_id="S03"),
    )
    add(ar, "share", "نسبة مستحقات الزبائن الكبار من مجموع المستحقات", lambda: share_open(kind=GC))
    add(
        ar,
        "average",
        "متوسط التأخير بالأيام لفواتير المؤسسات الصغيرة والمتوسطة",
        lambda: days_late_mean(kind=PME),
    )
    add(
        ar, "ranking", "أكبر ثلاثة زبائن من حيث المبالغ المتأخرة", lambda: top_clients(3, "overdue")
    )
    add(ar, "credit_notes", "مجموع الفواتير التصحيحية (avoirs)", lambda: avoirs())
    add(
        ar,
        "overdue_clients",
        "شحال من مؤسسة صغيرة ومتوسطة عندها فواتير متأخرة؟",
        lambda: overdue_clients(kind=PME),
    )
    add(ar, "open_count", "عدد الفواتير اللي ما زالت مفتوحة", lambda: open_count())
    add(
        ar,
        "share",
        "نسبة التحصيل في الثلاثي الثاني 2026 (المحصل على المفوتر بكل الرسوم)",
        lambda: collection_rate(Q(2026, 2)),
    )
    add(ar, "largest_expense", "أكبر مصروف في 2025", lambda: biggest_expense(Y(2025)))
    add(
        ar,
        "expenses",
        "مصاريف بطاقة الشركة CARD-01 في أوت 2026",
        lambda: expenses(M(2026, 8), card_id="CARD-01"),
    )
    add(ar, "expenses", "كم دفعنا لموبيليس هاد العام؟", lambda: expenses(YTD, supplier_id="S04"))
    add(ar, "unknown_name", "قداش يسالنا أوريدو؟", none("no client named Ooredoo"))
    add(
        ar,
        "no_data",
        "رصيد البنك في 31 ديسمبر 2024",
        none("2024-12-31 is before opening_date 2025-05-01"),
    )
    add(ar, "unknown_name", "شحال يسالنا سوناطراك؟", none("no client named Sonatrach"))
    add(
        ar,
        "no_data",
        "رقم الأعمال في جانفي 2025",
        none("invoices start 2025-02-02: no data for January 2025"),
    )
    add(ar, "no_data", "المصاريف في مارس 2025", none("expenses start at opening_date 2025-05-01"))
    add(ar, "out_of_scope", "شكون ربح الماتش البارح؟", none("not a question about the books"))

    # ======================= English =======================
    en = "en"
    add(en, "open_receivables", "What is our total accounts receivable today?", lambda: open_rec())
    add(en, "open_receivables", "How much does Cosidar owe us?", lambda: open_rec(client="C04"))
    add(en, "open_receivables", "Outstanding balance of EPH Rouiba", lambda: open_rec(client="C17"))
    add(
        en,
        "open_receivables",
        "How much do our key accounts (grands comptes) owe us?",
        lambda: open_rec(kind=GC),
    )
    add(en, "overdue", "Total overdue amount as of today?", lambda: overdue())
    add(
        en, "overdue", "Overdue 1-30 days for PME clients", lambda: overdue(kind=PME, bucket="1-30")
    )
    add(
        en,
        "overdue_count",
        "How many invoices are more than 30 days past due?",
        lambda: overdue_count(bucket=">30"),
    )
    add(
        en,
        "overdue_clients",
        "How many grand compte customers are past due?",
        lambda: overdue_clients(kind=GC),
    )
    add(
        en,
        "share",
        "What share of total receivables is more than 30 days past due, in %?",
        lambda: share_overdue([">30"]),
    )
    add(
        en,
        "days_late",
        "Days past due on invoice F2026-0303?",
        lambda: invoice_days_late("F2026-0303"),
    )
    add(
        en,
        "remaining",
        "Amount still outstanding on F2026-0069?",
        lambda: invoice_left("F2026-0069"),
    )
    add(
        en,
        "invoiced",
        "Revenue excluding VAT in Q4 2025?",
        lambda: invoiced("total_ht", Q(2025, 4)),
    )
    add(
        en,
        "invoiced",
        "Total invoiced incl. VAT in H2 2025",
        lambda: invoiced("total_ttc", H(2025, 2)),
    )
    add(en, "vat", "VAT collected in Q3 2026?", lambda: invoiced("total_tva", Q(2026, 3)))
    add(en, "stamp_duty", "Stamp duty invoiced last quarter?", lambda: invoiced("timbre", LAST_Q))
    add(
        en,
        "invoice_count",
        "Number of invoices issued to Djazair Mobile in 2025",
        lambda: invoice_count(Y(2025), client="C03"),
    )
    add(
        en,
        "largest_invoice",
        "Biggest invoice ever issued to a government client?",
        lambda: biggest_invoice(kind=ADM),
    )
    add(
        en,
        "change",
        "Quarter-over-quarter change in invoiced TTC from Q1 to Q2 2026, in %",
        lambda: invoiced_change("total_ttc", Q(2026, 1), Q(2026, 2), "pct"),
    )
    add(
        en,
        "share",
        "Sonarep's share of 2026 revenue (HT)?",
        lambda: invoiced_share("total_ht", Y(2026), client="C01"),
    )
    add(en, "receipts", "Cash collected so far this month?", lambda: receipts(THIS_MONTH))
    add(
        en,
        "receipts",
        "How much has Tassili Ingenierie paid us since January?",
        lambda: receipts(YTD, client="C08"),
    )
    add(en, "receipts", "Cheque receipts in Q3 2026", lambda: receipts(Q(2026, 3), method="cheque"))
    add(
        en,
        "difference",
        "Collections minus invoicing (TTC) in September 2026?",
        lambda: collection_rate(M(2026, 9), "diff"),
    )
    add(
        en,
        "days_since_payment",
        "How many days since Numidia Agro last paid?",
        lambda: since_last_payment("C07"),
    )
    add(en, "balance", "What's our bank balance?", lambda: cash())
    add(en, "balance", "Bank balance at the end of 2025?", lambda: cash(D(2025, 12, 31)))
    add(
        en,
        "balance",
        "Highest bank balance since the start of the year?",
        lambda: cash_extreme(YTD, lowest=False),
    )
    add(en, "bank", "Bank credits in June 2026?", lambda: bank(M(2026, 6), +1))
    add(en, "expenses", "Total spend in Q3 2026?", lambda: expenses(Q(2026, 3)))
    add(
        en,
        "expenses",
        "How much did we pay Yalidine in 2026?",
        lambda: expenses(Y(2026), supplier_id="S14"),
    )
    add(
        en,
        "expenses",
        "Office supplies (fournitures) expenses in H1 2026",
        lambda: expenses(H(2026, 1), category="fournitures"),
    )
    add(
        en,
        "expenses",
        "Spending on company card CARD-01 this year",
        lambda: expenses(YTD, card_id="CARD-01"),
    )
    add(
        en,
        "expense_count",
        "How many expenses over 50,000 DA have no receipt?",
        lambda: expense_count(above=Decimal(50000), receipt="no"),
    )
    add(
        en,
        "share",
        "Rent as a percentage of total 2025 expenses?",
        lambda: expense_share(Y(2025), {"category": "loyer"}),
    )
    add(en, "ranking", "Top 2 suppliers by amount paid in 2025", lambda: top_suppliers(2, Y(2025)))
    add(
        en,
        "invoice_count",
        "How many invoices have we issued in 2026 so far?",
        lambda: invoice_count(YTD),
    )
    add(
        en,
        "average",
        "Amount-weighted average days late on overdue invoices of government clients",
        lambda: days_late_mean(weighted=True, kind=ADM),
    )
    add(
        en,
        "difference",
        "Overdue of Direction de l'Education minus overdue of APC Bab Ezzouar?",
        lambda: overdue_minus("C15", "C14"),
    )
    add(
        en,
        "partial",
        "Partially paid invoices: how much is still open on them?",
        lambda: partly_paid("sum"),
    )
    add(
        en,
        "expenses",
        "Fuel spend by S. Meziane in September 2026",
        lambda: expenses(M(2026, 9), employee="S. Meziane", category="carburant"),
    )
    add(en, "bank_net", "Net bank cash flow in Q2 2026", lambda: bank_net(Q(2026, 2)))
    add(
        en,
        "no_data",
        "Revenue for March 2024?",
        none("invoices start 2025-02-02: no data for March 2024"),
    )
    add(en, "unknown_name", "How much does Cevital owe us?", none("no client named Cevital"))
    add(
        en,
        "unknown_name",
        "Payments received from Ooredoo in 2026?",
        none("no client named Ooredoo"),
    )
    add(
        en,
        "no_data",
        "Bank balance on 1 January 2025?",
        none("2025-01-01 is before opening_date 2025-05-01"),
    )
    add(en, "out_of_scope", "What's the meaning of life?", none("not a question about the books"))
    return c


FILTERS = (
    "client=",
    "kind=",
    "days_late=",
    "method=",
    "category=",
    "supplier_id=",
    "card_id=",
    "employee=",
    "receipt=",
    "amount >",
)


def shape(kind, value, definition):
    """two_step (a combination of two measures), filtered (a dimension beyond the period),
    null (no answer) or simple."""
    if value is None:
        return "null"
    if kind in TWO_STEP:
        return "two_step"
    if any(f in definition for f in FILTERS) or kind in (
        "days_late",
        "remaining",
        "invoice_amount",
    ):
        return "filtered"
    return "simple"


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
    nulls, shapes = 0, defaultdict(int)
    for lang, kind, q, fn in cases():
        assert q not in seen, q
        seen.add(q)
        value, items, ordered, definition = fn()
        langs[lang] += 1
        fams[kind] += 1
        shapes[shape(kind, value, definition)] += 1
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
    print("shapes:", dict(shapes))


if __name__ == "__main__":
    main(sys.argv)
