"""Bot API methods about the bot, its command menus, and chats and their members."""

from __future__ import annotations

import json
import re
from typing import Any

from .telegram_models import ApiError, FakeChat, FakeUser
from .telegram_params import ApiMethod, find_chat, int_param
from .telegram_world import TelegramWorld


class ChatMethods:
    def __init__(self, world: TelegramWorld) -> None:
        self.world = world
        # setMyCommands, by (scope as JSON, language_code)
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}

    def methods(self) -> dict[str, ApiMethod]:
        return {
            "getMe": self._api_getMe,
            "setMyCommands": self._api_setMyCommands,
            "getMyCommands": self._api_getMyCommands,
            "deleteMyCommands": self._api_deleteMyCommands,
            "getChatMember": self._api_getChatMember,
            "getChatAdministrators": self._api_getChatAdministrators,
            "getChatMemberCount": self._api_getChatMemberCount,
            "getChat": self._api_getChat,
            "leaveChat": self._api_leaveChat,
        }

    async def _api_getMe(self, p: dict[str, Any]) -> dict[str, Any]:
        return {**self.world.bot.to_api(), "can_join_groups": True,
                "can_read_all_group_messages": False, "supports_inline_queries": False}


    @staticmethod
    def _scope_key(p: dict[str, Any]) -> tuple[str, str]:
        scope = p.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(p.get("language_code") or "")

    async def _api_setMyCommands(self, p: dict[str, Any]) -> bool:
        commands = p.get("commands") or []
        for c in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", str(c.get("command", ""))):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(c.get("description", ""))) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[self._scope_key(p)] = list(commands)
        return True

    async def _api_getMyCommands(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        return self.commands.get(self._scope_key(p), [])

    async def _api_deleteMyCommands(self, p: dict[str, Any]) -> bool:
        self.commands.pop(self._scope_key(p), None)
        return True

    def _member(self, chat: FakeChat, user: FakeUser) -> dict[str, Any]:
        if user.id == self.world.bot.id:
            status = chat.bot_status
        elif chat.type == "private":
            status = "member" if user.id == chat.id else "left"
        else:
            status = chat.admins.get(user.id) or ("member" if user.id in chat.members
                                                  else "left")
        d: dict[str, Any] = {"status": status, "user": user.to_api()}
        if status == "creator":
            d["is_anonymous"] = False
        elif status == "administrator":
            d.update({"can_be_edited": False, "is_anonymous": False, **dict.fromkeys((
                "can_manage_chat", "can_delete_messages", "can_manage_video_chats",
                "can_restrict_members", "can_promote_members", "can_change_info",
                "can_invite_users", "can_post_stories", "can_edit_stories",
                "can_delete_stories", "can_pin_messages"), True)})
        elif status == "kicked":
            d["until_date"] = 0
        return d

    async def _api_getChatMember(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = find_chat(self.world, p)
        user = self.world.bot if int_param(p, "user_id") == self.world.bot.id else \
            self.world.users.get(int_param(p, "user_id"))
        if user is None:
            raise ApiError(400, "Bad Request: user not found")
        return self._member(chat, user)

    async def _api_getChatAdministrators(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        chat = find_chat(self.world, p)
        if not chat.is_group:
            raise ApiError(400, "Bad Request: there are no administrators in the private chat")
        ids = sorted(chat.admins, key=lambda uid: chat.admins[uid] != "creator")
        admins = [self._member(chat, self.world.users[uid]) for uid in ids]
        if chat.bot_status == "administrator":
            admins.append(self._member(chat, self.world.bot))
        return admins

    async def _api_getChatMemberCount(self, p: dict[str, Any]) -> int:
        return len(find_chat(self.world, p).members) + 1

    async def _api_getChat(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = find_chat(self.world, p)
        gifts = dict.fromkeys(("unlimited_gifts", "limited_gifts", "unique_gifts",
                               "premium_subscription", "gifts_from_channels"), False)
        return {**chat.to_api(), "accent_color_id": 0, "max_reaction_count": 11,
                "accepted_gift_types": gifts}

    async def _api_leaveChat(self, p: dict[str, Any]) -> bool:
        find_chat(self.world, p).bot_status = "left"
        return True

