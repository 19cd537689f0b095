"""Schema migrations with Alembic, run programmatically (no alembic.ini to find)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).with_name("migrations")


def import_all_models() -> None:
    """Register every table on the shared metadata (the ledger's, the agents', the mail's)."""
    import khazna.agents.models  # noqa: F401
    import khazna.ledger.models  # noqa: F401
    import khazna.mail.models  # noqa: F401
    import khazna.tools.receipt_models  # noqa: F401
    import khazna.web.models  # noqa: F401


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option(
        "sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%")
    )
    cfg.attributes["engine"] = engine
    return cfg


def upgrade_to_head(engine: Engine) -> None:
    command.upgrade(alembic_config(engine), "head")


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
