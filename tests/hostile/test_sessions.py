"""Issue 15.5, sessions that end (and issue 13.7, `user passwd|remove`): a cookie replayed after
logout, a password change or a removed user opens nothing; idle and absolute timeouts; login
throttling per account and per address kept in the database (a restart does not reset it);
X-Forwarded-For ignored unless `--trusted-proxy`; the cost of hashing bounded under a flood
of unknown names. Web tests run through FastAPI's TestClient and, where the server's own
handling of headers matters, through uvicorn on a real socket configured as `khazna serve`."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from khazna.agents.deps import AgentDeps
from khazna.agents.inbox import get_draft
from khazna.cli import main
from khazna.commands.serve_cmd import uvicorn_config
from khazna.config import SessionLimits, session_limits
from khazna.ledger.db import Ledger
from khazna.ledger.tables_users import LoginAttempt, WebSession
from khazna.web import users as users_mod
from khazna.web.app import create_app
from khazna.web.sessions import COOKIE
from khazna.web.throttle import LoginLimiter
from khazna.web.users import add_user
from tests.smtp_server import free_port
from tests.web_helpers import (
    ACCOUNTANT,
    CSRF_RE,
    DRAFT_ID,
    OWNER,
    csrf_of,
    ledger_with_draft,
    login,
)

LIMITS = SessionLimits(idle=timedelta(minutes=30), absolute=timedelta(hours=12))


@pytest.fixture
def site(tmp_path):
    url, ledger = ledger_with_draft(tmp_path)
    app = create_app(url, secret="h" * 40, sessions=LIMITS)
    with TestClient(app) as client:
        client.ledger = ledger
        client.url = url
        yield client
    ledger.dispose()
    app.state.ledger.dispose()


def replay(app, token: str) -> TestClient:
    """A fresh client (another machine) holding only the stolen cookie."""
    other = TestClient(app)
    other.cookies.set(COOKIE, token)
    return other


def opens_inbox(client: TestClient) -> bool:
    r = client.get("/inbox", follow_redirects=False)
    return r.status_code == 200 and "Relances" in r.text


def session_rows(ledger: Ledger, username: str | None = None) -> int:
    with ledger.read() as s:
        q = select(func.count()).select_from(WebSession)
        if username:
            q = q.where(WebSession.username == username)
        return int(s.scalar(q) or 0)


def cli(args: list[str], monkeypatch, capsys, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


# --------------------------------------------------------------------------- the cookie


def test_cookie_is_a_random_id_and_the_table_keeps_its_hash(site):
    site.get("/login")
    before = site.cookies.get(COOKIE)
    assert before and re.fullmatch(r"[A-Za-z0-9_-]{43}", before)
    for _ in range(20):
        site.get("/login")
    assert session_rows(site.ledger) == 0  # anonymous traffic writes nothing
    assert login(site, OWNER).status_code == 303
    token = site.cookies.get(COOKIE)
    assert token != before  # a new id on login: no fixation
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)  # nothing but an id: no name, no role
    with site.ledger.read() as s:
        (row,) = s.scalars(select(WebSession)).all()
    assert row.username == OWNER[0]
    assert row.id_hash == hashlib.sha256(token.encode()).hexdigest() and token not in row.id_hash
    assert row.address == "testclient"


def test_cookie_replayed_after_logout_is_refused(site):
    login(site, OWNER)
    token = site.cookies.get(COOKIE)
    page = site.get(f"/drafts/{DRAFT_ID}")
    assert f"/drafts/{DRAFT_ID}/approve" in page.text
    form_token = CSRF_RE.search(page.text).group(1)
    thief = replay(site.app, token)
    assert opens_inbox(thief)  # the stolen cookie works while the session lives

    r = site.post("/logout", data={"csrf": csrf_of(site)}, follow_redirects=False)
    assert r.headers["location"] == "/login?bye=1"
    assert "Vous êtes déconnecté." in site.get("/login?bye=1").text
    assert session_rows(site.ledger) == 0

    assert not opens_inbox(thief)
    r = thief.get(f"/drafts/{DRAFT_ID}", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    r = thief.post(
        f"/drafts/{DRAFT_ID}/approve",
        data={"csrf": form_token, "version": "detailed"},
        follow_redirects=False,
    )
    assert r.status_code in (303, 403)
    assert get_draft(AgentDeps(ledger=site.ledger), DRAFT_ID).status == "pending_approval"
    assert not opens_inbox(site)  # nor does the browser that logged out


def test_cookie_replayed_after_passwd_is_refused(site, monkeypatch, capsys):
    login(site, OWNER)
    with TestClient(site.app) as laptop:  # a second session of the same user
        login(laptop, OWNER)
        assert session_rows(site.ledger, OWNER[0]) == 2
        with TestClient(site.app) as accountant:
            login(accountant, ACCOUNTANT)
            code, out, err = cli(
                ["user", "passwd", OWNER[0], "--db", site.url],
                monkeypatch,
                capsys,
                stdin="new-owner-pass-789\n",
            )
            assert (code, err) == (0, "")
            assert out.strip() == f"mot de passe de {OWNER[0]} changé ; 2 sessions terminées"
            assert not opens_inbox(site) and not opens_inbox(laptop)
            assert opens_inbox(accountant)  # another user's session is untouched
    assert login(site, OWNER).status_code == 401
    assert login(site, (OWNER[0], "new-owner-pass-789")).status_code == 303
    assert opens_inbox(site)


def test_user_remove_ends_the_sessions_and_keeps_the_only_owner(site, monkeypatch, capsys):
    with TestClient(site.app) as accountant:
        login(accountant, ACCOUNTANT)
        token = accountant.cookies.get(COOKIE)
        code, out, _ = cli(
            ["user", "remove", ACCOUNTANT[0], "--db", site.url, "--json"], monkeypatch, capsys
        )
        assert code == 0
        assert json.loads(out) == {"username": "karim", "removed": True, "sessions_ended": 1}
        assert not opens_inbox(replay(site.app, token))
    assert login(site, ACCOUNTANT).status_code == 401
    code, _, err = cli(["user", "remove", OWNER[0], "--db", site.url], monkeypatch, capsys)
    assert code == 1 and "le seul gérant ne peut pas être retiré" in err
    code, _, err = cli(["user", "remove", "nobody", "--db", site.url], monkeypatch, capsys)
    assert code == 1 and "inconnu (khazna user list)" in err
    assert login(site, OWNER).status_code == 303


def test_user_sessions_lists_and_revokes(site, monkeypatch, capsys):
    login(site, OWNER)
    with TestClient(site.app) as accountant:
        login(accountant, ACCOUNTANT)
        code, out, _ = cli(["user", "sessions", "--db", site.url, "--json"], monkeypatch, capsys)
        assert code == 0
        listed = json.loads(out)
        assert sorted(x["username"] for x in listed["sessions"]) == ["amina", "karim"]
        assert {x["address"] for x in listed["sessions"]} == {"testclient"}
        assert (listed["idle_minutes"], listed["max_hours"]) == (60, 12)  # the defaults
        assert all(site.cookies.get(COOKIE) not in json.dumps(x) for x in listed["sessions"])
        code, out, _ = cli(
            ["user", "sessions", OWNER[0], "--revoke", "--db", site.url], monkeypatch, capsys
        )
        assert code == 0 and out.strip().endswith("1 session terminée de amina")
        assert not opens_inbox(site) and opens_inbox(accountant)


# --------------------------------------------------------------------------- timeouts


def _age(ledger: Ledger, username: str, **ago: timedelta) -> None:
    with ledger.session() as s:
        row = s.scalars(select(WebSession).where(WebSession.username == username)).one()
        for column, delta in ago.items():
            setattr(row, column, getattr(row, column) - delta)


def test_idle_timeout(site):
    login(site, OWNER)
    _age(site.ledger, OWNER[0], last_seen_at=timedelta(minutes=29), created_at=timedelta(hours=1))
    assert opens_inbox(site)  # 29 minutes idle: still on, and the use is recorded
    with site.ledger.read() as s:
        seen = s.scalars(select(WebSession.last_seen_at)).one()
    _age(site.ledger, OWNER[0], last_seen_at=timedelta(minutes=31))
    assert not opens_inbox(site)
    assert session_rows(site.ledger) == 0  # the expired row is gone
    assert seen is not None


def test_absolute_timeout_even_when_used(site):
    login(site, OWNER)
    _age(site.ledger, OWNER[0], created_at=timedelta(hours=11, minutes=59))
    assert opens_inbox(site)
    _age(site.ledger, OWNER[0], created_at=timedelta(minutes=2))  # used a second ago
    assert not opens_inbox(site)


def test_timeouts_come_from_the_environment():
    assert session_limits({}) == SessionLimits(timedelta(minutes=60), timedelta(hours=12))
    limits = session_limits({"KHAZNA_SESSION_IDLE_MINUTES": "15", "KHAZNA_SESSION_MAX_HOURS": "8"})
    assert limits == SessionLimits(timedelta(minutes=15), timedelta(hours=8))
    with pytest.raises(ValueError, match="KHAZNA_SESSION_IDLE_MINUTES"):
        session_limits({"KHAZNA_SESSION_IDLE_MINUTES": "0"})
    with pytest.raises(ValueError, match="KHAZNA_SESSION_MAX_HOURS"):
        session_limits({"KHAZNA_SESSION_MAX_HOURS": "douze"})


# --------------------------------------------------------------------------- throttling


def _users_ledger(url: str) -> Ledger:
    ledger = Ledger(url)
    with ledger.session() as s:
        add_user(s, OWNER[0], "owner", OWNER[1])
        add_user(s, ACCOUNTANT[0], "accountant", ACCOUNTANT[1])
    return ledger


def test_throttling_survives_a_restart(db_url):
    ledger = _users_ledger(db_url)
    first = create_app(db_url, secret="t" * 40, limiter=LoginLimiter(max_failures=3))
    with TestClient(first) as client:
        for _ in range(3):
            assert login(client, (OWNER[0], "wrong-password")).status_code == 401
    first.state.ledger.dispose()
    restarted = create_app(db_url, secret="t" * 40, limiter=LoginLimiter(max_failures=3))
    with TestClient(restarted) as client:
        r = login(client, OWNER)  # the right password, right after the restart
        assert r.status_code == 429 and "Trop d&#39;essais : réessayez dans 15 min." in r.text
        assert login(client, ACCOUNTANT).status_code == 303
    restarted.state.ledger.dispose()
    with ledger.read() as s:  # three failures and karim's success; a refused try is not one
        rows = s.execute(select(LoginAttempt.username, LoginAttempt.ok)).all()
    assert sorted(rows) == [("amina", False)] * 3 + [("karim", True)]
    ledger.dispose()


def test_a_success_resets_the_pair_count_only(site):
    for _ in range(4):
        assert login(site, (OWNER[0], "typo-typo")).status_code == 401
    assert login(site, OWNER).status_code == 303
    for _ in range(5):  # the four typos before the success no longer count
        assert login(site, (OWNER[0], "typo-typo")).status_code == 401
    assert login(site, (OWNER[0], "typo-typo")).status_code == 429


def test_failed_login_keeps_the_username_escaped(site):
    r = login(site, (OWNER[0], "wrong-password"))
    assert r.status_code == 401 and 'value="amina"' in r.text
    assert 'type="password" autocomplete="current-password" required autofocus' in r.text
    r = login(site, ('"><script>alert(1)</script>', "x" * 10))
    assert r.status_code == 401
    assert "<script>alert(1)" not in r.text and "&#34;&gt;&lt;script&gt;" in r.text


@contextmanager
def served(app) -> Iterator[str]:
    """``app`` on a real socket, run as `khazna serve` runs it (serve_cmd.uvicorn_config)."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn_config(app, "127.0.0.1", port, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def http_login(client: httpx.Client, user: tuple[str, str], xff: str | None = None):
    page = client.get("/login", follow_redirects=True)
    token = CSRF_RE.search(page.text).group(1)
    headers = {"X-Forwarded-For": xff} if xff else {}
    return client.post(
        "/login",
        data={"csrf": token, "username": user[0], "password": user[1], "next": "/"},
        headers=headers,
    )


