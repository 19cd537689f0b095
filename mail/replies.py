"""Clients' replies to our mail: read, matched to a client, written as interactions.

Sources: ``.eml`` files dropped in a folder (``$KHAZNA_HOME/replies/`` by default) and, when
configured, an IMAP mailbox (read-only, over SSL). A reply is matched to the message it
answers through ``In-Reply-To``/``References`` against ``mail_messages.message_id``, else
through its sender's address against the clients' emails.

Reply text is untrusted data: it is stored (quoted history stripped) and classified by
:func:`khazna.tools.notes.infer_kind`; nothing in it is ever obeyed.
"""

from __future__ import annotations

import hashlib
import imaplib
import logging
import os
import re
import ssl
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parseaddr, parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from khazna.ledger.models import Client, Interaction
from khazna.ledger.tables_mail import MailMessage

log = logging.getLogger(__name__)

MAX_TEXT = 10_000  # characters kept of one reply


@dataclass(frozen=True)
class Reply:
    client_id: str
    date: date
    text: str
    in_reply_to: str
    ref: str
    message_id: str = ""
    sender: str = ""
    matched_by: str = ""  # "thread" or "sender"


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)  # interaction ids
    already: int = 0
    unmatched: list[str] = field(default_factory=list)  # "source: reason"
    replies: list[Reply] = field(default_factory=list)


@dataclass(frozen=True)
class ImapSettings:
    host: str
    user: str
    password: str = field(repr=False)
    port: int = 993
    mailbox: str = "INBOX"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ImapSettings | None:
        """The IMAP settings, or None when ``KHAZNA_IMAP_HOST`` is not set."""
        env = os.environ if env is None else env
        host = env.get("KHAZNA_IMAP_HOST", "").strip()
        if not host:
            return None
        user, password = env.get("KHAZNA_IMAP_USER", ""), env.get("KHAZNA_IMAP_PASSWORD", "")
        if not user or not password:
            raise ValueError(
                "KHAZNA_IMAP_USER and KHAZNA_IMAP_PASSWORD are required with KHAZNA_IMAP_HOST"
            )
        port = env.get("KHAZNA_IMAP_PORT", "993").strip()
        if not port.isdigit():
            raise ValueError(f"KHAZNA_IMAP_PORT={port!r}: not a port number")
        return cls(host, user, password, int(port), env.get("KHAZNA_IMAP_MAILBOX", "INBOX"))


# --- sources -----------------------------------------------------------------------------


def read_folder(folder: Path | str) -> list[tuple[str, bytes]]:
    """``(file name, bytes)`` of every ``.eml`` in ``folder`` (sorted; none if it is missing)."""
    path = Path(folder)
    if not path.is_dir():
        return []
    return [(p.name, p.read_bytes()) for p in sorted(path.glob("*.eml")) if p.is_file()]


_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def fetch_imap(
    settings: ImapSettings,
    *,
    since: date,
    imap_factory: Callable[..., imaplib.IMAP4] | None = None,
) -> list[tuple[str, bytes]]:
    """Messages received since ``since``, read without marking them seen (``BODY.PEEK``)."""
    factory = imap_factory or (
        lambda host, port: imaplib.IMAP4_SSL(host, port, ssl_context=ssl.create_default_context())
    )
    conn = factory(settings.host, settings.port)
    out: list[tuple[str, bytes]] = []
    try:
        conn.login(settings.user, settings.password)
        conn.select(settings.mailbox, readonly=True)
        criterion = f"{since.day:02d}-{_MONTHS[since.month - 1]}-{since.year}"
        typ, data = conn.search(None, "SINCE", criterion)
        if typ != "OK":
            raise OSError(f"IMAP search failed: {data!r}")
        for num in (data[0] or b"").split():
            typ, parts = conn.fetch(num.decode(), "(BODY.PEEK[])")
            for part in parts or []:
                if isinstance(part, tuple) and len(part) >= 2:
                    out.append((f"imap:{settings.mailbox}:{num.decode()}", bytes(part[1])))
    finally:
        try:
            conn.logout()
        except Exception:  # noqa: BLE001 - the messages are read; logout is courtesy
            pass
    return out


# --- text --------------------------------------------------------------------------------


