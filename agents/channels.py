"""Where a reminder goes: the client's channel (``email`` by default, ``whatsapp``, ``sms``),
the draft's override, and the click-to-chat path for an owner without the WhatsApp API.

The approval rule is the same on every channel: the text that leaves (or that the wa.me link
types in) is the approved text, and a draft marked sent by hand is recorded as such — never
as delivered.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from khazna import prompts
from khazna.labels import DRAFT_STATUS, label
from khazna.ledger.models import Client, Interaction
from khazna.ledger.tables_agents import Draft, DraftStatus
from khazna.mail.phone import CHANNEL_LABELS, CHANNELS, international, wa_me_link
from khazna.money import format_dzd
from khazna.text import isolate_latin

MANUAL_NOTE = "marquée envoyée à la main"


class ChannelError(ValueError):
    """A channel that cannot be set (unknown client, draft already decided, bad name)."""


def check_channel(channel: str, *, allow_empty: bool = False) -> str:
    value = channel.strip().lower()
    if allow_empty and value in ("", "client", "default"):
        return ""
    if value not in CHANNELS:
        raise ChannelError(f"canal {channel!r} inconnu : {', '.join(CHANNELS)}")
    return value


def client_channel(session: Session, client_id: str) -> str:
    client = session.get(Client, client_id)
    return (client.channel if client is not None else "") or "email"


def draft_channel(session: Session, draft: Draft) -> str:
    """The draft's own channel, else its client's."""
    return draft.channel or client_channel(session, draft.client_id)


def set_client_channel(session: Session, client_id: str, channel: str) -> Client:
    client = session.get(Client, client_id)
    if client is None:
        raise ChannelError(f"client {client_id!r} inconnu")
    value = check_channel(channel)
    if value in ("whatsapp", "sms") and not international(client.phone):
        raise ChannelError(
            f"{client_id} n'a pas de numéro de téléphone utilisable ({client.phone!r}) : "
            f"impossible de le relancer par {CHANNEL_LABELS[value]}"
        )
    client.channel = value
    return client


def set_draft_channel(session: Session, draft_id: str, channel: str) -> Draft:
    """Override the channel of a draft still waiting for approval (``''``: the client's)."""
    d = session.get(Draft, draft_id)
    if d is None:
        raise ChannelError(f"relance {draft_id!r} inconnue")
    if d.status != DraftStatus.PENDING_APPROVAL:
        raise ChannelError(
            f"relance {draft_id} déjà {label(DRAFT_STATUS, d.status)} : son canal ne change plus"
        )
    value = check_channel(channel, allow_empty=True)
    if value in ("whatsapp", "sms"):
        client = session.get(Client, d.client_id)
        if client is None or not international(client.phone):
            raise ChannelError(f"{d.client_id} n'a pas de numéro de téléphone utilisable")
    d.channel = value
    return d


def client_phone(session: Session, client_id: str) -> str:
    client = session.get(Client, client_id)
    return international(client.phone) if client is not None else ""


def click_to_chat(session: Session, d: Draft) -> str:
    """The wa.me link of an approved WhatsApp draft, with the approved (short) text; ``''``
    before approval — nothing may be typed for the client before the owner approved it."""
    if draft_channel(session, d) != "whatsapp" or d.status not in (
        DraftStatus.APPROVED,
        DraftStatus.SENT,
    ):
        return ""
    client = session.get(Client, d.client_id)
    return wa_me_link(client.phone, d.short) if client is not None else ""


def mark_sent_by_hand(session: Session, draft_id: str, by: str = "owner") -> Draft:
    """The owner sent an approved draft himself (wa.me link, phone): the draft becomes
    ``sent`` with the note « marquée envoyée à la main » — nothing says it was delivered."""
    d = session.get(Draft, draft_id)
    if d is None:
        raise ChannelError(f"relance {draft_id!r} inconnue")
    if d.status != DraftStatus.APPROVED:
        raise ChannelError(
            f"relance {draft_id} : {d.status}, pas approuvée — seule une relance approuvée "
            "peut être marquée envoyée"
        )
    if d.message_id:
        raise ChannelError(
            f"relance {draft_id} : déjà confiée à l'envoi automatique ({d.message_id}) ; "
            "voir khazna mail-outbox"
        )
    now = datetime.now(UTC).replace(tzinfo=None)
    d.status = DraftStatus.SENT
    d.sent_at = now
    d.decision_note = (
        d.decision_note + f"; {MANUAL_NOTE} par {by} le {now:%d/%m/%Y %H:%M} UTC"
    ).strip("; ")
    return d


# --- the WhatsApp 24-hour customer-service window ------------------------------------------

WHATSAPP_WINDOW = timedelta(hours=24)


def whatsapp_window_open(session: Session, client_id: str, now: datetime | None = None) -> bool:
    """Whether the client wrote to us on WhatsApp in the last 24 hours (the Cloud API then
    takes a free-form message; outside it, only an approved template)."""
    now = (now or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
    last = session.scalar(
        select(func.max(Interaction.at)).where(
            Interaction.client_id == client_id,
            Interaction.channel == "whatsapp",
            Interaction.direction == "in",
        )
    )
    return last is not None and now - last <= WHATSAPP_WINDOW


@dataclass(frozen=True)
class TemplateMessage:
    """An approved WhatsApp template filled with the draft's facts: what the client reads."""

    name: str
    language: str
    parameters: tuple[str, ...]
    text: str


def whatsapp_template(d: Draft, environ: Mapping[str, str] | None = None) -> TemplateMessage:
    """The template message for draft ``d`` (its language's file under prompts/dunning/),
    its parameters taken from the draft's facts, never from the model's text."""
    env = os.environ if environ is None else environ
    lang = d.language if d.language in ("fr", "ar") else "fr"
    spec = yaml.safe_load(prompts.load("dunning", "whatsapp_template", lang, ext="yaml"))
    facts = d.facts or {}
    sep = "، " if lang == "ar" else ", "
    numbers = list(d.invoice_numbers)
    word = ("الفاتورة" if len(numbers) == 1 else "الفواتير") if lang == "ar" else (
        "la facture" if len(numbers) == 1 else "les factures")  # fmt: skip
    total = Decimal(str(facts.get("total", d.total)))
    values = {
        "company": str(facts.get("company_name", "")),
        "invoices": f"{word} {sep.join(numbers)}",
        "total": format_dzd(total, symbol="دج" if lang == "ar" else "DA"),
    }
    params = tuple(values[k] for k in spec["parameters"])
    text = spec["body"]
    for i, value in enumerate(params, start=1):
        text = text.replace("{{" + str(i) + "}}", value)
    if lang == "ar":
        text = isolate_latin(text)
    name = env.get("KHAZNA_WHATSAPP_TEMPLATE", "").strip() or spec["name"]
    return TemplateMessage(name=name, language=spec["language"], parameters=params, text=text)
