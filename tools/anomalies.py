"""Spending anomalies: duplicates, policy breaches, outliers and unknown payees.

Kinds (``spec/cli.md``):

- ``duplicate_payment``: the same supplier invoice paid twice with the same amount, or the
  same amount to the same payee within ``duplicate_window_days`` (payee names compared
  without case, accents, punctuation or legal form), or the same debit twice on the
  statement. Never flagged: a pair the owner confirmed (settings key
  ``confirmed_not_duplicates``, see :func:`confirm_not_duplicate`), nor payments of a plan:
  a regular payee (monthly, quarterly, annual) or an annual gap.
- ``over_limit``: above ``max_per_transaction`` or ``max_per_month`` of its category.
- ``category_not_allowed``: a company card used outside ``card_allowed_categories``.
- ``missing_receipt``: no receipt above ``receipt_required_above`` (salaries, social
  contributions, taxes, bank charges, loans and internal transfers have no receipt).
- ``amount_outlier``: above median + 5 × 1.4826 × MAD of that payee *and* above twice the
  median, with at least ``outlier_min_history`` other payments to compare with.
- ``unknown_payee``: a debit on the statement that matches no expense, commitment, supplier,
  known payee, keyword rule or recurring pattern (refs are bank line ids).

The policy is the ``expenses`` part of the ``policy`` setting (``policy.json`` of the bundle).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from khazna.labels import CATEGORY, label
from khazna.ledger.models import BankLine, Expense, Setting
from khazna.money import format_dzd
from khazna.text import count
from khazna.tools.bank_rules import identity_words, payee_key
from khazna.tools.categorize import Categorization, categorize_lines
from khazna.tools.ledger_columns import (
    EPOCH,
    fetch,
    fetch_columns,
    from_cents,
    sql_cents,
    sql_day,
    to_date,
)

AnomalyKind = Literal[
    "duplicate_payment",
    "over_limit",
    "category_not_allowed",
    "missing_receipt",
    "amount_outlier",
    "unknown_payee",
]
Severity = Literal["low", "medium", "high"]


@dataclass(frozen=True)
class KindSpec:
    """One anomaly kind: the ``_Run`` detectors that find it (in run order), its label in
    the owner's French (a count goes before it) and its usual severity."""

    kind: AnomalyKind
    detectors: tuple[str, ...]
    label_fr: str  # one
    severity: Severity
    plural_fr: str = ""  # several (the label with an s when empty)

    def counted(self, n: int) -> str:
        """``1 justificatif manquant``, ``3 justificatifs manquants``."""
        return count(n, self.label_fr, self.plural_fr or self.label_fr + "s")


KINDS: dict[str, KindSpec] = {
    k.kind: k
    for k in (
        KindSpec(
            "duplicate_payment",
            ("duplicates", "statement"),
            "paiement en double",
            "high",
            "paiements en double",
        ),
        KindSpec(
            "over_limit", ("limits",), "dépassement de plafond", "medium", "dépassements de plafond"
        ),
        KindSpec(
            "category_not_allowed",
            ("cards",),
            "usage de carte hors catégories",
            "medium",
            "usages de carte hors catégories",
        ),
        KindSpec(
            "missing_receipt",
            ("receipts",),
            "justificatif manquant",
            "low",
            "justificatifs manquants",
        ),
        KindSpec(
            "amount_outlier", ("outliers",), "montant inhabituel", "medium", "montants inhabituels"
        ),
        KindSpec(
            "unknown_payee",
            ("statement",),
            "bénéficiaire inconnu",
            "medium",
            "bénéficiaires inconnus",
        ),
    )
}
DETECTORS = ("duplicates", "limits", "cards", "receipts", "outliers", "statement")
CONFIRMED_KEY = "confirmed_not_duplicates"
RECURRING_LOOKBACK_DAYS = 400
NO_RECEIPT_CATEGORIES = [
    "salaires", "cotisations_sociales", "impots_taxes", "frais_bancaires", "remboursement_emprunt", "virement_interne",
]  # fmt: skip
# Repeated equal debits are ordinary for these (two ATM withdrawals, two fuel fills a week).
NO_BANK_DUPLICATE = {
    "virement_interne",
    "frais_bancaires",
    "carburant",
    "restaurant",
    "salaires",
    "deplacements",
}


