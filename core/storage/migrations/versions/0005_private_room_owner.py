"""the account a private room is the chat with

/forget must erase a person's private chats with the bot (their chat id is, or contains, the
person's own id on Telegram and Mastodon). Rooms learn whose chat they are; existing private
rooms are matched where the chat id shows it (Telegram: the user id; Mastodon: dm:<account>).
Discord's DM channel ids say nothing of the user: those rooms learn it when the person next
writes in private.

Revision ID: 0005_room_owner
Revises: 0004_pledge_source
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_room_owner"
down_revision = "0004_pledge_source"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("rooms") as batch:
        batch.add_column(sa.Column("identity_id", sa.Integer(), nullable=True))
        batch.create_index(batch.f("ix_rooms_identity_id"), ["identity_id"], unique=False)
        batch.create_foreign_key(
            batch.f("fk_rooms_identity_id_identities"),
            "identities",
            ["identity_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.execute(
        "UPDATE rooms SET identity_id = (SELECT identities.id FROM identities"
        " WHERE identities.network = rooms.network AND ("
        " (rooms.network = 'telegram' AND identities.native_id = rooms.chat_id)"
        " OR (rooms.network = 'mastodon' AND 'dm:' || identities.native_id = rooms.chat_id)))"
        " WHERE is_private"
    )


def downgrade() -> None:
    with op.batch_alter_table("rooms") as batch:
        batch.drop_constraint(batch.f("fk_rooms_identity_id_identities"), type_="foreignkey")
        batch.drop_index(batch.f("ix_rooms_identity_id"))
        batch.drop_column("identity_id")
