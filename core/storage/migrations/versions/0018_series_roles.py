"""the roles a series' announcement asked for, so that each of its dates has them, and the
role someone who follows the series takes at each date

Revision ID: 0018_series_roles
Revises: 0011_command_uses
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018_series_roles"
down_revision = "0011_command_uses"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("series") as batch:
        batch.add_column(sa.Column("roles", sa.Text(), nullable=True))
    with op.batch_alter_table("series_pledges") as batch:
        batch.add_column(sa.Column("role", sa.String(length=60), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("series_pledges") as batch:
        batch.drop_column("role")
    with op.batch_alter_table("series") as batch:
        batch.drop_column("roles")
