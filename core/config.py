"""bots.toml: typed, validated once at start-up, every problem listed in one error.

Secrets never live in the file: a network section names the environment variable that holds
its token. Each network's own section is handed to that network's adapter as it is, so the
adapter validates its own settings (see `adapters.networks`).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from core.config_sections import (
    Community,
    Retention,
    WebSettings,
    read_communities,
    read_retention,
    read_web,
)
from core.config_values import (
    check_zone,
    parse_offset,
    read_languages,
    read_offsets,
    table,
    unknown_keys,
)
from core.contract.identities import NETWORKS

DEFAULT_REMINDERS = ("1d", "2h")
DEFAULT_CALLS = ("1d", "1h")  # the "we need N more" call in the rooms
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
METRICS_KEYS = frozenset({"listen"})
# /healthz, /readyz and /metrics: on this machine only unless bots.toml says otherwise.
DEFAULT_METRICS_LISTEN = "127.0.0.1:9464"


class ConfigError(Exception):
    """bots.toml is unusable; `problems` lists every reason, one line each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(
            "bots.toml has problems:\n" + "\n".join(f"  - {problem}" for problem in problems)
        )


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
        return self._by_name.get(name)

    def community_of(self, network: str, chat_id: str) -> Community | None:
        return self._by_room.get((network, chat_id))

    # Every command asks which community its room is in: a regional instance has thousands,
    # so these are looked up, not searched (at 10,000 communities the search took 18% of the
    # CPU of a process serving joins and their edits). Built on first use; the settings never
    # change after start-up. The first community to name a room keeps it, as the search did.
    @cached_property
    def _by_name(self) -> dict[str, Community]:
        return {c.name: c for c in reversed(self.communities)}

    @cached_property
    def _by_room(self) -> dict[tuple[str, str], Community]:
        return {room: c for c in reversed(self.communities) for room in c.rooms}


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
    general = table(raw, "gather", problems)
    unknown_keys(general, GATHER_KEYS, "[gather]", problems)
    metrics = table(raw, "metrics", problems)
    unknown_keys(metrics, METRICS_KEYS, "[metrics]", problems)
    metrics_listen = _listen(metrics.get("listen", DEFAULT_METRICS_LISTEN), problems)

    time_zone = str(general.get("time_zone", "UTC"))
    check_zone(time_zone, "[gather] time_zone", problems)
    languages = read_languages(general.get("languages", ["en"]), "[gather] languages", problems)
    reminders = read_offsets(
        general.get("reminders", list(DEFAULT_REMINDERS)), "[gather]", problems
    )
    calls = read_offsets(
        general.get("calls_for_more", list(DEFAULT_CALLS)), "[gather]", problems, "calls_for_more"
    )
    database_url = environ.get("GATHER_DATABASE_URL") or _database_url(general, base_dir)
    series_ahead = _series_ahead(
        general.get("series_announce_ahead", DEFAULT_SERIES_AHEAD), problems
    )

    networks = {name: table(raw, name, problems) for name in NETWORKS if name in raw}
    web = read_web(table(raw, "web", problems), problems)
    retention = read_retention(table(raw, "retention", problems), problems)
    unknown = set(raw) - {"gather", "communities", "metrics", "web", "retention", *NETWORKS}
    problems.extend(f"unknown section [{name}]" for name in sorted(unknown))

    communities = read_communities(
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


def _listen(value: Any, problems: list[str]) -> str:
    text = str(value).strip()
    if not text:
        return ""
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        problems.append('[metrics] listen: give host:port, like "127.0.0.1:9464", or ""')
        return ""
    return text


def _database_url(general: dict[str, Any], base_dir: Path) -> str:
    if "database_url" in general:
        return str(general["database_url"])
    data_dir = Path(str(general.get("data_dir", "data")))
    if not data_dir.is_absolute():
        data_dir = base_dir / data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{data_dir / 'gather.sqlite3'}"
