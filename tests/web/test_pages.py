"""The pages as a browser receives them: words, escaping, states, headers, 404s and limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.clock import FixedClock
from core.config_values import SUPPORTED_LANGUAGES
from core.delivery.outbox import Sent
from core.words import i18n
from tests.domain.chat import code_in
from tests.web.conftest import Site

GATHER = "/gather Beach clean at Portobello beach, Saturday 10am, need 3 people"
HOSTILE = '</title><script>alert(1)</script> "><img src=x onerror=alert(2)> javascript:alert(3)'


def start(site: Site, text: str = GATHER, who: str = "alice") -> str:
    return code_in(site.chat.say(who, text))


async def test_the_page_shows_the_gathering_its_count_and_every_way_to_join(site: Site) -> None:
    code = start(site)
    site.chat.say("telegram:bob", f"/join {code}", room="telegram:-100200")
    site.chat.say("carol", f"/join {code} +1")
    status, body, headers = await site.get(f"/g/{code}")
    assert status == 200
    assert "<h1>Beach clean</h1>" in body
    assert "Saturday 21 November 2026, 10:00 GMT" in body
    assert "https://www.openstreetmap.org/search?query=Portobello%20beach" in body
    assert "4 going of 3 needed" in body  # alice, bob, carol and her guest
    assert "<li>Console: 3</li>" in body and "<li>Telegram: 1</li>" in body
    assert '<progress id="progress" max="3" value="3"' in body
    assert "It&#x27;s on!" in body
    assert f'href="/g/{code}.ics"' in body and "calendar.google.com" in body
    assert f"<code>/join {code}</code>" in body
    assert 'property="og:title" content="Beach clean"' in body
    assert 'name="twitter:card"' in body
    # Nobody allowed their name to be shown, so no name and no handle appears.
    assert "Alice" not in body and "alice" not in body.replace("/static", "")
    assert headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"


async def test_names_appear_only_for_people_who_allowed_it(site: Site) -> None:
    code = start(site)
    site.chat.say("bob", "/settings names on")
    site.chat.say("bob", f"/join {code}")
    site.chat.say("carol", f"/join {code}")
    _, body, _ = await site.get(f"/g/{code}")
    assert "<li>Bob</li>" in body
    assert "Carol" not in body and "Alice" not in body


async def test_every_announcement_links_to_its_page(site: Site) -> None:
    code = start(site)
    posts = [d for d in site.chat.deliver("console") if d.kind == "announcement"]
    assert posts
    for post in posts:
        links = [s.target for p in post.message.paragraphs for s in p if s.style == "link"]
        assert links == [f"{site.url}/g/{code}"]


async def test_hostile_text_is_shown_as_text(site: Site) -> None:
    code = start(site, f"/gather {HOSTILE} at <b>the pier</b>, Saturday 10am")
    site.chat.say("bob", "/settings names on")
    site.chat.say("bob", f"/join {code}")
    _, body, _ = await site.get(f"/g/{code}")
    assert "<script>alert" not in body and "<img src=x" not in body and "<b>the pier" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert 'href="javascript' not in body


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
async def test_pages_speak_the_community_language(site: Site, language: str) -> None:
    code = start(site)
    _, body, _ = await site.get(f"/g/{code}")
    assert f'<html lang="{language}">' in body
    for key in ("web.coming", "web.when", "web.calendar"):
        assert i18n.text(language, key).replace("'", "&#x27;") in body
    status, missing, _ = await site.get("/g/ZZZZ")
    assert status == 404 and i18n.text(language, "web.not_found") in missing


async def test_an_unknown_code_and_garbage_get_the_same_plain_404(site: Site) -> None:
    answers = [await site.get(path) for path in ("/g/K7QF", "/g/%3Cscript%3E", "/g/", "/nope")]
    assert {status for status, _, _ in answers} == {404}
    assert len({body for _, body, _ in answers}) == 1
    assert "Traceback" not in answers[0][1]


async def test_cancelled_and_happened_gatherings_say_so(site: Site, clock: FixedClock) -> None:
    # Two different gatherings: the same words twice within minutes give the first one back.
    cancelled = start(site)
    later = start(site, GATHER.replace("Beach clean", "Litter pick"))
    assert later != cancelled
    site.chat.say("alice", f"/cancel {cancelled} rain")
    _, body, _ = await site.get(f"/g/{cancelled}")
    assert i18n.text("en", "web.cancelled") in body and "data-live" not in body
    clock.advance(timedelta(days=2))
    _, body, _ = await site.get(f"/g/{later}")
    assert i18n.text("en", "web.happened") in body and "I&#x27;m in" not in body


async def test_the_community_page_lists_what_is_coming(site: Site) -> None:
    code = start(site)
    status, body, _ = await site.get("/c/portobello")
    assert status == 200 and f'href="/g/{code}"' in body and 'href="/c/portobello.ics"' in body
    assert (await site.get("/c/elsewhere"))[0] == 404


async def test_a_burst_from_one_address_is_refused_quickly(site: Site) -> None:
    statuses = [(await site.get("/g/K7QF"))[0] for _ in range(site.server.limiter.burst + 5)]
    assert statuses[-1] == 429 and 404 in statuses


async def test_the_page_links_to_the_posts_on_discord_and_mastodon(site: Site) -> None:
    code = start(site)
    addresses = {
        "discord": "https://discord.com/channels/1/300/555",
        "mastodon": "https://mastodon.example/@gather/111",
    }
    for network, address in addresses.items():
        for delivery in site.gather.claim(network, "test", 100):
            assert site.gather.begin_send(delivery)
            site.gather.complete(delivery, Sent(f"post-{delivery.id}", url=address))
    _, body, _ = await site.get(f"/g/{code}")
    assert f'href="{addresses["discord"]}">Open the announcement on Discord</a>' in body
    assert f'href="{addresses["mastodon"]}">Boost the post on Mastodon</a>' in body


async def test_the_count_says_how_many_confirmed_once_the_check_was_asked(
    site: Site, clock: FixedClock
) -> None:
    code = start(site, "/gather Beach clean at Portobello beach, Saturday 28 November 2026 10am")
    site.chat.say("bob", f"/join {code}")
    site.chat.deliver_all()
    _, body, _ = await site.get(f"/g/{code}")
    assert "2 going" in body and "confirmed" not in body  # nobody asked yet
    clock.set(datetime(2026, 11, 27, 10, 0, tzinfo=UTC))  # the day before: the check goes out
    site.chat.deliver_all()
    assert site.chat.say("bob", f"/still {code} yes", private=True).ok
    _, body, _ = await site.get(f"/g/{code}")
    assert "2 going, 1 confirmed" in body
