"""The `[mastodon]` section of bots.toml, declared once (adapters/runtime/sections.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from adapters.runtime.sections import Key, Section

DEFAULT_TOKEN_ENV = "MASTODON_ACCESS_TOKEN"


@dataclass(frozen=True)
class MastodonSettings:
    api_base_url: str
    token_env: str = DEFAULT_TOKEN_ENV
    visibility: str = "public"
    reply_visibility: str = "unlisted"
    stream: bool = True
    reconcile_seconds: float = 60.0  # cheap reblogs_count check of every open announcement
    full_reconcile_seconds: float = 900.0  # page reblogged_by even when the counts agree
    stream_watchdog_seconds: float = 60.0  # no event or heartbeat for this long: reconnect
    catch_up_seconds: float = 300.0  # REST catch-up even while the stream looks healthy
    edit_interval_seconds: float = 15.0  # at most one edit per announcement this often
    request_timeout: float = 20.0
    rate_limit: float = 300.0  # requests per rate_window_seconds, per account
    rate_window_seconds: float = 300.0
    post_limit: float = 300.0  # new statuses per post_window_seconds
    post_window_seconds: float = 10800.0
    retry_max_seconds: float = 300.0  # longest wait between start-up attempts

    @classmethod
    def from_section(cls, section: Mapping[str, Any]) -> MastodonSettings:
        """The settings of a section that `problems` found nothing wrong with."""
        return cls(**SECTION.values(section))


def _no_query(section: Mapping[str, Any], environ: Mapping[str, str]) -> list[str]:
    url = section.get("api_base_url")
    if isinstance(url, str) and urlsplit(url).query:
        return [f"[mastodon] api_base_url must be the server's address alone, not {url!r}"]
    return []


def _seconds(default: float, minimum: float) -> Key:
    return Key("number", default, minimum=minimum)


SECTION = Section(
    "mastodon",
    {
        "api_base_url": Key("url", required='"https://mastodon.social"', strip_slash=True),
        "token_env": Key("env", DEFAULT_TOKEN_ENV),
        "stream": Key("bool", True),
        "visibility": Key("choice", "public", choices=("public", "unlisted")),
        "reply_visibility": Key("choice", "unlisted", choices=("direct", "unlisted")),
        "reconcile_seconds": _seconds(60.0, 0.05),
        "full_reconcile_seconds": _seconds(900.0, 0.1),
        "stream_watchdog_seconds": _seconds(60.0, 0.1),
        "catch_up_seconds": _seconds(300.0, 0.1),
        "edit_interval_seconds": _seconds(15.0, 0.0),
        "request_timeout": _seconds(20.0, 0.1),
        "rate_limit": _seconds(300.0, 1.0),
        "rate_window_seconds": _seconds(300.0, 0.1),
        "post_limit": _seconds(300.0, 1.0),
        "post_window_seconds": _seconds(10800.0, 0.1),
        "retry_max_seconds": _seconds(300.0, 0.1),
    },
    default_token_env=DEFAULT_TOKEN_ENV,
    rules=_no_query,
)


def problems(section: Mapping[str, Any], environ: Mapping[str, str]) -> list[str]:
    """Every problem with the section, each a sentence naming the key."""
    return SECTION.problems(section, environ)


def token(section: Mapping[str, Any], environ: Mapping[str, str]) -> str:
    return SECTION.secret(section, environ)
