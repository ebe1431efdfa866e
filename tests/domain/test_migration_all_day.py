"""Migration 0007: a gathering stored without a time becomes a whole-day one, open until the
local midnight after its day; a timed one is unchanged."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import MetaData, insert, select

from core.storage.db import make_engine, upgrade
from tests.domain.test_migrations import empty_url

__all__ = ["empty_url"]  # the fixture: a database of its own, on each backend

BEFORE = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def test_gatherings_without_a_time_become_whole_days(empty_url: str) -> None:
    upgrade(empty_url, "0006_pages")
    engine = make_engine(empty_url)
    tables = MetaData()
    tables.reflect(engine)

    def gathering(n: int, starts_at: datetime, has_time: bool) -> dict[str, Any]:
        return {
            "id": n, "code": f"K7Q{n}", "title": "Picnic", "original_text": "/gather Picnic",
            "starts_at": starts_at, "time_zone": "Europe/Paris", "has_time": has_time,
            "status": "open", "language": "en", "organiser_id": 1, "room_id": 1,
            "community": "c", "version": 1, "people_going": 1, "guests_going": 0,
            "created_at": BEFORE, "updated_at": BEFORE,
        }  # fmt: skip

    with engine.begin() as connection:
        connection.execute(
            insert(tables.tables["persons"]),
            [{"id": 1, "created_at": BEFORE, "reminders_enabled": True, "shows_name": False}],
        )
        connection.execute(
            insert(tables.tables["rooms"]),
            [
                {
                    "id": 1,
                    "network": "console",
                    "chat_id": "#c",
                    "community": "c",
                    "title": "",
                    "is_private": False,
                }
            ],
        )
        connection.execute(insert(tables.tables["gatherings"]), [
            # midnight in Paris on 28 November, stored as 23:00 UTC the day before
            gathering(1, datetime(2026, 11, 27, 23, 0, tzinfo=UTC), False),
            gathering(2, datetime(2026, 11, 28, 9, 0, tzinfo=UTC), True),
        ])  # fmt: skip
    upgrade(empty_url)
    tables = MetaData()
    tables.reflect(engine)
    gatherings = tables.tables["gatherings"]
    with engine.connect() as connection:
        rows = {
            row.id: row
            for row in connection.execute(
                select(gatherings.c.id, gatherings.c.all_day, gatherings.c.ends_at)
            )
        }
    engine.dispose()
    assert rows[1].all_day and not rows[2].all_day
    ends_at = rows[1].ends_at  # SQLite gives it back without an offset, PostgreSQL with one
    ends_at = ends_at if ends_at.tzinfo is not None else ends_at.replace(tzinfo=UTC)
    assert ends_at == datetime(2026, 11, 28, 23, 0, tzinfo=UTC)
    assert rows[2].ends_at is None
