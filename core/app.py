"""The composition of the core: one object the adapters hold and call.

Every command runs in one transaction; every message for someone else leaves through the
outbox. Synchronous on purpose: adapters call it from a worker thread.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from core.app_questions import AdapterQuestions
from core.clock import Clock
from core.config import Settings
from core.config_sections import WebSettings
from core.contract.commands import (
    MAX_COMMAND_LENGTH,
    Command,
    Context,
    Reply,
    problem,
    split_command,
)
from core.delivery import fence, leases, outbox, preparing, receipts
from core.delivery.outbox import Delivery, Outcome
from core.handlers import occurrences
from core.handlers.registry import HANDLERS
from core.operations import Metrics, Operations
from core.operations.metrics import reminder_lateness
from core.rules.people import identity_for
from core.rules.rooms import (
    community_language,
    note_private_chat,
    room_for,
    room_language,
    sync_configured_rooms,
)
from core.storage.db import Database, before_commit, make_engine
from core.storage.sql import insert_ignoring_conflict
from core.storage.statuses import DmStatus
from core.storage.traffic import ProcessedEvent
from core.views.facade import Pages
from core.words import i18n

log = logging.getLogger(__name__)


class _Refused(Exception):
    """Carries a refusal out of its transaction, so that everything it wrote is undone."""

    def __init__(self, reply: Reply) -> None:
        super().__init__("refused")
        self.reply = reply


class Gather(AdapterQuestions):
    """The core as adapters see it: commands in, deliveries out, and a few named questions.

    Its settings, database and clock are its own: an adapter that needs the time asks `now()`.
    """

    def __init__(
        self, settings: Settings, database: Database, clock: Clock, metrics: Metrics | None = None
    ) -> None:
        self._settings = settings
        self._database = database
        self._clock = clock
        self._listeners: list[Callable[[str], None]] = []
        # When each network's expired leases were last looked for (see `claim`).
        self._leases_checked: dict[str, datetime] = {}
        # Heartbeats, dead letters, status and metrics (core/operations).
        self.operations = Operations(database, clock, metrics or Metrics(), settings.retention)
        # What the web pages show (adapters/web).
        self.pages = Pages(lambda: self._settings, database, clock)

    @classmethod
    def open(cls, settings: Settings, clock: Clock) -> Gather:
        """The core on the database the settings name (schema already upgraded); `close` it."""
        return cls(settings, Database(make_engine(settings.database_url)), clock)

    def close(self) -> None:
        """Release the database connections (after the last command)."""
        self._database.dispose()

    def now(self) -> datetime:
        """The core's clock (the system's, or a test's or the demo's): adapters ask this."""
        return self._clock.now()

    # Set-up -----------------------------------------------------------------------------

    def prepare(self) -> None:
        """Create the configured rooms so gatherings can be announced in all of them."""
        self._database.transact(lambda s: sync_configured_rooms(s, self._settings))

    def on_outbox(self, listener: Callable[[str], None]) -> None:
        """Call `listener(network)` after a commit that queued messages for that network."""
        self._listeners.append(listener)

    # Commands ---------------------------------------------------------------------------

    def handle(self, command: Command) -> Reply:
        """Answer one command. Never raises: trouble is answered in words, and rolled back."""
        # Before any transaction: the room's language comes from the settings alone.
        language = room_language(self._settings, command.room)
        if len(command.text) > MAX_COMMAND_LENGTH:
            return problem(i18n.text(language, "reply.too_long"))
        split = split_command(command.text)
        if split is None and command.room.is_private and self.awaits_report(command.actor):
            # The answer to the "how did it go?" DM (core/delivery/impact_ask.py).
            split = ("report", command.text.strip())
        if split is None:
            return problem(i18n.text(language, "reply.not_understood"))
        word, args = split
        reply = self._answer(command, word, args, language)
        self.operations.metrics.handled(command.actor.network, word, reply.ok)
        return reply

    def _answer(self, command: Command, word: str, args: str, language: str) -> Reply:
        touched: set[str] = set()
        try:
            reply = self._database.transact_together(
                lambda s: self._run(s, command, word, args, touched)
            )
        except _Refused as refused:
            # Everything the command wrote is rolled back; only the event is remembered, so a
            # redelivery of it stays silent.
            if command.event_key:
                self._database.transact(lambda s: self._remember(s, command))
            return refused.reply
        except Exception as error:
            # Nothing was written, not even the event: the adapter keeps it as a dead letter
            # (Reply.failed) and its retry is handled afresh.
            log.exception("failed handling %s", word)
            trouble = problem(i18n.text(language, "reply.trouble")).message
            reason = f"{type(error).__name__}: {error}".splitlines()[0]
            return Reply(trouble, ok=False, failed=reason)
        for network in touched:
            for listener in self._listeners:
                listener(network)
        return reply

    def _run(
        self, session: Session, command: Command, word: str, args: str, touched: set[str]
    ) -> Reply:
        touched.clear()
        # In a batch (core/storage/group_commit.py) earlier commands' networks are already there.
        queued_before = set(outbox.queued_networks(session))
        now = self._clock.now()
        if command.event_key and not self._remember(session, command):
            return Reply(None, duplicate=True)
        room = room_for(session, self._settings, command.room)
        identity, dm_status_before = identity_for(
            session, command.actor, now, in_private=command.room.is_private
        )
        note_private_chat(room, identity)
        language = community_language(self._settings, room.community)
        ctx = Context(
            session, self._settings, now, command, identity, room, word, args, language=language
        )
        reply = HANDLERS[word](ctx)
        if not reply.ok:
            raise _Refused(reply)  # a refused command leaves nothing half-written
        # Read just before COMMIT: a join counted at commit queues its announcements' edits
        # then (core/rules/counting.py), after this handler has returned.
        before_commit(
            session, lambda s: touched.update(outbox.queued_networks(s) - queued_before)
        )
        # "unreachable" once, when someone whose DMs failed speaks again: time for the hint.
        dm_status = (
            DmStatus.UNREACHABLE if dm_status_before == DmStatus.UNREACHABLE else identity.dm_status
        )
        if ctx.extras.get("forgotten"):
            dm_status = DmStatus.UNKNOWN
        return Reply(
            reply.message, reply.ok, reply.private, dm_status, reply.gathering_code, reply.duplicate
        )

    def _remember(self, session: Session, command: Command) -> bool:
        """Record the command's event; False if it was handled before (a redelivery)."""
        assert command.event_key is not None
        return insert_ignoring_conflict(
            session,
            ProcessedEvent,
            {
                "network": command.actor.network,
                "event_key": command.event_key[:200],
                "processed_at": self._clock.now(),
            },
            index_elements=["network", "event_key"],
        )

    # Delivery ---------------------------------------------------------------------------

    def claim(
        self, network: str, worker: str, limit: int = 20, lease: timedelta = timedelta(seconds=60)
    ) -> list[Delivery]:
        """Lease due messages of one network and render them as they should look now."""

        checked = self._leases_checked.get(network)

        def work(session: Session) -> list[Delivery]:
            now = self._clock.now()
            # Taking over a stopped process's rows is three statements; a worker claims many
            # times a second when busy, and a lease runs for `lease`, so a quarter of it
            # between looks is soon enough (an idle poll is then one statement, not four).
            if checked is None or not checked <= now < checked + lease / 4:
                leases.expire_leases(session, network, now)
                self._leases_checked[network] = now
            rows = leases.claim_rows(session, network, worker, now, limit, lease)
            return preparing.prepare_all(session, self._settings, rows, now)

        return self._database.transact(work)

    def make_due_occurrences(self) -> int:
        """Announce the occurrences of series whose time to be announced has come (missed
        ones late, once; those already started never). Safe to call from every process at
        any time: each series is made in its own transaction, under its row's lock. Returns
        how many occurrences were made."""
        now = self._clock.now()
        due = self._database.read(lambda s: occurrences.due_series(s, self._settings, now))
        return sum(self._make_due_of(series_id, now) for series_id in due)

    def _make_due_of(self, series_id: int, now: datetime) -> int:
        touched: set[str] = set()

        def work(session: Session) -> int:
            made = occurrences.make_due(session, self._settings, series_id, now)
            touched.clear()
            touched.update(outbox.queued_networks(session))
            return made

        made = self._database.transact(work)
        for network in touched:
            for listener in self._listeners:
                listener(network)
        return made

    def begin_send(self, delivery: Delivery) -> bool:
        return self._database.transact_together(
            lambda s: fence.begin_send(s, delivery, self._clock.now()), lane="delivery"
        )

    def complete(self, delivery: Delivery, outcome: Outcome) -> None:
        def work(session: Session) -> float | None:
            late = reminder_lateness(session, delivery, outcome, now)  # before the row changes
            receipts.record(session, delivery, outcome, now)
            return late

        now = self._clock.now()
        late = self._database.transact_together(work, lane="delivery")
        self.operations.metrics.sent(delivery.network, outcome, late)

    # What the web pages show (adapters/web) -----------------------------------------------

    def web_settings(self) -> WebSettings:
        """The `[web]` section, with the address the pages are served at once it is known."""
        return self._settings.web

    def pages_served_at(self, base_url: str) -> None:
        """The web server is listening: links in messages point at `base_url` from now on
        (it matters when the port was chosen at start, `[web] port = 0`)."""
        web = dataclasses.replace(self._settings.web, public_url=base_url.rstrip("/"))
        self._settings = dataclasses.replace(self._settings, web=web)
