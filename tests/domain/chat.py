"""A test driver that speaks to the core as people in rooms, and reads the outbox back."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from core.app import Gather
from core.contract.commands import Command, Reply
from core.contract.identities import Identity, RoomRef
from core.delivery.outbox import Delivery, Sent

_events = itertools.count(1)


@dataclass
class Chat:
    gather: Gather
    sent: list[Delivery] = field(default_factory=list)

    def say(
        self,
        who: str,
        text: str,
        *,
        room: str = "console:#beach",
        admin: bool = False,
        event_key: str | None = None,
        private: bool = False,
    ) -> Reply:
        network, _, chat_id = room.partition(":")
        actor_network, _, native = who.partition(":") if ":" in who else (network, "", who)
        return self.gather.handle(
            Command(
                actor=Identity(actor_network, native, native.title(), native),
                room=RoomRef(network, chat_id, is_private=private),
                text=text,
                event_key=event_key or f"event-{next(_events)}",
                actor_is_admin=admin,
            )
        )

    def deliver(self, network: str) -> list[Delivery]:
        """Send everything due on `network` as if the platform accepted it."""
        delivered: list[Delivery] = []
        while batch := self.gather.claim(network, "test-worker", 100):
            for delivery in batch:
                assert self.gather.begin_send(delivery)
                message_id = delivery.message_id or f"m{delivery.id}"
                self.gather.complete(delivery, Sent(message_id))
                delivered.append(delivery)
        self.sent.extend(delivered)
        return delivered

    def deliver_all(self) -> list[Delivery]:
        return [d for n in ("console", "telegram", "discord", "mastodon") for d in self.deliver(n)]


def text_of(reply: Reply) -> str:
    assert reply.message is not None
    return reply.message.plain()


def code_in(reply: Reply) -> str:
    assert reply.gathering_code is not None, text_of(reply)
    return reply.gathering_code
