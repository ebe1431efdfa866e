"""Languages beyond the eight (issue 14 point 8): a community reading Polish, Swedish, Greek...
gets dates read by the fallback reader (dateparser), a confirmation quoting what was read with
the correction ready to send, English replies, and languages validated at start-up. A community
of the eight never imports dateparser."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from core.app import Gather
from core.clock import FixedClock
from core.config import ConfigError, parse
from core.storage.db import Database
from tests.conftest import START, make_settings
from tests.domain.chat import Chat, code_in, text_of


@pytest.fixture
def polish(database: Database) -> Gather:
    settings = make_settings(
        gather={"time_zone": "Europe/Warsaw", "languages": ["pl", "en"], "reminders": ["1d"]}
    )
    app = Gather(settings, database, FixedClock(START))  # Saturday 21 November 2026
    app.prepare()
    return app


@pytest.mark.parametrize(
    ("announcement", "title", "read"),
    [
        ("Sprzątanie plaży w sobotę o 10:00 przy molo", "Sprzątanie plaży", "28.11.2026 10:00"),
        ("Sprzątanie parku w niedzielę o 14:00", "Sprzątanie parku", "22.11.2026 14:00"),
        ("Sadzenie drzew 5 grudnia o 9:30", "Sadzenie drzew", "05.12.2026 09:30"),
    ],
)
def test_a_polish_announcement_is_read_and_the_reading_shown_with_its_correction(
    polish: Gather, announcement: str, title: str, read: str
) -> None:
    chat = Chat(polish)
    reply = chat.say("alice", f"/gather {announcement}")
    code = code_in(reply)
    said = text_of(reply)
    assert title in said
    assert "I read '" in said and "Check it: it is easy to correct." in said  # English replies
    assert f"/edit {code} when {read}" in said


def test_the_correction_line_sent_as_it_is_changes_the_day(polish: Gather) -> None:
    chat = Chat(polish)
    code = code_in(chat.say("alice", "/gather Sprzątanie plaży w sobotę o 10:00 przy molo"))
    fixed = chat.say("alice", f"/edit {code} when 5.12.2026 11:00")
    assert fixed.ok, text_of(fixed)
    assert "Saturday 5 December 2026, 11:00" in text_of(chat.say("bob", f"/who {code}"))


def test_english_is_still_read_by_the_hand_written_readers_there(polish: Gather) -> None:
    reply = Chat(polish).say("alice", "/gather Beach clean Saturday 28 November 2026 10am")
    assert "I read '" not in text_of(reply) and "10:00" in text_of(reply)


def test_languages_accept_any_locale_dateparser_reads_and_list_the_rest() -> None:
    for languages in (["sv"], ["pl", "en"], ["el"], ["sv-FI"], ["fr-CA"], ["ca", "es"]):
        settings = make_settings(
            gather={"time_zone": "Europe/Warsaw", "languages": languages, "reminders": ["1d"]}
        )
        assert settings.communities[0].languages == tuple(languages)
    with pytest.raises(ConfigError) as raised:
        parse(
            {"gather": {"time_zone": "UTC", "languages": ["pl", "klingon"]}},
            base_dir=Path("."),
            environ={"GATHER_DATABASE_URL": "sqlite://"},
        )
    assert any("klingon" in problem for problem in raised.value.problems)
    assert not any("'pl'" in problem or " pl," in problem for problem in raised.value.problems)


def test_a_community_of_the_eight_never_imports_dateparser() -> None:
    program = (
        "import sys\n"
        "from datetime import datetime, UTC\n"
        "from core.parsing import parse_gathering\n"
        "import core.app\n"
        "now = datetime(2026, 11, 21, 9, tzinfo=UTC)\n"
        "parse_gathering('Strandputz Samstag 10 Uhr', now=now, tz='Europe/Berlin',"
        " languages=['de', 'en'])\n"
        "try:\n"
        "    parse_gathering('Nothing here', now=now, tz='UTC', languages=['en'])\n"
        "except ValueError:\n"
        "    pass\n"
        "print('dateparser' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "False"


@pytest.mark.parametrize(
    ("tag", "announcement"),
    [
        ("fr-CA", "Nettoyage de plage samedi à 10h, il faut 5 personnes"),
        ("pt_BR", "Limpeza de praia sábado às 10h, precisamos de 5 pessoas"),
        ("de-AT", "Strandputz Samstag um 10 Uhr, wir brauchen 5 Leute"),
    ],
)
def test_a_regional_form_of_a_known_language_is_read_and_answered_in_that_language(
    database: Database, tag: str, announcement: str
) -> None:
    def chat(language: str) -> Chat:
        settings = make_settings(gather={"time_zone": "Europe/London", "languages": [language]})
        app = Gather(settings, database, FixedClock(START))
        app.prepare()
        return Chat(app)

    regional, base = chat(tag), chat(tag[:2])
    started = regional.say("alice", f"/gather {announcement}")
    assert code_in(started)
    # Answered in the base language (never the English fallback), word for word.
    assert text_of(regional.say("bob", "/help")) == text_of(base.say("bob", "/help"))
    assert text_of(regional.say("bob", "/help")) != text_of(chat("en").say("bob", "/help"))
