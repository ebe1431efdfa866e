"""The core's front door: everything an adapter may use, and nothing else.

Adapters import from `core` only (tests/test_front_door.py walks their imports). What is not
listed here (storage models, handlers, rules) is the core's own business.

The names load on first use (PEP 562), so that `from core import Message` in a pure render
module does not pull in the database layer, the parser and the catalogue.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.app import Gather
    from core.clock import Clock, FixedClock, SystemClock
    from core.config import ConfigError, Settings
    from core.config import load as load_settings
    from core.contract.commands import Command, Reply, split_command
    from core.contract.identities import Identity, RoomRef
    from core.contract.messages import (
        BUTTON_ACTIONS,
        BUTTON_ARGUMENT,
        Button,
        Message,
        MessageBuilder,
        Span,
        text_message,
    )
    from core.delivery.deliveries import (
        ChatMoved,
        Delivery,
        Failed,
        GatheringFacts,
        Outcome,
        Recipient,
        RetryLater,
        Sent,
        Uncertain,
        Unreachable,
    )
    from core.delivery.pacing import Limit, Pacer, Pacing
    from core.operations import Status, reach_database
    from core.operations.dead_letters import FIRST_RETRY as DEAD_LETTER_FIRST_RETRY
    from core.operations.heartbeats import BEAT_EVERY as HEARTBEAT_EVERY
    from core.operations.startups import LASTED_SECONDS as START_LASTED_SECONDS
    from core.operations.version import gather_version, library_versions
    from core.rules.codes import ALPHABET as CODE_ALPHABET
    from core.storage.backup import backup_sqlite, pg_dump, sqlite_file
    from core.storage.db import upgrade as upgrade_database
    from core.storage.statuses import DmStatus, PledgeSource
    from core.views.organiser_pages import OrganiserView
    from core.views.pages import (
        Count,
        GatheringView,
        count_text,
        gathering_code,
        language_tag,
        map_link,
        network_name,
        page_plural,
        page_words,
    )
    from core.views.series_pages import SeriesView
    from core.words.network_words import (
        MENU_COMMANDS,
        Notice,
        Option,
        command_menu,
        describe_command,
        describe_option,
        menu_languages,
        notice,
    )

# name -> (module, attribute in it)
_EXPORTS: dict[str, tuple[str, str]] = {
    # The facade, its settings and clocks
    "Gather": ("core.app", "Gather"),
    "Settings": ("core.config", "Settings"),
    "ConfigError": ("core.config", "ConfigError"),
    "load_settings": ("core.config", "load"),
    "upgrade_database": ("core.storage.db", "upgrade"),
    "Clock": ("core.clock", "Clock"),
    "SystemClock": ("core.clock", "SystemClock"),
    "FixedClock": ("core.clock", "FixedClock"),
    # Inbound: who said what, where
    "Command": ("core.contract.commands", "Command"),
    "Reply": ("core.contract.commands", "Reply"),
    "split_command": ("core.contract.commands", "split_command"),
    "Identity": ("core.contract.identities", "Identity"),
    "RoomRef": ("core.contract.identities", "RoomRef"),
    # Messages, platform-neutral
    "Message": ("core.contract.messages", "Message"),
    "MessageBuilder": ("core.contract.messages", "MessageBuilder"),
    "Span": ("core.contract.messages", "Span"),
    "Button": ("core.contract.messages", "Button"),
    "BUTTON_ACTIONS": ("core.contract.messages", "BUTTON_ACTIONS"),
    "BUTTON_ARGUMENT": ("core.contract.messages", "BUTTON_ARGUMENT"),
    "text_message": ("core.contract.messages", "text_message"),
    "CODE_ALPHABET": ("core.rules.codes", "ALPHABET"),
    # Outbound: deliveries and what became of them
    "Delivery": ("core.delivery.deliveries", "Delivery"),
    "Recipient": ("core.delivery.deliveries", "Recipient"),
    "GatheringFacts": ("core.delivery.deliveries", "GatheringFacts"),
    "Outcome": ("core.delivery.deliveries", "Outcome"),
    "Sent": ("core.delivery.deliveries", "Sent"),
    "RetryLater": ("core.delivery.deliveries", "RetryLater"),
    "Unreachable": ("core.delivery.deliveries", "Unreachable"),
    "ChatMoved": ("core.delivery.deliveries", "ChatMoved"),
    "Uncertain": ("core.delivery.deliveries", "Uncertain"),
    "Failed": ("core.delivery.deliveries", "Failed"),
    # Running it: heartbeats, dead letters, status, versions, backups (core/operations)
    "DEAD_LETTER_FIRST_RETRY": ("core.operations.dead_letters", "FIRST_RETRY"),
    "HEARTBEAT_EVERY": ("core.operations.heartbeats", "BEAT_EVERY"),
    "Status": ("core.operations", "Status"),
    "reach_database": ("core.operations", "reach_database"),
    "gather_version": ("core.operations.version", "gather_version"),
    "library_versions": ("core.operations.version", "library_versions"),
    "sqlite_file": ("core.storage.backup", "sqlite_file"),
    "backup_sqlite": ("core.storage.backup", "backup_sqlite"),
    "pg_dump": ("core.storage.backup", "pg_dump"),
    # What the web pages show, and their words (adapters/web)
    "GatheringView": ("core.views.pages", "GatheringView"),
    "OrganiserView": ("core.views.organiser_pages", "OrganiserView"),
    "SeriesView": ("core.views.series_pages", "SeriesView"),
    "Count": ("core.views.pages", "Count"),
    "count_text": ("core.views.pages", "count_text"),
    "page_words": ("core.views.pages", "page_words"),
    "page_plural": ("core.views.pages", "page_plural"),
    "network_name": ("core.views.pages", "network_name"),
    "map_link": ("core.views.pages", "map_link"),
    "language_tag": ("core.views.pages", "language_tag"),
    "gathering_code": ("core.views.pages", "gathering_code"),
    # Platform limits
    "Limit": ("core.delivery.pacing", "Limit"),
    "Pacer": ("core.delivery.pacing", "Pacer"),
    "Pacing": ("core.delivery.pacing", "Pacing"),
    "START_LASTED_SECONDS": ("core.operations.startups", "LASTED_SECONDS"),
    # The words a network shows around the core's messages (menus, its own notices)
    "MENU_COMMANDS": ("core.words.network_words", "MENU_COMMANDS"),
    "Notice": ("core.words.network_words", "Notice"),
    "Option": ("core.words.network_words", "Option"),
    "command_menu": ("core.words.network_words", "command_menu"),
    "describe_command": ("core.words.network_words", "describe_command"),
    "describe_option": ("core.words.network_words", "describe_option"),
    "menu_languages": ("core.words.network_words", "menu_languages"),
    "notice": ("core.words.network_words", "notice"),
    # What the core knows of a person: how a pledge was made, whether DMs reach them
    "PledgeSource": ("core.storage.statuses", "PledgeSource"),
    "DmStatus": ("core.storage.statuses", "DmStatus"),
}

__all__ = [
    "BUTTON_ACTIONS",
    "BUTTON_ARGUMENT",
    "CODE_ALPHABET",
    "DEAD_LETTER_FIRST_RETRY",
    "HEARTBEAT_EVERY",
    "MENU_COMMANDS",
    "START_LASTED_SECONDS",
    "Button",
    "ChatMoved",
    "Clock",
    "Command",
    "ConfigError",
    "Count",
    "Delivery",
    "DmStatus",
    "Failed",
    "FixedClock",
    "Gather",
    "GatheringFacts",
    "GatheringView",
    "Identity",
    "Limit",
    "Message",
    "MessageBuilder",
    "Notice",
    "Option",
    "OrganiserView",
    "Outcome",
    "Pacer",
    "Pacing",
    "PledgeSource",
    "Recipient",
    "Reply",
    "RetryLater",
    "RoomRef",
    "Sent",
    "SeriesView",
    "Settings",
    "Span",
    "Status",
    "SystemClock",
    "Uncertain",
    "Unreachable",
    "backup_sqlite",
    "command_menu",
    "count_text",
    "describe_command",
    "describe_option",
    "gather_version",
    "gathering_code",
    "language_tag",
    "library_versions",
    "load_settings",
    "map_link",
    "menu_languages",
    "network_name",
    "notice",
    "page_plural",
    "page_words",
    "pg_dump",
    "reach_database",
    "split_command",
    "sqlite_file",
    "text_message",
    "upgrade_database",
]


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'core' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value  # once loaded, an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
