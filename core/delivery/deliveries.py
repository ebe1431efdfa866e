"""What the outbox hands an adapter (a Delivery) and what the adapter answers (an Outcome).

Plain values: the boundary between the core's outbox and the networks' sends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.contract.messages import Message


@dataclass(frozen=True)
class Recipient:
    native_id: str
    handle: str
    display_name: str


@dataclass(frozen=True)
class GatheringFacts:
    """The gathering an announcement shows, for networks that mirror it in a calendar of
    their own (Discord's scheduled events)."""

    code: str
    title: str
    starts_at: datetime
    ends_at: datetime | None
    place: str | None
    status: str  # open | cancelled | finished
    version: int  # changes with every edit of the details, never with the count


@dataclass(frozen=True)
class Delivery:
    """One claimed message, ready to put on the wire by the network's adapter."""

    id: int
    token: str
    network: str
    kind: str  # announcement | room | dm
    purpose: str
    message: Message
    chat_id: str | None = None  # announcement and room posts
    message_id: str | None = None  # an announcement already posted: edit it
    recipient: Recipient | None = None  # dm
    digest: str = ""
    gathering: GatheringFacts | None = None  # announcements
    # The gathering's details version it was rendered from: checked again at send time.
    version: int | None = None


# Outcomes an adapter reports -------------------------------------------------------------


@dataclass(frozen=True)
class Sent:
    message_id: str | None = None
    # Where a person can open what was posted (a Discord jump link, a Mastodon status), if
    # the network says; a gathering's page links to its announcements there.
    url: str | None = None


@dataclass(frozen=True)
class RetryLater:
    """Not sent, and not refused: try again later. Never counts against the message.

    `outage`: the network could not be reached or failed on its side (not connected,
    connection errors, 5xx, a timeout before the request went out); the row then waits a
    backed-off, jittered time of its own, at least `seconds`. Otherwise (a rate limit, a
    hand-back) it waits exactly `seconds`."""

    seconds: float
    reason: str = "rate limited"
    outage: bool = False


@dataclass(frozen=True)
class Unreachable:
    """The person cannot be messaged (never started the bot, blocked it, DMs closed)."""

    reason: str = ""


@dataclass(frozen=True)
class ChatMoved:
    new_chat_id: str


@dataclass(frozen=True)
class Uncertain:
    """The send may or may not have arrived (a read timeout after the request went out)."""

    reason: str = ""


@dataclass(frozen=True)
class Failed:
    reason: str
    # The post an edit was aimed at is gone: post the announcement afresh.
    message_gone: bool = False


Outcome = Sent | RetryLater | Unreachable | ChatMoved | Uncertain | Failed
