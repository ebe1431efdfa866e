from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

import adapters.telegram  # noqa: F401  (sets PTB_TIMEDELTA before PTB is imported)
from adapters.demo.world import FakeWorld, fake_world


@pytest.fixture(autouse=True)
def _local_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
async def world() -> AsyncIterator[FakeWorld]:
    async with fake_world() as fakes:
        yield fakes
