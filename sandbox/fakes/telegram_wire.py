"""Wire-level helpers for the fake Telegram Bot API server (see ``telegram_server.py``).

Text formatting (HTML / MarkdownV2 parse modes → plain text + entities, offsets in UTF-16
code units as Telegram counts them), the Bot API method names, and token-bucket rate limits.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass, field
from typing import Any

ANONYMOUS_ADMIN_ID = 1087968824  # "GroupAnonymousBot"
SERVICE_USER_ID = 777000  # "Telegram" (channel posts forwarded to linked groups)

# Every Bot API method (python-telegram-bot 22.8). Telegram matches names case-insensitively;
# names not in this list get 404 "Not Found".
BOT_API_METHODS = """
addStickerToSet answerCallbackQuery answerGuestQuery answerInlineQuery answerPreCheckoutQuery
answerShippingQuery answerWebAppQuery approveChatJoinRequest approveSuggestedPost banChatMember
banChatSenderChat close closeForumTopic closeGeneralForumTopic convertGiftToStars copyMessage
copyMessages createChatInviteLink createChatSubscriptionInviteLink createForumTopic
createInvoiceLink createNewStickerSet declineChatJoinRequest declineSuggestedPost
deleteAllMessageReactions deleteBusinessMessages deleteChatPhoto deleteChatStickerSet
deleteForumTopic deleteMessage deleteMessageReaction deleteMessages deleteMyCommands
deleteStickerFromSet deleteStickerSet deleteStory deleteWebhook editChatInviteLink
editChatSubscriptionInviteLink editForumTopic editGeneralForumTopic editMessageCaption
editMessageChecklist editMessageLiveLocation editMessageMedia editMessageReplyMarkup
editMessageText editStory editUserStarSubscription exportChatInviteLink forwardMessage
forwardMessages getAvailableGifts getBusinessAccountGifts getBusinessAccountStarBalance
getBusinessConnection getChat getChatAdministrators getChatGifts getChatMember
getChatMemberCount getChatMenuButton getCustomEmojiStickers getFile getForumTopicIconStickers
getGameHighScores getManagedBotAccessSettings getManagedBotToken getMe getMyCommands
getMyDefaultAdministratorRights getMyDescription getMyName getMyShortDescription
getMyStarBalance getStarTransactions getStickerSet getUpdates getUserChatBoosts getUserGifts
getUserPersonalChatMessages getUserProfileAudios getUserProfilePhotos getWebhookInfo
giftPremiumSubscription hideGeneralForumTopic leaveChat logOut pinChatMessage postStory
promoteChatMember readBusinessMessage refundStarPayment removeBusinessAccountProfilePhoto
removeChatVerification removeMyProfilePhoto removeUserVerification reopenForumTopic
reopenGeneralForumTopic replaceManagedBotToken replaceStickerInSet repostStory
restrictChatMember revokeChatInviteLink savePreparedInlineMessage savePreparedKeyboardButton
sendAnimation sendAudio sendChatAction sendChecklist sendContact sendDice sendDocument sendGame
sendGift sendInvoice sendLivePhoto sendLocation sendMediaGroup sendMessage sendMessageDraft
sendPaidMedia sendPhoto sendPoll sendSticker sendVenue sendVideo sendVideoNote sendVoice
setBusinessAccountBio setBusinessAccountGiftSettings setBusinessAccountName
setBusinessAccountProfilePhoto setBusinessAccountUsername setChatAdministratorCustomTitle
setChatDescription setChatMemberTag setChatMenuButton setChatPermissions setChatPhoto
setChatStickerSet setChatTitle setCustomEmojiStickerSetThumbnail setGameScore
setManagedBotAccessSettings setMessageReaction setMyCommands setMyDefaultAdministratorRights
setMyDescription setMyName setMyProfilePhoto setMyShortDescription setPassportDataErrors
setStickerEmojiList setStickerKeywords setStickerMaskPosition setStickerPositionInSet
setStickerSetThumbnail setStickerSetTitle setUserEmojiStatus setWebhook stopMessageLiveLocation
stopPoll transferBusinessAccountStars transferGift unbanChatMember unbanChatSenderChat
unhideGeneralForumTopic unpinAllChatMessages unpinAllForumTopicMessages
unpinAllGeneralForumTopicMessages unpinChatMessage upgradeGift uploadStickerFile verifyChat
verifyUser
""".split()  # noqa: SIM905
METHODS_BY_LOWER = {m.lower(): m for m in BOT_API_METHODS}

# Parameters that python-telegram-bot sends as JSON-encoded strings in form bodies.
_JSON_FIELDS = (
    "reply_markup allowed_updates entities caption_entities commands scope link_preview_options "
    "reply_parameters media results options explanation_entities message_ids permissions "
    "rights menu_button prices shipping_options reaction errors question_entities"
)
JSON_FIELDS = frozenset(_JSON_FIELDS.split())

# Update types Telegram delivers when allowed_updates is empty / never set.
NOT_DELIVERED_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})

# Methods that count as "sending a message" for Telegram's flood limits.
FLOOD_COUNTED = frozenset(
    m for m in BOT_API_METHODS
    if (m.startswith("send") and m not in {"sendChatAction", "sendMessageDraft"})
    or m.startswith("editMessage") or m in {"copyMessage", "forwardMessage"}
)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class EntityParseError(ValueError):
    """Raised for text Telegram would reject with 400 "can't parse entities"."""


# ---------------------------------------------------------------------------------------------
# HTML parse mode
_HTML_TAGS = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
    "tg-spoiler": "spoiler", "span": "spoiler", "a": "text_link", "code": "code", "pre": "pre",
    "blockquote": "blockquote", "tg-emoji": "custom_emoji",
}
_TAG_RE = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)"
    r"((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*)\s*>"
)
_ATTR_RE = re.compile(r"([a-zA-Z-]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+)))?")
_ENTITY_RE = re.compile(r"&(lt|gt|amp|quot|#[0-9]+|#x[0-9a-fA-F]+);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    out: list[str] = []
    entities: list[dict[str, Any]] = []
    stack: list[tuple[str, int, dict[str, Any]]] = []
    pos = 0
    u16 = 0
    while pos < len(source):
        ch = source[pos]
        if ch == "<":
            m = _TAG_RE.match(source, pos)
            if not m:
                raise EntityParseError(
                    "Bad Request: can't parse entities: Unexpected end of name token at byte "
                    f"offset {_byte_offset(source, pos)}"
                )
            closing, name, attr_text = m.group(1), m.group(2).lower(), m.group(3)
            if name not in _HTML_TAGS:
                kind = "end" if closing else "start"
                raise EntityParseError(
                    f'Bad Request: can\'t parse entities: Unsupported {kind} tag "{name}" at '
                    f"byte offset {_byte_offset(source, pos)}"
                )
            if closing:
                if not stack or stack[-1][0] != name:
                    expected = f'"</{stack[-1][0]}>"' if stack else "no end tag"
                    raise EntityParseError(
                        "Bad Request: can't parse entities: Unmatched end tag at byte offset "
                        f'{_byte_offset(source, pos)}, expected {expected}, found "</{name}>"'
                    )
                tag, start, fields = stack.pop()
                if u16 > start:
                    entities.append({"type": _HTML_TAGS[tag], "offset": start,
                                     "length": u16 - start, **fields})
            else:
                attrs = {a.group(1).lower(): next((g for g in a.groups()[1:] if g is not None), "")
                         for a in _ATTR_RE.finditer(attr_text)}
                extra: dict[str, Any] = {}
                if name == "a":
                    extra["url"] = attrs.get("href", "")
                elif name == "span" and attrs.get("class") != "tg-spoiler":
                    raise EntityParseError(
                        "Bad Request: can't parse entities: Tag \"span\" must have class "
                        f'"tg-spoiler" at byte offset {_byte_offset(source, pos)}'
                    )
                elif name == "tg-emoji":
                    extra["custom_emoji_id"] = attrs.get("emoji-id", "")
                elif name == "blockquote" and "expandable" in attrs:
                    extra["type"] = "expandable_blockquote"
                stack.append((name, u16, extra))
            pos = m.end()
            continue
        if ch == "&":
            m = _ENTITY_RE.match(source, pos)
            if m:
                code = m.group(1)
                if code.startswith("#x"):
                    ch = chr(int(code[2:], 16))
                elif code.startswith("#"):
                    ch = chr(int(code[1:]))
                else:
                    ch = _NAMED[code]
                pos = m.end()
            else:
                pos += 1
        else:
            pos += 1
        out.append(ch)
        u16 += utf16_len(ch)
    if stack:
        raise EntityParseError(
            "Bad Request: can't parse entities: Can't find end tag corresponding to start tag "
            f'"{stack[-1][0]}"'
        )
    return "".join(out), sorted(entities, key=lambda e: (e["offset"], -e["length"]))


# ---------------------------------------------------------------------------------------------
# MarkdownV2 parse mode (bold, italic, underline, strikethrough, spoiler, code, links)
MDV2_RESERVED = "_*[]()~`>#+-=|{}.!"
_MD_MARKERS = {"*": "bold", "_": "italic", "__": "underline", "~": "strikethrough",
               "||": "spoiler"}


def parse_markdown_v2(source: str) -> tuple[str, list[dict[str, Any]]]:
    out: list[str] = []
    entities: list[dict[str, Any]] = []
    open_: dict[str, int] = {}
    link_start: int | None = None
    u16 = 0
    pos = 0

    def err(msg: str) -> EntityParseError:
        return EntityParseError(f"Bad Request: can't parse entities: {msg}")

    while pos < len(source):
        ch = source[pos]
        if ch == "\\" and pos + 1 < len(source):
            ch = source[pos + 1]
            pos += 2
        elif ch == "`":
            end = source.find("`", pos + 1)
            if end < 0:
                at = _byte_offset(source, pos)
                raise err(f"Can't find end of Code entity at byte offset {at}")
            body = re.sub(r"\\(.)", r"\1", source[pos + 1:end])
            entities.append({"type": "code", "offset": u16, "length": utf16_len(body)})
            out.append(body)
            u16 += utf16_len(body)
            pos = end + 1
            continue
        elif source.startswith(("__", "||"), pos) or ch in "*_~":
            marker = source[pos:pos + 2] if source.startswith(("__", "||"), pos) else ch
            if marker in open_:
                start = open_.pop(marker)
                if u16 > start:
                    entities.append({"type": _MD_MARKERS[marker], "offset": start,
                                     "length": u16 - start})
            else:
                open_[marker] = u16
            pos += len(marker)
            continue
        elif ch == "[" and link_start is None:
            link_start = u16
            pos += 1
            continue
        elif ch == "]" and link_start is not None and source.startswith("](", pos):
            end = source.find(")", pos + 2)
            if end < 0:
                raise err(f"Can't find end of a URL at byte offset {_byte_offset(source, pos)}")
            entities.append({"type": "text_link", "offset": link_start, "length": u16 - link_start,
                             "url": source[pos + 2:end].replace("\\)", ")")})
            link_start = None
            pos = end + 1
            continue
        elif ch in MDV2_RESERVED:
            raise err(f"Character '{ch}' is reserved and must be escaped with the preceding '\\'")
        else:
            pos += 1
        out.append(ch)
        u16 += utf16_len(ch)
    if open_ or link_start is not None:
        raise err("Can't find end of the entity starting at the end of the text")
    return "".join(out), sorted(entities, key=lambda e: (e["offset"], -e["length"]))


def format_text(text: str, parse_mode: str | None, entities: list[Any] | None
                ) -> tuple[str, list[dict[str, Any]]]:
    """Telegram's text processing for a sent message: returns (plain text, entities)."""
    mode = (parse_mode or "").lower()
    if entities:
        return text, list(entities)
    if mode == "html":
        return parse_html(text)
    if mode == "markdownv2":
        return parse_markdown_v2(text)
    if mode not in ("", "markdown"):
        raise EntityParseError(f"Bad Request: unsupported parse_mode \"{parse_mode}\"")
    return text, []  # legacy "Markdown" is treated as plain text by this fake


