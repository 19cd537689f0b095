"""Held-out split 6 of the accountant's assistant (issue 10): truth from the bundle CSVs only.

Stdlib only.  Usage: python3 evals/heldout/assistant_truth6.py BUNDLE_DIR [OUT_YAML]
Conventions (Khazna's published contract): money as 2-decimal strings; counts/days integers;
averages rounded 0.01; overdue = due < as-of and not fully paid, payments allocated oldest
first over the invoices they list; rejected payments and cancelled invoices count nowhere;
credit notes netted into invoicing/VAT/stamp and, for receivables, against the invoice they
credit; CA = HT; "facturé" alone = TTC; share = 100*part/whole (items = part ids);
change = later - earlier; top N = sum of the N amounts, items = client ids in order.
"""
import csv, datetime as dt, hashlib, json, os, sys
from decimal import Decimal as D, ROUND_HALF_UP

AS_OF = "2026-08-31"
B = sys.argv[1] if len(sys.argv) > 1 else "/tmp/s27k/bundle79"
OUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
    os.path.dirname(__file__), "..", "datasets", "assistant_heldout6.yaml")

def rd(n):
    with open(os.path.join(B, n), encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))

CL = {c["client_id"]: c for c in rd("clients.csv")}
INV = [i for i in rd("invoices.csv") if (i["status"] or "issued") == "issued"]
PAY = [p for p in rd("payments.csv") if (p["status"] or "cleared") == "cleared"]
EXP = rd("expenses.csv")
BANK = rd("bank_lines.csv")
COMP = json.load(open(os.path.join(B, "company.json"), encoding="utf-8"))
q2 = lambda x: str(D(x).quantize(D("0.01"), ROUND_HALF_UP))
day = dt.date.fromisoformat

def balances(asof=AS_OF):
    bal = {}
    inv = {i["number"]: i for i in INV}
    for i in sorted(INV, key=lambda i: (i["issue_date"], i["number"])):
        if i["issue_date"] <= asof and not i["credited_invoice"]:
            bal[i["number"]] = D(i["total_ttc"])
    for i in INV:
        if i["credited_invoice"] and i["issue_date"] <= asof and i["credited_invoice"] in bal:
            bal[i["credited_invoice"]] += D(i["total_ttc"])
    for p in sorted(PAY, key=lambda p: (p["date"], p["payment_id"])):
        if p["date"] > asof or not p["invoice_number"]:
            continue
        left = D(p["amount"])
        nums = sorted([n.strip() for n in p["invoice_number"].split(";") if n.strip() in bal],
                      key=lambda n: (inv[n]["issue_date"], n))
        for n in nums:
            take = min(left, max(bal[n], D(0)))
            bal[n] -= take; left -= take
    return {n: b for n, b in bal.items() if b > D("0.005")}

INVD = {i["number"]: i for i in INV}
def opens(asof=AS_OF, client=None, kind=None, overdue=None, age=None):
    r = []
    for n, b in balances(asof).items():
        i = INVD[n]
        if client and i["client_id"] != client: continue
        if kind and CL[i["client_id"]]["kind"] != kind: continue
        late = (day(asof) - day(i["due_date"])).days
        if overdue is True and late <= 0: continue
        if overdue is False and late > 0: continue
        if age and not (age[0] <= late <= age[1]): continue
        r.append((n, b, late))
    return sorted(r)

CASES = []
def add(q, lang, kind, value, items=(), ordered=False, definition=""):
    if isinstance(value, D): value = q2(value)
    CASES.append(dict(question=q, language=lang, kind=kind, value=value,
                      items=list(items), ordered=ordered, definition=definition))
def nul(q, lang, why):
    add(q, lang, "unanswerable", None, (), False, why)

def recv(q, lang, d, **kw):
    o = opens(**kw)
    add(q, lang, "open_receivables", sum((b for _, b, _ in o), D(0)), [n for n, _, _ in o], False, d)

def invoicing(q, lang, field, a, b, d, client=None, credits=True):
    s, ids = D(0), []
    for i in INV:
        if a <= i["issue_date"] <= b and (not client or i["client_id"] == client) and (credits or not i["credited_invoice"]):
            v = D(i[field]); s += v
            if v: ids.append(i["number"])
    add(q, lang, "invoiced_" + field, s, sorted(ids), False, d)
    return s, ids

