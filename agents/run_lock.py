"""One ``khazna run`` at a time, by a lock row in the ledger database (works across processes
and machines sharing the database): a second run says "un passage est déjà en cours" instead
of colliding (IntegrityError) with the first. The row lives in ``agent_runs`` under a reserved
id and a far-future ``as_of``, so "since the last run" never sees it; a lock older than
``KHAZNA_RUN_LOCK_HOURS`` (default 6) is taken as left by a dead process and taken over."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError

from khazna.ledger.db import Ledger
from khazna.ledger.tables_agents import AgentRun

LOCK_ID = "lock:run"
LOCK_AS_OF = date(9999, 12, 31)


class RunBusy(Exception):
    """Another run holds the lock."""


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@contextmanager
def run_lock(ledger: Ledger, run_id: str) -> Iterator[None]:
    now = _now()
    stale = now - timedelta(hours=float(os.environ.get("KHAZNA_RUN_LOCK_HOURS", "6")))
    try:
        with ledger.session() as s:
            s.add(AgentRun(run_id=LOCK_ID, as_of=LOCK_AS_OF, started_at=now,
                           summary={"holder": run_id, "pid": os.getpid()}))  # fmt: skip
    except IntegrityError:
        with ledger.session() as s:
            taken = s.execute(  # type: ignore[attr-defined]  # a CursorResult
                update(AgentRun)
                .where(AgentRun.run_id == LOCK_ID, AgentRun.started_at < stale)
                .values(started_at=now, summary={"holder": run_id, "pid": os.getpid()})
            ).rowcount
        if not taken:
            raise RunBusy(
                "un passage est déjà en cours (khazna run) : réessayez après lui"
            ) from None
    try:
        yield
    finally:
        with ledger.session() as s:
            s.execute(delete(AgentRun).where(AgentRun.run_id == LOCK_ID))
