"""The `[mastodon]` section of bots.toml, validated in one place."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from adapters.networks import secret

DEFAULT_TOKEN_ENV = "MASTODON_ACCESS_TOKEN"

# name -> (type, default, minimum) for the numeric settings.
_NUMBERS: dict[str, tuple[float, float]] = {
    "reconcile_seconds": (60.0, 0.05),  # cheap reblogs_count check of every open announcement
    "full_reconcile_seconds": (900.0, 0.1),  # page reblogged_by even when the counts agree
    "stream_watchdog_seconds": (60.0, 0.1),  # no event or heartbeat for this long: reconnect
    "catch_up_seconds": (300.0, 0.1),  # REST catch-up even while the stream looks healthy
    "edit_interval_seconds": (15.0, 0.0),  # at most one edit per announcement this often
    "request_timeout": (20.0, 0.1),
    "rate_limit": (300.0, 1.0),  # requests per rate_window_seconds, per account
    "rate_window_seconds": (300.0, 0.1),
    "post_limit": (300.0, 1.0),  # new statuses per post_window_seconds
    "post_window_seconds": (10800.0, 0.1),
    "retry_max_seconds": (300.0, 0.1),  # longest wait between start-up attempts
}
_CHOICES: dict[str, tuple[str, ...]] = {
    "visibility": ("public", "unlisted"),
    "reply_visibility": ("direct", "unlisted"),
}
_DEFAULT_CHOICES = {"visibility": "public", "reply_visibility": "unlisted"}
KNOWN = {"api_base_url", "token_env", "stream", *_NUMBERS, *_CHOICES}


@dataclass(frozen=True)
class MastodonSettings:
    api_base_url: str
    token_env: str = DEFAULT_TOKEN_ENV
    visibility: str = "public"
    reply_visibility: str = "unlisted"
    stream: bool = True
    reconcile_seconds: float = 60.0
    full_reconcile_seconds: float = 900.0
    stream_watchdog_seconds: float = 60.0
    catch_up_seconds: float = 300.0
    edit_interval_seconds: float = 15.0
    request_timeout: float = 20.0
    rate_limit: float = 300.0
    rate_window_seconds: float = 300.0
    post_limit: float = 300.0
    post_window_seconds: float = 10800.0
    retry_max_seconds: float = 300.0

    @classmethod
    def from_section(cls, section: dict[str, Any]) -> MastodonSettings:
        """The settings; call `problems` first (this assumes a valid section)."""
        values: dict[str, Any] = {
            "api_base_url": str(section["api_base_url"]).rstrip("/"),
            "token_env": str(section.get("token_env", DEFAULT_TOKEN_ENV)),
            "stream": bool(section.get("stream", True)),
        }
        for name, (default, _minimum) in _NUMBERS.items():
            values[name] = float(section.get(name, default))
        for name in _CHOICES:
            values[name] = str(section.get(name, _DEFAULT_CHOICES[name]))
        return cls(**values)


def problems(section: dict[str, Any], environ: dict[str, str]) -> list[str]:
    """Every problem with the section, each a sentence naming the key."""
    found = [f"[mastodon] unknown setting {name!r}" for name in sorted(set(section) - KNOWN)]
    url = section.get("api_base_url")
    if url is None:
        found.append('[mastodon] api_base_url is required, e.g. "https://mastodon.social"')
    elif not isinstance(url, str) or not _is_http_url(url):
        found.append(f"[mastodon] api_base_url must be an http(s) URL, not {url!r}")
    token_env = section.get("token_env", DEFAULT_TOKEN_ENV)
    if not isinstance(token_env, str) or not token_env.strip() or " " in token_env:
        found.append("[mastodon] token_env must name an environment variable")
    if "stream" in section and not isinstance(section["stream"], bool):
        found.append("[mastodon] stream must be true or false")
    for name, (_default, minimum) in _NUMBERS.items():
        if name not in section:
            continue
        value = section[name]
        if isinstance(value, bool) or not isinstance(value, int | float):
            found.append(f"[mastodon] {name} must be a number of seconds, not {value!r}")
        elif value < minimum:
            found.append(f"[mastodon] {name} must be at least {minimum:g}, not {value!r}")
    for name, choices in _CHOICES.items():
        if name in section and section[name] not in choices:
            options = " or ".join(f'"{c}"' for c in choices)
            found.append(f"[mastodon] {name} must be {options}, not {section[name]!r}")
    return found


def _is_http_url(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in ("http", "https") and bool(parsed.netloc) and not parsed.query


def token(section: dict[str, Any], environ: dict[str, str]) -> str:
    return secret(section, environ, DEFAULT_TOKEN_ENV)
