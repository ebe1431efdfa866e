"""Logs: human lines by default, JSON lines on request, and never a secret in either."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import pytest

from adapters import logs
from core.config import parse
from core.storage.db import Database
from sandbox.fakes.telegram_server import FakeTelegram
from tests.telegram.harness import TOKEN_ENV, make_gather, running

DISCORD_TOKEN = "MTIzNDU2Nzg5MDEy.discord-token-value.xyz"


@pytest.fixture
def captured() -> io.StringIO:
    return io.StringIO()


@pytest.mark.parametrize("log_format", logs.FORMATS)
def test_secrets_named_by_sections_or_by_their_variable_are_never_logged(
    log_format: str, captured: io.StringIO
) -> None:
    environ = {"BOT_DISCORD": DISCORD_TOKEN, "GATHER_DB_PASSWORD": "hunter2-hunter2"}
    settings = parse(
        {"discord": {"token_env": "BOT_DISCORD"}, "gather": {"database_url": "sqlite://"}},
        base_dir=Path("."),
        environ={},
    )
    secrets = logs.secrets_in(environ, settings)
    handler = logs.configure(log_format, verbose=True, secrets=secrets, stream=captured)
    try:
        log = logging.getLogger("adapters.discord.network")
        log.info("logging in with %s", DISCORD_TOKEN)
        try:
            raise RuntimeError(f"refused: Authorization: Bot {DISCORD_TOKEN} hunter2-hunter2")
        except RuntimeError:
            logging.getLogger("core.app").exception("failed")
    finally:
        logging.getLogger().removeHandler(handler)
    output = captured.getvalue()
    assert DISCORD_TOKEN not in output and "hunter2-hunter2" not in output
    assert output.count(logs.REDACTED) >= 3
    lines = output.strip().splitlines()
    if log_format == "json":
        entries = [json.loads(line) for line in lines]
        assert entries[0]["message"] == f"logging in with {logs.REDACTED}"
        assert entries[1]["level"] == "ERROR" and "RuntimeError" in entries[1]["exception"]
    else:
        assert lines[0].endswith(f"INFO adapters.discord.network: logging in with {logs.REDACTED}")
        assert "Traceback" in output


@pytest.mark.parametrize("log_format", logs.FORMATS)
async def test_a_running_bot_logs_no_token_even_with_http_logging_turned_up(
    log_format: str, captured: io.StringIO, tg: FakeTelegram, database: Database
) -> None:
    group = tg.create_group("Portobello", members=[tg.create_user("Alice")])
    gather = make_gather(tg, database, group)
    environ = {TOKEN_ENV: tg.token}
    settings = parse({"telegram": {"token_env": TOKEN_ENV}}, base_dir=Path("."), environ={})
    secrets = logs.secrets_in(environ, settings)
    handler = logs.configure(log_format, verbose=True, secrets=secrets, stream=captured)
    try:
        async with running(tg, gather, environ=environ):
            # An operator chasing a problem turns HTTP logging up: URLs carry the token.
            logging.getLogger("httpx").setLevel(logging.DEBUG)
            await tg.wait_for(lambda: tg.calls("getUpdates"), 5)
    finally:
        logging.getLogger().removeHandler(handler)
        logging.getLogger("httpx").setLevel(logging.WARNING)
    output = captured.getvalue()
    assert "getUpdates" in output  # the requests were logged...
    assert tg.token not in output and tg.token.partition(":")[2] not in output  # ...not the token
    if log_format == "json":
        assert all(json.loads(line) for line in output.strip().splitlines())
