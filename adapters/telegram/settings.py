"""The `[telegram]` section of bots.toml, validated once at start-up."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

DEFAULT_TOKEN_ENV = "TELEGRAM_BOT_TOKEN"
DEFAULT_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_BASE_FILE_URL = "https://api.telegram.org/file/bot"
MODES = ("polling", "webhook")
KNOWN = frozenset(
    {
        "token_env",
        "base_url",
        "base_file_url",
        "mode",
        "webhook_url",
        "listen",
        "port",
        "secret_token_env",
        "poll_timeout",
        "admin_cache_seconds",
        "global_per_second",
        "chat_per_second",
        "group_per_minute",
        "enabled",
    }
)
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
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
    poll_timeout: int = 30  # seconds a long poll is held open by Telegram
    admin_cache_seconds: float = 60.0
    # Telegram's flood limits (approximate, unpublished): lower them if you see 429s.
    global_per_second: float = 29.0
    chat_per_second: float = 1.0
    group_per_minute: float = 19.0


def _url_problem(name: str, value: object, *, https: bool = False) -> str | None:
    if not isinstance(value, str) or not value:
        return f"[telegram] {name} must be a non-empty URL"
    parsed = urlparse(value)
    if parsed.scheme not in ("https",) + (() if https else ("http",)) or not parsed.netloc:
        scheme = "https" if https else "http(s)"
        return f"[telegram] {name} = {value!r} is not an {scheme} URL"
    return None


def problems(section: dict[str, Any], environ: dict[str, str]) -> list[str]:
    """Every problem with the section, one line each (never the token itself)."""
    found = [f"[telegram] unknown setting {name!r}" for name in sorted(set(section) - KNOWN)]
    for key in ("token_env", "secret_token_env"):
        value = section.get(key)
        if value is not None and (not isinstance(value, str) or not _ENV_NAME.match(value)):
            found.append(f"[telegram] {key} must name an environment variable, got {value!r}")
    for key in ("base_url", "base_file_url"):
        if key in section and (problem := _url_problem(key, section[key])):
            found.append(problem)
    mode = section.get("mode", "polling")
    if mode not in MODES:
        found.append(f"[telegram] mode must be 'polling' or 'webhook', got {mode!r}")
    port = section.get("port", 8443)
    if not isinstance(port, int) or isinstance(port, bool) or not 0 <= port <= 65535:
        found.append(f"[telegram] port must be a number from 0 to 65535, got {port!r}")
    for key in ("poll_timeout", "admin_cache_seconds"):
        value = section.get(key, 1)
        if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
            found.append(f"[telegram] {key} must be a number of seconds, got {value!r}")
    for key in ("global_per_second", "chat_per_second", "group_per_minute"):
        value = section.get(key, 1)
        if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
            found.append(f"[telegram] {key} must be a positive number, got {value!r}")
    listen = section.get("listen", "127.0.0.1")
    if not isinstance(listen, str) or not listen:
        found.append(f"[telegram] listen must be a host name or address, got {listen!r}")
    if mode == "webhook":
        if problem := _url_problem("webhook_url", section.get("webhook_url"), https=True):
            found.append(problem + " (Telegram only calls HTTPS webhooks)")
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


def load(section: dict[str, Any]) -> TelegramSettings:
    """The settings (call `problems` first: this assumes they are valid)."""
    known = {k: v for k, v in section.items() if k in KNOWN and k != "enabled"}
    return TelegramSettings(**known)


def token(settings: TelegramSettings, environ: dict[str, str]) -> str:
    return environ.get(settings.token_env, "").strip()


def secret_token(settings: TelegramSettings, environ: dict[str, str]) -> str:
    return environ.get(settings.secret_token_env, "").strip() if settings.secret_token_env else ""
