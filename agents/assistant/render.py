"""Template answers from tool results, in French, Arabic or English.

These are the offline answers and the fallback when a model's prose fails the fact check:
every figure in them is printed from the tool result, amounts as ``1 234 567,89 DA``
(``دج`` in Arabic), dates ``dd/mm/yyyy``.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from khazna.agents.assistant.tools import (
    BalanceResult,
    DsoResult,
    ExpensesResult,
    ReceivablesResult,
    RejectedResult,
    ToolResult,
    TopClientsResult,
    VatResult,
)
from khazna.labels import category_word
from khazna.money import format_dzd
from khazna.text import count

MAX_IDS = 12


def money(v: Decimal, lang: str) -> str:
    return format_dzd(v, "دج" if lang == "ar" else "DA")


def day(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


def ids(items: list[str], lang: str) -> str:
    if not items:
        return {"fr": "aucune", "ar": "لا شيء", "en": "none"}[lang]
    shown = ", ".join(items[:MAX_IDS])
    more = len(items) - MAX_IDS
    if more > 0:
        fr = f" et {count(more, 'autre', 'autres')}"  # « et 1 autre », « et 4 autres »
        shown += {"fr": fr, "ar": f" و{more} أخرى", "en": f" and {more} more"}[lang]
    return shown


def period(start: date | None, end: date | None, lang: str) -> str:
    if start is None:
        return {"fr": f"jusqu'au {day(end)}", "ar": f"حتى {day(end)}", "en": f"up to {day(end)}"}[
            lang
        ]
    return {
        "fr": f"du {day(start)} au {day(end)}",
        "ar": f"من {day(start)} إلى {day(end)}",
        "en": f"from {day(start)} to {day(end)}",
    }[lang]


def _receivables(r: ReceivablesResult, lang: str, as_of: date) -> str:
    f = r.filters
    parts = {"fr": [], "ar": [], "en": []}  # type: dict[str, list[str]]
    if r.client_name:
        parts["fr"].append(f"de {r.client_name}")
        parts["ar"].append(f"على {r.client_name}")
        parts["en"].append(f"of {r.client_name}")
    if "min_days_late" in f and f.get("max_days_late") is not None:
        lo, hi = f["min_days_late"] + 1, f["max_days_late"]  # "de 31 à 60 jours": said as asked
        parts["fr"].append(f"échues de {lo} à {hi} jours")
        parts["ar"].append(f"المتأخرة من {lo} إلى {hi} يوما")
        parts["en"].append(f"{lo} to {hi} days past due")
    elif "min_days_late" in f:
        n = f["min_days_late"]
        parts["fr"].append(f"échues depuis plus de {n} jours")
        parts["ar"].append(f"المتأخرة أكثر من {n} يوما")
        parts["en"].append(f"more than {n} days past due")
    elif f.get("overdue_only"):
        parts["fr"].append("échues")
        parts["ar"].append("المتأخرة")
        parts["en"].append("past due")
    if "bucket" in f:
        for k in parts:
            parts[k].append(f"[{f['bucket']}]")
    if "issued_from" in f or "issued_to" in f:
        p = period(f.get("issued_from"), f.get("issued_to") or as_of, lang)
        parts[lang].append({"fr": "émises ", "ar": "الصادرة ", "en": "issued "}[lang] + p)
    what = " ".join(parts[lang])
    total, n, d = money(r.total, lang), r.count, day(as_of)
    if r.tool == "client_invoices":
        rows = []
        for inv in r.invoices[:MAX_IDS]:
            late = inv.days_past_due
            if lang == "fr":
                tail = f"{late} jours de retard" if late > 0 else "pas encore échue"
            elif lang == "ar":
                tail = (
                    f"{count(late, 'يوم', 'أيام', 'ar', 'يومان')} تأخير"
                    if late > 0
                    else "لم يحن أجلها"
                )
            else:
                tail = f"{late} days late" if late > 0 else "not due yet"
            rows.append(f"{inv.number} ({money(inv.open_amount, lang)}, {tail})")
        listing = "; ".join(rows)
        return {
            "fr": f"Factures ouvertes {what} au {d} : {n}, total {total}. {listing}.",
            "ar": f"الفواتير غير المسددة {what} في {d}: {n}، المجموع {total}. {listing}.",
            "en": f"Open invoices {what} on {d}: {n}, total {total}. {listing}.",
        }[lang]
    if r.value == r.count and r.value is not None and not isinstance(r.value, Decimal):
        return {
            "fr": f"{count(n, 'facture impayée', 'factures impayées')} {what} au {d}, pour {total} : {ids(r.items, lang)}.",
            "ar": f"{count(n, 'فاتورة', 'فواتير', 'ar', 'فاتورتان')} غير مسددة {what} في {d}، بمجموع {total}: {ids(r.items, lang)}.",
            "en": f"{count(n, 'unpaid invoice', 'unpaid invoices', 'en')} {what} on {d}, for {total}: {ids(r.items, lang)}.",
        }[lang]
    return {
        "fr": f"Créances {what} au {d} : {total} sur {count(n, 'facture', 'factures')} : {ids(r.items, lang)}.",
        "ar": f"مجموع الديون {what} في {d}: {total} على {count(n, 'فاتورة', 'فواتير', 'ar', 'فاتورتين')}: {ids(r.items, lang)}.",
        "en": f"Receivables {what} on {d}: {total} over {count(n, 'invoice', 'invoices', 'en')}: {ids(r.items, lang)}.",
    }[lang]


def _expenses(r: ExpensesResult, lang: str) -> str:
    p, total, n, listed = (
        period(r.start, r.end, lang),
        money(r.total, lang),
        r.count,
        ids(r.items, lang),
    )
    if r.tool == "expenses_without_receipt":
        return {
            "fr": f"{count(n, 'dépense', 'dépenses')} sans justificatif {p}, pour {total} : {listed}.",
            "ar": f"{count(n, 'مصروف', 'مصاريف', 'ar', 'مصروفان')} بدون وصل {p}، بمجموع {total}: {listed}.",
            "en": f"{count(n, 'expense', 'expenses', 'en')} without a receipt {p}, for {total}: {listed}.",
        }[lang]
    if r.supplier_name:
        who = {"fr": f"Payé à {r.supplier_name}", "ar": f"المدفوع إلى {r.supplier_name}",
               "en": f"Paid to {r.supplier_name}"}[lang]  # fmt: skip
    else:
        who = {"fr": "Dépenses", "ar": "المصاريف", "en": "Expenses"}[lang]
    if r.category:
        who += f" ({category_word(r.category, lang)})"
    return {
        "fr": f"{who} {p} : {total} en {count(n, 'dépense', 'dépenses')} : {listed}.",
        "ar": f"{who} {p}: {total} في {count(n, 'عملية', 'عمليات', 'ar', 'عمليتين')}: {listed}.",
        "en": f"{who} {p}: {total} in {count(n, 'expense', 'expenses', 'en')}: {listed}.",
    }[lang]


def _vat(r: VatResult, lang: str) -> str:
    p, total = period(r.start, r.end, lang), money(r.total_tva, lang)
    cn = ", ".join(r.credit_notes) or "-"
    cx = ", ".join(r.cancelled_excluded) or "-"
    return {
        "fr": f"TVA collectée {p} : {total} sur {count(r.invoices, 'facture émise', 'factures émises')}. Avoirs "
        f"inclus avec leur TVA négative : {cn}. Factures annulées exclues : {cx}.",
        "ar": f"الرسم على القيمة المضافة المحصل {p}: {total} على {count(r.invoices, 'فاتورة', 'فواتير', 'ar', 'فاتورتين')}. "
        f"الفواتير التصحيحية محسوبة بقيمتها السالبة: {cn}. الفواتير الملغاة مستثناة: {cx}.",
        "en": f"VAT collected {p}: {total} on {count(r.invoices, 'invoice', 'invoices', 'en')} issued. Credit notes "
        f"included with their negative VAT: {cn}. Cancelled invoices excluded: {cx}.",
    }[lang]


def _balance(r: BalanceResult, lang: str) -> str:
    bal, d = money(r.balance, lang), day(r.on)
    return {
        "fr": f"Solde bancaire au {d} (fin de journée) : {bal}.",
        "ar": f"رصيد البنك في {d} (نهاية اليوم): {bal}.",
        "en": f"Bank balance on {d} (end of day): {bal}.",
    }[lang]


def _rejected(r: RejectedResult, lang: str) -> str:
    p, total, listed = period(r.start, r.end, lang), money(r.total, lang), ids(r.items, lang)
    return {
        "fr": f"{count(r.count, 'paiement rejeté', 'paiements rejetés')} {p}, pour {total} : {listed}.",
        "ar": f"{count(r.count, 'شيك/دفعة مرفوضة', 'شيكات/دفعات مرفوضة', 'ar')} {p}، بمجموع {total}: {listed}.",
        "en": f"{count(r.count, 'rejected payment', 'rejected payments', 'en')} {p}, for {total}: {listed}.",
    }[lang]


def _top(r: TopClientsResult, lang: str, as_of: date) -> str:
    rows = "; ".join(
        f"{i}. {c['name']} ({c['client_id']}) {money(c['open'], lang)}"
        for i, c in enumerate(r.clients, 1)
    )
    if len(r.clients) > 1 and r.value is not None:
        tot = money(Decimal(r.value), lang)
        rows += {"fr": f" — ensemble : {tot}", "ar": f" — المجموع: {tot}", "en": f" — together: {tot}"}[lang]  # fmt: skip
    return {
        "fr": f"Clients qui doivent le plus au {day(as_of)} : {rows}.",
        "ar": f"العملاء الأكثر مديونية في {day(as_of)}: {rows}.",
        "en": f"Clients owing the most on {day(as_of)}: {rows}.",
    }[lang]


def _dso(r: DsoResult, lang: str, as_of: date) -> str:
    if r.dso_days is None:
        return {
            "fr": "DSO non calculable : aucune vente sur les 90 derniers jours.",
            "ar": "لا يمكن حساب مدة التحصيل: لا مبيعات خلال 90 يوما الأخيرة.",
            "en": "DSO cannot be computed: no sales over the last 90 days.",
        }[lang]
    v = str(r.dso_days).replace(".", ",") if lang != "en" else str(r.dso_days)
    return {
        "fr": f"DSO au {day(as_of)} : {v} jours (créances ouvertes / ventes des 90 derniers jours × 90).",
        "ar": f"متوسط مدة التحصيل في {day(as_of)}: {v} يوما.",
        "en": f"DSO on {day(as_of)}: {v} days (open receivables / sales of the last 90 days × 90).",
    }[lang]


# why a query could not be answered, said in the owner's language: (pattern of the engine's
# note, French, Arabic, English); {0}, {1} are the note's groups (days as JJ/MM/AAAA)
_NOTES: tuple[tuple[str, str, str, str], ...] = (
    (r"the books start on (\S+?)(?:: nothing before)?", "les livres commencent le {0} : rien avant", "تبدأ الدفاتر في {0}: لا شيء قبل ذلك", "the books start on {0}: nothing before"),
    (r"these records start on (\S+?): nothing before", "ces écritures commencent le {0} : rien avant", "تبدأ هذه القيود في {0}: لا شيء قبل ذلك", "these records start on {0}: nothing before"),
    (r"the bank balance is known from (\S+?): nothing before", "le solde bancaire est connu à partir du {0} : rien avant", "رصيد البنك معروف ابتداء من {0}: لا شيء قبل ذلك", "the bank balance is known from {0}: nothing before"),
    (r"the period starts after (\S+?): not known yet", "la période commence après le {0} : pas encore connue", "تبدأ الفترة بعد {0}: غير معروفة بعد", "the period starts after {0}: not known yet"),
    (r"(\S+) is after (\S+?): not known yet", "le {0} est après le {1} : pas encore connu", "{0} بعد {1}: غير معروف بعد", "{0} is after {1}: not known yet"),
    (r"(\S+) has nothing left to pay", "{0} n'a plus rien à payer", "لم يبق شيء للدفع على {0}", "{0} has nothing left to pay"),
    (r"no cleared payment from (\S+)", "aucun paiement encaissé de {0}", "لا دفعة محصلة من {0}", "no cleared payment from {0}"),
    (r"days since the last payment: of which client\?", "jours depuis le dernier paiement : de quel client ?", "الأيام منذ آخر دفعة: لأي عميل؟", "days since the last payment: of which client?"),
    (r"no open invoice matches", "aucune facture ouverte ne correspond", "لا توجد فاتورة مفتوحة مطابقة", "no open invoice matches"),
    (r"nothing matches", "rien ne correspond", "لا شيء مطابق", "nothing matches"),
    (r"no company in the ledger", "aucune société dans le grand livre", "لا توجد شركة في الدفتر", "no company in the ledger"),
    (r"a forecast reaches 366 days at most", "une prévision va jusqu'à 366 jours au plus", "التوقع يصل إلى 366 يوما على الأكثر", "a forecast reaches 366 days at most"),
    (r"unknown client", "client inconnu", "عميل غير معروف", "unknown client"),
    (r"unknown supplier", "fournisseur inconnu", "مورد غير معروف", "unknown supplier"),
    (r"unknown category '?([^']*)'?", "catégorie inconnue {0}", "فئة غير معروفة {0}", "unknown category {0}"),
    (r"not expressible: (\S+)", "pas exprimable : {0}", "غير قابل للتعبير: {0}", "not expressible: {0}"),
)  # fmt: skip
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def note_text(note: str, lang: str) -> str:
    """The engine's reason ``note`` in ``lang``; several reasons joined by ``; `` each said."""
    out = []
    for part in (p for p in note.split("; ") if p):
        said = part
        for pattern, *texts in _NOTES:
            m = re.fullmatch(pattern, part)
            if m:
                groups = [_ISO.sub(r"\3/\2/\1", g or "") for g in m.groups()]
                said = texts[("fr", "ar", "en").index(lang)].format(*groups)
                break
        out.append(said)
    return "; ".join(out)


