"""bots.toml: typed, validated once at start-up, every problem listed in one error.

Secrets never live in the file: a network section names the environment variable that holds
its token. Each network's own section is handed to that network's adapter as it is, so the
adapter validates its own settings (see `adapters.networks`).
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import tomllib
import urllib.parse
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel import Locale, UnknownLocaleError

from core.contract.identities import NETWORKS
from core.parsing.fallback import known_locale

SUPPORTED_LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "da")
DEFAULT_REMINDERS = ("1d", "2h")
DEFAULT_CALLS = ("1d", "1h")  # the "we need N more" call in the rooms
_OFFSET = re.compile(r"^\s*(\d{1,4})\s*([dhm])\s*$")
GATHER_KEYS = frozenset(
    {
        "data_dir",
        "database_url",
        "time_zone",
        "languages",
        "reminders",
        "series_announce_ahead",
        "calls_for_more",
    }
)
# How long before its start an occurrence of a series is announced (the first one at once).
DEFAULT_SERIES_AHEAD = "6d"
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
METRICS_KEYS = frozenset({"listen"})
RETENTION_KEYS = frozenset({"outbox", "processed_events", "dead_letters", "every"})
# /healthz, /readyz and /metrics: on this machine only unless bots.toml says otherwise.
DEFAULT_METRICS_LISTEN = "127.0.0.1:9464"


class ConfigError(Exception):
    """bots.toml is unusable; `problems` lists every reason, one line each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(
            "bots.toml has problems:\n" + "\n".join(f"  - {problem}" for problem in problems)
        )


def parse_offset(text: str) -> int:
    """'1d' / '2h' / '30m' as minutes; raises ValueError otherwise."""
    match = _OFFSET.match(text)
    if not match:
        raise ValueError(f"{text!r} is not an offset like '1d', '2h' or '30m'")
    amount, unit = int(match.group(1)), match.group(2)
    return amount * {"d": 1440, "h": 60, "m": 1}[unit]


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


@dataclass(frozen=True)
class Settings:
    database_url: str
    time_zone: str
    languages: tuple[str, ...]
    reminder_minutes: tuple[int, ...]
    communities: tuple[Community, ...]
    networks: dict[str, dict[str, Any]] = field(default_factory=dict)
    source: Path | None = None
    # host:port for /healthz, /readyz and /metrics; "" turns them off.
    metrics_listen: str = DEFAULT_METRICS_LISTEN
    web: WebSettings = field(default_factory=WebSettings)
    # `[gather] series_announce_ahead`, in minutes.
    series_ahead_minutes: int = 6 * 1440
    retention: Retention = field(default_factory=Retention)
    call_minutes: tuple[int, ...] = (1440, 60)

    def community_named(self, name: str) -> Community | None:
        return next((c for c in self.communities if c.name == name), None)

    def community_of(self, network: str, chat_id: str) -> Community | None:
        return next((c for c in self.communities if (network, chat_id) in c.rooms), None)


def load(path: Path, environ: dict[str, str] | None = None) -> Settings:
    """Read and validate bots.toml. The database URL may be overridden by GATHER_DATABASE_URL."""
    environ = dict(os.environ) if environ is None else environ
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError([f"{path} does not exist (copy bots.toml from the project)"]) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError([f"{path} is not valid TOML: {error}"]) from None
    return parse(raw, base_dir=path.parent, environ=environ, source=path)


def parse(
    raw: dict[str, Any],
    *,
    base_dir: Path,
    environ: dict[str, str],
    source: Path | None = None,
) -> Settings:
    problems: list[str] = []
    general = _table(raw, "gather", problems)
    _unknown_keys(general, GATHER_KEYS, "[gather]", problems)
    metrics = _table(raw, "metrics", problems)
    _unknown_keys(metrics, METRICS_KEYS, "[metrics]", problems)
    metrics_listen = _listen(metrics.get("listen", DEFAULT_METRICS_LISTEN), problems)

    time_zone = str(general.get("time_zone", "UTC"))
    _check_zone(time_zone, "[gather] time_zone", problems)
    languages = _languages(general.get("languages", ["en"]), "[gather] languages", problems)
    reminders = _offsets(general.get("reminders", list(DEFAULT_REMINDERS)), "[gather]", problems)
    calls = _offsets(
        general.get("calls_for_more", list(DEFAULT_CALLS)), "[gather]", problems, "calls_for_more"
    )
    database_url = environ.get("GATHER_DATABASE_URL") or _database_url(general, base_dir)
    series_ahead = _series_ahead(general.get("series_announce_ahead", DEFAULT_SERIES_AHEAD),
                                 problems)

    networks = {name: _table(raw, name, problems) for name in NETWORKS if name in raw}
    web = _web(_table(raw, "web", problems), problems)
    retention = _retention(_table(raw, "retention", problems), problems)
    unknown = set(raw) - {"gather", "communities", "metrics", "web", "retention", *NETWORKS}
    problems.extend(f"unknown section [{name}]" for name in sorted(unknown))

    communities = _communities(
        raw.get("communities", []), time_zone, languages, reminders, problems, calls
    )
    if problems:
        raise ConfigError(problems)
    return Settings(
        database_url,
        time_zone,
        languages,
        reminders,
        communities,
        networks,
        source,
        metrics_listen,
        web,
        series_ahead,
        retention,
        calls,
    )


