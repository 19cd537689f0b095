"""Outgoing messages: one function that builds a complete, standards-clean ``EmailMessage``.

Subjects and bodies are UTF-8 (French accents, Arabic). The structure is::

    multipart/mixed
      multipart/alternative
        text/plain
        multipart/related        (only with inline images)
          text/html              (references the images by ``cid:``)
          image/png
      application/pdf            (attachments)

The ``Message-ID`` is generated here once; the outbox stores the exact bytes, so a retry
sends the same message with the same id.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses, make_msgid, parseaddr
from html import escape

from khazna.config import Environ, mail_from
from khazna.ledger.models import Company

# 7-bit on the wire: non-ASCII bodies go quoted-printable or base64, so no relay needs
# 8BITMIME and the stored bytes are exactly what any server receives.
BUILD_POLICY = policy.default.clone(cte_type="7bit")
# Headers are folded at RFC 5322's hard limit (998), not at 78: the stdlib's folding of a
# header mixing plain words and RFC 2047 encoded words (a subject with « – » or Arabic) may
# double the space at the fold, so « F2026-0412) – Atlas » reached the client as
# « F2026-0412)  – Atlas »; unfolded, the subject reads back exactly as approved.
WIRE_POLICY = policy.SMTP.clone(cte_type="7bit", max_line_length=998)

RLM = "\u200f"  # RIGHT-TO-LEFT MARK: makes a plain-text paragraph start right-to-left
RTL_LANGUAGES = frozenset({"ar"})


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mime_type: str = "application/pdf"


@dataclass(frozen=True)
class InlineImage:
    """An image shown inside the HTML part; the HTML refers to it as ``cid:<cid>``."""

    cid: str
    content: bytes
    mime_type: str = "image/png"


class MessageError(ValueError):
    """A message that cannot be built as asked (bad address, missing image, ...)."""


def addr_spec(address: str) -> str:
    """``'Sarl Atlas <compta@atlas.dz>'`` → ``'compta@atlas.dz'`` (lower-cased domain kept as is)."""
    return parseaddr(address)[1]


def sender_address(company: Company | None, environ: Environ | None = None) -> str:
    """The From of every outgoing message: ``$KHAZNA_MAIL_FROM``, else the company's own
    address, else ``khazna@localhost``."""
    return mail_from(environ) or (company.email if company else "") or "khazna@localhost"


def domain_of(address: str) -> str:
    spec = addr_spec(address)
    return spec.rpartition("@")[2] if "@" in spec else ""


def _check_addresses(field: str, values: Sequence[str]) -> list[str]:
    out = []
    for value in values:
        if "\n" in value or "\r" in value:
            raise MessageError(f"{field} : saut de ligne dans l'adresse {value!r}")
        pairs = getaddresses([value])
        if len(pairs) != 1 or "@" not in pairs[0][1] or " " in pairs[0][1]:
            raise MessageError(f"{field} : pas une adresse électronique : {value!r}")
        out.append(value.strip())
    return out


def envelope_recipients(msg: EmailMessage) -> list[str]:
    """The addr-specs of To and Cc, without duplicates, in order."""
    seen: dict[str, str] = {}
    for field in ("To", "Cc"):
        for _name, spec in getaddresses(msg.get_all(field, [])):
            if spec:
                seen.setdefault(spec.lower(), spec)
    return list(seen.values())


def rtl_plain_text(text: str) -> str:
    """Each non-empty line starts with an RLM, so mail readers lay the paragraph out right to
    left even when it begins with a Latin invoice number or a figure."""
    return "\n".join(
        line if not line.strip() or line.startswith(RLM) else RLM + line
        for line in text.split("\n")
    )


_HTML_TAG = re.compile(r"<html\b([^>]*)>", re.IGNORECASE)


def html_document(html: str, language: str) -> str:
    """A full HTML document with ``lang`` (and ``dir="rtl"`` for Arabic).

    A fragment is wrapped; a full document gets the attributes added to its ``<html>`` tag
    when it does not carry them already."""
    lang = escape(language or "fr", quote=True)
    direction = "rtl" if language in RTL_LANGUAGES else "ltr"
    match = _HTML_TAG.search(html)
    if match is None:
        return (
            f'<!DOCTYPE html>\n<html lang="{lang}" dir="{direction}">\n'
            '<head><meta charset="utf-8"></head>\n'
            f"<body>\n{html}\n</body>\n</html>\n"
        )
    attrs = match.group(1)
    extra = ""
    if not re.search(r"\blang\s*=", attrs, re.IGNORECASE):
        extra += f' lang="{lang}"'
    if not re.search(r"\bdir\s*=", attrs, re.IGNORECASE):
        extra += f' dir="{direction}"'
    return html[: match.start()] + f"<html{attrs}{extra}>" + html[match.end() :]


def build_message(
    *,
    sender: str,
    to: Sequence[str],
    subject: str,
    text: str,
    cc: Sequence[str] = (),
    reply_to: str | None = None,
    html: str | None = None,
    inline_images: Sequence[InlineImage] = (),
    attachments: Sequence[Attachment] = (),
    language: str = "fr",
    message_id: str | None = None,
    date: datetime | None = None,
) -> EmailMessage:
    """A complete message. ``message_id`` is generated with the sender's domain when not given;
    ``date`` defaults to now (UTC). Raises :class:`MessageError` on a bad address, an empty
    recipient list, or an inline image the HTML does not reference."""
    (from_,) = _check_addresses("From", [sender])
    to_list = _check_addresses("To", to)
    cc_list = _check_addresses("Cc", cc)
    if not to_list:
        raise MessageError("À : il faut au moins un destinataire")
    if inline_images and html is None:
        raise MessageError("inline images need an HTML part")

    msg = EmailMessage(policy=BUILD_POLICY)
    # A subject written by a model may carry line breaks: header injection is refused by the
    # email package, so fold them into spaces instead of failing.
    msg["Subject"] = " ".join(subject.split())
    msg["From"] = from_
    msg["To"] = ", ".join(to_list)
    if cc_list:
        msg["Cc"] = ", ".join(cc_list)
    if reply_to:
        msg["Reply-To"] = _check_addresses("Reply-To", [reply_to])[0]
    msg["Date"] = format_datetime(date or datetime.now(UTC))
    domain = domain_of(from_) or "localhost"
    msg["Message-ID"] = message_id or make_msgid(domain=domain)
    body = rtl_plain_text(text) if language in RTL_LANGUAGES else text
    msg.set_content(body, subtype="plain", charset="utf-8")

    if html is not None:
        msg.add_alternative(html_document(html, language), subtype="html", charset="utf-8")
        html_part = msg.get_body(preferencelist=("html",))
        assert isinstance(html_part, EmailMessage)
        for image in inline_images:
            if f"cid:{image.cid}" not in html:
                raise MessageError(f"inline image {image.cid!r} is not referenced in the HTML")
            maintype, _, subtype = image.mime_type.partition("/")
            html_part.add_related(
                image.content,
                maintype=maintype,
                subtype=subtype,
                cid=f"<{image.cid}>",
                disposition="inline",
            )

    for att in attachments:
        maintype, _, subtype = att.mime_type.partition("/")
        msg.add_attachment(att.content, maintype=maintype, subtype=subtype, filename=att.filename)
    if language:
        # After the parts: set_content() clears every Content-* header of the message.
        msg["Content-Language"] = language
    return msg


def to_bytes(msg: EmailMessage) -> bytes:
    """The exact bytes sent and stored (CRLF line ends, 7-bit: headers RFC 2047-encoded)."""
    return msg.as_bytes(policy=WIRE_POLICY)
