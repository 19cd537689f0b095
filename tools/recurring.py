"""Recurring outflows learned from the bank statement (salaries, CNAS, G50, utilities, rent...).

Only material debits are considered (at least 0.2 % of an average month's debits): smaller
ones are everyday spending, which the forecast spreads as an average. A bank label is normalised (accents, digits, references and month names dropped; the first
words kept), debit lines are grouped by that key, and a key is *recurring* when it shows up
in at least three periods, at a regular interval of 1, 2 or 3 months, about once per period,
and recently enough to still be running. The pattern's amount is the median of its last
three periods, its day the median day of month; its evidence is the bank lines it rests on.
"""

from __future__ import annotations

import calendar
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from khazna import months
from khazna.ledger.models import BankLine
from khazna.money import format_dzd
from khazna.text import ascii_fold
from khazna.tools.receivables import cents, covered, from_cents

LEARN_WINDOW_DAYS = 400
MIN_PERIODS = 3
KEY_WORDS = 3
MATERIALITY = Decimal("0.002")  # share of a month's debits below which a line is everyday spending
# bank_lines(date, amount), migration 0005: date-range sums read it instead of the table
BANK_DATE_INDEX = "ix_bank_lines_date_amount"

_MONTHS = months.BANK_TOKENS
_NOISE = {
    "REF",
    "FACT",
    "FACTURE",
    "NO",
    "NUM",
    "DU",
    "DE",
    "DES",
    "LA",
    "LE",
    "LES",
    "ET",
    "POUR",
    "PERIODE",
    "MOIS",
    "TRIM",
    "TRIMESTRE",
    "ECH",
    "ECHEANCE",
}

# label words → category, first match wins (the categoriser proper lives elsewhere; this only
# names the pattern and tells which patterns are fixed costs)
_CATEGORY_WORDS = [
    ("salaires", ("SALAIRE", "SALAIRES", "PAIE", "PAYE")),
    ("cotisations_sociales", ("CNAS", "CASNOS", "CACOBATPH")),
    ("impots_taxes", ("G50", "DGI", "IMPOT", "IMPOTS", "RECETTE", "IRG", "TVA")),
    ("loyer", ("LOYER", "BAIL")),
    ("energie", ("SONELGAZ", "SEAAL", "ADE", "NAFTAL")),
    ("telecom", ("TELECOM", "MOBILIS", "DJEZZY", "OOREDOO", "INTERNET", "FIBRE")),
    ("assurance", ("ASSURANCE", "SAA", "CAAT", "CAAR", "ALLIANCE")),
    ("remboursement_emprunt", ("ECHEANCE", "PRET", "EMPRUNT", "CREDIT")),
    ("frais_bancaires", ("FRAIS", "COMMISSION", "AGIOS", "COTISATION")),
]
_GENERIC_WORDS = {"VIR", "VIREMENT", "PRLV", "PRELEVEMENT", "EMIS", "RECU", "CHQ", "CHEQUE", "SEPA"}
FIXED_CATEGORIES = {"salaires", "loyer", "cotisations_sociales"}


_NOT_LETTERS = str.maketrans({c: " " for c in map(chr, range(128)) if not c.isalpha()})
_DROP = _MONTHS | _NOISE


def normalise_label(label: str) -> str:
    """``'PRLV SONELGAZ 2025-03 REF 88213'`` → ``'PRLV SONELGAZ'`` (the grouping key)."""
    t = label or ""
    if not t.isascii():
        t = ascii_fold(t)
    t = t.upper().replace("G50", " GCINQUANTE ")  # the tax form's name survives digit removal
    words = [w for w in t.translate(_NOT_LETTERS).split() if len(w) > 1 and w not in _DROP]
    return " ".join(words[:KEY_WORDS]).replace("GCINQUANTE", "G50")


def category_of(text: str) -> str:
    words = set(normalise_label(text).split()) | set(re.findall(r"[A-Z0-9]+", text.upper()))
    for cat, keys in _CATEGORY_WORDS:
        if words & set(keys):
            return cat
    return "autre"


@dataclass
class Pattern:
    """A recurring outflow: about ``amount`` every ``every_months`` months on ``day``."""

    key: str
    category: str
    amount: Decimal  # positive: money out
    day: int
    every_months: int
    last_date: date
    evidence: list[str] = field(default_factory=list)  # bank line ids
    evidence_lines: list[tuple[date, int]] = field(default_factory=list)  # (date, centimes out)
    periods: int = 0
    covered_by: str | None = None  # commitment id when a commitment already plans it

    def describe(self) -> str:
        return (
            f"« {self.key} » vu sur {self.periods} périodes, "
            + ("chaque mois" if self.every_months == 1 else f"tous les {self.every_months} mois")
            + f" vers le {self.day}, médiane {format_dzd(self.amount)}"
        )


def _month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


