#!/usr/bin/env python3
"""Held-out split 5 of the accountant's assistant (issue 10): questions and truth.

Standalone (stdlib only). Written from spec/bundle.md, spec/cli.md and the demo CSVs only.
    python3 evals/heldout/assistant_truth5.py /tmp/s27j/bundle67 [out.yaml]
Conventions: money = 2-decimal strings; counts/days = integers; CA/turnover = HT; "facturé"
alone = TTC; credit notes netted unless "hors avoirs"; cancelled invoices and rejected payments
count nowhere; payments allocated oldest first (issue date, number) over the invoices they
name; open = TTC - allocated cleared payments - credit notes against it; overdue = due date
before the as-of day and open > 0; days = calendar days; shares 100*part/whole (0.01), items
= part's ids; differences first minus second; changes later minus earlier, items = union;
top N = sum of the N amounts, items the N clients in order; bank balances have no items.
"""
import csv, hashlib, json, os, sys
from datetime import date, timedelta
from decimal import Decimal, ROUND_HALF_UP

AS_OF = date(2026, 3, 31)
C = Decimal("0.01")
D = lambda s: Decimal(s or "0")
P = lambda s: date.fromisoformat(s)


def money(x):
    return str(Decimal(x).quantize(C, ROUND_HALF_UP))


def load(bdir):
    rd = lambda f: list(csv.DictReader(open(os.path.join(bdir, f), encoding="utf-8-sig")))
    g = dict(clients=rd("clients.csv"), suppliers=rd("suppliers.csv"), invoices=rd("invoices.csv"),
             payments=rd("payments.csv"), expenses=rd("expenses.csv"), bank=rd("bank_lines.csv"))
    comp = json.load(open(os.path.join(bdir, "company.json"), encoding="utf-8-sig"))
    g["opening"] = D(str(comp["opening_balance"]))
    g["opening_date"] = P(comp["opening_date"])
    return g


G = None
INV = {}


def valid_invoices():
    return [i for i in G["invoices"] if i["status"] != "cancelled"]


def cleared():
    return [p for p in G["payments"] if (p["status"] or "cleared") == "cleared"]


def open_amounts(as_of=AS_OF):
    """number -> open amount on as_of (invoices with positive total only)."""
    inv = [i for i in valid_invoices() if P(i["issue_date"]) <= as_of]
    rem = {i["number"]: D(i["total_ttc"]) for i in inv if D(i["total_ttc"]) > 0}
    for cn in inv:
        if D(cn["total_ttc"]) < 0 and cn["credited_invoice"] in rem:
            rem[cn["credited_invoice"]] += D(cn["total_ttc"])
    pays = sorted([p for p in cleared() if P(p["date"]) <= as_of and p["invoice_number"]],
                  key=lambda p: (p["date"], p["payment_id"]))
    for p in pays:
        nums = [n.strip() for n in p["invoice_number"].split(";") if n.strip() in rem]
        nums.sort(key=lambda n: (INV[n]["issue_date"], n))
        amt = D(p["amount"])
        for k, n in enumerate(nums):
            take = amt if k == len(nums) - 1 else min(amt, max(rem[n], Decimal(0)))
            rem[n] -= take
            amt -= take
    return {n: v for n, v in rem.items() if v > 0}


def ret(value, items=(), ordered=False, definition=""):
    return dict(value=value, items=list(items), ordered=ordered, definition=definition)


def NULL(why):
    return ret(None, [], False, "not answerable: " + why)


def client_kind(cid):
    return next(c["kind"] for c in G["clients"] if c["client_id"] == cid)


def receivables(client=None, kind=None, bucket=None, overdue=None, as_of=AS_OF):
    op = open_amounts(as_of)
    out = {}
    for n, v in op.items():
        i = INV[n]
        if client and i["client_id"] != client:
            continue
        if kind and client_kind(i["client_id"]) != kind:
            continue
        late = (as_of - P(i["due_date"])).days
        if overdue is True and late <= 0:
            continue
        if overdue is False and late > 0:
            continue
        if bucket:
            lo, hi = bucket
            if not (lo <= late <= hi):
                continue
        out[n] = v
    return out


def R(definition, **kw):
    o = receivables(**kw)
    return ret(money(sum(o.values(), Decimal(0))), sorted(o), False, definition)


def RCOUNT_CLIENTS(definition, **kw):
    o = receivables(**kw)
    cl = sorted({INV[n]["client_id"] for n in o})
    return ret(len(cl), cl, False, definition)


def RCOUNT(definition, **kw):
    o = receivables(**kw)
    return ret(len(o), sorted(o), False, definition)


def per_client_open(**kw):
    o = receivables(**kw)
    acc = {}
    for n, v in o.items():
        acc[INV[n]["client_id"]] = acc.get(INV[n]["client_id"], Decimal(0)) + v
    return acc


def TOP(nb, definition, **kw):
    acc = per_client_open(**kw)
    top = sorted(acc.items(), key=lambda kv: (-kv[1], kv[0]))[:nb]
    return ret(money(sum((v for _, v in top), Decimal(0))), [k for k, _ in top], True, definition)


def inrange(d, a, b):
    return a <= P(d) <= b


def invs(a, b, client=None, kind=None, credit_notes=True, method=None):
    out = []
    for i in valid_invoices():
        if not inrange(i["issue_date"], a, b):
            continue
        if client and i["client_id"] != client:
            continue
        if kind and client_kind(i["client_id"]) != kind:
            continue
        if method and i["payment_method"] != method:
            continue
        if not credit_notes and D(i["total_ttc"]) < 0:
            continue
        out.append(i)
    return out


def INVSUM(field, a, b, definition, **kw):
    rows = invs(a, b, **kw)
    tot = sum((D(i[field]) for i in rows), Decimal(0))
    return ret(money(tot), sorted(i["number"] for i in rows if D(i[field]) != 0), False, definition)


