"""/list: what's coming up in the room's community, each series once. Plain /list shows the
next ten (fewer if they are long) and says how many more there are; `/list all` shows every one, a page at a time (`/list all 2`), each
page short enough for one chat message on every network."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import or_, select

from core.contract.commands import Context, Reply
from core.contract.messages import MessageBuilder, Span, code, link, strong, user
from core.handlers import series
from core.storage.models import Gathering
from core.storage.statuses import GatheringStatus
from core.words import i18n, rendering

LIST_LIMIT = 10
# A page of /list all stays under Discord's 2,000 characters (the smallest limit a reply in a
# room meets) with room for its title and footer lines; titles and places are capped, so a
# page always holds a few gatherings.
PAGE_CHARACTERS = 1500
PAGE_MOST = 20
ALL_WORDS = ("all",)

Line = tuple[str | Span, ...]
Entry = list[Line]  # a gathering's lines (a date of a series says which series)


def upcoming(ctx: Context) -> Reply:
    words = ctx.args.lower().split()
    everything = bool(words) and (words[0] in ALL_WORDS or words[0].isdigit())
    entries = _entries(ctx)
    if not entries:
        return _nothing(ctx)
    if everything:
        return _all(ctx, entries, max(next((int(w) for w in words if w.isdigit()), 1), 1))
    lang = ctx.language
    b = MessageBuilder().line(strong(i18n.text(lang, "list.title")))
    # At most ten, and fewer when long titles and places would not fit one chat message
    # (then "… and N more" would be cut off with them).
    shown = paged(entries[:LIST_LIMIT])[0]
    for entry in shown:
        for line in entry:
            b.line(*line)
    if len(entries) > len(shown):
        more = len(entries) - len(shown)
        b.line(*i18n.plural_spans(lang, "list.more", more, command=code("/list all")))
        _community_page(ctx, b)
    b.line(*i18n.spans(lang, "list.join_with_command", command=code("/join CODE")))
    return Reply(b.build())


def _all(ctx: Context, entries: list[Entry], number: int) -> Reply:
    lang = ctx.language
    pages = paged(entries)
    if number > len(pages):
        return Reply(
            MessageBuilder()
            .line(*i18n.spans(lang, "list.no_such_page", page=number, command=code("/list all")))
            .build(),
            ok=False,
        )
    title = (
        i18n.text(lang, "list.page_title", page=number, pages=len(pages))
        if len(pages) > 1
        else i18n.text(lang, "list.title")
    )
    b = MessageBuilder().line(strong(title))
    for entry in pages[number - 1]:
        for line in entry:
            b.line(*line)
    if number < len(pages):
        after = sum(len(page) for page in pages[number:])
        command = code(f"/list all {number + 1}")
        b.line(*i18n.plural_spans(lang, "list.next_page", after, command=command))
    if len(pages) > 1:
        _community_page(ctx, b)
    b.line(*i18n.spans(lang, "list.join_with_command", command=code("/join CODE")))
    return Reply(b.build())


def paged(entries: Sequence[Entry]) -> list[list[Entry]]:
    """The entries in pages of at most PAGE_MOST entries and PAGE_CHARACTERS characters (a
    page holds at least one entry, however long)."""
    pages: list[list[Entry]] = [[]]
    size = 0
    for entry in entries:
        length = sum(
            len(part if isinstance(part, str) else part.text) + 1 for line in entry for part in line
        )
        page = pages[-1]
        if page and (len(page) >= PAGE_MOST or size + length > PAGE_CHARACTERS):
            pages.append([])
            size = 0
        pages[-1].append(entry)
        size += length
    return pages


def _entries(ctx: Context) -> list[Entry]:
    """Every coming gathering of the community, soonest first, as the lines /list shows:
    a series once (its soonest date, and which series it is), then the series with no date
    announced yet."""
    lang = ctx.language
    gatherings = ctx.session.scalars(
        select(Gathering)
        .where(
            (Gathering.community == ctx.room.community)
            & (Gathering.status == GatheringStatus.OPEN)
            & or_(Gathering.starts_at > ctx.now, Gathering.ends_at > ctx.now)
        )
        .order_by(Gathering.starts_at, Gathering.id)
    ).all()
    listed, quiet = series.listed(ctx, list(gatherings))
    entries: list[Entry] = []
    for gathering in listed:
        entry = [_line(gathering, lang)]
        of = series.series_of(ctx.session, gathering)
        if of is not None:
            part_of = i18n.spans(
                lang, "series.part_of", repeats=user(of.repeats), command=code(f"/join {of.code}")
            )
            entry.append(("  ", *part_of))
        entries.append(entry)
    for each in quiet:
        when = series.next_when(each, each.language)
        line = i18n.spans(
            lang,
            "series.list_line",
            title=user(each.title),
            code=code(each.code),
            repeats=user(each.repeats),
            when=when,
        )
        entries.append([("• ", *line)])
    return entries


def _line(gathering: Gathering, lang: str) -> Line:
    count = (
        i18n.plural(lang, "list.going_of_target", gathering.headcount, target=gathering.target)
        if gathering.target
        else i18n.plural(lang, "list.going_count", gathering.headcount)
    )
    headline = rendering.headline(gathering, gathering.language, words=lang)
    return ("• ", *headline, f" · {count}")


def _community_page(ctx: Context, b: MessageBuilder) -> None:
    """Where the web pages are on, the community's page lists every coming gathering."""
    url = ctx.settings.web.community_url(ctx.room.community)
    if url and ctx.settings.community_named(ctx.room.community) is not None:
        b.line(*i18n.spans(ctx.language, "list.on_page", page=link(url, url)))


def _nothing(ctx: Context) -> Reply:
    example = code(i18n.text(ctx.language, "list.example"))
    return Reply(
        MessageBuilder()
        .line(*i18n.spans(ctx.language, "list.nothing_yet", example=example))
        .build()
    )
