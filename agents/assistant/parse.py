"""The offline parser: common accountant questions in French, Arabic and English → a tool call.

Rules, not a model: keywords pick the question kind, :mod:`.periods` reads the period,
:mod:`.names` finds the client or supplier as the ledger stores it. What it cannot read
returns None, and the assistant says it did not understand rather than guess.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from khazna.agents.assistant.periods import find_day, find_period, strip_dates
from khazna.agents.assistant.tools import CATEGORIES
from khazna.agents.factcheck import normalise
from khazna.money import MoneyError, parse_amount
from khazna.tools.names import arabic_variants, find_party, fold

_ARABIC = re.compile(r"[\u0600-\u06ff]")
_EN_WORDS = {
    "what", "how", "many", "much", "did", "we", "pay", "paid", "the", "of", "is", "receivables",
    "invoices", "unpaid", "overdue", "balance", "expenses", "vat", "collected", "rejected",
    "cheques", "checks", "without", "receipts", "receipt", "total", "days", "over", "more",
    "than", "this", "year", "month", "last", "in", "on", "to", "for", "and", "their", "late",
    "which", "clients", "owe", "most", "spent", "bank", "bounced", "outstanding", "top",
}  # fmt: skip


def detect_language(question: str) -> str:
    """``ar`` when the question has Arabic letters, ``en`` when mostly English words, else ``fr``."""
    if _ARABIC.search(question):
        return "ar"
    ws = re.findall(r"[a-zA-Z]+", question.lower())
    en = sum(w in _EN_WORDS for w in ws)
    return "en" if ws and en >= max(2, len(ws) // 3) else "fr"


class Intent(BaseModel):
    """A question read as one tool call."""

    kind: str = Field(description="question kind, e.g. receivables_total")
    tool: str
    args: dict[str, Any] = Field(default_factory=dict)


def _has(t: str, *patterns: str) -> bool:
    return any(re.search(p, t) for p in patterns)


# fmt: off
VAT = (r"\btva\b", r"\bvat\b", r"القيمة المضافة", r"الرسم على القيمة")
BALANCE = (r"\bsolde\b", r"bank balance", r"\bbalance (?:on|at|as)", r"رصيد", r"cash position", r"tr[ée]sorerie")
REJECTED = (r"rejet", r"retourn", r"impay[ée]s? ch[eè]que", r"bounced", r"returned", r"rejected",
            r"مرفوض", r"مرتجع", r"bounce")
RECEIPT = (r"justificati", r"sans (?:re[çc]u|pi[èe]ce|facture)", r"receipt", r"وصل", r"إيصال", r"ايصال", r"مبرر")
DSO = (r"\bdso\b", r"d[ée]lai moyen (?:de paiement|d'encaissement|de recouvrement)",
       r"days sales outstanding", r"مدة التحصيل", r"آجال التحصيل")
TOP = (r"\btop\b", r"plus gros", r"doivent le plus", r"doit le plus", r"owe(?:s)? (?:us )?the most",
       r"biggest debtors", r"principaux (?:clients|débiteurs)", r"largest", r"الأكثر مديونية", r"أكبر")
DAYS_LATE = (r"jours? de retard", r"days? late", r"أيام التأخ", r"ايام التأخ", r"مدة التأخ", r"retards?\b")
PAID_TO = (r"\bpay[ée]s? [àa]", r"\bvers[ée]s? [àa]", r"\br[ée]gl[ée]s? [àa]", r"\bpaid to",
           r"\bpay to", r"\bpaid\b", r"دفعنا", r"المدفوع", r"سددنا", r"\bpay[ée]\b", r"\bspent\b")
EXPENSES = (r"d[ée]penses?", r"d[ée]pens[ée]", r"\bspend\b", r"frais", r"expenses?", r"spent", r"spending", r"مصاريف", r"المصاريف",
            r"نفقات", r"النفقات", r"مصروفات")
RECEIVABLES = (r"cr[ée]ances?", r"impay[ée]", r"non pay[ée]", r"non r[ée]gl[ée]", r"ouvertes?", r"en retard",
               r"[ée]chues?", r"receivables?", r"unpaid", r"overdue", r"outstanding", r"open invoices",
               r"past due", r"balance [âa]g[ée]e", r"\baging\b", r"aged balance", r"ديون", r"الديون", r"مستحقات", r"المستحقات", r"غير مدفوعة", r"غير المدفوعة",
               r"غير مسددة", r"غير المسددة", r"متأخرة", r"المتأخرة", r"\bdoi(?:t|vent)\b", r"\bowe",
               r"\bdû\b", r"\bdue?s? par\b", r"\bowed\b", r"\bowes\b")
COUNT = (r"\bcombien de\b", r"\bnombre de\b", r"how many", r"number of", r"كم عدد", r"عدد", r"كم فاتورة")
OVERDUE = (r"en retard", r"[ée]chues?", r"overdue", r"past due", r"late\b", r"متأخرة", r"المتأخرة")
INVOICES = (r"factures?", r"invoices?", r"فواتير", r"الفواتير", r"فاتورة")
# "plus de 60 jours", "over 60 days", "أكثر من 90 يوما", "> 60 j"
OLDER = re.compile(
    r"(?:plus de|au-del[àa] de|sup[ée]rieure?s? [àa]|over|more than|older than|beyond|above|>|أكثر من|"
    r"اكثر من|تتجاوز|فوق)\s*(\d{1,3})\s*(?:jours?|j\b|days?|d\b|يوما|يوم|أيام|ايام)",
    re.IGNORECASE,
)
ABOVE_AMOUNT = re.compile(
    r"(?:plus de|sup[ée]rieures? [àa]|au-dessus de|over|above|more than|أكثر من|اكثر من|فوق)\s*"
    r"(\d[\d  .,]*)\s*(?:da|dzd|dinars?|دج|دينار)", re.IGNORECASE,
)
TOP_N = re.compile(r"(?:top|les|the|أكبر|أول)\s*(\d{1,2})\b", re.IGNORECASE)
# fmt: on


def _category(t: str) -> str | None:
    words: set[str] = set()
    for w in re.findall(r"[\w'-]+", fold(t)):
        words.update(arabic_variants(w) if _ARABIC.search(w) else [w])
    for code, names in CATEGORIES.items():
        for n in (code, *names):
            fn = fold(n)
            if (" " in fn and fn in fold(t)) or fn in words:
                return code
    return None


def _period_args(text: str, as_of: date) -> dict[str, Any]:
    p = find_period(text, as_of)
    return {"start": p.start, "end": p.end} if p else {}


def parse_question(session: Session, question: str, as_of: date) -> Intent | None:
    """The tool call that answers ``question``, or None when it is not understood."""
    raw = normalise(question).strip()
    t = raw.lower()
    if not t:
        return None
    rest = strip_dates(t)  # numbers inside dates are not "days" or amounts
    if _has(t, *VAT):
        p = find_period(raw, as_of)
        if p is None or (p.end - p.start).days > 31:
            return None  # VAT is asked per month
        return Intent(kind="vat_month", tool="vat_collected",
                      args={"year": p.start.year, "month": p.start.month})  # fmt: skip
    if _has(t, *BALANCE) and not _has(t, r"balance [âa]g[ée]e", r"aged"):
        on = find_day(raw)
        if on is None:
            p = find_period(raw, as_of)
            on = p.end if p else as_of
        return Intent(kind="bank_balance", tool="bank_balance", args={"on": min(on, as_of)})
    if _has(t, *REJECTED):
        args = _period_args(raw, as_of)
        client = find_party(session, raw, ("client",)).party
        if client is not None:
            args["client"] = client.party_id
        return Intent(kind="rejected_payments", tool="rejected_payments", args=args)
    if _has(t, *RECEIPT):
        args = _period_args(raw, as_of)
        m = ABOVE_AMOUNT.search(rest)
        if m:
            try:
                args["min_amount"] = parse_amount(m.group(1).strip())
            except MoneyError:
                pass
        if not _has(t, *COUNT) and _has(t, r"montant", r"total", r"amount", r"مجموع", r"somme"):
            args["measure"] = "total"
        return Intent(kind="expenses_without_receipt", tool="expenses_without_receipt", args=args)
    if _has(t, *DSO):
        return Intent(kind="dso", tool="dso")
    if _has(t, *TOP) and not _has(t, *PAID_TO, *EXPENSES):
        m = TOP_N.search(rest)
        n = (
            int(m.group(1))
            if m
            else (1 if _has(t, r"quel client", r"which client", r"أي عميل") else 5)
        )
        return Intent(kind="top_clients", tool="top_clients", args={"n": n})
    return _money_question(session, raw, t, rest, as_of)


def _money_question(session: Session, raw: str, t: str, rest: str, as_of: date) -> Intent | None:
    """Payments out (supplier, category) and receivables (client, age, period)."""
    kinds: tuple[str, ...] | None = (
        ("client",) if _has(t, *RECEIVABLES) and not _has(t, *PAID_TO) else None
    )
    if kinds is None and (_has(t, *PAID_TO) or _has(t, *EXPENSES)):
        kinds = ("supplier", "payee")
    party = find_party(session, strip_dates(raw), kinds or ("client", "supplier", "payee"))
    who = party.party
    category = _category(rest)
    paid_out = _has(t, *PAID_TO) or _has(t, *EXPENSES)
    if who is not None and who.kind in ("supplier", "payee") and not _has(t, *RECEIVABLES):
        paid_out = True
    if paid_out and (who is None or who.kind != "client") and not _has(t, *RECEIVABLES[:6]):
        spend_args = _period_args(raw, as_of)
        if who is not None:
            spend_args["supplier"] = who.party_id
        if category:
            spend_args["category"] = category
        if _has(t, *COUNT):
            spend_args["measure"] = "count"
        if who is None and category is None and not _has(t, *EXPENSES):
            return None
        kind = "paid_to_supplier" if who is not None else "expenses_category"
        return Intent(kind=kind, tool="expenses", args=spend_args)
    if party.ambiguous and not _has(t, *VAT):
        return None  # two parties fit: do not guess
    receivable = _has(t, *RECEIVABLES) or (_has(t, *INVOICES) and who is not None)
    if not receivable:
        return None
    args: dict[str, Any] = {}
    if who is not None and who.kind == "client":
        args["client"] = who.party_id
    if who is not None and "client" in args and _has(t, *DAYS_LATE):
        return Intent(kind="client_invoices", tool="client_invoices", args=args)
    m = OLDER.search(rest)
    if m:
        args["min_days_late"] = int(m.group(1))
    elif _has(t, *OVERDUE):
        args["overdue_only"] = True
    p = find_period(raw, as_of)
    if p is not None and _has(t, r"[ée]mises?", r"issued", r"الصادرة", r"factur[ée]es"):
        args["issued_from"], args["issued_to"] = p.start, p.end
    if _has(t, *COUNT):
        args["measure"] = "count"
    kind = "receivables_count" if args.get("measure") == "count" else "receivables_total"
    return Intent(kind=kind, tool="receivables", args=args)