def learn_patterns(
    session: Session, as_of: date, window_days: int = LEARN_WINDOW_DAYS
) -> list[Pattern]:
    """Recurring debit patterns in the bank lines dated in (as_of − window, as_of]."""
    start = as_of - timedelta(days=window_days)
    day = covered(session, BankLine.date, BANK_DATE_INDEX)
    window = (day > start, day <= as_of, BankLine.amount < 0)
    spent = session.execute(
        select(func.coalesce(func.sum(cents(BankLine.amount)), 0)).where(*window)
    ).scalar_one()
    # only material lines can be a planned due date worth its own day in a 30-day forecast;
    # smaller ones stay in the forecast's everyday-spending average
    material = from_cents(int(-int(spent) * MATERIALITY * 30 // window_days))
    rows = session.execute(
        select(BankLine.line_id, day, BankLine.label, cents(BankLine.amount))
        .where(*window, BankLine.amount <= -material)
        .order_by(day, BankLine.line_id)  # evidence in the same order on every back end
    ).all()
    groups: dict[str, list[tuple[str, date, int]]] = defaultdict(list)
    for lid, d, label, c in rows:
        key = normalise_label(label)
        if key:
            groups[key].append((lid, d, -int(c)))
    now_m = _month_index(as_of)
    out = []
    for key, lines in groups.items():
        by_month: dict[int, list[tuple[str, date, int]]] = defaultdict(list)
        for line in lines:
            by_month[_month_index(line[1])].append(line)
        months = sorted(by_month)
        if len(months) < MIN_PERIODS or len(lines) > 1.5 * len(months):
            continue  # too rare, or several times a month: day-to-day spending, not a due date
        gaps = np.diff(months)
        period = int(np.median(gaps))
        if period not in (1, 2, 3) or (gaps == period).mean() < 0.7:
            continue
        if now_m - months[-1] > period:
            continue  # stopped
        sums = [sum(c for _, _, c in by_month[m]) for m in months]
        recent = np.asarray(sums[-3:], dtype=float)
        if recent.std() > 0.5 * recent.mean():
            continue  # amounts too erratic to plan on
        amount_c = int(np.median(sums[-3:]))
        day = int(np.median([min(d.day for _, d, _ in by_month[m]) for m in months]))
        out.append(
            Pattern(
                key=key,
                category=category_of(key),
                amount=from_cents(amount_c),
                day=day,
                every_months=period,
                last_date=max(d for _, d, _ in lines),
                evidence=[lid for m in months for lid, _, _ in by_month[m]],
                evidence_lines=[(d, c) for m in months for _, d, c in by_month[m]],
                periods=len(months),
            )
        )
    out.sort(key=lambda p: (-p.amount, p.key))
    return out


def match_commitments(
    patterns: list[Pattern], commitments, booked: Mapping[str, str] | None = None
) -> None:
    """Mark each pattern that a commitment already plans (its learned twin), in place.

    Twin = same category (the wording's, else the one the books give its lines: ``booked``,
    pattern key → category) or a shared label word, the same interval, its last payment
    within :data:`TWIN_DAYS` days of an occurrence of the commitment, and an amount within
    25 %; each commitment takes at most one pattern, the closest in amount.
    """
    booked = booked or {}
    free = list(patterns)
    for c in commitments:
        c_amount = abs(Decimal(c.amount))
        c_words = set(normalise_label(c.label).split())
        c_cat = c.category or category_of(c.label)
        best, best_gap = None, None
        for p in free:
            shared = c_words & (set(p.key.split()) - _GENERIC_WORDS)
            p_cat = booked.get(p.key, p.category) if p.category == "autre" else p.category
            same_kind = (p_cat == c_cat and c_cat != "autre") or bool(shared)
            if not same_kind or p.every_months != (c.every_months or 1) or c_amount == 0:
                continue
            if not _near_occurrence(c, p.last_date):
                continue
            gap = abs(p.amount - c_amount) / c_amount
            if gap <= Decimal("0.25") and (best_gap is None or gap < best_gap):
                best, best_gap = p, gap
        if best is not None:
            best.covered_by = c.commitment_id
            free.remove(best)


TWIN_DAYS = 10  # a bank payment this close to a commitment's occurrence can be its payment


def _near_occurrence(c, paid: date) -> bool:
    """True when ``paid`` is within :data:`TWIN_DAYS` of an occurrence of commitment ``c``
    (its day of month, in its months when it is not monthly and its start tells them)."""
    every = c.every_months or 1
    m = _month_index(paid)
    for k in (m - 1, m, m + 1):
        if every > 1 and c.start is not None and (k - _month_index(c.start)) % every:
            continue
        y, mo = divmod(k, 12)
        day = min(c.day_of_month or 1, calendar.monthrange(y, mo + 1)[1])
        if abs((date(y, mo + 1, day) - paid).days) <= TWIN_DAYS:
            return True
    return False
