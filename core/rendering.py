"""What the bot says about a gathering, as platform-neutral messages."""

from __future__ import annotations

import urllib.parse
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime

from core.messages import Message, MessageBuilder, Span, code, strong, user
from core.models import Gathering

NETWORK_NAMES = {
    "telegram": "Telegram",
    "discord": "Discord",
    "mastodon": "Mastodon",
    "console": "Console",
}
_BABEL_LOCALES = {"en": "en_GB", "pt": "pt_PT"}


def _locale(language: str) -> str:
    return _BABEL_LOCALES.get(language, language)


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
    start = local(gathering.starts_at, gathering.time_zone)
    locale = _locale(language)
    day = _long_date(start.date(), locale)
    if not gathering.has_time:
        return f"{day} (time to be confirmed)"
    text = f"{day}, {start:%H:%M}"
    if gathering.ends_at is not None:
        end = local(gathering.ends_at, gathering.time_zone)
        if end.date() == start.date():
            text += f"–{end:%H:%M}"
        else:
            text += " – " + format_datetime(end, "EEEE d MMMM, HH:mm", locale=locale)
    return f"{text} {zone_label(start, gathering.time_zone)}"


@lru_cache(maxsize=4096)
def _long_date(day: date, locale: str) -> str:
    # Remembered: Babel takes longer to format a date than a join takes to store.
    return format_date(day, "EEEE d MMMM y", locale=locale)


def map_link(place: str) -> str:
    return "https://www.openstreetmap.org/search?query=" + urllib.parse.quote(place)


def count_line(
    gathering: Gathering,
    per_network: dict[str, int],
    waitlisted: int,
    *,
    from_breakdown: bool = False,
) -> str:
    """'7 going of 20 needed (Discord 2, Mastodon 1, Telegram 4)'.

    `from_breakdown`: the total is the breakdown's sum, read in one statement, so the two can
    never disagree (the gathering row may have been read a moment earlier).
    """
    going = sum(per_network.values()) if from_breakdown else gathering.headcount
    text = f"{going} going"
    if gathering.target:
        text += f" of {gathering.target} needed"
    if gathering.capacity:
        text += f" (max {gathering.capacity})"
    parts = [f"{NETWORK_NAMES.get(n, n)} {c}" for n, c in sorted(per_network.items()) if c]
    if len(parts) > 1:
        text += " (" + ", ".join(parts) + ")"
    if waitlisted:
        text += f", {waitlisted} on the waitlist"
    return text


def announcement(
    gathering: Gathering, per_network: dict[str, int], waitlisted: int, language: str
) -> Message:
    """The public post about a gathering, edited as it changes."""
    b = MessageBuilder()
    if gathering.status == "cancelled":
        b.line(strong("CANCELLED: "), user(gathering.title))
    else:
        b.line("📣 ", Span(gathering.title, "user"))
    b.line("🗓 ", format_when(gathering, language))
    if gathering.place:
        b.line("📍 ", user(gathering.place))
    b.line("👥 ", count_line(gathering, per_network, waitlisted, from_breakdown=True))
    going = sum(per_network.values())
    if gathering.status == "open" and gathering.target and going >= gathering.target:
        b.line(strong("✅ It's on! The target is reached."))
    elif gathering.status == "open" and gathering.target and gathering.reached_target_at:
        # It was on; people dropped out since. Say so rather than keep a stale "it's on".
        b.line(strong(f"⚠️ Short again: {gathering.target - going} more needed."))
    b.line("Code: ", code(gathering.code))
    if gathering.status == "open":
        b.button("join", gathering.code, "I'm in")
        b.button("leave", gathering.code, "Can't make it")
        b.button("guest", gathering.code, "+1 guest")
    return b.build()


def headline(gathering: Gathering, language: str = "en") -> tuple[Span, ...]:
    """'Beach clean (K7QF), Saturday 28 November 2026, 10:00 GMT, at Portobello'."""
    spans = [
        user(gathering.title),
        Span(" ("),
        code(gathering.code),
        Span("), " + format_when(gathering, language)),
    ]
    if gathering.place:
        spans += [Span(", at "), user(gathering.place)]
    return tuple(spans)


def its_on(gathering: Gathering) -> Message:
    b = MessageBuilder()
    b.line(strong("It's on! "), f"{gathering.headcount} people are coming to:")
    b.line(*headline(gathering, gathering.language))
    b.line("See you there. Can't make it after all? Send ", code(f"/leave {gathering.code}"))
    return b.build()


def changed(gathering: Gathering, what: str) -> Message:
    b = MessageBuilder()
    b.line(strong("Changed: "), f"the {what} of a gathering you joined is now:")
    b.line(*headline(gathering, gathering.language))
    b.line("Can't make it now? Send ", code(f"/leave {gathering.code}"))
    return b.build()


def cancelled(gathering: Gathering, reason: str | None) -> Message:
    b = MessageBuilder()
    b.line(strong("Cancelled: "), *headline(gathering, gathering.language))
    if reason:
        b.line("The organiser says: ", user(reason))
    return b.build()


def promoted(gathering: Gathering) -> Message:
    b = MessageBuilder()
    b.line(strong("You're in! "), "A place came free, so you are off the waitlist for:")
    b.line(*headline(gathering, gathering.language))
    b.line("Can't make it? Send ", code(f"/leave {gathering.code}"))
    return b.build()


def in_the_room(people: list[tuple[str, str]], what: str, message: Message) -> Message:
    """`message` posted in a room for people the bot cannot DM: (name, "network:id") each is
    mentioned, told why, and how to get messages privately next time."""
    b = MessageBuilder()
    mentions: list[str | Span] = []
    for index, (name, target) in enumerate(people):
        mentions += [", "] if index else []
        mentions.append(Span(name or "you", "mention", target))
    b.line(*mentions, f", {what} (I couldn't message you directly):")
    for paragraph in message.paragraphs:
        b.line(*paragraph)
    b.line("To get messages privately, open a chat with me and send /start.")
    return b.build()
