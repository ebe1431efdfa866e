"""series: gatherings that repeat (issue 17 point 1)

A `series` row holds the rule and what every occurrence shares; each occurrence is a gathering
with `series_id` and `series_day`, unique together, so that two processes making the same
occurrence cannot both succeed. `series_pledges` are the people coming to every occurrence.

Revision ID: 0012_series
Revises: 0013_impact
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_series"
down_revision = "0013_impact"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("original_text", sa.Text(), nullable=False),
        sa.Column("rule", sa.String(length=200), nullable=False),
        sa.Column("repeats", sa.String(length=200), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("next_day", sa.Date(), nullable=True),
        sa.Column("start_minute", sa.Integer(), nullable=True),
        sa.Column("duration_minutes", sa.Integer(), nullable=True),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=True),
        sa.Column("target", sa.Integer(), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column(
            "status",
            sa.Enum("open", "ended", name="status", native_enum=False, create_constraint=True,
                    length=20),
            nullable=False,
        ),
        sa.Column("organiser_id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("community", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["organiser_id"], ["persons.id"],
                                name=op.f("fk_series_organiser_id_persons")),
        sa.ForeignKeyConstraint(["room_id"], ["rooms.id"], name=op.f("fk_series_room_id_rooms")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_series")),
        sa.UniqueConstraint("code", name=op.f("uq_series_code")),
    )
    op.create_index(op.f("ix_series_community"), "series", ["community"])
    op.create_index(op.f("ix_series_organiser_id"), "series", ["organiser_id"])
    op.create_index(op.f("ix_series_room_id"), "series", ["room_id"])
    op.create_table(
        "series_pledges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("series_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("network", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"],
                                name=op.f("fk_series_pledges_person_id_persons")),
        sa.ForeignKeyConstraint(["series_id"], ["series.id"],
                                name=op.f("fk_series_pledges_series_id_series")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_series_pledges")),
        sa.UniqueConstraint("series_id", "person_id",
                            name=op.f("uq_series_pledges_series_id_person_id")),
    )
    op.create_index(op.f("ix_series_pledges_person_id"), "series_pledges", ["person_id"])
    op.create_index(op.f("ix_series_pledges_series_id"), "series_pledges", ["series_id"])
    with op.batch_alter_table("gatherings") as batch:
        batch.add_column(sa.Column("series_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("series_day", sa.Date(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_gatherings_series_id_series"), "series", ["series_id"], ["id"]
        )
        batch.create_index(op.f("ix_gatherings_series_id"), ["series_id"])
        batch.create_unique_constraint(
            op.f("uq_gatherings_series_id_series_day"), ["series_id", "series_day"]
        )


def downgrade() -> None:
    with op.batch_alter_table("gatherings") as batch:
        batch.drop_constraint(op.f("uq_gatherings_series_id_series_day"), type_="unique")
        batch.drop_index(op.f("ix_gatherings_series_id"))
        batch.drop_constraint(op.f("fk_gatherings_series_id_series"), type_="foreignkey")
        batch.drop_column("series_day")
        batch.drop_column("series_id")
    op.drop_index(op.f("ix_series_pledges_series_id"), table_name="series_pledges")
    op.drop_index(op.f("ix_series_pledges_person_id"), table_name="series_pledges")
    op.drop_table("series_pledges")
    op.drop_index(op.f("ix_series_room_id"), table_name="series")
    op.drop_index(op.f("ix_series_organiser_id"), table_name="series")
    op.drop_index(op.f("ix_series_community"), table_name="series")
    op.drop_table("series")
