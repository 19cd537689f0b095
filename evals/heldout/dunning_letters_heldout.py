"""Held-out letters for the dunning eval (issue 14): cases written apart from the development
matrix (:mod:`khazna.evals.dunning_letters`), with habits it lacks — several invoices in default
beside several not (and one not yet due, which no letter may name), partial payments, promises
without an invoice number, promises whose date is still to come (no draft expected: such a case
is marked ``expect_draft: False`` and the letter rules skip it), two reminders about different
invoices, an older reminder about the same invoice beside a newer one about another, Arabic
history texts, other clients (universities, an EPH and a wilaya directorate recorded as ``pme``
or ``administration``, private persons, big companies), French and Arabic, uneven amounts.

The truth is the case's own: each invoice's level is computed here from its due date and
``AS_OF`` (rule 3/10/30 calendar days, a step falling on a Friday, a Saturday or a holiday
moving to the next working day — ``_level``), each open amount is its TTC minus the partial
payments of the case, and each exchange names the invoices it was about (``about``), never
parsed back from its text. Nothing here reads how Khazna selects or writes a reminder.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from khazna.evals.letter_rules import Books, Exchange
from khazna.money import q2

AS_OF = date(2026, 12, 13)  # a Sunday, a working day
LEVELS_DAYS = (3, 10, 30)  # the bundle's policy (evals/dunning_ledger.py POLICY)
# the days off of the period the due dates and steps span (shared/spec/algeria.md §5.3)
HOLIDAYS = {date(2026, 11, 1), date(2026, 7, 5), date(2026, 1, 1), date(2027, 1, 1)}

# due dates per target level, cycled over the cases; the later ones put a step on a
# Friday or a Saturday just before AS_OF (it then falls on AS_OF itself)
DUE = {
    3: ["2026-10-14", "2026-10-27", "2026-11-11", "2026-11-12", "2026-09-30", "2026-11-06"],
    2: ["2026-11-24", "2026-11-19", "2026-12-01", "2026-12-02", "2026-11-27"],
    1: ["2026-12-06", "2026-12-07", "2026-12-08", "2026-12-09", "2026-12-04"],
}
NOT_DUE = "2026-12-22"
AMOUNTS = ["18450.00", "1250000.00", "987654.32", "43210.50", "7500.00", "256300.75",
           "3120000.00", "64999.99", "512345.10", "129000.00", "2450.35", "805000.00"]  # fmt: skip

CLIENTS = [
    ("administration", {"fr": "Université Abou Bekr Belkaïd de Tlemcen", "ar": "جامعة أبو بكر بلقايد تلمسان"}, True),
    ("pme", {"fr": "EPH de Bouira", "ar": "المؤسسة العمومية الاستشفائية بالبويرة"}, True),
    ("administration", {"fr": "Direction des travaux publics de la wilaya d'Oran", "ar": "مديرية الأشغال العمومية لولاية وهران"}, True),
    ("pme", {"fr": "Direction de la santé de la wilaya de Sétif", "ar": "مديرية الصحة والسكان لولاية سطيف"}, True),
    ("particulier", {"fr": "Mme Nadia Benali", "ar": "السيدة نادية بن علي"}, False),
    ("grand_compte", {"fr": "Cosider Travaux Publics SPA", "ar": "شركة كوسيدار للأشغال العمومية"}, False),
    ("pme", {"fr": "Pharmacie Ibn Sina EURL", "ar": "صيدلية ابن سينا"}, False),
    ("grand_compte", {"fr": "Condor Electronics SPA", "ar": "شركة كوندور للإلكترونيات"}, False),
]  # fmt: skip
SCENARIOS = [
    "multi_default",
    "partial_payments",
    "promise_no_invoice",
    "promise_future",
    "two_reminders",
    "old_same_new_other",
    "plan_mixed",
]


def _working(d: date) -> bool:
    return d.weekday() not in (4, 5) and d not in HOLIDAYS


def _step(due: date, days: int) -> date:
    d = due + timedelta(days=days)
    while not _working(d):
        d += timedelta(days=1)
    return d


def _level(due: str, as_of: date = AS_OF) -> int:
    """0 (not yet at the first step) to 3, from the due date alone."""
    d = date.fromisoformat(due)
    return sum(1 for days in LEVELS_DAYS if _step(d, days) <= as_of)


def _fmt(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def _ttc(ht: str) -> Decimal:
    h = Decimal(ht)
    return h + q2(h * Decimal("0.19"))


_TEXTS = {
    "fr": {
        "reminder": "Rappel de paiement de la facture {a}.",
        "reminder2": "Deuxième relance : factures {a} et {b} impayées.",
        "promise": "Le client confirme que le règlement de la facture {a} interviendra le {d}.",
        "promise_all": "Le client s'engage à régler l'ensemble de son solde avant le {d}.",
    },
    "ar": {
        "reminder": "تذكير بتسديد الفاتورة {a}.",
        "reminder2": "تذكير ثان: الفاتورتان {a} و{b} غير مسددتين.",
        "promise": "أكد العميل أن تسديد الفاتورة {a} سيتم يوم {d}.",
        "promise_all": "يتعهد العميل بتسديد كامل رصيده قبل {d}.",
    },
}


def _case(n: int, ci: int, si: int) -> dict:
    kind, names, public = CLIENTS[ci]
    scenario = SCENARIOS[si]
    lang = "ar" if (ci + si) % 2 else "fr"
    cid = f"H{n:03d}"
    num = lambda k: f"F2026-{700 + n:03d}{k}"  # noqa: E731
    other = f"F2025-{700 + n:03d}9"  # an older invoice, paid, not in the letter
    tx = _TEXTS[lang]

    def inv(k: int, level: int, shift: int = 0) -> dict:
        due = DUE[level][(n + shift) % len(DUE[level])]
        d = date.fromisoformat(due)
        assert _level(due) == level, (cid, due, level)  # the pools are built for AS_OF
        return {"number": num(k), "issue": (d - timedelta(days=30)).isoformat(), "due": due,
                "ht": AMOUNTS[(n * 3 + k) % len(AMOUNTS)]}  # fmt: skip

    def on(invoice: dict, days: int) -> str:
        return (date.fromisoformat(invoice["due"]) + timedelta(days=days)).isoformat()

    def rem(when: str, about: list[str]) -> dict:
        text = tx["reminder"].format(a=about[0]) if len(about) == 1 else tx["reminder2"].format(a=about[0], b=about[1])  # fmt: skip
        return {"date": when, "kind": "reminder", "text": text, "about": about}

    invoices: list[dict] = []
    not_due: list[dict] = []
    history: list[dict] = []
    payments: list[dict] = []
    paid_late: list[dict] = []
    expect_draft = True
    if scenario == "multi_default":
        i1, i2, i3, i4 = inv(1, 3), inv(2, 3, 1), inv(3, 2), inv(4, 1)
        invoices = [i1, i2, i3, i4]
        not_due = [{**inv(5, 1), "due": NOT_DUE, "issue": "2026-11-22"}]
        history = [rem(on(i1, 4), [i1["number"]]), rem(on(i2, 12), [i1["number"], i2["number"]])]
    elif scenario == "partial_payments":
        i1, i2, i3 = inv(1, 3), inv(2, 2), inv(3, 1)
        invoices = [i1, i2, i3]
        payments = [
            {"date": on(i1, 20), "invoice": i1["number"], "amount": str(q2(_ttc(i1["ht"]) * Decimal("0.4")))},
            {"date": on(i2, 5), "invoice": i2["number"], "amount": str(q2(_ttc(i2["ht"]) / 3))},
        ]  # fmt: skip
        history = [rem(on(i1, 5), [i1["number"]])]
    elif scenario == "promise_no_invoice":
        i1, i2 = inv(1, 3), inv(2, 2)
        invoices = [i1, i2]
        promised = date.fromisoformat(on(i1, 18))
        history = [
            rem(on(i1, 4), [i1["number"]]),
            {"date": on(i1, 8), "kind": "promise", "text": tx["promise_all"].format(d=_fmt(promised)), "about": []},
        ]  # fmt: skip
    elif scenario == "promise_future":
        i1 = inv(1, 2)
        invoices = [i1]
        history = [
            rem(on(i1, 4), [i1["number"]]),
            {"date": (AS_OF - timedelta(days=6)).isoformat(), "kind": "promise",
             "text": tx["promise"].format(a=i1["number"], d=_fmt(AS_OF + timedelta(days=9))),
             "about": [i1["number"]]},
        ]  # fmt: skip
        expect_draft = False
    elif scenario == "two_reminders":
        i1, i2 = inv(1, 3), inv(2, 2)
        invoices = [i1, i2]
        history = [rem(on(i1, 4), [i1["number"]]), rem(on(i2, 4), [i2["number"]])]
    elif scenario == "old_same_new_other":
        i1 = inv(1, 3 if n % 2 else 2)
        invoices = [i1]
        history = [
            rem(on(i1, 4), [i1["number"]]),
            rem((AS_OF - timedelta(days=10)).isoformat(), [other]),
        ]
    elif scenario == "plan_mixed":
        i1, i2 = inv(1, 3), inv(2, 1)
        invoices = [i1, i2]
        history = [rem(on(i1, 4), [i1["number"]]), rem(on(i1, 14), [i1["number"]])]
        paid_late = [
            {"number": f"F2026-{700 + n:03d}{k}", "issue": f"2026-0{k}-01", "due": f"2026-0{k}-28",
             "ht": AMOUNTS[(n + k) % len(AMOUNTS)], "paid": f"2026-0{k + 1}-25"}
            for k in range(4, 8)
        ]  # fmt: skip
    return {
        "id": cid,
        "about": f"{kind}{' (public body)' if public else ''}, {lang}, {scenario}",
        "client": {"kind": kind, "language": lang, "name": names[lang], "email": f"compta@{cid.lower()}.example.dz"},
        "invoices": invoices,
        "not_due": not_due,
        "history": history,
        "payments": payments,
        "paid_late": paid_late,
        "public_body": public,
        "scenario": scenario,
        "expect_draft": expect_draft,
    }  # fmt: skip


def cases() -> list[dict]:
    out = []
    n = 1
    for ci in range(len(CLIENTS)):
        for si in range(len(SCENARIOS)):
            out.append(_case(n, ci, si))
            n += 1
    return out


def books(case: dict) -> Books:
    """What the books say, from the case's definition alone."""
    paid: dict[str, Decimal] = {}
    for p in case.get("payments", []):
        paid[p["invoice"]] = paid.get(p["invoice"], Decimal("0")) + Decimal(p["amount"])
    return Books(
        invoices={i["number"]: _level(i["due"]) for i in case["invoices"]},
        open_amounts={
            i["number"]: _ttc(i["ht"]) - paid.get(i["number"], Decimal("0"))
            for i in case["invoices"]
        },
        history=[
            Exchange(on=date.fromisoformat(h["date"]), kind=h["kind"], invoices=list(h["about"]))
            for h in case["history"]
        ],
        public_body=case["public_body"],
    )
