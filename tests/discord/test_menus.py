"""Slash commands reach Discord with their descriptions in every language of the core's
catalogue (description_localizations, from discord.py's Translator), and the bot's own notices
are the core's words."""

from __future__ import annotations

from typing import Any

from core.storage.db import Database
from core.words import i18n
from core.words.network_words import MENU_COMMANDS
from sandbox.fakes.discord_server import FakeDiscord
from tests.discord.harness import World, running


def registered(dc: FakeDiscord, name: str) -> dict[str, Any]:
    return next(c for c in dc.global_commands if c["name"] == name)


async def test_the_slash_commands_are_described_in_each_language(
    world: World, database: Database
) -> None:
    dc = world.dc
    async with running(world.gather(database), world):
        assert sorted(c["name"] for c in dc.global_commands) == sorted(MENU_COMMANDS)
    join = registered(dc, "join")
    assert join["description"] == i18n.text("en", "menu.join")
    localised = join["description_localizations"]
    assert localised["de"] == i18n.text("de", "menu.join")
    assert localised["fr"] == i18n.text("fr", "menu.join")
    assert localised["es-ES"] == localised["es-419"] == i18n.text("es", "menu.join")
    assert localised["pt-BR"] == i18n.text("pt", "menu.join")
    assert localised["da"] == i18n.text("da", "menu.join")
    assert "pl" not in localised and "en-US" not in localised  # no catalogue / the default
    # The options are described too; their names stay the words the help teaches.
    code = next(o for o in join["options"] if o["name"] == "code")
    assert code["description"] == i18n.text("en", "option.code")
    assert code["description_localizations"]["nl"] == i18n.text("nl", "option.code")
    assert not code.get("name_localizations")
    for command in dc.global_commands:
        assert set(command["description_localizations"]) >= {"de", "fr", "it", "nl", "da"}


async def test_a_bad_code_is_refused_in_the_channels_language(
    world: World, database: Database
) -> None:
    gather = world.gather(database, languages=("de",))
    async with running(gather, world):
        reply = await world.slash(world.member, "join", {"code": "bad code!"})
    assert reply.ephemeral
    assert reply.content == i18n.text("de", "network.bad_code")