def INVCOUNT(a, b, definition, **kw):
    rows = [i for i in invs(a, b, **kw) if D(i["total_ttc"]) > 0]
    return ret(len(rows), sorted(i["number"] for i in rows), False, definition)


def pays(a, b, client=None, method=None, kind=None):
    return [p for p in cleared() if inrange(p["date"], a, b)
            and (not client or p["client_id"] == client)
            and (not method or p["method"] == method)
            and (not kind or client_kind(p["client_id"]) == kind)]


def PAYSUM(a, b, definition, **kw):
    rows = pays(a, b, **kw)
    return ret(money(sum((D(p["amount"]) for p in rows), Decimal(0))),
               sorted(p["payment_id"] for p in rows), False, definition)


def norm(s):
    import unicodedata
    return "".join(c for c in unicodedata.normalize("NFD", s.lower()) if unicodedata.category(c) != "Mn")


def exps(a, b, category=None, supplier=None, payee=None, employee=None, card=None, method=None):
    out = []
    for e in G["expenses"]:
        if not inrange(e["date"], a, b):
            continue
        if category and e["category"] != category:
            continue
        if supplier and e["supplier_id"] != supplier:
            continue
        if payee and norm(payee) not in norm(e["payee"]):
            continue
        if employee and e["employee"] != employee:
            continue
        if card and e["card_id"] != card:
            continue
        if method and e["method"] != method:
            continue
        out.append(e)
    return out


def EXPSUM(a, b, definition, **kw):
    rows = exps(a, b, **kw)
    return ret(money(sum((D(e["amount"]) for e in rows), Decimal(0))),
               sorted(e["expense_id"] for e in rows), False, definition)


def EXPCOUNT(a, b, definition, **kw):
    rows = exps(a, b, **kw)
    return ret(len(rows), sorted(e["expense_id"] for e in rows), False, definition)


def bank(a, b, sign):
    return [l for l in G["bank"] if inrange(l["date"], a, b) and (D(l["amount"]) > 0 if sign > 0 else D(l["amount"]) < 0)]


def BANKSUM(a, b, sign, definition):
    rows = bank(a, b, sign)
    return ret(money(abs(sum((D(l["amount"]) for l in rows), Decimal(0)))),
               sorted(l["line_id"] for l in rows), False, definition)


def balance_value(d):
    return G["opening"] + sum((D(l["amount"]) for l in G["bank"] if P(l["date"]) <= d), Decimal(0))


def BAL(d, definition):
    if d < G["opening_date"] or d > AS_OF:
        return NULL("balance outside the books (%s)" % d)
    return ret(money(balance_value(d)), [], False, definition)


def last_payment(cid, as_of=AS_OF):
    rows = sorted([p for p in cleared() if p["client_id"] == cid and P(p["date"]) <= as_of],
                  key=lambda p: (p["date"], p["payment_id"]))
    return rows[-1]


def share(part, whole, definition):
    pv, wv = Decimal(part["value"]), Decimal(whole["value"])
    return ret(money(100 * pv / wv), part["items"], False, definition)


def diff(x, y, definition, pct=False, ordered=False):
    xv, yv = Decimal(str(x["value"])), Decimal(str(y["value"]))
    items = sorted(set(x["items"]) | set(y["items"]))
    if pct:
        return ret(money(100 * (xv - yv) / yv), items, False, definition)
    v = xv - yv
    if isinstance(x["value"], int):
        return ret(int(v), items, False, definition)
    return ret(money(v), items, False, definition)


def M(y, m):
    a = date(y, m, 1)
    b = (date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1))
    return a, b


def Q(y, q):
    return date(y, 3 * q - 2, 1), M(y, 3 * q)[1]


def S(y, s):
    return date(y, 6 * s - 5, 1), M(y, 6 * s)[1]


def Y(y):
    return date(y, 1, 1), date(y, 12, 31)


CASES = []


def q(lang, kind, text, res):
    CASES.append(dict(question=text, language=lang, kind=kind, **res))



def ystr(s):
    return json.dumps(s, ensure_ascii=False)


def write(out, bdir):
    shas = []
    for f in sorted(os.listdir(bdir)):
        if f.endswith(".csv"):
            shas.append("# sha256 %s %s" % (hashlib.sha256(open(os.path.join(bdir, f), "rb").read()).hexdigest(), f))
    lines = [
        "# Held-out split 5 of the accountant's assistant (issue 10). Written from",
        "# spec/bundle.md, spec/cli.md and the demo CSV files only, without reading the",
        "# parser, the executor or the other datasets. Generated, do not edit by hand:",
        "#   KHAZNA_HOME=/tmp/s27j/home .venv/bin/khazna demo --seed 67 --as-of 2026-03-31 \\",
        "#       --db sqlite:////tmp/s27j/demo67.db --dir /tmp/s27j/bundle67 --json",
        "#   python3 evals/heldout/assistant_truth5.py /tmp/s27j/bundle67",
        "# (seed 67 and 2026-03-31; the demo is deterministic: same seed and date, same files).",
        "# Conventions: see the docstring of evals/heldout/assistant_truth5.py.",
        "# bundle: %d clients, %d invoices, %d payments, %d expenses, %d bank lines" % (
            len(G["clients"]), len(G["invoices"]), len(G["payments"]), len(G["expenses"]), len(G["bank"])),
    ] + shas + [
        "dataset: assistant_heldout5",
        "ledger: {demo_seed: 67, as_of: '2026-03-31'}",
        "note: fifth held-out split, written from the bundle spec and the CSVs only; truth by evals/heldout/assistant_truth5.py",
        "cases:",
    ]
    for c in CASES:
        v = c["value"]
        vs = "null" if v is None else (str(v) if isinstance(v, int) else "'%s'" % v)
        lines += ["- question: " + ystr(c["question"]),
                  "  language: " + c["language"],
                  "  kind: " + c["kind"],
                  "  value: " + vs,
                  "  items: [" + ", ".join(ystr(i) for i in c["items"]) + "]",
                  "  ordered: " + ("true" if c["ordered"] else "false"),
                  "  definition: " + ystr(c["definition"])]
    open(out, "w", encoding="utf-8").write("\n".join(lines) + "\n")


