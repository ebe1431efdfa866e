"""What the calendar feed shows of a community's series: one recurring event each.

A series is one VEVENT with its rule (RRULE), not one event per date, so a subscribed
calendar shows the whole year without a year of rows; its cancelled dates are exceptions
(EXDATE), and a series that was ended stops (UNTIL). The dates already made are left out of
the feed as events of their own, so nothing shows twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from core.rules.series_days import times_on
from core.storage.models import Gathering
from core.storage.series import Series
from core.storage.statuses import GatheringStatus, SeriesStatus

# An ended series stays in the feed this long, so that calendars learn it stopped.
ENDED_SHOWN_FOR = timedelta(days=60)


@dataclass(frozen=True)
class SeriesView:
    code: str
    title: str
    original_text: str
    place: str | None
    rule: str  # the RRULE value, e.g. "FREQ=MONTHLY;BYDAY=1SA"
    first_start: datetime  # the first date's start, in the series' own zone
    length: timedelta | None  # None: no end given
    all_day: bool
    cancelled: tuple[datetime, ...]  # starts of cancelled dates, as the rule has them
    until: datetime | None  # when it was ended; None while it goes on
    updated_at: datetime
    sequence: int  # grows with each change, so a calendar takes an edit as an update

    @property
    def first_day(self) -> date:
        return self.first_start.date()


def community_series(session: Session, community: str, now: datetime) -> list[SeriesView]:
    rows = session.scalars(
        select(Series)
        .where(
            Series.community == community,
            or_(Series.status == SeriesStatus.OPEN, Series.updated_at > now - ENDED_SHOWN_FOR),
        )
        .order_by(Series.first_day, Series.id)
    ).all()
    return [_view(session, series) for series in rows]


def _view(session: Session, series: Series) -> SeriesView:
    first = times_on(series, series.first_day)
    cancelled_days = session.scalars(
        select(Gathering.series_day).where(
            Gathering.series_id == series.id, Gathering.status == GatheringStatus.CANCELLED
        )
    ).all()
    # Dates cancelled because the series ended are covered by UNTIL, not listed.
    ended = series.status == SeriesStatus.ENDED
    cancelled = tuple(
        sorted(
            times_on(series, day).starts_at
            for day in cancelled_days
            if day is not None and not (ended and times_on(series, day).starts_at > series.updated_at)
        )
    )
    length = None
    if first.ends_at is not None and not first.all_day:
        length = first.ends_at - first.starts_at
    return SeriesView(
        code=series.code,
        title=series.title,
        original_text=series.original_text,
        place=series.place,
        rule=series.rule,
        first_start=first.starts_at,
        length=length,
        all_day=first.all_day,
        cancelled=cancelled,
        until=series.updated_at if ended else None,
        updated_at=series.updated_at,
        sequence=int((series.updated_at - series.created_at).total_seconds() // 60),
    )
