"""Durable checkpoints for the agents' threads: SQLite beside the data by default, the
ledger's PostgreSQL when the ledger lives there (so a team shares one approval queue)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from khazna.config import Paths


@contextmanager
def open_checkpointer(db_url: str) -> Iterator[Any]:
    url = make_url(db_url)
    if url.get_backend_name() == "postgresql":
        # lazy: only the backend in use is loaded (postgres saver 0.33 s, sqlite 0.24 s)
        from langgraph.checkpoint.postgres import PostgresSaver

        conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
        with PostgresSaver.from_conn_string(conninfo) as saver:
            saver.setup()
            yield saver
        return
    # lazy: only the backend in use is loaded (sqlite saver 0.24 s)
    from langgraph.checkpoint.sqlite import SqliteSaver

    path = Paths.from_env().checkpoints
    if url.database and url.database != ":memory:":
        # keep the checkpoints next to the ledger file they belong to

        path = Path(url.database).with_suffix(".checkpoints.sqlite")
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
    try:
        sqlite_saver = SqliteSaver(conn)
        sqlite_saver.setup()
        yield sqlite_saver
    finally:
        conn.close()
