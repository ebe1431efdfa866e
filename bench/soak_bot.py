"""One bot process of the soak (bench/soak.py): `gather run` for some networks, on the soak's
shared clock, measuring itself.

    python bench/soak_bot.py BOTS_TOML CLOCK_FILE REPORT_JSON NETWORK [NETWORK...]

SIGUSR1 marks the start (RSS; tracemalloc starts, and takes its first snapshot); SIGUSR2 the end, and writes REPORT_JSON
(RSS at both marks, the Python memory traced since the start, the ten lines whose allocations grew most);
SIGTERM stops the bots as `gather run` stops them.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import signal
import sys
import tracemalloc
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("PTB_TIMEDELTA", "true")

from adapters import logs
from adapters.cli import serve, until_terminated
from adapters.runtime import pruning
from bench.soak_clock import SharedClock
from core.config import load

# The soak's hours pass in seconds: the processes ask for their pruning turn every few seconds
# (the turn itself, `[retention] every`, runs on the shared clock as in production).
pruning.ASK_EVERY_SECONDS = 3.0


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class Measures:
    def __init__(self, report: Path) -> None:
        self.report = report
        self.start: tracemalloc.Snapshot | None = None
        self.figures: dict[str, Any] = {"pid": os.getpid()}

    def mark_start(self) -> None:
        tracemalloc.start(1)  # only now: tracing slows every allocation down
        gc.collect()
        self.start = tracemalloc.take_snapshot()
        self.figures["rss_start_kib"] = rss_kib()
        self.figures["traced_start_kib"] = tracemalloc.get_traced_memory()[0] // 1024

    def mark_end(self) -> None:
        gc.collect()
        end = tracemalloc.take_snapshot()
        self.figures["rss_end_kib"] = rss_kib()
        self.figures["traced_end_kib"] = tracemalloc.get_traced_memory()[0] // 1024
        if self.start is not None:
            skip = [tracemalloc.Filter(False, tracemalloc.__file__)]
            growth = end.filter_traces(skip).compare_to(self.start.filter_traces(skip), "lineno")
            self.figures["top_growth"] = [
                {"where": str(stat.traceback[0]), "kib": round(stat.size_diff / 1024, 1),
                 "blocks": stat.count_diff}
                for stat in growth[:10]
            ]  # fmt: skip
        self.report.write_text(json.dumps(self.figures), encoding="utf-8")


async def run(config: Path, clock_file: Path, report: Path, networks: list[str]) -> None:
    measures = Measures(report)
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGUSR1, measures.mark_start)
    loop.add_signal_handler(signal.SIGUSR2, measures.mark_end)
    settings = load(config)
    await until_terminated(
        serve(settings, dict(os.environ), networks, clock=SharedClock(clock_file))
    )


def main() -> None:
    config, clock_file, report, *networks = sys.argv[1:]
    logs.configure("text", verbose=False, secrets=logs.secrets_in(dict(os.environ)))
    asyncio.run(run(Path(config), Path(clock_file), Path(report), networks))


if __name__ == "__main__":
    main()
