"""Exactly-once outgoing mail, on a durable record in the ledger (``mail_messages``).

The protocol, each step its own committed transaction::

    enqueue        → pending   (the intent and the exact bytes; one row per idempotency key)
    claim          → sending   (attempts + 1; only one process can claim a row)
    transport.send
    record         → sent | pending (retry later) | failed | unconfirmed

A crash between ``send`` and ``record`` leaves the row in ``sending``. :func:`reconcile`,
run at start-up, never resends such a row on its own: the file outbox can tell from its
folder whether the message was written; over SMTP nobody can, so the row becomes
``unconfirmed`` and waits for the owner (:func:`resend_unconfirmed`, :func:`mark_sent`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Literal, cast

from sqlalchemy import CursorResult, or_, select, update
from sqlalchemy.orm import Session

from khazna.labels import outbox_state
from khazna.ledger.tables_mail import KINDS, MailMessage
from khazna.mail.message import addr_spec, envelope_recipients, to_bytes
from khazna.mail.transport import (
    FileOutbox,
    PermanentDeliveryError,
    SendResult,
    TemporaryDeliveryError,
    Transport,
    UncertainDeliveryError,
    sanitise_message_id,
)

log = logging.getLogger(__name__)

SessionFactory = Callable[[], AbstractContextManager[Session]]
AfterSendHook = Callable[[int, SendResult], None]

UNCONFIRMED_NOTE = (
    "interrupted after the message was handed to the mail server: it may have been "
    "delivered. Check with the recipient, then resend it or mark it sent."
)


class OutboxError(ValueError):
    """A request the outbox cannot honour (unknown id, wrong state, bad message)."""


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff for temporary failures: 1, 2, 4, 8 min ... capped; then give up."""

    max_attempts: int = 5
    base_delay: timedelta = timedelta(minutes=1)
    max_delay: timedelta = timedelta(hours=2)

    def delay(self, attempts: int) -> timedelta:
        return min(self.base_delay * (2 ** max(attempts - 1, 0)), self.max_delay)


@dataclass(frozen=True)
class Outcome:
    """What one attempt (or one reconciliation) did to one message."""

    id: int
    message_id: str
    state: str
    attempts: int
    error: str = ""
    next_attempt_at: datetime | None = None


