"""The live count over server-sent events, and the page address on the console."""

from __future__ import annotations

import asyncio
import json

from adapters.console.network import ConsoleNetwork
from core.app import Gather
from core.clock import FixedClock
from core.storage.db import Database, make_engine
from tests.domain.chat import Chat
from tests.web.conftest import Site
from tests.web.test_pages import start


async def next_event(site: Site, path: str, *, after: object) -> dict[str, object]:
    """Open the live stream, take the count as it is (sent to every page that opens the
    stream), run `after`, and return the next event's data."""
    async with site.http.get(site.url + path) as response:
        assert response.headers["Content-Type"] == "text/event-stream"
        assert (await response.content.readline()).startswith(b"retry:")
        async with asyncio.timeout(2):
            first = b""
            while not first.startswith(b"data: "):
                first = await response.content.readline()
        assert json.loads(first.removeprefix(b"data: "))["going"] == 1
        await asyncio.to_thread(after)  # type: ignore[arg-type]
        async with asyncio.timeout(2):
            async for line in response.content:
                if line.startswith(b"data: "):
                    return dict(json.loads(line.removeprefix(b"data: ")))
    raise AssertionError("the stream ended")


async def test_a_join_in_another_process_reaches_an_open_page(
    site: Site, database: Database, clock: FixedClock
) -> None:
    code = start(site)
    # Another `gather run` on the same database: its own engine, its own core.
    other_database = Database(
        make_engine(database.engine.url.render_as_string(hide_password=False))
    )
    other = Gather(site.settings, other_database, clock)
    try:
        data = await next_event(
            site, f"/g/{code}/live", after=lambda: Chat(other).say("bob", f"/join {code}")
        )
    finally:
        other_database.dispose()
    assert data["going"] == 2 and data["count"] == "2 going of 3 needed"
    assert data["networks"] == [["Console", 2]] and data["status"] == "open"


async def test_the_live_stream_of_an_unknown_code_is_a_404(site: Site) -> None:
    status, _, _ = await site.get("/g/K7QF/live")
    assert status == 404


async def test_the_console_prints_the_page_address(site: Site) -> None:
    printed: list[str] = []
    console = ConsoleNetwork(site.gather, out=printed.append)
    await console.say("/gather Beach clean at Portobello beach, Saturday 10am, need 3 people")
    assert any(f"<{site.url}/g/" in line for line in printed), printed
