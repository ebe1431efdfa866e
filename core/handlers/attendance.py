"""Joining, leaving, and seeing who is coming."""

from __future__ import annotations

import re

from sqlalchemy import select

from core.contract.commands import Context, Reply, problem
from core.contract.messages import MessageBuilder, Span, code, link, strong, user
from core.delivery import notices, openings, reminders
from core.handlers import role_words, unanswered
from core.handlers.common import find_by_code, latest_in_room
from core.handlers.opening import refresh_all
from core.rules import counting, pledges, roles
from core.rules.people import display_names
from core.rules.tally import tally
from core.storage.models import Gathering, Pledge
from core.storage.statuses import GatheringStatus, PledgeState
from core.words import i18n, notice_words, rendering

_GUESTS = re.compile(r"^\+\s*(\d{1,3})$")


def _target(ctx: Context, words: list[str], verb: str, *, lock: bool = False) -> Gathering | Reply:
    """The gathering a command names by code, or the room's latest open one."""
    codes = [w for w in words if not w.startswith("+")]
    if codes:
        gathering = find_by_code(ctx.session, codes[0], lock=lock)
        if gathering is None:
            shown = _shown(codes[0]) or i18n.text(ctx.language, "reply.empty_code")
            return problem(i18n.text(ctx.language, "reply.unknown_code", code=shown))
        return gathering
    recent = latest_in_room(ctx)
    if not recent:
        return problem(i18n.text(ctx.language, "reply.which", verb=verb))
    latest, command = recent[0], code(f"/{verb} {recent[0].code}")
    if latest.status != GatheringStatus.OPEN or latest.joinable_until <= ctx.now:
        # Never an older one instead, silently: say so, and offer the ones still open.
        headline = rendering.headline(latest, latest.language, words=ctx.language)
        b = MessageBuilder().line(
            *i18n.spans(ctx.language, "reply.latest_closed", gathering=headline, command=command)
        )
        for other in recent[1:]:
            if other.status == GatheringStatus.OPEN and other.joinable_until > ctx.now:
                b.line("• ", *rendering.headline(other, other.language, words=ctx.language))
        return Reply(b.build(), ok=False)
    if lock:
        locked = pledges.lock_gathering(ctx.session, latest.id)
        assert locked is not None
        return locked
    return latest


def _shown(text: str) -> str:
    """A code as typed, safe and short enough to repeat back."""
    printable = "".join(ch for ch in text if ch.isprintable()).strip(".,!?;:()")
    return printable[:12].upper()


def _guests(words: list[str], language: str) -> int | Reply | None:
    joined = " ".join(w for w in words if w.startswith("+"))
    if any(w.lstrip("-").isdigit() for w in words[1:]) or (
        len(words) == 1 and words[0].lstrip("-").isdigit() and len(words[0]) < 3
    ):
        return problem(i18n.text(language, "reply.guests_format"))
    if not joined:
        return None
    match = _GUESTS.match(joined)
    if not match:
        return problem(i18n.text(language, "reply.guests_format"))
    guests = int(match.group(1))
    if guests > pledges.MAX_GUESTS:
        return problem(i18n.text(language, "reply.too_many_guests", n=pledges.MAX_GUESTS))
    return guests


def _closed(ctx: Context, gathering: Gathering) -> str | None:
    if gathering.status == GatheringStatus.CANCELLED:
        return i18n.text(ctx.language, "reply.was_cancelled", code=gathering.code)
    if gathering.status != GatheringStatus.OPEN or gathering.joinable_until <= ctx.now:
        return i18n.text(ctx.language, "reply.has_started", code=gathering.code)
    return None


