"""result_cache and invoice_checks: what one process computed, kept for the next (issue 16)

``result_cache`` holds a result (forecast, risky invoices, anomalies, categorisation) per
what/arguments with the ledger state it was computed on; ``invoice_checks`` the invoice
checker's findings per invoice under a fingerprint of its inputs. Both are caches.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 12:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "result_cache",
        sa.Column("what", sa.String(40), primary_key=True),
        sa.Column("args", sa.String(200), primary_key=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("value", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "invoice_checks",
        sa.Column("key", sa.String(260), primary_key=True),
        sa.Column("fingerprint", sa.String(40), nullable=False),
        sa.Column("dated", sa.String(10), nullable=False),
        sa.Column("issue_date", sa.String(10), nullable=False),
        sa.Column("printed", sa.String(200), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("invoice_checks")
    op.drop_table("result_cache")
