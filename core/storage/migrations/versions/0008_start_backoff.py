"""start-up backoff and shared send budgets

A restart loop must not log in on every start (stored backoff per network and bot), and
several processes sending for one bot share its rate limits (one GCRA row per limit and key).

Revision ID: 0008_start_backoff
Revises: 0007_all_day
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_start_backoff"
down_revision = "0007_all_day"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "start_backoffs",
        sa.Column("network", sa.String(20), nullable=False),
        sa.Column("bot", sa.String(64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("next_start_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("network", "bot", name=op.f("pk_start_backoffs")),
    )
    op.create_table(
        "send_budgets",
        sa.Column("bucket", sa.String(300), nullable=False),
        sa.Column("next_free", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("bucket", name=op.f("pk_send_budgets")),
    )


def downgrade() -> None:
    op.drop_table("send_budgets")
    op.drop_table("start_backoffs")
