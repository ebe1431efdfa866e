"""`gather demo`: one gathering on Telegram, Discord and Mastodon, watched from the terminal.

The three networks are the fake servers of `sandbox.fakes`, started in this process on
127.0.0.1; the bots are the real adapters (python-telegram-bot, discord.py, Mastodon.py),
started by the same composition root as `gather run` from a bots.toml that points them at
the fakes. The database is a temporary SQLite file, and the clock (sandbox.demo.clock) runs
at real speed from this morning until the script jumps it forward to when the reminders fall
due. Nothing leaves the machine; no tokens.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import sys
import tempfile
from pathlib import Path
from typing import TextIO

DONE = "The demo is over: that was the real Gather, on three fake networks."


class DemoCommand:
    """`gather demo`: the `gather` CLI finds it through the "gather.commands" entry point
    (pyproject.toml), so the bot never imports the sandbox."""

    help = "watch one gathering on Telegram, Discord and Mastodon (fake servers, no tokens)"

    def configure(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--fast", action="store_true", help="no pauses between the steps")

    def run(self, arguments: argparse.Namespace) -> int:
        return run_demo(fast=arguments.fast, verbose=arguments.verbose)


command = DemoCommand()


def run_demo(*, fast: bool = False, verbose: bool = False, out: TextIO | None = None) -> int:
    """Run the scripted journey; 0 when everything happened as it should."""
    os.environ.setdefault("PTB_TIMEDELTA", "true")  # before python-telegram-bot is imported
    for name in ("NO_PROXY", "no_proxy"):
        os.environ[name] = ",".join(
            filter(None, [os.environ.get(name, ""), "127.0.0.1", "localhost"])
        )
    stream = out or sys.stdout
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:  # a terminal that cannot show emoji shows "?" instead
        with contextlib.suppress(ValueError, OSError):
            reconfigure(errors="replace")
    logging.basicConfig(
        level=logging.INFO if verbose else logging.CRITICAL,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    from sandbox.demo.script import journey

    with tempfile.TemporaryDirectory(prefix="gather-demo-") as folder:
        try:
            asyncio.run(journey(Path(folder), stream, pause=0.0 if fast else 1.2))
        except TimeoutError as error:
            print(f"\nThe demo got stuck: {error}", file=stream)
            return 1
    print(f"\n{DONE}", file=stream)
    return 0