def command_entities(text: str) -> list[dict[str, Any]]:
    """bot_command entities Telegram attaches to /commands (also mid-text ones)."""
    result = []
    for m in re.finditer(r"(?:(?<=\s)|^)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?", text):
        result.append({"type": "bot_command", "offset": utf16_len(text[:m.start()]),
                       "length": utf16_len(m.group(0))})
    return result


# ---------------------------------------------------------------------------------------------
# Flood limits
@dataclass
class RateLimits:
    """Telegram's (approximate, unpublished) flood limits; token buckets."""

    per_chat_per_second: float = 1.0
    per_chat_burst: int = 3
    per_group_per_minute: int = 20
    global_per_second: float = 30.0
    global_burst: int = 30


@dataclass
class Bucket:
    capacity: float
    rate: float  # tokens per second
    tokens: float = -1.0
    last: float = field(default_factory=time.monotonic)

    def wait_needed(self, now: float) -> float:
        if self.tokens < 0:
            self.tokens = self.capacity
        self.tokens = min(self.capacity, self.tokens + (now - self.last) * self.rate)
        self.last = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate

    def take(self) -> None:
        self.tokens -= 1


class FloodControl:
    def __init__(self, limits: RateLimits) -> None:
        self.limits = limits
        self.buckets: dict[tuple[str, int], Bucket] = {}
        self.global_bucket = Bucket(limits.global_burst, limits.global_per_second)

    def check(self, chat_id: int, is_group: bool) -> int:
        """0 if the message may go out now (and consume it), else retry_after seconds."""
        lim = self.limits
        now = time.monotonic()
        buckets = [
            self.global_bucket,
            self.buckets.setdefault(("chat", chat_id),
                                    Bucket(lim.per_chat_burst, lim.per_chat_per_second)),
        ]
        if is_group:
            buckets.append(self.buckets.setdefault(
                ("group", chat_id),
                Bucket(lim.per_group_per_minute, lim.per_group_per_minute / 60.0)))
        wait = max(b.wait_needed(now) for b in buckets)
        if wait > 0:
            return max(1, math.ceil(wait))
        for b in buckets:
            b.take()
        return 0
