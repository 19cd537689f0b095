"""Clients' replies to our mail: read, matched to a client, written as interactions.

Sources: ``.eml`` files dropped in a folder (``$KHAZNA_HOME/replies/`` by default) and, when
configured, an IMAP mailbox (read-only, over SSL). A reply is matched to the message it
answers through ``In-Reply-To``/``References`` against ``mail_messages.message_id``, else
through its sender's address against the clients' emails.

Reply text is untrusted data: it is stored (quoted history stripped) and classified by
:func:`khazna.tools.notes.infer_kind`; nothing in it is ever obeyed.

One message never stops the cycle. Each is read under :class:`Limits` (size, headers, MIME
containers, depth, parts, body length, seconds) before anything touches the ledger; one that
cannot be read is moved to ``$KHAZNA_HOME/quarantine/replies/`` with a ``.txt`` saying why
(an IMAP message, read read-only, is copied there), reported once in
:attr:`IngestReport.quarantined`, and skipped on later runs (known by its SHA-256).

A reply is evidence, not authority. Each interaction written from a reply records in
``Interaction.unconfirmed`` why it may not act by itself: ``sender_not_authenticated`` (no
pass for the ``From:`` domain in the ``Authentication-Results`` of a trusted server, see
:mod:`khazna.mail.authres`), ``sender_not_client`` (authenticated, but not an address or
domain of the client), ``no_invoice_of_client`` (names no invoice of that client and does not
answer one of our reminders to it); empty when it may. A promise or dispute that is
unconfirmed pauses nothing (:mod:`khazna.tools.client_state`): it is shown on the draft for
the owner to decide.
"""

from __future__ import annotations

import hashlib
import imaplib
import logging
import os
import re
import shutil
import ssl
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage, Message
from email.utils import parseaddr, parsedate_to_datetime
from html import unescape
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from khazna.config import Paths, trusted_authserv
from khazna.ledger.models import Client, Interaction, Invoice
from khazna.ledger.tables_mail import MailMessage
from khazna.mail.authres import SenderAuth, sender_auth
from khazna.tools.notes import infer_kind, invoice_numbers

log = logging.getLogger(__name__)

MAX_TEXT = 10_000  # characters kept of one reply


@dataclass(frozen=True)
class Limits:
    """What one message may cost to read. Past any of these it is quarantined, unread."""

    max_bytes: int = 10 * 1024 * 1024  # the whole message
    max_header_bytes: int = 256 * 1024  # its header section
    max_field_chars: int = 16 * 1024  # one header field, unfolded (in any part)
    # Content-* fields are parsed by the standard library while it reads the MIME tree, in
    # time that grows faster than their length (4 KB of quoted pairs: 0.2 s; 16 KB: 2.1 s):
    # each is bounded, and so is their sum over the message
    max_content_field: int = 2 * 1024
    max_content_fields_total: int = 64 * 1024
    # multipart/* and message/* declarations counted in the raw bytes before parsing: the
    # standard library's parser recurses once per nesting level (1 000 levels raised
    # RecursionError), and nesting needs one declaration per level
    max_containers: int = 100
    max_depth: int = 20  # MIME nesting, counted after parsing
    max_parts: int = 200  # MIME parts, counted after parsing
    max_body_chars: int = 200_000  # of the text (or HTML) body, before the quotes are cut
    # CPU seconds of the reading thread, checked between the reading steps: what the
    # message costs, not how loaded the machine is (on the wall clock, a message at the
    # limits took 6.7 s under load and was quarantined as too slow; 1-4 s of CPU)
    max_seconds: float = 5.0


LIMITS = Limits()