def utc_naive(moment: datetime) -> datetime:
    """Stored times are naive UTC (SQLite keeps no zone)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def enqueue(
    session: Session,
    msg: EmailMessage,
    *,
    kind: str,
    idempotency_key: str,
    ref: str = "",
    client_id: str = "",
    now: datetime | None = None,
) -> MailMessage:
    """Record the intent to send ``msg`` (state ``pending``) in the caller's transaction.

    Enqueueing the same ``idempotency_key`` again returns the existing row unchanged (with
    its original bytes and Message-ID). Two processes racing on one key cannot both insert:
    the unique constraint fails the second transaction."""
    if kind not in KINDS:
        raise OutboxError(f"kind {kind!r}: expected one of {', '.join(KINDS)}")
    if not idempotency_key:
        raise OutboxError("an idempotency key is required")
    existing = session.scalar(
        select(MailMessage).where(MailMessage.idempotency_key == idempotency_key)
    )
    if existing is not None:
        return existing
    message_id = str(msg.get("Message-ID") or "")
    if not message_id:
        raise OutboxError("the message has no Message-ID (build it with build_message)")
    recipients = envelope_recipients(msg)
    if not recipients:
        raise OutboxError("le message n'a aucun destinataire (pas d'adresse email)")
    moment = utc_naive(now or datetime.now(UTC))
    row = MailMessage(
        idempotency_key=idempotency_key,
        message_id=message_id,
        kind=kind,
        ref=ref,
        client_id=client_id,
        sender=addr_spec(str(msg.get("From", ""))),
        recipients=recipients,
        subject=str(msg.get("Subject", "")),
        raw=to_bytes(msg),
        state="pending",
        attempts=0,
        next_attempt_at=moment,
        created_at=moment,
        last_error="",
        server_reply="",
        via="",
    )
    session.add(row)
    session.flush()
    return row


def enqueue_payload(
    session: Session,
    payload: dict,
    *,
    channel: str,
    kind: str,
    idempotency_key: str,
    to: str,
    subject: str = "",
    ref: str = "",
    client_id: str = "",
    now: datetime | None = None,
) -> MailMessage:
    """Record the intent to send one message on another channel than email (``whatsapp``,
    ``sms``): ``payload`` (JSON) is what that channel's transport will send, exactly, to
    ``to`` (a phone number in international form). Same protocol and guarantees as
    :func:`enqueue`: one row per key, the intent committed before anything leaves."""
    if kind not in KINDS:
        raise OutboxError(f"kind {kind!r}: expected one of {', '.join(KINDS)}")
    if channel == "email" or not channel:
        raise OutboxError("an email is queued with enqueue()")
    if not idempotency_key:
        raise OutboxError("an idempotency key is required")
    if not to:
        raise OutboxError("le message n'a aucun destinataire (pas d'adresse email)")
    existing = session.scalar(
        select(MailMessage).where(MailMessage.idempotency_key == idempotency_key)
    )
    if existing is not None:
        return existing
    moment = utc_naive(now or datetime.now(UTC))
    row = MailMessage(
        idempotency_key=idempotency_key,
        message_id=f"<{uuid.uuid4().hex}@{channel}.khazna>",
        kind=kind,
        ref=ref,
        client_id=client_id,
        sender="",
        recipients=[to],
        subject=subject,
        raw=json.dumps(payload, ensure_ascii=False, sort_keys=True).encode(),
        state="pending",
        attempts=0,
        next_attempt_at=moment,
        created_at=moment,
        last_error="",
        server_reply="",
        via="",
        channel=channel,
    )
    session.add(row)
    session.flush()
    return row


def transport_channel(transport: Transport) -> str:
    """The channel whose rows a transport may take (SMTP and the file outbox: ``email``)."""
    return str(getattr(transport, "channel", "email"))


def _set(session: Session, pk: int, expect: str, **values) -> bool:
    """Move row ``pk`` out of state ``expect``; False when another process moved it first."""
    res = session.execute(
        update(MailMessage)
        .where(MailMessage.id == pk, MailMessage.state == expect)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult, res).rowcount == 1


async def deliver_due(
    session_factory: SessionFactory,
    transport: Transport,
    now: datetime,
    *,
    policy: RetryPolicy | None = None,
    after_send_hook: AfterSendHook | None = None,
    limit: int = 100,
) -> list[Outcome]:
    """Send every ``pending`` message whose time has come, oldest first.

    ``after_send_hook(id, result)`` runs after the transport took a message and before the
    ledger records it: the seam where tests simulate a crash."""
    policy = policy or RetryPolicy()
    now = utc_naive(now)
    with session_factory() as s:
        due = s.scalars(
            select(MailMessage.id)
            .where(
                MailMessage.state == "pending",
                MailMessage.channel == transport_channel(transport),
                or_(MailMessage.next_attempt_at.is_(None), MailMessage.next_attempt_at <= now),
            )
            .order_by(MailMessage.next_attempt_at, MailMessage.id)
            .limit(limit)
        ).all()
    outcomes = []
    for pk in due:
        outcome = await _deliver_one(session_factory, transport, pk, now, policy, after_send_hook)
        if outcome is not None:
            outcomes.append(outcome)
    return outcomes


async def _deliver_one(
    session_factory: SessionFactory,
    transport: Transport,
    pk: int,
    now: datetime,
    policy: RetryPolicy,
    hook: AfterSendHook | None,
) -> Outcome | None:
    with session_factory() as s:
        claimed = _set(
            s,
            pk,
            "pending",
            state="sending",
            attempts=MailMessage.attempts + 1,
            claimed_at=now,
            via=transport.name,
        )
        if not claimed:
            return None  # another process took it
        row = s.get(MailMessage, pk)
        assert row is not None
        s.refresh(row)
        raw, recipients, message_id, attempts = (
            row.raw,
            list(row.recipients),
            row.message_id,
            row.attempts,
        )

    def record(
        state: str, error: str = "", reply: str = "", retry_at: datetime | None = None
    ) -> Outcome:
        values: dict = {"state": state, "last_error": error, "next_attempt_at": retry_at}
        if reply:
            values["server_reply"] = reply
        if state == "sent":
            values["sent_at"] = now
        with session_factory() as s:
            if not _set(s, pk, "sending", **values):
                log.warning("mail %s (%s) changed state while it was being sent", pk, message_id)
        return Outcome(pk, message_id, state, attempts, error, retry_at)

    try:
        result = await transport.send(raw, recipients=recipients)
    except TemporaryDeliveryError as err:
        if attempts >= policy.max_attempts:
            return record("failed", f"gave up after {attempts} attempts: {err.reason}")
        retry_at = now + policy.delay(attempts)
        log.info("mail %s: temporary failure (%s), retry at %s", pk, err.reason, retry_at)
        return record("pending", err.reason, retry_at=retry_at)
    except PermanentDeliveryError as err:
        return record("failed", err.reason, reply=err.reason)
    except UncertainDeliveryError as err:
        return record("unconfirmed", f"{UNCONFIRMED_NOTE} ({err.reason})")
    except Exception as err:  # noqa: BLE001 - an unknown failure may have sent it: do not retry
        log.exception("mail %s: unexpected error while sending", pk)
        return record("unconfirmed", f"{UNCONFIRMED_NOTE} ({type(err).__name__}: {err})")

    if hook is not None:
        hook(pk, result)
    note = result.reply
    if result.refused:
        note += "; refused: " + "; ".join(f"{k}: {v}" for k, v in result.refused.items())
    return record("sent", reply=note or "accepted")


def deliver_due_now(
    session_factory: SessionFactory,
    transport: Transport,
    now: datetime | None = None,
    **options,
) -> list[Outcome]:
    """:func:`deliver_due` called from synchronous code (commands, agents' nodes): runs it
    to the end in its own event loop. ``now`` defaults to the current time."""
    moment = now or datetime.now(UTC)
    return asyncio.run(deliver_due(session_factory, transport, moment, **options))


Delivery = Literal["smtp", "file", "whatsapp", "sms"]


def delivery_of(via: str) -> Delivery | None:
    """How a message left, from the transport that took it (``mail_messages.via``):
    ``smtp`` (handed to a mail server), ``file`` (an ``.eml`` written in the local outbox,
    nothing sent), None (no transport has taken it yet)."""
    if via.startswith("smtp:"):
        return "smtp"
    if via.startswith("file:"):
        return "file"
    if via.startswith("whatsapp:"):
        return "whatsapp"
    if via.startswith("sms:"):
        return "sms"
    return None


def outbox_file(via: str, message_id: str) -> str:
    """The ``.eml`` file a file outbox wrote for this message ('' if none or not a file)."""
    if delivery_of(via) != "file" or not message_id:
        return ""
    found = FileOutbox(Path(via.removeprefix("file:"))).find(message_id)
    return str(found) if found else ""


def outbox_files(rows: Iterable[MailMessage]) -> dict[str, str]:
    """``message_id -> .eml path`` for these messages, each outbox folder listed once (a
    listing of many messages does not glob the folder per message)."""
    by_name: dict[str, str] = {}
    for folder in {r.via.removeprefix("file:") for r in rows if delivery_of(r.via or "") == "file"}:
        for path in Path(folder).glob("*.eml"):
            by_name.setdefault(path.stem.split("-", 1)[-1], str(path))
    return {
        r.message_id: by_name[sanitise_message_id(r.message_id)]
        for r in rows
        if sanitise_message_id(r.message_id) in by_name
    }


def delivery_phrase(state: str, via: str, message_id: str = "", *, feminine: bool = True) -> str:
    """What happened to a message, in French, true to the transport: a message the file
    outbox took was written, not sent. ``feminine`` agrees with « relance » (else « rapport »)."""
    e = "e" if feminine else ""
    how = delivery_of(via)
    if state == "sent" and how == "file":
        where = outbox_file(via, message_id)
        return (
            f"écrit{e} dans la boîte d'envoi locale (non envoyé{e} : aucun serveur SMTP configuré)"
            + (f" : {where}" if where else "")
        )
    if state == "sent" and how == "whatsapp":
        return f"envoyé{e} par WhatsApp (accepté{e} par l'API ; la remise n'est pas confirmée)"
    if state == "sent" and how == "sms":
        return f"envoyé{e} par SMS (accepté{e} par la passerelle ; la remise n'est pas confirmée)"
    if state == "sent":
        server = via.removeprefix("smtp:") if how == "smtp" else ""
        return f"envoyé{e} par SMTP" + (f" ({server})" if server else "")
    return {
        "pending": "en file d'attente (nouvel essai automatique)",
        "sending": "en cours d'envoi",
        "failed": "échec de l'envoi",
        "unconfirmed": "remise incertaine (voir khazna mail-outbox)",
    }.get(state, state)


@dataclass(frozen=True)
class MailState:
    """Where one queued message stands, read back after a send attempt."""

    key: str
    id: int
    message_id: str
    state: str
    recipients: tuple[str, ...]
    sent_at: datetime | None
    last_error: str
    via: str = ""

    @property
    def delivery(self) -> Delivery | None:
        return delivery_of(self.via)


def mail_states(session: Session, keys: Iterable[str]) -> dict[str, MailState]:
    """The messages queued under these idempotency keys (a key without a row is left out)."""
    wanted = list(dict.fromkeys(keys))
    if not wanted:
        return {}
    rows = session.scalars(select(MailMessage).where(MailMessage.idempotency_key.in_(wanted)))
    return {
        r.idempotency_key: MailState(
            key=r.idempotency_key,
            id=r.id,
            message_id=r.message_id,
            state=r.state,
            recipients=tuple(r.recipients),
            sent_at=r.sent_at,
            last_error=r.last_error,
            via=r.via or "",
        )
        for r in rows
    }


def send_queued(
    session_factory: SessionFactory,
    transport: Transport,
    keys: Iterable[str],
    *,
    now: datetime | None = None,
) -> dict[str, MailState]:
    """Send now what is due (these messages, queued by the caller's own transaction, and any
    other due one), then read back the state of the messages under ``keys``.

    A message the transport could not take stays in the outbox as usual (``pending`` with
    its retry time, ``failed`` or ``unconfirmed``): the keys keep sending exactly-once."""
    keys = list(keys)
    deliver_due_now(session_factory, transport, now)
    with session_factory() as s:
        return mail_states(s, keys)


def send_now(
    session_factory: SessionFactory,
    transport: Transport | Callable[[], Transport],
    msg: EmailMessage,
    *,
    kind: str,
    key: str,
    ref: str = "",
    client_id: str = "",
    now: datetime | None = None,
) -> MailState:
    """Queue ``msg`` under the idempotency key ``key`` (its own transaction; a key already
    queued keeps its first message), send what is due, and return the message's state.

    ``transport`` may be a function that builds it (``deps.mail_transport``): it is called
    once the message is queued, so a wrong mail setting leaves the message in the outbox
    for ``khazna mail-retry``."""
    with session_factory() as s:
        enqueue(s, msg, kind=kind, idempotency_key=key, ref=ref, client_id=client_id, now=now)
    if callable(transport) and not hasattr(transport, "send"):
        transport = transport()
    return send_queued(session_factory, cast(Transport, transport), [key], now=now)[key]


def reconcile(
    session_factory: SessionFactory,
    transport: Transport,
    now: datetime,
    *,
    stale_after: timedelta = timedelta(minutes=5),
) -> list[Outcome]:
    """Settle messages left in ``sending`` by a crash (claimed more than ``stale_after`` ago,
    so that a send still running in another process is left alone).

    Known written (file outbox) → ``sent``; known not written → ``pending`` again; unknown
    (SMTP, or another transport than the one that tried) → ``unconfirmed``: never resent
    without the owner."""
    now = utc_naive(now)
    outcomes = []
    with session_factory() as s:
        rows = s.scalars(
            select(MailMessage)
            .where(
                MailMessage.state == "sending",
                MailMessage.channel == transport_channel(transport),
                or_(MailMessage.claimed_at.is_(None), MailMessage.claimed_at <= now - stale_after),
            )
            .order_by(MailMessage.id)
        ).all()
        for row in rows:
            verdict = transport.delivered(row.message_id) if row.via == transport.name else None
            if verdict is True:
                values = {
                    "state": "sent",
                    "sent_at": now,
                    "server_reply": "found in the outbox after a restart",
                }
            elif verdict is False:
                values = {
                    "state": "pending",
                    "next_attempt_at": now,
                    "last_error": "interrupted before the message was written; it will be sent again",
                }
            else:
                values = {"state": "unconfirmed", "last_error": UNCONFIRMED_NOTE}
            if _set(s, row.id, "sending", **values):
                log.warning(
                    "mail %s (%s) found in 'sending': now %s",
                    row.id,
                    row.message_id,
                    values["state"],
                )
                outcomes.append(
                    Outcome(
                        row.id,
                        row.message_id,
                        str(values["state"]),
                        row.attempts,
                        str(values.get("last_error", "")),
                    )
                )
    return outcomes


def _requeue(
    session_factory: SessionFactory, pk: int, now: datetime, expect: str, note: str
) -> Outcome:
    with session_factory() as s:
        row = s.get(MailMessage, pk)
        if row is None:
            raise OutboxError(f"aucun message sortant d'identifiant {pk}")
        if row.state != expect:
            raise OutboxError(
                f"le message {pk} est « {outbox_state(row.state)} », pas « {outbox_state(expect)} »"
            )
        moment = utc_naive(now)
        # A fresh series of attempts; the bytes and the Message-ID stay the same, so a
        # mail reader that already has the message can recognise the copy.
        _set(s, pk, expect, state="pending", attempts=0, next_attempt_at=moment, last_error=note)
        return Outcome(pk, row.message_id, "pending", 0, note, moment)


def resend_unconfirmed(session_factory: SessionFactory, pk: int, now: datetime) -> Outcome:
    """The owner's decision: send an ``unconfirmed`` message again (same Message-ID)."""
    return _requeue(session_factory, pk, now, "unconfirmed", "renvoi demandé par le gérant")


def retry_failed(session_factory: SessionFactory, pk: int, now: datetime) -> Outcome:
    """Send a ``failed`` message again (e.g. after fixing the SMTP password)."""
    return _requeue(session_factory, pk, now, "failed", "nouvel essai demandé par le gérant")


def mark_sent(session_factory: SessionFactory, pk: int, now: datetime) -> Outcome:
    """The owner's other decision: an ``unconfirmed`` message did arrive."""
    with session_factory() as s:
        row = s.get(MailMessage, pk)
        if row is None or row.state != "unconfirmed":
            raise OutboxError(f"le message {pk} n'est pas « {outbox_state('unconfirmed')} »")
        _set(
            s,
            pk,
            "unconfirmed",
            state="sent",
            sent_at=utc_naive(now),
            server_reply="arrivée confirmée par le gérant",
        )
        return Outcome(pk, row.message_id, "sent", row.attempts)


def list_messages(session: Session, states: Sequence[str] | None = None) -> list[MailMessage]:
    query = select(MailMessage).order_by(MailMessage.id)
    if states:
        query = query.where(MailMessage.state.in_(list(states)))
    return list(session.scalars(query))


def describe(row: MailMessage, files: dict[str, str] | None = None) -> dict:
    """A message as the CLI and the web inbox show it (no body bytes). ``delivery`` says how
    it left (``smtp`` or ``file``, None before any attempt); ``outbox_file`` is the ``.eml``
    written by the file outbox (``files``: :func:`outbox_files`, else looked up)."""
    via = row.via or ""
    found = files.get(row.message_id, "") if files is not None else outbox_file(via, row.message_id)
    return {
        "id": row.id,
        "message_id": row.message_id,
        "kind": row.kind,
        "ref": row.ref,
        "client_id": row.client_id,
        "to": list(row.recipients),
        "subject": row.subject,
        "state": row.state,
        "channel": row.channel or "email",
        "delivery": delivery_of(via),
        "outbox_file": found,
        "attempts": row.attempts,
        "next_attempt_at": row.next_attempt_at.isoformat() if row.next_attempt_at else None,
        "last_error": row.last_error,
        "server_reply": row.server_reply,
        "created_at": row.created_at.isoformat(),
        "sent_at": row.sent_at.isoformat() if row.sent_at else None,
        "size": len(row.raw),
    }