def receipts(q, lang, a, b, d, client=None, method=None):
    s, ids = D(0), []
    for p in PAY:
        if a <= p["date"] <= b and (not client or p["client_id"] == client) and (not method or p["method"] == method):
            s += D(p["amount"]); ids.append(p["payment_id"])
    add(q, lang, "client_receipts", s, sorted(ids), False, d)
    return s, ids

def expenses(q, lang, a, b, d, **f):
    s, ids = D(0), []
    for e in EXP:
        if a <= e["date"] <= b and all(e[k] == v for k, v in f.items()):
            s += D(e["amount"]); ids.append(e["expense_id"])
    add(q, lang, "expenses", s, sorted(ids), False, d)
    return s, ids

def bank_bal(dd):
    return D(str(COMP["opening_balance"])) + sum((D(l["amount"]) for l in BANK if l["date"] <= dd), D(0))
def bank_flow(a, b, sign):
    return sum((D(l["amount"]) for l in BANK if a <= l["date"] <= b and (D(l["amount"]) > 0) == (sign > 0)), D(0))

# ---------------- questions ----------------
recv("Combien nos clients nous doivent-ils au total à ce jour ?", "fr", "open receivables, all, 2026-08-31")
recv("Quel est l'encours client des grands comptes ?", "fr", "open receivables, grand_compte", kind="grand_compte")
recv("Créances échues de 31 à 60 jours, montant ?", "fr", "overdue 31-60 days", overdue=True, age=(31, 60))
recv("Et celles de plus de 90 jours de retard ?", "fr", "overdue > 90 days", overdue=True, age=(91, 10**6))
recv("Total des factures pas encore échues ?", "fr", "open not yet due", overdue=False)
recv("How much do government clients owe us?", "en", "open receivables, administration", kind="administration")
recv("كم يدين لنا سوناريب حاليا؟", "ar", "open receivables C01", client="C01")
recv("Combien nous doit Bordj Logistique en retard ?", "fr", "overdue C06", overdue=True, client="C06")
nul("Combien nous doit Sonatel au 31/03 ?", "fr", "unknown client Sonatel")
nul("Quel était le solde bancaire au 30 février 2026 ?", "fr", "impossible date")
nul("How much did we invoice in January 2024?", "en", "before the books start")
nul("Combien on va encaisser de Cosider en octobre 2027 ?", "fr", "after the as-of day")
invoicing("Quel CA avons-nous fait au T2 2026 ?", "fr", "total_ht", "2026-04-01", "2026-06-30", "HT Q2 2026")
invoicing("Total facturé en juillet 2026 ?", "fr", "total_ttc", "2026-07-01", "2026-07-31", "TTC July 2026")
invoicing("Chiffre d'affaires TTC du premier semestre 2026", "fr", "total_ttc", "2026-01-01", "2026-06-30", "TTC H1 2026")
invoicing("What was our turnover in 2025?", "en", "total_ht", "2025-01-01", "2025-12-31", "HT 2025")
invoicing("TVA collectée au troisième trimestre 2025 ?", "fr", "total_tva", "2025-07-01", "2025-09-30", "VAT Q3 2025")
invoicing("Droit de timbre encaissé sur l'année 2025", "fr", "timbre", "2025-01-01", "2025-12-31", "stamp 2025")
invoicing("كم فوترنا في شهر ماي 2026 بالتي تي سي؟", "ar", "total_ttc", "2026-05-01", "2026-05-31", "TTC May 2026")
receipts("Encaissements clients d'août 2026 ?", "fr", "2026-08-01", "2026-08-31", "receipts Aug 2026")
receipts("Combien on a reçu en espèces depuis le début de l'année ?", "fr", "2026-01-01", "2026-08-31", "cash receipts YTD", method="especes")
receipts("How much has Sonelec paid us in 2026?", "en", "2026-01-01", "2026-08-31", "receipts C02 2026", client="C02")
expenses("Dépenses carburant en juin 2026 ?", "fr", "2026-06-01", "2026-06-30", "fuel June 2026", category="carburant")
expenses("Combien on a payé à Icosnet Hebergement en 2025 ?", "fr", "2025-01-01", "2025-12-31", "S13 2025", supplier_id="S13")
expenses("Total des dépenses faites par S. Meziane ?", "fr", "0000", "9999", "employee S. Meziane", employee="S. Meziane")
expenses("كم صرفنا بالبطاقة CARD-01 في جويلية 2026؟", "ar", "2026-07-01", "2026-07-31", "card July 2026", card_id="CARD-01")
add("Quel est le solde en banque au 31 juillet 2026 ?", "fr", "bank_balance", bank_bal("2026-07-31"), [], False, "balance 2026-07-31")
add("c'est quoi ma tréso aujourd'hui ?", "fr", "bank_balance", bank_bal(AS_OF), [], False, "balance as-of")
add("Total des débits bancaires de mars 2026 ?", "fr", "bank_debits", bank_flow("2026-03-01", "2026-03-31", -1), [], False, "debits Mar 2026")
add("Bank credits in April 2026?", "en", "bank_credits", bank_flow("2026-04-01", "2026-04-30", 1), [], False, "credits Apr 2026")
o = opens(overdue=True)
add("Combien de factures sont en retard de paiement ?", "fr", "count_invoices", len(o), [n for n, _, _ in o], False, "count overdue")
cs = sorted({INVD[n]["client_id"] for n, _, _ in o})
add("شكون اللي ما خلصش؟ شحال من عميل عندو فواتير متأخرة؟", "ar", "count_clients", len(cs), cs, False, "clients with overdue")
w = sum((b for _, b, _ in o), D(0))
add("Retard moyen pondéré par les montants sur les factures échues ?", "fr", "weighted_days_late",
    q2(sum((b * l for _, b, l in o), D(0)) / w) if w else None, [n for n, _, _ in o], False, "weighted days late")
