"""Reminders by DM before a gathering (the "we need N more" call is in `calls`).

Reminders are outbox rows addressed to a person (not an account), due at `not_before`,
written in the same transaction as the pledge or edit that causes them. What they say is
decided when they are sent, from the gathering as it is then: a cancelled or started
gathering, a person who left, or a reminder overtaken by a later one is skipped and recorded
as skipped. A reminder late because of an outage still goes until the start, saying the real
time left.

"1d" means the same wall-clock time the day before (10:00 the day before a 10:00 start, even
across a DST change); hours and minutes are absolute durations.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from core.config import Settings
from core.contract.messages import Message, MessageBuilder, link, user
from core.delivery import calls, mentions, outbox
from core.delivery.calendar import calendar_link as calendar_link
from core.delivery.outbox import Delivery
from core.rules.people import reachable_identity
from core.rules.rooms import announcing_room, community_settings
from core.rules.whole_days import EVENING_BEFORE, MORNING_OF, at_local
from core.storage.models import Gathering, Identity, Person, Pledge
from core.storage.sql import insert_many_ignoring_conflict
from core.storage.statuses import GatheringStatus, OutboxKind, OutboxStatus, PledgeState
from core.storage.traffic import OutboxMessage
from core.words import i18n, notice_words, rendering, still_coming

SPREAD = timedelta(minutes=30)  # day-before reminders of a big gathering are spread over this
FALLBACK_HINT_EVERY = timedelta(hours=24)


def due_at(gathering: Gathering, minutes: int, person_id: int) -> datetime:
    """When a reminder `minutes` ahead goes. A whole-day gathering has no start to count
    back from: a reminder of a day or more goes at 18:00 that many days before, a shorter one
    at 08:00 on the day (never 22:00 "starts in 1 hour 59 minutes" for a midnight)."""
    if gathering.all_day:
        zone = ZoneInfo(gathering.time_zone)
        first = gathering.starts_at.astimezone(zone).date()
        if minutes >= 1440:
            due = at_local(first - timedelta(days=minutes // 1440), EVENING_BEFORE, zone)
        else:
            due = at_local(first, MORNING_OF, zone)
        return due.astimezone(gathering.starts_at.tzinfo)
    if minutes % 1440 == 0:
        local = gathering.starts_at.astimezone(ZoneInfo(gathering.time_zone))
        due = (local - timedelta(days=minutes // 1440)).astimezone(gathering.starts_at.tzinfo)
        # Spread a crowd's day-before reminders so they don't all leave in one second.
        return due - timedelta(seconds=(person_id * 7919) % int(SPREAD.total_seconds()))
    return gathering.starts_at - timedelta(minutes=minutes)


def offsets_for(
    session: Session, settings: Settings, gathering: Gathering, person_id: int
) -> list[int]:
    person = session.get(Person, person_id)
    if person is None or not person.reminders_enabled:
        return []
    if person.reminder_offsets:
        return [int(m) for m in person.reminder_offsets.split(",") if m]
    return list(community_settings(settings, gathering.community).reminder_minutes)


def schedule(
    session: Session, settings: Settings, gathering: Gathering, pledge: Pledge, now: datetime
) -> None:
    """Queue this pledger's reminders (idempotent: one per offset)."""
    if gathering.status != GatheringStatus.OPEN or pledge.state != PledgeState.GOING:
        return
    rows = []
    dues: set[datetime] = set()
    for minutes in offsets_for(session, settings, gathering, pledge.person_id):
        due = due_at(gathering, minutes, pledge.person_id)
        if due <= now or due in dues:
            # They joined after this reminder would have gone: it would only repeat. Or a
            # whole-day gathering's "2h" and "30m" both fall at 08:00: one is enough.
            continue
        dues.add(due)
        rows.append(
            {
                "network": pledge.network,
                "kind": OutboxKind.DM,
                "purpose": "reminder",
                "gathering_id": gathering.id,
                "person_id": pledge.person_id,
                "payload": json.dumps({"minutes": minutes, "due": due.isoformat()}),
                "coalesce_key": f"reminder:{gathering.id}:{pledge.person_id}:{minutes}",
                "status": OutboxStatus.PENDING,
                "not_before": due,
                "created_at": now,
                "attempts": 0,
            }
        )
    if rows:
        outbox.queued_networks(session).add(pledge.network)
        insert_many_ignoring_conflict(
            session,
            OutboxMessage,
            rows,
            index_elements=["coalesce_key"],
            index_where=outbox.PENDING,
        )


