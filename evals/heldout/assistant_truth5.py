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
    fr("days_late", "La facture F2026-0104 a combien de jours de retard ?", ret(0, ["F2026-0104"], False, "not yet due: 0 days late"))
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
    fr("null", "Combien nous doit Sonatel au 31/03 ?", NULL("unknown client Sonatel"))
    fr("null", "CA du 30 février 2026 ?", NULL("impossible date"))
    fr("null", "Chiffre d'affaires de 2023", NULL("before the books start"))
    fr("null", "Combien va-t-on facturer en mai 2026 ?", NULL("after the as-of day"))
    fr("null", "Quelle est la valeur de notre stock au 31 mars ?", NULL("the books do not hold stock"))
    more_questions(fr, ar, en)


def more_questions(fr, ar, en):
    pass


if __name__ == "__main__":
    main()
