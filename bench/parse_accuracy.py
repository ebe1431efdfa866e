"""Accuracy and speed of core.parsing on the project's labelled announcements.

Run:  .venv/bin/python bench/parse_accuracy.py [--verbose]

`title` is an exact match after normalising case and punctuation; the real announcements'
titles are editors' summaries, so that column is only meaningful on the chat set.

Data: tests/parsing/data/announcements-dev.jsonl (real announcements, past years) and
tests/parsing/data/chat.jsonl (chat-style announcements written for the project, each with
its own `now` and `tz`).
"""

from __future__ import annotations

import contextlib
import json
import re
import statistics
import subprocess
import sys
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from core.parsing import ParseError, parse_gathering  # noqa: E402
from core.parsing.lexicon import LEXICONS  # noqa: E402

DATA = ROOT / "tests" / "parsing" / "data"
FIELDS = ("start_date", "date_time", "end", "place", "count", "title")
DEFAULT_TZ = {"en": "Europe/London", "de": "Europe/Berlin", "fr": "Europe/Paris",
              "es": "Europe/Madrid", "it": "Europe/Rome", "pt": "America/Sao_Paulo",
              "nl": "Europe/Amsterdam", "da": "Europe/Copenhagen"}


@dataclass
class Item:
    source: str
    ident: str
    text: str
    language: str
    now: datetime
    tz: str
    start: str | None  # local ISO, date or datetime
    end: str | None
    place: str | None
    needed: int | None  # the target
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def capacity(self) -> int | None:
        value = self.raw.get("capacity")
        return value if isinstance(value, int) else None

    @property
    def title(self) -> str | None:
        value = self.raw.get("title")
        return value if isinstance(value, str) else None


def _weekday_in(text: str) -> int | None:
    low = text.lower()
    for lx in LEXICONS.values():
        for name, wd in lx.weekdays.items():
            if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", low):
                return wd
    return None


def _fill_year(label: str | None, year: int) -> str | None:
    if label is None or not label.startswith("--"):
        return label
    return f"{year}{label[1:]}"


def _corpus_now(d: dict[str, Any], tz: str) -> tuple[datetime, int | None]:
    zone = ZoneInfo(tz)
    for key in ("published", "ref_date"):
        value = d.get(key)
        if value:
            parts = [int(p) for p in value.split("-")]
            while len(parts) < 3:
                parts.append(1)
            return datetime(parts[0], parts[1], parts[2], 9, 0, tzinfo=zone), None
    start = d.get("start")
    if not start:
        return datetime(2026, 1, 5, 9, 0, tzinfo=zone), None
    year: int | None = None
    if start.startswith("--"):
        month, day = int(start[2:4]), int(start[5:7])
        wd = _weekday_in(d["text"])
        year = 2026
        for y in range(2026, 2009, -1):
            if wd is None or date(y, month, day).weekday() == wd:
                year = y
                break
        start = f"{year}{start[1:]}"
    first = date.fromisoformat(start[:10]) - timedelta(days=10)
    return datetime(first.year, first.month, first.day, 9, 0, tzinfo=zone), year


