"""A community hears about its gatherings in its own language, in each of the eight.

One journey per language, through the core: the announcement (one going, then the target
reached, then one short again), the "it's on" DM, a reminder two hours before, the call an
hour before, and the cancellation DM. Expected phrases are checked, singular and plural, and no
word of the English versions may appear in what the bot itself wrote (user text aside).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from core.app import Gather
from core.clock import FixedClock
from core.contract.messages import Message, Span
from core.delivery.outbox import Delivery
from core.storage.db import Database
from tests.conftest import START, make_settings
from tests.domain.chat import Chat, code_in

SUNDAY_10 = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)  # the day after START, 10:00 GMT
REASON = "<b>Storm</b> @everyone"  # user text: passed on as it is, never translated
# Words of the English texts that no other language shares ("Code", Danish "Send" and
# French "minute" are shared, so they are not here).
ENGLISH = re.compile(
    r"\b(going|needed|waitlist|cancelled|it's on|target|short again|i'm in|can't|guest|"
    r"people|hours?|reminder|starts|still coming|see you there|changed|organiser|join with|"
    r"we need|more|today|tomorrow|you're|map)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Case:
    announce: str  # the /gather text: Sunday 10:00, need 3
    first_post: tuple[str, ...]  # the date's weekday, and the count with one going
    buttons: tuple[str, str, str]
    on_post: tuple[str, ...]  # three going: the post says it's on
    its_on: tuple[str, ...]  # the DM, with its plural count
    short_again: str  # one dropped out: one more needed (singular)
    reminder: tuple[str, ...]  # two hours before (plural), two going of three
    call: tuple[str, ...]  # an hour before, close to the target: one more (singular)
    cancelled: tuple[str, ...]  # the DM, then the post's first word
    cancelled_post: str


CASES = {
    "en": Case(
        "Beach clean on Sunday at 10am at Portobello beach, need 3 people",
        ("Sunday 22 November", "👥 1 going of 3 needed"),
        ("I'm in", "Can't make it", "+1 guest"),
        ("👥 3 going of 3 needed", "✅ It's on! The target is reached."),
        ("It's on! 3 people are coming to:", ", at Portobello beach", "Can't make it after all?"),
        "⚠️ Short again: 1 more needed.",
        ("Reminder: Beach clean starts in 2 hours.", "👥 2 going of 3 needed", "(map)"),
        ("Almost there for Beach clean, with 2 in: just 1 more and it's on!", "Starts in 1 hour."),
        ("Cancelled: Beach clean", "The organiser says: "),
        "CANCELLED: Beach clean",
    ),
    "de": Case(
        "Strandputz am Sonntag um 10 Uhr am Strand von Portobello, wir brauchen 3 Leute",
        ("Sonntag", "👥 1 dabei, 3 gebraucht"),
        ("Bin dabei", "Kann nicht", "+1 Gast"),
        ("👥 3 dabei, 3 gebraucht", "✅ Es findet statt!"),
        ("Es findet statt! 3 Leute haben zugesagt für:", ", Ort: am Strand", "Schick /leave"),
        "⚠️ Wieder zu wenige: noch 1 Person gebraucht.",
        ("Erinnerung: Strandputz beginnt in 2 Stunden.", "👥 2 dabei, 3 gebraucht", "(Karte)"),
        (
            "Fast geschafft bei Strandputz (Zusagen: 2): nur noch 1 und es findet statt!",
            "Beginn in 1 Stunde.",
        ),
        ("Abgesagt: Strandputz", "Von der Orga: "),
        "ABGESAGT: Strandputz",
    ),
    "fr": Case(
        "Nettoyage de plage dimanche à 10h à la plage, il faut 3 personnes",
        ("dimanche", "👥 1 participant sur 3 requis"),
        ("J'en suis", "Je ne peux pas", "+1 invité"),
        ("👥 3 participants sur 3 requis", "✅ C'est confirmé !"),
        ("C'est confirmé ! 3 personnes participent à :", ", lieu : à la plage", "Envoie /leave"),
        "⚠️ Pas assez de monde : il manque 1 personne.",
        ("Rappel : Nettoyage de plage commence dans 2 heures.", "👥 2 participants", "(carte)"),
        (
            "On y est presque pour Nettoyage de plage (inscrits : 2) : encore 1 et c'est parti !",
            "dans 1 heure.",
        ),
        ("Annulé : Nettoyage de plage", "Message de l'organisation : "),
        "ANNULÉ : Nettoyage de plage",
    ),
    "es": Case(
        "Limpieza de playa el domingo a las 10h en la playa, necesitamos 3 personas",
        ("domingo", "👥 1 confirmado de 3 necesarios"),
        ("Me apunto", "No puedo", "+1 invitado"),
        ("👥 3 confirmados de 3 necesarios", "✅ ¡Confirmado!"),
        ("¡Confirmado! Van 3 personas a:", ", en la playa", "Envía /leave"),
        "⚠️ Vuelve a faltar gente: se necesita 1 más.",
        ("Recordatorio: Limpieza de playa empieza dentro de 2 horas.", "(mapa)"),
        (
            "¡Casi lo tenemos para Limpieza de playa (apuntados: 2): solo 1 más y se hace!",
            "dentro de 1 hora.",
        ),
        ("Cancelado: Limpieza de playa", "Mensaje de la organización: "),
        "CANCELADO: Limpieza de playa",
    ),
    "it": Case(
        "Pulizia della spiaggia domenica alle 10 in spiaggia, servono 3 persone",
        ("domenica", "👥 1 partecipante su 3 necessari"),
        ("Ci sono", "Non posso", "+1 ospite"),
        ("👥 3 partecipanti su 3 necessari", "✅ Si fa!"),
        ("Si fa! 3 persone partecipano a:", ", luogo: spiaggia", "Invia /leave"),
        "⚠️ Di nuovo pochi: ne manca ancora 1.",
        ("Promemoria: Pulizia della spiaggia inizia tra 2 ore.", "(mappa)"),
        (
            "Ci siamo quasi per Pulizia della spiaggia (iscritti: 2): ancora 1 e si fa!",
            "Inizia tra 1 ora.",
        ),
        ("Annullato: Pulizia della spiaggia", "Messaggio dell'organizzazione: "),
        "ANNULLATO: Pulizia della spiaggia",
    ),
    "pt": Case(
        "Limpeza de praia no domingo às 10h na praia, precisamos de 3 pessoas",
        ("domingo", "👥 1 confirmado de 3 necessários"),
        ("Eu vou", "Não posso", "+1 convidado"),
        ("👥 3 confirmados de 3 necessários", "✅ Vai acontecer!"),
        ("Vai acontecer! 3 pessoas vão a:", ", local: na praia", "Envie /leave"),
        "⚠️ Voltou a faltar gente: falta 1.",
        ("Lembrete: Limpeza de praia começa daqui a 2 horas.", "(mapa)"),
        (
            "Quase lá para Limpeza de praia (inscritos: 2): só mais 1 e vai acontecer!",
            "daqui a 1 hora.",
        ),
        ("Cancelado: Limpeza de praia", "Mensagem da organização: "),
        "CANCELADO: Limpeza de praia",
    ),
    "nl": Case(
        "Strandopruiming zondag om 10 uur op het strand, we hebben 3 mensen nodig",
        ("zondag", "👥 1 komt, 3 nodig"),
        ("Ik doe mee", "Kan niet", "+1 gast"),
        ("👥 3 komen, 3 nodig", "✅ Het gaat door!"),
        ("Het gaat door! 3 mensen komen naar:", ", plek: het strand", "Stuur /leave"),
        "⚠️ Weer te weinig: nog 1 nodig.",
        ("Herinnering: Strandopruiming begint over 2 uur.", "👥 2 komen, 3 nodig", "(kaart)"),
        (
            "Bijna zover voor Strandopruiming (aanmeldingen: 2): nog 1 en het gaat door!",
            "over 1 uur.",
        ),
        ("Afgelast: Strandopruiming", "De organisator laat weten: "),
        "AFGELAST: Strandopruiming",
    ),
    "da": Case(
        "Strandrydning søndag kl. 10 på stranden, vi skal bruge 3 personer",
        ("søndag", "👥 1 tilmeldt af 3 nødvendige"),
        ("Jeg er med", "Kan ikke", "+1 gæst"),
        ("👥 3 tilmeldte af 3 nødvendige", "✅ Det bliver til noget!"),
        ("Det bliver til noget! 3 personer kommer til:", ", sted: på stranden", "Send /leave"),
        "⚠️ For få igen: der mangler 1 person.",
        ("Påmindelse: Strandrydning starter om 2 timer.", "👥 2 tilmeldte", "(kort)"),
        (
            "Næsten i mål for Strandrydning (tilmeldte: 2): kun 1 mere, så bliver det til noget!",
            "Starter om 1 time.",
        ),
        ("Aflyst: Strandrydning", "Arrangøren skriver: "),
        "AFLYST: Strandrydning",
    ),
}


def community_in(database: Database, clock: FixedClock, *languages: str) -> Gather:
    settings = make_settings(
        gather={"time_zone": "Europe/London", "languages": list(languages), "reminders": ["2h"]}
    )
    gather = Gather(settings, database, clock)
    gather.prepare()
    return gather


def bot_words(message: Message) -> str:
    """What the bot wrote itself: everything but user text and mentions, and the buttons."""
    lines = [
        "".join(s.text for s in paragraph if s.style not in ("user", "mention"))
        for paragraph in message.paragraphs
    ]
    return "\n".join([*lines, *(b.label for b in message.buttons)])


def speaks(
    message: Message | None,
    language: str,
    phrases: Iterable[str],
    english: re.Pattern[str] = ENGLISH,
    unread: re.Pattern[str] | None = None,
) -> None:
    """`message` has each of `phrases`, and (but in English) none of the `english` words in
    what the bot wrote itself, once the words it reads (`unread`) are taken out."""
    assert message is not None
    text = message.plain().replace("\u00a0", " ")  # French puts no-break spaces before ":!?"
    for phrase in phrases:
        assert phrase.replace("\u00a0", " ") in text, f"{phrase!r} not in:\n{text}"
    if language != "en":
        own = bot_words(message)
        leftover = english.search(unread.sub(" ", own) if unread else own)
        assert leftover is None, f"English {leftover.group()!r} in:\n{text}"


def says(message: Message, language: str, *phrases: str) -> None:
    speaks(message, language, phrases)


def post(deliveries: list[Delivery]) -> Message:
    """The last announcement in the #beach room."""
    return [d for d in deliveries if d.kind == "announcement" and d.chat_id == "#beach"][-1].message


