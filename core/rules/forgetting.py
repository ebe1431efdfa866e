"""/forget: erase a person, leaving no row that holds their ids, names or handles.

What is erased: their identities (and with them whether they blocked the bot), pledges (and how
they were made), link codes, private chats with the bot, messages still owed to them, their
mentions in room posts (sent or not), their uses of rate-limited commands, events of theirs
kept as dead letters, and their place in every series they joined as a whole. Impact reports
they made lose the link to them; their figures stay in the totals, anonymous as they always
are. Gatherings and series they organised stay, because others are coming: they are then
owned by an anonymous person row.
"""

from __future__ import annotations

import json
import re

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from core.contract.messages import Message, Span
from core.rules import limits
from core.rules.impact import forget_reporter
from core.rules.rooms import forget_known_rooms
from core.storage.models import Announcement, Gathering, Identity, LinkCode, Person, Pledge, Room
from core.storage.running import DeadLetter
from core.storage.series import Series, SeriesPledge
from core.storage.statuses import OutboxKind, OutboxStatus
from core.storage.traffic import OutboxMessage, RoomMention

_NOT_YET_SENT = (OutboxStatus.PENDING, OutboxStatus.CLAIMED)


def erase_person(session: Session, person_id: int) -> set[int]:
    """Forget a person. Returns the gatherings whose counts they were in (to recount)."""
    touched = set(session.scalars(select(Pledge.gathering_id).where(Pledge.person_id == person_id)))
    identities = list(session.scalars(select(Identity).where(Identity.person_id == person_id)))
    identity_ids = [identity.id for identity in identities]
    _erase_messages(session, person_id, identity_ids)
    _erase_mentions(session, {f"{i.network}:{i.native_id}" for i in identities})
    _erase_from_room_notices(session, identity_ids)
    _erase_private_rooms(session, identity_ids)
    _erase_dead_letters(session, [(i.network, i.native_id) for i in identities])
    limits.forget_person(session, person_id)
    session.execute(delete(LinkCode).where(LinkCode.identity_id.in_(identity_ids)))
    forget_reporter(session, person_id)
    session.execute(delete(Pledge).where(Pledge.person_id == person_id))
    session.execute(delete(SeriesPledge).where(SeriesPledge.person_id == person_id))
    session.execute(delete(Identity).where(Identity.id.in_(identity_ids)))
    organised = session.scalar(
        select(Gathering.id).where(Gathering.organiser_id == person_id)
    ) or session.scalar(select(Series.id).where(Series.organiser_id == person_id))
    person = session.get(Person, person_id)
    if person is not None:
        if organised is None:
            session.execute(delete(Person).where(Person.id == person_id))
        else:
            person.shows_name = False
            person.reminder_offsets = None
    return touched


def _erase_messages(session: Session, person_id: int, identity_ids: list[int]) -> None:
    """Messages to them: unsent ones go; sent ones stay as history, with no recipient."""
    theirs = or_(OutboxMessage.identity_id.in_(identity_ids), OutboxMessage.person_id == person_id)
    session.execute(delete(OutboxMessage).where(OutboxMessage.status.in_(_NOT_YET_SENT), theirs))
    session.execute(
        update(OutboxMessage)
        .where(theirs)
        .values(identity_id=None, person_id=None, payload="")
        .execution_options(synchronize_session=False)
    )


def _erase_mentions(session: Session, targets: set[str]) -> None:
    """Room posts that mention them (for people the bot could not DM) lose the mention; a post
    that mentioned nobody else is dropped if unsent, and emptied if sent."""
    if not targets:
        return
    # The payload is JSON: a mention's target is there as a quoted string.
    mentions = or_(
        *(OutboxMessage.payload.contains(f'"{target}"', autoescape=True) for target in targets)
    )
    rows = session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == OutboxKind.ROOM, mentions)
    ).all()
    for row in rows:
        message = _without_mentions(Message.from_json(row.payload), targets)
        if message is not None:
            row.payload = message.to_json()
        elif row.status in _NOT_YET_SENT:
            session.delete(row)
        else:
            row.payload = ""


def _erase_from_room_notices(session: Session, identity_ids: list[int]) -> None:
    """Room notices rendered when sent (`core.delivery.mentions`) name the people to mention
    by account id: theirs go, and a notice left with nobody to tell is dropped if unsent."""
    session.execute(delete(RoomMention).where(RoomMention.identity_id.in_(identity_ids)))
    gone = set(identity_ids)
    for row in session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "in_room")):
        details = json.loads(row.payload or "{}")
        people = [i for i in details.get("people", []) if i not in gone]
        if people == details.get("people", []):
            continue
        if not people and row.status in _NOT_YET_SENT:
            session.delete(row)
            continue
        row.payload = json.dumps({**details, "people": people})


def _without_mentions(message: Message, targets: set[str]) -> Message | None:
    """`message` without the mentions of `targets` (and the commas between them); None when it
    mentions nobody else, so there is no one left to say it to."""
    paragraphs = []
    others = False
    for paragraph in message.paragraphs:
        kept: list[Span] = []
        dropped_last = False
        for span in paragraph:
            if span.style == "mention" and span.target in targets:
                if kept and kept[-1].text == ", " and kept[-1].style == "plain":
                    kept.pop()  # the comma before it
                dropped_last = not kept
                continue
            if dropped_last and span.text == ", " and span.style == "plain":
                dropped_last = False
                continue  # the comma after a first mention that went
            dropped_last = False
            others = others or span.style == "mention"
            kept.append(span)
        paragraphs.append(tuple(kept))
    if not others:
        return None
    return Message(tuple(paragraphs), message.buttons)


def _erase_private_rooms(session: Session, identity_ids: list[int]) -> None:
    """Their private chats with the bot. One a gathering still refers to (started in private)
    keeps its row under a name that says nothing of them."""
    rooms = session.scalars(
        select(Room).where(Room.is_private.is_(True), Room.identity_id.in_(identity_ids))
    ).all()
    forget_known_rooms(session)
    for room in rooms:
        session.execute(delete(OutboxMessage).where(OutboxMessage.room_id == room.id))
        used = session.scalar(
            select(Gathering.id).where(Gathering.room_id == room.id).limit(1)
        ) or session.scalar(select(Announcement.id).where(Announcement.room_id == room.id).limit(1))
        if used is None:
            session.delete(room)
            continue
        anonymous = f"{room.network}:forgotten-{room.id}"
        session.execute(
            update(Gathering)
            .where(Gathering.community == room.community)
            .values(community=anonymous)
            .execution_options(synchronize_session=False)
        )
        room.chat_id, room.title, room.community = f"forgotten-{room.id}", "", anonymous
        room.identity_id = None
    session.flush()


def _erase_dead_letters(session: Session, accounts: list[tuple[str, str]]) -> None:
    """Events of theirs that failed and wait for a retry or the operator: the raw event names
    them, so it goes (the person asked to be forgotten, not to be served)."""
    for network, native_id in accounts:
        # LIKE finds candidates; a whole-token match keeps a longer id that merely contains
        # theirs from being taken for it.
        token = re.compile(rf"(?<![0-9A-Za-z_]){re.escape(native_id)}(?![0-9A-Za-z_])")
        letters = session.scalars(
            select(DeadLetter).where(
                DeadLetter.network == network,
                or_(
                    DeadLetter.raw_event.contains(native_id, autoescape=True),
                    DeadLetter.error.contains(native_id, autoescape=True),
                ),
            )
        ).all()
        for letter in letters:
            if token.search(letter.raw_event) or token.search(letter.error):
                session.delete(letter)
