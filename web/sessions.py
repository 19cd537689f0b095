"""Web sessions kept on the server, in the ledger's ``web_sessions`` table.

The browser's cookie (``khazna_session``) holds only a random id (32 bytes); the table keeps
its SHA-256, the user, when the session began and was last used, the client's address and the
session's small state (its CSRF token, flash messages). A session ends when its row goes:
logout, a password change, a removed user, ``khazna user sessions NAME --revoke``, or a
timeout (``idle`` without a request, ``absolute`` after the login; see
:class:`khazna.config.SessionLimits`). A cookie whose row is gone opens nothing.

A visitor who has not signed in gets a random id too, but no row: nothing is written for
anonymous traffic. The CSRF token of the login form is then an HMAC of that id under the
app's secret key (a signed double-submit token), so the login form stays protected.

``request.session`` stays a plain dict (what Starlette's own middleware gives); the login and
logout routes call :func:`start_session` and :func:`end_session`, and the middleware writes
the change when the response starts.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pydantic import BaseModel
from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from khazna.config import SessionLimits
from khazna.ledger.db import Ledger
from khazna.ledger.tables_users import WebSession

COOKIE = "khazna_session"
STATE_KEY = "khazna.session"
_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)
TOUCH_EVERY = timedelta(seconds=60)  # last_seen_at is written at most once a minute


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


class SessionInfo(BaseModel):
    ref: str  # the first 12 hex digits of the id's hash: names a session, opens nothing
    username: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    address: str


def _expired_clause(limits: SessionLimits, now: datetime):
    return or_(
        WebSession.last_seen_at < now - limits.idle,
        WebSession.created_at < now - limits.absolute,
    )


def expires_at(row: WebSession, limits: SessionLimits) -> datetime:
    return min(row.last_seen_at + limits.idle, row.created_at + limits.absolute)


def purge_expired(s: Session, limits: SessionLimits, now: datetime | None = None) -> int:
    result = s.execute(delete(WebSession).where(_expired_clause(limits, now or _now())))
    return int(getattr(result, "rowcount", 0) or 0)


def list_sessions(
    s: Session, limits: SessionLimits, username: str | None = None, now: datetime | None = None
) -> list[SessionInfo]:
    """The live sessions (of ``username``, or everyone's), oldest first."""
    now = now or _now()
    q = select(WebSession).where(~_expired_clause(limits, now))
    if username is not None:
        q = q.where(WebSession.username == username)
    return [
        SessionInfo(
            ref=row.id_hash[:12],
            username=row.username,
            created_at=row.created_at,
            last_seen_at=row.last_seen_at,
            expires_at=expires_at(row, limits),
            address=row.address,
        )
        for row in s.scalars(q.order_by(WebSession.created_at, WebSession.id_hash))
    ]


def end_user_sessions(
    s: Session, username: str | None = None, limits: SessionLimits | None = None
) -> int:
    """End every session of ``username`` (everyone's when None). How many were live, when
    ``limits`` says what is live (expired rows are purged first); else how many rows went."""
    if limits is not None:
        purge_expired(s, limits)
    q = delete(WebSession)
    if username is not None:
        q = q.where(WebSession.username == username)
    result = s.execute(q)
    return int(getattr(result, "rowcount", 0) or 0)


class SessionStore:
    """The ``web_sessions`` rows of one ledger, with the timeouts applied on every read."""

    def __init__(
        self, ledger: Ledger, limits: SessionLimits, clock: Callable[[], datetime] = _now
    ) -> None:
        self.ledger = ledger
        self.limits = limits
        self.clock = clock

    def load(self, token: str) -> tuple[str, dict] | None:
        """The user and state of a live session, else None (an expired one is deleted)."""
        now = self.clock()
        key = token_hash(token)
        with self.ledger.session() as s:
            row = s.get(WebSession, key)
            if row is None:
                return None
            if expires_at(row, self.limits) <= now:
                s.delete(row)
                return None
            if now - row.last_seen_at >= min(TOUCH_EVERY, self.limits.idle / 4):
                row.last_seen_at = now
            return row.username, dict(row.data or {})

    def create(self, username: str, address: str, data: dict) -> str:
        now = self.clock()
        token = new_token()
        with self.ledger.session() as s:
            purge_expired(s, self.limits, now)
            s.add(
                WebSession(
                    id_hash=token_hash(token),
                    username=username,
                    created_at=now,
                    last_seen_at=now,
                    address=address[:64],
                    data=data,
                )
            )
        return token

    def save(self, token: str, data: dict) -> None:
        with self.ledger.session() as s:
            row = s.get(WebSession, token_hash(token))
            if row is not None:  # ended meanwhile (logout elsewhere, passwd): stays ended
                row.data = data

    def delete(self, token: str) -> None:
        with self.ledger.session() as s:
            s.execute(delete(WebSession).where(WebSession.id_hash == token_hash(token)))


@dataclass
class _State:
    token: str  # the cookie's id: a live session's, or an anonymous visitor's
    user: str | None  # the signed-in user the request came with
    loaded: dict  # the session's state as read, to write back only a change
    set_cookie: bool = False  # an anonymous visitor without a (well-formed) cookie
    start_user: str | None = None
    end: bool = False


def start_session(request: Request, username: str) -> None:
    """Sign ``username`` in: a new session id (never the one the visitor came with, so no
    fixation) with a new CSRF token; the previous session, if any, ends."""
    state: _State = request.scope[STATE_KEY]
    state.start_user = username
    state.end = False
    request.session.clear()
    request.session["user"] = username
    request.session["csrf"] = secrets.token_urlsafe(32)


def end_session(request: Request) -> None:
    """Sign out: the session's row is deleted and the browser gets a fresh anonymous id."""
    state: _State = request.scope[STATE_KEY]
    state.end = True
    state.start_user = None
    request.session.clear()


class ServerSessionMiddleware:
    """Gives each request ``request.session`` from the ``web_sessions`` table (see above)."""

    def __init__(
        self, app: ASGIApp, *, store: SessionStore, secret: str, https_only: bool = False
    ) -> None:
        self.app = app
        self.store = store
        self.secret = secret.encode("utf-8")
        self.https_only = https_only

    def anonymous_csrf(self, token: str) -> str:
        return hmac.new(self.secret, b"login-csrf:" + token.encode(), hashlib.sha256).hexdigest()

    def _cookie(self, token: str) -> str:
        max_age = int(self.store.limits.absolute.total_seconds())
        cookie = f"{COOKIE}={token}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax"
        return cookie + ("; Secure" if self.https_only else "")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw = HTTPConnection(scope).cookies.get(COOKIE, "")
        token = raw if _TOKEN_RE.fullmatch(raw) else None
        found = await run_in_threadpool(self.store.load, token) if token else None
        if found is not None and token is not None:
            user, data = found
            data.pop("user", None)
            session: dict = {**data, "user": user}
            state = _State(token=token, user=user, loaded=dict(data))
        else:
            # a stale id (logged out, expired) is kept as the anonymous id: it opens nothing,
            # and the login form's token stays the one the page was rendered with
            anon = token or new_token()
            session = {"csrf": self.anonymous_csrf(anon)}
            state = _State(token=anon, user=None, loaded={}, set_cookie=token is None)
        scope["session"] = session
        scope[STATE_KEY] = state
        client = scope.get("client")
        address = str(client[0]) if client else ""

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                cookie = await run_in_threadpool(self._finish, state, session, address)
                if cookie:
                    MutableHeaders(scope=message).append("Set-Cookie", self._cookie(cookie))
            await send(message)

        await self.app(scope, receive, send_wrapper)

    def _finish(self, state: _State, session: dict, address: str) -> str | None:
        """Write what the request changed; the id to set in the cookie, if it changes."""
        if state.start_user is not None:
            if state.user is not None:
                self.store.delete(state.token)
            data = {k: v for k, v in session.items() if k != "user"}
            return self.store.create(state.start_user, address, data)
        if state.user is not None and (state.end or session.get("user") != state.user):
            self.store.delete(state.token)
            return new_token()
        if state.user is not None:
            data = {k: v for k, v in session.items() if k != "user"}
            if data != state.loaded:
                self.store.save(state.token, data)
            return None
        # anonymous: nothing is stored (a flash message set now is not kept)
        return state.token if state.set_cookie else None
