"""Truth of the eighth held-out split of the accountant's assistant (helper s29k).

Written blind: from the bundle spec (shared/spec/bundle.md), the published conventions
(docs/assistant.md) and the CSV files of ``khazna demo --seed 101 --as-of 2026-02-26`` only,
without reading the assistant, its lexicon or its datasets. Standard library only.

    khazna demo --seed 101 --as-of 2026-02-26 --dir /tmp/s29k/bundle --db sqlite:////tmp/s29k/x.db
    python3 evals/heldout/assistant_truth8.py /tmp/s29k/bundle

writes ``evals/datasets/assistant_heldout8.yaml``.
"""

from __future__ import annotations

import csv
import json
import sys
from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

AS_OF = date(2026, 2, 26)
OUT = Path(__file__).resolve().parents[1] / "datasets" / "assistant_heldout8.yaml"
CENT = Decimal("0.01")


def d(s: str) -> date:
    return date.fromisoformat(s)


def money(x: Decimal) -> str:
    return str(x.quantize(CENT, rounding=ROUND_HALF_UP))


def rows(bundle: Path, name: str) -> list[dict]:
    with (bundle / name).open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def month(y: int, m: int) -> tuple[date, date]:
    nxt = date(y + (m == 12), m % 12 + 1, 1)
    return date(y, m, 1), min(nxt - timedelta(days=1), AS_OF)


def quarter(y: int, q: int) -> tuple[date, date]:
    a = date(y, 3 * q - 2, 1)
    return a, month(y, 3 * q)[1]


def half(y: int, h: int) -> tuple[date, date]:
    return date(y, 6 * h - 5, 1), month(y, 6 * h)[1]


def year(y: int) -> tuple[date, date]:
    return date(y, 1, 1), min(date(y, 12, 31), AS_OF)


class Books:
    def __init__(self, bundle: Path) -> None:
        self.company = json.loads((bundle / "company.json").read_text(encoding="utf-8"))
        self.clients = {r["client_id"]: r for r in rows(bundle, "clients.csv")}
        self.suppliers = {r["supplier_id"]: r for r in rows(bundle, "suppliers.csv")}
        inv = [r for r in rows(bundle, "invoices.csv") if r["status"] != "cancelled"]
        for r in inv:
            r["day"], r["due"] = d(r["issue_date"]), d(r["due_date"])
            for k in ("total_ht", "total_tva", "timbre", "total_ttc"):
                r[k] = Decimal(r[k])
        self.docs = inv  # invoices and credit notes (stored negative)
        self.invoices = [r for r in inv if not r["credited_invoice"] and r["total_ttc"] > 0]
        self.credit_notes = [r for r in inv if r["credited_invoice"]]
        self.by_number = {r["number"]: r for r in self.invoices}
        self.payments = []
        for p in rows(bundle, "payments.csv"):
            p["day"], p["amount"] = d(p["date"]), Decimal(p["amount"])
            self.payments.append(p)
        self.cleared = [p for p in self.payments if p["status"] == "cleared"]
        # allocations: (invoice, day, amount), oldest invoice first
        self.allocs: dict[str, list[tuple[date, Decimal]]] = defaultdict(list)
        for p in self.cleared:
            nums = [n for n in p["invoice_number"].split(";") if n]
            nums.sort(key=lambda n: (self.by_number[n]["day"], n))
            left = p["amount"]
            for n in nums:
                credit = sum(
                    -c["total_ttc"] for c in self.credit_notes if c["credited_invoice"] == n
                )
                due = self.by_number[n]["total_ttc"] - credit - sum(a for _, a in self.allocs[n])
                take = min(left, due) if n != nums[-1] else left
                self.allocs[n].append((p["day"], take))
                left -= take
        self.expenses = []
        for e in rows(bundle, "expenses.csv"):
            e["day"], e["amount"] = d(e["date"]), Decimal(e["amount"])
            self.expenses.append(e)
        self.bank = []
        for b in rows(bundle, "bank_lines.csv"):
            b["day"], b["amount"] = d(b["date"]), Decimal(b["amount"])
            self.bank.append(b)

    # --- receivables -------------------------------------------------------------------
    def open_amount(self, inv: dict, on: date = AS_OF) -> Decimal:
        paid = sum((a for day, a in self.allocs[inv["number"]] if day <= on), Decimal(0))
        credit = sum(
            (-c["total_ttc"] for c in self.credit_notes
             if c["credited_invoice"] == inv["number"] and c["day"] <= on),
            Decimal(0),
        )  # fmt: skip
        return inv["total_ttc"] - paid - credit

    def open_invoices(self, on=AS_OF, client=None, kind=None, lo=None, hi=None, overdue=None,
                      partial=False):  # fmt: skip
        out = []
        for r in self.invoices:
            if r["day"] > on:
                continue
            if client and r["client_id"] != client:
                continue
            if kind and self.clients[r["client_id"]]["kind"] != kind:
                continue
            amt = self.open_amount(r, on)
            if amt <= 0:
                continue
            late = (on - r["due"]).days
            if overdue is True and late <= 0:
                continue
            if overdue is False and late > 0:
                continue
            if lo is not None and late < lo:
                continue
            if hi is not None and late > hi:
                continue
            if partial and amt == r["total_ttc"]:
                continue
            out.append((r, amt))
        return out

    def receivables(self, **kw) -> tuple[str, list[str]]:
        got = self.open_invoices(**kw)
        return money(sum((a for _, a in got), Decimal(0))), [r["number"] for r, _ in got]

    # --- invoicing -----------------------------------------------------------------------
    def docs_in(self, a, b, client=None, kind=None, credit_notes=True):
        src = self.docs if credit_notes else self.invoices
        return [
            r for r in src
            if a <= r["day"] <= b
            and (not client or r["client_id"] == client)
            and (not kind or self.clients[r["client_id"]]["kind"] == kind)
        ]  # fmt: skip

    def invoiced(self, field, a, b, **kw) -> tuple[str, list[str]]:
        got = self.docs_in(a, b, **kw)
        if field == "timbre":
            got = [r for r in got if r["timbre"] > 0]
        return money(sum((r[field] for r in got), Decimal(0))), [r["number"] for r in got]

    # --- receipts, expenses, bank ----------------------------------------------------------
    def receipts(self, a, b, client=None, method=None):
        got = [p for p in self.cleared if a <= p["day"] <= b
               and (not client or p["client_id"] == client)
               and (not method or p["method"] == method)]  # fmt: skip
        return money(sum((p["amount"] for p in got), Decimal(0))), [p["payment_id"] for p in got]

    def spent(self, a, b, **kw):
        got = [e for e in self.expenses if a <= e["day"] <= b
               and all(e[k] == v for k, v in kw.items())]  # fmt: skip
        return money(sum((e["amount"] for e in got), Decimal(0))), [e["expense_id"] for e in got]

    def bank_flow(self, a, b, sign):
        got = [x for x in self.bank if a <= x["day"] <= b and (x["amount"] > 0) == (sign > 0)]
        return money(sum((abs(x["amount"]) for x in got), Decimal(0))), [x["line_id"] for x in got]

    def balance(self, on):
        s = Decimal(str(self.company["opening_balance"])) + sum(
            (x["amount"] for x in self.bank if x["day"] <= on), Decimal(0)
        )
        return money(s), []


