#!/usr/bin/env python3
"""Truth for held-out split 4 of the accountant's assistant (issue 10).

Standalone, standard library only (csv, decimal, datetime, json, sys). It reads a
bundle folder (spec/bundle.md) and prints evals/datasets/assistant_heldout4.yaml on
stdout. It was written from spec/bundle.md, spec/cli.md and the demo CSV files only,
without reading Khazna's parser, executor, tools or other datasets.

    KHAZNA_HOME=/tmp/s27i/home .venv/bin/khazna demo --seed 53 --as-of 2026-06-30 \
        --db sqlite:////tmp/s27i/demo53.db --dir /tmp/s27i/bundle53 --json
    python3 evals/heldout/assistant_truth4.py /tmp/s27i/bundle53 > evals/datasets/assistant_heldout4.yaml

Conventions (as-of day AS_OF = 2026-06-30 unless a question names another day)
- Money is Decimal, printed with two decimals as a string ('1234.50'). Counts and
  numbers of days are integer strings ('12'). Shares, averages and percentage changes
  are rounded half-up to 0.01. A date answer is an ISO string 'YYYY-MM-DD'.
- Invoices: status `cancelled` is ignored everywhere. A credit note (negative total,
  `credited_invoice` set) is part of "invoiced" sums (CA, TTC, TVA, timbre are net of
  avoirs, SCF) and reduces the open amount of the invoice it credits; it is never counted
  as an invoice in a count ("nombre de factures" counts positive issued invoices).
- Periods are inclusive calendar ranges on the document's own date (invoice issue_date,
  payment date, expense date, bank line date). T1..T4 / Q1..Q4 are calendar quarters,
  S1/S2 half-years. "ce mois-ci" = June 2026, "le mois dernier" = May 2026, "cette
  année" / "depuis le début de l'année" = 2026-01-01..AS_OF, "l'an dernier" = 2025.
- "chiffre d'affaires" / "CA" / "turnover" / "revenue" = total_ht (HT) unless TTC is said;
  "facturé" / "billed" without HT/TTC = total_ttc. VAT = total_tva collected on invoices
  (the books hold no deductible VAT). Stamp duty = `timbre`.
- Open amount of an invoice on day D (spec/cli.md aging): total_ttc minus cleared payments
  dated <= D allocated to it (several invoices in one payment: oldest issue first, each
  up to its remaining amount) minus credit notes issued <= D against it; only invoices
  issued <= D. Rejected payments count for nothing. Receivables = sum of open amounts > 0.
- Overdue = due_date < D and open > 0; not yet due = due_date >= D and open > 0. Days late
  = (D - due_date) in calendar days. Buckets 1_30, 31_60, 61_90, over_90 on days late.
  Average days late = plain mean over the overdue invoices; weighted = sum(open*days)/
  sum(open).
- Receipts (encaissements) = cleared payments.csv rows in the period (by client / method
  when asked). Unallocated = cleared payments with an empty invoice_number.
- Expenses / supplier payments = expenses.csv rows (by supplier_id for a named supplier,
  by payee for a payee with no supplier id, by category, method, employee, card_id).
- Bank credits / debits of a period = sum of the positive / of the absolute value of the
  negative bank_lines amounts. Balance at the end of day D = company.json opening_balance
  + signed bank lines dated <= D (items empty); undefined (null) before opening_date.
- Days since last payment = AS_OF - date of the client's last cleared payment.
- Difference = first measure named minus second; change between two periods = later
  minus earlier (percentage: 100*(later-earlier)/earlier when a percentage is asked);
  share = 100*part/whole.
- Ranking (top N): value = the top entry's amount (the sum of the N when the question asks
  for it); items = the N ids in rank order (ordered: true).
- items = the ids the figure rests on: invoice numbers, payment ids, expense ids, bank
  line ids, or client ids for a count of clients; for a share, the part's ids; for a
  difference / change, the ids of both sides. Lists are sorted unless ordered.
- Null (value: null, items: []): unknown client / supplier / card, a period before the
  books (no invoice before 2024-10-01, no bank line before 2025-01-01) or after AS_OF, or
  something the books do not hold (deductible VAT, stock, payables, profit...).
"""
import csv
import json
import sys
from datetime import date, timedelta
from decimal import Decimal, ROUND_HALF_UP

AS_OF = date(2026, 6, 30)
C2 = Decimal("0.01")


def d(s):
    return date.fromisoformat(s)


def q2(x):
    return Decimal(x).quantize(C2, rounding=ROUND_HALF_UP)


def money(x):
    return str(q2(x))


def load(folder):
    def rd(name):
        with open(f"{folder}/{name}", encoding="utf-8-sig", newline="") as f:
            return list(csv.DictReader(f))
    with open(f"{folder}/company.json", encoding="utf-8") as f:
        company = json.load(f)
    return {
        "company": company,
        "clients": {c["client_id"]: c for c in rd("clients.csv")},
        "suppliers": {s["supplier_id"]: s for s in rd("suppliers.csv")},
        "invoices": [i for i in rd("invoices.csv") if i["status"] != "cancelled"],
        "payments": [p for p in rd("payments.csv") if (p["status"] or "cleared") == "cleared"],
        "expenses": rd("expenses.csv"),
        "bank": rd("bank_lines.csv"),
    }


