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
from decimal import Decimal
from difflib import SequenceMatcher, get_close_matches
from functools import cache
from typing import Any, NamedTuple

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from khazna import months
from khazna.agents.assistant.coverage import unread_words
from khazna.agents.assistant.lexicon import (
    ABOVE_AMOUNT,
    ALL_AGES,
    ARABIC,
    AVG,
    BALANCE,
    CAN_WE,
    CANCELLED,
    CARD_ID,
    CASH,
    CHANGE,
    COLLECTION_RATE,
    COMPARE,
    COUNT,
    COUNT_CLIENTS,
    COUNT_INVOICES,
    COUNTED_AR,
    CREDIT_NOTES,
    CREDITS,
    DAYS_LATE,
    DAYS_SINCE,
    DEBITS,
    DIFFERENCE,
    DSO,
    END_OF,
    EXPENSES,
    FIRST,
    FORECAST,
    HALF,
    HIGHEST,
    HT,
    IN_DAYS,
    INVOICE_NO,
    INVOICED,
    INVOICES,
    ITEM,
    KINDS,
    KNOWN,
    LAST,
    LIST,
    LOWEST,
    MAX,
    METHODS,
    MIN,
    MOST,
    MOVEMENTS,
    NAME,
    NET,
    NET_OF_CREDIT_NOTES,
    NOT_CANCELLED,
    NOT_DUE,
    NOT_PAID,
    OLDER,
    OLDEST,
    ONE_DEBT,
    OVERDUE,
    PAID_INVOICES,
    PAID_TO,
    PARTIAL,
    PAY_VERBS,
    PERCENT,
    QUARTER,
    RANGE,
    RECEIPT,
    RECEIPTS,
    RECEIVABLES,
    REJECTED,
    REMAINING,
    SALARIES,
    SHARE,
    STAMP,
    SUPPLIER_WORDS,
    THIS_MONTH,
    TODAY,
    TOP,
    TOP_N,
    TTC,
    TURNOVER,
    UNALLOCATED,
    VAT,
    VOCABULARY,
    WEIGHTED,
    WHEN,
    WITHOUT_CREDIT_NOTES,
    spelled_numbers,
    spelled_periods,
)
from khazna.agents.assistant.periods import (
    MONTHS,
    find_dates,
    find_day,
    find_period,
    half_period,
    impossible_dates,
    month_period,
    quarter_half_ytd,
    quarter_period,
    strip_dates,
    with_years,
)
from khazna.agents.assistant.query import AS_OF_MEASURES, Filters, Period, Query, from_tool_call
from khazna.agents.assistant.tools import CATEGORIES
from khazna.agents.factcheck import normalise
from khazna.ledger.models import Client, Expense, Invoice, Supplier
from khazna.money import MoneyError, parse_amount
from khazna.tools.names import (
    ACRONYMS,
    Match,
    arabic_variants,
    close_names,
    find_party,
    fold,
    named_parties,
    word_matches,
)


class _Call(NamedTuple):
    """A question read as one typed-tool call (turned into a :class:`Query` at once)."""

    kind: str
    tool: str
    args: dict[str, Any] = {}  # noqa: RUF012 - never mutated


class Reading(BaseModel):
    query: Query | None = None
    unresolved: list[str] = Field(default_factory=list)
    unread: list[str] = Field(default_factory=list, description="Words no slot took.")
    kind: str | None = None


# the vocabulary's folded spellings, to their written form
VOCABULARY_FOLDED = {fold(w): w for w in VOCABULARY}


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    # the lexicon holds more patterns than re's own cache (512): without this each question
    # recompiled hundreds of them (0.4 s of a 1.5 s answer)
    return re.compile(pattern)


def _has(t: str, *patterns: str) -> bool:
    return any(_compiled(p).search(t) for p in patterns)


def _category(t: str) -> str | None:
    words: set[str] = set()
    # elisions apart: "d'énergie" names the category "énergie"
    for w in re.findall(r"[\w-]+", fold(t).replace("’", "'")):
        words.update(arabic_variants(w) if ARABIC.search(w) else [w])
    for code, names in CATEGORIES.items():
        for n in (code, *names):
            fn = fold(n)
            if (" " in fn and fn in fold(t)) or fn in words:
                return code
    return None


def _period_args(text: str, as_of: date) -> dict[str, Any]:
    p = find_period(spelled_periods(text), as_of)
    return {"start": p.start, "end": p.end} if p else {}


# one client asked for ("quel est le client qui nous doit le plus"): the first of the ranking
_ONE_CLIENT = (r"\bquel(?:le)? (?:est le )?client\b(?!s)", r"\ble client\b(?!s)", r"\bthe (?:client|customer)\b(?!s)",
               r"\bwhich (?:client|customer)\b(?!s)", r"أي عميل", r"من هو العميل", r"شكون هو",
               # a superlative of one party, singular: "أكبر زبون مدين لنا", "our biggest debtor"
               r"(?:أكبر|أكثر) (?:ال)?(?:زبون|عميل|كليان|مدين)(?!\w)", r"\b(?:biggest|largest|top) (?:client|customer|debtor)\b(?!s)",
               r"\b(?:plus gros|principal|premier) (?:client|d[ée]biteur)\b(?!s)")  # fmt: skip


def _top_n(t: str) -> int:
    """How many a ranking asks for: the number said, one for "le client qui …", else five."""
    m = TOP_N.search(strip_dates(t))
    return int(m.group(1)) if m else (1 if _has(t, *_ONE_CLIENT, *_ONE_SUPPLIER) else 5)


_ONE_SUPPLIER = (r"\bquel (?:est le )?fournisseur\b(?!s)", r"\ble fournisseur\b(?!s)", r"\bwhich supplier\b(?!s)", r"أي مورد")  # fmt: skip
# a ranking of parties by a measure: "top 5 des clients par CA", "nos 3 plus gros fournisseurs"
_RANKED_PARTIES = (r"\bclients\b", r"\bcustomers\b", r"\bfournisseurs\b", r"\bsuppliers\b", r"العملاء", r"الزبائن", r"الموردين", r"زبائن")  # fmt: skip


def _tool_call_of(session: Session, question: str, as_of: date) -> _Call | None:
    """The typed-tool call of the measures the tools cover (receivables, expenses, VAT of a
    month, balance, rejected payments, receipts missing, DSO, top clients), or None."""
    raw = normalise(question).strip()
    t = raw.lower()
    if not t:
        return None
    rest = strip_dates(t)  # numbers inside dates are not "days" or amounts
    if _has(t, *VAT):
        p = find_period(raw, as_of)
        if p is None or (p.end - p.start).days > 31:
            return None  # VAT is asked per month
        return _Call(kind="vat_month", tool="vat_collected",
                      args={"year": p.start.year, "month": p.start.month})  # fmt: skip
    client_balance = _has(t, r"\bsoldes? (?:du |des |d'un )?clients?\b", r"\bclient balance")
    if (
        not client_balance
        and _has(t, r"\bsoldes?\b")
        and not _has(t, r"\bbanc", r"\bbanque", r"\bbank", r"\bcompte\b", r"بنك", r"حساب")
    ):
        client_balance = _find_party(session, strip_dates(raw), ("client",)).party is not None
    if client_balance:  # "solde client Tassili": what that client owes
        return _money_question(session, raw, t + " créances", rest, as_of)
    if _has(t, *BALANCE) and not _has(t, r"balance [âa]g[ée]e", r"aged"):
        on = find_day(raw)
        if on is None:
            p = find_period(raw, as_of)
            on = p.end if p else as_of
        return _Call(
            kind="bank_balance", tool="bank_balance", args={"on": on}
        )  # a later day is refused
    if _has(t, *REJECTED):
        args = _period_args(raw, as_of)
        client = _find_party(session, raw, ("client",)).party
        if client is not None:
            args["client"] = client.party_id
        if not _has(t, *COUNT) and _has(t, r"\bmontant", r"\btotal\b", r"\bamount\b", r"مبلغ", r"مجموع", r"\bsomme\b", r"\bcombien\b(?!\s+d)", r"how much"):  # fmt: skip
            args["measure"] = "total"  # "montant des chèques rejetés": an amount, not a number
        return _Call(kind="rejected_payments", tool="rejected_payments", args=args)
    if _has(t, *RECEIPT):
        args = _period_args(raw, as_of)
        m = ABOVE_AMOUNT.search(rest)
        if m:
            try:
                args["min_amount"] = parse_amount(m.group(1).strip())
            except MoneyError:
                pass
        # "montant", "combien ?" alone ask an amount; "combien de …", or nothing, the number
        if not _has(t, *COUNT) and _has(t, r"montant", r"total", r"amount", r"مجموع", r"somme", r"\bcombien\b(?!\s+d)", r"how much"):  # fmt: skip
            args["measure"] = "total"
        return _Call(kind="expenses_without_receipt", tool="expenses_without_receipt", args=args)
    if _has(t, *DSO):
        return _Call(kind="dso", tool="dso")
    if (
        _has(t, *TOP)
        and not _has(t, *PAID_TO, *EXPENSES, *SUPPLIER_WORDS)
        and _category(rest) is None
        and not _one_debt(t)
    ):
        return _Call(kind="top_clients", tool="top_clients", args={"n": _top_n(t)})
    return _money_question(session, raw, t, rest, as_of)


