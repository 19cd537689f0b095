"""The ledger's state as one short key, and a cache of results per state.

A view that recomputes the forecast or the anomalies on every request (the web dashboard)
keeps what it computed under :func:`state_key`: the key changes when an import is recorded
(``import_runs``, written by ``import DIR`` and ``import-bank``), when a row is added to or
removed from a table the engines read, or when a setting changes (the policy, confirmed
not-duplicates, ...). It is a handful of indexed ``COUNT``/``MAX`` queries and one read of
the small ``settings`` table: milliseconds next to the seconds the engines take on a
million lines.

What it does not see: an in-place ``UPDATE`` of a row of a big table that changes no count
and records no import. The writers of the project that do that (the bundle import's
``--replace``, the bank import) record an import run.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
import zlib
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import TypeAdapter
from sqlalchemy import Engine, delete, insert, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

import khazna
from khazna.ledger.replace import BOOKS
from khazna.ledger.tables_cache import ResultCache

log = logging.getLogger(__name__)

T = TypeVar("T")

# the tables the forecast, aging, risk and anomaly engines read: the books, as
# ``import --replace`` knows them
TABLES = BOOKS
# settings the agents keep about themselves (what the alerts told, when the schedule ran:
# agents/alerts.STATE_KEY, agents/schedule.STATE_KEY), read by no engine: every run writes
# them, and a run must not make the forecast it computed stale for the dashboard
AGENTS_OWN = frozenset({"alerts_state", "schedule_state"})


def state_key(session: Session) -> str:
    """A key that changes with the ledger (see the module doc)."""
    parts: list[object] = []
    runs = session.execute(text("SELECT COUNT(*), MAX(id) FROM import_runs")).one()
    parts.append(list(runs))
    for table in TABLES:
        parts.append(session.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar())
    settings = session.execute(text("SELECT key, value FROM settings ORDER BY key")).all()
    parts.append(
        [
            [k, v if isinstance(v, str) else json.dumps(v, sort_keys=True)]
            for k, v in settings
            if k not in AGENTS_OWN
        ]
    )
    return hashlib.sha1(json.dumps(parts, default=str).encode()).hexdigest()[:16]


class StateCache:
    """Results per (ledger state, what, arguments), the ``size`` most recent kept.

    Thread-safe for the web app's worker threads; two requests that miss at once may both
    compute (the second result replaces the first, they are equal)."""

    def __init__(self, size: int = 16) -> None:
        self.size = size
        self._values: OrderedDict[tuple, object] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, session: Session, what: str, args: Hashable, make: Callable[[], T]) -> T:
        key = (state_key(session), what, args)
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                self.hits += 1
                return self._values[key]  # type: ignore[return-value]
        value = make()
        with self._lock:
            self.misses += 1
            self._values[key] = value
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value


def _engine(session: Session) -> Engine:
    """The engine under ``session``: a cache row is written on a connection of its own."""
    bind = session.get_bind()
    return bind if isinstance(bind, Engine) else bind.engine


def stored(session: Session, what: str, args: object, make: Callable[[], T], kind: Any) -> T:
    """``make()``, kept in the ledger (table ``result_cache``) for the ledger's state, so that
    the next process on the same state reads it instead: ``khazna forecast`` then the
    dashboard, the weekly run then ``khazna anomalies``. ``kind`` is the result's type (a
    pydantic model, ``list[Model]``...): the value is stored as its JSON and read back
    through it, equal to what ``make()`` returned. One row per (what, args): a new state
    replaces it. When the ledger cannot be written (read-only, locked), the result is
    returned all the same."""
    adapter = TypeAdapter(kind)
    made: list[T] = []

    def encode() -> bytes:
        made.append(make())
        return adapter.dump_json(made[0])

    data = stored_bytes(session, what, args, encode)
    return made[0] if made else adapter.validate_json(data)


# the code a kept result comes from: the core modules (not their links), the engines
CODE_FOLDERS = (".", "ledger", "tools")


@cache
def code_key() -> str:
    """A key that changes with Khazna's own code (each module's path, size and time under
    the package's folder, followed through its links): a result kept by another version —
    its figures, its words — is not read back after an upgrade. A few hundred ``stat`` calls,
    once per process."""
    package = Path(khazna.__file__).parent  # the package as imported, links not resolved
    digest = hashlib.sha1()
    for folder in CODE_FOLDERS:
        root = (package / folder).resolve()
        for path in sorted(root.glob("*.py") if folder == "." else root.rglob("*.py")):
            st = path.stat()
            digest.update(f"{folder}/{path.name}:{st.st_size}:{st.st_mtime_ns};".encode())
    return digest.hexdigest()[:16]


def stored_bytes(session: Session, what: str, args: object, make: Callable[[], bytes]) -> bytes:
    """:func:`stored` for a result that is bytes already (its own encoding): ``make()`` on a
    miss, kept zlib-compressed in ``result_cache`` under the ledger's state and the code's
    (:func:`code_key`)."""
    key = json.dumps(args, default=str, sort_keys=True)[:200]
    state = hashlib.sha1(f"{state_key(session)}:{code_key()}".encode()).hexdigest()[:16]
    row = session.execute(
        select(ResultCache.value).where(
            ResultCache.what == what, ResultCache.args == key, ResultCache.state == state
        )
    ).scalar()
    if row is not None:
        return zlib.decompress(row)
    value = make()
    blob = zlib.compress(value, 1)
    try:
        with _engine(session).connect() as conn, conn.begin():
            if conn.dialect.name == "sqlite":  # a writer holding the file: give up soon
                conn.exec_driver_sql("PRAGMA busy_timeout = 300")
            conn.execute(
                delete(ResultCache).where(ResultCache.what == what, ResultCache.args == key)
            )
            conn.execute(
                insert(ResultCache).values(
                    what=what,
                    args=key,
                    state=state,
                    value=blob,
                    created_at=datetime.now(UTC).replace(tzinfo=None),
                )  # fmt: skip
            )
    except SQLAlchemyError as err:  # a cache: never the reason a figure is not shown
        log.info("result_cache not written (%s): %s", what, err)
    return value


# SQLite: the pause a cache writer leaves between two of its transactions, so that the
# ledger's own writers waiting on the lock (a run's drafts, on a 30 s busy timeout, polled
# every 100 ms at most) find it free; without it 400 transactions back to back held the lock
# ~100 % of the time and a draft failed with "database is locked" (1M ledger, first run)
YIELD_S = 0.005


def write_aside(session: Session, table, key: str, rows: list[dict], chunk: int = 500) -> None:
    """Replace the rows of cache ``table`` whose ``key`` column is among ``rows``' keys, on a
    connection of its own (``session`` may be a read session). A cache: when the ledger
    cannot be written, what was not written is checked again next time, and nothing fails."""
    if not rows:
        return
    column = table.c[key]
    try:
        with _engine(session).connect() as conn:
            sqlite = conn.dialect.name == "sqlite"
            if sqlite:
                conn.exec_driver_sql("PRAGMA busy_timeout = 300")
                conn.commit()  # the pragma began a transaction
            for k in range(0, len(rows), chunk):
                part = rows[k : k + chunk]
                # a transaction per chunk: the run's other writers (drafts) wait for one
                # chunk at most, never for the 200 000 rows of a first run
                with conn.begin():
                    conn.execute(delete(table).where(column.in_([r[key] for r in part])))
                    conn.execute(insert(table), part)
                if sqlite and k + chunk < len(rows):
                    time.sleep(YIELD_S)  # the lock free for a moment (see YIELD_S)
    except SQLAlchemyError as err:
        log.info("%s not written: %s", table.name, err)
