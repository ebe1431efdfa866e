"""/forget leaves nothing: no row in any table holds an id, a name or a handle of the person.

Bob has linked accounts on Telegram, Discord and Mastodon; he joined by a button and by a
boost, has reminders queued, DMs and room mentions sent and still pending, blocked the bot on
Telegram and wrote to it in private. After /forget every table of the model is read whole, the
raw text of every column (payloads included), and none may mention him.
"""

from __future__ import annotations

import itertools
import json
import re
from datetime import timedelta

from sqlalchemy import select

from core.app import Gather
from core.clock import FixedClock
from core.contract.commands import Command, Reply
from core.contract.identities import Identity, RoomRef
from core.storage.db import Database
from core.storage.models import Identity as Account
from core.storage.schema import metadata
from core.storage.statuses import OutboxStatus, PledgeSource
from core.storage.traffic import OutboxMessage
from tests.domain.chat import Chat, code_in, text_of

_updates = itertools.count(5000)

# Bob's accounts: (network, native id, display name, handle).
BOB = (
    ("telegram", "7771234567", "Bobbity Quux", "bobquux_tg"),
    ("discord", "888123456789012", "Bobbity Q", "bobquux_dc"),
    ("mastodon", "109876543210", "Bobbity M. Quux", "bobquux@social.example"),
)
GROUP = {"telegram": "-100200", "discord": "300", "mastodon": "public"}


def _bob(
    gather: Gather,
    network: str,
    text: str,
    *,
    private: bool = False,
    via: PledgeSource = PledgeSource.COMMAND,
) -> Reply:
    _, native_id, name, handle = next(account for account in BOB if account[0] == network)
    if private:
        chat_id = f"dm:{native_id}" if network == "mastodon" else native_id
    else:
        chat_id = GROUP[network]
    return gather.handle(
        Command(
            actor=Identity(network, native_id, name, handle),
            room=RoomRef(network, chat_id, is_private=private, title=handle if private else ""),
            text=text,
            # As the networks key their events: an update, an interaction, a notification.
            event_key=f"event:{next(_updates)}",
            via=via,
        )
    )


def _traces(database: Database) -> list[str]:
    """Every cell of every table that mentions Bob, as `table.column = value`."""
    secrets = [
        re.compile(rf"(?<![0-9a-z_]){re.escape(part.lower())}(?![0-9a-z_])")
        for account in BOB
        for part in account[1:]
    ]
    found = []
    with database.session() as session:
        for table in metadata.sorted_tables:
            for row in session.execute(select(table)).mappings():
                for column, value in row.items():
                    cell = "" if value is None else str(value).lower()
                    if any(secret.search(cell) for secret in secrets):
                        found.append(f"{table.name}.{column} = {value!r}")
    return found


def _in_room_notices_naming(database: Database, ids: list[int] | None = None) -> list[int]:
    """The account ids of Bob's (or `ids`) named in room notices waiting or sent."""
    with database.session() as session:
        if ids is None:
            natives = [account[1] for account in BOB]
            query = select(Account.id).where(Account.native_id.in_(natives))
            ids = list(session.scalars(query))
        payloads = session.scalars(
            select(OutboxMessage.payload).where(OutboxMessage.purpose == "in_room")
        )
        named = {i for payload in payloads for i in json.loads(payload or "{}").get("people", [])}
    return sorted(named & set(ids))