def _one_debt(t: str) -> bool:
    """``la plus grosse créance ouverte``: the largest single receivable, not a ranking of
    clients (no number N, no clients or debtors named)."""
    return (
        _has(t, *ONE_DEBT)
        and _has(t, *MAX, *MIN)
        and not _has(t, r"\bclients?\b", r"d[ée]biteurs", r"debtors", r"عملاء", r"زبائن", r"\d")
    )


def _money_question(session: Session, raw: str, t: str, rest: str, as_of: date) -> _Call | None:
    """Payments out (supplier, category) and receivables (client, age, period)."""
    kinds: tuple[str, ...] | None = (
        ("client",) if _has(t, *RECEIVABLES) and not _has(t, *PAID_TO) else None
    )
    if kinds is None and (_has(t, *PAID_TO) or _has(t, *EXPENSES)):
        kinds = ("supplier", "payee")
    party = _find_party(session, strip_dates(raw), kinds or ("client", "supplier", "payee"))
    who = party.party
    category = _category(rest)
    paid_out = _has(t, *PAID_TO) or _has(t, *EXPENSES)
    if category is not None and who is None and not _has(t, *RECEIVABLES, *INVOICES, *RECEIPTS):
        paid_out = True  # "le carburant du T1": a category names what was spent on it
    if who is not None and who.kind in ("supplier", "payee") and not _has(t, *RECEIVABLES):
        paid_out = True
    # one word naming several payees ("Naftal": each of its stations) is their group
    group = (
        sorted(p.name for p in party.ambiguous)
        if who is None and party.ambiguous and all(p.kind == "payee" for p in party.ambiguous)
        else None
    )
    if paid_out and (who is None or who.kind != "client") and not _has(t, *RECEIVABLES[:6]):
        spend_args = _period_args(raw, as_of)
        if who is not None:
            spend_args["supplier"] = who.party_id
        elif group:
            spend_args["payees"] = group
        if category:
            spend_args["category"] = category
        if _has(t, *COUNT):
            spend_args["measure"] = "count"
        if who is None and not group and category is None and not _has(t, *EXPENSES):
            return None
        kind = "paid_to_supplier" if who is not None or group else "expenses_category"
        return _Call(kind=kind, tool="expenses", args=spend_args)
    if party.ambiguous and not _has(t, *VAT):
        return None  # two parties fit: do not guess
    receivable = _has(t, *RECEIVABLES) or (_has(t, *INVOICES) and who is not None)
    if not receivable:
        return None
    args: dict[str, Any] = {}
    if who is not None and who.kind == "client":
        args["client"] = who.party_id
    # "ses factures et leurs jours de retard", "lesquelles sont en retard et de combien de
    # jours": each invoice with its days late; only those past due when the rest says so
    if (
        who is not None
        and "client" in args
        and (_has(t, *DAYS_LATE) or (_has(t, *_HOW_LONG) and _has(t, *OVERDUE)))
    ):
        if _has(re.sub("|".join(DAYS_LATE), " ", t), *OVERDUE):
            args["overdue_only"] = True
        return _Call(kind="client_invoices", tool="client_invoices", args=args)
    m = OLDER.search(rest)
    if m:
        args["min_days_late"] = int(m.group(1))
    elif _has(t, *OVERDUE):
        args["overdue_only"] = True
    p = find_period(raw, as_of)
    if p is not None and _has(t, r"[ée]mises?", r"issued", r"الصادرة", r"factur[ée]es"):
        args["issued_from"], args["issued_to"] = p.start, p.end
    if _has(t, *COUNT) and not _has(t, *_AMOUNT_SAID):  # "… , en montant ?": the amount
        args["measure"] = "count"
    kind = "receivables_count" if args.get("measure") == "count" else "receivables_total"
    return _Call(kind=kind, tool="receivables", args=args)


def _periods(text: str, as_of: date) -> list[Period]:
    """Quarters, half-years and year-to-date."""
    p = quarter_half_ytd(strip_dates(text), as_of)
    return [Period(start=p.start, end=p.end, label=p.label)] if p else []


_MONTH_YEAR = re.compile(
    rf"(?<![^\W\d_])[وبلف]?({months.alternation(MONTHS)})(?![^\W\d_])(?:\s*(20\d{{2}}))?", re.I
)
_BARE_YEAR = re.compile(r"(?<![\d/.-])(20\d{2})(?![\d/.-])")


def _all_periods(text: str, as_of: date) -> list[tuple[int, Period]]:
    """Every quarter, half-year, month or year the question names, with where it stands:
    what a difference or a change between two periods compares."""
    t = strip_dates(text)
    years = [int(y) for y in _BARE_YEAR.findall(t)]
    default_year = years[-1] if years else as_of.year
    found: list[tuple[int, Period]] = []
    for m in QUARTER.finditer(t):
        qp = quarter_period(int(m.group(2) or default_year), int(m.group(1)))
        found.append((m.start(), Period(start=qp.start, end=qp.end, label=qp.label)))
    for m in HALF.finditer(t):
        hp = half_period(int(m.group(2) or default_year), int(m.group(1)))
        found.append((m.start(), Period(start=hp.start, end=hp.end, label=hp.label)))
    if not found:
        for m in _MONTH_YEAR.finditer(t):
            n = months.month_number(m.group(1), MONTHS)
            if n is None:
                continue
            y = int(m.group(2)) if m.group(2) else (default_year if years else (as_of.year if n <= as_of.month else as_of.year - 1))  # fmt: skip
            mp = month_period(y, n)
            found.append((m.start(), Period(start=mp.start, end=mp.end, label=mp.label)))
    if not found and len(years) >= 2:
        for m in _BARE_YEAR.finditer(t):
            y = int(m.group(1))
            found.append((m.start(), Period(start=date(y, 1, 1), end=date(y, 12, 31), label=str(y))))  # fmt: skip
    return sorted(found, key=lambda p: p[0])


def _two_periods(t: str, q: Query, as_of: date) -> tuple[Query, list[str]]:
    """A difference or a change between two periods of the same measure; two periods with
    neither word are reported, not summed or dropped."""
    if q.combine:
        return q, []
    if q.measure in (*AS_OF_MEASURES, "balance"):
        return _two_days(t, q, as_of), []
    periods = [p for _, p in _all_periods(t, as_of)]
    if len(periods) < 2 or periods[0] == periods[1]:
        return q, []
    a, b = periods[0], periods[1]
    if _has(t, *CHANGE, *DIFFERENCE):
        # from the earlier period to the later one: the later less the earlier, in dinars,
        # unless a percentage is asked ("évolution en %", "taux de croissance")
        early, late = sorted((a, b), key=lambda p: p.start or date.min)
        first = q.model_copy(update={"period": late})
        how = "change" if _has(t, *PERCENT) else "difference"
        return first.model_copy(update={"combine": how, "other": q.model_copy(update={"period": early})}), []  # fmt: skip
    found = _all_periods(t, as_of)
    if len(found) == 2 and a.start and b.start and b.end and a.start < b.start:
        st = strip_dates(t)
        before, between = st[: found[0][0]], st[found[0][0] : found[1][0]]
        if (
            re.search(r"(?:\bde|\bd[’']|\bdu|\bfrom|\bentre|\bbetween|(?<!\S)من)\s*$", before)
            and re.search(
                r"(?:\b[àa]|\bau|\bto|\buntil|\bthrough|\bet|\band|[-–]|(?<!\S)(?:إلى|الى|حتى|و))\s*$",
                between,
            )
            and not _has(t, *CHANGE, *DIFFERENCE, *COMPARE)
        ):
            # "d'avril à juin 2026", "from April to June": one span, from the first to the last
            span = Period(start=a.start, end=b.end, label=f"{a.label}..{b.label}")
            return q.model_copy(update={"period": span}), []
    if _has(t, *COMPARE):  # "T3 vs T2", "comparé à": the first less the second
        first = q.model_copy(update={"period": a})
        return first.model_copy(update={"combine": "difference", "other": q.model_copy(update={"period": b})}), []  # fmt: skip
    return q, [f"{a.label} / {b.label}"]


