"""the "Still coming?" check: when a pledger was asked, the post that asked, when they said yes

Revision ID: 0016_still_coming
Revises: 0012_series
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_still_coming"
down_revision = "0012_series"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pledges") as batch:
        batch.add_column(sa.Column("asked_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("asked_in", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index("ix_pledges_asked_in", ["asked_in"])


def downgrade() -> None:
    with op.batch_alter_table("pledges") as batch:
        batch.drop_index("ix_pledges_asked_in")
        batch.drop_column("confirmed_at")
        batch.drop_column("asked_in")
        batch.drop_column("asked_at")
