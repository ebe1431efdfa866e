"""The outbox: messages owed to others, written with the change that caused them.

A network's sender claims rows (a lease), fences each send (`begin_send`) and reports the
outcome (`complete`). A crash loses nothing: an unexpired lease is taken over once it runs out,
and a row that was mid-send when its process died becomes `uncertain` instead of being sent
again, because the network may already have it (at most once for messages to people).
Announcement edits are idempotent, so they are simply retried.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, String, bindparam, cast, literal, select, update
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
from core.storage.models import Announcement, Identity, OutboxMessage, Room, UtcDateTime
from core.storage.sql import upsert_keeping_earliest
from core.storage.statuses import OutboxKind, OutboxStatus

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


# Claiming ---------------------------------------------------------------------------------


def expire_leases(session: Session, network: str, now: datetime) -> None:
    """Take over work whose process went away: unsent rows go back, mid-send ones are uncertain."""
    _unclaim_expired(session, network, now)
    # An edit of a posted announcement is harmless to send again: retry it as a fresh refresh.
    # A first post is not: whether it arrived is unknown, like any other message.
    stalled_edits = session.execute(
        select(OutboxMessage, Announcement)
        .join(Announcement, Announcement.id == OutboxMessage.announcement_id)
        .where(
            OutboxMessage.network == network,
            OutboxMessage.status == OutboxStatus.SENDING,
            OutboxMessage.lease_until < now,
            Announcement.message_id.is_not(None),
        )
    ).all()
    for row, _announcement in stalled_edits:
        finish(row, OutboxStatus.SKIPPED, now, "the process sending it stopped; edit sent again")
    refresh_announcements(session, now, announcement_ids=[a.id for _row, a in stalled_edits])
    session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.network == network,
            OutboxMessage.status == OutboxStatus.SENDING,
            OutboxMessage.lease_until < now,
        )
        .values(
            status=OutboxStatus.UNCERTAIN,
            finished_at=now,
            last_error="the process sending it stopped before it reported back",
        )
        .execution_options(synchronize_session=False)
    )


def _unclaim_expired(session: Session, network: str, now: datetime) -> None:
    """Claimed rows whose lease ran out go back to pending, unless a newer row with the same
    coalesce key waits already (a refresh queued while this one was claimed): only one may be
    pending, and the newer one says at least as much, so the older is skipped."""
    expired = session.scalars(
        select(OutboxMessage)
        .where(
            OutboxMessage.network == network,
            OutboxMessage.status == OutboxStatus.CLAIMED,
            OutboxMessage.lease_until < now,
        )
        .order_by(OutboxMessage.id.desc())
        .with_for_update()
    ).all()
    keys = {row.coalesce_key for row in expired if row.coalesce_key is not None}
    taken: set[str | None] = set()
    if keys:
        waiting = select(OutboxMessage.coalesce_key).where(
            OutboxMessage.coalesce_key.in_(keys), OutboxMessage.status == OutboxStatus.PENDING
        )
        taken.update(session.scalars(waiting))
    for row in expired:  # newest first: of several with one key, the newest goes back
        if row.coalesce_key is not None and row.coalesce_key in taken:
            finish(row, OutboxStatus.SKIPPED, now, "a newer one of the same kind is queued")
            continue
        taken.add(row.coalesce_key)
        row.status, row.lease_token, row.claimed_by = OutboxStatus.PENDING, None, None
    session.flush()


def claim_rows(
    session: Session, network: str, worker: str, now: datetime, limit: int, lease: timedelta
) -> list[OutboxMessage]:
    """Lease up to `limit` due rows of `network` to `worker`, oldest first.

    On PostgreSQL, rows locked by another claimer are skipped, so several processes share the
    work without waiting on each other; SQLite has a single writer, which is the claimer.
    """
    query = (
        select(OutboxMessage)
        .where(
            OutboxMessage.network == network,
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.not_before <= now,
        )
        .order_by(OutboxMessage.not_before, OutboxMessage.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    rows = list(session.scalars(query))
    for row in rows:
        row.status = OutboxStatus.CLAIMED
        row.lease_token = secrets.token_hex(8)
        row.lease_until = now + lease
        row.claimed_by = worker[:100]
    session.flush()
    return rows


def held_row(session: Session, delivery_id: int, token: str, now: datetime) -> OutboxMessage | None:
    """The claimed row, if `token` holds its lease and the lease has not run out."""
    row = session.get(OutboxMessage, delivery_id, with_for_update=True, populate_existing=True)
    if row is None or row.lease_token != token or row.status != OutboxStatus.CLAIMED:
        return None
    if row.lease_until is None or row.lease_until <= now:
        return None
    return row


def start_sending(row: OutboxMessage) -> None:
    """Past the fence: it goes on the wire now, and that is an attempt."""
    row.status = OutboxStatus.SENDING
    row.attempts += 1


def owned_row(session: Session, delivery_id: int, token: str) -> OutboxMessage | None:
    """The row, if `token` still holds it (a stale process's report is ignored)."""
    row = session.get(OutboxMessage, delivery_id, with_for_update=True, populate_existing=True)
    if (
        row is None
        or row.lease_token != token
        or row.status not in (OutboxStatus.CLAIMED, OutboxStatus.SENDING)
    ):
        return None
    return row


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