class Unreadable(Exception):
    """A message that cannot be read within :class:`Limits`, or at all."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Quarantined:
    """A message set aside unread: where it came from, why, and where it lies now."""

    source: str
    code: str
    reason: str
    file: str = ""  # the .eml in the quarantine folder ('' when none was given)
    sha256: str = ""

    def as_dict(self) -> dict[str, str]:
        return {
            "source": self.source,
            "code": self.code,
            "reason": self.reason,
            "file": self.file,
            "sha256": self.sha256,
        }


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
    answers_kind: str = ""  # the kind of our message it answers ("reminder", ...), by thread
    auth: SenderAuth = SenderAuth(False)
    unconfirmed: str = ""  # why it may not pause reminders by itself ('' when it may)


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)  # interaction ids
    already: int = 0
    unmatched: list[str] = field(default_factory=list)  # "source: reason"
    replies: list[Reply] = field(default_factory=list)
    quarantined: list[Quarantined] = field(default_factory=list)  # set aside this time
    already_quarantined: int = 0  # seen again, set aside on an earlier run (not told again)


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
                "KHAZNA_IMAP_USER et KHAZNA_IMAP_PASSWORD sont obligatoires avec KHAZNA_IMAP_HOST"
            )
        port = env.get("KHAZNA_IMAP_PORT", "993").strip()
        if not port.isdigit():
            raise ValueError(f"KHAZNA_IMAP_PORT={port!r} : pas un numéro de port")
        return cls(host, user, password, int(port), env.get("KHAZNA_IMAP_MAILBOX", "INBOX"))


# --- sources -----------------------------------------------------------------------------


def read_folder(folder: Path | str, max_bytes: int | None = None) -> list[tuple[str, bytes]]:
    """``(file name, bytes)`` of every ``.eml`` in ``folder`` (sorted; none if it is missing).
    A file above ``max_bytes`` is not read whole: its first ``max_bytes + 1`` bytes stand for
    it (enough to be refused as too large)."""
    path = Path(folder)
    if not path.is_dir():
        return []
    out = []
    for p in sorted(path.glob("*.eml")):
        if not p.is_file():
            continue
        if max_bytes is not None and p.stat().st_size > max_bytes:
            with p.open("rb") as f:
                out.append((p.name, f.read(max_bytes + 1)))
        else:
            out.append((p.name, p.read_bytes()))
    return out


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


_TAG = re.compile(r"</?\s*([A-Za-z][A-Za-z0-9]*)")
_SKIPPED_TAGS = frozenset({"script", "style", "blockquote"})  # blockquote: quoted history
_BREAK_TAGS = frozenset({"br", "p", "div", "tr", "li"})


def _html_to_text(html: str) -> str:
    """The text of an HTML body, without scripts, styles and quoted history (``<blockquote>``,
    where reply clients put it), in one linear pass over the string.

    No HTML library is installed (lxml, BeautifulSoup, html5lib are absent) and the standard
    library's ``html.parser`` is quadratic on unclosed tags (40 KB of ``<p a=`` took 6 s, 200 KB
    took 197 s); the regex this replaced, ``<blockquote>.*?</blockquote>``, took 18 s on 240 KB
    of unclosed ``<blockquote>``. Here every ``find`` starts where the last one ended: an
    unclosed tag ends the text, an unclosed comment too."""
    out: list[str] = []
    skip, i, n = 0, 0, len(html)
    while i < n:
        lt = html.find("<", i)
        if lt < 0:
            if not skip:
                out.append(unescape(html[i:]))
            break
        if not skip and lt > i:
            out.append(unescape(html[i:lt]))
        if html.startswith("<!--", lt):
            close = html.find("-->", lt + 4)
            i = n if close < 0 else close + 3
            continue
        gt = html.find(">", lt + 1)
        if gt < 0:
            break  # an unclosed tag: what follows is not text
        m = _TAG.match(html, lt, gt)
        if m is not None:
            name = m.group(1).lower()
            closing = m.group(0).startswith("</")
            if name in _SKIPPED_TAGS:
                if closing:
                    skip = max(0, skip - 1)
                elif html[gt - 1] != "/":
                    skip += 1
            elif name in _BREAK_TAGS and not skip:
                out.append("\n")
        elif not skip and html[lt + 1 : lt + 2] not in ("!", "?", "/"):
            out.append(unescape(html[lt : gt + 1]))  # "3 < 5 > 2": text, not a tag
        i = gt + 1
    return "".join(out)


def _first_text_part(msg: Message) -> EmailMessage | None:
    """The first text/plain (else text/html) part that is no attachment, walked without
    recursion."""
    found: dict[str, EmailMessage] = {}
    stack = [msg]
    while stack:
        part = stack.pop()
        payload = part.get_payload()
        if part.is_multipart() and isinstance(payload, list):
            stack.extend(reversed([p for p in payload if isinstance(p, Message)]))
        elif (
            isinstance(part, EmailMessage)
            and part.get_content_maintype() == "text"
            and part.get_content_disposition() != "attachment"
        ):
            found.setdefault(part.get_content_subtype(), part)
    return found.get("plain") or found.get("html")


def body_text(msg: EmailMessage, max_chars: int = LIMITS.max_body_chars) -> str:
    """The plain-text body (from the HTML part when there is no plain one), its first
    ``max_chars`` characters (what a client writes comes first; the rest is quoted history)."""
    try:
        part = msg.get_body(preferencelist=("plain", "html"))
    except (AttributeError, TypeError, IndexError):
        # the standard library's get_body fails on a multipart/related left without parts
        # (found by tests/hostile/test_fuzz_replies.py): look for the text part ourselves
        part = _first_text_part(msg)
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeError):
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""
    if not isinstance(content, str):
        return ""
    content = content[:max_chars]
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
        if not line.strip():
            continue  # a blank line starts nothing (and 200 000 of them must stay cheap)
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


# --- reading one message under limits ----------------------------------------------------

_MSGID = re.compile(r"<[^<>\s]+>")
_CONTAINER = re.compile(rb"content-type[ \t]*:\s*(?:multipart|message)/", re.IGNORECASE)
_HEADER_END = re.compile(rb"\r?\n\r?\n")
_CONTENT_FIELD = re.compile(rb"^content-[a-z0-9-]*[ \t]*:[^\n]*(?:\n[ \t][^\n]*)*", re.I | re.M)
MAX_FIELD = 2_000  # characters of a From/Date/Message-ID header read


def thread_ids(msg: Message) -> list[str]:
    """Message-IDs this message answers: In-Reply-To first, then References newest first."""
    ids = _MSGID.findall(str(msg.get("In-Reply-To", "")))
    ids += list(reversed(_MSGID.findall(str(msg.get("References", "")))))
    seen: dict[str, None] = {}
    for i in ids:
        seen.setdefault(i, None)
    return list(seen)[:50]


@dataclass(frozen=True)
class ReadMessage:
    """What Khazna takes from one message; nothing else of it is looked at."""

    sender: str
    thread_ids: list[str]
    date: date | None
    message_id: str
    text: str
    auth: SenderAuth


def _structure(msg: Message, limits: Limits) -> None:
    """Depth, number of parts and header field sizes, counted without recursion and without
    parsing any header (``raw_items``)."""
    stack: list[tuple[Message, int]] = [(msg, 1)]
    parts = 0
    while stack:
        part, depth = stack.pop()
        parts += 1
        if depth > limits.max_depth:
            raise Unreadable(
                "mime_too_deep", f"parties MIME imbriquées sur plus de {limits.max_depth} niveaux"
            )
        if parts > limits.max_parts:
            raise Unreadable("mime_too_many_parts", f"plus de {limits.max_parts} parties MIME")
        for name, value in part.raw_items():
            if len(value) > limits.max_field_chars:
                raise Unreadable(
                    "headers_too_large",
                    f"en-tête {name[:40]!r} de {len(value)} caractères, "
                    f"au-delà de {limits.max_field_chars}",
                )
        if part.is_multipart():
            payload = part.get_payload()
            if isinstance(payload, list):
                stack.extend((p, depth + 1) for p in payload if isinstance(p, Message))


def _raw_fields(msg: Message) -> dict[str, list[str]]:
    """The top-level header fields as received, unfolded, by lower-case name. Read raw: the
    structured header parser of ``policy.default`` took 8 s on 250 KB of encoded words in a
    ``From:`` and 3.8 s on a 245 KB address list."""
    out: dict[str, list[str]] = {}
    for name, value in msg.raw_items():
        text = str(value).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        out.setdefault(name.lower(), []).append(text.replace("\r", "").replace("\n", ""))
    return out


def _ids(*values: str) -> list[str]:
    seen: dict[str, None] = {}
    for i in _MSGID.findall(values[0]) + list(reversed(_MSGID.findall(" ".join(values[1:])))):
        seen.setdefault(i, None)
    return list(seen)[:50]


def read_message(
    raw: bytes,
    *,
    limits: Limits = LIMITS,
    trusted: Iterable[str] = (),
    clock: Callable[[], float] = time.thread_time,
) -> ReadMessage:
    """Read ``raw`` within ``limits``, or raise :class:`Unreadable` saying why. Pure: no
    ledger, no file; any failure of the parser becomes :class:`Unreadable`."""
    started = clock()

    def in_time(step: str) -> None:
        spent = clock() - started
        if spent > limits.max_seconds:
            raise Unreadable(
                "too_slow",
                f"lecture arrêtée après {spent:.1f} s de calcul ({step}), au-delà de {limits.max_seconds:g} s",
            )

    if len(raw) > limits.max_bytes:
        raise Unreadable(
            "too_large", f"message de {len(raw)} octets, au-delà de {limits.max_bytes} octets"
        )
    end = _HEADER_END.search(raw, 0, limits.max_header_bytes + 4)
    if end is None and len(raw) > limits.max_header_bytes:
        raise Unreadable(
            "headers_too_large", f"en-têtes de plus de {limits.max_header_bytes} octets"
        )
    containers = len(_CONTAINER.findall(raw))
    if containers > limits.max_containers:
        raise Unreadable(
            "mime_too_deep",
            f"{containers} conteneurs MIME (multipart/message) déclarés, "
            f"au-delà de {limits.max_containers} : non lu",
        )
    total = 0
    for m in _CONTENT_FIELD.finditer(raw):
        size = m.end() - m.start()
        total += size
        if size > limits.max_content_field or total > limits.max_content_fields_total:
            raise Unreadable(
                "headers_too_large",
                f"en-têtes Content-* trop longs ({size} octets pour l'un, {total} au total ; "
                f"au plus {limits.max_content_field} et {limits.max_content_fields_total})",
            )
    try:
        msg = message_from_bytes(raw, policy=policy.default)
        _structure(msg, limits)
        in_time("analyse MIME")
        fields = _raw_fields(msg)

        def first(name: str) -> str:
            return (fields.get(name) or [""])[0][:MAX_FIELD].strip()

        sender = parseaddr(first("from"))[1].lower()
        ids = _ids(first("in-reply-to"), *fields.get("references", []))
        when: date | None = None
        if first("date"):
            try:
                when = parsedate_to_datetime(first("date")).date()
            except (TypeError, ValueError, OverflowError, IndexError):
                when = None
        message_id = first("message-id")[:250]
        auth = sender_auth(fields.get("authentication-results", []), sender, trusted)
        in_time("en-têtes")
        body = body_text(msg, limits.max_body_chars)
        in_time("corps du message")
        text = new_text(body)
        in_time("texte de la réponse")
    except Unreadable:
        raise
    except RecursionError:
        raise Unreadable("mime_too_deep", "structure MIME trop profonde pour être lue") from None
    except Exception as err:  # noqa: BLE001 - whatever a message breaks, it is that message's
        raise Unreadable("unreadable", f"illisible : {type(err).__name__}: {err}"[:300]) from None
    return ReadMessage(sender, ids, when, message_id, text, auth)


# --- quarantine --------------------------------------------------------------------------


class Quarantine:
    """A folder of messages that could not be read: ``<sha256>.eml`` (the bytes, as received)
    and ``<sha256>.txt`` (where it came from, when, why). No name comes from the message."""

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)

    @classmethod
    def for_replies(cls, paths: Paths | None = None) -> Quarantine:
        return cls((paths or Paths.from_env()).quarantine / "replies")

    @staticmethod
    def digest(raw: bytes) -> str:
        return hashlib.sha256(raw).hexdigest()

    def holds(self, raw: bytes) -> bool:
        return (self.folder / f"{self.digest(raw)}.eml").exists()

    def put(
        self, source: str, raw: bytes, err: Unreadable, origin: Path | None = None
    ) -> Quarantined:
        """Keep the message here with its reason: ``origin`` (the dropped file) is moved here
        whole; without one, ``raw`` is written."""
        sha = self.digest(raw)
        self.folder.mkdir(parents=True, exist_ok=True)
        eml, txt = self.folder / f"{sha}.eml", self.folder / f"{sha}.txt"
        moved = False
        if origin is not None:
            try:
                shutil.move(origin, eml)
                moved = True
            except OSError:  # a read-only drop folder: the copy below keeps it from coming back
                log.warning("could not move %s to the quarantine; copied", origin, exc_info=True)
        if not moved and not eml.exists():
            tmp = self.folder / f".{sha}.tmp"
            tmp.write_bytes(raw)
            os.replace(tmp, eml)
        now = datetime.now(UTC).replace(microsecond=0).isoformat()
        txt.write_text(
            "Message mis en quarantaine par Khazna : il n'a pas été lu.\n"
            f"Date : {now}\n"
            f"Origine : {source}\n"
            f"Raison : {err.code} : {err.message}\n"
            f"Taille : {eml.stat().st_size} octets\n"
            f"SHA-256 : {sha}\n\n"
            "Ouvrez-le avec précaution. Pour qu'il soit relu, remettez le fichier .eml dans "
            "le dossier des réponses et supprimez les deux fichiers d'ici.\n",
            encoding="utf-8",
        )
        return Quarantined(source, err.code, err.message, str(eml), sha)


# --- matching ----------------------------------------------------------------------------


def _clients_by_email(session: Session) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for client_id, emails in session.execute(select(Client.client_id, Client.email)):
        for email in re.split(r"[,;\s]+", emails or ""):
            spec = parseaddr(email)[1].lower()
            if spec:
                out.setdefault(spec, set()).add(client_id)
    return out


def _match(
    session: Session,
    read: ReadMessage,
    *,
    fallback_date: date,
    clients_by_email: dict[str, set[str]] | None = None,
) -> Reply | str:
    sender, ids = read.sender, read.thread_ids
    client_id, ref, in_reply_to, how, answers = "", "", "", "", ""
    if ids:
        rows = {
            r.message_id: r
            for r in session.scalars(select(MailMessage).where(MailMessage.message_id.in_(ids)))
        }
        for mid in ids:
            row = rows.get(mid)
            if row is not None:
                in_reply_to, ref = mid, row.ref
                client_id, how, answers = row.client_id, "thread", row.kind
                break
    if not client_id:
        table = clients_by_email if clients_by_email is not None else _clients_by_email(session)
        candidates = table.get(sender, set())
        if len(candidates) == 1:
            client_id, how, answers = next(iter(candidates)), "sender", ""
        elif len(candidates) > 1:
            return f"sender {sender} is the address of several clients ({', '.join(sorted(candidates))})"
        elif not in_reply_to:
            return f"no message of ours in its thread and no client with the address {sender or '(none)'}"
        else:
            return (
                f"answers {in_reply_to}, which names no client, and {sender} is no client's address"
            )
    return Reply(
        client_id=client_id,
        date=read.date or fallback_date,
        text=read.text,
        in_reply_to=in_reply_to,
        ref=ref,
        message_id=read.message_id,
        sender=sender,
        matched_by=how,
        answers_kind=answers,
        auth=read.auth,
    )


def match_reply(
    session: Session,
    raw: bytes,
    *,
    fallback_date: date,
    clients_by_email: dict[str, set[str]] | None = None,
    limits: Limits = LIMITS,
    trusted: Iterable[str] = (),
) -> Reply | str:
    """The :class:`Reply` for ``raw``, or a reason why it matches no client (raises
    :class:`Unreadable` when it cannot be read within ``limits``)."""
    read = read_message(raw, limits=limits, trusted=trusted)
    return _match(session, read, fallback_date=fallback_date, clients_by_email=clients_by_email)


# Public mail services: one of their users is not "the client's domain".
_PUBLIC_DOMAINS = re.compile(
    r"^(gmail\.com|googlemail\.com|yahoo\.[a-z.]+|ymail\.com|hotmail\.[a-z.]+|outlook\.[a-z.]+|"
    r"live\.[a-z.]+|msn\.com|icloud\.com|me\.com|aol\.com|gmx\.[a-z.]+|proton(mail)?\.[a-z.]+|"
    r"mail\.ru|yandex\.[a-z.]+)$"
)


def _is_clients_address(sender: str, client_emails: str) -> bool:
    """``sender`` is one of the client's addresses, or of the same (non-public) domain."""
    sender = sender.lower()
    addresses = {
        parseaddr(e)[1].lower() for e in re.split(r"[,;\s]+", client_emails or "") if e.strip()
    }
    if sender in addresses:
        return True
    domain = sender.rsplit("@", 1)[-1]
    return (
        bool(domain)
        and not _PUBLIC_DOMAINS.match(domain)
        and any(a.rsplit("@", 1)[-1] == domain for a in addresses)
    )


