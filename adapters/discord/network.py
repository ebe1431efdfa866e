"""The Discord network: a discord.py client for interactions, and the outbox's sends.

`DiscordNetwork.run` keeps a client logged in (with backoff after a refused token or an
outage, so a restart loop cannot burn IDENTIFYs) and runs the outbox worker beside it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Any

import aiohttp
import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from adapters.discord.commands import NONE, Interactions, build_tree
from adapters.discord.events import EventMirror
from adapters.discord.menus import CatalogueTranslator
from adapters.discord.render import allowed_mentions, render
from adapters.discord.sending import outcome_of, send_message
from adapters.discord.settings import DiscordSettings
from adapters.discord.tracking import TrackedGather
from adapters.discord.views import GatherButton, view_for
from adapters.runtime.backoff import Backoff
from adapters.runtime.outbox import OutboxWorker, scoped
from adapters.runtime.receiving import receive_alone
from adapters.runtime.startup import bot_key, wait_for_turn
from adapters.runtime.stopping import Step, stop_in_order
from core import (
    Delivery,
    Gather,
    Limit,
    Message,
    Outcome,
    Recipient,
    RetryLater,
    Sent,
)

log = logging.getLogger(__name__)

# Discord allows 50 requests/s per bot; a delivery is one or two requests (a first DM also
# opens the channel), so 15 deliveries/s leave room for edits and slash-command syncs.
LIMITS: list[tuple[Limit, str]] = [
    (Limit("global", 15.0, 5), "all"),
    (Limit("channel", 1.0, 5), "group"),  # 5 posts per 5 s per channel
]
HEALTHY_SESSION_SECONDS = 600.0  # a session this long resets the login backoff
# Session starts (IDENTIFYs) kept back from the day's budget: at 0 Discord resets the token.
SESSION_START_RESERVE = 10
STOP_SECONDS = 5.0  # on stop: how long each step may take


def point_at(settings: DiscordSettings) -> None:
    """Where discord.py sends REST and gateway traffic (the real Discord unless told)."""
    Route.BASE = settings.api_base_url
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.gateway_url)


class GatherClient(discord.Client):
    def __init__(self, network: DiscordNetwork) -> None:
        intents = discord.Intents.none()
        intents.guilds = True  # channel names and permissions; no privileged intent
        super().__init__(
            intents=intents,
            allowed_mentions=NONE,
            guild_ready_timeout=network.settings.guild_ready_timeout,
            max_ratelimit_timeout=30.0,
        )
        self.network = network
        self.buttons = network.interactions
        self.tree = build_tree(self, network.interactions)

    async def setup_hook(self) -> None:
        # Runs once per login; registering the same dynamic item again only replaces it.
        self.add_dynamic_items(GatherButton)

    async def on_ready(self) -> None:
        await self.network.on_ready(self)

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        await self.buttons.on_interaction(interaction)

    async def on_disconnect(self) -> None:
        self.buttons.inbound.disconnected()

    async def on_resumed(self) -> None:
        self.buttons.inbound.connected()


class DiscordNetwork:
    name = "discord"

    def __init__(self, gather: Gather, settings: DiscordSettings, token: str) -> None:
        self.gather = gather
        self.settings = settings
        self._token = token
        self.interactions = Interactions(gather)
        self.client: GatherClient | None = None
        self.ready = asyncio.Event()
        self.ready_count = 0
        self.login_attempts = 0
        self._synced = False
        self._tracked = TrackedGather(gather)
        self.events = EventMirror(gather) if settings.scheduled_events else None
        # The bot's limits are shared with the other processes sending for it (PostgreSQL).
        pacer = gather.pacer(self.name, bot_key(token))
        self.worker = OutboxWorker(self._tracked, self, pacer=pacer)

    def __repr__(self) -> str:  # never show the token
        return f"DiscordNetwork(api={self.settings.api_base_url!r})"

    # Running ------------------------------------------------------------------------------

    async def run(self) -> None:
        """One process holds the bot's gateway session (a second login would be a second
        session, handling every event again); others wait, sending nothing meanwhile (sends
        go through the session's client)."""
        await receive_alone(self.gather, self.name, bot_key(self._token), self._serve)

    async def _serve(self) -> None:
        point_at(self.settings)
        worker = asyncio.create_task(self.worker.run(), name="discord-outbox")
        self.interactions.inbound.start()
        try:
            await self._stay_logged_in()
        finally:
            # Presses already with the core get their answer; then the outbox records its
            # sends under way; the worker's database calls (threads cannot be cancelled)
            # finish; only then does the client close.
            await stop_in_order(
                "discord",
                [
                    Step(
                        "answering the presses in hand",
                        lambda: self.interactions.finish(STOP_SECONDS),
                    ),
                    Step("the outbox", lambda: self.worker.finish(worker, STOP_SECONDS)),
                    Step("the core's calls in threads", lambda: self._tracked.idle(STOP_SECONDS)),
                    Step("saying it no longer receives", self.interactions.inbound.stop),
                    Step("closing the client", self.close),
                ],
            )

    async def _stay_logged_in(self) -> None:
        backoff = Backoff(first=10.0, cap=self.settings.max_retry_seconds)
        # The stored start-up turn is spent by an IDENTIFY, not by a login that failed
        # before it (Discord unreachable): the first turn was taken in adapters/networks.py.
        have_turn = True
        while True:
            if not have_turn:
                await wait_for_turn(self.gather, self.name, bot_key(self._token))
                have_turn = True
            self.client = GatherClient(self)
            self.login_attempts += 1
            started = time.monotonic()
            try:
                await self.client.login(self._token)  # REST only: no IDENTIFY yet
                have_turn = False
                if await self._starts_left(self.client):
                    await self.client.connect(reconnect=True)
                    reason = "the connection closed"
                else:
                    reason = "Discord's day of session starts is nearly spent"
            except asyncio.CancelledError:
                # Stopping: the client stays open until run() has answered the presses in
                # flight (their follow-ups need its HTTP session), then run() closes it.
                self.ready.clear()
                raise
            except discord.LoginFailure:
                reason = (
                    f"Discord refused the bot token (401). Check the token in "
                    f"${self.settings.token_env} (Developer Portal → Bot → Reset Token)"
                )
            except discord.PrivilegedIntentsRequired:
                reason = "Discord says the bot asks for a privileged intent it was not granted"
            except (
                discord.HTTPException,
                discord.GatewayNotFound,
                discord.ConnectionClosed,
                aiohttp.ClientError,
                OSError,
            ) as error:
                reason = f"cannot reach Discord: {type(error).__name__}: {error}"
            self.ready.clear()
            self.interactions.inbound.disconnected()
            await self.client.close()
            if time.monotonic() - started > HEALTHY_SESSION_SECONDS:
                backoff.reset()  # it had worked for a good while: not a login loop
            pause = backoff.next()
            log.error("discord: %s; trying again in %.0f s", reason, pause)
            await asyncio.sleep(pause)

    async def _starts_left(self, client: GatherClient) -> bool:
        """Whether `GET /gateway/bot`'s `session_start_limit` leaves room for an IDENTIFY;
        if not, no process starts this bot again until Discord's `reset_after`."""
        data = await client.http.request(Route("GET", "/gateway/bot"))
        limit = data.get("session_start_limit") or {}
        remaining = int(limit.get("remaining", SESSION_START_RESERVE + 1))
        if remaining > SESSION_START_RESERVE:
            return True
        reset_after = float(limit.get("reset_after", 0)) / 1000
        log.error(
            "discord: only %d of %s session starts left today; not logging in for %.0f s",
            remaining,
            limit.get("total", "?"),
            reset_after,
        )
        await asyncio.to_thread(
            self.gather.defer_start, self.name, bot_key(self._token), reset_after
        )
        return False

    async def on_ready(self, client: GatherClient) -> None:
        """Runs after every IDENTIFY (not after a resume): everything here is idempotent."""
        self.ready_count += 1
        log.info("discord: ready as %s (ready #%d)", client.user, self.ready_count)
        if self.settings.sync_commands and not self._synced:
            self._synced = True  # once per process: a PUT of the same commands, not per ready
            try:
                await client.tree.set_translator(
                    CatalogueTranslator(self.gather.language_of(None))
                )
                await client.tree.sync()
            except discord.HTTPException as error:
                self._synced = False
                log.error("discord: could not register slash commands: %s", error)
        self.interactions.inbound.connected()
        self.ready.set()

    async def close(self) -> None:
        if self.client is not None and not self.client.is_closed():
            await self.client.close()

    # Sending ------------------------------------------------------------------------------

    def _live(self) -> GatherClient | None:
        # REST works while the gateway resumes; before the first READY there is no login yet,
        # and requests then would be 401s that count against the invalid-request budget.
        client = self.client
        if client is None or client.is_closed() or not self.ready.is_set():
            return None
        return client

    def limits_for(self, delivery: Delivery) -> list[tuple[Limit, Hashable]]:
        return scoped(delivery, LIMITS)

    async def announce(self, delivery: Delivery) -> Outcome:
        """Post or edit, then keep the scheduled event in step (when it went)."""
        assert delivery.chat_id is not None
        if delivery.message_id is None:
            outcome = await self.post_announcement(delivery.chat_id, delivery.message)
        else:
            outcome = await self.edit_announcement(
                delivery.chat_id, delivery.message_id, delivery.message
            )
        if isinstance(outcome, Sent) and (posted := outcome.message_id or delivery.message_id):
            try:
                await self._mirror(delivery, posted)
            except Exception:  # its trouble never touches the announcement
                log.exception("discord: mirroring announcement %s failed", posted)
        return outcome

    async def post_announcement(self, chat_id: str, message: Message) -> Outcome:
        async def send(client: GatherClient) -> Outcome:
            channel = client.get_partial_messageable(int(chat_id))
            sent = await send_message(channel, message, NONE)
            # The jump link needs the server's id, which only the cached channel knows.
            guild = getattr(client.get_channel(int(chat_id)), "guild", None)
            url = f"https://discord.com/channels/{guild.id}/{chat_id}/{sent.id}" if guild else None
            return Sent(str(sent.id), url=url)

        return await self._call(f"post to {chat_id}", send)

    async def edit_announcement(self, chat_id: str, message_id: str, message: Message) -> Outcome:
        async def edit(client: GatherClient) -> Outcome:
            post = client.get_partial_messageable(int(chat_id)).get_partial_message(int(message_id))
            await post.edit(
                content=render(message), view=view_for(message.buttons), allowed_mentions=NONE
            )
            return Sent(message_id)

        return await self._call(f"edit {message_id} in {chat_id}", edit)

    async def _mirror(self, delivery: Delivery, message_id: str) -> None:
        client = self._live()
        if self.events is None or client is None:
            return
        if delivery.chat_id is None or delivery.gathering is None:
            return
        await self.events.sync(client, delivery.chat_id, message_id, delivery.gathering)

    async def send_to_chat(self, chat_id: str, message: Message) -> Outcome:
        async def send(client: GatherClient) -> Outcome:
            channel = client.get_partial_messageable(int(chat_id))
            sent = await send_message(channel, message, allowed_mentions(message))
            return Sent(str(sent.id))

        return await self._call(f"post to {chat_id}", send)

    async def send_dm(self, recipient: Recipient, message: Message) -> Outcome:
        async def send(client: GatherClient) -> Outcome:
            channel = await client.create_dm(discord.Object(int(recipient.native_id)))
            sent = await send_message(channel, message, NONE)
            return Sent(str(sent.id))

        return await self._call(f"DM to {recipient.native_id}", send, dm=True)

    async def _call(
        self, what: str, action: Callable[[GatherClient], Awaitable[Outcome]], *, dm: bool = False
    ) -> Outcome:
        """Run one send and say what happened, as the outbox worker expects."""
        client = self._live()
        if client is None:
            return RetryLater(5.0, "not connected to Discord", outage=True)
        return await outcome_of(what, action, client, dm=dm)
