"""/edit and /cancel are rate-limited per person (issue 13, point 3): the uses are stored, so
the limit holds across restarts, a refused command writes nothing, and /forget erases them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from core.app import Gather
from core.clock import FixedClock
from core.config import Settings
from core.rules.limits import CHANGES_PER_PERSON_PER_HOUR
from core.storage.db import Database
from core.storage.models import CommandUse, Gathering
from core.storage.traffic import OutboxMessage
from core.words import i18n
from tests.domain.chat import Chat, code_in, text_of
from tests.domain.test_reminders import BEACH

REFUSAL = i18n.text("en", "manage.too_many_changes")


def _rows(database: Database, model: type[CommandUse] | type[OutboxMessage]) -> int:
    return database.read(lambda s: int(s.scalar(select(func.count()).select_from(model)) or 0))


def test_edits_beyond_the_hourly_limit_are_refused_and_write_nothing(
    gather: Gather, database: Database, clock: FixedClock
) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("alice", BEACH))
    chat.say("bob", f"/join {code}")
    chat.deliver_all()
    for i in range(CHANGES_PER_PERSON_PER_HOUR):
        reply = chat.say("alice", f"/edit {code} where Pier {i}")
        assert reply.ok, text_of(reply)
        clock.advance(timedelta(seconds=10))
    chat.deliver_all()
    outbox_before = _rows(database, OutboxMessage)
    uses_before = _rows(database, CommandUse)
    refused = chat.say("alice", f"/edit {code} where Somewhere else entirely")
    assert not refused.ok and text_of(refused) == REFUSAL
    assert _rows(database, OutboxMessage) == outbox_before  # no notice, no announcement edit
    assert _rows(database, CommandUse) == uses_before  # a refusal is not counted either
    place = database.read(lambda s: s.scalar(select(Gathering.place)))
    assert place == f"Pier {CHANGES_PER_PERSON_PER_HOUR - 1}"
    # /cancel shares the limit; another organiser is not affected.
    assert text_of(chat.say("alice", f"/cancel {code}")) == REFUSAL
    assert chat.say("carol", "/gather Quiz at the Espy, Sunday 29 November 2026 7pm").ok
    # An hour after the first edits, the window has room again.
    clock.advance(timedelta(hours=1))
    assert chat.say("alice", f"/edit {code} where Somewhere else entirely").ok


def test_refused_edits_do_not_use_up_the_limit(gather: Gather, database: Database) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("alice", BEACH))
    for _ in range(CHANGES_PER_PERSON_PER_HOUR + 5):
        assert not chat.say("alice", f"/edit {code} need lots").ok  # not a number
        assert not chat.say("mallory", f"/edit {code} where Elsewhere").ok  # not theirs
    assert _rows(database, CommandUse) == 0
    assert chat.say("alice", f"/edit {code} where Joppa").ok


def test_the_limit_survives_a_restart(
    gather: Gather, settings: Settings, database: Database, clock: FixedClock
) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("alice", BEACH))
    for i in range(CHANGES_PER_PERSON_PER_HOUR):
        assert chat.say("alice", f"/edit {code} where Pier {i}").ok
    restarted = Chat(Gather(settings, database, clock))
    assert text_of(restarted.say("alice", f"/edit {code} where Joppa")) == REFUSAL


def test_old_uses_are_pruned_and_forget_erases_them(
    gather: Gather, database: Database, clock: FixedClock
) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("alice", BEACH))
    for i in range(3):
        assert chat.say("alice", f"/edit {code} where Pier {i}").ok
    clock.advance(timedelta(days=1, minutes=1))
    assert chat.say("alice", f"/edit {code} where Joppa").ok
    assert _rows(database, CommandUse) == 1  # the day-old ones went as this one came
    assert chat.say("alice", "/forget").ok
    assert (
        database.read(
            lambda s: s.scalar(select(func.count()).where(CommandUse.person_id.is_not(None)))
        )
        == 0
    )


def test_edits_of_a_series_count_too(gather: Gather) -> None:
    from tests.domain.test_series import series_code

    chat = Chat(gather)
    code = series_code(chat.say("alice", "/gather Yoga every day 7am at the lido"))
    for i in range(CHANGES_PER_PERSON_PER_HOUR):
        assert chat.say("alice", f"/edit {code} place Pool {i}").ok
    assert text_of(chat.say("alice", f"/edit {code} place the beach")) == REFUSAL
    assert text_of(chat.say("alice", f"/cancel {code}")) == REFUSAL
