"""Shared fixtures: a fresh database per test on SQLite, and on PostgreSQL when configured.

Set GATHER_TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test) to run
every database test on PostgreSQL too. With GATHER_REQUIRE_POSTGRES=1 (as CI sets it) a
missing or unreachable PostgreSQL fails the run instead of skipping those tests.
"""

from __future__ import annotations

import gc
import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from core.app import Gather
from core.clock import FixedClock
from core.config import Settings, parse
from core.storage.db import Database, make_engine, upgrade
from core.storage.schema import metadata

os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
POSTGRES_URL = os.environ.get("GATHER_TEST_DATABASE_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])
# Saturday 21 November 2026, 09:00 in London.
START = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def pytest_sessionstart(session: pytest.Session) -> None:
    if os.environ.get("GATHER_REQUIRE_POSTGRES") == "1" and not POSTGRES_URL:
        raise pytest.UsageError("GATHER_REQUIRE_POSTGRES=1 but GATHER_TEST_DATABASE_URL is not set")


@pytest.fixture(autouse=True)
def _local_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test talks to 127.0.0.1 only, never through a proxy; python-telegram-bot reports
    retry-after as a timedelta (its non-deprecated form, as the adapter sets it too)."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_ready() -> str:
    try:
        engine = make_engine(POSTGRES_URL)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        upgrade(POSTGRES_URL)
    except Exception as error:  # pragma: no cover - depends on the machine
        if os.environ.get("GATHER_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL at GATHER_TEST_DATABASE_URL is unusable: {error}")
        pytest.skip(f"PostgreSQL unusable: {error}")
    return POSTGRES_URL


def _truncate_all(url: str) -> None:
    engine = make_engine(url)
    tables = ", ".join(table.name for table in metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        path = tmp_path / "gather.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("postgres_ready")
        _truncate_all(url)
        yield url


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    database = Database(make_engine(database_url))
    yield database
    database.dispose()
    # A connection this test left open is reported here, against this test, not at a random
    # later moment when the garbage collector happens to run.
    gc.collect()


def make_settings(**overrides: object) -> Settings:
    raw: dict[str, object] = {
        "gather": {"time_zone": "Europe/London", "languages": ["en"], "reminders": ["1d", "2h"]},
        "communities": [
            {
                "name": "portobello",
                "rooms": [
                    "console:#beach",
                    "console:#park",
                    "telegram:-100200",
                    "discord:300",
                    "mastodon:public",
                ],
            }
        ],
    }
    # Pages off unless a test asks for them: their links would change every announcement.
    raw["web"] = {"enabled": False}
    raw.update(overrides)
    return parse(raw, base_dir=Path("."), environ={"GATHER_DATABASE_URL": "sqlite://"})


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def settings() -> Settings:
    return make_settings()


@pytest.fixture
def gather(settings: Settings, database: Database, clock: FixedClock) -> Gather:
    app = Gather(settings, database, clock)
    app.prepare()
    return app
