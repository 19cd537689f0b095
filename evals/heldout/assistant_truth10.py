"""Truth of the tenth held-out split of the accountant's assistant (helper s30a, blind).

    python3 evals/heldout/assistant_truth10.py [BUNDLE_DIR]

BUNDLE_DIR is the demo written by ``khazna demo --seed 131 --as-of 2026-12-03 --dir DIR``
(default /tmp/s30a/bundle). Every figure is computed here from the CSVs with the standard
library only (csv, decimal, datetime), following the published conventions of
docs/assistant.md, never with Khazna's own tools; the result is written to
evals/datasets/assistant_heldout10.yaml.
"""

from __future__ import annotations

import csv
import json
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

AS_OF = date(2026, 12, 3)
SEED = 131
CENT = Decimal("0.01")
OUT = Path(__file__).resolve().parents[1] / "datasets" / "assistant_heldout10.yaml"

Period = tuple[date, date]
Figure = tuple[str | None, list[str]]


def q2(x: Decimal) -> Decimal:
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def money(x: Decimal) -> str:
    return str(q2(x))


def month(y: int, m: int) -> Period:
    nxt = date(y + (m == 12), m % 12 + 1, 1)
    return date(y, m, 1), nxt - timedelta(days=1)


def quarter(y: int, n: int) -> Period:
    return month(y, 3 * n - 2)[0], month(y, 3 * n)[1]


def half(y: int, n: int) -> Period:
    return month(y, 6 * n - 5)[0], month(y, 6 * n)[1]


def year(y: int) -> Period:
    return date(y, 1, 1), date(y, 12, 31)


def since(d: date) -> Period:
    return d, AS_OF


YTD = since(date(2026, 1, 1))
LAST_MONTH = month(2026, 11)
THIS_MONTH = since(date(2026, 12, 1))


def inside(d: date, p: Period | None) -> bool:
    return p is None or p[0] <= d <= p[1]


@dataclass(frozen=True)
class Invoice:
    number: str
    client: str
    issue: date
    due: date
    method: str
    ht: Decimal
    tva: Decimal
    timbre: Decimal
    ttc: Decimal
    credited: str

    @property
    def is_credit_note(self) -> bool:
        return self.ttc < 0


@dataclass(frozen=True)
class Payment:
    pid: str
    day: date
    client: str
    invoices: tuple[str, ...]
    amount: Decimal
    method: str
    cleared: bool


@dataclass(frozen=True)
class Expense:
    eid: str
    day: date
    supplier: str
    payee: str
    category: str
    amount: Decimal
    method: str


@dataclass(frozen=True)
class BankLine:
    lid: str
    day: date
    label: str
    amount: Decimal


