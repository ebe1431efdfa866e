"""/still CODE yes|no: the answer to "Still coming?", from a button or a Mastodon reply.

"yes" marks the pledge confirmed; "no" gives the place up exactly as /leave does (the
waitlist moves up and is told at once), and when the gathering has a capacity every linked
room hears that a place opened. Answering twice changes nothing and says so; an answer to a
gathering that was cancelled or has started gets a clear word, not an error.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.config import Settings
from core.contract.commands import Context, Reply, problem
from core.contract.messages import code
from core.handlers.attendance import _shown, release
from core.handlers.common import find_by_code
from core.handlers.opening import refresh_all
from core.rules import confirmations, pledges
from core.rules.rooms import community_settings
from core.storage.models import Gathering
from core.storage.statuses import GatheringStatus, PledgeState
from core.words import i18n, still_coming
from core.words.still_coming import Answer


def still(ctx: Context) -> Reply:
    words = ctx.args.split()
    gathering = find_by_code(ctx.session, words[0], lock=True) if words else None
    if words and gathering is None:
        shown = _shown(words[0]) or i18n.text(ctx.language, "reply.empty_code")
        return problem(i18n.text(ctx.language, "reply.unknown_code", code=shown))
    languages = community_settings(ctx.settings, ctx.room.community).languages
    answer = still_coming.answer_in(words[1], languages) if len(words) == 2 else None
    if gathering is None or answer is None:
        return _how(ctx, gathering.code if gathering else "CODE")
    if ctx.command.room.is_private:
        # The question came by DM in the gathering's language: the answer to it keeps it.
        ctx.language = gathering.language
    reply = _stale(ctx, gathering) or _answer(ctx, gathering, answer)
    return Reply(reply.message, reply.ok, gathering_code=gathering.code)


def _answer(ctx: Context, gathering: Gathering, answer: Answer) -> Reply:
    pledge = pledges.pledge_of(ctx.session, gathering.id, ctx.identity.person_id)
    if answer == "no":
        waiting = pledge is not None and pledge.state == PledgeState.WAITLISTED
        if release(ctx, gathering):
            # Off the waitlist, nobody's place came free: say what /leave says.
            return _said(ctx, "leave.dropped_out" if waiting else "still.released", gathering)
        if pledge is not None:
            return _said(ctx, "still.already_released", gathering)
        return _said(ctx, "still.not_going", gathering)
    if pledge is None:
        return _said(ctx, "still.not_going", gathering)
    if pledge.state == PledgeState.WITHDRAWN:
        # "Yes" after "no" (or after /leave): the place is given up; say so, and how to rejoin.
        return _said(ctx, "still.already_released", gathering)
    if pledge.state == PledgeState.WAITLISTED:
        return _said(ctx, "still.waitlisted", gathering)
    if not confirmations.confirm(pledge, ctx.now):
        return _said(ctx, "still.already_confirmed", gathering)
    refresh_all(ctx.session, gathering, ctx.now)  # the posts' "9 confirmed"
    return _said(ctx, "still.confirmed", gathering)


def _stale(ctx: Context, gathering: Gathering) -> Reply | None:
    """An answer that comes too late to matter (an old button, a late reply)."""
    if gathering.status == GatheringStatus.CANCELLED:
        return Reply(still_coming.reply(ctx.language, "still.cancelled", gathering), ok=False)
    if gathering.status != GatheringStatus.OPEN or gathering.joinable_until <= ctx.now:
        return Reply(still_coming.reply(ctx.language, "still.over", gathering), ok=False)
    return None


def _said(ctx: Context, key: str, gathering: Gathering) -> Reply:
    return Reply(still_coming.reply(ctx.language, key, gathering))


def _how(ctx: Context, shown: str) -> Reply:
    yes, no = code(f"/still {shown} yes"), code(f"/still {shown} no")
    return problem(tuple(i18n.spans(ctx.language, "still.how", yes=yes, no=no)))


def answer_to_check(
    session: Session, settings: Settings, network: str, message_id: str, text: str
) -> str | None:
    """`Gather.answer_to_check`: the /still command a reply to a check's post means (without
    an answer when it reads as neither yes nor no); None for a reply to any other post."""
    gathering = confirmations.asked_by(session, network, message_id)
    if gathering is None:
        return None
    languages = community_settings(settings, gathering.community).languages
    answer = still_coming.answer_in(text, (gathering.language, *languages))
    # Neither yes nor no ("thanks!", "maybe"): still a reply to the question, so it gets how
    # to answer it (/still with no answer), not the general help.
    return f"/still {gathering.code} {answer or ''}".strip()
