"""Gatherings mirrored as Discord scheduled events (`[discord] scheduled_events = true`).

Each announcement posted in a guild channel gets an external event in that guild's events
list (name, time, place, and a link back to the announcement, where people press I'm in).
The event follows the gathering's details: an edit of the time, place or title edits it, and
a cancellation cancels it. Count changes never touch it, so a burst of joins costs nothing
here. What was mirrored is kept on the announcement in the core, so a restart neither loses nor
doubles an event. Failures never hold up the announcement: the event catches up at the next edit. A
guild that refuses (the bot lacks Manage Events) is told about once and then left alone,
because refused requests count against Discord's invalid-request budget.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import discord

from core import Gather, GatheringFacts, RoomRef

log = logging.getLogger(__name__)

NAME_LIMIT = 100  # Discord's limits for an event's name and an external event's location
LOCATION_LIMIT = 100
DEFAULT_LENGTH = timedelta(hours=2)  # an external event needs an end; as the calendar link
UNKNOWN_EVENT = 10070


@dataclass(frozen=True)
class Mirrored:
    """What the events list shows for one announcement, as the core keeps it (`Gather.mirror`)."""

    event_id: int  # 0: none was made, or it was deleted in Discord; leave it alone
    version: int
    status: str

    def __str__(self) -> str:
        return f"{self.event_id} {self.version} {self.status}"

    @classmethod
    def parse(cls, text: str | None) -> Mirrored | None:
        try:
            event_id, version, status = (text or "").split()
            return cls(int(event_id), int(version), status)
        except ValueError:
            return None


class EventMirror:
    def __init__(self, gather: Gather) -> None:
        self.gather = gather
        self._refused: set[int] = set()  # guilds that said no; asked again after a restart
        self._lock = asyncio.Lock()  # one sync at a time: two edits must not both create

    async def sync(
        self, client: discord.Client, chat_id: str, message_id: str, facts: GatheringFacts
    ) -> None:
        async with self._lock:
            channel = client.get_channel(int(chat_id))
            guild = getattr(channel, "guild", None)
            if guild is None or guild.id in self._refused:
                return  # a DM, a channel the cache doesn't know, or a guild that refused
            mirrored = Mirrored.parse(
                await asyncio.to_thread(self.gather.mirror, "discord", chat_id, facts.code)
            )
            if mirrored is not None and (mirrored.event_id == 0 or mirrored.status != "open"):
                return  # deleted by a moderator, or already cancelled: nothing more to do
            if mirrored is not None and mirrored.version == facts.version:
                return  # only the count changed
            try:
                event_id = await self._apply(guild, chat_id, message_id, facts, mirrored)
            except discord.Forbidden:
                self._refused.add(guild.id)
                log.warning(
                    "discord: no scheduled events in %s: the bot needs the Manage Events "
                    "permission there (or set scheduled_events = false)",
                    guild.name,
                )
                return
            except discord.NotFound:
                event_id = 0  # a moderator deleted it: respect that
            except discord.HTTPException as error:
                log.warning("discord: scheduled event for %s not updated: %s", facts.code, error)
                return  # tried again at the next edit
            if event_id is not None:
                stored = Mirrored(event_id, facts.version, facts.status if event_id else "gone")
                await asyncio.to_thread(
                    self.gather.set_mirror, "discord", chat_id, facts.code, str(stored)
                )

    async def _apply(
        self,
        guild: discord.Guild,
        chat_id: str,
        message_id: str,
        facts: GatheringFacts,
        mirrored: Mirrored | None,
    ) -> int | None:
        """Create, edit or cancel the event; its id, or None when nothing was to be done."""
        if mirrored is None:
            if facts.status != "open" or facts.starts_at <= self.gather.now():
                return None  # Discord takes no events in the past
            link = f"https://discord.com/channels/{guild.id}/{chat_id}/{message_id}"
            room = RoomRef("discord", chat_id, is_private=False)
            details = _details(facts, self.gather.notice(room, "event_location"))
            created = await guild.create_scheduled_event(
                name=details.name,
                start_time=details.start_time,
                end_time=details.end_time,
                location=details.location,
                description=self.gather.notice(
                    room, "event_description", code=facts.code, link=link
                ),
                entity_type=discord.EntityType.external,
                privacy_level=discord.PrivacyLevel.guild_only,
            )
            return int(created.id)
        event = await guild.fetch_scheduled_event(mirrored.event_id, with_counts=False)
        if facts.status == "cancelled":
            await event.cancel()
        elif facts.status == "open":
            room = RoomRef("discord", chat_id, is_private=False)
            details = _details(facts, self.gather.notice(room, "event_location"))
            await event.edit(
                name=details.name,
                start_time=details.start_time,
                end_time=details.end_time,
                location=details.location,
            )
        return int(event.id)


@dataclass(frozen=True)
class _Details:
    name: str
    start_time: datetime
    end_time: datetime
    location: str


def _details(facts: GatheringFacts, no_place: str) -> _Details:
    """The event's fields; `no_place` is the core's words for a gathering without one."""
    return _Details(
        name=facts.title[:NAME_LIMIT] or facts.code,
        start_time=facts.starts_at,
        end_time=facts.ends_at or facts.starts_at + DEFAULT_LENGTH,
        location=(facts.place or no_place)[:LOCATION_LIMIT],
    )
