"""The pages in a real browser: Debian's Chromium driven by Playwright, the bot on the fake
Telegram. Skipped where no Chromium is found, unless GATHER_REQUIRE_BROWSER=1 (as in CI)."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Page, async_playwright, expect

from adapters.web import WebServer
from core.app import Gather
from core.clock import SystemClock
from core.storage.db import Database
from sandbox.fakes.telegram_server import FakeTelegram
from tests.conftest import make_settings
from tests.telegram.harness import announcement, button, code_of, running, section
from tests.web.conftest import Site

pytestmark = pytest.mark.slow
HOSTILE_LONG = (
    "Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa <script>alert(1)</script>"
)


def chromium() -> str | None:
    found = os.environ.get("GATHER_CHROMIUM") or shutil.which("chromium")
    found = found or shutil.which("chromium-browser")
    if found is None and os.environ.get("GATHER_REQUIRE_BROWSER") == "1":
        pytest.fail("GATHER_REQUIRE_BROWSER=1 but no Chromium was found (apt-get install chromium)")
    return found


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    path = chromium()
    if path is None:
        pytest.skip("no Chromium found (apt-get install chromium)")
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=path, args=["--no-sandbox"])
        yield launched
        await launched.close()


async def serious_violations(page: Page) -> list[Any]:
    from axe_playwright_python.async_playwright import Axe

    results = await Axe().run(page)
    return [
        (v["id"], v["help"], [n["html"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


async def test_a_join_on_telegram_moves_the_open_page(
    tg: FakeTelegram, database: Database, browser: Browser
) -> None:
    alice, bob = tg.create_user("Alice", username="alice"), tg.create_user("Bob")
    group = tg.create_group("Portobello", members=[alice, bob])
    settings = make_settings(
        communities=[{"name": "c", "rooms": [f"telegram:{group.id}"]}],
        telegram=section(tg),
        web={"port": 0},
    )
    gather = Gather(settings, database, SystemClock())
    gather.prepare()
    pages = WebServer(gather, poll_seconds=0.2)
    url = await pages.start()
    try:
        async with running(tg, gather) as bot:
            tg.user_sends(group, alice, "/gather Beach clean at the pier, Saturday 10am, need 5")
            post = await tg.wait_for(lambda: announcement(tg, group), 10)
            code = code_of(post)
            page = await browser.new_page()
            await page.goto(f"{url}/g/{code}")
            assert (await page.text_content("#count") or "").startswith("1 going")
            deep = await page.get_attribute("a[href^='https://t.me/']", "href")
            assert deep == f"https://t.me/{bot.username}?start=join-{code}"
            await page.evaluate("window.notReloaded = true")
            tg.user_taps(group, bob, post.message_id, button(post, "j:"))
            # Without a reload: the server pushes (bench/web_pages.py times it; here, correctness).
            await expect(page.locator("#count")).to_contain_text("2 going", timeout=10_000)
            assert await page.evaluate("window.notReloaded === true")
            assert await page.get_attribute("#progress", "value") == "2"

            assert await serious_violations(page) == []
            # Following the calendar link hands the browser an event to save or import.
            async with page.expect_download() as saving:
                await page.click("#ics")
            download = await saving.value
            saved = Path(await download.path()).read_text(encoding="utf-8")
            assert f"UID:{code}@gather" in saved and "SUMMARY:Beach clean" in saved
    finally:
        await pages.stop()


async def test_the_pages_fit_a_phone_and_pass_an_accessibility_check(
    site: Site, browser: Browser
) -> None:
    code = site.chat.say("alice", f"/gather {HOSTILE_LONG} at the pier, Saturday 10am, max 8")
    assert code.gathering_code is not None
    site.chat.say("bob", "/settings names on")
    site.chat.say("bob", f"/join {code.gathering_code}")
    organiser = [d for d in site.chat.deliver("console") if d.purpose == "organiser_link"]
    token_link = next(
        s.target for p in organiser[0].message.paragraphs for s in p if s.style == "link"
    )
    # A reader in New York: the page adds the moment in their own zone.
    context = await browser.new_context(
        viewport={"width": 360, "height": 740}, timezone_id="America/New_York"
    )
    page = await context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.message))
    for path in (
        f"/g/{code.gathering_code}",
        "/c/portobello",
        token_link.removeprefix(site.url),
        "/g/NOPE",
    ):
        await page.goto(site.url + path)
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width}px wide at 360"
        assert await serious_violations(page) == [], path
        if path.startswith("/g/") and path != "/g/NOPE":
            yours = await page.text_content("#your-time") or ""
            assert "05:00" in yours and "America/New_York" in yours, yours
    assert dialogs == []  # the hostile title never ran
    await context.close()