def dms(deliveries: list[Delivery], purpose: str) -> list[Message]:
    return [d.message for d in deliveries if d.kind == "dm" and d.purpose == purpose]


@pytest.mark.parametrize("language", list(CASES))
def test_a_community_hears_about_its_gathering_in_its_own_language(
    database: Database, language: str
) -> None:
    case = CASES[language]
    clock = FixedClock(START)
    chat = Chat(community_in(database, clock, language))
    code = code_in(chat.say("alice", f"/gather {case.announce}"))

    first = post(chat.deliver_all())
    says(first, language, *case.first_post)
    assert [b.label for b in first.buttons] == list(case.buttons)
    # Only the labels change: the actions and codes make the buttons' custom ids.
    assert [(b.action, b.code) for b in first.buttons] == [
        ("join", code),
        ("leave", code),
        ("guest", code),
    ]

    chat.say("bob", f"/join {code}")
    chat.say("carol", f"/join {code}")
    sent = chat.deliver_all()
    says(post(sent), language, *case.on_post)
    its_on = dms(sent, "its_on")
    assert len(its_on) == 3
    says(its_on[0], language, *case.its_on)

    chat.say("carol", f"/leave {code}")
    says(post(chat.deliver_all()), language, case.short_again)

    clock.set(SUNDAY_10 - timedelta(hours=2))
    reminders = dms(chat.deliver_all(), "reminder")
    assert len(reminders) == 2
    says(reminders[0], language, *case.reminder)

    clock.set(SUNDAY_10 - timedelta(hours=1))
    calls = [d for d in chat.deliver_all() if d.purpose == "short_of_target"]
    assert len(calls) == 5  # one in each room of the community
    says(calls[0].message, language, *case.call)

    assert chat.say("alice", f"/cancel {code} {REASON}").ok
    sent = chat.deliver_all()
    cancelled = dms(sent, "cancelled")
    assert len(cancelled) == 1  # bob; alice cancelled it, carol had left
    says(cancelled[0], language, *case.cancelled)
    assert Span(REASON, "user") in cancelled[0].paragraphs[-1]
    says(post(sent), language, case.cancelled_post)

    for delivery in chat.sent:  # everything, on every network and in every room
        says(delivery.message, language)


