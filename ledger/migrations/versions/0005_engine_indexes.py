"""engine indexes: bank_lines(date, amount)

The cash position, the learned recurring outflows and the forecast's everyday spending sum
bank lines over a date range (up to every line). With (date, amount) in one index SQLite
reads the index, a fraction of the table's size, instead of the table (or, worse, the date
index and then the table line by line). PostgreSQL can use it the same way (index-only
scans). Nothing else changes: the code runs without it, only slower.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 12:25:00
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_bank_lines_date_amount", "bank_lines", ["date", "amount"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_bank_lines_date_amount", table_name="bank_lines")
