"""The adapters' shared machinery: the retry policy, the settings sections, the ordered stop."""

from __future__ import annotations

import asyncio
import random

import pytest

from adapters.runtime.backoff import Backoff
from adapters.runtime.sections import Key, Section
from adapters.runtime.stopping import Step, stop_in_order


def test_backoff_doubles_up_to_its_cap_within_its_jitter_and_starts_again_after_a_success() -> None:
    backoff = Backoff(first=1.0, cap=10.0, chance=random.Random(7))
    waits = [backoff.next() for _ in range(8)]
    for wait, plain in zip(waits, [1, 2, 4, 8, 10, 10, 10, 10], strict=True):
        assert plain * 0.8 <= wait <= min(10.0, plain * 1.2)
    backoff.reset()
    assert 0.8 <= backoff.next() <= 1.2


def test_backoff_spreads_clients_that_failed_together() -> None:
    firsts = {Backoff(first=10.0, chance=random.Random(seed)).next() for seed in range(20)}
    assert len(firsts) == 20 and max(firsts) - min(firsts) > 1.0


def test_backoff_stays_finite_after_very_many_failures() -> None:
    backoff = Backoff(first=1.0, cap=300.0, failures=10_000)
    assert backoff.next() <= 300.0


SECTION = Section(
    "example",
    {
        "token_env": Key("env", "EXAMPLE_TOKEN"),
        "api": Key("url", required='"https://example.org"', strip_slash=True),
        "seconds": Key("number", 5.0, minimum=1.0),
        "port": Key("integer", 80, minimum=0, maximum=65535),
        "mode": Key("choice", "a", choices=("a", "b")),
        "stream": Key("bool", True),
    },
    default_token_env="EXAMPLE_TOKEN",
)


def test_a_section_lists_every_problem_each_naming_its_key() -> None:
    found = SECTION.problems(
        {"token_env": "no way", "seconds": "soon", "port": 1.5, "mode": "c", "stream": 1, "x": 1},
        {},
    )
    assert len(found) == 7
    for key in ("token_env", "api", "seconds", "port", "mode", "stream", "'x'"):
        assert any(f"[example] {key}" in line or key in line for line in found), key


def test_a_section_fills_in_its_defaults_and_finds_its_secret() -> None:
    values = SECTION.values({"api": "https://example.org/", "seconds": 2})
    assert values == {
        "token_env": "EXAMPLE_TOKEN",
        "api": "https://example.org",
        "seconds": 2.0,
        "port": 80,
        "mode": "a",
        "stream": True,
    }
    assert SECTION.startable({}, {"EXAMPLE_TOKEN": " t "})
    assert not SECTION.startable({"token_env": "OTHER"}, {"EXAMPLE_TOKEN": "t"})
    assert Section("console", {"enabled": Key("bool", False)}).startable({"enabled": True}, {})


async def test_a_stop_runs_every_step_in_order_even_after_one_fails_or_overruns(
    caplog: pytest.LogCaptureFixture,
) -> None:
    done: list[str] = []

    async def record(name: str) -> None:
        done.append(name)

    async def fail() -> None:
        raise RuntimeError("boom")

    await stop_in_order(
        "example",
        [
            Step("first", lambda: record("first")),
            Step("failing", fail),
            Step("overrunning", lambda: asyncio.sleep(10), 0.05),
            Step("closing", lambda: record("closing")),
        ],
    )
    assert done == ["first", "closing"]
    assert "failing failed" in caplog.text and "overrunning took more than" in caplog.text
