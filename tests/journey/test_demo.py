"""`gather demo` runs the whole journey on the fake networks, narrates it, and exits 0."""

from __future__ import annotations

import re

import pytest

from adapters.cli import main


def test_gather_demo_tells_the_whole_story(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--fast"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()

    def seen(pattern: str) -> list[str]:
        found = [line for line in lines if re.search(pattern, line)]
        assert found, f"no line matching {pattern!r} in:\n{out}"
        return found

    # The organiser's words, and the announcement on each network.
    seen(r"^\[Telegram #Beach cleaners\] Alice: /gather Beach clean")
    for where in (r"Telegram #Beach cleaners", r"Discord #events", r"Mastodon @gather@"):
        seen(rf"^\[{where}[^\]]*\] bot: 📣 Beach clean")
    # What people did, and the one count moving on every network.
    seen(r"^\[Discord #events\] dana pressed \[I'm in\]")
    seen(r"^\[Mastodon .*\] @sam@social\.example boosted")
    seen(r"^\[Telegram #Beach cleaners\] Bob tapped \[I'm in\]")
    for where in ("Telegram #Beach cleaners", "Discord #events", "Mastodon @gather@"):
        seen(rf"^\[{where}[^\]]*\] bot edited the announcement: .*It's on")
        seen(
            rf"^\[{where}[^\]]*\] bot edited the announcement: "
            r"👥 6 going of 5 needed \(Discord 3, Mastodon 1, Telegram 2\)"
        )
    # Linked accounts count once.
    seen(r"\(only lee sees\) bot: \*\*Linked")
    seen(r"\(pop-up for Lee\) You're already in")
    # "It's on", changes, reminders and the cancellation, by DM on each network.
    for news in ("It's on!", "Changed:", "Reminder:", "Cancelled:"):
        seen(rf"^\[Telegram DM → (Alice|Bob)\] bot: {news}")
        seen(rf"^\[Discord DM → (dana|lee)\] bot: \*\*{news}")
        seen(rf"^\[Mastodon DM → @sam\] bot: @sam {news}")
    # Cleo, whose DMs are closed, is reminded in the channel: she alone is pinged.
    seen(r"^\[Discord #events\] bot: @cleo \(pinged\), a reminder")
    assert not [line for line in lines if "Discord DM → cleo" in line]
    seen(r"^\[(Telegram #Beach cleaners|Discord #events|Mastodon .*)\] .*CANCELLED: Beach clean")
    assert lines[-1] == "The demo is over: that was the real Gather, on three fake networks."