def main():
    global G
    bdir = sys.argv[1] if len(sys.argv) > 1 else "/tmp/s27j/bundle67"
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "..", "datasets", "assistant_heldout5.yaml")
    G = load(bdir)
    INV.update({i["number"]: i for i in G["invoices"]})
    questions()
    write(out, bdir)
    from collections import Counter
    print(len(CASES), dict(Counter(c["language"] for c in CASES)),
          "null", sum(c["value"] is None for c in CASES))


# ---------------------------------------------------------------- questions
def questions():
    fr = lambda k, t, r: q("fr", k, t, r)
    ar = lambda k, t, r: q("ar", k, t, r)
    en = lambda k, t, r: q("en", k, t, r)
    A = AS_OF
    # ---- French: receivables
    fr("open_receivables", "Au total, combien nos clients nous doivent-ils à ce jour ?", R("open receivables, all clients, on 2026-03-31"))
    fr("open_receivables", "Quel est l'encours clients au 31 mars 2026 ?", R("open receivables, all clients, on 2026-03-31"))
    fr("open_receivables", "Combien nous doit encore COSIDAR ?", R("open receivables of C04", client="C04"))
    fr("open_receivables", "Reste à encaisser chez Sonarep ?", R("open receivables of C01", client="C01"))
    fr("open_receivables", "Qu'est-ce que la Direction de l'éducation d'Alger nous doit encore ?", R("open receivables of C15", client="C15"))
    fr("open_receivables", "el manar print, ils nous doivent combien en ce moment", R("open receivables of C09", client="C09"))
    fr("open_receivables", "Solde dû par l'EPH de Rouiba", R("open receivables of C17", client="C17"))
    fr("open_receivables", "Montant des créances sur les administrations", R("open receivables, kind administration", kind="administration"))
    fr("open_receivables", "Les grands comptes, ils nous doivent combien au total ?", R("open receivables, kind grand_compte", kind="grand_compte"))
    fr("open_receivables", "Encours des PME à fin mars", R("open receivables, kind pme", kind="pme"))
    fr("open_receivables", "Les particuliers nous doivent-ils encore quelque chose ?", R("open receivables, kind particulier", kind="particulier"))
    fr("open_receivables_bucket", "Créances échues de 31 à 60 jours ?", R("overdue 31-60 days", bucket=(31, 60)))
    fr("open_receivables_bucket", "Balance âgée : tranche 1-30 jours, montant ?", R("overdue 1-30 days", bucket=(1, 30)))
    fr("open_receivables_bucket", "Combien de créances ont plus de 90 jours de retard, en montant ?", R("overdue over 90 days", bucket=(91, 100000)))
    fr("open_receivables_bucket", "Montant en retard entre 61 et 90 jours", R("overdue 61-90 days", bucket=(61, 90)))
    fr("open_receivables_overdue", "Total des factures échues non réglées", R("overdue receivables", overdue=True))
    fr("open_receivables_not_due", "Combien reste à encaisser sur des factures pas encore échues ?", R("not yet due receivables", overdue=False))
    fr("open_receivables_overdue", "Factures échues des administrations : combien ?", R("overdue receivables, administration", overdue=True, kind="administration"))
    fr("open_receivables_overdue", "Combien COSIDAR a-t-il en impayés échus ?", R("overdue receivables of C04", overdue=True, client="C04"))
    fr("open_receivables_not_due", "Sonarep : montant non encore exigible ?", R("not yet due receivables of C01", overdue=False, client="C01"))
    fr("open_receivables_bucket", "Pour les administrations, combien est en retard de plus de 90 jours ?", R("overdue >90, administration", bucket=(91, 100000), kind="administration"))
    fr("count_clients_overdue", "Combien de clients ont au moins une facture échue ?", RCOUNT_CLIENTS("clients with overdue invoices", overdue=True))
    fr("count_invoices_open", "Nombre de factures encore ouvertes aujourd'hui", RCOUNT("open invoices count"))
    fr("count_invoices_overdue", "On a combien de factures en retard de paiement ?", RCOUNT("overdue invoices count", overdue=True))
    fr("top_clients", "Quel client nous doit le plus ?", TOP(1, "top 1 client by open receivables"))
    fr("top_clients", "Les 3 plus gros débiteurs, ils doivent combien ensemble ?", TOP(3, "top 3 clients by open receivables"))
    fr("top_clients", "Top 5 des clients en retard (montant échu)", TOP(5, "top 5 clients by overdue receivables", overdue=True))
    tot = R("x"); adm = R("x", kind="administration")
    fr("share", "Quelle part de l'encours total est due par les administrations, en % ?", share(adm, tot, "share of administration in open receivables"))
    ov = R("x", overdue=True)
    fr("share", "Pourcentage des créances qui sont déjà échues ?", share(ov, tot, "overdue / open receivables"))
    c01 = R("x", client="C01"); c04 = R("x", client="C04")
    fr("difference", "Différence entre ce que doit Sonarep et ce que doit Cosidar ?", diff(c01, c04, "open C01 minus open C04"))
    for n, txt in [("F2025-0387", "De combien de jours la facture F2025-0387 est-elle en retard ?"),
                   ("F2026-0038", "Retard en jours de la F2026-0038"),
                   ("F2026-0077", "F2026-0077 : ça fait combien de jours qu'elle est échue ?")]:
        fr("days_late", txt, ret((A - P(INV[n]["due_date"])).days, [n], False, "days past due of " + n))
    lp = last_payment("C09")
    fr("last_payment_date", "À quelle date El Manar Print nous a-t-il payés pour la dernière fois ?", ret(lp["date"], [lp["payment_id"]], False, "last cleared payment of C09"))
    lp = last_payment("C15")
    fr("days_since_payment", "Depuis combien de jours la Direction de l'Éducation ne nous a rien versé ?", ret((A - P(lp["date"])).days, [lp["payment_id"]], False, "days since last payment of C15"))
    fr("invoiced_ht", "Quel est le CA de janvier 2026 ?", INVSUM("total_ht", *M(2026, 1), "invoiced HT Jan 2026"))
    fr("invoiced_ttc", "Combien a-t-on facturé en février 2026 ?", INVSUM("total_ttc", *M(2026, 2), "invoiced TTC Feb 2026"))
    fr("invoiced_ht", "Chiffre d'affaires HT du T4 2025", INVSUM("total_ht", *Q(2025, 4), "invoiced HT Q4 2025"))
    fr("invoiced_ttc", "Facturation TTC du premier semestre 2025 ?", INVSUM("total_ttc", *S(2025, 1), "invoiced TTC H1 2025"))
    fr("invoiced_ht", "CA 2025 ?", INVSUM("total_ht", *Y(2025), "invoiced HT 2025"))
    fr("invoiced_ht", "Chiffre d'affaires réalisé avec Sonelec en 2025", INVSUM("total_ht", *Y(2025), "invoiced HT 2025 C02", client="C02"))
    fr("invoiced_ttc", "Montant TTC facturé aux administrations au T1 2026", INVSUM("total_ttc", *Q(2026, 1), "invoiced TTC Q1 2026 administration", kind="administration"))
    fr("invoiced_ht", "CA hors avoirs de l'année 2025", INVSUM("total_ht", *Y(2025), "invoiced HT 2025 excluding credit notes", credit_notes=False))
    fr("invoiced_ht", "Depuis le début de l'année, quel CA a-t-on fait ?", INVSUM("total_ht", date(2026, 1, 1), A, "invoiced HT YTD 2026"))
    fr("vat", "TVA collectée au 4e trimestre 2025 ?", INVSUM("total_tva", *Q(2025, 4), "VAT Q4 2025"))
    fr("vat", "Montant de TVA facturée sur T1 2026", INVSUM("total_tva", *Q(2026, 1), "VAT Q1 2026"))
    fr("stamp", "Combien de droit de timbre avons-nous encaissé en 2025 ?", INVSUM("timbre", *Y(2025), "stamp duty 2025"))
    fr("stamp", "Timbre fiscal facturé en mars 2026", INVSUM("timbre", *M(2026, 3), "stamp duty March 2026"))
    fr("count_invoices", "Nombre de factures émises en décembre 2025", INVCOUNT(*M(2025, 12), "invoices issued Dec 2025"))
    fr("count_invoices", "Combien de factures on a faites à Hodna Plast l'an dernier ?", INVCOUNT(*Y(2025), "invoices C10 2025", client="C10"))
    h1 = INVSUM("total_ht", *Q(2025, 4), "x"); h2 = INVSUM("total_ht", *Q(2026, 1), "x")
    fr("change", "Évolution du CA entre le T4 2025 et le T1 2026 ?", diff(h2, h1, "HT Q1 2026 minus Q4 2025"))
    fr("change_pct", "De combien de % le chiffre d'affaires a-t-il varié du T4 2025 au T1 2026 ?", diff(h2, h1, "HT Q1 2026 vs Q4 2025, %", pct=True))
    fr("receipts", "Encaissements clients de mars 2026 ?", PAYSUM(*M(2026, 3), "cleared payments March 2026"))
    fr("receipts", "Combien Sonelec nous a réglé au premier trimestre 2026 ?", PAYSUM(*Q(2026, 1), "payments C02 Q1 2026", client="C02"))
    fr("receipts", "Total reçu en espèces en 2025", PAYSUM(*Y(2025), "cash payments 2025", method="especes"))
    fr("receipts", "Règlements par chèque reçus en février 2026", PAYSUM(*M(2026, 2), "cheque payments Feb 2026", method="cheque"))
    fr("unanswerable", "Combien nous doit Sonatel au 31/03 ?", NULL("unknown client Sonatel"))
    fr("unanswerable", "CA du 30 février 2026 ?", NULL("impossible date"))
    fr("unanswerable", "Chiffre d'affaires de 2023", NULL("before the books start"))
    fr("unanswerable", "Combien va-t-on facturer en mai 2026 ?", NULL("after the as-of day"))
    fr("unanswerable", "Quelle est la valeur de notre stock au 31 mars ?", NULL("the books do not hold stock"))
    more_questions(fr, ar, en)


