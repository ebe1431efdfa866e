"""A Gather with its pages on: the real aiohttp server on a free port, read with aiohttp."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiohttp
import pytest

import adapters.telegram  # noqa: F401  (sets PTB_TIMEDELTA before PTB is imported)
from adapters.web import WebServer
from core.app import Gather
from core.clock import FixedClock
from core.config import Settings
from core.storage.db import Database
from sandbox.fakes.telegram_server import FakeTelegram
from tests.conftest import make_settings
from tests.domain.chat import Chat


def web_settings(language: str = "en", **web: object) -> Settings:
    return make_settings(
        gather={"time_zone": "Europe/London", "languages": [language], "reminders": ["1d"]},
        web={"port": 0, **web},
    )


@dataclass
class Site:
    settings: Settings
    gather: Gather
    chat: Chat
    server: WebServer
    url: str
    http: aiohttp.ClientSession

    async def get(self, path: str) -> tuple[int, str, dict[str, str]]:
        async with self.http.get(self.url + path) as response:
            return response.status, await response.text(), dict(response.headers)


@pytest.fixture
def language() -> str:
    return "en"


@pytest.fixture
async def site(database: Database, clock: FixedClock, language: str) -> AsyncIterator[Site]:
    settings = web_settings(language)
    gather = Gather(settings, database, clock)
    gather.prepare()
    server = WebServer(gather, poll_seconds=0.1)
    url = await server.start()
    async with aiohttp.ClientSession() as http:
        yield Site(settings, gather, Chat(gather), server, url, http)
    await server.stop()


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake
