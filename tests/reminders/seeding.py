"""Many pledgers with a reminder due now, written as `core.delivery.reminders.schedule` writes them."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select, update

from core.storage.db import Database
from core.storage.models import Gathering, Identity, Person, Pledge
from core.storage.traffic import OutboxMessage


def seed(gather_database: Database, code: str, user_ids: list[int]) -> None:
    """5,000 pledgers, each with a 2-hour reminder due now (as `reminders.schedule` writes them)."""
    now = datetime.now(UTC)
    with gather_database.session() as session:
        gathering = session.scalar(select(Gathering).where(Gathering.code == code))
        assert gathering is not None
        gathering.starts_at = now + timedelta(hours=2)
        base = 100_000
        session.execute(
            insert(Person),
            [
                {"id": base + i, "created_at": now, "reminders_enabled": True, "shows_name": False}
                for i in range(len(user_ids))
            ],
        )
        session.execute(
            insert(Identity),
            [
                {
                    "id": base + i,
                    "person_id": base + i,
                    "network": "telegram",
                    "native_id": str(uid),
                    "display_name": "",
                    "handle": "",
                    "dm_status": "reachable",
                    "last_seen_at": now,
                }
                for i, uid in enumerate(user_ids)
            ],
        )
        session.execute(
            insert(Pledge),
            [
                {
                    "gathering_id": gathering.id,
                    "person_id": base + i,
                    "network": "telegram",
                    "guests": 0,
                    "state": "going",
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(len(user_ids))
            ],
        )
        session.execute(
            insert(OutboxMessage),
            [
                {
                    "network": "telegram",
                    "kind": "dm",
                    "purpose": "reminder",
                    "gathering_id": gathering.id,
                    "person_id": base + i,
                    "payload": json.dumps({"minutes": 120}),
                    "coalesce_key": f"reminder:{gathering.id}:{base + i}:120",
                    "status": "pending",
                    "not_before": now,
                    "created_at": now,
                    "attempts": 0,
                }
                for i in range(len(user_ids))
            ],
        )
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.purpose != "reminder")
            .values(status="skipped")
        )
