"""Migrations 0004, 0005 and 0010 carry the adapters' old cursor keys into the model, and back.

A database is built at revision 0001 and filled the way the old code left it: Telegram's
"blocked" flags, Mastodon's boost markers and Discord's scheduled-event mirrors as keys in the
cursors table. After the upgrade they are an identity's `blocked_at`, a pledge's `source` and
an announcement's `mirror`, and the cursors table holds only cursors. On PostgreSQL the test runs in a schema of its own, so the shared one is untouched.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, MetaData, insert, select, text
from sqlalchemy.exc import IntegrityError

from core.storage.db import downgrade, make_engine, upgrade
from tests.conftest import BACKENDS

BEFORE = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
BLOCKED_AT = datetime(2026, 11, 2, 8, 30, tzinfo=UTC)
SCHEMA = "gather_migration_test"


@pytest.fixture(params=BACKENDS)
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.sqlite3'}"
        return
    base = request.getfixturevalue("postgres_ready")
    admin = make_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    yield f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{SCHEMA}"
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
    admin.dispose()


def _fill_the_old_layout(engine: Engine) -> None:
    tables = MetaData()
    tables.reflect(engine)

    def add(table: str, *rows: dict[str, Any]) -> None:
        with engine.begin() as connection:
            connection.execute(insert(tables.tables[table]), list(rows))

    add(
        "persons",
        *(
            {"id": n, "created_at": BEFORE, "reminders_enabled": True, "shows_name": False}
            for n in range(1, 7)
        ),
    )

    def identity(n: int, network: str, native_id: str, dm_status: str) -> dict[str, Any]:
        return {
            "id": n, "person_id": n, "network": network, "native_id": native_id,
            "display_name": f"Person {n}", "handle": "", "dm_status": dm_status,
            "last_seen_at": BEFORE,
        }  # fmt: skip

    add(
        "identities",
        identity(1, "telegram", "111", "unknown"),  # blocked the bot
        identity(2, "telegram", "222", "ok"),  # blocked it, then unblocked: "0"
        identity(3, "mastodon", "901", "unknown"),  # pledged by boosting
        identity(4, "mastodon", "902", "unknown"),  # un-boosted: the pledge was withdrawn
        identity(5, "mastodon", "903", "unknown"),  # boosted, then left by their own word
        identity(6, "mastodon", "904", "ok"),  # joined by a reply
    )

    def room(n: int, network: str, chat_id: str, private: bool) -> dict[str, Any]:
        return {"id": n, "network": network, "chat_id": chat_id, "community": "c",
                "title": "", "is_private": private}  # fmt: skip

    add(
        "rooms",
        room(1, "mastodon", "public", False),
        room(2, "telegram", "111", True),  # Telegram's private chat id is the user's id
        room(3, "mastodon", "dm:903", True),
        room(4, "discord", "55555", True),  # a DM channel id says nothing of the user
        room(5, "discord", "300", False),
    )
    add(
        "gatherings",
        {"id": 1, "code": "K7QF", "title": "Picnic", "original_text": "/gather Picnic",
         "starts_at": BEFORE + timedelta(days=30), "time_zone": "UTC", "has_time": True,
         "status": "open", "language": "en", "organiser_id": 6, "room_id": 1, "community": "c",
         "version": 1, "people_going": 2, "guests_going": 0, "created_at": BEFORE,
         "updated_at": BEFORE},
    )  # fmt: skip

    add(
        "announcements",
        {"id": 1, "gathering_id": 1, "room_id": 5, "message_id": "7001", "shown_version": 1},
        {"id": 2, "gathering_id": 1, "room_id": 1, "message_id": "7002", "shown_version": 1},
    )

    def pledge(person: int, state: str) -> dict[str, Any]:
        return {
            "gathering_id": 1, "person_id": person, "network": "mastodon", "guests": 0,
            "state": state, "created_at": BEFORE, "updated_at": BEFORE,
        }  # fmt: skip

    add(
        "pledges",
        pledge(3, "going"),
        pledge(4, "withdrawn"),
        pledge(5, "withdrawn"),
        pledge(6, "going"),
    )

    def cursor(key: str, value: str, at: datetime = BEFORE) -> dict[str, Any]:
        return {"key": key, "value": value, "updated_at": at}

    add(
        "cursors",
        cursor("telegram:blocked:111", "1", BLOCKED_AT),
        cursor("telegram:blocked:222", "0"),
        cursor("telegram:blocked:555", "1"),  # someone the bot never met
        cursor("mastodon:boost:K7QF:901", "1"),
        cursor("mastodon:boost:K7QF:902", "0"),
        cursor("mastodon:boost:K7QF:903", "1"),
        cursor("mastodon:boost:GONE:901", "1"),  # a gathering no longer stored
        cursor("discord:event:7001", "123456 1 open"),  # Discord's event for announcement 1
        cursor("mastodon:notifications", "4711"),
        cursor("telegram:last_update_at", "2026-11-02T08:00:00+00:00"),
    )


def _state(engine: Engine) -> dict[str, Any]:
    tables = MetaData()
    tables.reflect(engine)
    identities, pledges, cursors, rooms, announcements = (
        tables.tables[n] for n in ("identities", "pledges", "cursors", "rooms", "announcements")
    )
    with engine.connect() as connection:
        cursor_rows = dict(connection.execute(select(cursors.c.key, cursors.c.value)).all())
        dm = dict(connection.execute(select(identities.c.native_id, identities.c.dm_status)).all())
        blocked = (
            dict(connection.execute(select(identities.c.native_id, identities.c.blocked_at)).all())
            if "blocked_at" in identities.c
            else {}
        )
        sources = (
            dict(connection.execute(select(pledges.c.person_id, pledges.c.source)).all())
            if "source" in pledges.c
            else {}
        )
        owners = (
            dict(connection.execute(select(rooms.c.id, rooms.c.identity_id)).all())
            if "identity_id" in rooms.c
            else {}
        )
        mirrors = (
            dict(connection.execute(select(announcements.c.id, announcements.c.mirror)).all())
            if "mirror" in announcements.c
            else {}
        )
    return {
        "mirrors": mirrors,
        "cursors": cursor_rows,
        "dm": dm,
        "blocked": blocked,
        "sources": sources,
        "owners": owners,
    }


def test_upgrade_moves_blocked_flags_and_boost_markers_out_of_the_cursors(empty_url: str) -> None:
    upgrade(empty_url, "0001")
    engine = make_engine(empty_url)
    try:
        _fill_the_old_layout(engine)
        upgrade(empty_url)
        after = _state(engine)
    finally:
        engine.dispose()

    assert after["cursors"] == {
        "mastodon:notifications": "4711",
        "telegram:last_update_at": "2026-11-02T08:00:00+00:00",
    }
    assert after["dm"] == {
        "111": "unreachable",
        "222": "reachable",
        "901": "unknown",
        "902": "unknown",
        "903": "unknown",
        "904": "reachable",
    }
    blocked_at = {key: value for key, value in after["blocked"].items() if value is not None}
    assert list(blocked_at) == ["111"]
    stored = blocked_at["111"]
    # SQLite keeps no offset: the model reads it back as UTC.
    assert (stored if stored.tzinfo else stored.replace(tzinfo=UTC)) == BLOCKED_AT
    # Person 3 boosted; 4's boost was taken back; 5 boosted and left by their own word (the
    # source stays, so a boost still there does not count them again); 6 is not known.
    assert after["sources"] == {3: "boost", 4: None, 5: "boost", 6: None}
    # 0005: a private room knows whose chat it is where its id says so.
    assert after["owners"] == {1: None, 2: 1, 3: 5, 4: None, 5: None}
    # 0010: Discord's scheduled event is noted on its announcement, and only there.
    assert after["mirrors"] == {1: "123456 1 open", 2: None}


def test_the_upgraded_database_refuses_a_status_it_does_not_know(empty_url: str) -> None:
    upgrade(empty_url)
    engine = make_engine(empty_url)
    try:
        # Plain SQL, past the model's own check: the database's CHECK is what is tested.
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO outbox (network, kind, purpose, payload, status, attempts,"
                    " not_before, created_at) VALUES ('telegram', 'dm', 'notice', '', 'lost', 0,"
                    " :at, :at)"
                ),
                {"at": BEFORE},
            )
    finally:
        engine.dispose()


def test_downgrade_puts_the_markers_back_where_the_old_code_reads_them(empty_url: str) -> None:
    upgrade(empty_url, "0001")
    engine = make_engine(empty_url)
    try:
        _fill_the_old_layout(engine)
        upgrade(empty_url)
        downgrade(empty_url, "0001")
        before = _state(engine)
    finally:
        engine.dispose()

    assert before["cursors"] == {
        "discord:event:7001": "123456 1 open",
        "telegram:blocked:111": "1",
        "mastodon:boost:K7QF:901": "1",
        "mastodon:boost:K7QF:903": "1",
        "mastodon:notifications": "4711",
        "telegram:last_update_at": "2026-11-02T08:00:00+00:00",
    }
    assert before["dm"]["222"] == "ok" and before["dm"]["111"] == "unreachable"