class Books:
    def __init__(self, folder: Path) -> None:
        def rows(name: str) -> list[dict[str, str]]:
            with (folder / name).open(encoding="utf-8-sig", newline="") as f:
                return list(csv.DictReader(f))

        company = json.loads((folder / "company.json").read_text(encoding="utf-8"))
        self.opening = Decimal(str(company["opening_balance"]))
        self.opening_day = date.fromisoformat(company["opening_date"])
        self.clients = {r["client_id"]: r for r in rows("clients.csv")}
        self.suppliers = {r["supplier_id"]: r for r in rows("suppliers.csv")}
        self.invoices = {
            r["number"]: Invoice(
                r["number"], r["client_id"], date.fromisoformat(r["issue_date"]),
                date.fromisoformat(r["due_date"]), r["payment_method"], Decimal(r["total_ht"]),
                Decimal(r["total_tva"]), Decimal(r["timbre"] or "0"), Decimal(r["total_ttc"]),
                r["credited_invoice"],
            )
            for r in rows("invoices.csv")
            if r["status"] != "cancelled"
        }  # fmt: skip
        self.payments = [
            Payment(
                r["payment_id"], date.fromisoformat(r["date"]), r["client_id"],
                tuple(n for n in r["invoice_number"].split(";") if n), Decimal(r["amount"]),
                r["method"], r["status"] != "rejected",
            )
            for r in rows("payments.csv")
        ]  # fmt: skip
        self.expenses = [
            Expense(
                r["expense_id"], date.fromisoformat(r["date"]), r["supplier_id"], r["payee"],
                r["category"], Decimal(r["amount"]), r["method"],
            )
            for r in rows("expenses.csv")
        ]  # fmt: skip
        self.bank = [
            BankLine(r["line_id"], date.fromisoformat(r["date"]), r["label"], Decimal(r["amount"]))
            for r in rows("bank_lines.csv")
        ]

    # ---- receivables -------------------------------------------------------------------
    def open_amounts(self, on: date = AS_OF) -> dict[str, Decimal]:
        """Open TTC of each invoice on ``on``: TTC − cleared allocations (oldest first) − credit notes."""
        paid: dict[str, Decimal] = defaultdict(Decimal)
        for p in sorted(self.payments, key=lambda p: (p.day, p.pid)):
            if not p.cleared or p.day > on:
                continue
            rest = p.amount
            for n in sorted(p.invoices, key=lambda n: (self.invoices[n].issue, n)):
                take = min(self.invoices[n].ttc - paid[n], rest)
                paid[n] += take
                rest -= take
        out: dict[str, Decimal] = {}
        for inv in self.invoices.values():
            if inv.is_credit_note or inv.issue > on:
                continue
            credits = sum(
                (c.ttc for c in self.invoices.values() if c.credited == inv.number and c.issue <= on),
                Decimal(0),
            )
            left = inv.ttc - paid[inv.number] + credits
            if left != 0:
                out[inv.number] = left
        return out

    def paid_any(self, number: str, on: date = AS_OF) -> bool:
        return any(p.cleared and p.day <= on and number in p.invoices for p in self.payments)

    def receivables(
        self,
        client: str | None = None,
        kind: str | None = None,
        overdue: bool = False,
        bucket: tuple[int, int] | None = None,
        partial: bool = False,
        issued: Period | None = None,
        on: date = AS_OF,
    ) -> dict[str, Decimal]:
        out = {}
        for n, left in self.open_amounts(on).items():
            inv = self.invoices[n]
            late = (on - inv.due).days
            if client and inv.client != client:
                continue
            if kind and self.clients[inv.client]["kind"] != kind:
                continue
            if overdue and late < 1:
                continue
            if bucket and not bucket[0] <= late <= bucket[1]:
                continue
            if partial and not (left < inv.ttc and self.paid_any(n, on)):
                continue
            if issued and not inside(inv.issue, issued):
                continue
            out[n] = left
        return out

    # ---- invoicing ---------------------------------------------------------------------
    def invoiced(
        self,
        period: Period | None,
        client: str | None = None,
        kind: str | None = None,
        method: str | None = None,
        with_notes: bool = True,
    ) -> list[Invoice]:
        return [
            i
            for i in self.invoices.values()
            if inside(i.issue, period)
            and (client is None or i.client == client)
            and (kind is None or self.clients[i.client]["kind"] == kind)
            and (method is None or i.method == method)
            and (with_notes or not i.is_credit_note)
        ]

    # ---- receipts, expenses, bank ------------------------------------------------------
    def receipts(
        self,
        period: Period | None,
        client: str | None = None,
        kind: str | None = None,
        method: str | None = None,
    ) -> list[Payment]:
        return [
            p
            for p in self.payments
            if p.cleared
            and inside(p.day, period)
            and (client is None or p.client == client)
            and (kind is None or self.clients[p.client]["kind"] == kind)
            and (method is None or p.method == method)
        ]

    def spent(
        self,
        period: Period | None,
        category: str | None = None,
        supplier: str | None = None,
        method: str | None = None,
    ) -> list[Expense]:
        return [
            e
            for e in self.expenses
            if inside(e.day, period)
            and (category is None or e.category == category)
            and (supplier is None or e.supplier == supplier)
            and (method is None or e.method == method)
        ]

    def lines(self, period: Period | None, sign: int) -> list[BankLine]:
        return [b for b in self.bank if inside(b.day, period) and b.amount * sign > 0]

    def balance(self, day: date) -> Decimal:
        return self.opening + sum((b.amount for b in self.bank if b.day <= day), Decimal(0))


# ---- figure helpers -------------------------------------------------------------------
def total_of(d: dict[str, Decimal]) -> Figure:
    return money(sum(d.values(), Decimal(0))), sorted(d)


def sum_inv(invs: Iterable[Invoice], field: str) -> Figure:
    invs = list(invs)
    return money(sum((getattr(i, field) for i in invs), Decimal(0))), [i.number for i in invs]


def sum_pay(ps: Iterable[Payment]) -> Figure:
    ps = list(ps)
    return money(sum((p.amount for p in ps), Decimal(0))), [p.pid for p in ps]


def sum_exp(es: Iterable[Expense]) -> Figure:
    es = list(es)
    return money(sum((e.amount for e in es), Decimal(0))), [e.eid for e in es]


def sum_lines(bs: Iterable[BankLine]) -> Figure:
    bs = list(bs)
    return money(sum((abs(b.amount) for b in bs), Decimal(0))), [b.lid for b in bs]


