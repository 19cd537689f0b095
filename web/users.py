"""Users of the web app: creation, listing and password checks (argon2), and the secret key
that signs the session cookies."""

from __future__ import annotations

import os
import secrets
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from khazna.config import web_secret_key
from khazna.ledger.tables_users import ROLES, User

MIN_PASSWORD_LENGTH = 8


class UserError(ValueError):
    """A user that cannot be created or found; the message names the field."""


class UserInfo(BaseModel):
    username: str
    role: str
    created_at: datetime
    last_login_at: datetime | None = None


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# A hash to verify against when the user does not exist, so that a wrong name takes as long
# as a wrong password (no user enumeration by timing).
_DUMMY_HASH: str | None = None


def _dummy_hash() -> str:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password(secrets.token_hex(16))
    return _DUMMY_HASH


def add_user(session: Session, username: str, role: str, password: str) -> UserInfo:
    username = username.strip()
    if not username or len(username) > 120 or any(c.isspace() for c in username):
        raise UserError(f"username {username!r}: 1 to 120 characters, no spaces")
    if role not in ROLES:
        raise UserError(f"role {role!r}: expected one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"password: at least {MIN_PASSWORD_LENGTH} characters")
    if session.get(User, username) is not None:
        raise UserError(f"username {username!r}: already exists")
    user = User(
        username=username, role=role, password_hash=hash_password(password), created_at=_now()
    )
    session.add(user)
    session.flush()
    return info(user)


def info(user: User) -> UserInfo:
    return UserInfo(
        username=user.username,
        role=user.role,
        created_at=user.created_at,
        last_login_at=user.last_login_at,
    )


def list_users(session: Session) -> list[UserInfo]:
    return [info(u) for u in session.scalars(select(User).order_by(User.username))]


def authenticate(session: Session, username: str, password: str) -> UserInfo | None:
    """The user when the password is right (and its last login is recorded), else None."""
    user = session.get(User, username.strip())
    if user is None:
        verify_password(_dummy_hash(), password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    user.last_login_at = _now()
    hasher = _hasher()
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    return info(user)


class LoginLimiter:
    """At most ``max_failures`` failed logins per (address, username) within ``window``
    seconds; in memory, per process (enough for one small office server)."""

    def __init__(self, max_failures: int = 5, window: float = 900.0, clock=time.monotonic):
        self.max_failures = max_failures
        self.window = window
        self.clock = clock
        self._failures: dict[tuple[str, str], list[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str]) -> list[float]:
        now = self.clock()
        kept = [t for t in self._failures.get(key, []) if now - t < self.window]
        self._failures[key] = kept
        return kept

    def blocked_for(self, address: str, username: str) -> float:
        """Seconds until a new attempt is allowed (0 when allowed now)."""
        with self._lock:
            recent = self._recent((address, username.strip().lower()))
            if len(recent) < self.max_failures:
                return 0.0
            return max(0.0, self.window - (self.clock() - recent[0]))

    def failed(self, address: str, username: str) -> None:
        with self._lock:
            self._recent((address, username.strip().lower())).append(self.clock())

    def succeeded(self, address: str, username: str) -> None:
        with self._lock:
            self._failures.pop((address, username.strip().lower()), None)


def secret_key(home: Path) -> str:
    """``$KHAZNA_SECRET_KEY``, else a key generated once and kept in ``home/secret_key``
    (mode 0600)."""
    env = web_secret_key()
    if env:
        return env
    path = home / "secret_key"
    if path.exists():
        key = path.read_text().strip()
        if key:
            return key
    home.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key + "\n")
    os.chmod(path, 0o600)
    return key
