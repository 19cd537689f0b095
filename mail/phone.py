"""Phone numbers in the international form the messaging channels want, and the
click-to-chat link (``https://wa.me/<number>?text=…``).

Algerian numbers as books write them — ``0555 12 34 56``, ``+213 555 12 34 56``,
``00213555123456``, ``213-555-12-34-56`` — become ``213555123456`` (no ``+``, no spaces, as
wa.me and the WhatsApp Cloud API take them). A number that does not read as one is ``''``.
"""

from __future__ import annotations

import re
from urllib.parse import quote

CHANNELS = ("email", "whatsapp", "sms")
CHANNEL_LABELS = {"email": "e-mail", "whatsapp": "WhatsApp", "sms": "SMS"}


def international(phone: str, country: str = "213") -> str:
    """``phone`` as digits with its country code (``213…``), or ``''`` when it is not a
    phone number (too short, too long, letters)."""
    text = phone.strip()
    if not text or re.search(r"[^\d\s+().\-/]", text):
        return ""
    plus = text.startswith("+")
    digits = re.sub(r"\D", "", text)
    if plus:
        pass
    elif digits.startswith("00"):
        digits = digits[2:]
    elif digits.startswith("0"):
        digits = country + digits[1:]
    elif not digits.startswith(country) and len(digits) == 9:
        digits = country + digits
    if digits.startswith(country + "0"):  # "+213 0555 …": the trunk 0 written after the code
        digits = country + digits[len(country) + 1 :]
    if not 8 <= len(digits) <= 15:
        return ""
    if digits.startswith(country) and len(digits) not in (len(country) + 8, len(country) + 9):
        return ""
    return digits


def wa_me_link(phone: str, text: str) -> str:
    """The click-to-chat link that opens WhatsApp on ``phone`` with ``text`` typed in
    (the owner presses send); ``''`` when the phone is not a number."""
    number = international(phone)
    if not number:
        return ""
    return f"https://wa.me/{number}?text={quote(text, safe='')}"
