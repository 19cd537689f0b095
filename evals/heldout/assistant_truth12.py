"""Truth of held-out split 12, computed from the CSVs of evals/heldout/bundle12 alone.

Standard library only; independent of Khazna's code. It follows the definitions of
docs/assistant.md and writes evals/datasets/assistant_heldout12.yaml in the dev split's format:
``python evals/heldout/assistant_truth12.py``.

Conventions this program decides where docs/assistant.md is silent (see the report of s31e):
- the ids of a sum of invoiced amounts include the credit notes netted in it;
- the amount of credit notes ("montant des avoirs") is a positive amount, like bank debits;
- a difference / change cites the ids of both of its measures; a share cites its part only;
- "partiellement payée" = some cleared payment is allocated to it and some amount is still open;
- "plus de N jours" of receivables = more than N days past due (N+1 and over);
- expenses "par carte" / "en espèces" / "par chèque" filter the expense's method;
- a count of clients cites the client ids; a ranking cites the parties in order.
"""

from __future__ import annotations

import csv
import json
import sys
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
BUNDLE = HERE / "bundle12"
OUT = HERE.parent / "datasets" / "assistant_heldout12.yaml"
AS_OF = date(2026, 11, 18)
CENT = Decimal("0.01")
ZERO = Decimal("0")


def q2(x: Decimal) -> Decimal:
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def d(s: str) -> date:
    return date.fromisoformat(s)


def read(name: str) -> list[dict]:
    with (BUNDLE / name).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


COMPANY = json.loads((BUNDLE / "company.json").read_text(encoding="utf-8"))
CLIENTS = {r["client_id"]: r for r in read("clients.csv")}
SUPPLIERS = {r["supplier_id"]: r for r in read("suppliers.csv")}
INVOICES = []
for r in read("invoices.csv"):
    for k in ("total_ht", "total_tva", "timbre", "total_ttc"):
        r[k] = Decimal(r[k] or "0")
    r["issue"] = d(r["issue_date"])
    r["due"] = d(r["due_date"])
    INVOICES.append(r)
BY_NUMBER = {r["number"]: r for r in INVOICES}
PAYMENTS = []
for r in read("payments.csv"):
    r["amount"] = Decimal(r["amount"])
    r["day"] = d(r["date"])
    r["status"] = r["status"] or "cleared"
    PAYMENTS.append(r)
EXPENSES = []
for r in read("expenses.csv"):
    r["amount"] = Decimal(r["amount"])
    r["day"] = d(r["date"])
    EXPENSES.append(r)
BANK = []
for r in read("bank_lines.csv"):
    r["amount"] = Decimal(r["amount"])
    r["day"] = d(r["date"])
    BANK.append(r)
OPENING = Decimal(str(COMPANY["opening_balance"]))
OPENING_DATE = d(COMPANY["opening_date"])


# --- the books as they stood on a day --------------------------------------------------------
def live(inv: dict) -> bool:
    return (inv["status"] or "issued") != "cancelled"


def is_invoice(inv: dict) -> bool:
    return live(inv) and inv["total_ttc"] > 0 and not inv["credited_invoice"]


def is_credit(inv: dict) -> bool:
    return live(inv) and inv["total_ttc"] < 0


def allocations(on: date) -> dict[str, Decimal]:
    """Cleared payments up to `on`, allocated to their invoices oldest first."""
    credited: dict[str, Decimal] = {}
    for cn in INVOICES:
        if is_credit(cn) and cn["issue"] <= on:
            credited[cn["credited_invoice"]] = credited.get(cn["credited_invoice"], ZERO) - cn[
                "total_ttc"
            ]
    alloc: dict[str, Decimal] = {}
    for p in sorted(PAYMENTS, key=lambda p: (p["day"], p["payment_id"])):
        if p["status"] != "cleared" or p["day"] > on or not p["invoice_number"]:
            continue
        nums = [n.strip() for n in p["invoice_number"].split(";") if n.strip()]
        nums.sort(key=lambda n: (BY_NUMBER[n]["issue"], n))
        left = p["amount"]
        for i, n in enumerate(nums):
            inv = BY_NUMBER[n]
            room = inv["total_ttc"] - credited.get(n, ZERO) - alloc.get(n, ZERO)
            take = left if i == len(nums) - 1 else min(left, max(room, ZERO))
            alloc[n] = alloc.get(n, ZERO) + take
            left -= take
    return alloc


def credits_on(on: date) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for cn in INVOICES:
        if is_credit(cn) and cn["issue"] <= on:
            out[cn["credited_invoice"]] = out.get(cn["credited_invoice"], ZERO) - cn["total_ttc"]
    return out


def open_invoices(on: date = AS_OF) -> list[tuple[dict, Decimal]]:
    alloc = allocations(on)
    cred = credits_on(on)
    out = []
    for inv in INVOICES:
        if not is_invoice(inv) or inv["issue"] > on:
            continue
        left = inv["total_ttc"] - alloc.get(inv["number"], ZERO) - cred.get(inv["number"], ZERO)
        if left > Decimal("0.005"):
            out.append((inv, left))
    return out


def late(inv: dict, on: date = AS_OF) -> int:
    return (on - inv["due"]).days