def test_dms_speak_the_gatherings_language_and_posts_the_rooms(database: Database) -> None:
    """A German-first community that also reads English: an announcement written in English
    is posted in German, and the DMs about it are in English, the language it was written in."""
    clock = FixedClock(START)
    chat = Chat(community_in(database, clock, "de", "en"))
    code = code_in(chat.say("alice", f"/gather {CASES['en'].announce}"))
    chat.say("bob", f"/join {code}")
    chat.say("carol", f"/join {code}")
    sent = chat.deliver_all()
    says(post(sent), "de", "Sonntag", "👥 3 dabei, 3 gebraucht", "✅ Es findet statt!")
    says(dms(sent, "its_on")[0], "en", *CASES["en"].its_on)


def test_people_who_cannot_be_dmed_are_told_in_the_room_in_the_same_language(
    database: Database,
) -> None:
    clock = FixedClock(START)
    gather = community_in(database, clock, "de")
    chat = Chat(gather)
    code = code_in(chat.say("alice", f"/gather {CASES['de'].announce}"))
    chat.say("telegram:81", f"/join {code}", room="telegram:-100200")
    chat.deliver_all()
    gather.mark_unreachable("telegram", "81")
    chat.say("alice", f"/cancel {code}")
    notice = next(d for d in chat.deliver("telegram") if d.purpose == "cancelled_in_room")
    says(
        notice.message,
        "de",
        ", Neuigkeiten (eine Direktnachricht ging nicht):",
        "Abgesagt: Strandputz",
        "Für private Nachrichten öffne einen Chat mit mir und schick /start.",
    )
    # And a reminder for someone who can't be DMed: mentioned in the room, in German too.
    code = code_in(chat.say("bob", f"/gather {CASES['de'].announce}"))
    chat.say("telegram:82", f"/join {code}", room="telegram:-100200")
    chat.deliver_all()
    gather.mark_unreachable("telegram", "82")
    clock.set(SUNDAY_10 - timedelta(hours=2))
    reminder = next(d for d in chat.deliver("telegram") if d.purpose == "reminder_in_room")
    says(
        reminder.message,
        "de",
        ", eine Erinnerung (",
        "Erinnerung: Strandputz beginnt in 2 Stunden.",
    )
