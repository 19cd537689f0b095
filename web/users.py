"""Users of the web app: creation, listing, password checks (argon2) and changes, removal,
and the app's secret key (it signs the login form's CSRF token)."""

from __future__ import annotations

import os
import secrets
from datetime import UTC, datetime
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from khazna.config import SessionLimits, web_secret_key
from khazna.ledger.tables_users import ROLES, User
from khazna.web.sessions import end_user_sessions

MIN_PASSWORD_LENGTH = 8


class UserError(ValueError):
    """A user that cannot be created or found; the message names the field."""


class UserInfo(BaseModel):
    username: str
    role: str
    created_at: datetime
    last_login_at: datetime | None = None


def _hasher():
    return PasswordHasher()


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
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
        raise UserError(f"nom d'utilisateur {username!r} : de 1 à 120 caractères, sans espace")
    if role not in ROLES:
        raise UserError(f"rôle {role!r} : attendu l'un de {', '.join(ROLES)}")
    _check_password(password)
    if session.get(User, username) is not None:
        raise UserError(f"l'utilisateur {username!r} existe déjà")
    user = User(
        username=username, role=role, password_hash=hash_password(password), created_at=_now()
    )
    session.add(user)
    session.flush()
    return info(user)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"mot de passe : au moins {MIN_PASSWORD_LENGTH} caractères")


def _existing(session: Session, username: str) -> User:
    user = session.get(User, username.strip())
    if user is None:
        raise UserError(f"utilisateur {username.strip()!r} inconnu (khazna user list)")
    return user


def set_password(
    session: Session, username: str, password: str, limits: SessionLimits | None = None
) -> int:
    """A new password for ``username``; every session of the user ends (how many were live,
    under ``limits``)."""
    user = _existing(session, username)
    _check_password(password)
    user.password_hash = hash_password(password)
    return end_user_sessions(session, user.username, limits)


def remove_user(session: Session, username: str, limits: SessionLimits | None = None) -> int:
    """Remove ``username`` and end its sessions (how many). The last owner stays: without an
    owner nobody could approve a reminder (add another owner first, or change its password)."""
    user = _existing(session, username)
    if user.role == "owner":
        owners = session.scalar(select(func.count()).select_from(User).where(User.role == "owner"))
        if int(owners or 0) <= 1:
            raise UserError(
                f"utilisateur {user.username!r} : le seul gérant ne peut pas être retiré "
                "(ajoutez d'abord un autre gérant, ou changez son mot de passe avec "
                "`khazna user passwd`)"
            )
    ended = end_user_sessions(session, user.username, limits)
    session.delete(user)
    session.flush()
    return ended


def info(user: User) -> UserInfo:
    return UserInfo(
        username=user.username,
        role=user.role,
        created_at=user.created_at,
        last_login_at=user.last_login_at,
    )


def list_users(session: Session) -> list[UserInfo]:
    return [info(u) for u in session.scalars(select(User).order_by(User.username))]


def authenticate(
    session: Session, username: str, password: str, *, hash_unknown: bool = True
) -> UserInfo | None:
    """The user when the password is right (and its last login is recorded), else None.

    An unknown name is checked against a dummy hash (as long as a wrong password) unless
    ``hash_unknown`` is False (the flood budget of :mod:`khazna.web.throttle` is spent)."""
    user = session.get(User, username.strip())
    if user is None:
        if hash_unknown:
            verify_password(_dummy_hash(), password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    user.last_login_at = _now()
    hasher = _hasher()
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    return info(user)


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
