"""Series (issue 17): a gathering that repeats, made one occurrence at a time by a durable job.

The clock is simulated: the job (`Gather.make_due_occurrences`, which the outbox workers call
now and then) is run as the days go by, across a change of the clocks, across downtime, and
from two processes at once on PostgreSQL.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.app import Gather
from core.clock import FixedClock
from core.config import Settings
from core.contract.commands import Reply
from core.storage.db import Database, make_engine
from core.storage.models import Gathering, Pledge
from core.storage.series import Series, SeriesPledge
from core.storage.statuses import GatheringStatus, PledgeState
from tests.domain.chat import Chat, text_of

LONDON = ZoneInfo("Europe/London")
FOOD_BANK_SERIES = ("/gather Food bank every first Saturday of the month 10am at the church "
                    "hall, need 2 drivers, a cook and lots of helpers")
LITTER = "/gather Litter pick every first Saturday of the month 10am at the Meadows, need 10 people"


def series_code(reply: Reply) -> str:
    """The five-letter code in a reply that started a series."""
    words = [w.strip("(),.:") for w in text_of(reply).split()]
    return next(w for w in words if len(w) == 5 and w.isupper() and w.isalnum())


def occurrences(database: Database) -> list[Gathering]:
    return database.read(
        lambda s: list(
            s.scalars(
                select(Gathering).where(Gathering.series_id.is_not(None)).order_by(
                    Gathering.starts_at
                )
            )
        )
    )


def going(database: Database, gathering_id: int) -> set[int]:
    return set(
        database.read(
            lambda s: list(
                s.scalars(
                    select(Pledge.person_id).where(
                        Pledge.gathering_id == gathering_id, Pledge.state == PledgeState.GOING
                    )
                )
            )
        )
    )


def run_days(gather: Gather, clock: FixedClock, until: datetime, step: timedelta) -> int:
    made = 0
    while clock.now() < until:
        clock.advance(step)
        made += gather.make_due_occurrences()
    return made


def test_a_repeating_announcement_starts_a_series_and_announces_only_its_first_date(
    gather: Gather, database: Database
) -> None:
    chat = Chat(gather)
    reply = chat.say("alice", LITTER)
    text = text_of(reply)
    assert "Started a series" in text and "every first Saturday of the month" in text
    assert "announced 6 days before" in text
    first = occurrences(database)
    assert len(first) == 1
    assert first[0].starts_at == datetime(2026, 12, 5, 10, tzinfo=UTC)
    assert (first[0].title, first[0].place, first[0].target) == ("Litter pick", "the Meadows", 10)
    # One post per linked room: the first date only, not a year of them.
    posts = [d for d in chat.deliver_all() if d.kind == "announcement"]
    assert len(posts) == 5
    assert gather.make_due_occurrences() == 0  # the next one is a month away


def test_each_later_date_is_announced_six_days_ahead_once(
    gather: Gather, database: Database, clock: FixedClock
) -> None:
    chat = Chat(gather)
    chat.say("alice", LITTER)
    assert len([d for d in chat.deliver_all() if d.kind == "announcement"]) == 5
    announce_at = datetime(2027, 1, 2, 10, tzinfo=UTC) - timedelta(days=6)
    clock.set(announce_at - timedelta(minutes=1))
    assert gather.make_due_occurrences() == 0
    clock.set(announce_at)
    assert gather.make_due_occurrences() == 1
    assert gather.make_due_occurrences() == 0
    assert [g.series_day for g in occurrences(database)] == [date(2026, 12, 5), date(2027, 1, 2)]
    posts = [d for d in chat.deliver_all() if d.kind == "announcement"]
    assert len(posts) == 5 and all("2 January 2027" in d.message.plain() for d in posts)


def test_ten_am_stays_ten_am_local_across_the_change_of_the_clocks(
    gather: Gather, database: Database, clock: FixedClock
) -> None:
    clock.set(datetime(2027, 3, 14, 12, tzinfo=UTC))
    Chat(gather).say("alice", "/gather Park run every Saturday 10am at the bandstand")
    run_days(gather, clock, datetime(2027, 4, 12, tzinfo=UTC), timedelta(hours=6))
    starts = [g.starts_at for g in occurrences(database)]
    # 28 March 2027: the clocks go forward. 10:00 GMT, then 10:00 BST (09:00 UTC).
    assert starts[:4] == [
        datetime(2027, 3, 20, 10, tzinfo=UTC),
        datetime(2027, 3, 27, 10, tzinfo=UTC),
        datetime(2027, 4, 3, 9, tzinfo=UTC),
        datetime(2027, 4, 10, 9, tzinfo=UTC),
    ]
    assert {s.astimezone(LONDON).hour for s in starts} == {10}
    assert len({g.series_day for g in occurrences(database)}) == len(starts)


def test_after_downtime_a_missed_announcement_is_made_late_once_and_past_dates_skipped(
    gather: Gather, database: Database, clock: FixedClock
) -> None:
    Chat(gather).say("alice", "/gather Choir every Tuesday 7pm at the church hall")
    # Down from before the next date's announcement time until after it (not its start).
    clock.set(datetime(2026, 12, 1, 18, tzinfo=UTC))
    assert gather.make_due_occurrences() == 1  # late, but made
    assert gather.make_due_occurrences() == 0  # and never twice
    # Down for three weeks: the dates that passed meanwhile are not made at all.
    clock.set(datetime(2026, 12, 24, 12, tzinfo=UTC))
    assert gather.make_due_occurrences() == 1
    days = [g.series_day for g in occurrences(database)]
    assert days == [date(2026, 11, 24), date(2026, 12, 1), date(2026, 12, 29)]


def test_join_series_pledges_to_every_coming_date_until_leave_series(
    gather: Gather, database: Database, clock: FixedClock
) -> None:
    chat = Chat(gather)
    code = series_code(chat.say("alice", LITTER))
    joined = chat.say("bob", f"/join {code}")
    assert "from now on" in text_of(joined) and "Next:" in text_of(joined)
    bob = database.read(lambda s: s.scalar(select(Pledge.person_id).where(
        Pledge.person_id != occurrences(database)[0].organiser_id)))
    assert bob is not None
    assert "already in" in text_of(chat.say("bob", f"/join {code}"))
    clock.set(datetime(2026, 12, 28, tzinfo=UTC))
    gather.make_due_occurrences()
    _first, second = occurrences(database)
    assert bob in going(database, second.id)  # made after he joined: he is in
    left = chat.say("bob", f"/leave {code}")
    assert "still to come" in text_of(left)
    assert bob not in going(database, second.id)
    clock.set(datetime(2027, 2, 1, tzinfo=UTC))
    gather.make_due_occurrences()
    assert bob not in going(database, occurrences(database)[2].id)


def test_join_series_when_the_next_date_is_full_says_waitlist_not_in(
    gather: Gather, database: Database
) -> None:
    chat = Chat(gather)
    code = series_code(chat.say("alice", "/gather Boat trip every Saturday 10am at the pier, max 2"))
    assert "Next: Boat trip" in text_of(chat.say("bob", f"/join {code}"))
    full = text_of(chat.say("carol", f"/join {code}"))
    assert "so you're on the waitlist for Boat trip" in full and "Next:" not in full


def choir(chat: Chat, database: Database) -> Gathering:
    """A weekly series started by Alice; its first date."""
    chat.say("alice", "/gather Choir every Tuesday 7pm at the church hall")
    return occurrences(database)[0]


def test_one_date_can_be_joined_and_cancelled_on_its_own(
    gather: Gather, database: Database, clock: FixedClock
) -> None:
    chat = Chat(gather)
    first = choir(chat, database)
    assert "You're in" in text_of(chat.say("carol", f"/join {first.code}"))
    assert "Cancelled" in text_of(chat.say("alice", f"/cancel {first.code}"))
    assert occurrences(database)[0].status == GatheringStatus.CANCELLED
    clock.set(datetime(2026, 11, 26, tzinfo=UTC))
    assert gather.make_due_occurrences() == 1  # the series goes on
    assert occurrences(database)[1].status == GatheringStatus.OPEN


def test_a_date_moved_past_the_next_one_does_not_hold_the_next_one_back(
    gather: Gather, database: Database, clock: FixedClock
) -> None:
    chat = Chat(gather)
    first = choir(chat, database)
    assert chat.say("alice", f"/edit {first.code} when Thursday 3 December 2026 7pm").ok
    clock.set(datetime(2026, 11, 25, 19, 1, tzinfo=UTC))  # 6 days before Tuesday 1 December
    assert gather.make_due_occurrences() == 1
    made = occurrences(database)  # by start: the moved date is now the later one
    assert [g.series_day for g in made] == [date(2026, 12, 1), date(2026, 11, 24)]


def test_cancel_series_ends_it_and_tells_everyone_once(
    gather: Gather, database: Database, clock: FixedClock
) -> None:
    chat = Chat(gather)
    code = series_code(chat.say("alice", "/gather Yoga every day 7am at the lido"))
    assert gather.make_due_occurrences() == 0  # one date at a time
    chat.say("bob", f"/join {code}")
    chat.say("carol", f"/join {occurrences(database)[0].code}")
    chat.deliver_all()
    assert "Only the organiser" in text_of(chat.say("bob", f"/cancel {code}"))
    ended = chat.say("alice", f"/cancel {code}")
    assert "1 coming date cancelled" in text_of(ended)
    told = [d for d in chat.deliver_all() if d.purpose == "series_ended"]
    assert sorted(d.recipient.native_id for d in told if d.recipient) == ["bob", "carol"]
    # Someone who cannot be DMed is mentioned once in the room instead.
    code = series_code(chat.say("alice", "/gather Choir every Tuesday 7pm at the church hall"))
    chat.say("dave", f"/join {code}")
    gather.mark_unreachable("console", "dave")
    chat.deliver_all()
    chat.say("alice", f"/cancel {code}")
    posts = [d for d in chat.deliver_all() if d.kind == "room"]
    assert len(posts) == 1 and "has ended" in posts[0].message.plain()
    assert posts[0].message.plain().startswith("Dave, a message")
    assert {g.status for g in occurrences(database)} == {GatheringStatus.CANCELLED}
    clock.set(datetime(2027, 2, 1, tzinfo=UTC))
    assert gather.make_due_occurrences() == 0
    assert "has ended" in text_of(chat.say("dave", f"/join {code}"))


def test_list_shows_a_series_once_with_its_next_date(
    gather: Gather, clock: FixedClock
) -> None:
    chat = Chat(gather)
    chat.say("alice", "/gather Yoga every day 7am at the lido")
    chat.say("alice", LITTER)
    clock.advance(timedelta(hours=1))
    gather.make_due_occurrences()  # a week of yoga announced
    text = text_of(chat.say("bob", "/list"))
    assert text.count("Yoga") == 1 and text.count("Litter pick") == 1
    assert "every day" in text and "/join" in text


def test_every_31st_passes_over_short_months_and_says_so(
    gather: Gather, database: Database, clock: FixedClock
) -> None:
    chat = Chat(gather)
    reply = chat.say("alice", "/gather Quiz every month on the 31st 8pm at the pub")
    assert "Months without a day 31 are passed over" in text_of(reply)
    run_days(gather, clock, datetime(2027, 6, 1, tzinfo=UTC), timedelta(days=1))
    days = [g.series_day for g in occurrences(database)]
    assert days == [date(2026, 12, 31), date(2027, 1, 31), date(2027, 3, 31), date(2027, 5, 31)]
    told = [d.message.plain() for d in chat.deliver_all() if d.purpose == "series_skips"]
    assert [t.split(":")[0] for t in told] == [
        f"Quiz ({series_code(reply)}) has no date in February",
        f"Quiz ({series_code(reply)}) has no date in April",
        f"Quiz ({series_code(reply)}) has no date in June",
    ]
    assert "The next one is on Wednesday 31 March 2027, 20:00 BST" in told[0]


def test_two_processes_make_each_date_once_on_postgresql(
    settings: Settings, database_url: str, clock: FixedClock
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("several processes share a database only on PostgreSQL")
    databases = [Database(make_engine(database_url)) for _ in range(2)]
    processes = [Gather(settings, db, clock) for db in databases]
    processes[0].prepare()
    try:
        Chat(processes[0]).say("alice", "/gather Yoga every day 7am at the lido")
        clock.set(datetime(2026, 12, 20, tzinfo=UTC))
        barrier = threading.Barrier(2)
        made: list[int] = []

        def run(process: Gather) -> None:
            barrier.wait()
            made.append(process.make_due_occurrences())

        threads = [threading.Thread(target=run, args=(p,)) for p in processes]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        count, days = databases[0].read(lambda s: s.execute(
            select(func.count(Gathering.id), func.count(func.distinct(Gathering.series_day)))
            .where(Gathering.series_id.is_not(None))).one())
        assert count == days == 1 + sum(made)
        assert sum(made) == 1  # 20 December; the 21st waits until the 20th's has begun
        series = databases[0].read(lambda s: s.scalar(select(Series)))
        assert series is not None and series.next_day == date(2026, 12, 21)
    finally:
        for db in databases:
            db.dispose()


def test_the_database_refuses_a_second_occurrence_of_one_day(
    gather: Gather, database: Database
) -> None:
    """The last guard when two processes race past the series' lock: the unique constraint."""
    Chat(gather).say("alice", "/gather Choir every Tuesday 7pm at the church hall")
    first = occurrences(database)[0]

    def copy(session: Session) -> None:
        twin = Gathering(**{
            column.key: getattr(first, column.key)
            for column in Gathering.__table__.columns
            if column.key not in ("id", "code")
        }, code="ZZZZ")
        session.add(twin)
        session.flush()

    with pytest.raises(IntegrityError):
        database.transact(copy, attempts=1)


