"""The outbox: messages owed to others, written with the change that caused them.

A network's sender claims rows (a lease), fences each send (`begin_send`) and reports the
outcome (`complete`). A crash loses nothing: an unexpired lease is taken over once it runs out,
and a row that was mid-send when its process died becomes `uncertain` instead of being sent
again, because the network may already have it (at most once for messages to people).
Announcement edits are idempotent, so they are simply retried.

The leases themselves (claiming, taking over, checking who holds a row) are in
`core.delivery.leases`; this module queues rows and records their outcomes.
"""

from __future__ import annotations

import random
from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, String, bindparam, cast, literal, select
from sqlalchemy.orm import Session

from core.contract.messages import Message
from core.delivery.deliveries import (
    ChatMoved as ChatMoved,
)
from core.delivery.deliveries import (
    Delivery as Delivery,
)
from core.delivery.deliveries import (
    Failed as Failed,
)
from core.delivery.deliveries import (
    GatheringFacts as GatheringFacts,
)
from core.delivery.deliveries import (
    Outcome as Outcome,
)
from core.delivery.deliveries import (
    Recipient as Recipient,
)
from core.delivery.deliveries import (
    RetryLater as RetryLater,
)
from core.delivery.deliveries import (
    Sent as Sent,
)
from core.delivery.deliveries import (
    Uncertain as Uncertain,
)
from core.delivery.deliveries import (
    Unreachable as Unreachable,
)
from core.storage.models import Announcement, Identity, Room, UtcDateTime
from core.storage.sql import upsert_keeping_earliest
from core.storage.statuses import OutboxKind, OutboxStatus
from core.storage.traffic import OutboxMessage

MAX_ATTEMPTS = 8  # real refusals or losses of one message (never waits: see `deferrals`)
# Waits after an outage are doubled from the first, jittered, and kept short: the worker
# probes a network that is down with one message at a time, so the rest wait in the table at
# no cost, and go as soon as it is back.
DEFER_FIRST = timedelta(seconds=5)
DEFER_CAP = timedelta(minutes=2)
DEFER_JITTER = 0.2
PENDING = "status = 'pending'"


def direct_message(row: OutboxMessage, identity: Identity, message: Message) -> Delivery:
    """A claimed row as a DM to one account."""
    recipient = Recipient(identity.native_id, identity.handle, identity.display_name)
    return Delivery(
        row.id,
        row.lease_token or "",
        row.network,
        OutboxKind.DM,
        row.purpose,
        message,
        recipient=recipient,
    )


def room_message(
    row: OutboxMessage, chat_id: str, message: Message, purpose: str | None = None
) -> Delivery:
    """A claimed row as a post in one chat (`purpose` when it differs from the row's)."""
    return Delivery(
        row.id,
        row.lease_token or "",
        row.network,
        OutboxKind.ROOM,
        purpose or row.purpose,
        message,
        chat_id=chat_id,
    )


# Writing ----------------------------------------------------------------------------------


def queued_networks(session: Session) -> set[str]:
    """The networks this transaction queued messages for (to wake their senders on commit)."""
    networks: set[str] = session.info.setdefault("queued_networks", set())
    return networks


def _refreshes(which: ColumnElement[bool]) -> Select[*tuple[Any, ...]]:
    """The outbox rows that refresh the announcements `which` selects."""
    now = bindparam("now", type_=UtcDateTime())
    return (
        select(
            Room.network,
            literal(OutboxKind.ANNOUNCEMENT.value).label("kind"),
            literal("announcement").label("purpose"),
            Announcement.gathering_id,
            Announcement.id.label("announcement_id"),
            Announcement.room_id,
            (literal("announcement:") + cast(Announcement.id, String)).label("coalesce_key"),
            literal(OutboxStatus.PENDING.value).label("status"),
            now.label("not_before"),
            now.label("created_at"),
            literal(0).label("attempts"),
            literal("").label("payload"),
        )
        .join_from(Announcement, Room, Room.id == Announcement.room_id)
        .where(which)
    )


