"""What the client history says on a given day: open disputes, pending promises, reminders
already sent. Read from the ledger's interactions (kind given, or inferred from the text)
and from the drafts the owner sent or rejected.

Client text is data: it is classified, never obeyed. A note that looks like an instruction
to the agents is kept as a note (``suspicious``) and changes nothing here.

A reply is evidence, not authority: an interaction whose ``unconfirmed`` says why it may not
act by itself (a reply whose sender was not authenticated, or that names no invoice of the
client, see mail/replies.py) opens no dispute, pauses nothing and settles nothing. Its
promise or dispute becomes a :class:`Claim`, shown on the client's draft
(:func:`claim_note`: "le client dit avoir promis de payer le 30/12/2026 — à confirmer") for
the owner to decide (``khazna replies confirm ID`` makes it count).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from khazna.ledger.models import Interaction
from khazna.ledger.tables_agents import Draft, DraftStatus
from khazna.tools.notes import infer_kind, invoice_numbers, is_resolution


@dataclass
class Promise:
    interaction_id: str
    made_on: date
    promised_date: date | None
    invoice_numbers: list[str]
    text: str


@dataclass
class Dispute:
    interaction_id: str
    opened_on: date
    invoice_numbers: list[str]  # empty: the dispute is about the client's account as a whole
    text: str


@dataclass
class Claim:
    """A promise or dispute read from a client's email that may not act by itself."""

    interaction_id: str
    made_on: date
    kind: str  # "promise" or "dispute"
    promised_date: date | None
    invoice_numbers: list[str]
    text: str
    reason: str  # Interaction.unconfirmed

    def covers(self, numbers: list[str]) -> bool:
        return not self.invoice_numbers or bool(set(self.invoice_numbers) & set(numbers))


CLAIM_DISPUTE_DAYS = 60  # an unconfirmed dispute is shown on drafts this long after it came

UNCONFIRMED_LABELS = {
    "sender_not_authenticated": "expéditeur non authentifié",
    "sender_not_client": "l'expéditeur authentifié n'est pas une adresse du client",
    "no_invoice_of_client": "ne cite aucune facture de ce client",
}


def claim_note(c: Claim) -> str:
    """What the owner reads on the draft, in French."""
    why = UNCONFIRMED_LABELS.get(c.reason, c.reason)
    numbers = f" ({', '.join(c.invoice_numbers)})" if c.invoice_numbers else ""
    if c.kind == "promise":
        said = (
            f"le client dit avoir promis de payer le {c.promised_date:%d/%m/%Y}"
            if c.promised_date
            else "le client dit avoir promis de payer"
        )
    else:
        said = "le client dit contester" + ("" if numbers else " son compte")
    return f"{said}{numbers} — à confirmer ({why} ; message {c.interaction_id} du {c.made_on:%d/%m/%Y})"


@dataclass
class SentReminder:
    on: date
    level: int
    invoice_numbers: list[str]
    source: str  # interaction id or draft id


@dataclass
class ClientState:
    client_id: str
    disputes: list[Dispute] = field(default_factory=list)
    promises: list[Promise] = field(default_factory=list)
    reminders: list[SentReminder] = field(default_factory=list)
    suspicious: list[str] = field(default_factory=list)  # interaction ids
    claims: list[Claim] = field(default_factory=list)  # unconfirmed promises and disputes

    def open_claims(self, numbers: list[str], as_of: date) -> list[Claim]:
        """The unconfirmed promises and disputes about ``numbers`` (or the whole account)
        still worth showing on ``as_of``: a promise while its date has not passed (7 days
        without a date), a dispute for :data:`CLAIM_DISPUTE_DAYS`."""
        out = []
        for c in self.claims:
            if not c.covers(numbers) and c.reason != "no_invoice_of_client":
                continue
            if c.kind == "promise":
                until = c.promised_date or date.fromordinal(c.made_on.toordinal() + 7)
            else:
                until = date.fromordinal(c.made_on.toordinal() + CLAIM_DISPUTE_DAYS)
            if as_of <= until:
                out.append(c)
        return out

    def disputed(self, number: str) -> Dispute | None:
        for d in self.disputes:
            if not d.invoice_numbers or number in d.invoice_numbers:
                return d
        return None

    def pending_promise(self, number: str, as_of: date) -> Promise | None:
        """A promise covering ``number`` whose date has not passed (a promise without a
        date holds for 7 days after it was made)."""
        for p in self.promises:
            if p.invoice_numbers and number not in p.invoice_numbers:
                continue
            until = p.promised_date or date.fromordinal(p.made_on.toordinal() + 7)
            if as_of <= until:
                return p
        return None

    def reminded(self, number: str, level: int) -> SentReminder | None:
        for r in self.reminders:
            if r.level >= level and (not r.invoice_numbers or number in r.invoice_numbers):
                return r
        return None


