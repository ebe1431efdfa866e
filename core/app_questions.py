"""What adapters report and ask of the core beyond commands and deliveries: send pacing,
start-up turns, languages and notices, people's reachability, posts, mirrors and cursors.

A part of the `Gather` facade (core/app.py), apart to keep that module to commands and
delivery; each question is one transaction (or read) on the core's database and clock.
"""

from __future__ import annotations

import random
from datetime import timedelta

from core.clock import Clock
from core.config import Settings
from core.contract.identities import Identity, RoomRef
from core.delivery.pacing import Pacer, Pacing
from core.delivery.shared_pacing import SharedPacer
from core.handlers import announcements, still_coming
from core.operations import startups
from core.rules import people, pledges
from core.rules.impact import report_awaited_from
from core.rules.rooms import move_room, room_language
from core.storage.db import Database
from core.storage.statuses import DmStatus, PledgeSource
from core.views import queries
from core.words import network_words
from core.words.network_words import Notice


class AdapterQuestions:
    """The named questions of `Gather` that adapters call (a mixin: `Gather` holds the state)."""

    _settings: Settings
    _database: Database
    _clock: Clock

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
