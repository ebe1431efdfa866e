"""Receiver leases (core/operations/receivers.py): one process receives for a bot; another
waits, and takes over when the holder stops cleanly or goes silent. SQLite and PostgreSQL."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from datetime import timedelta

from adapters.runtime.receiving import gone
from adapters.runtime.recent import Recent
from core.app import Gather
from core.clock import FixedClock
from core.operations.receivers import STALE_AFTER

BOT = "0123456789abcdef"


def test_the_second_process_waits_while_the_first_renews(gather: Gather, clock: FixedClock) -> None:
    ops = gather.operations
    assert ops.hold_receiver("telegram", BOT, "host-a:1").mine
    waiting = ops.hold_receiver("telegram", BOT, "host-b:2")
    assert not waiting.mine and waiting.holder == "host-a:1"
    for _ in range(10):  # five minutes of renewals: never stale
        clock.advance(timedelta(seconds=30))
        assert ops.hold_receiver("telegram", BOT, "host-a:1").mine
        assert not ops.hold_receiver("telegram", BOT, "host-b:2").mine
    # Another bot of the same network, and the same bot key on another network, are apart.
    assert ops.hold_receiver("telegram", "another-bot", "host-b:2").mine
    assert ops.hold_receiver("discord", BOT, "host-b:2").mine


def test_a_silent_holder_is_taken_over_and_learns_it(gather: Gather, clock: FixedClock) -> None:
    ops = gather.operations
    assert ops.hold_receiver("discord", BOT, "host-a:1").mine
    clock.advance(STALE_AFTER - timedelta(seconds=1))
    assert not ops.hold_receiver("discord", BOT, "host-b:2").mine
    clock.advance(timedelta(seconds=2))  # host-a died (or lost the database) 90 s ago
    assert ops.hold_receiver("discord", BOT, "host-b:2").mine
    back = ops.hold_receiver("discord", BOT, "host-a:1")  # it comes back: it must stop
    assert not back.mine and back.holder == "host-b:2"


def test_a_clean_stop_hands_over_at_once(gather: Gather, clock: FixedClock) -> None:
    ops = gather.operations
    assert ops.hold_receiver("mastodon", BOT, "host-a:1").mine
    ops.release_receiver("mastodon", BOT, "host-b:2")  # not the holder: changes nothing
    assert not ops.hold_receiver("mastodon", BOT, "host-b:2").mine
    ops.release_receiver("mastodon", BOT, "host-a:1")
    assert ops.hold_receiver("mastodon", BOT, "host-b:2").mine


def test_a_holder_known_dead_is_taken_over_at_once(gather: Gather, clock: FixedClock) -> None:
    ops = gather.operations
    assert ops.hold_receiver("telegram", BOT, "host-a:1").mine
    # Only the holder named as dead loses it: a stale word about another changes nothing.
    assert not ops.hold_receiver("telegram", BOT, "host-a:2", take_from="host-a:9").mine
    assert ops.hold_receiver("telegram", BOT, "host-a:2", take_from="host-a:1").mine


def test_a_process_of_this_host_that_no_longer_runs_is_gone() -> None:
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    host = socket.gethostname()
    assert gone(f"{host}:{ended.pid}")
    assert not gone(f"{host}:{os.getpid()}")  # this very process
    assert not gone(f"{host}:{os.getppid()}")  # alive
    assert not gone(f"elsewhere:{ended.pid}")  # another host's processes are not ours to judge


def test_what_an_adapter_learns_as_it_goes_is_bounded() -> None:
    learnt: Recent[str, int] = Recent(most=3)
    for n in range(5):
        learnt[f"status-{n}"] = n
    learnt["status-2"] = 20  # written again: the newest now
    learnt["status-5"] = 5
    assert list(learnt) == ["status-4", "status-2", "status-5"]
