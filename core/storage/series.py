"""Series: a gathering that repeats (issue 17). Each occurrence is an ordinary `Gathering`
with `series_id` and `series_day`; the series holds what they share and the rule.

Occurrences are made by `core.rules.series.make_due` from these rows, never from timers:
`next_day` is the first day of the rule not made yet, advanced in the same transaction as
the occurrence it makes, and the unique (series_id, series_day) on gatherings keeps two
processes from both making one.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.storage.models import Base
from core.storage.statuses import SeriesStatus, stored


class Series(Base):
    __tablename__ = "series"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    original_text: Mapped[str] = mapped_column(Text)
    # The rule as an RRULE value ("FREQ=MONTHLY;BYDAY=1SA"), anchored on `first_day`.
    rule: Mapped[str] = mapped_column(String(200))
    # How the organiser said it repeats ("every first Saturday of the month"), shown as written.
    repeats: Mapped[str] = mapped_column(String(200))
    first_day: Mapped[date]
    # The next day by the rule with no occurrence yet; None once the series has ended.
    next_day: Mapped[date | None] = mapped_column(default=None)
    # Local clock time of each occurrence, minutes after midnight; None: whole days.
    start_minute: Mapped[int | None] = mapped_column(Integer, default=None)
    duration_minutes: Mapped[int | None] = mapped_column(Integer, default=None)
    time_zone: Mapped[str] = mapped_column(String(64))
    place: Mapped[str | None] = mapped_column(String(300), default=None)
    target: Mapped[int | None] = mapped_column(Integer, default=None)
    capacity: Mapped[int | None] = mapped_column(Integer, default=None)
    # The roles its announcement asked for, each date gets them: JSON [[name, target], ...]
    roles: Mapped[str | None] = mapped_column(Text, default=None)
    language: Mapped[str] = mapped_column(String(10), default="en")
    status: Mapped[SeriesStatus] = mapped_column(
        stored(SeriesStatus, "status"), default=SeriesStatus.OPEN
    )
    organiser_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id"), index=True)
    community: Mapped[str] = mapped_column(String(200), index=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class SeriesPledge(Base):
    """Someone who comes to every occurrence from now on (/join SERIES), until /leave SERIES."""

    __tablename__ = "series_pledges"
    __table_args__ = (UniqueConstraint("series_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    network: Mapped[str] = mapped_column(String(20))
    # The role they take at every date (/join SERIES driver); None: each date's general one.
    role: Mapped[str | None] = mapped_column(String(60), default=None)
    created_at: Mapped[datetime]
