"""Slash commands, button presses and autocomplete: acknowledged at once, then the core.

Every interaction is deferred (ephemerally) before anything slow happens, so Discord's 3 s
deadline holds even when the database is busy; the core's reply follows as the follow-up.
The same interaction delivered twice is answered once (in memory here; across restarts the
core's event key drops it).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections import OrderedDict
from collections.abc import Callable, Coroutine
from dataclasses import replace
from typing import Any

import discord
from discord import app_commands

from adapters.discord import translate
from adapters.discord.menus import command_description, option_description
from adapters.discord.render import LIMIT, escape, render
from adapters.discord.views import view_for
from adapters.runtime.inbound import Inbound, raise_if_failed
from core import Gather, Notice, Option, PledgeSource

log = logging.getLogger(__name__)

NONE = discord.AllowedMentions.none()
SEEN_MEMORY = 10_000


def facts_of(interaction: discord.Interaction[Any]) -> translate.Facts:
    user = interaction.user
    channel = interaction.channel
    return translate.Facts(
        interaction_id=interaction.id,
        user_id=user.id,
        user_name=user.name,
        display_name=user.display_name,
        channel_id=interaction.channel_id or 0,
        guild_id=interaction.guild_id,
        channel_title=str(getattr(channel, "name", "") or ""),
        permissions=interaction.permissions.value if interaction.guild_id else 0,
    )


class Interactions:
    """Turns interactions into core commands and answers the person who acted."""

    def __init__(self, gather: Gather) -> None:
        self.gather = gather
        self._seen: OrderedDict[int, None] = OrderedDict()
        self._in_flight: set[asyncio.Task[Any]] = set()
        self.handled = 0
        # Heartbeat and dead letters: a failed command is retried by handling it again.
        self.inbound = Inbound(gather, "discord", self.replay)

    async def finish(self, timeout: float) -> None:
        """Wait (a while) for interactions being answered: on shutdown, finish what began."""
        deadline = asyncio.get_running_loop().time() + timeout
        while pending := {t for t in self._in_flight if t is not asyncio.current_task()}:
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                log.warning("discord: stopping with %d interactions unanswered", len(pending))
                return
            await asyncio.wait(pending, timeout=left)

    def first_time(self, interaction_id: int) -> bool:
        if interaction_id in self._seen:
            return False
        self._seen[interaction_id] = None
        if len(self._seen) > SEEN_MEMORY:
            self._seen.popitem(last=False)
        return True

    # Entry points ------------------------------------------------------------------------

    async def on_slash(
        self, interaction: discord.Interaction[Any], name: str, **options: Any
    ) -> None:
        text = translate.slash_text(name, {k: v for k, v in options.items() if v is not None})
        await self.respond(interaction, text, "bad_code")

    async def on_button(self, interaction: discord.Interaction[Any], custom: str) -> None:
        await self.respond(interaction, translate.button_text(custom), "stale_button")

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        """Component interactions no persistent button claims: answered, never ignored."""
        if interaction.type is not discord.InteractionType.component:
            return
        data: dict[str, Any] = dict(interaction.data or {})
        custom = str(data.get("custom_id", ""))
        if _claimed_by_button(interaction, custom):
            return
        await self.respond(interaction, None, "stale_button")

    async def code_choices(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        rows = await asyncio.to_thread(
            self.gather.open_gatherings_in, "discord", str(interaction.channel_id or ""), current
        )
        return [
            app_commands.Choice(name=f"{code} · {' '.join(title.split())}"[:100], value=code)
            for code, title in rows
        ]

    # The common path ---------------------------------------------------------------------

    async def respond(
        self, interaction: discord.Interaction[Any], text: str | None, refusal: Notice
    ) -> None:
        """Run `text` as a command and answer with the core's reply; no text: the core's
        `refusal` notice, in the language of the channel."""
        if not self.first_time(interaction.id):
            log.debug("interaction %s delivered again: already answered", interaction.id)
            return
        task = asyncio.current_task()
        if task is not None:
            self._in_flight.add(task)
            task.add_done_callback(self._in_flight.discard)
        try:
            await interaction.response.defer(ephemeral=True, thinking=True)
        except discord.HTTPException as error:
            # 40060: answered already (by an earlier process); 10062: more than 3 s late.
            log.warning("interaction %s could not be acknowledged: %s", interaction.id, error.code)
            return
        facts = facts_of(interaction)
        room = translate.command(facts, "").room
        if text is None:
            await _follow_up(interaction, escape(self.gather.notice(room, refusal)))
            return
        command = translate.command(facts, text)
        if interaction.type is discord.InteractionType.component:
            command = replace(command, via=PledgeSource.BUTTON)
        reply = await asyncio.to_thread(self.gather.handle, command)
        self.handled += 1
        if reply.message is None:
            await _follow_up(interaction, escape(self.gather.notice(room, "repeat")))
            return
        # "unreachable" comes once, when someone whose DMs failed acts again: time for the hint.
        hint = self.gather.notice(room, "dm_settings_hint")
        with_hint = facts.guild_id is not None and reply.dm_status == "unreachable"
        content = render(reply.message, LIMIT - len(hint) - 2 if with_hint else LIMIT)
        if with_hint:
            content += "\n\n" + escape(hint)
        if reply.failed is not None:  # kept before the answer, which may fail in its turn
            raw = {"facts": dataclasses.asdict(facts), "text": text}
            await self.inbound.keep(f"interaction:{interaction.id}", raw, RuntimeError(reply.failed))
        await _follow_up(interaction, content, view_for(reply.message.buttons))

    async def replay(self, raw: dict[str, Any]) -> None:
        """A dead letter's retry: the command handled again (the interaction's answer window
        has passed; the announcement's count shows the outcome). Raises if it fails again."""
        facts = translate.Facts(**raw["facts"])
        reply = await asyncio.to_thread(self.gather.handle, translate.command(facts, raw["text"]))
        raise_if_failed(reply)


