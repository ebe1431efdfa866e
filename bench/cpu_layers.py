"""Where a flash-mob join's milliseconds go, layer by layer: our code, SQLAlchemy, the driver
(psycopg), the rest of Python, PostgreSQL's backends, and the wait for the gathering's row.

    .venv/bin/python bench/cpu_layers.py --url postgresql+psycopg://... [--pledges 100000]
        [--joins 6000] [--rate 200]

Runs bench/flash_mob.py under py-spy (`pip install -e '.[bench]'`), which samples `--rate`
times a second, in each of the mob's processes, the thread that holds the GIL: that thread is
the one spending our CPU. Only samples inside a mob join count (not the fill, nor the joins
timed one at a time). A sample is put in the layer of the file its innermost Python frame is
in; time in a C extension shows under the Python function that called it (psycopg's C parts
under psycopg, SQLAlchemy's compiled parts under SQLAlchemy). Our processes' CPU per join
(measured by flash_mob.py with `time.process_time`) is shared out in proportion to samples;
the server's CPU and the locking statements' wall time come from flash_mob.py's JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The frame every sample of a mob join has (bench/flash_mob.py: mob's inner join).
IN_A_JOIN = "mob.<locals>.join"
LIBRARIES = {
    "sqlalchemy": "SQLAlchemy",
    "psycopg": "psycopg (driver)",
    "psycopg_c": "psycopg (driver)",
    "psycopg_binary": "psycopg (driver)",
    "psycopg_pool": "psycopg (driver)",
}
# Our code, by the package that does the work.
OURS = ("core/parsing", "core/words", "core/handlers", "core/rules", "core/storage")


def frame_file(frame: str) -> str:
    """`function (path/to/file.py:12)` -> `path/to/file.py`, with / separators."""
    inside = frame.rpartition(" (")[2].rstrip(")")
    return inside.rpartition(":")[0].replace(os.sep, "/")


def layer_of(path: str) -> str:
    parts = path.split("/")
    for name, layer in LIBRARIES.items():
        if name in parts:
            return layer
    for package in ("core", "adapters"):
        if package in parts:
            inner = "/".join(parts[parts.index(package) :])
            return next(
                (f"ours: {p}" for p in OURS if inner.startswith(p + "/")), f"ours: {package}"
            )
    if parts[-1] in ("flash_mob.py", "join_profile.py", "core_latency.py"):
        return "the benchmark"
    return "Python's library (threading, logging, json, ...)"


def layers(raw: Path) -> Counter[str]:
    """Samples per layer, from py-spy's raw output (one `frame;frame;... count` a line)."""
    found: Counter[str] = Counter()
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        if not any(f.startswith(IN_A_JOIN + " ") for f in frames):
            continue
        found[layer_of(frame_file(frames[-1]))] += int(count)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default=os.environ.get("GATHER_TEST_DATABASE_URL", ""))
    parser.add_argument("--pledges", type=int, default=100_000)
    parser.add_argument("--joins", type=int, default=6000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--rate", type=int, default=200, help="py-spy samples a second")
    parser.add_argument("--py-spy", default=str(Path(sys.executable).with_name("py-spy")))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        raw = Path(scratch) / "samples.txt"
        run = subprocess.run(
            [
                args.py_spy, "record", "--gil", "--subprocesses", "--nonblocking",
                "--rate", str(args.rate), "--format", "raw", "--output", str(raw), "--",
                sys.executable, str(HERE / "flash_mob.py"), "--url", args.url,
                "--pledges", str(args.pledges), "--joins", str(args.joins),
                "--samples", str(args.samples),
            ],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        samples = layers(raw)
    mob = json.loads(next(x for x in reversed(run.stdout.splitlines()) if x.startswith("{")))
    ours_ms = mob["client_cpu_ms_per_join"]
    total = sum(samples.values()) or 1
    rows = [(layer, ours_ms * n / total) for layer, n in samples.most_common()]
    rows.append(("PostgreSQL's backends (CPU)", mob["server_cpu_ms_per_join"]))
    cpu = ours_ms + mob["server_cpu_ms_per_join"]
    print(f"flash mob: {mob['joins']} joins at {mob['joins_per_s']}/s, {args.pledges:,} pledges")
    print(f"  {'where a join':<52} {'ms of CPU':>9} {'share':>6}")
    for layer, ms in rows:
        print(f"  {layer:<52} {ms:9.3f} {ms / cpu * 100:5.1f}%")
    print(f"  {'in all':<52} {cpu:9.3f}")
    print(f"  ceiling on {os.cpu_count()} cores: {(os.cpu_count() or 1) * 1000 / cpu:,.0f} joins/s")
    lock = mob["lock_statements_ms_per_join"]
    print(f"  locking statements' wall time a join (a lock wait shows here): {lock:.3f} ms")
    summary = {
        "pledges": args.pledges,
        "joins": mob["joins"],
        "joins_per_s": mob["joins_per_s"],
        "samples": total,
        "cpu_ms_per_join": round(cpu, 3),
        "layers_ms_per_join": {layer: round(ms, 3) for layer, ms in rows},
        "lock_statements_ms_per_join": lock,
        "statements_ms_per_join": mob["statements_ms_per_join"],
        "cpu_ceiling_joins_per_s": round((os.cpu_count() or 1) * 1000 / cpu),
        "load": mob["load"],
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
