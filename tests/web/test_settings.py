"""The [web] section: defaults, and every problem listed at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import ConfigError, parse


def load(web: object) -> object:
    raw = {"gather": {}, "web": web}
    return parse(raw, base_dir=Path("."), environ={"GATHER_DATABASE_URL": "sqlite://"}).web


def test_pages_are_on_by_default_on_localhost_8080() -> None:
    web = parse({}, base_dir=Path("."), environ={"GATHER_DATABASE_URL": "sqlite://"}).web
    assert (web.enabled, web.listen, web.port) == (True, "127.0.0.1", 8080)
    assert web.page_url("K7QF") == "http://127.0.0.1:8080/g/K7QF"


def test_a_public_url_is_what_links_use() -> None:
    web = load({"public_url": "https://gather.example.org/", "port": 0})
    assert web.page_url("K7QF") == "https://gather.example.org/g/K7QF"  # type: ignore[attr-defined]


def test_every_bad_setting_is_listed() -> None:
    with pytest.raises(ConfigError) as error:
        load(
            {
                "enabled": "yes",
                "listen": "a b",
                "port": 70000,
                "public_url": "javascript:alert(1)",
                "colour": "red",
            }
        )
    text = str(error.value)
    for part in ("enabled", "listen", "port", "public_url", "'colour'"):
        assert part in text
