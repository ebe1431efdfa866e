"""The fallback reader on labelled announcements in ten languages the hand-written readers do
not know (tests/parsing/data/fallback/more-languages.jsonl, labelled by hand, not from its output).

dateparser is wrong more often, which is why every reading it makes is shown to the organiser
with its correction: the floor here guards against it getting worse, and a miss must never
crash or land in the past.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from core.parsing import ParseError, parse_gathering

DATA = Path(__file__).parent / "data" / "fallback" / "more-languages.jsonl"
FLOOR = 0.85  # measured 2026-12-06: 24 of 26 (92%); see docs/parsing.md


def examples() -> list[dict[str, Any]]:
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()]


def reading(example: dict[str, Any]) -> str | None:
    now = datetime.fromisoformat(example["now"])
    try:
        parsed = parse_gathering(
            example["text"], now=now, tz=example["tz"], languages=[example["language"]]
        )
    except ParseError:
        return None
    assert parsed.starts_at > now or not parsed.has_time
    local = parsed.starts_at.astimezone(parsed.starts_at.tzinfo)
    return f"{local:%Y-%m-%dT%H:%M}" if parsed.has_time else f"{local:%Y-%m-%d}"


def test_the_fallback_reads_date_and_time_in_ten_more_languages() -> None:
    rows = examples()
    assert len({row["language"] for row in rows}) >= 10
    right = [row["id"] for row in rows if reading(row) == row["start"]]
    assert len(right) / len(rows) >= FLOOR, sorted(
        {row["id"]: reading(row) for row in rows if row["id"] not in right}.items()
    )


def test_every_fallback_reading_carries_a_note_of_what_was_read() -> None:
    for row in examples():
        now = datetime.fromisoformat(row["now"])
        try:
            parsed = parse_gathering(row["text"], now=now, tz=row["tz"], languages=[row["language"]])
        except ParseError:
            continue
        codes = {doubt.code for doubt in parsed.ambiguities}
        if parsed.language == row["language"]:  # read by the fallback, not the eight
            assert codes & {"fallback_read_day", "fallback_read_time"}, row["id"]
