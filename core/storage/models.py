"""The stored state of Gather, as SQLAlchemy 2 typed models.

Every instant is stored as an aware UTC timestamp. Counters on Gathering are kept in the
same transaction as the pledge that changes them, so a reader never sees one without the other.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    case,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import TypeDecorator

from core.storage.statuses import (
    DmStatus,
    GatheringStatus,
    PledgeSource,
    PledgeState,
    stored,
)

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """An aware datetime that comes back aware from SQLite too (which stores no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass an aware one")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UtcDateTime()}


class Person(Base):
    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime]
    reminders_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # Minutes before the start, comma-separated; None means the community's default.
    reminder_offsets: Mapped[str | None] = mapped_column(String(100), default=None)
    shows_name: Mapped[bool] = mapped_column(Boolean, default=False)

    identities: Mapped[list[Identity]] = relationship(back_populates="person")


class Identity(Base):
    __tablename__ = "identities"
    __table_args__ = (UniqueConstraint("network", "native_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    network: Mapped[str] = mapped_column(String(20))
    native_id: Mapped[str] = mapped_column(String(100))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    # How to address them in a mention (Mastodon acct, Telegram username); may be empty.
    handle: Mapped[str] = mapped_column(String(300), default="")
    # Unknown until they write in private or a DM fails; unreachable stops DMs until they write.
    dm_status: Mapped[DmStatus] = mapped_column(
        stored(DmStatus, "dm_status"), default=DmStatus.UNKNOWN
    )
    # Since when they have blocked the bot (the network said so): only writing to the bot in
    # private lifts it, not a word in a group.
    blocked_at: Mapped[datetime | None] = mapped_column(default=None)
    dm_hint_sent_at: Mapped[datetime | None] = mapped_column(default=None)
    last_seen_at: Mapped[datetime]

    person: Mapped[Person] = relationship(back_populates="identities")


class Room(Base):
    __tablename__ = "rooms"
    __table_args__ = (UniqueConstraint("network", "chat_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    network: Mapped[str] = mapped_column(String(20))
    chat_id: Mapped[str] = mapped_column(String(100))
    community: Mapped[str] = mapped_column(String(200), index=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    is_private: Mapped[bool] = mapped_column(Boolean, default=False)
    # The id this chat had before the network changed it (Telegram group -> supergroup).
    moved_from: Mapped[str | None] = mapped_column(String(100), default=None)
    # A private chat is with one account: this one (so that /forget erases the chat too).
    identity_id: Mapped[int | None] = mapped_column(
        ForeignKey("identities.id", ondelete="SET NULL"), default=None, index=True
    )


class Gathering(Base):
    __tablename__ = "gatherings"
    __table_args__ = (
        Index(None, "community", "status", "starts_at"),
        # One occurrence per day of a series, however many processes make them at once.
        UniqueConstraint("series_id", "series_day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    original_text: Mapped[str] = mapped_column(Text)
    starts_at: Mapped[datetime]
    time_zone: Mapped[str] = mapped_column(String(64))
    has_time: Mapped[bool] = mapped_column(Boolean, default=True)
    # A day (or days) with no time written: starts_at is the first day's local midnight,
    # ends_at the local midnight after the last day, and people may join until then.
    all_day: Mapped[bool] = mapped_column(Boolean, default=False)
    ends_at: Mapped[datetime | None] = mapped_column(default=None)
    place: Mapped[str | None] = mapped_column(String(300), default=None)
    target: Mapped[int | None] = mapped_column(Integer, default=None)
    capacity: Mapped[int | None] = mapped_column(Integer, default=None)
    status: Mapped[GatheringStatus] = mapped_column(
        stored(GatheringStatus, "status"), default=GatheringStatus.OPEN
    )
    language: Mapped[str] = mapped_column(String(10), default="en")
    organiser_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id"), index=True)
    community: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)
    people_going: Mapped[int] = mapped_column(Integer, default=0)
    guests_going: Mapped[int] = mapped_column(Integer, default=0)
    # Set once, when the count first reached the target: "it's on" is told exactly once.
    reached_target_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # It has roles (the `roles` table): kept here so a join to a gathering without any, the
    # common case, never reads that table.
    has_roles: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    # An occurrence of a series (core/storage/series.py): which one, and its day by the rule
    # in the series' zone (kept when an edit moves the occurrence's time).
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("series.id"), default=None, index=True
    )
    series_day: Mapped[date | None] = mapped_column(default=None)

    room: Mapped[Room] = relationship()

    @property
    def headcount(self) -> int:
        return self.people_going + self.guests_going

    @hybrid_property
    def joinable_until(self) -> datetime:
        """Until when people may join: the start, or for a whole-day gathering the end of
        its last day ("this weekend", sent on the Sunday, stays open all Sunday)."""
        if self.all_day and self.ends_at is not None:
            return self.ends_at
        return self.starts_at

    @joinable_until.inplace.expression
    @classmethod
    def _joinable_until(cls) -> ColumnElement[datetime]:
        return case(
            (cls.all_day & cls.ends_at.is_not(None), cls.ends_at), else_=cls.starts_at
        )


class Role(Base):
    """What a gathering needs people for ("15 pickers, 2 drivers and a first-aider"), each
    with its own target and room; position 0 is the general role a plain join takes."""

    __tablename__ = "roles"
    __table_args__ = (UniqueConstraint("gathering_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    gathering_id: Mapped[int] = mapped_column(ForeignKey("gatherings.id"))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(60))  # the noun as the organiser wrote it
    target: Mapped[int | None] = mapped_column(Integer, default=None)
    capacity: Mapped[int | None] = mapped_column(Integer, default=None)


class Pledge(Base):
    __tablename__ = "pledges"
    __table_args__ = (
        UniqueConstraint("gathering_id", "person_id"),
        Index(None, "gathering_id", "state", "updated_at"),
        Index(None, "person_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    gathering_id: Mapped[int] = mapped_column(ForeignKey("gatherings.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    network: Mapped[str] = mapped_column(String(20))
    guests: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[PledgeState] = mapped_column(stored(PledgeState, "state"))
    # How it was made; None for pledges made before this was recorded. A pledge withdrawn
    # because its boost was taken back has None too: a later boost counts again.
    source: Mapped[PledgeSource | None] = mapped_column(
        stored(PledgeSource, "source"), default=None
    )
    # The role they hold, for a gathering with roles (one role per person per gathering).
    role_id: Mapped[int | None] = mapped_column(ForeignKey("roles.id"), default=None)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # The "Still coming?" check (core/rules/confirmations.py): when it was put to them, the
    # post that asked ("network:message id", so a Mastodon reply to it is the answer), and
    # when they said yes. Cleared when they leave: a pledge made again is asked again.
    asked_at: Mapped[datetime | None] = mapped_column(default=None)
    asked_in: Mapped[str | None] = mapped_column(String(100), default=None, index=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(default=None)


class Announcement(Base):
    __tablename__ = "announcements"
    __table_args__ = (UniqueConstraint("gathering_id", "room_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    gathering_id: Mapped[int] = mapped_column(ForeignKey("gatherings.id"), index=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id"), index=True)
    # None until the network has confirmed the post.
    message_id: Mapped[str | None] = mapped_column(String(100), default=None, index=True)
    # A digest of what the post shows now, so an edit that changes nothing is never sent.
    shown_digest: Mapped[str | None] = mapped_column(String(64), default=None)
    shown_version: Mapped[int] = mapped_column(Integer, default=0)
    posted_at: Mapped[datetime | None] = mapped_column(default=None)
    # Where a person can open the post (Discord's jump link, the Mastodon status), if known.
    post_url: Mapped[str | None] = mapped_column(String(500), default=None)
    # The network's copy of it elsewhere (Discord's scheduled event), in the adapter's words.
    mirror: Mapped[str | None] = mapped_column(String(100), default=None)

    room: Mapped[Room] = relationship()


class CommandUse(Base):
    """One use of a rate-limited command (/edit, /cancel by a person; /tell of a gathering):
    kept only as long as the longest window counts it (`core.rules.limits` prunes older rows),
    erased with the person by /forget."""

    __tablename__ = "command_uses"
    __table_args__ = (
        Index(None, "word", "person_id", "used_at"),
        Index(None, "word", "gathering_id", "used_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    word: Mapped[str] = mapped_column(String(20))
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="SET NULL"), default=None
    )
    gathering_id: Mapped[int | None] = mapped_column(
        ForeignKey("gatherings.id", ondelete="CASCADE"), default=None
    )
    used_at: Mapped[datetime] = mapped_column(index=True)


class LinkCode(Base):
    __tablename__ = "link_codes"

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    identity_id: Mapped[int] = mapped_column(ForeignKey("identities.id", ondelete="CASCADE"))
    expires_at: Mapped[datetime]


class OrganiserLink(Base):
    """A private link to a gathering's organiser page. Only a digest of its token is kept, so
    the database alone cannot open the page; revoking sets `revoked_at`."""

    __tablename__ = "organiser_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    gathering_id: Mapped[int] = mapped_column(ForeignKey("gatherings.id"), index=True)
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class Cursor(Base):
    """A durable position in a network's event stream (e.g. the last Mastodon notification)."""

    __tablename__ = "cursors"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime]