def bucket_ok(days: int, bucket: str | None) -> bool:
    if bucket is None:
        return True
    if bucket == "due":
        return days >= 1
    if bucket == "not_due":
        return days <= 0
    lo, hi = {
        "1_30": (1, 30),
        "31_60": (31, 60),
        "61_90": (61, 90),
        "over_90": (91, 10**6),
        "over_30": (31, 10**6),
        "over_60": (61, 10**6),
    }[bucket]
    return lo <= days <= hi


def receivables(client=None, kind=None, bucket=None, on: date = AS_OF):
    rows = []
    for inv, left in open_invoices(on):
        c = CLIENTS[inv["client_id"]]
        if client and inv["client_id"] != client:
            continue
        if kind and c["kind"] != kind:
            continue
        if not bucket_ok(late(inv, on), bucket):
            continue
        rows.append((inv, left))
    return rows


def in_period(day: date, period: tuple[date, date]) -> bool:
    return period[0] <= day <= period[1]


def month(y: int, m: int) -> tuple[date, date]:
    nxt = date(y + (m == 12), m % 12 + 1, 1)
    return (date(y, m, 1), min(nxt - timedelta(days=1), AS_OF))


def quarter(y: int, q: int) -> tuple[date, date]:
    start = date(y, 3 * q - 2, 1)
    end = month(y, 3 * q)[1]
    return (start, min(end, AS_OF))


def half(y: int, h: int) -> tuple[date, date]:
    return (date(y, 1 if h == 1 else 7, 1), min(date(y, 6, 30) if h == 1 else date(y, 12, 31), AS_OF))


def year(y: int) -> tuple[date, date]:
    return (date(y, 1, 1), min(date(y, 12, 31), AS_OF))


def since(day: date) -> tuple[date, date]:
    return (day, AS_OF)


def invoices_in(period, client=None, kind=None, credits=True, only_credits=False):
    rows = []
    for inv in INVOICES:
        if not live(inv) or not in_period(inv["issue"], period):
            continue
        if only_credits and not is_credit(inv):
            continue
        if not credits and not is_invoice(inv):
            continue
        if client and inv["client_id"] != client:
            continue
        if kind and CLIENTS[inv["client_id"]]["kind"] != kind:
            continue
        rows.append(inv)
    return rows


def receipts_in(period, client=None, kind=None, method=None, status="cleared"):
    rows = []
    for p in PAYMENTS:
        if p["status"] != status or not in_period(p["day"], period):
            continue
        if client and p["client_id"] != client:
            continue
        if kind and CLIENTS[p["client_id"]]["kind"] != kind:
            continue
        if method and p["method"] != method:
            continue
        rows.append(p)
    return rows


def expenses_in(period, supplier=None, category=None, card=None, employee=None, method=None,
                receipt=None):
    rows = []
    for e in EXPENSES:
        if not in_period(e["day"], period):
            continue
        if supplier and e["supplier_id"] != supplier:
            continue
        if category and e["category"] != category:
            continue
        if card and e["card_id"] != card:
            continue
        if employee and e["employee"] != employee:
            continue
        if method and e["method"] != method:
            continue
        if receipt and e["receipt"] != receipt:
            continue
        rows.append(e)
    return rows


def bank_in(period, sign: int):
    return [b for b in BANK if in_period(b["day"], period) and (b["amount"] > 0) == (sign > 0)
            and b["amount"] != 0]


def balance_on(day: date) -> Decimal:
    return OPENING + sum((b["amount"] for b in BANK if b["day"] <= day), ZERO)


def total(xs, key) -> Decimal:
    return q2(sum((x[key] for x in xs), ZERO))


def pct(part: Decimal, whole: Decimal) -> Decimal:
    return q2(part * 100 / whole)


def cid(name: str) -> str:
    hits = [k for k, c in CLIENTS.items() if c["name"] == name]
    assert len(hits) == 1, name
    return hits[0]


def sid(name: str) -> str:
    hits = [k for k, s in SUPPLIERS.items() if s["name"] == name]
    assert len(hits) == 1, name
    return hits[0]


# --- answers ---------------------------------------------------------------------------------
def M(x: Decimal) -> str:
    return f"{q2(x):.2f}"


def ans(value, items=(), ordered=False):
    return {"value": value, "items": list(items), "ordered": ordered}


def NULL():
    return ans(None, [])


def inv_ids(rows):
    return sorted({(r[0] if isinstance(r, tuple) else r)["number"] for r in rows})


def r_sum(**kw):
    rows = receivables(**kw)
    return ans(M(sum((left for _, left in rows), ZERO)), inv_ids(rows))


def r_count(**kw):
    rows = receivables(**kw)
    return ans(len(rows), inv_ids(rows))


def r_clients(**kw):
    rows = receivables(**kw)
    ids = sorted({inv["client_id"] for inv, _ in rows})
    return ans(len(ids), ids)


