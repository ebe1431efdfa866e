"""The base every fake shares: queued faults, the request record, waiting, and restarts."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import aiohttp
import pytest
from aiohttp import web

from sandbox.fakes.server import FakeServer, Faults


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


def test_a_fault_answers_as_many_times_as_asked_then_is_used_up() -> None:
    faults = Faults[str]()
    faults.add("POST", "busy", times=2, path_regex=r"/messages$")
    assert faults.take("GET", "/channels/1/messages") is None  # another method
    assert faults.take("POST", "/channels/1") is None  # another path
    assert faults.take("POST", "/channels/1/messages") == "busy"
    assert faults.take("POST", "/channels/2/messages") == "busy"
    assert faults.take("POST", "/channels/1/messages") is None


def test_faults_are_used_in_the_order_they_were_queued_and_star_matches_any_method() -> None:
    faults = Faults[str]()
    faults.add("*", "first")
    faults.add("sendMessage", "second")
    assert faults.take("sendMessage") == "first"
    assert faults.take("sendMessage") == "second"
    assert faults.take("getMe") is None


@dataclass
class Hit:
    method: str
    status: int | None = None


class Counter(FakeServer[Hit]):
    """The smallest fake: counts GET / and answers with the count."""

    name = "fake counter"

    def application(self) -> web.Application:
        async def count(request: web.Request) -> web.Response:
            self.requests.append(Hit(request.method, 200))
            self.notify()
            return web.Response(text=str(len(self.requests)))

        app = web.Application()
        app.router.add_get("/", count)
        return app


async def test_a_fake_that_stops_and_starts_again_comes_back_on_the_same_port() -> None:
    async with Counter() as server, aiohttp.ClientSession() as client:
        url = f"http://{server.host}:{server.port}/"
        async with client.get(url) as reply:
            assert await reply.text() == "1"
        port = server.port
        await server.stop()
        with pytest.raises(aiohttp.ClientConnectionError):
            async with client.get(url):
                pass
        await server.start()
        assert server.port == port
        async with client.get(url) as reply:
            assert await reply.text() == "2"  # the state survived the outage


async def test_wait_for_returns_the_predicates_value_once_a_request_makes_it_true() -> None:
    async with Counter() as server, aiohttp.ClientSession() as client:
        waiting = asyncio.create_task(
            server.wait_for(lambda: len(server.requests) >= 2 and server.requests[-1]))
        for _ in range(2):
            async with client.get(f"http://{server.host}:{server.port}/"):
                pass
        assert await waiting == Hit("GET", 200)


async def test_wait_for_names_the_fake_and_its_last_requests_when_it_gives_up() -> None:
    async with Counter() as server:
        server.requests.append(Hit("sendMessage", 429))
        with pytest.raises(TimeoutError, match=r"fake counter: .*\('sendMessage', 429\)"):
            await server.wait_for(lambda: False, timeout=0.05)
