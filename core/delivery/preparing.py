"""A claimed outbox row made into a Delivery: rendered as it should look at the moment of
sending, or skipped (and recorded so) when it no longer has anyone or anything to go to."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from core.config import Settings
from core.contract.messages import Message
from core.delivery import calls, fence, impact_ask, mentions, openings, outbox, reminders
from core.delivery.outbox import Delivery, GatheringFacts
from core.rules import roles
from core.rules.rooms import community_language
from core.rules.tally import Tally, tallies
from core.storage.models import Announcement, Gathering, Identity, Room
from core.storage.series import Series
from core.storage.statuses import DmStatus, GatheringStatus, OutboxKind, OutboxStatus
from core.storage.traffic import OutboxMessage
from core.words import rendering


def prepare_all(
    session: Session, settings: Settings, rows: Sequence[OutboxMessage], now: datetime
) -> list[Delivery]:
    """The deliveries for a claimed batch (rows finished here as skipped give none). What the
    rows refer to is loaded first, for the whole batch (`_load_referenced`), so that each row
    finds its own in the session instead of asking for it; `loaded` holds them meanwhile (the
    session holds its objects only weakly). The announcements' numbers are counted together."""
    loaded = _load_referenced(session, rows)
    announced = {
        row.gathering_id
        for row in rows
        if row.kind == OutboxKind.ANNOUNCEMENT and row.gathering_id is not None
    }
    numbers = tallies(session, announced)
    deliveries = [prepare(session, settings, row, now, numbers) for row in rows]
    del loaded
    return [delivery for delivery in deliveries if delivery is not None]


def _load_referenced(session: Session, rows: Sequence[OutboxMessage]) -> list[object]:
    """Announcement edits (most of a busy outbox) with their gatherings and rooms in one
    statement; the gatherings and rooms of other rows in one each, if more than one (a single
    one is a single get later anyway)."""
    loaded: list[object] = []
    have: dict[type, set[int]] = {Gathering: set(), Room: set()}
    announcements = {r.announcement_id for r in rows if r.announcement_id is not None}
    if announcements:
        for announcement, gathering, room in session.execute(
            _ANNOUNCEMENTS_WITH_THEIRS, {"ids": list(announcements)}
        ):
            loaded += (announcement, gathering, room)
            have[Gathering].add(gathering.id)
            have[Room].add(room.id)
    wanted: list[tuple[type[Gathering] | type[Room], set[int]]] = [
        (Gathering, {r.gathering_id for r in rows if r.gathering_id is not None}),
        (Room, {r.room_id for r in rows if r.room_id is not None}),
    ]
    for model, ids in wanted:
        missing = ids - have[model]
        if len(missing) > 1:
            loaded += session.scalars(select(model).where(model.id.in_(missing))).all()
    return loaded


_ANNOUNCEMENTS_WITH_THEIRS = (
    select(Announcement, Gathering, Room)
    .join(Gathering, Gathering.id == Announcement.gathering_id)
    .join(Room, Room.id == Announcement.room_id)
    .where(Announcement.id.in_(bindparam("ids", expanding=True)))
)


def prepare(
    session: Session,
    settings: Settings,
    row: OutboxMessage,
    now: datetime,
    numbers: Mapping[int, Tally],
) -> Delivery | None:
    """The delivery for a claimed row; None when the row was finished here as skipped.
    `numbers`: the tallies of the batch's announcements' gatherings (`prepare_all`)."""
    gathering = session.get(Gathering, row.gathering_id) if row.gathering_id else None
    if gathering is not None and fence.useful_until(row, gathering) <= now:
        outbox.finish(
            row, OutboxStatus.SKIPPED, now, "no longer useful: the gathering started or ended"
        )
        return None
    delivery = _prepare(session, settings, row, now, numbers)
    if delivery is None or gathering is None:
        return delivery
    return dataclasses.replace(delivery, version=gathering.version)


def _prepare(
    session: Session,
    settings: Settings,
    row: OutboxMessage,
    now: datetime,
    numbers: Mapping[int, Tally],
) -> Delivery | None:
    if row.purpose == "reminder":
        return reminders.prepare(session, settings, row, now)
    if row.purpose == calls.PURPOSE:
        return calls.prepare(session, settings, row, now)
    if row.purpose == impact_ask.PURPOSE:
        return impact_ask.prepare(session, settings, row, now)
    if row.purpose == openings.PURPOSE:
        return openings.prepare(session, settings, row, now)
    if row.kind == OutboxKind.ANNOUNCEMENT:
        return _announcement(session, settings, row, now, numbers)
    if row.purpose == mentions.PURPOSE:
        return mentions.prepare(session, row, now)
    if row.kind == OutboxKind.ROOM:
        room = session.get(Room, row.room_id)
        if room is None:
            outbox.finish(row, OutboxStatus.SKIPPED, now, "room is gone")
            return None
        return outbox.room_message(row, room.chat_id, Message.from_json(row.payload))
    identity = session.get(Identity, row.identity_id) if row.identity_id else None
    if identity is None or not row.payload:
        outbox.finish(row, OutboxStatus.SKIPPED, now, "recipient is gone")
        return None
    if identity.dm_status == DmStatus.UNREACHABLE:
        outbox.finish(row, OutboxStatus.SKIPPED, now, "recipient cannot be messaged")
        return None
    details = json.loads(row.payload)
    if "changed" in details:
        # A change notice says the details as they are now, whatever changed meanwhile.
        gathering = session.get(Gathering, row.gathering_id)
        if gathering is None:
            outbox.finish(row, OutboxStatus.SKIPPED, now, "gathering is gone")
            return None
        message = mentions.changed_notice(gathering, details["changed"])
        return outbox.direct_message(row, identity, message)
    return outbox.direct_message(row, identity, Message.from_json(row.payload))


def _series_of(session: Session, gathering: Gathering) -> tuple[str, str] | None:
    """How an occurrence's series repeats, as written, and its code; None for a one-off."""
    if gathering.series_id is None:
        return None
    series = session.get(Series, gathering.series_id)
    return (series.repeats, series.code) if series is not None else None


def _announcement(
    session: Session,
    settings: Settings,
    row: OutboxMessage,
    now: datetime,
    numbers: Mapping[int, Tally],
) -> Delivery | None:
    announcement = session.get(Announcement, row.announcement_id)
    gathering = session.get(Gathering, row.gathering_id)
    room = session.get(Room, row.room_id)
    if announcement is None or gathering is None or room is None:
        outbox.finish(row, OutboxStatus.SKIPPED, now, "announcement is gone")
        return None
    # A post speaks the main language of the room's community (a DM, its gathering's).
    language = community_language(settings, room.community)
    counted = numbers[gathering.id]
    message = rendering.announcement(
        gathering,
        counted.per_network,
        counted.waitlisted,
        language,
        page=settings.web.page_url(gathering.code),
        role_counts=roles.counts(session, gathering),
        series=_series_of(session, gathering),
        confirmed=counted.confirmed,
    )
    digest = hashlib.sha256((room.chat_id + message.to_json()).encode()).hexdigest()
    if announcement.message_id is not None and digest == announcement.shown_digest:
        outbox.finish(row, OutboxStatus.SKIPPED, now, "unchanged")
        return None
    if announcement.message_id is None and gathering.status != GatheringStatus.OPEN:
        outbox.finish(row, OutboxStatus.SKIPPED, now, "never posted, and no longer open")
        return None
    return Delivery(
        row.id,
        row.lease_token or "",
        row.network,
        OutboxKind.ANNOUNCEMENT,
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
