"""Build ``evals/datasets/assistant.yaml``: accountant questions on the demo ledger, with answers.

The expected ``value`` and ``items`` are computed here by plain SQL over the ledger tables,
NOT through the assistant's tools, so that the eval is not circular: open amounts follow the
rule of spec/algeria.md (total TTC − allocated payments not rejected + credit notes naming the
invoice, as of the day), written again from the raw rows.

    .venv/bin/python -m khazna.evals.build_assistant_dataset [--as-of 2026-11-16] [--seed 7]
"""

from __future__ import annotations

import argparse
import tempfile
from calendar import monthrange
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import text
from sqlalchemy.orm import Session

from khazna.demo.generator import generate
from khazna.ledger.bundle import import_bundle
from khazna.ledger.db import Ledger

DATASET = Path(__file__).parent / "datasets" / "assistant.yaml"
AS_OF = date(2026, 11, 16)
SEED = 7


def demo_ledger(workdir: Path, *, seed: int = SEED, as_of: date = AS_OF):
    """The demo company's books in a fresh SQLite ledger under ``workdir``."""

    generate(workdir / "demo", seed=seed, as_of=as_of)
    ledger = Ledger(f"sqlite:///{workdir / 'demo.db'}")
    import_bundle(ledger, workdir / "demo", replace=True)
    return ledger


def _d(v: Any) -> date:
    return v if isinstance(v, date) else date.fromisoformat(str(v)[:10])


def _m(v: Any) -> Decimal:
    return Decimal(str(v)).quantize(Decimal("0.01"))


