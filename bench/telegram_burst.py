"""A burst of button taps in one Telegram group, against the fake Bot API with Telegram's limits.

    .venv/bin/python bench/telegram_burst.py [--users 1000] [--seconds 60] [--url DATABASE_URL]

1,000 people tap "I'm in" on one announcement within a minute. The real adapter (PTB
Application, long polling, outbox worker) runs against sandbox/fakes/telegram_server.py with
flood control on. Prints the API calls made, how long after the last tap the announcement
showed the final count, the most sends to the group in any 60 s, and the 429s produced by the
fake's flood control (the aim: none).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
os.environ.setdefault("PTB_TIMEDELTA", "true")

import adapters.telegram as telegram_adapter
from core.app import Gather
from core.clock import SystemClock
from core.config import parse
from core.storage.db import Database, make_engine, upgrade
from sandbox.fakes.telegram_server import FakeTelegram, RateLimits


async def burst(users: int, seconds: float, url: str) -> dict[str, object]:
    async with FakeTelegram(rate_limits=RateLimits()) as tg:
        organiser = tg.create_user("Organiser")
        people = [tg.create_user(f"P{i}") for i in range(users)]
        group = tg.create_group("Portobello", members=[organiser, *people])
        section = {"base_url": tg.base_url, "base_file_url": tg.base_file_url, "token_env": "T"}
        settings = parse(
            {
                "gather": {"time_zone": "Europe/London", "languages": ["en"]},
                "communities": [{"name": "c", "rooms": [f"telegram:{group.id}"]}],
                "telegram": section,
            },
            base_dir=Path("."),
            environ={"GATHER_DATABASE_URL": url},
        )
        database = Database(make_engine(url))
        gather = Gather(settings, database, SystemClock())
        gather.prepare()
        bot = telegram_adapter.build(gather, section, {"T": tg.token})
        task = asyncio.create_task(bot.run())
        try:
            await asyncio.wait_for(bot.ready.wait(), 10)
            tg.user_sends(group, organiser, "/gather Beach clean, Portobello beach, Saturday 10am")
            post = await tg.wait_for(
                lambda: next((m for m in tg.bot_messages(group) if m.buttons), None), 15
            )
            await asyncio.sleep(3.5)  # let the /gather reply and post settle
            data = next(b["callback_data"] for b in post.buttons if b["callback_data"][0] == "j")
            calls_before = len(tg.requests)
            started = time.monotonic()
            for i, person in enumerate(people):
                due = started + seconds * i / users
                await asyncio.sleep(max(0.0, due - time.monotonic()))
                tg.user_taps(group, person, post.message_id, data)
            last_tap = time.monotonic()
            final = f"{users + 1} going"

            async def when(predicate: Callable[[], bool], what: str) -> float:
                await tg.wait_for(predicate, 120, what)
                return time.monotonic()

            shown, handled = await asyncio.gather(
                when(lambda: final in post.text, "final count shown"),
                when(lambda: len(tg.callback_answers) == users, "all taps answered"),
            )
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            database.dispose()
        requests = tg.requests[calls_before:]
        group_sends = sorted(
            r.time
            for r in tg.requests
            if r.method in ("sendMessage", "editMessageText")
            and str(r.params.get("chat_id")) == str(group.id)
            and r.status == 200
        )
        busiest = max(
            (sum(1 for t in group_sends if start <= t < start + 60) for start in group_sends),
            default=0,
        )
        return {
            "taps": users,
            "tap window (s)": round(last_tap - started, 1),
            "API calls during the burst": len(requests),
            "calls by method": dict(Counter(r.method for r in requests).most_common()),
            "final count shown after last tap (s)": round(shown - last_tap, 2),
            "all taps answered after last tap (s)": round(handled - last_tap, 2),
            "edits of the announcement": len(post.history),
            "most sends to the group in any 60 s": busiest,
            "429s from flood control": tg.rate_limited_count,
            "HTTP statuses": dict(tg.status_counts),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        upgrade(url)
        result = asyncio.run(burst(args.users, args.seconds, url))
    for key, value in result.items():
        print(f"{key:40} {value}")


if __name__ == "__main__":
    main()
