"""On Mastodon in a German community: a mention with no command word that announces something
starts a gathering (the core decides, in German), the announcement says how to join in German,
and "hi" gets the German help."""

from __future__ import annotations

from core.app import Gather
from core.clock import SystemClock
from core.storage.db import Database
from core.words import i18n
from sandbox.fakes.mastodon_server import FakeMastodon
from tests.conftest import make_settings
from tests.mastodon.harness import TOKEN_ENV, announced, replies_to, running


def german_gather(database: Database, m: FakeMastodon) -> Gather:
    settings = make_settings(
        communities=[{"name": "c", "rooms": ["mastodon:public"], "languages": ["de"]}],
        mastodon={"api_base_url": m.api_base_url, "token_env": TOKEN_ENV},
    )
    gather = Gather(settings, database, SystemClock())
    gather.prepare()
    return gather


async def test_a_german_announcement_without_a_command_word_is_a_gathering_told_in_german(
    database: Database,
) -> None:
    async with FakeMastodon() as m:
        alice = m.create_account("alice")
        async with running(german_gather(database, m), m):
            m.post_as(alice, "@gather Strandputz am Strand, Donnerstag 12. Juni 2031 um 10 Uhr")
            post = await announced(m)
            hello = m.post_as(alice, "hi @gather")
            [help_answer] = await m.wait_for(lambda: replies_to(m, hello), 10)
    assert post.text.startswith("📣 Strandputz")
    assert i18n.text("de", "network.boost_to_join") in post.text
    assert "Boost this post" not in post.text
    # The bot's own handle in the example is de-fanged like any other (＠gather): no self-mention.
    helped = help_answer.text.replace("＠", "@")
    assert i18n.text("de", "network.mention_help", bot="gather") in helped
