"""Categorise every bank line and say what it settles (payment, invoice, expense, commitment).

The order of evidence, strongest first:

1. a match with a record of the books: a credit with a client payment (same amount, within
   ``MATCH_WINDOW_DAYS``), an ``IMPAYE`` with the rejected payment it reverses, a debit with
   an expense paid through the bank, else with a commitment's occurrence (salaries on the
   25th, the monthly G50...). A match is kept when the label corroborates it (it names the
   invoice, the reference, the client or payee) or when the wording does not contradict it;
2. the keyword rules of :mod:`khazna.tools.bank_rules` (Algerian bank wording);
3. payees learned from the books (expense payees and suppliers → their usual category);
4. history: a debit whose label stem was already matched to categorised records;
5. otherwise ``encaissement_client`` for a credit, ``autre`` for a debit, at low confidence.

Everything runs on column arrays (numpy) and per *distinct* label, so a million lines cost
seconds: the labels are read once, the matching is sorts and binary searches.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property, lru_cache
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from khazna.ledger.state import stored_bytes
from khazna.tools.bank_matching import Schedule, assign_one_to_one, match_schedules, window_pairs
from khazna.tools.bank_rules import (
    CATEGORIES,
    PayeeIndex,
    classify_words,
    label_stem,
    normalize,
    shapes_of,
    significant_words,
)
from khazna.tools.ledger_columns import (
    SEP,
    Records,
    between,
    fetch,
    fetch_columns,
    from_cents,
    sql_cents,
    sql_day,
    to_date,
    to_day,
)

MATCH_WINDOW_DAYS = 7
IMPAYE_WINDOW_DAYS = 45

Category = Literal[CATEGORIES]  # type: ignore[valid-type]
MatchKind = Literal["payment", "invoice", "expense", "commitment"]
Source = Literal[
    "payment",
    "invoice",
    "expense",
    "commitment",
    "keyword",
    "merchant",
    "payee",
    "history",
    "fallback",
]


# --------------------------------------------------------------------------- models


class CategorizeInput(BaseModel):
    """Which bank lines to categorise."""

    date_from: date | None = Field(
        None, description="First bank-line date included (YYYY-MM-DD); empty = from the start."
    )
    date_to: date | None = Field(
        None, description="Last bank-line date included (YYYY-MM-DD); empty = up to the last line."
    )
    limit: int | None = Field(
        None,
        ge=0,
        description="Return at most this many lines (the most recent); totals always cover every line.",
    )


class CategorizedLine(BaseModel):
    """One bank line, its category and what it settles."""

    line_id: str = Field(description="The bank line's id.")
    date: dt.date = Field(description="Operation date.")
    amount: Decimal = Field(
        description="Signed amount in DZD: positive = money in, negative = money out."
    )
    label: str = Field(description="The raw bank wording.")
    category: Category = Field(description="Treasury category of the line.")
    confidence: float = Field(ge=0, le=1, description="How sure the categorisation is, 0 to 1.")
    matched: str | None = Field(
        description="What the line settles: invoice number(s) separated by ';' for a client payment, "
        "else the payment, expense or commitment id; null when nothing in the books matches."
    )
    match_kind: MatchKind | None = Field(
        None, description="payment, invoice, expense or commitment."
    )
    match_refs: list[str] = Field(
        default_factory=list,
        description="Every id the match rests on (payment id and its invoices, ...).",
    )
    source: Source = Field(
        description="The evidence used: a match, a keyword rule, a learned payee, history, or the fallback."
    )


class CategoryTotal(BaseModel):
    category: Category
    lines: int = Field(description="Number of bank lines in the category.")
    amount: Decimal = Field(description="Signed sum of those lines, DZD.")


class CategorizeOutput(BaseModel):
    """The categorised bank lines and totals per category."""

    date_from: date | None
    date_to: date | None
    total_lines: int = Field(description="Bank lines in the period.")
    matched_lines: int = Field(
        description="Lines matched to a payment, invoice, expense or commitment."
    )
    truncated: bool = Field(
        description="True when `lines` holds fewer rows than `total_lines` (see limit)."
    )
    by_category: list[CategoryTotal]
    lines: list[CategorizedLine]


# --------------------------------------------------------------------------- the engine

KINDS = ("payment", "invoice", "expense", "commitment")


# None as a 0-d object array: what numpy makes of a bare None, which its stubs do not accept
_NONE = np.array(None, dtype=object)


def _is_none(values: np.ndarray) -> np.ndarray:
    """Element-wise ``== None`` of an object array, in one C loop."""
    return np.equal(values, _NONE)


def _objects(values: list) -> np.ndarray:
    """A 1-d object array (numpy would turn a list of tuples into a 2-d array)."""
    out = np.empty(len(values), dtype=object)
    for k, v in enumerate(values):
        out[k] = v
    return out


def learn_payees(session: Session) -> PayeeIndex:
    """Payee → category from the whole history of expenses and the supplier list."""
    index = PayeeIndex()
    # in a fixed order: ties between categories go to the first one learned
    for name, category in fetch(
        session, "SELECT name, category FROM suppliers ORDER BY supplier_id"
    ):
        index.learn(name or "", category or "", weight=3)
    rows = fetch(
        session,
        "SELECT e.payee, COALESCE(s.name, ''), e.category, COUNT(*) FROM expenses e "
        "LEFT JOIN suppliers s ON s.supplier_id = e.supplier_id GROUP BY e.payee, s.name, e.category "
        "ORDER BY e.payee, COALESCE(s.name, ''), e.category",
    )
    for payee, supplier, category, count in rows:
        for name in {payee or "", supplier}:
            index.learn(name, category or "", weight=int(count))
    return index


@dataclass
class Categorization:
    """The categorised lines as columns (one entry per bank line, by date then line id)."""

    line_id: list[str]
    label: list[str]
    day: np.ndarray
    cents: np.ndarray
    category: np.ndarray  # object: category names
    confidence: np.ndarray
    source: np.ndarray  # object: see ``Source``
    match_kind: np.ndarray  # object: a ``MatchKind`` or None
    matched: np.ndarray  # object: str or None
    refs: np.ndarray  # object: further ids (the payment ids, ';'-separated) or None
    rule: np.ndarray  # object: the keyword rule that fired, "" when none
    label_code: np.ndarray  # int: index of the line's label shape in ``shapes``
    shapes: list[str]

    def __len__(self) -> int:
        return len(self.line_id)

    def date_iso(self, i: int) -> str:
        return to_date(self.day[i]).isoformat()

    def date_order(self) -> np.ndarray:
        """Line indexes by date (then line id)."""
        return np.argsort(self.day, kind="stable")

    def row(self, i: int) -> dict:
        """Line ``i`` as a plain dict, the shape of :class:`CategorizedLine` (cheap for a million)."""
        matched = self.matched[i]
        return {
            "line_id": self.line_id[i], "date": to_date(self.day[i]), "amount": from_cents(self.cents[i]),
            "label": self.label[i], "category": self.category[i], "confidence": round(float(self.confidence[i]), 2),
            "matched": matched, "match_kind": self.match_kind[i],
            "match_refs": self.match_refs(i), "source": self.source[i],
        }  # fmt: skip

    @cached_property
    def is_matched(self) -> np.ndarray:
        return ~_is_none(self.match_kind)

    def match_refs(self, i: int) -> list[str]:
        """Every id the match of line ``i`` rests on (payment ids first, then invoices...)."""
        first, then = self.refs[i], self.matched[i]
        ids = f"{first};{then}" if first and then else first or then or ""
        if ";" not in ids:  # one id (most matches): no split, nothing to dedupe
            ids = ids.strip()
            return [ids] if ids else []
        out: list[str] = []
        for x in ids.split(";"):
            x = x.strip()
            if x and x not in out:
                out.append(x)
        return out

    def line(self, i: int) -> CategorizedLine:
        matched = self.matched[i]
        return CategorizedLine.model_construct(
            line_id=self.line_id[i],
            date=to_date(self.day[i]),
            amount=from_cents(self.cents[i]),
            label=self.label[i],
            category=self.category[i],
            confidence=round(float(self.confidence[i]), 2),
            matched=matched,
            match_kind=self.match_kind[i],
            match_refs=self.match_refs(i),
            source=self.source[i],
        )


def _mentions(text: str, needles: tuple[str, ...]) -> bool:
    return any(n in text for n in needles)


@lru_cache(maxsize=65536)
def _name_needles(name: str) -> tuple[str, ...]:
    return tuple(f" {w} " for w in significant_words(name))


def _needles(*parts: str) -> tuple[str, ...]:
    """Whole-word needles for ids and references (labels are searched upper-cased, space-padded)."""
    return tuple(f" {p.strip().upper()} " for p in parts if len(p.strip()) >= 3)


BANK_COLUMNS = "bank_line_columns"  # what the bank lines' columns are kept under (result_cache)


def bank_columns(
    session: Session,
) -> tuple[list[str], np.ndarray, np.ndarray, list[str], list[str]]:
    """Every bank line as columns by (date, line_id): ids, day numbers, centimes, labels,
    references. Reading them is most of what categorising a million lines costs in SQL (about
    2 s), and ``khazna anomalies`` (the debits) then ``khazna categorize`` (every line) read
    the same table: the columns are kept per ledger state (``result_cache``) and each caller
    takes its period and sign from them with numpy."""
    data = stored_bytes(session, BANK_COLUMNS, [], lambda: _encode_columns(session))
    head, _, body = data.partition(b"\n")
    n, sizes = json.loads(head)
    parts, at = [], 0
    for size in sizes:
        parts.append(body[at : at + size])
        at += size
    texts = [p.decode("utf-8").split(SEP) if n else [] for p in (parts[0], parts[3], parts[4])]
    day, cents = (np.frombuffer(p, dtype=np.int64).copy() for p in (parts[1], parts[2]))
    return texts[0], day, cents, texts[1], texts[2]


def _encode_columns(session: Session) -> bytes:
    line_id, day, cents, (label, joined), ref = fetch_columns(
        session,
        "bank_lines",
        [("line_id", "str"), (sql_day(session, "date"), "int"), (sql_cents("amount"), "int"),
         ("label", "blob"), ("reference", "str")],
        order_by="date, line_id",
    )  # fmt: skip
    # the text columns joined by SEP (fetch_columns leaves none inside a value)
    parts = [SEP.join(line_id).encode(), np.asarray(day, dtype=np.int64).tobytes(),
             np.asarray(cents, dtype=np.int64).tobytes(), joined.encode(), SEP.join(ref).encode()]  # fmt: skip
    return json.dumps([len(line_id), [len(p) for p in parts]]).encode() + b"\n" + b"".join(parts)


def _objects_of(values: list) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


class _Engine:
    """The lines of one run as columns, and the steps that fill category and match."""

    def __init__(
        self, session: Session, date_from: date | None, date_to: date | None, debits_only: bool
    ) -> None:
        self.session = session
        line_id, day, cents, label, ref = bank_columns(session)
        keep = np.ones(len(line_id), dtype=bool)
        if date_from is not None:
            keep &= day >= to_day(date_from)
        if date_to is not None:
            keep &= day <= to_day(date_to)
        if debits_only:
            keep &= cents < 0
        if not keep.all():  # the lines of the period, still by (date, line_id)
            pick = np.flatnonzero(keep)
            line_id, label, ref = (list(_objects_of(c)[pick]) for c in (line_id, label, ref))
            day, cents = day[pick], cents[pick]
        joined = SEP.join(label)
        # lines in (date, line_id) order, the same on every back end
        self.line_id, self.label, self.day, self.cents = line_id, label, day, cents
        self.ref = np.asarray(ref, dtype=object)
        self.shapes_all: list[str] | None = shapes_of(joined, SEP)
        del joined
        n = self.n = len(line_id)
        self.category = np.full(n, "", dtype=object)
        self.confidence = np.zeros(n)
        self.source = np.full(n, "", dtype=object)
        self.rule = np.full(n, "", dtype=object)
        self.match_kind = np.full(n, None, dtype=object)
        self.matched = np.full(n, None, dtype=object)
        self.refs = np.full(n, None, dtype=object)

    def free(self, mask: np.ndarray) -> np.ndarray:
        return np.flatnonzero(mask & _is_none(self.match_kind))

    def read_wording(self) -> None:
        """Keyword rules and learned payees, once per label shape (labels differing only by digits)."""
        payees = learn_payees(self.session)
        shapes, self.shapes_all = self.shapes_all, None
        assert shapes is not None, "read_wording runs once per engine (it frees the shapes)"
        codes = dict.fromkeys(shapes)
        for k, key in enumerate(codes):
            codes[key] = k
        self.uidx = np.fromiter(map(codes.__getitem__, shapes), dtype=np.int64, count=self.n)
        self.shapes = list(codes)
        del shapes, codes
        per_sign = {}
        for sign in (1, -1):
            cat, conf, src, rule = [], [], [], []
            for text in self.shapes:
                words = normalize(text).split()
                hit = classify_words(words, sign)
                c, f, s = "", 0.0, ""
                if hit and hit.category:
                    c, f = hit.category, hit.confidence
                    s = "merchant" if hit.rule == "carte_commercant" else "keyword"
                if not c or s == "merchant":
                    found = payees.find_words(words)
                    if found:
                        c, f, s = found[1], 0.75, "payee"
                cat.append(c)
                conf.append(f)
                src.append(s)
                rule.append(hit.rule if hit else "")
            per_sign[sign] = (_objects(cat), np.asarray(conf), _objects(src), _objects(rule))
        if not self.n:
            return
        pos = self.cents > 0
        for name, k in (("category", 0), ("confidence", 1), ("source", 2), ("rule", 3)):
            setattr(
                self, name, np.where(pos, per_sign[1][k][self.uidx], per_sign[-1][k][self.uidx])
            )

    def text(self, i: int) -> str:
        return f" {normalize(self.label[i])} {normalize(self.ref[i])} "

    def match(
        self, q: np.ndarray, rec: Records, q_cents: np.ndarray, window: int, rec_category: str | list[str],
        needles, *, rec_refs: list[str] | None = None, weak: np.ndarray | None = None, not_before: int | None = None,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
        """Lines ``q`` matched one-to-one with ``rec``: (line index, record index, corroborated).

        Corroboration (the bank reference is the record's, or the label names its invoice,
        reference, client or payee) is read only where it decides something: when a line or a
        record has several candidates, or when the wording contradicts the record's category.
        """
        empty = np.empty(0, dtype=np.int64)
        if not len(q) or not len(rec.ids):
            return empty, empty, np.empty(0, dtype=bool)
        qi, cj = window_pairs(q_cents, self.day[q], rec.cents, rec.day, window)
        lines = q[qi]
        mine = self.ref[lines]
        same_ref = (
            (mine != "") & (mine == np.asarray(rec_refs, dtype=object)[cj])
            if rec_refs
            else np.zeros(len(qi), bool)
        )
        line_cat = self.category[lines]
        rc = rec_category if isinstance(rec_category, str) else _objects(rec_category)[cj]
        compatible = (line_cat == "") | (line_cat == rc)
        if weak is not None:
            compatible |= weak[lines]
        crowded = (np.bincount(qi, minlength=len(q))[qi] > 1) | (
            np.bincount(cj, minlength=len(rec.ids))[cj] > 1
        )
        look = np.flatnonzero(~same_ref & (crowded | ~compatible))
        corr = same_ref.copy()
        cache: dict[int, tuple[str, ...]] = {}
        for pair in look.tolist():
            record = int(cj[pair])
            nd = cache.get(record)
            if nd is None:
                nd = cache[record] = needles(record)
            corr[pair] = _mentions(self.text(int(lines[pair])), nd)
        keep = compatible | corr
        if not_before is not None:
            keep &= (self.day[lines] - rec.day[cj]) >= not_before
        qi, cj, corr = qi[keep], cj[keep], corr[keep]
        gap = self.day[q[qi]] - rec.day[cj]
        # a record dated after the bank line is less likely (money shows after it is recorded)
        score = np.abs(gap) + 3 * (gap < 0) - 100 * corr.astype(np.int64)
        best = assign_one_to_one(qi, cj, score, len(q), len(rec.ids))
        k = np.flatnonzero(best >= 0)
        j = best[k]
        key = qi * len(rec.ids) + cj  # find each chosen pair's corroboration
        srt = np.argsort(key, kind="stable")
        pos = srt[np.searchsorted(key[srt], k * len(rec.ids) + j)]
        return q[k], j, corr[pos]

    def settle(self, i, kind: str, matched, category, confidence, refs=None) -> None:
        self.match_kind[i] = kind
        self.matched[i] = matched
        self.category[i] = category
        self.confidence[i] = confidence
        self.source[i] = kind
        if refs is not None:
            self.refs[i] = refs

    def learn_history(self) -> None:
        """Debits with no category take the category their label's stem had when matched."""
        todo = np.flatnonzero((self.cents < 0) & (self.category == ""))
        if not len(todo):
            return
        done = np.flatnonzero((self.cents < 0) & ~_is_none(self.match_kind))
        stems: dict[int, str] = {}

        def stem(k: int) -> str:
            s = stems.get(k)
            if s is None:
                s = stems[k] = label_stem(self.shapes[k])
            return s

        votes: dict[str, dict[str, int]] = {}
        codes, first = np.unique(self.uidx[done], return_index=True)
        counts = np.bincount(np.searchsorted(codes, self.uidx[done]), minlength=len(codes))
        for k, f, c in zip(codes.tolist(), first.tolist(), counts.tolist(), strict=True):
            v = votes.setdefault(stem(k), {})
            cat = self.category[done[f]]
            v[cat] = v.get(cat, 0) + c
        for i, k in zip(todo.tolist(), self.uidx[todo].tolist(), strict=True):
            tally = votes.get(stem(k))
            if tally:
                self.category[i], self.confidence[i], self.source[i] = (
                    max(tally, key=tally.__getitem__),
                    0.65,
                    "history",
                )

    def fallback(self) -> None:
        none = self.category == ""
        credit = none & (self.cents > 0)
        debit = none & (self.cents <= 0)
        self.category[credit], self.confidence[credit] = "encaissement_client", 0.35
        self.category[debit], self.confidence[debit] = "autre", 0.2
        self.source[none] = "fallback"

    def result(self) -> Categorization:
        return Categorization(
            self.line_id, self.label, self.day, self.cents, self.category, self.confidence,
            self.source, self.match_kind, self.matched, self.refs, self.rule, self.uidx, self.shapes,
        )  # fmt: skip


