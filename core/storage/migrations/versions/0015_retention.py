"""retention and receiving: pruning finds old rows by index; one receiver per bot

Finished outbox rows and processed-event keys are deleted after their retention
(core/operations/retention.py), found by `finished_at` and `processed_at`. `receiver_leases`
holds which process receives for each bot (core/operations/receivers.py).

Revision ID: 0015_retention
Revises: 0016_still_coming
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_retention"
down_revision = "0016_still_coming"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(op.f("ix_outbox_finished_at"), "outbox", ["finished_at"])
    op.create_index(op.f("ix_processed_events_processed_at"), "processed_events", ["processed_at"])
    op.create_table(
        "receiver_leases",
        sa.Column("network", sa.String(length=20), nullable=False),
        sa.Column("bot", sa.String(length=64), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=False),
        sa.Column("acquired_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("renewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("network", "bot", name=op.f("pk_receiver_leases")),
    )


def downgrade() -> None:
    op.drop_table("receiver_leases")
    op.drop_index(op.f("ix_processed_events_processed_at"), table_name="processed_events")
    op.drop_index(op.f("ix_outbox_finished_at"), table_name="outbox")
