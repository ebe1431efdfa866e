"""Who said something, where: the network-neutral names the core works with."""

from __future__ import annotations

from dataclasses import dataclass

NETWORKS = ("console", "telegram", "discord", "mastodon")


@dataclass(frozen=True)
class Identity:
    """A person as one network knows them. Native ids are always strings."""

    network: str
    native_id: str
    display_name: str = ""
    # How to mention them on their network (a Mastodon acct, a Telegram username), if known.
    handle: str = ""

    def __str__(self) -> str:
        return f"{self.network}:{self.native_id}"

    @classmethod
    def parse(cls, text: str, display_name: str = "") -> Identity:
        network, _, native_id = text.partition(":")
        if not network or not native_id:
            raise ValueError(f"not an identity: {text!r} (expected network:id)")
        return cls(network, native_id, display_name)


@dataclass(frozen=True)
class RoomRef:
    """A chat on one network: a group, channel, account timeline or private chat."""

    network: str
    chat_id: str
    is_private: bool = False
    title: str = ""

    def __str__(self) -> str:
        return f"{self.network}:{self.chat_id}"