def test_forget_leaves_no_trace_of_a_person_with_three_linked_accounts(
    gather: Gather, database: Database, clock: FixedClock
) -> None:
    chat = Chat(gather)
    picnic = code_in(chat.say("alice", "/gather Picnic at the Meadows, Sunday 29 November 2pm"))
    walk = code_in(chat.say("alice", "/gather Beach walk, Saturday 28 November 10am"))
    chat.say("carol", f"/join {picnic}")

    # Three accounts, one person: the link codes are asked for in private.
    code = text_of(_bob(gather, "telegram", "/link", private=True)).split()[-1]
    assert _bob(gather, "discord", f"/link {code}").ok
    code = text_of(_bob(gather, "mastodon", "/link", private=True)).split()[-1]
    assert _bob(gather, "telegram", f"/link {code}", private=True).ok
    _bob(gather, "telegram", "/settings names on", private=True)
    _bob(gather, "discord", "/link")  # a code asked for and never used

    # Joined by a button on Telegram, and by a boost on Mastodon.
    assert _bob(gather, "telegram", f"/join {picnic}", via=PledgeSource.BUTTON).ok
    assert _bob(gather, "mastodon", f"/join {walk}", via=PledgeSource.BOOST).ok
    assert gather.pledge_source(walk, "mastodon", BOB[2][1]) == PledgeSource.BOOST
    # He comes to every litter pick (a series), and starts a series of his own.
    litter = "/gather Litter pick every first Saturday of the month 10am at the Meadows"
    series = re.findall(r"\(([A-Z0-9]{5})\)", text_of(chat.say("alice", litter)))[0]
    assert _bob(gather, "discord", f"/join {series}").ok
    assert _bob(gather, "telegram", "/gather Bobbity's repair cafe every Sunday 2pm").ok
    chat.deliver_all()  # announcements and DMs sent

    # He blocks the bot on Telegram and closes his DMs elsewhere: changes reach him by room
    # mentions, some sent, some still pending; his reminders are queued.
    gather.note_blocked("telegram", BOB[0][1], True)
    assert gather.is_blocked("telegram", BOB[0][1])
    gather.mark_unreachable("discord", BOB[1][1])
    gather.mark_unreachable("mastodon", BOB[2][1])
    assert chat.say("alice", f"/edit {picnic} when Sunday 29 November 3pm").ok
    assert chat.say("alice", f"/edit {walk} when Saturday 28 November 11am").ok
    chat.deliver_all()
    clock.advance(timedelta(minutes=10))
    assert chat.say("alice", f"/edit {picnic} where the bandstand").ok
    assert chat.say("alice", f"/edit {walk} where the pier").ok
    # An update of his that failed in handling waits as a dead letter; someone else's too.
    raw = '{"update_id": 9, "message": {"from": {"id": %s, "first_name": "Bobbity"}}}'
    gather.operations.keep_dead_letter("telegram", "update:9", raw % BOB[0][1], "boom")
    gather.operations.keep_dead_letter("telegram", "update:10", raw % "77712345670", "boom")

    before = _traces(database)
    # Room notices are rendered when sent: their rows name him by account id, not by name.
    his_accounts = _in_room_notices_naming(database)
    assert his_accounts, "no room notice names him"
    assert any(trace.startswith("identities.") for trace in before), before
    with database.session() as session:
        statuses = set(session.scalars(select(metadata.tables["outbox"].c.status)))
    assert {OutboxStatus.SENT, OutboxStatus.PENDING} <= statuses

    # Said in his private chat on Mastodon, which goes too.
    assert "erased" in text_of(_bob(gather, "mastodon", "/forget", private=True))

    left = _traces(database)
    assert left == [], "\n".join(left)
    assert _in_room_notices_naming(database, his_accounts) == []
    # The other person's dead letter (an id that merely contains his) is still there.
    assert [letter.event_key for letter in gather.operations.dead_letters()] == ["update:10"]
    # Everyone else is still counted: Alice and Carol.
    assert "2 going" in text_of(chat.say("carol", f"/who {picnic}"))


def test_a_room_post_that_mentions_others_too_keeps_them_and_drops_only_the_forgotten(
    gather: Gather,
) -> None:
    chat = Chat(gather)
    picnic = code_in(chat.say("alice", "/gather Picnic at the Meadows, Sunday 29 November 2pm"))
    for who in ("telegram:401", "telegram:402", "telegram:403"):
        assert chat.say(who, f"/join {picnic}", room="telegram:-100200").ok
        gather.mark_unreachable("telegram", who.partition(":")[2])
    chat.deliver_all()
    assert chat.say("alice", f"/edit {picnic} when Sunday 29 November 3pm").ok

    # The middle one of three forgets: the commas stay right around the other two.
    assert chat.say("telegram:402", "/forget", room="telegram:-100200").ok
    [post] = [d for d in chat.deliver("telegram") if d.purpose == "changed_in_room"]
    first_line = post.message.plain().splitlines()[0]
    assert first_line.startswith("401, 403, ")
    mentioned = [s.target for p in post.message.paragraphs for s in p if s.style == "mention"]
    assert mentioned == ["telegram:401", "telegram:403"]