def r_top(n, **kw):
    per: dict[str, Decimal] = {}
    for inv, left in receivables(**kw):
        per[inv["client_id"]] = per.get(inv["client_id"], ZERO) + left
    ranked = sorted(per.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
    assert len(ranked) < len(per) and ranked[-1][1] != sorted(per.values(), reverse=True)[n]
    return ans(M(sum((v for _, v in ranked), ZERO)), [k for k, _ in ranked], True)


def r_share(part: dict, whole: dict | None = None):
    prow = receivables(**part)
    wrow = receivables(**(whole or {}))
    p = sum((left for _, left in prow), ZERO)
    w = sum((left for _, left in wrow), ZERO)
    return ans(M(pct(p, w)), inv_ids(prow))


def days_late(number: str):
    inv = BY_NUMBER[number]
    assert any(i["number"] == number for i, _ in open_invoices()), number
    assert late(inv) > 0
    return ans(late(inv), [number])


def avg_late(weighted=False, **kw):
    rows = receivables(bucket="due", **kw)
    if weighted:
        v = sum((late(i) * left for i, left in rows), ZERO) / sum((left for _, left in rows), ZERO)
    else:
        v = Decimal(sum(late(i) for i, _ in rows)) / len(rows)
    return ans(M(v), inv_ids(rows))


def partial(amount=False, **kw):
    alloc = allocations(AS_OF)
    rows = [(i, left) for i, left in receivables(**kw) if alloc.get(i["number"], ZERO) > 0]
    if amount:
        return ans(M(sum((left for _, left in rows), ZERO)), inv_ids(rows))
    return ans(len(rows), inv_ids(rows))


def last_payment(client: str, days=False):
    ps = [p for p in PAYMENTS if p["client_id"] == client and p["status"] == "cleared"
          and p["day"] <= AS_OF]
    last = max(p["day"] for p in ps)
    ids = sorted(p["payment_id"] for p in ps if p["day"] == last)
    if days:
        return ans((AS_OF - last).days, ids)
    return ans(last.isoformat(), ids)


def billed(period, measure="total_ttc", **kw):
    rows = invoices_in(period, **kw)
    assert rows
    return ans(M(total(rows, measure)), inv_ids(rows))


def billed_count(period, **kw):
    rows = invoices_in(period, credits=False, **kw)
    return ans(len(rows), inv_ids(rows))


def billed_max(period, **kw):
    rows = invoices_in(period, credits=False, **kw)
    top = max(r["total_ttc"] for r in rows)
    return ans(M(top), [r["number"] for r in rows if r["total_ttc"] == top])


def billed_avg(period, measure="total_ttc", **kw):
    rows = invoices_in(period, credits=False, **kw)
    return ans(M(sum((r[measure] for r in rows), ZERO) / len(rows)), inv_ids(rows))


def stamp(period, count=False):
    rows = [r for r in invoices_in(period) if r["timbre"] > 0]
    if count:
        return ans(len(rows), inv_ids(rows))
    return ans(M(total(rows, "timbre")), inv_ids(rows))


def credits(period, count=False, **kw):
    rows = invoices_in(period, only_credits=True, **kw)
    if count:
        return ans(len(rows), inv_ids(rows))
    return ans(M(-total(rows, "total_ttc")), inv_ids(rows))


def receipts(period, count=False, **kw):
    rows = receipts_in(period, **kw)
    if count:
        return ans(len(rows), sorted(p["payment_id"] for p in rows))
    return ans(M(total(rows, "amount")), sorted(p["payment_id"] for p in rows))


def receipts_max(period, **kw):
    rows = receipts_in(period, **kw)
    top = max(p["amount"] for p in rows)
    return ans(M(top), sorted(p["payment_id"] for p in rows if p["amount"] == top))


def rejected(period, amount=False):
    rows = receipts_in(period, status="rejected")
    if amount:
        return ans(M(total(rows, "amount")), sorted(p["payment_id"] for p in rows))
    return ans(len(rows), sorted(p["payment_id"] for p in rows))


def spent(period, count=False, **kw):
    rows = expenses_in(period, **kw)
    assert rows, kw
    ids = sorted(e["expense_id"] for e in rows)
    if count:
        return ans(len(rows), ids)
    return ans(M(total(rows, "amount")), ids)


def spent_max(period, **kw):
    rows = expenses_in(period, **kw)
    top = max(e["amount"] for e in rows)
    return ans(M(top), sorted(e["expense_id"] for e in rows if e["amount"] == top))


def spent_avg(period, **kw):
    rows = expenses_in(period, **kw)
    return ans(M(sum((e["amount"] for e in rows), ZERO) / len(rows)),
               sorted(e["expense_id"] for e in rows))


def spent_share(period, part: dict, whole: dict | None = None):
    prow = expenses_in(period, **part)
    wrow = expenses_in(period, **(whole or {}))
    return ans(M(pct(total(prow, "amount"), total(wrow, "amount"))),
               sorted(e["expense_id"] for e in prow))


def top_suppliers(period, n):
    per: dict[str, Decimal] = {}
    for e in expenses_in(period):
        if e["supplier_id"]:
            per[e["supplier_id"]] = per.get(e["supplier_id"], ZERO) + e["amount"]
    ranked = sorted(per.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
    return ans(M(sum((v for _, v in ranked), ZERO)), [k for k, _ in ranked], True)


def top_clients_billed(period, n, measure="total_ht"):
    per: dict[str, Decimal] = {}
    for r in invoices_in(period):
        per[r["client_id"]] = per.get(r["client_id"], ZERO) + r[measure]
    ranked = sorted(per.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
    return ans(M(sum((v for _, v in ranked), ZERO)), [k for k, _ in ranked], True)


def bank(period, sign):
    rows = bank_in(period, sign)
    return ans(M(abs(sum((b["amount"] for b in rows), ZERO))), sorted(b["line_id"] for b in rows))


def balance(day: date):
    assert OPENING_DATE <= day <= AS_OF
    return ans(M(balance_on(day)), [])


def combine(op, earlier, later, percent=False, both_ids=True):
    """A difference or a change: later − earlier (DA), or in percent of the earlier."""
    a, b = Decimal(earlier["value"]), Decimal(later["value"])
    v = pct(b - a, a) if percent else q2(b - a)
    ids = sorted(set(earlier["items"]) | set(later["items"])) if both_ids else []
    return ans(M(v), ids)


def share_of(part, whole):
    return ans(M(pct(Decimal(part["value"]), Decimal(whole["value"]))), part["items"])


def forecast_status(horizon=30):
    """'ok' when even with no receipt at all the balance stays above the threshold.

    The worst case: the largest outflow of any 30 days of the books (transfers between the
    company's own accounts left out), with no money coming in, taken from the balance of the
    as-of day; the forecast's threshold is policy.json's.
    """
    policy = json.loads((BUNDLE / "policy.json").read_text(encoding="utf-8"))
    threshold = Decimal(str(policy["treasury"]["safety_threshold"]))
    worst = ZERO
    day = OPENING_DATE
    while day + timedelta(days=horizon) <= AS_OF:
        out = -sum((b["amount"] for b in BANK if day <= b["day"] < day + timedelta(days=horizon)
                    and b["amount"] < 0 and "INTERNE" not in b["label"]), ZERO)
        worst = max(worst, out)
        day += timedelta(days=1)
    assert balance_on(AS_OF) - worst > threshold, (balance_on(AS_OF), worst)
    return ans("ok", [])


# --- the questions ---------------------------------------------------------------------------
T = AS_OF
OCT, SEP, NOV, AUG = month(2026, 10), month(2026, 9), month(2026, 11), month(2026, 8)
JUN, MAR = month(2026, 6), month(2026, 3)
Q1, Q2, Q3 = quarter(2026, 1), quarter(2026, 2), quarter(2026, 3)
Q3_25, Q4_25 = quarter(2025, 3), quarter(2025, 4)
H1, H2_25 = half(2026, 1), half(2025, 2)
Y25, YTD = year(2025), year(2026)

COSIDER, BATIMETAL, ENGOA = cid("Cosider Construction Sétif"), cid("Batimetal Est SPA"), cid(
    "ENGOA Batna – chantier Sétif"
)
DEP, APC, OPGI = cid("Direction des Équipements Publics de la Wilaya de Sétif"), cid(
    "APC de Sétif"
), cid("OPGI de Sétif")
UFAS, CHU, EULMA = cid("Université Ferhat Abbas Sétif 1"), cid("CHU Saâdna Abdenour de Sétif"), cid(
    "بلدية العلمة"
)
HIDHAB, HASNAOUI, ETRHB = cid("شركة الهضاب العليا للترقية العقارية"), cid(
    "Groupe Hasnaoui Promotion"
), cid("ETRHB Haddad Unité Est")
BOUZID, ZERGUINE, AMOKRANE = cid("SARL Bouzid Bâtiment"), cid("SARL Zerguine Promotion"), cid(
    "SARL Amokrane Travaux"
)
BOUDIAF, BENMANSOUR, ELBINA = cid("SNC Boudiaf et Frères"), cid("Entreprise Benmansour BTPH"), cid(
    "SARL El Bina El Hadith"
)
SAIDI, RAHMANI, BENAMARA = cid("مؤسسة السعيدي للتجارة"), cid("شركة الإخوة رحماني للأشغال"), cid(
    "مؤسسة بن عمارة للبناء"
)
HODNA, TEBBOUNE, GHEMRI = cid("SARL Hodna Travaux Publics"), cid(
    "SARL Tebboune Menuiserie Aluminium"
), cid("Salah Eddine Ghemri")
DAIRA, KHERBACHE = cid("Daïra d'Aïn Oulmène"), cid("EURL Kherbache Travaux")
GICA, LAFARGE, TOSYALI = sid("GICA – Société des Ciments de Aïn El Kebira"), sid(
    "Lafarge Algérie – Ciment de M'Sila"
), sid("Tosyali Iron & Steel Algérie")
SONELGAZ, NAFTAL, ZERROUKI = sid("Sonelgaz Distribution Est"), sid("Naftal"), sid(
    "Transports Zerrouki Frères"
)
BELLIL, CNAS, BRIQ = sid("Garage Bellil Poids Lourds"), sid("CNAS Agence de Sétif"), sid(
    "Briqueterie El Hidhab"
)
KARIM, NADIA, SOFIANE = "Karim Benali", "Nadia Haddad", "Sofiane Merabet"


def questions():
    """(language, kind, question, answer) — the answer computed from the CSVs above."""
    fr = [
        # receivables: per client, kind, age bucket
        ("receivables_client", "combien nous doit Cosider au total ?", r_sum(client=COSIDER)),
        ("receivables_client", "encours client Batimetal Est ?", r_sum(client=BATIMETAL)),
        ("receivables_client", "qu'est ce que la DEP de Sétif nous doit encore", r_sum(client=DEP)),
        ("receivables_client", "combien doit l'APC de Setif", r_sum(client=APC)),
        ("receivables_client", "Benmansour nous doit combien ?", r_sum(client=BENMANSOUR)),
        ("receivables_bucket", "créances échues de 31 à 60 jours", r_sum(bucket="31_60")),
        ("receivables_bucket", "total des créances de plus de 90 jours ?", r_sum(bucket="over_90")),
        ("receivables_bucket", "balance âgée : combien dans la tranche 61-90 j ?",
         r_sum(bucket="61_90")),
        ("receivables_bucket", "montant des créances pas encore échues", r_sum(bucket="not_due")),
        ("receivables_bucket", "retards entre 1 et 30 jours, ça fait combien ?",
         r_sum(bucket="1_30")),
        ("receivables_kind", "montant des factures échues des administrations",
         r_sum(kind="administration", bucket="due")),
        ("receivables_kind", "encours des PME échu à plus de 60 jours",
         r_sum(kind="pme", bucket="over_60")),
        ("receivables_client", "créances échues de Zerguine ?", r_sum(client=ZERGUINE, bucket="due")),
        ("receivables_client", "Boudiaf : montant échu depuis plus de 90 jours",
         r_sum(client=BOUDIAF, bucket="over_90")),
        ("receivables_count", "combien de factures impayées chez l'OPGI ?", r_count(client=OPGI)),
        ("receivables_count", "nombre de factures en retard au total", r_count(bucket="due")),
        ("receivables_count", "combien de factures échues pour les administrations ?",
         r_count(kind="administration", bucket="due")),
        ("count_clients", "combien de clients ont des factures en retard ?", r_clients(bucket="due")),
        # days late, last payment
        ("days_late", "le retard de la facture F2026-0239 ?", days_late("F2026-0239")),
        ("days_late", "depuis combien de jours la facture F2025-0022 est en retard ?",
         days_late("F2025-0022")),
        ("avg_days_late", "retard moyen des factures échues ?", avg_late()),
        ("avg_days_late", "retard moyen pondéré par les montants (factures échues)",
         avg_late(weighted=True)),
        ("avg_days_late", "retard moyen des administrations en jours",
         avg_late(kind="administration")),
        ("days_since_payment", "depuis combien de jours Amokrane n'a rien payé ?",
         last_payment(AMOKRANE, days=True)),
        ("last_payment", "quand est-ce que l'OPGI nous a payé pour la dernière fois ?",
         last_payment(OPGI)),
        # rankings, shares of receivables, partial payments
        ("top_clients", "quel client nous doit le plus ?", r_top(1)),
        ("top_clients", "top 5 des clients débiteurs", r_top(5)),
        ("top_clients", "les 3 clients avec le plus gros montant échu", r_top(3, bucket="due")),
        ("share", "part des administrations dans nos créances ?",
         r_share({"kind": "administration"})),
        ("share", "quel pourcentage de l'encours est échu depuis plus de 90 jours ?",
         r_share({"bucket": "over_90"})),
        ("partial_payments", "factures partiellement payées : combien ?", partial()),
        ("partial_payments", "reste à encaisser sur les factures partiellement réglées",
         partial(amount=True)),
        # invoicing
        ("invoiced_ht", "CA du T3 ?", billed(Q3, "total_ht")),
        ("invoiced_ht", "chiffre d'affaires 2025", billed(Y25, "total_ht")),
        ("invoiced_ht", "CA HT du mois dernier", billed(OCT, "total_ht")),
        ("invoiced_ht", "ca depuis le debut de l'annee", billed(YTD, "total_ht")),
        ("invoiced_ht", "CA réalisé avec les administrations au S1 2026",
         billed(H1, "total_ht", kind="administration")),
        ("invoiced_ttc", "montant facturé TTC en septembre 2026", billed(SEP)),
        ("invoiced_ttc", "combien on a facturé à Cosider cette année ?", billed(YTD, client=COSIDER)),
        ("count_invoices", "combien de factures émises en octobre ?", billed_count(OCT)),
        ("count_invoices", "nombre de factures de ce mois-ci", billed_count(NOV)),
        ("largest_invoice", "facture la plus élevée de 2026 ?", billed_max(YTD)),
        ("average_invoice", "montant moyen TTC d'une facture au T2 2026", billed_avg(Q2)),
        ("vat", "TVA du mois dernier ?", billed(OCT, "total_tva")),
        ("stamp_duty", "droit de timbre collecté en 2026", stamp(YTD)),
        ("stamp_duty", "nombre de factures avec timbre au S1", stamp(H1, count=True)),
        ("credit_notes", "avoirs émis en 2026 : combien ?", credits(YTD, count=True)),
        ("credit_notes", "montant total des avoirs de 2025", credits(Y25)),
        ("credit_notes", "combien d'avoirs pour l'Université Ferhat Abbas ?",
         credits((OPENING_DATE, T), count=True, client=UFAS)),
        ("change", "évolution du CA entre le T2 et le T3 2026",
         combine("change", billed(Q2, "total_ht"), billed(Q3, "total_ht"))),
        ("difference", "écart de CA entre septembre et octobre 2026",
         combine("difference", billed(SEP, "total_ht"), billed(OCT, "total_ht"))),
        ("change", "de combien a varié la TVA collectée du T2 au T3 2026 (en %) ?",
         combine("change", billed(Q2, "total_tva"), billed(Q3, "total_tva"), percent=True)),
        ("share", "part de Cosider dans le CA 2026",
         share_of(billed(YTD, "total_ht", client=COSIDER), billed(YTD, "total_ht"))),
        ("top_clients", "top 3 clients par CA en 2025", top_clients_billed(Y25, 3)),
        # receipts
        ("receipts", "combien on a encaissé depuis le début du mois ?", receipts(NOV)),
        ("receipts", "encaissements de l'APC de Sétif en 2026", receipts(YTD, client=APC)),
        ("receipts", "combien a payé Batimetal au T3 ?", receipts(Q3, client=BATIMETAL)),
        ("rejected_payments", "chèques rejetés en 2026", rejected(YTD)),
        ("rejected_payments", "montant des chèques impayés depuis le début de l'année",
         rejected(YTD, amount=True)),
        ("largest_receipt", "plus gros encaissement du T3", receipts_max(Q3)),
        # suppliers and expenses
        ("supplier_payments", "combien on a payé à Tosyali cette année ?", spent(YTD, supplier=TOSYALI)),
        ("supplier_payments", "réglements Sonelgaz depuis janvier", spent(YTD, supplier=SONELGAZ)),
        ("expenses_category", "dépenses carburant du T3", spent(Q3, category="carburant")),
        ("expenses_category", "frais de restau en octobre 2026", spent(OCT, category="restaurant")),
        ("expenses_category", "salaires versés au S1 2026", spent(H1, category="salaires")),
        ("expenses_card", "dépenses carte CARD-01 en septembre", spent(SEP, card="CARD-01")),
        ("expenses_card", "combien de dépenses par carte en octobre ?",
         spent(OCT, count=True, method="carte")),
        ("expenses_employee", "combien Nadia Haddad a dépensé en 2026 ?", spent(YTD, employee=NADIA)),
        ("expenses_employee", "notes de frais de Karim Benali le mois dernier",
         spent(OCT, employee=KARIM)),
        ("expenses_method", "dépenses payées en espèces ce mois-ci", spent(NOV, method="especes")),
        ("expenses_method", "total des dépenses réglées par chèque en octobre",
         spent(OCT, method="cheque")),
        ("expenses_receipt", "combien de dépenses sans justificatif en 2026 ?",
         spent(YTD, count=True, receipt="no")),
        ("largest_expense", "plus grosse dépense du mois dernier", spent_max(OCT)),
        ("top_suppliers", "top 3 fournisseurs payés en 2026", top_suppliers(YTD, 3)),
        ("share", "part du carburant dans les dépenses du T3",
         spent_share(Q3, {"category": "carburant"})),
        # bank and cash
        ("bank_balance", "c'est quoi ma tréso aujourd'hui ?", balance(T)),
        ("bank_balance", "combien on a en banque ?", balance(T)),
        ("bank_debits", "débits bancaires d'octobre 2026", bank(OCT, -1)),
        ("bank_credits", "crédits en banque le mois dernier", bank(OCT, +1)),
        ("difference", "variation de la tréso entre fin septembre et fin octobre",
         combine("difference", balance(date(2026, 9, 30)), balance(date(2026, 10, 31)),
                 both_ids=False)),
        ("forecast_status", "est-ce que je vais pouvoir payer les salaires ce mois-ci ?",
         forecast_status()),
        # refused: unknown party, wrong kind, outside the books, impossible or unknown date
        ("unknown", "Combien nous doit Condor Electronics ?", NULL()),
        ("unknown", "créances de la SARL Tiziri Déco", NULL()),
        ("unknown", "combien nous doit Lafarge ?", NULL()),
        ("unknown", "combien d'employés on a ?", NULL()),
        ("unknown", "solde au 31/02/2026", NULL()),
        ("unknown", "retard de la facture F2026-0999 ?", NULL()),
        ("unknown", "c'est combien le prix du rond à béton chez la concurrence en ce moment ?",
         NULL()),
        ("unknown", "encaissements de mars 2025", NULL()),
        ("unknown", "quel sera le cours du dinar l'an prochain ?", NULL()),
    ]
    ar = [
        ("receivables_client", "قداش يسالنا كوسيدار؟", r_sum(client=COSIDER)),
        ("receivables_client", "شحال تسالنا بلدية العلمة؟", r_sum(client=EULMA)),
        ("receivables_client", "ديون شركة الإخوة رحماني للأشغال", r_sum(client=RAHMANI)),
        ("receivables_count", "كم عدد الفواتير غير المسددة لمؤسسة السعيدي للتجارة؟",
         r_count(client=SAIDI)),
        ("receivables_client", "الديون المتأخرة أكثر من 90 يوما على شركة الهضاب العليا",
         r_sum(client=HIDHAB, bucket="over_90")),
        ("receivables_kind", "مجموع الديون المتأخرة على الإدارات العمومية",
         r_sum(kind="administration", bucket="due")),
        ("receivables_bucket", "مجموع الديون اللي فاتت 60 يوم", r_sum(bucket="over_60")),
        ("count_clients", "شحال من زبون ما خلصش في الوقت؟", r_clients(bucket="due")),
        ("days_late", "كم يوم تأخير للفاتورة F2026-0211؟", days_late("F2026-0211")),
        ("avg_days_late", "متوسط أيام التأخير للفواتير المتأخرة", avg_late()),
        ("partial_payments", "شحال من فاتورة مخلصة جزئيا؟", partial()),
        ("top_clients", "أكبر زبون مدين لنا", r_top(1)),
        ("top_clients", "أكبر 3 زبائن من حيث الديون", r_top(3)),
        ("invoiced_ht", "رقم الأعمال في الثلاثي الثاني 2026", billed(Q2, "total_ht")),
        ("invoiced_ht", "رقم الأعمال لشهر أوت 2026", billed(AUG, "total_ht")),
        ("invoiced_ttc", "المبلغ المفوتر بكل الرسوم (TTC) في شهر ماي 2026",
         billed(month(2026, 5))),
        ("vat", "الرسم على القيمة المضافة المحصل في الثلاثي الثالث 2026", billed(Q3, "total_tva")),
        ("vat", "الرسم على القيمة المضافة لشهر جوان 2026", billed(JUN, "total_tva")),
        ("stamp_duty", "حقوق الطابع المحصلة في 2025", stamp(Y25)),
        ("count_invoices", "كم فاتورة أصدرنا في شهر سبتمبر 2026؟", billed_count(SEP)),
        ("count_invoices", "كم فاتورة درنا لبلدية العلمة هذا العام؟", billed_count(YTD, client=EULMA)),
        ("largest_invoice", "أكبر فاتورة في الثلاثي الثالث 2026", billed_max(Q3)),
        ("credit_notes", "كم عدد فواتير التخفيض (avoirs) في 2025؟", credits(Y25, count=True)),
        ("receipts", "التحصيلات في شهر أكتوبر 2026", receipts(OCT)),
        ("receipts", "شحال دخلنا نقدا (كاش) هذا العام؟", receipts(YTD, method="especes")),
        ("receipts", "المبالغ المحصلة من مؤسسة بن عمارة للبناء في 2026",
         receipts(YTD, client=BENAMARA)),
        ("supplier_payments", "شحال خلصنا لجيكا الشهر الماضي؟", spent(OCT, supplier=GICA)),
        ("expenses_category", "مصاريف الوقود في شهر أكتوبر 2026", spent(OCT, category="carburant")),
        ("expenses_category", "مصاريف الصيانة في 2026", spent(YTD, category="maintenance")),
        ("expenses_card", "مصاريف البطاقة CARD-02 في أكتوبر", spent(OCT, card="CARD-02")),
        ("expenses_employee", "شحال صرف سفيان مرابط هذا الشهر؟", spent(NOV, employee=SOFIANE)),
        ("expenses_method", "المصاريف المدفوعة نقدا في أكتوبر 2026", spent(OCT, method="especes")),
        ("largest_expense", "أكبر مصروف في 2026", spent_max(YTD)),
        ("bank_balance", "رصيد البنك في نهاية 2025", balance(date(2025, 12, 31))),
        ("bank_balance", "شحال عندنا في البنك اليوم؟", balance(T)),
        ("bank_debits", "مجموع المبالغ المدينة في البنك لشهر أوت 2026", bank(AUG, -1)),
        ("bank_credits", "مجموع المبالغ الدائنة في البنك لشهر سبتمبر 2026", bank(SEP, +1)),
        ("difference", "الفرق في التحصيلات بين سبتمبر وأكتوبر 2026",
         combine("difference", receipts(SEP), receipts(OCT))),
        ("share", "نسبة الإدارات من رقم الأعمال 2026",
         share_of(billed(YTD, "total_ht", kind="administration"), billed(YTD, "total_ht"))),
        ("forecast_status", "واش نقدرو نخلصو الشهرية هذا الشهر؟", forecast_status()),
        ("unknown", "شحال يسالنا سيفيتال؟", NULL()),
        ("unknown", "كم عدد العمال في الشركة؟", NULL()),
        ("unknown", "ما هو الطقس في سطيف غدا؟", NULL()),
        ("unknown", "شحال تسالنا توسيالي؟", NULL()),
        ("unknown", "رصيد البنك يوم 30 فيفري 2026", NULL()),
    ]
    en = [
        ("receivables_client", "How much does ENGOA owe us?", r_sum(client=ENGOA)),
        ("receivables_client", "outstanding balance of Ferhat Abbas University", r_sum(client=UFAS)),
        ("receivables_kind", "total receivables from public bodies", r_sum(kind="administration")),
        ("receivables_kind", "overdue amount from key accounts (grands comptes)",
         r_sum(kind="grand_compte", bucket="due")),
        ("receivables_kind", "SME receivables 31-60 days past due", r_sum(kind="pme", bucket="31_60")),
        ("count_clients", "How many clients have invoices more than 90 days overdue?",
         r_clients(bucket="over_90")),
        ("count_clients", "how many public bodies owe us money", r_clients(kind="administration")),
        ("receivables_count", "how many unpaid invoices does Bouzid have?", r_count(client=BOUZID)),
        ("days_late", "Days overdue on invoice F2026-0159?", days_late("F2026-0159")),
        ("avg_days_late", "amount-weighted average days late for public bodies",
         avg_late(weighted=True, kind="administration")),
        ("last_payment", "When did Batimetal last pay us?", last_payment(BATIMETAL)),
        ("days_since_payment", "How many days since ETRHB's last payment?",
         last_payment(ETRHB, days=True)),
        ("top_clients", "top 10 debtors", r_top(10)),
        ("share", "What share of overdue receivables is owed by key accounts?",
         r_share({"kind": "grand_compte", "bucket": "due"}, {"bucket": "due"})),
        ("partial_payments", "How many of Cosider's invoices are partially paid?",
         partial(client=COSIDER)),
        ("partial_payments", "remaining balance on partially paid SME invoices",
         partial(amount=True, kind="pme")),
        ("invoiced_ht", "Revenue in Q1 2026", billed(Q1, "total_ht")),
        ("invoiced_ht", "revenue H2 2025", billed(H2_25, "total_ht")),
        ("invoiced_ht", "turnover last month excl. VAT", billed(OCT, "total_ht")),
        ("invoiced_ttc", "total invoiced incl. VAT in Q3 2025", billed(Q3_25)),
        ("invoiced_ttc", "How much did we invoice ENGOA this year?", billed(YTD, client=ENGOA)),
        ("count_invoices", "number of invoices issued in Q3", billed_count(Q3)),
        ("largest_invoice", "largest invoice of Q4 2025", billed_max(Q4_25)),
        ("average_invoice", "average invoice amount excl. VAT in October 2026",
         billed_avg(OCT, "total_ht")),
        ("vat", "VAT collected in Q2 2026", billed(Q2, "total_tva")),
        ("stamp_duty", "stamp duty collected last month", stamp(OCT)),
        ("credit_notes", "total amount of credit notes in 2026", credits(YTD)),
        ("receipts", "receipts from OPGI in 2026", receipts(YTD, client=OPGI)),
        ("receipts", "client receipts in Q3 2026", receipts(Q3)),
        ("receipts", "How much came in by bank transfer from clients in October?",
         receipts(OCT, method="virement")),
        ("supplier_payments", "How much did we pay Lafarge in 2026?", spent(YTD, supplier=LAFARGE)),
        ("supplier_payments", "payments to Transports Zerrouki last quarter",
         spent(Q3, supplier=ZERROUKI)),
        ("expenses_category", "rent expenses this year", spent(YTD, category="loyer")),
        ("expenses_card", "fuel expenses paid by card in Q3", spent(Q3, category="carburant",
                                                                    method="carte")),
        ("expenses_receipt", "how many expenses without a receipt in October?",
         spent(OCT, count=True, receipt="no")),
        ("largest_expense", "biggest expense in Q3", spent_max(Q3)),
        ("bank_balance", "bank balance on 31 March 2026", balance(date(2026, 3, 31))),
        ("bank_balance", "what was our cash position at the end of last month?",
         balance(date(2026, 10, 31))),
        ("bank_debits", "bank debits in November so far", bank(NOV, -1)),
        ("change", "How much did revenue change from Q3 2025 to Q3 2026, in percent?",
         combine("change", billed(Q3_25, "total_ht"), billed(Q3, "total_ht"), percent=True)),
        ("unknown", "How much does Sonelgaz owe us?", NULL()),
        ("unknown", "What's the balance of client Sahara Ceramics?", NULL()),
        ("unknown", "Who will win the next election?", NULL()),
        ("unknown", "How many invoices did we issue in March 2025?", NULL()),
        ("unknown", "What was the bank balance on 2027-01-15?", NULL()),
    ]
    return [("fr",) + q for q in fr] + [("ar",) + q for q in ar] + [("en",) + q for q in en]


# --- the split -------------------------------------------------------------------------------
def scalar(v) -> str:
    if v is None:
        return "null"
    if isinstance(v, int):
        return str(v)
    return "'" + str(v) + "'"


def main() -> int:
    qs = questions()
    seen = set()
    lines = [
        "dataset: assistant",
        "ledger:",
        "  bundle: evals/heldout/bundle12",
        f"  as_of: '{AS_OF.isoformat()}'",
        "note: held-out split 12 (writer s31e), books of evals/heldout/books12.py (a building-materials",
        "  distributor in Setif); expected values computed from the bundle's CSVs by",
        "  evals/heldout/assistant_truth12.py (standard library only), not by Khazna's tools",
        "cases:",
    ]
    for lang, kind, question, a in qs:
        assert question not in seen, question
        seen.add(question)
        assert (a["value"] is None) == (kind == "unknown") or a["items"], question
        lines.append("- question: " + json.dumps(question, ensure_ascii=False))
        lines.append(f"  language: {lang}")
        lines.append(f"  kind: {kind}")
        lines.append(f"  value: {scalar(a['value'])}")
        if a["items"]:
            lines.append("  items:")
            lines.extend(f"  - {i}" for i in a["items"])
        else:
            lines.append("  items: []")
        lines.append(f"  ordered: {'true' if a['ordered'] else 'false'}")
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    by = {}
    for lang, kind, _, a in qs:
        by.setdefault(lang, [0, 0])
        by[lang][0] += 1
        by[lang][1] += a["value"] is None
    print(f"{OUT}: {len(qs)} questions; per language (all, refused): {by}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
