"""Engine and sessions for the ledger database (SQLite by default, PostgreSQL for teams)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

VERSIONS = Path(__file__).with_name("migrations") / "versions"


def make_engine(url: str) -> Engine:
    """An engine for ``url``; a SQLite file's folder is created, and WAL + FKs turned on."""
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        if u.database and u.database != ":memory:":
            Path(u.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    if u.get_backend_name() == "postgresql" and u.drivername == "postgresql":
        u = u.set(drivername="postgresql+psycopg")
    return create_engine(u, pool_pre_ping=True)


def head_revision() -> str:
    """The newest revision on disk: revisions are their file's number (``0007_web_sessions.py``
    is ``0007``; tests/test_ledger_db.py checks it against Alembic's own head)."""
    return max(p.name.split("_", 1)[0] for p in VERSIONS.glob("[0-9]*_*.py"))


def stored_revision(engine: Engine) -> str | None:
    """The revision the database is at (one SELECT), None when it has none yet."""
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:
        return None


def upgrade(engine: Engine) -> None:
    """Bring the schema to the latest Alembic revision (creates it on a new database)."""
    if stored_revision(engine) == head_revision():
        return
    # lazy: Alembic costs 0.3 s of every command's start, and is needed only to migrate
    from khazna.ledger.migrate import upgrade_to_head

    upgrade_to_head(engine)


def is_initialised(engine: Engine) -> bool:
    return inspect(engine).has_table("company")


class Ledger:
    """The ledger database: an engine and a session factory, created when a command starts."""

    def __init__(self, url: str, *, migrate: bool = True) -> None:
        self.url = url
        self.engine = make_engine(url)
        if migrate:
            upgrade(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on error."""
        with self._sessions() as s, s.begin():
            yield s

    def read(self) -> Session:
        return self._sessions()

    def dispose(self) -> None:
        self.engine.dispose()