def _addresses(ledger: Ledger) -> set[str]:
    with ledger.read() as s:
        return set(s.scalars(select(LoginAttempt.address)))


def test_forwarded_for_is_ignored_by_default_on_a_real_server(tmp_path):
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    ledger = _users_ledger(url)
    app = create_app(url, secret="x" * 40, limiter=LoginLimiter(max_failures=3))
    with served(app) as base, httpx.Client(base_url=base) as client:
        codes = [
            http_login(client, (OWNER[0], "wrong-password"), xff=f"198.51.100.{i}").status_code
            for i in range(1, 6)
        ]
        assert codes == [401, 401, 401, 429, 429]  # a new forged address each time: no help
        assert http_login(client, OWNER, xff="203.0.113.9").status_code == 429
    assert _addresses(ledger) == {"127.0.0.1"}
    app.state.ledger.dispose()
    ledger.dispose()


def test_forwarded_for_is_read_from_a_trusted_proxy(tmp_path):
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    ledger = _users_ledger(url)
    limiter = LoginLimiter(max_failures=3, per_account=5)
    app = create_app(url, secret="x" * 40, limiter=limiter, trusted_proxies=["127.0.0.1/32"])
    with served(app) as base, httpx.Client(base_url=base) as client:
        for _ in range(3):
            assert http_login(client, (OWNER[0], "bad-pass"), "198.51.100.1").status_code == 401
        assert http_login(client, OWNER, "198.51.100.1").status_code == 429
        # another client behind the proxy is another address
        assert http_login(client, OWNER, "198.51.100.2").status_code == 303
        # a forged hop before the proxy's own entry is not believed: the proxy appends
        r = http_login(client, (OWNER[0], "bad-pass"), "10.9.9.9, 198.51.100.1")
        assert r.status_code == 429
    assert _addresses(ledger) == {"198.51.100.1", "198.51.100.2"}
    app.state.ledger.dispose()
    ledger.dispose()


