"""WhatsApp (Business Cloud API) and SMS (a generic HTTP gateway) transports for the outbox.

Each queued row's ``raw`` is a JSON *part* (:func:`text_part`, :func:`document_part`), kept
exactly as approved; the transport turns it into the provider's request. The outbox protocol
is the email one (intent committed before, confirmation after, a row left ``sending`` by a
crash becomes ``unconfirmed``, never resent on its own). How an HTTP answer maps to it:

- no connection (refused, DNS, connect timeout), HTTP 429, a media upload refused: nothing
  reached the client → :class:`TemporaryDeliveryError` (retried with backoff);
- HTTP 4xx on the message itself (bad number, token, outside the 24-hour window) →
  :class:`PermanentDeliveryError` with the API's message;
- a read timeout, a broken connection, HTTP 5xx, a 2xx without a message id → the request
  may have been taken → :class:`UncertainDeliveryError`.

WhatsApp settings (environment): ``KHAZNA_WHATSAPP_TOKEN``, ``KHAZNA_WHATSAPP_PHONE_NUMBER_ID``,
``KHAZNA_WHATSAPP_API_BASE`` (default ``https://graph.facebook.com``),
``KHAZNA_WHATSAPP_API_VERSION`` (default ``v21.0``). SMS: ``KHAZNA_SMS_GATEWAY_URL``,
``KHAZNA_SMS_TOKEN`` (Bearer, optional), ``KHAZNA_SMS_SENDER``.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage

import httpx

from khazna.mail.transport import (
    PermanentDeliveryError,
    SendResult,
    TemporaryDeliveryError,
    Transport,
    UncertainDeliveryError,
)

DEFAULT_GRAPH = "https://graph.facebook.com"
DEFAULT_VERSION = "v21.0"


def text_part(to: str, text: str, reference: str = "") -> dict:
    return {"part": "text", "to": to, "text": text, "reference": reference}


def template_part(
    to: str, name: str, language: str, parameters: Sequence[str], text: str, reference: str = ""
) -> dict:
    """An approved WhatsApp template (the only message the Cloud API takes outside the
    24-hour window); ``text`` is the filled body, as the owner saw it before approving."""
    return {
        "part": "template",
        "to": to,
        "name": name,
        "language": language,
        "parameters": list(parameters),
        "text": text,
        "reference": reference,
    }


def document_part(to: str, filename: str, content: bytes, caption: str = "") -> dict:
    return {
        "part": "document",
        "to": to,
        "filename": filename,
        "caption": caption,
        "media_type": "application/pdf",
        "content_b64": base64.b64encode(content).decode("ascii"),
    }


def _part(msg: EmailMessage | bytes) -> dict:
    if not isinstance(msg, bytes):
        raise PermanentDeliveryError("an email cannot be sent on this channel")
    try:
        part = json.loads(msg)
    except ValueError:
        raise PermanentDeliveryError("the queued message is not a channel message") from None
    if not isinstance(part, dict) or part.get("part") not in ("text", "document", "template"):
        raise PermanentDeliveryError("the queued message is not a channel message")
    return part


def _api_error(resp: httpx.Response) -> str:
    try:
        err = resp.json().get("error", {})
        return (
            f"HTTP {resp.status_code}: (#{err.get('code', '?')}) {err.get('message', '')}".strip()
        )
    except (ValueError, AttributeError):
        return f"HTTP {resp.status_code}: {resp.text[:300]}"


@dataclass(frozen=True)
class WhatsAppSettings:
    token: str = field(repr=False)
    phone_number_id: str
    api_base: str = DEFAULT_GRAPH
    api_version: str = DEFAULT_VERSION
    timeout: float = 30.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> WhatsAppSettings | None:
        env = os.environ if env is None else env
        token = env.get("KHAZNA_WHATSAPP_TOKEN", "").strip()
        number_id = env.get("KHAZNA_WHATSAPP_PHONE_NUMBER_ID", "").strip()
        if not (token and number_id):
            return None
        return cls(
            token=token,
            phone_number_id=number_id,
            api_base=(env.get("KHAZNA_WHATSAPP_API_BASE", "").strip() or DEFAULT_GRAPH).rstrip("/"),
            api_version=env.get("KHAZNA_WHATSAPP_API_VERSION", "").strip() or DEFAULT_VERSION,
        )

    def url(self, edge: str) -> str:
        return f"{self.api_base}/{self.api_version}/{self.phone_number_id}/{edge}"


class WhatsAppTransport:
    """One queued part → one Cloud API message (a document is uploaded first, then sent)."""

    channel = "whatsapp"

    def __init__(self, settings: WhatsAppSettings) -> None:
        self.settings = settings
        self.name = f"whatsapp:{settings.phone_number_id}"

    def delivered(self, message_id: str) -> bool | None:  # noqa: ARG002 - protocol
        return None  # the API has no lookup by our id: the owner decides

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.settings.token}"}

    async def _upload(self, client: httpx.AsyncClient, part: dict) -> str:
        content = base64.b64decode(part["content_b64"])
        try:
            resp = await client.post(
                self.settings.url("media"),
                headers=self._headers(),
                data={"messaging_product": "whatsapp", "type": part["media_type"]},
                files={"file": (part["filename"], content, part["media_type"])},
            )
        except httpx.HTTPError as err:  # an upload reaches nobody: safe to retry
            raise TemporaryDeliveryError(f"media upload: {type(err).__name__}: {err}") from None
        if resp.status_code >= 400:
            reason = "media upload: " + _api_error(resp)
            if resp.status_code == 429 or resp.status_code >= 500:
                raise TemporaryDeliveryError(reason, resp.status_code)
            raise PermanentDeliveryError(reason, resp.status_code)
        media_id = str((resp.json() or {}).get("id") or "")
        if not media_id:
            raise TemporaryDeliveryError("media upload: no media id in the answer")
        return media_id

    async def send(
        self, msg: EmailMessage | bytes, *, recipients: Sequence[str] | None = None
    ) -> SendResult:
        part = _part(msg)
        to = part["to"]
        async with httpx.AsyncClient(timeout=self.settings.timeout) as client:
            body: dict = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to}
            if part["part"] == "text":
                body |= {"type": "text", "text": {"preview_url": False, "body": part["text"]}}
            elif part["part"] == "template":
                params = [{"type": "text", "text": p} for p in part["parameters"]]
                template = {
                    "name": part["name"],
                    "language": {"code": part["language"]},
                    "components": [{"type": "body", "parameters": params}],
                }
                body |= {"type": "template", "template": template}
            else:
                media_id = await self._upload(client, part)
                document = {"id": media_id, "filename": part["filename"]}
                if part.get("caption"):
                    document["caption"] = part["caption"]
                body |= {"type": "document", "document": document}
            resp = await _post(client, self.settings.url("messages"), body, self._headers())
        try:
            wamid = str(resp.json()["messages"][0]["id"])
        except (ValueError, KeyError, IndexError, TypeError):
            raise UncertainDeliveryError(
                f"HTTP {resp.status_code} without a message id: {resp.text[:200]}"
            ) from None
        return SendResult(message_id=wamid, accepted=(to,), reply=f"whatsapp {wamid}")


async def _post(client: httpx.AsyncClient, url: str, body: dict, headers: dict) -> httpx.Response:
    try:
        resp = await client.post(url, json=body, headers=headers)
    except (httpx.ConnectError, httpx.ConnectTimeout, httpx.UnsupportedProtocol) as err:
        raise TemporaryDeliveryError(f"{type(err).__name__}: {err}") from None
    except httpx.HTTPError as err:  # sent, answer lost: may have been delivered
        raise UncertainDeliveryError(f"{type(err).__name__}: {err}") from None
    if resp.status_code == 429:
        raise TemporaryDeliveryError(_api_error(resp), 429)
    if 400 <= resp.status_code < 500:
        raise PermanentDeliveryError(_api_error(resp), resp.status_code)
    if resp.status_code >= 500:
        raise UncertainDeliveryError(_api_error(resp), resp.status_code)
    return resp


@dataclass(frozen=True)
class SmsSettings:
    url: str
    token: str = field(default="", repr=False)
    sender: str = ""
    timeout: float = 30.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SmsSettings | None:
        env = os.environ if env is None else env
        url = env.get("KHAZNA_SMS_GATEWAY_URL", "").strip()
        if not url:
            return None
        return cls(
            url=url,
            token=env.get("KHAZNA_SMS_TOKEN", "").strip(),
            sender=env.get("KHAZNA_SMS_SENDER", "").strip(),
        )


class SmsTransport:
    """A generic HTTP SMS gateway: ``POST url`` with ``{"to", "from", "text", "reference"}``
    (JSON, Bearer token when set, ``Idempotency-Key`` = the outbox's id); any 2xx is taken,
    its ``id`` (or ``message_id``) kept."""

    channel = "sms"

    def __init__(self, settings: SmsSettings) -> None:
        self.settings = settings
        self.name = f"sms:{httpx.URL(settings.url).host}"

    def delivered(self, message_id: str) -> bool | None:  # noqa: ARG002 - protocol
        return None

    async def send(
        self, msg: EmailMessage | bytes, *, recipients: Sequence[str] | None = None
    ) -> SendResult:
        part = _part(msg)
        if part["part"] != "text":
            raise PermanentDeliveryError("an SMS carries text only")
        headers = {"Idempotency-Key": part.get("reference", "")}
        if self.settings.token:
            headers["Authorization"] = f"Bearer {self.settings.token}"
        body = {
            "to": "+" + part["to"],
            "from": self.settings.sender,
            "text": part["text"],
            "reference": part.get("reference", ""),
        }
        async with httpx.AsyncClient(timeout=self.settings.timeout) as client:
            resp = await _post(client, self.settings.url, body, headers)
        try:
            data = resp.json()
            ref = str(data.get("id") or data.get("message_id") or "")
        except (ValueError, AttributeError):
            ref = ""
        return SendResult(message_id=ref, accepted=(part["to"],), reply=f"sms {ref}".strip())


def channel_transport_from_env(
    channel: str, env: Mapping[str, str] | None = None
) -> Transport | None:
    """The configured transport of ``whatsapp`` or ``sms``; None when the owner has none
    (he then sends by hand: the wa.me link, or his phone)."""
    if channel == "whatsapp":
        wa = WhatsAppSettings.from_env(env)
        return WhatsAppTransport(wa) if wa else None
    if channel == "sms":
        sms = SmsSettings.from_env(env)
        return SmsTransport(sms) if sms else None
    return None
