"""Where the time of a join goes: statements (driver + server, lock waits included), the
commit, and Python; and the CPU a join costs in our process and in PostgreSQL's backend.

Used by bench/flash_mob.py in each of its processes. Times are wall clock, per thread.
"""

from __future__ import annotations

import re
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session

from core.storage.db import Database, make_engine, upgrade

_WORDS = re.compile(r"\s+")
# The statements that lock the gathering's row (before the change, and after it).
LOCKING = ("SELECT gatherings FOR UPDATE", "UPDATE gatherings")


def statement_kind(statement: str) -> str:
    """A short name for a statement: its verb and table, FOR UPDATE if it locks."""
    words = _WORDS.sub(" ", statement).strip().split(" ")
    verb = words[0].upper()
    marker = {"SELECT": "FROM", "INSERT": "INTO", "UPDATE": "UPDATE", "DELETE": "FROM"}.get(verb)
    table = ""
    if marker in words:
        after = words.index(marker) + 1
        table = words[after] if after < len(words) else ""
    suffix = " FOR UPDATE" if "FOR UPDATE" in statement.upper() else ""
    return f"{verb} {table}{suffix}".strip()


class StatementClock:
    """Adds up, per kind of statement, the wall time from sending it to having its result;
    and the time of each COMMIT."""

    def __init__(self, engine: Engine) -> None:
        self.totals: dict[str, float] = defaultdict(float)
        self.counts: dict[str, int] = defaultdict(int)
        self._local = threading.local()
        self._lock = threading.Lock()
        # How long the gathering's row stays locked: from the statement that locks it returning
        # to the end of the COMMIT (a lower bound: the lock is taken during the statement).
        self.held: list[float] = []
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)
        event.listen(engine, "commit", self._before_commit)
        event.listen(Session, "after_commit", self._after_commit)
        event.listen(Session, "after_rollback", self._after_rollback)

    def _before(self, *_args: Any) -> None:
        self._local.started = time.perf_counter()

    def _after(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        now = time.perf_counter()
        kind = statement_kind(statement)
        self._add(kind, now - self._local.started)
        if kind in LOCKING and getattr(self._local, "locked", None) is None:
            self._local.locked = now

    def _before_commit(self, *_args: Any) -> None:
        self._local.committing = time.perf_counter()

    def _after_commit(self, *_args: Any) -> None:
        started = getattr(self._local, "committing", None)
        if started is not None:
            now = time.perf_counter()
            self._add("COMMIT", now - started)
            self._local.committing = None
            locked = getattr(self._local, "locked", None)
            if locked is not None:
                with self._lock:
                    self.held.append(now - locked)
        self._local.locked = None

    def _after_rollback(self, *_args: Any) -> None:
        self._local.locked = None

    def _add(self, kind: str, seconds: float) -> None:
        with self._lock:
            self.totals[kind] += seconds
            self.counts[kind] += 1

    def reset(self) -> None:
        with self._lock:
            self.totals.clear()
            self.counts.clear()
            self.held.clear()


def backend_pids(engine: Engine, database: str) -> list[int]:
    """The PostgreSQL server processes serving `database` now."""
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT pid FROM pg_stat_activity WHERE datname = :db"), {"db": database}
        )
        return [int(pid) for (pid,) in rows]


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User + system CPU of each process so far (PostgreSQL on this machine only)."""
    tick = 100.0  # USER_HZ on Linux
    seconds = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone, or on another machine
        seconds[pid] = (int(fields[11]) + int(fields[12])) / tick
    return seconds


def server_helpers_cpu() -> float:
    """CPU of PostgreSQL's shared processes that every commit uses (WAL writer, walsender...)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            command = stat.read_bytes().decode(errors="replace")
        except OSError:
            continue
        if command.startswith("postgres: ") and ("walwriter" in command or "wal writer" in command):
            total += sum(cpu_seconds([int(stat.parent.name)]).values())
    return total


def empty_postgres(url: str) -> Database:
    """The database at `url`, emptied and at the newest schema. PostgreSQL only: the
    benchmarks that use this measure several processes against one server."""
    if not url.startswith("postgresql"):
        raise SystemExit("--url must be a PostgreSQL URL (or set GATHER_TEST_DATABASE_URL)")
    database = Database(make_engine(url))
    with database.engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    upgrade(url)
    return database
