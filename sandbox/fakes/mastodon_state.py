"""The fake Mastodon server's world: accounts, statuses, boosts and notifications, with no HTTP.

Behaviour copied from Mastodon 4.x: notifications are deleted with the activity behind them
(an un-boost deletes the reblog *and* its notification, and streams nothing); deleting a status
deletes its reblogs; only public and unlisted statuses can be boosted; direct statuses are seen
by their author and the accounts they mention only."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from .mastodon_entities import (
    Account,
    Ids,
    Notification,
    Status,
    account_json,
    countable_length,
    iso,
    mention_matches,
    render_content,
    template,
)

VISIBILITIES = ("public", "unlisted", "private", "direct")
# (recipient, event name, SSE data line); the server routes it to the recipient's streams.
EventSink = Callable[[Account, str, str], None]


def compact(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"))


class MastodonError(Exception):
    """An API error: HTTP status and Mastodon's ``{"error": ...}`` text."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class World:
    def __init__(self, domain: str, base_url: Callable[[], str], ids: Ids,
                 emit: EventSink, resolve_remote: bool = True) -> None:
        self.domain = domain
        self.base_url = base_url
        self.ids = ids
        self.emit = emit
        self.resolve_remote = resolve_remote
        self.accounts: dict[str, Account] = {}
        self.statuses: dict[str, Status] = {}  # every status ever, deleted ones flagged
        self.notifications: list[Notification] = []  # live ones only
        self.late: dict[str, Notification] = {}  # reblog id -> notification held back
        self.idempotency: dict[tuple[str, str], Status] = {}
        self.mentioned: list[tuple[Status, Account]] = []  # every (status, mentioned account)

    # accounts ----------------------------------------------------------------------------
    def create_account(self, username: str, domain: str | None = None, *, token: str | None = None,
                       display_name: str = "", bot: bool = False) -> Account:
        if domain == self.domain:
            domain = None
        if self.find_account(username, domain) is not None:
            raise ValueError(f"account {username}@{domain or self.domain} exists")
        account = Account(self.ids.next(kind="account"), username, domain, display_name or username,
                          token if domain is None else None, bot)
        self.accounts[account.id] = account
        return account

    def find_account(self, username: str, domain: str | None) -> Account | None:
        if domain is not None and domain.lower() == self.domain.lower():
            domain = None
        for account in self.accounts.values():
            same_domain = (account.domain or "").lower() == (domain or "").lower()
            if account.username.lower() == username.lower() and same_domain:
                return account
        return None

    def lookup(self, acct: str) -> Account:
        username, _, domain = acct.lstrip("@").partition("@")
        account = self.find_account(username, domain or None)
        if account is None:
            raise MastodonError(404, "Record not found")
        return account

    def account_by_token(self, token: str) -> Account | None:
        return next((a for a in self.accounts.values() if a.token and a.token == token), None)

    # statuses ----------------------------------------------------------------------------
    def get_status(self, status_id: str, viewer: Account | None) -> Status:
        status = self.statuses.get(status_id)
        if status is None or status.deleted or not self.can_see(status, viewer):
            raise MastodonError(404, "Record not found")
        return status

    @staticmethod
    def can_see(status: Status, viewer: Account | None) -> bool:
        if status.visibility in ("public", "unlisted"):
            return True
        if viewer is None:
            return False
        return viewer is status.account or viewer in status.mentions

    def _resolve_mentions(self, text: str) -> dict[tuple[str, str | None], Account]:
        found: dict[tuple[str, str | None], Account] = {}
        for user, host, _, _ in mention_matches(text):
            account = self.find_account(user, host)
            if account is None and host is not None and self.resolve_remote:
                account = self.create_account(user, host)  # as if WebFinger found it
            if account is not None:
                found[(user, host)] = account
        return found

    def post(self, author: Account, text: str, visibility: str = "public",
             in_reply_to_id: str | None = None, *, spoiler_text: str = "", sensitive: bool = False,
             language: str | None = None, via_api: bool = False, max_characters: int | None = None,
             created_at: datetime | None = None) -> Status:
        if visibility not in VISIBILITIES:
            raise MastodonError(422, "Validation failed: Visibility is not included in the list")
        if not text.strip():
            raise MastodonError(422, "Validation failed: Text can't be blank")
        self._check_length(text, spoiler_text, max_characters)
        parent = self.get_status(in_reply_to_id, author) if in_reply_to_id else None
        mentioned = self._resolve_mentions(text)
        status = Status(
            id=self.ids.next(created_at), account=author, text=text,
            content=render_content(text, mentioned, self.base_url()), visibility=visibility,
            created_at=created_at or datetime.now(UTC), in_reply_to=parent,
            mentions=list(dict.fromkeys(mentioned.values())), spoiler_text=spoiler_text,
            sensitive=sensitive, language=language or "en", via_api=via_api,
        )
        status.history.append(self._version(status))
        self.statuses[status.id] = status
        self.emit(author, "update", compact(self.status_json(status, author)))
        for account in status.mentions:
            self.mentioned.append((status, account))
            if account.local and account is not author:
                self.notify("mention", account, author, status)
        return status

    def _check_length(self, text: str, spoiler_text: str, max_characters: int | None) -> None:
        length = countable_length(text) + countable_length(spoiler_text)
        if max_characters is not None and length > max_characters:
            raise MastodonError(
                    422, f"Validation failed: Text character limit of {max_characters} exceeded")

    def _version(self, status: Status) -> dict[str, Any]:
        return {"text": status.text, "content": status.content,
                "spoiler_text": status.spoiler_text, "sensitive": status.sensitive,
                "created_at": iso(status.edited_at or status.created_at)}

    def edit(self, editor: Account, status_id: str, text: str, *, spoiler_text: str | None = None,
             sensitive: bool | None = None, language: str | None = None,
             max_characters: int | None = None) -> Status:
        status = self.statuses.get(status_id)
        if status is None or status.deleted or status.account is not editor or status.reblog_of:
            raise MastodonError(404, "Record not found")
        if not text.strip():
            raise MastodonError(422, "Validation failed: Text can't be blank")
        self._check_length(text, spoiler_text or status.spoiler_text, max_characters)
        before = set(status.mentions)
        mentioned = self._resolve_mentions(text)
        status.text = text
        status.content = render_content(text, mentioned, self.base_url())
        status.mentions = list(dict.fromkeys(mentioned.values()))
        if spoiler_text is not None:
            status.spoiler_text = spoiler_text
        if sensitive is not None:
            status.sensitive = sensitive
        if language:
            status.language = language
        status.edited_at = datetime.now(UTC)
        status.history.append(self._version(status))
        self.emit(editor, "status.update", compact(self.status_json(status, editor)))
        for account in status.mentions:
            if account not in before:
                self.mentioned.append((status, account))
                if account.local and account is not editor:
                    self.notify("mention", account, editor, status)
        for reblog in self.reblogs_of(status):  # boosters are told about edits
            if reblog.account.local and reblog.account is not editor:
                self.notify("update", reblog.account, editor, status)
        return status

    def delete(self, actor: Account, status_id: str) -> Status:
        status = self.statuses.get(status_id)
        if status is None or status.deleted or status.account is not actor:
            raise MastodonError(404, "Record not found")
        for reblog in self.reblogs_of(status):
            self._remove(reblog)
        self._remove(status)
        self.emit(actor, "delete", status.id)
        return status

    def _remove(self, status: Status) -> None:
        status.deleted = True
        self.late.pop(status.id, None)
        self.notifications = [
            n for n in self.notifications if n.status is not status and n.activity is not status
        ]

    def reblogs_of(self, status: Status) -> list[Status]:
        return [s for s in self.statuses.values() if s.reblog_of is status and not s.deleted]

    def boost(self, account: Account, status_id: str, *, notify: bool = True,
              created_at: datetime | None = None) -> Status:
        original = self.get_status(status_id, account)
        if original.reblog_of is not None:
            original = original.reblog_of
        existing = next((r for r in self.reblogs_of(original) if r.account is account), None)
        if existing is not None:
            return existing
        if original.visibility not in ("public", "unlisted"):
            raise MastodonError(422, "Validation failed: Reblog of status is not permitted")
        reblog = Status(id=self.ids.next(created_at), account=account, text="", content="",
                        visibility=original.visibility, created_at=created_at or datetime.now(UTC),
                        reblog_of=original, language=None)
        self.statuses[reblog.id] = reblog
        owner = original.account
        if owner.local and owner is not account:
            notification = Notification(
                "", "reblog", owner, account, original, datetime.now(UTC), activity=reblog)
            if notify:
                self._deliver(notification)
            else:
                self.late[reblog.id] = notification
        return reblog

    def unboost(self, account: Account, status_id: str) -> Status | None:
        original = self.get_status(status_id, account)
        reblog = next((r for r in self.reblogs_of(original) if r.account is account), None)
        if reblog is not None:
            self._remove(reblog)  # the notification goes too; nothing is streamed
        return reblog

    # notifications -----------------------------------------------------------------------
    def notify(self, kind: str, recipient: Account, account: Account, status: Status | None,
               activity: Status | None = None) -> Notification:
        notification = Notification("", kind, recipient, account, status, datetime.now(UTC),
                                    activity=activity)
        return self._deliver(notification)

    def _deliver(self, notification: Notification) -> Notification:
        notification.id = self.ids.next(kind="notification")
        notification.created_at = datetime.now(UTC)
        self.notifications.append(notification)
        payload = self.notification_json(notification)
        self.emit(notification.recipient, "notification", compact(payload))
        return notification

    def deliver_late(self, reblog_id: str | None = None) -> list[Notification]:
        keys = [reblog_id] if reblog_id is not None else list(self.late)
        return [self._deliver(self.late.pop(key)) for key in keys if key in self.late]

    # JSON ----------------------------------------------------------------------------------
    def account_json(self, account: Account, credentials: bool = False) -> dict[str, Any]:
        count = sum(1 for s in self.statuses.values() if s.account is account and not s.deleted)
        data = account_json(account, self.base_url(), count, credentials)
        if credentials:
            data["source"]["note"] = ""
        return data

    def status_json(self, status: Status, viewer: Account | None) -> dict[str, Any]:
        base = self.base_url()
        author = status.account
        data = template("status")
        home = f"{base}/ap/users/{author.id}" if author.local else f"https://{author.domain}/users/{author.username}"
        profile = f"{base}/@{author.username}" if author.local else f"https://{author.domain}/@{author.username}"
        original = status.reblog_of
        data.update(
            id=status.id, created_at=iso(status.created_at),
            in_reply_to_id=status.in_reply_to.id if status.in_reply_to else None,
            in_reply_to_account_id=status.in_reply_to.account.id if status.in_reply_to else None,
            sensitive=status.sensitive, spoiler_text=status.spoiler_text,
            visibility=status.visibility, language=status.language,
            uri=f"{home}/statuses/{status.id}" + ("/activity" if original else ""),
            url=f"{profile}/{status.id}",
            replies_count=sum(1 for s in self.statuses.values()
                              if s.in_reply_to is status and not s.deleted),
            reblogs_count=len(self.reblogs_of(status)), favourites_count=0, quotes_count=0,
            edited_at=iso(status.edited_at) if status.edited_at else None,
            content=status.content, reblog=self.status_json(original, viewer) if original else None,
            application={"name": "gather", "website": None} if status.via_api else None,
            account=self.account_json(author),
            mentions=[{"id": a.id, "username": a.username, "acct": a.acct,
                       "url": f"{base}/@{a.username}" if a.local else f"https://{a.domain}/@{a.username}"}
                      for a in status.mentions],
            favourited=False, muted=False, bookmarked=False,
            reblogged=viewer is not None
            and any(r.account is viewer for r in self.reblogs_of(status)),
        )
        data["tags"] = []
        if original is not None:
            data["reblogged"] = viewer is not None and status.account is viewer
            data["url"] = f"{base}/users/{author.username}/statuses/{status.id}/activity"
        if viewer is author and status.visibility != "direct" and original is None:
            data["pinned"] = False
        else:
            data.pop("pinned", None)
        if status.visibility in ("private", "direct"):
            data["quote_approval"] = {"automatic": [], "manual": [], "current_user": "denied"}
        return data

    def notification_json(self, notification: Notification) -> dict[str, Any]:
        data = template("notification")
        data.update(id=notification.id, type=notification.type,
                    created_at=iso(notification.created_at))
        if notification.type in ("reblog", "favourite", "follow") and notification.status:
            bucket = int(notification.created_at.timestamp()) // 3600
            data["group_key"] = f"{notification.type}-{notification.status.id}-{bucket}"
        else:
            data["group_key"] = f"ungrouped-{notification.id}"
        data["account"] = self.account_json(notification.account)
        if notification.status is not None:
            data["status"] = self.status_json(notification.status, notification.recipient)
        return data