class Truth:
    """Independent answers from the raw tables."""

    def __init__(self, s: Session, as_of: date) -> None:
        self.s, self.d = s, as_of
        rows = s.execute(text("SELECT number, client_id, issue_date, due_date, total_ttc, "
                              "total_tva, status, credited_invoice FROM invoices")).all()  # fmt: skip
        self.invoices = [dict(r._mapping) for r in rows]
        alloc = s.execute(text("SELECT a.invoice_number, a.amount, p.date, p.status FROM allocations a "
                               "JOIN payments p ON p.payment_id = a.payment_id")).all()  # fmt: skip
        self.paid: dict[str, Decimal] = defaultdict(Decimal)
        for num, amount, day, status in alloc:
            if status != "rejected" and _d(day) <= as_of:
                self.paid[num] += _m(amount)

    def open_invoices(self) -> list[dict]:
        credit: dict[str, Decimal] = defaultdict(Decimal)
        for inv in self.invoices:
            if (
                inv["credited_invoice"]
                and inv["status"] != "cancelled"
                and _d(inv["issue_date"]) <= self.d
            ):
                credit[inv["credited_invoice"]] += _m(inv["total_ttc"])
        out = []
        for inv in self.invoices:
            ttc = _m(inv["total_ttc"])
            if inv["status"] == "cancelled" or inv["credited_invoice"] or ttc <= 0:
                continue
            if _d(inv["issue_date"]) > self.d:
                continue
            open_ = ttc - self.paid[inv["number"]] + credit[inv["number"]]
            if open_ > 0:
                late = (self.d - _d(inv["due_date"])).days
                out.append({**inv, "open": open_, "late": late})
        return out

    def receivables(
        self, client: str | None = None, older: int | None = None
    ) -> tuple[Decimal, list[str]]:
        rows = [r for r in self.open_invoices() if (client is None or r["client_id"] == client)
                and (older is None or r["late"] > older)]  # fmt: skip
        return sum((r["open"] for r in rows), Decimal("0.00")), sorted(r["number"] for r in rows)

    def vat(self, y: int, m: int) -> tuple[Decimal, list[str]]:
        lo, hi = date(y, m, 1), min(date(y, m, monthrange(y, m)[1]), self.d)
        rows = [
            i
            for i in self.invoices
            if lo <= _d(i["issue_date"]) <= hi and i["status"] != "cancelled"
        ]
        return sum((_m(i["total_tva"]) for i in rows), Decimal("0.00")), sorted(
            i["number"] for i in rows
        )

    def balance(self, on: date) -> Decimal:
        ob, od = self.s.execute(text("SELECT opening_balance, opening_date FROM company")).one()
        lines = self.s.execute(text("SELECT date, amount FROM bank_lines")).all()
        moved = sum(
            (_m(a) for d, a in lines if _d(od) <= _d(d) <= min(on, self.d)), Decimal("0.00")
        )
        return _m(ob) + moved

    def expenses(
        self, where: str, params: dict, lo: date | None, hi: date
    ) -> tuple[Decimal, list[str]]:
        rows = self.s.execute(
            text(f"SELECT expense_id, date, amount FROM expenses WHERE {where}"), params
        ).all()
        rows = [r for r in rows if (lo is None or _d(r[1]) >= lo) and _d(r[1]) <= min(hi, self.d)]
        return sum((_m(r[2]) for r in rows), Decimal("0.00")), sorted(r[0] for r in rows)

    def rejected(self, lo: date, hi: date) -> list[str]:
        rows = self.s.execute(
            text("SELECT payment_id, date FROM payments WHERE status = 'rejected'")
        ).all()
        return sorted(p for p, d in rows if lo <= _d(d) <= min(hi, self.d))

    def top(self, n: int) -> list[str]:
        per: dict[str, Decimal] = defaultdict(Decimal)
        for r in self.open_invoices():
            per[r["client_id"]] += r["open"]
        return [c for c, _ in sorted(per.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]

    def dso(self) -> Decimal | None:
        total, _ = self.receivables()
        start = self.d - timedelta(days=90)
        sales = sum((_m(i["total_ttc"]) for i in self.invoices
                     if start < _d(i["issue_date"]) <= self.d and i["status"] != "cancelled"), Decimal(0))  # fmt: skip
        return (total / sales * 90).quantize(Decimal("0.1")) if sales > 0 else None


def _case(
    q: str, lang: str, kind: str, value: Any, items: list[str], ordered: bool = False
) -> dict:
    v = None if value is None else (str(value) if isinstance(value, Decimal) else int(value))
    return {
        "question": q,
        "language": lang,
        "kind": kind,
        "value": v,
        "items": items,
        "ordered": ordered,
    }


CLIENTS_FR = [("C01", "Sonarep"), ("C04", "Cosidar"), ("C07", "Numidia Agro"), ("C08", "Tassili Ingénierie"),
              ("C09", "El Manar Print"), ("C14", "APC de Bab Ezzouar")]  # fmt: skip
CLIENTS_AR = [("C11", "شركة الأمل"), ("C12", "مؤسسة النور")]
SUPPLIERS = [
    ("S02", "Sonelgaz", "سونلغاز"),
    ("S04", "Mobilis", "موبيليس"),
    ("S14", "Yalidine", "يالدين"),
]
MONTHS = {9: ("septembre", "سبتمبر", "September"), 10: ("octobre", "أكتوبر", "October"),
          8: ("août", "أوت", "August")}  # fmt: skip
CATS = [("carburant", "carburant", "الوقود", "fuel"), ("restaurant", "restaurant", "المطاعم", "restaurant"),
        ("telecom", "télécom", "الاتصالات", "telecom")]  # fmt: skip


def build_cases(s: Session, as_of: date) -> list[dict]:
    t = Truth(s, as_of)
    y = as_of.year
    cases: list[dict] = []
    for n in (30, 60, 90):
        v, items = t.receivables(older=n)
        cases += [
            _case(
                f"total des créances de plus de {n} jours ?", "fr", "receivables_total", v, items
            ),
            _case(
                f"ما هو مجموع الديون المتأخرة أكثر من {n} يوما؟",
                "ar",
                "receivables_total",
                v,
                items,
            ),
            _case(
                f"What is the total of receivables over {n} days?",
                "en",
                "receivables_total",
                v,
                items,
            ),
        ]
    v, items = t.receivables()
    cases += [_case("total des créances ?", "fr", "receivables_total", v, items),
              _case("What are our total outstanding receivables?", "en", "receivables_total", v, items)]  # fmt: skip
    for cid, name in CLIENTS_FR:
        v, items = t.receivables(client=cid)
        cases += [
            _case(
                f"combien de factures impayées pour {name} ?",
                "fr",
                "receivables_count",
                len(items),
                items,
            ),
            _case(
                f"How many unpaid invoices for {name}?",
                "en",
                "receivables_count",
                len(items),
                items,
            ),
            _case(f"créances de {name} ?", "fr", "receivables_total", v, items),
        ]
    for cid, name in CLIENTS_FR[:3]:
        _, items = t.receivables(client=cid)
        cases.append(
            _case(
                f"factures de {name} et leurs jours de retard", "fr", "client_invoices", None, items
            )
        )
    for cid, name in CLIENTS_AR:
        v, items = t.receivables(client=cid)
        cases += [_case(f"كم عدد الفواتير غير المسددة ل{name}؟", "ar", "receivables_count", len(items), items),
                  _case(f"ما هو مجموع ديون {name}؟", "ar", "receivables_total", v, items)]  # fmt: skip
    for sid, fr, ar in SUPPLIERS:
        v, items = t.expenses("supplier_id = :s", {"s": sid}, date(y, 1, 1), date(y, 12, 31))
        cases += [
            _case(f"combien avons-nous payé à {fr} en {y} ?", "fr", "paid_to_supplier", v, items),
            _case(f"كم دفعنا ل{ar} في {y}؟", "ar", "paid_to_supplier", v, items),
            _case(f"How much did we pay to {fr} in {y}?", "en", "paid_to_supplier", v, items),
        ]
    for m, (fr, ar, en) in MONTHS.items():
        lo, hi = date(y, m, 1), date(y, m, monthrange(y, m)[1])
        v, items = t.vat(y, m)
        cases += [_case(f"TVA collectée en {fr} {y}", "fr", "vat_month", v, items),
                  _case(f"الرسم على القيمة المضافة المحصل في {ar} {y}", "ar", "vat_month", v, items),
                  _case(f"VAT collected in {en} {y}", "en", "vat_month", v, items)]  # fmt: skip
        code, cfr, car, cen = CATS[m % 3]
        v, items = t.expenses("category = :c", {"c": code}, lo, hi)
        cases += [_case(f"dépenses de {cfr} en {fr} {y}", "fr", "expenses_category", v, items),
                  _case(f"مصاريف {car} في {ar} {y}", "ar", "expenses_category", v, items),
                  _case(f"{cen} expenses in {en} {y}", "en", "expenses_category", v, items)]  # fmt: skip
    for day in (date(y, 9, 30), date(y, 6, 30), date(y, 3, 31)):
        v = t.balance(day)
        cases += [_case(f"solde bancaire au {day:%d/%m/%Y}", "fr", "bank_balance", v, []),
                  _case(f"رصيد البنك في {day.isoformat()}", "ar", "bank_balance", v, []),
                  _case(f"What was the bank balance on {day.isoformat()}?", "en", "bank_balance", v, [])]  # fmt: skip
    items = t.rejected(date(y, 1, 1), date(y, 12, 31))
    cases += [_case("chèques rejetés cette année", "fr", "rejected_payments", len(items), items),
              _case("الشيكات المرفوضة هذه السنة", "ar", "rejected_payments", len(items), items),
              _case(f"rejected cheques in {y}", "en", "rejected_payments", len(items), items)]  # fmt: skip
    _, items = t.expenses("receipt != 'yes'", {}, None, as_of)
    cases += [_case("dépenses sans justificatif", "fr", "expenses_without_receipt", len(items), items),
              _case("expenses without receipts", "en", "expenses_without_receipt", len(items), items)]  # fmt: skip
    _, items = t.expenses("receipt != 'yes' AND amount > 5000", {}, None, as_of)
    cases.append(_case("dépenses sans justificatif de plus de 5000 DA", "fr", "expenses_without_receipt",
                       len(items), items))  # fmt: skip
    top = t.top(5)
    # a ranking's headline is what its clients owe together
    owed_by = {c: t.receivables(client=c)[0] for c in top}
    top5, top3 = (sum((owed_by[c] for c in top[:n]), Decimal("0.00")) for n in (5, 3))
    cases += [_case("top 5 clients par montant dû", "fr", "top_clients", top5, top, ordered=True),
              _case("Which top 3 clients owe us the most?", "en", "top_clients", top3, top[:3], ordered=True)]  # fmt: skip
    cases += [_case("quel est notre DSO ?", "fr", "dso", t.dso(), []),
              _case("What is our DSO?", "en", "dso", t.dso(), [])]  # fmt: skip
    # paraphrases: other verbs, a month without its year, a relative period
    v, items = t.expenses("category = 'loyer'", {}, date(y, 1, 1), date(y, 12, 31))
    cases += [_case("combien a-t-on dépensé en loyer cette année ?", "fr", "expenses_category", v, items),
              _case(f"how much did we spend on rent in {y}?", "en", "expenses_category", v, items)]  # fmt: skip
    v, items = t.receivables(client="C04")
    cases.append(_case("montant des impayés de Cosidar", "fr", "receivables_total", v, items))
    last = as_of.replace(day=1) - timedelta(days=1)
    cases.append(
        _case("solde de la banque le mois dernier", "fr", "bank_balance", t.balance(last), [])
    )
    v, items = t.vat(y if as_of.month >= 8 else y - 1, 8)  # the latest August, as_of included
    cases.append(_case("Quelle est la TVA d'août ?", "fr", "vat_month", v, items))
    first = t.top(1)
    owed = t.receivables(client=first[0])[0] if first else None
    cases.append(
        _case("Quel client nous doit le plus ?", "fr", "top_clients", owed, first, ordered=True)
    )
    cases += [_case("quelle est la météo à Alger ?", "fr", "unknown", None, []),
              _case("Who won the football match?", "en", "unknown", None, []),
              _case("ما هو لون السماء؟", "ar", "unknown", None, [])]  # fmt: skip
    return cases


class _NoAliases(yaml.SafeDumper):
    """Write each case's items in full: no YAML anchors in a dataset people read."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--as-of", type=date.fromisoformat, default=AS_OF)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--out", type=Path, default=DATASET)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        ledger = demo_ledger(Path(tmp), seed=args.seed, as_of=args.as_of)
        with ledger.read() as s:
            cases = build_cases(s, args.as_of)
        ledger.dispose()
    doc = {"dataset": "assistant", "ledger": {"demo_seed": args.seed, "as_of": args.as_of.isoformat()},
           "note": "expected values computed by plain SQL (evals/build_assistant_dataset.py), "
           "not by the assistant's tools", "cases": cases}  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text_ = yaml.dump(doc, Dumper=_NoAliases, allow_unicode=True, sort_keys=False)
    args.out.write_text(text_, encoding="utf-8")
    print(f"{len(cases)} cases written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