def _widen(lo: date | None, hi: date | None, days: int) -> tuple[date | None, date | None]:
    return (lo - timedelta(days) if lo else None, hi + timedelta(days) if hi else None)


def _payments(session: Session, lo: date | None, hi: date | None) -> Records:
    params: dict = {}
    return Records.load(
        session,
        "payments p LEFT JOIN clients c ON c.client_id = p.client_id" + between("p.date", lo, hi, params),
        "p.payment_id", "p.date", "p.amount",
        {"invoices": "p.invoice_number", "reference": "p.reference", "status": "p.status",
         "client": "c.name", "method": "p.method"},
        params,
    )  # fmt: skip


def _expenses(session: Session, lo: date | None, hi: date | None) -> Records:
    params: dict = {}
    return Records.load(
        session,
        "expenses e LEFT JOIN suppliers s ON s.supplier_id = e.supplier_id"
        + between("e.date", lo, hi, params) + (" AND " if params else " WHERE ") + "e.method <> 'especes'",
        "e.expense_id", "e.date", "e.amount",
        {"category": "e.category", "payee": "e.payee", "reference": "e.reference",
         "supplier_invoice": "e.supplier_invoice", "supplier": "s.name"},
        params,
    )  # fmt: skip


def categorize_lines(
    session: Session,
    date_from: date | None = None,
    date_to: date | None = None,
    *,
    debits_only: bool = False,
) -> Categorization:
    """Categorise and match every bank line dated in [date_from, date_to] (column arrays)."""
    eng = _Engine(session, date_from, date_to, debits_only)
    eng.read_wording()
    lo, hi = _widen(date_from, date_to, IMPAYE_WINDOW_DAYS + 5)

    # credits ↔ client payments
    pay = (
        _payments(session, lo, hi)
        if not debits_only
        else Records([], np.empty(0, np.int64), np.empty(0, np.int64), {})
    )
    pf = pay.fields
    pay_ids = np.asarray(pay.ids, dtype=object)
    pay_invs = np.asarray([x.strip() for x in pf.get("invoices", [])], dtype=object)
    used = np.zeros(len(pay.ids), dtype=bool)

    def pay_needles(j: int) -> tuple[str, ...]:
        return _needles(*pay_invs[j].split(";"), pf["reference"][j]) + _name_needles(
            pf["client"][j]
        )

    def settle_payments(i: np.ndarray, j: np.ndarray, confidence) -> None:
        used[j] = True
        invs = pay_invs[j]
        eng.settle(
            i,
            "payment",
            np.where(invs != "", invs, pay_ids[j]),
            "encaissement_client",
            confidence,
            pay_ids[j],
        )

    q = eng.free(eng.cents > 0)
    i, j, corr = eng.match(q, pay, eng.cents[q], MATCH_WINDOW_DAYS, "encaissement_client", pay_needles,
                           rec_refs=pf.get("reference"))  # fmt: skip
    settle_payments(i, j, np.where(corr, 0.98, 0.92))
    if len(pay):
        _match_cash_deposits(eng, pay, pay_invs, used)

    # returned cheques (IMPAYE) ↔ the rejected payment they reverse, up to 45 days later
    rej = np.flatnonzero(np.asarray(pf.get("status", []), dtype=object) == "rejected")
    q = eng.free((eng.cents < 0) & (eng.rule == "impaye"))
    if len(q) and len(rej):
        sub = Records([pay.ids[x] for x in rej], pay.day[rej], pay.cents[rej], {})
        i, j, _ = eng.match(q, sub, -eng.cents[q], IMPAYE_WINDOW_DAYS, "encaissement_client",
                            lambda x: pay_needles(int(rej[x])), rec_refs=[pf["reference"][x] for x in rej],
                            not_before=-3)  # fmt: skip
        settle_payments(i, rej[j], 0.95)

    # debits ↔ expenses paid through the bank (cash expenses never reach the statement)
    exp = _expenses(session, lo, hi)
    ef = exp.fields

    def exp_needles(j: int) -> tuple[str, ...]:
        return (
            _needles(ef["reference"][j], ef["supplier_invoice"][j])
            + _name_needles(ef["payee"][j])
            + _name_needles(ef["supplier"][j])
        )

    q = eng.free(eng.cents < 0)
    i, j, corr = eng.match(q, exp, -eng.cents[q], MATCH_WINDOW_DAYS, ef["category"], exp_needles,
                           rec_refs=ef["reference"], weak=eng.source == "merchant")  # fmt: skip
    eng.settle(i, "expense", np.asarray(exp.ids, dtype=object)[j], np.asarray(ef["category"], dtype=object)[j],
               np.where(corr, 0.97, 0.9))  # fmt: skip

    # remaining debits ↔ commitments (a known monthly/quarterly outflow)
    end_col = '"end"'
    comm = fetch(
        session,
        f"SELECT commitment_id, category, {sql_cents('amount')}, day_of_month, every_months, "
        f"{sql_day(session, 'start')}, {sql_day(session, end_col)} FROM commitments "
        "ORDER BY commitment_id",
    )
    q = eng.free(eng.cents < 0)
    if comm and len(q):
        schedules = [
            Schedule(abs(int(c)), int(dm), int(ev or 1), s, e, cat or "autre")
            for _, cat, c, dm, ev, s, e in comm
        ]
        best = match_schedules(eng.day[q], -eng.cents[q], eng.category[q], schedules)
        hit = best >= 0
        i, k = q[hit], best[hit]
        ids = _objects([comm[x][0] for x in k.tolist()])
        cats = _objects([schedules[x].category for x in k.tolist()])
        eng.settle(i, "commitment", ids, cats, np.where(eng.category[i] == cats, 0.9, 0.75))

    if not debits_only:
        _match_invoice_numbers(eng)
    eng.learn_history()
    eng.fallback()
    return eng.result()


