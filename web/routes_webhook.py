"""``/webhooks/whatsapp``: the WhatsApp Cloud API's callbacks, verified by their signature.

- ``GET``: Meta's subscription check (``hub.verify_token`` = ``KHAZNA_WHATSAPP_VERIFY_TOKEN``).
- ``POST``: refused (403) unless ``X-Hub-Signature-256`` is ``sha256=`` + the HMAC-SHA256 of the
  exact body with the app secret (``KHAZNA_WHATSAPP_APP_SECRET``). A client's text message
  joins the client's history (an ``interactions`` row, channel ``whatsapp``; it pauses nothing
  by itself: kind ``''``, and ``no_invoice_of_client`` unless it names one of the client's
  invoices); a status callback (sent, delivered, read, failed) is noted on the outbox row of
  that message — the outbox state itself is not changed by it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from datetime import UTC, datetime

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


@router.get("/webhooks/whatsapp", response_class=PlainTextResponse)
def verify(request: Request) -> str:
    q = request.query_params
    token = os.environ.get("KHAZNA_WHATSAPP_VERIFY_TOKEN", "")
    if q.get("hub.mode") != "subscribe" or not token or q.get("hub.verify_token") != token:
        raise HTTPException(403, "verification refused")
    return q.get("hub.challenge", "")


@router.post("/webhooks/whatsapp")
async def receive(request: Request) -> dict:
    body = await request.body()
    secret = os.environ.get("KHAZNA_WHATSAPP_APP_SECRET", "")
    if not signature_ok(secret, body, request.headers.get("x-hub-signature-256", "")):
        raise HTTPException(403, "bad signature")
    try:
        payload = json.loads(body)
    except ValueError:
        raise HTTPException(400, "not JSON") from None
    added, statuses, ignored = 0, 0, 0
    with ledger_of(request).session() as s:
        phones = {international(c.phone): c.client_id for c in s.scalars(select(Client))}
        phones.pop("", None)
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
                    when = datetime.fromtimestamp(int(m.get("timestamp") or 0) or 0, UTC)
                    numbers = s.scalars(
                        select(Invoice.number).where(Invoice.client_id == client_id)
                    ).all()
                    names_one = any(n in text for n in numbers)
                    s.add(
                        Interaction(
                            interaction_id=iid,
                            client_id=client_id,
                            date=when.date() if when.year > 1970 else datetime.now(UTC).date(),
                            channel="whatsapp",
                            direction="in",
                            kind="",
                            text=text,
                            unconfirmed="" if names_one else "no_invoice_of_client",
                            at=when.replace(tzinfo=None) if when.year > 1970 else None,
                        )
                    )
                    added += 1
                for st in value.get("statuses", []) or []:
                    row = s.scalar(
                        select(MailMessage).where(
                            MailMessage.server_reply == f"whatsapp {st.get('id', '')}"
                        )
                    )
                    if row is None:
                        ignored += 1
                        continue
                    row.last_error = (
                        f"statut WhatsApp : {st.get('status', '?')} ({st.get('timestamp', '')})"
                    )
                    statuses += 1
    return {"added": added, "statuses": statuses, "ignored": ignored}
