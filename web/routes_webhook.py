"""``/webhooks/whatsapp`` and ``/webhooks/sms``: the callbacks of the WhatsApp Cloud API and of
the SMS gateway, verified by their signature.

- ``GET``: Meta's subscription check (``hub.verify_token`` = ``KHAZNA_WHATSAPP_VERIFY_TOKEN``).
- ``POST``: refused (403) unless ``X-Hub-Signature-256`` is ``sha256=`` + the HMAC-SHA256 of the
  exact body with the app secret (``KHAZNA_WHATSAPP_APP_SECRET``). A client's text message
  joins the client's history (an ``interactions`` row, channel ``whatsapp``; it pauses nothing
  by itself: kind ``''``, and ``no_invoice_of_client`` unless it names one of the client's
  invoices); a status callback (sent, delivered, read, failed) is noted on the outbox row of
  that message — the outbox state itself is not changed by it.
- ``POST /webhooks/sms``: the generic SMS gateway's callbacks (the gateway ``SmsTransport``
  sends through), refused (403) unless ``X-Khazna-Signature`` is ``sha256=`` + the HMAC-SHA256
  of the exact body with ``KHAZNA_SMS_WEBHOOK_SECRET``. JSON ``{"messages": [{"id", "from",
  "text", "timestamp"}], "statuses": [{"id", "status", "timestamp"}]}`` (one message may come
  alone, unwrapped). A client's SMS joins its history (channel ``sms``) like an email reply,
  but always as evidence (``unconfirmed`` ``sender_not_authenticated``: an SMS sender can be
  forged, and no gateway vouches for it), shown on the client's drafts, never pausing them by
  itself; a status is noted on the outbox row, as for WhatsApp.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import PlainTextResponse
from sqlalchemy import select

from khazna.ledger.models import Client, Interaction, Invoice
from khazna.ledger.tables_mail import MailMessage
from khazna.mail.phone import international
from khazna.web.common import ledger_of

router = APIRouter()


def signature_ok(secret: str, body: bytes, header: str) -> bool:
    if not secret or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256="))


async def _signed_json(request: Request, secret_var: str, header: str) -> Any:
    """The JSON body of a callback whose ``header`` signs it with ``$secret_var``: 403 when
    the signature is wrong, 400 when the body is not JSON."""
    body = await request.body()
    if not signature_ok(os.environ.get(secret_var, ""), body, request.headers.get(header, "")):
        raise HTTPException(403, "bad signature")
    try:
        return json.loads(body)
    except ValueError:
        raise HTTPException(400, "not JSON") from None


def _client_phones(s) -> dict[str, str]:
    """The clients by their phone number in international form (``213…``)."""
    phones = {international(c.phone): c.client_id for c in s.scalars(select(Client))}
    phones.pop("", None)
    return phones


def _record_in(
    s, iid: str, client_id: str, text: str, when: datetime | None, channel: str, unconfirmed: str
) -> None:
    """A client's message received on ``channel``, into its history (at most once)."""
    today = datetime.now(UTC)
    at = when if when is not None and when.year > 1970 else None
    s.add(
        Interaction(
            interaction_id=iid[:60],
            client_id=client_id,
            date=(at or today).date(),
            channel=channel,
            direction="in",
            kind="",
            text=text,
            unconfirmed=unconfirmed,
            at=at.replace(tzinfo=None) if at is not None else None,
        )
    )


def _instant(value: object) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(str(value or 0)), UTC)
    except (ValueError, OverflowError, OSError):
        return None


def _note_status(s, prefix: str, st: dict) -> bool:
    row = s.scalar(
        select(MailMessage).where(MailMessage.server_reply == f"{prefix} {st.get('id', '')}")
    )
    if row is None:
        return False
    label = "WhatsApp" if prefix == "whatsapp" else "SMS"
    row.last_error = f"statut {label} : {st.get('status', '?')} ({st.get('timestamp', '')})"
    return True


@router.get("/webhooks/whatsapp", response_class=PlainTextResponse)
def verify(request: Request) -> str:
    q = request.query_params
    token = os.environ.get("KHAZNA_WHATSAPP_VERIFY_TOKEN", "")
    if q.get("hub.mode") != "subscribe" or not token or q.get("hub.verify_token") != token:
        raise HTTPException(403, "verification refused")
    return q.get("hub.challenge", "")


@router.post("/webhooks/whatsapp")
async def receive(request: Request) -> dict:
    payload = await _signed_json(request, "KHAZNA_WHATSAPP_APP_SECRET", "x-hub-signature-256")
    added, statuses, ignored = 0, 0, 0
    with ledger_of(request).session() as s:
        phones = _client_phones(s)
        for entry in payload.get("entry", []) or []:
            for change in entry.get("changes", []) or []:
                value = change.get("value", {}) or {}
                for m in value.get("messages", []) or []:
                    client_id = phones.get(str(m.get("from", "")))
                    text = str((m.get("text") or {}).get("body", ""))
                    iid = f"WA-{m.get('id', '')}"[:60]
                    if client_id is None or not text or s.get(Interaction, iid) is not None:
                        ignored += 1
                        continue
                    numbers = s.scalars(
                        select(Invoice.number).where(Invoice.client_id == client_id)
                    ).all()
                    names_one = any(n in text for n in numbers)
                    unconfirmed = "" if names_one else "no_invoice_of_client"
                    when = _instant(m.get("timestamp"))
                    _record_in(s, iid, client_id, text, when, "whatsapp", unconfirmed)
                    added += 1
                for st in value.get("statuses", []) or []:
                    if _note_status(s, "whatsapp", st):
                        statuses += 1
                    else:
                        ignored += 1
    return {"added": added, "statuses": statuses, "ignored": ignored}


def _dicts(value: object) -> list[dict]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


@router.post("/webhooks/sms")
async def receive_sms(request: Request) -> dict:
    payload = await _signed_json(request, "KHAZNA_SMS_WEBHOOK_SECRET", "x-khazna-signature")
    if not isinstance(payload, dict):
        raise HTTPException(400, "not a JSON object")
    messages = _dicts(payload.get("messages"))
    if not messages and "from" in payload:
        messages = [payload]
    added, statuses, ignored = 0, 0, 0
    with ledger_of(request).session() as s:
        phones = _client_phones(s)
        for m in messages:
            client_id = phones.get(international(str(m.get("from", ""))))
            text = str(m.get("text", "") or "")
            ref = str(m.get("id", "") or "")
            basis = ref or f"{m.get('from')}|{m.get('timestamp')}|{text}"
            iid = "SMS-" + (
                ref if ref and len(ref) <= 56 else hashlib.sha256(basis.encode()).hexdigest()[:24]
            )
            if client_id is None or not text or s.get(Interaction, iid) is not None:
                ignored += 1
                continue
            when = _instant(m.get("timestamp"))
            _record_in(s, iid, client_id, text, when, "sms", "sender_not_authenticated")
            s.flush()
            added += 1
        for st in _dicts(payload.get("statuses")):
            if _note_status(s, "sms", st):
                statuses += 1
            else:
                ignored += 1
    return {"added": added, "statuses": statuses, "ignored": ignored}
