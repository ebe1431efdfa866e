from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

import adapters.telegram  # noqa: F401  (sets PTB_TIMEDELTA before PTB is imported)
from sandbox.fakes.telegram_server import FakeTelegram


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake
