"""The `[telegram]` section of bots.toml, declared once (adapters/runtime/sections.py)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from adapters.runtime.sections import Key, Section

DEFAULT_TOKEN_ENV = "TELEGRAM_BOT_TOKEN"
DEFAULT_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_BASE_FILE_URL = "https://api.telegram.org/file/bot"
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_TOKEN = re.compile(r"^\d+:[A-Za-z0-9_-]{20,}$")


@dataclass(frozen=True)
class TelegramSettings:
    token_env: str = DEFAULT_TOKEN_ENV
    base_url: str = DEFAULT_BASE_URL
    base_file_url: str = DEFAULT_BASE_FILE_URL
    mode: str = "polling"
    webhook_url: str = ""
    listen: str = "127.0.0.1"
    port: int = 8443
    secret_token_env: str = ""
    poll_timeout: float = 30  # seconds a long poll is held open by Telegram
    admin_cache_seconds: float = 60.0
    # Telegram's flood limits (approximate, unpublished): lower them if you see 429s.
    global_per_second: float = 29.0
    chat_per_second: float = 1.0
    group_per_minute: float = 19.0


def _webhook_and_token(section: Mapping[str, Any], environ: Mapping[str, str]) -> list[str]:
    """What involves several keys: a webhook's URL and secret, and the token's shape."""
    found = []
    if section.get("mode") == "webhook":
        url = section.get("webhook_url")
        if (problem := Key("url", schemes=("https",)).problem(url)) is not None:
            found.append(f"[telegram] webhook_url {problem} (Telegram only calls HTTPS webhooks)")
        secret_env = section.get("secret_token_env")
        if not secret_env:
            found.append("[telegram] webhook mode needs secret_token_env (the header secret)")
        elif (
            isinstance(secret_env, str)
            and secret_env in environ
            and not _SECRET.match(environ[secret_env])
        ):
            found.append(f"[telegram] the secret in {secret_env} must be 1-256 of A-Z a-z 0-9 _ -")
    token_env = section.get("token_env", DEFAULT_TOKEN_ENV)
    if isinstance(token_env, str):
        token = environ.get(token_env, "").strip()
        if token and not _TOKEN.match(token):
            found.append(
                f"[telegram] the token in {token_env} does not look like a bot token "
                "(digits:letters, as BotFather gives it)"
            )
    return found


SECTION = Section(
    "telegram",
    {
        "token_env": Key("env", DEFAULT_TOKEN_ENV),
        "base_url": Key("url", DEFAULT_BASE_URL),
        "base_file_url": Key("url", DEFAULT_BASE_FILE_URL),
        "mode": Key("choice", "polling", choices=("polling", "webhook")),
        "webhook_url": Key("text", ""),
        "listen": Key("text", "127.0.0.1"),
        "port": Key("integer", 8443, minimum=0, maximum=65535),
        "secret_token_env": Key("env", ""),
        "poll_timeout": Key("number", 30, minimum=0),
        "admin_cache_seconds": Key("number", 60.0, minimum=0),
        "global_per_second": Key("number", 29.0, positive=True),
        "chat_per_second": Key("number", 1.0, positive=True),
        "group_per_minute": Key("number", 19.0, positive=True),
        "enabled": Key("bool", False),
    },
    default_token_env=DEFAULT_TOKEN_ENV,
    rules=_webhook_and_token,
)
_FIELDS = {field.name for field in dataclasses.fields(TelegramSettings)}


def problems(section: Mapping[str, Any], environ: Mapping[str, str]) -> list[str]:
    """Every problem with the section, one line each (never the token itself)."""
    return SECTION.problems(section, environ)


def load(section: Mapping[str, Any]) -> TelegramSettings:
    """The settings of a section that `problems` found nothing wrong with."""
    values = SECTION.values(section)
    return TelegramSettings(**{key: value for key, value in values.items() if key in _FIELDS})


def token(settings: TelegramSettings, environ: Mapping[str, str]) -> str:
    return environ.get(settings.token_env, "").strip()


def secret_token(settings: TelegramSettings, environ: Mapping[str, str]) -> str:
    return environ.get(settings.secret_token_env, "").strip() if settings.secret_token_env else ""
