"""/fix: one tap on a reading offered after a doubtful parse moves the gathering to it.

When the fallback reader (dateparser) read an announcement, the organiser's confirmation
carries a button for each other plausible reading (core/parsing/readings.py); a press says
`/fix K7QF 20261205T0700`. It is an edit of the time by another road, with the same rules:
only the organiser (or an admin) may, never on a cancelled or past gathering, and the
change is told, rescheduled and shown exactly as /edit does it (editing.finish_change).

A token is accepted only if it is one of the readings offered for the gathering's text: the
offer is read again from the stored announcement with the clock of its creation (the parser
is pure), so nothing needs storing and a tampered or outdated press is refused in words.
"""

from __future__ import annotations

from core.contract.commands import Context, Reply, problem
from core.contract.messages import MessageBuilder, code
from core.handlers.editing import finish_change, managed_gathering, set_when
from core.parsing import ParseError, parse_gathering
from core.rules.readings import token, when_of_token
from core.rules.rooms import community_settings
from core.rules.whole_days import When
from core.storage.models import Gathering
from core.words import i18n, rendering


def fix(ctx: Context) -> Reply:
    lang = ctx.language
    gathering, argument, refusal = managed_gathering(ctx, "fix")
    if refusal or gathering is None:
        return refusal or problem(i18n.text(lang, "reply.which", verb="fix"))
    if gathering.joinable_until <= ctx.now:
        # a press on an old confirmation: what was read has been and gone
        return problem(i18n.text(lang, "reply.has_started", code=gathering.code))
    wanted = when_of_token(argument, gathering.time_zone)
    if wanted is None or argument not in offered(ctx, gathering):
        edit_line = code(f"/edit {gathering.code} when …")
        return problem(
            tuple(i18n.spans(lang, "fix.not_offered", code=gathering.code, command=edit_line))
        )
    wanted = _keeping_length(gathering, wanted)
    if (wanted.starts_at, wanted.has_time, wanted.all_day) == (
        gathering.starts_at, gathering.has_time, gathering.all_day
    ):
        # A second press, or a press on a reading applied since: said, nothing changed.
        said = MessageBuilder().line(
            *i18n.spans(
                lang,
                "fix.already",
                code=code(gathering.code),
                when=rendering.format_when(gathering, lang),
            )
        )
        return Reply(said.build(), gathering_code=gathering.code)
    # a whole day is still ahead until its end; a time, until it starts
    ahead_until = wanted.ends_at if wanted.all_day and wanted.ends_at else wanted.starts_at
    if ahead_until <= ctx.now:
        return problem(i18n.text(lang, "edit.past"))
    return finish_change(ctx, gathering, set_when(gathering, wanted))


def offered(ctx: Context, gathering: Gathering) -> set[str]:
    """The tokens of the readings offered when the gathering's text was read, read again as
    then: the same text, the same clock, the gathering's community (wherever the press came
    from). Only a reading in the community's own languages offers any (the fallback's)."""
    community = community_settings(ctx.settings, gathering.community)
    try:
        parsed = parse_gathering(
            gathering.original_text,
            now=gathering.created_at,
            tz=community.time_zone,
            languages=list(community.languages),
            next_weekday=community.next_weekday,
        )
    except ParseError:
        return set()
    return {
        token(reading.starts_at, reading.has_time, gathering.time_zone)
        for reading in parsed.alternatives
    }


def _keeping_length(gathering: Gathering, wanted: When) -> When:
    """A timed reading keeps the gathering's length, if it had an end."""
    if not wanted.has_time or not gathering.has_time or gathering.ends_at is None:
        return wanted
    length = gathering.ends_at - gathering.starts_at
    return When(wanted.starts_at, wanted.starts_at + length, True, False)