_END_BEFORE = re.compile(r"(?:\bfin(?: de| d[’'])?|\bend of|نهاية)\s*$")


def _two_days(t: str, q: Query, as_of: date) -> Query:
    """The books on two days (``entre le 30/09/2026 et le 31/10/2026``): their difference or
    change, for the measures of one day (balance, receivables)."""
    days = find_dates(t)
    if len(days) < 2:
        # "entre fin septembre et fin octobre", "between end of February and end of March":
        # the last day of each period said with an end-of word
        st = strip_dates(t)
        ends = [
            p.end
            for at, p in _all_periods(t, as_of)
            if p.end is not None and _END_BEFORE.search(st[max(0, at - 12) : at])
        ]
        if len(ends) >= 2 or (len(ends) == 1 and len(days) == 1):
            days = sorted({*days, *ends})
    since = _has(t, *TODAY, r"\bdepuis\b", r"\bsince\b", r"(?<!\w)منذ(?!\w)")
    base = days[0] if days else q.on
    if len(days) < 2 and since and base is not None and base < as_of:
        days = [base, as_of]  # "entre le 30/06/2026 et aujourd'hui", "depuis fin 2025"
    if len(days) < 2 or not _has(t, *DIFFERENCE, *CHANGE, *COMPARE):
        return q
    a, b = days[0], days[1]
    if _has(t, *CHANGE, *DIFFERENCE):
        a, b = max(a, b), min(a, b)  # from the earlier day to the later one
        how = "change" if _has(t, *PERCENT) else "difference"
    else:
        how = "difference"
    plain = q.model_copy(update={"period": None})
    first = plain.model_copy(update={"on": a})
    return first.model_copy(update={"combine": how, "other": plain.model_copy(update={"on": b})})


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
    return [name for name in _names(raw) if find_party(session, name).party is None]


def _names(raw: str) -> list[str]:
    """The capitalised words of the question that could be names (not a month, not a known
    question word)."""
    found = (m.group(1) for m in NAME.finditer(" " + strip_dates(raw)))
    return [n for n in found if fold(n.split()[0]) not in KNOWN]


# the measures about clients, and about suppliers: a name of the other kind is not a filter
_CLIENT_MEASURES = ("open_receivables", "invoiced_ttc", "invoiced_ht", "vat", "stamp_duty",
                    "client_receipts", "days_late", "days_since_payment", "rejected_payments",
                    "unallocated_receipts", "dso", "clients")  # fmt: skip
_SUPPLIER_MEASURES = ("expenses", "supplier_payments", "expenses_without_receipt")


def _wrong_kind(session: Session, raw: str, q: Query) -> list[str]:
    """Names the question gives that resolve only to a party of another kind than its measure
    takes ("combien nous doit Sonelgaz", a supplier): reported, never dropped for a total of
    every client."""
    kinds = _party_kinds(q)
    if kinds is None:
        return []
    own, other = kinds
    return [
        name
        for name in _names(raw)
        if _category(name) is None
        and find_party(session, name, own).party is None
        and _names_some(find_party(session, name, other))
    ]


def _party_kinds(q: Query) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The kinds of party ``q``'s measure takes and the others, when no party narrows it yet."""
    f = q.filters
    if q.measure in _CLIENT_MEASURES and not f.client and not f.invoice:
        return ("client",), ("supplier", "payee")
    if q.measure in _SUPPLIER_MEASURES and not (f.supplier or f.payees or f.employee or f.card):
        return ("supplier", "payee"), ("client",)
    return None


def _wrong_kind_words(session: Session, found: list[str], q: Query) -> list[str]:
    """The words of the question that name a party only by its transliteration (Arabic has no
    capitals: "شحال تسالنا توسيالي", Tosyali a supplier) and name one of another kind than the
    measure takes: reported, as :func:`_wrong_kind` does for a capitalised name."""
    kinds = _party_kinds(q)
    if kinds is None:
        return []
    own, other = kinds
    return [
        w
        for w in found
        if _category(w) is None
        and find_party(session, w, own).party is None
        and _names_some(find_party(session, w, other))
    ]


def _names_some(m: Match) -> bool:
    """A name that resolves to one party, or to a group of them (Naftal: its stations)."""
    return m.party is not None or bool(m.ambiguous)


def _close_clients(session: Session, name: str) -> list[str]:
    return close_names(session, name, ("client",), 3)


def unresolved_text(session: Session, items: list[str], lang: str) -> str:
    """What was not understood, in the question's language: unknown names with the closest
    ones, two periods with no word saying how to compare them."""
    parts = []
    for item in items:
        if " / " in item:  # two periods (see _two_periods)
            parts.append(
                {
                    "fr": f"la question nomme deux périodes ({item}) sans dire s'il faut leur différence ou leur variation",
                    "ar": f"السؤال يذكر فترتين ({item}) دون تحديد الفرق أو التغير",
                    "en": f"the question names two periods ({item}) without saying whether to take their difference or change",
                }[lang]
            )
            continue
        if item.startswith("?"):  # a word no slot took
            parts.append({"fr": f"je n'ai pas compris « {item[1:]} »", "ar": f"لم أفهم «{item[1:]}»",
                          "en": f"I did not understand “{item[1:]}”"}[lang])  # fmt: skip
            continue
        if _compiled(_ONE_SALARY).search(item.lower()):
            parts.append({"fr": f"« {item.strip()} » : les livres tiennent la masse salariale (dépenses de salaires), pas le salaire de chaque personne",
                          "ar": f"«{item.strip()}»: الدفاتر تسجل مجموع الأجور، لا أجر كل شخص",
                          "en": f"“{item.strip()}”: the books hold the payroll (salary expenses), not each person's salary"}[lang])  # fmt: skip
            continue
        if impossible_dates(item):
            parts.append({"fr": f"la date « {item} » n'existe pas", "ar": f"التاريخ «{item}» غير موجود",
                          "en": f"the date “{item}” does not exist"}[lang])  # fmt: skip
            continue
        other = find_party(session, item).party
        if other is not None:  # a name of another kind than the question asks about
            kind = {"client": ("client", "عميل", "client"), "supplier": ("fournisseur", "مورد", "supplier"),
                    "payee": ("bénéficiaire", "مستفيد", "payee")}[other.kind]  # fmt: skip
            parts.append({
                "fr": f"« {item} » ne désigne pas ce que la question demande : le nom le plus proche est un {kind[0]} ({other.name})",
                "ar": f"«{item}» لا يطابق ما يطلبه السؤال: أقرب اسم هو {kind[1]} ({other.name})",
                "en": f"“{item}” does not name what the question asks about: the closest name is a {kind[2]} ({other.name})",
            }[lang])  # fmt: skip
            continue
        close = ", ".join(_close_clients(session, item)) or "—"
        parts.append(
            {
                "fr": f"je ne connais pas de client, fournisseur ou facture « {item} » ; noms proches : {close}",
                "ar": f"لا أعرف عميلا أو موردا أو فاتورة باسم «{item}»؛ أسماء قريبة: {close}",
                "en": f"I know no client, supplier or invoice named “{item}”; close names: {close}",
            }[lang]
        )
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."


# Arabic particles spelled like names once folded (على → علي): never part of a name
_PARTICLES = re.compile(r"(?<![^\W\d_])(?:على|إلى|الى|في|من|عن|مع)(?![^\W\d_])")


def _find_party(session: Session, text: str, kinds: tuple[str, ...]) -> Match:
    return find_party(session, _PARTICLES.sub(" ", text), kinds)


def _invoice(session: Session, raw: str) -> tuple[str | None, list[str]]:
    """The invoice number the question names (as the ledger spells it), or what is unknown."""
    m = INVOICE_NO.search(strip_dates(raw))
    if m is None:
        return None, []
    number = m.group(1).upper().replace("/", "-")
    found = session.scalar(select(Invoice.number).where(Invoice.number == number))
    return (found, []) if found else (None, [m.group(1)])


# "combien de X": a count when X is a thing one counts; "combien de TVA / de timbre / d'argent"
# asks for an amount
_COUNTED = re.compile(
    r"(?:combien|how many)\s+(?:de |d[’']|of )?(?:nos |les |our )?(factures?|avoirs?|clients?|"
    r"ch[eè]ques?|paiements?|r[èe]glements?|virements?|d[ée]penses?|op[ée]rations?|lignes?|"
    r"mouvements?|fournisseurs?|invoices?|credit notes?|payments?|expenses?|transactions?|"
    r"cheques?|checks?|transfers?|suppliers?|clients?|fois|times)\b",
    re.I,
)


