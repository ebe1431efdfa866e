"""The closed sets of words the stored state uses for statuses and kinds.

Each is a `StrEnum`, so a member equals its stored text ("pending" == OutboxStatus.PENDING) and
rows read back compare with plain strings too. They are stored as VARCHAR with a CHECK
constraint (not a native PostgreSQL enum), so adding a member is one constraint change.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Enum


class GatheringStatus(StrEnum):
    OPEN = "open"
    CANCELLED = "cancelled"


class PledgeState(StrEnum):
    GOING = "going"
    WAITLISTED = "waitlisted"
    WITHDRAWN = "withdrawn"  # history, never counted


LIVE_PLEDGE_STATES = (PledgeState.GOING, PledgeState.WAITLISTED)


class PledgeSource(StrEnum):
    """How a pledge was made. A pledge made by a boost is withdrawn when the boost is taken
    back; one made any other way is not."""

    BUTTON = "button"
    COMMAND = "command"
    BOOST = "boost"
    REPLY = "reply"


class DmStatus(StrEnum):
    """Whether a person can be reached by a direct message on one network."""

    UNKNOWN = "unknown"  # not tried yet, or worth trying again since they wrote
    REACHABLE = "reachable"  # they wrote to the bot in private: DMs work
    UNREACHABLE = "unreachable"  # a DM failed or they blocked the bot: no DMs until they write


class OutboxStatus(StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"  # leased to a sender
    SENDING = "sending"  # fenced: the network call may be under way
    SENT = "sent"
    FAILED = "failed"
    UNCERTAIN = "uncertain"  # may or may not have arrived; never sent again
    SKIPPED = "skipped"  # no longer worth sending


class OutboxKind(StrEnum):
    ANNOUNCEMENT = "announcement"
    ROOM = "room"
    DM = "dm"


def stored(enum: type[StrEnum], name: str) -> Enum:
    """A column type for `enum`: its values (not its names) as VARCHAR(20), with a CHECK named
    `name` (the naming convention makes it ck_<table>_<name>)."""
    return Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=20,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class SeriesStatus(StrEnum):
    OPEN = "open"  # occurrences are still made
    ENDED = "ended"  # /cancel SERIES: no more occurrences, future ones cancelled
