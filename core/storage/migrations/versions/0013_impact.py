"""what gatherings achieved: one report of figures per gathering

Revision ID: 0013_impact
Revises: 0010_announcement_mirror
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_impact"
down_revision = "0010_announcement_mirror"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "impact_reports",
        sa.Column("gathering_id", sa.Integer(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=True),
        sa.Column("things", sa.Text(), nullable=False),
        sa.Column("reported_by", sa.Integer(), nullable=True),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["gathering_id"],
            ["gatherings.id"],
            name=op.f("fk_impact_reports_gathering_id_gatherings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reported_by"],
            ["persons.id"],
            name=op.f("fk_impact_reports_reported_by_persons"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("gathering_id", name=op.f("pk_impact_reports")),
    )
    op.create_index(
        op.f("ix_impact_reports_reported_by"), "impact_reports", ["reported_by"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_impact_reports_reported_by"), table_name="impact_reports")
    op.drop_table("impact_reports")
