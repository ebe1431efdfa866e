"""Joining, leaving, and seeing who is coming."""

from __future__ import annotations

import re

from sqlalchemy import or_, select

from core import notices, pledges, reminders, rendering
from core.commands import Context, Reply, problem
from core.gatherings import find_by_code, latest_in_room, refresh_all
from core.messages import MessageBuilder, Span, code, link, strong, user
from core.models import Gathering, Pledge
from core.people import display_names

_GUESTS = re.compile(r"^\+\s*(\d{1,3})$")
LIST_LIMIT = 10


def _target(ctx: Context, words: list[str], verb: str, *, lock: bool = False) -> Gathering | Reply:
    """The gathering a command names by code, or the room's latest open one."""
    codes = [w for w in words if not w.startswith("+")]
    if codes:
        gathering = find_by_code(ctx.session, codes[0], lock=lock)
        if gathering is None:
            return problem(
                f"I don't know a gathering with code {_shown(codes[0])}. Codes are four letters "
                "and digits (never O, 0, I or 1); /list shows what's on."
            )
        return gathering
    latest = latest_in_room(ctx)
    if latest is None:
        return problem(f"Which gathering? Give its code, e.g. /{verb} K7QF. /list shows what's on.")
    if lock:
        locked = pledges.lock_gathering(ctx.session, latest.id)
        assert locked is not None
        return locked
    return latest


def _shown(text: str) -> str:
    """A code as typed, safe and short enough to repeat back."""
    printable = "".join(ch for ch in text if ch.isprintable()).strip(".,!?;:()")
    return printable[:12].upper() or "(empty)"


def _guests(words: list[str]) -> int | Reply | None:
    joined = " ".join(w for w in words if w.startswith("+"))
    if any(w.lstrip("-").isdigit() for w in words[1:]) or (
        len(words) == 1 and words[0].lstrip("-").isdigit() and len(words[0]) < 3
    ):
        return problem("Write guests as +N, e.g. /join K7QF +2")
    if not joined:
        return None
    match = _GUESTS.match(joined)
    if not match:
        return problem("Write guests as +N, e.g. /join K7QF +2")
    guests = int(match.group(1))
    if guests > pledges.MAX_GUESTS:
        return problem(
            f"At most {pledges.MAX_GUESTS} guests per person; ask them to join themselves."
        )
    return guests


def _closed(ctx: Context, gathering: Gathering) -> str | None:
    if gathering.status == "cancelled":
        return f"{gathering.code} was cancelled."
    if gathering.status != "open" or gathering.starts_at <= ctx.now:
        return f"{gathering.code} has already started or finished."
    return None


def join(ctx: Context, *, add_guest: bool = False) -> Reply:
    words = ctx.args.split()
    guests = _guests(words)
    if isinstance(guests, Reply):
        return guests
    gathering = _target(ctx, words, "join", lock=True)
    if isinstance(gathering, Reply):
        return gathering
    closed = _closed(ctx, gathering)
    if closed:
        return problem(closed)
    if add_guest:
        mine = pledges.pledge_of(ctx.session, gathering.id, ctx.identity.person_id)
        # Pressed before joining, "+1" means "me and one friend".
        current = mine.guests if mine and mine.state != "withdrawn" else 0
        guests = min(pledges.MAX_GUESTS, current + 1)
    outcome = pledges.join(
        ctx.session, gathering, ctx.identity.person_id, ctx.identity.network, guests, ctx.now
    )
    if outcome.changed:
        refresh_all(ctx.session, gathering, ctx.now)
        reminders.schedule(ctx.session, ctx.settings, gathering, outcome.pledge, ctx.now)
    if outcome.reached_target:
        notices.tell_pledgers(
            ctx.session, gathering, rendering.its_on(gathering), "its_on", ctx.now
        )
    b = MessageBuilder()
    if outcome.refused:
        b.line(outcome.refused)
    elif outcome.state == "waitlisted":
        b.line(
            strong("It's full, "),
            "so you're on the waitlist for ",
            *rendering.headline(gathering, gathering.language),
            ". I'll tell you if a place comes free.",
        )
    elif not outcome.changed:
        b.line("You're already in for ", *rendering.headline(gathering, gathering.language))
    else:
        party = (
            f" with {outcome.guests} guest{'s' if outcome.guests != 1 else ''}"
            if outcome.guests
            else ""
        )
        b.line(
            strong("You're in"), party, " for ", *rendering.headline(gathering, gathering.language)
        )
        b.line("Add it to your calendar: ", link("calendar", reminders.calendar_link(gathering)))
    # The per-network breakdown is for the announcement; the reply needs only the total.
    b.line("👥 ", rendering.count_line(gathering, {}, 0))
    if outcome.reached_target:
        b.line(strong("✅ That makes it: it's on!"))
    return Reply(b.build(), ok=outcome.refused is None, gathering_code=gathering.code)


