"""The fake Telegram Bot API server, exercised with the real python-telegram-bot (unpatched)."""

from __future__ import annotations

import asyncio
import datetime as dtm
import time

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)

from sandbox.fakes.telegram_server import FakeTelegram, RateLimits


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    # Without this, merely constructing RetryAfter emits PTBDeprecationWarning (an error here).
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
async def tg():
    async with FakeTelegram() as fake:
        yield fake


@pytest.fixture
async def bot(tg: FakeTelegram):
    async with Bot(tg.token, base_url=tg.base_url, base_file_url=tg.base_file_url) as b:
        yield b


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d) for t, d in pairs]])


async def test_get_me_and_wire_format(tg: FakeTelegram, bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (123456789, "GatherTestBot", True)
    alice = tg.create_user("Alice")
    group = tg.create_group("Picnic", members=[alice])
    await bot.send_message(group.id, "hi", reply_markup=keyboard(("Join", "join:1")))
    rec = tg.calls("sendMessage")[-1]
    # form-encoded: scalars arrive as strings, reply_markup as a JSON string field (decoded here)
    assert rec.params["chat_id"] == str(group.id)
    assert rec.params["reply_markup"] == {
        "inline_keyboard": [[{"text": "Join", "callback_data": "join:1"}]]}
    assert rec.status == 200 and rec.token == tg.token


async def test_multipart_json_and_get_bodies(tg: FakeTelegram, bot: Bot) -> None:
    import aiohttp

    alice = tg.create_user("Alice")
    chat = tg.create_group("G", members=[alice])
    doc = await bot.send_document(chat.id, b"BEGIN:VCALENDAR", filename="picnic.ics",
                                  caption="<i>Calendar</i>", parse_mode="HTML")
    assert doc.document.file_name == "picnic.ics" and doc.caption == "Calendar"
    assert doc.caption_entities[0].type == "italic"
    assert tg.last_bot_message(chat).files["document"] == ("picnic.ics", b"BEGIN:VCALENDAR")
    url = f"{tg.base_url}{tg.token}/sendMessage"
    markup = {"inline_keyboard": [[{"text": "Join", "callback_data": "j"}]]}
    async with aiohttp.ClientSession() as http:
        async with http.post(url, json={"chat_id": chat.id, "text": "json",
                                        "reply_markup": markup}) as resp:
            body = await resp.json()
        assert resp.status == 200 and body["ok"] is True
        assert body["result"]["text"] == "json" and body["result"]["reply_markup"] == markup
        async with http.get(f"{tg.base_url}{tg.token}/GETME") as resp:  # case-insensitive
            assert (await resp.json())["result"]["username"] == "GatherTestBot"
        async with http.post(f"{tg.base_url}{tg.token}/sendMessage",
                             data={"chat_id": str(chat.id)}) as resp:
            assert resp.status == 400
            assert await resp.json() == {"ok": False, "error_code": 400,
                                         "description": "Bad Request: message text is empty"}


async def test_wrong_token_and_unknown_method(tg: FakeTelegram, bot: Bot) -> None:
    other = Bot("123456789:wrong", base_url=tg.base_url)
    try:
        with pytest.raises(InvalidToken, match="was rejected by the server"):
            await other.initialize()  # initialize() calls getMe
    finally:
        await other.shutdown()
    assert tg.requests[-1].status == 401
    assert tg.requests[-1].response == {"ok": False, "error_code": 401,
                                        "description": "Unauthorized"}
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("noSuchMethod")
    assert await bot.send_chat_action(1, "typing")  # not modelled: recorded, answers true
    assert tg.calls("sendChatAction")[-1].params["action"] == "typing"


async def test_send_edit_inline_keyboard_and_not_modified(tg: FakeTelegram, bot: Bot) -> None:
    alice = tg.create_user("Alice")
    group = tg.create_group("Picnic", members=[alice])
    sent = await bot.send_message(group.id, "<b>Picnic</b> &amp; games", parse_mode="HTML",
                                  reply_markup=keyboard(("Join", "join:1"), ("Leave", "leave:1")))
    assert sent.text == "Picnic & games"
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [("bold", 0, 6)]
    assert sent.reply_markup.inline_keyboard[0][1].callback_data == "leave:1"
    assert sent.from_user.username == "GatherTestBot" and sent.chat.title == "Picnic"
    stored = tg.last_bot_message(group)
    assert stored.message_id == sent.message_id and stored.text == "Picnic & games"

    edited = await bot.edit_message_text("Picnic & games (1 going)", group.id, sent.message_id,
                                         reply_markup=keyboard(("Join", "join:1")))
    assert edited.text == "Picnic & games (1 going)" and edited.edit_date is not None
    assert [b["callback_data"] for b in tg.message(group, sent.message_id).buttons] == ["join:1"]

    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("Picnic & games (1 going)", group.id, sent.message_id,
                                    reply_markup=keyboard(("Join", "join:1")))
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_reply_markup(group.id, sent.message_id,
                                            reply_markup=keyboard(("Join", "join:1")))
    # Like Telegram: an edit without reply_markup drops the inline keyboard.
    await bot.edit_message_text("closed", group.id, sent.message_id)
    assert tg.message(group, sent.message_id).reply_markup is None
    assert len(tg.message(group, sent.message_id).history) == 2
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", group.id, 9999)
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities: unexpected end of name token"):
        await bot.send_message(group.id, "1 <2 & <x>", parse_mode="HTML")
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(group.id, "x", reply_markup=keyboard(("J", "j" * 65)))
    assert await bot.delete_message(group.id, sent.message_id)
    assert tg.messages(group) == [] and tg.message(group, sent.message_id).deleted


async def test_text_limits_in_utf16_and_markdown_v2(tg: FakeTelegram, bot: Bot) -> None:
    tg.set_rate_limits(None)
    chat = tg.create_group("G")
    assert len((await bot.send_message(chat.id, "a" * 4096)).text) == 4096
    assert (await bot.send_message(chat.id, "😀" * 2048)).text == "😀" * 2048  # 4096 units
    for too_long in ("a" * 4097, "😀" * 2048 + "a"):
        with pytest.raises(BadRequest, match="Message is too long"):
            await bot.send_message(chat.id, too_long)
    with pytest.raises(BadRequest, match=r"character '\.' is reserved"):
        await bot.send_message(chat.id, "Picnic at 5.", parse_mode="MarkdownV2")
    sent = await bot.send_message(chat.id, r"*Picnic* at 5\.", parse_mode="MarkdownV2")
    assert sent.text == "Picnic at 5." and sent.entities[0].type == "bold"


async def test_429_is_retry_after(tg: FakeTelegram, bot: Bot) -> None:
    chat = tg.create_group("G")
    tg.fail_next("sendMessage", times=2, error_code=429, parameters={"retry_after": 7})
    for _ in range(2):
        with pytest.raises(RetryAfter) as info:
            await bot.send_message(chat.id, "x")
        assert info.value.retry_after == dtm.timedelta(seconds=7)
    assert tg.messages(chat) == []  # an injected fault happens before the call takes effect
    await bot.send_message(chat.id, "x")
    assert tg.status_counts[429] == 2 and tg.rate_limited_count == 0


async def test_forbidden_dm_kinds_and_start_payload(tg: FakeTelegram, bot: Bot) -> None:
    bob = tg.create_user("Bob", username="bob")
    with pytest.raises(Forbidden, match="bot can't initiate conversation with a user"):
        await bot.send_message(bob.id, "hello")
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(424242, "hello")

    update = tg.user_starts_bot(bob, payload="g-17")
    assert update["message"]["text"] == "/start g-17"
    assert update["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert tg.deep_link("g-17") == "https://t.me/GatherTestBot?start=g-17"
    dm = await bot.send_message(bob.id, "welcome")
    assert dm.chat.type == "private" and dm.chat.id == bob.id

    blocked = tg.user_blocks_bot(bob)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(bob.id, "hello again")
    updates = await bot.get_updates()
    member = updates[-1].my_chat_member
    assert updates[-1].update_id == blocked["update_id"]
    assert member.new_chat_member.status == "kicked" and member.from_user.id == bob.id


async def test_group_migration(tg: FakeTelegram, bot: Bot) -> None:
    alice = tg.create_user("Alice")
    group = tg.create_group("Old", members=[alice], admins=[alice])
    new = tg.migrate_to_supergroup(group, by=alice)
    with pytest.raises(ChatMigrated) as info:
        await bot.send_message(group.id, "still there?")
    assert info.value.new_chat_id == new.id and str(new.id).startswith("-100")
    sent = await bot.send_message(info.value.new_chat_id, "yes")
    assert sent.chat.type == "supergroup"
    service = [u.message for u in await bot.get_updates()]
    assert (service[0].chat.id, service[0].migrate_to_chat_id) == (group.id, new.id)
    assert (service[1].chat.id, service[1].migrate_from_chat_id) == (new.id, group.id)
    admins = await bot.get_chat_administrators(new.id)
    assert [a.user.id for a in admins] == [alice.id]


async def test_admins_members_and_anonymous_admin(tg: FakeTelegram, bot: Bot) -> None:
    owner, mod, member = (tg.create_user(n) for n in ("Owner", "Mod", "Member"))
    chat = tg.create_supergroup("Club", members=[member], admins=[mod], creator=owner)
    admins = await bot.get_chat_administrators(chat.id)
    assert [(a.status, a.user.id) for a in admins] == [("creator", owner.id),
                                                       ("administrator", mod.id)]
    assert (await bot.get_chat_member(chat.id, member.id)).status == "member"
    assert (await bot.get_chat_member(chat.id, tg.create_user("X").id)).status == "left"
    update = tg.anonymous_admin_sends(chat, "/cancel 3")
    [received] = await bot.get_updates(offset=update["update_id"])
    msg = received.message
    assert msg.from_user.id == 1087968824 and msg.sender_chat.id == chat.id
    assert msg.text == "/cancel 3" and msg.entities[0].type == "bot_command"


async def test_callback_answers(tg: FakeTelegram, bot: Bot) -> None:
    alice = tg.create_user("Alice")
    chat = tg.create_group("G", members=[alice])
    sent = await bot.send_message(chat.id, "Join?", reply_markup=keyboard(("Join", "join:1")))
    query_id = tg.user_taps(chat, alice, sent.message_id, "join:1")["callback_query"]["id"]
    [update] = await bot.get_updates()
    assert update.callback_query.data == "join:1"
    assert update.callback_query.message.message_id == sent.message_id
    assert await bot.answer_callback_query(query_id, text="Joined", show_alert=True)
    answer = tg.callback_answer(query_id)
    assert (answer.text, answer.show_alert) == ("Joined", True)
    with pytest.raises(BadRequest, match=r"^Query is too old and response timeout expired"):
        await bot.answer_callback_query(query_id, text="again")
    with pytest.raises(BadRequest, match=r"(?i)query id is invalid"):
        await bot.answer_callback_query("123", text="unknown")


async def test_commands_roundtrip(tg: FakeTelegram, bot: Bot) -> None:
    await bot.set_my_commands([("gather", "Announce a gathering"), ("cancel", "Cancel it")])
    commands = await bot.get_my_commands()
    assert [(c.command, c.description) for c in commands] == [
        ("gather", "Announce a gathering"), ("cancel", "Cancel it")]
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([("Gather!", "bad")])


async def test_offsets_long_polling_and_duplicates(tg: FakeTelegram, bot: Bot) -> None:
    alice = tg.create_user("Alice")
    chat = tg.create_group("G", members=[alice])
    u1 = tg.user_sends(chat, alice, "one")["update_id"]
    u2 = tg.user_sends(chat, alice, "two")["update_id"]
    assert [u.update_id for u in await bot.get_updates()] == [u1, u2]
    # Not confirmed yet: delivered again.
    assert [u.message.text for u in await bot.get_updates(offset=u1)] == ["one", "two"]
    # offset > update_id confirms (drops) it.
    assert [u.update_id for u in await bot.get_updates(offset=u2)] == [u2]
    assert await bot.get_updates(offset=u2 + 1) == ()
    assert tg.pending_updates == []
    assert await bot.get_updates(offset=0) == ()  # confirmed updates are gone for good

    tg.duplicate_update(u1)  # at-least-once: the same update_id arrives again
    assert [u.update_id for u in await bot.get_updates(offset=u2 + 1)] == [u1]
    assert await bot.get_updates(offset=u2 + 1) == ()

    # Long polling: held until an update arrives...
    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(offset=u2 + 1, timeout=5))
    await asyncio.sleep(0.2)
    assert not poll.done()
    u3 = tg.user_sends(chat, alice, "three")["update_id"]
    assert [u.update_id for u in await poll] == [u3]
    assert time.monotonic() - started < 2
    # ... or until the timeout passes.
    started = time.monotonic()
    assert await bot.get_updates(offset=u3 + 1, timeout=1) == ()
    assert 0.9 < time.monotonic() - started < 3


async def test_allowed_updates(tg: FakeTelegram, bot: Bot) -> None:
    alice = tg.create_user("Alice")
    chat = tg.create_group("G", members=[alice])
    sent = await bot.send_message(chat.id, "x", reply_markup=keyboard(("Join", "j")))
    await bot.get_updates(allowed_updates=["callback_query"])
    tg.user_sends(chat, alice, "ignored")
    tapped = tg.user_taps(chat, alice, sent.message_id, "j")
    assert [u.update_id for u in await bot.get_updates()] == [tapped["update_id"]]


async def test_application_command_and_button_via_long_polling(tg: FakeTelegram) -> None:
    alice = tg.create_user("Alice", username="alice")
    group = tg.create_group("Picnic", members=[alice])
    seen_args: list[list[str]] = []

    async def gather(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        seen_args.append(list(context.args or []))
        await update.effective_message.reply_text(
            f"Gathering: {' '.join(context.args)}", reply_markup=keyboard(("Join", "join:1")))

    async def tap(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        await query.answer(f"{query.from_user.first_name} joined")
        await query.edit_message_text(f"{query.message.text} (1 going)",
                                      reply_markup=query.message.reply_markup)

    app = (ApplicationBuilder().token(tg.token).base_url(tg.base_url)
           .base_file_url(tg.base_file_url).build())
    app.add_handler(CommandHandler("gather", gather))
    app.add_handler(CallbackQueryHandler(tap))
    await app.initialize()
    await app.start()
    await app.updater.start_polling(poll_interval=0, timeout=1)
    try:
        tg.user_sends(group, alice, "/gather@SomeOtherBot not for us")
        tg.user_sends(group, alice, "/gather@GatherTestBot hello")
        reply = await tg.wait_for(lambda: tg.last_bot_message(group), timeout=5)
        assert reply.text == "Gathering: hello" and seen_args == [["hello"]]
        query_id = tg.user_taps(group, alice, reply.message_id, "join:1")["callback_query"]["id"]
        await tg.wait_for(lambda: reply.text.endswith("(1 going)"), timeout=5)
        assert tg.callback_answer(query_id).text == "Alice joined"
        assert reply.buttons == [{"text": "Join", "callback_data": "join:1"}]
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
    methods = [r.method for r in tg.requests]
    assert methods[:3] == ["getMe", "deleteWebhook", "getUpdates"]
    assert tg.pending_updates == []  # the final getUpdates on stop confirmed everything
    assert not tg.internal_errors


async def test_flood_control_group_burst(tg: FakeTelegram, bot: Bot) -> None:
    group = tg.create_group("Busy")
    outcomes = []
    for i in range(25):
        try:
            await bot.send_message(group.id, f"message {i}")
            outcomes.append("ok")
        except RetryAfter as exc:
            outcomes.append(exc.retry_after)
    errors = [o for o in outcomes if o != "ok"]
    assert 0 < outcomes.count("ok") <= 20 and len(errors) == tg.rate_limited_count > 0
    assert all(isinstance(e, dtm.timedelta) and e.total_seconds() >= 1 for e in errors)
    assert len(tg.bot_messages(group)) == outcomes.count("ok")


async def test_flood_control_twenty_per_minute_per_group(bot: Bot, tg: FakeTelegram) -> None:
    tg.set_rate_limits(RateLimits(per_chat_per_second=100, per_chat_burst=100))
    group, other = tg.create_group("Busy"), tg.create_group("Quiet")
    sent = await bot.send_message(group.id, "first")
    for i in range(19):
        await bot.edit_message_text(f"edit {i}", group.id, sent.message_id)  # edits count too
    with pytest.raises(RetryAfter) as info:
        await bot.send_message(group.id, "21st")
    assert info.value.retry_after == dtm.timedelta(seconds=3)  # one slot refills every 3 s
    await bot.send_message(other.id, "another group is not affected")
    tg.set_rate_limits(None)
    for i in range(25):
        await bot.send_message(group.id, f"unlimited {i}")


async def test_network_faults(tg: FakeTelegram, bot: Bot) -> None:
    chat = tg.create_group("G")
    tg.fail_next("getMe", error_code=502)
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.get_me()
    async with tg.offline():
        with pytest.raises(NetworkError):
            await bot.send_message(chat.id, "lost")
    assert (await bot.get_me()).username == "GatherTestBot"
    # A slow reply: the client times out although the message was delivered.
    tg.slow_down("sendMessage", seconds=2)
    with pytest.raises(TimedOut):
        await bot.send_message(chat.id, "maybe", read_timeout=0.3)
    assert [m.text for m in tg.bot_messages(chat)] == ["maybe"]


async def test_webhook_delivery_with_secret(tg: FakeTelegram, bot: Bot) -> None:
    from aiohttp import web

    received: list[dict] = []

    async def hook(request: web.Request) -> web.Response:
        if request.headers.get("X-Telegram-Bot-Api-Secret-Token") != "s3cret":
            return web.Response(status=403)
        received.append(await request.json())
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    try:
        with pytest.raises(BadRequest, match=r"(?i)https url must be provided"):
            await bot.set_webhook(url)
        assert await bot.set_webhook("https://gather.example/hook", secret_token="s3cret")
        assert (await bot.get_webhook_info()).url == "https://gather.example/hook"
        with pytest.raises(Conflict, match="webhook is active"):
            await bot.get_updates()
        alice = tg.create_user("Alice")
        update = tg.user_sends(tg.create_group("G", members=[alice]), alice, "hi")
        assert await tg.deliver_webhook(url, update, "wrong") == (403, "")
        assert await tg.flush_webhook(url) == [200]
        assert received == [update] and tg.pending_updates == []
    finally:
        await runner.cleanup()
