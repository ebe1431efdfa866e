"""Every word an adapter or the parser's wording asks for by a built key is in the catalogue:
the menus, the options, the networks' notices and one sentence per parser code."""

from __future__ import annotations

from typing import get_args

from core.parsing import NOTE_CODES, PROBLEM_CODES
from core.words import i18n, network_words
from core.words.network_words import MENU_COMMANDS, Notice, Option


def _keys(language: str) -> set[str]:
    return set(i18n.catalogue(language).entries)


def test_every_built_key_is_in_every_language() -> None:
    built = {
        *(f"menu.{command}" for command in MENU_COMMANDS),
        *(f"option.{option}" for option in get_args(Option)),
        *(f"network.{notice}" for notice in get_args(Notice)),
        *(f"parse.{code}" for code in [*PROBLEM_CODES, *NOTE_CODES]),
    }
    for language in i18n.LANGUAGES:
        assert sorted(built - _keys(language)) == [], language


def test_menus_fit_discord_and_telegram_in_every_language() -> None:
    for language in network_words.menu_languages():
        for command, description in network_words.command_menu(language):
            assert 3 <= len(description) <= 100, (language, command)
        for option in get_args(Option):
            assert 1 <= len(network_words.describe_option(language, option)) <= 100


def test_notices_differ_from_english_in_every_other_language() -> None:
    for language in network_words.menu_languages():
        if language == "en":
            continue
        for notice in get_args(Notice):
            values = {
                **{"url": "https://t.me/x", "bot": "gather", "code": "K7QF", "link": "L"},
                **{"person": "bob", "chat": "#park"},  # the console's lines
                "task": "driver",  # Mastodon's line for roles
            }
            assert network_words.notice(language, notice, **values) != network_words.notice(
                "en", notice, **values
            ), (language, notice)