add("What is the average number of days late on overdue invoices?", "en", "average_days_late",
    q2(D(sum(l for _, _, l in o)) / len(o)) if o else None, [n for n, _, _ in o], False, "avg days late")
per = {}
for n, b, _ in opens():
    per[INVD[n]["client_id"]] = per.get(INVD[n]["client_id"], D(0)) + b
top = sorted(per, key=lambda c: (-per[c], c))
add("Top 3 des clients qui nous doivent le plus ?", "fr", "top_clients", sum((per[c] for c in top[:3]), D(0)), top[:3], True, "top 3 owed")
add("Which client owes us the most?", "en", "top_clients", per[top[0]], top[:1], True, "top 1 owed")
tot = sum(per.values(), D(0))
add("Quelle part de nos créances représentent les administrations, en % ?", "fr", "share",
    q2(100 * sum((b for _, b, _ in opens(kind="administration")), D(0)) / tot),
    [n for n, _, _ in opens(kind="administration")], False, "share administration")
a, ia = sum((D(i["total_ht"]) for i in INV if "2026-04-01" <= i["issue_date"] <= "2026-06-30"), D(0)), [i["number"] for i in INV if "2026-04-01" <= i["issue_date"] <= "2026-06-30"]
b_, ib = sum((D(i["total_ht"]) for i in INV if "2026-01-01" <= i["issue_date"] <= "2026-03-31"), D(0)), [i["number"] for i in INV if "2026-01-01" <= i["issue_date"] <= "2026-03-31"]
add("De combien le CA a-t-il évolué entre le T1 et le T2 2026 ?", "fr", "change", b_ and (a - b_), sorted(ia + ib), False, "HT Q2-Q1 2026")
big = max((i for i in INV if not i["credited_invoice"]), key=lambda i: (D(i["total_ttc"]), i["number"]))
add("La plus grosse facture qu'on ait émise ?", "fr", "max_invoice", D(big["total_ttc"]), [big["number"]], False, "largest invoice TTC")
bx = max(EXP, key=lambda e: (D(e["amount"]), e["expense_id"]))
add("أكبر مصروف دفعناه على الإطلاق؟", "ar", "max_expense", D(bx["amount"]), [bx["expense_id"]], False, "largest expense")
lp = max((p for p in PAY if p["client_id"] == "C05"), key=lambda p: (p["date"], p["payment_id"]))
add("Quand Ibn Sina Medical nous a-t-il payés pour la dernière fois ?", "fr", "date", lp["date"], [lp["payment_id"]], False, "last payment C05")
add("How many days since Ibn Sina last paid?", "en", "days", (day(AS_OF) - day(lp["date"])).days, [lp["payment_id"]], False, "days since last payment C05")
un = [p for p in PAY if not p["invoice_number"]]
add("Y a-t-il des paiements non affectés ? Pour quel montant ?", "fr", "unallocated_payments", sum((D(p["amount"]) for p in un), D(0)), [p["payment_id"] for p in un], False, "unallocated")
cn = [i for i in INV if i["credited_invoice"]]
add("Total des avoirs émis ?", "fr", "credit_notes", sum((D(i["total_ttc"]) for i in cn), D(0)), [i["number"] for i in cn], False, "credit notes TTC")
nul("Quel est le CA de notre filiale d'Oran ?", "fr", "not in the books")
nul("ما هو رصيد الصندوق يوم ٣١ حزيران ٢٠٢٦؟", "ar", "impossible date (June 31)")
# ---- batch 2 ----
recv("Balance âgée : combien est échu depuis 1 à 30 jours ?", "fr", "overdue 1-30", overdue=True, age=(1, 30))
recv("Montant des créances échues entre 61 et 90 jours ?", "fr", "overdue 61-90", overdue=True, age=(61, 90))
recv("Les PME, elles nous doivent combien en tout ?", "fr", "open pme", kind="pme")
recv("Encours des particuliers ?", "fr", "open particulier", kind="particulier")
recv("Factures échues des administrations : total ?", "fr", "overdue administration", overdue=True, kind="administration")
recv("Combien la Direction de l'Education nous doit encore ?", "fr", "open C15", client="C15")
recv("Reste à payer de SARL Numidia Agro ?", "fr", "open C07", client="C07")
recv("Que nous doit l'EPH de Rouiba au 30/06/2026 ?", "fr", "open C17 on 2026-06-30", client="C17", asof="2026-06-30")
recv("Encours client total au 31 décembre 2025 ?", "fr", "open all 2025-12-31", asof="2025-12-31")
recv("What's overdue from Djazair Mobile?", "en", "overdue C03", overdue=True, client="C03")
recv("Receivables not yet due from key accounts?", "en", "not due grand_compte", overdue=False, kind="grand_compte")
recv("كم من المستحقات المتأخرة عند مؤسسة النور للبناء؟", "ar", "overdue C12", overdue=True, client="C12")
recv("شحال باقي عند شركة الأمل للتوزيع؟", "ar", "open C11", client="C11")
recv("ما مجموع الديون المتأخرة أكثر من ٦٠ يوما؟", "ar", "overdue > 60", overdue=True, age=(61, 10**6))
nul("Combien nous doit la société Sonatrach ?", "fr", "unknown client Sonatrach")
nul("How much does Cevital owe?", "en", "unknown client Cevital")
nul("Encours clients au 15 janvier 2027 ?", "fr", "after as-of")
invoicing("CA de mars 2026 ?", "fr", "total_ht", "2026-03-01", "2026-03-31", "HT Mar 2026")
invoicing("Chiffre d'affaires du S2 2025", "fr", "total_ht", "2025-07-01", "2025-12-31", "HT H2 2025")
invoicing("Montant facturé TTC au T4 2025 ?", "fr", "total_ttc", "2025-10-01", "2025-12-31", "TTC Q4 2025")
invoicing("CA hors avoirs de l'année 2025 ?", "fr", "total_ht", "2025-01-01", "2025-12-31", "HT 2025 excl credit notes", credits=False)
invoicing("La TVA du 2e trimestre 2026, ça fait combien ?", "fr", "total_tva", "2026-04-01", "2026-06-30", "VAT Q2 2026")
invoicing("TVA facturée T1 2026", "fr", "total_tva", "2026-01-01", "2026-03-31", "VAT Q1 2026")
invoicing("Timbre fiscal collecté depuis janvier 2026 ?", "fr", "timbre", "2026-01-01", "2026-08-31", "stamp YTD 2026")
invoicing("Combien on a facturé à SONAREP en 2026 ?", "fr", "total_ttc", "2026-01-01", "2026-08-31", "TTC C01 2026", client="C01")
invoicing("CA réalisé avec Hodna Plast en 2025 ?", "fr", "total_ht", "2025-01-01", "2025-12-31", "HT C10 2025", client="C10")
invoicing("Invoiced amount incl. tax in June 2026?", "en", "total_ttc", "2026-06-01", "2026-06-30", "TTC Jun 2026")
invoicing("VAT collected in Q4 2025?", "en", "total_tva", "2025-10-01", "2025-12-31", "VAT Q4 2025")
invoicing("ما هو رقم الأعمال خارج الرسم لشهر أيار 2026؟", "ar", "total_ht", "2026-05-01", "2026-05-31", "HT May 2026 (Levant)")
invoicing("قداه الطابع الجبائي في السداسي الأول ٢٠٢٦؟", "ar", "timbre", "2026-01-01", "2026-06-30", "stamp H1 2026")
invoicing("ضريبة القيمة المضافة في الثلاثي الثالث 2025؟", "ar", "total_tva", "2025-07-01", "2025-09-30", "VAT Q3 2025 ar")
receipts("Encaissements par virement en juillet 2026 ?", "fr", "2026-07-01", "2026-07-31", "transfer receipts Jul 2026", method="virement")
receipts("Combien de chèques encaissés (montant) au S1 2026 ?", "fr", "2026-01-01", "2026-06-30", "cheque receipts H1 2026", method="cheque")
receipts("Ce qu'a versé COSIDAR depuis le début de l'année", "fr", "2026-01-01", "2026-08-31", "receipts C04 YTD", client="C04")
receipts("Client receipts in Q2 2026?", "en", "2026-04-01", "2026-06-30", "receipts Q2 2026")
receipts("كم دخل من الزبائن في أوت 2026؟", "ar", "2026-08-01", "2026-08-31", "receipts Aug 2026 ar")
receipts("المبالغ المستلمة نقدا في تموز ٢٠٢٦", "ar", "2026-07-01", "2026-07-31", "cash receipts Jul 2026", method="especes")
expenses("Frais de restaurant en 2026 ?", "fr", "2026-01-01", "2026-08-31", "restaurant 2026", category="restaurant")
expenses("Combien pour les fournitures au T2 2026 ?", "fr", "2026-04-01", "2026-06-30", "fournitures Q2 2026", category="fournitures")
expenses("Paiements à Yalidine Expres en 2026", "fr", "2026-01-01", "2026-08-31", "S14 2026", supplier_id="S14")
expenses("Combien on a versé à Clim Service sur toute la période ?", "fr", "0000", "9999", "S12 all", supplier_id="S12")
expenses("Loyer payé en 2025 ?", "fr", "2025-01-01", "2025-12-31", "loyer 2025", category="loyer")
expenses("Dépenses de K. Benali ?", "fr", "0000", "9999", "employee K. Benali", employee="K. Benali")
expenses("How much did we pay Algerie Telecom in 2025?", "en", "2025-01-01", "2025-12-31", "S03 2025", supplier_id="S03")
expenses("Subcontracting spend in 2026?", "en", "2026-01-01", "2026-08-31", "sous_traitance 2026", category="sous_traitance")
expenses("Fuel card CARD-01 spending in August 2026?", "en", "2026-08-01", "2026-08-31", "card Aug 2026", card_id="CARD-01")
expenses("مصاريف الوقود في شهر مارس 2026", "ar", "2026-03-01", "2026-03-31", "carburant Mar 2026", category="carburant")
expenses("كم خلصنا لسونلغاز في 2025؟", "ar", "2025-01-01", "2025-12-31", "S02 2025", supplier_id="S02")
nul("Combien on a payé au fournisseur Condor ?", "fr", "unknown supplier")
nul("Dépenses de la carte CARD-09 ?", "fr", "unknown card")
for dd, q, lg in [("2025-12-31", "Solde bancaire fin 2025 ?", "fr"), ("2026-03-31", "What was the bank balance on 31 March 2026?", "en"),
                  ("2026-06-30", "كم كان الرصيد في البنك يوم 30 جوان 2026؟", "ar"), ("2026-08-15", "Combien on avait en banque le 15/08/2026 ?", "fr")]:
    add(q, lg, "bank_balance", bank_bal(dd), [], False, "balance " + dd)
