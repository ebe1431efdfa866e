"""Log lines: human-readable by default, one JSON object per line with `--log-format json`;
secrets (tokens, passwords) never in either, whatever logger wrote them."""

from __future__ import annotations

import json
import logging
import re
import sys
import traceback
from datetime import UTC, datetime
from typing import Any, TextIO
from urllib.parse import urlsplit

from core import Settings

REDACTED = "<redacted>"
FORMATS = ("human", "json")
HUMAN = "%(asctime)s %(levelname)s %(name)s: %(message)s"
SECRET_NAMES = re.compile(r"TOKEN|SECRET|PASSWORD|PASSWD|API_KEY", re.IGNORECASE)
HANDLER_NAME = "gather"
NOISY = ("httpx", "httpcore", "discord.gateway", "urllib3", "alembic")


def secrets_in(environ: dict[str, str], settings: Settings | None = None) -> list[str]:
    """Every value that must never be logged: variables named like secrets, the variables
    network sections name (`token_env`, `secret_token_env`), the database password."""
    found = {value for name, value in environ.items() if SECRET_NAMES.search(name)}
    if settings is not None:
        for section in settings.networks.values():
            for key, name in section.items():
                if key.endswith("_env") and isinstance(name, str) and name in environ:
                    found.add(environ[name])
        password = urlsplit(settings.database_url).password
        if password:
            found.add(password)
    for value in list(found):  # a Telegram token's secret half alone, too
        _, _, tail = value.partition(":")
        found.add(tail)
    return sorted((s.strip() for s in found if len(s.strip()) >= 8), key=len, reverse=True)


class Redact(logging.Filter):
    """Replaces every secret in the message, its arguments and its traceback."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = secrets

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            return True
        record.msg, record.args = self.redact(message), None
        if record.exc_info:
            text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
            record.exc_text, record.exc_info = self.redact(text), None
        elif record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        return True


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


class _Stderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is at the time (tests swap it)."""

    def __init__(self) -> None:
        super().__init__()

    @property  # type: ignore[override]
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        return None


def configure(
    log_format: str, *, verbose: bool, secrets: list[str], stream: TextIO | None = None
) -> logging.Handler:
    """Our one handler on the root logger (replacing the one a call before put there)."""
    handler: logging.Handler = logging.StreamHandler(stream) if stream else _Stderr()
    handler.setFormatter(JsonLines() if log_format == "json" else logging.Formatter(HUMAN))
    handler.addFilter(Redact(secrets))
    handler.set_name(HANDLER_NAME)
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for noisy in NOISY:
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return handler


def remove() -> None:
    """Take our handler off the root logger (the command is over)."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(handler)
