"""`still_coming` per community: on by default, off on request, and checked at start-up."""

from __future__ import annotations

import pytest

from core.config import ConfigError
from tests.conftest import make_settings


def community(**extra: object) -> list[dict[str, object]]:
    return [{"name": "c", "rooms": ["console:#beach"], **extra}]


def test_the_first_reminder_twelve_hours_ahead_asks_by_default() -> None:
    [settings] = make_settings(communities=community()).communities
    assert settings.still_coming
    assert settings.still_coming_minutes((1440, 120)) == 1440
    assert settings.still_coming_minutes([120, 2880, 720]) == 2880  # configured order: largest
    assert settings.still_coming_minutes((600, 120)) is None  # none 12 hours ahead


def test_a_community_can_turn_it_off() -> None:
    [settings] = make_settings(communities=community(still_coming=False)).communities
    assert settings.still_coming_minutes((1440, 120)) is None


def test_a_value_that_is_not_true_or_false_is_listed() -> None:
    with pytest.raises(ConfigError) as raised:
        make_settings(communities=community(still_coming="sometimes"))
    assert raised.value.problems == ["community c: still_coming must be true or false"]
