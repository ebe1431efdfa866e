"""What a gathering's web page and its community's page show (the organiser's page is in
`core.views.organiser_pages`).

Plain values read in one transaction, so an adapter (adapters/web) only lays them out. Names
appear only for people who allowed it (`/settings names on`); handles never do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from core.rules.codes import normalise_code
from core.rules.tally import tally
from core.storage.models import (
    Announcement,
    Cursor,
    Gathering,
    Identity,
    Person,
    Pledge,
    Room,
)
from core.storage.series import Series
from core.storage.statuses import GatheringStatus
from core.words import i18n, rendering
from core.words.i18n import babel_locale

# Without an end time a gathering counts as happened this long after it started.
ASSUMED_LENGTH = timedelta(hours=2)
MAX_NAMES = 200
MAX_UPCOMING = 100
_BY_CODE = select(Gathering).where(Gathering.code == bindparam("code"))
_LIVE = select(
    Gathering.code,
    Gathering.people_going + Gathering.guests_going,
    Gathering.version,
    Gathering.status,
).where(Gathering.code.in_(bindparam("codes", expanding=True)))


@dataclass(frozen=True)
class Count:
    """The live part of a page: what a join changes."""

    going: int
    per_network: tuple[tuple[str, int], ...]  # (network, people + guests), by network name
    waitlisted: int
    target: int | None
    capacity: int | None
    confirmed: int | None = None  # said yes to "Still coming?"; None until anyone was asked

    @property
    def places_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.going, 0)

    @property
    def reached(self) -> bool:
        return self.target is not None and self.going >= self.target


@dataclass(frozen=True)
class GatheringView:
    code: str
    title: str
    original_text: str
    language: str  # the community's: the page speaks it
    state: str  # on | cancelled | happened
    starts_at: datetime
    ends_at: datetime | None
    time_zone: str
    has_time: bool
    place: str | None
    community: str
    version: int
    updated_at: datetime
    count: Count
    names: tuple[str, ...]  # of people who allowed their name to be shown
    posts: tuple[tuple[str, str], ...]  # (network, address of the post) where known
    networks: tuple[str, ...]  # the networks the community has rooms on
    when_text: str  # 'Saturday 28 November 2026, 10:00–12:00 GMT', in `language`
    length_text: str | None  # '2 hours', when an end is known
    series_code: str | None = None  # the series it is a date of (core/views/series_pages.py)
    series_repeats: str | None = None  # how that series repeats, as its organiser wrote it

    @property
    def count_text(self) -> str:
        return count_text(self.count, self.language)

    @property
    def whole_days(self) -> tuple[date, date] | None:
        """A gathering with no time written: its first day and the day after its last (a
        calendar's exclusive end), in its own zone; None for a gathering with a time."""
        if self.has_time:
            return None
        zone = ZoneInfo(self.time_zone)
        first = self.starts_at.astimezone(zone).date()
        after = self.ends_at.astimezone(zone).date() if self.ends_at is not None else first
        return first, max(after, first + timedelta(days=1))

    @property
    def ends_or_assumed(self) -> datetime:
        """The end, or the start and the usual length when none was given."""
        return self.ends_at or self.starts_at + ASSUMED_LENGTH


# The catalogue and names as the pages need them (adapters reach these through `core`).


def page_words(language: str, key: str, **values: object) -> str:
    """A catalogue text; `values` are put in as they are (a page escapes the result)."""
    return i18n.text(language, key, **values)


def page_plural(language: str, key: str, count: int, **values: object) -> str:
    return i18n.plural(language, key, count, **values)


def network_name(network: str) -> str:
    return rendering.NETWORK_NAMES.get(network, network)


def map_link(place: str) -> str:
    return rendering.map_link(place)


def language_tag(language: str) -> str:
    """The BCP 47 tag a browser formats dates with ('en-GB', 'pt-PT', 'de')."""
    return babel_locale(language).replace("_", "-")


def gathering_code(text: str) -> str | None:
    """A code as typed, in its one stored form; None if it cannot be one."""
    return normalise_code(text)


def state_of(gathering: Gathering, now: datetime) -> str:
    """on | cancelled | happened (its end, or its start and the usual length, has passed)."""
    if gathering.status == GatheringStatus.CANCELLED:
        return "cancelled"
    end = gathering.ends_at or gathering.starts_at + ASSUMED_LENGTH
    return "happened" if end <= now else "on"


def find(session: Session, code_text: str) -> Gathering | None:
    normalised = normalise_code(code_text)
    if normalised is None:
        return None
    return session.scalar(_BY_CODE, {"code": normalised})


def count_of(session: Session, gathering: Gathering) -> Count:
    numbers = tally(session, gathering.id)
    per_network = numbers.per_network
    return Count(
        sum(per_network.values()),
        tuple(
            sorted(
                per_network.items(), key=lambda item: rendering.NETWORK_NAMES.get(item[0], item[0])
            )
        ),
        numbers.waitlisted,
        gathering.target,
        gathering.capacity,
        numbers.confirmed,
    )


def view(session: Session, gathering: Gathering, language: str, now: datetime) -> GatheringView:
    names = session.scalars(
        select(Identity.display_name)
        .join(
            Pledge, (Pledge.person_id == Identity.person_id) & (Pledge.network == Identity.network)
        )
        .join(Person, Person.id == Pledge.person_id)
        .where(
            Pledge.gathering_id == gathering.id,
            Pledge.state == "going",
            Person.shows_name.is_(True),
            Identity.display_name != "",
        )
        .order_by(Pledge.created_at, Pledge.id)
        .limit(MAX_NAMES)
    )
    posts = session.execute(
        select(Room.network, Announcement.post_url)
        .join(Room, Room.id == Announcement.room_id)
        .where(Announcement.gathering_id == gathering.id, Announcement.post_url.is_not(None))
        .order_by(Announcement.id)
    )
    return GatheringView(
        gathering.code,
        gathering.title,
        gathering.original_text,
        language,
        state_of(gathering, now),
        gathering.starts_at,
        gathering.ends_at,
        gathering.time_zone,
        gathering.has_time,
        gathering.place,
        gathering.community,
        gathering.version,
        gathering.updated_at,
        count_of(session, gathering),
        tuple(names),
        tuple((network, url) for network, url in posts if url),
        tuple(
            session.scalars(
                select(Room.network).where(Room.community == gathering.community).distinct()
            )
        ),
        rendering.when_words(
            gathering.starts_at,
            gathering.ends_at,
            gathering.time_zone,
            gathering.has_time,
            language,
            all_day=gathering.all_day,
        ),
        length_text(gathering.starts_at, None if gathering.all_day else gathering.ends_at, language),
        *_series_of(session, gathering),
    )


def _series_of(session: Session, gathering: Gathering) -> tuple[str | None, str | None]:
    """(code, how it repeats) of the series the gathering is a date of; Nones for a one-off."""
    series = session.get(Series, gathering.series_id) if gathering.series_id else None
    return (series.code, series.repeats) if series is not None else (None, None)


def count_text(count: Count, language: str) -> str:
    """'7 going of 20 needed (max 30), 5 confirmed', without the per-network part (the page
    lists it)."""
    words = rendering.count_words(
        count.going, count.target, count.capacity, {}, count.waitlisted, language
    )
    return rendering.with_confirmed(words, count.confirmed, language)


def length_text(starts_at: datetime, ends_at: datetime | None, language: str) -> str | None:
    if ends_at is None or ends_at <= starts_at:
        return None
    hours, minutes = divmod(int((ends_at - starts_at).total_seconds() // 60), 60)
    if hours and minutes:
        return i18n.text(
            language,
            "left.hours_minutes",
            hours=i18n.plural(language, "left.hours", hours),
            minutes=i18n.plural(language, "left.minutes", minutes),
        )
    if hours:
        return i18n.plural(language, "left.hours", hours)
    return i18n.plural(language, "left.minutes", minutes)


def upcoming(session: Session, community: str, now: datetime) -> list[Gathering]:
    """The community's gatherings not yet over, soonest first (cancelled ones included, so a
    subscribed calendar learns of the cancellation)."""
    return list(
        session.scalars(
            select(Gathering)
            .where(
                Gathering.community == community,
                Gathering.status.in_(("open", "cancelled")),
                Gathering.joinable_until > now - ASSUMED_LENGTH,
            )
            .order_by(Gathering.starts_at, Gathering.id)
            .limit(MAX_UPCOMING)
        )
    )


def live(session: Session, codes: list[str]) -> dict[str, tuple[int, int, str]]:
    """code -> (headcount, version, status) for the codes that exist: one cheap statement, so
    a page server can poll it for every page open on it."""
    if not codes:
        return {}
    return {
        code: (int(n), int(v), str(s)) for code, n, v, s in session.execute(_LIVE, {"codes": codes})
    }


# Join addresses a network adapter tells the core about (the Telegram bot's username) -----

_ADDRESS_KEY = "web.address."


def remember_address(session: Session, network: str, value: str, now: datetime) -> None:
    key = _ADDRESS_KEY + network
    row = session.get(Cursor, key)
    if row is None:
        session.add(Cursor(key=key, value=value[:200], updated_at=now))
    elif row.value != value:
        row.value, row.updated_at = value[:200], now


def addresses(session: Session) -> dict[str, str]:
    rows = session.execute(
        select(Cursor.key, Cursor.value).where(Cursor.key.startswith(_ADDRESS_KEY))
    )
    return {key.removeprefix(_ADDRESS_KEY): value for key, value in rows}
