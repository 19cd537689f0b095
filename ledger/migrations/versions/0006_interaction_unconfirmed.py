"""interactions.unconfirmed: a client's reply is evidence, not authority

Why an interaction written from a client's email may not pause reminders by itself
(``sender_not_authenticated``, ``sender_not_client``, ``no_invoice_of_client``), empty when
it may. The owner's records get ''; the replies read before this revision (ids ``R-...``
written by mail/replies.py, inbound email) were never authenticated: they get
``sender_not_authenticated``, so a forged reply already read stops pausing reminders.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("unconfirmed", sa.String(length=40), nullable=False, server_default="")
        )
    op.execute(
        "UPDATE interactions SET unconfirmed = 'sender_not_authenticated' "
        "WHERE interaction_id LIKE 'R-%' AND channel = 'email' AND direction = 'in'"
    )


def downgrade() -> None:
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.drop_column("unconfirmed")