def unschedule(session: Session, gathering_id: int, person_id: int | None = None) -> None:
    """Drop pending reminders of a gathering (of one person, or everyone's)."""
    query = delete(OutboxMessage).where(
        OutboxMessage.gathering_id == gathering_id,
        OutboxMessage.purpose.in_(("reminder", "short_of_target")),
        OutboxMessage.status == OutboxStatus.PENDING,
    )
    if person_id is not None:
        query = query.where(OutboxMessage.person_id == person_id)
    session.execute(query)


def reschedule(session: Session, settings: Settings, gathering: Gathering, now: datetime) -> None:
    """The time moved: every pledger gets reminders for the new time, and only those."""
    unschedule(session, gathering.id)
    for pledge in session.scalars(
        select(Pledge).where(Pledge.gathering_id == gathering.id, Pledge.state == PledgeState.GOING)
    ):
        schedule(session, settings, gathering, pledge, now)
    calls.schedule(session, settings, gathering, now)


def reschedule_person(session: Session, settings: Settings, person_id: int, now: datetime) -> None:
    """A person changed their reminder settings: apply them to what they've joined."""
    rows = session.execute(
        select(Pledge, Gathering)
        .join(Gathering, Gathering.id == Pledge.gathering_id)
        .where(
            Pledge.person_id == person_id,
            Pledge.state == PledgeState.GOING,
            Gathering.status == GatheringStatus.OPEN,
            Gathering.joinable_until > now,
        )
    ).all()
    for pledge, gathering in rows:
        session.execute(
            delete(OutboxMessage).where(
                OutboxMessage.gathering_id == gathering.id,
                OutboxMessage.person_id == person_id,
                OutboxMessage.purpose == "reminder",
                OutboxMessage.status == OutboxStatus.PENDING,
            )
        )
        schedule(session, settings, gathering, pledge, now)


# At send time --------------------------------------------------------------------------


def superseded(session: Session, row: OutboxMessage, minutes: int, now: datetime) -> bool:
    """A later reminder of the same gathering for the same person is due too (they come
    back together after an outage): only the latest goes."""
    later = session.scalar(
        select(OutboxMessage.id).where(
            OutboxMessage.gathering_id == row.gathering_id,
            OutboxMessage.person_id == row.person_id,
            OutboxMessage.purpose == "reminder",
            OutboxMessage.status.in_(("pending", "claimed", "sending", "sent")),
            OutboxMessage.not_before > row.not_before,
            OutboxMessage.not_before <= now,
            OutboxMessage.id != row.id,
        )
    )
    return later is not None


