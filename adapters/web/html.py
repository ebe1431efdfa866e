"""The pages as HTML. Every word comes from the core's catalogue, every piece of user text
passes through `esc`, and nothing is loaded from anywhere but this server."""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterable
from functools import lru_cache
from html import escape
from zoneinfo import ZoneInfo

from core import (
    GatheringView,
    OrganiserView,
    language_tag,
    map_link,
    network_name,
    page_plural,
    page_words,
)


def esc(text: object) -> str:
    return escape(str(text), quote=True)


def t(language: str, key: str, **values: object) -> str:
    """A catalogue text, escaped (values are escaped before they are put in)."""
    return esc(page_words(language, key, **values))


def document(
    language: str,
    title: str,
    body: str,
    *,
    meta: Iterable[tuple[str, str, str]] = (),
    head: str = "",
    noindex: bool = False,
) -> str:
    """`meta`: (attribute, name, content) for preview cards (og:*, twitter:*)."""
    tags = "".join(f'<meta {a}="{esc(n)}" content="{esc(c)}">' for a, n, c in meta)
    robots = '<meta name="robots" content="noindex, nofollow">' if noindex else ""
    return (
        f'<!doctype html><html lang="{esc(language)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title>{robots}{tags}"
        '<link rel="stylesheet" href="/static/page.css">'
        f"{head}</head><body><main>{body}</main></body></html>"
    )


@lru_cache(maxsize=16)
def not_found(language: str) -> str:
    body = f"<h1>{t(language, 'web.not_found')}</h1><p>{t(language, 'web.not_found_body')}</p>"
    return document(language, page_words(language, "web.not_found"), body)


@lru_cache(maxsize=16)
def too_many(language: str) -> str:
    return document(language, "429", f"<h1>{t(language, 'web.too_many')}</h1>")


def gathering(view: GatheringView, base_url: str, addresses: dict[str, str]) -> str:
    lang = view.language
    page = f"{base_url}/g/{view.code}"
    summary = " · ".join(
        part for part in (view.when_text, view.place or "", view.count_text) if part
    )
    meta = [
        ("property", "og:type", "website"),
        ("property", "og:site_name", "Gather"),
        ("property", "og:title", view.title),
        ("property", "og:description", summary),
        ("property", "og:url", page),
        ("property", "og:locale", language_tag(lang).replace("-", "_")),
        ("name", "twitter:card", "summary"),
        ("name", "twitter:title", view.title),
        ("name", "twitter:description", summary),
        ("name", "description", summary),
    ]
    head = (
        f'<link rel="alternate" type="text/calendar" href="/g/{esc(view.code)}.ics">'
        f'<link rel="canonical" href="{esc(page)}">'
        '<script src="/static/live.js" defer></script>'
    )
    body = (
        _state(view)
        + f"<h1>{esc(view.title)}</h1>"
        + _facts(view)
        + count_section(view, live=view.state == "on")
        + (_join(view, addresses) if view.state == "on" else "")
        + _calendar(view)
        + f"<section><h2>{t(lang, 'web.original')}</h2>"
        f'<blockquote class="original">{esc(view.original_text)}</blockquote>'
        f"<p>{_with_code(lang, 'announcement.code_line', view.code)}</p></section>"
    )
    return document(lang, f"{view.title} · Gather", body, meta=meta, head=head)


def _state(view: GatheringView) -> str:
    if view.state == "cancelled":
        return f'<p class="banner cancelled" role="status">{t(view.language, "web.cancelled")}</p>'
    if view.state == "happened":
        return f'<p class="banner happened" role="status">{t(view.language, "web.happened")}</p>'
    return ""


