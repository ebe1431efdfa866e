"""delivery: deferrals counted apart from attempts, and one room mention per gathering

Revision ID: 0009_delivery_backoff
Revises: 0008_start_backoff
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_delivery_backoff"
down_revision = "0008_start_backoff"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("deferrals", sa.Integer(), server_default="0", nullable=False)
        )
    op.create_table(
        "room_mentions",
        sa.Column("identity_id", sa.Integer(), nullable=False),
        sa.Column("gathering_id", sa.Integer(), nullable=False),
        sa.Column("mentioned_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["gathering_id"],
            ["gatherings.id"],
            name=op.f("fk_room_mentions_gathering_id_gatherings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["identity_id"],
            ["identities.id"],
            name=op.f("fk_room_mentions_identity_id_identities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("identity_id", "gathering_id", name=op.f("pk_room_mentions")),
    )


def downgrade() -> None:
    op.drop_table("room_mentions")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("deferrals")
