"""Shared fixtures: a fresh ledger on SQLite always, and on PostgreSQL when
``KHAZNA_TEST_PG_URL`` names a server (``.ci/run`` sets it when one answers)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PG_URL = os.environ.get("KHAZNA_TEST_PG_URL")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch) -> None:
    """Every test gets its own KHAZNA_HOME and no model key: tests never touch the user's data."""
    monkeypatch.setenv("KHAZNA_HOME", str(tmp_path / "khazna-home"))
    monkeypatch.delenv("KHAZNA_DB_URL", raising=False)
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "KHAZNA_MODEL", "KHAZNA_SMTP_HOST"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'ledger.db'}"


def _pg_database() -> Iterator[str]:
    assert PG_URL
    name = f"khazna_t_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        from khazna.ledger.db import make_engine  # noqa: F401 - engines of the test are disposed by then

        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def db_url(request, tmp_path) -> Iterator[str]:
    """A fresh, empty ledger URL on each back end the machine offers."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.db'}"
        return
    if not PG_URL:
        pytest.skip("KHAZNA_TEST_PG_URL not set: no PostgreSQL for this run")
    yield from _pg_database()


@pytest.fixture
def another_db_url(db_url, tmp_path) -> Iterator[str]:
    """A second fresh, empty ledger URL on the same back end as ``db_url``."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'another-ledger.db'}"
        return
    yield from _pg_database()


from tests.smtp_server import smtp  # noqa: E402, F401 - a real SMTP server fixture for every test module
