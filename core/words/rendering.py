"""What the bot says about a gathering, as platform-neutral messages."""

from __future__ import annotations

import urllib.parse
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime

from core.contract.messages import Message, MessageBuilder, Span, code, link, strong, user
from core.parsing import slug
from core.rules import roles
from core.rules.roles import RoleCount
from core.rules.whole_days import days_of
from core.storage.models import Gathering
from core.storage.statuses import GatheringStatus
from core.words import i18n, roles_shown
from core.words.i18n import babel_locale

NETWORK_NAMES = {
    "telegram": "Telegram",
    "discord": "Discord",
    "mastodon": "Mastodon",
    "console": "Console",
}


def language_of(gathering: Gathering) -> str:
    """The language of the DMs about a gathering: the one its announcement was written in.

    That is one of its community's languages (the parser tries those first), it is stored
    with the gathering so every notice and reminder agrees, and it is what the dates in these
    DMs were already shown in. Posts in a room use the room's community's main language.
    """
    return gathering.language


def local(instant: datetime, zone: str) -> datetime:
    return instant.astimezone(ZoneInfo(zone))


def zone_label(moment: datetime, zone: str) -> str:
    """A short zone name people recognise (GMT, CET); the IANA name where there is none."""
    abbreviation = moment.tzname() or ""
    if not abbreviation or abbreviation[0] in "+-":
        return zone
    return abbreviation


def format_when(gathering: Gathering, language: str = "en") -> str:
    """'Saturday 28 November 2026, 10:00–12:00 GMT', in the gathering's zone and given language."""
    return when_words(
        gathering.starts_at,
        gathering.ends_at,
        gathering.time_zone,
        gathering.has_time,
        language,
        all_day=gathering.all_day,
    )


def when_words(
    starts_at: datetime,
    ends_at: datetime | None,
    zone: str,
    has_time: bool,
    language: str,
    *,
    all_day: bool = False,
) -> str:
    """`format_when` from plain values (`all_day`: whole days, from the first day's midnight
    to the midnight after the last)."""
    start = local(starts_at, zone)
    locale = babel_locale(language)
    day = _long_date(start.date(), locale)
    if all_day:
        first, last = days_of(starts_at, ends_at, zone)
        if last == first:
            return i18n.text(language, "when.all_day", day=day)
        return i18n.text(language, "when.all_days", first=day, last=_long_date(last, locale))
    if not has_time:
        return i18n.text(language, "when.time_tbc", day=day)
    text = f"{day}, {start:%H:%M}"
    if ends_at is not None:
        end = local(ends_at, zone)
        if end.date() == start.date():
            text += f"–{end:%H:%M}"
        else:
            text += " – " + format_datetime(end, "EEEE d MMMM, HH:mm", locale=locale)
    return f"{text} {zone_label(start, zone)}"


def month_name(day: date, language: str) -> str:
    """'February', 'Februar', 'février': the month of `day` standing alone, in `language`."""
    return format_date(day, "LLLL", locale=babel_locale(language))


def short_when(starts_at: datetime, zone: str, has_time: bool, language: str) -> str:
    """'Sat 5 Dec, 07:00' (or 'Sat 5 Dec' for a day): a reading on a button, in `language`."""
    start = local(starts_at, zone)
    day = format_date(start.date(), "EEE d MMM", locale=babel_locale(language))
    return f"{day}, {start:%H:%M}" if has_time else day


@lru_cache(maxsize=4096)
def _long_date(day: date, locale: str) -> str:
    # Remembered: Babel takes longer to format a date than a join takes to store. Each
    # language writes a date its own way ("Sonntag, 22. November 2026", "domingo, 22 de
    # noviembre de 2026"); English keeps the form Gather has always shown.
    pattern = "EEEE d MMMM y" if locale.startswith("en") else "full"
    return format_date(day, pattern, locale=locale)