# "avoirs émis en 2026 : combien ?": a thing one counts named first, then "combien" alone
_COUNTED_FIRST = re.compile(
    r"^\W*(?:les |nos |des )?(?:factures?|avoirs?|clients?|ch[eè]ques?|fournisseurs?)\b[^:?]*[:,–-]\s*combien\s*\??\s*$",
    re.I,
)


# "combien de chèques encaissés (montant)": the amount of them, said in so many words
_AMOUNT_SAID = (r"\(\s*(?:en )?(?:montant|valeur|da|dzd|amount|value)\s*\)", r"\ben montant\b", r"\bin (?:value|dinars|da)\b", r"\bmontant (?:total )?de ces\b")  # fmt: skip


def _aggregation(t: str) -> str:
    if _has(
        t,
        r"nombre d[e'’]",
        r"\bnb\b",
        r"\bnbre\b",
        r"number of",
        r"عدد",
        r"كم فاتورة",
        *COUNTED_AR,
    ) or _COUNTED.search(t):
        agg = "count"
    elif _has(t, r"how many") and not _has(t, r"how much"):
        agg = "count"
    elif _COUNTED_FIRST.search(t) and not _has(
        t, r"\bmontant", r"\bsomme\b", r"\bvaleur\b", r"\bda\b", r"\bdinars?\b"
    ):
        agg = "count"  # "factures partiellement payées : combien ?": the things named, counted
    else:
        agg = "sum"
    if agg == "count" and _has(t, *_AMOUNT_SAID):
        agg = "sum"
    # "le client qui …" ranks clients; "la plus grosse facture d'un client public" does not
    if (
        _has(t, *MAX)
        and (_has(t, *ITEM) or _one_debt(t))
        and not _has(
            t,
            r"(?<!\ba )(?<!\ban )(?<!\bun )(?<!\bune )(?<!government )(?<!public )\bclients?\b",
            r"عميل",
        )
    ):
        agg = "max"
    elif _has(t, *MIN) and _has(t, *ITEM):
        agg = "min"
    elif _has(t, *AVG) and not _has(t, *DSO):
        agg = "weighted_avg" if _has(t, *WEIGHTED) else "avg"
    return agg


def _invoiced_measure(t: str) -> str:
    """TTC when said; HT when said, or when the question speaks of turnover (CA is HT)."""
    if _has(t, *TTC):
        return "invoiced_ttc"
    return "invoiced_ht" if _has(t, *HT) or _has(t, *TURNOVER) else "invoiced_ttc"


def _forecast_query(raw: str, t: str, as_of: date) -> Query | None:
    """A balance to come: ``solde prévu dans 30 jours``, ``est-ce que je vais pouvoir payer
    les salaires ce mois-ci ?``, ``passer sous le seuil``. The day is the one named (a date
    after the as-of day, ``dans N jours``, the end of this month), else 30 days ahead; a
    question of being able to pay, or of the lowest point, asks for the lowest balance up
    to that day (and its status), not the balance of the last day."""
    in_days = IN_DAYS.search(strip_dates(t))
    asks = _has(t, *FORECAST) or (
        in_days is not None and _has(t, *BALANCE, *CASH, r"banque", r"bank")
    )
    if not asks:
        return None
    day = find_day(raw)
    on: date | None = day if day is not None and day > as_of else None
    if on is None and in_days is not None:
        on = date.fromordinal(as_of.toordinal() + int(in_days.group(1)))
    if on is None and _has(t, *THIS_MONTH):
        on = month_period(as_of.year, as_of.month).end
        if on is not None and on <= as_of:  # the month's last day: the next month's end
            nxt = date.fromordinal(as_of.toordinal() + 1)
            on = month_period(nxt.year, nxt.month).end
    explicit_day = on is not None and not _has(t, *THIS_MONTH)
    lowest = _has(t, *LOWEST, *SALARIES) or not explicit_day
    if _has(t, *CAN_WE) and not _has(
        t, *LOWEST, r"\bcombien\b", r"\bhow much\b", r"(?<!\S)(?:كم|شحال|قداش)(?!\S)"
    ):
        # "est-ce que je vais pouvoir payer les salaires ?": yes or no, on the lowest point
        return Query(measure="forecast", on=on, aggregation="status")
    return Query(measure="forecast", on=on, aggregation="min" if lowest else "sum")


