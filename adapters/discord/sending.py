"""What one Discord send comes to: posting a message with its buttons, and turning
discord.py's errors into the outcome the outbox worker expects.

Split out of network.py, which keeps the client's login, readiness and the outbox's entry
points; this is the part that only needs a logged-in client and a message.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

import aiohttp
import discord

from adapters.discord.render import render
from adapters.discord.views import view_for
from core import Failed, Message, Outcome, RetryLater, Uncertain, Unreachable

log = logging.getLogger(__name__)

DMS_CLOSED, UNKNOWN_MESSAGE, UNKNOWN_CHANNEL = 50007, 10008, 10003
MISSING_ACCESS, MISSING_PERMISSIONS = 50001, 50013
CANNOT_DM = {DMS_CLOSED, 50278}  # 50278: no mutual guilds with the user

ClientT = TypeVar("ClientT", bound=discord.Client)


async def outcome_of(
    what: str, action: Callable[[ClientT], Awaitable[Outcome]], client: ClientT, *, dm: bool
) -> Outcome:
    """Run one send on a live client and say what happened."""
    try:
        return await action(client)
    except discord.RateLimited as error:  # a wait longer than max_ratelimit_timeout
        return RetryLater(error.retry_after, "rate limited")
    except discord.Forbidden as error:
        if dm and error.code in CANNOT_DM:
            return Unreachable(f"Discord {error.code}: {error.text}")
        if error.code in (MISSING_ACCESS, MISSING_PERMISSIONS):
            log.error(
                "discord: %s refused: the bot lacks a permission there (%s %s). Give it "
                "View Channel, Send Messages and Read Message History.",
                what,
                error.code,
                error.text,
            )
        return Failed(f"Discord {error.status}/{error.code}: {error.text}"[:300])
    except discord.NotFound as error:
        return Failed(
            f"Discord 404/{error.code}: {error.text}"[:300],
            message_gone=error.code == UNKNOWN_MESSAGE,
        )
    except discord.DiscordServerError as error:
        return RetryLater(15.0, f"Discord {error.status}", outage=True)
    except discord.HTTPException as error:
        if error.status == 429:
            retry = _retry_after(error)
            return RetryLater(retry, "rate limited")
        return Failed(f"Discord {error.status}/{error.code}: {error.text}"[:300])
    except (TimeoutError, aiohttp.ServerTimeoutError) as error:
        return Uncertain(f"{what}: no answer ({type(error).__name__})")
    except (aiohttp.ClientConnectionError, OSError) as error:
        if isinstance(error, aiohttp.ServerDisconnectedError):
            return Uncertain(f"{what}: the connection dropped mid-request")
        return RetryLater(10.0, f"cannot reach Discord: {type(error).__name__}", outage=True)


async def send_message(
    channel: discord.abc.Messageable, message: Message, mentions: discord.AllowedMentions
) -> discord.Message:
    """Post a message with its buttons (an announcement's, a "Still coming?"'s); one with
    none goes without a view at all."""
    view = view_for(message.buttons)
    if view is None:
        return await channel.send(render(message), allowed_mentions=mentions)
    return await channel.send(render(message), allowed_mentions=mentions, view=view)


def _retry_after(error: discord.HTTPException) -> float:
    headers = getattr(error.response, "headers", {}) or {}
    try:
        return max(0.5, float(headers.get("Retry-After", 5.0)))
    except ValueError:
        return 5.0