def _match_cash_deposits(
    eng: _Engine, pay: Records, invoices: np.ndarray, used: np.ndarray
) -> None:
    """A cash deposit (``VERSEMENT ESPECES``) is the sum of the cash payments received since the
    previous one: a run of consecutive cash payments, found with prefix sums and binary search."""
    cash = np.flatnonzero((np.asarray(pay.fields["method"], dtype=object) == "especes") & ~used)
    q = eng.free((eng.cents > 0) & np.isin(eng.category, ["", "encaissement_client"]))
    if not len(cash) or not len(q):
        return
    cash = cash[np.argsort(pay.day[cash], kind="stable")]
    days = pay.day[cash]
    prefix = np.concatenate([[0], np.cumsum(pay.cents[cash])])
    last = np.searchsorted(days, eng.day[q], "right")  # cash payments dated up to the deposit
    found: dict[int, tuple[int, int]] = {}
    for back in range(4):  # the deposit may leave out the latest payments
        e = last - back
        ok = e >= 1
        target = prefix[np.maximum(e, 0)] - eng.cents[q]
        s = np.searchsorted(prefix, target, "left")
        ok &= (s < e) & (prefix[np.minimum(s, len(prefix) - 1)] == target)
        ok &= days[np.minimum(s, len(days) - 1)] >= eng.day[q] - 35
        for k in np.flatnonzero(ok).tolist():
            found.setdefault(k, (int(s[k]), int(e[k])))
    taken = np.zeros(len(cash), dtype=bool)
    for k in sorted(found, key=lambda k: (int(eng.day[q[k]]), k)):
        s, e = found[k]
        if taken[s:e].any():
            continue
        taken[s:e] = True
        run = cash[s:e].tolist()
        invs = ";".join(invoices[j] for j in run if invoices[j])
        ids = ";".join(pay.ids[j] for j in run)
        eng.settle(int(q[k]), "payment", invs or ids, "encaissement_client", 0.9, ids)


