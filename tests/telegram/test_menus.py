"""The command menu and the bot's own notices on Telegram come from the core's catalogue, in
the reader's language: one setMyCommands per language (plus the default), and a stale button
answered in the community's language."""

from __future__ import annotations

import json

from core.app import Gather
from core.clock import SystemClock
from core.storage.db import Database
from core.words import i18n
from core.words.network_words import MENU_COMMANDS
from sandbox.fakes.telegram_server import FakeTelegram
from tests.conftest import make_settings
from tests.telegram.harness import announcement, running, section

DEFAULT_SCOPE = json.dumps({"type": "default"}, sort_keys=True)


def german_gather(tg: FakeTelegram, database: Database, chat_id: int) -> Gather:
    settings = make_settings(
        communities=[
            {"name": "hamburg", "rooms": [f"telegram:{chat_id}"], "languages": ["de"]}
        ],
        telegram=section(tg),
    )
    gather = Gather(settings, database, SystemClock())
    gather.prepare()
    return gather


async def test_the_command_menu_is_set_in_every_language_and_as_the_default(
    tg: FakeTelegram, database: Database
) -> None:
    group = tg.create_group("G", members=[tg.create_user("Alice")])
    async with running(tg, german_gather(tg, database, group.id)):
        await tg.wait_for(lambda: len(tg.commands) == 1 + len(i18n.LANGUAGES), 10)
    for language in ("de", "fr", "da", "en"):
        menu = tg.commands[(DEFAULT_SCOPE, language)]
        assert [c["command"] for c in menu] == list(MENU_COMMANDS)
        described = {c["command"]: c["description"] for c in menu}
        assert described["join"] == i18n.text(language, "menu.join")
    assert tg.commands[(DEFAULT_SCOPE, "de")][0]["description"].startswith("Ein Treffen")
    assert tg.commands[(DEFAULT_SCOPE, "fr")][0]["description"].startswith("Lancer")
    # The default (for apps in any other language) speaks the bot's default language.
    assert tg.commands[(DEFAULT_SCOPE, "")] == tg.commands[(DEFAULT_SCOPE, "en")]


async def test_registering_again_sets_nothing_that_is_already_there(
    tg: FakeTelegram, database: Database
) -> None:
    group = tg.create_group("G", members=[tg.create_user("Alice")])
    gather = german_gather(tg, database, group.id)
    async with running(tg, gather):
        await tg.wait_for(lambda: len(tg.commands) == 1 + len(i18n.LANGUAGES), 10)
    sets = len([r for r in tg.requests if r.method.lower() == "setmycommands"])
    async with running(tg, gather):
        await tg.wait_for(
            lambda: len([r for r in tg.requests if r.method.lower() == "getmycommands"])
            >= 2 * (1 + len(i18n.LANGUAGES)),
            10,
        )
    assert len([r for r in tg.requests if r.method.lower() == "setmycommands"]) == sets


async def test_a_stale_button_is_answered_in_the_communitys_language(
    tg: FakeTelegram, database: Database
) -> None:
    alice, bob = tg.create_user("Alice"), tg.create_user("Bob")
    group = tg.create_group("G", members=[alice, bob])
    async with running(tg, german_gather(tg, database, group.id)):
        tg.user_sends(group, alice, "/gather Strandputz Samstag 10 Uhr am Strand")
        post = await tg.wait_for(lambda: announcement(tg, group), 10)
        query = tg.user_taps(group, bob, post.message_id, "x:ABCD")["callback_query"]["id"]
        answer = await tg.wait_for(lambda: tg.callback_answer(query), 10)
    assert answer.text == i18n.text("de", "network.stale_button")
