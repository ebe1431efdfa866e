"""A reminder in the room mentions exactly one person, on each network; nothing else pings."""

from __future__ import annotations

from adapters.discord.render import allowed_mentions
from adapters.discord.render import render as discord_render
from adapters.mastodon.render import render_text
from adapters.telegram.render import render as telegram_render
from core.contract.messages import Message, MessageBuilder, Span, user


def _reminder(network: str, native_id: str, name: str = "@everyone <b>Cleo</b>") -> Message:
    return (
        MessageBuilder()
        .line(Span(name, "mention", f"{network}:{native_id}"), ", a reminder:")
        .line("Beach clean with ", user("@victim@mastodon.social <@123> @everyone"))
        .build()
    )


def test_telegram_links_the_one_person_and_defangs_the_rest() -> None:
    html = telegram_render(_reminder("telegram", "4242"))
    assert html.startswith(
        '<a href="tg://user?id=4242">@\u2060everyone &lt;b&gt;Cleo&lt;/b&gt;</a>'
    )
    assert html.count("<a ") == 1 and "@\u2060victim" in html
    # A mention of someone on another network is just (de-fanged) text here.
    assert "<a " not in telegram_render(_reminder("discord", "4242"))
    assert "<a " not in telegram_render(_reminder("telegram", "42; x"))


def test_discord_pings_exactly_that_user() -> None:
    message = _reminder("discord", "555")
    content = discord_render(message)
    assert content.startswith("<@555>, a reminder:")
    assert "\\<@123>" in content and "@\u200beveryone" in content
    allowed: dict[str, object] = dict(allowed_mentions(message).to_dict())
    assert allowed == {"parse": [], "users": [555]}
    nobody = allowed_mentions(_reminder("telegram", "555")).to_dict()
    assert nobody["parse"] == [] and not nobody.get("users")


def test_mastodon_mentions_the_acct_it_was_given_and_no_one_else() -> None:
    message = _reminder("mastodon", "109")
    text = render_text(message, 500, accts={"109": "cleo@social.example"})
    assert text.startswith("@cleo@social.example, a reminder:")
    assert "＠victim@mastodon.social" in text and "＠everyone" in text
    # Without a known acct the name stays de-fanged text.
    assert render_text(message, 500).startswith("＠everyone <b>Cleo</b>")
