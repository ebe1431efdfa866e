"""The contract between the core and a network adapter: one Protocol, six members.

An adapter turns native events into `core.Command`s (inbound, inside `run`) and puts the
core's platform-neutral messages on the wire (outbound, called by the outbox worker in
adapters/runtime/outbox.py). Each outbound method returns an Outcome rather than raising, so
the worker can record exactly what happened. Nothing else is looked up at run time: what a
network does not need, it implements plainly (no limits is an empty list).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Protocol

from core import Delivery, Limit, Message, Outcome, Recipient


class Network(Protocol):
    name: str

    async def run(self) -> None:
        """Receive events and deliver the outbox until cancelled; then stop in order
        (adapters/runtime/stopping.py) and release every connection it opened."""

    def limits_for(self, delivery: Delivery) -> list[tuple[Limit, Hashable]]:
        """The platform rate limits a delivery counts against, with the key of each."""

    async def announce(self, delivery: Delivery) -> Outcome:
        """Post the announcement (no `message_id` yet: Sent carries the new post's id) or
        edit it in place. A network that keeps a copy elsewhere in step (Discord's scheduled
        events) does so here, best effort, after the post itself went."""

    async def send_to_chat(self, chat_id: str, message: Message) -> Outcome:
        """A message in a room (a channel, a group, a public timeline)."""

    async def send_dm(self, recipient: Recipient, message: Message) -> Outcome:
        """A direct message; Unreachable when the person cannot be messaged."""
