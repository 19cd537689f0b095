"""How likely an open invoice is to be paid within the forecast horizon, from the books.

A life table of days late, per client: over its invoices of the profile window (those it
settled, with their days late, and those still open, with their days late so far), an open
invoice now ``a`` days late (negative when not due yet) is compared with the invoices that
were still unpaid at ``a`` days late:

- paid = settled ones paid between ``a`` (excluded) and ``a + h`` (included) days late;
- still unpaid = settled ones paid later, and open ones already more than ``a + h`` late
  (open ones between the two are left out: their outcome is not known yet).

``odds = paid / (paid + still unpaid)``, shrunk toward the same ratio over the clients of
the same kind when the client's own history is thin: ``(n_paid + K·kind_odds) / (n + K)``,
K = 3 (as the typical delay is). The expected date is the due date plus the median days
late of the payments counted as paid (the client's own, else its kind's).

So an invoice long overdue from a client who has many invoices as old still unpaid gets low
odds, and one from a client who usually pays the stragglers in the end keeps high odds.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass

SHRINK_K = 3


KIND_FR = {"grand_compte": "grands comptes", "pme": "PME", "administration": "administrations",
           "particulier": "particuliers"}  # fmt: skip


@dataclass
class LifeTable:
    """Sorted days late of the settled invoices and days late so far of the open ones."""

    settled: list[int]
    open_: list[int]

    def counts(self, a: int, h: int) -> tuple[int, int, list[int]]:
        """(paid in (a, a+h], at risk at a with a known outcome, the days late of the paid)."""
        lo, hi = bisect_right(self.settled, a), bisect_right(self.settled, a + h)
        later = len(self.settled) - hi
        still_open = len(self.open_) - bisect_right(self.open_, a + h)
        return hi - lo, hi - lo + later + still_open, self.settled[lo:hi]


@dataclass
class ReceiptOdds:
    odds: float  # in [0, 1]
    days_late: int | None  # expected days late of the payment, None when nothing to go on
    basis: str
    # the days late of the invoices as late that were paid within the horizon (what
    # ``days_late`` is the median of): the spread of its date, given that it is paid
    seen: tuple[int, ...] = ()


class ReceiptModel:
    """Life tables per client and per client kind (see the module doc)."""

    def __init__(
        self,
        settled: list[tuple[str, int, int]],
        open_days_late: list[tuple[str, int]],
        kinds: dict[str, str],
    ) -> None:
        s_by: dict[str, list[int]] = defaultdict(list)
        o_by: dict[str, list[int]] = defaultdict(list)
        for cid, late, _ in settled:
            s_by[cid].append(late)
        for cid, late in open_days_late:
            o_by[cid].append(late)
        self.kinds = kinds
        self.clients = {
            c: LifeTable(sorted(s_by.get(c, [])), sorted(o_by.get(c, [])))
            for c in set(s_by) | set(o_by)
        }
        ks: dict[str, list[int]] = defaultdict(list)
        ko: dict[str, list[int]] = defaultdict(list)
        for c, t in self.clients.items():
            ks[kinds.get(c, "")].extend(t.settled)
            ko[kinds.get(c, "")].extend(t.open_)
        self.by_kind = {k: LifeTable(sorted(ks[k]), sorted(ko.get(k, []))) for k in ks}
        self.all = LifeTable(
            sorted(v for t in self.clients.values() for v in t.settled),
            sorted(v for t in self.clients.values() for v in t.open_),
        )

    def odds(self, client_id: str, days_late_now: int, horizon: int) -> ReceiptOdds | None:
        """Odds that an invoice ``days_late_now`` late is paid within ``horizon`` days;
        None when no invoice of any client was ever that late with a known outcome (the
        caller keeps its own rule)."""
        kind = self.kinds.get(client_id, "")
        prior_t = self.by_kind.get(kind) or self.all
        pk, nk, pk_days = prior_t.counts(days_late_now, horizon)
        if not nk:
            prior_t = self.all
            pk, nk, pk_days = prior_t.counts(days_late_now, horizon)
        own = self.clients.get(client_id)
        pc, nc, pc_days = own.counts(days_late_now, horizon) if own else (0, 0, [])
        if not nk and not nc:
            return None
        prior = pk / nk if nk else 0.0
        odds = (pc + SHRINK_K * prior) / (nc + SHRINK_K)
        days = pc_days or pk_days
        expected = days[(len(days) - 1) // 2] if days else None  # the (lower) median
        basis = (
            f"{pc} sur {nc} de ses factures aussi en retard payées sous {horizon} j, "
            f"rapproché du taux des clients {KIND_FR.get(kind or '', 'tous')} : {pk}/{nk}"
        )
        return ReceiptOdds(
            odds=min(max(odds, 0.0), 1.0), days_late=expected, basis=basis, seen=tuple(days)
        )
