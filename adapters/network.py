"""The contract between the core and a network adapter: small on purpose.

An adapter turns native events into `core.contract.commands.Command`s (inbound) and puts the core's
platform-neutral messages on the wire (outbound). Each outbound method returns an Outcome
(core.delivery.outbox) rather than raising, so the worker can record exactly what happened.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Protocol

from core import Delivery, Limit, Message, Outcome, Recipient


class Network(Protocol):
    name: str

    async def run(self) -> None:
        """Receive events until cancelled."""

    async def post_announcement(self, chat_id: str, message: Message) -> Outcome:
        """Post a new announcement; Sent carries the new post's id."""

    async def edit_announcement(
        self, chat_id: str, message_id: str, message: Message
    ) -> Outcome: ...

    async def send_to_chat(self, chat_id: str, message: Message) -> Outcome: ...

    async def send_dm(self, recipient: Recipient, message: Message) -> Outcome:
        """A direct message; Unreachable when the person cannot be messaged."""

    async def close(self) -> None: ...


class Paced(Protocol):
    def limits_for(self, delivery: Delivery) -> list[tuple[Limit, Hashable]]:
        """The rate limits a delivery counts against, with the key of each."""


class Mirrors(Protocol):
    async def mirror_announcement(self, delivery: Delivery, message_id: str) -> None:
        """After an announcement was posted or edited: keep a copy elsewhere in step (Discord
        mirrors gatherings as scheduled events). Best effort; never raises for the worker."""
