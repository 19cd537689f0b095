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


def cases(b: Books) -> list[dict]:
    out: list[dict] = []

    def c(question: str, language: str, kind: str, fig, ordered: bool = False) -> None:
        value, items = fig
        if isinstance(value, Decimal):
            value = money(value)
        elif isinstance(value, int):
            value = str(value)
        out.append({"question": question, "language": language, "kind": kind,
                    "value": value, "items": list(items), "ordered": ordered})  # fmt: skip

    R, I, P, E_, B = b.receivables, b.invoiced, b.receipts, b.spent, b.bank_flow
    L = b.invoice_list
    m, q, h, y = month, quarter, half, year
    ht, ttc, tva, tim = "total_ht", "total_ttc", "total_tva", "timbre"

    def per_client(fig_of) -> dict[str, Decimal]:
        return {cid: fig_of(cid)[0] for cid in b.clients}

    def open_per_client() -> dict[str, Decimal]:
        acc: dict[str, Decimal] = defaultdict(Decimal)
        for n, a in b.open_amounts().items():
            acc[b.by_number[n]["client_id"]] += a
        return dict(acc)

    def last_receipt(client=None, period=EVER, first=False):
        return last_day([(p["date"], p["payment_id"]) for p in b.payments
                         if p["status"] == "cleared" and _in(p["date"], period)
                         and (client is None or p["client_id"] == client)], first)  # fmt: skip

    def pct_change(later, earlier):
        return pct(later[0] - earlier[0], earlier[0]), earlier[1] + later[1]

    over60 = (61, 10**6)
    over90 = (91, 10**6)

    # ---------------------------------------------------------------------------- French (90)
    fr = "fr"
    c("Combien nous doit SONAREP au total ?", fr, "receivables_client", R(client="C01"))
    c("Cosidar, on dépasse les 3 M DA d'encours ? donne-moi le montant exact", fr, "receivables_client", R(client="C04"))
    c("creances echues de cosidar stp", fr, "receivables_overdue_client", R(client="C04", overdue=True))
    c("Quel est le total de nos créances échues ?", fr, "receivables_overdue", R(overdue=True))
    c("Balance âgée : combien entre 31 et 60 jours de retard ?", fr, "receivables_bucket", R(bucket=(31, 60)))
    c("Les créances de plus de 90 jours, ça fait combien ?", fr, "receivables_bucket", R(bucket=over90))
    c("Combien de factures impayées avons-nous en ce moment ?", fr, "receivables_count", count(R()))
    c("Quel est le CA de mars 2026 ?", fr, "revenue_period", I(ht, m(2026, 3)))
    c("Chiffre d'affaires HT du T1 2026", fr, "revenue_period", I(ht, q(2026, 1)))
    c("CA depuis le début de l'année", fr, "revenue_period", I(ht, YTD))
    c("Combien a-t-on facturé TTC en fevrier 2026 ?", fr, "invoiced_ttc", I(ttc, m(2026, 2)))
    c("Montant de la TVA facturée au 4e trimestre 2025", fr, "vat_period", I(tva, q(2025, 4)))
    c("Total du droit de timbre sur nos factures en 2025", fr, "stamp_duty", I(tim, y(2025), stamped=True))
    c("Combien de factures ont porté un timbre fiscal en mars 2026 ?", fr, "stamp_duty_count", count(I(tim, m(2026, 3), stamped=True)))
    c("Encaissements du mois dernier", fr, "receipts_period", P(m(2026, 3)))
    c("Combien on a encaissé depuis janvier ?", fr, "receipts_period", P(since(2026, 1)))
    c("Encaissements par chèque en 2025", fr, "receipts_method", P(y(2025), method="cheque"))
    c("Total encaissé en espèces au S2 2025", fr, "receipts_method", P(h(2025, 2), method="especes"))
    c("Qu'est-ce que Sonelec nous a versé au T1 2026 ?", fr, "receipts_client", P(q(2026, 1), client="C02"))
    c("Dépenses de carburant en mars 2026", fr, "expenses_category", E_(m(2026, 3), category="carburant"))
    c("Combien on a payé à Sonelgaz en 2025 ?", fr, "expenses_supplier", E_(y(2025), supplier="S02"))
    c("Frais de restaurant depuis le début de l'année", fr, "expenses_category", E_(YTD, category="restaurant"))
    c("Total des dépenses de sous-traitance en 2025", fr, "expenses_category", E_(y(2025), category="sous_traitance"))
    c("Combien a-t-on versé à CodeLink le trimestre dernier ?", fr, "expenses_supplier", E_(q(2026, 1), supplier="S07"))
    c("Débits bancaires d'avril 2026", fr, "bank_debits", B(m(2026, 4), -1))
    c("Total des crédits en banque en janvier 2026", fr, "bank_credits", B(m(2026, 1), 1))
    c("Solde bancaire au 31/03/2026", fr, "balance_day", b.balance(date(2026, 3, 31)))
    c("Quel était le solde du compte fin 2025 ?", fr, "balance_day", b.balance(date(2025, 12, 31)))
    c("Notre trésorerie aujourd'hui, on en est où ?", fr, "balance_day", b.balance(AS_OF))
    c("Quel sera le solde au 30 avril 2026 ?", fr, "balance_future", NULL)
    c("Part des administrations dans nos créances (en %)", fr, "share_kind", share(R(kind="administration"), R()))
    c("Quelle part du CA 2025 vient de SONAREP ?", fr, "share_client", share(I(ht, y(2025), client="C01"), I(ht, y(2025))))
    c("Évolution du CA entre février et mars 2026", fr, "change_revenue", change(I(ht, m(2026, 3)), I(ht, m(2026, 2))))
    c("Différence des encaissements entre le T4 2025 et le T1 2026", fr, "change_receipts", change(P(q(2026, 1)), P(q(2025, 4))))
    c("De combien ont varié les dépenses de carburant entre janvier et février 2026 ?", fr, "change_expenses",
      change(E_(m(2026, 2), category="carburant"), E_(m(2026, 1), category="carburant")))  # fmt: skip
    c("Top 3 des clients par chiffre d'affaires en 2025", fr, "top_revenue", top(per_client(lambda k: I(ht, y(2025), client=k)), 3), True)
    c("Nos 5 plus gros débiteurs ?", fr, "top_receivables", top(open_per_client(), 5), True)
    c("Plus grosse facture de mars 2026, montant TTC", fr, "largest_invoice", pick(L(m(2026, 3)), ttc))
    c("La plus petite facture émise en février 2026 (TTC)", fr, "smallest_invoice", pick(L(m(2026, 2)), ttc, largest=False))
    c("Montant moyen HT d'une facture au T1 2026", fr, "average_invoice", average(L(q(2026, 1)), ht))
    c("Je sors d'une réunion avec Sonelec Distribution, ils disent être à jour : quand ont-ils payé pour la dernière fois ?", fr, "last_receipt_client", last_receipt("C02"))
    c("Date du dernier encaissement reçu", fr, "last_receipt", last_receipt())
    c("Combien de chèques rejetés depuis le début de l'année ?", fr, "rejected_cheques", count(P(YTD, status="rejected")))
    c("CA net des avoirs de septembre 2025", fr, "revenue_period", I(ht, m(2025, 9)))
    c("Créances de l'APC de Bab Ezzouar", fr, "receivables_client", R(client="C14"))
    c("Combien nous doit la direction de l'education d'Alger ?", fr, "receivables_client", R(client="C15"))
    c("Encours échu de l'EPH Rouiba", fr, "receivables_overdue_client", R(client="C17", overdue=True))
    c("Total des créances sur les PME", fr, "receivables_kind", R(kind="pme"))
    c("Créances des grands comptes en retard de plus de 60 jours", fr, "receivables_kind_bucket", R(kind="grand_compte", bucket=over60))
    c("Reste à encaisser sur les factures partiellement réglées", fr, "receivables_partial", R(partial=True))
    c("Combien nous doit Sonatrach ?", fr, "unknown_client", NULL)
    c("CA réalisé avec Condor Electronics en 2025", fr, "unknown_client", NULL)
    c("Combien d'employés avons-nous ?", fr, "count_people", NULL)
    c("Encaissements d'octobre 2024", fr, "before_records", NULL)
    c("Solde bancaire au 31/02/2026", fr, "impossible_date", NULL)
    c("Reste à payer sur la facture F2026-0999", fr, "unknown_invoice", NULL)
    c("Reste dû sur la facture F2026-0005", fr, "receivables_invoice", (b.open_amounts()["F2026-0005"], ["F2026-0005"]))
    c("Combien nous doit Sonelgaz ?", fr, "wrong_kind", NULL)
    c("CA 2025", fr, "revenue_period", I(ht, y(2025)))
    c("ca s2 2025 des administrations", fr, "revenue_kind", I(ht, h(2025, 2), kind="administration"))
    c("Montant facturé TTC aux particuliers en 2025", fr, "invoiced_kind", I(ttc, y(2025), kind="particulier"))
    c("Encaissements des grands comptes au premier trimestre 2026", fr, "receipts_kind", P(q(2026, 1), kind="grand_compte"))
    c("CA du mois dernier avec Tassili Ing.", fr, "revenue_client", I(ht, m(2026, 3), client="C08"))
    c("Combien de factures a-t-on émises en janvier 2026 ?", fr, "invoice_count", count((None, [r["number"] for r in L(m(2026, 1))])))
    c("Combien de factures échues ?", fr, "receivables_count", count(R(overdue=True)))
    c("Dépenses totales de mars 2026", fr, "expenses_period", E_(m(2026, 3)))
    c("Dépenses payées par carte en avril", fr, "expenses_method", E_(m(2026, 4), method="carte"))
    c("Loyer payé en 2025", fr, "expenses_category", E_(y(2025), category="loyer"))
    c("Combien nous a coûté l'électricité au T1 2026 ?", fr, "expenses_category", E_(q(2026, 1), category="energie"))
    c("Pourcentage des encaissements en espèces en 2025", fr, "share_method", share(P(y(2025), method="especes"), P(y(2025))))
    c("Part de la sous-traitance dans les dépenses du T1 2026", fr, "share_category",
      share(E_(q(2026, 1), category="sous_traitance"), E_(q(2026, 1))))  # fmt: skip
    c("Variation du solde bancaire entre fin février et fin mars 2026", fr, "change_balance",
      (money(b.balance(date(2026, 3, 31))[0] - b.balance(date(2026, 2, 28))[0]), []))  # fmt: skip
    c("Évolution en % du CA entre le T3 et le T4 2025", fr, "change_pct", pct_change(I(ht, q(2025, 4)), I(ht, q(2025, 3))))
    c("chiffre d'afaire de janvier 2026", fr, "revenue_period", I(ht, m(2026, 1)))
    c("creances echues numidia agro", fr, "receivables_overdue_client", R(client="C07", overdue=True))
    c("encaisements fevrier 2026", fr, "receipts_period", P(m(2026, 2)))
    c("Combien reste à encaisser chez Ibn Sina medical ?", fr, "receivables_client", R(client="C05"))
    c("CA HT fait avec Djazair Mobile depuis début 2026", fr, "revenue_client", I(ht, YTD, client="C03"))
    c("Dir. Éducation Alger : combien d'échu ?", fr, "receivables_overdue_client", R(client="C15", overdue=True))
    c("Créances échues de 1 à 30 jours", fr, "receivables_bucket", R(bucket=(1, 30)))
    c("Balance agée 61-90 j des administrations", fr, "receivables_kind_bucket", R(kind="administration", bucket=(61, 90)))
    c("Combien on a payé à Algérie Télécom depuis le début de l'année ?", fr, "expenses_supplier", E_(YTD, supplier="S03"))
    c("Combien a-t-on dépensé en fournitures au S2 2025 ?", fr, "expenses_category", E_(h(2025, 2), category="fournitures"))
    c("Les 3 clients qui nous ont le plus payé au T1 2026", fr, "top_receipts", top(per_client(lambda k: P(q(2026, 1), client=k)), 3), True)
    c("Premier encaissement de 2026, c'était quand ?", fr, "first_receipt", last_receipt(period=YTD, first=True))
    c("Combien de paiements clients reçus en mars 2026 ?", fr, "receipts_count", count(P(m(2026, 3))))
    c("Dis-moi, avec tout ce qu'on a facturé à Cosidar l'an dernier, ça fait combien en HT ?", fr, "revenue_client", I(ht, y(2025), client="C04"))
    c("Bonjour, le comptable me demande la TVA facturée sur janvier 2026, tu peux me donner le montant ?", fr, "vat_period", I(tva, m(2026, 1)))
    c("Combien nous doit El Manar Print en retard ?", fr, "receivables_overdue_client", R(client="C09", overdue=True))
    c("CA du T2 2024", fr, "before_records", NULL)

    # ---------------------------------------------------------------------------- Arabic (45)
    ar = "ar"
    c("كم يدين لنا سوناريب؟", ar, "receivables_client", R(client="C01"))
    c("ما مجموع الديون المستحقة المتأخرة عن السداد؟", ar, "receivables_overdue", R(overdue=True))
    c("رقم الأعمال لشهر مارس 2026", ar, "revenue_period", I(ht, m(2026, 3)))
    c("رقم الأعمال خارج الرسم لشهر جانفي ٢٠٢٦", ar, "revenue_period", I(ht, m(2026, 1)))
    c("كم كان رقم الأعمال في شباط 2026؟", ar, "revenue_period", I(ht, m(2026, 2)))
    c("المبالغ المحصلة في أفريل 2026", ar, "receipts_period", P(m(2026, 4)))
    c("التحصيلات في آذار 2026", ar, "receipts_period", P(m(2026, 3)))
    c("كم دفعنا لسونلغاز في 2025؟", ar, "expenses_supplier", E_(y(2025), supplier="S02"))
    c("مصاريف الوقود في فيفري 2026", ar, "expenses_category", E_(m(2026, 2), category="carburant"))
    c("رصيد البنك في 31 ديسمبر 2025", ar, "balance_day", b.balance(date(2025, 12, 31)))
    c("كم سيكون الرصيد يوم 15 ماي 2026؟", ar, "balance_future", NULL)
    c("كم تدين لنا شركة الأمل للتوزيع؟", ar, "receivables_client", R(client="C11"))
    c("ديون مؤسسة النور للبناء", ar, "receivables_client", R(client="C12"))
    c("شحال يسالنا مديرية الصحة بومرداس؟", ar, "receivables_client", R(client="C16"))
    c("ديون بلدية باب الزوار المتأخرة", ar, "receivables_overdue_client", R(client="C14", overdue=True))
    c("الديون اللي فاتت 90 يوم", ar, "receivables_bucket", R(bucket=over90))
    c("الديون المتأخرة من 31 إلى 60 يوما", ar, "receivables_bucket", R(bucket=(31, 60)))
    c("كم عدد الفواتير غير المدفوعة حاليا؟", ar, "receivables_count", count(R()))
    c("الرسم على القيمة المضافة المفوتر في الثلاثي الأول 2026", ar, "vat_period", I(tva, q(2026, 1)))
    c("مجموع حقوق الطابع في فواتير 2025", ar, "stamp_duty", I(tim, y(2025), stamped=True))
    c("كم فاتورة أصدرنا في ديسمبر 2025؟", ar, "invoice_count", count((None, [r["number"] for r in L(m(2025, 12))])))
    c("أكبر فاتورة في جانفي 2026 بمبلغها مع الرسوم", ar, "largest_invoice", pick(L(m(2026, 1)), ttc))
    c("ما نسبة الإدارات من مجموع الديون؟", ar, "share_kind", share(R(kind="administration"), R()))
    c("الفرق في التحصيلات بين جانفي وفيفري 2026", ar, "change_receipts", change(P(m(2026, 2)), P(m(2026, 1))))
    c("تطور رقم الأعمال بين الثلاثي الرابع 2025 والثلاثي الأول 2026", ar, "change_revenue", change(I(ht, q(2026, 1)), I(ht, q(2025, 4))))
    c("أكبر 3 زبائن حسب رقم الأعمال في 2025", ar, "top_revenue", top(per_client(lambda k: I(ht, y(2025), client=k)), 3), True)
    c("متى كانت آخر دفعة من جازاير موبايل تيليكوم؟", ar, "last_receipt_client", last_receipt("C03"))
    c("شحال خلصنا في الكراء في 2025؟", ar, "expenses_category", E_(y(2025), category="loyer"))
    c("كم عدد العمال عندنا؟", ar, "count_people", NULL)
    c("كم يدين لنا سوناطراك؟", ar, "unknown_client", NULL)
    c("التحصيلات في سبتمبر 2024", ar, "before_records", NULL)
    c("مصاريف المطاعم منذ بداية السنة", ar, "expenses_category", E_(YTD, category="restaurant"))
    c("المصاريف المدفوعة بالبطاقة في مارس 2026", ar, "expenses_method", E_(m(2026, 3), method="carte"))
    c("المبالغ المحصلة نقدا في 2025", ar, "receipts_method", P(y(2025), method="especes"))
    c("كم عدد الشيكات المرفوضة منذ بداية السنة؟", ar, "rejected_cheques", count(P(YTD, status="rejected")))
    c("رقم الأعمال مع الزبائن الخواص في 2025", ar, "revenue_kind", I(ht, y(2025), kind="particulier"))
    c("ديون المؤسسات الصغيرة والمتوسطة", ar, "receivables_kind", R(kind="pme"))
    c("ديون كبار الزبائن المتأخرة", ar, "receivables_kind_overdue", R(kind="grand_compte", overdue=True))
    c("شحال دخلنا الشهر اللي فات؟", ar, "receipts_period", P(m(2026, 3)))
    c("الخزينة اليوم كم فيها؟", ar, "balance_day", b.balance(AS_OF))
    c("المبلغ المتبقي على الفاتورة F2026-0005", ar, "receivables_invoice", (b.open_amounts()["F2026-0005"], ["F2026-0005"]))
    c("مجموع المبالغ المدينة في البنك في مارس 2026", ar, "bank_debits", B(m(2026, 3), -1))
    c("رقم الأعمال من بداية العام", ar, "revenue_period", I(ht, YTD))
    c("كم دفعنا لكودلينك في 2025؟", ar, "expenses_supplier", E_(y(2025), supplier="S07"))
    c("رقم أعمال شركة كوندور في 2025", ar, "unknown_client", NULL)

    # ---------------------------------------------------------------------------- English (45)
    en = "en"
    c("How much does Sonarep owe us?", en, "receivables_client", R(client="C01"))
    c("Total overdue receivables", en, "receivables_overdue", R(overdue=True))
    c("AR aging: what's in the 61-90 days bucket?", en, "receivables_bucket", R(bucket=(61, 90)))
    c("Revenue for Q4 2025", en, "revenue_period", I(ht, q(2025, 4)))
    c("What was our turnover in H2 2025?", en, "revenue_period", I(ht, h(2025, 2)))
    c("Revenue year to date", en, "revenue_period", I(ht, YTD))
    c("How much did we invoice including VAT in March 2026?", en, "invoiced_ttc", I(ttc, m(2026, 3)))
    c("VAT invoiced in 2025", en, "vat_period", I(tva, y(2025)))
    c("Receipts last month", en, "receipts_period", P(m(2026, 3)))
    c("Cash received by cheque in Q1 2026", en, "receipts_method", P(q(2026, 1), method="cheque"))
    c("What has COSIDAR paid us since January?", en, "receipts_client", P(since(2026, 1), client="C04"))
    c("Fuel spend in Q1 2026", en, "expenses_category", E_(q(2026, 1), category="carburant"))
    c("How much did we pay Mobilis in 2025?", en, "expenses_supplier", E_(y(2025), supplier="S04"))
    c("Bank balance at the end of January 2026", en, "balance_day", b.balance(date(2026, 1, 31)))
    c("What will the balance be on June 30, 2026?", en, "balance_future", NULL)
    c("Bank credits in February 2026", en, "bank_credits", B(m(2026, 2), 1))
    c("What share of 2025 revenue came from Sonarep?", en, "share_client", share(I(ht, y(2025), client="C01"), I(ht, y(2025))))
    c("Change in revenue from January to February 2026", en, "change_revenue", change(I(ht, m(2026, 2)), I(ht, m(2026, 1))))
    c("Top 5 clients by revenue this year", en, "top_revenue", top(per_client(lambda k: I(ht, YTD, client=k)), 5), True)
    c("Who are our 3 biggest debtors?", en, "top_receivables", top(open_per_client(), 3), True)
    c("Largest invoice of Q1 2026, incl. VAT", en, "largest_invoice", pick(L(q(2026, 1)), ttc))
    c("Average invoice amount excl. VAT in March 2026", en, "average_invoice", average(L(m(2026, 3)), ht))
    c("When did we last get paid by EPH Rouiba?", en, "last_receipt_client", last_receipt("C17"))
    c("Number of invoices issued in Q1 2026", en, "invoice_count", count((None, [r["number"] for r in L(q(2026, 1))])))
    c("How many invoices are overdue?", en, "receivables_count", count(R(overdue=True)))
    c("How many employees do we have?", en, "count_people", NULL)
    c("How much does Microsoft Algeria owe us?", en, "unknown_client", NULL)
    c("Receipts in August 2024", en, "before_records", NULL)
    c("Open balance on invoice F2026-0999", en, "unknown_invoice", NULL)
    c("Receivables from government clients", en, "receivables_kind", R(kind="administration"))
    c("Overdue receivables from SMEs", en, "receivables_kind_overdue", R(kind="pme", overdue=True))
    c("Revenue from individual customers in 2025", en, "revenue_kind", I(ht, y(2025), kind="particulier"))
    c("Total expenses in March 2026", en, "expenses_period", E_(m(2026, 3)))
    c("Rent paid in 2025", en, "expenses_category", E_(y(2025), category="loyer"))
    c("Spending on subcontracting in Q1 2026", en, "expenses_category", E_(q(2026, 1), category="sous_traitance"))
    c("What percentage of Q1 2026 receipts came in cash?", en, "share_method", share(P(q(2026, 1), method="especes"), P(q(2026, 1))))
    c("Difference in bank debits between February and March 2026", en, "change_bank", change(B(m(2026, 3), -1), B(m(2026, 2), -1)))
    c("Stamp duty on invoices in Q1 2026", en, "stamp_duty", I(tim, q(2026, 1), stamped=True))
    c("How much is left to collect on partially paid invoices?", en, "receivables_partial", R(partial=True))
    c("Receivables more than 90 days past due", en, "receivables_bucket", R(bucket=over90))
    c("How much did Tassili pay us in 2025?", en, "receipts_client", P(y(2025), client="C08"))
    c("How much have we paid Icosnet since the start of the year?", en, "expenses_supplier", E_(YTD, supplier="S13"))
    c("Bank debits last month", en, "bank_debits", B(m(2026, 3), -1))
    c("How many client payments did we receive in April 2026?", en, "receipts_count", count(P(m(2026, 4))))
    c("When did the first payment of 2026 come in?", en, "first_receipt", last_receipt(period=YTD, first=True))
    return out