def leave(ctx: Context) -> Reply:
    gathering = _target(ctx, ctx.args.split(), "leave", lock=True)
    if isinstance(gathering, Reply):
        return gathering
    outcome = pledges.leave(ctx.session, gathering, ctx.identity.person_id, ctx.now)
    if not outcome.left:
        return Reply(
            MessageBuilder()
            .line(
                "You weren't signed up for ",
                user(gathering.title),
                " (",
                code(gathering.code),
                ").",
            )
            .build(),
            gathering_code=gathering.code,
        )
    reminders.unschedule(ctx.session, gathering.id, ctx.identity.person_id)
    notices.welcome_promoted(ctx.session, ctx.settings, gathering, outcome.promotion, ctx.now)
    refresh_all(ctx.session, gathering, ctx.now)
    b = MessageBuilder().line(
        "You've dropped out of ",
        user(gathering.title),
        " (",
        code(gathering.code),
        "). Changed your mind? ",
        code(f"/join {gathering.code}"),
    )
    return Reply(b.build(), gathering_code=gathering.code)


def upcoming(ctx: Context) -> Reply:
    gatherings = ctx.session.scalars(
        select(Gathering)
        .where(
            Gathering.community == ctx.room.community,
            Gathering.status == "open",
            or_(Gathering.starts_at > ctx.now, Gathering.ends_at > ctx.now),
        )
        .order_by(Gathering.starts_at, Gathering.id)
        .limit(LIST_LIMIT)
    ).all()
    if not gatherings:
        return Reply(
            MessageBuilder()
            .line(
                "Nothing coming up here yet. Start something: ",
                code("/gather Litter pick at the park, Sunday 2pm, need 10 people"),
            )
            .build()
        )
    b = MessageBuilder().line(strong("Coming up:"))
    for gathering in gatherings:
        count = (
            f"{gathering.headcount}"
            + (f"/{gathering.target}" if gathering.target else "")
            + " going"
        )
        b.line("• ", *rendering.headline(gathering, gathering.language), f" · {count}")
    b.line("Join with ", code("/join CODE"))
    return Reply(b.build())


def who(ctx: Context) -> Reply:
    found = _target(ctx, ctx.args.split(), "who")
    if isinstance(found, Reply):
        return found
    gathering = found
    per_network = pledges.breakdown(ctx.session, gathering.id)
    waitlisted = pledges.waitlist_size(ctx.session, gathering.id)
    b = MessageBuilder()
    b.line(*rendering.headline(gathering, gathering.language))
    if gathering.status != "open":
        b.line(strong(gathering.status.upper()))
    b.line("👥 ", rendering.count_line(gathering, per_network, waitlisted))
    going = pledges.active_pledges(ctx.session, gathering.id)
    named = _named(ctx, [p for p in going])
    if named:
        b.line("Coming: ", *_join_names(named))
        hidden = len(going) - len(named)
        if hidden:
            b.line(f"and {hidden} more who keep their names private.")
    if gathering.place:
        b.line("Map: ", rendering.map_link(gathering.place))
    mine = pledges.pledge_of(ctx.session, gathering.id, ctx.identity.person_id)
    if mine is not None and mine.state != "withdrawn":
        b.line(f"You are {'going' if mine.state == 'going' else 'on the waitlist'}.")
    return Reply(b.build(), gathering_code=gathering.code)


def _named(ctx: Context, going: list[Pledge]) -> list[str]:
    from core.models import Person

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
