"""roles with their own counts: a roles table, the role a pledge holds, and a flag on the
gathering so that a join to a gathering without roles never reads the table

Revision ID: 0017_roles
Revises: 0015_retention
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_roles"
down_revision = "0015_retention"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "roles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gathering_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("target", sa.Integer(), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["gathering_id"], ["gatherings.id"], name=op.f("fk_roles_gathering_id_gatherings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roles")),
        sa.UniqueConstraint(
            "gathering_id", "position", name=op.f("uq_roles_gathering_id_position")
        ),
    )
    with op.batch_alter_table("pledges") as batch:
        batch.add_column(sa.Column("role_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_pledges_role_id_roles"), "roles", ["role_id"], ["id"]
        )
    with op.batch_alter_table("gatherings") as batch:
        batch.add_column(
            sa.Column("has_roles", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("gatherings") as batch:
        batch.drop_column("has_roles")
    with op.batch_alter_table("pledges") as batch:
        batch.drop_constraint(op.f("fk_pledges_role_id_roles"), type_="foreignkey")
        batch.drop_column("role_id")
    op.drop_table("roles")
