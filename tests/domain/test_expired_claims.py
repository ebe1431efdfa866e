"""A claimed announcement refresh whose process went away, while a newer refresh of the same
announcement was queued: the old one cannot go back to pending beside the new one (one pending
refresh per announcement), so it is skipped and the new one is sent. Found by bench/soak.py:
the claim failed with a unique violation on every try and the network's outbox stood still."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from core.app import Gather
from core.clock import FixedClock
from core.storage.db import Database
from core.storage.traffic import OutboxMessage
from tests.domain.chat import Chat, code_in

GATHER = "/gather Beach clean at Portobello beach, 12 June 2027 10am, need 5 people"


def test_an_expired_claim_gives_way_to_the_newer_refresh(
    gather: Gather, database: Database, clock: FixedClock
) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("alice", GATHER))
    chat.deliver_all()
    chat.say("bob", f"/join {code}")
    stalled = [d for d in gather.claim("console", "stalled-worker") if d.kind == "announcement"]
    assert stalled  # claimed, and its process never comes back
    chat.say("carol", f"/join {code}")  # a newer refresh of the same announcements
    clock.advance(timedelta(minutes=2))  # past the 60 s lease

    sent = [d for d in chat.deliver("console") if d.kind == "announcement"]
    assert len(sent) == len(stalled)  # one refresh per announcement, the newer one
    assert all("3 going" in d.message.plain() for d in sent)
    skipped = database.read(
        lambda s: list(
            s.scalars(select(OutboxMessage.last_error).where(OutboxMessage.status == "skipped"))
        )
    )
    assert skipped.count("a newer one of the same kind is queued") == len(stalled)
