"""bots.toml's sections beside `[gather]`: `[[communities]]`, `[web]` and `[retention]`,
each a typed value and the reader that checks it.

Apart from `core.config` (which reads the whole file into `Settings`) to keep that module to
the file's top level.
"""

from __future__ import annotations

import dataclasses
import re
import urllib.parse
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from core.config_values import check_zone, parse_offset, read_languages, read_offsets, unknown_keys
from core.contract.identities import NETWORKS

COMMUNITY_KEYS = frozenset(
    {
        "name",
        "rooms",
        "time_zone",
        "languages",
        "reminders",
        "next_weekday",
        "still_coming",
        "calls_for_more",
    }
)
# The "Still coming?" check rides on the first reminder at least this far ahead of the start.
STILL_COMING_AHEAD = 720
RETENTION_KEYS = frozenset({"outbox", "processed_events", "dead_letters", "every"})
WEB_KEYS = frozenset({"enabled", "listen", "port", "public_url"})


@dataclass(frozen=True)
class Community:
    name: str
    rooms: tuple[tuple[str, str], ...]  # (network, chat id)
    time_zone: str
    languages: tuple[str, ...]
    reminder_minutes: tuple[int, ...]
    # "coming": 'next Saturday' is the nearest Saturday ahead; "following": the one after.
    next_weekday: str = "coming"
    # Minutes before the start of each "we need N more" call (empty: no calls).
    call_minutes: tuple[int, ...] = (1440, 60)
    # The day-before reminder asks "Still coming?" (confirm or release the place).
    still_coming: bool = True

    def still_coming_minutes(self, offsets: tuple[int, ...] | list[int]) -> int | None:
        """Which of these reminder offsets (minutes before the start, as configured: largest
        first) asks "Still coming?": the first at least 12 hours ahead; None when none is, or
        the community turned the check off."""
        if not self.still_coming:
            return None
        return next((m for m in sorted(offsets, reverse=True) if m >= STILL_COMING_AHEAD), None)


@dataclass(frozen=True)
class WebSettings:
    """The `[web]` section: each gathering's page, served by the bot process itself."""

    enabled: bool = True
    listen: str = "127.0.0.1"
    port: int = 8080  # 0: any free port, logged at start
    # The address people reach the pages at (behind a reverse proxy, its https:// address).
    # Empty: http://<listen>:<port>, known only once the server has its port.
    public_url: str = ""

    def base_url(self, bound_port: int | None = None) -> str:
        if self.public_url:
            return self.public_url
        return f"http://{self.listen}:{bound_port if bound_port is not None else self.port}"

    def page_url(self, code: str) -> str | None:
        """The address of a gathering's page, or None when pages are off."""
        return f"{self.base_url()}/g/{code}" if self.enabled else None

    def community_url(self, name: str) -> str | None:
        """The address of a community's page of coming gatherings, or None when pages are off."""
        return f"{self.base_url()}/c/{urllib.parse.quote(name)}" if self.enabled else None


@dataclass(frozen=True)
class Retention:
    """The `[retention]` section: how long finished records are kept before the periodic
    pruning (core/operations/retention.py) deletes them."""

    # Sent, failed, skipped and uncertain messages, counted from when they finished.
    outbox: timedelta = timedelta(days=30)
    # The keys of handled events, so a redelivery changes nothing. Telegram redelivers for
    # 24 hours; a Mastodon restart re-reads at most the page after its stored cursor.
    processed_events: timedelta = timedelta(days=7)
    # Dead letters kept for the operator, counted from their last failure.
    dead_letters: timedelta = timedelta(days=30)
    # How often pruning runs (one process does it, whichever takes the turn).
    every: timedelta = timedelta(hours=1)


# The shortest retentions allowed, and why: a shorter one would break a guarantee.
MINIMUM_RETENTION = {
    # Telegram keeps an unconfirmed update for 24 hours and may deliver it again until then.
    "processed_events": timedelta(days=2),
    # `gather status` reports failed and uncertain sends of the last 24 hours.
    "outbox": timedelta(days=1),
    "dead_letters": timedelta(days=1),
    "every": timedelta(minutes=1),
}