def test_per_account_limit_spares_an_address_that_signed_in_before(tmp_path):
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    ledger = _users_ledger(url)
    app = create_app(
        url,
        secret="x" * 40,
        limiter=LoginLimiter(max_failures=5, per_account=4),
        trusted_proxies=["127.0.0.1"],
    )
    with served(app) as base, httpx.Client(base_url=base) as office:
        assert http_login(office, OWNER, "192.0.2.10").status_code == 303  # the office machine
        with httpx.Client(base_url=base) as attacker:
            for i in range(4):  # one guess from each of four addresses
                r = http_login(attacker, (OWNER[0], "guess-guess"), f"198.51.100.{i}")
                assert r.status_code == 401
            # the account is now held for strangers, whatever their address...
            assert http_login(attacker, OWNER, "198.51.100.77").status_code == 429
        # ...but not for the office machine, which signed in as amina before
        office.cookies.clear()
        assert http_login(office, OWNER, "192.0.2.10").status_code == 303
    app.state.ledger.dispose()
    ledger.dispose()


def test_a_spray_of_names_from_one_address_is_held(site):
    site.app.state.limiter.per_address = 6
    for i in range(6):
        assert login(site, (f"name{i}", "whatever-123")).status_code == 401
    assert login(site, OWNER).status_code == 429  # the address, not only the name, is held


