"""Real conditions: duplicates, restarts, 429 storms, migrations, hostile text, webhooks."""

from __future__ import annotations

import asyncio
import json
import logging
import time

import pytest
from sqlalchemy import func, select

import adapters.telegram as telegram_adapter
from adapters.telegram import keyboards
from core.storage.db import Database
from core.storage.models import Gathering, Pledge
from core.storage.traffic import OutboxMessage
from sandbox.fakes.telegram_server import FakeChat, FakeMessage, FakeTelegram, FakeUser, RateLimits
from tests.telegram.harness import (
    announcement,
    button,
    code_of,
    make_gather,
    running,
    stop,
)

GATHER = "/gather Beach clean at Portobello beach, Saturday 10am, need 20 people"


def pledges(database: Database) -> int:
    return database.transact(
        lambda s: int(
            s.scalar(select(func.count()).select_from(Pledge).where(Pledge.state == "going")) or 0
        )
    )


async def announced(tg: FakeTelegram, group: FakeChat, organiser: object) -> FakeMessage:
    tg.user_sends(group, organiser, GATHER)  # type: ignore[arg-type]
    return await tg.wait_for(lambda: announcement(tg, group), 10)


def going(post: FakeMessage) -> str:
    return next(line for line in post.text.splitlines() if "going" in line)


async def test_duplicated_updates_change_nothing(tg: FakeTelegram, database: Database) -> None:
    alice, bob = tg.create_user("Alice"), tg.create_user("Bob")
    group = tg.create_group("G", members=[alice, bob])
    gather = make_gather(tg, database, group)
    async with running(tg, gather):
        gathered = tg.user_sends(group, alice, GATHER)
        post = await tg.wait_for(lambda: announcement(tg, group), 10)
        tap = tg.user_taps(group, bob, post.message_id, button(post, "j:"))
        await tg.wait_for(lambda: "2 going" in post.text, 10)
        answers, sent = len(tg.callback_answers), len(tg.calls("sendMessage"))
        tg.duplicate_update(tap["update_id"])
        tg.duplicate_update(gathered["update_id"])
        later = tg.user_sends(group, alice, "/help")  # handled after the duplicates
        await tg.wait_for(lambda: len(tg.calls("sendMessage")) > sent, 10)
        await asyncio.sleep(0.3)
    assert later["update_id"] > tap["update_id"]
    assert len(tg.callback_answers) == answers  # the duplicate press said nothing
    assert len(tg.calls("sendMessage")) == sent + 1  # only the /help answer
    assert len([m for m in tg.bot_messages(group) if m.buttons]) == 1  # one gathering
    assert pledges(database) == 2 and "2 going" in post.text


async def test_restart_mid_stream_handles_each_update_once(
    tg: FakeTelegram, database: Database
) -> None:
    alice = tg.create_user("Alice")
    people = [tg.create_user(f"P{i}") for i in range(40)]
    group = tg.create_group("G", members=[alice, *people])
    gather = make_gather(tg, database, group)
    async with running(tg, gather):
        post = await announced(tg, group, alice)
        await tg.wait_for(lambda: tg.pending_updates == [], 5)
    data = button(post, "j:")
    queries = [
        tg.user_taps(group, p, post.message_id, data)["callback_query"]["id"] for p in people
    ]
    # First life: stopped abruptly part-way through the backlog.
    async with running(tg, gather):
        await tg.wait_for(lambda: len(tg.callback_answers) >= 10, 10)
    first_life = len(tg.callback_answers)
    assert first_life < len(people) and tg.pending_updates  # really mid-stream
    # Second life on the same database: the rest are handled, nothing twice.
    async with running(tg, gather):
        await tg.wait_for(lambda: pledges(database) == 41, 15)
        await tg.wait_for(lambda: "41 going" in post.text, 15)
    answered = [a.callback_query_id for a in tg.callback_answers]
    assert len(answered) == len(set(answered))  # no press answered twice
    assert len(answered) >= len(people) - 1  # at most the one in flight went unanswered
    assert set(answered) <= set(queries)