def not_found(r: ToolResult, lang: str) -> str:
    c = ", ".join(r.candidates[:8])
    why = note_text(r.note, lang)
    return {
        "fr": f"Je ne peux pas répondre avec certitude ({why}). Précisez parmi : {c}.",
        "ar": f"لا أستطيع الإجابة بدقة ({why}). حدد من بين: {c}.",
        "en": f"I cannot answer for sure ({why}). Please choose among: {c}.",
    }[lang]


def render(result: ToolResult, lang: str, as_of: date) -> str:
    """The template answer for ``result`` in ``lang`` (fr, ar or en)."""
    return re.sub(r" {2,}", " ", _render(result, lang, as_of))


def _render(result: ToolResult, lang: str, as_of: date) -> str:
    if not result.found:
        return not_found(result, lang)
    if isinstance(result, ReceivablesResult):
        return _receivables(result, lang, as_of)
    if isinstance(result, ExpensesResult):
        return _expenses(result, lang)
    if isinstance(result, VatResult):
        return _vat(result, lang)
    if isinstance(result, BalanceResult):
        return _balance(result, lang)
    if isinstance(result, RejectedResult):
        return _rejected(result, lang)
    if isinstance(result, TopClientsResult):
        return _top(result, lang, as_of)
    if isinstance(result, DsoResult):
        return _dso(result, lang, as_of)
    raise TypeError(f"no template for {type(result).__name__}")