_LEVEL_WORDS = [
    (3, re.compile(r"mise en demeure|اعذار|إعذار|formal notice", re.I)),
    (2, re.compile(r"deuxi[eè]me relance|2e relance|second reminder|تذكير ثان", re.I)),
]


def reminder_level(text: str) -> int:
    """The level a reminder written in the history was (1 unless its words say more)."""
    for level, rx in _LEVEL_WORDS:
        if rx.search(text):
            return level
    return 1


def client_states(
    session: Session, as_of: date, client_id: str | None = None
) -> dict[str, ClientState]:
    """Each client's disputes, promises and reminders as known at the end of ``as_of``."""
    q = (
        select(Interaction)
        .where(Interaction.date <= as_of)
        .order_by(Interaction.date, Interaction.interaction_id)
    )
    if client_id:
        q = q.where(Interaction.client_id == client_id)
    states: dict[str, ClientState] = {}
    for it in session.scalars(q):
        st = states.setdefault(it.client_id, ClientState(it.client_id))
        inf = infer_kind(it.text, it.date)
        if inf.suspicious:
            st.suspicious.append(it.interaction_id)
        kind = it.kind or inf.kind
        numbers = invoice_numbers(it.text)
        if it.unconfirmed and it.direction == "in":
            # evidence, not authority: it is shown to the owner, it changes no state
            if kind in ("promise", "dispute") and not inf.suspicious:
                when = inf.promised_date if inf.kind == "promise" else None
                st.claims.append(
                    Claim(it.interaction_id, it.date, kind, when, numbers, it.text, it.unconfirmed)
                )
            continue
        if kind == "reminder" and it.direction == "out":  # only our own reminders count as sent
            st.reminders.append(
                SentReminder(it.date, reminder_level(it.text), numbers, it.interaction_id)
            )
        elif kind == "dispute" and not inf.suspicious:
            st.disputes.append(Dispute(it.interaction_id, it.date, numbers, it.text))
        elif kind == "promise" and not inf.suspicious:
            when = inf.promised_date if inf.kind == "promise" else None
            st.promises.append(Promise(it.interaction_id, it.date, when, numbers, it.text))
        elif is_resolution(it.text) and not inf.suspicious:
            _resolve(st, numbers)
    _add_sent_drafts(session, as_of, states, client_id)
    return states


def _resolve(st: ClientState, numbers: list[str]) -> None:
    """A later note saying the matter is settled closes the disputes it names (all, if none)."""
    if not numbers:
        st.disputes.clear()
        return
    kept = []
    for d in st.disputes:
        rest = [n for n in d.invoice_numbers if n not in numbers]
        if d.invoice_numbers and rest:
            kept.append(Dispute(d.interaction_id, d.opened_on, rest, d.text))
        elif not d.invoice_numbers:
            kept.append(d)
    st.disputes = kept


def _add_sent_drafts(
    session: Session, as_of: date, states: dict[str, ClientState], client_id: str | None
) -> None:
    q = select(Draft).where(
        Draft.status.in_((DraftStatus.APPROVED, DraftStatus.SENT, DraftStatus.REJECTED)),
        Draft.as_of <= as_of,
    )
    if client_id:
        q = q.where(Draft.client_id == client_id)
    for d in session.scalars(q):
        st = states.setdefault(d.client_id, ClientState(d.client_id))
        # a rejected draft counts as handled: the owner chose not to send that level
        st.reminders.append(SentReminder(d.as_of, d.level, list(d.invoice_numbers), d.draft_id))