B = None  # the bundle, set in main()


# ---------------------------------------------------------------- periods
def month(y, m):
    start = date(y, m, 1)
    end = date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1)
    return (start, end)


def quarter(y, n):
    return (month(y, 3 * n - 2)[0], month(y, 3 * n)[1])


def half(y, n):
    return (month(y, 6 * n - 5)[0], month(y, 6 * n)[1])


def year(y):
    return (date(y, 1, 1), date(y, 12, 31))


def span(a, b):
    return (d(a), d(b))


YTD = (date(2026, 1, 1), AS_OF)


def inside(s, p):
    return p is None or p[0] <= d(s) <= p[1]


# ---------------------------------------------------------------- receivables
def invoice(n):
    for i in B["invoices"]:
        if i["number"] == n:
            return i
    raise KeyError(n)


def open_amounts(on=AS_OF):
    """number -> open amount (> 0) at the end of day `on`."""
    invs = {i["number"]: i for i in B["invoices"] if d(i["issue_date"]) <= on}
    rem = {n: Decimal(i["total_ttc"]) for n, i in invs.items() if Decimal(i["total_ttc"]) > 0}
    paid = {n: Decimal(0) for n in rem}
    for i in invs.values():
        if i["credited_invoice"] and i["credited_invoice"] in rem:
            rem[i["credited_invoice"]] += Decimal(i["total_ttc"])
    pays = sorted((p for p in B["payments"] if d(p["date"]) <= on),
                  key=lambda p: (p["date"], p["payment_id"]))
    for p in pays:
        a = Decimal(p["amount"])
        ns = [x.strip() for x in p["invoice_number"].split(";") if x.strip() in rem]
        ns.sort(key=lambda n: (invs[n]["issue_date"], n))
        for n in ns:
            t = min(a, rem[n])
            rem[n] -= t
            paid[n] += t
            a -= t
    open_amounts.paid = paid
    return {n: r for n, r in rem.items() if r > 0}


def days_late(n, on=AS_OF):
    return (on - d(invoice(n)["due_date"])).days


def bucket(days):
    if days <= 0:
        return "not_due"
    if days <= 30:
        return "1_30"
    if days <= 60:
        return "31_60"
    if days <= 90:
        return "61_90"
    return "over_90"


def recv(client=None, kind=None, overdue=None, bucket_=None, on=AS_OF, min_days=None):
    """Open invoices matching the filters: dict number -> open."""
    out = {}
    for n, r in open_amounts(on).items():
        i = invoice(n)
        if client and i["client_id"] not in as_list(client):
            continue
        if kind and B["clients"][i["client_id"]]["kind"] != kind:
            continue
        late = days_late(n, on)
        if overdue is True and late <= 0:
            continue
        if overdue is False and late > 0:
            continue
        if bucket_ and bucket(late) not in as_list(bucket_):
            continue
        if min_days is not None and late <= min_days:
            continue
        out[n] = r
    return out


def as_list(x):
    return x if isinstance(x, (list, tuple, set)) else [x]


def S(m):
    """(sum, ids) of a dict id -> amount."""
    return sum(m.values(), Decimal(0)), sorted(m)


# ---------------------------------------------------------------- invoicing
def invs(period=None, client=None, kind=None, method=None, credit=None):
    out = []
    for i in B["invoices"]:
        if not inside(i["issue_date"], period):
            continue
        if client and i["client_id"] not in as_list(client):
            continue
        if kind and B["clients"][i["client_id"]]["kind"] != kind:
            continue
        if method and i["payment_method"] != method:
            continue
        is_credit = Decimal(i["total_ttc"]) < 0
        if credit is True and not is_credit:
            continue
        if credit is False and is_credit:
            continue
        out.append(i)
    return out


def fsum(rows, field):
    return sum((Decimal(r[field]) for r in rows), Decimal(0))


def billed(field, **kw):
    rows = invs(**kw)
    if field == "timbre":
        rows = [r for r in rows if Decimal(r["timbre"]) != 0]
    return fsum(rows, field), sorted(r["number"] for r in rows)


def count_invoices(**kw):
    rows = invs(credit=False, **kw)
    return len(rows), sorted(r["number"] for r in rows)


# ---------------------------------------------------------------- receipts
def pays(period=None, client=None, method=None, unallocated=None, kind=None):
    out = []
    if kind:
        client = [c for c, r in B["clients"].items() if r["kind"] == kind]
    for p in B["payments"]:
        if not inside(p["date"], period):
            continue
        if client and p["client_id"] not in as_list(client):
            continue
        if method and p["method"] != method:
            continue
        if unallocated is True and p["invoice_number"].strip():
            continue
        out.append(p)
    return out


