from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

import adapters.telegram  # noqa: F401  (sets PTB_TIMEDELTA before PTB is imported)
from sandbox.demo.world import FakeWorld, fake_world


@pytest.fixture
async def world() -> AsyncIterator[FakeWorld]:
    async with fake_world() as fakes:
        yield fakes
