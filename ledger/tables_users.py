"""The web app's own tables: the people who sign in (with their role), their sessions, and
the login attempts that throttling counts.

Created by the Alembic migrations ``0003_web_users`` and ``0006_web_sessions``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from khazna.ledger.models import Base

ROLES = ("owner", "accountant")


class User(Base):
    __tablename__ = "users"
    username: Mapped[str] = mapped_column(String(120), primary_key=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class WebSession(Base):
    """A signed-in session of the web app. The browser's cookie holds only a random id; the
    table keeps its SHA-256 (a copy of the database gives no live cookie). Deleting the row
    ends the session: logout, a password change, a removed user, a timeout."""

    __tablename__ = "web_sessions"
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(String(120), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime)
    address: Mapped[str] = mapped_column(String(64), default="")
    data: Mapped[dict] = mapped_column(JSON, default=dict)  # the CSRF token, flash messages


class LoginAttempt(Base):
    """One login attempt (recorded before the password is checked, so that concurrent
    attempts count too); ``ok`` is set when it succeeded. ``known`` says whether the name was
    a user's (unknown names are hashed against a dummy only within a global budget)."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_username_at", "username", "at"),
        Index("ix_login_attempts_address_at", "address", "at"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    username: Mapped[str] = mapped_column(String(120))  # lower-cased, cut to 120 characters
    address: Mapped[str] = mapped_column(String(64))
    ok: Mapped[bool] = mapped_column(Boolean, default=False)
    known: Mapped[bool] = mapped_column(Boolean, default=False)
