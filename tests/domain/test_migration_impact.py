"""Migration 0013: gatherings still to end when it runs are asked about, as new ones are;
those already over are not (their organisers can still /report). And back down again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import MetaData, insert, select

from core.storage.db import downgrade, make_engine, upgrade


def test_open_gatherings_still_to_end_get_their_question(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'before.sqlite3'}"
    upgrade(url, "0010_announcement_mirror")
    engine = make_engine(url)
    tables = MetaData()
    tables.reflect(engine)
    now = datetime.now(UTC)
    soon, past = now + timedelta(days=2), now - timedelta(days=2)
    with engine.begin() as connection:
        connection.execute(insert(tables.tables["persons"]), [
            {"id": 1, "created_at": past, "reminders_enabled": True, "shows_name": False}])
        connection.execute(insert(tables.tables["rooms"]), [
            {"id": 1, "network": "telegram", "chat_id": "-100", "community": "c", "title": "",
             "is_private": False}])
        common = {"title": "Beach clean", "original_text": "x", "time_zone": "Europe/London",
                  "has_time": True, "all_day": False, "language": "en", "organiser_id": 1,
                  "room_id": 1, "community": "c", "version": 1, "people_going": 1,
                  "guests_going": 0, "created_at": past, "updated_at": past, "ends_at": None}
        connection.execute(insert(tables.tables["gatherings"]), [
            {**common, "id": 1, "code": "AAAA", "starts_at": soon, "status": "open"},
            {**common, "id": 2, "code": "BBBB", "starts_at": soon, "ends_at": soon
             + timedelta(hours=5), "status": "open"},
            {**common, "id": 3, "code": "CCCC", "starts_at": past, "status": "open"},
            {**common, "id": 4, "code": "DDDD", "starts_at": soon, "status": "cancelled"},
        ])  # fmt: skip
    upgrade(url)
    outbox = MetaData()
    outbox.reflect(engine, only=["outbox"])
    table = outbox.tables["outbox"]
    with engine.connect() as connection:
        asked = connection.execute(
            select(table.c.gathering_id, table.c.network, table.c.person_id, table.c.not_before)
            .where(table.c.purpose == "impact_ask")
            .order_by(table.c.gathering_id)
        ).all()
    assert [(g, n, p) for g, n, p, _ in asked] == [(1, "telegram", 1), (2, "telegram", 1)]
    dues = [due.replace(tzinfo=UTC) if due.tzinfo is None else due for *_, due in asked]
    assert dues == [soon + timedelta(hours=2), soon + timedelta(hours=5)]
    downgrade(url, "0010_announcement_mirror")
    with engine.connect() as connection:
        left = connection.execute(select(table.c.id).where(table.c.purpose == "impact_ask"))
        assert left.all() == []
    engine.dispose()