def received(**kw):
    rows = pays(**kw)
    return fsum(rows, "amount"), sorted(r["payment_id"] for r in rows)


def last_payment(client):
    rows = pays(client=client)
    last = max(r["date"] for r in rows)
    return last, sorted(r["payment_id"] for r in rows if r["date"] == last)


# ---------------------------------------------------------------- expenses
def exps(period=None, category=None, supplier=None, payee=None, method=None,
         employee=None, card=None, receipt=None):
    out = []
    for e in B["expenses"]:
        if not inside(e["date"], period):
            continue
        if category and e["category"] not in as_list(category):
            continue
        if supplier and e["supplier_id"] != supplier:
            continue
        if payee and e["payee"] != payee:
            continue
        if method and e["method"] != method:
            continue
        if employee and e["employee"] != employee:
            continue
        if card and e["card_id"] != card:
            continue
        if receipt and e["receipt"] != receipt:
            continue
        out.append(e)
    return out


def spent(**kw):
    rows = exps(**kw)
    return fsum(rows, "amount"), sorted(r["expense_id"] for r in rows)


# ---------------------------------------------------------------- bank
def bank(period, sign):
    rows = [b for b in B["bank"] if inside(b["date"], period)
            and (Decimal(b["amount"]) > 0 if sign > 0 else Decimal(b["amount"]) < 0)]
    return abs(fsum(rows, "amount")), sorted(r["line_id"] for r in rows)


def balance(day):
    day = d(day) if isinstance(day, str) else day
    if day < d(B["company"]["opening_date"]):
        return None
    return (Decimal(str(B["company"]["opening_balance"]))
            + sum((Decimal(b["amount"]) for b in B["bank"] if d(b["date"]) <= day), Decimal(0)))


# ---------------------------------------------------------------- combinators
def pct(part, whole):
    return q2(Decimal(100) * part / whole)


def top(groups, n):
    """groups: key -> (amount, ids). Returns (top amount, keys in order, sum of n)."""
    ranked = sorted(groups.items(), key=lambda kv: (-kv[1][0], kv[0]))[:n]
    return ranked[0][1][0], [k for k, _ in ranked], sum((v[0] for _, v in ranked), Decimal(0))


def by_client(m):
    g = {}
    for n, r in m.items():
        c = invoice(n)["client_id"]
        a, ids = g.get(c, (Decimal(0), []))
        g[c] = (a + r, ids + [n])
    return g


CASES = []


def case(lang, kind, question, definition, value, items=(), ordered=False):
    if value is None:
        v = None
    elif isinstance(value, bool):
        raise TypeError
    elif isinstance(value, int):
        v = str(value)
    elif isinstance(value, Decimal):
        v = money(value)
    else:
        v = str(value)
    items = list(items) if ordered else sorted(set(items))
    CASES.append({"question": question, "language": lang, "kind": kind, "value": v,
                  "items": items, "ordered": ordered, "definition": definition})


def null(lang, question, definition):
    case(lang, "null", question, definition, None)





# ---------------------------------------------------------------- the questions
def avg(total, n):
    return q2(total / n)


def late_list(m, on=AS_OF):
    return [days_late(n, on) for n in m]


def weighted(m, on=AS_OF):
    return q2(sum((r * days_late(n, on) for n, r in m.items()), Decimal(0))
              / sum(m.values(), Decimal(0)))


def clients_of(m):
    return sorted({invoice(n)["client_id"] for n in m})


def biggest(rows, field, key):
    r = max(rows, key=lambda r: (Decimal(r[field]), r[key]))
    return Decimal(r[field]), [r[key]]


def group(rows, keyf, field, idf):
    g = {}
    for r in rows:
        k = keyf(r)
        a, ids = g.get(k, (Decimal(0), []))
        g[k] = (a + Decimal(r[field]), ids + [r[idf]])
    return g


def diff(a, b):
    return a[0] - b[0], a[1] + b[1]


def share(part, whole):
    return pct(part[0], whole[0]), part[1]