async def _follow_up(
    interaction: discord.Interaction[Any], content: str, view: discord.ui.View | None = None
) -> None:
    """The answer, shown to the person alone; with the reply's buttons when it has some (the
    readings to correct a gathering to: persistent, so a press works after a restart too)."""
    try:
        if view is None:
            await interaction.followup.send(content, ephemeral=True, allowed_mentions=NONE)
        else:
            await interaction.followup.send(
                content, ephemeral=True, allowed_mentions=NONE, view=view
            )
    except discord.HTTPException as error:
        # The token lives 15 minutes; past that the answer cannot be shown. Log and move on.
        log.warning("interaction %s: could not answer (%s)", interaction.id, error.code)


def _claimed_by_button(interaction: discord.Interaction[Any], custom: str) -> bool:
    """Whether discord.py hands this press to GatherButton (it matches and is on the post)."""
    import re

    if re.fullmatch(translate.CUSTOM_ID_TEMPLATE, custom) is None:
        return False
    message = interaction.message
    if message is None:
        return False
    for row in message.components:
        for child in getattr(row, "children", [row]):
            if getattr(child, "custom_id", None) == custom:
                return True
    return False


Handler = Callable[..., Coroutine[Any, Any, None]]


def build_tree(client: discord.Client, interactions: Interactions) -> app_commands.CommandTree[Any]:
    """The slash commands, each a thin shim that builds the command text. Descriptions come
    from the core's catalogue, in the default language with a localisation for each other one
    (`CatalogueTranslator`, set on the tree before it syncs)."""
    tree: app_commands.CommandTree[Any] = app_commands.CommandTree(client)
    on = interactions.on_slash
    choices = interactions.code_choices
    language = interactions.gather.language_of(None)

    def about(command: str) -> app_commands.locale_str:
        return command_description(language, command)

    def option(name: Option) -> app_commands.locale_str:
        return option_description(language, name)

    @tree.command(name="gather", description=about("gather"))
    @app_commands.describe(text=option("announcement"))
    async def gather(
        interaction: discord.Interaction[Any], text: app_commands.Range[str, 1, 1500]
    ) -> None:
        await on(interaction, "gather", text=text)

    @tree.command(name="join", description=about("join"))
    @app_commands.describe(code=option("code"), guests=option("guests"), role=option("role"))
    @app_commands.autocomplete(code=choices)
    async def join(
        interaction: discord.Interaction[Any],
        code: str | None = None,
        guests: app_commands.Range[int, 1, translate.MAX_GUESTS] | None = None,
        role: app_commands.Range[str, 1, 40] | None = None,
    ) -> None:
        await on(interaction, "join", code=code, guests=guests, role=role)

    @tree.command(name="leave", description=about("leave"))
    @app_commands.describe(code=option("code"))
    @app_commands.autocomplete(code=choices)
    async def leave(interaction: discord.Interaction[Any], code: str | None = None) -> None:
        await on(interaction, "leave", code=code)

    @tree.command(name="list", description=about("list"))
    @app_commands.describe(page=option("page"))
    async def list_(
        interaction: discord.Interaction[Any], page: app_commands.Range[int, 1, 100] | None = None
    ) -> None:
        await on(interaction, "list", page=page)

    @tree.command(name="who", description=about("who"))
    @app_commands.describe(code=option("code"))
    @app_commands.autocomplete(code=choices)
    async def who(interaction: discord.Interaction[Any], code: str | None = None) -> None:
        await on(interaction, "who", code=code)

    @tree.command(name="edit", description=about("edit"))
    @app_commands.describe(code=option("code_required"), change=option("change"))
    @app_commands.autocomplete(code=choices)
    async def edit(interaction: discord.Interaction[Any], code: str, change: str) -> None:
        await on(interaction, "edit", code=code, change=change)

    @tree.command(name="cancel", description=about("cancel"))
    @app_commands.describe(code=option("code_required"), reason=option("reason"))
    @app_commands.autocomplete(code=choices)
    async def cancel(
        interaction: discord.Interaction[Any], code: str, reason: str | None = None
    ) -> None:
        await on(interaction, "cancel", code=code, reason=reason)

    @tree.command(name="tell", description=about("tell"))
    @app_commands.describe(code=option("code_required"), message=option("message"))
    @app_commands.autocomplete(code=choices)
    async def tell(
        interaction: discord.Interaction[Any],
        code: str,
        # Longer than the core takes, so that an overlong one gets its helpful answer.
        message: app_commands.Range[str, 1, 1500],
    ) -> None:
        await on(interaction, "tell", code=code, message=message)

    @tree.command(name="link", description=about("link"))
    @app_commands.describe(code=option("link_code"))
    async def link(interaction: discord.Interaction[Any], code: str | None = None) -> None:
        await on(interaction, "link", code=code)

    @tree.command(name="forget", description=about("forget"))
    async def forget(interaction: discord.Interaction[Any]) -> None:
        await on(interaction, "forget")

    @tree.command(name="settings", description=about("settings"))
    @app_commands.describe(change=option("settings"))
    async def settings(interaction: discord.Interaction[Any], change: str | None = None) -> None:
        await on(interaction, "settings", change=change)

    @tree.command(name="report", description=about("report"))
    @app_commands.describe(text=option("report"), code=option("code"))
    async def report(
        interaction: discord.Interaction[Any],
        text: app_commands.Range[str, 1, 1000],
        code: str | None = None,
    ) -> None:
        await on(interaction, "report", code=code, text=text)

    @tree.command(name="impact", description=about("impact"))
    @app_commands.describe(code=option("code"))
    async def impact(interaction: discord.Interaction[Any], code: str | None = None) -> None:
        await on(interaction, "impact", code=code)

    @tree.command(name="help", description=about("help"))
    async def help_(interaction: discord.Interaction[Any]) -> None:
        await on(interaction, "help")

    return tree