add("Sorties bancaires du mois de juin 2026 ?", "fr", "bank_debits", bank_flow("2026-06-01", "2026-06-30", -1), [], False, "debits Jun 2026")
add("Total des crédits en banque en janvier 2026 ?", "fr", "bank_credits", bank_flow("2026-01-01", "2026-01-31", 1), [], False, "credits Jan 2026")
add("مجموع الخصوم البنكية في فبراير 2026", "ar", "bank_debits", bank_flow("2026-02-01", "2026-02-28", -1), [], False, "debits Feb 2026")
add("De combien la tréso a bougé entre le 30 juin et le 31 juillet 2026 ?", "fr", "change", bank_bal("2026-07-31") - bank_bal("2026-06-30"), [], False, "balance change")
nul("Solde en banque au 31 décembre 2024 ?", "fr", "before the books start")
nul("What will the bank balance be on 31/13/2026?", "en", "impossible date")
# ---- batch 3 ----
def days_late(q, lang, num):
    i = INVD[num]; b = balances().get(num)
    add(q, lang, "days_late", (day(AS_OF) - day(i["due_date"])).days if b and i["due_date"] < AS_OF else 0, [num], False, "days late " + num)
ov = [n for n, _, _ in opens(overdue=True)]
days_late("La facture %s a combien de jours de retard ?" % ov[0], "fr", ov[0])
days_late("How many days overdue is %s?" % ov[-1], "en", ov[-1])
days_late("كم يوم تأخير في الفاتورة %s؟" % ov[len(ov) // 2], "ar", ov[len(ov) // 2])
def last_pay(c):
    return max((p for p in PAY if p["client_id"] == c), key=lambda p: (p["date"], p["payment_id"]))
for c, q, lg, k in [("C09", "Date du dernier règlement d'El Manar Print ?", "fr", "date"),
                    ("C14", "L'APC de Bab Ezzouar a payé quand pour la dernière fois ?", "fr", "date"),
                    ("C02", "Ça fait combien de jours que Sonelec n'a rien versé ?", "fr", "days"),
                    ("C13", "آخر دفعة من أمين للعقار كانت متى؟", "ar", "date"),
                    ("C08", "Days since Tassili Ingenierie's last payment?", "en", "days")]:
    lp = last_pay(c)
    add(q, lg, k, lp["date"] if k == "date" else (day(AS_OF) - day(lp["date"])).days, [lp["payment_id"]], False, k + " last payment " + c)
def cnt_inv(q, lang, a, b, d, client=None):
    ids = sorted(i["number"] for i in INV if a <= i["issue_date"] <= b and not i["credited_invoice"] and (not client or i["client_id"] == client))
    add(q, lang, "count_invoices", len(ids), ids, False, d)
cnt_inv("Combien de factures avons-nous émises en 2025 ?", "fr", "2025-01-01", "2025-12-31", "count invoices 2025")
cnt_inv("Nombre de factures adressées à SONAREP au premier semestre 2026 ?", "fr", "2026-01-01", "2026-06-30", "count C01 H1 2026", client="C01")
cnt_inv("How many invoices did we issue in July 2026?", "en", "2026-07-01", "2026-07-31", "count Jul 2026")
cnt_inv("شحال من فاتورة درنا في جانفي 2026؟", "ar", "2026-01-01", "2026-01-31", "count Jan 2026 (Maghreb)")
xs = [e for e in EXP if "2026-01-01" <= e["date"] <= "2026-08-31" and e["category"] == "restaurant"]
add("Nombre de notes de restaurant payées cette année ?", "fr", "count_expenses", len(xs), sorted(e["expense_id"] for e in xs), False, "count restaurant 2026")
add("Montant moyen d'une note de restaurant en 2026 ?", "fr", "average", q2(sum((D(e["amount"]) for e in xs), D(0)) / len(xs)), sorted(e["expense_id"] for e in xs), False, "avg restaurant 2026")
ji = [i for i in INV if "2026-01-01" <= i["issue_date"] <= "2026-06-30" and not i["credited_invoice"]]
add("Montant moyen TTC d'une facture au S1 2026 ?", "fr", "average", q2(sum((D(i["total_ttc"]) for i in ji), D(0)) / len(ji)), sorted(i["number"] for i in ji), False, "avg invoice TTC H1 2026")
add("Average invoice amount excluding VAT in H1 2026?", "en", "average", q2(sum((D(i["total_ht"]) for i in ji), D(0)) / len(ji)), sorted(i["number"] for i in ji), False, "avg invoice HT H1 2026")
bx = max((e for e in EXP if e["date"] >= "2026-01-01"), key=lambda e: (D(e["amount"]), e["expense_id"]))
add("Plus grosse dépense de 2026 ?", "fr", "max_expense", D(bx["amount"]), [bx["expense_id"]], False, "largest expense 2026")
bi = max((i for i in INV if i["client_id"] == "C04" and not i["credited_invoice"]), key=lambda i: (D(i["total_ttc"]), i["number"]))
add("La plus grosse facture de Cosidar ?", "fr", "max_invoice", D(bi["total_ttc"]), [bi["number"]], False, "largest invoice C04")
add("Top 5 des débiteurs, combien ils doivent ensemble ?", "fr", "top_clients", sum((per[c] for c in top[:5]), D(0)), top[:5], True, "top 5 owed")
add("أكثر ثلاثة زبائن مدينين لنا؟", "ar", "top_clients", sum((per[c] for c in top[:3]), D(0)), top[:3], True, "top 3 owed ar")
add("Top 2 debtors?", "en", "top_clients", sum((per[c] for c in top[:2]), D(0)), top[:2], True, "top 2 owed")
gk = opens(kind="grand_compte")
add("Les grands comptes pèsent combien en % de l'encours ?", "fr", "share", q2(100 * sum((b for _, b, _ in gk), D(0)) / tot), [n for n, _, _ in gk], False, "share grand_compte")
od = opens(overdue=True)
add("Quel pourcentage de nos créances est échu ?", "fr", "share", q2(100 * sum((b for _, b, _ in od), D(0)) / tot), [n for n, _, _ in od], False, "share overdue")
add("نسبة المستحقات المتأخرة من المجموع؟", "ar", "share", q2(100 * sum((b for _, b, _ in od), D(0)) / tot), [n for n, _, _ in od], False, "share overdue ar")
def ht(a, b):
    r = [i for i in INV if a <= i["issue_date"] <= b]
    return sum((D(i["total_ht"]) for i in r), D(0)), [i["number"] for i in r if D(i["total_ht"])]
(a1, i1), (a2, i2) = ht("2026-06-01", "2026-06-30"), ht("2026-07-01", "2026-07-31")
add("Variation du CA entre juin et juillet 2026 en % ?", "fr", "change_pct", q2(100 * (a2 - a1) / a1), sorted(i1 + i2), False, "HT Jul vs Jun 2026 %")
(a1, i1), (a2, i2) = ht("2025-01-01", "2025-06-30"), ht("2026-01-01", "2026-06-30")
add("How much did turnover change from H1 2025 to H1 2026?", "en", "change", a2 - a1, sorted(i1 + i2), False, "HT H1 2026 - H1 2025")
r1 = [p for p in PAY if p["date"][:7] == "2026-07"]; r2 = [p for p in PAY if p["date"][:7] == "2026-08"]
add("Écart des encaissements entre juillet et août 2026 ?", "fr", "change", sum((D(p["amount"]) for p in r2), D(0)) - sum((D(p["amount"]) for p in r1), D(0)), sorted(p["payment_id"] for p in r1 + r2), False, "receipts Aug - Jul 2026")
f26 = [i for i in INV if "2026-01-01" <= i["issue_date"] <= "2026-08-31"]; p26 = [p for p in PAY if "2026-01-01" <= p["date"] <= "2026-08-31"]
add("Différence entre le facturé et l'encaissé en 2026 ?", "fr", "difference", sum((D(i["total_ttc"]) for i in f26), D(0)) - sum((D(p["amount"]) for p in p26), D(0)),
    sorted([i["number"] for i in f26] + [p["payment_id"] for p in p26]), False, "TTC 2026 - receipts 2026")
cs = sorted({INVD[n]["client_id"] for n, _, _ in opens(overdue=True, kind="administration")})
add("Combien d'administrations ont des factures en retard ?", "fr", "count_clients", len(cs), cs, False, "count admin clients overdue")
cs2 = sorted({INVD[n]["client_id"] for n, _, _ in opens(overdue=True, age=(61, 10**6))})
add("How many clients have invoices more than 60 days late?", "en", "count_clients", len(cs2), cs2, False, "clients > 60 days")
pp = []
for n, b, _ in opens():
    if b < D(INVD[n]["total_ttc"]): pp.append((n, b))
add("Combien de factures partiellement payées, et il reste combien dessus ?", "fr", "open_receivables", sum((b for _, b in pp), D(0)), [n for n, _ in pp], False, "partially paid invoices remaining")
ag = opens(overdue=True, kind="pme")
add("Retard moyen des PME sur leurs factures échues ?", "fr", "average_days_late", q2(D(sum(l for _, _, l in ag)) / len(ag)) if ag else None, [n for n, _, _ in ag], False, "avg days late pme")
add("متوسط أيام التأخير المرجح بالمبالغ؟", "ar", "weighted_days_late", q2(sum((b * l for _, b, l in o), D(0)) / w), [n for n, _, _ in o], False, "weighted days late ar")
nul("Combien nous doit le client Ooredoo ?", "fr", "unknown client")
nul("Quel CA au T1 2024 ?", "fr", "before the books start")
nul("Combien de factures au 31 avril 2026 ?", "fr", "impossible date")
nul("Quelle est la marge nette de l'exercice 2025 ?", "fr", "not held in the books (no cost of sales)")
nul("Combien on a payé en salaires à M. Boudiaf ?", "fr", "unknown employee")
nul("كم يدين لنا زبون اسمه موبيليس؟", "ar", "unknown client Mobilis (a supplier)")
nul("ما هو رقم الأعمال في ديسمبر 2026؟", "ar", "after the as-of day")
nul("What is our stock value today?", "en", "not held in the books")
nul("Receipts from Sonatrach in 2025?", "en", "unknown client")
nul("Combien de TVA au T5 2025 ?", "fr", "impossible period")
# ---- batch 4 ----
recv("شحال عندنا ديون عند الإدارات اللي فاتت آجالها بين 31 و 60 يوم؟", "ar", "overdue admin 31-60", overdue=True, kind="administration", age=(31, 60))
invoicing("كم فوترنا لمديرية الصحة لولاية بومرداس في 2025؟", "ar", "total_ttc", "2025-01-01", "2025-12-31", "TTC C16 2025", client="C16")
expenses("مصاريف المطاعم في كانون الثاني ٢٠٢٦", "ar", "2026-01-01", "2026-01-31", "restaurant Jan 2026 (Levant)", category="restaurant")
add("قداه كان عندنا في البنك نهار ٣١ مارس ٢٠٢٦؟", "ar", "bank_balance", bank_bal("2026-03-31"), [], False, "balance 2026-03-31 ar")
recv("Open receivables from Karim Hadjadj?", "en", "open C18", client="C18")
expenses("Telecom expenses in Q1 2026?", "en", "2026-01-01", "2026-03-31", "telecom Q1 2026", category="telecom")
DROP = {"Combien de TVA au T5 2025 ?", "Encours des particuliers ?", "TVA facturée T1 2026",
        "Combien on avait en banque le 15/08/2026 ?", "Dépenses de K. Benali ?"}
CASES[:] = [c for c in CASES if c["question"] not in DROP]

def y(v):
    return "null" if v is None else (str(v) if isinstance(v, int) else "'" + str(v) + "'")
def s(t): return json.dumps(t, ensure_ascii=False)
sha = lambda n: hashlib.sha256(open(os.path.join(B, n), "rb").read()).hexdigest()
L = ["# Held-out split 6 of the accountant's assistant (issue 10). Written from",
     "# spec/bundle.md, spec/cli.md and the demo CSV files only. Generated, do not edit by hand:",
     "#   KHAZNA_HOME=/tmp/s27k/home .venv/bin/khazna demo --seed 79 --as-of 2026-08-31 \\",
     "#       --db sqlite:////tmp/s27k/demo79.db --dir /tmp/s27k/bundle79 --json",
     "#   python3 evals/heldout/assistant_truth6.py /tmp/s27k/bundle79",
     "# Conventions: see the docstring of evals/heldout/assistant_truth6.py."]
L += ["# sha256 %s %s" % (sha(n), n) for n in sorted(f for f in os.listdir(B) if f.endswith(".csv"))]
L += ["dataset: assistant_heldout6", "ledger: {demo_seed: 79, as_of: '2026-08-31'}",
      "note: sixth held-out split, truth by evals/heldout/assistant_truth6.py", "cases:"]
for c in CASES:
    L += ["- question: " + s(c["question"]), "  language: " + c["language"], "  kind: " + c["kind"],
          "  value: " + y(c["value"]), "  items: " + s(c["items"]), "  ordered: " + ("true" if c["ordered"] else "false"),
          "  definition: " + s(c["definition"])]
open(OUT, "w", encoding="utf-8").write("\n".join(L) + "\n")
print(len(CASES), "cases ->", OUT)
