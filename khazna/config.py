"""Khazna's settings from the environment, read in one place when a command starts.

Every reader of a ``KHAZNA_*`` variable goes through an accessor here; each takes
``environ=`` (default ``os.environ``) so that tests can hand in their own mapping. This is
the core layer: nothing here imports the rest of Khazna.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

Environ = Mapping[str, str]


def _env(environ: Environ | None) -> Environ:
    return os.environ if environ is None else environ


def home_override(environ: Environ | None = None) -> Path | None:
    """``$KHAZNA_HOME`` when it is set (``~`` expanded), else None."""
    value = _env(environ).get("KHAZNA_HOME")
    return Path(value).expanduser() if value else None


def khazna_home(environ: Environ | None = None) -> Path:
    """``$KHAZNA_HOME``, else a per-user data folder (``~/.local/share/khazna``)."""
    env = _env(environ)
    home = home_override(env)
    if home is not None:
        return home
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "khazna"


def default_db_url(environ: Environ | None = None) -> str:
    return f"sqlite:///{khazna_home(environ) / 'khazna.db'}"


def resolve_db_url(cli_value: str | None, environ: Environ | None = None) -> str:
    """``--db`` wins over ``KHAZNA_DB_URL``, which wins over the default SQLite file."""
    return cli_value or _env(environ).get("KHAZNA_DB_URL") or default_db_url(environ)


def owner_email(environ: Environ | None = None) -> str:
    """``$KHAZNA_OWNER_EMAIL`` (where reports, alerts and unaddressed reminders go), or ''."""
    return _env(environ).get("KHAZNA_OWNER_EMAIL", "").strip()


def mail_from(environ: Environ | None = None) -> str:
    """``$KHAZNA_MAIL_FROM`` (the sender of every outgoing message), or '' when unset."""
    return _env(environ).get("KHAZNA_MAIL_FROM", "").strip()


def web_secret_key(environ: Environ | None = None) -> str:
    """``$KHAZNA_SECRET_KEY`` (signs the web sessions), or '' when unset."""
    return _env(environ).get("KHAZNA_SECRET_KEY", "").strip()


def trusted_authserv(environ: Environ | None = None) -> frozenset[str]:
    """``$KHAZNA_TRUSTED_AUTHSERV``: the authserv-ids (comma- or space-separated, compared
    lower-case) of the mail servers whose ``Authentication-Results`` header on a client's reply
    is believed: the owner's own receiving server, or the IMAP provider's (``mx.google.com``).
    Empty (the default): no reply counts as authenticated, so none pauses a reminder by itself.
    Name a server only if it writes that header on every message it receives and removes the
    copies bearing its name that arrive from outside (RFC 8601 section 5)."""
    value = _env(environ).get("KHAZNA_TRUSTED_AUTHSERV", "")
    return frozenset(v.lower() for v in re.split(r"[\s,;]+", value) if v)


SESSION_IDLE_MINUTES = 60  # a signed-in session unused this long ends
SESSION_MAX_HOURS = 12  # and any session ends this long after its login, used or not


@dataclass(frozen=True)
class SessionLimits:
    """How long a web session lives: ``idle`` without a request, ``absolute`` in all."""

    idle: timedelta = timedelta(minutes=SESSION_IDLE_MINUTES)
    absolute: timedelta = timedelta(hours=SESSION_MAX_HOURS)


def _positive(env: Environ, name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        value = -1.0
    if not 0 < value < 100_000:
        raise ValueError(f"{name}={raw!r}: expected a positive number")
    return value


def session_limits(environ: Environ | None = None) -> SessionLimits:
    """``$KHAZNA_SESSION_IDLE_MINUTES`` (default 60) and ``$KHAZNA_SESSION_MAX_HOURS``
    (default 12); a value that is not a positive number raises ValueError naming it."""
    env = _env(environ)
    idle = _positive(env, "KHAZNA_SESSION_IDLE_MINUTES", SESSION_IDLE_MINUTES)
    absolute = _positive(env, "KHAZNA_SESSION_MAX_HOURS", SESSION_MAX_HOURS)
    return SessionLimits(idle=timedelta(minutes=idle), absolute=timedelta(hours=absolute))


@dataclass(frozen=True)
class Paths:
    home: Path

    @property
    def outbox(self) -> Path:
        return self.home / "outbox"

    @property
    def exports(self) -> Path:
        """Every row of a long listing (``khazna categorize``, ``khazna anomalies``) as CSV."""
        return self.home / "exports"

    @property
    def memory(self) -> Path:
        return self.home / "memory"

    @property
    def replies(self) -> Path:
        """Clients' replies dropped as ``.eml`` files, read by each ``khazna run``."""
        return self.home / "replies"

    @property
    def quarantine(self) -> Path:
        """Messages that could not be read, each with a ``.txt`` saying why
        (``quarantine/replies/`` for clients' replies)."""
        return self.home / "quarantine"

    @property
    def checkpoints(self) -> Path:
        return self.home / "checkpoints.sqlite"

    @property
    def bank_mappings(self) -> Path:
        return self.home / "bank_mappings.json"

    @property
    def evals(self) -> Path:
        """Where ``khazna eval`` records its runs (and compares them)."""
        return self.home / "evals"

    @classmethod
    def from_env(cls, environ: Environ | None = None) -> Paths:
        return cls(home=khazna_home(environ))


