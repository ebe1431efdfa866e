"""The operator's command line: --version, options after the subcommand, check, status's exit
status, and dead letters listed, retried and dropped from another process's point of view."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from adapters.cli import main
from core.app import Gather
from core.clock import SystemClock
from core.config import load
from core.storage.db import MIGRATIONS, Database, make_engine


def config(tmp_path: Path, database_url: str, extra: str = "") -> Path:
    path = tmp_path / "bots.toml"
    path.write_text(
        f'[gather]\ndatabase_url = "{database_url}"\ntime_zone = "UTC"\n{extra}'
        '[[communities]]\nname = "c"\nrooms = ["console:#beach"]\n',
        encoding="utf-8",
    )
    return path


def test_version_names_gather_and_the_chat_libraries(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    line = capsys.readouterr().out
    assert line.startswith("gather ") and "python-telegram-bot" in line and "discord.py" in line


def test_config_may_follow_the_subcommand(
    tmp_path: Path, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = config(tmp_path, database_url)
    assert main(["check", "--config", str(path)]) == 0
    assert main(["--config", str(path), "check"]) == 0
    assert capsys.readouterr().out.count("is valid and the database answers") == 2


def test_check_names_misspelt_keys_in_every_section(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bots.toml"
    path.write_text(
        '[gather]\ntimezone = "Europe/Berlin"\n[metrics]\nlisten = "127.0.0.1:9464"\nport = 1\n'
        '[[communities]]\nname = "c"\nrooms = ["console:#beach"]\ntimezone = "Europe/Paris"\n',
        encoding="utf-8",
    )
    assert main(["check", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert "[gather]: unknown setting 'timezone' (did you mean 'time_zone'?)" in err
    assert "community c: unknown setting 'timezone' (did you mean 'time_zone'?)" in err
    assert "[metrics]: unknown setting 'port'" in err
    # Network sections are checked by their adapters, once the core's settings hold.
    path.write_text('[gather]\ntime_zone = "UTC"\n[console]\nusr = "sam"\n', encoding="utf-8")
    assert main(["check", "--config", str(path)]) == 2
    assert "[console] unknown setting 'usr'" in capsys.readouterr().err


def test_check_reports_a_database_that_does_not_answer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = config(tmp_path, "postgresql+psycopg://gather:secret-pw@127.0.0.1:1/gather")
    assert main(["--config", str(path), "check"]) == 2
    err = capsys.readouterr().err
    assert "does not answer" in err and "secret-pw" not in err


def test_status_exits_non_zero_when_something_needs_attention(
    tmp_path: Path, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = config(tmp_path, database_url)
    assert main(["--config", str(path), "status"]) == 0
    assert "All is well." in capsys.readouterr().out

    database = Database(make_engine(database_url))
    try:
        gather = Gather(load(path, {}), database, SystemClock())
        gather.operations.beat("telegram", "elsewhere:1", connected=False)
    finally:
        database.dispose()
    # Down for a moment only: worth showing, not yet worth waking anyone.
    assert main(["--config", str(path), "status", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["networks"][0]["network"] == "telegram"
    assert report["networks"][0]["connected"] is False
    assert (
        report["attention"] == []
        and report["schema_version"] == ScriptDirectory(str(MIGRATIONS)).get_current_head()
    )


def test_dead_letters_from_the_command_line(
    tmp_path: Path, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = config(tmp_path, database_url)
    database = Database(make_engine(database_url))
    try:
        gather = Gather(load(path, {}), database, SystemClock())
        for key in ("update:1", "update:2"):
            gather.operations.keep_dead_letter("telegram", key, '{"update_id": 1}', "Boom")
        first, _second = gather.operations.dead_letters()

        assert main(["dead-letters", "--config", str(path)]) == 0
        listing = capsys.readouterr().out
        assert "update:1" in listing and "update:2" in listing and "Boom" in listing
        assert main(["dead-letters", "--config", str(path), "--show", str(first.id)]) == 0
        assert json.loads(capsys.readouterr().out)["raw_event"] == '{"update_id": 1}'

        assert main(["dead-letters", "--config", str(path), "--retry", str(first.id)]) == 0
        (due,) = gather.operations.due_dead_letters("telegram")  # the network's next look
        assert due.id == first.id
        assert main(["dead-letters", "--config", str(path), "--drop", "all"]) == 0
        assert gather.operations.dead_letters() == []
        assert main(["dead-letters", "--config", str(path), "--drop", "banana"]) == 2
    finally:
        database.dispose()
