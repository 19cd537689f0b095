"""Reading a question into a typed :class:`~.query.Query`, offline, and saying how it was read.

Two layers: the measure lexicon below (invoicing totals, stamp duty, client receipts, bank
debits and credits, credit notes, cash on hand, the largest/smallest item, clients counted,
average days late, shares) and, for what it does not claim, the rule parser of :mod:`.parse`,
whose tool call becomes a query too. Modifiers then fill filter slots whatever the measure
(an age range ``de 31 à 60 jours``, a client kind ``administrations``, a payment method). A
name in the question that no resolver knows is reported in ``unresolved`` and the answer is
null: never the figure of a broader question.
"""

from __future__ import annotations

import re
from datetime import date
from difflib import get_close_matches

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from khazna.agents.assistant.parse import parse_question
from khazna.agents.assistant.periods import MONTHS, find_day, find_period, strip_dates
from khazna.agents.assistant.query import Filters, Period, Query, from_tool_call
from khazna.agents.factcheck import normalise
from khazna.ledger.models import Client
from khazna.tools.names import find_party, fold


class Reading(BaseModel):
    query: Query | None = None
    unresolved: list[str] = Field(default_factory=list)
    kind: str | None = None


def _has(t: str, *patterns: str) -> bool:
    return any(re.search(p, t) for p in patterns)


# fmt: off
INVOICED = (r"chiffre d.affaires", r"\bca\b", r"\bfactur[ée]\b", r"montant factur", r"total factur",
            r"\binvoiced\b", r"\bturnover\b", r"\brevenue\b", r"\bsales\b", r"رقم الأعمال", r"المفوتر")
HT = (r"\bht\b", r"hors tax", r"excl(?:uding|\.)? (?:vat|tax)", r"before tax", r"خارج الرسم", r"دون رسم")
STAMP = (r"\btimbres?\b", r"droits? de timbre", r"\bstamp", r"الطابع")
RECEIPTS = (r"encaiss[ée]", r"encaissements?", r"\bre[çc]us? de\b", r"received from", r"payments? received",
            r"\bcollected from\b", r"قبضنا", r"المقبوضات", r"التحصيلات", r"حصلنا")
DEBITS = (r"d[ée]bits?(?: bancaires)?", r"bank debits?", r"money out of the bank", r"السحوبات", r"المدين")
CREDITS = (r"cr[ée]dits? bancaires", r"bank credits?", r"money into the bank", r"الإيداعات", r"الدائن")
CREDIT_NOTES = (r"\bavoirs?\b", r"credit notes?", r"إشعارات? دائن")
CASH = (r"\btr[ée]so\b", r"\ben (?:banque|caisse)\b", r"\bin the bank\b", r"\bcash (?:on hand|do we have)",
        r"في البنك", r"في الصندوق", r"فالبنك")
MAX = (r"plus (?:grosse|grande|grand|gros|élevée?)", r"\blargest\b", r"\bbiggest\b", r"\bhighest\b", r"أكبر", r"أعلى")
MIN = (r"plus petite?", r"\bsmallest\b", r"\blowest\b", r"أصغر", r"أقل")
ITEM = (r"\bfactures?\b", r"\binvoices?\b", r"فاتورة", r"\bd[ée]penses?\b", r"\bexpenses?\b", r"مصروف")
AVG = (r"\bmoyen(?:ne)?\b", r"\baverage\b", r"\bmean\b", r"متوسط", r"معدل")
WEIGHTED = (r"pond[ée]r", r"weighted", r"المرجح")
COUNT_CLIENTS = (r"combien de clients", r"nombre de clients", r"how many clients", r"number of clients",
                 r"عدد العملاء", r"عدد الزبائن", r"كم عميل", r"كم زبون")
SHARE = (r"\bpart\b", r"pourcentage", r"\bproportion\b", r"\bshare\b", r"percentage", r"\bpercent\b", r"نسبة", r"%")
KINDS = {
    "administration": (r"\badministrations?\b", r"secteur public", r"public sector", r"\bgovernment\b", r"الإدارات", r"الادارات"),
    "particulier": (r"\bparticuliers?\b", r"\bindividuals?\b", r"الأفراد", r"الخواص"),
    "pme": (r"\bpme\b", r"\bsmes?\b", r"المؤسسات الصغيرة"),
    "grand_compte": (r"grands? comptes?", r"key accounts?", r"large accounts?", r"كبار العملاء"),
}
METHODS = {
    "cheque": (r"ch[eè]ques?", r"\bchecks?\b", r"\bcheques?\b", r"شيك", r"صك"),
    "virement": (r"\bvirements?\b", r"\btransfers?\b", r"تحويل"),
    "especes": (r"esp[eè]ces", r"\bcash payments?\b", r"نقدا"),
}
RANGE = re.compile(r"(?:de|entre|from|between|من)\s*(\d{1,3})\s*(?:à|a|et|to|and|-|إلى|الى)\s*(\d{1,3})\s*"
                   r"(?:jours?|j\b|days?|يوما|يوم|أيام)", re.I)
