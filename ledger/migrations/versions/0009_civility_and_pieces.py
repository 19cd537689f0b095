"""clients.civility and documents.kind: how a letter addresses the client; the pieces that
go with an invoice (delivery note, attestation de service fait)

``clients.civility`` is "f", "m" or "" (not given). ``documents.kind`` is "invoice" for the
invoice documents stored so far, else the piece's kind (``ledger.documents.PIECES``).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("civility", sa.String(length=1), nullable=False, server_default="")
        )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=20), nullable=False, server_default="invoice")
        )


def downgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_column("kind")
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.drop_column("civility")
