"""The words a network shows around the core's messages, from the catalogue.

Adapters never write a sentence of their own: the command menus (Telegram's command list,
Discord's slash commands and their options) and the few notices a network adds (a stale
button, Mastodon's line under an announcement) are catalogue entries, in every language the
core speaks. An adapter asks for them here (menus, for every language at start-up) or through
`Gather.notice` (a notice in the language of a room) and only renders them.
"""

from __future__ import annotations

from typing import Literal

from core.words import i18n

# The commands a menu lists, in the order people see them; each has `menu.<command>`.
MENU_COMMANDS = (
    "gather",
    "join",
    "leave",
    "list",
    "who",
    "edit",
    "cancel",
    "tell",
    "link",
    "settings",
    "forget",
    "report",
    "impact",
    "help",
)
# What a slash command's options are described as; each has `option.<name>`.
Option = Literal[
    "announcement",
    "code",
    "code_required",
    "guests",
    "role",
    "change",
    "reason",
    "link_code",
    "settings",
    "message",
    "page",
    "report",
]
# The notices a network adds; each has `network.<name>`.
Notice = Literal[
    "stale_button",
    "bad_code",
    "repeat",
    "dm_settings_hint",
    "open_for_reminders",
    "mention_help",
    "boost_to_join",
    "reply_join_or_leave",
    "reply_join_role",
    "event_description",
    "event_location",
    "console_help",
    "console_as",
    "console_room",
    "console_admin_on",
    "console_admin_off",
]


def menu_languages() -> tuple[str, ...]:
    """Every language the catalogue has (English first): one menu each."""
    return tuple(i18n.LANGUAGES)


def command_menu(language: str) -> tuple[tuple[str, str], ...]:
    """(command, description) for each command of the menu, in `language`."""
    return tuple((command, i18n.text(language, f"menu.{command}")) for command in MENU_COMMANDS)


def describe_command(language: str, command: str) -> str:
    return i18n.text(language, f"menu.{command}")


def describe_option(language: str, option: Option) -> str:
    return i18n.text(language, f"option.{option}")


def notice(language: str, name: Notice, **values: object) -> str:
    """A network's notice in `language`, with `values` filled in (`{url}`, `{code}`...)."""
    return i18n.text(language, f"network.{name}", **values)
