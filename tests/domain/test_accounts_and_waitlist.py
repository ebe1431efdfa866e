"""A person's own business (/forget, /settings) and places freed for the waitlist."""

from __future__ import annotations

from sqlalchemy import func, select

from core.app import Gather
from core.storage.db import Database
from core.storage.models import Gathering, Identity, Pledge
from core.storage.traffic import OutboxMessage
from tests.domain.chat import Chat, code_in, text_of

PICNIC = "/gather Picnic at the Meadows, Sunday 29 November 2pm, need 3, max 3"


def _count(gather: Gather, database: Database, *where: object) -> int:
    with database.session() as session:
        return int(session.scalar(select(func.count()).select_from(*where)) or 0)


def test_forgetting_erases_the_person_and_makes_room_for_the_waitlist(
    gather: Gather, database: Database
) -> None:
    chat = Chat(gather)
    code = code_in(
        chat.say("alice", "/gather Picnic at the Meadows, Sunday 29 November 2pm, max 2")
    )
    chat.say("bob", f"/join {code}")
    chat.say("bob", "/link", private=True)
    waiting = chat.say("carol", f"/join {code}")
    assert "waitlist" in text_of(waiting)
    chat.deliver_all()

    forgotten = chat.say("bob", "/forget")
    assert "erased" in text_of(forgotten)
    assert "Gatherings you started" not in text_of(forgotten)
    with database.session() as session:
        assert session.scalars(select(Identity).where(Identity.native_id == "bob")).all() == []
        gathering = session.scalar(select(Gathering).where(Gathering.code == code))
        assert gathering is not None and gathering.people_going == 2  # alice, and carol
        states = dict(
            session.execute(
                select(Pledge.state, func.count())
                .where(Pledge.gathering_id == gathering.id)
                .group_by(Pledge.state)
            ).all()
        )
        assert states == {"going": 2}
        # Carol hears she is in, and nothing is still queued for bob.
        queued_for_carol = session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.purpose == "promoted", OutboxMessage.status == "pending")
        )
        assert queued_for_carol == 1
    # Writing again makes a new person, who is not in.
    again = chat.say("bob", f"/leave {code}")
    assert "weren't signed up" in text_of(again)


def test_an_organiser_who_forgets_is_told_who_can_still_manage_their_gatherings(
    gather: Gather,
    database: Database,
) -> None:
    chat = Chat(gather)
    first = code_in(chat.say("alice", PICNIC))
    second = code_in(
        chat.say("alice", "/gather Litter pick at the pier, Saturday 5 December 10am, need 5")
    )
    chat.say("bob", f"/join {first}")

    forgotten = text_of(chat.say("alice", "/forget"))
    assert f"{first}, {second}" in forgotten
    assert "only the room's admins can edit or cancel them" in forgotten

    # The gatherings stay up without her; she is now a stranger to them, an admin is not.
    refused = chat.say("alice", f"/cancel {first}")
    assert not refused.ok
    assert chat.say("dave", f"/cancel {first}", admin=True).ok
    with database.session() as session:
        status = dict(session.execute(select(Gathering.code, Gathering.status)).all())
    assert status == {first: "cancelled", second: "open"}


def test_places_freed_by_an_edit_welcome_the_waitlist_and_can_make_it_on(gather: Gather) -> None:
    chat = Chat(gather)
    code = code_in(
        chat.say("alice", "/gather Quiz night at the Espy, Sunday 29 November 7pm, need 3")
    )
    assert chat.say("alice", f"/edit {code} max 2").ok
    chat.say("bob", f"/join {code}")
    assert "waitlist" in text_of(chat.say("carol", f"/join {code}"))
    chat.deliver_all()

    assert chat.say("alice", f"/edit {code} max 5").ok
    told = [d for d in chat.deliver_all() if d.kind == "dm"]
    # Carol is welcomed in, and with her the target of 3 is reached: everyone hears it's on.
    assert [d.recipient.native_id for d in told if d.purpose == "promoted"] == ["carol"]
    assert sorted(d.recipient.native_id for d in told if d.purpose == "its_on") == [
        "alice",
        "bob",
        "carol",
    ]


def test_settings_show_the_reminder_times_in_force(gather: Gather) -> None:
    chat = Chat(gather)
    # The test community's default is a day and two hours before (tests/conftest.py).
    assert "Reminders: 1 day and 2 hours before (this community's default)" in text_of(
        chat.say("alice", "/settings")
    )
    mine = text_of(chat.say("alice", "/settings reminders 2d 90m 30m"))
    assert "Reminders: 2 days, 90 minutes and 30 minutes before (yours)" in mine
    assert "Reminders: off" in text_of(chat.say("alice", "/settings reminders off"))
