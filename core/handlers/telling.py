"""/tell CODE <message>: a word from the organiser (or a room's admin) to everyone who said yes.

It reaches every pledger who is going or on the waitlist, on whatever network they joined
through: by DM, or, for those who cannot be DMed, by a mention in the gathering's room on
their network (`core.delivery.mentions`: once per gathering per 12 hours, folded with other
news). The organiser learns how many were reached and how, never who or by which handle.
The text is shown as user text (escaped and de-fanged by every network, so markup and
@everyone do nothing), at most MAX_TELL characters, at most TELLS_PER_GATHERING_PER_DAY a day;
a gathering cancelled before the message goes out never sends it (the send-time fence).
"""

from __future__ import annotations

from core.contract.commands import Context, Reply, problem
from core.contract.messages import Message, MessageBuilder, code, user
from core.delivery import fence, notices
from core.handlers.common import clean_text, find_by_code, may_manage, single_line
from core.rules import limits, pledges
from core.storage.models import Gathering
from core.storage.statuses import GatheringStatus, PledgeState
from core.words import i18n, rendering

# Short enough to reach Mastodon people whole (500 characters a post by default) with the
# line above it and "@their_30_character_name@their.instance " (counted whole) before it;
# plenty for "meet at the north gate, bring gloves". The title in that line is shortened to
# HEADER_TITLE for the same reason (the longest header, French, is 52 characters besides the
# title): about 50 + 52 + 40 + 1 + 350 = 493.
MAX_TELL = 350
HEADER_TITLE = 40
MAX_LINES = 12
TOLD = (PledgeState.GOING, PledgeState.WAITLISTED)


def tell(ctx: Context) -> Reply:
    lang = ctx.language
    example = "/tell " + i18n.text(lang, "help.tell_example")
    code_text, *rest = ctx.args.split(None, 1) or [""]
    found = find_by_code(ctx.session, code_text) if code_text else None
    if found is None:
        return problem(i18n.text(lang, "manage.which_example", example=example))
    # Locked: two admins telling at once must not both pass the daily count.
    gathering = pledges.lock_gathering(ctx.session, found.id)
    assert gathering is not None
    refusal = _refusal(ctx, gathering)
    if refusal is not None:
        return refusal
    lines = tidy(rest[0] if rest else "")
    if not lines:
        example = example.replace("K7QF", gathering.code)
        return problem(i18n.text(lang, "tell.what", example=example))
    length = sum(len(line) for line in lines) + len(lines) - 1
    if length > MAX_TELL:
        return problem(i18n.text(lang, "tell.too_long", limit=MAX_TELL, length=length))
    reach = notices.tell_pledgers(
        ctx.session,
        gathering,
        told_message(gathering, lines),
        "told",
        ctx.now,
        skip_person=ctx.identity.person_id,
        states=TOLD,
    )
    if reach.unreached and not reach.told:
        return problem(i18n.plural(lang, "tell.unreached", reach.unreached))
    if not reach.told:  # refused, so nothing is counted against the day's three
        return problem(i18n.text(lang, "tell.nobody", code=gathering.code))
    limits.record(ctx.session, "tell", ctx.identity.person_id, ctx.now, gathering.id)
    b = MessageBuilder().line(
        i18n.plural(lang, "tell.sent", reach.told, dms=reach.by_dm, mentions=reach.in_room)
    )
    if reach.unreached:
        b.line(i18n.plural(lang, "tell.unreached", reach.unreached))
    return Reply(b.build(), gathering_code=gathering.code)


def _refusal(ctx: Context, gathering: Gathering) -> Reply | None:
    lang = ctx.language
    if not may_manage(ctx, gathering):
        return problem(i18n.text(lang, "manage.only_tell", code=gathering.code))
    if gathering.status == GatheringStatus.CANCELLED:
        return problem(i18n.text(lang, "manage.cancelled", code=gathering.code))
    if fence.assumed_end(gathering) <= ctx.now:
        return problem(i18n.text(lang, "tell.ended", code=gathering.code))
    if limits.tells_left(ctx.session, gathering.id, ctx.now) == 0:
        return problem(
            i18n.text(
                lang, "tell.too_many", code=gathering.code, limit=limits.TELLS_PER_GATHERING_PER_DAY
            )
        )
    return None


def tidy(text: str) -> list[str]:
    """The message as lines: control characters gone, spaces squeezed, at most one blank line
    in a row, none at either end, and at most MAX_LINES lines (the rest joined to the last)."""
    lines: list[str] = []
    for raw in clean_text(text).splitlines():
        line = " ".join(raw.split())
        if line or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    if len(lines) > MAX_LINES:
        lines[MAX_LINES - 1 :] = [" ".join(line for line in lines[MAX_LINES - 1 :] if line)]
    return lines


def told_message(gathering: Gathering, lines: list[str]) -> Message:
    """The DM: what it is about and from whom, in the gathering's language, then the text
    exactly as written (user spans: never read as markup or mentions)."""
    language = rendering.language_of(gathering)
    b = MessageBuilder().line(
        *i18n.spans(
            language,
            "tell.header",
            title=user(single_line(gathering.title, HEADER_TITLE)),
            code=code(gathering.code),
        )
    )
    for line in lines:
        b.line(user(line) if line else "")
    return b.build()