async def test_429_storm_during_a_burst_of_200_joins(tg: FakeTelegram, database: Database) -> None:
    alice = tg.create_user("Alice")
    people = [tg.create_user(f"P{i}") for i in range(200)]
    group = tg.create_group("G", members=[alice, *people])
    gather = make_gather(tg, database, group)
    tg.set_rate_limits(RateLimits())  # Telegram's own limits, on the fake's side too
    async with running(tg, gather, real_limits=True):
        post = await announced(tg, group, alice)
        tg.fail_next("editMessageText", times=3, error_code=429, parameters={"retry_after": 2})
        data = button(post, "j:")
        for person in people:
            tg.user_taps(group, person, post.message_id, data)
        await tg.wait_for(lambda: pledges(database) == 201, 30)
        last_join = time.monotonic()
        await tg.wait_for(lambda: "201 going" in post.text, 20)
        shown_after = time.monotonic() - last_join
    assert len(tg.callback_answers) == 200
    assert tg.rate_limited_count == 0  # our own pacing kept within every limit
    assert shown_after < 12
    edits = [r.time for r in tg.calls("editMessageText") if r.status == 200]
    for start in edits:  # never more than 20 sends to the group in any minute
        sends = [
            r
            for r in tg.requests
            if r.method in ("sendMessage", "editMessageText")
            and str(r.params.get("chat_id")) == str(group.id)
            and r.status == 200
        ]
        assert sum(1 for r in sends if start <= r.time < start + 60) <= 20
    assert len(edits) < 30  # a burst is coalesced into few edits


async def test_group_migrated_to_supergroup_keeps_its_gatherings(
    tg: FakeTelegram, database: Database
) -> None:
    alice, bob, carol = tg.create_user("Alice"), tg.create_user("Bob"), tg.create_user("Carol")
    group = tg.create_group("Old", members=[alice, bob, carol], admins=[alice])
    gather = make_gather(tg, database, group)
    async with running(tg, gather):
        post = await announced(tg, group, alice)
        code = code_of(post)
        new = tg.migrate_to_supergroup(group, by=alice)
        await tg.wait_for(lambda: tg.pending_updates == [], 5)
        await asyncio.sleep(0.2)
        # Join from the new chat by command: the announcement there is posted afresh (the old
        # chat can no longer be edited) and shows the count.
        tg.user_sends(new, bob, f"/join {code}")
        fresh = await tg.wait_for(lambda: announcement(tg, new), 10)
        await tg.wait_for(lambda: "2 going" in fresh.text, 10)
        tg.user_taps(new, carol, fresh.message_id, button(fresh, "j:"))
        await tg.wait_for(lambda: "3 going" in fresh.text, 10)
        tg.user_sends(new, alice, "/list")
        await tg.wait_for(
            lambda: any("Beach clean" in m.text for m in tg.bot_messages(new) if m is not fresh), 10
        )
    assert tg.status_counts[500] == 0


HOSTILE = [
    ("Tea <b>bold</b> & </a> <script>x</script> party", "<>&/"),
    ("Tea _x_ *y* [z] ~s~ +p -m =e |b| {k} !w \\ party", "_*[]~+-=|{}!\\"),
    ("Tea &amp &lt &#60 party", "&#"),
    ("Tea 👩‍👩‍👧 and RTL \u202eevil\u202c e\u0301 party", "👩"),
]


def stored_title(database: Database) -> str:
    return database.transact(lambda s: s.scalar(select(Gathering.title)))


@pytest.mark.parametrize(("title", "specials"), HOSTILE)
async def test_hostile_titles_render_literally(
    tg: FakeTelegram, database: Database, title: str, specials: str
) -> None:
    alice = tg.create_user("Alice")
    group = tg.create_group("G", members=[alice])
    gather = make_gather(tg, database, group)
    async with running(tg, gather):
        tg.user_sends(group, alice, f"/gather {title}, Saturday 10am, need 5")
        post = await tg.wait_for(lambda: announcement(tg, group), 10)
        await tg.wait_for(lambda: len(tg.bot_messages(group)) == 2, 10)
    kept = stored_title(database)
    assert all(ch in kept for ch in specials), kept  # the hostile part reached the renderer
    assert tg.status_counts[400] == 0  # never "can't parse entities"
    for message in tg.bot_messages(group):
        shown = message.text.replace("\u2060", "")
        assert kept.replace("\u2060", "") in shown, (kept, shown)
        # Only our own formatting: nothing from the title became a tag, link or mention.
        assert {e["type"] for e in message.entities} <= {"bold", "code"}, message.entities
    assert "@everyone" not in post.text  # de-fanged (a word joiner after the @)


