"""whole-day gatherings (issue 14 point 1)

A day written without a time ("Canal tidy this weekend") is a whole-day gathering, open to
joins until the end of its last day, instead of a midnight start that has already passed.
Existing gatherings without a time become whole-day ones: their end is the local midnight
after their day (a day's length in their own time zone, so a DST day stays whole).

Revision ID: 0007_all_day
Revises: 0006_pages
Create Date: 2026-12-06
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision = "0007_all_day"
down_revision = "0006_pages"
branch_labels = None
depends_on = None


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def upgrade() -> None:
    with op.batch_alter_table("gatherings") as batch:
        batch.add_column(
            sa.Column("all_day", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    gatherings = sa.table(
        "gatherings",
        sa.column("id", sa.Integer()),
        sa.column("starts_at", sa.DateTime(timezone=True)),
        sa.column("ends_at", sa.DateTime(timezone=True)),
        sa.column("time_zone", sa.String()),
        sa.column("has_time", sa.Boolean()),
        sa.column("all_day", sa.Boolean()),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(
            gatherings.c.id, gatherings.c.starts_at, gatherings.c.ends_at, gatherings.c.time_zone
        ).where(gatherings.c.has_time == sa.false())
    ).all()
    for row_id, starts_at, ends_at, zone_name in rows:
        zone = ZoneInfo(zone_name)
        first = _aware(starts_at).astimezone(zone).date()
        last = _aware(ends_at).astimezone(zone).date() if ends_at is not None else first
        after = datetime.combine(max(first, last) + timedelta(days=1), datetime.min.time(), zone)
        connection.execute(
            sa.update(gatherings)
            .where(gatherings.c.id == row_id)
            .values(all_day=True, ends_at=after.astimezone(UTC))
        )


def downgrade() -> None:
    with op.batch_alter_table("gatherings") as batch:
        batch.drop_column("all_day")
