"""Leases on outbox rows: claiming due rows for a sender, taking over work whose process went
away, and the checks that a sender still holds the row it reports on.

Split from `core.delivery.outbox` (queueing and outcomes), which it uses to finish rows and to
queue fresh announcement refreshes.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.delivery.outbox import finish, refresh_announcements
from core.storage.models import Announcement
from core.storage.statuses import OutboxStatus
from core.storage.traffic import OutboxMessage


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

    Two statements, whatever the batch: the due rows' ids, then one UPDATE that leases them
    all and returns them (a row at a time, claiming cost a statement for every row). The rows
    of one claim share its lease token; a report names its row too, so the token still tells
    this claim from any later one. On PostgreSQL, rows locked by another claimer are skipped,
    so several processes share the work without waiting on each other; SQLite has a single
    writer, which is the claimer.
    """
    due = (
        select(OutboxMessage.id)
        .where(
            OutboxMessage.network == network,
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.not_before <= now,
        )
        .order_by(OutboxMessage.not_before, OutboxMessage.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    ids = list(session.scalars(due))
    if not ids:
        return []
    claimed = session.scalars(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids))
        .values(
            status=OutboxStatus.CLAIMED,
            lease_token=secrets.token_hex(8),
            lease_until=now + lease,
            claimed_by=worker[:100],
        )
        .returning(OutboxMessage)
        .execution_options(synchronize_session=False, populate_existing=True)
    ).all()
    return sorted(claimed, key=lambda row: (row.not_before, row.id))


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