def test_forget_erases_series_pledges_and_keeps_a_series_for_the_others(
    gather: Gather, database: Database, clock: FixedClock
) -> None:
    chat = Chat(gather)
    code = series_code(chat.say("alice", "/gather Choir every Tuesday 7pm at the church hall"))
    series_code(chat.say("bob", "/gather Repair cafe every Sunday 2pm at the library"))
    chat.say("bob", f"/join {code}")
    chat.say("carol", f"/join {code}")
    assert "erased" in text_of(chat.say("bob", "/forget"))
    followers = database.read(lambda s: s.scalar(select(func.count(SeriesPledge.id))))
    assert followers == 1  # Carol's
    clock.set(datetime(2026, 12, 1, 12, tzinfo=UTC))
    assert gather.make_due_occurrences() == 2  # both series go on
    # Bob's own series goes on without him: nobody counted going in his place.
    later = [g for g in occurrences(database) if g.title == "Repair cafe"][-1]
    assert later.series_day == date(2026, 12, 6) and later.people_going == 0
    assert going(database, later.id) == set()


def test_edit_series_changes_the_dates_to_come_and_never_the_past(
    gather: Gather, database: Database, clock: FixedClock
) -> None:
    chat = Chat(gather)
    code = series_code(chat.say("alice", "/gather Yoga every day 7am at the lido"))
    # The 22nd and 23rd are past; the 24th was announced once the 23rd's had begun.
    run_days(gather, clock, datetime(2026, 11, 23, 12, tzinfo=UTC), timedelta(hours=1))
    chat.say("bob", f"/join {occurrences(database)[2].code}")
    chat.deliver_all()
    assert "keeps its days" in text_of(chat.say("alice", f"/edit {code} when Sunday 11am"))
    assert "Only the organiser" in text_of(chat.say("bob", f"/edit {code} place the park"))
    edited = chat.say("alice", f"/edit {code} place the beach")
    assert "1 announced date changed" in text_of(edited)
    assert chat.say("alice", f"/edit {code} time 8am").ok
    made = occurrences(database)
    assert [g.place for g in made] == ["the lido"] * 2 + ["the beach"]
    assert [g.starts_at.hour for g in made] == [7, 7, 8]
    told = [d for d in chat.deliver_all() if d.purpose == "changed"]
    assert [d.recipient.native_id for d in told if d.recipient] == ["bob"]
    clock.set(datetime(2026, 11, 28, 12, tzinfo=UTC))
    gather.make_due_occurrences()
    later = occurrences(database)[3:]
    assert later and all((g.place, g.starts_at.hour) == ("the beach", 8) for g in later)