def dump(items: list[dict]) -> str:
    """YAML in the dataset's shape; strings are JSON-quoted (valid YAML, Arabic kept)."""
    import json

    q = lambda x: json.dumps(x, ensure_ascii=False)  # noqa: E731
    lines = [
        "dataset: assistant_heldout11",
        f"ledger: {{demo_seed: {SEED}, as_of: '{AS_OF.isoformat()}'}}",
        "note: written blind by helper s30i from the bundle spec, docs/assistant.md and the CSVs;"
        " truth by evals/heldout/assistant_truth11.py",
        "cases:",
    ]
    for k in items:
        value = "null" if k["value"] is None else "'" + k["value"] + "'"
        lines += [
            f"- question: {q(k['question'])}",
            f"  language: {k['language']}",
            f"  kind: {k['kind']}",
            f"  value: {value}",
            f"  items: [{', '.join(k['items'])}]",
            f"  ordered: {'true' if k['ordered'] else 'false'}",
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    bundle = Path(argv[1] if len(argv) > 1 else "/tmp/s30i/bundle")
    items = cases(Books(bundle))
    OUT.write_text(dump(items), encoding="utf-8")
    by_lang: dict[str, int] = defaultdict(int)
    for k in items:
        by_lang[k["language"]] += 1
    nulls = sum(k["value"] is None for k in items)
    print(f"{len(items)} cases {dict(by_lang)}, {nulls} without answer -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
