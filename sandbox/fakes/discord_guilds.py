"""Guild resources of the fake Discord server: members, scheduled events, app commands."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aiohttp import web

from .discord_models import DiscordError, FakeGuild, Perm, json_response, snowflake, unknown
from .discord_rest import Route, make_route
from .discord_world import DiscordWorld, parse_id


class GuildResources:
    """Members, scheduled events and application commands."""

    def __init__(self, world: DiscordWorld) -> None:
        self.world = world

    def routes(self) -> list[Route]:
        r = make_route
        return [
            r("GET", "/guilds/{guild_id}/members/{user_id}", self._get_member),
            r("GET", "/guilds/{guild_id}/scheduled-events", self._list_events),
            r("POST", "/guilds/{guild_id}/scheduled-events", self._create_event),
            r("GET", "/guilds/{guild_id}/scheduled-events/{event_id}", self._get_event),
            r("PATCH", "/guilds/{guild_id}/scheduled-events/{event_id}", self._patch_event),
            r("DELETE", "/guilds/{guild_id}/scheduled-events/{event_id}", self._delete_event),
            r("GET", "/applications/{app_id}/commands", self._get_commands),
            r("PUT", "/applications/{app_id}/commands", self._put_commands),
            r("POST", "/applications/{app_id}/commands", self._post_command),
            r("GET", "/applications/{app_id}/guilds/{guild_id}/commands", self._get_commands),
            r("PUT", "/applications/{app_id}/guilds/{guild_id}/commands", self._put_commands),
            r("POST", "/applications/{app_id}/guilds/{guild_id}/commands", self._post_command),
        ]

    # ---------------------------------------------------------------- guild resources
    async def _get_member(self, request: web.Request, p: dict[str, str],
                          body: Any) -> web.Response:
        guild = self.world.guild(p["guild_id"])
        member = guild.members.get(parse_id(p["user_id"]))
        if member is None:
            raise unknown("Member", 10007)
        return json_response(member.payload())

    def _event_guild(self, guild_id: str) -> FakeGuild:
        guild = self.world.guild(guild_id)
        if not guild.members[self.world.bot_user.id].permissions & (
            Perm.MANAGE_EVENTS | Perm.CREATE_EVENTS
        ):
            raise DiscordError(403, 50013, "Missing Permissions")
        return guild

    async def _list_events(self, request: web.Request, p: dict[str, str],
                           body: Any) -> web.Response:
        guild = self.world.guild(p["guild_id"])
        return json_response(list(self.world.scheduled_events[guild.id].values()))

    async def _get_event(self, request: web.Request, p: dict[str, str],
                         body: Any) -> web.Response:
        return json_response(self._event(p))

    async def _create_event(self, request: web.Request, p: dict[str, str],
                            body: Any) -> web.Response:
        guild = self._event_guild(p["guild_id"])
        body = body or {}
        missing = [k for k in ("name", "scheduled_start_time", "entity_type",
                               "privacy_level") if k not in body]
        if missing:
            raise DiscordError(400, 50035, "Invalid Form Body", {
                k: {"_errors": [{"code": "BASE_TYPE_REQUIRED",
                                 "message": "This field is required"}]} for k in missing})
        _check_event(body, creating=True)
        eid = snowflake()
        event = {
            "id": str(eid), "guild_id": str(guild.id), "channel_id": body.get("channel_id"),
            "creator_id": str(self.world.bot_user.id), "creator": self.world.bot_user.payload(),
            "name": body["name"], "description": body.get("description"),
            "scheduled_start_time": body["scheduled_start_time"],
            "scheduled_end_time": body.get("scheduled_end_time"),
            "privacy_level": body["privacy_level"], "status": 1,
            "entity_type": body["entity_type"], "entity_id": None,
            "entity_metadata": body.get("entity_metadata"), "user_count": 0, "image": None,
            "recurrence_rule": body.get("recurrence_rule"),
        }
        self.world.scheduled_events[guild.id][eid] = event
        self.world.dispatch("GUILD_SCHEDULED_EVENT_CREATE", event, intent=16)
        return json_response(event)

    async def _patch_event(self, request: web.Request, p: dict[str, str],
                           body: Any) -> web.Response:
        self._event_guild(p["guild_id"])
        event = self._event(p)
        if event["status"] in (3, 4):  # completed or cancelled: final
            raise DiscordError(400, 180000, "Cannot modify a finished event")
        _check_event({**event, **(body or {})}, creating=False)
        event.update({k: v for k, v in (body or {}).items() if k in event})
        self.world.dispatch("GUILD_SCHEDULED_EVENT_UPDATE", event, intent=16)
        return json_response(event)

    async def _delete_event(self, request: web.Request, p: dict[str, str],
                            body: Any) -> web.Response:
        guild = self._event_guild(p["guild_id"])
        event = self._event(p)
        del self.world.scheduled_events[guild.id][int(event["id"])]
        self.world.dispatch("GUILD_SCHEDULED_EVENT_DELETE", event, intent=16)
        return web.Response(status=204)

    def _event(self, p: dict[str, str]) -> dict[str, Any]:
        event = self.world.scheduled_events[parse_id(p["guild_id"])].get(parse_id(p["event_id"]))
        if event is None:
            raise unknown("Guild Scheduled Event", 10070)
        return event

    # ---------------------------------------------------------------- application commands
    def _command_list(self, p: dict[str, str]) -> list[dict[str, Any]]:
        if parse_id(p["app_id"]) != self.world.application_id:
            raise DiscordError(403, 50001, "Missing Access")
        if "guild_id" in p:
            return self.world.guild_commands.setdefault(self.world.guild(p["guild_id"]).id, [])
        return self.world.global_commands

    def _command_payload(self, p: dict[str, str], cmd: dict[str, Any]
                         ) -> dict[str, Any]:
        _check_localizations(cmd)
        old = {c["name"]: c for c in self._command_list(p)}.get(cmd.get("name"))
        return {
            "type": 1, "description": "", "options": [], "default_member_permissions": None,
            "nsfw": False, "dm_permission": True, **cmd,
            "id": old["id"] if old else str(snowflake()),
            "application_id": str(self.world.application_id), "version": str(snowflake()),
            **({"guild_id": p["guild_id"]} if "guild_id" in p else {}),
        }

    async def _get_commands(self, request: web.Request, p: dict[str, str],
                            body: Any) -> web.Response:
        return json_response(self._command_list(p))

    async def _put_commands(self, request: web.Request, p: dict[str, str],
                            body: Any) -> web.Response:
        new = [self._command_payload(p, c) for c in body or []]
        current = self._command_list(p)
        current[:] = new
        return json_response(new)

    async def _post_command(self, request: web.Request, p: dict[str, str],
                            body: Any) -> web.Response:
        cmd = self._command_payload(p, body or {})
        current = self._command_list(p)
        current[:] = [c for c in current if c["name"] != cmd["name"]] + [cmd]
        return json_response(cmd, 201)


# The locales Discord accepts in name_localizations and description_localizations.
LOCALES = frozenset({
    "id", "da", "de", "en-GB", "en-US", "es-ES", "es-419", "fr", "hr", "it", "lt", "hu", "nl",
    "no", "pl", "pt-BR", "ro", "fi", "sv-SE", "vi", "tr", "cs", "el", "bg", "ru", "uk", "hi",
    "th", "zh-CN", "ja", "zh-TW", "ko",
})


def _check_localizations(cmd: dict[str, Any]) -> None:
    """Discord's rules for a command's and its options' localisations (400 50035 otherwise)."""
    problems: dict[str, str] = {}
    for where, item in [("", cmd), *((f"options.{i}.", o) for i, o in
                                     enumerate(cmd.get("options") or []))]:
        for field, limit in (("name_localizations", 32), ("description_localizations", 100)):
            for locale, text in (item.get(field) or {}).items():
                if locale not in LOCALES:
                    problems[f"{where}{field}.{locale}"] = "Invalid locale."
                elif not 1 <= len(str(text)) <= limit:
                    problems[f"{where}{field}.{locale}"] = f"Must be 1 to {limit} long."
    if problems:
        raise DiscordError(400, 50035, "Invalid Form Body", {
            k: {"_errors": [{"code": "INVALID", "message": m}]} for k, m in problems.items()})


