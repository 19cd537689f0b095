"""The web app (``khazna serve``): the owner's inbox, the dashboard, the accountant's questions.

Server-rendered pages (Jinja2, autoescaped), plain forms, no JavaScript. Sessions live on the
server (:mod:`khazna.web.sessions`: the cookie holds only a random id); every POST form carries
a per-session CSRF token checked on the server; logins are throttled in the database
(:mod:`khazna.web.throttle`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from fastapi import Depends, FastAPI, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import OperationalError
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from khazna.config import SessionLimits, khazna_home
from khazna.ledger.db import Ledger
from khazna.ledger.state import StateCache
from khazna.ledger.storage import storage_full
from khazna.ledger.tables_users import User
from khazna.web.common import (
    STATIC,
    LoginRequired,
    check_csrf,
    current_user,
    ledger_of,
    make_templates,
    render,
    safe_next,
)
from khazna.web.routes_inbox import router as inbox_router
from khazna.web.routes_pages import router as pages_router
from khazna.web.routes_receipts import router as receipts_router
from khazna.web.routes_setup import router as setup_router
from khazna.web.routes_webhook import router as webhook_router
from khazna.web.sessions import ServerSessionMiddleware, SessionStore, end_session, start_session
from khazna.web.throttle import LoginLimiter
from khazna.web.users import authenticate, secret_key

log = logging.getLogger(__name__)

HASH_SLOTS = 2  # passwords hashed at once (argon2: 64 MiB each); a login waits for a slot
HASH_WAIT = 20.0  # seconds a login waits for a slot before "serveur occupé"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def create_app(
    db_url: str,
    *,
    secret: str | None = None,
    home: Path | None = None,
    transport=None,
    model=None,
    https_only: bool = False,
    limiter: LoginLimiter | None = None,
    sessions: SessionLimits | None = None,
    trusted_proxies: Sequence[str] = (),
    hash_slots: int = HASH_SLOTS,
) -> FastAPI:
    """The app on the ledger at ``db_url``.

    ``secret`` signs the login form's CSRF token (default: ``$KHAZNA_SECRET_KEY`` or the key
    kept in ``home``/secret_key); ``transport`` is the mail transport (default: from the
    environment); ``model`` the chat model the questions page uses (None: the assistant's
    offline parser); ``sessions`` the idle and absolute timeouts (default
    :class:`SessionLimits`); ``trusted_proxies`` the addresses (or networks) whose
    ``X-Forwarded-For`` names the client (none: the header is ignored).
    """

    app = FastAPI(title="Khazna", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.ledger = Ledger(db_url)
    app.state.results = StateCache()  # the dashboard's forecast, risks, anomalies
    app.state.transport = transport
    app.state.model = model
    app.state.templates = make_templates()
    app.state.limiter = limiter or LoginLimiter()
    app.state.hash_slots = threading.BoundedSemaphore(hash_slots)
    app.state.sessions = SessionStore(app.state.ledger, sessions or SessionLimits())
    key = secret or secret_key(home or khazna_home())
    app.add_middleware(
        ServerSessionMiddleware, store=app.state.sessions, secret=key, https_only=https_only
    )

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if request.url.path != "/static/style.css":
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.exception_handler(LoginRequired)
    async def to_login(request: Request, exc: LoginRequired):

        target = "/login" if exc.next_path in ("/", "") else f"/login?next={quote(exc.next_path)}"
        return RedirectResponse(target, status_code=303)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        if exc.status_code in (400, 403, 404, 409, 429):
            user = None
            try:
                user = current_user(request)
            except LoginRequired:
                pass
            return render(
                request,
                "error.html",
                status_code=exc.status_code,
                user=user,
                code=exc.status_code,
                detail=str(exc.detail),
            )
        return HTMLResponse(str(exc.detail), status_code=exc.status_code)

    async def storage_error(request: Request, exc: Exception):
        message = storage_full(exc)
        if message is None:
            raise exc
        user = None
        try:
            user = current_user(request)
        except LoginRequired:
            pass
        return render(request, "error.html", status_code=507, user=user, code=507, detail=message)

    app.add_exception_handler(OSError, storage_error)
    app.add_exception_handler(OperationalError, storage_error)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    _auth_routes(app)

    app.include_router(inbox_router)
    app.include_router(pages_router)
    app.include_router(receipts_router)
    app.include_router(setup_router)
    app.include_router(webhook_router)  # signed by Meta, no session (X-Hub-Signature-256)
    if trusted_proxies:  # outermost: the sessions and the throttle see the client's address
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=list(trusted_proxies))
    return app


def client_address(request: Request) -> str:
    """The TCP peer, or the client a trusted proxy names (see ``trusted_proxies``)."""
    return request.client.host if request.client else ""


def _auth_routes(app: FastAPI) -> None:
    @app.get("/login", response_class=HTMLResponse)
    def login_form(request: Request, next: str = "/", bye: str = ""):
        if request.session.get("user"):
            return RedirectResponse(safe_next(next), status_code=303)
        notice = "Vous êtes déconnecté." if bye else ""
        return render(request, "login.html", next=safe_next(next), error="", notice=notice)

    @app.post("/login", dependencies=[Depends(check_csrf)])
    def login(
        request: Request,
        username: str = Form(""),
        password: str = Form(""),
        next: str = Form("/"),
    ):
        address = client_address(request)
        limiter: LoginLimiter = request.app.state.limiter
        ledger = ledger_of(request)
        username = username[:200]

        def again(status_code: int, error: str):
            return render(
                request,
                "login.html",
                status_code=status_code,
                next=safe_next(next),
                error=error,
                username=username,  # kept: only the password is typed again
            )

        with ledger.session() as s:
            wait = limiter.blocked_for(s, address, username)
        if wait > 0:
            log.info("login for %r from %s refused: throttled", username, address)
            return again(429, f"Trop d'essais : réessayez dans {max(1, round(wait / 60))} min.")
        with ledger.session() as s:
            known = s.get(User, username.strip()) is not None
            attempt = limiter.begin(s, address, username, known=known)
            hash_unknown = known or limiter.may_hash_unknown(s)
        slots: threading.BoundedSemaphore = request.app.state.hash_slots
        if not slots.acquire(timeout=HASH_WAIT):
            log.warning("login for %r from %s: no hashing slot free", username, address)
            return again(503, "Le serveur est occupé : réessayez dans un instant.")
        try:
            with ledger.session() as s:
                user = authenticate(s, username, password, hash_unknown=hash_unknown)
                if user is not None:
                    limiter.succeeded(s, attempt)
        finally:
            slots.release()
        if user is None:
            log.info("failed login for %r from %s", username, address)
            return again(401, "Nom d'utilisateur ou mot de passe incorrect.")
        start_session(request, user.username)  # a new session id: no fixation of an old one
        return RedirectResponse(safe_next(next), status_code=303)

    @app.post("/logout", dependencies=[Depends(check_csrf)])
    def logout(request: Request):
        end_session(request)  # the row goes: the old cookie opens nothing any more
        return RedirectResponse("/login?bye=1", status_code=303)

    @app.get("/healthz")
    def healthz() -> Response:
        return Response("ok", media_type="text/plain")
