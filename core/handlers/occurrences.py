"""Making a series' occurrences: each an ordinary gathering, announced a while before it starts.

Durable and shared: the work is in the `series` rows (`next_day`, the first day by the rule
not made yet), never in a timer. `due_series` finds the series with an occurrence to make;
`make_due` makes them, one series per transaction, holding the series row (skipped when
another process holds it, on PostgreSQL) and advancing `next_day` as it goes. The unique
(series_id, series_day) on gatherings is the last guard: an occurrence another process made
after all is left to it. After downtime, an announcement whose time passed is made late (once:
`next_day` moved on with it) and an occurrence that has already started is passed over.
One date at a time: the next is made only once the one before it has started, so "every day"
posts one announcement a day, not a week of them at once.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.config import Settings
from core.contract.messages import MessageBuilder, code, user
from core.delivery import notices, outbox, reminders
from core.handlers.opening import open_gathering, refresh_all, unused_code
from core.rules import pledges, roles
from core.rules.people import reachable_identity
from core.rules.series_days import Times, following_day, rule_of, times_on
from core.storage.models import Gathering, Identity, Room
from core.storage.series import Series, SeriesPledge
from core.storage.statuses import GatheringStatus, SeriesStatus
from core.words import i18n, notice_words, rendering


def due_series(session: Session, settings: Settings, now: datetime) -> list[int]:
    """Ids of open series whose next occurrence may be due for announcing (a day's margin for
    the zones: each is checked exactly in `make_due`)."""
    horizon = (now + timedelta(minutes=settings.series_ahead_minutes, days=1)).date()
    return list(
        session.scalars(
            select(Series.id).where(
                Series.status == SeriesStatus.OPEN,
                Series.next_day.is_not(None),
                Series.next_day <= horizon,
            )
        )
    )


def make_due(session: Session, settings: Settings, series_id: int, now: datetime) -> int:
    """Make the occurrences of one series that are due by now; returns how many were made."""
    series = session.scalar(
        select(Series)
        .where(Series.id == series_id)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )
    if series is None or series.status != SeriesStatus.OPEN:
        return 0
    ahead = timedelta(minutes=settings.series_ahead_minutes)
    made = 0
    while series.next_day is not None:
        day = series.next_day
        times = times_on(series, day)
        if times.starts_at - ahead > now or _one_before_to_come(session, series, times, now):
            break
        if times.joinable_until > now and make_occurrence(session, settings, series, day, now):
            made += 1
        series.next_day = following_day(series, day)
        series.updated_at = now
        if series.next_day is not None:
            tell_of_skipped_months(session, series, day, series.next_day, now)
    return made


def _one_before_to_come(session: Session, series: Series, times: Times, now: datetime) -> bool:
    """Whether an open date of the series before this one is still ahead: this one waits for
    it to start. (A date moved on its own past this one does not hold it back.)"""
    return session.scalar(
        select(Gathering.id).where(
            Gathering.series_id == series.id,
            Gathering.status == GatheringStatus.OPEN,
            Gathering.joinable_until > now,
            Gathering.starts_at < times.starts_at,
        ).limit(1)
    ) is not None


def tell_of_skipped_months(
    session: Session, series: Series, day: date, following: date, now: datetime
) -> None:
    """"Every 31st" has no date in some months: the organiser hears of each gap once, when
    the date before it is made, with the date after it."""
    rule = rule_of(series)
    months = (following.year - day.year) * 12 + following.month - day.month
    if not rule.skips_months or months <= rule.interval:
        return
    organiser = reachable_identity(session, series.organiser_id, None)
    if organiser is None:
        return
    gap = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    when = times_on(series, following)
    language = series.language
    message = MessageBuilder().line(*i18n.spans(
        language, "series.skips_month", title=user(series.title), code=code(series.code),
        month=rendering.month_name(gap, language), day=rule.month_day or 0,
        when=rendering.when_words(when.starts_at, when.ends_at, series.time_zone,
                                  not when.all_day, language, all_day=when.all_day),
    )).build()
    outbox.to_person(session, organiser, message, "series_skips", None, now)


def make_occurrence(
    session: Session, settings: Settings, series: Series, day: date, now: datetime
) -> Gathering | None:
    """The occurrence on `day`, announced, with everyone who comes to every one in it; None
    when it exists already (made by another process)."""
    exists = session.scalar(
        select(Gathering.id).where(Gathering.series_id == series.id, Gathering.series_day == day)
    )
    if exists is not None:
        return None
    times = times_on(series, day)
    room = session.get(Room, series.room_id)
    assert room is not None
    gathering = Gathering(
        code=unused_code(session), title=series.title, original_text=series.original_text,
        starts_at=times.starts_at, ends_at=times.ends_at, all_day=times.all_day,
        has_time=not times.all_day, time_zone=series.time_zone, place=series.place,
        target=series.target, capacity=series.capacity, status=GatheringStatus.OPEN,
        language=series.language, organiser_id=series.organiser_id, room_id=series.room_id,
        community=series.community, version=1, people_going=0, guests_going=0,
        created_at=now, updated_at=now, series_id=series.id, series_day=day,
    )  # fmt: skip
    try:
        with session.begin_nested():
            # Only the first occurrence sends the organiser their page's link: not one a week.
            first = day == series.first_day
            # An organiser who asked to be forgotten (no account left) is not counted going.
            present = session.scalar(
                select(Identity.id).where(Identity.person_id == series.organiser_id).limit(1)
            ) is not None
            open_gathering(session, settings, gathering, room, room.network, now,
                           organiser_link=first, organiser_going=present,
                           wanted=roles.from_stored(series.roles))
            pledge_followers(session, settings, series, gathering, now)
    except IntegrityError:
        return None  # another process made it first: theirs stands
    return gathering


def pledge_followers(
    session: Session, settings: Settings, series: Series, gathering: Gathering, now: datetime
) -> None:
    """Everyone who comes to every occurrence is in this one too, with their reminders."""
    followers = session.scalars(
        select(SeriesPledge).where(SeriesPledge.series_id == series.id).order_by(SeriesPledge.id)
    ).all()
    reached = False
    for follower in followers:
        role = roles.held_by(session, gathering, follower.role)
        outcome = pledges.join(session, gathering, follower.person_id, follower.network, 0, now,
                               role=role)
        if outcome.changed:
            reminders.schedule(session, settings, gathering, outcome.pledge, now)
        reached = reached or outcome.reached_target
    if followers:
        refresh_all(session, gathering, now)
    if reached:
        notices.tell_pledgers(session, gathering, notice_words.its_on(gathering), "its_on", now)


def future_occurrences(session: Session, series: Series, now: datetime) -> list[Gathering]:
    """The series' occurrences already made that are open and still to come, soonest first."""
    return list(
        session.scalars(
            select(Gathering)
            .where(
                Gathering.series_id == series.id,
                Gathering.status == GatheringStatus.OPEN,
                Gathering.joinable_until > now,
            )
            .order_by(Gathering.starts_at)
            .with_for_update()
        )
    )
