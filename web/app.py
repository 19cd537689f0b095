"""The web app (``khazna serve``): the owner's inbox, the dashboard, the accountant's questions.

Server-rendered pages (Jinja2, autoescaped), plain forms, no JavaScript. Sessions live in a
signed cookie; every POST form carries a per-session CSRF token checked on the server.
"""

from __future__ import annotations

import logging
import secrets
from pathlib import Path
from urllib.parse import quote

from fastapi import Depends, FastAPI, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from khazna.config import khazna_home
from khazna.ledger.db import Ledger
from khazna.web.common import (
    STATIC,
    LoginRequired,
    check_csrf,
    csrf_token,
    current_user,
    flash,
    ledger_of,
    make_templates,
    render,
    safe_next,
)
from khazna.web.routes_inbox import router as inbox_router
from khazna.web.routes_pages import router as pages_router
from khazna.web.routes_receipts import router as receipts_router
from khazna.web.users import LoginLimiter, authenticate, secret_key

log = logging.getLogger(__name__)

SESSION_MAX_AGE = 12 * 3600
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
) -> FastAPI:
    """The app on the ledger at ``db_url``.

    ``secret`` signs the session cookies (default: ``$KHAZNA_SECRET_KEY`` or the key kept in
    ``home``/secret_key); ``transport`` is the mail transport (default: from the environment); ``model`` the
    chat model the questions page uses (None: the assistant's offline parser).
    """

    app = FastAPI(title="Khazna", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.ledger = Ledger(db_url)
    app.state.transport = transport
    app.state.model = model
    app.state.templates = make_templates()
    app.state.limiter = limiter or LoginLimiter()
    key = secret or secret_key(home or khazna_home())
    app.add_middleware(
        SessionMiddleware,
        secret_key=key,
        session_cookie="khazna_session",
        max_age=SESSION_MAX_AGE,
        same_site="lax",
        https_only=https_only,
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
        if exc.status_code in (403, 404, 409, 429):
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

    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    _auth_routes(app)

    app.include_router(inbox_router)
    app.include_router(pages_router)
    app.include_router(receipts_router)
    return app


def _auth_routes(app: FastAPI) -> None:
    @app.get("/login", response_class=HTMLResponse)
    def login_form(request: Request, next: str = "/"):
        if request.session.get("user"):
            return RedirectResponse(safe_next(next), status_code=303)
        return render(request, "login.html", next=safe_next(next), error="")

    @app.post("/login", dependencies=[Depends(check_csrf)])
    def login(
        request: Request,
        username: str = Form(""),
        password: str = Form(""),
        next: str = Form("/"),
    ):
        address = request.client.host if request.client else "?"
        limiter: LoginLimiter = request.app.state.limiter
        wait = limiter.blocked_for(address, username)
        if wait > 0:
            minutes = max(1, round(wait / 60))
            return render(
                request,
                "login.html",
                status_code=429,
                next=safe_next(next),
                error=f"Trop d'essais : réessayez dans {minutes} min.",
            )
        with ledger_of(request).session() as s:
            user = authenticate(s, username, password)
        if user is None:
            limiter.failed(address, username)
            log.info("failed login for %r from %s", username, address)
            return render(
                request,
                "login.html",
                status_code=401,
                next=safe_next(next),
                error="Nom d'utilisateur ou mot de passe incorrect.",
            )
        limiter.succeeded(address, username)
        request.session.clear()  # a new session on login: no fixation of an old one
        request.session["user"] = user.username
        request.session["csrf"] = secrets.token_urlsafe(32)
        return RedirectResponse(safe_next(next), status_code=303)

    @app.post("/logout", dependencies=[Depends(check_csrf)])
    def logout(request: Request):
        request.session.clear()
        csrf_token(request)
        flash(request, "info", "Vous êtes déconnecté.")
        return RedirectResponse("/login", status_code=303)

    @app.get("/healthz")
    def healthz() -> Response:
        return Response("ok", media_type="text/plain")