def LARGEST_INV(a, b, definition, field="total_ttc", **kw):
    rows = [i for i in invs(a, b, **kw) if D(i["total_ttc"]) > 0]
    best = sorted(rows, key=lambda i: (-D(i[field]), i["number"]))[0]
    return ret(money(D(best[field])), [best["number"]], False, definition)


def LARGEST_EXP(a, b, definition, **kw):
    rows = exps(a, b, **kw)
    best = sorted(rows, key=lambda e: (-D(e["amount"]), e["expense_id"]))[0]
    return ret(money(D(best["amount"])), [best["expense_id"]], False, definition)


def AVG_INV(a, b, field, definition, **kw):
    rows = [i for i in invs(a, b, **kw) if D(i["total_ttc"]) > 0]
    return ret(money(sum((D(i[field]) for i in rows), Decimal(0)) / len(rows)),
               sorted(i["number"] for i in rows), False, definition)


def LATE(definition, weighted, **kw):
    o = receivables(overdue=True, **kw)
    days = {n: (AS_OF - P(INV[n]["due_date"])).days for n in o}
    if weighted:
        v = sum((o[n] * days[n] for n in o), Decimal(0)) / sum(o.values(), Decimal(0))
    else:
        v = Decimal(sum(days.values())) / len(days)
    return ret(int(v.quantize(Decimal(1), ROUND_HALF_UP)), sorted(o), False, definition)


