"""Group commit: commands that arrive together share one transaction.

A burst (a thousand people pressing "I'm in" at once) reaches the core as many threads each
asking for a transaction. On SQLite they would queue for the one writer anyway, and each would
pay for its own BEGIN, COMMIT and write-ahead log pages. Here the first thread to find the
writer free runs everything that is waiting, in one transaction; the others find their work
done. A command that fails or is refused in such a batch would roll back the others with it,
so the ones before it run again, then it alone, then the rest: every command still commits or
rolls back as if it had been alone, in the order they came.

On PostgreSQL too (see Database.transact_together), where a batch is one transaction of one
process: a thousand joins into one gathering would otherwise each take the gathering's row in
turn, while here a batch takes it once, at commit (core/rules/counting.py). Commands that lock
a row for their whole run (a leave, an edit, a join with a capacity) hold it until the batch
commits, as long as a batch of up to MOST_TOGETHER commands takes; two processes' batches
that lock the same two rows in opposite orders deadlock, and PostgreSQL ends one of them
(after deadlock_timeout, 1 s by default), which then runs again like any transient error.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from functools import partial
from typing import Any, Generic, TypeVar

from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
T = TypeVar("T")
Work = Callable[[Session], T]
MOST_TOGETHER = 100  # a bound on one batch, so its transaction stays short


class _Ticket(Generic[T]):
    """One caller's work and, once run, its result or error."""

    __slots__ = ("done", "error", "value", "work")

    def __init__(self, work: Work[T]) -> None:
        self.work = work
        self.done = False
        self.value: T | None = None
        self.error: BaseException | None = None

    def settle(self, run: Callable[[Work[T]], T]) -> None:
        try:
            value = run(self.work)
        except Exception as error:  # handed to the caller's thread, raised there
            self.fail(error)
        else:
            self.succeed(value)

    def succeed(self, value: T) -> None:
        self.value, self.done = value, True

    def fail(self, error: BaseException) -> None:
        self.error, self.done = error, True

    def outcome(self) -> T:
        if self.error is not None:
            raise self.error
        return self.value  # type: ignore[return-value]


class GroupCommit:
    """Runs works handed in by many threads, batching those that wait at the same time."""

    def __init__(self, transact: Callable[[Work[Any]], Any]) -> None:
        self._transact = transact  # one transaction, retried as a whole on transient errors
        self._changed = threading.Condition()
        self._waiting: list[_Ticket[Any]] = []
        self._leading = False  # a thread is running a batch

    def run(self, work: Work[T]) -> T:
        ticket = _Ticket(work)
        with self._changed:
            self._waiting.append(ticket)
        while True:
            with self._changed:
                while self._leading and not ticket.done:
                    self._changed.wait()
                if ticket.done:  # a leader ran it
                    break
                self._leading = True
                batch = self._waiting[:MOST_TOGETHER]
                del self._waiting[:MOST_TOGETHER]
            try:
                self._run(batch)
            finally:
                for other in batch:  # only if interrupted (KeyboardInterrupt, SystemExit)
                    if not other.done:
                        other.fail(RuntimeError("interrupted before it ran"))
                with self._changed:
                    self._leading = False
                    self._changed.notify_all()
        return ticket.outcome()

    def _run(self, batch: list[_Ticket[Any]]) -> None:
        """Run the batch as if each work had been alone, in the order they came."""
        while len(batch) > 1:
            finished: list[Any] = []
            try:
                self._transact(partial(_each, batch=batch, finished=finished))
            except Exception as error:
                if len(finished) == len(batch):
                    # The commit failed (transient errors were retried already). As for a
                    # work alone, that is the answer: running them again could do them twice.
                    for ticket in batch:
                        ticket.fail(error)
                    return
                # Work k failed and everything rolled back. The ones before it go again
                # together (they came first), then k alone, then the rest: the same order and
                # outcomes as one at a time, for at most twice the work.
                k = len(finished)
                log.debug("command %d of a batch of %d failed; running it alone", k, len(batch))
                self._run(batch[:k])
                batch[k].settle(self._transact)
                batch = batch[k + 1 :]
                continue
            for ticket, value in zip(batch, finished, strict=True):
                ticket.succeed(value)
            return
        for ticket in batch:
            ticket.settle(self._transact)


def _each(session: Session, *, batch: list[_Ticket[Any]], finished: list[Any]) -> None:
    finished.clear()  # a retried transaction starts again from the first work
    for ticket in batch:
        value = ticket.work(session)
        session.flush()  # so that a work's failing write is blamed on that work
        finished.append(value)
