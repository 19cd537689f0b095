"""The approval thread's nodes.

``await_approval`` has no side effect before ``interrupt()`` — a node re-runs from its start
when the thread resumes. Only an approval (or an edit) leads to ``send``, which enqueues
exactly the approved text under the idempotency key ``reminder:<draft_id>``: resuming
twice, or re-running ``send`` after a crash, cannot produce a second email.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Literal

from langchain_core.runnables import RunnableConfig
from langgraph.types import Command, interrupt

from khazna.agents.approval import sending
from khazna.agents.approval.sending import build_reminder_message, enqueue_channel_parts
from khazna.agents.approval.state import ApprovalRequest, ApprovalState, Decision
from khazna.agents.channels import client_phone, draft_channel
from khazna.agents.memory_link import remember_owner_edit, remember_rejection, remember_reminder
from khazna.ledger.tables_agents import Draft, DraftStatus
from khazna.mail.message import MessageError
from khazna.mail.outbox import enqueue

OVERRIDE_NOTE = "contrôle des faits outrepassé par le gérant"
MANUAL_PENDING = "à envoyer à la main (aucun transport configuré sur ce canal)"


def _deps(config: RunnableConfig):
    return config["configurable"]["deps"]


def await_approval(
    state: ApprovalState, config: RunnableConfig
) -> Command[Literal["send", "record_rejection"]]:
    deps = _deps(config)
    with deps.ledger.read() as s:
        d = s.get(Draft, state["draft_id"])
        request = ApprovalRequest(
            draft_id=d.draft_id, client_id=d.client_id, level=d.level, subject=d.subject
        )
    decision = Decision.model_validate(interrupt(request.model_dump()))
    goto: Literal["send", "record_rejection"] = (
        "record_rejection" if decision.action == "reject" else "send"
    )
    return Command(goto=goto, update={"decision": decision.model_dump()})


def approved_text_hash(subject: str, body: str) -> str:
    return hashlib.sha256(f"{subject}\n\n{body}".encode()).hexdigest()


def send(state: ApprovalState, config: RunnableConfig) -> dict:
    """Enqueue and deliver the approved text. Any exception before the message is enqueued
    records the draft ``failed`` with its reason (never left ``pending_approval``): the owner
    may retry (approve again) or reject it."""
    try:
        return _send(state, config)
    except Exception as err:
        reason = f"{type(err).__name__}: {err}"
        reason = " ".join(reason.replace("\x00", " ").split())[:500]
        deps = _deps(config)
        with deps.ledger.session() as s:
            d = s.get(Draft, state["draft_id"])
            if d is None or d.status != DraftStatus.PENDING_APPROVAL:
                # enqueued already (approved): the outbox holds it exactly once and a new
                # approval finishes the delivery (``inbox.decide``), nothing is stuck
                raise
            d.status = DraftStatus.FAILED
            d.decided_at = datetime.now(UTC).replace(tzinfo=None)
            d.decision_note = (d.decision_note + f"; not sent: {reason}").strip("; ")
        return {"outcome": "failed", "message_id": ""}


def _send(state: ApprovalState, config: RunnableConfig) -> dict:
    deps = _deps(config)
    decision = Decision.model_validate(state["decision"])
    now = datetime.now(UTC).replace(tzinfo=None)
    with deps.ledger.session() as s:
        d = s.get(Draft, state["draft_id"])
        original = d.detailed
        if d.status == DraftStatus.PENDING_APPROVAL:
            if decision.action == "edit":
                d.subject = decision.subject or d.subject
                d.short = decision.short or d.short
                d.detailed = decision.detailed or d.detailed
                d.edited = True
            channel = draft_channel(s, d)
            # on WhatsApp and SMS the message is the short version, whatever was chosen
            version = decision.version if channel == "email" else "short"
            body = d.short if version == "short" else d.detailed
            d.status = DraftStatus.APPROVED
            d.decided_by = decision.by
            d.decided_at = now
            d.decision_note = f"version={version}; sha256={approved_text_hash(d.subject, body)}"
            if channel != "email":
                d.decision_note += f"; canal={channel}"
            if decision.overridden:
                d.decision_note += f"; {OVERRIDE_NOTE} ({decision.by}) : " + " ; ".join(
                    decision.overridden
                )
            if channel != "email":
                phone = client_phone(s, d.client_id)
                if not phone:
                    d.status = DraftStatus.FAILED
                    d.decision_note += f"; not sent: no usable phone number for {channel}"
                    return {"outcome": "failed", "message_id": ""}
                if deps.channel_transport(channel) is None:
                    d.decision_note += f"; {MANUAL_PENDING}"
                    return {"outcome": "queued", "message_id": ""}
                d.message_id = enqueue_channel_parts(s, d, body, channel, phone)
            else:
                try:
                    msg = build_reminder_message(s, d, body)
                except MessageError as err:  # e.g. no email address on file: nothing can leave
                    d.status = DraftStatus.FAILED
                    d.decision_note += (
                        f"; not sent: {err} (envoyez-la par la poste, ou ajoutez l'email du client)"
                    )
                    return {"outcome": "failed", "message_id": ""}
                row = enqueue(
                    s,
                    msg,
                    kind="reminder",
                    idempotency_key=f"reminder:{d.draft_id}",
                    ref=d.draft_id,
                    client_id=d.client_id,
                )
                d.message_id = row.message_id
        message_id = d.message_id
        draft_id = d.draft_id
    if deps.memory is not None:
        if decision.action == "edit" and d.detailed != original:
            remember_owner_edit(deps.memory, d, original)
        remember_reminder(deps.memory, d)
    outcome = sending.deliver_now(deps, draft_id)
    return {"outcome": outcome, "message_id": message_id}


def record_rejection(state: ApprovalState, config: RunnableConfig) -> dict:
    deps = _deps(config)
    decision = Decision.model_validate(state["decision"])
    with deps.ledger.session() as s:
        d = s.get(Draft, state["draft_id"])
        if d.status == DraftStatus.PENDING_APPROVAL:
            d.status = DraftStatus.REJECTED
            d.decided_by = decision.by
            d.decided_at = datetime.now(UTC).replace(tzinfo=None)
            d.decision_note = decision.reason
    if deps.memory is not None:
        remember_rejection(deps.memory, d, decision.reason)
    return {"outcome": "rejected"}