def _new_measure(session: Session, raw: str, t: str, as_of: date) -> Query | None:
    """The measures the rule parser does not know, read compositionally."""
    fq = _forecast_query(raw, t, as_of)
    if fq is not None:
        return fq
    period = _period(t, as_of)
    party = _find_party(session, strip_dates(raw), ("client",)).party
    f = Filters(client=party.party_id if party else None)
    agg = _aggregation(t)
    if _has(t, *COLLECTION_RATE):
        # "taux d'encaissement du T3": what came in over what was invoiced TTC, in %
        whole = Query(measure="invoiced_ttc", period=period, filters=f.model_copy())
        return Query(measure="client_receipts", period=period, filters=f, combine="share", other=whole)  # fmt: skip
    invoice, _ = _invoice(session, raw)
    if invoice is not None:
        f.invoice = invoice
        if _has(t, *DAYS_LATE) or (_has(t, *_HOW_LONG) and _has(t, *OVERDUE)):
            return Query(measure="days_late", filters=f, aggregation="max")
        if _has(
            t,
            *REMAINING,
            *NOT_PAID,
            r"\bdue\b",
            r"\bleft\b",
            r"\bdoit\b",
            r"\boutstanding\b",
            r"\bopen\b",
            r"(?:ال)?متبقي",
        ):
            return Query(measure="open_receivables", filters=f)
    dated = _dated_query(session, raw, t, period)
    if dated is not None:
        return dated
    if _has(t, *DAYS_SINCE) and f.client:
        return Query(measure="days_since_payment", filters=f, aggregation="max")
    if _has(t, *UNALLOCATED) and not _has(t, *EXPENSES, *PAID_TO[:4]):
        # "paiements clients non affectés", "acomptes reçus": what no invoice took
        unalloc = "count" if agg == "count" else "sum"
        return Query(measure="unallocated_receipts", period=period, filters=f, aggregation=unalloc)
    if (
        _has(t, *LIST)
        and _has(t, *INVOICES)
        and (f.client or period is not None)
        and agg == "sum"
        and not _has(t, *RECEIVABLES, *OVERDUE, *DAYS_LATE, *PAID_INVOICES, *PARTIAL)
        and not _has(t, *CANCELLED, *CREDIT_NOTES, *STAMP, *VAT)
    ):
        # "quelles sont les factures de X": every invoice issued to X, not only the open ones
        return Query(measure=_invoiced_measure(t), period=period, filters=f, aggregation="list")
    if _has(t, *NET) and _has(t, *MOVEMENTS, *CASH, r"bank", r"banque", r"بنك"):
        credits = Query(measure="bank_credits", period=period)
        return credits.model_copy(update={"combine": "difference", "other": Query(measure="bank_debits", period=period)})  # fmt: skip
    if (
        _has(t, *BALANCE, *CASH)
        and period is not None
        and _has(t, *LOWEST, *HIGHEST)
        and not _has(t, r"balance [âa]g[ée]e", r"\baged\b")
    ):
        # "le solde le plus bas cette année": the extreme end-of-day balance of the period
        return Query(measure="balance", period=period, aggregation="max" if _has(t, *HIGHEST) else "min")  # fmt: skip
    if _has(t, *CASH) and not _has(t, r"encaiss", *CREDITS, *DEBITS, *RECEIPTS):
        on = find_day(raw) or (period.end if period else as_of)
        return Query(measure="balance", on=on or as_of)  # a later day is refused
    if _has(t, *OLDEST) and _has(t, *INVOICES, *RECEIVABLES, *DAYS_LATE, r"\bclients?\b", r"عميل"):
        # the open invoice furthest past due ("la plus ancienne facture impayée")
        f.overdue = True
        return Query(measure="days_late", filters=f, aggregation="max")
    if (
        _has(t, *_CLIENT_BOOK)
        and not _has(
            t, *RECEIVABLES, *OVERDUE, *NOT_PAID, *INVOICED, *INVOICES, *RECEIPTS, *TOP, *DAYS_LATE
        )
        and period is None
    ):
        # "combien de clients avons-nous ?", "how many government clients do we have?"
        return Query(measure="clients", aggregation="count")
    if _has(t, *COUNT_CLIENTS) and _has(t, *INVOICED) and not _has(t, *RECEIVABLES):
        # "combien de clients différents a-t-on facturés en août": clients invoiced, not owing
        return Query(measure=_invoiced_measure(t), period=period, filters=f, aggregation="count_clients")  # fmt: skip
    if _has(t, *COUNT_CLIENTS) and not (
        _has(t, *TOP) or _has(t, r"\ble plus\b", r"\bthe most\b", r"الأكثر")
    ):
        if _has(t, *OVERDUE, r"retards?\b", r"\blate\b", r"تأخ"):
            f.overdue = True
        return Query(measure="open_receivables", aggregation="count_clients", filters=f)
    if _has(t, *PARTIAL):
        f.invoice_status = "partially_paid"
        return Query(measure="open_receivables", filters=f, aggregation="count" if agg == "count" else "sum")  # fmt: skip
    if _has(t, *STAMP):
        return Query(measure="stamp_duty", period=period, filters=f, aggregation=agg)  # type: ignore[arg-type]
    if _has(t, *CREDIT_NOTES) and not _has(t, *NET_OF_CREDIT_NOTES, *WITHOUT_CREDIT_NOTES):
        f.invoice_status = "credit_note"
        measure = "invoiced_ht" if _has(t, *HT) else "invoiced_ttc"
        return Query(measure=measure, period=period, filters=f, aggregation=agg)  # type: ignore[arg-type]
    if _has(t, *PAID_INVOICES) and _has(t, *INVOICES) and not _has(t, *NOT_PAID):
        # "factures payées en novembre": settled in full by a payment of that period
        f.invoice_status = "paid"
        return Query(
            measure=_invoiced_measure(t),
            period=period,
            filters=f,
            aggregation=agg if agg in ("count", "sum", "max", "min") else "sum",
        )  # type: ignore[arg-type]
    if _has(t, *CANCELLED) and _has(t, *INVOICES) and not _has(t, *NOT_CANCELLED):
        f.invoice_status = "cancelled"
        return Query(measure=_invoiced_measure(t), period=period, filters=f, aggregation=agg)  # type: ignore[arg-type]
    if (_has(t, *COUNT_INVOICES) or (agg == "count" and _has(t, *INVOICES))) and not _has(
        t, *RECEIVABLES
    ):
        rest = strip_dates(t)
        if _has(t, *OVERDUE, *DAYS_LATE) or OLDER.search(rest) or RANGE.search(rest):
            # "combien de factures ont plus de 90 jours de retard": open, past due
            f.overdue = True
            return Query(measure="open_receivables", filters=f, aggregation="count")
        return Query(measure="invoiced_ttc", period=period, filters=f, aggregation="count")
    if _has(t, *VAT) and not _has(t, *TTC, *HT):
        if period is None or period.start is None or period.end is None:
            return None  # VAT of a month (the typed tool), or not understood
        if (period.end - period.start).days <= 31:
            return None
        return Query(measure="vat", period=period, filters=f, aggregation=agg)  # type: ignore[arg-type]
    if (
        agg in ("max", "min")
        and _has(t, *NOT_PAID, *RECEIVABLES)
        and (_has(t, *INVOICES) or _one_debt(t))
    ):
        # "la plus grosse facture impayée": the largest of what is still owed, not of all
        if _has(t, *OVERDUE):
            f.overdue = True
        return Query(measure="open_receivables", filters=f, aggregation=agg)  # type: ignore[arg-type]
    late_words = _has(t, r"retard", r"\blate\b", r"تأخ", r"[ée]chu", r"overdue")
    if (
        (_has(t, *TTC, *HT) and _has(t, *INVOICES) and not _has(t, *RECEIVABLES))
        or _has(t, *INVOICED)
        or (  # "total des factures de mai", "مجموع الفواتير في ماي": what was invoiced then
            period is not None
            and agg == "sum"
            and _has(t, *INVOICES)
            and not late_words
            and not _has(t, *RECEIVABLES, *NOT_PAID, *OVERDUE, *RECEIPTS, *PAID_INVOICES)
        )
        or (
            (agg in ("max", "min") or (agg == "avg" and not late_words))
            and _has(t, r"factur", r"invoice", r"فاتورة")
        )
    ):
        return Query(measure=_invoiced_measure(t), period=period, filters=f, aggregation=agg)  # type: ignore[arg-type]
    if _has(t, *RECEIPTS) and not _has(t, r"d[ée]lai", r"\bdso\b"):
        return Query(measure="client_receipts", period=period, filters=f, aggregation=agg)  # type: ignore[arg-type]
    if _has(t, *CREDITS) and not _has(t, *CREDIT_NOTES):
        return Query(measure="bank_credits", period=period, aggregation=agg)  # type: ignore[arg-type]
    if _has(t, *DEBITS):
        return Query(measure="bank_debits", period=period, aggregation=agg)  # type: ignore[arg-type]
    if agg in ("max", "min") and (_has(t, *EXPENSES) or _category(strip_dates(t)) is not None):
        # "plus grosse note de restaurant du T1": the largest of that category
        f = Filters(category=_category(strip_dates(t)))
        return Query(measure="expenses", period=period, filters=f, aggregation=agg)  # type: ignore[arg-type]
    if (
        _has(t, r"tva", r"\bvat\b", r"القيمة المضافة")
        and period is not None
        and not _has(t, *TTC, *HT)
    ):
        if (
            (period.start, period.end) != (None, None)
            and period.start
            and period.end
            and (period.end - period.start).days > 31
        ):
            return Query(measure="vat", period=period, filters=f)
    if agg in ("avg", "weighted_avg") and _has(t, r"retard", r"late", r"تأخ"):
        f.overdue = True
        return Query(measure="open_receivables", aggregation=agg, filters=f)  # type: ignore[arg-type]
    return None


# measures an age range ("plus de 90 jours") or an amount bound ("plus de 1 M DA") cannot
# narrow: such a phrase is reported, never dropped while a broader figure is answered
_NO_AGE = ("invoiced_ttc", "invoiced_ht", "vat", "stamp_duty", "client_receipts", "bank_debits",
           "bank_credits", "balance", "expenses", "supplier_payments", "expenses_without_receipt",
           "rejected_payments", "dso", "forecast")  # fmt: skip
_AMOUNT_OK = ("open_receivables", "invoiced_ttc", "invoiced_ht", "client_receipts", "expenses",
              "supplier_payments", "expenses_without_receipt")  # fmt: skip


_SCALE = re.compile(r"\s*(m|millions?|k)\s*$", re.I)


# how many days since / until: a number of days, not a day (DAYS_SINCE reads it)
_HOW_LONG = (r"depuis quand", r"since when", r"منذ متى", r"depuis combien", r"combien de jours",
             r"how many days", r"how long", r"days since", r"كم يوم", r"منذ كم")  # fmt: skip


def _dated_query(session: Session, raw: str, t: str, period: Period | None) -> Query | None:
    """``quand X a-t-il payé pour la dernière fois``, ``date de la première facture de X``,
    ``when did we last pay Sonelgaz``: the latest (or earliest) dated item of a measure — a
    client's receipts, a supplier's payments, invoices issued, bank lines — whose day is the
    answer. A due date or a number of days is another question: not read here."""
    asks_day = _has(t, *WHEN) or (_has(t, *LAST, *FIRST) and _has(t, r"\bdate\b", r"تاريخ"))
    if not asks_day or _has(t, *_HOW_LONG, r"[ée]ch[ée]ance", r"\bdue\b", r"استحقاق"):
        return None
    how = "first" if _has(t, *FIRST) and not _has(t, *LAST) else "last"
    party = _find_party(session, strip_dates(raw), ("client", "supplier", "payee")).party
    f = Filters()
    if party is not None and party.kind == "client":
        f.client = party.party_id
    elif party is not None:
        f.supplier = party.party_id
    pays = _has(t, *RECEIPTS, *PAID_TO, *PAY_VERBS)
    if _has(t, *CREDIT_NOTES):  # "quand a-t-on fait notre dernier avoir"
        f.invoice_status = "credit_note"
        measure = _invoiced_measure(t)
    elif _has(t, *INVOICED, *INVOICES) and not (pays and not _has(t, *INVOICED)):
        measure = _invoiced_measure(t)
    elif f.client or (_has(t, *RECEIPTS) and not f.supplier):
        measure = "client_receipts"
    elif f.supplier or _has(t, *EXPENSES, *PAID_TO) or _category(strip_dates(t)) is not None:
        # "c'était quand le dernier plein de carburant": a category names a spending
        measure = "supplier_payments" if f.supplier else "expenses"
        f.category = _category(strip_dates(t))
    elif _has(t, *CREDITS):
        measure = "bank_credits"
    elif _has(t, *DEBITS):
        measure = "bank_debits"
    else:
        return None
    return Query(measure=measure, period=period, filters=f, aggregation=how)  # type: ignore[arg-type]