def test_unknown_names_are_hashed_only_within_a_global_budget(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    ledger = _users_ledger(url)
    calls: list[str] = []
    active = [0, 0]  # now, most at once
    lock = threading.Lock()
    real_verify = users_mod.verify_password

    def counting_verify(password_hash: str, password: str) -> bool:
        with lock:
            calls.append(password)
            active[0] += 1
            active[1] = max(active[1], active[0])
        try:
            return real_verify(password_hash, password)
        finally:
            with lock:
                active[0] -= 1

    monkeypatch.setattr(users_mod, "verify_password", counting_verify)
    limiter = LoginLimiter(per_address=1000, unknown_per_minute=5)
    app = create_app(url, secret="x" * 40, limiter=limiter, trusted_proxies=["127.0.0.1"])
    with served(app) as base:

        def attempt(i: int) -> int:
            with httpx.Client(base_url=base, timeout=60) as c:
                return http_login(c, (f"ghost{i}", "pw-pw-pw-pw"), f"203.0.113.{i}").status_code

        results: list[int] = []
        threads = [
            threading.Thread(target=lambda i=i: results.append(attempt(i))) for i in range(24)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert sorted(set(results)) == [401]  # the same answer, hashed or not
        assert len(calls) == 5  # 24 unknown names, 5 hashes
        assert active[1] <= 2  # never more than two argon2 checks at once (64 MiB each)
        with httpx.Client(base_url=base) as c:  # a real user still signs in meanwhile
            assert http_login(c, OWNER, "192.0.2.1").status_code == 303
    app.state.ledger.dispose()
    ledger.dispose()


def test_attempt_rows_are_purged_past_their_window(site):
    for _ in range(2):
        login(site, (OWNER[0], "wrong-password"))
    with site.ledger.session() as s:
        s.execute(update(LoginAttempt).values(at=LoginAttempt.at - timedelta(hours=1)))
    login(site, (OWNER[0], "wrong-password"))
    with site.ledger.read() as s:
        assert s.scalar(select(func.count()).select_from(LoginAttempt)) == 1


# --------------------------------------------------------------------------- the CLI


def _khazna(args: list[str], stdin: str, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "KHAZNA_HOME": str(home), "PYTHONWARNINGS": "default"}
    return subprocess.run(
        [sys.executable, "-m", "khazna.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        start_new_session=True,  # no controlling terminal at all, as under cron or ssh -T
        timeout=120,
    )


def test_user_add_and_passwd_without_a_terminal_read_stdin_without_warning(tmp_path):
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    r = _khazna(["user", "add", "samir", "--role", "owner", "--db", db], "samir-pass-1\n", tmp_path)
    assert (r.returncode, r.stdout.strip(), r.stderr) == (
        0,
        "utilisateur samir ajouté (gérant)",
        "",
    )
    r = _khazna(["user", "passwd", "samir", "--db", db, "--json"], "samir-pass-2\n", tmp_path)
    assert r.returncode == 0 and r.stderr == ""
    assert json.loads(r.stdout) == {
        "username": "samir",
        "password_changed": True,
        "sessions_ended": 0,
    }
    r = _khazna(["user", "passwd", "samir", "--db", db], "", tmp_path)
    assert r.returncode == 1 and "aucun mot de passe sur l'entrée standard" in r.stderr
    assert "Warning" not in r.stderr and "Traceback" not in r.stderr
    r = _khazna(["user", "passwd", "samir", "--db", db], "short\n", tmp_path)
    assert r.returncode == 1 and "au moins 8 caractères" in r.stderr
    ledger = Ledger(db)
    with ledger.session() as s:
        assert users_mod.authenticate(s, "samir", "samir-pass-2") is not None
    ledger.dispose()
