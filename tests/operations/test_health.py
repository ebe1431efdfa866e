"""/healthz, /readyz and /metrics over real HTTP, beside a Telegram bot on the fake server."""

from __future__ import annotations

import asyncio
import contextlib

import aiohttp

from adapters import health
from adapters.cli import start_pages
from core.app import Gather
from core.clock import FixedClock
from core.storage.db import Database
from sandbox.fakes.telegram_server import FakeTelegram
from tests.conftest import make_settings
from tests.telegram.harness import announcement, make_gather, running

GATHER = "/gather Beach clean at Portobello beach, Saturday 10am, need 3 people"


async def test_ready_only_while_connected_and_metrics_count_what_happened(
    tg: FakeTelegram, database: Database, unused_tcp_port: int
) -> None:
    alice = tg.create_user("Alice", username="alice")
    group = tg.create_group("Portobello", members=[alice])
    gather = make_gather(tg, database, group)
    listen = f"127.0.0.1:{unused_tcp_port}"
    endpoints = asyncio.create_task(health.serve(gather, listen, ["telegram", "console"]))
    base = f"http://{listen}"
    try:
        async with aiohttp.ClientSession() as http:

            async def get(path: str) -> tuple[int, str]:
                for _ in range(100):  # the server may still be starting
                    with contextlib.suppress(aiohttp.ClientConnectionError):
                        async with http.get(base + path) as response:
                            return response.status, await response.text()
                    await asyncio.sleep(0.02)
                raise AssertionError(f"{path} never answered")

            assert await get("/healthz") == (200, "ok\n")
            status, text = await get("/readyz")
            assert status == 503 and "telegram" in text  # not connected yet

            async with running(tg, gather):
                await tg.wait_for(
                    lambda: (
                        gather.operations.connected(health.process_name(), ["telegram"])
                        == ["telegram"]
                    ),
                    5,
                )
                assert (await get("/readyz"))[0] == 200
                tg.user_sends(group, alice, GATHER)
                await tg.wait_for(lambda: announcement(tg, group), 10)
                # The post is on the fake a moment before its outcome is recorded.
                for _ in range(100):
                    status, metrics = await get("/metrics")
                    if 'outcome="sent"' in metrics:
                        break
                    await asyncio.sleep(0.05)
                assert status == 200
                assert 'gather_commands_total{command="gather",network="telegram"} 1.0' in metrics
                assert 'gather_network_up{network="telegram"} 1.0' in metrics
                assert 'gather_sends_total{network="telegram",outcome="sent"}' in metrics
                assert "gather_outbox_oldest_pending_age_seconds" in metrics
                assert "gather_reminder_lateness_seconds_bucket" in metrics
            status, text = await get("/readyz")  # the bot stopped: no longer ready
            assert status == 503 and "telegram" in text
            assert 'gather_network_up{network="telegram"} 0.0' in (await get("/metrics"))[1]
    finally:
        endpoints.cancel()
        await asyncio.gather(endpoints, return_exceptions=True)


async def test_the_web_pages_server_serves_them_too_when_it_is_for_this_machine(
    database: Database, clock: FixedClock
) -> None:
    for listen, served in (("127.0.0.1", True), ("0.0.0.0", False)):
        settings = make_settings(web={"port": 0, "listen": listen})
        gather = Gather(settings, database, clock)
        pages = await start_pages(gather, ["console"])
        assert pages is not None
        try:
            port = pages.address.rsplit(":", 1)[1]
            async with (
                aiohttp.ClientSession() as http,
                http.get(f"http://127.0.0.1:{port}/healthz") as response,
            ):
                assert (response.status == 200) is served
        finally:
            await pages.stop()
