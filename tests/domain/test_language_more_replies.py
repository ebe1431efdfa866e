"""/edit, /cancel, /settings, /link, /forget and the parser's complaints, in each language.

Like test_language_replies.py: the replies speak the main language of the room's community,
expected phrases are checked, and no word of the English replies may be left in what the bot
wrote itself (the command words, /edit's field words and /settings' arguments stay English).
"""

from __future__ import annotations

import re
from datetime import date, time

import pytest

from core.clock import FixedClock
from core.contract.commands import Reply
from core.parsing import (
    NOTE_CODES,
    PROBLEM_CODES,
    Ambiguity,
    MonthDay,
    ParseError,
    ParseProblem,
)
from core.parsing.result import ProblemValue
from core.storage.db import Database
from core.words import i18n
from core.words.parse_problems import message, note, reason
from tests.conftest import START
from tests.domain.chat import Chat, code_in
from tests.domain.test_languages import CASES, community_in, speaks

# Words of these English replies; "admin(s)", "max", "minutes", "date", "accounts" and the words the bot
# reads ("when", "where", "need", "title", "reminders", "names", "on", "off") are shared.
ENGLISH = re.compile(
    r"\b(updated|target|cancelled|everyone|joined|told|which|should|change|already|"
    r"nothing|number|people|reminders:|hours?|days?|before|default|yours|shown|"
    r"linked|unknown|expired|erased|started|without|couldn't|find|say|"
    r"try|passed|ahead|clear|meeting|point|found|clock|assumed|read|several|this year|"
    r"organiser|only|give|given|add one|e\.g\.)\b",
    re.IGNORECASE,
)
# Words the bot reads, shown inside the examples of /edit and /settings.
READ = re.compile(r"/(edit|settings)[^\n]*|when, where, need, max \w+ title")


def says(reply: Reply, language: str, *phrases: str) -> None:
    speaks(reply.message, language, phrases, ENGLISH, READ)


