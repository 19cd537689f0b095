"""Alembic environment: uses the engine handed over by khazna.ledger.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from khazna.ledger.migrate import METADATA

config = context.config
target_metadata = METADATA


def run_migrations_online() -> None:
    engine = config.attributes.get("engine") or create_engine(
        config.get_main_option("sqlalchemy.url") or ""
    )
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        context.run_migrations()


run_migrations_online()
