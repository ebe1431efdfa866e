"""How the bot gets its updates: long polling (getUpdates) or a webhook."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp

from .telegram_models import ApiError
from .telegram_params import ApiMethod, flag, int_param
from .telegram_world import TelegramWorld


class UpdateMethods:
    """``changed(timeout)`` returns at the fake's next change (or after ``timeout``);
    ``closing()`` says the server is stopping, which ends long polls."""

    def __init__(self, world: TelegramWorld, *, notify: Callable[[], None],
                 changed: Callable[[float], Awaitable[None]],
                 closing: Callable[[], bool]) -> None:
        self.world = world
        self.notify = notify
        self.changed = changed
        self.closing = closing
        self.webhook: dict[str, Any] | None = None
        self.webhook_deliveries: list[tuple[str, int]] = []  # (url, HTTP status)
        self._poll_generation = 0

    def methods(self) -> dict[str, ApiMethod]:
        return {
            "deleteWebhook": self._api_deleteWebhook,
            "setWebhook": self._api_setWebhook,
            "getWebhookInfo": self._api_getWebhookInfo,
            "getUpdates": self._api_getUpdates,
        }

    async def _api_deleteWebhook(self, p: dict[str, Any]) -> bool:
        self.webhook = None
        if flag(p, "drop_pending_updates"):
            self.world.expire_pending_updates()
        return True

    async def _api_setWebhook(self, p: dict[str, Any]) -> bool:
        url = str(p.get("url") or "")
        if not url:
            return await self._api_deleteWebhook(p)
        if not url.startswith("https://"):
            raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for "
                                "webhook")
        secret = p.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        if isinstance(p.get("allowed_updates"), list):
            self.world.allowed_updates = p["allowed_updates"]
        if flag(p, "drop_pending_updates"):
            self.world.expire_pending_updates()
        self.webhook = {"url": url, "secret_token": secret,
                        "max_connections": int_param(p, "max_connections", 40),
                        "allowed_updates": p.get("allowed_updates"), "params": p}
        return True

    async def _api_getWebhookInfo(self, p: dict[str, Any]) -> dict[str, Any]:
        info: dict[str, Any] = {"url": self.webhook["url"] if self.webhook else "",
                                "has_custom_certificate": False,
                                "pending_update_count": len(self.world.pending_updates)}
        if self.webhook:
            info["max_connections"] = self.webhook["max_connections"]
        return info

    async def _api_getUpdates(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                "use deleteWebhook to delete the webhook first")
        if isinstance(p.get("allowed_updates"), list):
            self.world.allowed_updates = p["allowed_updates"]
        limit = int_param(p, "limit", 100)
        timeout = float(p.get("timeout") or 0)
        self._poll_generation += 1
        generation = self._poll_generation
        self.notify()  # wakes (and so terminates) an older long poll
        self.world.confirm(int_param(p, "offset", 0))
        deadline = time.monotonic() + timeout
        while True:
            if generation != self._poll_generation:
                raise ApiError(409, "Conflict: terminated by other getUpdates request; make "
                                    "sure that only one bot instance is running")
            if self.world.has_deliverable():
                return self.world.take_batch(max(1, min(limit, 100)))
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self.closing():
                return []
            await self.changed(remaining)


    async def deliver_webhook(self, url: str, update: dict[str, Any],
                              secret_token: str | None = None, *, timeout: float = 10.0
                              ) -> tuple[int, str]:
        """POST one update to a bot's webhook the way Telegram does; returns (status, body)."""
        headers = {"Content-Type": "application/json"}
        if secret_token is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret_token
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as s, \
                s.post(url, data=json.dumps(update), headers=headers) as resp:
            text = await resp.text()
        self.webhook_deliveries.append((url, resp.status))
        self.notify()
        return resp.status, text

    async def flush_webhook(self, url: str | None = None) -> list[int]:
        """Deliver every pending update to the webhook set with setWebhook (or to ``url``,
        e.g. the bot's local listener), with its secret; 2xx confirms an update."""
        assert self.webhook is not None, "no webhook set"
        statuses = []
        for update in self.world.take_batch(100):
            status, _ = await self.deliver_webhook(url or self.webhook["url"], update,
                                                   self.webhook["secret_token"])
            statuses.append(status)
            if 200 <= status < 300:
                self.world.forget(update)
        return statuses