def UNALLOC(definition, a=date(2000, 1, 1), b=AS_OF):
    rows = [p for p in cleared() if not p["invoice_number"].strip() and inrange(p["date"], a, b)]
    return ret(money(sum((D(p["amount"]) for p in rows), Decimal(0))), sorted(p["payment_id"] for p in rows), False, definition)


def CREDITS(definition, a=date(2000, 1, 1), b=AS_OF, count=False):
    rows = [i for i in valid_invoices() if D(i["total_ttc"]) < 0 and inrange(i["issue_date"], a, b)]
    if count:
        return ret(len(rows), sorted(i["number"] for i in rows), False, definition)
    return ret(money(-sum((D(i["total_ttc"]) for i in rows), Decimal(0))), sorted(i["number"] for i in rows), False, definition)


def more_questions(fr, ar, en):
    A = AS_OF
    # ---- French: expenses and suppliers
    fr("expenses", "Combien on a dépensé en carburant en 2025 ?", EXPSUM(*Y(2025), "expenses carburant 2025", category="carburant"))
    fr("expenses", "Total des frais de restaurant au T1 2026", EXPSUM(*Q(2026, 1), "expenses restaurant Q1 2026", category="restaurant"))
    fr("expenses", "Dépenses de fournitures de bureau en mars 2026 ?", EXPSUM(*M(2026, 3), "expenses fournitures March 2026", category="fournitures"))
    fr("supplier_payments", "Combien a-t-on payé à Sonelgas l'année dernière ?", EXPSUM(*Y(2025), "paid to S02 in 2025", supplier="S02"))
    fr("supplier_payments", "Paiements à algerie telecom depuis janvier", EXPSUM(date(2026, 1, 1), A, "paid to S03 YTD 2026", supplier="S03"))
    fr("supplier_payments", "Combien on a versé à CodeLink en sous-traitance en 2025 ?", EXPSUM(*Y(2025), "paid to S07 2025", supplier="S07"))
    fr("supplier_payments", "Le cabinet Hamidi, on lui a réglé combien au total ?", EXPSUM(date(2000, 1, 1), A, "paid to S10, all time", supplier="S10"))
    fr("supplier_payments", "Montant versé au loyer (SCI Dar el Baraka) sur 2025", EXPSUM(*Y(2025), "paid to S01 2025", supplier="S01"))
    fr("expenses", "Le plein chez Naftal Hydra, ça nous a coûté combien en février 2026 ?", EXPSUM(*M(2026, 2), "payee Naftal station Hydra Feb 2026", payee="Naftal station Hydra"))
    fr("expenses_employee", "Notes de frais de K. Benali : total ?", EXPSUM(date(2000, 1, 1), A, "expenses employee K. Benali", employee="K. Benali"))
    fr("expenses_employee", "Combien S. Meziane a dépensé en janvier 2026 ?", EXPSUM(*M(2026, 1), "expenses employee S. Meziane Jan 2026", employee="S. Meziane"))
    fr("expenses_card", "Dépenses sur la carte CARD-01 au T4 2025", EXPSUM(*Q(2025, 4), "expenses card CARD-01 Q4 2025", card="CARD-01"))
    fr("count_expenses", "Nombre de dépenses de carburant en mars 2026", EXPCOUNT(*M(2026, 3), "count carburant March 2026", category="carburant"))
    fr("count_expenses", "Combien de dépenses payées en espèces sur 2025 ?", EXPCOUNT(*Y(2025), "count expenses especes 2025", method="especes"))
    fr("largest_expense", "Quelle a été notre plus grosse dépense en 2025 ?", LARGEST_EXP(*Y(2025), "max expense 2025"))
    fr("largest_expense", "Plus grosse note de restaurant du premier trimestre 2026 ?", LARGEST_EXP(*Q(2026, 1), "max restaurant expense Q1 2026", category="restaurant"))
    fr("largest_invoice", "Quelle est la plus grosse facture émise en 2025 (TTC) ?", LARGEST_INV(*Y(2025), "max invoice TTC 2025"))
    fr("largest_invoice", "Plus grosse facture adressée à COSIDAR au T1 2026 ?", LARGEST_INV(*Q(2026, 1), "max invoice TTC C04 Q1 2026", client="C04"))
    fr("average_invoice", "Montant moyen HT d'une facture en 2025 ?", AVG_INV(*Y(2025), "total_ht", "average invoice HT 2025"))
    fr("average_days_late", "En moyenne, de combien de jours sont en retard nos factures échues ?", LATE("mean days late, overdue invoices", False))
    fr("weighted_days_late", "Retard moyen pondéré par les montants sur les factures échues ?", LATE("amount-weighted days late", True))
    fr("weighted_days_late", "Retard moyen pondéré des administrations", LATE("amount-weighted days late, administration", True, kind="administration"))
    e1 = EXPSUM(*M(2026, 2), "x", category="carburant"); e2 = EXPSUM(*M(2026, 3), "x", category="carburant")
    fr("change", "Le carburant a augmenté de combien entre février et mars 2026 ?", diff(e2, e1, "carburant March minus Feb 2026"))
    t = EXPSUM(*Y(2025), "x"); s = EXPSUM(*Y(2025), "x", category="salaires")
    fr("share", "Quelle part de nos dépenses 2025 part en salaires (%) ?", share(s, t, "salaires / all expenses 2025"))
    # ---- French: bank
    fr("bank_credits", "Total des crédits bancaires en janvier 2026", BANKSUM(*M(2026, 1), 1, "bank credits Jan 2026"))
    fr("bank_debits", "Combien est sorti du compte en décembre 2025 ?", BANKSUM(*M(2025, 12), -1, "bank debits Dec 2025"))
    fr("bank_debits", "Montant des débits sur le relevé de mars 2026", BANKSUM(*M(2026, 3), -1, "bank debits March 2026"))
    fr("balance", "Combien on a en banque aujourd'hui ?", BAL(A, "balance 2026-03-31"))
    fr("balance", "C'est quoi ma tréso à ce jour ?", BAL(A, "balance 2026-03-31"))
    fr("balance", "Solde du compte au 31/12/2025", BAL(date(2025, 12, 31), "balance 2025-12-31"))
    fr("balance", "Quel était le solde bancaire le 15 février 2026 ?", BAL(date(2026, 2, 15), "balance 2026-02-15"))
    b1 = BAL(date(2025, 12, 31), "x"); b2 = BAL(A, "x")
    fr("change", "De combien la trésorerie a bougé entre fin 2025 et aujourd'hui ?", diff(b2, b1, "balance 2026-03-31 minus 2025-12-31"))
    # ---- French: misc
    fr("unallocated", "Y a-t-il des paiements reçus non affectés à une facture ? Montant ?", UNALLOC("unallocated cleared payments"))
    fr("credit_notes", "Montant total des avoirs émis", CREDITS("credit notes, absolute TTC"))
    fr("count_credit_notes", "Combien d'avoirs a-t-on établis en 2025 ?", CREDITS("credit notes count 2025", *Y(2025), count=True))
    r1 = PAYSUM(*Q(2026, 1), "x"); i1 = INVSUM("total_ttc", *Q(2026, 1), "x")
    fr("difference", "Écart entre le facturé et l'encaissé au T1 2026 ?", diff(i1, r1, "invoiced TTC minus receipts Q1 2026"))
    fr("receipts", "Combien les particuliers nous ont-ils payé en mars ?", PAYSUM(*M(2026, 3), "payments particuliers March 2026", kind="particulier"))
    fr("receipts", "Virements reçus de COSIDAR en 2025", PAYSUM(*Y(2025), "virement payments C04 2025", client="C04", method="virement"))
    fr("invoiced_ht", "CA du second semestre 2025 avec les PME", INVSUM("total_ht", *S(2025, 2), "invoiced HT H2 2025 pme", kind="pme"))
    fr("invoiced_ttc", "On a facturé combien à Mme Belkacem en 2025 ?", INVSUM("total_ttc", *Y(2025), "invoiced TTC 2025 C19", client="C19"))
    fr("invoiced_ht", "CA HT de septembre 2025", INVSUM("total_ht", *M(2025, 9), "invoiced HT Sep 2025"))
    c = INVSUM("total_ht", *Y(2025), "x", client="C01"); tt = INVSUM("total_ht", *Y(2025), "x")
    fr("share", "Poids de Sonarep dans le CA 2025, en pourcentage ?", share(c, tt, "C01 share of HT 2025"))
    fr("count_clients_overdue", "Combien de PME ont des factures échues ?", RCOUNT_CLIENTS("pme clients with overdue", overdue=True, kind="pme"))
    fr("open_receivables", "Encours de la société Al Amel distribution", R("open receivables of C11", client="C11"))
    fr("top_clients", "Les deux clients qui nous doivent le plus parmi les administrations ?", TOP(2, "top 2 administration clients", kind="administration"))
    fr("open_receivables_bucket", "Tranche 31-60 j pour la Direction de l'Éducation", R("C15 overdue 31-60", client="C15", bucket=(31, 60)))
    v1 = R("x", overdue=True); v2 = R("x", overdue=False)
    fr("difference", "Différence entre l'échu et le non échu ?", diff(v1, v2, "overdue minus not due"))
    lp = last_payment("C04")
    fr("last_payment_date", "Dernier règlement de Cosidar, c'était quand ?", ret(lp["date"], [lp["payment_id"]], False, "last cleared payment of C04"))
    lp = last_payment("C18")
    fr("days_since_payment", "Karim Hadjadj n'a pas payé depuis combien de jours ?", ret((A - P(lp["date"])).days, [lp["payment_id"]], False, "days since last payment of C18"))
    fr("unanswerable", "Combien nous doit la société Cevital ?", NULL("unknown client Cevital"))
    fr("unanswerable", "Solde bancaire au 30 juin 2026", NULL("after the as-of day"))
    fr("unanswerable", "Combien a-t-on payé au fournisseur Ooredoo en 2025 ?", NULL("unknown supplier Ooredoo"))
    fr("unanswerable", "Dépenses carburant de juillet 2023", NULL("before the books start"))
    fr("unanswerable", "Solde en banque le 32 janvier 2026 ?", NULL("impossible date"))
    fr("unanswerable", "Combien de salariés avons-nous ?", NULL("headcount not in the books"))
    fr("unanswerable", "TVA déductible sur les achats du T1 2026 ?", NULL("input VAT is not held in the books"))
    fr("unanswerable", "Frais de la carte CARD-07 en mars", NULL("unknown card CARD-07"))
    fr("unanswerable", "Notes de frais de M. Boudiaf ?", NULL("unknown employee Boudiaf"))
    fr("unanswerable", "Quel sera le CA du T2 2026 ?", NULL("after the as-of day"))
    more2(fr, ar, en)


