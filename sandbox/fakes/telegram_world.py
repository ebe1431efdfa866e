"""State of the fake Telegram (users, chats, messages, update queue) and the simulation API.

``FakeTelegram`` (telegram_server.py) holds one ``TelegramWorld`` and serves it over HTTP.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .telegram_models import CallbackAnswer, FakeChat, FakeMessage, FakeUser
from .telegram_wire import (
    ANONYMOUS_ADMIN_ID,
    NOT_DELIVERED_BY_DEFAULT,
    command_entities,
)


@dataclass
class _Queued:
    update: dict[str, Any]
    forced: bool = False  # a re-delivered duplicate: returned once whatever the offset
    delivered: bool = False

    @property
    def update_id(self) -> int:
        return int(self.update["update_id"])

    @property
    def kind(self) -> str:
        return next(k for k in self.update if k != "update_id")


class TelegramWorld:
    """Users, chats, messages and the update queue, plus simulation & inspection helpers."""

    def __init__(self, token: str, bot_username: str, bot_first_name: str,
                 notify: Callable[[], None]) -> None:
        self.token = token
        self._notify = notify  # wakes long polls and wait_for
        bot_id = int(token.split(":", 1)[0]) if token.split(":", 1)[0].isdigit() else 1
        self.bot = FakeUser(bot_id, bot_first_name, username=bot_username, is_bot=True,
                            language_code=None)
        self.users: dict[int, FakeUser] = {}
        self.chats: dict[int, FakeChat] = {}
        self._messages: dict[int, dict[int, FakeMessage]] = {}
        self._next_message_id: dict[int, int] = {}
        self._ids = itertools.count(100_001)
        self._group_ids = itertools.count(4_000_001)
        self._next_update_id = 700_000_001
        self._query_ids = itertools.count(5_550_001_234_567)
        self._queue: list[_Queued] = []
        self.all_updates: dict[int, dict[str, Any]] = {}  # every update ever produced
        self.allowed_updates: list[str] = []  # as last set by getUpdates / setWebhook
        self.callback_queries: dict[str, dict[str, Any]] = {}
        self.callback_answers: list[CallbackAnswer] = []
        self.anonymous_admin = FakeUser(ANONYMOUS_ADMIN_ID, "Group", username="GroupAnonymousBot",
                                        is_bot=True, language_code=None)
        self.users[ANONYMOUS_ADMIN_ID] = self.anonymous_admin

    # --- users and chats ----------------------------------------------------------------------
    def create_user(self, first_name: str = "User", *, username: str | None = None,
                    last_name: str | None = None, language_code: str | None = "en",
                    user_id: int | None = None, is_bot: bool = False) -> FakeUser:
        user = FakeUser(user_id or next(self._ids), first_name, username, last_name,
                        language_code, is_bot)
        self.users[user.id] = user
        return user

    def private_chat(self, user: FakeUser) -> FakeChat:
        chat = self.chats.get(user.id)
        if chat is None:
            chat = FakeChat(user.id, "private", username=user.username,
                            first_name=user.first_name, last_name=user.last_name,
                            members={user.id})
            self.chats[user.id] = chat
        return chat

    def create_group(self, title: str = "Group", *, members: Sequence[FakeUser] = (),
                     admins: Sequence[FakeUser] = (), creator: FakeUser | None = None,
                     supergroup: bool = False, username: str | None = None,
                     bot_is_admin: bool = False) -> FakeChat:
        """A (super)group with the bot in it. ``admins`` may include the creator."""
        n = next(self._group_ids)
        chat_id = -(1_000_000_000_000 + n) if supergroup else -n
        chat = FakeChat(chat_id, "supergroup" if supergroup else "group", title=title,
                        username=username if supergroup else None)
        self.chats[chat_id] = chat
        for u in (*members, *admins, *([creator] if creator else [])):
            chat.members.add(u.id)
        self.set_admins(chat, admins, creator=creator)
        if bot_is_admin:
            chat.bot_status = "administrator"
        return chat

    def create_supergroup(self, title: str = "Supergroup", **kwargs: Any) -> FakeChat:
        return self.create_group(title, supergroup=True, **kwargs)

    def set_admins(self, chat: FakeChat, admins: Sequence[FakeUser],
                   creator: FakeUser | None = None) -> None:
        chat.admins = {u.id: "administrator" for u in admins}
        if creator is not None:
            chat.admins[creator.id] = "creator"
        chat.members.update(chat.admins)

    def add_member(self, chat: FakeChat, user: FakeUser, *, admin: bool = False) -> None:
        chat.members.add(user.id)
        if admin:
            chat.admins[user.id] = "administrator"

    # --- messages -----------------------------------------------------------------------------
    def store_message(self, chat: FakeChat, sender: dict[str, Any], text: str,
                       entities: list[dict[str, Any]] | None = None, *, from_bot: bool = False,
                       **kw: Any) -> FakeMessage:
        mid = self._next_message_id.get(chat.id, 1)
        self._next_message_id[chat.id] = mid + 1
        msg = FakeMessage(mid, chat, sender, int(time.time()), text, entities or [],
                          from_bot=from_bot, **kw)
        self._messages.setdefault(chat.id, {})[mid] = msg
        return msg

    def messages(self, chat: FakeChat | int, *, include_deleted: bool = False
                 ) -> list[FakeMessage]:
        chat_id = chat if isinstance(chat, int) else chat.id
        return [m for m in self._messages.get(chat_id, {}).values()
                if include_deleted or not m.deleted]

    def bot_messages(self, chat: FakeChat | int) -> list[FakeMessage]:
        return [m for m in self.messages(chat) if m.from_bot]

    def last_bot_message(self, chat: FakeChat | int) -> FakeMessage | None:
        msgs = self.bot_messages(chat)
        return msgs[-1] if msgs else None

    def message(self, chat: FakeChat | int, message_id: int) -> FakeMessage | None:
        chat_id = chat if isinstance(chat, int) else chat.id
        return self._messages.get(chat_id, {}).get(message_id)

    def callback_answer(self, callback_query_id: str) -> CallbackAnswer | None:
        return next((a for a in self.callback_answers
                     if a.callback_query_id == callback_query_id), None)

    # --- the update queue ---------------------------------------------------------------------
    def _allowed(self, kind: str) -> bool:
        if self.allowed_updates:
            return kind in self.allowed_updates
        return kind not in NOT_DELIVERED_BY_DEFAULT

    def enqueue_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue a raw update (``update_id`` assigned if missing). Returns it."""
        if "update_id" not in update:
            update = {"update_id": self._next_update_id, **update}
        self._next_update_id = max(self._next_update_id, update["update_id"] + 1)
        self.all_updates[update["update_id"]] = update
        queued = _Queued(update)
        if self._allowed(queued.kind):  # Telegram does not store updates of unwanted types
            self._queue.append(queued)
        self._notify()
        return update

    def duplicate_update(self, update_id: int) -> None:
        """Deliver an update again, even if already confirmed (at-least-once delivery)."""
        self._queue.append(_Queued(self.all_updates[update_id], forced=True))
        self._notify()

    def expire_pending_updates(self) -> int:
        """Forget every unconfirmed update (the bot was offline more than 24 h)."""
        n = len(self._queue)
        self._queue.clear()
        return n

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        return [q.update for q in self._queue]

    def confirm(self, offset: int) -> None:
        """getUpdates(offset=N) forgets updates with update_id < N; -N keeps the last N."""
        if offset < 0:
            self._queue = [q for q in self._queue if not q.forced][offset:]
        elif offset > 0:
            self._queue = [q for q in self._queue if (q.forced and not q.delivered)
                           or (not q.forced and q.update_id >= offset)]

    def has_deliverable(self) -> bool:
        """Whether getUpdates would return something now."""
        return any(True for q in self._queue if not (q.forced and q.delivered)
                   and self._allowed(q.kind))

    def forget(self, update: dict[str, Any]) -> None:
        """A webhook delivery of ``update`` succeeded: it leaves the queue."""
        self._queue = [q for q in self._queue if q.update is not update]

    def take_batch(self, limit: int) -> list[dict[str, Any]]:
        batch = [q for q in self._queue
                 if not (q.forced and q.delivered) and self._allowed(q.kind)][:limit]
        for q in batch:
            q.delivered = True
        return [q.update for q in sorted(batch, key=lambda q: q.update_id)]

    # --- things users do ----------------------------------------------------------------------
    def _member_update(self, chat: FakeChat, user: FakeUser, old: str, new: str
                       ) -> dict[str, Any]:
        def member(status: str) -> dict[str, Any]:
            d: dict[str, Any] = {"status": status, "user": self.bot.to_api()}
            if status == "kicked":
                d["until_date"] = 0
            return d
        return self.enqueue_update({"my_chat_member": {
            "chat": chat.to_api(), "from": user.to_api(), "date": int(time.time()),
            "old_chat_member": member(old), "new_chat_member": member(new)}})

    def user_sends(self, chat: FakeChat, user: FakeUser, text: str, *,
                   reply_to: int | None = None, sender_chat: FakeChat | None = None
                   ) -> dict[str, Any]:
        """A user writes ``text`` in ``chat``; returns the queued ``message`` update."""
        if chat.type == "private":
            if user.blocked:
                user.blocked = False
                self._member_update(chat, user, "kicked", "member")
            user.started = True
        elif user.id != ANONYMOUS_ADMIN_ID:
            chat.members.add(user.id)
        extra: dict[str, Any] = {}
        if sender_chat is not None:
            extra["sender_chat"] = sender_chat.to_api()
        if reply_to is not None:
            extra["reply_to_message"] = self._messages[chat.id][reply_to].to_api()
        msg = self.store_message(chat, user.to_api(), text, command_entities(text), extra=extra)
        return self.enqueue_update({"message": msg.to_api()})

    def user_starts_bot(self, user: FakeUser, payload: str | None = None) -> dict[str, Any]:
        """The user presses Start (optionally via a t.me/<bot>?start=<payload> deep link)."""
        return self.user_sends(self.private_chat(user), user,
                               "/start" + (f" {payload}" if payload else ""))

    def deep_link(self, payload: str) -> str:
        return f"https://t.me/{self.bot.username}?start={payload}"

    def user_blocks_bot(self, user: FakeUser) -> dict[str, Any]:
        user.blocked = True
        return self._member_update(self.private_chat(user), user, "member", "kicked")

    def anonymous_admin_sends(self, chat: FakeChat, text: str) -> dict[str, Any]:
        """An admin with "remain anonymous" writes: from=GroupAnonymousBot, sender_chat=chat."""
        return self.user_sends(chat, self.anonymous_admin, text, sender_chat=chat)

    def user_taps(self, chat: FakeChat, user: FakeUser, message_id: int,
                  callback_data: str) -> dict[str, Any]:
        """The user presses an inline button; returns the ``callback_query`` update.

        The data is not checked against the keyboard (modified clients can send anything).
        """
        msg = self._messages[chat.id][message_id]
        query_id = str(next(self._query_ids))
        query = {"id": query_id, "from": user.to_api(), "message": msg.to_api(),
                 "chat_instance": str(abs(chat.id) * 7919 % 10**12), "data": callback_data}
        self.callback_queries[query_id] = {"query": query, "time": time.monotonic(),
                                           "answered": False}
        return self.enqueue_update({"callback_query": query})

    def remove_bot_from(self, chat: FakeChat, by: FakeUser | None = None) -> dict[str, Any]:
        old = chat.bot_status
        chat.bot_status = "kicked"
        return self._member_update(chat, by or self.anonymous_admin, old, "kicked")

    def migrate_to_supergroup(self, chat: FakeChat, by: FakeUser | None = None) -> FakeChat:
        """Upgrade a basic group: new id, service messages in both chats, old id answers 400."""
        assert chat.type == "group", "only basic groups migrate"
        new = self.create_group(chat.title or "", supergroup=True)
        new.members, new.admins, new.bot_status = set(chat.members), dict(chat.admins), \
            chat.bot_status
        chat.migrated_to = new.id
        sender = (by or self.anonymous_admin).to_api()
        old_msg = self.store_message(chat, sender, "", extra={"migrate_to_chat_id": new.id})
        self.enqueue_update({"message": old_msg.to_api()})
        new_msg = self.store_message(new, sender, "", extra={"migrate_from_chat_id": chat.id})
        self.enqueue_update({"message": new_msg.to_api()})
        return new
