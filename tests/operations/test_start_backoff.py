"""The start-up backoff is kept in the database: a crash loop logs in only now and then,
whichever process restarts, and a bot that ran for a good while restarts at once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.app import Gather
from core.clock import FixedClock
from core.operations.startups import FIRST, LASTED_SECONDS, QUICK_STARTS
from core.storage.db import Database
from tests.conftest import make_settings


def starts_allowed(gathers: list[Gather], clock: FixedClock, restarts: int, every: float) -> int:
    """Restart `restarts` times, `every` seconds apart, each time in the next process."""
    allowed = 0
    for n in range(restarts):
        if gathers[n % len(gathers)].start_turn("discord", "bot-a") == 0.0:
            allowed += 1
        clock.advance(timedelta(seconds=every))
    return allowed


def test_fifty_restarts_in_an_hour_log_in_at_most_eight_times(
    gather: Gather, database: Database, clock: FixedClock
) -> None:
    # Three "processes" on one database: the backoff is theirs together.
    others = [Gather(make_settings(), database, clock) for _ in range(2)]
    allowed = starts_allowed([gather, *others], clock, restarts=50, every=72)
    assert 2 <= allowed <= 8


def test_a_waiting_start_is_told_how_long_and_books_nothing(
    gather: Gather, clock: FixedClock
) -> None:
    for _ in range(QUICK_STARTS):  # a few quick restarts go at once
        assert gather.start_turn("telegram", "bot-a") == 0.0
    wait = gather.start_turn("telegram", "bot-a")
    assert FIRST.total_seconds() <= wait <= FIRST.total_seconds() * 1.25
    clock.advance(timedelta(seconds=10))
    assert gather.start_turn("telegram", "bot-a") == pytest.approx(
        wait - 10
    )  # asking again moved nothing
    assert gather.start_turn("telegram", "another bot") == 0.0  # each bot its own backoff
    assert gather.start_turn("mastodon", "bot-a") == 0.0  # and each network


def test_a_start_that_lasted_lets_the_next_one_go_soon(gather: Gather, clock: FixedClock) -> None:
    waits = []
    for _ in range(6):  # a crash loop: the waits grow
        if wait := gather.start_turn("telegram", "b"):
            waits.append(wait)
            clock.advance(timedelta(seconds=wait))
            assert gather.start_turn("telegram", "b") == 0.0
    assert waits == sorted(waits) and waits[-1] > 4 * FIRST.total_seconds()
    clock.advance(timedelta(seconds=LASTED_SECONDS))
    gather.start_lasted("telegram", "b")
    clock.advance(timedelta(hours=1))  # past the booked wait: it then crashes once
    for _ in range(QUICK_STARTS):  # restarts at once after a run that lasted
        assert gather.start_turn("telegram", "b") == 0.0
    assert gather.start_turn("telegram", "b") <= FIRST.total_seconds() * 1.25  # then a wait


def test_a_deferred_start_waits_for_the_platform(gather: Gather, clock: FixedClock) -> None:
    gather.defer_start("discord", "b", 3600)
    assert gather.start_turn("discord", "b") == 3600
    clock.advance(timedelta(seconds=3600))
    assert gather.start_turn("discord", "b") == 0.0
