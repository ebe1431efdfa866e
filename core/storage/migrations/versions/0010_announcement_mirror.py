"""an announcement's copy elsewhere (Discord's scheduled event) lives on the announcement

Discord kept "event id, version, status" under `discord:event:<message id>` in the cursors
table; it moves to `announcements.mirror`, so the cursors table holds only cursors.

Revision ID: 0010_announcement_mirror
Revises: 0009_delivery_backoff
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_announcement_mirror"
down_revision = "0009_delivery_backoff"
branch_labels = None
depends_on = None

KEY_PREFIX = "discord:event:"


def upgrade() -> None:
    with op.batch_alter_table("announcements") as batch:
        batch.add_column(sa.Column("mirror", sa.String(length=100), nullable=True))
    op.execute(
        "UPDATE announcements SET mirror = (SELECT cursors.value FROM cursors"
        f" WHERE cursors.key = '{KEY_PREFIX}' || announcements.message_id)"
        " WHERE message_id IS NOT NULL AND room_id IN"
        " (SELECT rooms.id FROM rooms WHERE rooms.network = 'discord')"
    )
    op.execute(f"DELETE FROM cursors WHERE key LIKE '{KEY_PREFIX}%'")


def downgrade() -> None:
    op.execute(
        "INSERT INTO cursors (key, value, updated_at)"
        f" SELECT '{KEY_PREFIX}' || announcements.message_id, announcements.mirror,"
        " COALESCE(announcements.posted_at, CURRENT_TIMESTAMP)"
        " FROM announcements WHERE announcements.mirror IS NOT NULL"
        " AND announcements.message_id IS NOT NULL"
    )
    with op.batch_alter_table("announcements") as batch:
        batch.drop_column("mirror")