class ExpensePolicy(BaseModel):
    """The expense rules of the company (``policy.json`` → ``expenses``)."""

    receipt_required_above: Decimal = Field(
        Decimal("5000"), description="A receipt is required above this amount, DZD."
    )
    max_per_transaction: dict[str, Decimal] = Field(
        default_factory=dict, description="Category → cap per expense, DZD."
    )
    max_per_month: dict[str, Decimal] = Field(
        default_factory=dict, description="Category → cap per calendar month, DZD."
    )
    card_allowed_categories: dict[str, list[str]] = Field(
        default_factory=dict, description="Card id → categories it may pay."
    )
    receipt_exempt_categories: list[str] = Field(
        default_factory=lambda: list(NO_RECEIPT_CATEGORIES)
    )
    duplicate_window_days: int = Field(
        7, ge=0, description="Equal amounts to one payee closer than this are suspect."
    )
    duplicate_min_amount: Decimal = Field(
        Decimal("5000"),
        description="Below this, equal amounts to one payee are not suspect without the same invoice.",
    )
    outlier_min_history: int = Field(
        5, ge=2, description="Other payments to a payee needed before judging an outlier."
    )


class AnomaliesInput(BaseModel):
    """Which period to examine for spending anomalies."""

    date_from: date | None = Field(
        None, description="First date examined (YYYY-MM-DD); empty = from the start."
    )
    date_to: date | None = Field(
        None, description="Last date examined (YYYY-MM-DD); empty = up to the last record."
    )
    kinds: list[AnomalyKind] | None = Field(None, description="Only these kinds; empty = all.")


class Anomaly(BaseModel):
    """One thing in the spending the owner should look at."""

    kind: AnomalyKind = Field(description="What is wrong.")
    refs: list[str] = Field(
        description="Expense ids, or bank line ids for spends that exist only on the statement."
    )
    amount: Decimal = Field(
        description="The amount at stake, DZD (a month's total for a monthly cap)."
    )
    reason: str = Field(description="Why, in French, with the figures.")
    date: dt.date = Field(description="Date of the (latest) spend concerned.")
    payee: str = Field("", description="Who was paid, as written in the books or on the statement.")
    category: str = Field("", description="Category of the spend.")
    severity: Severity = Field(description="low, medium or high.")


class AnomaliesOutput(BaseModel):
    date_from: date | None
    date_to: date | None
    anomalies: list[Anomaly]
    counts: dict[str, int] = Field(description="Number of anomalies per kind.")


# --------------------------------------------------------------------------- settings


def _cat(code: str) -> str:
    """A category in the owner's words in a reason (the anomaly keeps the code)."""
    return label(CATEGORY, code)


def load_policy(session: Session) -> ExpensePolicy:
    row = session.get(Setting, "policy")
    value = (row.value if row else None) or {}
    return ExpensePolicy.model_validate(value.get("expenses") or {})


def confirmed_pairs(session: Session) -> set[frozenset[str]]:
    row = session.get(Setting, CONFIRMED_KEY)
    return {frozenset(p) for p in ((row.value or {}).get("pairs", []) if row else [])}


def confirm_not_duplicate(session: Session, ref1: str, ref2: str) -> list[list[str]]:
    """Record that ``ref1`` and ``ref2`` (expense or bank line ids) are two genuine payments."""
    if ref1 == ref2:
        raise ValueError(f"les deux références sont la même : {ref1}")
    for ref in (ref1, ref2):
        if session.get(Expense, ref) is None and session.get(BankLine, ref) is None:
            raise ValueError(f"aucune dépense ni ligne bancaire d'identifiant {ref!r}")
    row = session.get(Setting, CONFIRMED_KEY)
    pairs = [list(p) for p in ((row.value or {}).get("pairs", []) if row else [])]
    pair = sorted([ref1, ref2])
    if pair not in pairs:
        pairs.append(pair)
    if row is None:
        session.add(Setting(key=CONFIRMED_KEY, value={"pairs": pairs}))
    else:
        row.value = {"pairs": pairs}  # a new dict, so the JSON column sees the change
    return pairs


# --------------------------------------------------------------------------- helpers


def _d(day: int) -> str:
    return to_date(day).strftime("%d/%m/%Y")


def _ratio(x: float) -> str:
    return f"{x:.1f}".replace(".", ",")


def _money(cents: int) -> str:
    return format_dzd(from_cents(cents))