async def test_a_5000_character_title_is_cut_cleanly(tg: FakeTelegram, database: Database) -> None:
    alice = tg.create_user("Alice")
    group = tg.create_group("G", members=[alice])
    gather = make_gather(tg, database, group)
    async with running(tg, gather):
        tg.user_sends(group, alice, "/gather " + "🎉<&>" * 990 + " at the beach, Saturday 10am")
        await tg.wait_for(lambda: tg.bot_messages(group), 10)
        await asyncio.sleep(0.3)
    assert tg.status_counts[400] == 0  # nothing Telegram refused as too long or unparsable
    for message in tg.bot_messages(group):
        assert len(message.text.encode("utf-16-le")) // 2 <= 4096


async def test_tampered_and_stale_buttons_change_nothing(
    tg: FakeTelegram, database: Database
) -> None:
    alice, bob = tg.create_user("Alice"), tg.create_user("Bob")
    group = tg.create_group("G", members=[alice, bob])
    gather = make_gather(tg, database, group)
    async with running(tg, gather):
        post = await announced(tg, group, alice)
        before = pledges(database)
        bad = [
            "x:ABCD",
            "j:",
            "j:abcd",
            "j:ZZZZ",
            "j:ABCD;DROP",
            "j:" + "A" * 70,
            "\u00e9",
            "l:I0O1",
        ]
        ids = [tg.user_taps(group, bob, post.message_id, d)["callback_query"]["id"] for d in bad]
        await tg.wait_for(lambda: all(tg.callback_answer(i) for i in ids), 10)
        for query_id in ids:
            answer = tg.callback_answer(query_id)
            assert answer is not None and answer.text and len(answer.text) <= 200
        assert pledges(database) == before
        assert "1 going" in post.text


async def test_non_admin_refused_and_organiser_may_cancel(
    tg: FakeTelegram, database: Database
) -> None:
    alice, mod, eve = tg.create_user("Alice"), tg.create_user("Mod"), tg.create_user("Eve")
    group = tg.create_supergroup("G", members=[alice, eve], admins=[mod])
    gather = make_gather(tg, database, group)
    async with running(tg, gather):
        post = await announced(tg, group, alice)
        code = code_of(post)
        tg.user_sends(group, eve, f"/edit {code} when Sunday 11am")
        tg.user_sends(group, mod, f"/edit {code} title Dune clean")
        await tg.wait_for(lambda: "Dune clean" in post.text, 10)
        refused = tg.user_sends(group, eve, f"/cancel {code}")["message"]["message_id"]
        await tg.wait_for(lambda: answers_to(tg, group, eve, refused), 10)  # handled
        assert "CANCELLED" not in post.text and "Sunday" not in post.text
        tg.user_sends(group, alice, f"/cancel {code}")
        await tg.wait_for(lambda: "CANCELLED" in post.text, 10)
        assert post.reply_markup is None
    checks = tg.calls("getChatMember")
    assert len(checks) == 3  # only /edit and /cancel ask, and Eve's answer was cached


async def test_a_person_who_blocks_the_bot_gets_no_dms(
    tg: FakeTelegram, database: Database
) -> None:
    alice, bob = tg.create_user("Alice"), tg.create_user("Bob")
    group = tg.create_group("G", members=[alice, bob])
    gather = make_gather(tg, database, group)
    async with running(tg, gather):
        tg.user_starts_bot(bob)
        post = await announced(tg, group, alice)
        tg.user_taps(group, bob, post.message_id, button(post, "j:"))
        await tg.wait_for(lambda: "2 going" in post.text, 10)
        tg.user_blocks_bot(bob)
        await tg.wait_for(lambda: tg.pending_updates == [], 5)
        await asyncio.sleep(0.3)
        sends = len(tg.calls("sendMessage"))
        tg.user_sends(group, alice, f"/cancel {code_of(post)}")
        await tg.wait_for(lambda: "CANCELLED" in post.text, 10)
        await asyncio.sleep(0.5)
    to_bob = [r for r in tg.calls("sendMessage")[sends:] if r.params.get("chat_id") == str(bob.id)]
    assert to_bob == []  # known blocked: not even tried
    assert "1 going" not in post.text or "CANCELLED" in post.text


