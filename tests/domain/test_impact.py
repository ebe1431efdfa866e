"""What a gathering achieved: the "how did it go?" DM at its end, the answer read as a report,
/report to record or correct it, and /impact's totals (issue 17, section 2)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from core.app import Gather
from core.clock import FixedClock
from core.contract.commands import Reply
from core.delivery.outbox import Delivery
from core.parsing.impact_report import read_report
from core.storage.db import Database
from core.words import i18n
from tests.domain.chat import Chat, code_in, text_of
from tests.domain.test_languages import community_in, speaks

# Saturday 28 November 2026, 10:00 to 12:30 London (GMT): ends 12:30.
BEACH = "/gather Beach clean at Portobello beach, Saturday 28 November 2026 10am-12:30pm, need 5"
ENDS = datetime(2026, 11, 28, 12, 30, tzinfo=UTC)
# No end time: over 2 hours after its start.
PARK = "/gather Park tidy, Sunday 29 November 2026 2pm, need 3"
PARK_ENDS = datetime(2026, 11, 29, 16, 0, tzinfo=UTC)


def asks(chat: Chat) -> list[Delivery]:
    return [d for d in chat.deliver_all() if d.purpose == "impact_ask"]


def held(chat: Chat, text: str = BEACH, pledgers: tuple[str, ...] = ("bob", "cara")) -> str:
    code = code_in(chat.say("alice", text))
    for who in pledgers:
        chat.say(who, f"/join {code}")
    return code


def test_the_organiser_is_asked_once_at_the_end_and_a_plain_answer_is_the_report(
    gather: Gather, clock: FixedClock
) -> None:
    chat = Chat(gather)
    code = held(chat)
    assert asks(chat) == []
    clock.set(ENDS - timedelta(minutes=1))
    assert asks(chat) == []  # not before the end
    clock.set(ENDS)
    sent = asks(chat)
    assert [d.recipient.native_id for d in sent if d.recipient] == ["alice"]
    text = sent[0].message.plain()
    assert f"How did Beach clean ({code}) go?" in text
    # The console has no private chat to answer in: the command is the way there.
    assert "Just answer this message" not in text and f"/report {code}" in text
    assert "the 3 people who pledged count, marked as not confirmed" in text
    assert asks(chat) == []  # once
    clock.set(ENDS + timedelta(hours=1))
    reply = chat.say("alice", "14 came, 32 bags and a shopping trolley", private=True)
    assert reply.ok, text_of(reply)
    said = text_of(reply)
    assert f"Noted for Beach clean ({code})" in said
    assert "14 people came" in said and "32 bags · 1 shopping trolley" in said
    # In the room: the community's totals, with nobody's name.
    shown = text_of(chat.say("dave", "/impact"))
    assert "1 gathering held" in shown and "14 people came" in shown
    assert "35 volunteer hours" in shown  # 14 × 2.5 h
    assert "not confirmed" not in shown and "2 hours" not in shown
    assert "Alice" not in shown and "alice" not in shown


def test_never_answered_the_pledged_count_stands_unconfirmed_with_two_hours_assumed(
    gather: Gather, clock: FixedClock
) -> None:
    chat = Chat(gather)
    code = held(chat, PARK)
    clock.set(PARK_ENDS + timedelta(days=30))
    assert asks(chat) == []  # too late: the week to answer is over, nothing is asked now
    shown = text_of(chat.say("dave", "/impact"))
    assert "3 people came (3 of them pledged, not confirmed)" in shown
    assert "6 volunteer hours" in shown
    assert "Gatherings with no end time count as 2 hours." in shown
    one = text_of(chat.say("dave", f"/impact {code}"))
    assert "What Park tidy" in one and "6 volunteer hours" in one
    # A plain DM now is no report: nothing awaits one any more.
    assert not chat.say("alice", "14 came", private=True).ok


def test_report_corrects_and_only_the_organiser_may(gather: Gather, clock: FixedClock) -> None:
    chat = Chat(gather)
    code = held(chat)
    early = chat.say("alice", f"/report {code} 10 came")
    assert not early.ok and "hasn't happened yet" in text_of(early)
    clock.set(ENDS + timedelta(hours=2))
    assert chat.say("alice", f"/report {code} 12 people, 20 bags").ok
    refused = chat.say("bob", f"/report {code} 99 people")
    assert not refused.ok and "Only the organiser" in text_of(refused)
    fixed = chat.say("alice", f"/report {code} 14 people, 30 bags and 2 tyres")
    assert fixed.ok
    shown = text_of(chat.say("dave", f"/impact {code}"))
    assert "14 people came" in shown and "30 bags · 2 tyres" in shown
    assert "20 bags" not in shown
    other = "K7QZ" if code != "K7QZ" else "K7QY"
    mistyped = chat.say("alice", f"/report {other} 99 people")
    assert not mistyped.ok and other in text_of(mistyped)
    nothing = chat.say("alice", f"/report {code} it was lovely")
    assert not nothing.ok and "couldn't find" in text_of(nothing)


def test_totals_sum_nouns_in_singular_and_plural_this_year_and_all_time(
    gather: Gather, clock: FixedClock
) -> None:
    chat = Chat(gather)
    beach = held(chat)
    park = held(chat, PARK, pledgers=())
    clock.set(PARK_ENDS + timedelta(hours=1))
    chat.say("alice", f"/report {beach} 10 people, 1 bag")
    chat.say("alice", f"/report {park} 4 people, 5 bags and a shopping trolley")
    shown = text_of(chat.say("dave", "/impact"))
    assert "This year (2026):" in shown and "All time:" in shown
    assert shown.count("2 gatherings held") == 2
    assert "6 bags · 1 shopping trolley" in shown
    assert "14 people came" in shown and "33 volunteer hours" in shown  # 10×2.5 + 4×2


def test_the_question_goes_at_the_new_end_after_an_edit_and_not_when_cancelled(
    gather: Gather, clock: FixedClock
) -> None:
    chat = Chat(gather)
    moved = held(chat)
    chat.say("alice", f"/edit {moved} when Sunday 29 November 2026 10am")
    cancelled = held(chat, PARK)
    chat.deliver_all()  # its "it's on!" DMs, before the cancel makes them moot
    chat.say("alice", f"/cancel {cancelled}")
    clock.set(ENDS)
    assert asks(chat) == []
    clock.set(datetime(2026, 11, 29, 12, 0, tzinfo=UTC))
    sent = asks(chat)
    assert len(sent) == 1 and moved in sent[0].message.plain()
    clock.set(PARK_ENDS)
    assert asks(chat) == []


# A report in each language, answered in plain words to the question asked in that language.
ANSWERS = {
    "en": ("about 20 of us, 3 bins", 20, "3 bins", "How did"),
    "de": ("12 Leute, 25 Säcke", 12, "25 Säcke", "Wie ist"),
    "fr": ("Nous étions 15, 30 sacs de déchets et un frigo", 15, "30 sacs · 1 frigo", "Comment"),
    "es": ("Vinieron 18 personas, 40 bolsas y un colchón", 18, "40 bolsas · 1 colchón", "Qué tal"),
    "it": ("Eravamo 9, 22 sacchi e una bicicletta", 9, "22 sacchi · 1 bicicletta", "Com'è"),
    "pt": ("Vieram 11 pessoas, 19 sacos e um pneu", 11, "19 sacos · 1 pneu", "Como correu"),
    "nl": ("12 mensen, 30 zakken en een winkelwagen", 12, "30 zakken · 1 winkelwagen", "Hoe ging"),
    "da": ("Vi var 8, 17 sække og en cykel", 8, "17 sække · 1 cykel", "Hvordan gik"),
}


@pytest.mark.parametrize("language", sorted(ANSWERS))
def test_a_report_in_each_language(database: Database, clock: FixedClock, language: str) -> None:
    answer, people, things, asked = ANSWERS[language]
    chat = Chat(community_in(database, clock, language, "en"))
    held(chat)
    clock.set(ENDS)
    sent = asks(chat)
    assert asked in sent[0].message.plain()
    reply = chat.say("alice", answer, private=True)
    assert reply.ok, text_of(reply)
    shown = text_of(chat.say("dave", "/impact"))
    assert str(people) in shown and things in shown, shown


def test_forget_keeps_the_figures_but_not_who_reported(
    gather: Gather, database: Database, clock: FixedClock
) -> None:
    from sqlalchemy import select

    from core.storage.reports import ImpactReport

    chat = Chat(gather)
    code = held(chat)
    clock.set(ENDS + timedelta(hours=1))
    chat.say("alice", f"/report {code} 14 came, 32 bags")
    chat.say("alice", "/forget")
    chat.say("alice", "/forget yes")
    with database.session() as session:
        report = session.scalar(select(ImpactReport))
        assert report is not None and report.reported_by is None and report.people == 14
    assert "14 people came" in text_of(chat.say("dave", "/impact"))


def test_weights_with_a_fraction_and_thousands_are_summed_and_shown_the_language_s_way(
    database: Database, clock: FixedClock
) -> None:
    chat = Chat(community_in(database, clock, "de"))
    beach = held(chat)
    park = held(chat, PARK, pledgers=())
    clock.set(PARK_ENDS + timedelta(hours=1))
    first = chat.say("alice", f"/report {beach} 12 Leute, 3,5 Tonnen Müll, 1.200 Kronkorken")
    assert first.ok and "3,5 Tonnen · 1.200 Kronkorken" in text_of(first), text_of(first)
    assert chat.say("alice", f"/report {park} 4 Leute, 0,25 Tonnen").ok
    shown = text_of(chat.say("dave", "/impact"))
    assert "1.200 Kronkorken · 3,75 Tonnen" in shown and "16 Leute kamen" in shown, shown


def test_after_the_organiser_forgot_an_admin_of_its_room_may_report(
    gather: Gather, clock: FixedClock
) -> None:
    chat = Chat(gather)
    code = held(chat)
    chat.say("alice", "/forget")
    chat.say("alice", "/forget yes")
    clock.set(ENDS + timedelta(hours=1))
    refused = chat.say("bob", f"/report {code} 9 people")
    assert not refused.ok and "Only the organiser or an admin" in text_of(refused)
    reported = chat.say("erin", f"/report {code} 9 people, 12 bags", admin=True)
    assert reported.ok, text_of(reported)
    shown = text_of(chat.say("dave", f"/impact {code}"))
    assert "9 people came" in shown and "12 bags" in shown


def test_impact_in_a_private_chat_points_to_a_room_or_a_code(
    database: Database, clock: FixedClock
) -> None:
    chat = Chat(community_in(database, clock, "de"))
    code = held(chat)
    clock.set(ENDS + timedelta(hours=1))
    chat.say("alice", f"/report {code} 12 Leute, 25 Säcke")
    said = text_of(chat.say("bob", "/impact", room="console:bob", private=True))
    assert "Schick /impact in einem ihrer Räume" in said and "/impact K7QF" in said, said
    one = text_of(chat.say("bob", f"/impact {code}", room="console:bob", private=True))
    assert "12 Leute kamen" in one and "25 Säcke" in one


def test_a_superscript_in_a_plain_answer_is_read_not_a_crash(
    gather: Gather, clock: FixedClock
) -> None:
    chat = Chat(gather)
    code = held(chat)
    clock.set(ENDS + timedelta(hours=1))
    reply = chat.say("alice", "14 came, 300 m² cleared, ² bags", private=True)
    assert reply.ok, text_of(reply)
    assert f"Noted for Beach clean ({code})" in text_of(reply) and "300 m²" in text_of(reply)


def test_a_report_in_the_community_s_second_language_is_read_in_it(
    database: Database, clock: FixedClock
) -> None:
    chat = Chat(community_in(database, clock, "de", "fr"))
    code = held(chat)
    clock.set(ENDS + timedelta(hours=1))
    reply = chat.say("alice", f"/report {code} 15 personnes, 30 sacs")
    said = text_of(reply)
    assert reply.ok and "15 Leute kamen" in said and "30 sacs" in said, said
    assert "personnes" not in said


# What must not be left in English in the other seven languages' replies about reports.
REPORT_ENGLISH = re.compile(
    r"\b(how did|came|counted|volunteers?|pledged|confirmed|held|this year|all time|thanks|"
    r"noted|something wrong|only the|achieved|hours?|people|gatherings?|cancelled|"
    r"yet|room|answer|until)\b",
    re.IGNORECASE,
)
COMMANDS = re.compile(r"/(report|impact)\b")


@pytest.mark.parametrize("language", sorted(ANSWERS))
def test_every_report_and_impact_reply_speaks_the_community_s_language(
    database: Database, clock: FixedClock, language: str
) -> None:
    chat = Chat(community_in(database, clock, language))
    code = held(chat)
    park = held(chat, PARK)
    said: list[Reply] = [
        chat.say("dave", "/impact"),  # nothing held yet
        chat.say("alice", f"/report {code} 3"),  # not yet
        chat.say("bob", f"/report {code} 3"),  # not the organiser
        chat.say("dave", "/impact", room="console:dave", private=True),
    ]
    chat.say("alice", f"/cancel {park}")
    clock.set(PARK_ENDS)
    asked = asks(chat)
    said += [
        chat.say("alice", f"/report {park} 3"),  # cancelled
        chat.say("alice", f"/report {code} !!!"),  # nothing read
        chat.say("alice", f"/report {code} 4 {_bags(language)}"),  # no people: pledged stand
        chat.say("dave", "/impact"),
        chat.say("dave", f"/impact {code}"),
    ]
    messages = [d.message for d in asked] + [r.message for r in said if r.message]
    assert len(messages) == 10
    for message in messages:
        speaks(message, language, [], english=REPORT_ENGLISH, unread=COMMANDS)


def _bags(language: str) -> str:
    """The counted noun of the question's own example in `language` ("bags", "Säcke")."""
    return read_report(i18n.text(language, "impact.ask_example"), language).things[0][0]
