"""bots.toml is validated once, and every problem is listed in one error."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.cli import main
from core.config import ConfigError, load, parse

GOOD = Path(__file__).resolve().parents[2] / "bots.toml"


def test_the_shipped_bots_toml_is_valid(tmp_path: Path) -> None:
    settings = load(GOOD, {"GATHER_DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
    assert settings.community_of("console", "#beach") is not None
    assert settings.reminder_minutes == (1440, 120)


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    path = tmp_path / "bots.toml"
    path.write_text(
        """
[gather]
time_zone = "London"
languages = ["en", "klingon"]
reminders = ["1d", "soon"]

[[communities]]
name = "a"
rooms = ["telegram:-1", "irc:#x"]

[[communities]]
name = "b"
rooms = ["telegram:-1"]

[surprise]
"""
    )
    with pytest.raises(ConfigError) as raised:
        load(path, {})
    problems = "\n".join(raised.value.problems)
    assert "unknown time zone 'London' (did you mean 'Europe/London'?)" in problems
    assert "klingon" in problems
    assert "'soon'" in problems
    assert "irc:#x" in problems
    assert "already in a" in problems
    assert "unknown section [surprise]" in problems
    assert len(raised.value.problems) == 6


def test_gather_check_reports_a_room_on_an_unconfigured_network(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bots.toml"
    path.write_text(
        '[gather]\ntime_zone = "UTC"\n[[communities]]\nname = "c"\nrooms = ["discord:42"]\n'
    )
    assert main(["--config", str(path), "check"]) == 2
    assert (
        "room discord:42 is on discord, but bots.toml has no [discord] section"
        in capsys.readouterr().err
    )


def test_gather_check_says_the_console_starts_without_tokens(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bots.toml"
    path.write_text('[gather]\ntime_zone = "UTC"\n[console]\nuser = "sam"\n')
    assert main(["--config", str(path), "check"]) == 0
    assert "console" in capsys.readouterr().out


def test_each_room_and_name_finds_its_own_community_among_thousands() -> None:
    settings = parse(
        {
            "gather": {"time_zone": "Europe/London"},
            "communities": [
                {"name": f"c{n}", "rooms": [f"telegram:-{n}", f"discord:{n}"]}
                for n in range(1, 3001)
            ],
        },
        base_dir=Path("."),
        environ={"GATHER_DATABASE_URL": "sqlite://"},
    )
    for n in (1, 1500, 3000):
        for network, chat in (("telegram", f"-{n}"), ("discord", str(n))):
            community = settings.community_of(network, chat)
            assert community is not None and community.name == f"c{n}"
        named = settings.community_named(f"c{n}")
        assert named is not None and ("telegram", f"-{n}") in named.rooms
    assert settings.community_of("telegram", "-3001") is None
    assert settings.community_of("mastodon", "-1") is None
    assert settings.community_named("c0") is None
