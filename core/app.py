"""The composition of the core: one object the adapters hold and call.

Every command runs in one transaction; every message for someone else leaves through the
outbox. Synchronous on purpose: adapters call it from a worker thread.
"""

from __future__ import annotations

import dataclasses
import logging
import random
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from core.clock import Clock
from core.config import Settings, WebSettings
from core.contract.commands import (
    MAX_COMMAND_LENGTH,
    Command,
    Context,
    Reply,
    help_message,
    problem,
    split_command,
)
from core.contract.identities import Identity, RoomRef
from core.delivery import fence, outbox, preparing, receipts
from core.delivery.outbox import Delivery, Outcome
from core.delivery.pacing import Pacer, Pacing
from core.delivery.shared_pacing import SharedPacer
from core.handlers import (
    accounts,
    announcements,
    attendance,
    corrections,
    editing,
    gatherings,
    impact,
    listing,
    occurrences,
    organiser,
    series,
    series_edits,
    still_coming,
    telling,
)
from core.operations import Metrics, Operations, startups
from core.operations.metrics import reminder_lateness
from core.rules import people, pledges
from core.rules.impact import report_awaited_from
from core.rules.people import identity_for
from core.rules.rooms import (
    community_language,
    move_room,
    note_private_chat,
    room_for,
    room_language,
    sync_configured_rooms,
)
from core.storage.db import Database, make_engine
from core.storage.models import ProcessedEvent
from core.storage.sql import insert_ignoring_conflict
from core.storage.statuses import DmStatus, PledgeSource
from core.views import queries
from core.views.facade import Pages
from core.words import i18n, network_words
from core.words.network_words import Notice

log = logging.getLogger(__name__)

Handler = Callable[[Context], Reply]
HANDLERS: dict[str, Handler] = {
    "gather": lambda ctx: gatherings.gather(ctx, repeating=series.start),
    "join": series.or_gathering(series.join, attendance.join),
    "leave": series.or_gathering(series.leave, attendance.leave),
    "list": listing.upcoming,
    "who": attendance.who,
    "show": attendance.who,
    "edit": editing.rate_limited(series.or_gathering(series_edits.edit, editing.edit)),
    "cancel": editing.rate_limited(series.or_gathering(series.cancel, editing.cancel)),
    # A correction button after a doubtful reading: `/fix K7QF 20261205T0700`.
    "fix": editing.rate_limited(corrections.fix),
    "link": accounts.link,
    "forget": accounts.forget,
    "settings": accounts.settings,
    "start": accounts.start,
    "organiser": organiser.organiser,
    "tell": telling.tell,
    "report": impact.report,
    "impact": impact.impact_of,
    # The answer to "Still coming?" (its buttons, or a Mastodon reply): /still CODE yes|no.
    "still": still_coming.still,
    "help": lambda ctx: Reply(help_message(ctx.language)),
    # The "+1 guest" button: one more friend than the person already brings.
    "guest": lambda ctx: attendance.join(ctx, add_guest=True),
}


class _Refused(Exception):
    """Carries a refusal out of its transaction, so that everything it wrote is undone."""

    def __init__(self, reply: Reply) -> None:
        super().__init__("refused")
        self.reply = reply