def unconfirmed_reason(session: Session, reply: Reply) -> str:
    """Why ``reply`` may not pause reminders by itself ('' when it may): its sender must be
    authenticated as the client, and it must name invoices of that client (or answer one of
    our reminders to it)."""
    if not reply.auth.authenticated:
        return "sender_not_authenticated"
    client = session.get(Client, reply.client_id)
    if client is None or not _is_clients_address(reply.sender, client.email or ""):
        return "sender_not_client"
    if reply.matched_by == "thread" and reply.answers_kind == "reminder":
        return ""
    named = set(invoice_numbers(reply.text))
    if named:
        numbers = session.scalars(
            select(Invoice.number).where(Invoice.client_id == client.client_id)
        )
        if named & {n.upper() for n in numbers}:
            return ""
    return "no_invoice_of_client"


def interaction_id(message_id: str, raw: bytes) -> str:
    basis = message_id.encode() if message_id else raw
    return "R-" + hashlib.sha256(basis).hexdigest()[:24]


def _infer_kind(text: str, ref_date: date) -> str:
    try:
        kind = getattr(infer_kind(text, ref_date), "kind", "")
    except Exception:  # noqa: BLE001 - odd client text must not block the other replies
        log.warning("kind inference failed on a reply; stored with no kind", exc_info=True)
        return ""
    return kind[:20] if isinstance(kind, str) else ""