def join(ctx: Context, *, add_guest: bool = False) -> Reply:
    words = role_words.with_latest_code(ctx, ctx.args.split())
    guests = _guests(words, ctx.language)
    if isinstance(guests, Reply):
        return guests
    gathering = _target(ctx, words, "join")
    if isinstance(gathering, Reply):
        return gathering
    if counting.needs_no_lock(gathering):
        counting.count_at_commit(ctx.session, gathering)  # the row is held only at commit
    else:  # a capacity or a target to reach: the count is read and written under the lock
        locked = pledges.lock_gathering(ctx.session, gathering.id)
        assert locked is not None
        gathering = locked
    closed = _closed(ctx, gathering)
    if closed:
        return problem(closed)
    role = role_words.asked_for(ctx, gathering, [w for w in words if not w.startswith("+")])
    if isinstance(role, Reply):
        return role
    if add_guest:
        mine = pledges.pledge_of(ctx.session, gathering.id, ctx.identity.person_id)
        # Pressed before joining, "+1" means "me and one friend".
        current = mine.guests if mine and mine.state != PledgeState.WITHDRAWN else 0
        guests = min(pledges.MAX_GUESTS, current + 1)
    outcome = pledges.join(
        ctx.session,
        gathering,
        ctx.identity.person_id,
        ctx.identity.network,
        guests,
        ctx.now,
        ctx.command.via,
        role,
    )
    if outcome.promotion is not None:  # moved to another role: someone took the old place
        notices.welcome_promoted(ctx.session, ctx.settings, gathering, outcome.promotion, ctx.now)
    if outcome.changed:
        refresh_all(ctx.session, gathering, ctx.now)
        reminders.schedule(ctx.session, ctx.settings, gathering, outcome.pledge, ctx.now)
    if outcome.reached_target:
        notices.tell_pledgers(
            ctx.session, gathering, notice_words.its_on(gathering), "its_on", ctx.now
        )
    lang = ctx.language
    # The date is in the gathering's language, the words around it in the room's.
    headline = rendering.headline(gathering, gathering.language, words=lang)
    b = MessageBuilder()
    if outcome.places_left is not None:
        b.line(i18n.plural(lang, "join.few_places", outcome.places_left, guests=outcome.guests))
    elif outcome.role_full is not None:
        b.line(*i18n.spans(lang, "roles.full_keep", task=user(roles.label(outcome.role_full))))
    elif outcome.state == PledgeState.WAITLISTED:
        b.line(*i18n.spans(lang, "join.waitlisted_for", gathering=headline))
    elif not outcome.changed:
        b.line(*i18n.spans(lang, "join.already_in", gathering=headline))
    else:
        if outcome.guests:
            b.line(
                *i18n.plural_spans(lang, "join.in_with_guests", outcome.guests, gathering=headline)
            )
        else:
            b.line(*i18n.spans(lang, "join.in_for", gathering=headline))
        b.line(*calendar_line(lang, gathering))
    # The per-network breakdown is for the announcement; the reply needs only the total.
    b.line("👥 ", rendering.count_line(gathering, {}, 0, language=lang))
    if gathering.has_roles:
        b.line(*role_words.held(ctx, gathering, outcome.pledge))
    if outcome.reached_target:
        b.line(strong(i18n.text(lang, "join.its_on")))
    refused = outcome.places_left is not None or outcome.role_full is not None
    return Reply(b.build(), ok=not refused, gathering_code=gathering.code)


def calendar_line(language: str, gathering: Gathering) -> list[str | Span]:
    """'Add it to your calendar: calendar', the last word a link that adds it."""
    label = i18n.text(language, "join.calendar_link")
    return i18n.spans(
        language, "join.add_to_calendar", link=link(label, reminders.calendar_link(gathering))
    )


def leave(ctx: Context) -> Reply:
    gathering = _target(ctx, ctx.args.split(), "leave", lock=True)
    if isinstance(gathering, Reply):
        return gathering
    left = release(ctx, gathering)
    named = {"title": user(gathering.title), "code": code(gathering.code)}
    if not left:
        return Reply(
            MessageBuilder()
            .line(*i18n.spans(ctx.language, "leave.not_signed_up_for", **named))
            .build(),
            gathering_code=gathering.code,
        )
    b = MessageBuilder().line(
        *i18n.spans(
            ctx.language, "leave.dropped_out", command=code(f"/join {gathering.code}"), **named
        )
    )
    return Reply(b.build(), gathering_code=gathering.code)


