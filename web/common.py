"""What every page shares: the signed-in user, roles, CSRF tokens, flash messages, rendering."""

from __future__ import annotations

import hmac
import re
import secrets
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup, escape

from khazna.agents.alerts import STATE_KEY as ALERTS_STATE_KEY
from khazna.agents.deps import AgentDeps
from khazna.calendar_dz import format_local
from khazna.filenames import url_segment
from khazna.labels import (
    CATEGORY,
    CLIENT_KIND,
    FORECAST_STATUS,
    INTERACTION_KIND,
    LANGUAGE,
    WRITER,
    decider,
    decision_words,
    draft_status,
    label,
)
from khazna.ledger.db import Ledger
from khazna.ledger.models import Setting
from khazna.ledger.tables_agents import DraftStatus
from khazna.ledger.tables_users import User
from khazna.money import format_dzd
from khazna.web.sessions import end_session
from khazna.web.users import UserInfo, info

TEMPLATES = Path(__file__).with_name("templates")
STATIC = Path(__file__).with_name("static")

LEVEL_LABELS = {1: "Relance 1", 2: "Relance 2", 3: "Mise en demeure"}
STATUS_LABELS = {
    DraftStatus.PENDING_APPROVAL: "en attente",
    DraftStatus.APPROVED: "approuvé",
    DraftStatus.SENT: "envoyé",
    DraftStatus.REJECTED: "rejeté",
    DraftStatus.FAILED: "échec",
    **FORECAST_STATUS,  # the forecast's status in the owner's words (« OK », « à surveiller »)
}


class LoginRequired(Exception):
    """Raised by :func:`current_user` when nobody is signed in: answered by a redirect."""

    def __init__(self, next_path: str = "/") -> None:
        super().__init__(next_path)
        self.next_path = next_path


def _lateness(days: int | None) -> str:
    """« 12 j » late, « dans 8 j » when not due yet, « aujourd'hui »: never « -8 j »."""
    if days is None:
        return ""
    if days > 0:
        return f"{days} j"
    return "échéance aujourd'hui" if days == 0 else f"échéance dans {-days} j"


def _date_fr(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    return f"{value:%d/%m/%Y}"


_PATH = re.compile(r"(?<![\w.:/])/[^\s()]+")


def _paths(value: str) -> Markup:
    """The text with each file path in ``<code class="path">`` (a path may wrap anywhere;
    it is a path, not a word)."""
    text = str(escape(value))
    return Markup(_PATH.sub(lambda m: f'<code class="path">{m.group()}</code>', text))


def _money(value) -> str:
    if value is None or value == "":
        return ""
    return format_dzd(Decimal(str(value)))


def status_label(d) -> str:
    """A draft's status badge (:func:`khazna.labels.draft_status`)."""
    return draft_status(
        d.status, getattr(d, "delivery", None), bool(getattr(d, "sent_by_hand", False))
    )


def make_templates() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True)
    env.filters["dzd"] = _money
    env.filters["date_fr"] = _date_fr
    env.filters["paths"] = _paths
    env.filters["lateness"] = _lateness
    # codes in the owner's words (khazna.labels), times on the Algiers clock
    env.filters["kind_fr"] = lambda code: label(CLIENT_KIND, code)
    env.filters["category_fr"] = lambda code: label(CATEGORY, code)
    env.filters["interaction_fr"] = lambda code: label(INTERACTION_KIND, code)
    env.filters["writer_fr"] = lambda code: label(WRITER, code)
    env.filters["decision_fr"] = decision_words
    env.filters["decider_fr"] = decider
    env.filters["language_fr"] = lambda code: label(LANGUAGE, code)
    env.filters["local_time"] = format_local
    # ids become path segments: "/" too is quoted (2026/0001 -> 2026%2F0001), the routes
    # take them with the :path converter (Starlette matches on the decoded path)
    env.filters["urlencode"] = url_segment
    env.globals["LEVEL_LABELS"] = LEVEL_LABELS
    env.globals["STATUS_LABELS"] = STATUS_LABELS
    env.globals["status_label"] = status_label
    env.globals["DraftStatus"] = DraftStatus
    return env


def ledger_of(request: Request) -> Ledger:
    return request.app.state.ledger


def agent_deps(request: Request) -> AgentDeps:
    return AgentDeps(ledger=ledger_of(request), transport=request.app.state.transport)


def current_user(request: Request) -> UserInfo:
    name = request.session.get("user")
    if name:
        with ledger_of(request).read() as s:
            user = s.get(User, name)
            if user is not None:
                return info(user)
        end_session(request)  # the user was removed: the session ends
    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    raise LoginRequired(path if request.method == "GET" else "/")


def owner_user(user: Annotated[UserInfo, Depends(current_user)]) -> UserInfo:
    if user.role != "owner":
        raise HTTPException(403, "réservé au gérant")
    return user


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def check_csrf(request: Request) -> None:
    """Every POST form carries the session's token in a hidden ``csrf`` field."""
    form = await request.form()
    sent = form.get("csrf")
    expected = request.session.get("csrf")
    if not expected or not isinstance(sent, str) or not hmac.compare_digest(sent, expected):
        raise HTTPException(403, "jeton CSRF absent ou invalide : rechargez la page")


def flash(request: Request, kind: str, text: str) -> None:
    request.session.setdefault("flash", [])
    request.session["flash"] = [*request.session["flash"], [kind, text]]


ALERT_DAYS = 7  # an alert stays on every page for a week after its day


def recent_alerts(request: Request, today: date | None = None) -> list[dict]:
    """The alerts of the last :data:`ALERT_DAYS` days (``agents.alerts`` keeps them in the
    settings, sent or not): the banner every page shows, so that an alert is never only a
    log line or an email nobody was configured to receive."""
    today = today or date.today()
    with ledger_of(request).read() as s:
        row = s.get(Setting, ALERTS_STATE_KEY)
        recent = list((row.value or {}).get("recent", [])) if row else []
    shown = []
    for a in recent:
        try:
            day = date.fromisoformat(str(a.get("date", "")))
        except ValueError:
            continue
        if 0 <= (today - day).days <= ALERT_DAYS:
            shown.append({**a, "day": day})
    return shown


def render(request: Request, name: str, status_code: int = 200, **ctx):
    env: Environment = request.app.state.templates
    user = ctx.pop("user", None)
    messages = request.session.pop("flash", []) if "flash" in request.session else []
    html = env.get_template(name).render(
        request=request,
        user=user,
        alerts=recent_alerts(request) if user is not None else [],
        csrf=csrf_token(request),
        messages=messages,
        path=request.url.path,
        **ctx,
    )
    return HTMLResponse(html, status_code=status_code)


CurrentUser = Annotated[UserInfo, Depends(current_user)]
Owner = Annotated[UserInfo, Depends(owner_user)]
Csrf = Annotated[None, Depends(check_csrf)]  # after the user: no session → login, not 403


def safe_next(target: str | None) -> str:
    """Only a path on this site (no ``//host`` or scheme): no open redirect."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