class _Expenses:
    """Expenses up to the end of the period, as columns."""

    def __init__(self, session: Session, date_to: date | None) -> None:
        params: dict = {}
        where = " WHERE e.date <= :hi" if date_to is not None else ""
        if date_to is not None:
            params["hi"] = date_to.isoformat()
        self.ids, day, cents, category, self.payee, invoice, card, receipt = fetch_columns(
            session,
            "expenses e LEFT JOIN suppliers s ON s.supplier_id = e.supplier_id" + where,
            [("e.expense_id", "str"), (sql_day(session, "e.date"), "int"), (sql_cents("e.amount"), "int"),
             ("e.category", "str"), ("COALESCE(NULLIF(s.name, ''), e.payee)", "str"), ("e.supplier_invoice", "str"),
             ("e.card_id", "str"), ("e.receipt", "str")],
            params,
            order_by="e.date, e.expense_id",
        )  # fmt: skip
        self.day, self.cents = day, cents
        self.category = np.asarray(category, dtype=object)
        n = len(self.ids)
        keys: dict[str, int] = {}
        by_name = {p: keys.setdefault(payee_key(p), len(keys)) for p in dict.fromkeys(self.payee)}
        self.payee_code = np.fromiter(map(by_name.__getitem__, self.payee), dtype=np.int64, count=n)
        invs: dict[str, int] = {}
        by_inv = {x: invs.setdefault(x.strip().upper(), len(invs)) if x.strip() else -1
                  for x in dict.fromkeys(invoice)}  # fmt: skip
        self.invoice_code = np.fromiter(map(by_inv.__getitem__, invoice), dtype=np.int64, count=n)
        self.invoice = invoice
        self.card = np.asarray(card, dtype=object)
        yes = {
            r: r.strip().lower() in {"yes", "oui", "y", "1", "true"} for r in dict.fromkeys(receipt)
        }
        self.has_receipt = np.fromiter(map(yes.__getitem__, receipt), dtype=bool, count=n)


def _adjacent_pairs(
    keys: list[np.ndarray], day: np.ndarray, window: int
) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (a, b) of neighbours with equal ``keys`` and ``0 ≤ day_b − day_a ≤ window``."""
    if len(day) < 2:
        e = np.empty(0, dtype=np.int64)
        return e, e
    order = np.lexsort((day, *reversed(keys)))
    same = np.ones(len(order) - 1, dtype=bool)
    for k in keys:
        ks = k[order]
        same &= ks[1:] == ks[:-1]
    ds = day[order]
    same &= (ds[1:] - ds[:-1]) <= window
    idx = np.flatnonzero(same)
    return order[idx], order[idx + 1]


def _regular_period(ex: _Expenses) -> dict[int, float]:
    """Payee code → its payment period in days, for payees paid at a steady rhythm."""
    out: dict[int, float] = {}
    if not len(ex.ids):
        return out
    order = np.lexsort((ex.day, ex.payee_code))
    codes, starts, counts = np.unique(ex.payee_code[order], return_index=True, return_counts=True)
    for code, s, c in zip(codes.tolist(), starts.tolist(), counts.tolist(), strict=True):
        if c < 3:
            continue
        gaps = np.diff(ex.day[order[s : s + c]])
        gaps = gaps[gaps > 0]
        if len(gaps) < 2:
            continue
        med = float(np.median(gaps))
        if med >= 20 and np.median(np.abs(gaps - med)) <= 0.2 * med:
            out[code] = med
    return out


def _planned(gap: int, period: float | None) -> bool:
    """Two payments this far apart are a plan's instalments, not a duplicate."""
    if 330 <= gap <= 400:  # an annual premium, licence or subscription
        return True
    return period is not None and gap >= 0.8 * period


