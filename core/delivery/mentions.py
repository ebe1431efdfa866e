"""News for people the bot cannot DM, told by mentioning them in the gathering's room.

A mention pings, so each person is mentioned at most once per gathering per MENTION_EVERY,
whatever the news. Notices for one gathering and room wait in one pending row; news that
comes while it waits is folded into it, and it is rendered when it is sent, from the
gathering as it is then (a cancellation makes earlier news moot; a change shows the final
details). People mentioned too recently are kept for one later post, due when they may be
mentioned again.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.contract.messages import Message
from core.delivery import outbox
from core.delivery.outbox import Delivery
from core.rules.rooms import announcing_room
from core.storage.models import Gathering, Identity, Room
from core.storage.statuses import GatheringStatus, OutboxStatus
from core.storage.traffic import OutboxMessage, RoomMention
from core.words import notice_words, rendering

MENTION_EVERY = timedelta(hours=12)
FALLBACK_SETTLE = timedelta(minutes=1)  # after a refused DM, before the room post
PURPOSE = "in_room"
MAX_PEOPLE = 50
MOOT_IF_CANCELLED = ("told", "its_on", "changed", "promoted")


def changed_notice(gathering: Gathering, fields: list[str]) -> Message:
    """The change notice for what changed ("time", "place"), with the details as they are."""
    what: notice_words.Changed = (
        "place and time"
        if {"time", "place"} <= set(fields)
        else ("time" if "time" in fields else "place")
    )
    return notice_words.changed(gathering, what)


def recently_mentioned(
    session: Session, identity_id: int, gathering_id: int, now: datetime
) -> datetime | None:
    """When they were last mentioned about this gathering, if within MENTION_EVERY."""
    mention = session.get(RoomMention, (identity_id, gathering_id))
    if mention is None or now - mention.mentioned_at >= MENTION_EVERY:
        return None
    return mention.mentioned_at


def record_mention(session: Session, identity_id: int, gathering_id: int, now: datetime) -> None:
    mention = session.get(RoomMention, (identity_id, gathering_id))
    if mention is None:
        session.add(
            RoomMention(identity_id=identity_id, gathering_id=gathering_id, mentioned_at=now)
        )
    else:
        mention.mentioned_at = now


def tell_in_room(
    session: Session,
    gathering: Gathering,
    identities: list[Identity],
    purpose: str,
    news: Any,
    now: datetime,
    *,
    not_before: datetime | None = None,
    later: bool = False,
) -> bool:
    """Fold this news for these accounts (all on one network) into the room's pending post.

    `news` is a Message as JSON, or for "changed" the list of what changed. False when the
    gathering has no public room on their network."""
    if not identities:
        return False
    network = identities[0].network
    room = announcing_room(session, gathering.id, network)
    if room is None:
        return False
    # The post for people who may be mentioned again only later is a row of its own, so
    # that news for everyone else never waits with it.
    key = f"{PURPOSE}:{gathering.id}:{room.id}" + (":later" if later else "")
    row = session.scalar(
        select(OutboxMessage).where(
            OutboxMessage.coalesce_key == key, OutboxMessage.status == "pending"
        )
    )
    if row is None:
        row = OutboxMessage(
            network=network,
            kind="room",
            purpose=PURPOSE,
            room_id=room.id,
            gathering_id=gathering.id,
            coalesce_key=key,
            payload=json.dumps({"people": [], "news": []}),
            not_before=not_before or now,
            created_at=now,
        )
        session.add(row)
        outbox.queued_networks(session).add(network)
    elif not_before is not None and not_before < row.not_before:
        row.not_before = not_before
    details = json.loads(row.payload)
    people: list[int] = details["people"]
    people += [i.id for i in identities if i.id not in people]
    details["news"].append([purpose, news])
    row.payload = json.dumps(details)
    session.flush()
    return True


def prepare(session: Session, row: OutboxMessage, now: datetime) -> Delivery | None:
    """The room post for the people not mentioned lately; the others wait for a later one."""
    gathering = session.get(Gathering, row.gathering_id)
    room = session.get(Room, row.room_id)
    details = json.loads(row.payload or "{}")
    if gathering is None or room is None or not details.get("news"):
        outbox.finish(row, OutboxStatus.SKIPPED, now, "gathering or room is gone")
        return None
    if gathering.status == GatheringStatus.CANCELLED:
        # News about it going ahead (a /tell, "it's on") is no longer true; the cancellation,
        # or a series' end, still is.
        details["news"] = [item for item in details["news"] if item[0] not in MOOT_IF_CANCELLED]
        if not details["news"]:
            outbox.finish(row, OutboxStatus.SKIPPED, now, "gathering cancelled")
            return None
    fresh: list[Identity] = []
    later: list[Identity] = []
    again_at: datetime | None = None
    ids = details["people"]
    # Two queries, however many people: this runs inside the claim's transaction.
    identities = session.scalars(select(Identity).where(Identity.id.in_(ids))).all()
    last_mentioned: dict[int, datetime] = {
        identity_id: at
        for identity_id, at in session.execute(
            select(RoomMention.identity_id, RoomMention.mentioned_at).where(
                RoomMention.gathering_id == gathering.id,
                RoomMention.identity_id.in_(ids),
                RoomMention.mentioned_at > now - MENTION_EVERY,
            )
        )
    }
    for identity in sorted(identities, key=lambda i: ids.index(i.id)):  # forgotten: gone
        last = last_mentioned.get(identity.id)
        if last is None:
            fresh.append(identity)
        else:
            later.append(identity)
            again_at = min(again_at or last + MENTION_EVERY, last + MENTION_EVERY)
    news = [tuple(item) for item in details["news"]]
    if later:
        for purpose, item in news:
            tell_in_room(
                session, gathering, later, purpose, item, now, not_before=again_at, later=True
            )
    if not fresh:
        outbox.finish(row, OutboxStatus.SKIPPED, now, "mentioned lately; folded into a later post")
        return None
    message, what, purpose = _render(gathering, news)
    people = [
        (i.display_name or i.handle, f"{i.network}:{i.native_id}") for i in fresh[:MAX_PEOPLE]
    ]
    notice = notice_words.in_the_room(people, what, message, rendering.language_of(gathering))
    return outbox.room_message(row, room.chat_id, notice, f"{purpose}_in_room")


def _render(
    gathering: Gathering, news: list[tuple[Any, ...]]
) -> tuple[Message, notice_words.InRoom, str]:
    """One message for all the news: a cancellation says it all; a change shows the final
    details of everything that changed; the rest as they were written."""
    purposes = [purpose for purpose, _item in news]
    if "cancelled" in purposes:
        last = [item for purpose, item in news if purpose == "cancelled"][-1]
        return Message.from_json(last), "news", "cancelled"
    paragraphs: list[Any] = []
    changed = sorted({field for purpose, item in news if purpose == "changed" for field in item})
    if changed:
        paragraphs += changed_notice(gathering, changed).paragraphs
    for purpose, item in news:
        if purpose != "changed":
            paragraphs += Message.from_json(item).paragraphs
    what: notice_words.InRoom = "news" if changed else "message"
    main = "changed" if changed else purposes[0]
    return Message(paragraphs=tuple(paragraphs)), what, main


def record_sent(session: Session, delivery: Delivery, gathering_id: int, now: datetime) -> None:
    """A room post about a gathering went out: note whom it mentioned, and when."""
    for paragraph in delivery.message.paragraphs:
        for span in paragraph:
            if span.style != "mention" or not span.target:
                continue
            network, _, native_id = span.target.partition(":")
            identity_id = session.scalar(
                select(Identity.id).where(
                    Identity.network == network, Identity.native_id == native_id
                )
            )
            if identity_id is not None:
                record_mention(session, identity_id, gathering_id, now)
