"""The assistant's lexicon: the words of measures, dimensions, periods and aggregations in
French, Arabic (MSA and Darja) and English, as regular expressions over the lower-cased
question, and the question's language. :mod:`.read` composes them into a typed query."""

from __future__ import annotations

import re

from khazna.agents.assistant import periods
from khazna.agents.assistant.periods import MONTHS
from khazna.tools.names import fold

ARABIC = re.compile(r"[\u0600-\u06ff]")
_EN_WORDS = {
    "what", "how", "many", "much", "did", "we", "pay", "paid", "the", "of", "is", "receivables",
    "invoices", "unpaid", "overdue", "balance", "expenses", "vat", "collected", "rejected",
    "cheques", "checks", "without", "receipts", "receipt", "total", "days", "over", "more",
    "than", "this", "year", "month", "last", "in", "on", "to", "for", "and", "their", "late",
    "which", "clients", "owe", "most", "spent", "bank", "bounced", "outstanding", "top",
 "cash", "flow", "net", "invoice", "invoiced", "revenue", "turnover", "share", "percentage",
    "amount", "largest", "biggest", "average", "client", "supplier", "bucket", "day", "from",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "quarter", "half", "since", "credit", "notes", "stamp",
    "duty", "debits", "credits", "owed", "who", "has", "have", "not", "with", "between",
    "when", "date", "first", "payments", "payment", "unallocated", "unapplied", "allocated", "list", "compared", "versus",
}  # fmt: skip


_FR_WORDS = {
    "combien", "quel", "quelle", "quels", "quelles", "est", "les", "des", "du", "de", "la", "le",
    "au", "aux", "en", "et", "on", "nous", "notre", "nos", "a", "à", "ce", "cette", "mois",
    "année", "factures", "facture", "créances", "dépenses", "payé", "doit", "depuis", "sur",
    "par", "pour", "dans", "jours", "entre", "total", "solde",
}  # fmt: skip


def detect_language(question: str) -> str:
    """``ar`` when the question has Arabic letters; else ``en`` when its English words outnumber
    its French ones (words with accents count as French), else ``fr``."""
    if ARABIC.search(question):
        return "ar"
    ws = re.findall(r"[^\W\d_]+", question.lower())
    en = sum(w in _EN_WORDS for w in ws)
    fr = sum(w in _FR_WORDS or not w.isascii() for w in ws)
    return "en" if ws and en > fr and en >= min(2, len(ws)) else "fr"


# fmt: off
VAT = (r"\btva\b", r"\bvat\b", r"(?:ال)?ضريبة (?:على )?القيمة المضافة", r"القيمة المضافة", r"الرسم على القيمة")
BALANCE = (r"\bsolde\b", r"bank balance", r"\bbalance (?:on|at|as)", r"رصيد", r"cash position", r"tr[ée]sorerie")
REJECTED = (r"rejet", r"retourn", r"impay[ée]s? ch[eè]que", r"ch[eè]ques? (?:impay|sans provision|revenu)", r"bounced", r"returned", r"rejected",
            r"مرفوض", r"مرتجع", r"bounce")
# a missing supporting document; English "receipts" alone is money received (RECEIPTS)
RECEIPT = (r"justificati", r"sans (?:re[çc]u|pi[èe]ce|facture)", r"\b(?:without|missing|no|lacking) (?:a |any )?receipts?\b",
           r"\breceipts? (?:missing|on file)\b", r"\bunreceipted\b", r"وصل", r"إيصال", r"ايصال", r"مبرر")
DSO = (r"\bdso\b", r"d[ée]lai moyen (?:de paiement|d'encaissement|de recouvrement)",
       r"days sales outstanding", r"مدة التحصيل", r"آجال التحصيل")
TOP = (r"(?<!\S)أكثر(?= \d{1,2} )", r"مدينين", r"المدينين", r"\btop\b", r"plus gros", r"doivent le plus", r"doit le plus", r"owe(?:s)? (?:us )?the most",
       r"biggest debtors", r"\bdebtors\b", r"principaux (?:clients|débiteurs)", r"(?<!mouvements )(?<!op[ée]rations )d[ée]biteurs", r"mauvais payeurs", r"\bworst payers\b", r"\bretardataires\b", r"\blate payers\b", r"largest", r"الأكثر مديونية", r"أكبر")
DAYS_LATE = (r"(?<!\d)(?<!\d )days? (?:past due|overdue)", r"تأخير", r"(?<!م)تأخرت", r"(?<!م)تأخر", r"jours? de retard", r"days? late", r"أيام التأخ", r"ايام التأخ", r"مدة التأخ", r"(?<!en )retards?\b")
PAID_TO = (r"\bpay[ée]s? [àa]", r"\bvers[ée]s? [àa]", r"\br[ée]gl[ée]s? [àa]", r"\bpaid to",
           r"\bpay to", r"\bpaid\b", r"دفعنا", r"(?<!\S)[وف]?خلصنا(?!\S)", r"(?<!غير )المدفوع", r"سددنا", r"\bpay[ée]\b", r"\bspent\b")
EXPENSES = (r"notes? de frais", r"(?<!\S)صرف(?:ت|وا|و)?(?!\S)", r"expense (?:claims|reports)", r"\bco[ûu]t[ée]e?s?\b", r"\bco[ûu]te(?:nt|r)?\b", r"\bcost(?:s|ed)?\b", r"صرفنا", r"نفقة", r"paiements? (?:aux |à des |des )?fournisseurs?", r"supplier payments?", r"payments? to suppliers", r"مصروف", r"المصروف", r"أنفقنا", r"انفقنا", r"d[ée]pen[sc]es?", r"d[ée]pens[ée]", r"\bspend\b", r"frais", r"expenses?", r"spent", r"spending", r"مصاريف", r"المصاريف",
            r"نفقات", r"النفقات", r"مصروفات")
# every age together ("échues ou pas", "échu et non échu confondus"): no age filter
ALL_AGES = (r"[ée]chue?s? ou (?:pas|non)", r"[ée]chue?s? (?:et|ou) non [ée]chue?s?", r"[ée]chue?s? (?:et|ou) [àa] [ée]choir", r"overdue or not",
            r"(?:overdue|past due) (?:and|or) (?:not yet due|current)", r"المتأخرة وغير المتأخرة")  # fmt: skip
# not (yet) paid: open, never "paid invoices"
NOT_PAID = (r"ما ?ت?خلص\w*ش", r"(?:pas|non|jamais) (?:encore )?(?:[ée]t[ée] )?(?:enti[èe]rement )?(?:pay|r[ée]gl|sold|encaiss)[ée]e?s?",
            r"not (?:yet )?(?:been )?(?:fully )?(?:paid|settled)", r"\bunsettled\b")  # fmt: skip