def ingest_messages(
    session: Session,
    messages: Iterable[tuple[str, bytes]],
    *,
    today: date | None = None,
    limits: Limits = LIMITS,
    quarantine: Quarantine | None = None,
    origins: Mapping[str, Path] | None = None,
    trusted: Iterable[str] | None = None,
) -> IngestReport:
    """Write each matched reply as an inbound email interaction, once per Message-ID.

    A message that cannot be read is set aside in ``quarantine`` (its file in ``origins``
    removed) and reported in :attr:`IngestReport.quarantined`; one already there is skipped
    and counted in :attr:`IngestReport.already_quarantined`. ``trusted``: the authserv-ids
    believed (default ``KHAZNA_TRUSTED_AUTHSERV``)."""
    report = IngestReport()
    fallback = today or date.today()
    trusted_ids = trusted_authserv() if trusted is None else frozenset(trusted)
    table = _clients_by_email(session)
    known_clients = set(session.scalars(select(Client.client_id)))
    for source, raw in messages:
        if quarantine is not None and quarantine.holds(raw):
            report.already_quarantined += 1
            continue
        try:
            read = read_message(raw, limits=limits, trusted=trusted_ids)
        except Unreadable as err:
            log.warning("reply %s quarantined: %s: %s", source, err.code, err.message)
            origin = (origins or {}).get(source)
            item = (
                quarantine.put(source, raw, err, origin)
                if quarantine is not None
                else Quarantined(source, err.code, err.message, "", Quarantine.digest(raw))
            )
            report.quarantined.append(item)
            continue
        reply = _match(session, read, fallback_date=fallback, clients_by_email=table)
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
        unconfirmed = unconfirmed_reason(session, reply)
        session.add(
            Interaction(
                interaction_id=iid,
                client_id=reply.client_id,
                date=reply.date,
                channel="email",
                direction="in",
                kind=_infer_kind(reply.text, reply.date),
                text=reply.text,
                unconfirmed=unconfirmed,
            )
        )
        session.flush()
        report.added.append(iid)
        report.replies.append(replace(reply, unconfirmed=unconfirmed))
    return report


