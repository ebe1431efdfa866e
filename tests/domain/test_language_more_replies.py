"""/edit, /cancel, /settings, /link, /forget and the parser's complaints, in each language.

Like test_language_replies.py: the replies speak the main language of the room's community,
expected phrases are checked, and no word of the English replies may be left in what the bot
wrote itself (the command words, /edit's field words and /settings' arguments stay English).
"""

from __future__ import annotations

import re

import pytest

from core.clock import FixedClock
from core.contract.commands import Reply
from core.parsing import Ambiguity, ParseError
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


@pytest.mark.parametrize("language", [language for language in EXPECTED if language != "en"])
def test_the_parsers_sentences_are_all_recognised(language: str) -> None:
    """Each fixed sentence the parser writes is said again; user text stays in user spans."""
    reasons = [
        "I couldn't find a date in that: say which day it is.",
        "That announcement is empty.",
        "I need the announcement as text.",
        "That announcement is too long (5000 characters; the limit is 4000). "
        "Keep it to one short message.",
        "There is no such time as 25:00: write it like 10:00 or 2pm.",
        "10:00 on 21 November has already passed. Give a time that is still ahead.",
        "'this morning' has already passed. Give a time that is still ahead.",
        "There is no 31 February. Check the date.",
        "Friday 3 April 2026 is in the past. Check the date.",
        "'03/04' could be 3 April or 4 March: write the month as a word, e.g. 4 March.",
    ]
    notes = [
        "No time given: add one, e.g. Saturday 10am.",
        "No meeting point found: add one, e.g. 'meet at the park gate'.",
        "No clear title found: start with what you'll do, e.g. 'Beach clean'.",
        "Read '5 to 8' as 8 people needed.",
        "No clock time given: I assumed 19:00 for 'Saturday evening'. Add a time if you "
        "meant another.",
        "Several dates are mentioned; I used Saturday 28 November.",
        "That date has passed this year, so I read it as 03 April 2027.",
        "28 November 2026 is a Saturday, not a Friday: check the date.",
        "That time has already passed today, so I read it as next Saturday, 28 November.",
    ]
    said = [reason(language, ParseError(text)) for text in reasons]
    said += [note(language, Ambiguity("date", text)) for text in notes]
    said.append(message(language, ParseError(reasons[0])))
    for english, parts in zip([*reasons, *notes, reasons[0]], said, strict=True):
        words = "".join(p if isinstance(p, str) else "" for p in parts)
        assert parts != (english,), english
        leftover = ENGLISH.search(words.replace(i18n.text(language, "gather.example"), ""))
        assert leftover is None, f"English {leftover.group()!r} in {words!r}"
    # What the person wrote stays theirs, in a user span.
    quoted = reason(language, ParseError(reasons[6]))
    assert any(getattr(p, "style", None) == "user" and p.text == "this morning" for p in quoted)


def test_english_is_the_parsers_own_text_and_an_unknown_sentence_stays_english() -> None:
    error = ParseError("I couldn't find a date in that: say which day it is.")
    assert message("en", error) == (error.message,)
    assert reason("de", ParseError("Something new.")) == ("Something new.",)