RECEIVABLES: tuple[str, ...] = (r"\bdevai(?:t|ent)\b", r"\bretards? (?:entre|de \d|sup[ée]rieurs?)\b", r"[ée]chus?\b", r"(?<!\S)[يت]سال\w*", r"\baged (?:receivables|debts?|balance)\b", r"(?<!\S)(?:ما )?(?:بقي|باقي) (?:علي(?:ه|ها|هم)|عند)", r"(?:ال)?(?:مبلغ )?(?:ال)?(?:متبقي|باقي|بقي) (?:على|عند)", r"عند (?:ال)?(?:كليان|زبائن|عملاء)", r"(?:ال)?مستحقة? على", r"\breste(?:-t-il)?(?: encore)? [àa] (?:payer|r[ée]gler|encaisser)\b", r"(?:pas|non) encore exigibles?", r"لم (?:ي|ت)حل (?:ال)?أجل\w*", r"\brestant d[ûu]\b", r"\breste d[ûu]\b", r"\bstill (?:owed|due|to pay)\b", r"(?<!\S)علي(?:ه|ها|هم)(?!\S)", r"يدين", r"تدين", r"مدين\w* لنا", r"الكريدي", r"كريدي", r"يدينون", r"\bowe[sd]?\b", r"\bencours?\b", r"\baccounts? receivables?\b", r"(?:ال)?مفتوحة", r"\bopen (?:receivables|invoices)", r"يسالو", r"cr[ée]ances?", r"impay[ée]", r"non pay[ée]", r"non r[ée]gl[ée]", r"ouvertes?", r"en retard",
               r"[ée]chues?", r"receivables?", r"unpaid", r"overdue", r"outstanding", r"open invoices",
               r"past due", r"balance [âa]g[ée]e", r"\baging\b", r"aged balance", r"ديون", r"الديون", r"مستحقات", r"المستحقات", r"غير مدفوعة", r"غير المدفوعة", r"غير (?:ال)?مدفوع(?!\w)",
               r"غير مسددة", r"غير المسددة", r"متأخرة", r"المتأخرة", r"\bdoi(?:t|vent)\b", r"\bowe",
               r"\bdû\b", r"\bdue?s? par\b", r"\bowed\b", r"\bowes\b", r"non [ée]chu", r"[àa] [ée]choir", r"not yet due",
               *NOT_PAID)
# "شحال من فاتورة", "كم من عميل": how many of a thing one counts
COUNTED_AR = (r"(?:كم|شحال|قداش)(?: من)? (?:فاتورة|فواتير|عميل|زبون|مصروف|دفعة|شيك)",)
COUNT = (r"\bnb\b", r"\bnbre\b", r"\bcombien de\b", r"\bnombre de\b", r"how many", r"number of", r"كم عدد", r"عدد", r"كم فاتورة", *COUNTED_AR)
OVERDUE = (r"\btra[îi]n(?:e|ent)\b", r"(?:ال)?متأخر(?!\w)", r"(?<!\S)[وف]?فاتها(?!\S)", r"(?<=فواتير )فاتت(?![^\W\d_])", r"فات\w* (?:ال)?(?:أجل|آجال)\w*", r"(?<!\w)(?:ال)?آجال\w*", r"(?<!\w)(?:ال)?أجل\w*", r"(?<!\w)فاتها(?!\w)", r"المتأخرين", r"متأخرين", r"[ée]chus?\b", r"ما خلص", r"ماخلص", r"not paid", r"pas pay", r"en retard", r"[ée]chues?", r"overdue", r"past due", r"late\b", r"متأخرة", r"المتأخرة",
           r"متأخر\w* عن (?:ال)?(?:سداد|دفع|تسديد|خلاص)",
           # "ما خلصش في الوقت", "not paid on time", "pas payé à temps": past due
           r"ما ?ت?خلص\w* (?:في|ف) ?(?:ال)?وقت", r"\b(?:not|never|didn.t|did not|hasn.t|haven.t) (?:been )?pa(?:y|id)\w* on time\b",
           r"\b(?:pas|jamais) (?:[ée]t[ée] )?(?:pay|r[ée]gl)[ée]\w* (?:[àa] temps|dans les d[ée]lais)")
INVOICES = (r"\bfacts?\b\.?", r"factures?", r"invoices?", r"فواتير", r"الفواتير", r"فاتورة")
# "plus de 60 jours", "over 60 days", "أكثر من 90 يوما", "> 60 j"
OLDER = re.compile(
    r"(?:plus de|au-del[àa] de|sup[ée]rieure?s? [àa]|over|more than|older than|beyond|above|>|أكثر من|"
    r"اكثر من|تتجاوز|تجاوزت|فاتت|فاتو|فاتها|عدات|فوق)\s*(\d{1,3})\s*(?:jours?|j\b|days?|d\b|يوما|يوم|أيام|ايام)",
    re.IGNORECASE,
)
ABOVE_AMOUNT = re.compile(
    r"(?:plus de|sup[ée]rieures? [àa]|au-dessus de|over|above|more than|أكثر من|اكثر من|فوق)\s*"
    r"(\d[\d  .,]*(?:\s*(?:m|millions?|k)\b)?)\s*(?:(?:da|dzd|dinars?)(?![a-z])|دج|دينار)", re.IGNORECASE,
)
TOP_N = re.compile(r"(?:top|les|the|nos|our|أكبر|أكثر|أول)\s*(\d{1,2})\b(?!\s*(?:jours?|days?|%|da\b|dzd))", re.IGNORECASE)
# fmt: on


# fmt: off
TTC = (r"بكل الرسوم", r"مع احتساب الرسوم", r"\btaxes? comprises?\b", r"\bttc\b", r"toutes taxes", r"incl(?:uding|\.)? (?:vat|tax)", r"tax(?:es)? included", r"مع الرسوم", r"شامل")
# turnover is excluding VAT unless said otherwise (the accountant's "CA")
TURNOVER = (r"مبيعات", r"المبيعات", r"chiff?res? d.aff?aires?", r"\bca\b", r"\bturnover\b", r"\brevenue\b", r"\bsales\b", r"رقم الأعمال", r"رقم الاعمال")
INVOICE_NO = re.compile(r"\b([a-z]{1,4}[-/]?\d{4}[-/]\d{2,6})\b", re.I)
DAYS_SINCE = (r"منذ كم يوما?", r"(?:شحال|كم) من (?:يوم|نهار) (?:ما|لم)",r"(?:[çc]a|cela) fait combien de jours", r"ne nous a rien (?:pay|r[ée]gl|vers)[ée]", r"n.a rien (?:pay|r[ée]gl|vers)[ée]", r"قبل كم يوم", r"كم يوما? مضى", r"(?<!\w)مضى(?!\w)", r"depuis quand", r"since when", r"منذ متى", r"depuis combien de jours", r"combien de jours depuis", r"dernier (?:paiement|r[èe]glement|versement)",
              r"days since", r"last payment", r"آخر دفعة", r"آخر تسديد", r"منذ كم يوم", r"كم يوما منذ")