# Per language: /edit need 5, /edit without a change, /settings reminders 1d 2h, /link,
# /gather with no date, the notes after a /gather with no time or place, /cancel, /edit of a
# cancelled gathering, /forget.
EXPECTED = {
    "en": (
        ("Updated ", "Target: 5"),
        ("What should change?",),
        ("Reminders: 1 day and 2 hours before (yours).",),
        ("send this from the other account",),
        ("I couldn't find a date in that: say which day it is. Try e.g.: /gather Beach clean",),
        ("Note: No time given: add one, e.g. Saturday 10am.", "Note: No meeting point found"),
        ("Cancelled Beach clean (", "). Everyone who joined will be told."),
        ("is cancelled; it can't be changed any more.",),
        ("Done. I've erased your accounts",),
    ),
    "de": (
        ("Geändert ", "Ziel: 5"),
        ("Was soll sich ändern?",),
        ("Erinnerungen: 1 Tag und 2 Stunden vorher (deine Wahl).",),
        ("schick das vom anderen Konto aus",),
        ("Ich finde darin kein Datum", "Probier z. B.: /gather Strandputz"),
        ("Hinweis: Keine Uhrzeit", "Hinweis: Kein Treffpunkt gefunden"),
        ("Abgesagt: Strandputz (", "Alle, die zugesagt haben, erfahren es."),
        ("ist abgesagt und kann nicht mehr geändert werden.",),
        ("Erledigt. Ich habe deine Konten",),
    ),
    "fr": (
        ("Modifié ", "Objectif : 5"),
        ("Que faut-il changer ?",),
        ("Rappels : 1 jour et 2 heures avant (ton choix).",),
        ("envoie ceci depuis l'autre compte",),
        ("Je n'y trouve pas de date", "Essaie par ex. : /gather Nettoyage"),
        ("Remarque : Pas d'heure", "Remarque : Pas de lieu de rendez-vous"),
        ("Annulé : Nettoyage de plage (", "Tous les participants seront prévenus."),
        ("est annulé ; on ne peut plus le modifier.",),
        ("C'est fait. J'ai effacé tes comptes",),
    ),
    "es": (
        ("Actualizado ", "Objetivo: 5"),
        ("¿Qué hay que cambiar?",),
        ("Recordatorios: 1 día y 2 horas antes (tu elección).",),
        ("envía esto desde la otra cuenta",),
        ("No encuentro ninguna fecha", "Prueba p. ej.: /gather "),
        ("Nota: Sin hora", "Nota: No encuentro punto de encuentro"),
        ("Cancelado: ", "Se avisará a todos los apuntados."),
        ("está cancelado; ya no se puede modificar.",),
        ("Hecho. He borrado tus cuentas",),
    ),
    "it": (
        ("Aggiornato ", "Obiettivo: 5"),
        ("Cosa va cambiato?",),
        ("Promemoria: 1 giorno e 2 ore prima (scelta tua).",),
        ("invia questo dall'altro account",),
        ("Non trovo una data", "Prova ad es.: /gather "),
        ("Nota: Nessun orario", "Nota: Nessun punto d'incontro"),
        ("Annullato: ", "Tutti gli iscritti verranno avvisati."),
        ("è annullato; non si può più modificare.",),
        ("Fatto. Ho cancellato i tuoi account",),
    ),
    "pt": (
        ("Atualizado ", "Objetivo: 5"),
        ("O que deve mudar?",),
        ("Lembretes: 1 dia e 2 horas antes (escolha sua).",),
        ("envie isto a partir da outra conta",),
        ("Não encontro nenhuma data", "Experimente p. ex.: /gather "),
        ("Nota: Sem hora", "Nota: Sem ponto de encontro"),
        ("Cancelado: ", "Todos os inscritos vão ser avisados."),
        ("está cancelado; já não pode ser alterado.",),
        ("Feito. Apaguei as suas contas",),
    ),
    "nl": (
        ("Bijgewerkt ", "Doel: 5"),
        ("Wat moet er veranderen?",),
        ("Herinneringen: 1 dag en 2 uur vooraf (jouw keuze).",),
        ("stuur dit vanaf het andere account",),
        ("Ik vind er geen datum in", "Probeer bijv.: /gather "),
        ("Let op: Geen tijd", "Let op: Geen verzamelplek gevonden"),
        ("Afgezegd: ", "Iedereen die meedeed krijgt bericht."),
        ("is afgezegd; het kan niet meer gewijzigd worden.",),
        ("Klaar. Ik heb je accounts",),
    ),
    "da": (
        ("Opdateret ", "Mål: 5"),
        ("Hvad skal ændres?",),
        ("Påmindelser: 1 dag og 2 timer før (dit valg).",),
        ("Send dette fra den anden konto",),
        ("Jeg kan ikke finde en dato", "Prøv f.eks.: /gather "),
        ("Bemærk: Intet tidspunkt", "Bemærk: Intet mødested fundet"),
        ("Aflyst: ", "Alle tilmeldte får besked."),
        ("er aflyst og kan ikke ændres mere.",),
        ("Færdig. Jeg har slettet dine konti",),
    ),
}
# A title and a day in each language, with no time and no place: two notes.
NO_TIME = {
    "en": "Picnic tomorrow",
    "de": "Picknick morgen",
    "fr": "Pique-nique demain",
    "es": "Picnic mañana",
    "it": "Picnic domani",
    "pt": "Piquenique amanhã",
    "nl": "Picknick morgen",
    "da": "Picnic i morgen",
}


@pytest.mark.parametrize("language", list(EXPECTED))
def test_managing_a_gathering_and_oneself_speaks_the_communitys_language(
    database: Database, language: str
) -> None:
    (edited, no_change, settings, link, no_date, notes, cancelled, closed, forgot) = EXPECTED[
        language
    ]
    chat = Chat(community_in(database, FixedClock(START), language))
    code = code_in(chat.say("alice", f"/gather {CASES[language].announce}"))

    says(chat.say("alice", f"/edit {code} need 5"), language, *edited)
    says(chat.say("alice", f"/edit {code}"), language, *no_change)
    says(chat.say("alice", "/settings reminders 1d 2h"), language, *settings)
    says(chat.say("alice", "/link"), language, *link)
    refused = chat.say("alice", "/gather picnic with no day")
    assert not refused.ok
    says(refused, language, *no_date)
    says(chat.say("alice", f"/gather {NO_TIME[language]}"), language, *notes)
    says(chat.say("alice", f"/cancel {code}"), language, *cancelled)
    says(chat.say("alice", f"/edit {code} need 3"), language, *closed)
    says(chat.say("alice", "/forget"), language, *forgot)


