"""A pledge keeps how it was made; an un-boost withdraws only what a boost made."""

from __future__ import annotations

from core.app import Gather
from core.contract.commands import Command, Reply
from core.contract.identities import Identity, RoomRef
from core.storage.statuses import PledgeSource
from tests.domain.chat import Chat, code_in

PUBLIC = RoomRef("mastodon", "public")


def _on_mastodon(gather: Gather, who: str, text: str, via: PledgeSource) -> Reply:
    return gather.handle(Command(Identity("mastodon", who, who, who), PUBLIC, text, via=via))


def test_each_way_of_pledging_is_kept_with_the_pledge(gather: Gather) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("alice", "/gather Picnic at the Meadows, Sunday 29 November 2pm"))
    _on_mastodon(gather, "b", f"/join {code}", PledgeSource.BOOST)
    _on_mastodon(gather, "r", f"/join {code}", PledgeSource.REPLY)
    _on_mastodon(gather, "p", f"/join {code}", PledgeSource.BUTTON)
    _on_mastodon(gather, "c", f"/join {code}", PledgeSource.COMMAND)
    assert {who: gather.pledge_source(code, "mastodon", who) for who in "brpcx"} == {
        "b": PledgeSource.BOOST,
        "r": PledgeSource.REPLY,
        "p": PledgeSource.BUTTON,
        "c": PledgeSource.COMMAND,
        "x": None,  # never pledged
    }
    # Joining again another way (a boost by someone already in) keeps how they joined.
    _on_mastodon(gather, "c", f"/join {code}", PledgeSource.BOOST)
    assert gather.pledge_source(code, "mastodon", "c") == PledgeSource.COMMAND


def test_an_unboost_withdraws_a_boosts_pledge_and_only_that(gather: Gather) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("alice", "/gather Picnic at the Meadows, Sunday 29 November 2pm"))
    _on_mastodon(gather, "b", f"/join {code}", PledgeSource.BOOST)
    _on_mastodon(gather, "c", f"/join {code}", PledgeSource.COMMAND)

    _on_mastodon(gather, "c", f"/leave {code}", PledgeSource.BOOST)  # their boost went
    assert sorted(gather.pledgers_via(code, "mastodon")) == ["b", "c"]

    _on_mastodon(gather, "b", f"/leave {code}", PledgeSource.BOOST)
    assert gather.pledgers_via(code, "mastodon") == ["c"]
    # Nothing is left that a boost made: a later boost counts them again.
    assert gather.pledge_source(code, "mastodon", "b") is None


def test_leaving_by_their_own_word_keeps_the_boost_as_the_source(gather: Gather) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("alice", "/gather Picnic at the Meadows, Sunday 29 November 2pm"))
    _on_mastodon(gather, "b", f"/join {code}", PledgeSource.BOOST)
    _on_mastodon(gather, "b", f"/leave {code}", PledgeSource.REPLY)
    assert gather.pledgers_via(code, "mastodon") == []
    # So reconciliation does not count them again while the boost is still there.
    assert gather.pledge_source(code, "mastodon", "b") == PledgeSource.BOOST