def read_web(section: dict[str, Any], problems: list[str]) -> WebSettings:
    unknown_keys(section, WEB_KEYS, "[web]", problems)
    enabled = section.get("enabled", True)
    if not isinstance(enabled, bool):
        problems.append("[web] enabled must be true or false")
        enabled = True
    listen = section.get("listen", "127.0.0.1")
    if not isinstance(listen, str) or not re.fullmatch(r"[\w.:-]{1,100}", listen):
        problems.append(f'[web] listen must be an address like "127.0.0.1", not {listen!r}')
        listen = "127.0.0.1"
    port = section.get("port", 8080)
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
        problems.append(
            f"[web] port must be a number from 0 to 65535 (0: any free one), not {port!r}"
        )
        port = 8080
    public_url = section.get("public_url", "")
    if not isinstance(public_url, str) or (
        public_url and not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", public_url)
    ):
        problems.append(
            f'[web] public_url must be an http(s) address like "https://gather.example.org", not {public_url!r}'
        )
        public_url = ""
    return WebSettings(enabled, listen, port, public_url.rstrip("/"))


def read_retention(section: dict[str, Any], problems: list[str]) -> Retention:
    unknown_keys(section, RETENTION_KEYS, "[retention]", problems)
    defaults = Retention()
    chosen: dict[str, timedelta] = {}
    for key in sorted(RETENTION_KEYS & set(section)):
        try:
            value = timedelta(minutes=parse_offset(str(section[key])))
        except ValueError as error:
            problems.append(f"[retention] {key}: {error}")
            continue
        least = MINIMUM_RETENTION[key]
        if value < least:
            problems.append(f"[retention] {key}: at least {_spoken(least)}, not {section[key]!r}")
            continue
        chosen[key] = value
    return dataclasses.replace(defaults, **chosen)


def _spoken(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    if minutes % 1440 == 0:
        return f"{minutes // 1440}d"
    return f"{minutes // 60}h" if minutes % 60 == 0 else f"{minutes}m"


def read_communities(
    value: Any,
    time_zone: str,
    languages: tuple[str, ...],
    reminders: tuple[int, ...],
    problems: list[str],
    calls: tuple[int, ...] = (1440, 60),
) -> tuple[Community, ...]:
    if not isinstance(value, list):
        problems.append("[[communities]] must be an array of tables")
        return ()
    communities: list[Community] = []
    seen_rooms: dict[tuple[str, str], str] = {}
    for index, item in enumerate(value, start=1):
        name = str(item.get("name", "")).strip() if isinstance(item, dict) else ""
        where = f"community {name or f'#{index}'}"
        if isinstance(item, dict):
            unknown_keys(item, COMMUNITY_KEYS, where, problems)
        if not name:
            problems.append(f"{where}: needs a name")
            continue
        zone = str(item.get("time_zone", time_zone))
        if "time_zone" in item:  # an inherited zone was checked (and reported) once already
            check_zone(zone, where, problems)
        rooms: list[tuple[str, str]] = []
        for room in item.get("rooms", []):
            network, _, chat_id = str(room).partition(":")
            if network not in NETWORKS or not chat_id:
                problems.append(
                    f"{where}: room {room!r} should look like 'telegram:-100123', "
                    f"'discord:123', 'mastodon:public' or 'console:#beach'"
                )
                continue
            if (network, chat_id) in seen_rooms:
                problems.append(
                    f"{where}: room {room!r} is already in {seen_rooms[network, chat_id]}"
                )
                continue
            seen_rooms[network, chat_id] = name
            rooms.append((network, chat_id))
        next_weekday = str(item.get("next_weekday", "coming"))
        if next_weekday not in ("coming", "following"):
            problems.append(f"{where}: next_weekday must be 'coming' or 'following'")
        still_coming = item.get("still_coming", True)
        if not isinstance(still_coming, bool):
            problems.append(f"{where}: still_coming must be true or false")
        communities.append(
            Community(
                name=name,
                rooms=tuple(rooms),
                time_zone=zone,
                languages=read_languages(item.get("languages", list(languages)), where, problems),
                reminder_minutes=(
                    read_offsets(item["reminders"], where, problems)
                    if "reminders" in item
                    else reminders
                ),
                next_weekday=next_weekday,
                call_minutes=(
                    read_offsets(item["calls_for_more"], where, problems, "calls_for_more")
                    if "calls_for_more" in item
                    else calls
                ),
                still_coming=still_coming is not False,
            )
        )
    return tuple(communities)