def release(ctx: Context, gathering: Gathering) -> bool:
    """Withdraw the speaker's pledge (the gathering locked): their reminders go, the waitlist
    moves up and is told at once, every post is refreshed, and when a place of a full
    gathering is still free, every room hears it opened (core/delivery/openings.py).
    The same for /leave, its button, an un-boost and "Can't make it now". False: they had no
    live pledge."""
    mine = pledges.pledge_of(ctx.session, gathering.id, ctx.identity.person_id)
    was_going = mine is not None and mine.state == PledgeState.GOING
    # Places "open" only where someone could have been kept out: a gathering that had
    # free places all along gets no "N places have opened" post for the ones it always had.
    was_full = bool(gathering.capacity) and openings.free_places(gathering) <= 0
    outcome = pledges.leave(
        ctx.session, gathering, ctx.identity.person_id, ctx.now, ctx.command.via
    )
    if not outcome.left:
        return False
    reminders.unschedule(ctx.session, gathering.id, ctx.identity.person_id)
    notices.welcome_promoted(ctx.session, ctx.settings, gathering, outcome.promotion, ctx.now)
    refresh_all(ctx.session, gathering, ctx.now)
    if was_going and was_full:
        openings.place_opened(ctx.session, gathering, ctx.now)
    return True


def who(ctx: Context) -> Reply:
    found = _target(ctx, ctx.args.split(), "who")
    if isinstance(found, Reply):
        return found
    gathering = found
    numbers = tally(ctx.session, gathering.id)
    per_network, waitlisted = numbers.per_network, numbers.waitlisted
    lang = ctx.language
    b = MessageBuilder()
    b.line(*rendering.headline(gathering, gathering.language, words=lang))
    if gathering.status == GatheringStatus.CANCELLED:
        b.line(strong(i18n.text(lang, "who.cancelled")))
    elif gathering.status != GatheringStatus.OPEN:
        b.line(strong(gathering.status.upper()))
    count = rendering.count_line(gathering, per_network, waitlisted, language=lang)
    unanswered.count_and_unanswered(ctx, b, gathering, count)
    going = pledges.active_pledges(ctx.session, gathering.id)
    if gathering.has_roles:
        for line in role_words.who_lines(ctx, gathering, going, _named):
            b.line(*line)
        going = []  # named per role above
    named = _named(ctx, [p for p in going])
    if named:
        names, hidden = tuple(_join_names(named)), len(going) - len(named)
        if hidden:
            b.line(*i18n.plural_spans(lang, "who.coming_and_hidden", hidden, names=names))
        else:
            b.line(*i18n.spans(lang, "who.coming_names", names=names))
    if gathering.place:
        b.line(i18n.text(lang, "who.map_link", link=rendering.map_link(gathering.place)))
    mine = pledges.pledge_of(ctx.session, gathering.id, ctx.identity.person_id)
    if mine is not None and mine.state != PledgeState.WITHDRAWN:
        mine_key = "who.you_going" if mine.state == PledgeState.GOING else "who.you_waitlisted"
        b.line(i18n.text(lang, mine_key))
    return Reply(b.build(), gathering_code=gathering.code)


def _named(ctx: Context, going: list[Pledge]) -> list[str]:
    from core.storage.models import Person

    person_ids = [p.person_id for p in going]
    if not person_ids:
        return []
    showing = set(
        ctx.session.scalars(select(Person.id).where(Person.id.in_(person_ids), Person.shows_name))
    )
    names = display_names(ctx.session, [p for p in person_ids if p in showing])
    return [names[p] for p in person_ids if p in names]


def _join_names(names: list[str]) -> list[str | Span]:
    parts: list[str | Span] = []
    for index, name in enumerate(names[:50]):
        if index:
            parts.append(", ")
        parts.append(user(name))
    return parts