async def test_webhook_refuses_a_wrong_or_missing_secret(
    tg: FakeTelegram, database: Database
) -> None:
    alice = tg.create_user("Alice")
    group = tg.create_group("G", members=[alice])
    gather = make_gather(tg, database, group)
    hook = {
        "mode": "webhook",
        "webhook_url": "https://gather.example/telegram/hook",
        "secret_token_env": "TG_SECRET",
        "listen": "127.0.0.1",
        "port": 0,
    }
    async with running(tg, gather, environ={"TG_SECRET": "s3cret-Value_1"}, **hook) as bot:
        assert tg.webhook is not None and tg.webhook["secret_token"] == "s3cret-Value_1"
        url = f"http://127.0.0.1:{bot.webhook_port}/telegram/hook"
        update = tg.user_sends(group, alice, GATHER)
        assert (await tg.deliver_webhook(url, update, "wrong"))[0] == 403
        assert (await tg.deliver_webhook(url, update, None))[0] == 403
        await asyncio.sleep(0.3)
        assert tg.bot_messages(group) == [] and pledges(database) == 0
        assert await tg.flush_webhook(url) == [200]
        await tg.wait_for(lambda: announcement(tg, group), 10)
        assert (await tg.deliver_webhook(url, update, "s3cret-Value_1"))[0] == 200  # again
        await asyncio.sleep(0.3)
    assert len([m for m in tg.bot_messages(group) if m.buttons]) == 1 and pledges(database) == 1