EXAMPLES = {
    "fr": [
        "total des créances de plus de 60 jours ?",
        "combien de factures impayées pour <client> ?",
        "factures de <client> et leurs jours de retard",
        "combien avons-nous payé à <fournisseur> en 2026 ?",
        "dépenses de carburant en octobre 2026",
        "TVA collectée en septembre 2026",
        "solde bancaire au 30/09/2026",
        "chèques rejetés cette année",
        "dépenses sans justificatif",
        "top 5 clients par montant dû, DSO",
    ],
    "ar": [
        "ما هو مجموع الديون المتأخرة أكثر من 90 يوما؟",
        "كم دفعنا لسونلغاز في 2026؟",
        "رصيد البنك في 2026-09-30",
        "الرسم على القيمة المضافة المحصل في سبتمبر 2026",
        "المصاريف بدون وصل",
    ],
    "en": [
        "What is the total of receivables over 60 days?",
        "How many unpaid invoices for <client>?",
        "How much did we pay to <supplier> in 2026?",
        "VAT collected in October 2026",
        "Bank balance on 2026-09-30",
        "Rejected cheques this year",
    ],
}


def not_understood(lang: str) -> str:
    head = {
        "fr": "Je n'ai pas compris la question. Je sais répondre par exemple à : ",
        "ar": "لم أفهم السؤال. يمكنني الإجابة مثلا عن: ",
        "en": "I did not understand the question. I can answer, for example: ",
    }[lang]
    return head + " | ".join(EXAMPLES[lang])