# invoices settled ("factures payées / réglées / soldées en novembre"), never "impayées"
PAID_INVOICES = (r"(?<![\w])(?:ont [ée]t[ée] |ont |sont |[ée]t[ée] )?(?<!im)(?<!non )(?:pay[ée]es|r[ée]gl[ée]es|sold[ée]es|encaiss[ée]es)\b(?! partiellement)",
                 r"\b(?:paid|settled) invoices\b", r"invoices (?:were |have been )?(?:paid|settled)\b(?! partially)",
                 r"الفواتير المدفوعة", r"الفواتير المسددة", r"الفواتير التي (?:تم )?(?:دفعها|تسديدها)")  # fmt: skip
STILL_OPEN = (r"\bstill open\b", r"\bencore ouvert(?:e|es|s)?\b")
PARTIAL = (r"partiellement", r"\bpartly\b", r"en partie", r"partially", r"partial", r"جزئيا", r"جزئياً",
           r"(?:مخلص\w*|خلصو\w*|مدفوع\w*) (?:غير|برك) (?:شوي\w*|جزء\w*)", r"(?:ال)?نص مخلص\w*", r"(?:ال)?(?:مخلص|مدفوع|مسدد)\w* جزئي\w*")
DIFFERENCE = (r"diff[ée]rence", r"\bhow much (?:more|less)\b", r"\bcombien de (?:plus|moins)\b", r"\bd[ée]passe(?:-t-il|-t-elle|nt)?\b", r"\bde plus que\b", r"[ée]cart", r"difference", r"\bgap\b", r"الفرق", r"فرق")
BY_HOW_MUCH = (r"\bde combien\b", r"\bby how much\b", r"\bبكم\b", r"\bقداش زاد", r"\bقداش نقص")
CHANGE = (r"\bchang[ée]", r"\b[ée]volu[ée]", r"\bboug[ée]", r"\ba vari[ée]", r"\baugment[ée]", r"\bdiminu[ée]", r"\bbaiss[ée]", r"\bprogress[ée]", r"\brecul[ée]", r"\bvari[ée]", r"a (?:augment|diminu|baiss)[ée]", r"[ée]volution", r"variation", r"progression", r"croissance", r"\bchange\b", r"growth",
          r"\bevolution\b", r"increase", r"تطور", r"تغير", r"نمو", r"\bhausse\b", r"\baugmentation\b",
          r"\bdiminution\b", r"\bdecrease\b", r"\bdecline\b", r"(?:ال)?ارتفاع", r"(?:ال)?انخفاض")
COUNT_INVOICES = (r"(?:combien|nombre)(?: total)? de factures", r"how many invoices", r"number of invoices",
                  r"عدد الفواتير", r"كم فاتورة")
INVOICED = (r"\binvoicing\b", r"مبيعات", r"المبيعات", r"\bfactur(?:é|ée|ées|és|ee|ees)\b", r"(?:avons|a|ont) factur", r"\bfacturation\b", r"\bwe invoice", r"فوترنا", r"الفوترة", r"\bbilled\b",
            r"chiff?res? d.aff?aires?", r"\bca\b", r"\bfactur[ée]\b", r"montant factur", r"total factur",
            r"\binvoiced\b", r"\bturnover\b", r"\brevenue\b", r"\bsales\b", r"رقم الأعمال", r"المفوتر",
            r"\bfactures? [ée]mises?\b", r"\binvoices? (?:we )?(?:issued|sent)\b", r"(?:ال)?فواتير (?:ال)?صادرة")
HT = (r"\bht\b", r"hors tax", r"خارج الرسوم", r"excl(?:uding|\.)? (?:vat|tax)", r"before tax", r"خارج الرسم", r"دون رسم")
STAMP = (r"\btimbres?(?: fiscal| fiscaux)?\b", r"droits? de timbre", r"\bstamp", r"الطابع")
RECEIPTS = (r"دفع\w* لنا", r"\bre[çc]us? combien\b", r"\breceived? (?:a |any )?(?:client |customer )?payments?\b", r"(?<!\S)(?:ال)?مداخيل(?!\S)", r"(?<!\S)(?:ال)?مدفوعات (?:ال)?(?:زبائن|عملاء)", r"\b(?:on a|avons|nous avons|a-t-on|avons-nous) re[çc]us?\b", r"\bqu.a (?:vers|pay|r[ée]gl)[ée]\b", r"(?<!\S)دخل (?:من|عند) (?:ال)?(?:زبائن|عملاء)", r"(?:ال)?مبالغ (?:ال)?(?:مستلمة|محصلة)", r"(?<!\S)(?:استلمنا|قبضنا|حصلنا|تحصلنا)(?!\S)", r"(?:ال)?مقبوضات", r"(?<!without )(?<!missing )(?<!no )\breceipts\b(?! missing)", r"\bwe receive\b", r"r[èe]glements?\b.{0,25}\bre[çc]us\b", r"nous (?:a|ont)(?:-t-il|-ils|-elles)? (?:vers|pay|r[ée]gl)[ée]", r"\bqu.ont (?:vers|pay|r[ée]gl)[ée]", r"\b(?:has|have) [^?]{0,40}? paid us\b", r"\bcollections\b(?! rate)", r"\b(?:total|montant|somme|argent) re[çc]us?\b", r"(?<!\S)دخل (?:من|عند) (?:ال)?كليان", r"(?<!\S)[وف]?خلص(?:و|ت|وا)نا\w*", r"\b(?:client|customer|cash) receipts?\b", r"\breceipts? from (?:clients|customers)\b", r"خلصونا", r"خلصوا لنا", r"دفعولنا", r"\bpaiements?\b.{0,20}\bre[çc]us\b", r"\br[èe]glements? re[çc]us\b", r"\bpayments? (?:did )?we (?:get|receive)", r"\breceived? (?:any )?payments?\b", r"دفع(?:ه|وه|وا)? لنا", r"دخلنا", r"دخل لنا", r"r[èe]glements? (?:re[çc]us|des clients|clients)", r"\bcollect(?:ed)? from", r"encaiss[ée](?!r)", r"clients? (?:nous )?ont (?:pay|vers|r[ée]gl)", r"\bnous ont (?:le plus |le moins )?(?:pay|vers|r[ée]gl)[ée]", r"(?:pay|paid) us", r"received",
            r"دفعوا لنا", r"دفع لنا", r"استلمنا", r"تحصيل", r"encaissements?", r"\bre[çc]us? de\b", r"received from", r"payments? received",
            r"\bcollected from\b", r"قبضنا", r"المقبوضات", r"التحصيلات", r"حصلنا",
            # "combien a payé Batimetal au T3": the client is the subject of the payment
            r"\bcombien (?:a|ont|nous a|nous ont) (?:pay|vers|r[ée]gl)[ée]\b", r"\bcame in\b(?=[^?]*\b(?:clients?|customers?)\b)",
            r"\b(?:payments?|money)\b[^?]{0,30}\bc(?:o|a)me in\b", r"\b(?:money|amount) collected\b")
