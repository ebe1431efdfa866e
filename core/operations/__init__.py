"""Running Gather with confidence: heartbeats, dead letters, status, metrics and backups.

`Operations` is what the adapters and the `gather` command call; each call is one transaction.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import sqlite3
from datetime import timedelta

from sqlalchemy import text

from core.clock import Clock
from core.config_sections import Retention
from core.operations import dead_letters, heartbeats, receivers, retention, status
from core.operations.dead_letters import FIRST_RETRY, Letter
from core.operations.metrics import Metrics
from core.operations.status import Status
from core.operations.version import gather_version
from core.storage.backup import sqlite_file
from core.storage.db import Database, make_engine

log = logging.getLogger(__name__)

__all__ = ["Letter", "Metrics", "Operations", "Status", "reach_database"]


def reach_database(url: str) -> str | None:
    """None when the database at `url` answers; else why not (one line). Changes nothing: a
    SQLite file not made yet only needs a directory it can be made in."""
    path = sqlite_file(url)
    if path is not None:
        if not path.exists():
            folder = path.parent
            return None if os.access(folder, os.W_OK) else f"cannot create {path}"
        try:
            with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
                db.execute("SELECT 1")
        except sqlite3.Error as error:
            return f"{path}: {error}"
        return None
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:
        return str(error).splitlines()[0]
    finally:
        engine.dispose()
    return None


class Operations:
    def __init__(
        self,
        database: Database,
        clock: Clock,
        metrics: Metrics,
        retention: Retention | None = None,
    ) -> None:
        self.database = database
        self.clock = clock
        self.metrics = metrics
        self.retention = retention or Retention()
        self._version = gather_version()
        metrics.watch_database(database.read, clock.now)

    # Heartbeats -------------------------------------------------------------------------

    def beat(self, network: str, process: str, connected: bool) -> None:
        """This process's word that `network` is (not) connected; counts reconnections."""
        before = self.database.transact(
            lambda s: heartbeats.beat(
                s, network, process, connected, self.clock.now(), self._version
            )
        )
        if connected and before is False:
            self.metrics.reconnects.labels(network).inc()

    def connected(self, process: str, networks: list[str]) -> list[str]:
        return self.database.read(
            lambda s: heartbeats.connected(s, process, networks, self.clock.now())
        )

    # Receiver leases (core/operations/receivers.py) ----------------------------------------

    def hold_receiver(
        self, network: str, bot: str, process: str, take_from: str | None = None
    ) -> receivers.Holding:
        """Take or renew the right to receive for one bot; who holds it when not `mine`.
        `take_from`: a holder known to be dead, whose lease is taken without waiting."""
        now = self.clock.now()
        return self.database.transact(
            lambda s: receivers.hold(s, network, bot, process, now, take_from)
        )

    def release_receiver(self, network: str, bot: str, process: str) -> None:
        self.database.transact(lambda s: receivers.release(s, network, bot, process))

    # Dead letters -----------------------------------------------------------------------

    def keep_dead_letter(
        self,
        network: str,
        event_key: str,
        raw_event: str,
        error: str,
        first_retry: timedelta = FIRST_RETRY,
    ) -> None:
        self.database.transact(
            lambda s: dead_letters.keep(
                s, network, event_key, raw_event, error, self.clock.now(), first_retry
            )
        )

    def due_dead_letters(self, network: str, limit: int = 20) -> list[Letter]:
        return self.database.transact(
            lambda s: dead_letters.claim_due(s, network, self.clock.now(), limit)
        )

    def settle_dead_letter(self, letter_id: int) -> None:
        self.database.transact(lambda s: dead_letters.settle(s, letter_id))

    def dead_letter_failed_again(
        self, letter_id: int, error: str, first_retry: timedelta = FIRST_RETRY
    ) -> Letter | None:
        return self.database.transact(
            lambda s: dead_letters.failed_again(s, letter_id, error, self.clock.now(), first_retry)
        )

    def dead_letters(self, network: str | None = None) -> list[Letter]:
        return self.database.read(lambda s: dead_letters.listing(s, network))

    def retry_dead_letters(self, letter_id: int | None = None) -> int:
        return self.database.transact(
            lambda s: dead_letters.retry_soon(s, self.clock.now(), letter_id)
        )

    def drop_dead_letters(self, letter_id: int | None = None) -> int:
        return self.database.transact(lambda s: dead_letters.drop(s, letter_id))

    # Retention (core/operations/retention.py) --------------------------------------------

    def prune(self, batch: int = retention.BATCH) -> dict[str, int]:
        """Delete every row past its retention, in short transactions of `batch` rows each;
        returns how many went, per table."""
        gone: dict[str, int] = {}
        for rule in retention.RULES:
            gone[rule.table] = 0
            while True:
                work = functools.partial(
                    retention.prune_batch,
                    rule=rule,
                    retention=self.retention,
                    now=self.clock.now(),
                    batch=batch,
                )
                went = self.database.transact(work)
                gone[rule.table] += went
                if went < batch:
                    break
        return gone

    def prune_if_due(self) -> dict[str, int] | None:
        """`prune` if this process has the turn (at most once per `[retention] every` across
        every process and restart); None when it was not its turn."""
        now, every = self.clock.now(), self.retention.every
        if not self.database.transact(lambda s: retention.take_turn(s, every, now)):
            return None
        gone = self.prune()
        if any(gone.values()):
            log.info("pruned %s", ", ".join(f"{n} {table}" for table, n in gone.items() if n))
        return gone

    # Status -----------------------------------------------------------------------------

    def status(self) -> Status:
        return self.database.read(lambda s: status.report(s, self.clock.now()))

    def database_answers(self) -> bool:
        try:
            answer: object = self.database.read(lambda s: s.scalar(text("SELECT 1")))
        except Exception as error:
            log.warning("the database does not answer: %s", error)
            return False
        return answer == 1
