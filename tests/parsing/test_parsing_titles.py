"""Titles: what the announcement says it is, cleaned of markup, emoji and greetings."""

import pytest

from core.parsing import ParsedGathering
from tests.parsing.languages import parse


def no_fallback(p: ParsedGathering) -> bool:
    return not any(a.field == "title" for a in p.ambiguities)


@pytest.mark.parametrize(
    ("lang", "text", "title"),
    [
        # content words that also tell the language apart are still title words
        ("es", "Limpieza de playa el sábado a las 10 en la Malvarrosa", "Limpieza de playa"),
        ("es", "Limpieza de la playa el domingo 29 de noviembre a las 10", "Limpieza de la playa"),
        (
            "es",
            "Sábado 10h: limpieza de playa en Bolonia, necesitamos 15 voluntarios",
            "Limpieza de playa",
        ),
        ("es", "Limpieza playa sábado 10h", "Limpieza playa"),
        ("pt", "Limpeza da praia no sábado às 9h na praia de Copacabana", "Limpeza da praia"),
        (
            "pt",
            "Sábado 9h: limpeza da praia no Leblon, precisamos de 10 voluntários",
            "Limpeza da praia",
        ),
        (
            "pt",
            "Limpeza de praia neste sábado às 8h, ponto de encontro: quiosque 5",
            "Limpeza de praia",
        ),
        ("it", "Pulizia della spiaggia sabato alle 9", "Pulizia della spiaggia"),
        ("it", "Sabato alle 9: pulizia spiaggia, servono 10 volontari", "Pulizia spiaggia"),
        ("de", "Treffen Freitag 18 Uhr im Café Kante", "Treffen"),
        ("en", "Committee meeting Thursday 7pm at the hall", "Committee meeting"),
        ("en", "Planning meeting Mon 7pm at the library", "Planning meeting"),
        # a greeting or an announcement label is not the title
        (
            "es",
            "¡Hola vecinos! Este sábado limpieza de playa a las 10h en la Barceloneta",
            "Limpieza de playa",
        ),
        ("es", "Convocatoria: limpieza del río el domingo a las 10", "Limpieza del río"),
        ("pt", "Olá pessoal! Neste sábado limpeza da praia às 9h", "Limpeza da praia"),
        ("pt", "Atenção: mutirão de limpeza no sábado às 8h", "Mutirão de limpeza"),
        ("en", "Hi all! Saturday 10am beach clean at Portobello", "Beach clean"),
        ("en", "Reminder: litter pick Saturday 10am at the park gates", "Litter pick"),
        ("de", "Hallo zusammen! Samstag 10 Uhr Müllsammeln am Bahnhof", "Müllsammeln"),
        ("de", "Erinnerung: Müllsammeln am Samstag um 10 Uhr", "Müllsammeln"),
        ("fr", "Bonjour à tous ! Samedi 10h nettoyage de la plage", "Nettoyage de la plage"),
        ("fr", "Rappel : nettoyage de la plage samedi 10h", "Nettoyage de la plage"),
        ("it", "Ciao ragazzi! Sabato alle 9 pulizia del parco", "Pulizia del parco"),
        ("nl", "Hoi allemaal! Zaterdag om 10 uur strandopruiming", "Strandopruiming"),
        ("da", "Hej alle! Lørdag kl. 10 strandrensning ved havnen", "Strandrensning"),
        # a call for help before the activity is not part of its name
        ("en", "Looking for volunteers for the beach clean on Saturday 10am", "Beach clean"),
        (
            "en",
            "Can anyone help move chairs for the fete? Sat 2pm, St John's church",
            "Move chairs for the fete",
        ),
        (
            "es",
            "Necesitamos voluntarios para la limpieza de playa del sábado a las 10",
            "Limpieza de playa",
        ),
        (
            "pt",
            "Precisamos de voluntários para a limpeza da praia no sábado às 9h",
            "Limpeza da praia",
        ),
        ("it", "Cerchiamo volontari per la pulizia del parco sabato alle 10", "Pulizia del parco"),
        (
            "fr",
            "On cherche des bénévoles pour le nettoyage de la plage samedi 10h",
            "Nettoyage de la plage",
        ),
        ("de", "Helfer gesucht für das Sommerfest am Samstag um 10 Uhr", "Sommerfest"),
        ("da", "Frivillige søges til strandrensning lørdag kl. 10", "Strandrensning"),
    ],
)
def test_the_title_is_what_the_message_says(lang: str, text: str, title: str) -> None:
    p = parse(text, lang)
    assert p.title == title
    assert no_fallback(p)