class Gather:
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
        touched.update(outbox.queued_networks(session) - queued_before)
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

        def work(session: Session) -> list[Delivery]:
            now = self._clock.now()
            outbox.expire_leases(session, network, now)
            deliveries = []
            for row in outbox.claim_rows(session, network, worker, now, limit, lease):
                delivery = preparing.prepare(session, self._settings, row, now)
                if delivery is not None:
                    deliveries.append(delivery)
            return deliveries

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
        return self._database.transact(lambda s: fence.begin_send(s, delivery, self._clock.now()))

    def complete(self, delivery: Delivery, outcome: Outcome) -> None:
        def work(session: Session) -> float | None:
            late = reminder_lateness(session, delivery, outcome, now)  # before the row changes
            receipts.record(session, delivery, outcome, now)
            return late

        now = self._clock.now()
        late = self._database.transact(work)
        self.operations.metrics.sent(delivery.network, outcome, late)

    # What adapters report and ask ---------------------------------------------------------

    def pacer(self, network: str, bot: str) -> Pacing:
        """The rate-limit pacer for one bot's sends: on PostgreSQL kept in the database and
        shared by every process sending for that bot; on SQLite (one process) in memory."""
        if self._database.engine.dialect.name == "postgresql":
            return SharedPacer(self._database, f"{network}:{bot}")
        return Pacer()

    # Start-up (core/operations/startups.py) -------------------------------------------------

    def start_turn(self, network: str, bot: str) -> float:
        """0.0: the bot may log in now (the start is booked, later ones back off). More:
        seconds to wait before asking again. Shared by every process and kept over restarts."""
        now, chance = self._clock.now(), random.Random()
        return self._database.transact(lambda s: startups.take_turn(s, network, bot, now, chance))

    def start_lasted(self, network: str, bot: str) -> None:
        """The bot has run for `START_LASTED_SECONDS`: the next restart need not wait."""
        now = self._clock.now()
        self._database.transact(lambda s: startups.lasted(s, network, bot, now))

    def defer_start(self, network: str, bot: str, seconds: float) -> None:
        """No start of this bot for `seconds` (the platform's start budget is spent)."""
        now = self._clock.now()
        until = now + timedelta(seconds=seconds)
        self._database.transact(lambda s: startups.defer(s, network, bot, until, now))
    def language_of(self, room: RoomRef | None) -> str:
        """The language replies in `room` speak; the default one where there is no room."""
        return room_language(self._settings, room) if room else self._settings.languages[0]

    def notice(self, room: RoomRef | None, name: Notice, **values: object) -> str:
        """A network's own notice (a stale button, a hint) in the language of `room`."""
        return network_words.notice(self.language_of(room), name, **values)

    def awaits_report(self, actor: Identity) -> bool:
        """Whether a gathering this person organised has ended and awaits their report: a
        plain private message from them is then read as one (`/report` without a code)."""
        now = self._clock.now()
        return self._database.read(
            lambda s: report_awaited_from(s, actor.network, actor.native_id, now)
        )

    def reads_as_announcement(self, room: RoomRef, text: str) -> bool:
        """Whether `text`, sent to the bot without a command word, announces a gathering."""
        return announcements.reads_as_announcement(self._settings, room, text, self._clock.now())

    def mark_unreachable(self, network: str, native_id: str) -> None:
        """The network told us this person cannot be messaged (they blocked the bot): stop
        DMing them until they write to us again."""
        self._database.transact(lambda s: queries.mark_unreachable(s, network, native_id))

    def note_blocked(self, network: str, native_id: str, blocked: bool) -> None:
        """The network says this person blocked the bot (`blocked`) or unblocked it."""
        self._database.transact(
            lambda s: people.note_blocked(s, network, native_id, blocked, self._clock.now())
        )

    def is_blocked(self, network: str, native_id: str) -> bool:
        """Whether this person has blocked the bot (and not written in private since)."""
        return self._database.read(lambda s: people.is_blocked(s, network, native_id))

    def pledge_source(self, code: str, network: str, native_id: str) -> PledgeSource | None:
        """How this account's person pledged to `code` (a pledge withdrawn by its own word
        keeps its source; one withdrawn because its boost was taken back has none)."""
        return self._database.read(lambda s: pledges.source_of(s, code, network, native_id))

    def answer_to_check(self, network: str, message_id: str, text: str) -> str | None:
        """The command a reply to the bot's post `message_id` means when that post asked
        "Still coming?": "/still K7QF no" when the reply reads as yes or no in the community's
        languages, "/still K7QF" (how to answer) when it reads as neither; None for a reply to
        any other post."""
        return self._database.read(
            lambda s: still_coming.answer_to_check(s, self._settings, network, message_id, text)
        )

    def move_room(self, network: str, old_chat_id: str, new_chat_id: str) -> bool:
        """A chat got a new id (a Telegram group became a supergroup): its gatherings follow."""
        return self._database.transact(lambda s: move_room(s, network, old_chat_id, new_chat_id))

    def dm_status(self, network: str, native_id: str) -> DmStatus | None:
        """What the core knows about messaging this person directly (None: never seen)."""
        return self._database.read(lambda s: queries.dm_status(s, network, native_id))

    def gathering_code_for_post(self, network: str, message_id: str) -> str | None:
        """The code of the gathering a network post announces (a boosted Mastodon status)."""
        return self._database.transact(
            lambda s: queries.gathering_code_for_post(s, network, message_id)
        )

    def open_posts(self, network: str) -> list[tuple[str, str]]:
        """(code, message id) of every posted announcement of an open, future gathering."""
        now = self._clock.now()
        return self._database.transact(lambda s: queries.open_posts(s, network, now))

    def open_gatherings_in(
        self, network: str, chat_id: str, typed: str = "", limit: int = 25
    ) -> list[tuple[str, str]]:
        """(code, title) of open, future gatherings announced in one chat, newest first, whose
        code starts with or whose title contains what was typed (for autocompletion)."""
        now = self._clock.now()
        return self._database.read(
            lambda s: queries.open_gatherings_in(s, network, chat_id, typed, now, limit)
        )

    def pledgers_via(self, code: str, network: str) -> list[str]:
        """Native ids of the people whose live pledge to `code` came through `network`."""
        return self._database.transact(lambda s: queries.pledgers_via(s, code, network))

    def mirror(self, network: str, chat_id: str, code: str) -> str | None:
        """What a network noted of its copy, elsewhere, of the announcement of `code` in
        `chat_id` (Discord's scheduled event); None before it noted anything."""
        return self._database.read(lambda s: queries.mirror(s, network, chat_id, code))

    def set_mirror(self, network: str, chat_id: str, code: str, value: str) -> None:
        self._database.transact(lambda s: queries.set_mirror(s, network, chat_id, code, value))

    def cursor(self, key: str) -> str | None:
        """An adapter's bookmark (how far it has read a stream), or None before the first."""
        return self._database.read(lambda s: queries.cursor(s, key))

    def set_cursor(self, key: str, value: str) -> None:
        now = self._clock.now()
        self._database.transact(lambda s: queries.set_cursor(s, key, value, now))

    # What the web pages show (adapters/web) -----------------------------------------------

    def web_settings(self) -> WebSettings:
        """The `[web]` section, with the address the pages are served at once it is known."""
        return self._settings.web

    def pages_served_at(self, base_url: str) -> None:
        """The web server is listening: links in messages point at `base_url` from now on
        (it matters when the port was chosen at start, `[web] port = 0`)."""
        web = dataclasses.replace(self._settings.web, public_url=base_url.rstrip("/"))
        self._settings = dataclasses.replace(self._settings, web=web)
