"""What happened to a delivery, recorded under its lease so a stale process cannot overwrite it."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta

from sqlalchemy import String, bindparam, func, select, update
from sqlalchemy.orm import Session

from core.delivery import leases, mentions, outbox, reminders
from core.delivery.outbox import (
    ChatMoved,
    Delivery,
    Failed,
    Outcome,
    RetryLater,
    Sent,
    Uncertain,
    Unreachable,
)
from core.rules import confirmations
from core.rules.rooms import move_room
from core.rules.tally import tally
from core.storage.models import Announcement, Gathering, Identity, UtcDateTime
from core.storage.statuses import DmStatus, OutboxKind, OutboxStatus
from core.storage.traffic import OutboxMessage

log = logging.getLogger(__name__)
# Notices about a gathering that fall back to a room mention when their DM is refused.
NOTICES = ("its_on", "changed", "cancelled", "promoted", "told")


def record(session: Session, delivery: Delivery, outcome: Outcome, now: datetime) -> bool:
    """Store the outcome; False when the lease was lost (another process owns the row now)."""
    if isinstance(outcome, Sent) and delivery.kind == OutboxKind.ANNOUNCEMENT:
        return _announcement_sent(session, delivery, outcome, now)
    row = leases.owned_row(session, delivery.id, delivery.token)
    if row is None:
        return _lease_lost(delivery, outcome)
    match outcome:
        case Sent():
            outbox.finish(row, OutboxStatus.SENT, now)
            if delivery.purpose.endswith("_in_room") and row.gathering_id is not None:
                mentions.record_sent(session, delivery, row.gathering_id, now)
            if reminders.asks(row):
                _asked(session, row, outcome.message_id, now)
        case RetryLater(seconds=seconds, reason=reason, outage=outage):
            # A wait is not a refusal: it never uses up an attempt, and the row stays due for
            # as long as it is useful (`usefulness`), however long the network is away.
            if row.status == "sending":
                row.attempts = max(0, row.attempts - 1)
                row.deferrals += 1
            wait = (
                outbox.deferred_wait(row.deferrals, seconds)
                if outage
                else timedelta(seconds=max(0.0, seconds))
            )
            _requeue(session, row, now + wait, reason)
        case Unreachable(reason=reason):
            # Reminders are addressed to a person, so find the account by who was messaged.
            identity = (
                session.scalar(
                    select(Identity).where(
                        Identity.network == row.network,
                        Identity.native_id == delivery.recipient.native_id,
                    )
                )
                if delivery.recipient is not None
                else None
            )
            if identity is not None:
                identity.dm_status = DmStatus.UNREACHABLE
            outbox.finish(row, OutboxStatus.FAILED, now, f"unreachable: {reason}"[:500])
            if identity is not None and delivery.kind == "dm":
                _in_the_room_instead(session, row, identity, delivery, now)
            if delivery.kind == "dm" and reminders.asks(row):
                _check_in_the_room(session, row, now)
        case ChatMoved(new_chat_id=new_chat_id):
            if delivery.chat_id is not None:
                move_room(session, row.network, delivery.chat_id, new_chat_id)
            _requeue_or_fail(session, row, now, f"chat moved to {new_chat_id}")
        case Uncertain(reason=reason):
            if row.kind == OutboxKind.ANNOUNCEMENT and delivery.message_id is not None:
                _requeue_or_fail(
                    session, row, now + outbox.backoff(row.attempts), f"uncertain edit: {reason}"
                )
            else:
                # Never retried blindly: the person may already have it (at most once).
                outbox.finish(row, OutboxStatus.UNCERTAIN, now, reason)
        case Failed(reason=reason, message_gone=gone):
            announcement = (
                session.get(Announcement, row.announcement_id) if row.announcement_id else None
            )
            if gone and announcement is not None:
                announcement.message_id, announcement.shown_digest = None, None
                _requeue_or_fail(session, row, now, f"post was gone, posting again: {reason}")
            else:
                outbox.finish(row, OutboxStatus.FAILED, now, reason)
    return True


def _lease_lost(delivery: Delivery, outcome: Outcome) -> bool:
    log.warning("delivery %s: lease lost, outcome %s ignored", delivery.id, type(outcome).__name__)
    return False


# Every announcement post and edit that went out ends here: one statement finishes the row, if
# its lease still holds, and names the announcement it showed (reading the row first, as the
# other outcomes do, costs two more). Past the session, as `fence._SENDING_IF_CURRENT` is.
_SENT_IF_HELD = (
    update(OutboxMessage)
    .where(
        OutboxMessage.id == bindparam("delivery_id"),
        OutboxMessage.lease_token == bindparam("token"),
        OutboxMessage.status.in_([OutboxStatus.CLAIMED, OutboxStatus.SENDING]),
    )
    .values(
        status=OutboxStatus.SENT,
        finished_at=bindparam("now", type_=UtcDateTime()),
        lease_token=None,
        last_error=None,
    )
    .returning(OutboxMessage.announcement_id)
)


def _announcement_sent(session: Session, delivery: Delivery, sent: Sent, now: datetime) -> bool:
    finished = session.connection().execute(
        _SENT_IF_HELD, {"delivery_id": delivery.id, "token": delivery.token, "now": now}
    ).first()
    if finished is None:
        return _lease_lost(delivery, sent)
    if finished.announcement_id is not None:
        _shown(session, finished.announcement_id, delivery, sent, now)
    return True


def _in_the_room_instead(
    session: Session, row: OutboxMessage, identity: Identity, delivery: Delivery, now: datetime
) -> None:
    """A notice whose DM was refused (they closed their DMs since): mention them in the room
    instead, under the same once-per-12-hours rule as everyone who cannot be DMed."""
    gathering = session.get(Gathering, row.gathering_id) if row.gathering_id else None
    if gathering is None or row.purpose not in NOTICES:
        return
    news: object = json.loads(row.payload).get("changed") if row.purpose == "changed" else None
    if news is None:
        news = delivery.message.to_json()
    # Not at once: the DMs of a burst are refused one after another, and a short wait lets
    # their fallbacks share one post instead of the first refusal taking a post of its own.
    settled = now + mentions.FALLBACK_SETTLE
    mentions.tell_in_room(
        session, gathering, [identity], row.purpose, news, now, not_before=settled
    )


def _asked(session: Session, row: OutboxMessage, message_id: str | None, now: datetime) -> None:
    """The "Still coming?" went out: the pledge remembers it, and the post that asked (a
    Mastodon reply to it is the answer). The first one puts "0 confirmed" on the posts."""
    if row.gathering_id is None or row.person_id is None:
        return
    where = f"{row.network}:{message_id}" if message_id else None
    if tally(session, row.gathering_id).confirmed is None:
        outbox.refresh_announcements(session, now, gathering_id=row.gathering_id)
    confirmations.asked(session, row.gathering_id, row.person_id, where, now)


def _check_in_the_room(session: Session, row: OutboxMessage, now: datetime) -> None:
    """A "Still coming?" DM refused (they closed their DMs): ask it in the gathering's room,
    with its buttons, under the room-mention rules (`reminders.prepare` sees they cannot be
    DMed now and mentions them there)."""
    session.add(
        OutboxMessage(
            network=row.network,
            kind=OutboxKind.DM,
            purpose=row.purpose,
            gathering_id=row.gathering_id,
            person_id=row.person_id,
            payload=row.payload,
            coalesce_key=f"{row.coalesce_key}:room" if row.coalesce_key else None,
            not_before=now + mentions.FALLBACK_SETTLE,
            created_at=now,
        )
    )
    outbox.queued_networks(session).add(row.network)


# Built once, as a Core statement: the ORM's UPDATE costs more in Python than the row does.
_SHOWN = (
    update(Announcement)
    .where(Announcement.id == bindparam("announcement_id"))
    .values(
        shown_digest=bindparam("digest"),
        message_id=func.coalesce(bindparam("new_message_id", type_=String()), Announcement.message_id),
        post_url=func.coalesce(bindparam("url", type_=String()), Announcement.post_url),
        posted_at=func.coalesce(Announcement.posted_at, bindparam("now", type_=UtcDateTime())),
    )
)


def _shown(
    session: Session, announcement_id: int, delivery: Delivery, sent: Sent, now: datetime
) -> None:
    """The post now shows this version: one UPDATE (every announcement edit comes here)."""
    session.connection().execute(
        _SHOWN,
        {
            "announcement_id": announcement_id,
            "digest": delivery.digest,
            "new_message_id": sent.message_id,
            "url": sent.url[:500] if sent.url else None,
            "now": now,
        },
    )



def _requeue_or_fail(session: Session, row: OutboxMessage, at: datetime, reason: str) -> None:
    """Try again after a send that went out and did not land, up to MAX_ATTEMPTS of them."""
    if row.attempts >= outbox.MAX_ATTEMPTS:
        outbox.finish(
            row, OutboxStatus.FAILED, at, f"gave up after {row.attempts} attempts: {reason}"
        )
    else:
        _requeue(session, row, at, reason)


def _requeue(session: Session, row: OutboxMessage, at: datetime, reason: str) -> None:
    """Back to pending, unless a newer refresh of the same announcement already waits."""
    if row.coalesce_key is not None:
        newer = session.scalar(
            select(OutboxMessage.id).where(
                OutboxMessage.coalesce_key == row.coalesce_key,
                OutboxMessage.status == OutboxStatus.PENDING,
                OutboxMessage.id != row.id,
            )
        )
        if newer is not None:
            newer_row = session.get(OutboxMessage, newer)
            if newer_row is not None and newer_row.not_before < at:
                newer_row.not_before = at
            outbox.finish(row, OutboxStatus.SKIPPED, at, f"superseded; {reason}")
            return
    outbox.retry(row, at, reason)
