"""uses of rate-limited commands: /edit and /cancel per person, /tell per gathering

Revision ID: 0011_command_uses
Revises: 0017_roles
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_command_uses"
down_revision = "0017_roles"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "command_uses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("word", sa.String(length=20), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("gathering_id", sa.Integer(), nullable=True),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_command_uses_person_id_persons"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["gathering_id"],
            ["gatherings.id"],
            name=op.f("fk_command_uses_gathering_id_gatherings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_command_uses")),
    )
    op.create_index(
        op.f("ix_command_uses_word_person_id_used_at"),
        "command_uses",
        ["word", "person_id", "used_at"],
    )
    op.create_index(
        op.f("ix_command_uses_word_gathering_id_used_at"),
        "command_uses",
        ["word", "gathering_id", "used_at"],
    )
    op.create_index(op.f("ix_command_uses_used_at"), "command_uses", ["used_at"])


def downgrade() -> None:
    op.drop_table("command_uses")
