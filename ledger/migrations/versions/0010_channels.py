"""clients.channel, drafts.channel, mail_messages.channel: where a reminder goes

A client is reminded by ``email`` (the default), ``whatsapp`` or ``sms``; a draft may
override its client's channel (``''`` = the client's). The outbox keeps every channel's
messages under the same intent / confirm protocol: ``mail_messages.channel`` says which
transport may take a row (``email`` for every row written before this revision).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 12:55:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("channel", sa.String(length=10), nullable=False, server_default="email")
        )
    with op.batch_alter_table("drafts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("channel", sa.String(length=10), nullable=False, server_default="")
        )
    with op.batch_alter_table("mail_messages", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("channel", sa.String(length=10), nullable=False, server_default="email")
        )


def downgrade() -> None:
    for table in ("mail_messages", "drafts", "clients"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("channel")
