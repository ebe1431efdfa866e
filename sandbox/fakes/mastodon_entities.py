"""Accounts, statuses and notifications of the fake Mastodon server, rendered in the shapes of
real Mastodon 4.x replies (the recorded cassettes in ``mastodon_fixtures/``)."""

from __future__ import annotations

import copy
import html
import itertools
import json
import random
import string
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import regex

FIXTURES = Path(__file__).parent / "mastodon_fixtures"
ID_STYLES = ("snowflake", "sequential", "opaque")


def load_fixture(name: str) -> list[dict[str, Any]]:
    """The interactions of one recorded cassette (request, response)."""
    interactions: list[dict[str, Any]] = json.loads(
        (FIXTURES / f"{name}.json").read_text())["interactions"]
    return interactions


@cache
def _templates() -> dict[str, Any]:
    me = load_fixture("test_verify_credentials")[0]["response"]["body"]
    mention = load_fixture("test_notifications")[1]["response"]["body"][0]
    public = load_fixture("test_status_post_None-public")[0]["response"]["body"]
    stream = load_fixture("test_stream_user_local")
    account = dict(mention["account"])
    for key in ("roles", "source", "role"):
        account.pop(key, None)
    status = {k: v for k, v in public.items() if k not in ("account",)}
    notification = {k: v for k, v in mention.items() if k not in ("account", "status")}
    return {
        "credential_account": me,
        "account": account,
        "status": status,
        "notification": notification,
        "instance_v1": load_fixture("test_instance_v1")[0]["response"]["body"],
        "instance_v2": load_fixture("test_instance")[0]["response"]["body"],
        "stream_body": stream[-1]["response"]["body"],
    }


def template(name: str) -> dict[str, Any]:
    """A fresh copy of a recorded reply of this kind, to fill in."""
    reply: dict[str, Any] = copy.deepcopy(_templates()[name])
    return reply


def iso(moment: datetime) -> str:
    """Mastodon's timestamp format: millisecond precision, ``Z``."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class Ids:
    """Id generator. ``snowflake``: 18-digit ids from the clock, like Mastodon's status ids.
    ``sequential``: 1, 2, ... 10, 100 (lengths change; real notification ids look like this).
    ``opaque``: random letters and digits of varying length, not sortable at all.

    The server never orders by the id text: ``key()`` gives the order, so a client that compares
    ids as numbers or strings is caught by the ``sequential`` and ``opaque`` styles."""

    def __init__(self, style: str = "snowflake", seed: int = 0) -> None:
        if style not in ID_STYLES:
            raise ValueError(f"id style must be one of {ID_STYLES}")
        self.style = style
        self._order_counter = itertools.count(1)
        self._counters: dict[str, itertools.count[int]] = {}
        self._order: dict[str, int] = {}
        self._last_snowflake = 0
        self._random = random.Random(seed)

    def next(self, at: datetime | None = None, kind: str = "status") -> str:
        """A new id; ``sequential`` ids count per ``kind`` (status, account, notification)."""
        seq = next(self._order_counter)
        if self.style == "snowflake":
            moment = at or datetime.now(UTC)
            candidate = (int(moment.timestamp() * 1000) << 16) + (seq & 0xFFFF)
            if at is None:  # fresh local objects grow; back-dated (remote) ones may not
                candidate = max(candidate, self._last_snowflake + 1)
                self._last_snowflake = candidate
            new_id = str(candidate)
        elif self.style == "sequential":
            new_id = str(next(self._counters.setdefault(kind, itertools.count(1))))
        else:
            alphabet = string.ascii_lowercase + string.digits
            length = self._random.choice((3, 5, 8, 11, 16))
            new_id = self._random.choice(string.ascii_lowercase) + "".join(
                self._random.choice(alphabet) for _ in range(length - 1)
            )
        self._order[new_id] = seq
        return new_id

    def key(self, object_id: str | None) -> int | None:
        """Sort key of an id (also of a deleted object's id), or None if it is unknown."""
        if object_id is None or object_id == "":
            return None
        if self.style != "opaque" and object_id.isdigit():
            return int(object_id)
        if self.style == "opaque":
            return self._order.get(object_id)
        return None


@dataclass(eq=False)
class Account:
    id: str
    username: str
    domain: str | None  # None: local to the fake server
    display_name: str = ""
    token: str | None = None
    bot: bool = False
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def acct(self) -> str:
        return self.username if self.domain is None else f"{self.username}@{self.domain}"

    @property
    def local(self) -> bool:
        return self.domain is None


@dataclass(eq=False)
class Status:
    id: str
    account: Account
    text: str
    content: str
    visibility: str
    created_at: datetime
    in_reply_to: Status | None = None
    reblog_of: Status | None = None
    mentions: list[Account] = field(default_factory=list)
    spoiler_text: str = ""
    sensitive: bool = False
    language: str | None = "en"
    edited_at: datetime | None = None
    history: list[dict[str, Any]] = field(default_factory=list)
    deleted: bool = False
    via_api: bool = False


@dataclass(eq=False)
class Notification:
    id: str
    type: str
    recipient: Account
    account: Account
    status: Status | None
    created_at: datetime
    activity: Status | None = None  # the reblog behind a "reblog" notification


# Mastodon's mention pattern (app/models/account.rb MENTION_RE), simplified.
MENTION_RE = regex.compile(
    r"(?<![=/\w])@(?P<user>[\w]+(?:[\w.-]+[\w]+)?)(?:@(?P<host>[\w.-]+\w+))?", regex.IGNORECASE
)
URL_RE = regex.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:!?)]")