def build_fr():
    fr = lambda *a, **k: case("fr", *a, **k)
    M, Q, H, Y = month, quarter, half, year
    # open receivables
    fr("open_receivables", "Au total, combien nos clients nous doivent-ils à ce jour ?",
       "open receivables, all clients, on 2026-06-30", *S(recv()))
    fr("open_receivables", "Quel est l'encours de COSIDAR en ce moment ?",
       "open receivables of C04 on 2026-06-30", *S(recv(client="C04")))
    fr("open_receivables", "combien nous doit encore sonarep",
       "open receivables of C01 on 2026-06-30", *S(recv(client="C01")))
    fr("open_receivables", "Montant restant dû par l'EPH de Rouiba ?",
       "open receivables of C17 on 2026-06-30", *S(recv(client="C17")))
    fr("open_receivables", "Encours des administrations publiques au 30 juin",
       "open receivables, clients of kind administration, on 2026-06-30", *S(recv(kind="administration")))
    fr("open_receivables", "Nos créances sur les PME, échues ou pas, ça fait combien ?",
       "open receivables, kind pme, on 2026-06-30", *S(recv(kind="pme")))
    fr("open_receivables", "Le total des créances clients au 31/03/2026, c'était combien ?",
       "open receivables, all clients, at the end of 2026-03-31", *S(recv(on=date(2026, 3, 31))))
    fr("open_receivables", "Encours clients à fin 2025 ?",
       "open receivables, all clients, at the end of 2025-12-31", *S(recv(on=date(2025, 12, 31))))
    fr("open_receivables", "Solde client Tassili Ingenierie stp",
       "open receivables of C08 (no accent) on 2026-06-30", *S(recv(client="C08")))
    fr("open_receivables", "Que nous doit la Direction de l'education d'Alger ?",
       "open receivables of C15 on 2026-06-30", *S(recv(client="C15")))
    # overdue / not yet due
    fr("overdue", "Total des factures échues et pas encore payées ?",
       "overdue receivables (due before 2026-06-30, open), all clients", *S(recv(overdue=True)))
    fr("overdue", "Combien d'argent les administrations nous doivent en retard ?",
       "overdue receivables, kind administration", *S(recv(overdue=True, kind="administration")))
    fr("overdue", "Impayés échus de Cosidar ?",
       "overdue receivables of C04", *S(recv(overdue=True, client="C04")))
    fr("not_due", "Et les créances qui ne sont pas encore arrivées à échéance ?",
       "open receivables not yet due (due on or after 2026-06-30)", *S(recv(overdue=False)))
    fr("count_invoices_overdue", "Combien de factures sont en retard de paiement ?",
       "count of open invoices past due on 2026-06-30",
       len(recv(overdue=True)), recv(overdue=True))
    fr("count_clients_overdue", "Combien de clients différents ont au moins une facture échue ?",
       "count of distinct clients with an overdue invoice",
       len(clients_of(recv(overdue=True))), clients_of(recv(overdue=True)))
    fr("count_clients_open", "Nombre de clients qui ont encore quelque chose à nous payer",
       "count of distinct clients with an open invoice (due or not)",
       len(clients_of(recv())), clients_of(recv()))
    # aging buckets
    fr("aging_bucket", "Créances échues de 1 à 30 jours ?",
       "open receivables 1 to 30 days past due", *S(recv(bucket_="1_30")))
    fr("aging_bucket", "balance agee, tranche 31-60 j : combien ?",
       "open receivables 31 to 60 days past due", *S(recv(bucket_="31_60")))
    fr("aging_bucket", "Qu'est-ce qui traîne depuis plus de 90 jours ?",
       "open receivables more than 90 days past due", *S(recv(bucket_="over_90")))
    fr("aging_bucket", "Montant échu de 61 à 90 jours chez les PME",
       "open receivables 61-90 days past due, kind pme", *S(recv(bucket_="61_90", kind="pme")))
    fr("aging_bucket", "Les créances à plus de 60 jours de retard, au total ?",
       "open receivables more than 60 days past due (61_90 + over_90)", *S(recv(min_days=60)))
    fr("aging_bucket", "Combien de factures dans la tranche 61 à 90 jours ?",
       "count of open invoices 61-90 days past due",
       len(recv(bucket_="61_90")), recv(bucket_="61_90"))
    fr("share", "Quelle part de l'échu a plus de 60 jours ? en %",
       "100 * receivables >60 days late / overdue receivables",
       *share(S(recv(min_days=60)), S(recv(overdue=True))))
    fr("aging_bucket", "Créances de l'APC Bab Ezzouar en retard de 31 à 60 jours",
       "open receivables of C14, 31-60 days past due", *S(recv(client="C14", bucket_="31_60")))
    # days late
    fr("days_late", "La facture F2026-0072 a combien de jours de retard ?",
       "days between due date and 2026-06-30 for F2026-0072", days_late("F2026-0072"), ["F2026-0072"])
    od = recv(overdue=True)
    fr("avg_days_late", "En moyenne, nos factures échues ont combien de jours de retard ?",
       "plain mean of days late over overdue open invoices",
       avg(Decimal(sum(late_list(od))), len(od)), od)
    fr("weighted_days_late", "Retard moyen pondéré par les montants des créances échues ?",
       "sum(open*days late)/sum(open) over overdue invoices", weighted(od), od)
    oldest = max(od, key=lambda n: (days_late(n), n))
    fr("max_days_late", "Quelle facture a le plus gros retard, et de combien de jours ?",
       "max days late among overdue open invoices", days_late(oldest), [oldest])
    c14 = recv(overdue=True, client="C14")
    fr("avg_days_late", "Retard moyen des factures échues de l'APC de Bab Ezzouar",
       "mean days late over C14's overdue invoices", avg(Decimal(sum(late_list(c14))), len(c14)), c14)
    # invoicing
    fr("invoiced_ht", "Quel CA avons-nous fait en avril 2026 ?",
       "sum total_ht of invoices issued 2026-04", *billed("total_ht", period=M(2026, 4)))
    fr("invoiced_ht", "Chiffre d'affaires HT du T1 2026",
       "sum total_ht, issued 2026-01-01..2026-03-31", *billed("total_ht", period=Q(2026, 1)))
    fr("invoiced_ttc", "Combien a-t-on facturé en mars 2026 ?",
       "sum total_ttc, issued 2026-03", *billed("total_ttc", period=M(2026, 3)))
    fr("invoiced_ht", "CA du 1er semestre 2026",
       "sum total_ht, issued 2026-01-01..2026-06-30", *billed("total_ht", period=H(2026, 1)))
    fr("invoiced_ht", "Chiffre d'affaires 2025 hors taxes, avoirs déduits",
       "sum total_ht, issued in 2025, credit note included", *billed("total_ht", period=Y(2025)))
    fr("invoiced_ttc", "Total facturé TTC à Sonelec sur l'année 2025 ?",
       "sum total_ttc of C02's invoices issued in 2025", *billed("total_ttc", period=Y(2025), client="C02"))
    fr("invoiced_ht", "CA réalisé avec les administrations au T2 2026 (HT)",
       "sum total_ht, kind administration, issued Q2 2026", *billed("total_ht", period=Q(2026, 2), kind="administration"))
    fr("invoiced_ttc", "Combien avons-nous facturé TTC depuis le début de l'année ?",
       "sum total_ttc, issued 2026-01-01..2026-06-30", *billed("total_ttc", period=YTD))
    fr("invoiced_ht", "C'était quoi le CA le mois dernier ?",
       "sum total_ht, issued 2026-05 (last month)", *billed("total_ht", period=M(2026, 5)))
    fr("invoiced_ht", "Montant HT facturé à Ibn Sina Medical au S2 2025",
       "sum total_ht of C05, issued 2025-07-01..2025-12-31", *billed("total_ht", period=H(2025, 2), client="C05"))
    fr("invoiced_ttc", "Qu'est-ce qu'on a facturé aux particuliers en 2026 (TTC) ?",
       "sum total_ttc, kind particulier, issued 2026", *billed("total_ttc", period=YTD, kind="particulier"))
    fr("count_invoices", "Combien de factures avons-nous émises en juin 2026 ?",
       "count of invoices issued 2026-06 (credit notes excluded)", *count_invoices(period=M(2026, 6)))
    fr("count_invoices", "combien de factures pour hodna plast en 2025",
       "count of C10's invoices issued in 2025", *count_invoices(period=Y(2025), client="C10"))
    t, ids = billed("total_ttc", period=Q(2026, 1))
    fr("avg_invoice", "Montant moyen d'une facture TTC au premier trimestre 2026 ?",
       "sum total_ttc / count of invoices issued Q1 2026", avg(t, len(ids)), ids)
    fr("max_invoice", "Plus grosse facture émise en 2025 ?",
       "max total_ttc of invoices issued in 2025", *biggest(invs(period=Y(2025)), "total_ttc", "number"))
    fr("max_invoice", "La facture la plus élevée de cette année, c'est combien TTC ?",
       "max total_ttc, issued 2026-01-01..2026-06-30", *biggest(invs(period=YTD), "total_ttc", "number"))
    fr("invoiced_ttc", "Montant TTC des factures payables en espèces émises au T1 2026",
       "sum total_ttc, payment_method especes, issued Q1 2026", *billed("total_ttc", period=Q(2026, 1), method="especes"))
    # VAT, stamp duty, credit notes
    fr("vat", "TVA collectée au T1 2026",
       "sum total_tva, issued Q1 2026", *billed("total_tva", period=Q(2026, 1)))
    fr("vat", "Quelle TVA on a facturée au 4e trimestre 2025 ?",
       "sum total_tva, issued Q4 2025 (credit note included)", *billed("total_tva", period=Q(2025, 4)))
    fr("stamp_duty", "Droit de timbre encaissé sur les factures de 2025",
       "sum timbre, invoices issued in 2025", *billed("timbre", period=Y(2025)))
    fr("stamp_duty", "Timbre fiscal du T2 2026 ?",
       "sum timbre, invoices issued Q2 2026", *billed("timbre", period=Q(2026, 2)))
    cn = invs(credit=True)
    fr("credit_notes", "Total des avoirs émis en 2025 (en valeur absolue)",
       "absolute sum of credit-note total_ttc issued in 2025",
       abs(fsum(invs(period=Y(2025), credit=True), "total_ttc")), [r["number"] for r in invs(period=Y(2025), credit=True)])
    fr("count_credit_notes", "Combien d'avoirs a-t-on établis depuis le début des livres ?",
       "count of credit notes (negative invoices), all dates", len(cn), [r["number"] for r in cn])
    # receipts
    fr("receipts", "Encaissements clients de mai 2026 ?",
       "sum of cleared payments dated 2026-05", *received(period=M(2026, 5)))
    fr("receipts", "Combien a-t-on encaissé depuis le 1er janvier ?",
       "sum of cleared payments 2026-01-01..2026-06-30", *received(period=YTD))
    fr("receipts", "Qu'est-ce que Djazair Mobile nous a versé au T1 2026 ?",
       "cleared payments of C03 dated Q1 2026", *received(period=Q(2026, 1), client="C03"))
    fr("receipts", "Encaissements en espèces du T2 2026",
       "cleared payments with method especes, Q2 2026", *received(period=Q(2026, 2), method="especes"))
    r = pays(period=M(2026, 6))
    fr("count_receipts", "Combien de règlements clients avons-nous reçus en juin ?",
       "count of cleared payments dated 2026-06", len(r), [x["payment_id"] for x in r])
    fr("unallocated_receipts", "Montant des paiements reçus non affectés à une facture ?",
       "sum of cleared payments with empty invoice_number", *received(unallocated=True))
    r = pays(unallocated=True)
    fr("last_payment_date", "Date du dernier paiement de l'EPH Rouiba ?",
       "date of C17's last cleared payment", *last_payment("C17"))
    lp, ids = last_payment("C12")
    fr("days_since_payment", "Ça fait combien de jours que Ennour Bâtiment n'a rien payé ?",
       "2026-06-30 minus the date of C12's last cleared payment", (AS_OF - d(lp)).days, ids)
    lp, ids = last_payment("C10")
    fr("days_since_payment", "Hodna Plast n'a pas payé depuis combien de jours ?",
       "2026-06-30 minus C10's last cleared payment date", (AS_OF - d(lp)).days, ids)
    fr("last_payment_date", "Quand est-ce qu'Amine Immobilier a réglé pour la dernière fois ?",
       "date of C13's last cleared payment", *last_payment("C13"))
    fr("max_receipt", "Le plus gros encaissement reçu cette année ?",
       "max cleared payment amount dated 2026", *biggest(pays(period=YTD), "amount", "payment_id"))
    # expenses
    fr("expenses", "Combien on a dépensé en carburant au T1 2026 ?",
       "expenses category carburant, Q1 2026", *spent(period=Q(2026, 1), category="carburant"))
    fr("expenses", "Dépenses resto en mai 2026",
       "expenses category restaurant, 2026-05", *spent(period=M(2026, 5), category="restaurant"))
    fr("supplier_payments", "Total payé à Sonelgaz en 2025",
       "expenses of supplier S02 in 2025", *spent(period=Y(2025), supplier="S02"))
    fr("supplier_payments", "Combien avons-nous réglé à Codelink l'an dernier ?",
       "expenses of supplier S07 in 2025", *spent(period=Y(2025), supplier="S07"))
    fr("expenses", "Frais engagés par K. Benali en 2026",
       "expenses with employee K. Benali, 2026", *spent(period=YTD, employee="K. Benali"))
    fr("expenses", "Dépenses passées sur la carte CARD-01 en juin 2026",
       "expenses with card_id CARD-01, 2026-06", *spent(period=M(2026, 6), card="CARD-01"))
    fr("expenses", "Total des dépenses payées en espèces au T2 2026",
       "expenses with method especes, Q2 2026", *spent(period=Q(2026, 2), method="especes"))
    fr("expenses", "Dépenses sans justificatif cette année : combien ?",
       "expenses with receipt no, 2026-01-01..2026-06-30", *spent(period=YTD, receipt="no"))
    fr("max_expense", "Plus grosse dépense de 2025 ?",
       "max expense amount in 2025", *biggest(exps(period=Y(2025)), "amount", "expense_id"))
    fr("max_expense", "Quel a été le plus gros plein de carburant ?",
       "max expense amount, category carburant, all dates", *biggest(exps(category="carburant"), "amount", "expense_id"))
    fr("expenses", "Dépenses telecom du S1 2026",
       "expenses category telecom, 2026-01-01..2026-06-30", *spent(period=H(2026, 1), category="telecom"))
    fr("expenses", "Combien nous a coûté Naftal Hydra en 2026 ?",
       "expenses with payee 'Naftal station Hydra', 2026", *spent(period=YTD, payee="Naftal station Hydra"))
    r = [e for e in exps(period=YTD, category="restaurant") if Decimal(e["amount"]) > 15000]
    fr("count_expenses", "Combien de notes de restaurant au-dessus de 15 000 DA en 2026 ?",
       "count of restaurant expenses with amount > 15000, 2026", len(r), [e["expense_id"] for e in r])
    r = exps(period=M(2026, 5))
    # bank
    fr("bank_debits", "Total des débits bancaires en mars 2026",
       "sum |amount| of negative bank lines dated 2026-03", *bank(M(2026, 3), -1))
    fr("bank_credits", "Crédits en banque d'avril 2026 ?",
       "sum of positive bank lines dated 2026-04", *bank(M(2026, 4), +1))
    fr("balance", "Solde bancaire au 31/12/2025 ?",
       "opening balance + bank lines dated <= 2025-12-31", balance("2025-12-31"))
    fr("balance", "c'est quoi ma tréso aujourd'hui",
       "bank balance at the end of 2026-06-30", balance(AS_OF))
    fr("balance", "Combien on avait en banque le 15 mai 2026 ?",
       "bank balance at the end of 2026-05-15", balance("2026-05-15"))
    fr("change", "De combien le solde en banque a bougé entre le 31/03/2026 et le 30/06/2026 ?",
       "balance(2026-06-30) - balance(2026-03-31)", balance("2026-06-30") - balance("2026-03-31"))
    fr("difference", "Flux net en banque en mai 2026 (crédits moins débits)",
       "bank credits - bank debits, 2026-05", *diff(bank(M(2026, 5), +1), bank(M(2026, 5), -1)))
    dl = bank(M(2026, 2), -1)
    fr("count_bank_lines", "Combien de lignes au débit sur le relevé de février 2026 ?",
       "count of negative bank lines dated 2026-02", len(dl[1]), dl[1])
    fr("bank_debits", "Sorties d'argent sur le compte le mois dernier ?",
       "sum |amount| of negative bank lines dated 2026-05", *bank(M(2026, 5), -1))
    # rankings
    g = by_client(recv())
    v, keys, tot = top(g, 3)
    fr("top_n", "Quels sont les 3 clients qui nous doivent le plus ?",
       "top 3 clients by open receivables; value = the first one's", v, keys, ordered=True)
    fr("top_n_sum", "Somme des créances de nos 3 plus gros débiteurs",
       "sum of open receivables of the top 3 clients", tot, keys, ordered=True)
    g = group(invs(period=Y(2025)), lambda r: r["client_id"], "total_ht", "number")
    v, keys, tot = top(g, 5)
    fr("top_n", "Top 5 des clients par CA HT en 2025",
       "top 5 clients by total_ht issued 2025; value = the first one's", v, keys, ordered=True)
    g = group([e for e in exps(period=Y(2025)) if e["supplier_id"]], lambda r: r["supplier_id"], "amount", "expense_id")
    v, keys, tot = top(g, 3)
    fr("top_n", "Nos 3 plus gros fournisseurs payés en 2025 ?",
       "top 3 suppliers (supplier_id) by expenses 2025; value = the first one's", v, keys, ordered=True)
    g = by_client(recv(overdue=True))
    v, keys, tot = top(g, 1)
    fr("top_n", "Quel client a le plus gros montant échu ?",
       "client with the largest overdue receivables; value = its amount", v, keys, ordered=True)
    # two-step
    fr("share", "Quelle part du CA 2025 vient de SONAREP, en % ?",
       "100 * total_ht of C01 in 2025 / total_ht 2025",
       *share(billed("total_ht", period=Y(2025), client="C01"), billed("total_ht", period=Y(2025))))
    fr("share", "Part des administrations dans les créances échues (%) ?",
       "100 * overdue of kind administration / all overdue",
       *share(S(recv(overdue=True, kind="administration")), S(recv(overdue=True))))
    a, b = billed("total_ht", period=Q(2026, 1)), billed("total_ht", period=Q(2026, 2))
    fr("change", "Évolution du CA HT entre le T1 et le T2 2026 ?",
       "total_ht Q2 2026 - total_ht Q1 2026", *diff(b, a))
    a, b = billed("total_ht", period=M(2026, 4)), billed("total_ht", period=M(2026, 5))
    fr("change_pct", "De combien en % le CA de mai 2026 a varié par rapport à avril ?",
       "100 * (total_ht 2026-05 - total_ht 2026-04) / total_ht 2026-04",
       pct(b[0] - a[0], a[0]), a[1] + b[1])
    fr("difference", "Écart entre ce qu'on a facturé TTC et ce qu'on a encaissé au T1 2026",
       "total_ttc issued Q1 2026 - cleared payments Q1 2026",
       *diff(billed("total_ttc", period=Q(2026, 1)), received(period=Q(2026, 1))))
    fr("difference", "Encaissements de juin 2026 moins ceux de mai 2026",
       "receipts 2026-06 - receipts 2026-05", *diff(received(period=M(2026, 6)), received(period=M(2026, 5))))
    fr("difference", "Écart entre le carburant du T1 et celui du T2 2026",
       "carburant Q1 2026 - carburant Q2 2026 (order as stated)",
       *diff(spent(period=Q(2026, 1), category="carburant"), spent(period=Q(2026, 2), category="carburant")))
    fr("share", "Le carburant représente quel % des dépenses de juin 2026 ?",
       "100 * carburant expenses 2026-06 / all expenses 2026-06",
       *share(spent(period=M(2026, 6), category="carburant"), spent(period=M(2026, 6))))
    fr("change", "De combien la TVA collectée a changé du T4 2025 au T1 2026 ?",
       "total_tva Q1 2026 - total_tva Q4 2025",
       *diff(billed("total_tva", period=Q(2026, 1)), billed("total_tva", period=Q(2025, 4))))
    fr("difference", "Les grands comptes nous doivent combien de plus que les PME ?",
       "open receivables grand_compte - open receivables pme",
       *diff(S(recv(kind="grand_compte")), S(recv(kind="pme"))))
    fr("share", "Quel pourcentage de nos créances est sur COSIDAR ?",
       "100 * open receivables of C04 / all open receivables", *share(S(recv(client="C04")), S(recv())))
    # nulls
    null("fr", "Combien nous doit Sonatel au 31/03 ?", "no client named Sonatel")
    null("fr", "Encours de Cevital ?", "no client named Cevital")
    null("fr", "Quel était notre CA en 2023 ?", "before the books (first invoice 2024-10-01)")
    null("fr", "Combien avons-nous facturé en mars 2024 ?", "before the first invoice (2024-10-01)")
    null("fr", "Solde bancaire au 30 juin 2024 ?", "before the opening date 2025-01-01")
    null("fr", "Encaissements de septembre 2026 ?", "after the as-of day 2026-06-30")
    null("fr", "CA du T4 2026", "a quarter after the as-of day")
    null("fr", "Combien on a facturé en août 2026 ?", "a month after the as-of day")
    null("fr", "TVA déductible du T1 2026 ?", "the books hold no deductible VAT")
    null("fr", "Quelle est la valeur de notre stock de marchandises ?", "no stock in the books")
    null("fr", "Combien devons-nous encore à nos fournisseurs ?", "no supplier payables in the books (expenses are payments)")
    null("fr", "Bénéfice net de l'exercice 2025 ?", "no income statement in the books")
    null("fr", "Combien a-t-on payé à Ooredoo en 2025 ?", "no supplier or payee Ooredoo")
    null("fr", "Dépenses de la carte CARD-07 ?", "no card CARD-07")
    null("fr", "Factures échues de Condor Electronics", "no client Condor")
    null("fr", "Frais de mission de M. Saidi cette année", "no employee Saidi")
    null("fr", "Quel est le salaire net de K. Benali ?", "salaries are paid as one grouped transfer")
    null("fr", "Total des dépenses de décembre 2026", "after the as-of day")