def test_a_daily_series_counts_once_against_its_organisers_hourly_limit(
    gather: Gather, database: Database, clock: FixedClock
) -> None:
    chat = Chat(gather)
    chat.say("alice", "/gather Yoga every day 7am at the lido")
    clock.advance(timedelta(days=3))
    assert gather.make_due_occurrences() == 1  # each day's date made once the one before began
    assert chat.say("alice", "/gather Beach clean Saturday 28 November 10am at the pier").ok


def test_every_day_announces_one_date_at_a_time_not_a_week_of_posts(
    gather: Gather, database: Database, clock: FixedClock
) -> None:
    chat = Chat(gather)
    said = chat.say("alice", "/gather Walk every day 7am at the gate")
    assert "Each later one is announced 1 day before it starts" in text_of(said)
    chat.deliver_all()
    clock.advance(timedelta(minutes=1))
    assert gather.make_due_occurrences() == 0  # Sunday's is announced; Monday's waits for it
    assert not [d for d in chat.deliver_all() if d.kind == "announcement"]
    clock.set(datetime(2026, 11, 22, 7, 1, tzinfo=UTC))  # Sunday's walk has begun
    assert gather.make_due_occurrences() == 1
    assert gather.make_due_occurrences() == 0
    assert [g.series_day for g in occurrences(database)] == [date(2026, 11, 22), date(2026, 11, 23)]
    run_days(gather, clock, datetime(2026, 11, 26, 7, 1, tzinfo=UTC), timedelta(hours=1))
    assert len(occurrences(database)) == 6  # one a day, each made after the one before began