_REFRESH_GATHERING = _refreshes(Announcement.gathering_id == bindparam("gathering_id"))
_REFRESH_ANNOUNCEMENTS = _refreshes(Announcement.id.in_(bindparam("ids", expanding=True)))


def refresh_announcements(
    session: Session,
    now: datetime,
    *,
    gathering_id: int | None = None,
    announcement_ids: Collection[int] = (),
) -> None:
    """Queue a post or edit of every announcement of a gathering, or of these announcements;
    a pending one already covers it. One statement: this runs on every join."""
    if gathering_id is not None:
        # Once per transaction is enough, even when it carries a burst of joins.
        refreshed: set[int] = session.info.setdefault("refreshed_gatherings", set())
        if gathering_id in refreshed:
            return
        refreshed.add(gathering_id)
        rows, parameters = _REFRESH_GATHERING, {"gathering_id": gathering_id, "now": now}
    elif announcement_ids:
        rows, parameters = _REFRESH_ANNOUNCEMENTS, {"ids": list(announcement_ids), "now": now}
    else:
        return
    # An upsert, not DO NOTHING: it locks a pending refresh until this transaction commits, so
    # no sender renders it before the change that asked for it is visible. A sender that got
    # there first makes us wait, then the row is no longer pending and a fresh one goes in.
    networks = upsert_keeping_earliest(
        session,
        OutboxMessage,
        rows,
        parameters,
        index_elements=["coalesce_key"],
        index_where=PENDING,
        column="not_before",
        returning="network",
    )
    queued_networks(session).update(networks)


def to_room(
    session: Session,
    room: Room,
    message: Message,
    purpose: str,
    gathering_id: int | None,
    now: datetime,
) -> None:
    queued_networks(session).add(room.network)
    session.add(
        OutboxMessage(
            network=room.network,
            kind=OutboxKind.ROOM,
            purpose=purpose,
            room_id=room.id,
            gathering_id=gathering_id,
            payload=message.to_json(),
            not_before=now,
            created_at=now,
        )
    )


def to_person(
    session: Session,
    identity: Identity,
    message: Message,
    purpose: str,
    gathering_id: int | None,
    now: datetime,
    *,
    not_before: datetime | None = None,
) -> None:
    queued_networks(session).add(identity.network)
    session.add(
        OutboxMessage(
            network=identity.network,
            kind=OutboxKind.DM,
            purpose=purpose,
            identity_id=identity.id,
            person_id=identity.person_id,
            gathering_id=gathering_id,
            payload=message.to_json(),
            not_before=not_before or now,
            created_at=now,
        )
    )


def finish(
    row: OutboxMessage, status: OutboxStatus, now: datetime, error: str | None = None
) -> None:
    row.status, row.finished_at, row.lease_token = status, now, None
    row.last_error = error[:500] if error else None


def retry(row: OutboxMessage, at: datetime, error: str) -> None:
    row.status, row.not_before = OutboxStatus.PENDING, at
    row.lease_token, row.claimed_by = None, None
    row.last_error = error[:500]


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(600, 2 ** min(attempts, 10)))


def deferred_wait(
    deferrals: int, at_least: float, chance: random.Random | None = None
) -> timedelta:
    """How long a row waits after its `deferrals`-th outage: doubling from DEFER_FIRST,
    capped at DEFER_CAP, ±20% jitter so a crowd put off together does not return together."""
    base = min(DEFER_CAP, DEFER_FIRST * 2 ** min(max(deferrals - 1, 0), 16))
    draw = chance.uniform if chance is not None else random.uniform
    spread: float = draw(1 - DEFER_JITTER, 1 + DEFER_JITTER)
    jittered: timedelta = min(DEFER_CAP, base * spread)
    return max(timedelta(seconds=max(at_least, 0.0)), jittered)
