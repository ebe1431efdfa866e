"""The "we need N more" call in every linked room before a gathering that is short of its
target, at the community's `calls_for_more` times (default a day and an hour before).

One outbox row per slot and room (`room_posts`), keyed so that a slot is queued once (a restart or a second
/edit adds nothing); what it says is decided when it is sent, framed by how far there is to
go: early, how many are still needed; close to the target, how close it is. Never once the
target is met or the gathering is cancelled (checked at claim and again at send time, in
`fence`). When calls of several slots come due together (after an outage) only the latest goes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.config import Settings
from core.contract.messages import Message, MessageBuilder, code, strong, user
from core.delivery import outbox, room_posts
from core.delivery.outbox import Delivery
from core.rules import roles
from core.rules.roles import RoleCount
from core.rules.rooms import community_language, community_settings
from core.rules.whole_days import CALL_ON_THE_DAY, EVENING_BEFORE, at_local
from core.storage.models import Gathering
from core.storage.statuses import GatheringStatus, OutboxStatus
from core.storage.traffic import OutboxMessage
from core.words import i18n, rendering, roles_shown

PURPOSE = "short_of_target"
# "Close" is within this share of the target, or within CLOSE_PEOPLE of it (and more are in
# than are missing).
CLOSE_SHARE = 0.2
CLOSE_PEOPLE = 2
LEGACY_MINUTES = 60  # rows queued before the slots were configurable: the hour before


@dataclass(frozen=True)
class Shortfall:
    """How far a gathering is from its target (a role-aware call would add its roles here)."""

    going: int
    target: int

    @property
    def missing(self) -> int:
        return max(0, self.target - self.going)

    @property
    def close(self) -> bool:
        """Most are in already: never "almost there, with 0 in" for a small target."""
        near = self.missing <= max(CLOSE_PEOPLE, self.target * CLOSE_SHARE)
        return near and self.going > self.missing


def shortfall(gathering: Gathering, role_counts: Sequence[RoleCount] = ()) -> Shortfall:
    """With roles, what is missing is the sum of each role's shortfall (ten extra pickers do
    not make up for a missing driver)."""
    target = gathering.target or 0
    if role_counts:
        return Shortfall(going=target - sum(c.missing for c in role_counts), target=target)
    return Shortfall(going=gathering.headcount, target=target)


def due_at(gathering: Gathering, minutes: int) -> datetime:
    """A day or more: the same wall-clock time that many days before; less: that long before.
    A whole-day gathering has no start to count back from: 18:00 the evening(s) before, or
    09:00 on the day."""
    zone = ZoneInfo(gathering.time_zone)
    local = gathering.starts_at.astimezone(zone)
    if gathering.all_day:
        if minutes >= 1440:
            due = at_local(local.date() - timedelta(days=minutes // 1440), EVENING_BEFORE, zone)
        else:
            due = at_local(local.date(), CALL_ON_THE_DAY, zone)
        return due.astimezone(gathering.starts_at.tzinfo)
    if minutes % 1440 == 0:
        return (local - timedelta(days=minutes // 1440)).astimezone(gathering.starts_at.tzinfo)
    return gathering.starts_at - timedelta(minutes=minutes)


def schedule(session: Session, settings: Settings, gathering: Gathering, now: datetime) -> None:
    """Queue the calls still ahead, one per slot in each room the gathering is announced in
    (idempotent: a slot already queued stays as it is)."""
    if not gathering.target or gathering.status != GatheringStatus.OPEN:
        return
    slots: dict[datetime, int] = {}
    for minutes in community_settings(settings, gathering.community).call_minutes:
        due = due_at(gathering, minutes)
        if due > now and not _went_lately(session, gathering.id, minutes, due):
            slots.setdefault(due, minutes)  # a whole day's "2h" and "1h" both fall at 09:00
    for due, minutes in slots.items():
        key, payload = f"short-{minutes}", json.dumps({"minutes": minutes})
        room_posts.to_announced_rooms(session, gathering.id, PURPOSE, key, due, now, payload)


def _went_lately(session: Session, gathering_id: int, minutes: int, due: datetime) -> bool:
    """This slot's call already went out less than the slot's lead time before `due`: the
    gathering moved a little after it was sent ("a day before" posted at 10:00, then moved
    ten hours later). Calling again would repeat it in every room; a move of days calls anew."""
    sent = session.scalar(
        select(OutboxMessage.finished_at)
        .where(
            OutboxMessage.gathering_id == gathering_id,
            OutboxMessage.purpose == PURPOSE,
            OutboxMessage.coalesce_key.startswith(f"short-{minutes}:{gathering_id}:"),
            OutboxMessage.status.in_((OutboxStatus.SENT, OutboxStatus.UNCERTAIN)),
        )
        .order_by(OutboxMessage.finished_at.desc())
        .limit(1)
    )
    return sent is not None and due - sent < timedelta(minutes=minutes)


def prepare(
    session: Session, settings: Settings, row: OutboxMessage, now: datetime
) -> Delivery | None:
    """Render a claimed call in its room's community's language, or skip it when moot."""
    found = room_posts.still_open(session, row, now)
    if found is None:
        return None
    gathering, room = found
    minutes = int(json.loads(row.payload or "{}").get("minutes", LEGACY_MINUTES))
    if row.not_before != due_at(gathering, minutes):
        outbox.finish(row, OutboxStatus.SKIPPED, now, "the gathering moved; a fresh call is queued")
        return None
    if _later_one_due(session, row, now):
        outbox.finish(row, OutboxStatus.SKIPPED, now, "a later call is due too")
        return None
    language = community_language(settings, room.community)
    message = call_for_more(gathering, language, now, roles.counts(session, gathering))
    if message is None:
        outbox.finish(row, OutboxStatus.SKIPPED, now, "target reached")
        return None
    return outbox.room_message(row, room.chat_id, message)


def _later_one_due(session: Session, row: OutboxMessage, now: datetime) -> bool:
    """Calls of several slots for one room came due together (an outage): only the latest."""
    later = session.scalar(
        select(OutboxMessage.id).where(
            OutboxMessage.gathering_id == row.gathering_id,
            OutboxMessage.room_id == row.room_id,
            OutboxMessage.purpose == PURPOSE,
            OutboxMessage.status.in_(("pending", "claimed", "sending", "sent")),
            OutboxMessage.not_before > row.not_before,
            OutboxMessage.not_before <= now,
            OutboxMessage.id != row.id,
        )
    )
    return later is not None


def call_for_more(
    gathering: Gathering, language: str, now: datetime, role_counts: Sequence[RoleCount] = ()
) -> Message | None:
    """The call as it should read now, or None when the target is met. Early it says how many
    are needed ("We need 8 more people for Beach clean at the pier!"); close to the target,
    how close it is ("Almost there for Beach clean, with 18 in: just 2 more and it's on!")."""
    short = shortfall(gathering, role_counts)
    if short.missing <= 0:
        return None
    b = MessageBuilder()
    title = user(gathering.title)
    if short.close:
        b.line(
            *i18n.plural_spans(
                language,
                "short.close",
                short.missing,
                n=strong(str(short.missing)),
                going=short.going,
                title=title,
            )
        )
    else:
        # English "at the pier"; most others put the place in brackets, as places often
        # carry their own preposition ("am Strand", "na praia").
        where = {"place": user(gathering.place)} if gathering.place else {}
        b.line(
            *i18n.plural_spans(
                language,
                "short.need_at" if gathering.place else "short.need",
                short.missing,
                n=strong(str(short.missing)),
                title=title,
                **where,
            )
        )
    b.line(
        *i18n.spans(
            language,
            "short.starts_join",
            when=rendering.time_left(gathering, now, language),
            command=code(f"/join {gathering.code}"),
        )
    )
    if role_counts:  # "Still needed: 1 First-aider and 6 Pickers."
        b.line(*roles_shown.still_needed(language, role_counts))
    return b.build()
