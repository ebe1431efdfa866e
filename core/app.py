"""The composition of the core: one object the adapters hold and call.

Every command runs in one transaction; every message for someone else leaves through the
outbox. Synchronous on purpose: adapters call it from a worker thread.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from core import pages
from core.clock import Clock
from core.config import Settings
from core.contract.commands import (
    MAX_COMMAND_LENGTH,
    Command,
    Context,
    Reply,
    help_message,
    problem,
    split_command,
)
from core.contract.messages import Message
from core.delivery import outbox, receipts, reminders
from core.delivery.outbox import Delivery, GatheringFacts, Outcome
from core.handlers import accounts, attendance, editing, gatherings, organiser
from core.pages import Count, GatheringView, OrganiserView
from core.rules import pledges
from core.rules.people import identity_for
from core.rules.rooms import (
    community_language,
    move_room,
    room_for,
    room_language,
    sync_configured_rooms,
)
from core.storage.db import Database
from core.storage.models import (
    Announcement,
    Cursor,
    Gathering,
    Identity,
    OutboxMessage,
    Pledge,
    ProcessedEvent,
    Room,
)
from core.storage.sql import insert_ignoring_conflict
from core.words import i18n, rendering

log = logging.getLogger(__name__)

Handler = Callable[[Context], Reply]
HANDLERS: dict[str, Handler] = {
    "gather": gatherings.gather,
    "join": attendance.join,
    "leave": attendance.leave,
    "list": attendance.upcoming,
    "who": attendance.who,
    "show": attendance.who,
    "edit": editing.edit,
    "cancel": editing.cancel,
    "link": accounts.link,
    "forget": accounts.forget,
    "settings": accounts.settings,
    "start": accounts.start,
    "organiser": organiser.organiser,
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
    def __init__(self, settings: Settings, database: Database, clock: Clock) -> None:
        self.settings = settings
        self.database = database
        self.clock = clock
        self._listeners: list[Callable[[str], None]] = []

    # Set-up -----------------------------------------------------------------------------

    def prepare(self) -> None:
        """Create the configured rooms so gatherings can be announced in all of them."""
        self.database.transact(lambda s: sync_configured_rooms(s, self.settings))

    def on_outbox(self, listener: Callable[[str], None]) -> None:
        """Call `listener(network)` after a commit that queued messages for that network."""
        self._listeners.append(listener)

    # Commands ---------------------------------------------------------------------------

    def handle(self, command: Command) -> Reply:
        """Answer one command. Never raises: trouble is answered in words, and rolled back."""
        # Before any transaction: the room's language comes from the settings alone.
        language = room_language(self.settings, command.room)
        if len(command.text) > MAX_COMMAND_LENGTH:
            return problem(i18n.text(language, "reply.too_long"))
        split = split_command(command.text)
        if split is None:
            return problem(i18n.text(language, "reply.not_understood"))
        word, args = split
        touched: set[str] = set()
        try:
            reply = self.database.transact_together(
                lambda s: self._run(s, command, word, args, touched)
            )
        except _Refused as refused:
            # Everything the command wrote is rolled back; only the event is remembered, so a
            # redelivery of it stays silent.
            if command.event_key:
                self.database.transact(lambda s: self._remember(s, command))
            return refused.reply
        except SQLAlchemyError:
            log.exception("database trouble handling %s", word)
            return problem(i18n.text(language, "reply.trouble"))
        except Exception:
            log.exception("failed handling %s", word)
            return problem(i18n.text(language, "reply.trouble"))
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
        now = self.clock.now()
        if command.event_key and not self._remember(session, command):
            return Reply(None, duplicate=True)
        room = room_for(session, self.settings, command.room)
        identity, dm_status_before = identity_for(
            session, command.actor, now, in_private=command.room.is_private
        )
        language = community_language(self.settings, room.community)
        ctx = Context(
            session, self.settings, now, command, identity, room, word, args, language=language
        )
        reply = HANDLERS[word](ctx)
        if not reply.ok:
            raise _Refused(reply)  # a refused command leaves nothing half-written
        touched.update(outbox.queued_networks(session) - queued_before)
        # "unreachable" once, when someone whose DMs failed speaks again: time for the hint.
        dm_status = "unreachable" if dm_status_before == "unreachable" else identity.dm_status
        if ctx.extras.get("forgotten"):
            dm_status = "unknown"
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
                "processed_at": self.clock.now(),
            },
            index_elements=["network", "event_key"],
        )

    # Delivery ---------------------------------------------------------------------------

    def claim(
        self, network: str, worker: str, limit: int = 20, lease: timedelta = timedelta(seconds=60)
    ) -> list[Delivery]:
        """Lease due messages of one network and render them as they should look now."""

        def work(session: Session) -> list[Delivery]:
            now = self.clock.now()
            outbox.expire_leases(session, network, now)
            deliveries = []
            for row in outbox.claim_rows(session, network, worker, now, limit, lease):
                delivery = self._render(session, row, now)
                if delivery is not None:
                    deliveries.append(delivery)
            return deliveries

        return self.database.transact(work)

    def begin_send(self, delivery: Delivery) -> bool:
        return self.database.transact(
            lambda s: outbox.begin_send(s, delivery.id, delivery.token, self.clock.now())
        )

    def complete(self, delivery: Delivery, outcome: Outcome) -> None:
        self.database.transact(lambda s: receipts.record(s, delivery, outcome, self.clock.now()))

    def _render(self, session: Session, row: OutboxMessage, now: datetime) -> Delivery | None:
        if row.purpose in ("reminder", "short_of_target"):
            return reminders.prepare(session, self.settings, row, now)
        if row.kind == "announcement":
            return self._render_announcement(session, row, now)
        if row.kind == "room":
            room = session.get(Room, row.room_id)
            if room is None:
                outbox.finish(row, "skipped", now, "room is gone")
                return None
            return outbox.room_message(row, room.chat_id, Message.from_json(row.payload))
        identity = session.get(Identity, row.identity_id) if row.identity_id else None
        if identity is None or not row.payload:
            outbox.finish(row, "skipped", now, "recipient is gone")
            return None
        if identity.dm_status == "unreachable":
            outbox.finish(row, "skipped", now, "recipient cannot be messaged")
            return None
        return outbox.direct_message(row, identity, Message.from_json(row.payload))

    def _render_announcement(
        self, session: Session, row: OutboxMessage, now: datetime
    ) -> Delivery | None:
        announcement = session.get(Announcement, row.announcement_id)
        gathering = session.get(Gathering, row.gathering_id)
        room = session.get(Room, row.room_id)
        if announcement is None or gathering is None or room is None:
            outbox.finish(row, "skipped", now, "announcement is gone")
            return None
        # A post speaks the main language of the room's community (a DM, its gathering's).
        language = community_language(self.settings, room.community)
        message = rendering.announcement(
            gathering,
            pledges.breakdown(session, gathering.id),
            pledges.waitlist_size(session, gathering.id),
            language,
            page=self.settings.web.page_url(gathering.code),
        )
        digest = hashlib.sha256((room.chat_id + message.to_json()).encode()).hexdigest()
        if announcement.message_id is not None and digest == announcement.shown_digest:
            outbox.finish(row, "skipped", now, "unchanged")
            return None
        if announcement.message_id is None and gathering.status != "open":
            outbox.finish(row, "skipped", now, "never posted, and no longer open")
            return None
        return Delivery(
            row.id,
            row.lease_token or "",
            row.network,
            "announcement",
            row.purpose,
            message,
            chat_id=room.chat_id,
            message_id=announcement.message_id,
            digest=digest,
            gathering=GatheringFacts(
                gathering.code,
                gathering.title,
                gathering.starts_at,
                gathering.ends_at,
                gathering.place,
                gathering.status,
                gathering.version,
            ),
        )

    # What adapters may look up ---------------------------------------------------------

    def mark_unreachable(self, network: str, native_id: str) -> None:
        """The network told us this person cannot be messaged (they blocked the bot): stop
        DMing them until they write to us again."""

        def work(session: Session) -> None:
            identity = session.scalar(
                select(Identity).where(Identity.network == network, Identity.native_id == native_id)
            )
            if identity is not None:
                identity.dm_status = "unreachable"

        self.database.transact(work)

    def move_room(self, network: str, old_chat_id: str, new_chat_id: str) -> bool:
        return self.database.transact(lambda s: move_room(s, network, old_chat_id, new_chat_id))

    def gathering_code_for_post(self, network: str, message_id: str) -> str | None:
        """The code of the gathering a network post announces (a boosted Mastodon status)."""
        return self.database.transact(
            lambda s: s.scalar(
                select(Gathering.code)
                .join(Announcement, Announcement.gathering_id == Gathering.id)
                .join(Room, Room.id == Announcement.room_id)
                .where(Room.network == network, Announcement.message_id == message_id)
            )
        )

    def open_posts(self, network: str) -> list[tuple[str, str]]:
        """(code, message id) of every posted announcement of an open, future gathering."""
        now = self.clock.now()
        return self.database.transact(
            lambda s: [
                (code, message_id)
                for code, message_id in s.execute(
                    select(Gathering.code, Announcement.message_id)
                    .join(Announcement, Announcement.gathering_id == Gathering.id)
                    .join(Room, Room.id == Announcement.room_id)
                    .where(
                        Room.network == network,
                        Announcement.message_id.is_not(None),
                        Gathering.status == "open",
                        Gathering.starts_at > now,
                    )
                )
                if message_id is not None
            ]
        )

    def pledgers_via(self, code: str, network: str) -> list[str]:
        """Native ids of the people whose live pledge to `code` came through `network`."""
        return self.database.transact(
            lambda s: list(
                s.scalars(
                    select(Identity.native_id)
                    .join(Pledge, Pledge.person_id == Identity.person_id)
                    .join(Gathering, Gathering.id == Pledge.gathering_id)
                    .where(
                        Gathering.code == code,
                        Pledge.network == network,
                        Pledge.state.in_(("going", "waitlisted")),
                        Identity.network == network,
                    )
                )
            )
        )

    def cursor(self, key: str) -> str | None:
        return self.database.read(lambda s: s.scalar(select(Cursor.value).where(Cursor.key == key)))

    def set_cursor(self, key: str, value: str) -> None:
        def work(session: Session) -> None:
            row = session.get(Cursor, key)
            if row is None:
                session.add(Cursor(key=key, value=value, updated_at=self.clock.now()))
            else:
                row.value, row.updated_at = value, self.clock.now()

        self.database.transact(work)

    # What the web pages show (adapters/web) -----------------------------------------------

    def pages_served_at(self, base_url: str) -> None:
        """The web server is listening: links in messages point at `base_url` from now on
        (it matters when the port was chosen at start, `[web] port = 0`)."""
        web = dataclasses.replace(self.settings.web, public_url=base_url.rstrip("/"))
        self.settings = dataclasses.replace(self.settings, web=web)

    def default_language(self) -> str:
        return self.settings.languages[0]

    def gathering_page(self, code: str) -> GatheringView | None:
        """The gathering with this code as its page shows it; None if there is none."""

        def work(session: Session) -> GatheringView | None:
            gathering = pages.find(session, code)
            if gathering is None:
                return None
            language = community_language(self.settings, gathering.community)
            return pages.view(session, gathering, language, self.clock.now())

        return self.database.read(work)

    def community_page(self, name: str) -> tuple[str, list[GatheringView]] | None:
        """(language, coming gatherings) of a configured community; None if there is none."""
        if self.settings.community_named(name) is None:
            return None
        language = community_language(self.settings, name)
        now = self.clock.now()
        return language, self.database.read(
            lambda s: [pages.view(s, g, language, now) for g in pages.upcoming(s, name, now)]
        )

    def organiser_page(self, token: str) -> OrganiserView | None:
        """The organiser's view for a live token; None for an unknown or revoked one."""

        def work(session: Session) -> OrganiserView | None:
            gathering = pages.gathering_for_token(session, token)
            if gathering is None:
                return None
            language = community_language(self.settings, gathering.community)
            view = pages.view(session, gathering, language, self.clock.now())
            return OrganiserView(view, pages.pledgers(session, gathering))

        return self.database.read(work)

    def live_counts(self, codes: list[str]) -> dict[str, tuple[int, int, str]]:
        """code -> (headcount, version, status): what a page server polls to push changes."""
        return self.database.read(lambda s: pages.live(s, codes))

    def count(self, code: str) -> tuple[str, Count] | None:
        """(page language, live count) of a gathering; None if there is none."""

        def work(session: Session) -> tuple[str, Count] | None:
            gathering = pages.find(session, code)
            if gathering is None:
                return None
            language = community_language(self.settings, gathering.community)
            return language, pages.count_of(session, gathering)

        return self.database.read(work)

    def remember_address(self, network: str, value: str) -> None:
        """A network's own address for join links (the Telegram bot's username)."""
        self.database.transact(
            lambda s: pages.remember_address(s, network, value, self.clock.now())
        )

    def join_addresses(self) -> dict[str, str]:
        return self.database.read(pages.addresses)
