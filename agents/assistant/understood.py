"""How a question was read, in its language: the ``understood`` sentence of every answer, and
the template answer of the measures only the query executor computes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from khazna.agents.assistant.query import FORECAST_DAYS, Query, QueryResult
from khazna.agents.assistant.render import MAX_IDS, day, money, note_text
from khazna.labels import category_word
from khazna.text import isolate_name

MEASURES = {
    "open_receivables": ("créances ouvertes", "الديون غير المسددة", "open receivables"),
    "invoiced_ttc": (
        "montant facturé TTC",
        "المبلغ المفوتر مع الرسوم",
        "amount invoiced incl. VAT",
    ),
    "invoiced_ht": (
        "montant facturé HT",
        "المبلغ المفوتر خارج الرسوم",
        "amount invoiced excl. VAT",
    ),
    "vat": ("TVA facturée", "الرسم على القيمة المضافة", "VAT invoiced"),
    "stamp_duty": ("droit de timbre facturé", "حقوق الطابع", "stamp duty invoiced"),
    "client_receipts": ("encaissements clients", "التحصيلات من العملاء", "client receipts"),
    "supplier_payments": ("paiements fournisseur", "المدفوعات للمورد", "supplier payments"),
    "expenses": ("dépenses", "المصاريف", "expenses"),
    "expenses_without_receipt": (
        "dépenses sans justificatif",
        "المصاريف بدون وصل",
        "expenses without receipt",
    ),  # fmt: skip
    "bank_debits": ("débits bancaires", "السحوبات البنكية", "bank debits"),
    "bank_credits": ("crédits bancaires", "الإيداعات البنكية", "bank credits"),
    "balance": ("solde bancaire", "رصيد البنك", "bank balance"),
    "days_late": (
        "factures et jours de retard",
        "الفواتير وأيام التأخير",
        "invoices and days late",
    ),
    "days_since_payment": (
        "jours depuis le dernier paiement",
        "الأيام منذ آخر دفعة",
        "days since the last payment",
    ),
    "dso": ("DSO (délai moyen d'encaissement)", "مدة التحصيل", "DSO"),
    "rejected_payments": ("paiements rejetés", "المدفوعات المرفوضة", "rejected payments"),
    "forecast": ("prévision de trésorerie", "توقع الخزينة", "cash forecast"),
    "clients": ("clients des livres", "عملاء الدفاتر", "clients in the books"),
    "unallocated_receipts": (
        "encaissements non affectés à une facture",
        "التحصيلات غير المخصصة لفاتورة",
        "receipts not allocated to an invoice",
    ),
}
AGG = {
    "sum": ("total", "المجموع", "total"),
    "count": ("nombre", "العدد", "count"),
    "count_clients": ("nombre de clients", "عدد العملاء", "number of clients"),
    "max": ("le plus grand", "الأكبر", "largest"),
    "min": ("le plus petit", "الأصغر", "smallest"),
    "avg": ("moyenne", "المتوسط", "average"),
    "weighted_avg": (
        "moyenne pondérée par le montant",
        "المتوسط المرجح",
        "amount-weighted average",
    ),
    "list": ("liste", "قائمة", "list"),
    "top": ("classement", "الترتيب", "ranking"),
    "first": ("date du premier", "تاريخ الأول", "date of the first"),
    "last": ("date du dernier", "تاريخ الأخير", "date of the last"),
}
COMBINE = {
    "share": ("part en % de", "النسبة المئوية من", "share in % of"),
    "ratio": ("rapport à", "النسبة إلى", "ratio to"),
    "difference": ("différence avec", "الفرق مع", "difference with"),
    "change": ("variation en % par rapport à", "التغير بالنسبة إلى", "change in % from"),
}
_L = {"fr": 0, "ar": 1, "en": 2}
KINDS = {
    "administration": ("clients administrations", "العملاء من الإدارات", "public-sector clients"),
    "grand_compte": ("clients grands comptes", "كبار العملاء", "key-account clients"),
    "pme": ("clients PME", "العملاء من المؤسسات الصغيرة والمتوسطة", "SME clients"),
    "particulier": ("clients particuliers", "العملاء الأفراد", "individual clients"),
}
STATUS = {
    "credit_note": ("avoirs", "الإشعارات الدائنة", "credit notes"),
    "partially_paid": ("partiellement payées", "المدفوعة جزئيا", "partially paid"),
    "cancelled": ("annulées", "الملغاة", "cancelled"),
    "issued": ("hors avoirs", "بدون الإشعارات الدائنة", "excluding credit notes"),
    "paid": (
        "payées en entier dans la période",
        "المسددة كليا خلال الفترة",
        "paid in full within the period",
    ),
}
# measures that are one figure whatever the aggregation: no "total" in their reading
SINGLE = ("balance", "dso", "days_since_payment", "forecast")


# the payment methods of the books, as each language says them
METHOD_WORDS = {
    "virement": ("virement", "التحويل", "transfer"), "cheque": ("chèque", "الشيك", "cheque"),
    "especes": ("espèces", "النقد", "cash"), "carte": ("carte", "البطاقة", "card"),
    "prelevement": ("prélèvement", "الاقتطاع", "direct debit"), "effet": ("effet de commerce", "السفتجة", "bill of exchange"),
}  # fmt: skip


def _filters(q: Query, lang: str) -> str:
    f = q.filters
    i = _L[lang]
    bits = []
    if f.invoice:
        bits.append(("facture ", "الفاتورة ", "invoice ")[i] + f.invoice)
    if f.client:
        bits.append(("client ", "العميل ", "client ")[i] + f.client)
    elif (
        not f.invoice
        and not f.client_kind
        and q.measure
        in (
            "open_receivables",
            "invoiced_ttc",
            "invoiced_ht",
            "client_receipts",
        )
    ):
        bits.append(("tous clients", "كل العملاء", "all clients")[i])
    if f.client_kind:
        bits.append(KINDS[f.client_kind][i])
    if f.supplier:
        bits.append(("fournisseur ", "المورد ", "supplier ")[i] + f.supplier)
    if f.suppliers:
        bits.append(("fournisseurs ", "الموردون ", "suppliers ")[i] + " + ".join(f.suppliers))
    if f.payees:
        bits.append(("bénéficiaires ", "المستفيدون ", "payees ")[i] + ", ".join(f.payees))
    if f.category:
        bits.append(("catégorie ", "الفئة ", "category ")[i] + category_word(f.category, lang))
    if f.invoice_status and not (f.invoice_status == "credit_note" and q.aggregation == "count"):
        bits.append(STATUS[f.invoice_status][i])
    if f.min_days_late is not None and f.max_days_late is not None:
        bits.append(
            (
                f"échues de {f.min_days_late + 1} à {f.max_days_late} jours",
                f"متأخرة من {f.min_days_late + 1} إلى {f.max_days_late} يوما",
                f"{f.min_days_late + 1} to {f.max_days_late} days past due",
            )[i]
        )
    elif f.min_days_late is not None:
        bits.append(
            (
                f"échues depuis plus de {f.min_days_late} jours",
                f"متأخرة أكثر من {f.min_days_late} يوما",
                f"over {f.min_days_late} days past due",
            )[i]
        )
    elif f.overdue:
        bits.append(("échues", "المتأخرة", "past due")[i])
    elif f.overdue is False:
        bits.append(("non encore échues", "غير مستحقة بعد", "not yet due")[i])
    if f.employee:
        bits.append(("employé ", "الموظف ", "employee ")[i] + f.employee)
    if f.card:
        bits.append(("carte ", "البطاقة ", "card ")[i] + f.card)
    if f.payment_method:
        bits.append(
            ("paiement par ", "الدفع ب", "paid by ")[i]
            + METHOD_WORDS.get(f.payment_method, (f.payment_method,) * 3)[i]
        )
    if f.min_amount is not None:
        bits.append(("au-dessus de ", "أكثر من ", "above ")[i] + money(f.min_amount, lang))
    if f.issued_from or f.issued_to:
        bits.append(
            ("émises du ", "الصادرة من ", "issued from ")[i]
            + f"{day(f.issued_from)} – {day(f.issued_to)}"
        )
    return ", ".join(bits)


def _when(q: Query, lang: str, as_of: date) -> str:
    i = _L[lang]
    if q.measure == "forecast":
        end = q.on or date.fromordinal(as_of.toordinal() + FORECAST_DAYS)
        return ("du ", "من ", "from ")[i] + day(as_of) + (" au ", " إلى ", " to ")[i] + day(end)
    if q.measure == "balance":
        return ("au ", "في ", "on ")[i] + day(q.on or as_of)
    p = q.period
    if p and (p.start or p.end):
        end = min(p.end or as_of, as_of)
        return ("du ", "من ", "from ")[i] + f"{day(p.start) or '…'} " + ("au ", "إلى ", "to ")[i] + day(end)  # fmt: skip
    if q.measure in ("open_receivables", "days_late", "dso", "days_since_payment"):
        return ("au ", "في ", "on ")[i] + day(q.on or as_of)
    return ("toute la période", "كل الفترة", "all dates")[i]


def describe(q: Query, lang: str, as_of: date) -> str:
    """``Compris : créances ouvertes, total, échues de 31 à 60 jours, tous clients, au …``."""
    i = _L[lang]
    parts = [MEASURES[q.measure][i]]
    if q.measure == "forecast":
        parts.append(
            ("solde le plus bas", "أدنى رصيد", "lowest balance")[i]
            if q.aggregation == "min"
            else (
                "oui ou non, sur le solde le plus bas",
                "نعم أو لا، حسب أدنى رصيد",
                "yes or no, on the lowest balance",
            )[i]
            if q.aggregation == "status"
            else ("solde du dernier jour", "رصيد آخر يوم", "balance on the last day")[i]
        )
    if q.measure == "days_late" and q.aggregation in ("max", "min") and not q.filters.invoice:
        parts[0] = (
            "facture ouverte la plus en retard",
            "الفاتورة المفتوحة الأكثر تأخرا",
            "most overdue open invoice",
        )[i]
    elif q.measure in ("invoiced_ttc", "invoiced_ht") and q.aggregation == "count":
        parts[0] = ("factures émises", "الفواتير الصادرة", "invoices issued")[i]
        if q.filters.invoice_status == "credit_note":
            parts[0] = ("avoirs émis", "الإشعارات الدائنة الصادرة", "credit notes issued")[i]
        if q.filters.invoice_status == "paid":
            parts[0] = ("factures", "الفواتير", "invoices")[i]
        parts.append(AGG["count"][i])
    elif q.measure not in SINGLE and not q.filters.invoice:
        parts.append(AGG[q.aggregation][i])
    if q.aggregation == "top" and q.top_n:
        parts[-1] += f" {q.top_n}"
    fl = _filters(q, lang)
    if fl:
        parts.append(fl)
    parts.append(_when(q, lang, as_of))
    text = ", ".join(parts)
    if q.combine and q.other is not None:
        text += " ; " + COMBINE[q.combine][i] + " : " + describe(q.other, lang, as_of)[len(("Compris : ", "فهمت: ", "Understood: ")[i]):]  # fmt: skip
    return ("Compris : ", "فهمت: ", "Understood: ")[i] + text


def value_text(v: Decimal | int | date | None, q: Query, lang: str) -> str:
    if v is None:
        return "—"
    if isinstance(v, date):
        return day(v)
    if q.combine in ("share", "change"):
        return f"{str(v).replace('.', ',') if lang == 'fr' else v} %"
    if q.measure == "days_late" and not q.filters.invoice:
        return f"{v} " + ("jours de retard", "يوما من التأخير", "days late")[_L[lang]]
    if q.measure == "days_since_payment":
        return f"{v} " + ("jours", "يوما", "days")[_L[lang]]
    if q.aggregation in ("count", "count_clients") or isinstance(v, int):
        return str(v)
    if q.measure == "days_late" and not q.filters.invoice:
        return f"{v} " + ("jours de retard", "يوما من التأخير", "days late")[_L[lang]]
    if q.aggregation in ("avg", "weighted_avg") and q.measure == "open_receivables":
        n = str(v).replace(".", ",") if lang == "fr" else str(v)
        return f"{n} " + ("jours", "يوما", "days")[_L[lang]]
    return money(v, lang)


_VERDICT = {
    "ok": (
        "au-dessus du seuil de sécurité tout au long de la période",
        "فوق عتبة الأمان طوال الفترة",
        "above the safety threshold throughout",
    ),
    "a_surveiller": (
        "sous le seuil de sécurité à ce moment-là (à surveiller)",
        "تحت عتبة الأمان في ذلك اليوم (للمراقبة)",
        "below the safety threshold that day (to watch)",
    ),
    "tension": (
        "négatif : sans encaissement ou financement en plus, des paiements prévus ne passeront pas",
        "سالب: بدون تحصيل أو تمويل إضافي لن تمر بعض المدفوعات المتوقعة",
        "negative: without more receipts or financing, some planned payments will not go through",
    ),
}


# the answer of a yes/no question, by the forecast's status
_YES_NO = {
    "ok": ("Oui.", "نعم.", "Yes."),
    "a_surveiller": ("Oui, mais sous le seuil de sécurité.", "نعم، لكن تحت عتبة الأمان.",
                     "Yes, but below the safety threshold."),
    "tension": ("Non, pas sans encaissement ou financement en plus.", "لا، ليس بدون تحصيل أو تمويل إضافي.",
                "No, not without more receipts or financing."),
}  # fmt: skip


def _forecast_text(r: QueryResult, lang: str, yes_no: bool = False) -> str:
    i = _L[lang]
    if yes_no:
        head = _YES_NO.get(r.status or "ok", _YES_NO["ok"])[i]
        return f"{head} {_forecast_text(r, lang)}"
    verdict = _VERDICT.get(r.status or "ok", _VERDICT["ok"])[i]
    low, thr = money(r.low or Decimal(0), lang), money(r.threshold or Decimal(0), lang)
    end = money(r.end_balance if r.end_balance is not None else Decimal(0), lang)
    if lang == "ar":
        return (f"الرصيد المتوقع في {day(r.day)}: {end}. أدنى رصيد متوقع: {low} في {day(r.low_day)}"
                f" (عتبة الأمان {thr})، {verdict}. (توقع، وليس يقينا)")  # fmt: skip
    if lang == "en":
        return (f"Projected balance on {day(r.day)}: {end}. Lowest projected balance: {low} on "
                f"{day(r.low_day)} (safety threshold {thr}), {verdict}. (A forecast, not a certainty.)")  # fmt: skip
    return (f"Solde prévu au {day(r.day)} : {end}. Point le plus bas prévu : {low} le "
            f"{day(r.low_day)} (seuil de sécurité {thr}), {verdict}. (Prévision, pas une certitude.)")  # fmt: skip


def answer_text(q: Query, r: QueryResult, lang: str, as_of: date) -> str:
    """The template answer of a query the typed tools' templates do not cover."""
    i = _L[lang]
    if not r.found:
        no = ("Je ne peux pas répondre", "لا أستطيع الإجابة", "I cannot answer")[i]
        return f"{no} ({note_text(r.note, lang)})."
    if q.measure == "forecast":
        return _forecast_text(r, lang, yes_no=q.aggregation == "status")
    head = ("Résultat", "النتيجة", "Result")[i]
    colon = ":" if lang == "en" else " :"  # French puts a space before the colon, English none
    if q.aggregation in ("first", "last") and isinstance(r.value, date) and r.items:
        amount = f", {money(r.end_balance, lang)}" if r.end_balance is not None else ""
        last, first = _DATED[q.measure]
        head = (first if q.aggregation == "first" else last)[i]
        return f"{head} : {day(r.value)} — {', '.join(r.items)}{amount}."
    sides = ""
    if q.combine and q.other is not None and len(r.parts) == 2:
        sides = " ; ".join(
            f"{_side_label(side, q, lang)}{colon} {value_text(v, side.model_copy(update={'combine': None, 'other': None}), lang)}"
            for side, v in ((q, r.parts[0]), (q.other, r.parts[1]))
        )
        sides = f" [{sides}]"
    if q.aggregation == "top" and r.ranked and not sides:
        return f"{head}{colon} {ranking_text(r, q, lang)}."
    shown = ", ".join(r.items[:MAX_IDS]) + (" …" if len(r.items) > MAX_IDS else "")
    src = ("sources", "المصادر", "sources")[i]
    tail = f" ({src}{colon} {shown})" if shown else ""
    return f"{head}{colon} {value_text(r.value, q, lang)}{sides}{tail}."


