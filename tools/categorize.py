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
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.orm import Session

from khazna.tools.bank_matching import Schedule, assign_one_to_one, match_schedules, window_pairs
from khazna.tools.bank_rules import (
    CATEGORIES,
    PayeeIndex,
    classify_label,
    label_stem,
    normalize,
    significant_words,
)

EPOCH = date(1970, 1, 1)
MATCH_WINDOW_DAYS = 7
IMPAYE_WINDOW_DAYS = 45

Category = Literal[CATEGORIES]  # type: ignore[valid-type]
MatchKind = Literal["payment", "invoice", "expense", "commitment"]
Source = Literal[
    "payment", "invoice", "expense", "commitment", "keyword", "merchant", "payee", "history", "fallback"
]


# --------------------------------------------------------------------------- models


class CategorizeInput(BaseModel):
    """Which bank lines to categorise."""

    date_from: date | None = Field(None, description="First bank-line date included (YYYY-MM-DD); empty = from the start.")
    date_to: date | None = Field(None, description="Last bank-line date included (YYYY-MM-DD); empty = up to the last line.")
    limit: int | None = Field(
        None, ge=0, description="Return at most this many lines (the most recent); totals always cover every line."
    )


class CategorizedLine(BaseModel):
    """One bank line, its category and what it settles."""

    line_id: str = Field(description="The bank line's id.")
    date: dt.date = Field(description="Operation date.")
    amount: Decimal = Field(description="Signed amount in DZD: positive = money in, negative = money out.")
    label: str = Field(description="The raw bank wording.")
    category: Category = Field(description="Treasury category of the line.")
    confidence: float = Field(ge=0, le=1, description="How sure the categorisation is, 0 to 1.")
    matched: str | None = Field(
        description="What the line settles: invoice number(s) separated by ';' for a client payment, "
        "else the payment, expense or commitment id; null when nothing in the books matches."
    )
    match_kind: MatchKind | None = Field(None, description="payment, invoice, expense or commitment.")
    match_refs: list[str] = Field(default_factory=list, description="Every id the match rests on (payment id and its invoices, ...).")
    source: Source = Field(description="The evidence used: a match, a keyword rule, a learned payee, history, or the fallback.")


class CategoryTotal(BaseModel):
    category: Category
    lines: int = Field(description="Number of bank lines in the category.")
    amount: Decimal = Field(description="Signed sum of those lines, DZD.")


class CategorizeOutput(BaseModel):
    """The categorised bank lines and totals per category."""

    date_from: date | None
    date_to: date | None
    total_lines: int = Field(description="Bank lines in the period.")
    matched_lines: int = Field(description="Lines matched to a payment, invoice, expense or commitment.")
    truncated: bool = Field(description="True when `lines` holds fewer rows than `total_lines` (see limit).")
    by_category: list[CategoryTotal]
    lines: list[CategorizedLine]


# --------------------------------------------------------------------------- loading


def sql_day(session: Session, col: str) -> str:
    if session.get_bind().dialect.name == "sqlite":
        return f"CAST(julianday({col}) - 2440587.5 AS INTEGER)"
    return f"({col} - DATE '1970-01-01')"


def sql_cents(col: str) -> str:
    return f"CAST(ROUND({col} * 100) AS BIGINT)"


def _between(col: str, lo: date | None, hi: date | None, params: dict) -> str:
    cond = []
    if lo is not None:
        params["lo"] = lo.isoformat()
        cond.append(f"{col} >= :lo")
    if hi is not None:
        params["hi"] = hi.isoformat()
        cond.append(f"{col} <= :hi")
    return (" WHERE " + " AND ".join(cond)) if cond else ""


def fetch(session: Session, sql: str, params: dict | None = None) -> list[tuple]:
    """Rows as plain tuples (through the DBAPI cursor: a million rows stay cheap)."""
    result = session.execute(text(sql), params or {})
    return result.cursor.fetchall() if result.cursor is not None else []


def _cols(rows: list[tuple], n: int) -> list[list]:
    return [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in range(n)]


def from_cents(n: int) -> Decimal:
    return Decimal(int(n)).scaleb(-2)


def to_date(day: int) -> date:
    return EPOCH + timedelta(days=int(day))