def build():
    build_fr()


def emit(out):
    sha = getattr(emit, "sha", [])
    w = out.write
    w("# Held-out split 4 of the accountant's assistant (issue 10). Written from\n")
    w("# spec/bundle.md, spec/cli.md and the demo CSV files only, without reading the\n")
    w("# parser, the executor or the other datasets. Generated, do not edit by hand:\n")
    w("#   KHAZNA_HOME=/tmp/s27i/home .venv/bin/khazna demo --seed 53 --as-of 2026-06-30 \\\n")
    w("#       --db sqlite:////tmp/s27i/demo53.db --dir /tmp/s27i/bundle53 --json\n")
    w("#   python3 evals/heldout/assistant_truth4.py /tmp/s27i/bundle53 > evals/datasets/assistant_heldout4.yaml\n")
    w("# (seed 53 and 2026-06-30; the demo is deterministic: same seed and date, same\n")
    w("# files). Conventions: see the docstring of evals/heldout/assistant_truth4.py.\n")
    w(f"# bundle: {len(B['clients'])} clients, {len(B['invoices'])} invoices (not cancelled), "
      f"{len(B['payments'])} cleared payments, {len(B['expenses'])} expenses, "
      f"{len(B['bank'])} bank lines\n")
    for line in sha:
        w(f"# sha256 {line}\n")
    w("dataset: assistant_heldout4\n")
    w("ledger: {demo_seed: 53, as_of: '2026-06-30'}\n")
    w("note: fourth held-out split, written from the bundle spec and the CSVs only; "
      "truth by evals/heldout/assistant_truth4.py\n")
    w("cases:\n")
    for c in CASES:
        w(f"- question: {json.dumps(c['question'], ensure_ascii=False)}\n")
        w(f"  language: {c['language']}\n")
        w(f"  kind: {c['kind']}\n")
        w("  value: null\n" if c["value"] is None else f"  value: '{c['value']}'\n")
        w(f"  items: {json.dumps(c['items'], ensure_ascii=False)}\n")
        w(f"  ordered: {'true' if c['ordered'] else 'false'}\n")
        w(f"  definition: {json.dumps(c['definition'], ensure_ascii=False)}\n")


def main(argv):
    global B
    import hashlib
    import os
    folder = argv[1] if len(argv) > 1 else "/tmp/s27i/bundle53"
    B = load(folder)
    emit.sha = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".csv"):
            with open(os.path.join(folder, name), "rb") as f:
                emit.sha.append(f"{hashlib.sha256(f.read()).hexdigest()} {name}")
    build()
    emit(sys.stdout)


if __name__ == "__main__":
    main(sys.argv)
