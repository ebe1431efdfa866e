"""The notices a gathering's people get by DM (it's on, changed, cancelled, off the waitlist),
and the room post that carries one to people the bot cannot DM. Split from rendering.py."""

from __future__ import annotations

from typing import Literal

from core.contract.messages import Message, MessageBuilder, Span, user
from core.storage.models import Gathering
from core.words import i18n
from core.words.rendering import headline, language_of, send_leave

# Why a gathering's DM went to its room instead (see `in_the_room`).
InRoom = Literal["news", "message", "reminder"]


def its_on(gathering: Gathering, language: str | None = None) -> Message:
    """The DM that a gathering reached its target (in `language_of` it unless told)."""
    language = language or language_of(gathering)
    b = MessageBuilder()
    b.line(*i18n.plural_spans(language, "its_on.people_coming", gathering.headcount))
    b.line(*headline(gathering, language, words=language))
    b.line(*send_leave(language, "its_on.send_leave", gathering))
    return b.build()


# What changed, as core/handlers/editing.py names it, to the catalogue's whole sentence for it
# (so each language can say "the time ... is" / "place and time ... are" its own way).
Changed = Literal["time", "place", "place and time"]
_CHANGED: dict[Changed, str] = {
    "time": "changed.time_now",
    "place": "changed.place_now",
    "place and time": "changed.place_and_time_now",
}


def changed(gathering: Gathering, what: Changed, language: str | None = None) -> Message:
    """The DM that the time and/or place of a gathering changed."""
    language = language or language_of(gathering)
    b = MessageBuilder()
    b.line(*i18n.spans(language, _CHANGED[what]))
    b.line(*headline(gathering, language, words=language))
    b.line(*send_leave(language, "changed.send_leave", gathering))
    return b.build()


def cancelled(gathering: Gathering, reason: str | None, language: str | None = None) -> Message:
    """The DM that a gathering is cancelled, with the organiser's reason as they wrote it."""
    language = language or language_of(gathering)
    b = MessageBuilder()
    b.line(
        *i18n.spans(
            language, "cancelled.headline", gathering=headline(gathering, language, words=language)
        )
    )
    if reason:
        b.line(*i18n.spans(language, "cancelled.organiser_says", reason=user(reason)))
    return b.build()


def promoted(gathering: Gathering, language: str | None = None) -> Message:
    """The DM that a place came free for someone on the waitlist."""
    language = language or language_of(gathering)
    b = MessageBuilder()
    b.line(*i18n.spans(language, "promoted.off_waitlist"))
    b.line(*headline(gathering, language, words=language))
    b.line(*send_leave(language, "promoted.send_leave", gathering))
    return b.build()


def in_the_room(
    people: list[tuple[str, str]], what: InRoom, message: Message, language: str = "en"
) -> Message:
    """`message` posted in a room for people the bot cannot DM: (name, "network:id") each is
    mentioned, told why, and how to get messages privately next time. `language` is the
    message's own, so the wrapper and what it wraps read as one."""
    b = MessageBuilder()
    mentions: list[str | Span] = []
    for index, (name, target) in enumerate(people):
        mentions += [", "] if index else []
        mentions.append(Span(name or i18n.text(language, "room.you"), "mention", target))
    b.line(*i18n.spans(language, f"room.{what}_for", people=tuple(mentions)))
    for paragraph in message.paragraphs:
        b.line(*paragraph)
    b.line(i18n.text(language, "room.start"))
    return b.build()
