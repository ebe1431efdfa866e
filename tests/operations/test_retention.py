"""Pruning (core/operations/retention.py): what is past its retention goes, what is still
needed stays, on SQLite and PostgreSQL. Driven through the core as people use it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.app import Gather
from core.clock import FixedClock
from core.config import ConfigError
from core.config_sections import Retention
from core.storage.db import Database
from core.storage.models import CommandUse, Gathering, Identity, LinkCode
from core.storage.running import Heartbeat
from core.storage.statuses import OutboxStatus
from core.storage.traffic import OutboxMessage, ProcessedEvent, RoomMention
from tests.conftest import make_settings
from tests.domain.chat import Chat, code_in

GATHER = "/gather Beach clean at Portobello beach, 12 June 2027 10am, need 5 people"
DAY = timedelta(days=1)


def count(database: Database, model: type, *where: object) -> int:
    return database.read(lambda s: s.scalar(select(func.count()).select_from(model).where(*where)))  # type: ignore[arg-type]


def finished(database: Database) -> int:
    return count(database, OutboxMessage, OutboxMessage.status != OutboxStatus.PENDING)


def test_finished_messages_go_after_their_retention_and_pending_ones_stay(
    gather: Gather, database: Database, clock: FixedClock
) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("alice", GATHER))
    chat.deliver_all()  # the announcements: sent
    chat.say("bob", f"/join {code}")  # reminders, due next June: pending for months
    sent_early = finished(database)
    assert sent_early > 0
    reminders = OutboxMessage.purpose == "reminder", OutboxMessage.status == "pending"
    pending = count(database, OutboxMessage, *reminders)
    assert pending > 0

    clock.advance(29 * DAY)
    chat.say("carol", f"/join {code}")
    chat.deliver_all()  # refreshed announcements, sent 29 days after the first ones
    assert gather.operations.prune()["outbox"] == 0  # nothing is 30 days old yet

    clock.advance(2 * DAY)
    gone = gather.operations.prune()
    assert gone["outbox"] == sent_early
    # What finished a day ago stays, and what is still to be sent stays however old it is.
    assert finished(database) > 0
    assert count(database, OutboxMessage, *reminders) == pending + 2  # and Carol's two


def test_a_redelivery_stays_silent_for_the_whole_retention(
    gather: Gather, database: Database, clock: FixedClock
) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("alice", GATHER))
    assert chat.say("bob", f"/join {code}", event_key="update:7").ok
    clock.advance(6 * DAY)  # within the default 7 days: Telegram redelivers for 24 hours
    gather.operations.prune()
    again = chat.say("bob", f"/join {code}", event_key="update:7")
    assert again.duplicate and again.message is None
    clock.advance(2 * DAY)
    assert gather.operations.prune()["processed_events"] >= 2
    assert count(database, ProcessedEvent, ProcessedEvent.event_key == "update:7") == 0
    # The count never depended on the key: the pledge is one, as it was.
    going = database.read(
        lambda s: s.scalar(select(Gathering.people_going).where(Gathering.code == code))
    )
    assert going == 2


def test_dead_letters_kept_for_the_operator_go_and_retrying_ones_stay(
    gather: Gather, database: Database, clock: FixedClock
) -> None:
    operations = gather.operations
    operations.keep_dead_letter("telegram", "update:1", "{}", "boom")
    (letter,) = operations.dead_letters()
    for _ in range(4):
        operations.dead_letter_failed_again(letter.id, "boom again")
    assert operations.dead_letters()[0].next_attempt_at is None  # kept for the operator
    clock.advance(29 * DAY)
    operations.keep_dead_letter("telegram", "update:2", "{}", "still retrying")
    operations.prune()
    assert len(operations.dead_letters()) == 2
    clock.advance(2 * DAY)
    assert operations.prune()["dead_letters"] == 1
    assert [x.event_key for x in operations.dead_letters()] == ["update:2"]


def test_expired_link_codes_old_mentions_and_gone_processes_go(
    gather: Gather, database: Database, clock: FixedClock
) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("alice", GATHER))
    chat.say("bob", "/link", room="telegram:-100200")
    gather.operations.beat("telegram", "old-host:1", connected=True)

    def mention(at_offset: timedelta) -> None:
        def work(session: object) -> None:
            from sqlalchemy.orm import Session

            assert isinstance(session, Session)
            gathering = session.scalars(select(Gathering).where(Gathering.code == code)).one()
            for identity in session.scalars(select(Identity)):
                session.merge(
                    RoomMention(
                        identity_id=identity.id,
                        gathering_id=gathering.id,
                        mentioned_at=clock.now() + at_offset,
                    )
                )

        database.transact(work)

    mention(timedelta(0))
    assert count(database, LinkCode) == 1 and count(database, RoomMention) == 2
    clock.advance(DAY)  # the link code lived 15 minutes; the mentions are 24 hours old
    gather.operations.beat("telegram", "new-host:2", connected=True)
    gone = gather.operations.prune()
    assert gone["link_codes"] == 1 and gone["room_mentions"] == 0
    clock.advance(timedelta(hours=1))
    assert gather.operations.prune()["room_mentions"] == 2  # past twice the 12-hour rule
    clock.advance(7 * DAY)
    gather.operations.beat("telegram", "new-host:2", connected=True)
    assert gather.operations.prune()["heartbeats"] == 1
    assert database.read(lambda s: list(s.scalars(select(Heartbeat.process)))) == ["new-host:2"]


def test_pruning_goes_in_batches_until_nothing_old_is_left(
    gather: Gather, database: Database, clock: FixedClock
) -> None:
    chat = Chat(gather)
    for n in range(7):
        chat.say(f"p{n}", "/help")
    clock.advance(8 * DAY)
    assert gather.operations.prune(batch=2)["processed_events"] == 7
    assert count(database, ProcessedEvent) == 0


def test_one_process_prunes_per_turn_across_processes_and_restarts(
    database: Database, clock: FixedClock
) -> None:
    tuned = make_settings(retention={"every": "2h"})
    first, second = Gather(tuned, database, clock), Gather(tuned, database, clock)
    assert first.operations.prune_if_due() is not None
    assert second.operations.prune_if_due() is None  # the turn was taken an instant ago
    clock.advance(timedelta(hours=1))
    assert first.operations.prune_if_due() is None
    restarted = Gather(tuned, database, clock)  # the turn is stored, not remembered
    assert restarted.operations.prune_if_due() is None
    clock.advance(timedelta(hours=1))
    assert second.operations.prune_if_due() is not None


def test_retention_is_read_from_bots_toml_with_its_defaults_and_minimums() -> None:
    assert make_settings().retention == Retention()
    tuned = make_settings(retention={"outbox": "10d", "processed_events": "3d", "every": "30m"})
    assert tuned.retention.outbox == 10 * DAY
    assert tuned.retention.processed_events == 3 * DAY
    assert tuned.retention.every == timedelta(minutes=30)
    with pytest.raises(ConfigError) as refused:
        make_settings(retention={"processed_events": "12h", "outbox": "soon", "keep": "1d"})
    problems = "\n".join(refused.value.problems)
    assert "processed_events: at least 2d" in problems
    assert "outbox" in problems and "'keep'" in problems


def test_no_rows_of_running_are_left_unpruned() -> None:
    """Every table that grows with time has a rule, or a reason in the module's docstring."""
    from core.operations.retention import RULES
    from core.storage.schema import metadata

    ruled = {rule.table for rule in RULES}
    # Data people made (kept as history), or rows bounded by something other than time.
    bounded = {
        "persons", "identities", "rooms", "gatherings", "pledges", "announcements",
        "organiser_links", "impact_reports", "series", "series_pledges", "roles",
        "cursors", "start_backoffs", "send_budgets",
        "alembic_version",
    }  # fmt: skip
    assert set(metadata.tables) - ruled - bounded == set(), "a new table needs a retention rule"


def test_the_last_uses_of_a_rate_limited_command_go_after_a_day(
    gather: Gather, database: Database, clock: FixedClock
) -> None:
    """Uses are pruned as new ones are written; the last ones of a quiet instance go here."""
    chat = Chat(gather)
    code = code_in(chat.say("alice", GATHER))
    assert chat.say("alice", f"/edit {code} place the pier").ok
    clock.advance(DAY / 2)
    assert gather.operations.prune()["command_uses"] == 0  # still inside the longest window
    clock.advance(DAY)
    assert gather.operations.prune()["command_uses"] >= 1
    assert count(database, CommandUse) == 0
