""" "Still coming?" answered in odd orders: yes after no, from the waitlist, after a move, and
the "places have opened" post only where someone could have been kept out."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.app import Gather
from core.clock import FixedClock
from core.delivery.outbox import Delivery
from core.words.still_coming import answer_in
from tests.domain.chat import Chat, code_in, text_of
from tests.domain.test_still_coming import ANNOUNCED_ROOMS, BEACH, START, asked, checks


def test_yes_after_no_says_the_place_was_given_up_and_how_to_come_after_all(
    gather: Gather, clock: FixedClock
) -> None:
    chat, code = asked(gather, clock, "bob")
    chat.deliver_all()
    chat.say("bob", f"/still {code} no", private=True)
    again = text_of(chat.say("bob", f"/still {code} yes", private=True))
    assert "You had already given up your place at Beach clean" in again
    assert f"/join {code}" in again


def test_no_from_the_waitlist_is_a_plain_drop_out_not_a_place_set_free(
    gather: Gather, clock: FixedClock
) -> None:
    chat, code = asked(gather, clock, "bob", "carol", "dave")  # max 3: dave waits
    chat.deliver_all()
    reply = text_of(chat.say("dave", f"/still {code} no", private=True))
    assert "free for someone else" not in reply
    assert f"You've dropped out of Beach clean ({code})" in reply


def test_a_move_to_another_day_asks_again_and_forgets_the_old_yes(
    gather: Gather, clock: FixedClock
) -> None:
    chat, code = asked(gather, clock, "bob")
    chat.deliver_all()
    chat.say("bob", f"/still {code} yes", private=True)
    chat.say("alice", f"/edit {code} time Saturday 5 December 2026 10am")
    assert "confirmed" not in text_of(chat.say("alice", f"/who {code}"))
    clock.set(START + timedelta(days=6))
    again = checks(chat.deliver_all())
    assert sorted(d.recipient.native_id for d in again if d.recipient) == ["alice", "bob"]


def test_a_move_too_close_to_ask_again_keeps_the_answers(
    gather: Gather, clock: FixedClock
) -> None:
    chat, code = asked(gather, clock, "bob")
    chat.deliver_all()
    chat.say("bob", f"/still {code} yes", private=True)
    clock.set(START - timedelta(hours=3))  # the new day-before reminder would be past
    chat.say("alice", f"/edit {code} time Saturday 28 November 2026 11am")
    assert "1 confirmed" in text_of(chat.say("alice", f"/who {code}"))


def test_no_place_opened_post_when_places_were_free_all_along(
    gather: Gather, clock: FixedClock
) -> None:
    assert bob_says_no(gather, clock, "max 20", "/join {code}") == []


def test_a_full_gathering_freed_by_someone_with_guests_opens_all_their_places(
    gather: Gather, clock: FixedClock
) -> None:
    opened = bob_says_no(gather, clock, "max 4", "/join {code} +2")  # alice and bob +2: full
    assert len(opened) == ANNOUNCED_ROOMS
    assert "3 places have opened at Beach clean." in opened[0].message.plain()


def test_a_mastodon_reply_to_the_question_that_is_neither_gets_how_to_answer(
    gather: Gather, clock: FixedClock
) -> None:
    chat, code = asked(gather, clock, "mastodon:77")
    [question] = checks(chat.deliver("mastodon"))
    read = {
        said: gather.answer_to_check("mastodon", f"m{question.id}", said)
        for said in (
            "Yes!",
            "nope",
            "No.",
            "yes but I'll be late",
            "No problem, see you there!",
            "no worries I'll be there",
            "No, sorry!",
            "non merci",
            "👍",
        )
    }
    assert read == {
        "Yes!": f"/still {code} yes",
        "nope": f"/still {code} no",
        "No.": f"/still {code} no",
        "yes but I'll be late": f"/still {code} yes",
        # "No problem" is not a no: asked how to answer, the place is not given away.
        "No problem, see you there!": f"/still {code}",
        "no worries I'll be there": f"/still {code}",
        "No, sorry!": f"/still {code} no",
        "non merci": f"/still {code}",  # French is not this community's language
        "👍": f"/still {code}",
    }
    how = chat.say("mastodon:77", read["👍"], room="mastodon:direct", private=True)
    assert not how.ok and f"/still {code} yes" in text_of(how)


def bob_says_no(gather: Gather, clock: FixedClock, cap: str, join: str) -> list[Delivery]:
    """Alice's beach clean with `cap`, bob in with `join`; he says no: the "opened" posts."""
    chat = Chat(gather)
    code = code_in(chat.say("alice", BEACH.replace("max 3", cap)))
    chat.say("bob", join.format(code=code))
    chat.deliver_all()
    clock.set(START - timedelta(days=1))
    chat.deliver_all()
    chat.say("bob", f"/still {code} no", private=True)
    clock.advance(timedelta(minutes=4))
    return [d for d in chat.deliver_all() if d.purpose == "place_opened"]


@pytest.mark.parametrize(
    ("language", "refusal", "idiom"),
    [
        ("de", "Nein, leider nicht", "Nein nein, kein Problem!"),
        ("fr", "Non, désolé", "Non non, pas de souci, à demain"),
        ("es", "No, lo siento", "No te preocupes, allí estaré"),
        ("it", "No, mi dispiace", "No, nessun problema"),
        ("pt", "Não, desculpa", "Não se preocupe, estarei lá"),
        ("nl", "Nee, sorry", "Nee hoor, geen probleem"),
        ("da", "Nej, desværre", "Nej nej, ingen problemer"),
    ],
)
def test_a_no_is_read_in_each_language_but_no_problem_is_not(
    language: str, refusal: str, idiom: str
) -> None:
    assert answer_in(refusal, (language,)) == "no"
    assert answer_in(idiom, (language,)) is None
