"""Engines, transactions and schema upgrades for SQLite and PostgreSQL."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any, Literal, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from core.storage.group_commit import GroupCommit

log = logging.getLogger(__name__)
T = TypeVar("T")

MIGRATIONS = Path(__file__).parent / "migrations"
READ_ONLY = "gather_read_only"  # an execution option: this transaction only reads
_BEFORE_COMMIT = "before_commit"  # session.info: works to run just before COMMIT


def before_commit(session: Session, work: Callable[[Session], None]) -> None:
    """Run `work` in this transaction just before it commits (not if it rolls back)."""
    session.info.setdefault(_BEFORE_COMMIT, []).append(work)


def _run_before_commit(session: Session) -> None:
    for work in session.info.pop(_BEFORE_COMMIT, []):
        work(session)


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine tuned for the backend: WAL, foreign keys and one writer at a time on SQLite."""
    if url.startswith("sqlite"):
        engine = create_engine(url, echo=echo, connect_args={"timeout": 30})
        _tune_sqlite(engine)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True, pool_size=5, max_overflow=5)


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's implicit BEGIN is
        # deferred, and a deferred reader that later writes fails with "database is locked"
        # instead of waiting).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A reader takes no lock in WAL mode; a writer takes the write lock before it reads.
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at `url` up to the newest schema, or to `revision` (idempotent)."""
    from alembic import command

    command.upgrade(_alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    """Take the database at `url` back to `revision` (for tests of the migrations)."""
    from alembic import command

    command.downgrade(_alembic_config(url), revision)


def _alembic_config(url: str) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["configure_logger"] = False
    return config


def _is_transient(error: DBAPIError) -> bool:
    """Lock waits that ran out and serialisation failures: the whole transaction may be retried."""
    text = str(error.orig).lower() if error.orig is not None else str(error).lower()
    markers = ("database is locked", "deadlock", "could not serialize", "lock timeout")
    return any(marker in text for marker in markers)


class Conflict(Exception):
    """What a transaction read without a lock changed before it committed (see
    core/rules/counting.py): it rolls back and runs again from the start, like a lock timeout."""


class Database:
    """Sessions and the retry policy for one transaction per command."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        event.listen(self._sessions, "before_commit", _run_before_commit)
        self._read_sessions = sessionmaker(
            engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False
        )
        # SQLite has one writer at a time, and every transaction here is a writer. Threads of
        # this process queue on a lock instead of in SQLite's busy handler, which polls with
        # sleeps of up to 100 ms. Other processes still wait through busy_timeout.
        self._one_at_a_time: AbstractContextManager[Any] = (
            threading.Lock() if engine.dialect.name == "sqlite" else nullcontext()
        )
        # Transactions running now, in any thread: dispose() waits for them, because a network
        # task that was cancelled does not stop a call already running in a worker thread.
        self._in_flight = 0
        self._settled = threading.Condition()
        # Commands batch with commands; a sender's fences and receipts with each other (an
        # outbox worker fences and records up to its concurrency at once). Kept apart so that
        # a fence's fresh read of a gathering never lands in a transaction that is counting
        # joins into it without its lock (core/rules/counting.py).
        self._lanes = {lane: GroupCommit(self.transact) for lane in ("commands", "delivery")}

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session

    def read(self, work: Callable[[Session], T]) -> T:
        """Run `work`, which only reads, in a transaction of its own.

        It doesn't wait for writers: on SQLite (WAL) readers never block, and it neither
        queues on the writers' lock nor takes SQLite's.
        """
        with self._read_sessions() as session, session.begin():
            return work(session)

    def transact(self, work: Callable[[Session], T], *, attempts: int = 5) -> T:
        """Run `work` in one transaction that commits, or rolls back entirely and is retried.

        Retried on transient lock errors and on unique-constraint races (two processes creating
        the same person at once), so `work` must be safe to run again from the start.
        """
        with self._counted():
            return self._transact(work, attempts)

    def transact_together(
        self, work: Callable[[Session], T], *, lane: Literal["commands", "delivery"] = "commands"
    ) -> T:
        """`transact`, but works of one lane that threads hand in at the same time share one
        transaction (group commit, see core/storage/group_commit.py). Each still commits or
        fails as if alone."""
        with self._counted():  # queued works count as running, for dispose()
            return self._lanes[lane].run(work)

    @contextmanager
    def _counted(self) -> Iterator[None]:
        with self._settled:
            self._in_flight += 1
        try:
            yield
        finally:
            with self._settled:
                self._in_flight -= 1
                self._settled.notify_all()

    def _transact(self, work: Callable[[Session], T], attempts: int) -> T:
        for attempt in range(1, attempts + 1):
            try:
                with self._one_at_a_time, self.session() as session:
                    return work(session)
            except IntegrityError:
                if attempt == attempts:
                    raise
                log.info("unique-constraint race, retrying (attempt %d)", attempt)
            except Conflict as conflict:
                if attempt == attempts:
                    raise
                log.info("%s, retrying (attempt %d)", conflict, attempt)
            except (OperationalError, DBAPIError) as error:
                if attempt == attempts or not _is_transient(error):
                    raise
                log.info("transient database error, retrying (attempt %d)", attempt)
            time.sleep(0.01 * attempt)
        raise AssertionError("unreachable")

    def dispose(self, wait_seconds: float = 30.0) -> None:
        """Close every connection, once the transactions still running have finished."""
        with self._settled:
            if not self._settled.wait_for(lambda: self._in_flight == 0, timeout=wait_seconds):
                log.warning(
                    "closing the database with %d transactions still running", self._in_flight
                )
        self.engine.dispose()