def _scaled_amount(text: str) -> Decimal:
    """``1 000 000``, ``1,5 M``, ``2 millions``, ``500 k``: an amount as the owner says it."""
    text = text.strip()
    m = _SCALE.search(text)
    if m is None:
        return parse_amount(text)
    factor = Decimal(1000) if m.group(1).lower() == "k" else Decimal(1_000_000)
    return (parse_amount(text[: m.start()].strip()) * factor).quantize(Decimal("0.01"))


def _modifiers(t: str, q: Query) -> list[str]:
    """Fill the filter slots any receivables/invoicing/receipts/spending query can take;
    return the phrases that name a filter this measure cannot take."""
    dropped: list[str] = []
    rest = strip_dates(t)
    amount = ABOVE_AMOUNT.search(rest)
    if amount and q.filters.min_amount is None:
        if q.measure in _AMOUNT_OK and q.aggregation not in ("top",):
            try:
                q.filters.min_amount = _scaled_amount(amount.group(1))
            except MoneyError:
                dropped.append(amount.group(0).strip())
        else:
            dropped.append(amount.group(0).strip())
    age = RANGE.search(rest) or OLDER.search(rest)
    if age and q.measure in _NO_AGE and not IN_DAYS.search(rest):
        dropped.append(age.group(0).strip())
    dropped += _fill(t, q)
    return dropped


def _fill(t: str, q: Query) -> list[str]:
    if q.measure == "open_receivables" and q.aggregation == "top" and not _has(t, *NOT_DUE):
        if _has(t, *OVERDUE) and q.filters.overdue is None:
            q.filters.overdue = True  # "top 3 des clients par créances échues"
    all_ages = q.measure == "open_receivables" and _has(t, *ALL_AGES)
    if all_ages:
        q.filters.overdue = None  # "échues ou pas": every open item, whatever its age
        q.filters.min_days_late = q.filters.max_days_late = None
    elif q.measure == "open_receivables" and _has(t, *NOT_DUE):
        q.filters.overdue = False  # "pas encore échues": what is open and not past due
        q.filters.min_days_late = q.filters.max_days_late = None
    if q.measure in ("client_receipts", "expenses", "supplier_payments"):
        methods = [method for method, pats in METHODS.items() if _has(t, *pats)]
        if len(methods) > 1:  # "cash received by bank transfer": the method the question names
            methods = [m for m in methods if _has(t, *(rf"(?:\b(?:by|par|via|en|using)\s+(?:[^\W\d_]+\s+)?|(?<!\S)ب(?:ال)?)(?:{p})" for p in METHODS[m]))] or methods  # fmt: skip
        if methods:
            q.filters.payment_method = methods[-1]  # type: ignore[assignment]
        return _kind_filter(t, q) if q.measure == "client_receipts" else []
    if q.measure == "clients":  # the register: only a kind of client narrows it
        return _kind_filter(t, q)
    if q.measure not in ("open_receivables", "invoiced_ttc", "invoiced_ht", "vat", "stamp_duty"):
        return []
    m = RANGE.search(strip_dates(t))
    if all_ages:
        pass  # no age filter, but the other filters (a kind of client) still apply
    elif m and q.measure == "open_receivables":
        lo, hi = sorted((int(m.group(1)), int(m.group(2))))
        q.filters.min_days_late, q.filters.max_days_late = max(lo - 1, 0), hi
    elif q.measure == "open_receivables" and q.filters.min_days_late is None:
        older = OLDER.search(strip_dates(t))
        if older:
            q.filters.min_days_late = int(older.group(1))
    dropped = _kind_filter(t, q)
    if dropped:
        return dropped
    if q.measure != "open_receivables":
        for method, pats in METHODS.items():
            if _has(t, *pats):
                q.filters.payment_method = method
        if q.filters.invoice_status is None and _has(t, *WITHOUT_CREDIT_NOTES):
            q.filters.invoice_status = "issued"
    return []


def _kinds_said(t: str) -> list[str]:
    """The kinds of client the text names (administrations, PME, grands comptes, particuliers)."""
    return [kind for kind, pats in KINDS.items() if _has(t, *pats)]


def _kind_filter(t: str, q: Query) -> list[str]:
    """The kind of client ``t`` names as ``q``'s filter; two kinds are not one filter
    ("l'échu des administrations et des PME"): reported, and no kind is kept."""
    kinds = _kinds_said(t)
    if len(kinds) == 1:
        q.filters.client_kind = kinds[0]  # type: ignore[assignment]
    elif kinds:
        q.filters.client_kind = None
        return [" / ".join(kinds)]
    return []


# the filters that pick a part of a whole (a share drops them); the others (overdue, an age
# range, a period) describe the whole too
DIMENSIONS = ("client", "client_kind", "supplier", "category", "payment_method", "invoice")
AGE = ("overdue", "min_days_late", "max_days_late")


def _share(t: str, q: Query) -> Query:
    """``part des … dans …``: the filtered figure over the same figure without its dimension."""
    narrowed = [d for d in DIMENSIONS if getattr(q.filters, d) is not None]
    if not narrowed and q.measure == "open_receivables":  # the share that is overdue
        narrowed = [d for d in AGE if getattr(q.filters, d) is not None]
    if not _has(t, *SHARE) or not narrowed or q.aggregation not in ("sum", "count"):
        return q
    # "part du carburant dans les dépenses payées par carte": what is said after "dans / of /
    # among" describes the whole too (paid by card), what is said before it is the part
    pivot = re.search(
        r"\b(?:dans|parmi|among|within|sur l.ensemble)\b|\bin (?:the |our |all )?(?:spending|expenses|receipts|collections|sales|invoic)",
        t,
    )
    whole_dims = set()
    if pivot is not None:
        for d in narrowed:
            at = _said_at(t, d, getattr(q.filters, d))
            if at is not None and at > pivot.start():
                whole_dims.add(d)
    narrowed = [d for d in narrowed if d not in whole_dims]
    if not narrowed:
        return q
    keep: dict[str, Any] = dict.fromkeys(narrowed)
    # the age phrase itself ("plus de 60 jours de retard", "over 60 days overdue") says what the
    # part is; an overdue word elsewhere ("part de l'échu …") says the whole is overdue too
    tail = r"(?:\s*(?:overdue|past due|late|de retard|en retard|[ée]chue?s?|متأخرة|من التأخير))?"
    # … and so does an overdue word just before it ("l'encours est échu depuis plus de 90 jours")
    head = r"(?:(?:[ée]chue?s?|overdue|past due|en retard|متأخرة)\s+(?:depuis\s+|by\s+|for\s+|de\s+)?)?"
    rest = re.sub(
        rf"{head}(?:{OLDER.pattern}|{RANGE.pattern}){tail}", " ", strip_dates(t), flags=re.I
    )
    if set(narrowed) <= set(AGE) and _has(rest, *OVERDUE) and "overdue" not in narrowed:
        keep["overdue"] = True  # "part de l'échu à plus de 60 jours": of what is overdue
    whole = q.model_copy(update={"filters": q.filters.model_copy(update=keep)})
    return q.model_copy(update={"combine": "share", "other": whole})


def _said_at(t: str, dimension: str, value: Any) -> int | None:
    """Where in ``t`` the words of a filter's value are said (a method, a category, a kind)."""
    pats: tuple[str, ...] = ()
    if dimension == "payment_method":
        pats = METHODS.get(value, ())
    elif dimension == "client_kind":
        pats = KINDS.get(value, ())
    elif dimension == "category":
        pats = tuple(re.escape(n.lower()) for n in (value, *CATEGORIES.get(value, ())))
    hits = [m.start() for p in pats if (m := _compiled(p).search(t))]
    return min(hits) if hits else None


_TWO_MEASURES = re.compile(
    r"(?:diff[ée]rence|[ée]cart|difference|gap|الفرق|فرق)\s+(?:entre|between|بين)\s+(.+?)"
    r"(?:\s+(?:et|and)\s+|\s+و(?=\S))(.+)"
    r"|(.+?)(?<!\bau)(?<!\bpour le)(?<!\bdu)\s+(?:moins|minus|ناقص)\s+(?!de\b|d')(.+)"
    r"|de combien\s+(.+?)\s+d[ée]passe(?:-t-il|-t-elle|nt-ils|nt-elles)?\s+(.+)"
    r"|(.+?)\s+combien de plus que\s+(.+)",
    re.I,
)


