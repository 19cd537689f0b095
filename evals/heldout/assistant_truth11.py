"""Truth of held-out split 11 of the accountant's assistant (helper s30i, written blind).

Reads the demo bundle's CSVs (``khazna demo --seed 149 --as-of 2026-04-22``) with the standard
library only and writes ``evals/datasets/assistant_heldout11.yaml``. The figures follow
docs/assistant.md: open receivable = TTC - cleared allocations (oldest first) - credit notes;
CA = HT, "facturé" = TTC; receipts = cleared payments; a share is a percentage to 0.01 traced by
the ids of its part; a change is later - earlier; a ranking's value is the sum of its top N,
its ids the N parties in order.

    python evals/heldout/assistant_truth11.py /tmp/s30i/bundle
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

AS_OF = date(2026, 4, 22)
SEED = 149
OUT = Path(__file__).resolve().parents[1] / "datasets" / "assistant_heldout11.yaml"
CENT = Decimal("0.01")

D = Decimal


def rows(bundle: Path, name: str) -> list[dict[str, str]]:
    with (bundle / name).open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def day(s: str) -> date:
    return date.fromisoformat(s)


class Books:
    def __init__(self, bundle: Path) -> None:
        import json

        self.company = json.loads((bundle / "company.json").read_text(encoding="utf-8"))
        self.clients = {r["client_id"]: r for r in rows(bundle, "clients.csv")}
        self.suppliers = {r["supplier_id"]: r for r in rows(bundle, "suppliers.csv")}
        self.invoices = [r for r in rows(bundle, "invoices.csv") if r["status"] != "cancelled"]
        self.by_number = {r["number"]: r for r in self.invoices}
        self.payments = rows(bundle, "payments.csv")
        self.expenses = rows(bundle, "expenses.csv")
        self.bank = rows(bundle, "bank_lines.csv")

    # -- receivables -------------------------------------------------------------------------
    def open_amounts(self, as_of: date = AS_OF) -> dict[str, Decimal]:
        """Open TTC of each invoice (credit notes excluded) as the books stood on ``as_of``."""
        left = {
            r["number"]: D(r["total_ttc"])
            for r in self.invoices
            if not r["credited_invoice"] and D(r["total_ttc"]) > 0 and day(r["issue_date"]) <= as_of
        }
        for r in self.invoices:  # credit notes
            if r["credited_invoice"] and day(r["issue_date"]) <= as_of:
                left[r["credited_invoice"]] += D(r["total_ttc"])
        for p in sorted(self.payments, key=lambda p: (p["date"], p["payment_id"])):
            if p["status"] != "cleared" or not p["invoice_number"] or day(p["date"]) > as_of:
                continue
            amount = D(p["amount"])
            numbers = sorted(
                p["invoice_number"].split(";"),
                key=lambda n: (self.by_number[n]["issue_date"], n),
            )
            for n in numbers:
                take = min(amount, left[n])
                left[n] -= take
                amount -= take
        return {n: a for n, a in left.items() if a > 0}

    def receivables(self, *, client=None, kind=None, overdue=False, bucket=None, as_of=AS_OF,
                    method=None, partial=False):  # fmt: skip
        total, items = D(0), []
        for n, a in self.open_amounts(as_of).items():
            r = self.by_number[n]
            if client and r["client_id"] not in _set(client):
                continue
            if kind and self.clients[r["client_id"]]["kind"] != kind:
                continue
            if method and r["payment_method"] != method:
                continue
            if partial and a == D(r["total_ttc"]):
                continue
            late = (as_of - day(r["due_date"])).days
            if overdue and late <= 0:
                continue
            if bucket:
                lo, hi = bucket
                if not (lo <= late <= hi):
                    continue
            total += a
            items.append(n)
        return total, items

    # -- invoicing ---------------------------------------------------------------------------
    def invoiced(self, field, period, *, client=None, kind=None, notes=True, stamped=False,
                 method=None):  # fmt: skip
        total, items = D(0), []
        for r in self.invoices:
            if not _in(r["issue_date"], period):
                continue
            if client and r["client_id"] not in _set(client):
                continue
            if kind and self.clients[r["client_id"]]["kind"] != kind:
                continue
            if method and r["payment_method"] != method:
                continue
            if not notes and r["credited_invoice"]:
                continue
            if stamped and D(r["timbre"]) <= 0:
                continue
            total += D(r[field])
            items.append(r["number"])
        return total, items

    def invoice_list(self, period, **kw):
        _, items = self.invoiced("total_ttc", period, notes=False, **kw)
        return [self.by_number[n] for n in items]

    # -- receipts ----------------------------------------------------------------------------
    def receipts(self, period, *, client=None, kind=None, method=None, status="cleared"):
        total, items = D(0), []
        for p in self.payments:
            if p["status"] != status or not _in(p["date"], period):
                continue
            if client and p["client_id"] not in _set(client):
                continue
            if kind and self.clients[p["client_id"]]["kind"] != kind:
                continue
            if method and p["method"] != method:
                continue
            total += D(p["amount"])
            items.append(p["payment_id"])
        return total, items

    # -- expenses ----------------------------------------------------------------------------
    def spent(self, period, *, category=None, supplier=None, method=None):
        total, items = D(0), []
        for e in self.expenses:
            if not _in(e["date"], period):
                continue
            if category and e["category"] not in _set(category):
                continue
            if supplier and e["supplier_id"] not in _set(supplier):
                continue
            if method and e["method"] != method:
                continue
            total += D(e["amount"])
            items.append(e["expense_id"])
        return total, items

    # -- bank --------------------------------------------------------------------------------
    def bank_flow(self, period, sign):
        total, items = D(0), []
        for b in self.bank:
            a = D(b["amount"])
            if _in(b["date"], period) and (a > 0 if sign > 0 else a < 0):
                total += abs(a)
                items.append(b["line_id"])
        return total, items

    def balance(self, on: date):
        total = D(str(self.company["opening_balance"]))
        for b in self.bank:
            if day(b["date"]) <= on:
                total += D(b["amount"])
        return total.quantize(CENT), []


def _set(x):
    return {x} if isinstance(x, str) else set(x)


def _in(s: str, period) -> bool:
    lo, hi = period
    return lo <= day(s) <= hi


def month(y: int, m: int):
    end = date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1)
    return date(y, m, 1), min(end, AS_OF)


def quarter(y: int, q: int):
    return month(y, 3 * q - 2)[0], month(y, 3 * q)[1]


def half(y: int, h: int):
    return month(y, 6 * h - 5)[0], month(y, 6 * h)[1]


def year(y: int):
    return date(y, 1, 1), min(date(y, 12, 31), AS_OF)


def since(y: int, m: int):
    return date(y, m, 1), AS_OF


EVER = (date(2000, 1, 1), AS_OF)
YTD = (date(2026, 1, 1), AS_OF)


def money(v: Decimal) -> str:
    return str(v.quantize(CENT))


def pct(part: Decimal, whole: Decimal) -> str:
    return str((part * 100 / whole).quantize(CENT))


# -- combinations ------------------------------------------------------------------------------
def share(part, whole):
    return pct(part[0], whole[0]), part[1]


def change(later, earlier):
    return money(later[0] - earlier[0]), earlier[1] + later[1]


def count(fig):
    return len(fig[1]), fig[1]


def total(fig):
    return money(fig[0]), fig[1]


def pick(invoices, field, largest=True):
    best = (max if largest else min)(invoices, key=lambda r: D(r[field]))
    return money(D(best[field])), [best["number"]]


def average(invoices, field):
    s = sum((D(r[field]) for r in invoices), D(0))
    return money(s / len(invoices)), [r["number"] for r in invoices]


def top(per_party: dict[str, Decimal], n: int):
    ranked = sorted(per_party.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
    return money(sum((v for _, v in ranked), D(0))), [k for k, _ in ranked]


def last_day(dated: list[tuple[str, str]], first=False):
    """``dated``: (ISO day, id). The last (first) day and every id of that day."""
    if not dated:
        return None, []
    d = (min if first else max)(x[0] for x in dated)
    return d, sorted(i for x, i in dated if x == d)


NULL = (None, [])