def prepare(
    session: Session, settings: Settings, row: OutboxMessage, now: datetime
) -> Delivery | None:
    """Render a claimed reminder, or skip it (recorded) when moot. A reminder is a DM, in
    the gathering's language (`rendering.language_of`)."""
    gathering = session.get(Gathering, row.gathering_id)
    if gathering is None or gathering.status != GatheringStatus.OPEN or gathering.joinable_until <= now:
        outbox.finish(row, OutboxStatus.SKIPPED, now, "gathering cancelled, finished or started")
        return None
    details = json.loads(row.payload or "{}")
    minutes = int(details.get("minutes", 0))
    pledge = session.scalar(
        select(Pledge).where(Pledge.gathering_id == gathering.id, Pledge.person_id == row.person_id)
    )
    person = session.get(Person, row.person_id) if row.person_id else None
    if (
        pledge is None
        or pledge.state != PledgeState.GOING
        or person is None
        or not person.reminders_enabled
    ):
        outbox.finish(row, OutboxStatus.SKIPPED, now, "no longer going, or reminders off")
        return None
    due = details.get("due")
    if due is not None and datetime.fromisoformat(due) != due_at(gathering, minutes, person.id):
        outbox.finish(
            row, OutboxStatus.SKIPPED, now, "the gathering moved; a fresh reminder is queued"
        )
        return None
    if superseded(session, row, minutes, now):
        outbox.finish(row, OutboxStatus.SKIPPED, now, "a later reminder is due too")
        return None
    # The first reminder 12 hours or more ahead asks "Still coming?", unless they said yes.
    check = pledge.confirmed_at is None and minutes == community_settings(
        settings, gathering.community
    ).still_coming_minutes(offsets_for(session, settings, gathering, person.id))
    if check:
        row.payload = json.dumps({**details, "asks": True})  # for receipts.py, once it went
    message = reminder_message(gathering, now, minutes, check_on=row.network if check else None)
    identity = reachable_identity(session, person.id, row.network)
    if identity is not None and identity.network == row.network:
        return outbox.direct_message(row, identity, message)
    return _in_the_room(session, row, gathering, person.id, message, now)


def asks(row: OutboxMessage) -> bool:
    """Whether this reminder row put "Still coming?" (marked when it was rendered)."""
    return row.purpose == "reminder" and bool(json.loads(row.payload or "{}").get("asks"))


def _in_the_room(
    session: Session,
    row: OutboxMessage,
    gathering: Gathering,
    person_id: int,
    message: Message,
    now: datetime,
) -> Delivery | None:
    """Nobody can DM them on this network: mention them once in the gathering's room."""
    identity = session.scalar(
        select(Identity).where(Identity.person_id == person_id, Identity.network == row.network)
    )
    room = announcing_room(session, gathering.id, row.network)
    if (
        identity is None
        or room is None
        or (
            identity.dm_hint_sent_at is not None
            and now - identity.dm_hint_sent_at < FALLBACK_HINT_EVERY
        )
        or mentions.recently_mentioned(session, identity.id, gathering.id, now) is not None
    ):
        outbox.finish(
            row, OutboxStatus.SKIPPED, now, "cannot DM them, and already reminded in the room"
        )
        return None
    identity.dm_hint_sent_at = now
    person = (identity.display_name or identity.handle, f"{identity.network}:{identity.native_id}")
    # The reminder shown in the room keeps its DM's language; the words around it follow.
    notice = notice_words.in_the_room([person], "reminder", message, rendering.language_of(gathering))
    # A "Still coming?" keeps its buttons: pressed in the room, answered privately.
    notice = dataclasses.replace(notice, buttons=message.buttons)
    return outbox.room_message(row, room.chat_id, notice, "reminder_in_room")


def reminder_message(
    gathering: Gathering,
    now: datetime,
    minutes: int,
    language: str | None = None,
    *,
    check_on: str | None = None,
) -> Message:
    """The reminder DM, in the gathering's language (`rendering.language_of`) unless told.
    `check_on`: the network it goes on, when it asks "Still coming?" (buttons, or on Mastodon
    the words to reply with)."""
    language = language or rendering.language_of(gathering)
    b = MessageBuilder()
    b.line(
        *i18n.spans(
            language,
            "reminder.starts_when",
            title=user(gathering.title),
            when=rendering.time_left(gathering, now, language),
        )
    )
    b.line("🗓 ", rendering.format_when(gathering, language))
    if gathering.place:
        b.line(
            "📍 ",
            user(gathering.place),
            " (",
            link(i18n.text(language, "reminder.map"), rendering.map_link(gathering.place)),
            ")",
        )
    b.line("👥 " + rendering.going_count(gathering.headcount, gathering.target, language))
    if check_on is not None:
        still_coming.ask(b, gathering, language, check_on)
    elif minutes >= 720:
        b.line(*rendering.send_leave(language, "reminder.still_coming_leave", gathering))
    else:
        b.line(*rendering.send_leave(language, "reminder.cant_make_it_leave", gathering))
    return b.build()
