"""Announcement buttons that keep working after a restart.

Each button is a `discord.ui.DynamicItem` whose static custom id (`gather:join:K7QF`) carries
everything needed to act on it, so the handler registered at start-up
(`client.add_dynamic_items(GatherButton)`) serves every announcement ever posted, with no
per-message state in memory.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

import discord

from adapters.discord.translate import CUSTOM_ID_TEMPLATE, custom_id
from core import Button

if TYPE_CHECKING:
    from re import Match

STYLES = {
    "join": discord.ButtonStyle.success,
    "leave": discord.ButtonStyle.secondary,
    "guest": discord.ButtonStyle.primary,
}
# Answers to "Still coming?" look like what they do: keep the place, or give it up.
ANSWER_STYLES = {"yes": discord.ButtonStyle.success, "no": discord.ButtonStyle.secondary}


class ButtonHandler(Protocol):
    async def on_button(self, interaction: discord.Interaction[Any], custom: str) -> None: ...


class GatherButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=CUSTOM_ID_TEMPLATE):
    def __init__(self, custom: str, label: str = "", style: discord.ButtonStyle | None = None):
        super().__init__(
            discord.ui.Button(
                label=label[:80] or None,
                style=style or discord.ButtonStyle.secondary,
                custom_id=custom,
            )
        )
        self.custom = custom

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: Match[str],
    ) -> GatherButton:
        return cls(match.string)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        client: Any = interaction.client
        await client.buttons.on_button(interaction, self.custom)


def view_for(buttons: tuple[Button, ...]) -> discord.ui.View | None:
    """The buttons of an announcement; None when it has none (a cancelled gathering)."""
    if not buttons:
        return None
    view = discord.ui.View(timeout=None)
    for button in buttons[:25]:
        style = ANSWER_STYLES.get(button.argument) or STYLES.get(button.action)
        view.add_item(GatherButton(custom_id(button), button.label, style))
    return view