def _check_event(event: dict[str, Any], *, creating: bool) -> None:
    """Discord's rules for an event's fields (400 50035 with the field, as Discord answers)."""
    problems: dict[str, str] = {}
    if not 1 <= len(event.get("name") or "") <= 100:
        problems["name"] = "Must be between 1 and 100 in length."
    if len(event.get("description") or "") > 1000:
        problems["description"] = "Must be 1000 or fewer in length."
    if event.get("entity_type") == 3:  # EXTERNAL: a place and an end are required
        location = (event.get("entity_metadata") or {}).get("location") or ""
        if not 1 <= len(location) <= 100:
            problems["entity_metadata"] = "Location must be between 1 and 100 in length."
        if not event.get("scheduled_end_time"):
            problems["scheduled_end_time"] = "This field is required for external events."
    start = _instant(event.get("scheduled_start_time"))
    end = _instant(event.get("scheduled_end_time"))
    if creating and start is not None and start <= dt.datetime.now(dt.UTC):
        problems["scheduled_start_time"] = "Cannot schedule event in the past."
    if start is not None and end is not None and end <= start:
        problems["scheduled_end_time"] = "Cannot be before the start time."
    if problems:
        raise DiscordError(400, 50035, "Invalid Form Body", {
            k: {"_errors": [{"code": "INVALID", "message": m}]} for k, m in problems.items()})


def _instant(text: Any) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(str(text)) if text else None
    except ValueError:
        return None
