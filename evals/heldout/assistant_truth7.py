"""Truth of the seventh held-out split of the accountant's assistant (helper s29a).

Written blind: from the bundle spec (``shared/spec/bundle.md``, ``cli.md``), the README's
published conventions and the demo's CSV files only, never from Khazna's own code. Reads the
bundle that ``khazna demo --seed 97 --as-of 2026-05-14 --dir DIR`` writes, with the standard
library alone, and writes ``evals/datasets/assistant_heldout7.yaml``:

    khazna demo --seed 97 --as-of 2026-05-14 --dir /tmp/s29a/bundle --db sqlite:////tmp/s29a/x.db
    .venv/bin/python evals/heldout/assistant_truth7.py /tmp/s29a/bundle

Conventions (the ones the product publishes):
- open receivable of an invoice = TTC - cleared allocations - credit notes naming it, as of
  the ledger day; a payment naming several invoices settles them oldest first (in this bundle
  each such payment equals the sum of its invoices); an unallocated payment is no allocation;
  a cancelled invoice and a credit note are no receivable;
- age bucket by days past due on the as-of day (due today = not due): 1-30, 31-60, 61-90, >90;
- "CA" / chiffre d'affaires = HT; "facturé" alone = TTC; invoicing counts the issued invoices
  (credit notes and cancelled ones aside) by issue day;
- client receipts = cleared payments by their day; supplier payments and expenses = the rows
  of expenses.csv by their day; bank debits are given as a positive amount (the sum of the
  lines with a negative amount), credits as the sum of the positive lines;
- the balance on a day = opening balance + signed bank lines up to that day included (items:
  none, a balance rests on the whole statement);
- averages and shares rounded to 0.01 (a share in %, items = the part's ids); a difference or
  change = later - earlier in DA, items = the ids of both; a ranking's value = the sum of the
  top N, items = the N ids in order (ordered: true);
- periods are calendar months / quarters / halves relative to the as-of day 2026-05-14
  ("le mois dernier" = April 2026, "ce trimestre" = Q2 2026 to date, "depuis janvier" =
  2026-01-01 to 2026-05-14).
Questions whose reading depends on an unpublished choice (the month of the credit note or of
the cancelled invoice for invoicing totals, the client holding the unallocated payment, the
client whose last cheque was rejected) are not asked.
"""

from __future__ import annotations

import csv
import json
import sys
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import yaml

AS_OF = date(2026, 5, 14)
SEED = 97
OUT = Path(__file__).resolve().parents[1] / "datasets" / "assistant_heldout7.yaml"
CENT = Decimal("0.01")

Result = tuple[str | None, list[str], bool]


def rows(bundle: Path, name: str) -> list[dict[str, str]]:
    with (bundle / name).open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def day(s: str) -> date:
    return date.fromisoformat(s)


def money(x: Decimal) -> str:
    return str(x.quantize(CENT, rounding=ROUND_HALF_UP))