DEBITS = (r"\bau d[ée]bit\b", r"\bmouvements? d[ée]biteurs?\b", r"\bop[ée]rations? d[ée]bitrices?\b", r"(?<!\S)خرج\w* (?:من|مل) (?:ال)?(?:بنك|بنكة|حساب)(?!\w)", r"(?:ال)?خصومات", r"\b(?:est |sont )?sortie?s? du compte\b", r"المبالغ المدينة", r"\bsorties\b", r"\boutflows?\b", r"الخارج", r"d[ée]caiss[ée]", r"sorties? d.argent", r"money out", r"d[ée]bits?\b(?: bancaires)?", r"bank debits?", r"money out of the bank", r"السحوبات", r"المدين")
CREDITS = (r"\bau cr[ée]dit\b", r"\bmouvements? cr[ée]diteurs?\b", r"\bop[ée]rations? cr[ée]ditrices?\b", r"دخل\w* (?:ل|في )?(?:ال)?حساب", r"دخل\w* (?:لل|ل|في ال|في )(?:بنك|بنكة|بنكا|حساب)(?!\w)", r"\bcr[ée]dits (?:en|[àa] la|sur (?:le|notre) compte)\b", r"\bles cr[ée]dits\b", r"المبالغ الدائنة", r"\bentr[ée]es\b", r"\binflows?\b", r"الداخل", r"entr[ée]es? d.argent", r"money in\b", r"cr[ée]dits? bancaires", r"bank credits?", r"money into the bank", r"الإيداعات", r"الدائن")
CREDIT_NOTES = (r"الفواتير التصحيحية", r"فواتير? تصحيحية", r"(?<!\w)(?:ال)?أفوار(?!\w)", r"الإشعارات الدائنة", r"إشعار دائن", r"الاشعارات الدائنة", r"\bavoirs?\b", r"credit notes?", r"إشعارات? دائن", r"فواتير? (?:ال)?تخفيض")
CASH = (r"في الحساب", r"(?<!\S)(?:ال)?خزين[ةه](?!\S)", r"فالحساب", r"sur (?:le|notre) compte", r"in (?:the|our) account", r"\b(?:our|my) cash\b", r"how much cash", r"cash (?:today|now|in (?:the )?bank)", r"\bma tr[ée]so", r"السيولة", r"قداش عندنا",
        r"\btr[ée]so\b", r"\ben (?:banque|caisse)\b", r"\bin the bank\b", r"\bcash (?:on hand|do we have)",
        r"في البنك", r"في الصندوق", r"فالبنك")
MAX = (r"plus (?:grosse|grande|grand|gros|[ée]lev[ée]e?|importante?|lourde?|ch[èe]re?)", r"\bmost expensive\b", r"\blargest\b", r"\bbiggest\b", r"\bhighest\b", r"أكبر", r"أعلى")
# one receivable, not the clients' ranking ("la plus grosse créance ouverte")
ONE_DEBT = (r"\bcr[ée]ance\b(?!s)", r"\breceivable\b(?!s)", r"\bdette\b(?!s)", r"(?<!\S)(?:ال)?دين(?!\S)")
MIN = (r"plus petite?", r"\bsmallest\b", r"\blowest\b", r"أصغر", r"أقل")
ITEM = (r"\bencaissements?\b", r"\br[èe]glements?\b", r"\bversements?\b", r"\breceipts?\b", r"تحصيل", r"\bpleins?\b", r"\bnotes?\b", r"\bfactures?\b", r"\binvoices?\b", r"فاتورة", r"\bd[ée]penses?\b", r"\bexpenses?\b", r"مصروف", r"نفقة", r"\bpaiements?\b", r"\bpayments?\b")
AVG = (r"\bmoyen(?:ne)?\b", r"\baverage\b", r"\bmean\b", r"(?<!و)(?<!و )متوسط", r"معدل")
WEIGHTED = (r"pond[ée]r", r"weighted", r"المرجح")
COUNT_CLIENTS = (r"شكون", r"\bwho (?:owes|has not paid|hasn.t paid|did not pay|didn.t pay)", r"\bqui (?:nous doit|ne (?:nous )?a pas pay|n.a pas pay)",
                 r"(?:how many|number of|combien d[e'’]|nombre d[e'’])\s+(?:(?!r[èe]glements?|paiements?|factures?|encaissements?|versements?|payments?|invoices?|receipts?)[^\W\d_]+\s+){0,2}?(?:clients|customers)\b",
                 r"\bcombien d[e'’]\s*(?:administrations|pme|grands comptes|particuliers|organismes publics)\b",
                 r"\b(?:how many|number of) (?:public (?:bodies|entities|institutions)|government (?:bodies|agencies|entities)|administrations|smes?|key accounts|large accounts|private (?:individuals|persons|customers)|individuals)\b", r"كم عدد (?:ال)?(?:إدارات|عملاء|زبائن|مؤسسات)",
                 r"quels clients", r"which clients", r"أي العملاء", r"من هم العملاء",
                 r"combien de clients", r"nombre de clients", r"how many (?:clients|customers)", r"number of (?:clients|customers)", r"which customers",
                 r"عدد العملاء", r"عدد الزبائن", r"كم عميل", r"كم زبون", r"(?:كم|شحال|قداش)(?: من)? (?:عميل|زبون|كليان|مؤسسة|إدارة|شركة)(?!\w)")
