"""What the web tests share: a ledger with one real pending draft, users, and form helpers."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from khazna.agents.deps import AgentDeps
from khazna.ledger.bundle import import_bundle
from khazna.ledger.db import Ledger
from khazna.ledger.tables_agents import Draft
from khazna.web.users import add_user
from tests.bundles import write_bundle

AS_OF = date(2026, 3, 31)
DRAFT_ID = "D20260331-C01-L3"  # the one draft the dunning graph writes on the small bundle
OWNER = ("amina", "owner-pass-123")
ACCOUNTANT = ("karim", "compta-pass-456")
CSRF_RE = re.compile(r'name="csrf" value="([^"]+)"')


def ledger_with_draft(tmp: Path) -> tuple[str, Ledger]:
    """The small bundle, the dunning graph run on 2026-03-31 (one draft for C01), two users."""
    from khazna.agents.dunning.graph import build_dunning_graph

    url = f"sqlite:///{tmp / 'ledger.db'}"
    ledger = Ledger(url)
    import_bundle(ledger, write_bundle(tmp / "bundle"))
    deps = AgentDeps(ledger=ledger)
    out = build_dunning_graph().invoke(
        {"as_of": AS_OF, "run_id": "r1"}, {"configurable": {"deps": deps}}
    )
    assert [d["draft_id"] for d in out["drafts"]] == [DRAFT_ID]
    with ledger.session() as s:
        add_user(s, OWNER[0], "owner", OWNER[1])
        add_user(s, ACCOUNTANT[0], "accountant", ACCOUNTANT[1])
    return url, ledger


def add_draft(ledger: Ledger, draft_id: str, **fields) -> None:
    """A draft written straight into the table (no approval thread), for display tests."""
    values = dict(
        draft_id=draft_id,
        run_id="t",
        as_of=AS_OF,
        client_id="C02",
        level=1,
        status="pending_approval",
        language="fr",
        to_addrs=["contact@tell.example.dz"],
        subject="Rappel",
        short="court",
        detailed="détaillé",
        invoice_numbers=["F2026-0002"],
        attachments=["F2026-0002.pdf"],
        facts={"client_name": "Laiterie Tell", "invoices": []},
        citations=[],
        total=Decimal("1000.00"),
        max_days_late=5,
        created_at=datetime.now(UTC).replace(tzinfo=None),
    )
    values.update(fields)
    with ledger.session() as s:
        s.add(Draft(**values))


def csrf_of(client, path: str = "/inbox") -> str:
    r = client.get(path)
    m = CSRF_RE.search(r.text)
    assert m, f"no CSRF field on {path}"
    return m.group(1)


def login(client, user: tuple[str, str]):
    token = csrf_of(client, "/login")
    return client.post(
        "/login",
        data={"csrf": token, "username": user[0], "password": user[1], "next": "/"},
        follow_redirects=False,
    )
