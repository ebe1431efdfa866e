"""A gathering from start to cancel, through the core, on every backend."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from core.app import Gather
from core.clock import FixedClock
from core.storage.db import Database
from core.storage.models import Gathering, Pledge
from core.storage.traffic import OutboxMessage
from tests.domain.chat import Chat, code_in, text_of

BEACH = "/gather Beach clean at Portobello beach next Saturday 10am, need 3 people"


def test_gather_announces_in_every_room_of_the_community_with_one_count(gather: Gather) -> None:
    chat = Chat(gather)
    reply = chat.say("alice", BEACH)
    code = code_in(reply)
    assert "Beach clean" in text_of(reply)
    posts = chat.deliver_all()
    rooms = sorted(d.network + ":" + (d.chat_id or "") for d in posts if d.kind == "announcement")
    assert rooms == [
        "console:#beach",
        "console:#park",
        "discord:300",
        "mastodon:public",
        "telegram:-100200",
    ]
    announcement = posts[0].message.plain()
    assert "Saturday 28 November 2026, 10:00 GMT" in announcement
    assert "Portobello beach" in announcement
    assert "1 going of 3 needed" in announcement
    assert code in announcement


def test_a_join_from_another_room_and_network_counts_once_and_edits_every_announcement(
    gather: Gather,
) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("alice", BEACH))
    chat.deliver_all()
    reply = chat.say("telegram:77", f"/join {code}", room="telegram:-100200")
    assert "You're in" in text_of(reply)
    edits = chat.deliver_all()
    assert len([d for d in edits if d.kind == "announcement"]) == 5
    assert all("2 going of 3 needed (Console 1, Telegram 1)" in d.message.plain() for d in edits)
    again = chat.say("telegram:77", f"/join {code}", room="telegram:-100200")
    assert "already in" in text_of(again)
    assert chat.deliver_all() == []  # nothing changed, nothing is edited


def test_reaching_the_target_tells_every_pledger_once(gather: Gather) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("alice", BEACH))
    chat.say("bob", f"/join {code}")
    chat.deliver_all()
    reply = chat.say("carol", f"/join {code}", room="console:#park")
    assert "it's on" in text_of(reply).lower()
    dms = [d for d in chat.deliver_all() if d.kind == "dm"]
    assert sorted(d.recipient.native_id for d in dms if d.recipient) == ["alice", "bob", "carol"]
    assert all("It's on!" in d.message.plain() for d in dms)
    chat.say("carol", f"/leave {code}")
    chat.say("carol", f"/join {code}")
    assert [d for d in chat.deliver_all() if d.kind == "dm"] == []


def test_join_without_code_means_the_rooms_latest_open_gathering(gather: Gather) -> None:
    chat = Chat(gather)
    chat.say("alice", BEACH)
    second = code_in(chat.say("alice", "/gather Litter pick at the park, Sunday 2pm"))
    reply = chat.say("bob", "/join +2")
    assert reply.gathering_code == second
    assert "with 2 guests" in text_of(reply)
    leave = chat.say("bob", "/leave")
    assert leave.gathering_code == second


def test_capacity_waitlists_and_promotes_the_first_in_line(
    gather: Gather, clock: FixedClock
) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("alice", BEACH))
    assert chat.say("alice", f"/edit {code} max 2").ok
    chat.say("bob", f"/join {code}")
    clock.advance(timedelta(seconds=1))
    waiting = chat.say("carol", f"/join {code}")
    assert "waitlist" in text_of(waiting)
    clock.advance(timedelta(seconds=1))
    chat.say("dave", f"/join {code}")
    chat.deliver_all()
    chat.say("bob", f"/leave {code}")
    promoted = [d for d in chat.deliver_all() if d.purpose == "promoted"]
    assert [d.recipient.native_id for d in promoted if d.recipient] == ["carol"]


def test_only_the_organiser_or_an_admin_may_edit_or_cancel(gather: Gather) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("alice", BEACH))
    refused = chat.say("mallory", f"/cancel {code}")
    assert not refused.ok
    assert "Only the organiser" in text_of(refused)
    assert chat.say("admin", f"/edit {code} where the pier", admin=True).ok


def test_moving_the_time_tells_every_pledger_but_the_organiser(gather: Gather) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("alice", BEACH))
    chat.say("bob", f"/join {code}")
    chat.deliver_all()
    reply = chat.say("alice", f"/edit {code} when 11am")
    assert "11:00" in text_of(reply)
    dms = [d for d in chat.deliver_all() if d.kind == "dm"]
    assert [d.recipient.native_id for d in dms if d.recipient] == ["bob"]
    assert "Saturday 28 November 2026, 11:00 GMT" in dms[0].message.plain()


def test_cancel_tells_everyone_and_nobody_can_join_after(gather: Gather) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("alice", BEACH))
    chat.say("bob", f"/join {code}")
    chat.deliver_all()
    assert chat.say("alice", f"/cancel {code} rain storm").ok
    delivered = chat.deliver_all()
    dms = [d for d in delivered if d.kind == "dm"]
    assert len(dms) == 1 and "rain storm" in dms[0].message.plain()
    assert all(
        "CANCELLED" in d.message.plain() and not d.message.buttons
        for d in delivered
        if d.kind == "announcement"
    )
    late = chat.say("carol", f"/join {code}")
    assert not late.ok and "cancelled" in text_of(late)


def test_a_duplicate_event_is_answered_with_silence_and_changes_nothing(
    gather: Gather, database: Database
) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("alice", BEACH))
    first = chat.say("bob", f"/join {code} +1", event_key="update-9")
    second = chat.say("bob", f"/join {code} +3", event_key="update-9")
    assert first.ok and second.duplicate and second.message is None
    with database.session() as session:
        gathering = session.scalar(select(Gathering).where(Gathering.code == code))
        assert gathering is not None and gathering.headcount == 3


def test_refused_commands_leave_no_state_behind(gather: Gather, database: Database) -> None:
    chat = Chat(gather)
    with database.session() as session:
        before = session.scalar(select(func.count(Gathering.id)))
    for text in (
        "/gather",
        "/gather hello world",
        "/gather party on 30 February",
        "/gather \x00\x00",
    ):
        reply = chat.say("alice", text)
        assert not reply.ok, text
        assert text_of(reply)
    with database.session() as session:
        assert session.scalar(select(func.count(Gathering.id))) == before
        assert session.scalar(select(func.count(OutboxMessage.id))) == 0
        assert session.scalar(select(func.count(Pledge.id))) == 0


def test_unknown_and_oversized_input_gets_a_short_answer(gather: Gather) -> None:
    chat = Chat(gather)
    assert "/help" in text_of(chat.say("alice", "/dance"))
    assert "too long" in text_of(chat.say("alice", "/gather " + "x" * 10_000))
    assert "don't know" in text_of(chat.say("alice", "/join ZZZZ"))
    assert "guests" in text_of(chat.say("alice", "/join +500"))


def test_the_guest_button_adds_one_friend_each_press(gather: Gather) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("alice", BEACH))
    assert "with 1 guest" in text_of(chat.say("bob", f"/guest {code}"))
    assert "with 2 guests" in text_of(chat.say("bob", f"/guest {code}"))
    assert "4 going of 3 needed" in text_of(chat.say("bob", f"/who {code}"))


def test_a_bare_date_is_not_yet_a_gathering(gather: Gather) -> None:
    reply = Chat(gather).say("alice", "/gather tomorrow")
    assert not reply.ok
    assert "What are we doing" in text_of(reply)


def test_its_on_is_not_shown_once_people_drop_below_the_target(gather: Gather) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("alice", "/gather Quiz at the Espy, Sunday 7pm, need 2"))
    chat.say("bob", f"/join {code}")
    assert any(
        "It's on!" in d.message.plain() for d in chat.deliver_all() if d.kind == "announcement"
    )
    chat.say("bob", f"/leave {code}")
    posts = [d.message.plain() for d in chat.deliver_all() if d.kind == "announcement"]
    assert posts and all(
        "It's on!" not in text and "Short again: 1 more needed" in text for text in posts
    )


def test_moving_only_the_day_keeps_the_clock_time(gather: Gather) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("alice", "/gather Quiz at the Espy, Sunday 7pm, need 3"))
    reply = chat.say("alice", f"/edit {code} when Monday 23 November")
    assert "Monday 23 November 2026, 19:00 GMT" in text_of(reply)


def test_codes_with_stray_punctuation_and_bare_numbers_get_clear_answers(gather: Gather) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("alice", BEACH))
    assert chat.say("bob", f"/join {code.lower()}.").ok
    assert "+N" in text_of(chat.say("carol", f"/join {code} 3"))
    unknown = text_of(chat.say("carol", "/join pbt0!"))
    assert "PBT0" in unknown and "never O, 0, I or 1" in unknown


def test_a_stated_maximum_caps_places_instead_of_setting_a_target(gather: Gather) -> None:
    chat = Chat(gather)
    for n, (text, expected) in enumerate(
        [
            ("/gather Quiz night at the Espy, Sunday 7pm, max 2", "(max 2)"),
            ("/gather Spieleabend am Sonntag um 19 Uhr im Café, max. 2 Personen", "(max 2)"),
            ("/gather Kochabend am Sonntag um 18 Uhr bei Anna, höchstens 2 Leute", "(max 2)"),
            ("/gather Atelier couture dimanche à 14h, 2 personnes maximum", "(max 2)"),
            ("/gather Taller de cerámica el domingo a las 17h, como máximo 2 personas", "(max 2)"),
            ("/gather Workshop zondag om 14 uur in de bieb, hooguit 2 mensen", "(max 2)"),
            ("/gather Sunday 3pm, pottery class at the studio, no more than 2", "(max 2)"),
            ("/gather Beach clean at the pier, Sunday 10am, need 2 people", "of 2 needed"),
        ]
    ):
        code = code_in(chat.say(f"organiser{n}", text))  # each their own /gather allowance
        chat.say("bob", f"/join {code}")
        waiting = chat.say("carol", f"/join {code}")
        who = text_of(chat.say("carol", f"/who {code}"))
        assert expected in who, who
        assert ("waitlist" in text_of(waiting)) == (expected == "(max 2)")


def test_a_sender_that_dies_mid_send_retries_edits_but_never_resends_a_first_post(
    gather: Gather, clock: FixedClock
) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("alice", BEACH))
    first_posts = gather.claim("console", "dies", 100)
    assert first_posts and all(gather.begin_send(d) for d in first_posts)
    clock.advance(timedelta(minutes=2))  # its lease runs out: did the posts arrive? unknown
    assert gather.claim("console", "heir", 100) == []  # uncertain, not posted twice
    chat.say("bob", f"/join {code}", room="telegram:-100200")
    chat.deliver("telegram")
    edits = [d for d in gather.claim("telegram", "dies", 100) if d.kind == "announcement"]
    assert edits == []  # the telegram post went out above; now edit it and die mid-send
    chat.say("carol", f"/join {code}", room="telegram:-100200")
    edits = gather.claim("telegram", "dies", 100)
    assert [d.message_id for d in edits if d.kind == "announcement"] and all(
        gather.begin_send(d) for d in edits
    )
    clock.advance(timedelta(minutes=2))
    again = [d for d in gather.claim("telegram", "heir", 100) if d.kind == "announcement"]
    assert len(again) == 1 and "3 going of 3 needed" in again[0].message.plain()


def test_the_confirmation_shows_a_written_zone_and_both_counts(gather: Gather) -> None:
    chat = Chat(gather)
    zoned = text_of(chat.say("alice", "/gather Planning call Saturday 3pm EST, need 10, max 20"))
    assert "20:00 GMT (3pm EST)" in zoned, zoned
    assert "Target: 10, max 20" in zoned, zoned
    code = code_in(chat.say("bob", "/gather Choir Saturday 7pm at the hall, up to 2 singers"))
    chat.say("carol", f"/join {code}")
    assert "waitlist" in text_of(chat.say("dave", f"/join {code}"))