def more2(fr, ar, en):
    A = AS_OF
    # ---- Arabic (MSA and Darja; Maghreb and Levant month names; some Eastern digits)
    ar("open_receivables", "كم يبلغ إجمالي ديون العملاء اليوم؟", R("open receivables, all clients"))
    ar("open_receivables", "قداش باقي علينا عند سوناريب؟", R("open receivables of C01", client="C01"))
    ar("open_receivables", "شحال راهم يسالونا الإدارات؟", R("open receivables, administration", kind="administration"))
    ar("open_receivables_overdue", "ما مجموع الفواتير المستحقة غير المسددة؟", R("overdue receivables", overdue=True))
    ar("open_receivables_bucket", "الديون المتأخرة من ٣١ إلى ٦٠ يوما", R("overdue 31-60", bucket=(31, 60)))
    ar("open_receivables_bucket", "قداش الديون اللي فاتت عليها أكثر من 90 يوم؟", R("overdue >90", bucket=(91, 100000)))
    ar("open_receivables_not_due", "كم المبلغ الذي لم يحل أجله بعد؟", R("not yet due", overdue=False))
    ar("count_clients_overdue", "شكون اللي ما خلصش؟ شحال من كليان عندهم فواتير فاتت؟", RCOUNT_CLIENTS("clients with overdue", overdue=True))
    ar("top_clients", "من هو العميل الأكثر مديونية لنا؟", TOP(1, "top 1 client"))
    ar("days_late", "كم يوما تأخرت الفاتورة F2025-0425؟", ret((A - P(INV["F2025-0425"]["due_date"])).days, ["F2025-0425"], False, "days past due of F2025-0425"))
    lp = last_payment("C16")
    ar("last_payment_date", "متى كان آخر دفع من مديرية الصحة بومرداس؟", ret(lp["date"], [lp["payment_id"]], False, "last payment of C16"))
    lp = last_payment("C20")
    ar("days_since_payment", "شحال من نهار ما خلصناش السيد يوسف بن علي؟", ret((A - P(lp["date"])).days, [lp["payment_id"]], False, "days since last payment of C20"))
    ar("invoiced_ht", "رقم الأعمال لشهر جانفي 2026", INVSUM("total_ht", *M(2026, 1), "HT Jan 2026"))
    ar("invoiced_ttc", "كم فوترنا في شباط ٢٠٢٦؟", INVSUM("total_ttc", *M(2026, 2), "TTC Feb 2026"))
    ar("invoiced_ht", "رقم الأعمال خارج الرسم للثلاثي الرابع 2025", INVSUM("total_ht", *Q(2025, 4), "HT Q4 2025"))
    ar("invoiced_ttc", "مجموع الفوترة بكل الرسوم في السداسي الثاني ٢٠٢٥", INVSUM("total_ttc", *S(2025, 2), "TTC H2 2025"))
    ar("vat", "كم الرسم على القيمة المضافة للربع الأول 2026؟", INVSUM("total_tva", *Q(2026, 1), "VAT Q1 2026"))
    ar("stamp", "حقوق الطابع المحصلة في سنة 2025", INVSUM("timbre", *Y(2025), "stamp 2025"))
    ar("count_invoices", "عدد الفواتير الصادرة في آذار 2026", INVCOUNT(*M(2026, 3), "invoices March 2026"))
    ar("receipts", "قداش دخل من الكليان في مارس 2026؟", PAYSUM(*M(2026, 3), "receipts March 2026"))
    ar("receipts", "كم دفع لنا COSIDAR في الثلاثي الأول ٢٠٢٦؟", PAYSUM(*Q(2026, 1), "payments C04 Q1 2026", client="C04"))
    ar("receipts", "المبالغ المحصلة بالشيكات في ديسمبر 2025", PAYSUM(*M(2025, 12), "cheque receipts Dec 2025", method="cheque"))
    ar("expenses", "كم صرفنا على الوقود في أيلول 2025؟", EXPSUM(*M(2025, 9), "carburant Sep 2025", category="carburant"))
    ar("supplier_payments", "شحال خلصنا لسونلغاز في 2025؟", EXPSUM(*Y(2025), "paid to S02 2025", supplier="S02"))
    ar("expenses_card", "مصاريف البطاقة CARD-01 في فيفري 2026", EXPSUM(*M(2026, 2), "card CARD-01 Feb 2026", card="CARD-01"))
    ar("largest_expense", "ما أكبر مصروف في الربع الأول من 2026؟", LARGEST_EXP(*Q(2026, 1), "max expense Q1 2026"))
    ar("bank_debits", "مجموع المدين في كشف البنك لشهر كانون الثاني 2026", BANKSUM(*M(2026, 1), -1, "bank debits Jan 2026"))
    ar("bank_credits", "قداش دخل للبنكة في أفريل 2025؟", BANKSUM(*M(2025, 4), 1, "bank credits Apr 2025"))
    ar("balance", "شحال عندنا في البنكة اليوم؟", BAL(A, "balance 2026-03-31"))
    ar("balance", "ما رصيد الحساب في ٣١ ديسمبر ٢٠٢٥؟", BAL(date(2025, 12, 31), "balance 2025-12-31"))
    x = R("x", kind="grand_compte"); tot = R("x")
    ar("share", "ما نسبة ديون كبار العملاء من مجموع الديون؟", share(x, tot, "grand_compte share of open receivables"))
    q1 = INVSUM("total_ht", *Q(2025, 4), "x"); q2 = INVSUM("total_ht", *Q(2026, 1), "x")
    ar("change", "كم تغير رقم الأعمال بين الثلاثي الرابع 2025 والثلاثي الأول 2026؟", diff(q2, q1, "HT Q1 2026 minus Q4 2025"))
    ar("unanswerable", "كم تدين لنا شركة أوريدو؟", NULL("unknown client Ooredoo"))
    ar("unanswerable", "رقم الأعمال لسنة 2022", NULL("before the books start"))
    ar("unanswerable", "رصيد البنك في 31 حزيران 2026", NULL("impossible date and after as-of"))
    ar("unanswerable", "شحال راح نفوترو في ماي 2026؟", NULL("after the as-of day"))
    ar("unanswerable", "كم عدد الموظفين عندنا؟", NULL("not in the books"))
    ar("unanswerable", "قداش صرفنا عند المورد موبيلكس؟", NULL("unknown supplier"))
    ar("unanswerable", "ما قيمة المخزون؟", NULL("stock not held"))
    ar("unanswerable", "مصاريف البطاقة CARD-09", NULL("unknown card"))
    # ---- English
    en("open_receivables", "How much do customers owe us in total right now?", R("open receivables, all clients"))
    en("open_receivables", "What's Sonelec Distribution's outstanding balance?", R("open receivables of C02", client="C02"))
    en("open_receivables", "Outstanding receivables from SMEs", R("open receivables, pme", kind="pme"))
    en("open_receivables_overdue", "Total overdue amount across all clients?", R("overdue", overdue=True))
    en("open_receivables_not_due", "How much is owed but not yet due?", R("not due", overdue=False))
    en("open_receivables_bucket", "Aging: what sits in the 61-90 days bucket?", R("61-90", bucket=(61, 90)))
    en("open_receivables_bucket", "Receivables 1 to 30 days past due for public administrations", R("1-30 administration", bucket=(1, 30), kind="administration"))
    en("count_clients_overdue", "How many customers have something overdue?", RCOUNT_CLIENTS("clients overdue", overdue=True))
    en("count_invoices_overdue", "Number of overdue invoices for El Manar Print?", RCOUNT("C09 overdue invoices", overdue=True, client="C09"))
    en("top_clients", "Top 4 debtors - combined amount?", TOP(4, "top 4 clients"))
    en("top_clients", "Which customer owes us the most in overdue invoices?", TOP(1, "top 1 overdue", overdue=True))
    en("days_late", "How many days late is invoice F2026-0028?", ret((A - P(INV["F2026-0028"]["due_date"])).days, ["F2026-0028"], False, "days past due F2026-0028"))
    lp = last_payment("C02")
    en("last_payment_date", "When did Sonelec last pay us?", ret(lp["date"], [lp["payment_id"]], False, "last payment C02"))
    lp = last_payment("C17")
    en("days_since_payment", "Days since EPH Rouiba's last payment?", ret((A - P(lp["date"])).days, [lp["payment_id"]], False, "days since last payment C17"))
    en("weighted_days_late", "Amount-weighted average days late on overdue invoices?", LATE("weighted days late", True))
    en("invoiced_ht", "Turnover for March 2026?", INVSUM("total_ht", *M(2026, 3), "HT March 2026"))
    en("invoiced_ttc", "Total invoiced including tax in Q3 2025", INVSUM("total_ttc", *Q(2025, 3), "TTC Q3 2025"))
    en("invoiced_ht", "Revenue excluding VAT for H2 2025 from large accounts", INVSUM("total_ht", *S(2025, 2), "HT H2 2025 grand_compte", kind="grand_compte"))
    en("vat", "VAT invoiced in Q3 2025?", INVSUM("total_tva", *Q(2025, 3), "VAT Q3 2025"))
    en("stamp", "Stamp duty collected in Q1 2026", INVSUM("timbre", *Q(2026, 1), "stamp Q1 2026"))
    en("count_invoices", "How many invoices did we issue in 2025?", INVCOUNT(*Y(2025), "invoices 2025"))
    en("largest_invoice", "Biggest single invoice in Q1 2026?", LARGEST_INV(*Q(2026, 1), "max invoice TTC Q1 2026"))
    en("average_invoice", "Average invoice value (excl. VAT) in Q1 2026?", AVG_INV(*Q(2026, 1), "total_ht", "average HT Q1 2026"))
    en("receipts", "Customer receipts in January 2026?", PAYSUM(*M(2026, 1), "receipts Jan 2026"))
    en("receipts", "Cash received by bank transfer in Q4 2025", PAYSUM(*Q(2025, 4), "virement receipts Q4 2025", method="virement"))
    en("expenses", "How much did we spend on telecom in 2025?", EXPSUM(*Y(2025), "telecom 2025", category="telecom"))
    en("supplier_payments", "Payments to Yalidine in Q1 2026?", EXPSUM(*Q(2026, 1), "paid to S14 Q1 2026", supplier="S14"))
    en("expenses_employee", "Total travel expenses claimed by L. Cherif", EXPSUM(date(2000, 1, 1), A, "L. Cherif", employee="L. Cherif"))
    en("count_expenses", "How many expenses were booked in February 2026?", EXPCOUNT(*M(2026, 2), "count Feb 2026"))
    en("bank_credits", "Bank credits in February 2026?", BANKSUM(*M(2026, 2), 1, "credits Feb 2026"))
    en("balance", "What was our bank balance on 2025-06-30?", BAL(date(2025, 6, 30), "balance 2025-06-30"))
    en("balance", "Cash position today?", BAL(A, "balance 2026-03-31"))
    e1 = EXPSUM(*Q(2025, 4), "x"); e2 = EXPSUM(*Q(2026, 1), "x")
    en("change_pct", "By what percentage did total expenses change from Q4 2025 to Q1 2026?", diff(e2, e1, "expenses Q1 2026 vs Q4 2025 %", pct=True))
    en("unallocated", "Total of payments received that are not matched to any invoice", UNALLOC("unallocated payments"))
    en("unanswerable", "How much does Sonatrach owe us?", NULL("unknown client Sonatrach"))
    en("unanswerable", "Revenue for Q2 2024?", NULL("before the books start"))
    en("unanswerable", "Bank balance on February 29, 2026?", NULL("impossible date"))
    en("unanswerable", "Expected turnover for April 2026?", NULL("after the as-of day"))
    en("unanswerable", "What's our gross margin on hardware sales?", NULL("cost of goods not in the books"))
    en("unanswerable", "How much did we pay Ooredoo Business last year?", NULL("unknown supplier"))


if __name__ == "__main__":
    main()