def test_list_shows_a_series_between_its_dates_with_the_next_one(
    gather: Gather, clock: FixedClock
) -> None:
    chat = Chat(gather)
    chat.say("alice", LITTER)
    clock.set(datetime(2026, 12, 6, 12, tzinfo=UTC))  # the 5 December date is over
    text = text_of(chat.say("bob", "/list"))
    assert text.count("Litter pick") == 1
    assert "every first Saturday of the month: next Saturday 2 January 2027, 10:00 GMT" in text


def test_impact_of_a_series_sums_its_held_dates(
    gather: Gather, database: Database, clock: FixedClock
) -> None:
    chat = Chat(gather)
    code = series_code(chat.say("alice", LITTER))
    assert "hasn't ended yet" in text_of(chat.say("alice", f"/impact {code}"))
    run_days(gather, clock, datetime(2027, 1, 3, tzinfo=UTC), timedelta(days=1))
    first, second = occurrences(database)[:2]
    chat.say("alice", f"/report {first.code} 12 came, 30 bags")
    chat.say("alice", f"/report {second.code} 8 came, 14 bags")
    text = text_of(chat.say("bob", f"/impact {code}"))
    assert "Litter pick" in text and "2 gatherings" in text
    assert "20 people" in text and "44 bags" in text and "Alice" not in text


