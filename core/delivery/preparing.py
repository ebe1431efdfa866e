"""A claimed outbox row made into a Delivery: rendered as it should look at the moment of
sending, or skipped (and recorded so) when it no longer has anyone or anything to go to."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.config import Settings
from core.contract.messages import Message
from core.delivery import calls, fence, impact_ask, mentions, openings, outbox, reminders
from core.delivery.outbox import Delivery, GatheringFacts
from core.rules import roles
from core.rules.rooms import community_language
from core.rules.tally import tally
from core.storage.models import Announcement, Gathering, Identity, Room
from core.storage.series import Series
from core.storage.statuses import DmStatus, GatheringStatus, OutboxKind, OutboxStatus
from core.storage.traffic import OutboxMessage
from core.words import rendering


def prepare_all(
    session: Session, settings: Settings, rows: Sequence[OutboxMessage], now: datetime
) -> list[Delivery]:
    """The deliveries for a claimed batch (rows finished here as skipped give none). The
    gatherings, announcements and rooms the rows refer to are loaded first, three queries for
    the whole batch, so that each row finds its own in the session instead of asking for it;
    `loaded` holds them meanwhile (the session holds its objects only weakly)."""
    loaded = _load_referenced(session, rows)
    deliveries = [prepare(session, settings, row, now) for row in rows]
    del loaded
    return [delivery for delivery in deliveries if delivery is not None]


def _load_referenced(session: Session, rows: Sequence[OutboxMessage]) -> list[object]:
    wanted: list[tuple[type[Gathering] | type[Announcement] | type[Room], set[int]]] = [
        (Gathering, {r.gathering_id for r in rows if r.gathering_id is not None}),
        (Announcement, {r.announcement_id for r in rows if r.announcement_id is not None}),
        (Room, {r.room_id for r in rows if r.room_id is not None}),
    ]
    loaded: list[object] = []
    for model, ids in wanted:
        if len(ids) > 1:  # one is a single get later anyway
            loaded += session.scalars(select(model).where(model.id.in_(ids))).all()
    return loaded


def prepare(
    session: Session, settings: Settings, row: OutboxMessage, now: datetime
) -> Delivery | None:
    """The delivery for a claimed row; None when the row was finished here as skipped."""
    gathering = session.get(Gathering, row.gathering_id) if row.gathering_id else None
    if gathering is not None and fence.useful_until(row, gathering) <= now:
        outbox.finish(
            row, OutboxStatus.SKIPPED, now, "no longer useful: the gathering started or ended"
        )
        return None
    delivery = _prepare(session, settings, row, now)
    if delivery is None or gathering is None:
        return delivery
    return dataclasses.replace(delivery, version=gathering.version)


def _prepare(
    session: Session, settings: Settings, row: OutboxMessage, now: datetime
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
        return _announcement(session, settings, row, now)
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
    session: Session, settings: Settings, row: OutboxMessage, now: datetime
) -> Delivery | None:
    announcement = session.get(Announcement, row.announcement_id)
    gathering = session.get(Gathering, row.gathering_id)
    room = session.get(Room, row.room_id)
    if announcement is None or gathering is None or room is None:
        outbox.finish(row, OutboxStatus.SKIPPED, now, "announcement is gone")
        return None
    # A post speaks the main language of the room's community (a DM, its gathering's).
    language = community_language(settings, room.community)
    numbers = tally(session, gathering.id)
    message = rendering.announcement(
        gathering,
        numbers.per_network,
        numbers.waitlisted,
        language,
        page=settings.web.page_url(gathering.code),
        role_counts=roles.counts(session, gathering),
        series=_series_of(session, gathering),
        confirmed=numbers.confirmed,
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
