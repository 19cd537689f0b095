"""bank_lines.value_date: the value date a bank statement gives (date de valeur)

The operation date stays ``date`` (what the cash position and the forecast use); the value
date is the day the bank counts the money from, kept when the statement prints one. Lines
recorded before this revision have none (NULL).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 03:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("bank_lines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("value_date", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("bank_lines", schema=None) as batch_op:
        batch_op.drop_column("value_date")