class Books:
    def __init__(self, bundle: Path) -> None:
        self.company = json.loads((bundle / "company.json").read_text(encoding="utf-8"))
        self.clients = {r["client_id"]: r for r in rows(bundle, "clients.csv")}
        self.invoices = {r["number"]: r for r in rows(bundle, "invoices.csv")}
        self.payments = rows(bundle, "payments.csv")
        self.expenses = rows(bundle, "expenses.csv")
        self.bank = rows(bundle, "bank_lines.csv")
        self.suppliers = {r["supplier_id"]: r for r in rows(bundle, "suppliers.csv")}
        self._allocate()

    # --- receivables -------------------------------------------------------------------
    def real(self, r: dict[str, str]) -> bool:
        """An issued invoice (not cancelled, not a credit note)."""
        return r["status"] != "cancelled" and Decimal(r["total_ttc"]) > 0

    def _allocate(self) -> None:
        self.allocated: dict[str, Decimal] = defaultdict(Decimal)
        self.credited: dict[str, Decimal] = defaultdict(Decimal)
        for p in sorted(self.payments, key=lambda p: p["date"]):
            if p["status"] == "rejected" or day(p["date"]) > AS_OF or not p["invoice_number"]:
                continue
            left = Decimal(p["amount"])
            nums = sorted(p["invoice_number"].split(";"), key=self._age)
            for n in nums:
                due = Decimal(self.invoices[n]["total_ttc"]) - self.allocated[n]
                take = min(left, due)
                self.allocated[n] += take
                left -= take
        for n, r in self.invoices.items():
            if r["credited_invoice"] and r["status"] != "cancelled":
                self.credited[r["credited_invoice"]] += -Decimal(r["total_ttc"])

    def _age(self, n: str) -> tuple[str, str]:
        r = self.invoices[n]
        return (r["issue_date"], n)

    def open_amount(self, n: str) -> Decimal:
        r = self.invoices[n]
        if not self.real(r) or day(r["issue_date"]) > AS_OF:
            return Decimal(0)
        return max(Decimal(r["total_ttc"]) - self.allocated[n] - self.credited[n], Decimal(0))

    def dpd(self, n: str) -> int:
        return (AS_OF - day(self.invoices[n]["due_date"])).days

    def open_invoices(
        self,
        client: str | None = None,
        kind: str | None = None,
        lo: int | None = None,
        hi: int | None = None,
    ) -> list[str]:
        """Open invoices, optionally of a client / kind, with lo <= days past due <= hi."""
        out = []
        for n, r in self.invoices.items():
            if self.open_amount(n) <= 0:
                continue
            if client and r["client_id"] != client:
                continue
            if kind and self.clients[r["client_id"]]["kind"] != kind:
                continue
            d = self.dpd(n)
            if lo is not None and d < lo:
                continue
            if hi is not None and d > hi:
                continue
            out.append(n)
        return sorted(out)

    def partial(self) -> list[str]:
        return [n for n in self.open_invoices() if self.allocated[n] > 0]

    # --- invoicing ---------------------------------------------------------------------
    def issued(
        self, start: date, end: date, client: str | None = None, kind: str | None = None
    ) -> list[str]:
        out = []
        for n, r in self.invoices.items():
            if not self.real(r) or not start <= day(r["issue_date"]) <= end:
                continue
            if client and r["client_id"] != client:
                continue
            if kind and self.clients[r["client_id"]]["kind"] != kind:
                continue
            out.append(n)
        return sorted(out)

    def inv_sum(self, nums: list[str], col: str) -> Decimal:
        return sum((Decimal(self.invoices[n][col]) for n in nums), Decimal(0))

    # --- receipts, expenses, bank ------------------------------------------------------
    def receipts(
        self, start: date, end: date, client: str | None = None, method: str | None = None
    ) -> list[dict[str, str]]:
        return [
            p
            for p in self.payments
            if p["status"] != "rejected"
            and start <= day(p["date"]) <= end
            and (client is None or p["client_id"] == client)
            and (method is None or p["method"] == method)
        ]

    def spent(self, start: date, end: date, **eq: str) -> list[dict[str, str]]:
        return [
            e
            for e in self.expenses
            if start <= day(e["date"]) <= end and all(e[k] == v for k, v in eq.items())
        ]

    def lines(self, start: date, end: date, sign: int) -> list[dict[str, str]]:
        return [
            b
            for b in self.bank
            if start <= day(b["date"]) <= end and (Decimal(b["amount"]) > 0) == (sign > 0)
        ]

    def balance(self, d: date) -> Decimal:
        s = Decimal(str(self.company["opening_balance"]))
        return s + sum(
            (Decimal(b["amount"]) for b in self.bank if day(b["date"]) <= d), Decimal(0)
        )

    def last_payment(self, client: str) -> dict[str, str]:
        ps = [p for p in self.payments if p["client_id"] == client and p["status"] != "rejected"]
        last = max(p["date"] for p in ps)
        same = [p for p in ps if p["date"] == last]
        assert len(same) == 1, (client, same)  # a question about it must have one answer
        return same[0]


# --- periods -----------------------------------------------------------------------------
def month(y: int, m: int) -> tuple[date, date]:
    nxt = date(y + (m == 12), m % 12 + 1, 1)
    return date(y, m, 1), min(nxt - timedelta(days=1), AS_OF)


def quarter(y: int, q: int) -> tuple[date, date]:
    return month(y, 3 * q - 2)[0], month(y, 3 * q)[1]


def half(y: int, h: int) -> tuple[date, date]:
    return month(y, 6 * h - 5)[0], month(y, 6 * h)[1]


def year(y: int) -> tuple[date, date]:
    return date(y, 1, 1), min(date(y, 12, 31), AS_OF)


YTD = (date(2026, 1, 1), AS_OF)
ALL = (date(2000, 1, 1), AS_OF)
LAST_MONTH = month(2026, 4)
THIS_MONTH = month(2026, 5)
LAST_Q = quarter(2026, 1)
THIS_Q = quarter(2026, 2)