def _match_invoice_numbers(eng: _Engine) -> None:
    """Credits that name a known invoice but match no recorded payment."""
    tokens: dict[int, list[str]] = {}
    for i in eng.free(eng.cents > 0).tolist():
        toks = [
            t
            for t in normalize(eng.label[i]).split()
            if len(t) >= 4 and any(ch.isdigit() for ch in t)
        ]
        if toks:
            tokens[i] = toks
    wanted = sorted({t for toks in tokens.values() for t in toks})
    known: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ", ".join(f":n{k}" for k in range(len(chunk)))
        rows = fetch(eng.session, f"SELECT number FROM invoices WHERE UPPER(number) IN ({marks})",
                     {f"n{k}": v for k, v in enumerate(chunk)})  # fmt: skip
        known.update(r[0].upper() for r in rows)
    for i, toks in tokens.items():
        hits = [t for t in toks if t in known]
        if hits:
            eng.settle(i, "invoice", ";".join(hits), "encaissement_client", 0.8)


def category_totals(cat: Categorization) -> list[CategoryTotal]:
    """Lines and signed sum per category (integer centimes, summed in numpy)."""
    if not len(cat):
        return []
    codes = {c: k for k, c in enumerate(CATEGORIES)}
    code = np.fromiter(
        map(codes.__getitem__, cat.category.tolist()), dtype=np.int64, count=len(cat)
    )
    counts = np.bincount(code, minlength=len(CATEGORIES))
    sums = np.zeros(len(CATEGORIES), dtype=np.int64)
    np.add.at(sums, code, cat.cents)
    return [
        CategoryTotal(category=c, lines=int(counts[k]), amount=from_cents(sums[k]))
        for k, c in enumerate(CATEGORIES)
        if counts[k]
    ]


def categorize(session: Session, inp: CategorizeInput) -> CategorizeOutput:
    """Tool entry point: the categorised lines of the period (the most recent ``limit``) and totals.

    Building a pydantic row costs microseconds: for a million lines pass a ``limit``, or use
    :func:`categorize_lines` and :meth:`Categorization.row` (what ``khazna categorize --json`` does).
    """
    cat = categorize_lines(session, inp.date_from, inp.date_to)
    n = len(cat)
    order = cat.date_order()
    start = 0 if inp.limit is None else max(0, n - inp.limit)
    return CategorizeOutput(
        date_from=inp.date_from,
        date_to=inp.date_to,
        total_lines=n,
        matched_lines=int(cat.is_matched.sum()),
        truncated=start > 0,
        by_category=category_totals(cat),
        lines=[cat.line(i) for i in order[start:].tolist()],
    )
