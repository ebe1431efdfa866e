"""/tell CODE <message>: a word to everyone who said yes, by DM or by a mention in the room,
without showing the organiser anyone's handle (issue 16 §4)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from core.app import Gather
from core.clock import FixedClock
from core.delivery.outbox import Delivery
from core.storage.db import Database
from core.storage.traffic import OutboxMessage
from core.words import i18n
from tests.domain.chat import Chat, code_in, text_of
from tests.domain.test_no_pestering import mentions_of

BEACH = "/gather Beach clean at Portobello beach, Saturday 28 November 2026 10am, need 5, max 3"
ROOM = "telegram:-100200"


def told(deliveries: list[Delivery]) -> list[Delivery]:
    return [d for d in deliveries if d.purpose.startswith("told")]


def started(gather: Gather) -> tuple[Chat, str]:
    """Alice's gathering: Bob and Carol going, Dan on the waitlist, Tg (Telegram, DMs closed)
    going too."""
    chat = Chat(gather)
    code = code_in(chat.say("alice", BEACH))
    for person in ("bob", "carol", "dan"):
        assert chat.say(person, f"/join {code}").ok
    chat.deliver_all()
    return chat, code


def test_tell_reaches_the_going_and_the_waitlisted_by_dm_and_says_how_many(
    gather: Gather,
) -> None:
    chat, code = started(gather)
    reply = chat.say("alice", f"/tell {code} Meet at the north gate, bring gloves")
    assert reply.ok
    assert text_of(reply) == "Sent to 3 people: 3 by direct message, 0 by a mention in the room."
    sent = told(chat.deliver_all())
    assert sorted(d.recipient.native_id for d in sent if d.recipient) == ["bob", "carol", "dan"]
    text = sent[0].message.plain()
    assert "A message about Beach clean" in text and code in text
    assert "Meet at the north gate, bring gloves" in text
    said = [s for p in sent[0].message.paragraphs for s in p if "north gate" in s.text]
    assert [s.style for s in said] == ["user"]  # escaped and de-fanged as user text


def test_those_who_cannot_be_dmed_are_mentioned_in_the_room_and_nobody_is_named(
    gather: Gather,
) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("alice", BEACH.replace(", max 3", "")))
    chat.say("bob", f"/join {code}")
    chat.say("telegram:81", f"/join {code}", room=ROOM)
    chat.deliver_all()
    gather.mark_unreachable("telegram", "81")
    reply = chat.say("alice", f"/tell {code} Bring gloves")
    assert text_of(reply) == "Sent to 2 people: 1 by direct message, 1 by a mention in the room."
    assert "81" not in text_of(reply) and "Bob" not in text_of(reply)
    sent = chat.deliver_all()
    posts = mentions_of(sent, "telegram:81")
    assert len(posts) == 1 and "Bring gloves" in posts[0].message.plain()
    assert [d.recipient.native_id for d in told(sent) if d.kind == "dm" and d.recipient] == ["bob"]


def test_a_cancelled_gatherings_tell_is_not_sent(gather: Gather) -> None:
    chat, code = started(gather)
    assert chat.say("alice", f"/tell {code} See you at ten").ok
    claimed = told(gather.claim("console", "w", 50))  # rendered, about to be sent...
    assert len(claimed) == 3
    assert chat.say("alice", f"/cancel {code}").ok  # ...when the gathering is called off
    assert [gather.begin_send(d) for d in claimed] == [False, False, False]
    sent = chat.deliver_all()
    assert told(sent) == []  # the fence: only the cancellation is still true
    assert any(d.purpose == "cancelled" for d in sent)
    assert not chat.say("alice", f"/tell {code} Sorry").ok


def test_only_the_organiser_and_admins_may_tell(gather: Gather) -> None:
    chat, code = started(gather)
    refused = chat.say("bob", f"/tell {code} Party at mine")
    assert text_of(refused) == i18n.text("en", "manage.only_tell", code=code)
    assert chat.say("meg", f"/tell {code} Gloves are provided", admin=True).ok
    sent = told(chat.deliver_all())
    # The organiser hears it too when an admin speaks.
    assert sorted(d.recipient.native_id for d in sent if d.recipient) == [
        "alice",
        "bob",
        "carol",
        "dan",
    ]


def test_bad_text_gets_a_short_helpful_refusal_and_writes_nothing(
    gather: Gather, database: Database
) -> None:
    chat, code = started(gather)
    rows = database.read(lambda s: s.scalar(select(func.count(OutboxMessage.id))))
    assert "What should everyone who joined read?" in text_of(chat.say("alice", f"/tell {code}"))
    assert "What should" in text_of(chat.say("alice", f"/tell {code}   \n \u202e "))
    long = chat.say("alice", f"/tell {code} " + "word " * 100)
    assert not long.ok and "at most 350 characters, and it has 499" in text_of(long)
    assert "Which gathering?" in text_of(chat.say("alice", "/tell"))
    assert "Which gathering?" in text_of(chat.say("alice", "/tell ZZZZ hello"))
    assert database.read(lambda s: s.scalar(select(func.count(OutboxMessage.id)))) == rows


def test_hostile_text_is_kept_as_plain_user_text(gather: Gather) -> None:
    chat, code = started(gather)
    hostile = "@everyone <b>free</b> [click](https://evil.example) <@123>\n\n\n\nline two"
    assert chat.say("alice", f"/tell {code} {hostile}").ok
    message = told(chat.deliver_all())[0].message
    spans = [s for p in message.paragraphs[1:] for s in p]
    assert {s.style for s in spans if s.text} == {"user"}
    lines = ["".join(s.text for s in p) for p in message.paragraphs[1:]]
    assert lines == ["@everyone <b>free</b> [click](https://evil.example) <@123>", "", "line two"]


def test_at_most_three_a_day_per_gathering(gather: Gather, clock: FixedClock) -> None:
    chat, code = started(gather)
    for i in range(3):
        assert chat.say("alice" if i % 2 else "meg", f"/tell {code} Note {i}", admin=True).ok
        clock.advance(timedelta(hours=1))
    refused = chat.say("alice", f"/tell {code} One more")
    assert text_of(refused) == i18n.text("en", "tell.too_many", code=code, limit=3)
    clock.advance(timedelta(hours=22))  # a day after the first
    assert chat.say("alice", f"/tell {code} Tomorrow it is").ok


def test_a_gathering_nobody_else_joined_has_no_one_to_tell(gather: Gather) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("alice", BEACH))
    reply = chat.say("alice", f"/tell {code} Hello?")
    assert not reply.ok and "there's no one to tell" in text_of(reply)