MODEL_TIMEOUT_S = 8.0  # one HTTP request to the model: connect, first byte, each read
MODEL_CONNECT_S = 3.0  # the TCP/TLS connect alone
MODEL_RETRIES = 1  # retries of a request that failed (timeout, 429, 5xx, connection)
MODEL_RETRY_PAUSE_S = 1.0  # the longest pause of the client before its first retry
QUESTION_BUDGET_S = 20.0  # every model call of one question, retries included
RUN_BUDGET_S = 600.0  # every model call of one `khazna run`; then the templates write
# what the offline answer after a spent question budget costs (0.3-1 s measured on the demo
# under load): the model path stops this much earlier, so the owner's whole wait fits the budget
FALLBACK_RESERVE_S = 1.5


_program_start: float | None = None


def mark_program_start() -> None:
    """Called by the ``khazna`` program (not by ``main([...])`` in a test): the owner's
    wait began when the process started, interpreter start-up included."""
    global _program_start
    _program_start = process_started()


def process_started() -> float:
    """``time.monotonic()`` when this process started (Linux ``/proc``; elsewhere: now)."""
    import time

    try:
        stat = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        ticks = int(stat[19])  # field 22, starttime, in clock ticks after boot
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return time.monotonic() - max(0.0, uptime - ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return time.monotonic()


def wait_started(now: float) -> float:
    """When the owner's wait began: the program's start when known, else ``now``."""
    return now if _program_start is None else min(now, _program_start)


def question_deadline(started: float, budget: float) -> float:
    """When the model path of a question started at ``started`` must stop: the budget less
    the offline answer's reserve (at most a quarter of a small budget)."""
    return started + budget - min(FALLBACK_RESERVE_S, budget / 4)


@dataclass(frozen=True)
class ModelLimits:
    """How long the model path may take: ``request_s`` per HTTP request (``connect_s`` of it
    to connect), ``retries`` more tries of a failed request, ``question_s`` for one question
    of ``khazna ask`` and ``run_s`` for all the model calls of one ``khazna run``."""

    request_s: float = MODEL_TIMEOUT_S
    connect_s: float = MODEL_CONNECT_S
    retries: int = MODEL_RETRIES
    question_s: float = QUESTION_BUDGET_S
    run_s: float = RUN_BUDGET_S

    def worst_request_s(self) -> float:
        """The longest one call can take with its retries and the client's pauses."""
        return (self.retries + 1) * self.request_s + self.retries * MODEL_RETRY_PAUSE_S


def model_limits(environ: Environ | None = None) -> ModelLimits:
    """``$KHAZNA_MODEL_TIMEOUT_S`` (seconds per request, default 8; the older
    ``KHAZNA_MODEL_TIMEOUT`` is read when it is unset), ``$KHAZNA_MODEL_MAX_RETRIES``
    (default 1), ``$KHAZNA_QUESTION_BUDGET_S`` (default 20) and ``$KHAZNA_MODEL_BUDGET_S``
    (one run, default 600). A value that is not a positive number raises ValueError naming
    it."""
    env = _env(environ)
    name = (
        "KHAZNA_MODEL_TIMEOUT_S"
        if env.get("KHAZNA_MODEL_TIMEOUT_S", "").strip()
        else "KHAZNA_MODEL_TIMEOUT"
    )
    request = _positive(env, name, MODEL_TIMEOUT_S)
    raw = env.get("KHAZNA_MODEL_MAX_RETRIES", "").strip()
    if raw and not (raw.isdigit() and int(raw) <= 10):
        raise ValueError(f"KHAZNA_MODEL_MAX_RETRIES={raw!r}: expected a whole number 0-10")
    return ModelLimits(
        request_s=request,
        connect_s=min(request, MODEL_CONNECT_S),
        retries=int(raw) if raw else MODEL_RETRIES,
        question_s=_positive(env, "KHAZNA_QUESTION_BUDGET_S", QUESTION_BUDGET_S),
        run_s=_positive(env, "KHAZNA_MODEL_BUDGET_S", RUN_BUDGET_S),
    )