def _facts(view: GatheringView) -> str:
    lang = view.language
    start = view.starts_at.isoformat()
    rows = [
        (
            t(lang, "web.when"),
            f'<time datetime="{esc(start)}">{esc(view.when_text)}</time>'
            + (
                f'<span id="your-time" class="your-time" hidden data-start="{esc(start)}"'
                f' data-zone="{esc(view.time_zone)}" data-lang="{esc(language_tag(lang))}"'
                f' data-template="{t(lang, "web.your_time", when="{when}")}"></span>'
                if view.has_time
                else ""
            ),
        )
    ]
    if view.length_text:
        rows.append((t(lang, "web.how_long"), esc(view.length_text)))
    if view.place:
        rows.append(
            (
                t(lang, "web.where"),
                f"{esc(view.place)} · "
                f'<a href="{esc(map_link(view.place))}" rel="noopener">{t(lang, "web.map")}</a>',
            )
        )
    return "<dl>" + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows) + "</dl>"


def count_section(view: GatheringView, *, live: bool) -> str:
    lang, count = view.language, view.count
    attributes = (
        f' data-live="/g/{esc(view.code)}/live" data-version="{view.version}"' if live else ""
    )
    networks = "".join(
        f"<li>{esc(network_name(network))}: {n}</li>" for network, n in count.per_network
    )
    progress = ""
    if count.target:
        label = t(lang, "web.progress", going=count.going, target=count.target)
        progress = (
            f'<progress id="progress" max="{count.target}" value="{min(count.going, count.target)}"'
            f' aria-label="{label}">{label}</progress>'
        )
    places = ""
    if count.places_left:
        places = esc(page_plural(lang, "web.places_left", count.places_left))
    elif count.capacity:
        places = t(lang, "web.full")
    on = t(lang, "announcement.on") if count.reached and view.state == "on" else ""
    names = ""
    if view.names:
        names = (
            f'<p>{t(lang, "web.names")}</p><ul class="names">'
            + "".join(f"<li>{esc(name)}</li>" for name in view.names)
            + "</ul>"
        )
    return (
        f'<section id="live"{attributes}><h2>{t(lang, "web.coming")}</h2>'
        f'<p id="count" class="count" aria-live="polite">{esc(view.count_text)}</p>{progress}'
        f'<ul id="networks" class="networks">{networks}</ul>'
        f'<p id="places">{places}</p><p id="on" class="on">{on}</p>{names}</section>'
    )


def _join(view: GatheringView, addresses: dict[str, str]) -> str:
    lang = view.language
    links: list[str] = []
    username = addresses.get("telegram")
    if username and "telegram" in view.networks:
        deep = f"https://t.me/{urllib.parse.quote(username)}?start=join-{view.code}"
        links.append(f'<a class="button" href="{esc(deep)}">{t(lang, "web.join_telegram")}</a>')
    labels = {"discord": "web.join_discord", "mastodon": "web.join_mastodon"}
    for network, url in view.posts:
        if network in labels and url.startswith(("https://", "http://")):
            links.append(f'<a class="button" href="{esc(url)}">{t(lang, labels[network])}</a>')
    how = _with_code(lang, "web.join_command", f"/join {view.code}", placeholder="command")
    series = ""
    if view.series_code and view.series_repeats:
        # One of a series: how it repeats (the organiser's words) and the command for all.
        sentence = esc(page_words(lang, "series.part_of", repeats=view.series_repeats,
                                  command="\0"))
        command = f"<code>/join {esc(view.series_code)}</code>"
        series = f'<p id="series">{sentence.replace(chr(0), command)}</p>'
    items = "".join(f"<li>{link}</li>" for link in links)
    return (
        f'<section><h2>{t(lang, "web.join")}</h2><ul class="join">{items}</ul><p>{how}</p>'
        f"{series}</section>"
    )


def _with_code(language: str, key: str, text: str, *, placeholder: str = "code") -> str:
    """A whole sentence with `text` in it as code: the sentence is escaped, then the code put
    in (escaped on its own) where its placeholder was."""
    sentence = esc(page_words(language, key, **{placeholder: "\0"}))
    return sentence.replace("\0", f"<code>{esc(text)}</code>")


