"""`gather backup PATH` while the bot runs; the copy, restored into a fresh data directory as
docs/operations.md says, holds every gathering, pledge and pending message."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from adapters.cli import main
from core.storage.db import Database, make_engine
from core.storage.models import Gathering, Pledge
from core.storage.traffic import OutboxMessage
from sandbox.fakes.telegram_server import FakeTelegram
from tests.telegram.harness import announcement, button, make_gather, running

GATHERINGS = [
    "/gather Beach clean at Portobello beach, Saturday 10am, need 3 people",
    "/gather Litter pick in the park, Sunday 2pm, need 5",
]


def snapshot(database: Database) -> tuple[set[str], set[tuple[int, int, str]], set[int]]:
    def read(session):  # type: ignore[no-untyped-def]
        codes = set(session.scalars(select(Gathering.code)))
        pledges = {(p.gathering_id, p.person_id, p.state) for p in session.scalars(select(Pledge))}
        # Messages pending for later (reminders): nothing may send them before the backup.
        later = datetime.now(UTC) + timedelta(hours=1)
        pending = set(
            session.scalars(
                select(OutboxMessage.id).where(
                    OutboxMessage.status == "pending", OutboxMessage.not_before > later
                )
            )
        )
        return codes, pledges, pending

    return database.read(read)


async def test_a_backup_of_a_running_bot_restores_everything(
    tg: FakeTelegram, database: Database, database_url: str, tmp_path: Path
) -> None:
    if not database_url.startswith("sqlite") and shutil.which("pg_restore") is None:
        pytest.skip("PostgreSQL backups need pg_dump and pg_restore")
    people = [tg.create_user(name) for name in ("Alice", "Bob", "Carol")]
    group = tg.create_group("Portobello", members=people)
    gather = make_gather(tg, database, group)
    config = tmp_path / "bots.toml"
    config.write_text(f'[gather]\ndatabase_url = "{database_url}"\n', encoding="utf-8")
    async with running(tg, gather):
        for text in GATHERINGS:
            tg.user_sends(group, people[0], text)
        await tg.wait_for(lambda: len([m for m in tg.bot_messages(group) if m.buttons]) == 2, 10)
        post = announcement(tg, group)
        assert post is not None
        for person in people[1:]:
            tg.user_taps(group, person, post.message_id, button(post, "j:"))
        await tg.wait_for(lambda: "3 going of" in post.text, 10)
        before = snapshot(database)
        assert len(before[0]) == 2 and len(before[1]) >= 4 and before[2]  # reminders pending

        # The bot keeps working while the copy is made.
        backup = tmp_path / "gather-backup.sqlite3"
        tg.user_sends(group, people[1], "/list")
        assert await asyncio.to_thread(main, ["backup", str(backup), "--config", str(config)]) == 0

    if database_url.startswith("sqlite"):
        restored_url = restore_sqlite(backup, tmp_path / "fresh" / "data")
    else:
        restored_url = restore_postgres(backup, database_url)
    restored = Database(make_engine(restored_url))
    try:
        assert snapshot(restored) == before
    finally:
        restored.dispose()
        if not database_url.startswith("sqlite"):
            drop_postgres(database_url, make_url(restored_url).database or "")


def restore_sqlite(backup: Path, data_dir: Path) -> str:
    """As docs/operations.md says: the copy becomes data_dir/gather.sqlite3."""
    data_dir.mkdir(parents=True)
    shutil.copy(backup, data_dir / "gather.sqlite3")
    assert not list(backup.parent.glob("*.partial"))
    return f"sqlite:///{data_dir / 'gather.sqlite3'}"


def restore_postgres(backup: Path, database_url: str) -> str:
    """As docs/operations.md says: pg_restore into an empty database."""
    fresh = f"gather_restored_{os.getpid()}"
    admin = make_engine(database_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {fresh}"))
        connection.execute(text(f"CREATE DATABASE {fresh}"))
    admin.dispose()
    url = make_url(database_url).set(database=fresh)
    plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
    subprocess.run(["pg_restore", "--no-owner", f"--dbname={plain}", str(backup)], check=True)
    return url.render_as_string(hide_password=False)


def drop_postgres(database_url: str, name: str) -> None:
    admin = make_engine(database_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
    admin.dispose()
