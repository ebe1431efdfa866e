"""Accuracy floors on the project's own labelled sets (a little below what is measured).

Raise the floors when the parser gets better; never lower them to make a change pass.
"""

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("parse_accuracy",
                                                  ROOT / "bench" / "parse_accuracy.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["parse_accuracy"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def table() -> dict[str, dict[str, float]]:
    bench = _bench()
    items = bench.load()
    assert len([i for i in items if i.source == "chat"]) >= 100
    result: dict[str, dict[str, float]] = bench.evaluate(items)
    return result


FLOORS = {
    "all": {"date_time": 0.97, "count": 0.97, "place_precision": 0.95, "place_recall": 0.90},
    "zones": {"date_time": 1.0},
    "held out": {"date_time": 0.95, "count": 0.9, "place_precision": 0.9},
    "corpus": {"start_date": 0.95, "date_time": 0.93, "end": 0.92, "place": 0.80,
               "count": 0.97},
    "chat": {"start_date": 0.98, "date_time": 0.97, "end": 0.97, "place": 0.95, "count": 0.97,
             "title": 0.95},
}


@pytest.mark.parametrize("source", sorted(FLOORS))
def test_accuracy_does_not_fall_below_the_floors(table: dict[str, dict[str, float]],
                                                 source: str) -> None:
    row = table[source]
    low = {f: round(row[f], 3) for f, floor in FLOORS[source].items() if row[f] < floor}
    assert not low, f"{source}: below floor {low}"


def test_no_false_counts_and_no_crash(table: dict[str, dict[str, float]]) -> None:
    assert table["all"]["count_false"] == 0
    assert table["all"]["crash"] == 0


@pytest.mark.parametrize("lang", ["en", "de", "fr", "es", "it", "pt", "nl", "da"])
def test_every_language_gets_most_start_dates_right(table: dict[str, dict[str, float]],
                                                    lang: str) -> None:
    assert table[f"lang:{lang}"]["start_date"] >= 0.9