SHARE = (r"\bpart\b", r"\bpoids\b", r"\bp[èe]s(?:e|ent)\b", r"\brepr[ée]sent(?:e|ent)\b", r"\bweight of\b", r"pourcentage", r"\bproportion\b", r"\bshare\b", r"percentage", r"\bpercent\b", r"نسبة", r"%")
KINDS = {
    "administration": (r"للإدارات", r"لإدارات", r"الإدارات العمومية", r"العمومية", r"government (?:bodies|agencies|entities)", r"public (?:bodies|entities|institutions)", r"organismes publics", r"\badministrations?\b", r"secteur public", r"public sector", r"\bgovernment\b", r"الإدارات", r"الادارات"),
    "particulier": (r"\bparticuliers?\b", r"\bprivate (?:individuals?|persons?|customers?|clients?)\b", r"\bindividuals?\b", r"الأفراد", r"الخواص"),
    "pme": (r"\bpme\b", r"\bsmes?\b", r"(?:ال)?مؤسس(?:ة|ات) (?:ال)?صغيرة(?: و ?(?:ال)?متوسطة)?"),
    "grand_compte": (r"grands? comptes?", r"كبار (?:ال)?(?:زبائن|عملاء)", r"(?:ال)?(?:زبائن|عملاء) (?:ال)?كبار", r"(?:ال)?شركات (?:ال)?كبرى", r"key accounts?", r"large accounts?", r"كبار العملاء"),
}
METHODS = {
    "cheque": (r"ch[eè]ques?", r"\bchecks?\b", r"\bcheques?\b", r"شيك", r"صك"),
    "virement": (r"\bvirements?\b", r"\btransfers?\b", r"تحويل"),
    "especes": (r"(?<!\w)كاش(?!\w)", r"\bcash\b(?=[^?]*\b(?:received|collected|payments?|receipts?)\b)", r"\bin cash\b", r"\bpaid cash\b", r"esp[eè]ces", r"\bcash payments?\b", r"نقدا"),
    "carte": (r"\bpar carte\b", r"\bcard (?:expenses?|spend(?:ing)?|purchases?)\b", r"\bpaid (?:by|with) (?:a |the )?card\b", r"\bcartes? (?:bancaires?|soci[ée]t[ée]|affaires)\b", r"\bby card\b", r"\bcard payments?\b", r"بالبطاقة"),
    "prelevement": (r"pr[ée]l[èe]vements?", r"direct debits?", r"اقتطاع"),
    "effet": (r"\beffets?\b(?: de commerce)?", r"\bbills? of exchange\b", r"سفتجة", r"كمبيالة"),
}
RANGE = re.compile(r"(?:(?:de|entre|from|between|من)\s*)?(\d{1,3})\s*(?:à|a|et|to|and|-|–|إلى|الى|و)\s*(\d{1,3})\s*"
                   r"(?:jours?|j\b|days?|يوما|يوم|أيام)", re.I)
# a word is a name when capitalised inside a sentence and not an abbreviation or a known word
NAME = re.compile(r"(?<=\s)([A-Z][a-zà-ÿ]{2,}(?:[ -][A-Z][a-zà-ÿ]{2,})*)")
KNOWN = {"quel", "quelle", "quels", "quelles", "combien", "what", "how", "which", "who", "total",
         "the", "our", "nous", "janvier", "juin", "juillet", "avril", "mars", "mai", "dinars",
         "alger", "receipts", "cash"} | {fold(m) for m in MONTHS}
# fmt: on

# quarters, half-years and year-to-date: read by periods.find_period too
QUARTER, HALF, YTD = periods.QUARTER, periods.HALF, periods.YTD