def test_every_date_of_a_series_has_the_roles_its_announcement_asked_for(
    gather: Gather, database: Database, clock: FixedClock
) -> None:
    chat = Chat(gather)
    started = chat.say("alice", FOOD_BANK_SERIES)
    code = series_code(started)
    chat.say("bob", f"/join {code}")  # every date, in the general role
    driving = chat.say("dan", f"/join {code} driver")  # every date, as a driver
    assert driving.ok and "every Food bank" in text_of(driving)
    clock.set(datetime(2027, 1, 2, 10, tzinfo=UTC) - timedelta(days=6))
    assert gather.make_due_occurrences() == 1
    dates = occurrences(database)
    assert len(dates) == 2
    for each in dates:
        assert each.has_roles and each.target == 3
        post = chat.say("carol", f"/who {each.code}")
        assert "Helpers" in text_of(post) and "Drivers" in text_of(post)
    second = [d for d in chat.deliver_all() if d.kind == "announcement"][-1].message
    assert "Helpers 2 · Drivers 1/2 · Cook 0/1" in second.plain()  # alice and bob help
    assert f"/join {dates[1].code} drivers" in [b.command for b in second.buttons]


def test_join_series_with_a_role_it_does_not_have_lists_its_roles_and_writes_nothing(
    gather: Gather, database: Database
) -> None:
    chat = Chat(gather)
    code = series_code(chat.say("alice", FOOD_BANK_SERIES))
    refused = chat.say("bob", f"/join {code} juggler")
    assert not refused.ok
    assert "Helpers, Drivers, Cook" in text_of(refused)
    assert database.read(lambda s: s.scalar(select(func.count()).select_from(SeriesPledge))) == 0


def test_edit_series_need_n_of_a_role_changes_it_at_every_date_to_come(
    gather: Gather, database: Database, clock: FixedClock
) -> None:
    chat = Chat(gather)
    code = series_code(chat.say("alice", FOOD_BANK_SERIES))
    edited = chat.say("alice", f"/edit {code} need 3 drivers")
    assert edited.ok, text_of(edited)
    unknown = chat.say("alice", f"/edit {code} need 3 jugglers")
    assert not unknown.ok and "Helpers, Drivers, Cook" in text_of(unknown)
    clock.set(datetime(2027, 1, 2, 10, tzinfo=UTC) - timedelta(days=6))
    assert gather.make_due_occurrences() == 1
    for each in occurrences(database):  # the date announced already, and the one made later
        assert each.target == 4
        assert "Drivers 0/3" in text_of(chat.say("carol", f"/who {each.code}"))