class _Run:
    """One detection run: the period, the data, and the anomalies found so far."""

    def __init__(
        self,
        session: Session,
        inp: AnomaliesInput,
        policy: ExpensePolicy,
        categorization: Categorization | None = None,
    ) -> None:
        self.session, self.policy, self.categorization = session, policy, categorization
        self.since_recurring = (
            inp.date_from - timedelta(RECURRING_LOOKBACK_DAYS) if inp.date_from else None
        )
        self.hi_date = inp.date_to
        self.lo = (inp.date_from - EPOCH).days if inp.date_from else -(10**9)
        self.hi = (inp.date_to - EPOCH).days if inp.date_to else 10**9
        self.ex = _Expenses(session, inp.date_to)
        self.confirmed = confirmed_pairs(session)
        self.found: list[Anomaly] = []
        self.commitments: dict[str, list[tuple[int, int]]] = {}
        for cat, c, every in fetch(
            session,
            f"SELECT category, {sql_cents('amount')}, every_months FROM commitments "
            "ORDER BY commitment_id",
        ):
            self.commitments.setdefault(cat, []).append((abs(int(c)), int(every or 1)))

    def in_period(self, day: np.ndarray) -> np.ndarray:
        return (day >= self.lo) & (day <= self.hi)

    def add(self, kind, refs, cents, reason, day, payee="", category="", severity=None) -> None:
        self.found.append(
            Anomaly(
                kind=kind,
                refs=list(refs),
                amount=from_cents(cents),
                reason=reason,
                date=to_date(day),
                payee=payee or "",
                category=category or "",
                severity=severity or KINDS[kind].severity,
            )  # fmt: skip
        )

    def period_of(
        self, code: int, category: str, cents: int, regular: dict[int, float]
    ) -> float | None:
        """The rhythm a payment belongs to: the payee's own, or a commitment's of its category."""
        periods = [regular[code]] if code in regular else []
        periods += [
            30.4 * ev for c, ev in self.commitments.get(category, []) if abs(cents - c) <= 0.05 * c
        ]
        return min(periods) if periods else None

    # ----------------------------------------------------------------- expenses

    def duplicates(self) -> None:
        ex, window = self.ex, self.policy.duplicate_window_days
        regular = _regular_period(ex)
        seen: set[frozenset[str]] = set()
        has_inv = np.flatnonzero(ex.invoice_code >= 0)
        a, b = _adjacent_pairs(
            [ex.payee_code[has_inv], ex.invoice_code[has_inv]], ex.day[has_inv], 10**6
        )
        same_invoice = [
            (int(has_inv[x]), int(has_inv[y])) for x, y in zip(a.tolist(), b.tolist(), strict=True)
        ]
        a, b = _adjacent_pairs([ex.payee_code, ex.cents], ex.day, window)
        same_amount = list(zip(a.tolist(), b.tolist(), strict=True))
        for by_invoice, pairs in ((True, same_invoice), (False, same_amount)):
            for x, y in pairs:
                pair = frozenset((ex.ids[x], ex.ids[y]))
                gap = int(ex.day[y] - ex.day[x])
                if pair in seen or pair in self.confirmed or not (self.lo <= ex.day[y] <= self.hi):
                    continue
                if abs(int(ex.cents[x]) - int(ex.cents[y])) > 100:  # instalments of one invoice
                    continue
                if not by_invoice and ex.cents[x] < self.policy.duplicate_min_amount * 100:
                    continue  # equal small sums recur (coffee, stamps): only the same invoice counts
                ix, iy = int(ex.invoice_code[x]), int(ex.invoice_code[y])
                if not by_invoice and ix >= 0 and iy >= 0 and ix != iy:
                    continue  # two supplier invoices of the same amount: two orders
                code, cat = int(ex.payee_code[x]), ex.category[x]
                if _planned(gap, self.period_of(code, cat, int(ex.cents[x]), regular)):
                    continue
                seen.add(pair)
                first, second = ex.ids[x], ex.ids[y]
                money = _money(int(ex.cents[y]))
                if by_invoice:
                    reason = (f"Facture fournisseur {ex.invoice[x]} de {ex.payee[x]} payée deux fois : "
                              f"{first} le {_d(ex.day[x])} et {second} le {_d(ex.day[y])}, {money} chacune")  # fmt: skip
                else:
                    reason = (f"Même montant ({money}) payé deux fois à {ex.payee[x]} en {count(gap, 'jour', 'jours')} : "
                              f"{first} le {_d(ex.day[x])} et {second} le {_d(ex.day[y])}. Doublon ? "
                              f"Sinon : khazna anomalies confirm {first} {second}")  # fmt: skip
                self.add("duplicate_payment", [first, second], int(ex.cents[y]), reason, int(ex.day[y]),
                         ex.payee[y], cat)  # fmt: skip

    def limits(self) -> None:
        ex, pol = self.ex, self.policy
        inside = self.in_period(ex.day)
        for cat, cap in pol.max_per_transaction.items():
            cap_c = int(cap * 100)
            for i in np.flatnonzero(inside & (ex.category == cat) & (ex.cents > cap_c)).tolist():
                self.add("over_limit", [ex.ids[i]], int(ex.cents[i]),
                         f"Dépense {ex.ids[i]} ({_cat(cat)}, {_money(int(ex.cents[i]))}, {ex.payee[i]}, le {_d(ex.day[i])}) "
                         f"au-dessus du plafond par opération de {_money(cap_c)}",
                         int(ex.day[i]), ex.payee[i], cat)  # fmt: skip
        month = ex.day.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
        for cat, cap in pol.max_per_month.items():
            cap_c = int(cap * 100)
            sel = np.flatnonzero(ex.category == cat)
            for m in np.unique(month[sel]).tolist():
                rows = sel[month[sel] == m]
                total = int(ex.cents[rows].sum())
                last = int(ex.day[rows].max())
                if total > cap_c and self.lo <= last and int(ex.day[rows].min()) <= self.hi:
                    month_label = np.datetime64(m, "M").astype(object).strftime("%m/%Y")
                    self.add("over_limit", [ex.ids[i] for i in rows.tolist()], total,
                             f"Dépenses {_cat(cat)} de {month_label} : {_money(total)} en {count(len(rows), 'opération', 'opérations')}, "
                             f"au-dessus du plafond mensuel de {_money(cap_c)}", last, "", cat)  # fmt: skip

    def cards(self) -> None:
        ex = self.ex
        inside = self.in_period(ex.day)
        for card, allowed in self.policy.card_allowed_categories.items():
            bad = (
                inside
                & (ex.card == card)
                & ~np.isin(ex.category, np.asarray(allowed, dtype=object))
            )
            for i in np.flatnonzero(bad).tolist():
                self.add("category_not_allowed", [ex.ids[i]], int(ex.cents[i]),
                         f"Carte {card} utilisée pour {_cat(ex.category[i])} ({ex.ids[i]}, {ex.payee[i]}, "
                         f"{_money(int(ex.cents[i]))} le {_d(ex.day[i])}) : autorisée seulement pour "
                         f"{', '.join(map(_cat, allowed))}", int(ex.day[i]), ex.payee[i], ex.category[i])  # fmt: skip

    def receipts(self) -> None:
        ex, pol = self.ex, self.policy
        limit_c = int(pol.receipt_required_above * 100)
        exempt = np.asarray(pol.receipt_exempt_categories, dtype=object)
        bad = (
            self.in_period(ex.day)
            & ~ex.has_receipt
            & (ex.cents > limit_c)
            & ~np.isin(ex.category, exempt)
        )
        for i in np.flatnonzero(bad).tolist():
            self.add("missing_receipt", [ex.ids[i]], int(ex.cents[i]),
                     f"Pas de justificatif pour {ex.ids[i]} ({ex.payee[i]}, {_cat(ex.category[i])}, "
                     f"{_money(int(ex.cents[i]))} le {_d(ex.day[i])}) : exigé au-dessus de {_money(limit_c)}",
                     int(ex.day[i]), ex.payee[i], ex.category[i])  # fmt: skip

    def outliers(self) -> None:
        ex, need = self.ex, self.policy.outlier_min_history
        if not len(ex.ids):
            return
        order = np.argsort(ex.payee_code, kind="stable")
        codes, starts, counts = np.unique(
            ex.payee_code[order], return_index=True, return_counts=True
        )
        inside = self.in_period(ex.day)
        for s, c in zip(starts.tolist(), counts.tolist(), strict=True):
            if c < need + 1:
                continue
            rows = order[s : s + c]
            amounts = ex.cents[rows]
            med = float(np.median(amounts))
            mad = float(np.median(np.abs(amounts - med)))
            limit = max(med + 5 * 1.4826 * mad, 2 * med)
            for i in rows[(amounts > limit) & inside[rows]].tolist():
                self.add("amount_outlier", [ex.ids[i]], int(ex.cents[i]),
                         f"{ex.ids[i]} : {_money(int(ex.cents[i]))} payés à {ex.payee[i]} le {_d(ex.day[i])}, "
                         f"{_ratio(float(ex.cents[i]) / med)} fois le montant habituel ({_money(round(med))}, "
                         f"médiane de {c} paiements)", int(ex.day[i]), ex.payee[i], ex.category[i])  # fmt: skip

    # ----------------------------------------------------------------- statement

    def statement(self) -> None:
        """Unknown payees, and the same debit twice on the statement."""
        cat = self.categorization or categorize_lines(
            self.session, self.since_recurring, self.hi_date, debits_only=True
        )
        debit = (cat.cents < 0) & self.in_period(cat.day)
        unknown = debit & (cat.source == "fallback")
        # a counterparty seen in 3 different months is a known recurring payment
        ident: dict[int, str] = {}
        idx = np.flatnonzero((cat.cents < 0) & (cat.source == "fallback"))
        codes = cat.label_code[idx]
        for k in np.unique(codes).tolist():
            ident[k] = identity_words(cat.shapes[k])
        names = {v: n for n, v in enumerate(sorted(set(ident.values())))}
        name_code = np.fromiter(
            (names[ident[k]] for k in codes.tolist()), dtype=np.int64, count=len(codes)
        )
        month = cat.day[idx].astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
        pairs = (
            np.unique(np.stack([name_code, month]), axis=1)
            if len(idx)
            else np.empty((2, 0), np.int64)
        )
        months_per_name = (
            np.bincount(pairs[0], minlength=len(names)) if pairs.size else np.zeros(len(names), int)
        )
        recurring = {
            n
            for n, v in names.items()
            if v < len(months_per_name) and months_per_name[v] >= 3 and n
        }
        for i in np.flatnonzero(unknown).tolist():
            if ident[int(cat.label_code[i])] in recurring:
                continue
            c = -int(cat.cents[i])
            self.add("unknown_payee", [cat.line_id[i]], c,
                     f"Débit de {_money(c)} le {_d(cat.day[i])} (« {cat.label[i]} ») : aucune dépense, aucun "
                     "fournisseur ni échéance connue ne correspond ; à justifier",
                     int(cat.day[i]), cat.label[i], "", "high" if c >= 10_000_000 else "medium")  # fmt: skip
        # the same debit twice: same wording, same amount, within the window
        sel = np.flatnonzero((cat.cents < 0) & ~np.isin(cat.category, list(NO_BANK_DUPLICATE)))
        a, b = _adjacent_pairs(
            [cat.label_code[sel], cat.cents[sel]], cat.day[sel], self.policy.duplicate_window_days
        )
        for x, y in zip(sel[a].tolist(), sel[b].tolist(), strict=True):
            if not (self.lo <= cat.day[y] <= self.hi):
                continue
            kx, ky = cat.match_kind[x], cat.match_kind[y]
            if kx == "expense" and ky == "expense":
                continue  # two recorded expenses: judged on the expenses
            refs = [cat.line_id[x], cat.line_id[y]]
            refs += [m for m, k in ((cat.matched[x], kx), (cat.matched[y], ky)) if k == "expense"]
            if any(frozenset(p) in self.confirmed for p in ((refs[0], refs[1]),)):
                continue
            c = -int(cat.cents[y])
            self.add("duplicate_payment", refs, c,
                     f"Même débit deux fois sur le relevé : « {cat.label[y]} », {_money(c)}, le {_d(cat.day[x])} "
                     f"({refs[0]}) et le {_d(cat.day[y])} ({refs[1]})", int(cat.day[y]), cat.label[y],
                     cat.category[y])  # fmt: skip