def load() -> list[Item]:
    items: list[Item] = []
    for line in (DATA / "announcements-dev.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        d = json.loads(line)
        tz = DEFAULT_TZ[d["language"]]
        now, year = _corpus_now(d, tz)
        y = year or now.year
        items.append(Item("corpus", d["id"], d["text"], d["language"], now, tz,
                          _fill_year(d["start"], y), _fill_year(d["end"], y), d["place"],
                          d["needed"], d))
    for chat in sorted(DATA.glob("*.jsonl")):
        if chat.name == "announcements-dev.jsonl":
            continue
        for line in chat.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            d = json.loads(line)
            now = datetime.fromisoformat(d["now"])
            items.append(Item("chat", d["id"], d["text"], d["language"], now, d["tz"],
                              d["start"], d["end"], d["place"], d["needed"], d))
    return items


def norm(s: str) -> str:
    s = unicodedata.normalize("NFKC", s).lower().replace("’", "'")
    s = re.sub(r"[^\w\s]", " ", s)
    return " ".join(s.split())


def place_match(pred: str | None, label: str | None) -> bool:
    if label is None or pred is None:
        return label is None and pred is None
    a, b = norm(pred), norm(label)
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    ta, tb = set(a.split()), set(b.split())
    return len(ta & tb) / len(ta | tb) >= 0.5


def _dt_label(label: str) -> tuple[date, str | None]:
    d = date.fromisoformat(label[:10])
    return d, (label[11:16] if len(label) > 10 else None)


Score = dict[str, bool | None]  # None: the field does not apply to this item


def score(item: Item) -> tuple[Score, str]:
    """Each field right or wrong; `place_returned`/`place_labelled` feed precision and recall,
    `count_false` is a count where none was asked for, `crash` any exception but ParseError."""
    try:
        p = parse_gathering(item.text, now=item.now, tz=item.tz, languages=[item.language])
    except ParseError as exc:
        ok = item.start is None
        res: Score = dict.fromkeys(FIELDS, ok) | {
            "count_false": False, "crash": False, "place_returned": False,
            "place_labelled": item.place is not None and item.start is not None,
            "place_hit": False}
        res["title"] = ok if item.title is not None else None
        return res, f"ParseError: {exc.code}"
    except Exception as exc:
        res = dict.fromkeys(FIELDS, False) | {
            "count_false": False, "crash": True, "place_returned": False,
            "place_labelled": item.place is not None, "place_hit": False}
        return res, f"CRASH {type(exc).__name__}: {exc}"
    if item.start is None:
        res = dict.fromkeys(FIELDS, False) | {
            "count_false": p.needed is not None or p.capacity is not None, "crash": False,
            "place_returned": False, "place_labelled": False, "place_hit": False}
        return res, f"expected ParseError, got {p.starts_at:%Y-%m-%d %H:%M}"
    d, t = _dt_label(item.start)
    local = p.starts_at.astimezone(ZoneInfo(item.tz))
    got_t = local.strftime("%H:%M") if p.has_time else None
    res = {"start_date": local.date() == d}
    res["date_time"] = res["start_date"] and got_t == t
    if item.end is None:
        res["end"] = p.ends_at is None
    elif p.ends_at is None:
        res["end"] = False
    else:
        ed, et = _dt_label(item.end)
        res["end"] = p.ends_at.date() == ed and (et is None or p.ends_at.strftime("%H:%M") == et)
    res["place"] = place_match(p.place, item.place)
    res["place_returned"] = p.place is not None
    res["place_labelled"] = item.place is not None
    res["place_hit"] = p.place is not None and item.place is not None and res["place"]
    res["count"] = p.needed == item.needed and p.capacity == item.capacity
    res["count_false"] = (item.needed is None and item.capacity is None
                          and (p.needed is not None or p.capacity is not None))
    res["crash"] = False
    res["title"] = (norm(p.title) == norm(item.title)) if item.title is not None else None
    got = (f"start={local:%Y-%m-%d}{' ' + got_t if got_t else ''} "
           f"end={p.ends_at:%Y-%m-%d %H:%M}" if p.ends_at else
           f"start={local:%Y-%m-%d}{' ' + got_t if got_t else ''} end=None")
    return res, (f"{got} place={p.place!r} needed={p.needed} capacity={p.capacity} "
                 f"title={p.title!r}")


def _rate(rows: list[Score], name: str) -> float:
    known = [r[name] for r in rows if r[name] is not None]
    return sum(bool(v) for v in known) / len(known) if known else float("nan")


def evaluate(items: list[Item]) -> dict[str, dict[str, float]]:
    """Figures per bucket: 'all', each source, each language, 'zones' and 'held out'."""
    buckets: dict[str, list[Score]] = defaultdict(list)
    for item in items:
        res, _ = score(item)
        keys = ["all", item.source, f"lang:{item.language}"]
        if item.raw.get("zone"):
            keys.append("zones")
        if item.raw.get("held_out"):
            keys.append("held out")
        for key in keys:
            buckets[key].append(res)
    out: dict[str, dict[str, float]] = {}
    for key, rows in buckets.items():
        out[key] = {f: _rate(rows, f) for f in FIELDS}
        returned = sum(bool(r["place_returned"]) for r in rows)
        labelled = sum(bool(r["place_labelled"]) for r in rows)
        hits = sum(bool(r["place_hit"]) for r in rows)
        out[key]["place_precision"] = hits / returned if returned else float("nan")
        out[key]["place_recall"] = hits / labelled if labelled else float("nan")
        out[key]["count_false"] = float(sum(bool(r["count_false"]) for r in rows))
        out[key]["crash"] = float(sum(bool(r["crash"]) for r in rows))
        out[key]["n"] = float(len(rows))
    return out


def cold_start() -> float:
    code = (
        "import time; t=time.perf_counter(); from datetime import datetime; "
        "from zoneinfo import ZoneInfo; from core.parsing import parse_gathering; "
        "parse_gathering('Beach clean at Portobello beach, Saturday 10am, need 20 people', "
        "now=datetime(2026,11,18,9,tzinfo=ZoneInfo('Europe/London')), tz='Europe/London'); "
        "print(time.perf_counter()-t)"
    )
    runs = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                             text=True, check=True)
        runs.append(float(out.stdout.strip()))
    return min(runs)