def ingest_replies(
    session: Session,
    folder: Path | str | None = None,
    *,
    imap: ImapSettings | None = None,
    imap_since: date | None = None,
    today: date | None = None,
    extra: Sequence[tuple[str, bytes]] = (),
    quarantine: Quarantine | None = None,
    limits: Limits = LIMITS,
    trusted: Iterable[str] | None = None,
) -> IngestReport:
    """Ingest the replies in ``folder`` (default ``$KHAZNA_HOME/replies``) and, with
    ``imap``, those of the mailbox received since ``imap_since`` (default: 30 days). What
    cannot be read goes to ``quarantine`` (default ``$KHAZNA_HOME/quarantine/replies``)."""
    paths = Paths.from_env()
    folder = Path(folder) if folder is not None else paths.replies
    quarantine = quarantine or Quarantine.for_replies(paths)
    messages = read_folder(folder, limits.max_bytes) + list(extra)
    origins = {name: folder / name for name, _ in messages[: len(messages) - len(extra)]}
    if imap is not None:
        since = imap_since or ((today or date.today()) - timedelta(days=30))
        messages += fetch_imap(imap, since=since)
    return ingest_messages(
        session,
        messages,
        today=today,
        limits=limits,
        quarantine=quarantine,
        origins=origins,
        trusted=trusted,
    )


