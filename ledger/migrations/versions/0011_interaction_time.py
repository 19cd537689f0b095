"""interactions.at: when a client's message arrived (UTC), for the WhatsApp 24-hour window

The WhatsApp Business Cloud API takes a free-form message only within 24 hours of the
client's last message; outside it, only an approved template. ``interactions.date`` holds
the day; ``at`` holds the instant for messages that come with one (the WhatsApp webhook),
and is empty for every row written before this revision.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 04:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.drop_column("at")
