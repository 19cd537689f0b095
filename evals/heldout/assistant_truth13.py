"""Truth of held-out split 13, computed from the CSVs of ``evals/heldout/bundle13`` alone.

    python evals/heldout/assistant_truth13.py      # writes evals/datasets/assistant_heldout13.yaml

Standard library only (csv, Decimal, datetime): no Khazna code is imported. Written by helper
s32f from ``shared/spec/bundle.md``, ``shared/spec/cli.md`` and the published conventions of
``docs/assistant.md``, without reading the reader, its dataset or the other held-out splits.
The conventions chosen where the docs are silent are written in the yaml header (``note``).
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
BUNDLE = HERE / "bundle13"
OUT = HERE.parent / "datasets" / "assistant_heldout13.yaml"
AS_OF = date(2026, 10, 7)
CENT = Decimal("0.01")
ZERO = Decimal(0)


def rows(name: str) -> list[dict]:
    with (BUNDLE / name).open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def d(s: str) -> date:
    return date.fromisoformat(s)


def q2(x: Decimal) -> Decimal:
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


COMPANY = json.loads((BUNDLE / "company.json").read_text(encoding="utf-8"))
CLIENTS = {r["client_id"]: r for r in rows("clients.csv")}
SUPPLIERS = {r["supplier_id"]: r for r in rows("suppliers.csv")}
INVOICES = rows("invoices.csv")
for r in INVOICES:
    for k in ("total_ht", "total_tva", "timbre", "total_ttc"):
        r[k] = Decimal(r[k] or "0")
INV = {r["number"]: r for r in INVOICES}
PAYMENTS = rows("payments.csv")
EXPENSES = rows("expenses.csv")
BANK = rows("bank_lines.csv")
for r in PAYMENTS + EXPENSES + BANK:
    r["amount"] = Decimal(r["amount"])


def is_credit(r: dict) -> bool:
    return bool(r["credited_invoice"]) or r["total_ttc"] < 0


def live(r: dict) -> bool:
    return (r["status"] or "issued") == "issued"


def invoices_only() -> list[dict]:
    return [r for r in INVOICES if live(r) and not is_credit(r)]


def docs_in(a: date, b: date, client: str | None = None, credit: bool | None = None) -> list[dict]:
    """Invoices and credit notes (both when ``credit`` is None) issued in [a, b]."""
    out = []
    for r in INVOICES:
        if not live(r) or not a <= d(r["issue_date"]) <= b:
            continue
        if client and r["client_id"] != client:
            continue
        if credit is not None and is_credit(r) != credit:
            continue
        out.append(r)
    return out


def open_amounts(on: date = AS_OF) -> dict[str, Decimal]:
    """Open amount of every invoice issued by ``on``: TTC − cleared allocations (payments dated
    by ``on``, a list of numbers allocated oldest first) − credit notes issued by ``on``."""
    due: dict[str, Decimal] = {}
    for r in invoices_only():
        if d(r["issue_date"]) <= on:
            due[r["number"]] = r["total_ttc"]
    for r in INVOICES:
        if live(r) and is_credit(r) and d(r["issue_date"]) <= on and r["credited_invoice"] in due:
            due[r["credited_invoice"]] += r["total_ttc"]  # negative
    for p in sorted(PAYMENTS, key=lambda p: (p["date"], p["payment_id"])):
        if (p["status"] or "cleared") != "cleared" or d(p["date"]) > on or not p["invoice_number"]:
            continue
        left = p["amount"]
        nums = [n for n in p["invoice_number"].split(";") if n in due]
        for n in sorted(nums, key=lambda n: (INV[n]["issue_date"], n)):
            take = min(left, max(due[n], ZERO))
            due[n] -= take
            left -= take
    return {n: v for n, v in due.items() if v > 0}


OPEN = open_amounts()


def allocated(number: str, on: date = AS_OF) -> Decimal:
    """Cleared payments allocated to one invoice by ``on`` (this split has no list payment
    touching an invoice with a credit note or a partial payment, so a direct sum is exact)."""
    tot = ZERO
    for p in PAYMENTS:
        if (p["status"] or "cleared") == "cleared" and d(p["date"]) <= on:
            nums = p["invoice_number"].split(";")
            if number in nums:
                tot += p["amount"] if len(nums) == 1 else INV[number]["total_ttc"]
    return tot


def late_days(number: str, on: date = AS_OF) -> int:
    return (on - d(INV[number]["due_date"])).days


def bucket(days: int) -> str:
    if days <= 0:
        return "not_due"
    return "1_30" if days <= 30 else "31_60" if days <= 60 else "61_90" if days <= 90 else "over_90"


def receivables(client=None, kind=None, overdue=None, bkt=None, on=AS_OF, opens=None):
    opens = open_amounts(on) if opens is None else opens
    nums = []
    for n in opens:
        r = INV[n]
        c = CLIENTS[r["client_id"]]
        if client and r["client_id"] != client:
            continue
        if kind and c["kind"] != kind:
            continue
        days = late_days(n, on)
        if overdue is True and days <= 0 or overdue is False and days > 0:
            continue
        if bkt and bucket(days) != bkt:
            continue
        nums.append(n)
    return sum((opens[n] for n in nums), ZERO), sorted(nums)


def receipts(a: date, b: date, client=None, method=None):
    ps = [p for p in PAYMENTS if (p["status"] or "cleared") == "cleared" and a <= d(p["date"]) <= b
          and (not client or p["client_id"] == client) and (not method or p["method"] == method)]  # fmt: skip
    return sum((p["amount"] for p in ps), ZERO), sorted(p["payment_id"] for p in ps)


def spend(a: date, b: date, **f):
    es = []
    for e in EXPENSES:
        if not a <= d(e["date"]) <= b:
            continue
        if any(e[k] != v for k, v in f.items()):
            continue
        es.append(e)
    return sum((e["amount"] for e in es), ZERO), sorted(e["expense_id"] for e in es)


def bank(a: date, b: date, sign: int, account=None):
    ls = [r for r in BANK if a <= d(r["date"]) <= b and (r["amount"] > 0 if sign > 0 else r["amount"] < 0)
          and (not account or r["account"] == account)]  # fmt: skip
    return sum((abs(r["amount"]) for r in ls), ZERO), sorted(r["line_id"] for r in ls)


def balance(on: date) -> Decimal:
    return Decimal(str(COMPANY["opening_balance"])) + sum(
        (r["amount"] for r in BANK if d(r["date"]) <= on), ZERO
    )


def month(y: int, m: int) -> tuple[date, date]:
    nxt = date(y + (m == 12), m % 12 + 1, 1)
    return date(y, m, 1), nxt - timedelta(days=1)


def quarter(y: int, q: int) -> tuple[date, date]:
    return month(y, 3 * q - 2)[0], month(y, 3 * q)[1]


NOTE = (
    "held-out split 13 (writer s32f), blind: books of evals/heldout/books13.py (an IT services and"
    " maintenance firm in Oran, 61 clients incl. 12 public bodies, three bank accounts, 2025-06-01 to"
    " 2026-10-07); expected values computed from the bundle's CSVs by"
    " evals/heldout/assistant_truth13.py (standard library only), not by Khazna's tools."
    " Conventions (docs/assistant.md, and where it is silent): the as-of day is 2026-10-07; a month,"
    " quarter or half-year named without a year is the latest one that has begun by the as-of day"
    " (mai = 2026-05, T3 = 2026-07..09, le mois dernier = 2026-09, ce mois-ci = 2026-10-01..07);"
    " 'en 2026' / 'cette annee' = 2026-01-01 to the as-of day; receivables on a past day use the"
    " invoices, credit notes and cleared payments dated up to that day; sums of invoicing (CA = HT,"
    " facture = TTC, TVA, timbre) net the credit notes and cite both the invoices and the credit"
    " notes of the period; an amount of credit notes (avoirs) is given positive (TTC) and cites the"
    " credit notes; 'la plus grosse facture' is the largest TTC among invoices (credit notes"
    " excluded); a partially paid invoice is an open one with a cleared payment allocated to it;"
    " rejected cheques are counted over payments.csv's rejected rows and cite their payment ids;"
    " 'depuis combien de jours ... pas paye' counts days from the client's last cleared payment to"
    " the as-of day and cites that day's payments; days late of an invoice = as-of day - due date;"
    " average days late are over the open overdue invoices (weighted: by open amount), to 0.01 day;"
    " a share is a percentage to 0.01 citing the ids of its part; a difference between two measures"
    " is the first named minus the second, a change between two periods later minus earlier, and"
    " both cite the ids of both parts; a balance is the total over the three accounts (opening"
    " balance + every bank line up to the end of the day) and cites nothing; bank debits / credits"
    " are the statement's lines of the period as positive amounts, citing the lines (no question"
    " asks them over a month holding an internal transfer between the accounts); a ranking's value is"
    " the sum of its top N and cites the N clients in order; a refused question expects value"
    " null and no ids."
)

CASES: list[dict] = []


def Q(question: str, language: str, kind: str, res, ordered: bool = False) -> None:
    value, items = res
    if isinstance(value, Decimal):
        value = str(q2(value))
    elif isinstance(value, date):
        value = value.isoformat()
    elif value is not None:
        value = str(value)
    CASES.append({"question": question, "language": language, "kind": kind, "value": value,
                  "items": list(items), "ordered": ordered})  # fmt: skip


def both(*parts):
    out: list[str] = []
    for p in parts:
        out += [x for x in p if x not in out]
    return sorted(out)


YTD = (date(2026, 1, 1), AS_OF)
Y2025 = (date(2025, 1, 1), date(2025, 12, 31))
SEP, AUG, JUL, JUN, MAY = (
    month(2026, 9),
    month(2026, 8),
    month(2026, 7),
    month(2026, 6),
    month(2026, 5),
)
T1, T2, T3 = quarter(2026, 1), quarter(2026, 2), quarter(2026, 3)
S1 = (date(2026, 1, 1), date(2026, 6, 30))
OCT = (date(2026, 10, 1), AS_OF)


def ht(a, b, client=None, kind=None):
    ds = [r for r in docs_in(a, b, client) if not kind or CLIENTS[r["client_id"]]["kind"] == kind]
    return sum((r["total_ht"] for r in ds), ZERO), sorted(r["number"] for r in ds)


def ttc(a, b, client=None):
    ds = docs_in(a, b, client)
    return sum((r["total_ttc"] for r in ds), ZERO), sorted(r["number"] for r in ds)


def tva(a, b):
    ds = docs_in(a, b)
    return sum((r["total_tva"] for r in ds), ZERO), sorted(r["number"] for r in ds)


def stamp(a, b, count=False):
    ds = [r for r in docs_in(a, b) if r["timbre"] > 0]
    v = len(ds) if count else sum((r["timbre"] for r in ds), ZERO)
    return v, sorted(r["number"] for r in ds)


def count_inv(a, b, client=None):
    ds = docs_in(a, b, client, credit=False)
    return len(ds), sorted(r["number"] for r in ds)


def credits(a, b, client=None, count=False):
    ds = docs_in(a, b, client, credit=True)
    v = len(ds) if count else -sum((r["total_ttc"] for r in ds), ZERO)
    return v, sorted(r["number"] for r in ds)


def largest_invoice(a, b):
    ds = docs_in(a, b, credit=False)
    top = max(r["total_ttc"] for r in ds)
    return top, sorted(r["number"] for r in ds if r["total_ttc"] == top)


def largest_expense(a, b):
    es = [e for e in EXPENSES if a <= d(e["date"]) <= b]
    top = max(e["amount"] for e in es)
    return top, sorted(e["expense_id"] for e in es if e["amount"] == top)


def last_payment(client, days=False):
    ps = [
        p for p in PAYMENTS if p["client_id"] == client and (p["status"] or "cleared") == "cleared"
    ]
    day = max(d(p["date"]) for p in ps)
    ids = sorted(p["payment_id"] for p in ps if d(p["date"]) == day)
    return ((AS_OF - day).days if days else day), ids


def overdue_clients(min_days=1, kind=None):
    cs = {INV[n]["client_id"] for n in OPEN if late_days(n) >= min_days
          and (not kind or CLIENTS[INV[n]["client_id"]]["kind"] == kind)}  # fmt: skip
    return len(cs), sorted(cs)


def overdue_count():
    ns = sorted(n for n in OPEN if late_days(n) > 0)
    return len(ns), ns


def avg_late(weighted=False):
    ns = overdue_count()[1]
    if weighted:
        v = sum((OPEN[n] * late_days(n) for n in ns), ZERO) / sum((OPEN[n] for n in ns), ZERO)
    else:
        v = Decimal(sum(late_days(n) for n in ns)) / len(ns)
    return q2(v), ns


def partial(client=None, amount=False):
    ns = sorted(
        n for n in OPEN if allocated(n) > 0 and (not client or INV[n]["client_id"] == client)
    )
    return (sum((OPEN[n] for n in ns), ZERO) if amount else len(ns)), ns


def top_clients(n, by="open", period=YTD):
    per: dict[str, Decimal] = defaultdict(Decimal)
    if by == "open":
        for num, v in OPEN.items():
            per[INV[num]["client_id"]] += v
    elif by == "overdue":
        for num, v in OPEN.items():
            if late_days(num) > 0:
                per[INV[num]["client_id"]] += v
    else:
        for r in docs_in(*period):
            per[r["client_id"]] += r["total_ht"]
    ranked = sorted(per.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
    return sum((v for _, v in ranked), ZERO), [c for c, _ in ranked]


def share(part, whole):
    return q2(part[0] * 100 / whole[0]), part[1]


def diff(first, second):
    return first[0] - second[0], both(first[1], second[1])


def rejected(a=date(2025, 1, 1), b=AS_OF, amount=False):
    ps = [p for p in PAYMENTS if p["status"] == "rejected" and a <= d(p["date"]) <= b]
    v = sum((p["amount"] for p in ps), ZERO) if amount else len(ps)
    return v, sorted(p["payment_id"] for p in ps)


def days_late(number):
    return late_days(number), [number]


def bal(on):
    return balance(on), []


NULL = (None, [])


def build_cases() -> None:  # noqa: PLR0915 - one line per question
    R = receivables
    # --- open receivables of one client --------------------------------------------------------
    Q("combien nous doit l'APC d'Oran ?", "fr", "receivables_client", R(client="C001"))
    Q("encours sonatrach arzew", "fr", "receivables_client", R(client="C013"))
    Q("créances de la DSP d'Oran ?", "fr", "receivables_client", R(client="C002"))
    Q("Solde client Tosyali stp", "fr", "receivables_client", R(client="C015"))
    Q("combien doit encore l'école El Nadjah ?", "fr", "receivables_client", R(client="C030"))
    Q("reste à payer de la clinique ibn sina", "fr", "receivables_client", R(client="C024"))
    Q("Fertial nous doit combien en tout ?", "fr", "receivables_client", R(client="C022"))
    Q("l'OPGI nous doit combien aujourd'hui", "fr", "receivables_client", R(client="C007"))
    Q("encours du labo Hamou", "fr", "receivables_client", R(client="C032"))
    Q(
        "Sidi El Houari Batiment, combien d'impayés (montant) ?",
        "fr",
        "receivables_client",
        R(client="C035"),
    )
    Q("شحال يسالنا سوناطراك؟", "ar", "receivables_client", R(client="C013"))
    Q("كم بقي على مؤسسة النور للتجهيزات؟", "ar", "receivables_client", R(client="C033"))
    Q("ديون شركة الوفاء للنقل", "ar", "receivables_client", R(client="C034"))
    Q("كم تدين لنا جامعة وهران 1 أحمد بن بلة؟", "ar", "receivables_client", R(client="C004"))
    Q("شحال باقي على Numidia Cloud؟", "ar", "receivables_client", R(client="C061"))
    Q("شحال يسالنا CHU وهران؟", "ar", "receivables_client", R(client="C003"))
    Q("How much does Air Algérie owe us?", "en", "receivables_client", R(client="C019"))
    Q("outstanding balance for Med Plast", "en", "receivables_client", R(client="C040"))
    Q("what's EPH Arzew's open balance?", "en", "receivables_client", R(client="C008"))
    Q(
        "How much does Entreprise Portuaire d'Oran still owe?",
        "en",
        "receivables_client",
        R(client="C014"),
    )
    # --- totals ----------------------------------------------------------------------------------
    Q("total des créances clients ?", "fr", "receivables_total", R())
    Q("montant total échu à ce jour", "fr", "overdue_total", R(overdue=True))
    Q("encours non échu (montant)", "fr", "not_due_total", R(overdue=False))
    Q("مجموع الديون عند الزبائن", "ar", "receivables_total", R())
    Q("شحال المبلغ اللي فات وقت خلاصو؟", "ar", "overdue_total", R(overdue=True))
    Q("total outstanding receivables", "en", "receivables_total", R())
    Q("how much is overdue in total?", "en", "overdue_total", R(overdue=True))
    # --- aging buckets -----------------------------------------------------------------------------
    Q("créances échues de 31 à 60 jours", "fr", "aging_bucket", R(bkt="31_60"))
    Q("échu depuis plus de 90 jours, combien ?", "fr", "aging_bucket", R(bkt="over_90"))
    Q("balance âgée : tranche 61-90 j", "fr", "aging_bucket", R(bkt="61_90"))
    Q("الديون المتأخرة بأكثر من 90 يوم", "ar", "aging_bucket", R(bkt="over_90"))
    Q("الديون المتأخرة من 31 حتى 60 يوم", "ar", "aging_bucket", R(bkt="31_60"))
    Q("receivables 1-30 days past due", "en", "aging_bucket", R(bkt="1_30"))
    Q("amount overdue 61 to 90 days", "en", "aging_bucket", R(bkt="61_90"))
    # --- filtered by client kind / client and bucket ------------------------------------------------
    Q(
        "factures échues des administrations",
        "fr",
        "overdue_kind",
        R(kind="administration", overdue=True),
    )
    Q(
        "impayés échus des grands comptes ?",
        "fr",
        "overdue_kind",
        R(kind="grand_compte", overdue=True),
    )
    Q("encours total des PME", "fr", "receivables_kind", R(kind="pme"))
    Q("combien nous doivent les particuliers ?", "fr", "receivables_kind", R(kind="particulier"))
    Q(
        "créances des organismes publics non encore échues",
        "fr",
        "receivables_kind",
        R(kind="administration", overdue=False),
    )
    Q(
        "الديون المتأخرة عند الإدارات العمومية",
        "ar",
        "overdue_kind",
        R(kind="administration", overdue=True),
    )
    Q(
        "overdue amount from public bodies",
        "en",
        "overdue_kind",
        R(kind="administration", overdue=True),
    )
    Q(
        "receivables from large accounts (grands comptes)",
        "en",
        "receivables_kind",
        R(kind="grand_compte"),
    )
    Q(
        "factures de l'OPGI échues de 31 à 60 jours",
        "fr",
        "overdue_client_bucket",
        R(client="C007", bkt="31_60"),
    )
    Q(
        "Sidi El Houari : échu depuis plus de 90 jours ?",
        "fr",
        "overdue_client_bucket",
        R(client="C035", bkt="over_90"),
    )
    Q(
        "ديون EPH أرزيو المتأخرة من 61 إلى 90 يوم",
        "ar",
        "overdue_client_bucket",
        R(client="C008", bkt="61_90"),
    )
    Q(
        "montant échu de la Direction de l'Education",
        "fr",
        "overdue_client",
        R(client="C006", overdue=True),
    )
    Q(
        "what part of Tosyali's balance is overdue (amount)?",
        "en",
        "overdue_client",
        R(client="C015", overdue=True),
    )
    Q("شحال فات وقتو عند مستشفى أرزيو EPH؟", "ar", "overdue_client", R(client="C008", overdue=True))
    # --- counts of clients / invoices overdue ---------------------------------------------------------
    Q(
        "combien de clients ont des factures échues ?",
        "fr",
        "count_clients_overdue",
        overdue_clients(),
    )
    Q(
        "nb de clients avec un retard de plus de 60 jours",
        "fr",
        "count_clients_overdue",
        overdue_clients(61),
    )
    Q(
        "combien d'administrations ont des impayés échus ?",
        "fr",
        "count_clients_overdue",
        overdue_clients(kind="administration"),
    )
    Q("how many clients are overdue?", "en", "count_clients_overdue", overdue_clients())
    Q("شحال من زبون عندو فواتير متأخرة؟", "ar", "count_clients_overdue", overdue_clients())
    Q(
        "combien de factures sont échues et non réglées ?",
        "fr",
        "count_invoices_overdue",
        overdue_count(),
    )
    Q("number of overdue invoices", "en", "count_invoices_overdue", overdue_count())
    Q("كم عدد الفواتير المتأخرة؟", "ar", "count_invoices_overdue", overdue_count())
    # --- receivables on a past day ---------------------------------------------------------------------
    Q("encours clients au 30/06/2026", "fr", "receivables_past", R(on=date(2026, 6, 30)))
    Q(
        "créances de l'APC d'Oran au 31/03/2026",
        "fr",
        "receivables_past",
        R(client="C001", on=date(2026, 3, 31)),
    )
    Q("total receivables at the end of 2025", "en", "receivables_past", R(on=date(2025, 12, 31)))
    # --- turnover (HT) ------------------------------------------------------------------------------------
    Q("CA du T3", "fr", "revenue_ht", ht(*T3))
    Q("chiffre d'affaire du mois dernier", "fr", "revenue_ht", ht(*SEP))
    Q("CA depuis le début de l'année", "fr", "revenue_ht", ht(*YTD))
    Q("chiffre d'affaires 2025", "fr", "revenue_ht", ht(*Y2025))
    Q("CA HT du S1 2026", "fr", "revenue_ht", ht(*S1))
    Q("CA du 4e trimestre 2025", "fr", "revenue_ht", ht(*quarter(2025, 4)))
    Q("revenue for Q2 2026", "en", "revenue_ht", ht(*T2))
    Q("turnover in August 2026", "en", "revenue_ht", ht(*AUG))
    Q("revenue year to date", "en", "revenue_ht", ht(*YTD))
    Q("رقم الأعمال لشهر جوان 2026", "ar", "revenue_ht", ht(*JUN))
    Q("رقم الأعمال ديال الثلاثي الثالث", "ar", "revenue_ht", ht(*T3))
    Q("رقم الأعمال في أيلول", "ar", "revenue_ht", ht(*SEP))
    Q(
        "CA réalisé avec les administrations en 2026",
        "fr",
        "revenue_kind",
        ht(*YTD, kind="administration"),
    )
    # --- invoiced TTC ---------------------------------------------------------------------------------------
    Q("total facturé en mai", "fr", "invoiced_ttc", ttc(*MAY))
    Q("facturé TTC au T2", "fr", "invoiced_ttc", ttc(*T2))
    Q("on a facturé combien ce mois-ci ?", "fr", "invoiced_ttc", ttc(*OCT))
    Q("total invoiced incl. VAT in September", "en", "invoiced_ttc", ttc(*SEP))
    Q("شحال فوترنا في أوت؟", "ar", "invoiced_ttc", ttc(*AUG))
    Q("مجموع الفواتير (TTC) لشهر حزيران", "ar", "invoiced_ttc", ttc(*JUN))
    # --- invoicing of one client ------------------------------------------------------------------------------
    Q("CA réalisé avec Sonatrach en 2026", "fr", "revenue_client", ht(*YTD, client="C013"))
    Q(
        "combien on a facturé au CHU d'Oran cette année (TTC) ?",
        "fr",
        "invoiced_client",
        ttc(*YTD, client="C003"),
    )
    Q(
        "facturation TTC Hôtel Les Andalouses au T3",
        "fr",
        "invoiced_client",
        ttc(*T3, client="C029"),
    )
    Q(
        "How much did we invoice Hyproc in 2025, incl. VAT?",
        "en",
        "invoiced_client",
        ttc(*Y2025, client="C016"),
    )
    Q(
        "revenue from Banque Extérieure d'Algérie in Q3",
        "en",
        "revenue_client",
        ht(*T3, client="C020"),
    )
    Q(
        "رقم الأعمال مع مكتب الدراسات الرازي في 2026",
        "ar",
        "revenue_client",
        ht(*YTD, client="C044"),
    )
    # --- invoice counts -----------------------------------------------------------------------------------------
    Q("combien de factures émises en septembre ?", "fr", "invoice_count", count_inv(*SEP))
    Q("nombre de factures du T3", "fr", "invoice_count", count_inv(*T3))
    Q(
        "combien de factures avons-nous adressées à l'APC d'Oran depuis le début de l'année ?",
        "fr",
        "invoice_count",
        count_inv(*YTD, client="C001"),
    )
    Q("how many invoices did we issue in Q2?", "en", "invoice_count", count_inv(*T2))
    Q(
        "number of invoices sent to Sorfert in 2026",
        "en",
        "invoice_count",
        count_inv(*YTD, client="C017"),
    )
    Q("شحال من فاتورة درنا في جويلية؟", "ar", "invoice_count", count_inv(*JUL))
    Q(
        "how many invoices did Clinique Ibn Sina get in Q3?",
        "en",
        "invoice_count",
        count_inv(*T3, client="C024"),
    )
    # --- credit notes ---------------------------------------------------------------------------------------------
    Q("total des avoirs émis en 2026", "fr", "credit_notes", credits(*YTD))
    Q(
        "combien d'avoirs depuis le début de l'année ?",
        "fr",
        "credit_notes_count",
        credits(*YTD, count=True),
    )
    Q(
        "avoirs accordés à l'OPGI (montant)",
        "fr",
        "credit_notes",
        credits(date(2025, 1, 1), AS_OF, client="C007"),
    )
    Q("credit notes issued in Q2 2026 (amount)", "en", "credit_notes", credits(*T2))
    Q(
        "how many credit notes did we issue in 2025?",
        "en",
        "credit_notes_count",
        credits(*Y2025, count=True),
    )
    Q("مجموع الفواتير التصحيحية (avoirs) لسنة 2025", "ar", "credit_notes", credits(*Y2025))
    # --- VAT -----------------------------------------------------------------------------------------------------------
    Q("TVA collectée au T3", "fr", "vat", tva(*T3))
    Q("TVA du 2e trimestre 2026", "fr", "vat", tva(*T2))
    Q("VAT collected in Q1 2026", "en", "vat", tva(*T1))
    Q("الرسم على القيمة المضافة للثلاثي الثاني", "ar", "vat", tva(*T2))
    Q("TVA ديال الثلاثي الثالث", "ar", "vat", tva(*T3))
    # --- stamp duty -------------------------------------------------------------------------------------------------------
    Q("droit de timbre collecté en 2026", "fr", "stamp_duty", stamp(*YTD))
    Q("total timbre des factures du T3", "fr", "stamp_duty", stamp(*T3))
    Q(
        "combien de factures avec timbre en 2025 ?",
        "fr",
        "stamp_duty_count",
        stamp(*Y2025, count=True),
    )
    Q("stamp duty collected this year", "en", "stamp_duty", stamp(*YTD))
    Q("حقوق الطابع في 2025", "ar", "stamp_duty", stamp(*Y2025))
    # --- receipts ----------------------------------------------------------------------------------------------------------
    Q("encaissements de septembre", "fr", "receipts", receipts(*SEP))
    Q("encaissements du T2", "fr", "receipts", receipts(*T2))
    Q("combien on a encaissé depuis juillet ?", "fr", "receipts", receipts(date(2026, 7, 1), AS_OF))
    Q("encaissements en espèces du T3", "fr", "receipts_method", receipts(*T3, method="especes"))
    Q(
        "montant des chèques encaissés en août",
        "fr",
        "receipts_method",
        receipts(*AUG, method="cheque"),
    )
    Q("combien a payé Sonatrach en 2026 ?", "fr", "receipts_client", receipts(*YTD, client="C013"))
    Q(
        "paiements reçus de l'APC d'Oran depuis le début de l'année",
        "fr",
        "receipts_client",
        receipts(*YTD, client="C001"),
    )
    Q(
        "règlements de la Clinique Ibn Sina au T3",
        "fr",
        "receipts_client",
        receipts(*T3, client="C024"),
    )
    Q("receipts in August 2026", "en", "receipts", receipts(*AUG))
    Q(
        "how much did the CHU pay us this year?",
        "en",
        "receipts_client",
        receipts(*YTD, client="C003"),
    )
    Q("cash received from customers in Q1", "en", "receipts", receipts(*T1))
    Q("شحال دخلنا من الزبائن في سبتمبر؟", "ar", "receipts", receipts(*SEP))
    Q(
        "المبالغ اللي خلصتنا بيها مؤسسة النور",
        "ar",
        "receipts_client",
        receipts(date(2025, 1, 1), AS_OF, client="C033"),
    )
    Q("التحصيلات في شهر ماي", "ar", "receipts", receipts(*MAY))
    Q("التحصيلات من سوناطراك في 2026", "ar", "receipts_client", receipts(*YTD, client="C013"))
    # --- rejected cheques ------------------------------------------------------------------------------------------------------
    Q("combien de chèques rejetés ?", "fr", "rejected_cheques", rejected())
    Q("montant total des chèques impayés", "fr", "rejected_cheques", rejected(amount=True))
    Q("how many bounced cheques this year?", "en", "rejected_cheques", rejected(*YTD))
    Q("شحال من شيك مرفوض؟", "ar", "rejected_cheques", rejected())
    # --- partially paid invoices --------------------------------------------------------------------------------------------------
    Q("combien de factures partiellement payées ?", "fr", "partial_paid", partial())
    Q(
        "reste à payer sur les factures partiellement réglées de la clinique Ibn Sina",
        "fr",
        "partial_paid",
        partial("C024", amount=True),
    )
    Q(
        "how many partially paid invoices does Air Algerie have?",
        "en",
        "partial_paid",
        partial("C019"),
    )
    Q("شحال من فاتورة مخلصة جزئيا؟", "ar", "partial_paid", partial())
    # --- largest ------------------------------------------------------------------------------------------------------------------------
    Q("plus grosse facture de 2026 ?", "fr", "largest_invoice", largest_invoice(*YTD))
    Q("la facture la plus élevée émise au T3", "fr", "largest_invoice", largest_invoice(*T3))
    Q("largest invoice in 2025", "en", "largest_invoice", largest_invoice(*Y2025))
    Q("plus grosse dépense de septembre", "fr", "largest_expense", largest_expense(*SEP))
    Q("biggest expense in Q2 2026", "en", "largest_expense", largest_expense(*T2))
    Q("أكبر مصروف في شهر أوت", "ar", "largest_expense", largest_expense(*AUG))
    # --- days late of one invoice ------------------------------------------------------------------------------------------------------
    Q(
        "de combien de jours la facture F2026-0214 est en retard ?",
        "fr",
        "days_late_invoice",
        days_late("F2026-0214"),
    )
    Q("retard de la F2025-0034 en jours", "fr", "days_late_invoice", days_late("F2025-0034"))
    Q(
        "F2026-0262 : combien de jours de retard ?",
        "fr",
        "days_late_invoice",
        days_late("F2026-0262"),
    )
    Q(
        "how many days late is invoice F2026-0245?",
        "en",
        "days_late_invoice",
        days_late("F2026-0245"),
    )
    Q("الفاتورة F2026-0084 متأخرة بكم يوم؟", "ar", "days_late_invoice", days_late("F2026-0084"))
    # --- days since / date of a client's last payment ------------------------------------------------------------------------------------
    Q(
        "ça fait combien de jours que l'APC d'Oran n'a pas payé ?",
        "fr",
        "days_since_payment",
        last_payment("C001", days=True),
    )
    Q(
        "depuis combien de jours Fertial n'a rien réglé ?",
        "fr",
        "days_since_payment",
        last_payment("C022", days=True),
    )
    Q(
        "days since the Direction des Travaux Publics last paid",
        "en",
        "days_since_payment",
        last_payment("C011", days=True),
    )
    Q(
        "شحال من يوم ما خلصناش CHU وهران؟",
        "ar",
        "days_since_payment",
        last_payment("C003", days=True),
    )
    Q(
        "quand Sonatrach a payé pour la dernière fois ?",
        "fr",
        "last_payment_date",
        last_payment("C013"),
    )
    Q(
        "date du dernier règlement de Sidi El Houari Bâtiment",
        "fr",
        "last_payment_date",
        last_payment("C035"),
    )
    Q("when did Tosyali last pay us?", "en", "last_payment_date", last_payment("C015"))
    Q("وقتاش آخر مرة خلصتنا مديرية التربية؟", "ar", "last_payment_date", last_payment("C006"))
    # --- average days late ---------------------------------------------------------------------------------------------------------------------
    Q("retard moyen des factures échues (en jours)", "fr", "avg_days_late", avg_late())
    Q("retard moyen pondéré par les montants", "fr", "weighted_days_late", avg_late(weighted=True))
    Q("average days overdue on open invoices", "en", "avg_days_late", avg_late())
    Q("amount-weighted average days late", "en", "weighted_days_late", avg_late(weighted=True))
    Q("متوسط أيام التأخير للفواتير المتأخرة", "ar", "avg_days_late", avg_late())
    # --- expenses by category -------------------------------------------------------------------------------------------------------------------
    Q("dépenses carburant du T3", "fr", "expenses_category", spend(*T3, category="carburant"))
    Q(
        "combien on a payé de loyer en 2026 ?",
        "fr",
        "expenses_category",
        spend(*YTD, category="loyer"),
    )
    Q("frais de restau en septembre", "fr", "expenses_category", spend(*SEP, category="restaurant"))
    Q(
        "total salaires versés depuis le début de l'année",
        "fr",
        "expenses_category",
        spend(*YTD, category="salaires"),
    )
    Q(
        "dépenses de sous-traitance en 2025",
        "fr",
        "expenses_category",
        spend(*Y2025, category="sous_traitance"),
    )
    Q("dépenses totales du mois dernier", "fr", "expenses_total", spend(*SEP))
    Q(
        "achats de marchandises au T2",
        "fr",
        "expenses_category",
        spend(*T2, category="achats_marchandises"),
    )
    Q(
        "cotisations sociales payées au S1",
        "fr",
        "expenses_category",
        spend(*S1, category="cotisations_sociales"),
    )
    Q("fuel spend in August", "en", "expenses_category", spend(*AUG, category="carburant"))
    Q(
        "how much did we spend on rent in 2025?",
        "en",
        "expenses_category",
        spend(*Y2025, category="loyer"),
    )
    Q("telecom costs in Q3", "en", "expenses_category", spend(*T3, category="telecom"))
    Q("total expenses in July 2026", "en", "expenses_total", spend(*JUL))
    Q("مصاريف الوقود في سبتمبر", "ar", "expenses_category", spend(*SEP, category="carburant"))
    Q(
        "مصاريف المطعم في الثلاثي الثالث",
        "ar",
        "expenses_category",
        spend(*T3, category="restaurant"),
    )
    Q("شحال خلصنا كراء في 2026؟", "ar", "expenses_category", spend(*YTD, category="loyer"))
    Q(
        "مصاريف الكهرباء والغاز هاد العام",
        "ar",
        "expenses_category",
        spend(*YTD, category="energie"),
    )
    Q("مجموع المصاريف في جوان", "ar", "expenses_total", spend(*JUN))
    # --- expenses by supplier ----------------------------------------------------------------------------------------------------------------------
    Q(
        "combien on a payé à Microsystèmes en 2026 ?",
        "fr",
        "expenses_supplier",
        spend(*YTD, supplier_id="S05"),
    )
    Q("paiements à Condor au T2", "fr", "expenses_supplier", spend(*T2, supplier_id="S06"))
    Q("règlements Djezzy depuis janvier", "fr", "expenses_supplier", spend(*YTD, supplier_id="S03"))
    Q(
        "payments to Réseaux Ouest in 2025",
        "en",
        "expenses_supplier",
        spend(*Y2025, supplier_id="S12"),
    )
    Q(
        "how much have we paid Algérie Télécom this year?",
        "en",
        "expenses_supplier",
        spend(*YTD, supplier_id="S02"),
    )
    Q("شحال خلصنا لكوندور هاد العام؟", "ar", "expenses_supplier", spend(*YTD, supplier_id="S06"))
    Q("شحال خلصنا لنفطال في 2026؟", "ar", "expenses_supplier", spend(*YTD, supplier_id="S04"))
    # --- expenses of an employee / a card --------------------------------------------------------------------------------------------------------------
    Q(
        "dépenses de Karim Bouazza en septembre",
        "fr",
        "expenses_employee",
        spend(*SEP, employee="Karim Bouazza"),
    )
    Q("total carte CARD-02 au T3", "fr", "expenses_card", spend(*T3, card_id="CARD-02"))
    Q(
        "notes de frais de Nadia Belkheir depuis le début de l'année",
        "fr",
        "expenses_employee",
        spend(*YTD, employee="Nadia Belkheir"),
    )
    Q(
        "how much did Yacine Mahi spend on fuel in 2026?",
        "en",
        "expenses_employee",
        spend(*YTD, employee="Yacine Mahi", category="carburant"),
    )
    Q("card CARD-01 spending in August", "en", "expenses_card", spend(*AUG, card_id="CARD-01"))
    Q("مصاريف كريم بوعزة في أوت", "ar", "expenses_employee", spend(*AUG, employee="Karim Bouazza"))
    Q(
        "مصاريف البطاقة CARD-03 في الثلاثي الثاني",
        "ar",
        "expenses_card",
        spend(*T2, card_id="CARD-03"),
    )
    # --- bank debits / credits -------------------------------------------------------------------------------------------------------------------------
    Q("total des débits bancaires en avril 2026", "fr", "bank_debits", bank(*month(2026, 4), -1))
    Q("crédits en banque en août 2026", "fr", "bank_credits", bank(*AUG, 1))
    Q(
        "débits du compte CPA en août",
        "fr",
        "bank_debits_account",
        bank(*AUG, -1, account="CPA-01187"),
    )
    Q(
        "mouvements créditeurs sur le CCP en 2026",
        "fr",
        "bank_credits_account",
        bank(*YTD, 1, account="CCP-775421"),
    )
    Q("bank debits in June 2026", "en", "bank_debits", bank(*JUN, -1))
    Q(
        "total credits on the BNA account in June",
        "en",
        "bank_credits_account",
        bank(*JUN, 1, account="BNA-00412"),
    )
    Q("مجموع الاقتطاعات البنكية في أوت", "ar", "bank_debits", bank(*AUG, -1))
    Q("المداخيل في البنك في شهر جوان", "ar", "bank_credits", bank(*JUN, 1))
    # --- balances ----------------------------------------------------------------------------------------------------------------------------------------
    Q("c'est quoi ma tréso aujourd'hui", "fr", "balance", bal(AS_OF))
    Q("solde bancaire au 30/06/2026", "fr", "balance", bal(date(2026, 6, 30)))
    Q("combien on avait en banque fin 2025 ?", "fr", "balance", bal(date(2025, 12, 31)))
    Q("solde au 31 mars", "fr", "balance", bal(date(2026, 3, 31)))
    Q("what's our cash position today?", "en", "balance", bal(AS_OF))
    Q("bank balance on 31 August 2026", "en", "balance", bal(date(2026, 8, 31)))
    Q("شحال عندنا في البنك اليوم؟", "ar", "balance", bal(AS_OF))
    Q("الرصيد في 31 ديسمبر 2025", "ar", "balance", bal(date(2025, 12, 31)))
    # --- rankings -------------------------------------------------------------------------------------------------------------------------------------------
    Q("top 5 des clients par encours", "fr", "top_clients", top_clients(5), ordered=True)
    Q(
        "les 3 plus gros retardataires (montant échu)",
        "fr",
        "top_clients",
        top_clients(3, by="overdue"),
        ordered=True,
    )
    Q(
        "top 3 clients by revenue in 2026",
        "en",
        "top_clients",
        top_clients(3, by="ht"),
        ordered=True,
    )
    Q("أكبر 3 زبائن عندهم ديون", "ar", "top_clients", top_clients(3), ordered=True)
    # --- two-step: shares, differences, changes ------------------------------------------------------------------------------------------------------------
    Q(
        "quelle part de nos créances est due par les administrations (%) ?",
        "fr",
        "share",
        share(R(kind="administration"), R()),
    )
    Q("part de l'échu dans l'encours total, en %", "fr", "share", share(R(overdue=True), R()))
    Q(
        "part de Sonatrach dans le CA 2026 en pourcentage",
        "fr",
        "share",
        share(ht(*YTD, client="C013"), ht(*YTD)),
    )
    Q(
        "salaires en % des dépenses de septembre",
        "fr",
        "share",
        share(spend(*SEP, category="salaires"), spend(*SEP)),
    )
    Q(
        "what share of our receivables is over 90 days past due (%)?",
        "en",
        "share",
        share(R(bkt="over_90"), R()),
    )
    Q("نسبة الديون المتأخرة من مجموع الديون", "ar", "share", share(R(overdue=True), R()))
    Q(
        "نسبة الإدارات من رقم أعمال 2026 (%)",
        "ar",
        "share",
        share(ht(*YTD, kind="administration"), ht(*YTD)),
    )
    Q("évolution du CA entre le T2 et le T3", "fr", "change", diff(ht(*T3), ht(*T2)))
    Q(
        "différence de facturation TTC entre août et septembre",
        "fr",
        "change",
        diff(ttc(*SEP), ttc(*AUG)),
    )
    Q(
        "différence entre les encaissements et le facturé TTC de septembre",
        "fr",
        "difference",
        diff(receipts(*SEP), ttc(*SEP)),
    )
    Q(
        "variation des encaissements entre juillet et août",
        "fr",
        "change",
        diff(receipts(*AUG), receipts(*JUL)),
    )
    Q(
        "écart entre les débits et les crédits bancaires d'août",
        "fr",
        "difference",
        diff(bank(*AUG, -1), bank(*AUG, 1)),
    )
    Q("change in receipts from Q2 to Q3 2026", "en", "change", diff(receipts(*T3), receipts(*T2)))
    Q(
        "difference between revenue in S1 2026 and H2 2025",
        "en",
        "change",
        diff(ht(*S1), ht(date(2025, 7, 1), date(2025, 12, 31))),
    )
    Q("الفرق بين رقم أعمال سبتمبر و أوت", "ar", "change", diff(ht(*SEP), ht(*AUG)))
    Q("تطور المصاريف بين الثلاثي الثاني والثالث", "ar", "change", diff(spend(*T3), spend(*T2)))
    Q(
        "variation de la tréso depuis le début de l'année",
        "fr",
        "change",
        (balance(AS_OF) - balance(date(2025, 12, 31)), []),
    )
    # --- refused: unknown names, wrong kind, before the books, not in the books -------------------------------------------------------------------------------
    Q("combien nous doit Sonatel ?", "fr", "refused_unknown_client", NULL)
    Q("encours de la SARL Batimetal", "fr", "refused_unknown_client", NULL)
    Q("combien nous doit Naftal ?", "fr", "refused_wrong_kind", NULL)
    Q("CA de mars 2025", "fr", "refused_before_books", NULL)
    Q("encaissements de janvier 2025", "fr", "refused_before_books", NULL)
    Q("combien d'employés avons-nous ?", "fr", "refused_not_in_books", NULL)
    Q("quelle est la valeur de notre stock de matériel ?", "fr", "refused_not_in_books", NULL)
    Q("retard de la facture F2026-0999 ?", "fr", "refused_unknown_invoice", NULL)
    Q("solde au 31/02/2026", "fr", "refused_bad_date", NULL)
    Q("dépenses chez Ooredoo en 2026", "fr", "refused_unknown_supplier", NULL)
    Q("شحال يسالنا سونلغاز؟", "ar", "refused_wrong_kind", NULL)
    Q("رقم الأعمال في أفريل 2025", "ar", "refused_before_books", NULL)
    Q("شحال من عامل عندنا؟", "ar", "refused_not_in_books", NULL)
    Q("شحال يسالنا Cevital؟", "ar", "refused_unknown_client", NULL)
    Q("رقم الأعمال في جانفي 2025", "ar", "refused_before_books", NULL)
    Q("قيمة المخزون عندنا؟", "ar", "refused_not_in_books", NULL)
    Q("how much does Condor owe us?", "en", "refused_wrong_kind", NULL)
    Q("How much does Cevital owe us?", "en", "refused_unknown_client", NULL)
    Q("revenue in February 2025", "en", "refused_before_books", NULL)
    Q("what's our headcount?", "en", "refused_not_in_books", NULL)
    Q("payments received from Sonatel this year", "en", "refused_unknown_client", NULL)
    Q("how much did we pay Ooredoo in Q3?", "en", "refused_unknown_supplier", NULL)


def yaml_str(x) -> str:
    return json.dumps(x, ensure_ascii=False)


def write_yaml() -> None:
    build_cases()
    out = ["dataset: assistant", "ledger:", "  bundle: evals/heldout/bundle13", f"  as_of: '{AS_OF}'",
           f"note: {yaml_str(NOTE)}", "cases:"]  # fmt: skip
    for c in CASES:
        out.append(f"- question: {yaml_str(c['question'])}")
        out.append(f"  language: {c['language']}")
        out.append(f"  kind: {c['kind']}")
        out.append(f"  value: {'null' if c['value'] is None else yaml_str(c['value'])}")
        out.append("  items: []" if not c["items"] else "  items:")
        out += [f"  - {yaml_str(i)}" for i in c["items"]]
        out.append(f"  ordered: {'true' if c['ordered'] else 'false'}")
    OUT.write_text("\n".join(out) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write_yaml()
    langs: dict[str, int] = defaultdict(int)
    for c in CASES:
        langs[c["language"]] += 1
    print(len(CASES), dict(langs), sum(c["value"] is None for c in CASES), "null")