def build(b: Books) -> list[dict]:  # noqa: C901 - one list of questions
    cases: list[dict] = []

    def add(question: str, language: str, kind: str, res: Result) -> None:
        value, items, ordered = res
        cases.append(
            {
                "question": question,
                "language": language,
                "kind": kind,
                "value": value,
                "items": items,
                "ordered": ordered,
            }
        )

    none: Result = (None, [], False)

    # result makers ---------------------------------------------------------------------
    def recv(**kw) -> Result:
        ns = b.open_invoices(**kw)
        return money(sum((b.open_amount(n) for n in ns), Decimal(0))), ns, False

    def recv_count(**kw) -> Result:
        ns = b.open_invoices(**kw)
        return str(len(ns)), ns, False

    def clients_count(**kw) -> Result:
        cs = sorted({b.invoices[n]["client_id"] for n in b.open_invoices(**kw)})
        return str(len(cs)), cs, False

    def top_debtors(k: int, **kw) -> Result:
        per: dict[str, Decimal] = defaultdict(Decimal)
        for n in b.open_invoices(**kw):
            per[b.invoices[n]["client_id"]] += b.open_amount(n)
        ranked = sorted(per.items(), key=lambda x: -x[1])
        assert len(ranked) <= k or ranked[k - 1][1] != ranked[k][1]
        return money(sum((v for _, v in ranked[:k]), Decimal(0))), [c for c, _ in ranked[:k]], True

    def top_ca(k: int, period: tuple[date, date], col: str = "total_ht") -> Result:
        per: dict[str, Decimal] = defaultdict(Decimal)
        for n in b.issued(*period):
            per[b.invoices[n]["client_id"]] += Decimal(b.invoices[n][col])
        ranked = sorted(per.items(), key=lambda x: -x[1])
        assert ranked[k - 1][1] != ranked[k][1]
        return money(sum((v for _, v in ranked[:k]), Decimal(0))), [c for c, _ in ranked[:k]], True

    def share(part: list[str], whole: list[str], amount: Callable[[str], Decimal]) -> Result:
        p = sum((amount(x) for x in part), Decimal(0))
        w = sum((amount(x) for x in whole), Decimal(0))
        return money(p * 100 / w), sorted(part), False

    def inv(period: tuple[date, date], col: str, **kw) -> Result:
        ns = b.issued(*period, **kw)
        return money(b.inv_sum(ns, col)), ns, False

    def inv_count(period: tuple[date, date], **kw) -> Result:
        ns = b.issued(*period, **kw)
        return str(len(ns)), ns, False

    def inv_change(p1: tuple[date, date], p2: tuple[date, date], col: str, **kw) -> Result:
        a, c = b.issued(*p1, **kw), b.issued(*p2, **kw)
        return money(b.inv_sum(c, col) - b.inv_sum(a, col)), sorted(a + c), False

    def inv_extreme(period: tuple[date, date], pick: str, col: str = "total_ttc") -> Result:
        ns = b.issued(*period)
        vals = sorted((Decimal(b.invoices[n][col]), n) for n in ns)
        v, n = vals[-1] if pick == "max" else vals[0]
        ties = [m for x, m in vals if x == v]
        assert len(ties) == 1, ties
        return money(v), [n], False

    def inv_avg(period: tuple[date, date], col: str = "total_ttc", **kw) -> Result:
        ns = b.issued(*period, **kw)
        return money(b.inv_sum(ns, col) / len(ns)), ns, False

    def stamp(period: tuple[date, date]) -> Result:
        ns = [n for n in b.issued(*period) if Decimal(b.invoices[n]["timbre"]) > 0]
        return money(b.inv_sum(ns, "timbre")), ns, False

    def rec(period: tuple[date, date], **kw) -> Result:
        ps = b.receipts(*period, **kw)
        return (
            money(sum((Decimal(p["amount"]) for p in ps), Decimal(0))),
            sorted(p["payment_id"] for p in ps),
            False,
        )

    def exp(period: tuple[date, date], **eq: str) -> Result:
        es = b.spent(*period, **eq)
        return (
            money(sum((Decimal(e["amount"]) for e in es), Decimal(0))),
            sorted(e["expense_id"] for e in es),
            False,
        )

    def exp_count(period: tuple[date, date], **eq: str) -> Result:
        es = b.spent(*period, **eq)
        return str(len(es)), sorted(e["expense_id"] for e in es), False

    def exp_extreme(period: tuple[date, date], pick: str, **eq: str) -> Result:
        es = sorted(b.spent(*period, **eq), key=lambda e: Decimal(e["amount"]))
        e = es[-1] if pick == "max" else es[0]
        ties = [x for x in es if Decimal(x["amount"]) == Decimal(e["amount"])]
        assert len(ties) == 1, ties
        return money(Decimal(e["amount"])), [e["expense_id"]], False

    def exp_avg(period: tuple[date, date], **eq: str) -> Result:
        es = b.spent(*period, **eq)
        tot = sum((Decimal(e["amount"]) for e in es), Decimal(0))
        return money(tot / len(es)), sorted(e["expense_id"] for e in es), False

    def exp_share(period: tuple[date, date], **eq: str) -> Result:
        part = b.spent(*period, **eq)
        whole = b.spent(*period)
        p = sum((Decimal(e["amount"]) for e in part), Decimal(0))
        w = sum((Decimal(e["amount"]) for e in whole), Decimal(0))
        return money(p * 100 / w), sorted(e["expense_id"] for e in part), False

    def bank(period: tuple[date, date], sign: int) -> Result:
        ls = b.lines(*period, sign)
        tot = sum((Decimal(x["amount"]) for x in ls), Decimal(0))
        return money(abs(tot)), sorted(x["line_id"] for x in ls), False

    def bal(d: date) -> Result:
        return money(b.balance(d)), [], False

    def bal_change(d1: date, d2: date) -> Result:
        return money(b.balance(d2) - b.balance(d1)), [], False

    def late(n: str) -> Result:
        assert b.open_amount(n) > 0 and b.dpd(n) > 0, n
        return str(b.dpd(n)), [n], False

    def since_paid(c: str) -> Result:
        p = b.last_payment(c)
        return str((AS_OF - day(p["date"])).days), [p["payment_id"]], False

    def last_paid_day(c: str) -> Result:
        p = b.last_payment(c)
        return p["date"], [p["payment_id"]], False

    def avg_late(weighted: bool = False) -> Result:
        ns = b.open_invoices(lo=1)
        if weighted:
            w = sum((b.open_amount(n) for n in ns), Decimal(0))
            v = sum((b.open_amount(n) * b.dpd(n) for n in ns), Decimal(0)) / w
        else:
            v = Decimal(sum(b.dpd(n) for n in ns)) / len(ns)
        return money(v), ns, False

    def amount_open(n: str) -> Decimal:
        return b.open_amount(n)

    def first_issue(period: tuple[date, date]) -> Result:
        ns = b.issued(*period)
        d = min(b.invoices[n]["issue_date"] for n in ns)
        return d, sorted(n for n in ns if b.invoices[n]["issue_date"] == d), False

    def last_expense_day(**eq: str) -> Result:
        es = b.spent(*ALL, **eq)
        d = max(e["date"] for e in es)
        return d, sorted(e["expense_id"] for e in es if e["date"] == d), False

    credit_notes = sorted(
        n for n, r in b.invoices.items() if Decimal(r["total_ttc"]) < 0 and r["status"] != "cancelled"
    )
    all_clients = sorted(b.clients)
    admins = sorted(c for c, r in b.clients.items() if r["kind"] == "administration")
    pmes = sorted(c for c, r in b.clients.items() if r["kind"] == "pme")
    mar26, feb26, jan26, apr26 = month(2026, 3), month(2026, 2), month(2026, 1), month(2026, 4)

    # ===================================== FRENCH (110) ===================================
    fr = "fr"
    add("Quel est le total de nos créances aujourd'hui ?", fr, "receivables_total", recv())
    add("combien les clients nous doivent en tout ?", fr, "receivables_total", recv())
    add("créances échues de 31 à 60 jours", fr, "receivables_bucket", recv(lo=31, hi=60))
    add("total des factures échues depuis plus de 90 jours", fr, "receivables_bucket", recv(lo=91))
    add("montant des créances entre 61 et 90 jours de retard", fr, "receivables_bucket", recv(lo=61, hi=90))
    add("creances echues de 1 a 30 jours ?", fr, "receivables_bucket", recv(lo=1, hi=30))
    add("encours non encore échu", fr, "receivables_not_due", recv(hi=0))
    add("total des créances échues", fr, "receivables_overdue", recv(lo=1))
    add("Combien nous doit Sonarep ?", fr, "receivables_client", recv(client="C01"))
    add("combien doit cosidar ?", fr, "receivables_client", recv(client="C04"))
    add("encours de l'APC de Bab Ezzouar", fr, "receivables_client", recv(client="C14"))
    add("que nous doit El Manar Print à ce jour ?", fr, "receivables_client", recv(client="C09"))
    add("combien nous doit Ibn Sina Medical", fr, "receivables_client", recv(client="C05"))
    add("factures impayées de la Direction de l'Education : montant total ?", fr, "receivables_client", recv(client="C15"))
    add("créances échues des administrations", fr, "receivables_kind_overdue", recv(kind="administration", lo=1))
    add("encours des grands comptes", fr, "receivables_kind", recv(kind="grand_compte"))
    add("créances des PME échues depuis plus de 30 jours", fr, "receivables_kind_bucket", recv(kind="pme", lo=31))
    add("combien nous doivent les administrations au total ?", fr, "receivables_kind", recv(kind="administration"))
    add("créances échues de Cosidar", fr, "receivables_client_overdue", recv(client="C04", lo=1))
    add("montant dû par l'EPH de Rouiba en retard de plus de 30 jours", fr, "receivables_client_bucket", recv(client="C17", lo=31))
    add("Combien nous doit Sonatel ?", fr, "no_answer_client", none)
    add("combien doit la SARL Oran Ciment au 31/03 ?", fr, "no_answer_client", none)
    add("nombre de factures en retard", fr, "count_overdue_invoices", recv_count(lo=1))
    add("combien de clients ont des factures échues ?", fr, "count_clients_overdue", clients_count(lo=1))
    add("combien de clients ont des impayés de plus de 60 jours ?", fr, "count_clients_overdue", clients_count(lo=61))
    add("combien de factures ouvertes a Sonelec ?", fr, "count_open_invoices", recv_count(client="C02"))
    add("top 3 des clients qui nous doivent le plus", fr, "top_debtors", top_debtors(3))
    add("les 5 plus gros débiteurs", fr, "top_debtors", top_debtors(5))
    add("top 2 des administrations par encours", fr, "top_debtors", top_debtors(2, kind="administration"))
    add("quelle part de nos créances vient de Sonarep, en % ?", fr, "share_receivables",
        share(b.open_invoices(client="C01"), b.open_invoices(), amount_open))
    add("quel pourcentage de nos créances est échu ?", fr, "share_receivables",
        share(b.open_invoices(lo=1), b.open_invoices(), amount_open))
    add("part des administrations dans l'encours total (%)", fr, "share_receivables",
        share(b.open_invoices(kind="administration"), b.open_invoices(), amount_open))
    add("combien de jours de retard sur la facture F2026-0018 ?", fr, "days_late_invoice", late("F2026-0018"))
    add("retard de la F2025-0446 en jours", fr, "days_late_invoice", late("F2025-0446"))
    add("jours de retard de la facture F2026-0999", fr, "no_answer_invoice", none)
    add("depuis combien de jours Cosidar ne nous a rien payé ?", fr, "days_since_payment", since_paid("C04"))
    add("dernier paiement de l'APC Bab Ezzouar : il y a combien de jours ?", fr, "days_since_payment", since_paid("C14"))
    add("quand est-ce que Djazair Mobile nous a payé pour la dernière fois ?", fr, "last_payment_date", last_paid_day("C03"))
    add("date du dernier encaissement de l'EPH de Rouiba", fr, "last_payment_date", last_paid_day("C17"))
    pn = b.partial()
    add("combien de factures sont partiellement payées ?", fr, "partial_count", (str(len(pn)), pn, False))
    add("reste à encaisser sur les factures partiellement réglées", fr, "partial_amount",
        (money(sum((b.open_amount(n) for n in pn), Decimal(0))), pn, False))
    add("retard moyen des factures échues, en jours", fr, "avg_days_late", avg_late())
    add("retard moyen pondéré par les montants des factures échues", fr, "weighted_days_late", avg_late(True))

    add("CA de mars 2026", fr, "ca_month", inv(mar26, "total_ht"))
    add("chiffre d'affaires du T1 2026", fr, "ca_quarter", inv(LAST_Q, "total_ht"))
    add("CA HT du premier semestre 2025", fr, "ca_half", inv(half(2025, 1), "total_ht"))
    add("total facturé en avril", fr, "invoiced_ttc_month", inv(apr26, "total_ttc"))
    add("CA depuis janvier", fr, "ca_ytd", inv(YTD, "total_ht"))
    add("chiffre d'affaire HT du 2ème trimestre 2025", fr, "ca_quarter", inv(quarter(2025, 2), "total_ht"))
    add("CA du mois dernier", fr, "ca_month", inv(LAST_MONTH, "total_ht"))
    add("combien on a facturé ce mois-ci ?", fr, "invoiced_ttc_month", inv(THIS_MONTH, "total_ttc"))
    add("combien de factures émises en janvier 2026 ?", fr, "count_invoices", inv_count(jan26))
    add("nombre de factures émises au T1 2026", fr, "count_invoices", inv_count(LAST_Q))
    add("combien de factures a-t-on faites à Sonarep depuis le début de l'année ?", fr, "count_invoices", inv_count(YTD, client="C01"))
    add("CA réalisé avec Sonarep au T1 2026", fr, "ca_client_quarter", inv(LAST_Q, "total_ht", client="C01"))
    add("combien on a facturé à Cosidar depuis le début de l'année", fr, "invoiced_ttc_client", inv(YTD, "total_ttc", client="C04"))
    add("CA des administrations en 2026", fr, "ca_kind", inv(YTD, "total_ht", kind="administration"))
    add("évolution du CA entre le T1 et le T2 2025", fr, "change_quarters", inv_change(quarter(2025, 1), quarter(2025, 2), "total_ht"))
    add("différence de CA entre février et mars 2026", fr, "change_months", inv_change(feb26, mar26, "total_ht"))
    add("de combien le CA du T1 2026 a varié par rapport au T1 2025 ?", fr, "change_quarters", inv_change(quarter(2025, 1), LAST_Q, "total_ht"))
    add("plus grosse facture de mars 2026", fr, "max_invoice", inv_extreme(mar26, "max"))
    add("montant moyen d'une facture en avril 2026 (TTC)", fr, "avg_invoice", inv_avg(apr26))
    add("plus petite facture émise en février 2026", fr, "min_invoice", inv_extreme(feb26, "min"))
    add("TVA facturée au T1 2026", fr, "vat_quarter", inv(LAST_Q, "total_tva"))
    add("montant de la TVA sur les factures du 2e trimestre 2025", fr, "vat_quarter", inv(quarter(2025, 2), "total_tva"))
    add("TVA facturée le mois dernier", fr, "vat_month", inv(LAST_MONTH, "total_tva"))
    add("droit de timbre facturé en mars 2026", fr, "stamp_duty", stamp(mar26))
    add("total du timbre fiscal depuis janvier", fr, "stamp_duty", stamp(YTD))
    add("part des administrations dans le CA du T1 2026 en %", fr, "share_ca",
        share(b.issued(*LAST_Q, kind="administration"), b.issued(*LAST_Q), lambda n: Decimal(b.invoices[n]["total_ht"])))
    add("top 3 clients par chiffre d'affaires depuis janvier", fr, "top_clients_ca", top_ca(3, YTD))
    add("combien d'avoirs avons-nous émis ?", fr, "count_credit_notes", (str(len(credit_notes)), credit_notes, False))
    add("quand a-t-on fait notre dernier avoir ?", fr, "credit_note_date",
        (max(b.invoices[n]["issue_date"] for n in credit_notes), credit_notes, False))
    add("date de la première facture de 2026", fr, "first_invoice_date", first_issue(year(2026)))

    add("encaissemnts d'avril 2026", fr, "receipts_month", rec(apr26))
    add("combien on a encaissé en mars ?", fr, "receipts_month", rec(mar26))
    add("combien Sonarep nous a payé depuis janvier ?", fr, "receipts_client", rec(YTD, client="C01"))
    add("total reçu de l'EPH de Rouiba en 2025", fr, "receipts_client", rec(year(2025), client="C17"))
    add("encaissements du T1 2026", fr, "receipts_quarter", rec(LAST_Q))
    add("encaissements en espèces au premier trimestre 2026", fr, "receipts_method", rec(LAST_Q, method="especes"))

    add("combien on a payé à Sonelgaz en 2025 ?", fr, "supplier_payments", exp(year(2025), supplier_id="S02"))
    add("paiements à CodeLink depuis janvier", fr, "supplier_payments", exp(YTD, supplier_id="S07"))
    add("total versé à Algérie Télécom au T1 2026", fr, "supplier_payments", exp(LAST_Q, supplier_id="S03"))
    add("combien avons-nous réglé au cabinet Hamidi en 2025 ?", fr, "supplier_payments", exp(year(2025), supplier_id="S10"))
    add("combien on a payé à Condor Electronics ?", fr, "no_answer_supplier", none)

    add("dépences carburant en mars 2026", fr, "expenses_category", exp(mar26, category="carburant"))
    add("frais de restaurant le mois dernier", fr, "expenses_category", exp(LAST_MONTH, category="restaurant"))
    add("dépenses de la carte CARD-01 en avril 2026", fr, "expenses_card", exp(apr26, card_id="CARD-01"))
    add("notes de frais de K. Benali en 2026", fr, "expenses_employee", exp(YTD, employee="K. Benali"))
    add("plus grosse dépense de février 2026", fr, "max_expense", exp_extreme(feb26, "max"))
    add("combien de dépenses carburant en 2025 ?", fr, "count_expenses", exp_count(year(2025), category="carburant"))
    add("dépense moyenne au restaurant en 2025", fr, "avg_expense", exp_avg(year(2025), category="restaurant"))
    add("dépenses de S. Meziane en mars 2026", fr, "expenses_employee", exp(mar26, employee="S. Meziane"))
    add("total des dépenses en avril 2026", fr, "expenses_month", exp(apr26))
    add("part du carburant dans les dépenses d'avril 2026 en %", fr, "share_expenses", exp_share(apr26, category="carburant"))
    add("dépenses sur la carte CARD-07", fr, "no_answer_card", none)
    add("frais de déplacement de Mourad Slimani", fr, "no_answer_employee", none)

    add("solde banque au 31/03", fr, "balance_day", bal(date(2026, 3, 31)))
    add("c'est quoi ma tréso aujourd'hui", fr, "balance_day", bal(AS_OF))
    add("combien on a en banque ?", fr, "balance_day", bal(AS_OF))
    add("solde fin 2025", fr, "balance_day", bal(date(2025, 12, 31)))
    add("solde de la banque au 31/02/2026", fr, "no_answer_date", none)
    add("total des débits bancaires de mars 2026", fr, "bank_debits", bank(mar26, -1))
    add("total des crédits en banque en avril 2026", fr, "bank_credits", bank(apr26, 1))
    add("variation du solde bancaire entre le 31/12/2025 et le 31/03/2026", fr, "balance_change",
        bal_change(date(2025, 12, 31), date(2026, 3, 31)))
    add("combien de clients avons-nous ?", fr, "count_clients", (str(len(all_clients)), all_clients, False))
    add("quel temps fera-t-il demain à Alger ?", fr, "no_answer_outside", none)
    add("quel est le salaire de Mohamed Amrani ?", fr, "no_answer_outside", none)
    add("combien nous doit le client Naftal ?", fr, "no_answer_client", none)
    add("CA du 30/02/2026", fr, "no_answer_date", none)
    add("factures de Cevital impayées ?", fr, "no_answer_client", none)

    # ===================================== ARABIC (45) ====================================
    ar = "ar"
    add("قداه عندنا في البنك؟", ar, "balance_day", bal(AS_OF))
    add("ما هو الرصيد البنكي في 31/12/2025؟", ar, "balance_day", bal(date(2025, 12, 31)))
    add("ما هو مجموع الديون المستحقة على الزبائن؟", ar, "receivables_total", recv())
    add("شحال يسالونا الكليان في المجموع؟", ar, "receivables_total", recv())
    add("الديون المتأخرة من 31 إلى 60 يوما", ar, "receivables_bucket", recv(lo=31, hi=60))
    add("مبلغ الفواتير المتأخرة بأكثر من 60 يوما", ar, "receivables_bucket", recv(lo=61))
    add("كم تدين لنا سوناريب؟", ar, "receivables_client", recv(client="C01"))
    add("شحال يسالنا كوسيدار؟", ar, "receivables_client", recv(client="C04"))
    add("كم تدين لنا شركة الأمل للتوزيع؟", ar, "receivables_client", recv(client="C11"))
    add("المبلغ المستحق على مؤسسة النور للبناء", ar, "receivables_client", recv(client="C12"))
    add("ديون مديرية الصحة لولاية بومرداس", ar, "receivables_client", recv(client="C16"))
    add("الديون المتأخرة على كبار الزبائن", ar, "receivables_kind_overdue", recv(kind="grand_compte", lo=1))
    add("كم عدد الفواتير المتأخرة؟", ar, "count_overdue_invoices", recv_count(lo=1))
    add("كم عدد الزبائن الذين لديهم فواتير متأخرة بأكثر من 30 يوما؟", ar, "count_clients_overdue", clients_count(lo=31))
    add("رقم الأعمال لشهر فيفري 2026", ar, "ca_month", inv(feb26, "total_ht"))
    add("رقم الأعمال خارج الرسم للثلاثي الأول 2025", ar, "ca_quarter", inv(quarter(2025, 1), "total_ht"))
    add("رقم الأعمال لشهر أفريل", ar, "ca_month", inv(apr26, "total_ht"))
    add("المبلغ المفوتر في شهر جانفي 2026", ar, "invoiced_ttc_month", inv(jan26, "total_ttc"))
    add("كم فاتورة أصدرنا في شهر آذار 2026؟", ar, "count_invoices", inv_count(mar26))
    add("المبلغ المفوتر في نيسان 2026", ar, "invoiced_ttc_month", inv(apr26, "total_ttc"))
    add("الرسم على القيمة المضافة المفوتر في الثلاثي الأول 2025", ar, "vat_quarter", inv(quarter(2025, 1), "total_tva"))
    add("حقوق الطابع على فواتير شهر أفريل 2026", ar, "stamp_duty", stamp(apr26))
    add("كم دفعت لنا سوناريب في 2025؟", ar, "receipts_client", rec(year(2025), client="C01"))
    add("المبالغ المحصلة من الزبائن في شهر ماي", ar, "receipts_month", rec(THIS_MONTH))
    add("التحصيلات في شهر فيفري 2026", ar, "receipts_month", rec(feb26))
    add("كم دفعنا لسونلغاز منذ جانفي؟", ar, "supplier_payments", exp(YTD, supplier_id="S02"))
    add("كم دفعنا لموبيليس في 2025؟", ar, "supplier_payments", exp(year(2025), supplier_id="S04"))
    add("مصاريف الوقود في شهر أفريل 2026", ar, "expenses_category", exp(apr26, category="carburant"))
    add("مصاريف المطاعم منذ بداية السنة", ar, "expenses_category", exp(YTD, category="restaurant"))
    add("مصاريف البطاقة CARD-01 في مارس 2026", ar, "expenses_card", exp(mar26, card_id="CARD-01"))
    add("أكبر مصروف في شهر مارس 2026", ar, "max_expense", exp_extreme(mar26, "max"))
    add("كم عدد الفواتير المدفوعة جزئيا؟", ar, "partial_count", (str(len(pn)), pn, False))
    add("كم يوم تأخير في الفاتورة F2026-0053؟", ar, "days_late_invoice", late("F2026-0053"))
    add("منذ كم يوم لم تدفع مديرية الصحة لولاية بومرداس؟", ar, "days_since_payment", since_paid("C16"))
    add("متى كانت آخر دفعة من سوناريب؟", ar, "last_payment_date", last_paid_day("C01"))
    add("أكبر 4 زبائن من حيث الديون", ar, "top_debtors", top_debtors(4))
    add("نسبة ديون كوسيدار من مجموع الديون", ar, "share_receivables",
        share(b.open_invoices(client="C04"), b.open_invoices(), amount_open))
    add("الفرق في رقم الأعمال بين جانفي وفيفري 2026", ar, "change_months", inv_change(jan26, feb26, "total_ht"))
    add("شحال خرج من البنك في فيفري 2026؟", ar, "bank_debits", bank(feb26, -1))
    add("شحال دخل للبنك في مارس 2026؟", ar, "bank_credits", bank(mar26, 1))
    add("كم تدين لنا شركة كوندور؟", ar, "no_answer_client", none)
    add("ما هو الرصيد البنكي في 30/02/2026؟", ar, "no_answer_date", none)
    add("كم راتب السيد رشيد بوزيد؟", ar, "no_answer_outside", none)
    add("واش راهو الطقس في وهران اليوم؟", ar, "no_answer_outside", none)
    add("شحال فيها تأخير الفاتورة F2025-0999؟", ar, "no_answer_invoice", none)

    # ===================================== ENGLISH (45) ===================================
    en = "en"
    add("what's our cash position today?", en, "balance_day", bal(AS_OF))
    add("bank balance on 30/04/2026", en, "balance_day", bal(date(2026, 4, 30)))
    add("total receivables", en, "receivables_total", recv())
    add("overdue receivables 61-90 days", en, "receivables_bucket", recv(lo=61, hi=90))
    add("how much is overdue by more than 90 days?", en, "receivables_bucket", recv(lo=91))
    add("how much does Sonelec owe us?", en, "receivables_client", recv(client="C02"))
    add("outstanding balance of Numidia Agro", en, "receivables_client", recv(client="C07"))
    add("how much does EPH Rouiba owe?", en, "receivables_client", recv(client="C17"))
    add("overdue receivables from SMEs", en, "receivables_kind_overdue", recv(kind="pme", lo=1))
    add("how much do private individuals owe us?", en, "receivables_kind", recv(kind="particulier"))
    add("number of invoices overdue by more than 60 days", en, "count_overdue_invoices", recv_count(lo=61))
    add("how many clients owe us money?", en, "count_clients_open", clients_count())
    add("revenue excl. VAT for April 2026", en, "ca_month", inv(apr26, "total_ht"))
    add("sales excluding tax in Q2 2026 so far", en, "ca_quarter", inv(THIS_Q, "total_ht"))
    add("total invoiced incl. VAT in H1 2025", en, "invoiced_ttc_half", inv(half(2025, 1), "total_ttc"))
    add("how many invoices did we issue in April?", en, "count_invoices", inv_count(apr26))
    add("VAT on the invoices issued in March 2026", en, "vat_month", inv(mar26, "total_tva"))
    add("stamp duty on invoices in Q1 2026", en, "stamp_duty", stamp(LAST_Q))
    add("customer receipts in January 2026", en, "receipts_month", rec(jan26))
    add("how much has Djazair Mobile paid us since January?", en, "receipts_client", rec(YTD, client="C03"))
    add("cash (especes) receipts in April 2026", en, "receipts_method", rec(apr26, method="especes"))
    add("how much did we pay Yalidine in 2025?", en, "supplier_payments", exp(year(2025), supplier_id="S14"))
    add("payments to DataSoft since the start of the year", en, "supplier_payments", exp(YTD, supplier_id="S15"))
    add("fuel expenses in Q1 2026", en, "expenses_category", exp(LAST_Q, category="carburant"))
    add("travel expenses in 2025", en, "expenses_category", exp(year(2025), category="deplacements"))
    add("what did card CARD-01 spend in May?", en, "expenses_card", exp(THIS_MONTH, card_id="CARD-01"))
    add("expenses of L. Cherif in 2025", en, "expenses_employee", exp(year(2025), employee="L. Cherif"))
    add("largest invoice in April 2026", en, "max_invoice", inv_extreme(apr26, "max"))
    add("average invoice amount incl. VAT in Q1 2026", en, "avg_invoice", inv_avg(LAST_Q))
    add("top 5 clients by revenue in 2026", en, "top_clients_ca", top_ca(5, YTD))
    add("Sonarep's share of Q1 2026 revenue, in %", en, "share_ca",
        share(b.issued(*LAST_Q, client="C01"), b.issued(*LAST_Q), lambda n: Decimal(b.invoices[n]["total_ht"])))
    add("change in revenue from Q1 2026 to Q2 2026", en, "change_quarters", inv_change(LAST_Q, THIS_Q, "total_ht"))
    add("days overdue on invoice F2026-0036", en, "days_late_invoice", late("F2026-0036"))
    add("how many days since the Direction de l'Education last paid?", en, "days_since_payment", since_paid("C15"))
    add("when did Tassili Ingenierie last pay us?", en, "last_payment_date", last_paid_day("C08"))
    add("how many credit notes did we issue in 2025?", en, "count_credit_notes",
        (str(len([n for n in credit_notes if b.invoices[n]["issue_date"][:4] == "2025"])),
         [n for n in credit_notes if b.invoices[n]["issue_date"][:4] == "2025"], False))
    add("bank debits in April 2026", en, "bank_debits", bank(apr26, -1))
    add("total bank credits in January 2026", en, "bank_credits", bank(jan26, 1))
    add("change in the bank balance between 31/03/2026 and today", en, "balance_change", bal_change(date(2026, 3, 31), AS_OF))
    add("how many expenses in April 2026?", en, "count_expenses", exp_count(apr26))
    add("when was the last fuel expense?", en, "last_expense_date", last_expense_day(category="carburant"))
    add("how much does Sonatrach owe us?", en, "no_answer_client", none)
    add("days late on invoice F2027-0001", en, "no_answer_invoice", none)
    add("bank balance on 31/04/2026", en, "no_answer_date", none)
    add("what's the euro exchange rate today?", en, "no_answer_outside", none)
    return cases


def main(argv: list[str]) -> int:
    bundle = Path(argv[1] if len(argv) > 1 else "/tmp/s29a/bundle")
    books = Books(bundle)
    cases = build(books)
    doc = {
        "dataset": "assistant_heldout7",
        "ledger": {"demo_seed": SEED, "as_of": AS_OF.isoformat()},
        "note": (
            "written blind by helper s29a from the bundle spec and CSVs; "
            "truth by evals/heldout/assistant_truth7.py"
        ),
        "cases": cases,
    }
    OUT.write_text(
        yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8"
    )
    langs: dict[str, int] = defaultdict(int)
    for c in cases:
        langs[c["language"]] += 1
    nulls = sum(c["value"] is None for c in cases)
    print(f"{len(cases)} cases {dict(langs)}, {nulls} without answer -> {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