def ranking_text(r: QueryResult, q: Query, lang: str) -> str:
    """``1. Name (C013) 5 086 800,00 DA; 2. …`` — each ranked item with its own amount, then
    what they add up to (the ``value``)."""
    rows = "; ".join(
        f"{n}. {f'{_name(name, lang)} ({who})' if name and name != who else who} {money(v, lang)}"
        for n, (who, name, v) in enumerate(r.ranked, 1)
    )
    if len(r.ranked) > 1 and r.value is not None and not isinstance(r.value, date):
        tot = value_text(r.value, q, lang)
        rows += (f" — ensemble : {tot}", f" — المجموع: {tot}", f" — together: {tot}")[_L[lang]]
    return rows


def _name(name: str, lang: str) -> str:
    """An Arabic name in a French or English sentence, isolated so its amount stays after it."""
    return name if lang == "ar" else isolate_name(name)


# the item of a dated measure (last, first), for "le dernier encaissement", "la première facture"
_DATED = {
    "client_receipts": (("Dernier encaissement", "آخر تحصيل", "Last receipt"),
                        ("Premier encaissement", "أول تحصيل", "First receipt")),
    "supplier_payments": (("Dernier paiement au fournisseur", "آخر دفع للمورد", "Last payment to the supplier"),
                          ("Premier paiement au fournisseur", "أول دفع للمورد", "First payment to the supplier")),
    "expenses": (("Dernière dépense", "آخر مصروف", "Last expense"),
                 ("Première dépense", "أول مصروف", "First expense")),
    "invoiced_ttc": (("Dernière facture", "آخر فاتورة", "Last invoice"),
                     ("Première facture", "أول فاتورة", "First invoice")),
    "bank_credits": (("Dernier crédit bancaire", "آخر إيداع بنكي", "Last bank credit"),
                     ("Premier crédit bancaire", "أول إيداع بنكي", "First bank credit")),
    "bank_debits": (("Dernier débit bancaire", "آخر سحب بنكي", "Last bank debit"),
                    ("Premier débit bancaire", "أول سحب بنكي", "First bank debit")),
}  # fmt: skip
_DATED["invoiced_ht"] = _DATED["invoiced_ttc"]


def _side_label(side: Query, q: Query, lang: str) -> str:
    """One side of a combination by what sets it apart: its period when the two sides share
    a measure (T3 / T2), else its measure."""
    other = q.other if side is q else q
    if other is not None and side.measure == other.measure:
        if side.period is not None and side.period.label:
            return side.period.label
        if side.on is not None:
            return day(side.on)
    return MEASURES[side.measure][_L[lang]]