# words that qualify a measure without changing the query: read, so never "not understood"
NEUTRAL = (r"\ben ce moment\b", r"\bpubli(?:c|cs|que|ques)\b", r"\bquelque chose\b", r"\bvaleur absolue\b", r"depuis le d[ée]but (?:des livres|de la comptabilit[ée]|de l.activit[ée])",
           r"\bengag[ée]e?s?\b", r"\bpass[ée]e?s? (?:sur|avec|par)\b", r"\bpleins?\b", r"\bnotes?\b", r"\bavai(?:t|ent)\b", r"\blignes?\b", r"\blines?\b",
           r"\(\s*cr[ée]dits? moins d[ée]bits?\s*\)", r"\bpayables?\b", r"\bce soir\b", r"\bce matin\b", r"\bconfondu[es]*\b", r"\bseulement\b", r"\buniquement\b", r"\bdessus\b", r"\bper[çc]u[es]*\b",
           r"\bdiff[ée]rents?\b", r"\bdistincts?\b", r"\bpartie?s?\b", r"\bexactement\b", r"\benviron\b", r"\bcumul[ée]?e?s?\b", r"\bjusqu.ici\b",
           r"\bjusqu.[àa] pr[ée]sent\b", r"\b[àa] ce jour\b", r"\ben tout\b", r"\bchacun\b", r"\bvaleur\b", r"\bright now\b", r"\bas of now\b",
           r"\bso far\b", r"\bin total\b", r"\boverall\b", r"\baltogether\b", r"\bvalue\b", r"\bdistinct\b", r"\bdifferent\b", r"\bbodies\b",
           r"على الإطلاق", r"(?<!\S)بداية(?!\S)", r"(?<!\S)(?:لم|ما) (?:ت|ي)دفع\w*", r"\b[àa] (?:encaisser|payer|r[ée]gler)\b", r"\b(?:quarter|month|year)-over-(?:quarter|month|year)\b", r"\bd.un (?:trimestre|mois) (?:[àa] l.autre|sur l.autre)\b", r"\br[ée]glables?\b", r"\bsoumises? (?:au|à|a)\b", r"\bcompany card\b", r"ما (?:زالت|زال|زالو)", r"\bstill\b", r"\bsince\b", r"(?<!\S)(?:ال)?بطاقة(?!\S)", r"\bsur (?:toute )?la p[ée]riode\b", r"\btoute la p[ée]riode\b", r"\bqu.on ait\b", r"\bait\b", r"\badress[ée]e?s? [àa]\b", r"\b(?:sent|issued) to\b",
           r"(?<!\w)(?:إلى|الى|خلال|حيث|عند|قداه|من حيث|بلغ|بلغت|كان|كانت|نهار|درناها|درنا|خرجنا|لديها|لديه|عندو|عندها|منذ|يحسب|كشف|الكشف|كليان|الكليان|الفلوس|فلوس)(?!\w)",
           r"(?<!\w)يوم(?!\w)", r"(?<!\w)فات(?!\w)", r"(?<!\w)(?:زبائن|الزبائن|زبون)(?!\w)", r"(?<!\w)(?:وكم|كم)(?!\w)",
           r"\b[àa] eux (?:deux|trois|quatre|cinq)\b", r"\bcombined\b", r"\btogether\b", r"\bever\b", r"\bat least one\b", r"\bones?\b",
           r"\bfaites?\b", r"\brelev[ée]s?\b", r"\brevenue?s?\b(?= impay)", r"\bau soir\b", r"\(\s*cr[ée]dits?\s*[-−–]\s*d[ée]bits?\s*\)", r"\bcredits minus debits\b",
           r"\bd[ée]lais?\b", r"\bre[çc]ue?s?\b", r"\btotale?s?\b", r"\btotaux\b", r"تبلغ", r"بلغت", r"يبلغ", r"موعد", r"استحقاق", r"قيمة", r"الدفع", r"يدفع", r"\brecord(?:ed)?\b",
           r"\bbucket\b", r"\btranche\b", r"\bvien[ts]?\b", r"provien", r"repr[ée]sent", r"\bcomes?\b", r"\bfrom\b", r"ت(?:أتي|اتي)", r"بدون", r"دون", r"\bensemble\b", r"[ée]tabli[es]*", r"\bcelui\b", r"\bcelle\b", r"[ée]coul[ée]e?s?", r"r[ée]gl[ée]e?s?\b",
           r"\bargent\b", r"\bmoney\b", r"\boutstanding balance", r"\bcharged?\b", r"\bbetween\b", r"لسنة", r"سنة",
           r"المبالغ", r"مبلغ", r"أصدرناها", r"أصدرنا", r"الحساب", r"حساب", r"[ée]l[èe]ve", r"\bpaiements?\b", r"\bpayments?\b", r"\bcompte\b", r"\baccount\b", r"disponible", r"available",
           r"r[ée]alis[ée]e?s?", r"enregistr[ée]e?s?", r"recorded", r"au moins", r"at least", r"\bpublic\b", r"\bduty\b",
           r"المستحقة", r"المستحق", r"الصادرة", r"لديهم", r"عندهم", r"حقوق", r"الكليان", r"\bdue\b", r"\bdues?\b", r"[ée]mise?s?", r"\bissued?\b", r"المحصل", r"المحصلة", r"شهر", r"\bpay[ée]e?s?\b", r"\bpaid\b",
           r"collect[ée]?e?s?", r"\bcollected\b", r"bancaires?", r"\bbanque\b", r"\bbank\b", r"\bclients?\b",
           r"\bsans\b", r"\bwithout\b", r"(?<!\S)(?:تاع|ديال|متاع|نتاع|ديال)(?!\S)", r"(?<!\S)(?:الرسوم|الرسم)(?!\S)", r"(?<!\S)دفع(?!\S)", r"(?<!\S)(?:اللي|الي|لي) فات\w*", r"\bcartes?\b", r"\bcards?\b", r"\bemploy[ée]e?s?\b", r"\bsingle\b", r"\bcame\b", r"\breceive[ds]?\b", r"الجبائي", r"الجبائية", r"عملاء", r"مدينين", r"المدينين", r"\bcustomers?\b", r"\bcostumers?\b", r"\bmois\b", r"\bmonth\b", r"ann[ée]e", r"\byear\b", r"\bdernier",
           r"\blast\b", r"\bjours?\b", r"\bdays?\b", r"\bdinars?\b", r"\bda\b", r"\bdzd\b", r"\bmontant",
           r"\bnous\b", r"العملاء", r"العميل", r"الزبائن", r"البنك", r"الشهر", r"السنة", r"يوما", r"أيام", r"دج", r"دينار")  # fmt: skip

_ORD = {
    1: r"premier|1er|1re|first|1st|الأول|الاول",
    2: r"deuxi[èe]me|second|2[eè]me|2e|2nd|الثاني",
    3: r"troisi[èe]me|3[eè]me|3e|third|3rd|الثالث",
    4: r"quatri[èe]me|4[eè]me|4e|fourth|4th|الرابع",
}
_MONTH_NAMES = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                "septembre", "octobre", "novembre", "décembre")  # fmt: skip
_QUARTER_WORD = r"trimestre|quarter|الثلاثي|الربع|للثلاثي|للربع"
_HALF_WORD = r"semestre|half(?:-year)?|السداسي|للسداسي|النصف"


def spelled_periods(text: str) -> str:
    """``troisième trimestre`` → ``t3``, ``الثلاثي الثالث`` → ``t3``, ``first half`` → ``s1``:
    the ordinal forms of quarters and half-years written as the abbreviations the reader knows."""
    for n, ordinal in _ORD.items():
        text = re.sub(
            rf"(?:\b(?:le|du|au|the|in)\s+)?\b(?:{ordinal})\s+(?:{_QUARTER_WORD})\b",
            f" t{n} ",
            text,
        )
        text = re.sub(rf"(?:{_QUARTER_WORD})\s+(?:{ordinal})", f" t{n} ", text)
        if n <= 2:
            text = re.sub(rf"\b(?:{ordinal})\s+(?:{_HALF_WORD})\b", f" s{n} ", text)
            text = re.sub(rf"(?:{_HALF_WORD})\s+(?:{ordinal})", f" s{n} ", text)
    # "شهر 10 2026", "mois 10/2026", "month 10 of 2026": a month by its number
    text = re.sub(
        r"(?:شهر|الشهر|mois|month)\s*(\d{1,2})(?:\s*(?:/|-|de|of|من)?\s*(20\d{2}))?(?!\d)",
        lambda m: (
            f" {_MONTH_NAMES[int(m.group(1)) - 1]} {m.group(2) or ''} "
            if 1 <= int(m.group(1)) <= 12
            else m.group(0)
        ),
        text,
    )
    # "الثلاثي الثاني والثالث", "T2 et troisième": the second ordinal names a quarter too
    for n, ordinal in _ORD.items():
        text = re.sub(rf"\b(t[1-4])\s+(?:و|et |and )(?:ال)?(?:{ordinal})\b", rf"\1 t{n} ", text)
    return text


REMAINING = (r"(?<!\w)باقي(?!\w)", r"\brest(?:e|ent|ant|ants|ante|antes)\b", r"reste(?:-t-il)?(?: encore)? [àa] payer", r"\breste\b", r"restant", r"remaining", r"\bleft\b", r"still (?:owed|due)",
             r"المتبقي", r"الباقي", r"\bencore\b", r"\bdoit\b")  # fmt: skip