def count(ids: list[str]) -> Figure:
    return str(len(ids)), ids


def pct(part: Decimal, whole: Decimal) -> str:
    return str(q2(part * 100 / whole))


def share(part: Figure, whole: Figure) -> Figure:
    assert part[0] is not None and whole[0] is not None
    return pct(Decimal(part[0]), Decimal(whole[0])), part[1]


def diff(later: Figure, earlier: Figure) -> Figure:
    assert later[0] is not None and earlier[0] is not None
    return money(Decimal(later[0]) - Decimal(earlier[0])), sorted(set(later[1]) | set(earlier[1]))


def change_pct(later: Figure, earlier: Figure) -> Figure:
    assert later[0] is not None and earlier[0] is not None
    lv, ev = Decimal(later[0]), Decimal(earlier[0])
    return pct(lv - ev, ev), sorted(set(later[1]) | set(earlier[1]))


def top(amounts: dict[str, Decimal], n: int) -> Figure:
    ranked = sorted(amounts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
    return money(sum((v for _, v in ranked), Decimal(0))), [k for k, _ in ranked]


def by_client(figs: Iterable[tuple[str, Decimal]]) -> dict[str, Decimal]:
    out: dict[str, Decimal] = defaultdict(Decimal)
    for c, v in figs:
        out[c] += v
    return dict(out)


def average(values: list[Decimal], ids: list[str]) -> Figure:
    return money(sum(values, Decimal(0)) / len(values)), ids


def largest(invs: list[Invoice], field: str, smallest: bool = False) -> Figure:
    pick = (min if smallest else max)(invs, key=lambda i: getattr(i, field))
    return money(getattr(pick, field)), [pick.number]


NONE: Figure = (None, [])


@dataclass
class Case:
    question: str
    language: str
    kind: str
    figure: Callable[[Books], Figure]
    ordered: bool = False



F = Callable[[Books], Figure]


# ---- one question's figure, as a function of the books ---------------------------------
def rec(**kw: object) -> F:
    return lambda b: total_of(b.receivables(**kw))  # type: ignore[arg-type]


def rec_count(**kw: object) -> F:
    return lambda b: count(sorted(b.receivables(**kw)))  # type: ignore[arg-type]


def rec_invoice(number: str) -> F:
    return lambda b: (money(b.open_amounts()[number]), [number])


def top_rec(n: int) -> F:
    return lambda b: top(by_client((b.invoices[k].client, v) for k, v in b.open_amounts().items()), n)


def ca(period: Period, **kw: object) -> F:
    return lambda b: sum_inv(b.invoiced(period, **kw), "ht")  # type: ignore[arg-type]


def ttc(period: Period, **kw: object) -> F:
    return lambda b: sum_inv(b.invoiced(period, **kw), "ttc")  # type: ignore[arg-type]


def tva(period: Period) -> F:
    return lambda b: sum_inv(b.invoiced(period), "tva")


def stamps(period: Period) -> F:
    return lambda b: sum_inv((i for i in b.invoiced(period) if i.timbre > 0), "timbre")


def stamp_count(period: Period) -> F:
    return lambda b: count([i.number for i in b.invoiced(period) if i.timbre > 0])


def inv_count(period: Period) -> F:
    return lambda b: count([i.number for i in b.invoiced(period, with_notes=False)])


def inv_largest(period: Period, field: str, smallest: bool = False) -> F:
    return lambda b: largest(b.invoiced(period, with_notes=False), field, smallest)


def inv_average(period: Period, field: str) -> F:
    def fig(b: Books) -> Figure:
        invs = b.invoiced(period, with_notes=False)
        return average([getattr(i, field) for i in invs], [i.number for i in invs])

    return fig


def top_ca(period: Period, n: int) -> F:
    return lambda b: top(by_client((i.client, i.ht) for i in b.invoiced(period)), n)


def rcpt(period: Period | None, **kw: object) -> F:
    return lambda b: sum_pay(b.receipts(period, **kw))  # type: ignore[arg-type]


def last_payment(client: str) -> F:
    def fig(b: Books) -> Figure:
        ps = b.receipts(None, client=client)
        day = max(p.day for p in ps)
        return day.isoformat(), [p.pid for p in ps if p.day == day]

    return fig


def rejected(period: Period | None) -> F:
    return lambda b: count([p.pid for p in b.payments if not p.cleared and inside(p.day, period)])


def spent(period: Period | None, **kw: object) -> F:
    return lambda b: sum_exp(b.spent(period, **kw))  # type: ignore[arg-type]


def debits(period: Period) -> F:
    return lambda b: sum_lines(b.lines(period, -1))


def credits(period: Period) -> F:
    return lambda b: sum_lines(b.lines(period, 1))


def balance(day: date) -> F:
    return lambda b: (money(b.balance(day)), [])


def share_of(part: F, whole: F) -> F:
    return lambda b: share(part(b), whole(b))


def diff_of(later: F, earlier: F) -> F:
    return lambda b: diff(later(b), earlier(b))


def change_of(later: F, earlier: F) -> F:
    return lambda b: change_pct(later(b), earlier(b))


def none() -> F:
    return lambda b: NONE


D = date
OVER90 = (91, 100000)


def C(q: str, lang: str, kind: str, fig: F, ordered: bool = False) -> Case:  # noqa: N802
    return Case(q, lang, kind, fig, ordered)


FRENCH = [
    C("Combien nous doit SONAREP ?", "fr", "receivables_client", rec(client="C01")),
    C("encours client total à ce jour", "fr", "receivables_total", rec()),
    C("Total des créances échues", "fr", "receivables_overdue", rec(overdue=True)),
    C("créances de plus de 90 jours ?", "fr", "receivables_bucket", rec(bucket=OVER90)),
    C("balance âgée : combien dans la tranche 31-60 jours ?", "fr", "receivables_bucket", rec(bucket=(31, 60))),
    C("montant des factures échues depuis 61 à 90 jours", "fr", "receivables_bucket", rec(bucket=(61, 90))),
    C("creances echues de 1 a 30 jours", "fr", "receivables_bucket", rec(bucket=(1, 30))),
    C("encours de la DSP de Boumerdès", "fr", "receivables_client", rec(client="C16")),
    C("créances échues des grands comptes", "fr", "receivables_kind", rec(kind="grand_compte", overdue=True)),
    C("combien nous doivent les PME au total ?", "fr", "receivables_kind", rec(kind="pme")),
    C("Que nous doit encore Cosidar en retard (échu) ?", "fr", "receivables_client", rec(client="C04", overdue=True)),
    C("encours de Djazair Mobile", "fr", "receivables_client", rec(client="C03")),
    C("reste à encaisser chez l'EPH de Rouiba", "fr", "receivables_client", rec(client="C17")),
    C("combien de factures sont encore ouvertes ?", "fr", "receivables_count", rec_count()),
    C("combien de factures échues non réglées ?", "fr", "receivables_count", rec_count(overdue=True)),
    C("top 3 des clients qui nous doivent le plus", "fr", "receivables_top", top_rec(3), True),
    C("Les 5 plus gros débiteurs ?", "fr", "receivables_top", top_rec(5), True),
    C("factures partiellement payées : combien reste-t-il à encaisser ?", "fr", "receivables_partial", rec(partial=True)),
    C("reste dû sur la facture F2026-0320", "fr", "receivables_invoice", rec_invoice("F2026-0320")),
    C("CA d'octobre 2026", "fr", "revenue_period", ca(month(2026, 10))),
    C("chiffre d'affaires HT du T3 2026", "fr", "revenue_period", ca(quarter(2026, 3))),
    C("CA HT le mois dernier", "fr", "revenue_period", ca(LAST_MONTH)),
    C("CA depuis le début de l'année", "fr", "revenue_period", ca(YTD)),
    C("chiffre d'affaire 2025", "fr", "revenue_period", ca(year(2025))),
    C("CA du S1 2026 ?", "fr", "revenue_period", ca(half(2026, 1))),
    C("total facturé TTC en septembre 2026", "fr", "invoiced_ttc", ttc(month(2026, 9))),
    C("combien on a facturé en août 2026 ?", "fr", "invoiced_ttc", ttc(month(2026, 8))),
    C("TVA collectée au T2 2026", "fr", "vat_period", tva(quarter(2026, 2))),
    C("montant de la TVA facturée en mars 2026", "fr", "vat_period", tva(month(2026, 3))),
    C("droits de timbre facturés en novembre 2026", "fr", "stamp_period", stamps(month(2026, 11))),
    C("combien de factures avec droit de timbre en octobre 2026 ?", "fr", "stamp_count", stamp_count(month(2026, 10))),
    C("combien de factures émises en mars 2026 ?", "fr", "invoice_count", inv_count(month(2026, 3))),
    C("nombre de factures du mois dernier", "fr", "invoice_count", inv_count(LAST_MONTH)),
    C("plus grosse facture HT de 2026", "fr", "invoice_largest", inv_largest(year(2026), "ht")),
    C("plus petite facture TTC de novembre 2026", "fr", "invoice_smallest", inv_largest(month(2026, 11), "ttc", True)),
    C("montant moyen d'une facture HT au T3 2026", "fr", "invoice_average", inv_average(quarter(2026, 3), "ht")),
    C("CA HT réalisé avec Sonelec en 2026", "fr", "revenue_client", ca(year(2026), client="C02")),
    C("CA des particuliers au S2 2026", "fr", "revenue_kind", ca(half(2026, 2), kind="particulier")),
    C("chiffre d'affaires des administrations au T4 2025", "fr", "revenue_kind", ca(quarter(2025, 4), kind="administration")),
    C("facturé TTC à Tassili Ingénierie en avril 2026, avoirs déduits", "fr", "invoiced_ttc", ttc(month(2026, 4), client="C08")),
    C("encaissements de novembre 2026", "fr", "receipts_period", rcpt(month(2026, 11))),
    C("encaissments du T3 2026", "fr", "receipts_period", rcpt(quarter(2026, 3))),
    C("combien a-t-on encaissé depuis le debut de l'annee ?", "fr", "receipts_period", rcpt(YTD)),
    C("encaissements en espèces en octobre 2026", "fr", "receipts_method", rcpt(month(2026, 10), method="especes")),
    C("règlements par chèque reçus en 2026", "fr", "receipts_method", rcpt(year(2026), method="cheque")),
    C("Combien Sonarep nous a payé en 2026 ?", "fr", "receipts_client", rcpt(year(2026), client="C01")),
    C("encaissements des administrations au S1 2026", "fr", "receipts_kind", rcpt(half(2026, 1), kind="administration")),
    C("paiements reçus de Bordj Logistique en novembre 2026", "fr", "receipts_client", rcpt(month(2026, 11), client="C06")),
    C("encaissements de ce mois", "fr", "receipts_period", rcpt(THIS_MONTH)),
    C("quand Cosidar nous a payé pour la dernière fois ?", "fr", "last_payment_day", last_payment("C04")),
    C("date du dernier règlement de la Direction de l'Education d'Alger", "fr", "last_payment_day", last_payment("C15")),
    C("combien de chèques rejetés ?", "fr", "rejected_cheques", rejected(None)),
    C("dépenses de carburant en novembre 2026", "fr", "expenses_category", spent(month(2026, 11), category="carburant")),
    C("frais de restaurant du S1 2026", "fr", "expenses_category", spent(half(2026, 1), category="restaurant")),
    C("total des dépenses d'octobre 2026", "fr", "expenses_total", spent(month(2026, 10))),
    C("combien avons-nous payé à Sonelgaz en 2026 ?", "fr", "expenses_supplier", spent(year(2026), supplier="S02")),
    C("dépenses de sous-traitance depuis janvier", "fr", "expenses_category", spent(YTD, category="sous_traitance")),
    C("honoraires payés au cabinet Hamidi en 2025", "fr", "expenses_supplier", spent(year(2025), supplier="S10")),
    C("dépenses payées par carte le mois dernier", "fr", "expenses_method", spent(LAST_MONTH, method="carte")),
    C("loyer payé cette année", "fr", "expenses_category", spent(year(2026), category="loyer")),
    C("salaires versés au T3 2026", "fr", "expenses_category", spent(quarter(2026, 3), category="salaires")),
    C("débits bancaires d'octobre 2026", "fr", "bank_debits", debits(month(2026, 10))),
    C("total des crédits en banque en septembre 2026", "fr", "bank_credits", credits(month(2026, 9))),
    C("solde bancaire au 30/09/2026", "fr", "balance_day", balance(D(2026, 9, 30))),
    C("trésorerie à fin juin 2026", "fr", "balance_day", balance(D(2026, 6, 30))),
    C("solde en banque aujourd'hui", "fr", "balance_day", balance(AS_OF)),
    C("solde au 31/03/2026", "fr", "balance_day", balance(D(2026, 3, 31))),
    C("part de SONAREP dans le CA 2026 en %", "fr", "share", share_of(ca(year(2026), client="C01"), ca(year(2026)))),
    C("quelle part de nos créances est échue (en %) ?", "fr", "share", share_of(rec(overdue=True), rec())),
    C("pourcentage des encaissements 2026 réglés en espèces", "fr", "share", share_of(rcpt(year(2026), method="especes"), rcpt(year(2026)))),
    C("écart de CA entre octobre et novembre 2026", "fr", "difference", diff_of(ca(month(2026, 11)), ca(month(2026, 10)))),
    C("évolution en % des encaissements entre le T2 et le T3 2026", "fr", "change_pct", change_of(rcpt(quarter(2026, 3)), rcpt(quarter(2026, 2)))),
    C("différence de dépenses entre septembre et octobre 2026", "fr", "difference", diff_of(spent(month(2026, 10)), spent(month(2026, 9)))),
    C("de combien le CA a varié entre le S2 2025 et le S1 2026 ?", "fr", "difference", diff_of(ca(half(2026, 1)), ca(half(2025, 2)))),
    C("part des administrations dans l'encours, en pourcentage", "fr", "share", share_of(rec(kind="administration"), rec())),
    C("les créances à plus de 90 jours représentent quel % du total ?", "fr", "share", share_of(rec(bucket=OVER90), rec())),
    C("hausse du CA entre le T3 2025 et le T3 2026 en pourcentage", "fr", "change_pct", change_of(ca(quarter(2026, 3)), ca(quarter(2025, 3)))),
    C("part du carburant dans les dépenses de novembre 2026 (%)", "fr", "share", share_of(spent(month(2026, 11), category="carburant"), spent(month(2026, 11)))),
    C("Combien nous doit Cevital ?", "fr", "unknown_client", none()),
    C("créances de Sonatrach", "fr", "unknown_client", none()),
    C("solde au 31 décembre 2026", "fr", "future_balance", none()),
    C("encaissements de mai 2025", "fr", "before_records", none()),
    C("dépenses de juin 2025", "fr", "before_records", none()),
    C("combien de salariés on a ?", "fr", "staff_count", none()),
    C("Combien nous doit Sonelgaz ?", "fr", "wrong_kind", none()),
    C("solde au 31/02/2026", "fr", "bad_date", none()),
    C("reste dû sur la facture F2026-0999", "fr", "unknown_invoice", none()),
    C("CA de mai 2025", "fr", "revenue_period", ca(month(2025, 5))),
    C("encours hodna plast", "fr", "receivables_client", rec(client="C10")),
    C("créances échues de l'APC Bab Ezzouar", "fr", "receivables_client", rec(client="C14", overdue=True)),
]  # fmt: skip

ARABIC = [
    C("كم يدين لنا SONAREP؟", "ar", "receivables_client", rec(client="C01")),
    C("إجمالي مستحقات الزبائن غير المسددة", "ar", "receivables_total", rec()),
    C("قداه يسالونا الزبائن في المجموع؟", "ar", "receivables_total", rec()),
    C("الفواتير المتأخرة أكثر من 90 يوما، كم مجموعها؟", "ar", "receivables_bucket", rec(bucket=OVER90)),
    C("مستحقات الإدارات", "ar", "receivables_kind", rec(kind="administration")),
    C("قداه تسالنا شركة الأمل للتوزيع؟", "ar", "receivables_client", rec(client="C11")),
    C("ديون مؤسسة النور للبناء", "ar", "receivables_client", rec(client="C12")),
    C("المستحقات المتأخرة على مديرية الصحة لولاية بومرداس", "ar", "receivables_client", rec(client="C16", overdue=True)),
    C("رقم الأعمال لشهر نوفمبر 2026", "ar", "revenue_period", ca(month(2026, 11))),
    C("رقم الأعمال خارج الرسم لشهر أكتوبر ٢٠٢٦", "ar", "revenue_period", ca(month(2026, 10))),
    C("رقم الأعمال في تشرين الأول 2025", "ar", "revenue_period", ca(month(2025, 10))),
    C("رقم الأعمال منذ بداية السنة", "ar", "revenue_period", ca(YTD)),
    C("التحصيلات في شهر سبتمبر 2026", "ar", "receipts_period", rcpt(month(2026, 9))),
    C("قداه خلصونا الزبائن في جويلية 2026؟", "ar", "receipts_period", rcpt(month(2026, 7))),
    C("المبالغ المحصلة نقدا في أوت 2026", "ar", "receipts_method", rcpt(month(2026, 8), method="especes")),
    C("الرصيد البنكي في 31 ماي 2026", "ar", "balance_day", balance(D(2026, 5, 31))),
    C("رصيد البنك اليوم", "ar", "balance_day", balance(AS_OF)),
    C("الرصيد في ٣١ آب ٢٠٢٦", "ar", "balance_day", balance(D(2026, 8, 31))),
    C("مصاريف الوقود في أكتوبر 2026", "ar", "expenses_category", spent(month(2026, 10), category="carburant")),
    C("مصاريف المطاعم في فيفري 2026", "ar", "expenses_category", spent(month(2026, 2), category="restaurant")),
    C("مجموع المصاريف في شهر مارس 2026", "ar", "expenses_total", spent(month(2026, 3))),
    C("قداه خلصنا لسونلغاز في 2026؟", "ar", "expenses_supplier", spent(year(2026), supplier="S02")),
    C("عدد الفواتير الصادرة في ديسمبر 2025", "ar", "invoice_count", inv_count(month(2025, 12))),
    C("أكبر فاتورة خارج الرسم في 2026", "ar", "invoice_largest", inv_largest(year(2026), "ht")),
    C("متوسط مبلغ الفاتورة بالرسم (TTC) في نوفمبر 2026", "ar", "invoice_average", inv_average(month(2026, 11), "ttc")),
    C("مجموع الرسم على القيمة المضافة المفوتر في الثلاثي الثالث 2026", "ar", "vat_period", tva(quarter(2026, 3))),
    C("حقوق الطابع في أكتوبر 2026", "ar", "stamp_period", stamps(month(2026, 10))),
    C("مجموع الخصومات من الحساب البنكي في تشرين الثاني 2026", "ar", "bank_debits", debits(month(2026, 11))),
    C("أكبر 3 زبائن من حيث المستحقات", "ar", "receivables_top", top_rec(3), True),
    C("كم عدد الشيكات المرفوضة؟", "ar", "rejected_cheques", rejected(None)),
    C("متى كانت آخر دفعة من COSIDAR؟", "ar", "last_payment_day", last_payment("C04")),
    C("الديون المتأخرة بين 31 و 60 يوما", "ar", "receivables_bucket", rec(bucket=(31, 60))),
    C("مستحقات الشركات الكبرى", "ar", "receivables_kind", rec(kind="grand_compte")),
    C("نسبة الإدارات من رقم الأعمال لسنة 2026", "ar", "share", share_of(ca(year(2026), kind="administration"), ca(year(2026)))),
    C("الفرق في التحصيلات بين أكتوبر ونوفمبر 2026", "ar", "difference", diff_of(rcpt(month(2026, 11)), rcpt(month(2026, 10)))),
    C("نسبة تطور رقم الأعمال بين الثلاثي الأول والثلاثي الثاني 2026", "ar", "change_pct", change_of(ca(quarter(2026, 2)), ca(quarter(2026, 1)))),
    C("شحال نسبة الديون المتأخرة من مجموع الديون؟", "ar", "share", share_of(rec(overdue=True), rec())),
    C("الفرق بين مصاريف أوت وسبتمبر 2026", "ar", "difference", diff_of(spent(month(2026, 9)), spent(month(2026, 8)))),
    C("نسبة مصاريف الاتصالات من مجموع مصاريف 2026", "ar", "share", share_of(spent(year(2026), category="telecom"), spent(year(2026)))),
    C("كم يدين لنا سيفيتال؟", "ar", "unknown_client", none()),
    C("كم عدد العمال في الشركة؟", "ar", "staff_count", none()),
    C("الرصيد البنكي في 20 ديسمبر 2026", "ar", "future_balance", none()),
    C("التحصيلات في أفريل 2025", "ar", "before_records", none()),
    C("ديون شركة كوندور", "ar", "unknown_client", none()),
    C("قداه يسالنا السيد يوسف بن علي؟", "ar", "receivables_client", rec(client="C20")),
]  # fmt: skip

ENGLISH = [
    C("How much does Sonarep owe us?", "en", "receivables_client", rec(client="C01")),
    C("total outstanding receivables", "en", "receivables_total", rec()),
    C("overdue receivables", "en", "receivables_overdue", rec(overdue=True)),
    C("receivables more than 90 days past due", "en", "receivables_bucket", rec(bucket=OVER90)),
    C("aged receivables 61-90 days", "en", "receivables_bucket", rec(bucket=(61, 90))),
    C("open receivables from public administrations", "en", "receivables_kind", rec(kind="administration")),
    C("What does COSIDAR still owe?", "en", "receivables_client", rec(client="C04")),
    C("overdue amount for El Manar Print", "en", "receivables_client", rec(client="C09", overdue=True)),
    C("number of open invoices", "en", "receivables_count", rec_count()),
    C("top 5 clients by outstanding balance", "en", "receivables_top", top_rec(5), True),
    C("revenue in November 2026", "en", "revenue_period", ca(month(2026, 11))),
    C("turnover Q3 2026", "en", "revenue_period", ca(quarter(2026, 3))),
    C("revenue year to date", "en", "revenue_period", ca(YTD)),
    C("revenue for H1 2026", "en", "revenue_period", ca(half(2026, 1))),
    C("total invoiced including VAT in October 2026", "en", "invoiced_ttc", ttc(month(2026, 10))),
    C("VAT invoiced in Q1 2026", "en", "vat_period", tva(quarter(2026, 1))),
    C("stamp duty in September 2026", "en", "stamp_period", stamps(month(2026, 9))),
    C("how many invoices were issued in October 2026?", "en", "invoice_count", inv_count(month(2026, 10))),
    C("largest invoice of 2025 excluding VAT", "en", "invoice_largest", inv_largest(year(2025), "ht")),
    C("average invoice amount excl. VAT in 2026", "en", "invoice_average", inv_average(year(2026), "ht")),
    C("revenue from SMEs last month", "en", "revenue_kind", ca(LAST_MONTH, kind="pme")),
    C("client receipts in October 2026", "en", "receipts_period", rcpt(month(2026, 10))),
    C("receipts paid in cash in November 2026", "en", "receipts_method", rcpt(month(2026, 11), method="especes")),
    C("payments received from Djazair Mobile since July", "en", "receipts_client", rcpt(since(D(2026, 7, 1)), client="C03")),
    C("receipts from individuals in Q3 2026", "en", "receipts_kind", rcpt(quarter(2026, 3), kind="particulier")),
    C("When did Hodna Plast last pay us?", "en", "last_payment_day", last_payment("C10")),
    C("fuel expenses in September 2026", "en", "expenses_category", spent(month(2026, 9), category="carburant")),
    C("how much did we pay CodeLink in 2026?", "en", "expenses_supplier", spent(year(2026), supplier="S07")),
    C("total spending in August 2026", "en", "expenses_total", spent(month(2026, 8))),
    C("card expenses in October 2026", "en", "expenses_method", spent(month(2026, 10), method="carte")),
    C("bank debits in November 2026", "en", "bank_debits", debits(month(2026, 11))),
    C("bank credits in October 2026", "en", "bank_credits", credits(month(2026, 10))),
    C("bank balance on 31 August 2026", "en", "balance_day", balance(D(2026, 8, 31))),
    C("cash position at the end of 2025", "en", "balance_day", balance(D(2025, 12, 31))),
    C("How many bounced cheques did we have in 2026?", "en", "rejected_cheques", rejected(year(2026))),
    C("what share of 2026 revenue comes from Sonelec, in %?", "en", "share", share_of(ca(year(2026), client="C02"), ca(year(2026)))),
    C("difference in revenue between Q2 and Q3 2026", "en", "difference", diff_of(ca(quarter(2026, 3)), ca(quarter(2026, 2)))),
    C("percentage change in receipts from September to October 2026", "en", "change_pct", change_of(rcpt(month(2026, 10)), rcpt(month(2026, 9)))),
    C("share of receivables over 90 days in %", "en", "share", share_of(rec(bucket=OVER90), rec())),
    C("how much more did we spend in July 2026 than in June 2026?", "en", "difference", diff_of(spent(month(2026, 7)), spent(month(2026, 6)))),
    C("How much does Ooredoo owe us?", "en", "unknown_client", none()),
    C("how many employees do we have?", "en", "staff_count", none()),
    C("bank balance on 15 December 2026", "en", "future_balance", none()),
    C("receipts in March 2025", "en", "before_records", none()),
    C("receivables of Mobilis", "en", "wrong_kind", none()),
]  # fmt: skip


def yaml_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def render(books: Books, all_cases: list[Case]) -> str:
    out = [
        "dataset: assistant_heldout10",
        f"ledger: {{demo_seed: {SEED}, as_of: '{AS_OF.isoformat()}'}}",
        "note: written blind by helper s30a from the bundle spec, docs/assistant.md and the CSVs;"
        " truth by evals/heldout/assistant_truth10.py",
        "cases:",
    ]
    for c in all_cases:
        value, items = c.figure(books)
        out += [
            f"- question: {yaml_str(c.question)}",
            f"  language: {c.language}",
            f"  kind: {c.kind}",
            f"  value: {'null' if value is None else repr(value)}",
            f"  items: [{', '.join(items)}]",
            f"  ordered: {'true' if c.ordered else 'false'}",
        ]
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    folder = Path(argv[1]) if len(argv) > 1 else Path("/tmp/s30a/bundle")
    books = Books(folder)
    all_cases = FRENCH + ARABIC + ENGLISH
    OUT.write_text(render(books, all_cases), encoding="utf-8")
    langs = {lang: sum(c.language == lang for c in all_cases) for lang in ("fr", "ar", "en")}
    nulls = sum(c.figure(books)[0] is None for c in all_cases)
    print(f"{OUT}: {len(all_cases)} cases {langs}, {nulls} without answer")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
