"""The ledger back ends tests run on: SQLite always, PostgreSQL when ``KHAZNA_TEST_PG_URL``
names a server (``.ci/run`` sets it when one answers). Each PostgreSQL ledger is a new
database, dropped afterwards."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PG_URL = os.environ.get("KHAZNA_TEST_PG_URL")

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)]


def pg_database() -> Iterator[str]:
    """The URL of a new PostgreSQL database, dropped (connections and all) afterwards."""
    assert PG_URL
    name = f"khazna_t_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def fresh_db_url(backend: str, folder: Path, name: str = "ledger.db") -> Iterator[str]:
    """A fresh, empty ledger URL on ``backend`` (a SQLite file ``name`` in ``folder``, or a new
    PostgreSQL database); skips the test when PostgreSQL is not offered."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / name}"
        return
    if not PG_URL:
        pytest.skip("KHAZNA_TEST_PG_URL not set: no PostgreSQL for this run")
    yield from pg_database()
