"""Weekly receipt reminders by email: the sending half of :mod:`khazna.tools.receipts`.

:func:`send_receipt_reminders` sends one internal email per person per working week listing
all their missing receipts (no approval: it stays inside the company). Addresses come from
the ``people`` setting (name → email, ``khazna receipts people set NAME EMAIL``); a person
without one, and the office's own spends, go to ``KHAZNA_OWNER_EMAIL`` with the person's
name in the subject. Which people were reminded which week is kept in the
``receipt_reminders`` setting; the outbox key ``receipt:<person>:<week end>`` keeps a
re-run from mailing twice.
"""

from __future__ import annotations

import logging
from datetime import date

from pydantic import BaseModel
from sqlalchemy.orm import Session

from khazna.calendar_dz import WorkingCalendar
from khazna.config import Environ, owner_email
from khazna.ledger.models import Company, Setting
from khazna.mail.message import build_message, sender_address
from khazna.mail.outbox import enqueue, send_queued
from khazna.tools.receipts import missing_receipts, reminder_text

log = logging.getLogger(__name__)

STATE_KEY = "receipt_reminders"


class ReminderSent(BaseModel):
    person: str
    to: list[str]
    expense_ids: list[str]
    key: str
    mail_state: str = ""


def _load_state(session: Session) -> dict:
    row = session.get(Setting, STATE_KEY)
    return dict(row.value or {}) if row else {}


def _save_state(session: Session, state: dict) -> None:
    session.merge(Setting(key=STATE_KEY, value=dict(state)))


def send_receipt_reminders(
    deps, as_of: date, *, environ: Environ | None = None
) -> list[ReminderSent]:
    """At most one email per person per working week (state in the ``receipt_reminders``
    setting, and the outbox key ``receipt:<person>:<week end>``).

    ``deps`` needs ``ledger`` and ``mail_transport()`` (an ``AgentDeps`` does)."""
    owner = owner_email(environ)
    week = WorkingCalendar.load().week_end(as_of).isoformat()
    sent: list[ReminderSent] = []
    with deps.ledger.session() as s:
        company = s.get(Company, 1)
        state = _load_state(s)
        for group in missing_receipts(s, as_of):
            if state.get(group.person or "_office") == week:
                continue  # already reminded this week
            to = group.email or owner
            if not to:
                log.info(
                    "no email for %r and no KHAZNA_OWNER_EMAIL: receipt reminder skipped",
                    group.person,
                )
                continue
            subject, text = reminder_text(
                group, as_of, company.name if company else "", not group.email
            )
            msg = build_message(
                sender=sender_address(company),
                to=[to],
                subject=subject,
                text=text,
                reply_to=(company.email or None) if company else None,
            )
            key = f"receipt:{group.person or '_office'}:{week}"
            enqueue(
                s, msg, kind="receipt_reminder", idempotency_key=key[:200], ref=group.person[:120]
            )
            state[group.person or "_office"] = week
            sent.append(
                ReminderSent(
                    person=group.person,
                    to=[to],
                    key=key[:200],
                    expense_ids=[i.expense_id for i in group.items],
                )
            )
        _save_state(s, state)
    if sent:
        states = send_queued(deps.ledger.session, deps.mail_transport(), [r.key for r in sent])
        for r in sent:
            row = states.get(r.key)
            r.mail_state = row.state if row is not None else ""
    return sent
