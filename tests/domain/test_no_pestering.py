"""Nobody is pestered: a burst of edits makes at most one more change notice, and someone
who can only be reached by a mention in the room is mentioned once per gathering per 12 h."""

from __future__ import annotations

from datetime import timedelta

from core.app import Gather
from core.clock import FixedClock
from core.delivery.outbox import Delivery, Sent, Unreachable
from tests.domain.chat import Chat, code_in

BEACH = "/gather Beach clean at Portobello beach, Saturday 28 November 2026 10am, need 5 people"
ROOM = "telegram:-100200"


def ten_edits(chat: Chat, clock: FixedClock, code: str) -> list[Delivery]:
    """Ten changes of time within a minute, delivered as a live sender would, after each."""
    sent: list[Delivery] = []
    for hour in range(1, 11):
        assert chat.say("alice", f"/edit {code} when Sunday 29 November 2026 {hour}pm").ok
        sent += chat.deliver_all()
        clock.advance(timedelta(seconds=6))
    return sent


def mentions_of(deliveries: list[Delivery], target: str) -> list[Delivery]:
    return [
        d
        for d in deliveries
        if d.kind == "room"
        and any(s.target == target for p in d.message.paragraphs for s in p if s.style == "mention")
    ]


def test_ten_quick_edits_make_two_change_notices_the_last_with_the_final_time(
    gather: Gather, clock: FixedClock
) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("alice", BEACH))
    chat.say("bob", f"/join {code}")
    chat.deliver_all()
    sent = ten_edits(chat, clock, code)
    clock.advance(timedelta(minutes=5))
    sent += chat.deliver_all()
    changes = [d for d in sent if d.purpose == "changed" and d.recipient is not None]
    assert [d.recipient.native_id for d in changes if d.recipient] == ["bob", "bob"]
    assert "22:00" in changes[-1].message.plain()


def test_someone_who_cannot_be_dmed_is_mentioned_once_per_12_hours_with_the_final_news(
    gather: Gather, clock: FixedClock
) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("alice", BEACH))
    chat.say("telegram:81", f"/join {code}", room=ROOM)
    chat.deliver_all()
    gather.mark_unreachable("telegram", "81")
    sent = ten_edits(chat, clock, code)
    assert len(mentions_of(sent, "telegram:81")) == 1
    clock.advance(timedelta(hours=11))
    assert mentions_of(chat.deliver_all(), "telegram:81") == []
    clock.advance(timedelta(hours=1))
    later = mentions_of(chat.deliver_all(), "telegram:81")
    assert len(later) == 1 and "22:00" in later[0].message.plain()


def test_a_change_whose_dm_is_refused_is_told_by_a_mention_in_the_room(
    gather: Gather, clock: FixedClock
) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("alice", BEACH))
    chat.say("telegram:81", f"/join {code}", room=ROOM)
    chat.deliver_all()
    assert chat.say("alice", f"/edit {code} when Sunday 29 November 2026 2pm").ok
    for delivery in gather.claim("telegram", "w", 50):
        assert gather.begin_send(delivery)
        refused = delivery.kind == "dm" and delivery.purpose == "changed"
        gather.complete(delivery, Unreachable("DMs closed") if refused else Sent("m1"))
    assert mentions_of(chat.deliver("telegram"), "telegram:81") == []  # other refusals may come
    clock.advance(timedelta(minutes=1))
    told = mentions_of(chat.deliver("telegram"), "telegram:81")
    assert len(told) == 1 and "14:00" in told[0].message.plain()