def _series_ahead(value: Any, problems: list[str]) -> int:
    try:
        return parse_offset(str(value))
    except ValueError as error:
        problems.append(f"[gather] series_announce_ahead: {error}")
        return 0


def _unknown_keys(
    table: dict[str, Any], known: frozenset[str], where: str, problems: list[str]
) -> None:
    """A misspelt key would otherwise be ignored in silence (`timezone` running in UTC)."""
    for key in sorted(set(table) - known):
        close = difflib.get_close_matches(key, sorted(known), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        problems.append(f"{where}: unknown setting {key!r}{hint}")


def _listen(value: Any, problems: list[str]) -> str:
    text = str(value).strip()
    if not text:
        return ""
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        problems.append('[metrics] listen: give host:port, like "127.0.0.1:9464", or ""')
        return ""
    return text


WEB_KEYS = frozenset({"enabled", "listen", "port", "public_url"})


def _web(section: dict[str, Any], problems: list[str]) -> WebSettings:
    _unknown_keys(section, WEB_KEYS, "[web]", problems)
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


def _retention(section: dict[str, Any], problems: list[str]) -> Retention:
    _unknown_keys(section, RETENTION_KEYS, "[retention]", problems)
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


def _database_url(general: dict[str, Any], base_dir: Path) -> str:
    if "database_url" in general:
        return str(general["database_url"])
    data_dir = Path(str(general.get("data_dir", "data")))
    if not data_dir.is_absolute():
        data_dir = base_dir / data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{data_dir / 'gather.sqlite3'}"


def _table(raw: dict[str, Any], name: str, problems: list[str]) -> dict[str, Any]:
    value = raw.get(name, {})
    if not isinstance(value, dict):
        problems.append(f"[{name}] must be a table")
        return {}
    return value


def _check_zone(name: str, where: str, problems: list[str]) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        hint = next((z for z in sorted(available_timezones()) if z.endswith("/" + name)), None)
        problems.append(
            f"{where}: unknown time zone {name!r}" + (f" (did you mean {hint!r}?)" if hint else "")
        )


def _languages(value: Any, where: str, problems: list[str]) -> tuple[str, ...]:
    """The eight languages the hand-written readers know, or any locale the fallback reader
    (dateparser) knows ("pl", "sv", "pt-BR"); dateparser is imported only to check the latter."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        problems.append(f'{where}: give a list of language codes, e.g. ["en"]')
        return ("en",)
    # "pt_BR" is written as often as "pt-BR": one spelling from here on.
    tags = [str(code).replace("_", "-") for code in value]
    good = [tag for tag in tags if _regional_form(tag) or known_locale(tag)]
    bad = [tag for tag in tags if tag not in good]
    if bad:
        problems.append(
            f"{where}: unknown language {', '.join(bad)}: give one of "
            f"{', '.join(SUPPORTED_LANGUAGES)} or a locale dateparser reads, like pl or sv"
        )
    return tuple(good) or ("en",)


def _regional_form(tag: str) -> bool:
    """One of the eight, or a real regional form of one ("pt-BR", "fr-CA", not "fr-XX")."""
    if tag in SUPPORTED_LANGUAGES:
        return True
    if tag.split("-")[0] not in SUPPORTED_LANGUAGES:
        return False
    try:
        Locale.parse(tag, sep="-")
    except (ValueError, UnknownLocaleError):
        return False
    return True


def _offsets(
    value: Any, where: str, problems: list[str], key: str = "reminders"
) -> tuple[int, ...]:
    if not isinstance(value, list):
        problems.append(f'{where} {key}: give a list like ["1d", "2h"]')
        return ()
    minutes: list[int] = []
    for item in value:
        try:
            minutes.append(parse_offset(str(item)))
        except ValueError as error:
            problems.append(f"{where} {key}: {error}")
    return tuple(sorted(set(minutes), reverse=True))


def _communities(
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
            _unknown_keys(item, COMMUNITY_KEYS, where, problems)
        if not name:
            problems.append(f"{where}: needs a name")
            continue
        zone = str(item.get("time_zone", time_zone))
        if "time_zone" in item:  # an inherited zone was checked (and reported) once already
            _check_zone(zone, where, problems)
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
                languages=_languages(item.get("languages", list(languages)), where, problems),
                reminder_minutes=(
                    _offsets(item["reminders"], where, problems)
                    if "reminders" in item
                    else reminders
                ),
                next_weekday=next_weekday,
                call_minutes=(
                    _offsets(item["calls_for_more"], where, problems, "calls_for_more")
                    if "calls_for_more" in item
                    else calls
                ),
                still_coming=still_coming is not False,
            )
        )
    return tuple(communities)
