"""Every table of the ledger on one metadata, without Alembic (``migrate`` adds the
migrations; ``khazna import`` and ``clear_ledger`` only need the tables)."""

from __future__ import annotations

# Every table module of the ledger, imported so that each registers on the shared metadata.
from khazna.ledger import (  # noqa: F401
    tables_agents,
    tables_cache,
    tables_mail,
    tables_receipts,
    tables_users,
)
from khazna.ledger.models import Base

METADATA = Base.metadata  # with every table of the ledger registered (imports above)