class _TextOfHtml(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs) -> None:  # noqa: ARG002
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in ("br", "p", "div", "tr", "li", "blockquote"):
            self.chunks.append("\n")

    def handle_endtag(self, tag) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data) -> None:
        if not self._skip:
            self.chunks.append(data)


def _html_to_text(html: str) -> str:
    # A reply client puts the quoted history in a <blockquote>: drop it before flattening.
    html = re.sub(r"(?is)<blockquote\b.*?</blockquote>", "", html)
    parser = _TextOfHtml()
    parser.feed(html)
    return "".join(parser.chunks)


def body_text(msg: EmailMessage) -> str:
    """The plain-text body (from the HTML part when there is no plain one)."""
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeError):
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""
    if not isinstance(content, str):
        return ""
    return _html_to_text(content) if part.get_content_subtype() == "html" else content


_ATTRIBUTION = [
    re.compile(r"^\s*Le\b.{0,300}\ba\s+écrit\s*:\s*$", re.IGNORECASE | re.DOTALL),
    re.compile(r"^\s*On\b.{0,300}\bwrote\s*:\s*$", re.IGNORECASE | re.DOTALL),
    re.compile(r"^[\s\u200e\u200f]*في\s.{0,300}كتب.{0,300}:\s*$", re.DOTALL),
    re.compile(
        r"^\s*-{2,}\s*(original message|message d'origine|message original|"
        r"forwarded message|message transféré)\s*-{2,}\s*$",
        re.IGNORECASE,
    ),
]
_HEADER_BLOCK = re.compile(r"^\s*(De|From)\s*:", re.IGNORECASE)
_HEADER_NEXT = re.compile(r"^\s*(Envoyé|Sent|Date|Objet|Subject|À|To)\s*:", re.IGNORECASE)


def _quoted(line: str) -> bool:
    return line.lstrip(" \t\u200e\u200f").startswith(">")


def new_text(body: str) -> str:
    """The part of a reply its author wrote: the quoted history ("> ..."), the attribution
    line ("Le ... a écrit :", "On ... wrote:", "... كتب ...:", which mail clients may wrap
    over two lines), an Outlook header block and the signature are cut."""
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cut = len(lines)
    for i, line in enumerate(lines):
        if line.rstrip() == "--":  # "-- " signature delimiter
            cut = i
            break
        one = line
        two = f"{line} {lines[i + 1]}" if i + 1 < len(lines) else line
        if not _quoted(line) and any(rx.match(one) or rx.match(two) for rx in _ATTRIBUTION):
            cut = i
            break
        if _HEADER_BLOCK.match(line) and any(_HEADER_NEXT.match(x) for x in lines[i + 1 : i + 4]):
            cut = i
            break
    kept = [ln.rstrip() for ln in lines[:cut] if not _quoted(ln)]
    text = "\n".join(kept).strip()
    return re.sub(r"\n{3,}", "\n\n", text)[:MAX_TEXT]


# --- matching ----------------------------------------------------------------------------

_MSGID = re.compile(r"<[^<>\s]+>")


def thread_ids(msg: EmailMessage) -> list[str]:
    """Message-IDs this message answers: In-Reply-To first, then References newest first."""
    ids = _MSGID.findall(str(msg.get("In-Reply-To", "")))
    ids += list(reversed(_MSGID.findall(str(msg.get("References", "")))))
    seen: dict[str, None] = {}
    for i in ids:
        seen.setdefault(i, None)
    return list(seen)


def _clients_by_email(session: Session) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for client_id, emails in session.execute(select(Client.client_id, Client.email)):
        for email in re.split(r"[,;\s]+", emails or ""):
            spec = parseaddr(email)[1].lower()
            if spec:
                out.setdefault(spec, set()).add(client_id)
    return out