@dataclass
class Records:
    """A table's rows as columns: ids, day numbers, centimes, and text fields by name."""

    ids: list[str]
    day: np.ndarray
    cents: np.ndarray
    fields: dict[str, list]

    @classmethod
    def load(cls, session: Session, sql: str, names: list[str], params: dict) -> Records:
        cols = _cols(fetch(session, sql, params), 3 + len(names))
        return cls(
            cols[0],
            np.asarray(cols[1], dtype=np.int64),
            np.asarray(cols[2], dtype=np.int64),
            dict(zip(names, cols[3:], strict=True)),
        )


def _widen(lo: date | None, hi: date | None, days: int) -> tuple[date | None, date | None]:
    return (lo - timedelta(days) if lo else None, hi + timedelta(days) if hi else None)


def learn_payees(session: Session) -> PayeeIndex:
    """Payee → category from the whole history of expenses and the supplier list."""
    index = PayeeIndex()
    for name, category in fetch(session, "SELECT name, category FROM suppliers"):
        index.learn(name or "", category or "", weight=3)
    rows = fetch(
        session,
        "SELECT e.payee, COALESCE(s.name, ''), e.category, COUNT(*) FROM expenses e "
        "LEFT JOIN suppliers s ON s.supplier_id = e.supplier_id GROUP BY 1, 2, 3",
    )
    for payee, supplier, category, count in rows:
        for name in {payee or "", supplier}:
            index.learn(name, category or "", weight=int(count))
    return index


# --------------------------------------------------------------------------- the engine


@dataclass
class Categorization:
    """The categorised lines as columns (one entry per bank line, in date order)."""

    line_id: list[str]
    label: list[str]
    day: np.ndarray
    cents: np.ndarray
    category: np.ndarray  # object: category names
    confidence: np.ndarray
    source: np.ndarray  # object
    match_kind: np.ndarray  # object: kind or None
    matched: np.ndarray  # object: str or None
    refs: np.ndarray  # object: tuple of ids or None
    rule: np.ndarray  # object: keyword rule name, "" when none fired
    label_code: np.ndarray  # int: index of the line's (label, sign) in ``distinct_labels``
    distinct_labels: list[str]

    def __len__(self) -> int:
        return len(self.line_id)

    def line(self, i: int) -> CategorizedLine:
        refs = self.refs[i]
        return CategorizedLine.model_construct(
            line_id=self.line_id[i],
            date=to_date(self.day[i]),
            amount=from_cents(self.cents[i]),
            label=self.label[i],
            category=self.category[i],
            confidence=round(float(self.confidence[i]), 2),
            matched=self.matched[i],
            match_kind=self.match_kind[i],
            match_refs=list(refs) if refs else ([self.matched[i]] if self.matched[i] else []),
            source=self.source[i],
        )


def _mentions(text: str, needles: tuple[str, ...]) -> bool:
    return any(n in text for n in needles)


def _needles(*parts: str) -> tuple[str, ...]:
    """Whole-word needles (the label text is normalised and padded with spaces)."""
    return tuple(f" {p} " for p in (normalize(x) for x in parts) if len(p) >= 3)


def _objects(values: list) -> np.ndarray:
    """A 1-d object array (numpy would turn a list of tuples into a 2-d array)."""
    out = np.empty(len(values), dtype=object)
    for k, v in enumerate(values):
        out[k] = v
    return out


