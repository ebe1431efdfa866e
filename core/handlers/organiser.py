"""`/organiser CODE`: a new private link to the organiser page (the old ones stop working);
`/organiser CODE off`: close every link to it."""

from __future__ import annotations

from core.contract.commands import Context, Reply, problem
from core.contract.messages import MessageBuilder
from core.delivery import organiser_links
from core.handlers.common import find_by_code, may_manage
from core.views.organiser_pages import new_organiser_token, revoke_organiser_tokens
from core.words import i18n


def organiser(ctx: Context) -> Reply:
    words = ctx.args.split()
    lang = ctx.language
    if not words or len(words) > 2 or (len(words) == 2 and words[1].lower() != "off"):
        return problem(i18n.text(lang, "organiser.how"))
    if not ctx.settings.web.enabled:
        return problem(i18n.text(lang, "organiser.no_pages"))
    gathering = find_by_code(ctx.session, words[0])
    if gathering is None or not may_manage(ctx, gathering):
        # The same answer for a code that does not exist and one that is not theirs.
        return problem(i18n.text(lang, "organiser.not_yours"))
    revoke_organiser_tokens(ctx.session, gathering, ctx.now)
    if len(words) == 2:
        closed = i18n.text(lang, "organiser.closed", code=gathering.code)
        return Reply(MessageBuilder().line(closed).build(), private=True)
    token = new_organiser_token(ctx.session, gathering, ctx.now)
    return Reply(organiser_links.message(ctx.settings, gathering, token, lang), private=True)
