"""Letters to read (issue: reminders a lawyer and a client would both accept): a matrix of
clients — every profile, a public body recorded as a PME but named as one, French and Arabic —
times histories that tempt a writer into a defect: a reminder about another invoice, a reminder
about the same invoice, a formal notice beside invoices not yet in default, a notice with a
payment plan, a broken promise, a level-2 invoice no reminder went out about, a notice after a
single reminder, a notice on part of the letter with a plan, a notice on part of the letter
after one reminder about each part ("notre rappel" about the notice's), an invoice printed wrong (its
document's amount in words, or a mandatory mention missing: the invoice checker's error).
A public body's invoices have their attestation de service fait in the books in some
scenarios (all of them, part, or none).
Levels are set by construction of the due dates (as of 2026-10-29, rule 3/10/30 days), so the
expected facts come from the case, not from Khazna.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from khazna.evals.letter_rules import Books, Exchange

AS_OF = date(2026, 10, 29)
DUE = {3: "2026-09-15", 2: "2026-10-15", 1: "2026-10-24"}  # 44, 14 and 5 days late
ISSUE = {3: "2026-08-16", 2: "2026-09-15", 1: "2026-09-24"}

CLIENTS = [
    ("grand_compte", {"fr": "Sonatrach Aval SPA", "ar": "الشركة الوطنية للمحروقات"}, False),
    ("pme", {"fr": "Menuiserie El Amel SARL", "ar": "مؤسسة الأمل للنجارة"}, False),
    ("administration", {"fr": "Direction de l'éducation de Blida", "ar": "مديرية التربية لولاية البليدة"}, True),
    ("particulier", {"fr": "M. Samir Haddad", "ar": "السيد سمير حداد"}, False),
    ("pme", {"fr": "APC de Bordj El Kiffan", "ar": "بلدية برج الكيفان"}, True),
]  # fmt: skip
SCENARIOS = ["other_invoice_reminder", "same_invoice_reminder", "mixed_levels", "plan", "promise",
             "second_without_first", "one_reminder_notice", "mixed_plan", "checker_defect",
             "split_reminders"]  # fmt: skip


def _inv(number: str, level: int, ht: int) -> dict:
    return {"number": number, "issue": ISSUE[level], "due": DUE[level], "ht": ht}


def _case(n: int, kind: str, name: str, lang: str, public: bool, scenario: str) -> dict:
    cid = f"L{n:03d}"
    num = lambda k: f"F2026-{n:03d}{k}"  # noqa: E731
    other = f"F2025-{n:03d}9"  # an older invoice, already paid
    invoices: list[dict] = []
    history: list[dict] = []
    paid_late: list[dict] = []
    if scenario == "other_invoice_reminder":
        invoices = [_inv(num(1), 1, 40000 + n * 100)]
        history = [{"date": "2026-09-30", "kind": "reminder",
                    "text": f"Rappel de paiement de la facture {other}."}]  # fmt: skip
    elif scenario == "same_invoice_reminder":
        invoices = [_inv(num(1), 2, 60000 + n * 100)]
        history = [{"date": "2026-10-19", "kind": "reminder",
                    "text": f"Rappel de paiement de la facture {num(1)}."}]  # fmt: skip
    elif scenario == "mixed_levels":
        invoices = [_inv(num(1), 3, 150000 + n * 100), _inv(num(2), 1, 35000 + n * 10)]
        history = [
            {"date": "2026-09-21", "kind": "reminder", "text": f"Rappel de paiement de la facture {num(1)}."},
            {"date": "2026-10-01", "kind": "reminder", "text": f"Rappel de paiement de la facture {other}."},
        ]  # fmt: skip
    elif scenario == "plan":
        invoices = [_inv(num(1), 3, 90000 + n * 100)]
        history = [
            {"date": "2026-09-21", "kind": "reminder", "text": f"Rappel de paiement de la facture {num(1)}."},
            {"date": "2026-09-28", "kind": "reminder", "text": f"Deuxième relance : facture {num(1)} impayée."},
        ]  # fmt: skip
        paid_late = [
            {"number": f"F2026-{n:03d}{k}", "issue": f"2026-0{k}-01", "due": f"2026-0{k}-28",
             "ht": 20000, "paid": f"2026-0{k + 1}-30"}
            for k in range(3, 7)
        ]  # fmt: skip
    elif scenario == "promise":
        invoices = [_inv(num(1), 2, 70000 + n * 100)]
        history = [
            {"date": "2026-10-05", "kind": "promise",
             "text": f"Le client confirme que le règlement de la facture {num(1)} interviendra le 20/10/2026."},
            {"date": "2026-10-02", "kind": "reminder", "text": f"Rappel de paiement de la facture {other}."},
        ]  # fmt: skip
    elif scenario == "second_without_first":  # level 2, but no reminder went out about it
        invoices = [_inv(num(1), 2, 55000 + n * 100)]
        history = [{"date": "2026-10-12", "kind": "reminder",
                    "text": f"Rappel de paiement de la facture {other}."}]  # fmt: skip
    elif scenario == "one_reminder_notice":  # level 3 after a single reminder: not "nos rappels"
        invoices = [_inv(num(1), 3, 120000 + n * 100), _inv(num(2), 3, 30000 + n * 10)]
        history = [{"date": "2026-09-22", "kind": "reminder",
                    "text": f"Rappel de paiement de la facture {num(2)}."}]  # fmt: skip
    elif scenario == "mixed_plan":  # a notice on part of the letter, with a payment plan
        invoices = [_inv(num(1), 3, 140000 + n * 100), _inv(num(2), 2, 45000 + n * 10)]
        history = [
            {"date": "2026-09-21", "kind": "reminder", "text": f"Rappel de paiement de la facture {num(1)}."},
            {"date": "2026-09-28", "kind": "reminder", "text": f"Deuxième relance : facture {num(1)} impayée."},
        ]  # fmt: skip
        paid_late = [
            {"number": f"F2026-{n:03d}{k}", "issue": f"2026-0{k}-01", "due": f"2026-0{k}-28",
             "ht": 20000, "paid": f"2026-0{k + 1}-30"}
            for k in range(3, 7)
        ]  # fmt: skip
    elif scenario == "split_reminders":  # a reminder about each part of a split notice
        invoices = [_inv(num(1), 3, 110000 + n * 100), _inv(num(2), 2, 38000 + n * 10)]
        history = [
            {"date": "2026-09-21", "kind": "reminder", "text": f"Rappel de paiement de la facture {num(1)}."},
            {"date": "2026-10-19", "kind": "reminder", "text": f"Rappel de paiement de la facture {num(2)}."},
        ]  # fmt: skip
    elif scenario == "checker_defect":  # one invoice printed wrong (words / a missing mention)
        defect = "words" if n % 2 else "seller_nif"
        invoices = [dict(_inv(num(1), 3, 80000 + n * 100), doc=defect),
                    dict(_inv(num(2), 2, 25000 + n * 10), doc="clean")]  # fmt: skip
        history = [{"date": "2026-09-23", "kind": "reminder",
                    "text": f"Rappel de paiement de la facture {num(1)}."}]  # fmt: skip
    if public:  # the attestations de service fait the books hold: all, part or none
        attested = {"same_invoice_reminder": [0], "mixed_levels": [0], "plan": [0],
                    "one_reminder_notice": [1], "split_reminders": [0, 1]}.get(scenario, [])  # fmt: skip
        invoices = [dict(inv, asf=True) if k in attested else inv for k, inv in enumerate(invoices)]
    return {
        "id": cid,
        "about": f"{kind}{' (public body by name)' if public and kind != 'administration' else ''}, {lang}, {scenario}",
        "client": {"kind": kind, "language": lang, "name": name, "email": f"compta@{cid.lower()}.example.dz"},
        "invoices": invoices,
        "history": history,
        "paid_late": paid_late,
        "public_body": public,
        "scenario": scenario,
    }  # fmt: skip


def cases() -> list[dict]:
    out = []
    n = 1
    for kind, names, public in CLIENTS:
        for lang in ("fr", "ar"):
            for scenario in SCENARIOS:
                out.append(_case(n, kind, names[lang], lang, public, scenario))
                n += 1
    return out


def books(case: dict) -> Books:
    levels = {
        i["number"]: next(lv for lv, d in DUE.items() if d == i["due"]) for i in case["invoices"]
    }
    amounts = {
        i["number"]: (Decimal(i["ht"]) * Decimal("1.19")).quantize(Decimal("0.01"))
        for i in case["invoices"]
    }
    history = [
        Exchange(
            on=date.fromisoformat(h["date"]),
            kind=h["kind"],
            invoices=[w.rstrip(".") for w in h["text"].split() if w.startswith("F20")],
        )
        for h in case["history"]
    ]
    return Books(
        invoices=levels,
        open_amounts=amounts,
        history=history,
        public_body=case["public_body"],
        defective=[i["number"] for i in case["invoices"] if i.get("doc", "clean") != "clean"],
        attested=[i["number"] for i in case["invoices"] if i.get("asf")],
    )
