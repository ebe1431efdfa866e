"""pages: organiser links, and where each post can be opened

Revision ID: 0006_pages
Revises: 0005_room_owner
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_pages"
down_revision = "0005_room_owner"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "organiser_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_digest", sa.String(length=64), nullable=False),
        sa.Column("gathering_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["gathering_id"],
            ["gatherings.id"],
            name=op.f("fk_organiser_links_gathering_id_gatherings"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organiser_links")),
        sa.UniqueConstraint("token_digest", name=op.f("uq_organiser_links_token_digest")),
    )
    op.create_index(
        op.f("ix_organiser_links_gathering_id"), "organiser_links", ["gathering_id"], unique=False
    )
    with op.batch_alter_table("announcements") as batch:
        batch.add_column(sa.Column("post_url", sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("announcements") as batch:
        batch.drop_column("post_url")
    op.drop_index(op.f("ix_organiser_links_gathering_id"), table_name="organiser_links")
    op.drop_table("organiser_links")
