"""Slash-command descriptions in the reader's language, from the core's catalogue.

Each description is a `locale_str` whose extras name the catalogue entry (a command's or an
option's); discord.py asks `CatalogueTranslator` for every Discord locale when it syncs the
commands and sends the answers as `description_localizations`. Command and option names stay
the command words the core reads and its help teaches (/gather, /join ...), in every language.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from core import Option, describe_command, describe_option, menu_languages


def command_description(language: str, command: str) -> app_commands.locale_str:
    """What `command` does, in `language` (the default), translatable to every locale."""
    return app_commands.locale_str(
        describe_command(language, command), command=command
    )


def option_description(language: str, option: Option) -> app_commands.locale_str:
    return app_commands.locale_str(describe_option(language, option), option=option)


def language_of(locale: discord.Locale) -> str | None:
    """The catalogue language for a Discord locale ('de', 'pt-BR' -> 'pt'); None: no catalogue."""
    language = locale.value.split("-")[0]
    return language if language in menu_languages() else None


class CatalogueTranslator(app_commands.Translator):
    """Descriptions for each Discord locale the catalogue has a language for."""

    def __init__(self, default_language: str) -> None:
        self.default_language = default_language

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        language = language_of(locale)
        if language is None or language == self.default_language:
            return None  # Discord shows the default description
        extras: dict[str, Any] = string.extras
        if "command" in extras:
            return describe_command(language, str(extras["command"]))
        if "option" in extras:
            return describe_option(language, extras["option"])
        return None
