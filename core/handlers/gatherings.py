"""Starting, changing and cancelling gatherings."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from core.config import Settings
from core.contract.commands import Context, Reply, problem
from core.contract.messages import MessageBuilder, code, user
from core.delivery import calls, impact_ask, organiser_links, outbox, reminders
from core.handlers.announcements import repeated_announcement
from core.parsing import ParsedGathering, ParsedRole, ParseError, parse_gathering
from core.parsing.title import FALLBACK as TITLE_FALLBACK
from core.rules import counting, pledges, roles
from core.rules.codes import GATHERING_CODE_LENGTH, new_code, normalise_code
from core.rules.readings import token
from core.rules.rooms import community_settings, rooms_of_community
from core.rules.whole_days import when_of
from core.storage.models import Announcement, Gathering, Room
from core.storage.series import Series
from core.storage.statuses import GatheringStatus
from core.words import i18n, parse_problems, rendering, roles_shown

GATHERINGS_PER_PERSON_PER_HOUR = 5
GATHERINGS_PER_ROOM_PER_HOUR = 20
MAX_TITLE = 200
MAX_PLACE = 300
MAX_PEOPLE = 100_000
# Built once: on SQLite, building a statement costs more than running it.
_BY_CODE = select(Gathering).where(Gathering.code == bindparam("code"))
# populate_existing: the row may already be in the session from an unlocked read, and its
# counters must be the ones read under the lock, or concurrent joins would be lost.
_LOCKED_BY_CODE = _BY_CODE.with_for_update().execution_options(populate_existing=True)
_ANNOUNCED_ON = (
    select(Room.network)
    .join(Announcement, Announcement.room_id == Room.id)
    .where(Announcement.gathering_id == bindparam("gathering_id"))
    .distinct()
)
EXAMPLE = "/gather Beach clean at Portobello beach, Saturday 10am, need 20 people"


def clean_text(text: str) -> str:
    """Drop control and format characters (NUL, bidi overrides) that only cause trouble."""
    kept = (
        ch if unicodedata.category(ch)[0] != "C" or ch in "\n\t" or ch == "\u200d" else " "
        for ch in text
    )
    return "".join(kept).strip()


def single_line(text: str, limit: int) -> str:
    squeezed = " ".join(clean_text(text).split())
    return squeezed if len(squeezed) <= limit else squeezed[: limit - 1].rstrip() + "…"


def target_and_capacity(parsed: ParsedGathering) -> tuple[int | None, int | None]:
    """The parser reads a minimum or a plain number as the target ("need 20") and a maximum
    as the capacity ("max 30": later joiners are waitlisted); both may be given."""
    def capped(n: int | None) -> int | None:
        return min(n, MAX_PEOPLE) if n is not None else None

    return capped(parsed.needed), capped(parsed.capacity)


def find_by_code(session: Session, text: str, *, lock: bool = False) -> Gathering | None:
    """The gathering with this code; with `lock`, its row is held until commit (for counts)."""
    normalised = normalise_code(text)
    if normalised is None:
        return None
    if lock:  # what this transaction counted without the lock is written first
        counting.settle(session)
    return session.scalar(_LOCKED_BY_CODE if lock else _BY_CODE, {"code": normalised})


def latest_in_room(ctx: Context, count: int = 3) -> list[Gathering]:
    """The room's most recently announced gatherings, newest first, open or not: a command
    without a code means the newest, and only while it is open (never an older one silently)."""
    return list(
        ctx.session.scalars(
            select(Gathering)
            .join(Announcement, Announcement.gathering_id == Gathering.id)
            .where(Announcement.room_id == ctx.room.id)
            .order_by(Gathering.created_at.desc(), Gathering.id.desc())
            .limit(count)
        )
    )


def parse_for(ctx: Context, text: str) -> ParsedGathering:
    """Read an announcement in the community's languages; a visitor writing in another
    supported language is understood too (detection among those only, tried on failure)."""
    community = community_settings(ctx.settings, ctx.room.community)

    def parse(languages: list[str] | None) -> ParsedGathering:
        return parse_gathering(
            text,
            now=ctx.now,
            tz=community.time_zone,
            languages=languages,
            next_weekday=community.next_weekday,
        )

    try:
        return parse(list(community.languages))
    except ParseError as in_community_languages:
        try:
            detected = parse(None)
        except ParseError:
            raise in_community_languages from None
        if detected.language in community.languages:
            raise in_community_languages from None
        return detected


def _rate_limited(ctx: Context) -> str | None:
    since = ctx.now - timedelta(hours=1)
    person = ctx.identity.person_id
    by_person = _started_since(
        ctx.session, since, Gathering.organiser_id == person, Series.organiser_id == person
    )
    if by_person >= GATHERINGS_PER_PERSON_PER_HOUR:
        return i18n.text(ctx.language, "gather.too_many_by_person")
    room = ctx.room.id
    by_room = _started_since(ctx.session, since, Gathering.room_id == room, Series.room_id == room)
    if by_room >= GATHERINGS_PER_ROOM_PER_HOUR:
        return i18n.text(ctx.language, "gather.too_many_by_room")
    return None


def _started_since(
    session: Session,
    since: datetime,
    gatherings_of: ColumnElement[bool],
    series_of: ColumnElement[bool],
) -> int:
    """Gatherings and series started since then: a series counts once, not each date the
    job makes of it (a daily series would otherwise block its organiser for an hour)."""
    once = session.scalar(
        select(func.count(Gathering.id)).where(
            gatherings_of, Gathering.created_at > since, Gathering.series_id.is_(None)
        )
    )
    repeating = session.scalar(
        select(func.count(Series.id)).where(series_of, Series.created_at > since)
    )
    return (once or 0) + (repeating or 0)


# Starts a series instead, when the announcement repeats (core/handlers/series.py).
StartSeries = Callable[[Context, ParsedGathering, str, str, int | None, int | None], Reply]


def gather(ctx: Context, *, repeating: StartSeries | None = None) -> Reply:
    lang = ctx.language
    example = code(i18n.text(lang, "gather.example"))
    text = clean_text(ctx.args)
    if not text:
        return problem(i18n.text(lang, "gather.tell_me"), example)
    first = repeated_announcement(ctx, text)
    if first is not None:  # a double tap, or a retry: the count stays on the first one
        headline = rendering.headline(first, first.language, words=lang)
        said = MessageBuilder().line(
            *i18n.spans(lang, "gather.already_announced", gathering=headline)
        )
        return Reply(said.build(), gathering_code=first.code, private=True)
    limited = _rate_limited(ctx)
    if limited:
        return problem(limited)
    try:
        parsed = parse_for(ctx, text)
    except ParseError as error:
        return problem(parse_problems.message(lang, error))
    missing = {doubt.field for doubt in parsed.ambiguities}
    if {"title", "time"} <= missing:
        # A bare date ("/gather tomorrow") is not yet something people can join.
        return problem(i18n.text(lang, "gather.what_and_when"), example)
    # The parser names an announcement without a title in its language ("Treffen").
    title = single_line(parsed.title, MAX_TITLE) or TITLE_FALLBACK.get(parsed.language, "Gathering")
    target, capacity = target_and_capacity(parsed)
    if parsed.recurrence is not None and repeating is not None:
        return repeating(ctx, parsed, text, title, target, capacity)
    community = community_settings(ctx.settings, ctx.room.community)
    when = when_of(parsed, community.time_zone)
    gathering = Gathering(
        code=unused_code(ctx.session),
        title=title,
        original_text=text,
        starts_at=when.starts_at,
        time_zone=community.time_zone,
        has_time=when.has_time,
        all_day=when.all_day,
        ends_at=when.ends_at,
        place=single_line(parsed.place, MAX_PLACE) if parsed.place else None,
        target=target,
        capacity=capacity,
        status=GatheringStatus.OPEN,
        language=parsed.language,
        organiser_id=ctx.identity.person_id,
        room_id=ctx.room.id,
        community=ctx.room.community,
        version=1,
        people_going=0,
        guests_going=0,
        created_at=ctx.now,
        updated_at=ctx.now,
    )
    rooms = open_gathering(
        ctx.session, ctx.settings, gathering, ctx.room, ctx.identity.network, ctx.now,
        wanted=parsed.roles,
    )
    b = MessageBuilder()
    b.line(
        *i18n.spans(
            lang, "gather.started_title", title=user(gathering.title), code=code(gathering.code)
        )
    )
    # All of what was understood, so the organiser can check it at a glance.
    # "20:00 GMT (3pm EST)": a time written in another zone is shown as written too
    written = next((doubt.note.values["phrase"] for doubt in parsed.ambiguities
                    if doubt.code == "zone"), None)
    b.line("🗓 ", rendering.format_when(gathering, gathering.language),
           *((" (", user(str(written)), ")") if written else ()))
    if gathering.place:
        b.line("📍 ", user(gathering.place))
    if gathering.target or gathering.capacity:
        b.line(
            "👥 "
            + (
                i18n.text(lang, "edit.target_and_max", target=gathering.target,
                          max=gathering.capacity)
                if gathering.target and gathering.capacity
                else i18n.text(lang, "gather.need", n=gathering.target)
                if gathering.target
                else i18n.text(lang, "gather.max", n=gathering.capacity)
            )
        )
    if gathering.has_roles:
        b.line("👥 ", *roles_shown.count_parts(roles.counts(ctx.session, gathering)))
    b.line(
        *i18n.plural_spans(
            lang,
            "gather.announced_counted",
            len(rooms),
            command=code(f"/edit {gathering.code} when …"),
        )
    )
    for doubt in parsed.ambiguities:
        b.line(*i18n.spans(lang, "gather.note_line", note=tuple(parse_problems.note(lang, doubt))))
    if any(doubt.code.startswith("fallback_read") for doubt in parsed.ambiguities):
        # The fallback reader is wrong more often: the correction, ready to send.
        local = rendering.local(gathering.starts_at, gathering.time_zone)
        read = f"{local:%d.%m.%Y}" + (f" {local:%H:%M}" if gathering.has_time else "")
        correction = code(f"/edit {gathering.code} when {read}")
        b.line(*i18n.spans(lang, "gather.correct_reading", command=correction))
        _offer_readings(b, gathering, parsed, lang)
    return Reply(b.build(), gathering_code=gathering.code, private=True)


def _offer_readings(
    b: MessageBuilder, gathering: Gathering, parsed: ParsedGathering, language: str
) -> None:
    """A button for each other plausible reading: one tap says `/fix K7QF 20261205T0700`
    (handlers/corrections.py). Networks without buttons keep the /edit line above."""
    for reading in parsed.alternatives:
        label = rendering.short_when(reading.starts_at, gathering.time_zone, reading.has_time,
                                     language)
        argument = token(reading.starts_at, reading.has_time, gathering.time_zone)
        b.button("fix", gathering.code, f"🗓 {label}", argument)


def open_gathering(
    session: Session,
    settings: Settings,
    gathering: Gathering,
    room: Room,
    network: str,
    now: datetime,
    *,
    organiser_link: bool = True,
    organiser_going: bool = True,
    wanted: Sequence[ParsedRole] = (),
) -> list[Room]:
    """Store a new gathering: its organiser is in (through `network`) unless not
    `organiser_going`, it is announced in every room of its community (and `room`), reminders
    are queued and, with `organiser_link`, the organiser gets the private link to its page.
    Returns the rooms. `wanted`: the roles read from its announcement, each with its own count."""
    session.add(gathering)
    session.flush()
    roles.create(session, gathering, wanted)
    if organiser_going:
        pledges.join(session, gathering, gathering.organiser_id, network, 0, now)
    rooms = rooms_of_community(session, room.community) or [room]
    if room not in rooms:
        rooms.append(room)
    for each in rooms:
        announce(session, gathering, each, now)
    organiser = pledges.pledge_of(session, gathering.id, gathering.organiser_id)
    if organiser is not None:
        reminders.schedule(session, settings, gathering, organiser, now)
    calls.schedule(session, settings, gathering, now)
    impact_ask.schedule(session, gathering, network, now)
    if organiser_link:
        organiser_links.send(session, settings, gathering, gathering.organiser_id, network, now)
    return rooms


def unused_code(session: Session, length: int = GATHERING_CODE_LENGTH) -> str:
    """A code no gathering and no series has (series codes are one letter longer)."""
    while True:
        candidate = new_code(length)
        taken = session.scalar(select(Gathering.id).where(Gathering.code == candidate))
        if taken is None and length != GATHERING_CODE_LENGTH:
            taken = session.scalar(select(Series.id).where(Series.code == candidate))
        if taken is None:
            return candidate


def announce(session: Session, gathering: Gathering, room: Room, now: datetime) -> None:
    """Make sure `room` has (or gets) a post about `gathering`, showing its current state."""
    announcement = session.scalar(
        select(Announcement).where(
            Announcement.gathering_id == gathering.id, Announcement.room_id == room.id
        )
    )
    if announcement is None:
        announcement = Announcement(gathering_id=gathering.id, room_id=room.id)
        session.add(announcement)
        session.flush()
    outbox.refresh_announcements(session, now, announcement_ids=[announcement.id])


def refresh_all(session: Session, gathering: Gathering, now: datetime) -> None:
    """Queue an edit of every post about the gathering (coalesced with any already pending)."""
    if not counting.is_pending(session, gathering.id):
        outbox.refresh_announcements(session, now, gathering_id=gathering.id)
        return
    # Counted at commit (core/rules/counting.py): the refresh locks a pending row that every
    # join touches, so it is written then too, after the count. Its senders are known now.
    deferred: set[int] = session.info.setdefault("refresh_after_count", set())
    if gathering.id not in deferred:
        deferred.add(gathering.id)
        networks = session.scalars(_ANNOUNCED_ON, {"gathering_id": gathering.id})
        outbox.queued_networks(session).update(networks)
        counting.after_count(
            session,
            gathering.id,
            lambda s: outbox.refresh_announcements(s, now, gathering_id=gathering.id),
        )


def may_manage(ctx: Context, gathering: Gathering) -> bool:
    """The organiser, or an admin of a room in the gathering's community."""
    if gathering.organiser_id == ctx.identity.person_id:
        return True
    return ctx.command.actor_is_admin and ctx.room.community == gathering.community