# One example of each code the parser reports, with the values it carries.
SAMPLE_VALUES: dict[str, dict[str, ProblemValue]] = {
    "not_text": {},
    "too_long": {"length": 5000, "limit": 4000},
    "empty": {},
    "no_date": {},
    "no_such_time": {"phrase": "25:00"},
    "time_passed": {"time": time(10), "day": date(2026, 11, 21)},
    "phrase_passed": {"phrase": "this morning"},
    "no_such_day": {"day": MonthDay(31, 2)},
    "no_such_month": {"phrase": "12.13."},
    "in_the_past": {"day": date(2026, 4, 3)},
    "day_or_month": {"phrase": "03/04", "first": MonthDay(3, 4), "second": MonthDay(4, 3)},
    "no_time": {},
    "no_place": {},
    "no_title": {},
    "range": {"low": 5, "high": 8},
    "assumed_time": {"time": time(19), "phrase": "Saturday evening"},
    "several_dates": {"day": date(2026, 11, 28)},
    "next_year": {"day": date(2027, 4, 3)},
    "wrong_weekday": {"day": date(2026, 11, 28), "written": 4},
    "next_week": {"day": date(2026, 11, 28)},
    "once_a_year": {"day": date(2026, 12, 24)},
    "read_day": {"phrase": "next weekend", "day": date(2026, 11, 28)},
    "read_week": {"phrase": "next saturday", "day": date(2026, 11, 28)},
    "clock_gap": {"time": time(2, 30), "day": date(2026, 3, 29), "moved_to": time(3, 30)},
    "clock_repeat": {"time": time(2, 30), "day": date(2026, 10, 25)},
    "fallback_read_day": {"phrase": "w sobotę", "day": date(2026, 11, 28)},
    "fallback_read_time": {"phrase": "w sobotę o 10:00", "day": date(2026, 11, 28), "time": time(10)},
    "today": {"day": date(2026, 11, 18)},
    "relative": {"phrase": "in 30 minutes", "time": time(9, 30)},
    "zone": {"phrase": "3pm EST", "time": time(20), "day": date(2026, 11, 19)},
    "evening": {"phrase": "Pub quiz", "time": time(20)},
}


def test_every_code_the_parser_has_is_sampled() -> None:
    assert set(SAMPLE_VALUES) == set(PROBLEM_CODES) | set(NOTE_CODES)


@pytest.mark.parametrize("language", list(EXPECTED))
def test_each_parser_code_is_a_whole_sentence_in_each_language(language: str) -> None:
    """Every code is worded from the catalogue; what the person wrote stays in a user span."""
    for code, values in SAMPLE_VALUES.items():
        problem = ParseProblem(code, values)
        parts = note(language, Ambiguity("date", problem)) if code in NOTE_CODES else (
            reason(language, ParseError(code, **values))
        )
        words = "".join(p if isinstance(p, str) else "" for p in parts)
        assert words and "{" not in words, (code, parts)
        if language != "en":
            leftover = ENGLISH.search(words)
            assert leftover is None, f"English {leftover.group()!r} in {words!r} ({code})"
        if "phrase" in values:
            assert any(
                getattr(p, "style", None) == "user" and p.text == values["phrase"] for p in parts
            ), (code, parts)
    with_example = message(language, ParseError("no_date"))
    assert with_example[-1].endswith(i18n.text(
        language, "parse.try", example=i18n.text(language, "gather.example")
    ))


@pytest.mark.parametrize(
    ("language", "announcement", "phrase", "said"),
    [
        ("de", "Picknick nächsten Sonntag 10 Uhr im Park", "nächsten Sonntag", "habe ich als"),
        ("fr", "Pique-nique Samedi prochain 10h au parc", "Samedi prochain", "J'ai lu"),
        ("da", "Picnic næste lørdag kl. 10 i parken", "næste lørdag", "Jeg læste"),
    ],
)
def test_the_parsers_reading_of_next_week_is_said_in_the_chats_language(
    database: Database, language: str, announcement: str, phrase: str, said: str
) -> None:
    """"I read 'nächsten sonntag' as..." once stayed English in German chats."""
    chat = Chat(community_in(database, FixedClock(START), language))
    reply = chat.say("alice", f"/gather {announcement}")
    assert reply.ok and reply.message is not None
    says(reply, language, said)
    users = [span.text for line in reply.message.paragraphs for span in line if span.style == "user"]
    assert phrase in users
