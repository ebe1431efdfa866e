"""what gatherings achieved: one report of figures per gathering

Gatherings still to end when this runs get their "how did it go?" question queued, as new
ones get it when they are started (core/delivery/impact_ask.py): due at their end, or 2
hours after the start when they have none, on the network of the room they were started in.

Revision ID: 0013_impact
Revises: 0010_announcement_mirror
Create Date: 2026-12-06
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

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
    _ask_about_gatherings_still_to_end()


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _ask_about_gatherings_still_to_end() -> None:
    bind = op.get_bind()
    tables = sa.MetaData()
    gatherings = sa.Table("gatherings", tables, autoload_with=bind)
    rooms = sa.Table("rooms", tables, autoload_with=bind)
    outbox = sa.Table("outbox", tables, autoload_with=bind)
    now = datetime.now(UTC)
    found = bind.execute(
        sa.select(
            gatherings.c.id, gatherings.c.starts_at, gatherings.c.ends_at,
            gatherings.c.organiser_id, rooms.c.network,
        )
        .join(rooms, rooms.c.id == gatherings.c.room_id)
        .where(gatherings.c.status == "open")
    ).all()  # fmt: skip
    rows = []
    for gathering_id, starts_at, ends_at, organiser_id, network in found:
        due = _aware(ends_at) if ends_at is not None else _aware(starts_at) + timedelta(hours=2)
        if due <= now:
            continue
        rows.append(
            {
                "network": network, "kind": "dm", "purpose": "impact_ask",
                "gathering_id": gathering_id, "person_id": organiser_id,
                "payload": json.dumps({"due": due.isoformat()}),
                "coalesce_key": f"impact_ask:{gathering_id}", "status": "pending",
                "attempts": 0, "deferrals": 0, "not_before": due, "created_at": now,
            }
        )  # fmt: skip
    if rows:
        bind.execute(sa.insert(outbox), rows)


def downgrade() -> None:
    op.execute("DELETE FROM outbox WHERE purpose = 'impact_ask' AND status = 'pending'")
    op.drop_index(op.f("ix_impact_reports_reported_by"), table_name="impact_reports")
    op.drop_table("impact_reports")