async def test_bad_token_and_offline_start_retry_without_leaking_the_token(
    tg: FakeTelegram, database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    alice = tg.create_user("Alice")
    group = tg.create_group("G", members=[alice])
    gather = make_gather(tg, database, group)
    wrong = tg.token.split(":")[0] + ":AAHwrongTokenWrongTokenWrong_0000000"
    bot = telegram_adapter.build(
        gather,
        {"base_url": tg.base_url, "base_file_url": tg.base_file_url, "token_env": "T"},
        {"T": wrong},
    )
    bot.retry_base = 0.05
    task = asyncio.create_task(bot.run())
    await tg.wait_for(lambda: len(tg.calls("getMe")) >= 2, 5)
    await stop(task)
    assert "token was rejected" in caplog.text
    await tg.go_offline()
    good = telegram_adapter.build(
        gather,
        {"base_url": tg.base_url, "base_file_url": tg.base_file_url, "token_env": "T"},
        {"T": tg.token},
    )
    good.retry_base = 0.05
    task = asyncio.create_task(good.run())
    await asyncio.sleep(0.3)
    assert "cannot reach Telegram" in caplog.text
    await tg.go_online()
    try:
        await asyncio.wait_for(good.ready.wait(), 10)
        tg.user_sends(group, alice, "/help")
        await tg.wait_for(lambda: tg.bot_messages(group), 10)
    finally:
        await stop(task)
    logging.getLogger("telegram.test").warning("url %s/%s/getMe", tg.base_url, tg.token)
    for secret in (tg.token, wrong, tg.token.split(":")[1], wrong.split(":")[1]):
        assert secret not in caplog.text
    assert all(
        secret not in json.dumps(r.getMessage())
        for r in caplog.records
        for secret in (tg.token, wrong)
    )


def test_callback_data_fits_for_every_button_kind() -> None:
    from core.contract.messages import Button
    from core.rules.codes import ALPHABET

    for action in ("join", "leave", "guest"):
        for code in ("K7QF", ALPHABET[:8], "ZZZZZZZZ"):
            data = keyboards.callback_data(Button(action, code, "label"))  # type: ignore[arg-type]
            assert 1 <= len(data.encode()) <= 64
            press = keyboards.parse(data)
            assert press is not None and (press.action, press.code) == (action, code)


def answers_to(tg: FakeTelegram, chat: FakeChat, user: FakeUser, message_id: int) -> int:
    """Bot messages in `chat` answering that message: a reply to it, or naming its sender."""

    def answers(message: FakeMessage) -> bool:
        replied = message.extra.get("reply_to_message", {}).get("message_id") == message_id
        named = any(
            e.get("url") == f"tg://user?id={user.id}" or e.get("user", {}).get("id") == user.id
            for e in message.entities
        )
        return replied or named

    return sum(1 for message in tg.bot_messages(chat) if answers(message))


async def test_stopping_in_a_burst_answers_every_update_it_handled(
    tg: FakeTelegram, database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    alice = tg.create_user("Alice")
    joiners = [tg.create_user(f"Joiner{i:02d}") for i in range(12)]
    tappers = [tg.create_user(f"Tapper{i:02d}") for i in range(12)]
    group = tg.create_group("G", members=[alice, *joiners, *tappers])
    gather = make_gather(tg, database, group)
    async with running(tg, gather):
        post = await announced(tg, group, alice)
        await tg.wait_for(lambda: tg.pending_updates == [], 5)
    code, data = code_of(post), button(post, "j:")
    said, tapped = {}, {}
    for joiner, tapper in zip(joiners, tappers, strict=True):
        said[joiner.id] = tg.user_sends(group, joiner, f"/join {code}")["message"]["message_id"]
        tapped[tapper.id] = tg.user_taps(group, tapper, post.message_id, data)["callback_query"]
    caplog.set_level(logging.WARNING)
    # Telegram's own limits: in a group, answers to commands go one every ~3 s, so a burst
    # leaves commands handled (counted) whose answers still wait for their turn.
    tg.set_rate_limits(RateLimits())
    async with running(tg, gather, real_limits=True):
        await tg.wait_for(lambda: len(gather.pledgers_via(code, "telegram")) > 12, 10)
        # Leaving the block stops the bot at once, as SIGTERM does.
    counted = {int(native) for native in gather.pledgers_via(code, "telegram")}
    for joiner in joiners:
        if joiner.id in counted:  # handled, so a second delivery would be silent
            assert answers_to(tg, group, joiner, said[joiner.id]), f"{joiner.first_name}"
    for tapper in tappers:
        if tapper.id in counted:
            assert tg.callback_answer(tapped[tapper.id]["id"]), f"{tapper.first_name}"
    # After a restart, the updates not handled come again: all counted, each answered once.
    async with running(tg, gather):
        await tg.wait_for(lambda: len(gather.pledgers_via(code, "telegram")) == 25, 10)
        await tg.wait_for(lambda: all(answers_to(tg, group, j, said[j.id]) for j in joiners), 10)
        await tg.wait_for(lambda: all(tg.callback_answer(q["id"]) for q in tapped.values()), 5)
        await asyncio.sleep(0.3)
    assert all(answers_to(tg, group, j, said[j.id]) == 1 for j in joiners)
    answered = [a.callback_query_id for a in tg.callback_answers]
    assert len(answered) == len(set(answered))
    assert not [r for r in caplog.records if r.exc_info], "tracebacks in the log"


async def test_stopping_hands_back_sends_still_waiting_for_their_turn(
    tg: FakeTelegram, database: Database
) -> None:
    alice, bob = tg.create_user("Alice"), tg.create_user("Bob")
    group = tg.create_group("G", members=[alice, bob])
    gather = make_gather(tg, database, group)
    async with running(tg, gather) as bot:
        post = await announced(tg, group, alice)
        await tg.wait_for(lambda: len(tg.bot_messages(group)) == 2, 5)  # and Alice's answer
        await tg.wait_for(lambda: outbox_states(database) == {"sent"}, 5)
        # Telegram asked for a pause in this group (a 429): the edit for Bob's join must wait.
        # On PostgreSQL the pause is kept in the shared budget, so the next start honours it too.
        bot.worker.pacer.pause(("group", str(group.id)), time.monotonic() + 8)
        tg.user_taps(group, bob, post.message_id, button(post, "j:"))
        await tg.wait_for(lambda: "claimed" in outbox_states(database), 5)
        stopping = time.monotonic()
    assert time.monotonic() - stopping < 5  # not held up by a send that cannot go yet
    # Not begun, so not uncertain: handed back, and the next start shows Bob.
    assert outbox_states(database) == {"sent", "pending"}
    async with running(tg, gather):
        await tg.wait_for(lambda: "2 going" in post.text, 15)


def outbox_states(database: Database) -> set[str]:
    """The states of the announcement's posts and edits in the outbox."""
    query = select(OutboxMessage.status).where(OutboxMessage.kind == "announcement")
    return set(database.read(lambda s: list(s.scalars(query))))