def mention_matches(text: str) -> list[tuple[str, str | None, int, int]]:
    return [(m["user"], m["host"], m.start(), m.end()) for m in MENTION_RE.finditer(text)]


def countable_length(text: str) -> int:
    """Length as Mastodon's StatusLengthValidator counts it: grapheme clusters, every URL as 23
    characters, a remote mention as ``@user`` only."""
    countable = URL_RE.sub("x" * 23, text)
    countable = MENTION_RE.sub(lambda m: "@" + m["user"], countable)
    return len(regex.findall(r"\X", countable))


def render_content(text: str, mentioned: dict[tuple[str, str | None], Account],
                   base_url: str) -> str:
    """Plain text to Mastodon's HTML: ``<p>`` per paragraph, ``<br />`` per line break, h-card
    mentions, shortened links. ``mentioned`` maps (user, host) as written to the account."""
    pieces: list[str] = []
    position = 0
    tokens = sorted(
        [(m.start(), m.end(), "url", m.group(0)) for m in URL_RE.finditer(text)]
        + [(s, e, "mention", (u, h)) for u, h, s, e in mention_matches(text)]
    )
    for start, end, kind, value in tokens:
        if start < position:
            continue
        pieces.append(html.escape(text[position:start], quote=False).replace("'", "&#39;"))
        raw = text[start:end]
        if kind == "url":
            scheme, rest = raw.split("://", 1)
            pieces.append(
                f'<a href="{html.escape(raw)}" target="_blank" rel="nofollow noopener" '
                f'translate="no"><span class="invisible">{scheme}://</span>'
                f'<span class="">{html.escape(rest)}</span><span class="invisible"></span></a>'
            )
        elif not isinstance(value, str) and (value in mentioned
                                             or (value[0], None) in mentioned):
            account = mentioned.get(value) or mentioned[(value[0], None)]
            pieces.append(
                f'<span class="h-card" translate="no"><a href="{profile_url(account, base_url)}" '
                f'class="u-url mention">@<span>{html.escape(account.username)}</span></a></span>'
            )
        else:
            pieces.append(html.escape(raw, quote=False))
        position = end
    pieces.append(html.escape(text[position:], quote=False).replace("'", "&#39;"))
    body = "".join(pieces).strip()
    paragraphs = [p for p in regex.split(r"\n\s*\n", body) if p.strip()]
    return "".join("<p>" + p.strip("\n").replace("\n", "<br />") + "</p>" for p in paragraphs)


def profile_url(account: Account, base_url: str) -> str:
    if account.local:
        return f"{base_url}/@{account.username}"
    return f"https://{account.domain}/@{account.username}"


def account_json(account: Account, base_url: str, statuses_count: int = 0,
                 credentials: bool = False) -> dict[str, Any]:
    data = template("credential_account" if credentials else "account")
    url = profile_url(account, base_url)
    uri = (f"{base_url}/ap/users/{account.id}" if account.local
           else f"https://{account.domain}/users/{account.username}")
    data.update(
        id=account.id, username=account.username, acct=account.acct,
        display_name=account.display_name, bot=account.bot, note="", url=url, uri=uri,
        created_at=iso(account.created_at.replace(hour=0, minute=0, second=0, microsecond=0)),
        statuses_count=statuses_count, followers_count=0, following_count=0,
        last_status_at=None, fields=[], emojis=[],
    )
    for key in ("avatar", "avatar_static", "header", "header_static"):
        kind = "avatars" if key.startswith("avatar") else "headers"
        data[key] = f"{base_url}/{kind}/original/missing.png"
    return data