@pytest.mark.parametrize(
    ("lang", "text", "title"),
    [
        ("en", "**Beach clean** Saturday 10am at Portobello beach", "Beach clean"),
        ("en", "__Beach clean__ Saturday 10am at Portobello beach", "Beach clean"),
        ("en", "_Beach clean_ Saturday 10am at Portobello beach", "Beach clean"),
        ("en", "*Beach clean* Saturday 10am at Portobello beach", "Beach clean"),
        ("en", "~Beach clean~ Saturday 10am at Portobello beach", "Beach clean"),
        ("en", "🌊🌊 Beach clean Saturday 10am at Portobello beach", "Beach clean"),
        ("en", "🌊 **Beach clean** 🌊 Saturday 10am", "Beach clean"),
        ("en", "📢 BEACH CLEAN 📢 Saturday 10am at Portobello beach", "Beach clean"),
        ("en", "1️⃣ Beach clean Saturday 10am", "Beach clean"),
        ("en", "> **Beach clean:** Saturday 10am, Portobello beach", "Beach clean"),
        ("de", "**Müllsammeln** am Samstag um 10 Uhr", "Müllsammeln"),
        ("de", "🌳🌳 Helfer*innen-Treffen Samstag 10 Uhr", "Helfer*innen-Treffen"),
        ("fr", "🌊 **Nettoyage de plage** 🌊 samedi 10h", "Nettoyage de plage"),
        ("es", "📣 *Limpieza de playa* 📣 sábado 10h", "Limpieza de playa"),
        ("it", "__Pulizia del parco__ sabato alle 10", "Pulizia del parco"),
        ("pt", "*Mutirão de limpeza* sábado às 8h", "Mutirão de limpeza"),
        ("nl", "__Zwerfafval prikken__ zaterdag om 10 uur", "Zwerfafval prikken"),
        ("da", "✨*Strandrensning*✨ lørdag kl. 10", "Strandrensning"),
        ("en", "~~Beach clean~~ Litter pick Saturday 10am", "Litter pick"),
        ("en", "||Beach clean|| Saturday 10am", "Beach clean"),
        ("en", "### Beach clean Saturday 10am", "Beach clean"),
        ("en", "• Beach clean Saturday 10am", "Beach clean"),
        ("en", "BEACH CLEAN!!! Saturday 10am at Portobello", "Beach clean"),
        ("en", "AGM Thursday 7pm at the hall", "AGM"),  # an acronym is not shouting
        ("de", "❗️Wichtig❗️ Müllsammeln Samstag 10 Uhr", "Müllsammeln"),
    ],
)
def test_markup_and_emoji_are_stripped_from_the_title(lang: str, text: str, title: str) -> None:
    assert parse(text, lang).title == title


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Tea _x_ *y* party Saturday 10am", "Tea _x_ *y* party"),
        ("Beach *clean*, Saturday 10am", "Beach *clean*"),
        ("Repair café ☕ & cake Saturday 10am", "Repair café ☕ & cake"),
        ("Board games 👩‍👩‍👧 night Saturday 7pm", "Board games 👩‍👩‍👧 night"),
    ],
)
def test_markup_and_emoji_inside_the_title_are_kept_as_written(text: str, title: str) -> None:
    # the chat adapters render titles literally (escaped); only wrappers are dropped
    assert parse(text, "en").title == title


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Beach clean Saturday 10am, meet at **Portobello beach**", "Portobello beach"),
        ("Beach clean Saturday 10am. *Where:* _the slipway_", "the slipway"),
    ],
)
def test_markup_is_not_part_of_the_place(text: str, place: str) -> None:
    assert parse(text, "en").place == place