def pct(part: str, whole: str) -> str:
    return money(Decimal(part) * 100 / Decimal(whole))


def diff(later: str, earlier: str) -> str:
    return money(Decimal(later) - Decimal(earlier))


def build(bk: Books) -> list[dict]:
    cases: list[dict] = []

    def add(q, lang, kind, value, items, ordered=False):
        cases.append({"question": q, "language": lang, "kind": kind, "value": value,
                      "items": list(items), "ordered": ordered})  # fmt: skip

    def none(q, lang, kind):
        add(q, lang, kind, None, [])

    feb = month(2026, 2)
    jan = month(2026, 1)
    dec = month(2025, 12)
    nov = month(2025, 11)
    t4, t3, t2 = quarter(2025, 4), quarter(2025, 3), quarter(2025, 2)
    s1, s2 = half(2025, 1), half(2025, 2)
    y25 = year(2025)
    ytd = year(2026)
    since_feb = (date(2026, 2, 1), AS_OF)
    since_20 = (date(2026, 2, 20), AS_OF)
    yday = (date(2026, 2, 25), date(2026, 2, 25))
    today = (AS_OF, AS_OF)

    R = bk.receivables
    # ---------------- receivables -----------------------------------------------------
    add("Combien nos clients nous doivent au total ?", "fr", "receivables_total", *R())
    add("total des créances échues", "fr", "receivables_overdue", *R(overdue=True))
    add("creances echues de 1 a 30 jours ?", "fr", "receivables_bucket", *R(lo=1, hi=30))
    add(
        "Montant des créances échues entre 31 et 60 jours",
        "fr",
        "receivables_bucket",
        *R(lo=31, hi=60),
    )
    add("les impayés de 61 à 90 jours", "fr", "receivables_bucket", *R(lo=61, hi=90))
    add("créances échues depuis plus de 90 jours", "fr", "receivables_bucket", *R(lo=91))
    add("Quel est l'encours non encore échu ?", "fr", "receivables_not_due", *R(overdue=False))
    add("Combien nous doit Sonelec ?", "fr", "receivables_client", *R(client="C02"))
    add("encours de SONAREP", "fr", "receivables_client", *R(client="C01"))
    add(
        "Factures échues des administrations : montant ?",
        "fr",
        "receivables_kind",
        *R(kind="administration", overdue=True),
    )
    add("créances sur les grands comptes", "fr", "receivables_kind", *R(kind="grand_compte"))
    add("Combien nous doit Numidia Agro ?", "fr", "receivables_client", *R(client="C07"))
    add("What is the total of our open receivables?", "en", "receivables_total", *R())
    add("overdue receivables more than 90 days", "en", "receivables_bucket", *R(lo=91))
    add("How much does Djazair Mobile owe us?", "en", "receivables_client", *R(client="C03"))
    add("receivables 31-60 days past due", "en", "receivables_bucket", *R(lo=31, hi=60))
    add(
        "how much do government clients owe us", "en", "receivables_kind", *R(kind="administration")
    )
    add("شحال يسالونا الكليان في المجموع؟", "ar", "receivables_total", *R())
    add("ما هو مجموع الديون المستحقة المتأخرة؟", "ar", "receivables_overdue", *R(overdue=True))
    add("قداه يسالنا Sonelec ؟", "ar", "receivables_client", *R(client="C02"))
    add("كم تدين لنا الإدارات؟", "ar", "receivables_kind", *R(kind="administration"))

    # receivables at an earlier day
    add("Encours clients au 31/12/2025 ?", "fr", "receivables_total_on", *R(on=date(2025, 12, 31)))
    add(
        "open receivables at 31 January 2026",
        "en",
        "receivables_total_on",
        *R(on=date(2026, 1, 31)),
    )

    # partially paid
    part = bk.open_invoices(partial=True)
    add(
        "reste dû sur les factures partiellement payées ?",
        "fr",
        "partial_invoices",
        money(sum((a for _, a in part), Decimal(0))),
        [r["number"] for r, _ in part],
    )
    add(
        "which invoices are partly paid? how much is left on them",
        "en",
        "partial_invoices",
        money(sum((a for _, a in part), Decimal(0))),
        [r["number"] for r, _ in part],
    )

    # counts on receivables
    od = bk.open_invoices(overdue=True)
    od_clients = sorted({r["client_id"] for r, _ in od})
    add(
        "Combien de factures sont en retard de paiement ?",
        "fr",
        "count_overdue_invoices",
        str(len(od)),
        [r["number"] for r, _ in od],
    )
    add(
        "combien de clients ont des factures échues ?",
        "fr",
        "count_clients_overdue",
        str(len(od_clients)),
        od_clients,
    )
    add(
        "how many clients have overdue invoices?",
        "en",
        "count_clients_overdue",
        str(len(od_clients)),
        od_clients,
    )
    add(
        "شكون اللي ما خلصش؟ شحال من كليان عندهم فواتير متأخرة",
        "ar",
        "count_clients_overdue",
        str(len(od_clients)),
        od_clients,
    )
    op = bk.open_invoices()
    add(
        "كم عدد الفواتير غير المدفوعة؟",
        "ar",
        "count_open_invoices",
        str(len(op)),
        [r["number"] for r, _ in op],
    )

    # top clients by open receivable
    per = defaultdict(Decimal)
    for r, a in op:
        per[r["client_id"]] += a
    top = sorted(per, key=lambda c: (-per[c], c))
    add(
        "Top 3 des clients qui nous doivent le plus",
        "fr",
        "top_clients_receivables",
        money(sum(per[c] for c in top[:3])),
        top[:3],
        True,
    )
    add(
        "top 5 debtors",
        "en",
        "top_clients_receivables",
        money(sum(per[c] for c in top[:5])),
        top[:5],
        True,
    )
    add(
        "أكبر 3 زبائن مدينين لنا",
        "ar",
        "top_clients_receivables",
        money(sum(per[c] for c in top[:3])),
        top[:3],
        True,
    )
    tot = R()[0]
    add(
        "Quelle part des créances représente SONAREP en % ?",
        "fr",
        "share_receivables_client",
        pct(R(client="C01")[0], tot),
        R(client="C01")[1],
    )
    add(
        "part des administrations dans l'encours total en pourcentage",
        "fr",
        "share_receivables_kind",
        pct(R(kind="administration")[0], tot),
        R(kind="administration")[1],
    )
    add(
        "what percentage of our receivables is overdue?",
        "en",
        "share_receivables_overdue",
        pct(R(overdue=True)[0], tot),
        R(overdue=True)[1],
    )

    # largest open invoice
    big = max(op, key=lambda x: (x[1], x[0]["number"]))
    add(
        "quelle est la plus grosse facture impayée ?",
        "fr",
        "max_open_invoice",
        money(big[1]),
        [big[0]["number"]],
    )

    # days late of one invoice (open and overdue)
    for r, _ in (
        sorted(od, key=lambda x: x[0]["number"])[:1]
        + sorted(od, key=lambda x: x[0]["number"])[-2:-1]
    ):
        add(
            f"Combien de jours de retard pour la facture {r['number']} ?",
            "fr",
            "days_late_invoice",
            str((AS_OF - r["due"]).days),
            [r["number"]],
        )
    r0 = sorted(od, key=lambda x: x[0]["due"])[len(od) // 2][0]
    add(
        f"how many days late is invoice {r0['number']}?",
        "en",
        "days_late_invoice",
        str((AS_OF - r0["due"]).days),
        [r0["number"]],
    )
    add(
        f"كم يوم تأخير للفاتورة {r0['number']}؟",
        "ar",
        "days_late_invoice",
        str((AS_OF - r0["due"]).days),
        [r0["number"]],
    )
    avg_late = sum(Decimal((AS_OF - r["due"]).days) for r, _ in od) / len(od)
    add(
        "retard moyen des factures échues en jours",
        "fr",
        "avg_days_late",
        money(avg_late),
        [r["number"] for r, _ in od],
    )

    # days since a client's last payment
    for cid, q, lang in (("C01", "Depuis combien de jours SONAREP ne nous a pas payé ?", "fr"),
                         ("C14", "ça fait combien de jours depuis le dernier paiement de l'APC Bab Ezzouar", "fr"),
                         ("C08", "days since Tassili Ingenierie last paid us", "en")):  # fmt: skip
        ps = [p for p in bk.cleared if p["client_id"] == cid]
        last = max(ps, key=lambda p: (p["day"], p["payment_id"]))
        add(
            q,
            lang,
            "days_since_last_payment",
            str((AS_OF - last["day"]).days),
            [last["payment_id"]],
        )
    ps = [p for p in bk.cleared if p["client_id"] == "C04"]
    last = max(ps, key=lambda p: (p["day"], p["payment_id"]))
    add(
        "Quand COSIDAR nous a payé pour la dernière fois ?",
        "fr",
        "last_payment_date",
        last["day"].isoformat(),
        [last["payment_id"]],
    )

    # ---------------- invoicing --------------------------------------------------------
    INV = bk.invoiced
    add(
        "Combien on a facturé en janvier 2026 ?",
        "fr",
        "invoiced_ttc_month",
        *INV("total_ttc", *jan),
    )
    add("CA de décembre 2025", "fr", "ca_ht_month", *INV("total_ht", *dec))
    add("chiffre d'affaires HT du T4 2025", "fr", "ca_ht_quarter", *INV("total_ht", *t4))
    add(
        "montant facturé TTC au 3e trimestre 2025",
        "fr",
        "invoiced_ttc_quarter",
        *INV("total_ttc", *t3),
    )
    add("Quel est le CA 2025 ?", "fr", "ca_ht_year", *INV("total_ht", *y25))
    add("CA depuis le début de l'année", "fr", "ca_ht_ytd", *INV("total_ht", *ytd))
    add(
        "combien on a facturé depuis le 1er février ?",
        "fr",
        "invoiced_ttc_since",
        *INV("total_ttc", *since_feb),
    )
    add("facturation du mois dernier", "fr", "invoiced_ttc_month", *INV("total_ttc", *jan))
    add("CA ce mois-ci", "fr", "ca_ht_month", *INV("total_ht", *feb))
    add(
        "combien on a facturé a Sonarep en 2025 ?",
        "fr",
        "invoiced_ttc_client",
        *INV("total_ttc", *y25, client="C01"),
    )
    add(
        "CA réalisé avec les administrations au T4 2025",
        "fr",
        "ca_ht_kind",
        *INV("total_ht", *t4, kind="administration"),
    )
    add(
        "facturé à El Manar Print depuis janvier",
        "fr",
        "invoiced_ttc_client",
        *INV("total_ttc", *ytd, client="C09"),
    )
    add("what was our turnover in Q3 2025?", "en", "ca_ht_quarter", *INV("total_ht", *t3))
    add(
        "how much did we invoice in November 2025 (TTC)?",
        "en",
        "invoiced_ttc_month",
        *INV("total_ttc", *nov),
    )
    add("revenue for H1 2025", "en", "ca_ht_half", *INV("total_ht", *s1))
    add("how much did we invoice last month?", "en", "invoiced_ttc_month", *INV("total_ttc", *jan))
    add("revenue from Sonelec in 2025", "en", "ca_ht_client", *INV("total_ht", *y25, client="C02"))
    add("شحال فوترنا في جانفي 2026؟", "ar", "invoiced_ttc_month", *INV("total_ttc", *jan))
    add("رقم الأعمال في الثلاثي الرابع 2025", "ar", "ca_ht_quarter", *INV("total_ht", *t4))
    add("ما هو رقم الأعمال لسنة 2025؟", "ar", "ca_ht_year", *INV("total_ht", *y25))
    add("كم فوترنا منذ بداية الشهر؟", "ar", "invoiced_ttc_since", *INV("total_ttc", *since_feb))

    # changes / differences between periods
    a_, b_ = INV("total_ht", *t3), INV("total_ht", *t4)
    add(
        "évolution du CA entre le T3 et le T4 2025 (en DA)",
        "fr",
        "change_ca_quarter",
        diff(b_[0], a_[0]),
        a_[1] + b_[1],
    )
    a_, b_ = INV("total_ttc", *dec), INV("total_ttc", *jan)
    add(
        "différence de facturation entre décembre 2025 et janvier 2026",
        "fr",
        "diff_invoiced_month",
        diff(b_[0], a_[0]),
        a_[1] + b_[1],
    )
    a_, b_ = INV("total_ht", *s1), INV("total_ht", *s2)
    add(
        "change in revenue from H1 2025 to H2 2025",
        "en",
        "change_ca_half",
        diff(b_[0], a_[0]),
        a_[1] + b_[1],
    )
    a_, b_ = INV("total_ht", *t2), INV("total_ht", *t3)
    add(
        "Variation du chiffre d'affaires du T2 au T3 2025 en %",
        "fr",
        "change_ca_quarter_pct",
        money((Decimal(b_[0]) - Decimal(a_[0])) * 100 / Decimal(a_[0])),
        a_[1] + b_[1],
    )
    part_ = INV("total_ht", *y25, kind="grand_compte")
    add(
        "part des grands comptes dans le CA 2025 en %",
        "fr",
        "share_ca_kind",
        pct(part_[0], INV("total_ht", *y25)[0]),
        part_[1],
    )

    # VAT and stamp duty
    add("TVA collectée au T4 2025 ?", "fr", "vat_quarter", *INV("total_tva", *t4))
    add("VAT collected in Q3 2025", "en", "vat_quarter", *INV("total_tva", *t3))
    add(
        "كم الرسم على القيمة المضافة المحصل في ديسمبر 2025؟",
        "ar",
        "vat_month",
        *INV("total_tva", *dec),
    )
    add("droit de timbre facturé en décembre 2025", "fr", "stamp_month", *INV("timbre", *dec))
    add("stamp duty collected in January 2026", "en", "stamp_month", *INV("timbre", *jan))

    # counts of invoices, largest/smallest/average
    def ninv(a, b, **kw):
        got = bk.docs_in(a, b, credit_notes=False, **kw)
        return str(len(got)), [r["number"] for r in got]

    add("combien de factures émises en février 2026 ?", "fr", "count_invoices", *ninv(*feb))
    add("how many invoices did we issue in Q4 2025?", "en", "count_invoices", *ninv(*t4))
    add("كم عدد الفواتير الصادرة في جانفي 2026؟", "ar", "count_invoices", *ninv(*jan))
    g = bk.docs_in(*y25, credit_notes=False)
    mx = max(g, key=lambda r: (r["total_ttc"], r["number"]))
    mn = min(g, key=lambda r: (r["total_ttc"], r["number"]))
    add(
        "plus grosse facture de 2025 ?", "fr", "max_invoice", money(mx["total_ttc"]), [mx["number"]]
    )
    add("smallest invoice in 2025", "en", "min_invoice", money(mn["total_ttc"]), [mn["number"]])
    g = bk.docs_in(*jan, credit_notes=False)
    add(
        "montant moyen d'une facture en janvier 2026 (TTC)",
        "fr",
        "avg_invoice",
        money(sum(r["total_ttc"] for r in g) / len(g)),
        [r["number"] for r in g],
    )
    g = bk.docs_in(*t4, credit_notes=False)
    mx = max(g, key=lambda r: (r["total_ttc"], r["number"]))
    add(
        "أكبر فاتورة في الثلاثي الرابع 2025",
        "ar",
        "max_invoice",
        money(mx["total_ttc"]),
        [mx["number"]],
    )

    # top clients by invoicing
    per = defaultdict(Decimal)
    for r in bk.docs_in(*y25):
        per[r["client_id"]] += r["total_ht"]
    top = sorted(per, key=lambda c: (-per[c], c))
    add(
        "top 3 clients par CA en 2025",
        "fr",
        "top_clients_ca",
        money(sum(per[c] for c in top[:3])),
        top[:3],
        True,
    )
    add(
        "top 5 customers by revenue in 2025",
        "en",
        "top_clients_ca",
        money(sum(per[c] for c in top[:5])),
        top[:5],
        True,
    )

    # credit notes
    cn = bk.credit_notes
    add(
        "combien d'avoirs avons-nous fait ?",
        "fr",
        "count_credit_notes",
        str(len(cn)),
        [c["number"] for c in cn],
    )
    add(
        "how many credit notes did we issue in 2025?",
        "en",
        "count_credit_notes",
        str(sum(c["day"].year == 2025 for c in cn)),
        [c["number"] for c in cn if c["day"].year == 2025],
    )

    # first / last invoice dates
    g = bk.docs_in(*feb, credit_notes=False)
    lastinv = max(g, key=lambda r: (r["day"], r["number"]))
    lastinv_items = [r["number"] for r in g if r["day"] == lastinv["day"]]
    add(
        "c'est quand la dernière facture émise ?",
        "fr",
        "last_invoice_date",
        lastinv["day"].isoformat(),
        lastinv_items,
    )
    g = [r for r in bk.invoices if r["client_id"] == "C15"]
    f = min(g, key=lambda r: (r["day"], r["number"]))
    add(
        "when did we first invoice the Direction de l'Éducation?",
        "en",
        "first_invoice_date",
        f["day"].isoformat(),
        [r["number"] for r in g if r["day"] == f["day"]],
    )

    # ---------------- receipts ---------------------------------------------------------
    P = bk.receipts
    add("encaissements de janvier 2026", "fr", "receipts_month", *P(*jan))
    add("combien on a encaissé depuis le 1er février ?", "fr", "receipts_since", *P(*since_feb))
    add("Combien Sonarep nous a payé en 2025 ?", "fr", "receipts_client", *P(*y25, client="C01"))
    add(
        "paiements reçus de Bordj Logistique depuis janvier",
        "fr",
        "receipts_client",
        *P(*ytd, client="C06"),
    )
    add(
        "encaissements en espèces en décembre 2025",
        "fr",
        "receipts_method",
        *P(*dec, method="especes"),
    )
    add("recu combien depuis le 20/02 ?", "fr", "receipts_since", *P(*since_20))
    add("how much did clients pay us in January 2026?", "en", "receipts_month", *P(*jan))
    add(
        "payments received from Amine Immobilier in 2025",
        "en",
        "receipts_client",
        *P(*y25, client="C13"),
    )
    add("شحال دخلنا من الكليان في ديسمبر 2025؟", "ar", "receipts_month", *P(*dec))
    add("كم استلمنا من مدفوعات الزبائن منذ بداية فيفري؟", "ar", "receipts_since", *P(*since_feb))
    a_, b_ = P(*t3), P(*t4)
    add(
        "différence des encaissements entre T3 et T4 2025",
        "fr",
        "change_receipts_quarter",
        diff(b_[0], a_[0]),
        a_[1] + b_[1],
    )
    rj = [p for p in bk.payments if p["status"] == "rejected"]
    add(
        "combien de chèques rejetés ?",
        "fr",
        "count_rejected_cheques",
        str(len(rj)),
        [p["payment_id"] for p in rj],
    )
    pj = [p for p in bk.cleared if jan[0] <= p["day"] <= jan[1]]
    big = max(pj, key=lambda p: (p["amount"], p["payment_id"]))
    add(
        "plus gros encaissement de janvier 2026",
        "fr",
        "max_receipt",
        money(big["amount"]),
        [big["payment_id"]],
    )
    lastp = max(bk.cleared, key=lambda p: (p["day"], p["payment_id"]))
    add(
        "when did we last receive a client payment?",
        "en",
        "last_receipt_date",
        lastp["day"].isoformat(),
        [p["payment_id"] for p in bk.cleared if p["day"] == lastp["day"]],
    )

    # ---------------- expenses ---------------------------------------------------------
    E = bk.spent
    add(
        "dépenses carburant en janvier 2026",
        "fr",
        "expenses_category",
        *E(*jan, category="carburant"),
    )
    add(
        "combien on a dépensé en restaurant au T4 2025 ?",
        "fr",
        "expenses_category",
        *E(*t4, category="restaurant"),
    )
    add(
        "frais de déplacements depuis le début de l'année",
        "fr",
        "expenses_category",
        *E(*ytd, category="deplacements"),
    )
    add(
        "combien on a payé à Sonelgaz en 2025 ?",
        "fr",
        "supplier_payments",
        *E(*y25, supplier_id="S02"),
    )
    add(
        "Dépenses payées avec la carte CARD-01 en janvier 2026",
        "fr",
        "expenses_card",
        *E(*jan, card_id="CARD-01"),
    )
    add(
        "dépenses de S. Meziane en décembre 2025",
        "fr",
        "expenses_employee",
        *E(*dec, employee="S. Meziane"),
    )
    add("total des dépenses de février 2026", "fr", "expenses_month", *E(*feb))
    add(
        "what did we spend on telecom in Q4 2025?",
        "en",
        "expenses_category",
        *E(*t4, category="telecom"),
    )
    add(
        "how much did we pay Algerie Telecom in 2025?",
        "en",
        "supplier_payments",
        *E(*y25, supplier_id="S03"),
    )
    add("fuel expenses in December 2025", "en", "expenses_category", *E(*dec, category="carburant"))
    add("total expenses in January 2026", "en", "expenses_month", *E(*jan))
    add(
        "spending on card CARD-01 in February 2026",
        "en",
        "expenses_card",
        *E(*feb, card_id="CARD-01"),
    )
    add(
        "شحال صرفنا على المازوت والبنزين في جانفي 2026؟",
        "ar",
        "expenses_category",
        *E(*jan, category="carburant"),
    )
    add("كم دفعنا لسونلغاز في 2025؟", "ar", "supplier_payments", *E(*y25, supplier_id="S02"))
    add("مجموع المصاريف في ديسمبر 2025", "ar", "expenses_month", *E(*dec))
    add(
        "كم صرفنا في المطاعم في الثلاثي الرابع 2025؟",
        "ar",
        "expenses_category",
        *E(*t4, category="restaurant"),
    )
    ge = [e for e in bk.expenses if y25[0] <= e["day"] <= y25[1]]
    gs = [e for e in ge if e["category"] == "sous_traitance"]
    mx = max(gs, key=lambda e: (e["amount"], e["expense_id"]))
    add(
        "plus grosse dépense de sous-traitance en 2025",
        "fr",
        "max_expense",
        money(mx["amount"]),
        [mx["expense_id"]],
    )
    gr = [e for e in bk.expenses if e["category"] == "restaurant" and y25[0] <= e["day"] <= y25[1]]
    add(
        "note de restaurant moyenne en 2025",
        "fr",
        "avg_expense",
        money(sum(e["amount"] for e in gr) / len(gr)),
        [e["expense_id"] for e in gr],
    )
    part_, whole_ = E(*t4, category="carburant"), E(*t4)
    add(
        "part du carburant dans les dépenses du T4 2025 en %",
        "fr",
        "share_expenses_category",
        pct(part_[0], whole_[0]),
        part_[1],
    )
    a_, b_ = E(*dec, category="carburant"), E(*jan, category="carburant")
    add(
        "évolution des dépenses carburant entre décembre 2025 et janvier 2026",
        "fr",
        "change_expenses_month",
        diff(b_[0], a_[0]),
        a_[1] + b_[1],
    )
    lastf = max(
        (e for e in bk.expenses if e["category"] == "carburant"),
        key=lambda e: (e["day"], e["expense_id"]),
    )
    add(
        "c'était quand le dernier plein de carburant ?",
        "fr",
        "last_expense_date",
        lastf["day"].isoformat(),
        [
            e["expense_id"]
            for e in bk.expenses
            if e["category"] == "carburant" and e["day"] == lastf["day"]
        ],
    )
    add("dépenses d'hier", "fr", "expenses_day", *E(*yday))

    # ---------------- bank -------------------------------------------------------------
    B = bk.bank_flow
    add("c'est quoi ma tréso aujourd'hui ?", "fr", "balance_today", *bk.balance(AS_OF))
    add("combien on a en banque ?", "fr", "balance_today", *bk.balance(AS_OF))
    add("solde bancaire au 31/12/2025", "fr", "balance_day", *bk.balance(date(2025, 12, 31)))
    add("solde d'hier soir", "fr", "balance_day", *bk.balance(date(2026, 2, 25)))
    add("what's our bank balance today?", "en", "balance_today", *bk.balance(AS_OF))
    add("bank balance on 30 September 2025", "en", "balance_day", *bk.balance(date(2025, 9, 30)))
    add("قداه عندنا في البنك؟", "ar", "balance_today", *bk.balance(AS_OF))
    add("كم كان الرصيد في 31 ديسمبر 2025؟", "ar", "balance_day", *bk.balance(date(2025, 12, 31)))
    add("débits bancaires de janvier 2026", "fr", "bank_debits_month", *B(*jan, -1))
    add("sorties bancaires depuis le 1er février", "fr", "bank_debits_since", *B(*since_feb, -1))
    add("mouvements débiteurs d'aujourd'hui", "fr", "bank_debits_day", *B(*today, -1))
    add("bank debits in November 2025", "en", "bank_debits_month", *B(*nov, -1))
    add("شحال خرج من البنك في جانفي 2026؟", "ar", "bank_debits_month", *B(*jan, -1))
    add("كم دخل للحساب البنكي في فيفري 2026؟", "ar", "bank_credits_month", *B(*feb, 1))
    a_, b_ = bk.balance(date(2025, 12, 31)), bk.balance(AS_OF)
    add(
        "de combien la tréso a bougé depuis le 31/12/2025 ?",
        "fr",
        "change_balance",
        diff(b_[0], a_[0]),
        [],
    )
    a_, b_ = bk.balance(date(2025, 9, 30)), bk.balance(date(2025, 12, 31))
    add(
        "change in bank balance between 30/09/2025 and 31/12/2025",
        "en",
        "change_balance",
        diff(b_[0], a_[0]),
        [],
    )

    # a few more to balance the families
    add(
        "facturé TTC aux particuliers en 2025",
        "fr",
        "invoiced_ttc_kind",
        *INV("total_ttc", *y25, kind="particulier"),
    )
    add(
        "how much VAT did we invoice since the start of the year?",
        "en",
        "vat_ytd",
        *INV("total_tva", *ytd),
    )
    add(
        "how many expenses were paid by card in January 2026?",
        "en",
        "count_expenses",
        str(len(E(*jan, method="carte")[1])),
        E(*jan, method="carte")[1],
    )
    add(
        "كم فاتورة أصدرنا لسوناريب في 2025؟",
        "ar",
        "count_invoices_client",
        *ninv(*y25, client="C01"),
    )
    add("مجموع الطابع الجبائي في جانفي 2026", "ar", "stamp_month", *INV("timbre", *jan))
    add("كم سددنا لـ CodeLink في 2025؟", "ar", "supplier_payments", *E(*y25, supplier_id="S07"))
    add(
        "واش هي أكبر فاتورة ما تخلصتش؟",
        "ar",
        "max_open_invoice",
        money(max(op, key=lambda x: (x[1], x[0]["number"]))[1]),
        [max(op, key=lambda x: (x[1], x[0]["number"]))[0]["number"]],
    )
    add("مجموع المداخيل من الزبائن في الثلاثي الرابع 2025", "ar", "receipts_quarter", *P(*t4))
    add("how much is overdue from SMEs?", "en", "receivables_kind", *R(kind="pme", overdue=True))
    add(
        "invoiced to COSIDAR in Q4 2025 incl. VAT",
        "en",
        "invoiced_ttc_client",
        *INV("total_ttc", *t4, client="C04"),
    )

    add("كم مجموع الديون المتأخرة لأكثر من 90 يوما؟", "ar", "receivables_bucket", *R(lo=91))
    add("كم دفعت لنا جازاير موبايل في 2025؟", "ar", "receipts_client", *P(*y25, client="C03"))

    # ---------------- no answer --------------------------------------------------------
    none("Combien nous doit Sonatel ?", "fr", "none_unknown_client")
    none("encours du client Cevital au 31/01/2026", "fr", "none_unknown_client")
    none("jours de retard de la facture F2026-0999", "fr", "none_unknown_invoice")
    none("solde au 31/02/2026", "fr", "none_impossible_date")
    none("il va faire beau demain à Alger ?", "fr", "none_outside")
    none("quel est le salaire de Mourad Bensalem ?", "fr", "none_outside")
    none("encaissements de juillet 2024", "fr", "none_before_records")
    none("CA de mai 2024", "fr", "none_before_records")
    none("how much does Ooredoo owe us?", "en", "none_unknown_client")
    none("days late on invoice F2023-0001", "en", "none_unknown_invoice")
    none("what will the dollar rate be next week?", "en", "none_outside")
    none("bank balance on 30/02/2026", "en", "none_impossible_date")
    none("شحال يسالنا كوندور؟", "ar", "none_unknown_client")
    none("كيفاش الطقس غدوة في وهران؟", "ar", "none_outside")
    none("كم دفعنا لأوريدو في 2025؟", "ar", "none_unknown_supplier")
    none("combien on a payé à Ooredoo en 2025 ?", "fr", "none_unknown_supplier")
    return cases


def dump(cases: list[dict]) -> str:
    def s(x):
        return "null" if x is None else json.dumps(x, ensure_ascii=False)

    out = [
        "dataset: assistant_heldout8",
        "ledger: {demo_seed: 101, as_of: '2026-02-26'}",
        "note: written blind by helper s29k from the bundle spec and CSVs; truth by "
        "evals/heldout/assistant_truth8.py",
        "cases:",
    ]
    for c in cases:
        out.append(f"- question: {s(c['question'])}")
        out.append(f"  language: {c['language']}")
        out.append(f"  kind: {c['kind']}")
        out.append(f"  value: {s(c['value'])}")
        out.append(f"  items: [{', '.join(s(i) for i in c['items'])}]")
        out.append(f"  ordered: {'true' if c['ordered'] else 'false'}")
    return "\n".join(out) + "\n"


def main() -> None:
    bundle = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/s29k/bundle")
    cases = build(Books(bundle))
    OUT.write_text(dump(cases), encoding="utf-8")
    langs: dict[str, int] = defaultdict(int)
    for c in cases:
        langs[c["language"]] += 1
    print(len(cases), dict(langs), sum(c["value"] is None for c in cases), "without answer")


if __name__ == "__main__":
    main()
