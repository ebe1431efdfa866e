"""Replies to commands speak the main language of the room's community, in each of the eight.

Per language: the /gather confirmation, /join with a guest (which reaches the target), /who,
/list, /leave, an unknown code, /help and a message the bot does not understand. Expected
phrases are checked, and no word of the English replies may be left in what the bot wrote
itself (user text aside; the command words and /edit's field words stay English on purpose).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from core.clock import FixedClock
from core.contract.commands import Reply
from core.storage.db import Database
from tests.conftest import START
from tests.domain.chat import Chat, code_in
from tests.domain.test_languages import CASES, community_in, speaks

# Words of the English replies no other language shares ("Code(s)", "letters", "admins",
# "accounts", "details" and "person" are shared; "when", "need", "max", "title", "reminders",
# "names", "on" and "off" are words the bot reads, so /help keeps them).
ENGLISH = re.compile(
    r"\b(started|announced|rooms?|counted|going|change it|note|you're|you are|calendar|"
    r"dropped|changed your mind|coming up|join with|nothing|headcount|organisers|erase|"
    r"everything|without|latest|gathering|digits|never|shows|what's on|"
    r"drop out|friends|networks|people|commands|guests?|waitlist|which|"
    r"don't know|for example|didn't catch|makes it|it's on)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Replies:
    gather: tuple[str, ...]  # the confirmation: started, need 3, announced in 5 rooms
    join: tuple[str, ...]  # in with one guest, the calendar, the count, and it's on
    who: tuple[str, ...]
    listed: tuple[str, ...]
    leave: tuple[str, ...]
    unknown: tuple[str, ...]  # "/join ZZZZ"
    help: tuple[str, ...]
    not_understood: str


REPLIES = {
    "en": Replies(
        ("Started Beach clean (", "👥 need 3", "Announced in 5 rooms. You're counted as going."),
        (
            "You're in with 1 guest for Beach clean",
            "Add it to your calendar",
            "👥 3 going of 3",
            "✅ That makes it: it's on!",
        ),
        ("👥 3 going of 3 needed", "Map: ", "You are going."),
        ("Coming up:", " · 3/3 going", "Join with /join CODE"),
        ("You've dropped out of Beach clean", "Changed your mind? /join "),
        ("I don't know a gathering with code ZZZZ.", "/list shows what's on."),
        ("Commands:", "/leave K7QF: drop out", "/edit K7QF when Sunday 11am"),
        "I didn't catch that.",
    ),
    "de": Replies(
        ("Gestartet: Strandputz (", "👥 3 gebraucht", "In 5 Räumen angekündigt."),
        (
            "Du bist dabei mit 1 Gast: Strandputz",
            "In deinen Kalender",
            "👥 3 dabei, 3 gebraucht",
            "✅ Damit steht es: es findet statt!",
        ),
        ("👥 3 dabei, 3 gebraucht", "Karte: ", "Du bist dabei."),
        ("Demnächst:", " · 3/3 dabei", "Mitmachen mit /join CODE"),
        ("Du bist raus aus Strandputz", "Doch wieder Lust? /join "),
        ("Ein Treffen mit dem Code ZZZZ kenne ich nicht.", "/list zeigt, was ansteht."),
        ("Befehle:", "/leave K7QF: absagen", "/edit K7QF when Sonntag 11 Uhr"),
        "Das habe ich nicht verstanden.",
    ),
    "fr": Replies(
        ("C'est lancé : Nettoyage de plage (", "👥 3 requis", "Annoncé dans 5 salons."),
        (
            "tu participes avec 1 invité à Nettoyage de plage",
            "Ajoute-le à ton agenda",
            "👥 3 participants sur 3 requis",
            "✅ Et voilà : c'est confirmé !",
        ),
        ("👥 3 participants sur 3 requis", "Carte : ", "Tu participes."),
        ("À venir :", " · 3/3 participants", "Pour participer : /join CODE"),
        ("Tu t'es désinscrit de Nettoyage de plage", "Tu as changé d'avis ? /join "),
        ("Je ne connais aucun événement avec le code ZZZZ.", "/list montre ce qui est prévu."),
        ("Commandes :", "/leave K7QF : se désinscrire", "/edit K7QF when dimanche 11h"),
        "Je n'ai pas compris.",
    ),
    "es": Replies(
        ("Creado: Limpieza de playa (", "👥 se necesitan 3", "Anunciado en 5 salas."),
        (
            "Te has apuntado con 1 invitado a Limpieza de playa",
            "Añádelo a tu calendario",
            "👥 3 confirmados de 3 necesarios",
            "✅ Con esto ya está: ¡confirmado!",
        ),
        ("👥 3 confirmados de 3 necesarios", "Mapa: ", "Estás apuntado."),
        ("Próximamente:", " · 3/3 confirmados", "Apúntate con /join CODE"),
        ("Te has borrado de Limpieza de playa", "¿Has cambiado de idea? /join "),
        ("No conozco ningún evento con el código ZZZZ.", "/list muestra lo que hay."),
        ("Comandos:", "/leave K7QF: borrarte", "/edit K7QF when domingo 11h"),
        "No te he entendido.",
    ),
    "it": Replies(
        ("Creato: Pulizia della spiaggia (", "👥 servono 3", "Annunciato in 5 stanze."),
        (
            "Ci sei con 1 ospite per Pulizia della spiaggia",
            "Aggiungilo al calendario",
            "👥 3 partecipanti su 3 necessari",
            "✅ Ecco fatto: si fa!",
        ),
        ("👥 3 partecipanti su 3 necessari", "Mappa: ", "Partecipi."),
        ("In programma:", " · 3/3 partecipanti", "Partecipa con /join CODE"),
        ("Ti sei ritirato da Pulizia della spiaggia", "Hai cambiato idea? /join "),
        ("Non conosco nessun evento con il codice ZZZZ.", "/list mostra cosa c'è"),
        ("Comandi:", "/leave K7QF: ritirarti", "/edit K7QF when domenica alle 11"),
        "Non ho capito.",
    ),
    "pt": Replies(
        ("Criado: Limpeza de praia (", "👥 precisa de 3", "Anunciado em 5 salas."),
        (
            "Está inscrito com 1 convidado em Limpeza de praia",
            "Adicione ao calendário",
            "👥 3 confirmados de 3 necessários",
            "✅ Assim já dá: vai acontecer!",
        ),
        ("👥 3 confirmados de 3 necessários", "Mapa: ", "Está inscrito."),
        ("Próximos:", " · 3/3 confirmados", "Inscreva-se com /join CODE"),
        ("Saiu de Limpeza de praia", "Mudou de ideias? /join "),
        ("Não conheço nenhum evento com o código ZZZZ.", "/list mostra o que está marcado."),
        ("Comandos:", "/leave K7QF: desistir", "/edit K7QF when domingo às 11h"),
        "Não percebi.",
    ),
    "nl": Replies(
        ("Gestart: Strandopruiming (", "👥 3 nodig", "Aangekondigd in 5 groepen."),
        (
            "Je doet mee met 1 gast aan Strandopruiming",
            "Zet het in je agenda",
            "👥 3 komen, 3 nodig",
            "✅ Daarmee is het rond: het gaat door!",
        ),
        ("👥 3 komen, 3 nodig", "Kaart: ", "Je doet mee."),
        ("Binnenkort:", " · 3/3 komen", "Doe mee met /join CODE"),
        ("Je bent afgemeld voor Strandopruiming", "Toch van gedachten veranderd? /join "),
        ("Ik ken geen activiteit met code ZZZZ.", "/list laat zien wat er gepland is."),
        ("Opdrachten:", "/leave K7QF: afmelden", "/edit K7QF when zondag 11 uur"),
        "Dat begreep ik niet.",
    ),
    "da": Replies(
        ("Startet: Strandrydning (", "👥 3 nødvendige", "Annonceret i 5 rum."),
        (
            "Du er tilmeldt med 1 gæst til Strandrydning",
            "Sæt det i din kalender",
            "👥 3 tilmeldte af 3 nødvendige",
            "✅ Så er det på plads: det bliver til noget!",
        ),
        ("👥 3 tilmeldte af 3 nødvendige", "Kort: ", "Du er med."),
        ("Snart:", " · 3/3 tilmeldt", "Vær med: /join CODE"),
        ("Du har meldt fra til Strandrydning", "Fortryder du? /join "),
        ("Jeg kender ikke noget arrangement med koden ZZZZ.", "/list viser, hvad der er"),
        ("Kommandoer:", "/leave K7QF: meld fra", "/edit K7QF when søndag kl. 11"),
        "Det forstod jeg ikke.",
    ),
}


def says(reply: Reply, language: str, *phrases: str) -> None:
    speaks(reply.message, language, phrases, ENGLISH)


@pytest.mark.parametrize("language", list(REPLIES))
def test_replies_to_commands_speak_the_communitys_language(
    database: Database, language: str
) -> None:
    expected = REPLIES[language]
    chat = Chat(community_in(database, FixedClock(START), language))
    started = chat.say("alice", f"/gather {CASES[language].announce}")
    says(started, language, *expected.gather)
    code = code_in(started)

    says(chat.say("bob", f"/join {code} +1"), language, *expected.join)
    says(chat.say("bob", f"/who {code}"), language, *expected.who)
    says(chat.say("bob", "/list"), language, *expected.listed)
    says(chat.say("bob", f"/leave {code}"), language, *expected.leave)
    unknown = chat.say("bob", "/join ZZZZ")
    assert not unknown.ok
    says(unknown, language, *expected.unknown)
    says(chat.say("bob", "/help"), language, *expected.help)
    says(chat.say("bob", "hello there"), language, expected.not_understood)