def match_reply(
    session: Session,
    raw: bytes,
    *,
    fallback_date: date,
    clients_by_email: dict[str, set[str]] | None = None,
) -> Reply | str:
    """The :class:`Reply` for ``raw``, or a reason why it matches no client."""
    msg = message_from_bytes(raw, policy=policy.default)
    assert isinstance(msg, EmailMessage)
    sender = parseaddr(str(msg.get("From", "")))[1].lower()
    ids = thread_ids(msg)
    client_id, ref, in_reply_to, how = "", "", "", ""
    if ids:
        rows = {
            r.message_id: r
            for r in session.scalars(select(MailMessage).where(MailMessage.message_id.in_(ids)))
        }
        for mid in ids:
            row = rows.get(mid)
            if row is not None:
                in_reply_to, ref = mid, row.ref
                client_id, how = row.client_id, "thread"
                break
    if not client_id:
        table = clients_by_email if clients_by_email is not None else _clients_by_email(session)
        candidates = table.get(sender, set())
        if len(candidates) == 1:
            client_id, how = next(iter(candidates)), "sender"
        elif len(candidates) > 1:
            return f"sender {sender} is the address of several clients ({', '.join(sorted(candidates))})"
        elif not in_reply_to:
            return f"no message of ours in its thread and no client with the address {sender or '(none)'}"
        else:
            return (
                f"answers {in_reply_to}, which names no client, and {sender} is no client's address"
            )
    try:
        when = parsedate_to_datetime(str(msg["Date"])).date() if msg["Date"] else fallback_date
    except (TypeError, ValueError):
        when = fallback_date
    return Reply(
        client_id=client_id,
        date=when,
        text=new_text(body_text(msg)),
        in_reply_to=in_reply_to,
        ref=ref,
        message_id=str(msg.get("Message-ID", "")).strip(),
        sender=sender,
        matched_by=how,
    )


def interaction_id(message_id: str, raw: bytes) -> str:
    basis = message_id.encode() if message_id else raw
    return "R-" + hashlib.sha256(basis).hexdigest()[:24]


def _infer_kind(text: str, ref_date: date) -> str:
    try:
        from khazna.tools.notes import infer_kind
    except ModuleNotFoundError as err:
        if err.name and err.name.startswith("khazna.memory"):
            return ""
        raise
    try:
        kind = getattr(infer_kind(text, ref_date), "kind", "")
    except Exception:  # noqa: BLE001 - odd client text must not block the other replies
        log.warning("kind inference failed on a reply; stored with no kind", exc_info=True)
        return ""
    return kind[:20] if isinstance(kind, str) else ""


def ingest_messages(
    session: Session, messages: Iterable[tuple[str, bytes]], *, today: date | None = None
) -> IngestReport:
    """Write each matched reply as an inbound email interaction, once per Message-ID."""
    report = IngestReport()
    fallback = today or date.today()
    table = _clients_by_email(session)
    known_clients = set(session.scalars(select(Client.client_id)))
    for source, raw in messages:
        reply = match_reply(session, raw, fallback_date=fallback, clients_by_email=table)
        if isinstance(reply, str):
            report.unmatched.append(f"{source}: {reply}")
            continue
        if reply.client_id not in known_clients:
            report.unmatched.append(f"{source}: client {reply.client_id} is not in the ledger")
            continue
        iid = interaction_id(reply.message_id, raw)
        if session.get(Interaction, iid) is not None:
            report.already += 1
            continue
        if not reply.text:
            report.unmatched.append(f"{source}: no new text in the reply")
            continue
        session.add(
            Interaction(
                interaction_id=iid,
                client_id=reply.client_id,
                date=reply.date,
                channel="email",
                direction="in",
                kind=_infer_kind(reply.text, reply.date),
                text=reply.text,
            )
        )
        session.flush()
        report.added.append(iid)
        report.replies.append(reply)
    return report


def ingest_replies(
    session: Session,
    folder: Path | str | None = None,
    *,
    imap: ImapSettings | None = None,
    imap_since: date | None = None,
    today: date | None = None,
    extra: Sequence[tuple[str, bytes]] = (),
) -> IngestReport:
    """Ingest the replies in ``folder`` (default ``$KHAZNA_HOME/replies``) and, with
    ``imap``, those of the mailbox received since ``imap_since`` (default: 30 days)."""
    if folder is None:
        from khazna.config import Paths

        folder = Paths.from_env().home / "replies"
    messages = read_folder(folder) + list(extra)
    if imap is not None:
        from datetime import timedelta

        since = imap_since or ((today or date.today()) - timedelta(days=30))
        messages += fetch_imap(imap, since=since)
    return ingest_messages(session, messages, today=today)
