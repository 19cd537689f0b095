"""How a message leaves: SMTP (aiosmtplib) or ``.eml`` files in an outbox folder.

A transport either returns a :class:`SendResult` (the message was taken) or raises one of
three errors, which the outbox turns into states:

- :class:`TemporaryDeliveryError`: nothing was delivered (connection refused, 4xx, a timeout
  before the message content was handed over): retry later;
- :class:`PermanentDeliveryError`: the server refused with a 5xx: do not retry;
- :class:`UncertainDeliveryError`: the content was handed over and the answer was lost (a
  timeout or disconnection during DATA): it may have been delivered, never resend on our own.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

import aiosmtplib

from khazna import config
from khazna.filenames import inside, safe_name
from khazna.mail.message import addr_spec, envelope_recipients, to_bytes

Security = Literal["none", "starttls", "tls"]
DEFAULT_PORTS: dict[str, int] = {"none": 25, "starttls": 587, "tls": 465}


class MailConfigError(ValueError):
    """A mail setting in the environment is wrong; the message names the variable."""


@dataclass(frozen=True)
class MailSettings:
    """Outgoing (and reply) mail settings, read once when a command starts."""

    host: str | None = None
    port: int = 25
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    security: Security = "none"
    mail_from: str = "khazna@localhost"
    owner_email: str | None = None
    timeout: float = 30.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> MailSettings:
        env = os.environ if env is None else env
        host = env.get("KHAZNA_SMTP_HOST", "").strip() or None
        security = env.get("KHAZNA_SMTP_SECURITY", "").strip().lower() or (
            "starttls" if host and env.get("KHAZNA_SMTP_USER") else "none"
        )
        if security not in DEFAULT_PORTS:
            raise MailConfigError(
                f"KHAZNA_SMTP_SECURITY={security!r} : attendu none, starttls ou tls"
            )
        port_text = env.get("KHAZNA_SMTP_PORT", "").strip()
        try:
            port = int(port_text) if port_text else DEFAULT_PORTS[security]
        except ValueError:
            raise MailConfigError(
                f"KHAZNA_SMTP_PORT={port_text!r} : pas un numéro de port"
            ) from None
        if not 0 < port < 65536:
            raise MailConfigError(f"KHAZNA_SMTP_PORT={port} : hors de l'intervalle 1-65535")
        sender = config.mail_from(env)
        if host and not sender:
            raise MailConfigError(
                "KHAZNA_MAIL_FROM est obligatoire quand KHAZNA_SMTP_HOST est défini"
            )
        if sender and "@" not in addr_spec(sender):
            raise MailConfigError(f"KHAZNA_MAIL_FROM={sender!r} : pas une adresse électronique")
        return cls(
            host=host,
            port=port,
            user=env.get("KHAZNA_SMTP_USER") or None,
            password=env.get("KHAZNA_SMTP_PASSWORD") or None,
            security=security,  # type: ignore[arg-type]
            mail_from=sender or "khazna@localhost",
            owner_email=config.owner_email(env) or None,
        )


@dataclass(frozen=True)
class SendResult:
    message_id: str
    accepted: tuple[str, ...]
    refused: dict[str, str] = field(default_factory=dict)
    reply: str = ""
    location: str = ""


class DeliveryError(Exception):
    def __init__(self, reason: str, code: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


class TemporaryDeliveryError(DeliveryError):
    pass


class PermanentDeliveryError(DeliveryError):
    pass


class UncertainDeliveryError(DeliveryError):
    pass


@runtime_checkable
class Transport(Protocol):
    name: str

    async def send(
        self, msg: EmailMessage | bytes, *, recipients: Sequence[str] | None = None
    ) -> SendResult: ...

    def delivered(self, message_id: str) -> bool | None:
        """After a crash: True if the message certainly went out, False if it certainly did
        not, None when this transport cannot tell."""
        ...


def _split(
    msg: EmailMessage | bytes, recipients: Sequence[str] | None
) -> tuple[bytes, EmailMessage, list[str]]:
    if isinstance(msg, bytes | bytearray):
        raw = bytes(msg)
        parsed = message_from_bytes(raw, policy=policy.default)
    else:
        raw, parsed = to_bytes(msg), msg
    rcpts = list(recipients) if recipients is not None else envelope_recipients(parsed)  # type: ignore[arg-type]
    if not rcpts:
        raise PermanentDeliveryError("le message n'a aucun destinataire (pas d'adresse email)")
    return raw, parsed, rcpts  # type: ignore[return-value]


def _smtp_reply(err: Exception) -> str:
    code = getattr(err, "code", None)
    message = getattr(err, "message", None) or str(err) or type(err).__name__
    return f"{code} {message}" if code else message


class SmtpTransport:
    """Sends through an SMTP server, step by step, so that each failure is classified by
    the phase it happened in (see the module docstring)."""

    def __init__(self, settings: MailSettings) -> None:
        if not settings.host:
            raise MailConfigError("KHAZNA_SMTP_HOST n'est pas défini")
        self.settings = settings
        self.name = f"smtp:{settings.host}:{settings.port}"

    def delivered(self, message_id: str) -> bool | None:  # noqa: ARG002 - protocol
        return None

    async def send(
        self, msg: EmailMessage | bytes, *, recipients: Sequence[str] | None = None
    ) -> SendResult:
        s = self.settings
        raw, parsed, rcpts = _split(msg, recipients)
        message_id = str(parsed.get("Message-ID", ""))
        sender = addr_spec(str(parsed.get("From", ""))) or addr_spec(s.mail_from)
        smtp = aiosmtplib.SMTP(
            hostname=s.host,
            port=s.port,
            username=s.user,
            password=s.password,
            use_tls=s.security == "tls",
            start_tls=s.security == "starttls",
            timeout=s.timeout,
        )
        try:
            # Phase 1: connection, TLS, login, envelope. Nothing can have been delivered.
            try:
                await smtp.connect()
                options = [f"SIZE={len(raw)}"] if smtp.supports_extension("size") else []
                await smtp.mail(sender, options=options)
                refused: dict[str, str] = {}
                codes: list[int] = []
                for rcpt in rcpts:
                    try:
                        await smtp.rcpt(rcpt)
                    except aiosmtplib.SMTPRecipientRefused as err:
                        refused[rcpt] = _smtp_reply(err)
                        codes.append(err.code)
            except aiosmtplib.SMTPResponseException as err:
                cls = TemporaryDeliveryError if 400 <= err.code < 500 else PermanentDeliveryError
                raise cls(_smtp_reply(err), err.code) from err
            except (OSError, TimeoutError, aiosmtplib.SMTPException) as err:
                raise TemporaryDeliveryError(_smtp_reply(err)) from err
            if len(refused) == len(rcpts):
                temp = any(400 <= c < 500 for c in codes)
                cls = TemporaryDeliveryError if temp else PermanentDeliveryError
                reason = "all recipients refused: " + "; ".join(
                    f"{k}: {v}" for k, v in refused.items()
                )
                raise cls(reason, codes[0] if codes else None)

            # Phase 2: DATA. A refusal is an answer; a lost answer is an unknown outcome.
            try:
                response = await smtp.data(raw)
            except aiosmtplib.SMTPResponseException as err:
                cls = TemporaryDeliveryError if 400 <= err.code < 500 else PermanentDeliveryError
                raise cls(_smtp_reply(err), err.code) from err
            except (OSError, TimeoutError, aiosmtplib.SMTPException) as err:
                raise UncertainDeliveryError(
                    f"aucune réponse après la remise du message au serveur : {_smtp_reply(err)}"
                ) from err
        finally:
            if smtp.is_connected:
                try:
                    await smtp.quit()
                except Exception:  # noqa: BLE001 - the outcome is already known; QUIT is courtesy
                    smtp.close()
        accepted = tuple(r for r in rcpts if r not in refused)
        return SendResult(
            message_id=message_id,
            accepted=accepted,
            refused=refused,
            reply=f"{response.code} {response.message}",
        )


_UNSAFE = re.compile(r"[^A-Za-z0-9._@-]+")


def sanitise_message_id(message_id: str) -> str:
    """The Message-ID as a file name part (:func:`khazna.filenames.safe_name`, reversible)."""
    return safe_name(message_id.strip().strip("<>") or "no-id")


def _legacy_message_id_name(message_id: str) -> str:
    """The name outboxes written before :func:`sanitise_message_id` used (still found)."""
    return _UNSAFE.sub("_", message_id.strip().strip("<>"))[:180] or "no-id"


class FileOutbox:
    """Writes each message as ``<outbox>/<timestamp>-<message-id>.eml``, atomically.

    The file appears complete or not at all (written under a temporary name, fsynced, then
    renamed), so after a crash its presence says whether the message "went out". Sending a
    message whose file already exists returns that file: the outbox holds one copy."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.name = f"file:{self.path}"

    def find(self, message_id: str) -> Path | None:
        names = {sanitise_message_id(message_id), _legacy_message_id_name(message_id)}
        if not self.path.is_dir():
            return None
        matches = sorted(
            p
            for p in self.path.iterdir()
            if p.suffix == ".eml" and p.name.partition("-")[2][: -len(".eml")] in names
        )
        return matches[0] if matches else None

    def delivered(self, message_id: str) -> bool | None:
        return self.find(message_id) is not None

    async def send(
        self, msg: EmailMessage | bytes, *, recipients: Sequence[str] | None = None
    ) -> SendResult:
        raw, parsed, rcpts = _split(msg, recipients)
        message_id = str(parsed.get("Message-ID", ""))
        existing = self.find(message_id) if message_id else None
        if existing is not None:
            return SendResult(
                message_id, tuple(rcpts), reply="already in the outbox", location=str(existing)
            )
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
            target = inside(self.path, f"{stamp}-{sanitise_message_id(message_id)}.eml")
            fd, tmp = tempfile.mkstemp(dir=self.path, prefix=".tmp-", suffix=".part")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(raw)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            _fsync_dir(self.path)
        except OSError as err:
            raise TemporaryDeliveryError(
                f"impossible d'écrire dans la boîte d'envoi {self.path} : {err}"
            ) from err
        return SendResult(message_id, tuple(rcpts), reply="written", location=str(target))


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def make_transport(settings: MailSettings, outbox: Path | str | None = None) -> Transport:
    """SMTP when a host is configured, else the file outbox (``outbox`` or
    ``$KHAZNA_HOME/outbox``)."""
    if settings.host:
        return SmtpTransport(settings)
    if outbox is None:
        outbox = config.Paths.from_env().outbox
    return FileOutbox(outbox)