# a word is a name when capitalised inside a sentence and not an abbreviation or a known word
NAME = re.compile(r"(?<=\s)([A-Z][a-zà-ÿ]{2,}(?:[ -][A-Z][a-zà-ÿ]{2,})*)")
KNOWN = {"quel", "quelle", "quels", "quelles", "combien", "what", "how", "which", "who", "total",
         "the", "our", "nous", "janvier", "juin", "juillet", "avril", "mars", "mai", "dinars",
         "alger"} | {fold(m) for m in MONTHS}
# fmt: on

_QUARTER = re.compile(r"\b(?:t|q)([1-4])\b(?:\s*(20\d{2}))?", re.I)
_HALF = re.compile(r"\bs([12])\b(?:\s*(20\d{2}))?", re.I)
_YTD = re.compile(
    r"depuis le d[ée]but de l.ann[ée]e|year to date|\bytd\b|منذ بداية السنة|منذ بداية العام", re.I
)
_END_OF = re.compile(r"(?:fin|end of|نهاية)\s*(20\d{2})", re.I)


def _periods(text: str, as_of: date) -> list[Period]:
    """Quarters, half-years and year-to-date (what :func:`find_period` does not read)."""
    out: list[Period] = []
    for m in _QUARTER.finditer(text):
        y, q = int(m.group(2) or as_of.year), int(m.group(1))
        last = date(y, 3 * q, 31 if 3 * q in (3, 12) else 30)
        out.append(Period(start=date(y, 3 * q - 2, 1), end=last, label=f"T{q} {y}"))
    for m in _HALF.finditer(text):
        y, h = int(m.group(2) or as_of.year), int(m.group(1))
        out.append(
            Period(
                start=date(y, 1 if h == 1 else 7, 1),
                end=date(y, 6, 30) if h == 1 else date(y, 12, 31),
                label=f"S{h} {y}",
            )
        )
    if _YTD.search(text):
        out.append(Period(start=date(as_of.year, 1, 1), end=as_of, label=f"{as_of.year} YTD"))
    return out


def _period(text: str, as_of: date) -> Period | None:
    extra = _periods(text, as_of)
    if extra:
        return extra[0]
    p = find_period(text, as_of)
    return Period(start=p.start, end=p.end, label=p.label) if p else None


def _unknown_names(session: Session, raw: str, q: Query | None) -> list[str]:
    """Capitalised names in the question no client, supplier or payee matches."""
    if q is not None and (q.filters.client or q.filters.supplier):
        return []
    out = []
    for m in NAME.finditer(" " + strip_dates(raw)):
        name = m.group(1)
        if fold(name.split()[0]) in KNOWN:
            continue
        if find_party(session, name).party is None:
            out.append(name)
    return out


def _close_clients(session: Session, name: str) -> list[str]:
    names = list(session.scalars(select(Client.name)))
    return get_close_matches(name, names, n=3, cutoff=0.4)


def unresolved_text(session: Session, items: list[str], lang: str) -> str:
    parts = []
    for name in items:
        close = ", ".join(_close_clients(session, name)) or "—"
        parts.append(
            {
                "fr": f"je ne connais pas de client ou fournisseur « {name} » ; noms proches : {close}",
                "ar": f"لا أعرف عميلا أو موردا باسم «{name}»؛ أسماء قريبة: {close}",
                "en": f"I know no client or supplier named “{name}”; close names: {close}",
            }[lang]
        )
    return "; ".join(parts).capitalize() + "."