def _calendar(view: GatheringView) -> str:
    lang = view.language
    end = view.ends_or_assumed
    details = f"{view.title} ({view.code})"
    dates = f"{view.starts_at:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}"
    start_text, end_text, all_day = view.starts_at.isoformat(), end.isoformat(), {}
    if view.whole_days is not None:  # whole days are dates, not instants
        first, after = view.whole_days
        dates = f"{first:%Y%m%d}/{after:%Y%m%d}"
        start_text, end_text, all_day = first.isoformat(), after.isoformat(), {"allday": "true"}
    google = "https://calendar.google.com/calendar/render?" + urllib.parse.urlencode(
        {
            "action": "TEMPLATE",
            "text": view.title,
            "dates": dates,
            "location": view.place or "",
            "details": details,
        }
    )
    outlook = "https://outlook.live.com/calendar/0/deeplink/compose?" + urllib.parse.urlencode(
        {
            "path": "/calendar/action/compose",
            "rru": "addevent",
            "subject": view.title,
            "startdt": start_text,
            "enddt": end_text,
            "location": view.place or "",
            "body": details,
            **all_day,
        }
    )
    return (
        f'<section><h2>{t(lang, "web.calendar")}</h2><ul class="calendar">'
        f'<li><a id="ics" href="/g/{esc(view.code)}.ics">{t(lang, "web.calendar_file")}</a></li>'
        f'<li><a href="{esc(google)}" rel="noopener">Google</a></li>'
        f'<li><a href="{esc(outlook)}" rel="noopener">Outlook</a></li></ul></section>'
    )


def community(name: str, language: str, views: list[GatheringView]) -> str:
    items = "".join(
        f'<li><a href="/g/{esc(v.code)}">{esc(v.title)}</a> · {esc(v.when_text)}'
        + (f" · {esc(v.place)}" if v.place else "")
        + f" · {esc(v.count_text)}"
        + (f" <strong>{t(language, 'web.cancelled')}</strong>" if v.state == "cancelled" else "")
        + "</li>"
        for v in views
    )
    listing = (
        f'<ul class="upcoming">{items}</ul>'
        if views
        else f"<p>{t(language, 'web.community_none')}</p>"
    )
    feed = f"/c/{urllib.parse.quote(name)}.ics"
    title = page_words(language, "web.community", community=name)
    body = (
        f"<h1>{esc(title)}</h1>{listing}"
        f'<p><a href="{esc(feed)}">{t(language, "web.community_feed")}</a></p>'
    )
    head = f'<link rel="alternate" type="text/calendar" href="{esc(feed)}">'
    return document(language, title, body, head=head, meta=[("property", "og:title", title)])


def organiser(found: OrganiserView, token: str) -> str:
    view = found.gathering
    lang = view.language
    rows = "".join(
        "<tr>"
        f"<td>{esc(p.name or page_words(lang, 'web.someone', network=network_name(p.network)))}</td>"
        f"<td>{esc(network_name(p.network))}</td><td>{p.guests}</td>"
        f"<td>{t(lang, 'web.going' if p.state == 'going' else 'web.waitlisted')}</td>"
        f'<td><time datetime="{esc(p.since.isoformat())}">{esc(p.since.astimezone(ZoneInfo(view.time_zone)).strftime("%Y-%m-%d %H:%M"))}</time></td>'
        "</tr>"
        for p in found.pledgers
    )
    headers = "".join(
        f'<th scope="col">{t(lang, key)}</th>'
        for key in (
            "web.column_name",
            "web.column_network",
            "web.column_guests",
            "web.column_state",
            "web.column_since",
        )
    )
    table = (
        f"<table><thead><tr>{headers}</tr></thead><tbody>{rows}</tbody></table>"
        if found.pledgers
        else f"<p>{t(lang, 'web.nobody')}</p>"
    )
    body = (
        f'<p class="banner">{t(lang, "web.organiser_private")}</p>'
        + _state(view)
        + f"<h1>{t(lang, 'web.organiser_title', title=view.title)}</h1>"
        + f'<p><a href="/g/{esc(view.code)}">{esc(view.when_text)}</a></p>'
        + count_section(view, live=False)
        + f"<section><h2>{t(lang, 'web.pledgers')}</h2>{table}"
        f'<p><a href="/o/{esc(token)}.csv" download>{t(lang, "web.csv")}</a></p></section>'
    )
    title = page_words(lang, "web.organiser_title", title=view.title)
    return document(lang, title, body, noindex=True)