# "combien de clients avons-nous", "how many customers do we have", "كم عدد عملائنا": the register
_CLIENT_BOOK = (
    r"\bcombien (?:de clients|d'administrations|de pme|de particuliers|de grands comptes)\b(?:\s+\w+){0,2}?\s+(?:avons-nous|a-t-on|on a|avez-vous|ai-je|j'ai|y a-t-il)\b",
    r"\bcombien avons-nous de clients\b",
    r"\bnombre (?:total )?de clients\b(?!\s+(?:qui|ayant|avec|en retard|[ée]chus?|d[ée]biteurs))",
    r"\bhow many (?:\w+ )?(?:clients|customers) (?:do|did) we have\b",
    r"(?:كم|شحال) (?:عدد )?(?:من )?(?:عملائنا|زبائننا|العملاء عندنا|الكليان عندنا)",
)


_SAME_AS_LEFT = re.compile(r"\s*(?:celui|celle|ceux|celles|that|those|the one|the ones)\b", re.I)


def _other_party(session: Session, a: Query, side: str) -> Query | None:
    """``a`` with the client, kind of client or supplier that ``side`` names instead of its own."""
    kinds = _kinds_said(side.lower())
    who = _find_party(session, strip_dates(side), ("client", "supplier")).party
    if len(kinds) == 1 and who is None:
        f = a.filters.model_copy(update={"client": None, "client_kind": kinds[0]})
    elif who is not None and not kinds:
        key = "client" if who.kind == "client" else "supplier"
        f = a.filters.model_copy(update={"client": None, "supplier": None, "client_kind": None, key: who.party_id})  # fmt: skip
    else:
        period = _period(side.lower(), date.today()) if _SAME_AS_LEFT.match(side) else None
        if period is None:
            return None
        return a.model_copy(update={"period": period})  # "celui du S2 2025": another period
    return a.model_copy(update={"filters": f})


_POSSESSIVE = re.compile(
    r"\b(?:sa|son|ses|leur|leurs|its|their|his|her)\b|(?<=\S)(?:ها|هم|ه)(?!\S)", re.I
)


def _two_measures(session: Session, raw: str, as_of: date) -> Reading | None:
    """``différence entre les encaissements et les dépenses d'octobre 2026``: each side read as
    its own question (a period said once holds for both), then the difference of the two."""
    m = _TWO_MEASURES.search(raw)
    if m is None:
        return None
    groups = m.groups()
    sides = next((groups[k], groups[k + 1]) for k in range(0, len(groups), 2) if groups[k])
    # "… moins les échues : combien n'est pas encore échu ?": the side ends at its clause
    sides = (sides[0], re.split(r"\s*[:;?]", sides[1])[0] or sides[1])
    left, right = (read_question(session, side, as_of) for side in sides)
    a, b = left.query, right.query
    if a is not None and b is None:
        # "l'échu des administrations et celui des PME": the same measure, another party
        b = _other_party(session, a, sides[1])
        right = Reading(query=b, unresolved=[], unread=[])
    if a is None or b is None or a.combine or b.combine:
        return None
    if a.measure == b.measure and a.filters == b.filters:
        return None  # one measure over two periods: _two_periods reads it
    if _POSSESSIVE.search(sides[1]) and not (b.filters.client or b.filters.supplier):
        # "encours Cosidar moins sa partie échue": "sa" is Cosidar
        b = b.model_copy(update={"filters": b.filters.model_copy(update={"client": a.filters.client, "supplier": a.filters.supplier})})  # fmt: skip
    if a.period is None and b.period is not None:
        a = a.model_copy(update={"period": b.period})
    if b.period is None and a.period is not None:
        b = b.model_copy(update={"period": a.period})
    q = a.model_copy(update={"combine": "difference", "other": b})
    return Reading(
        query=q,
        unresolved=left.unresolved + right.unresolved,
        unread=left.unread + right.unread,
        kind="difference",
    )


_SPENDING = ("expenses", "supplier_payments")
# a count of people: not in the books (salaries paid are; "combien de salaires" is an amount)
# one person's pay: the books hold the payroll as a whole (salaires), not each one's salary
_ONE_SALARY = r"\bsalaires? (?:net|brut|de base|mensuel)?\s*(?:de|d[’'])|\b(?:net |gross )?(?:salary|pay) of\b|(?:'s|’s) (?:net |gross )?salary\b|(?:راتب|أجرة|خلصة) "

_HEADCOUNT = (
    r"(?:combien|nombre|nb) d[e'’]\s*(?:salari[ée]s|employ[ée]s|personnes|collaborateurs|agents|ouvriers)\b"
    r"|\bhow many (?:employees|staff|people|workers)\b|\b(?:number of|headcount of) (?:employees|staff|workers)\b"
    r"|(?:كم|شحال|قداش)(?: من)? (?:عامل|عمال|موظف|موظفين|خدام)(?!\S)|عدد (?:ال)?(?:عمال|موظفين)"
)


def read_question(session: Session, question: str, as_of: date) -> Reading:
    """The typed query ``question`` asks, and what of it could not be resolved. A word no slot
    took that is one letter away from a word of the accountant's vocabulary (``encaissments``)
    is read as that word, once, and only when the corrected question is read better."""
    first = _read(session, question, as_of)
    if first.query is not None and not first.unread:
        return first
    fixed = _corrected(session, question)
    if fixed == question:
        return first
    second = _read(session, fixed, as_of)
    better = second.query is not None and (
        first.query is None or len(second.unread) < len(first.unread)
    )
    return second if better else first


def _corrected(session: Session, question: str) -> str:
    known = _known_words(session)
    out = question
    for w in unread_words(question.lower(), known):
        if len(w) < 6 or w[0].isdigit() or fold(w) in known:
            continue
        close = get_close_matches(fold(w), VOCABULARY_FOLDED, n=2, cutoff=0.86)
        if len(close) == 1 or (
            len(close) == 2 and _ratio(fold(w), close[0]) > _ratio(fold(w), close[1])
        ):
            out = re.sub(
                rf"(?<![\w-]){re.escape(w)}(?![\w-])", VOCABULARY_FOLDED[close[0]], out, flags=re.I
            )
    return out


def _ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b).ratio()