def _new_measure(session: Session, raw: str, t: str, as_of: date) -> Query | None:
    """The measures the rule parser does not know, read compositionally."""
    period = _period(t, as_of)
    party = find_party(session, strip_dates(raw), ("client",)).party
    f = Filters(client=party.party_id if party else None)
    agg = (
        "count"
        if _has(t, r"combien de", r"nombre de", r"how many", r"number of", r"عدد")
        else "sum"
    )
    if _has(t, *MAX) and _has(t, *ITEM) and not _has(t, r"\bclients?\b", r"عميل"):
        agg = "max"
    elif _has(t, *MIN) and _has(t, *ITEM):
        agg = "min"
    elif _has(t, *AVG) and not _has(t, r"d[ée]lai moyen", r"\bdso\b"):
        agg = "weighted_avg" if _has(t, *WEIGHTED) else "avg"
    if _has(t, *CASH) and not _has(t, r"encaiss"):
        on = find_day(raw) or (period.end if period else as_of)
        return Query(measure="balance", on=min(on, as_of) if on else as_of)
    if _has(t, *COUNT_CLIENTS):
        return Query(measure="open_receivables", aggregation="count_clients", filters=f)
    if _has(t, *STAMP):
        return Query(measure="stamp_duty", period=period, filters=f, aggregation=agg)
    if _has(t, *CREDIT_NOTES):
        f.invoice_status = "credit_note"
        return Query(measure="invoiced_ttc", period=period, filters=f, aggregation=agg)
    if _has(t, *INVOICED) or (agg in ("max", "min") and _has(t, r"factur", r"invoice", r"فاتورة")):
        measure = "invoiced_ht" if _has(t, *HT) else "invoiced_ttc"
        return Query(measure=measure, period=period, filters=f, aggregation=agg)  # type: ignore[arg-type]
    if _has(t, *RECEIPTS) and not _has(t, r"d[ée]lai", r"\bdso\b"):
        return Query(measure="client_receipts", period=period, filters=f, aggregation=agg)  # type: ignore[arg-type]
    if _has(t, *CREDITS) and not _has(t, *CREDIT_NOTES):
        return Query(measure="bank_credits", period=period, aggregation=agg)  # type: ignore[arg-type]
    if _has(t, *DEBITS):
        return Query(measure="bank_debits", period=period, aggregation=agg)  # type: ignore[arg-type]
    if _has(t, r"tva", r"\bvat\b", r"القيمة المضافة") and period is not None:
        if (
            (period.start, period.end) != (None, None)
            and period.start
            and period.end
            and (period.end - period.start).days > 31
        ):
            return Query(measure="vat", period=period, filters=f)
    if agg in ("avg", "weighted_avg") and _has(t, r"retard", r"late", r"تأخ"):
        f.overdue = True
        return Query(measure="open_receivables", aggregation=agg, filters=f)
    return None


def _modifiers(t: str, q: Query) -> None:
    """Filter slots any receivables/invoicing query can take."""
    if q.measure not in ("open_receivables", "invoiced_ttc", "invoiced_ht", "vat", "stamp_duty"):
        return
    m = RANGE.search(strip_dates(t))
    if m and q.measure == "open_receivables":
        lo, hi = sorted((int(m.group(1)), int(m.group(2))))
        q.filters.min_days_late, q.filters.max_days_late = max(lo - 1, 0), hi
    for kind, pats in KINDS.items():
        if _has(t, *pats):
            q.filters.client_kind = kind  # type: ignore[assignment]
    if q.measure != "open_receivables":
        for method, pats in METHODS.items():
            if _has(t, *pats):
                q.filters.payment_method = method


def _share(t: str, q: Query) -> Query:
    """``part des … dans …``: the filtered figure over the same figure unfiltered."""
    narrowed = q.filters.model_dump(exclude_defaults=True)
    if not _has(t, *SHARE) or not narrowed or q.aggregation not in ("sum", "count"):
        return q
    whole = q.model_copy(update={"filters": Filters()})
    return q.model_copy(update={"combine": "share", "other": whole})


def read_question(session: Session, question: str, as_of: date) -> Reading:
    """The typed query ``question`` asks, and what of it could not be resolved."""
    raw = normalise(question).strip()
    t = raw.lower()
    if not t:
        return Reading()
    q = _new_measure(session, raw, t, as_of)
    kind: str | None = q.measure if q is not None else None
    if q is None:
        intent = parse_question(session, question, as_of)
        if intent is not None:
            q = from_tool_call(intent.tool, intent.args, as_of)
            kind = intent.kind
    unknown = _unknown_names(session, raw, q)
    if q is None:
        return Reading(unresolved=unknown, kind=None)
    _modifiers(t, q)
    q = _share(t, q)
    return Reading(query=q, unresolved=unknown, kind=kind)


__all__ = ["Reading", "read_question", "unresolved_text"]