# --- what the owner decides ----------------------------------------------------------------


class ReplyError(Exception):
    """A decision on a reply that cannot be taken (unknown id, nothing to confirm)."""


def unconfirmed_replies(session: Session) -> list[Interaction]:
    """Clients' emails that may not act by themselves, newest first."""
    return list(
        session.scalars(
            select(Interaction)
            .where(Interaction.unconfirmed != "")
            .order_by(Interaction.date.desc(), Interaction.interaction_id)
        )
    )


def confirm_reply(session: Session, interaction_id: str) -> Interaction:
    """The owner vouches for a reply: from now on its promise or dispute counts (pauses the
    reminders it concerns) like one the owner recorded."""
    it = session.get(Interaction, interaction_id)
    if it is None:
        raise ReplyError(f"aucune réponse {interaction_id!r} (voir `khazna replies list`)")
    if not it.unconfirmed:
        raise ReplyError(f"{interaction_id} n'attend pas de confirmation")
    it.unconfirmed = ""
    session.flush()
    return it


def quarantined(quarantine: Quarantine) -> list[dict[str, str]]:
    """The messages in ``quarantine``: file and the first lines of its ``.txt``."""
    if not quarantine.folder.is_dir():
        return []
    out = []
    for eml in sorted(quarantine.folder.glob("*.eml")):
        txt = eml.with_suffix(".txt")
        fields: dict[str, str] = {"file": str(eml)}
        if txt.is_file():
            for line in txt.read_text(encoding="utf-8", errors="replace").splitlines():
                key, sep, value = line.partition(" : ")
                if sep and key in ("Date", "Origine", "Raison"):
                    fields[{"Date": "date", "Origine": "source", "Raison": "reason"}[key]] = value
        out.append(fields)
    return out
