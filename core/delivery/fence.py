"""The last look before a message goes on the wire, and how long each kind stays worth sending.

A row is rendered when it is claimed, but the network call may come seconds (a rate limit)
or hours (an outage) later. `begin_send` re-checks, in the transaction that marks the row as
sending, that what it says is still true: the gathering is still on and unchanged, the
person still going and reminders still wanted. A row that is now wrong is skipped; one whose
gathering changed since it was rendered goes back to be rendered afresh.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import bindparam, exists, select, update
from sqlalchemy.orm import Session

from core.delivery import impact_ask, leases, outbox
from core.delivery.outbox import Delivery, GatheringFacts
from core.rules import roles
from core.storage.models import Gathering, Person, Pledge, UtcDateTime
from core.storage.statuses import OutboxKind, OutboxStatus
from core.storage.traffic import OutboxMessage

# A gathering without an end time is taken to last this long (as its calendar link does).
ASSUMED_LENGTH = timedelta(hours=2)
# Rendered at send time from the gathering: a change since then means rendering again.
RENDERED_FROM_GATHERING = ("reminder", "short_of_target", "place_opened")
# Notices to people about a gathering they are in: not for someone who left since.
TO_PLEDGERS = ("its_on", "changed", "promoted", "told")
RENDER_AGAIN = "render again"


def useful_until(row: OutboxMessage, gathering: Gathering) -> datetime:
    """Reminders and "we need N more" until the start (until the end of its last day for a
    whole-day gathering, reminded that morning); every other message about a gathering
    (notices, announcement edits) until it ends."""
    if row.purpose in RENDERED_FROM_GATHERING:
        return gathering.joinable_until
    if row.purpose == impact_ask.PURPOSE:  # asked at the end, answered within a week
        return impact_ask.ended_at(gathering) + impact_ask.ANSWER_WINDOW
    return assumed_end(gathering)


def assumed_end(gathering: Gathering | GatheringFacts) -> datetime:
    return gathering.ends_at or gathering.starts_at + ASSUMED_LENGTH


def why_not_now(
    session: Session, row: OutboxMessage, delivery: Delivery, now: datetime
) -> str | None:
    """Why this row must not go now (RENDER_AGAIN: not in this form), or None: send it."""
    if row.gathering_id is None:
        return None
    gathering = session.get(Gathering, row.gathering_id, populate_existing=True)
    if gathering is None:
        return "gathering is gone"
    if useful_until(row, gathering) <= now:
        return "no longer useful: the gathering started or ended"
    if row.purpose == impact_ask.PURPOSE:
        return impact_ask.why_not(session, row, gathering, now)
    if row.kind == "announcement":
        return None  # rendered with the latest count at claim; an edit is sent again anyway
    told_cancel = row.purpose in ("in_room", "cancelled", "cancelled_in_room")
    if gathering.status == "cancelled" and not told_cancel:
        return "gathering cancelled"
    # Rendered at send time from the gathering (and its news folded in): again if it changed.
    rendered_late = row.purpose == "in_room" or (row.purpose == "changed" and row.coalesce_key)
    if rendered_late and delivery.version not in (None, gathering.version):
        return RENDER_AGAIN
    if row.purpose in RENDERED_FROM_GATHERING:
        if gathering.status != "open":
            return "gathering no longer open"
        if delivery.version is not None and delivery.version != gathering.version:
            return RENDER_AGAIN
    if row.purpose == "reminder" or (row.purpose in TO_PLEDGERS and row.person_id is not None):
        pledge = session.scalar(
            select(Pledge).where(
                Pledge.gathering_id == gathering.id, Pledge.person_id == row.person_id
            )
        )
        wanted = ("going",) if row.purpose == "reminder" else ("going", "waitlisted")
        if pledge is None or pledge.state not in wanted:
            return "no longer going"
    if row.purpose == "reminder":
        person = session.get(Person, row.person_id) if row.person_id else None
        if person is None or not person.reminders_enabled:
            return "reminders turned off"
    # with roles, a full total may still lack a first-aider: then the call goes out
    if (
        row.purpose == "short_of_target"
        and gathering.headcount >= (gathering.target or 0)
        and (not gathering.has_roles or roles.all_met(session, gathering))
    ):
        return "target reached"
    if row.purpose == "place_opened" and gathering.headcount >= (gathering.capacity or 0):
        return "the places were taken again"
    return None


def begin_send(session: Session, delivery: Delivery, now: datetime) -> bool:
    """The fence before the network call: only the current, unexpired lease holder may send,
    and only what is still true. False: do not send (the row says why, or is someone else's)."""
    if _edit_still_current(session, delivery, now):
        return True
    row = leases.held_row(session, delivery.id, delivery.token, now)
    if row is None:
        return False
    reason = why_not_now(session, row, delivery, now)
    if reason == RENDER_AGAIN:
        if _fresh_twin(session, row):
            outbox.finish(
                row, OutboxStatus.SKIPPED, now, "the gathering changed; a fresh one is queued"
            )
        else:
            outbox.retry(row, now, "the gathering changed after it was rendered")
        return False
    if reason is not None:
        outbox.finish(row, OutboxStatus.SKIPPED, now, reason)
        return False
    leases.start_sending(row)
    return True


# An announcement whose gathering's details are as rendered is sent, if its lease holds: one
# statement marks it as sending (the general fence reads the row and the gathering first).
# A Core statement, past the session: an outbox row the session holds is stale after it, so
# whatever changes a row in the delivery lane loads it afresh (`leases.held_row`, `owned_row`).
_SENDING_IF_CURRENT = (
    update(OutboxMessage)
    .where(
        OutboxMessage.id == bindparam("delivery_id"),
        OutboxMessage.lease_token == bindparam("token"),
        OutboxMessage.status == OutboxStatus.CLAIMED,
        OutboxMessage.lease_until > bindparam("now", type_=UtcDateTime()),
        exists().where(
            Gathering.id == OutboxMessage.gathering_id,
            Gathering.version == bindparam("version"),
        ),
    )
    .values(status=OutboxStatus.SENDING, attempts=OutboxMessage.attempts + 1)
    .returning(OutboxMessage.id)
)


def _edit_still_current(session: Session, delivery: Delivery, now: datetime) -> bool:
    """The fence of an announcement post or edit in one statement, when nothing it checks
    changed since it was rendered: the lease holds, and the gathering has the details version
    it was rendered from, so it still ends when `delivery.gathering` says (which is all
    `why_not_now` asks of an announcement). False: not known here; the general fence decides,
    and records why not."""
    facts = delivery.gathering
    if delivery.kind != OutboxKind.ANNOUNCEMENT or facts is None or delivery.version is None:
        return False
    if assumed_end(facts) <= now:
        return False
    sent = session.connection().execute(
        _SENDING_IF_CURRENT,
        {
            "delivery_id": delivery.id,
            "token": delivery.token,
            "now": now,
            "version": delivery.version,
        },
    )
    return sent.first() is not None


def _fresh_twin(session: Session, row: OutboxMessage) -> bool:
    """The change already queued this message afresh (a reschedule's new reminder)."""
    if row.coalesce_key is None:
        return False
    twin = session.scalar(
        select(OutboxMessage.id).where(
            OutboxMessage.coalesce_key == row.coalesce_key,
            OutboxMessage.status == "pending",
            OutboxMessage.id != row.id,
        )
    )
    return twin is not None