def detect_anomalies(
    session: Session, inp: AnomaliesInput, categorization: Categorization | None = None
) -> AnomaliesOutput:
    """Every anomaly of the period, latest first. ``categorization`` may be passed to reuse one run
    (it must cover the period and about a year before it, for recurring patterns)."""
    run = _Run(session, inp, load_policy(session), categorization)
    wanted = set(inp.kinds or KINDS)
    needed = {d for k in wanted for d in KINDS[k].detectors}
    for detector in DETECTORS:
        if detector in needed:
            getattr(run, detector)()
    found = [a for a in run.found if a.kind in wanted]
    found.sort(key=lambda a: (a.date, a.kind, a.refs), reverse=True)
    counts: dict[str, int] = {}
    for a in found:
        counts[a.kind] = counts.get(a.kind, 0) + 1
    return AnomaliesOutput(
        date_from=inp.date_from, date_to=inp.date_to, anomalies=found, counts=counts
    )


def open_anomalies(session: Session, as_of: date) -> AnomaliesOutput:
    """The open anomalies: THE definition every view counts (the dashboard, ``khazna run``,
    ``khazna anomalies`` without a period). Every anomaly of the books up to ``as_of`` that
    the owner has not dismissed (confirmed not-duplicates are left out by the detectors),
    with the period it covers — from the first spend or bank line to ``as_of``
    (:func:`open_anomalies_start`)."""
    first = open_anomalies_start(session, as_of)
    out = detect_anomalies(session, AnomaliesInput(date_from=first, date_to=as_of))
    return out


def open_anomalies_start(session: Session, as_of: date) -> date:
    """The first day the open anomalies cover: the first spend or bank line."""
    return min(
        (
            d
            for d in (
                session.scalar(select(func.min(Expense.date))),
                session.scalar(select(func.min(BankLine.date))),
            )
            if d is not None
        ),
        default=as_of,
    )
