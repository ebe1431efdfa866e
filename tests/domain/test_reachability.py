"""Whether a person can be reached by DM is the core's to know: a block lasts until they write
to the bot in private; a failed DM only until they write anywhere."""

from __future__ import annotations

from core.app import Gather
from core.storage.statuses import DmStatus
from tests.domain.chat import Chat


def test_a_block_lasts_until_they_write_in_private(gather: Gather) -> None:
    chat = Chat(gather)
    chat.say("telegram:81", "/start", room="telegram:81", private=True)
    assert gather.dm_status("telegram", "81") == DmStatus.REACHABLE

    gather.note_blocked("telegram", "81", True)
    assert gather.is_blocked("telegram", "81")
    assert gather.dm_status("telegram", "81") == DmStatus.UNREACHABLE
    chat.say("telegram:81", "/list", room="telegram:-100200")  # a word in the group
    assert gather.is_blocked("telegram", "81")
    assert gather.dm_status("telegram", "81") == DmStatus.UNREACHABLE

    chat.say("telegram:81", "/start", room="telegram:81", private=True)
    assert not gather.is_blocked("telegram", "81")
    assert gather.dm_status("telegram", "81") == DmStatus.REACHABLE


def test_a_failed_dm_is_tried_again_once_they_write_anywhere(gather: Gather) -> None:
    chat = Chat(gather)
    chat.say("telegram:82", "/list", room="telegram:-100200")
    gather.mark_unreachable("telegram", "82")
    assert gather.dm_status("telegram", "82") == DmStatus.UNREACHABLE
    chat.say("telegram:82", "/list", room="telegram:-100200")
    assert gather.dm_status("telegram", "82") == DmStatus.UNKNOWN
    assert not gather.is_blocked("telegram", "82")


def test_nothing_is_kept_about_someone_the_bot_never_met(gather: Gather) -> None:
    gather.note_blocked("telegram", "999", True)
    assert not gather.is_blocked("telegram", "999")
    assert gather.dm_status("telegram", "999") is None