END_OF = (
    r"\b[àa] (?:la )?fin\b",
    r"\bfin\b",
    r"\bend of\b",
    r"\bat the end\b",
    r"نهاية",
    r"آخر سنة",
)
NET = (r"\bnet(?:te)?s?\b", r"\bflux net", r"solde des mouvements", r"صافي", r"الصافي")
MOVEMENTS = (r"mouvements?", r"\bmovements?\b", r"\bflux\b", r"cash ?flow", r"تدفق", r"حركة")

# the cash forecast: a balance to come, whether a payment will pass, the safety threshold
# fmt: off
FORECAST = (r"pr[ée]vision", r"pr[ée]visionnel", r"pr[ée]vue?s?\b", r"\bforecast", r"\bprojected\b", r"\bexpected balance",
            r"(?:vais|va|allons|vont|pourrai|pourrons|pourra|peut|peux|pouvoir)[\w-]* (?:pouvoir )?(?:payer|r[ée]gler|honorer|couvrir)",
            r"(?:can|will|could) (?:i|we) (?:be able to )?(?:pay|cover|meet)", r"be able to pay",
            r"passer sous le seuil", r"sous le seuil", r"below the threshold", r"seuil de s[ée]curit[ée]",
            r"tension de tr[ée]so", r"manquer de (?:cash|tr[ée]so|liquidit)", r"run out of cash",
            r"توقع", r"التوقعات", r"نقدر? نخلص", r"نقدرو نخلصو", r"باش نخلص", r"هل سنتمكن", r"هل نستطيع دفع", r"سنستطيع")
IN_DAYS = re.compile(r"(?:dans|d.ici|in|within|بعد|خلال)\s*(\d{1,3})\s*(?:jours?|j\b|days?|يوما|يوم|أيام|ايام)", re.I)
# a yes/no question of the forecast: "est-ce que je vais pouvoir payer …", "can we pay …", "واش نقدرو"
CAN_WE = (r"\best[- ]ce que\b", r"\b(?:vais|va|allons|vont|pourrai|pourrons|pourra|peut|peux)[\w-]* (?:pouvoir )?(?:payer|r[ée]gler|honorer|couvrir)",
          r"\b(?:can|will|could) (?:i|we) (?:be able to )?(?:pay|cover|meet)\b", r"\bare we (?:going to be )?able to\b",
          r"(?<!\S)واش(?!\S)", r"(?<!\S)هل (?:سن|ن)\w+", r"نقدر? نخلص", r"نقدرو نخلصو")  # fmt: skip
SALARIES = (r"salaires?", r"\bpaie\b", r"\bpayroll\b", r"\bwages\b", r"\bsalar(?:y|ies)\b", r"الأجور", r"الرواتب", r"الخلصة", r"الشهرية")
LOWEST = (r"plus bas", r"\bpoint (?:le plus )?bas\b", r"\blow point\b", r"\blowest\b", r"minimum", r"أدنى", r"اقل رصيد", r"أقل رصيد")
THIS_MONTH = (r"ce mois(?:-ci)?", r"\bfin du mois\b", r"this month", r"end of (?:the )?month", r"هذا الشهر", r"نهاية الشهر", r"هاد الشهر")
OLDEST = (r"(?:le )?plus (?:gros|grand|long) retard(?!ataire)", r"\bthe (?:longest|biggest) delay\b", r"أطول تأخير", r"أكبر تأخير", r"plus ancienn?e?s?", r"\boldest\b", r"أقدم", r"la plus en retard", r"le plus en retard", r"most overdue",
          r"(?:le|la) plus de (?:jours de )?retard", r"the most days late", r"الأكثر تأخرا")
# fmt: on


_NUMBER_WORDS = {
    "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "dix": 10,
    "two": 2, "three": 3, "four": 4, "five": 5, "ten": 10,
    "اثنين": 2, "زوج": 2, "ثلاثة": 3, "ثلاث": 3, "أربعة": 4, "خمسة": 5, "خمس": 5, "عشرة": 10,
}  # fmt: skip
_COUNTED_AFTER = re.compile(
    r"\b(les|top|the|nos|our|أكبر|أكثر|أول)\s+(" + "|".join(_NUMBER_WORDS) + r")(?![^\W\d_])", re.I
)


def spelled_numbers(text: str) -> str:
    """``les cinq plus gros débiteurs`` → ``les 5 …``: a small number written as a word where
    it counts the items of a ranking (never "sept", which is also a month)."""
    return _COUNTED_AFTER.sub(lambda m: f"{m.group(1)} {_NUMBER_WORDS[m.group(2).lower()]}", text)


# "pas encore échues", "non échu", "à échoir", "not yet due": the open items NOT past due
NOT_DUE = (r"pas encore (?:arriv[ée]e?s? )?[àa] (?:[ée]ch[ée]ance|terme)", r"(?:pas|non) encore exigibles?", r"(?:pas encore|non|pas) [ée]chu", r"\b[àa] [ée]choir\b", r"not (?:yet )?(?:due|overdue)",
           r"\bnot past due\b", r"\bnon encore [ée]chue?s?\b", r"لم (?:ي|ت)حل (?:ال)?أجل\w*", r"\bcurrent (?:receivables|invoices)\b", r"غير مستحقة بعد", r"لم (?:تستحق|يحن)")  # fmt: skip
# what is not yet due is still owed: a receivable too
RECEIVABLES = (*RECEIVABLES, *NOT_DUE, *STILL_OPEN)
CANCELLED = (
    r"\bannul[ée]e?s?\b",
    r"\bcancell?ed\b",
    r"\bvoided?\b",
    r"الملغاة",
    r"ملغاة",
    r"الملغية",
)
# cancelled invoices left out (the default): "hors avoirs et annulées", "non annulées"
NOT_CANCELLED = (r"(?:hors|sans|excluding|except|not counting)\b[^?.]{0,30}\b(?:annul|cancel)", r"\bnon annul[ée]e?s?\b", r"\bnot cancell?ed\b", r"غير الملغاة")  # fmt: skip
CARD_ID = re.compile(r"\b(card[-_ ]?\d{1,3})\b", re.I)
HIGHEST = (
    r"plus (?:haut|[ée]lev[ée])",
    r"\bhighest\b",
    r"\bmaximum\b",
    r"\bpeak\b",
    r"أعلى",
    r"أقصى",
)