class _Engine:
    """The lines of one run as columns, and the steps that fill category and match."""

    def __init__(self, session: Session, date_from: date | None, date_to: date | None) -> None:
        self.session = session
        params: dict = {}
        rows = fetch(
            session,
            f"SELECT line_id, {sql_day(session, 'date')}, {sql_cents('amount')}, label, reference "
            "FROM bank_lines" + _between("date", date_from, date_to, params),
            params,
        )
        line_id, day, cents, label, ref = _cols(rows, 5)
        del rows
        day = np.asarray(day, dtype=np.int64)
        cents = np.asarray(cents, dtype=np.int64)
        order = np.argsort(day, kind="stable")
        if len(order) > 1 and (np.diff(day) < 0).any():
            line_id = [line_id[i] for i in order.tolist()]
            label = [label[i] for i in order.tolist()]
            ref = [ref[i] for i in order.tolist()]
            day, cents = day[order], cents[order]
        self.line_id, self.label, self.day, self.cents = line_id, [x or "" for x in label], day, cents
        self.ref = [(r or "").strip().upper() for r in ref]
        n = self.n = len(line_id)
        self.category = np.full(n, "", dtype=object)
        self.confidence = np.zeros(n)
        self.source = np.full(n, "", dtype=object)
        self.rule = np.full(n, "", dtype=object)
        self.match_kind = np.full(n, None, dtype=object)
        self.matched = np.full(n, None, dtype=object)
        self.refs = np.full(n, None, dtype=object)

    def free(self, mask: np.ndarray) -> np.ndarray:
        return np.flatnonzero(mask & np.equal(self.match_kind, None))

    def read_wording(self) -> None:
        """Keyword rules and learned payees, once per distinct (label, sign)."""
        payees = learn_payees(self.session)
        keys: dict[tuple[str, int], int] = {}
        sign = np.sign(self.cents).tolist()
        self.uidx = np.fromiter(
            (keys.setdefault(k, len(keys)) for k in zip(self.label, sign, strict=True)), dtype=np.int64, count=self.n
        )
        self.u_label = [lab for lab, _ in keys]
        u_norm, u_cat, u_conf, u_src, u_rule = [], [], [], [], []
        for lab, s in keys:
            u_norm.append(f" {normalize(lab)} ")
            hit = classify_label(lab, s)
            cat, conf, src = "", 0.0, ""
            if hit and hit.category:
                cat, conf = hit.category, hit.confidence
                src = "merchant" if hit.rule == "carte_commercant" else "keyword"
            if not cat or src == "merchant":
                found = payees.find(lab)
                if found:
                    cat, conf, src = found[1], 0.75, "payee"
            u_cat.append(cat)
            u_conf.append(conf)
            u_src.append(src)
            u_rule.append(hit.rule if hit else "")
        if self.n:
            self.category = _objects(u_cat)[self.uidx]
            self.confidence = np.asarray(u_conf)[self.uidx]
            self.source = _objects(u_src)[self.uidx]
            self.rule = _objects(u_rule)[self.uidx]
        self.text = [u_norm[k] for k in self.uidx.tolist()]

    def match(
        self,
        q: np.ndarray,
        rec: Records,
        q_cents: np.ndarray,
        window: int,
        rec_category: str | list[str],
        needles,
        *,
        rec_refs: list[str] | None = None,
        weak: np.ndarray | None = None,
        not_before: int | None = None,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Lines ``q`` matched one-to-one with ``rec``: (line index, record index, corroborated)."""
        empty = np.empty(0, dtype=np.int64)
        if not len(q) or not len(rec.ids):
            return empty, empty, np.empty(0, dtype=bool)
        qi, cj = window_pairs(q_cents, self.day[q], rec.cents, rec.day, window)
        lines = q[qi]
        cache: dict[int, tuple[str, ...]] = {}

        def needles_of(j: int) -> tuple[str, ...]:
            got = cache.get(j)
            if got is None:
                got = cache[j] = needles(j)
            return got

        text, ref = self.text, self.ref
        refs = rec_refs or [""] * len(rec.ids)
        corr = np.fromiter(
            (
                (ref[i] != "" and ref[i] == refs[j]) or _mentions(text[i], needles_of(j))
                for i, j in zip(lines.tolist(), cj.tolist(), strict=True)
            ),
            dtype=bool,
            count=len(qi),
        )
        line_cat = self.category[lines]
        rc = rec_category if isinstance(rec_category, str) else _objects(rec_category)[cj]
        keep = (line_cat == "") | (line_cat == rc) | corr
        if weak is not None:
            keep |= weak[lines]
        if not_before is not None:
            keep &= (self.day[lines] - rec.day[cj]) >= not_before
        qi, cj, corr = qi[keep], cj[keep], corr[keep]
        gap = self.day[q[qi]] - rec.day[cj]
        # a record dated after the bank line is less likely (money shows after it is recorded)
        score = np.abs(gap) + 3 * (gap < 0) - 100 * corr.astype(np.int64)
        best = assign_one_to_one(qi, cj, score, len(q), len(rec.ids))
        k = np.flatnonzero(best >= 0)
        j = best[k]
        chosen = dict(zip(zip(qi.tolist(), cj.tolist(), strict=True), corr.tolist(), strict=True))
        c = np.fromiter((chosen[(a, b)] for a, b in zip(k.tolist(), j.tolist(), strict=True)), dtype=bool, count=len(k))
        return q[k], j, c

    def settle(self, i, kind: str, matched, category, confidence, refs=None) -> None:
        self.match_kind[i] = kind
        self.matched[i] = matched
        self.category[i] = category
        self.confidence[i] = confidence
        self.source[i] = kind
        if refs is not None:
            self.refs[i] = refs

    def learn_history(self) -> None:
        """Debits with no category take the category their label stem had when matched."""
        done = np.flatnonzero((self.cents < 0) & ~np.equal(self.match_kind, None))
        stems: dict[int, str] = {}

        def stem(k: int) -> str:
            s = stems.get(k)
            if s is None:
                s = stems[k] = label_stem(self.u_label[k])
            return s

        votes: dict[str, Counter[str]] = {}
        for i, k in zip(done.tolist(), self.uidx[done].tolist(), strict=True):
            votes.setdefault(stem(k), Counter())[self.category[i]] += 1
        todo = np.flatnonzero((self.cents < 0) & (self.category == ""))
        for i, k in zip(todo.tolist(), self.uidx[todo].tolist(), strict=True):
            v = votes.get(stem(k))
            if v:
                self.category[i], self.confidence[i], self.source[i] = v.most_common(1)[0][0], 0.65, "history"

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
            self.source, self.match_kind, self.matched, self.refs, self.rule,
            self.uidx, self.u_label,
        )  # fmt: skip


def categorize_lines(session: Session, date_from: date | None = None, date_to: date | None = None) -> Categorization:
    """Categorise and match every bank line dated in [date_from, date_to] (column arrays)."""
    eng = _Engine(session, date_from, date_to)
    eng.read_wording()
    lo, hi = _widen(date_from, date_to, IMPAYE_WINDOW_DAYS + 5)

    # credits ↔ client payments
    params: dict = {}
    pay = Records.load(
        session,
        f"SELECT p.payment_id, {sql_day(session, 'p.date')}, {sql_cents('p.amount')}, p.invoice_number, "
        "p.reference, p.status, COALESCE(c.name, ''), p.method FROM payments p "
        "LEFT JOIN clients c ON c.client_id = p.client_id" + _between("p.date", lo, hi, params),
        ["invoices", "reference", "status", "client", "method"],
        params,
    )
    pf = pay.fields
    invoices = [tuple(x.strip() for x in (s or "").split(";") if x.strip()) for s in pf["invoices"]]

    def pay_needles(j: int) -> tuple[str, ...]:
        return _needles(*invoices[j], pf["reference"][j] or "", *significant_words(pf["client"][j]))

    used = np.zeros(len(pay.ids), dtype=bool)

    def settle_payments(i: np.ndarray, j: np.ndarray, confidence) -> None:
        used[j] = True
        js = j.tolist()
        eng.settle(i, "payment", _objects([";".join(invoices[x]) or pay.ids[x] for x in js]),
                   "encaissement_client", confidence, _objects([(pay.ids[x], *invoices[x]) for x in js]))  # fmt: skip

    q = eng.free(eng.cents > 0)
    pay_refs = [(r or "").strip().upper() for r in pf["reference"]]
    i, j, corr = eng.match(q, pay, eng.cents[q], MATCH_WINDOW_DAYS, "encaissement_client", pay_needles,
                           rec_refs=pay_refs)  # fmt: skip
    settle_payments(i, j, np.where(corr, 0.98, 0.9))

    _match_cash_deposits(eng, pay, invoices, used)

    # returned cheques (IMPAYE) ↔ the rejected payment they reverse, up to 45 days later
    rej = np.flatnonzero(np.asarray(pf["status"], dtype=object) == "rejected") if pay.ids else np.empty(0, np.int64)
    q = eng.free((eng.cents < 0) & (eng.rule == "impaye"))
    if len(q) and len(rej):
        sub = Records([pay.ids[x] for x in rej], pay.day[rej], pay.cents[rej], {})
        i, j, _ = eng.match(q, sub, -eng.cents[q], IMPAYE_WINDOW_DAYS, "encaissement_client",
                            lambda x: pay_needles(int(rej[x])), not_before=-3)  # fmt: skip
        settle_payments(i, rej[j], 0.95)

    # debits ↔ expenses paid through the bank (cash expenses never reach the statement)
    params = {}
    exp = Records.load(
        session,
        f"SELECT e.expense_id, {sql_day(session, 'e.date')}, {sql_cents('e.amount')}, e.category, e.payee, "
        "e.reference, e.supplier_invoice, COALESCE(s.name, '') FROM expenses e "
        "LEFT JOIN suppliers s ON s.supplier_id = e.supplier_id"
        + (_between("e.date", lo, hi, params) or " WHERE 1 = 1")
        + " AND e.method <> 'especes'",
        ["category", "payee", "reference", "supplier_invoice", "supplier"],
        params,
    )
    ef = exp.fields

    def exp_needles(j: int) -> tuple[str, ...]:
        return _needles(ef["reference"][j] or "", ef["supplier_invoice"][j] or "",
                        *significant_words(ef["payee"][j] or ""), *significant_words(ef["supplier"][j]))  # fmt: skip

    q = eng.free(eng.cents < 0)
    exp_refs = [(r or "").strip().upper() for r in ef["reference"]]
    i, j, corr = eng.match(q, exp, -eng.cents[q], MATCH_WINDOW_DAYS, ef["category"], exp_needles,
                           rec_refs=exp_refs, weak=eng.source == "merchant")  # fmt: skip
    eng.settle(i, "expense", _objects([exp.ids[x] for x in j.tolist()]),
               _objects([ef["category"][x] for x in j.tolist()]), np.where(corr, 0.97, 0.88))  # fmt: skip

    # remaining debits ↔ commitments (a known monthly/quarterly outflow)
    end_col = '"end"'
    comm = fetch(
        session,
        f"SELECT commitment_id, category, {sql_cents('amount')}, day_of_month, every_months, "
        f"{sql_day(session, 'start')}, {sql_day(session, end_col)} FROM commitments",
    )
    q = eng.free(eng.cents < 0)
    if comm and len(q):
        schedules = [Schedule(abs(int(c)), int(dm), int(ev or 1), s, e, cat or "autre") for _, cat, c, dm, ev, s, e in comm]
        best = match_schedules(eng.day[q], -eng.cents[q], eng.category[q], schedules)
        hit = best >= 0
        i, k = q[hit], best[hit]
        ids = _objects([comm[x][0] for x in k.tolist()])
        cats = _objects([schedules[x].category for x in k.tolist()])
        eng.settle(i, "commitment", ids, cats, np.where(eng.category[i] == cats, 0.9, 0.75))

    _match_invoice_numbers(eng)
    eng.learn_history()
    eng.fallback()
    return eng.result()


def _match_cash_deposits(eng: _Engine, pay: Records, invoices: list[tuple[str, ...]], used: np.ndarray) -> None:
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
    for k in sorted(found):
        s, e = found[k]
        if taken[s:e].any():
            continue
        taken[s:e] = True
        run = cash[s:e].tolist()
        invs = [n for j in run for n in invoices[j]]
        ids = [pay.ids[j] for j in run]
        eng.settle(int(q[k]), "payment", ";".join(invs) or ";".join(ids), "encaissement_client", 0.9,
                   tuple(ids + invs))  # fmt: skip


def _match_invoice_numbers(eng: _Engine) -> None:
    """Credits that name a known invoice but match no recorded payment."""
    q = eng.free(eng.cents > 0).tolist()
    tokens: dict[int, list[str]] = {}
    for i in q:
        toks = [t for t in eng.text[i].split() if len(t) >= 4 and any(ch.isdigit() for ch in t)]
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
            eng.settle(i, "invoice", ";".join(hits), "encaissement_client", 0.8, tuple(hits))


def categorize(session: Session, inp: CategorizeInput) -> CategorizeOutput:
    """Tool entry point: the categorised lines of the period (the most recent ``limit``) and totals."""
    cat = categorize_lines(session, inp.date_from, inp.date_to)
    n = len(cat)
    totals = []
    if n:
        codes = {c: k for k, c in enumerate(CATEGORIES)}
        code = np.fromiter((codes[c] for c in cat.category.tolist()), dtype=np.int64, count=n)
        counts = np.bincount(code, minlength=len(CATEGORIES))
        sums = np.zeros(len(CATEGORIES), dtype=np.int64)
        np.add.at(sums, code, cat.cents)
        totals = [
            CategoryTotal(category=c, lines=int(counts[k]), amount=from_cents(sums[k]))
            for k, c in enumerate(CATEGORIES)
            if counts[k]
        ]
    start = 0 if inp.limit is None else max(0, n - inp.limit)
    lines = [cat.line(i) for i in range(start, n)]
    return CategorizeOutput(
        date_from=inp.date_from,
        date_to=inp.date_to,
        total_lines=n,
        matched_lines=int((~np.equal(cat.match_kind, None)).sum()),
        truncated=start > 0,
        by_category=totals,
        lines=lines,
    )