def warm_timings(items: list[Item], rounds: int = 5) -> list[float]:
    times: list[float] = []
    for item in items:  # warm up caches for every language
        with contextlib.suppress(ParseError):
            parse_gathering(item.text, now=item.now, tz=item.tz, languages=[item.language])
    for _ in range(rounds):
        for item in items:
            t = time.perf_counter()
            with contextlib.suppress(ParseError):
                parse_gathering(item.text, now=item.now, tz=item.tz, languages=[item.language])
            times.append(time.perf_counter() - t)
    return times


def main() -> None:
    verbose = "--verbose" in sys.argv or "-v" in sys.argv
    items = load()
    if verbose:
        for item in items:
            res, got = score(item)
            bad = [f for f in FIELDS if res[f] is False]
            if bad:
                print(f"[{item.ident}] {item.language} MISS {','.join(bad)}")
                print(f"   text: {item.text[:160]!r}")
                print(f"   want: start={item.start} end={item.end} place={item.place!r} "
                      f"needed={item.needed} capacity={item.capacity} title={item.title!r}")
                print(f"   got:  {got}")
    table = evaluate(items)
    cols = (*FIELDS, "place_precision", "place_recall")
    header = (f"{'set':<10}{'n':>5}" + "".join(f"{f.replace('place_', 'pl.')[:11]:>12}"
                                               for f in cols)
              + f"{'false cnt':>10}{'crash':>6}")
    print(header)
    order = ["all", "corpus", "chat", "zones", "held out",
             *sorted(k for k in table if k.startswith("lang:"))]
    for key in order:
        if key not in table:
            continue
        row = table[key]
        print(f"{key.replace('lang:', ''):<10}{int(row['n']):>5}"
              + "".join(f"{row[f] * 100:>11.1f}%" for f in cols)
              + f"{int(row['count_false']):>10}{int(row['crash']):>6}")
    cold = cold_start()
    warm = sorted(warm_timings(items))
    median = statistics.median(warm) * 1000
    p95 = warm[int(len(warm) * 0.95)] * 1000
    print(f"\nimport + first parse: {cold * 1000:.0f} ms (fresh interpreter, best of 3)")
    print(f"warm parse: median {median:.2f} ms, p95 {p95:.2f} ms over {len(warm)} parses")


if __name__ == "__main__":
    main()