# a day asked for: "quand … pour la dernière fois", "date du dernier encaissement", "متى"
# fmt: off
WHEN = (r"\bquand\b", r"\bwhen\b", r"(?<!\S)متى(?!\S)", r"(?<!\S)وقتاش(?!\S)", r"\b[àa] quelle date\b", r"\bon what date\b",
        r"\bquelle (?:est la |[ée]tait la )?date\b", r"\bwhat (?:is|was) the date\b", r"\bdate (?:du|de la|de l'|d'|des|of the)\b", r"(?<!\S)تاريخ(?!\S)")
LAST = (r"آخر مرة", r"(?<!\S)مرة(?!\S)", r"\bderni[eè]re?s?\b", r"\blast\b", r"\blatest\b", r"\bmost recent\b", r"\bplus r[ée]cente?\b", r"(?<!\S)آخر(?!\S)", r"(?<!\S)أخير\w*", r"pour la derni[eè]re fois", r"\bfois\b")
FIRST = (r"\bpremi[eè]re?s?\b", r"\bfirst\b", r"\bearliest\b", r"\bplus ancienne?\b", r"(?<!\S)أول(?!\S)")
# payments received not (fully) allocated to an invoice: on account, unidentified
UNALLOCATED = (r"sans facture rattach[ée]e", r"non rattach[ée]e?s?", r"non (?:affect|lettr|imput|allou|rapproch)[ée]e?s?", r"\bsans facture\b", r"pas (?:[ée]t[ée] )?(?:affect|lettr|imput)[ée]e?s?",
               r"n.ont pas [ée]t[ée] (?:affect|lettr|imput)[ée]e?s?", r"\bunallocated\b", r"\bunapplied\b", r"\bnot (?:yet )?(?:allocated|applied|matched)\b",
               r"\bon account\b", r"\bacomptes?\b", r"\bavances? (?:clients?|re[çc]ues?)\b", r"غير مخصص\w*", r"غير مرتبط\w*", r"تحت الحساب", r"بدون فاتورة")
# paying, as a verb of the question ("دفعت", "سددوا"): read where a day of payment is asked
PAY_VERBS = (r"(?<!\S)[وف]?(?:دفع|سدد|خلص)\w*", r"\bpa(?:y|ie|yé|yée|yer|id)\w*", r"\br[ée]gl[ée]e?s?\b", r"\bvers[ée]e?s?\b")
# credit notes included (the default: they are negative invoices) or left out of an invoicing
# total: "net des avoirs" is not a question about credit notes
NET_OF_CREDIT_NOTES = (r"net(?:te)?s? des avoirs", r"apr[èe]s (?:d[ée]duction des )?avoirs", r"avoirs? (?:d[ée]duits|inclus|compris)", r"y compris (?:les )?avoirs",
                       r"net of credit notes", r"after credit notes", r"including credit notes", r"credit notes (?:deducted|included)",
                       r"بعد (?:خصم )?الإشعارات الدائنة", r"صافي من الإشعارات")
WITHOUT_CREDIT_NOTES = (r"hors avoirs", r"sans (?:les )?avoirs", r"avant avoirs", r"excluding credit notes", r"before credit notes", r"without credit notes",
                        r"بدون الإشعارات الدائنة", r"دون الإشعارات الدائنة")
# a percentage asked for (a change in %, not in dinars)
SUPPLIER_WORDS = (r"\bfournisseurs?\b", r"\bsuppliers?\b", r"\bvendors?\b", r"(?:ال)?موردين", r"(?<!\S)(?:ال)?مورد(?!\S)")
MOST = (r"\ble plus\b", r"\bthe most\b", r"الأكثر", r"\bplus gros\b", r"\bauxquels\b", r"\bà qui\b")
# the share of what was invoiced that came in: receipts over invoiced TTC, in %
COLLECTION_RATE = (r"taux d.encaissement", r"taux de recouvrement", r"taux de collecte", r"\bcollection rate\b", r"نسبة (?:ال)?تحصيل",
                   r"\(\s*encaiss[ée]e?s? ?/ ?factur[ée]e?s?(?: ttc)?(?: du [^)]*)?\s*\)", r"\(\s*(?:ال)?محصل على (?:ال)?مفوتر[^)]*\)")  # fmt: skip
PERCENT = (r"%", r"pourcentage", r"\bpourcent", r"\bpercent", r"\btaux\b", r"\brate\b", r"en proportion", r"نسبة", r"بالمئة", r"بالمائة", r"في المئة")
# today, as the later day of a change ("entre le 30/06/2026 et aujourd'hui")
TODAY = (r"aujourd.hui", r"\btoday\b", r"\bnow\b", r"maintenant", r"(?<!\S)اليوم(?!\S)", r"(?<!\S)ضرك(?!\S)", r"(?<!\S)الآن(?!\S)")
# a list of invoices asked for (all of them, not only the open ones)
LIST = (r"\bquelles sont\b", r"\bliste\b", r"\blister\b", r"\blist\b", r"\bshow (?:me )?(?:all )?(?:the )?invoices\b", r"\baffiche", r"\btoutes les factures\b", r"\ball (?:the )?invoices\b", r"ما هي", r"قائمة", r"اعرض", r"وريني", r"كل الفواتير")
# one period against another ("T3 vs T2", "par rapport au", "comparé à"): their difference
COMPARE = (r"\bmoins\b(?! de\b| d')", r"\bminus\b", r"(?<!\w)ناقص(?!\w)", r"\bvs\.?(?!\w)", r"\bversus\b", r"\bpar rapport (?:[àa]|au|aux)\b", r"\bcompar", r"\bcompared (?:to|with)\b", r"\bagainst\b", r"مقارنة", r"بالمقارنة", r"مقابل")
# fmt: on


# The accountant's words a typo is corrected to (read.read_question: only a word no slot
# took, one letter or so away from one of these). A set, not patterns: it covers nothing.
VOCABULARY = frozenset(
    """
    encaissements encaissement encaissé encaissés encaissées créances créance factures facture
    facturé facturés facturées facturation dépenses dépense dépensé fournisseurs fournisseur
    clients trésorerie règlements règlement paiements paiement impayées impayés impayée
    échues échus échéance retard retards solde banque bancaire avoirs timbre chiffre affaires
    virements virement chèques chèque espèces prélèvements prélèvement salaires carburant loyer
    électricité montant trimestre semestre décaissements encours recouvrement administration
    administrations particuliers prévision prévisions justificatif justificatifs
    receivables receivable invoices invoice invoiced expenses expense payments payment receipts
    suppliers supplier revenue turnover balance overdue outstanding collected customers quarter
    transfers cheques salaries
    """.split()
)