def time_left(gathering: Gathering, now: datetime, language: str = "en") -> str:
    """'in 1 hour 40 minutes', 'tomorrow at 10:00', from the real time left; a whole-day
    gathering is 'today', 'tomorrow' or 'on Saturday 12 December 2026 (all day)'."""
    left = gathering.starts_at - now
    start = local(gathering.starts_at, gathering.time_zone)
    today = local(now, gathering.time_zone).date()
    if gathering.all_day:
        first, last = days_of(gathering.starts_at, gathering.ends_at, gathering.time_zone)
        if first <= today <= last:
            return i18n.text(language, "left.all_day_today")
        if (first - today).days == 1:
            return i18n.text(language, "left.all_day_tomorrow")
        return i18n.text(language, "left.on", when=format_when(gathering, language))
    if left < timedelta(hours=6):
        hours, minutes = divmod(int(left.total_seconds() // 60), 60)
        parts = ([i18n.plural(language, "left.hours", hours)] if hours else []) + (
            [i18n.plural(language, "left.minutes", minutes)] if minutes or not hours else []
        )
        if len(parts) == 2:
            parts = [i18n.text(language, "left.hours_minutes", hours=parts[0], minutes=parts[1])]
        return i18n.text(language, "left.in", time=parts[0])
    if start.date() == today:
        return i18n.text(language, "left.today", time=f"{start:%H:%M}")
    if (start.date() - today).days == 1:
        return i18n.text(language, "left.tomorrow", time=f"{start:%H:%M}")
    return i18n.text(language, "left.on", when=format_when(gathering, language))


def map_link(place: str) -> str:
    return "https://www.openstreetmap.org/search?query=" + urllib.parse.quote(place)


def count_line(
    gathering: Gathering,
    per_network: dict[str, int],
    waitlisted: int,
    *,
    from_breakdown: bool = False,
    language: str = "en",
) -> str:
    """'7 going of 20 needed (Discord 2, Mastodon 1, Telegram 4)'.

    `from_breakdown`: the total is the breakdown's sum, read in one statement, so the two can
    never disagree (the gathering row may have been read a moment earlier). `language`: the
    post's, the DM's, or the reply's (English by default).
    """
    going = sum(per_network.values()) if from_breakdown else gathering.headcount
    return count_words(
        going, gathering.target, gathering.capacity, per_network, waitlisted, language
    )


def count_words(
    going: int,
    target: int | None,
    capacity: int | None,
    per_network: dict[str, int],
    waitlisted: int,
    language: str,
) -> str:
    """`count_line` from plain numbers (the web page's live count)."""
    text = going_count(going, target, language)
    if capacity:
        text = i18n.text(language, "count.with_max", counted=text, n=capacity)
    parts = [f"{NETWORK_NAMES.get(n, n)} {c}" for n, c in sorted(per_network.items()) if c]
    if len(parts) > 1:
        text += " (" + ", ".join(parts) + ")"
    if waitlisted:
        text = i18n.plural(language, "count.with_waitlist", waitlisted, counted=text)
    return text


def with_confirmed(count: str, confirmed: int | None, language: str) -> str:
    """'12 going, 9 confirmed' once the "Still coming?" check was asked of anyone."""
    if confirmed is None:
        return count
    return i18n.plural(language, "count.confirmed", confirmed, counted=count)


def going_count(going: int, target: int | None, language: str) -> str:
    """'7 going', or '7 going of 20 needed' when there is a target."""
    text = i18n.plural(language, "count.going", going)
    if target:
        text = i18n.plural(language, "count.going_of_needed", target, going=text)
    return text


def announcement(
    gathering: Gathering,
    per_network: dict[str, int],
    waitlisted: int,
    language: str,
    *,
    page: str | None = None,
    role_counts: Sequence[RoleCount] = (),
    series: tuple[str, str] | None = None,
    confirmed: int | None = None,
) -> Message:
    """The public post about a gathering, edited as it changes, in `language` (the room's),
    with a link to its web `page` when there is one, and the count of each of its roles. An
    occurrence of a series says how it repeats and how to join them all (`series`: the rule
    as written, the series' code); once "Still coming?" was asked of anyone, the count says
    how many said yes (`confirmed`)."""
    b = MessageBuilder()
    if gathering.status == GatheringStatus.CANCELLED:
        b.line(*i18n.spans(language, "announcement.cancelled_title", title=user(gathering.title)))
    else:
        b.line("📣 ", Span(gathering.title, "user"))
    b.line("🗓 ", format_when(gathering, language))
    if gathering.place:
        b.line("📍 ", user(gathering.place))
    count = count_line(gathering, per_network, waitlisted, from_breakdown=True, language=language)
    b.line("👥 ", with_confirmed(count, confirmed, language))
    going = sum(per_network.values())
    if role_counts:
        b.line("🧩 ", *roles_shown.count_parts(role_counts))
    # With roles, it is on when every role has its people, not when the total is reached.
    short = [c for c in role_counts if c.missing]
    if (
        gathering.status == GatheringStatus.OPEN
        and gathering.target
        and going >= gathering.target
        and not short
    ):
        b.line(strong(i18n.text(language, "announcement.on")))
    elif short and gathering.status == GatheringStatus.OPEN:
        b.line(*roles_shown.still_needed(language, role_counts))
    elif (
        gathering.status == GatheringStatus.OPEN
        and gathering.target
        and gathering.reached_target_at
    ):
        # It was on; people dropped out since. Say so rather than keep a stale "it's on".
        missing = gathering.target - going
        b.line(strong(i18n.plural(language, "announcement.short_again", missing)))
    b.line(*i18n.spans(language, "announcement.code_line", code=code(gathering.code)))
    if series is not None and gathering.status == GatheringStatus.OPEN:
        repeats, series_code = series
        b.line(*i18n.spans(language, "series.part_of", repeats=user(repeats),
                           command=code(f"/join {series_code}")))
    if page:
        b.line("🔗 ", link(i18n.text(language, "announcement.page"), page))
    if gathering.status == GatheringStatus.OPEN:
        # Only the labels are translated: the button's action and code make its custom id.
        if not role_counts:
            b.button("join", gathering.code, i18n.text(language, "button.join"))
        for counted in role_counts:  # one per role: "/join K7QF drivers" when pressed
            label = i18n.text(language, "button.join_role", task=roles.label(counted.role))
            b.button("join", gathering.code, label[:80], slug(counted.role.name))
        b.button("leave", gathering.code, i18n.text(language, "button.leave"))
        b.button("guest", gathering.code, i18n.text(language, "button.guest"))
    return b.build()


Phrase = tuple[str | Span, ...]  # a part of a line, given whole to a template's placeholder


def headline(gathering: Gathering, language: str = "en", *, words: str = "en") -> Phrase:
    """'Beach clean (K7QF), Saturday 28 November 2026, 10:00 GMT, at Portobello'.

    `language` is the date's; `words` the language of the words around it. They can differ in
    replies to commands, which speak the room's language but show the date in the gathering's.
    """
    values = {
        "title": user(gathering.title),
        "code": code(gathering.code),
        "when": format_when(gathering, language),
    }
    if gathering.place:
        return tuple(
            i18n.spans(words, "headline.with_place", place=user(gathering.place), **values)
        )
    return tuple(i18n.spans(words, "headline", **values))


def send_leave(language: str, key: str, gathering: Gathering) -> Phrase:
    """A DM's last line, which ends with the command to drop out."""
    return tuple(i18n.spans(language, key, command=code(f"/leave {gathering.code}")))
