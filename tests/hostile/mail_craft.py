"""Crafted mail for the hostile reply tests: built here, never committed."""

from __future__ import annotations

from email.message import EmailMessage

TRUSTED = "mx.atlas.example.dz"  # the owner's receiving server in these tests


def deeply_nested(levels: int = 1000, text: str = "nous paierons le 30/12/2026") -> bytes:
    """A reply whose MIME parts nest ``levels`` deep (1 000 levels: about 60 KB)."""
    head = (
        b"From: compta@sonatel.example.dz\r\nTo: gerance@atlas.example.dz\r\n"
        b"Subject: Re: relance\r\nMessage-ID: <deep@sonatel.example.dz>\r\nMIME-Version: 1.0\r\n"
    )
    opens = b"".join(
        b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (i, i)
        for i in range(levels)
    )
    inner = b"Content-Type: text/plain\r\n\r\n" + text.encode() + b"\r\n"
    closes = b"".join(b"\r\n--b%d--\r\n" % i for i in reversed(range(levels)))
    return head + opens + inner + closes


def reply(
    text: str,
    *,
    sender: str = "compta@sonatel.example.dz",
    message_id: str = "<r@sonatel.example.dz>",
    date: str = "Tue, 10 Mar 2026 09:30:00 +0100",
    auth: list[str] | None = None,
    in_reply_to: str = "",
    html: str | None = None,
) -> bytes:
    """A client's reply; ``auth``: Authentication-Results values, top first."""
    msg = EmailMessage()
    for value in auth or []:
        msg["Authentication-Results"] = value
    msg["From"] = sender
    msg["To"] = "gerance@atlas.example.dz"
    msg["Subject"] = "Re: relance"
    msg["Date"] = date
    msg["Message-ID"] = message_id
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
    if html is not None:
        msg.set_content(html, subtype="html")
    else:
        msg.set_content(text)
    return bytes(msg)


def passing(domain: str = "sonatel.example.dz", server: str = TRUSTED) -> str:
    return (
        f"{server}; dkim=pass header.d={domain}; spf=pass smtp.mailfrom=compta@{domain}; "
        f"dmarc=pass header.from={domain}"
    )