def _read(session: Session, question: str, as_of: date) -> Reading:
    # "كانت متى؟": a word is a word before the question mark too (patterns end on a space)
    question = re.sub(r"(?<=[\u0600-\u06ff])؟", " ؟", question)
    question = with_years(question, as_of)
    both = _two_measures(session, normalise(question).strip(), as_of)
    if both is not None:
        return both
    raw = spelled_numbers(spelled_periods(normalise(question).strip()))
    t = raw.lower()
    if not t:
        return Reading()
    people = _compiled(_HEADCOUNT).search(t)
    if people is not None:  # "combien de salariés avons-nous ?": the books hold no staff register
        return Reading(unresolved=[people.group(0)], kind=None)
    q = _new_measure(session, raw, t, as_of)
    kind: str | None = q.measure if q is not None else None
    if q is None:
        intent = _tool_call_of(session, raw, as_of)
        if intent is not None:
            q = from_tool_call(intent.tool, intent.args, as_of)
            kind = intent.kind
            agg = _aggregation(t)
            if q.aggregation == "sum" and agg in ("avg", "max", "min") and q.measure in _SPENDING:
                q = q.model_copy(update={"aggregation": agg})  # "montant moyen d'une note de …"
    if q is None and (OLDER.search(strip_dates(t)) or RANGE.search(strip_dates(t))):
        if _has(
            t,
            r"retard",
            r"tra[îi]n",
            r"\blate\b",
            r"تأخ",
            r"[ée]chu",
            r"overdue",
            r"\btranches?\b",
            r"\bbuckets?\b",
            r"شريحة",
        ):
            # "et celles de plus de 90 jours de retard ?", "tranche 31-60 j pour X": an age of
            # lateness is one of what is owed
            agg = "count" if _aggregation(t) == "count" else "sum"
            who = _find_party(session, strip_dates(raw), ("client",)).party
            f = Filters(client=who.party_id if who else None)
            q, kind = Query(measure="open_receivables", filters=f, aggregation=agg), "open_receivables"  # fmt: skip
    unread_all: list[str] = []
    name_words: list[str] = []
    for w in unread_words(t, _known_words(session)):
        # a transliteration of a known name is no unread word ("توسيالي": Tosyali)
        (unread_all if find_party(session, w).party is None else name_words).append(w)
    left = {fold(w) for w in unread_all}
    # a capitalised word is an unknown name only if nothing else read it ("Montant" is not)
    unknown = [
        n for n in _unknown_names(session, raw, q) if any(fold(w) in left for w in n.split())
    ] + _invoice(session, raw)[1]
    if q is None and _has(t, *SUPPLIER_WORDS) and _has(t, *TOP, *MOST):
        if _has(t, *PAY_VERBS, *EXPENSES, *PAID_TO):
            # "les 3 fournisseurs auxquels on a le plus payé", "top 2 suppliers by amount paid"
            q = Query(measure="supplier_payments", period=_period(t, as_of), aggregation="top", top_n=_top_n(t))  # fmt: skip
            kind = "top_suppliers"
    if q is None:
        return Reading(unresolved=unknown, kind=None)
    if (
        q.measure
        in ("invoiced_ttc", "invoiced_ht", "client_receipts", "expenses", "supplier_payments")
        and q.aggregation in ("sum", "max")
        and _has(t, *TOP, *MOST, r"\bplus gros\b")
        and (_has(t, *_RANKED_PARTIES) or _has(t, *_ONE_CLIENT, *_ONE_SUPPLIER))
    ):
        q = q.model_copy(update={"aggregation": "top", "top_n": _top_n(t)})
    dropped = _modifiers(t, q)
    if q.filters.supplier and q.measure in _SUPPLIER_MEASURES:
        # "CodeLink and DataSoft together": every supplier the question names, not the first
        named_suppliers = [p.party_id for p in named_parties(session, strip_dates(raw), ("supplier",))]  # fmt: skip
        if len(named_suppliers) > 1 and q.filters.supplier in named_suppliers:
            q.filters.supplier, q.filters.suppliers = None, named_suppliers
            q.measure = "supplier_payments"
    unknown += _spender(session, raw, q)
    one_pay = _compiled(_ONE_SALARY).search(t)
    if one_pay is not None and q.filters.employee and q.filters.category == "salaires":
        # "le salaire net de K. Benali": the books hold the payroll, not each one's pay slip
        unknown.append(one_pay.group(0))
    if q.filters.employee:  # the employee's name is not an unknown client
        staff = {fold(w) for w in re.findall(r"[^\W\d_]+", q.filters.employee)}
        unknown = [n for n in unknown if not {fold(w) for w in n.split()} <= staff]
    unknown += [n for n in _wrong_kind(session, raw, q) if n not in unknown]
    unknown += [n for n in _wrong_kind_words(session, name_words, q) if n not in unknown]
    unknown += [d for d in impossible_dates(question) if d not in unknown]
    _on_day(raw, t, q, as_of)
    q, two = _two_periods(t, q, as_of)
    q = _share(t, q)
    named = {fold(w) for n in unknown for w in n.split()}
    if q.filters.employee:  # "Combien S. Meziane a dépensé": the employee's own name
        named |= {fold(w) for w in re.findall(r"[^\W\d_]+", q.filters.employee)}
    party_words = _party_words(session, q)
    if q.filters.employee:  # the employee's name in another script ("سفيان مرابط")
        party_words += [fold(w) for w in re.findall(r"[^\W\d_]+", q.filters.employee)]
    unread = [
        w
        for w in unread_all
        if fold(w) not in named
        and not any(_close(fold(w), pw) for pw in party_words)
        and not _acronym_of(raw, w, party_words)
    ]
    unread += [w for w in dropped if w not in unread]
    most = _compiled("|".join(MOST)).search(t)
    if most and q.aggregation not in ("top", "max", "min", "first", "last") and q.combine is None:
        # "le mois où nous avons le plus encaissé": a superlative no slot took is not dropped
        unread.append(most.group(0))
    return Reading(query=q, unresolved=unknown + two, unread=unread, kind=kind)


_CARD_NAMED_BY = re.compile(
    r"([^\W\d_]+)\s+card\b|\bcartes?\s+(?:de\s+|d')?([^\W\d_]+)|بطاقة\s+(?:ال)?([^\W\d_]+)", re.I
)


def _spender(session: Session, raw: str, q: Query) -> list[str]:
    """A company card (``CARD-01``) or an employee (``S. Meziane``, ``Meziane``) an expense
    question names: its filter; an unknown card id is reported, never dropped."""
    if q.measure not in ("expenses", "supplier_payments", "expenses_without_receipt"):
        return []
    m = CARD_ID.search(raw)
    if m is not None:
        wanted = re.sub(r"[-_ ]", "", m.group(1)).upper()
        cards = [c for c in session.scalars(select(Expense.card_id).distinct()) if c]
        card = next((c for c in cards if re.sub(r"[-_ ]", "", c).upper() == wanted), None)
        if card is None:
            return [m.group(1)]
        q.filters.card = card
        # "fuel card CARD-01", "carte carburant CARD-01": the word names the card, not a filter
        for found in _CARD_NAMED_BY.finditer(raw):
            w = next(g for g in found.groups() if g)
            if q.filters.category is not None and _category(w) == q.filters.category:
                q.filters.category = None
    qwords = [fold(w) for w in re.findall(r"[^\W\d_]{3,}", raw)]
    for name in session.scalars(select(Expense.employee).distinct()):
        if not name:
            continue
        surname = [fold(w) for w in re.findall(r"[^\W\d_]{3,}", name)]
        if surname and all(any(word_matches(qw, sw) for qw in qwords) for sw in surname):
            q.filters.employee = name
            if q.filters.supplier == name or (q.filters.payees and name in q.filters.payees):
                q.filters.supplier = q.filters.payees = None  # the employee's spending
                q.measure = "expenses"
            break
    return []


def _party_words(session: Session, q: Query) -> list[str]:
    """The words of the client's or supplier's name the query resolved to."""
    f = q.filters
    name = None
    if f.client:
        name = session.scalar(select(Client.name).where(Client.client_id == f.client))
    elif f.supplier:
        name = session.scalar(select(Supplier.name).where(Supplier.supplier_id == f.supplier))
        name = name or f.supplier  # a payee is its own name
    return [fold(w) for w in re.findall(r"[^\W\d_]+", name or "")]


def _acronym_of(raw: str, word: str, name_words: list[str]) -> bool:
    """``la DSP de Boumerdès``: a word written in capitals that is the initials of the first
    words of the resolved name (Direction de la Santé et de la Population …), articles left out."""
    if len(word) < 2 or not re.search(rf"(?<![\w-]){re.escape(word.upper())}(?![\w-])", raw):
        return False
    stands_for = ACRONYMS.get(fold(word))
    if stands_for is not None:  # a public body's acronym (DSP: direction de la santé …)
        return all(any(word_matches(s, nw) for nw in name_words) for s in stands_for)
    content = [w for w in name_words if w not in GENERIC_SHORT and len(w) > 2]
    initials = "".join(w[0] for w in content)
    return len(word) <= len(initials) and initials.startswith(fold(word))


# the words a name's initials leave out (Direction *de la* Santé)
GENERIC_SHORT = {"de", "la", "le", "les", "des", "du", "et", "en", "d", "l", "of", "the", "and"}


def _close(word: str, name_word: str) -> bool:
    """A question word that spells a word of the resolved name, typos included (tel/tell)."""
    return (
        word_matches(word, name_word)
        or (len(word) >= 3 and SequenceMatcher(None, word, name_word).ratio() >= 0.75)
        or (len(word) >= 3 and len(name_word) > len(word) and name_word.startswith(word))
    )  # the last: a word cut short ("Tassili Ing.", "Dir. Éducation")


def _on_day(raw: str, t: str, q: Query, as_of: date) -> None:
    """``au 30/09/2026``, ``fin 2025``: the day the books are read on, for the measures of one
    day (receivables, days late); never silently today's figure instead."""
    if q.measure not in AS_OF_MEASURES or q.filters.issued_from:
        return
    day = find_day(raw)
    if day is None and q.period is None and _has(t, *END_OF):
        p = find_period(raw, as_of)
        day = p.end if p is not None else None
    if day is None and q.period is not None and q.period.end is not None:
        day = q.period.end
        q.period = None
    if day is not None and day != as_of:
        q.on = day


def _known_words(session: Session) -> set[str]:
    """The words of every name the ledger knows (clients, suppliers, payees) and of months."""
    names = [
        *session.scalars(select(Client.name)),
        *session.scalars(select(Supplier.name)),
        *session.scalars(select(Expense.payee).distinct()),
    ]
    words = {fold(w) for n in names for w in re.findall(r"[^\W\d_]+", n)}
    return words | {fold(m) for m in MONTHS}


__all__ = ["Reading", "read_question", "unresolved_text"]
