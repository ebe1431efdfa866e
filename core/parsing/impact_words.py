"""The words an organiser's report is read with, per language (English is always read too).

All lower case. A people word after a number ("14 people", "12 Leute", "14 came", "20 of
us") or just before one with nothing after it ("wir waren 12") makes the number the people
who came; a stop word ends a counted thing's noun ("32 bags of litter" -> "bags").
"""

from __future__ import annotations


def _words(**by_language: str) -> dict[str, frozenset[str]]:
    return {language: frozenset(w.strip() for w in words.split("|")) for language, words in
            by_language.items()}


PEOPLE = _words(
    en="people|persons|person|volunteers|volunteer|helpers|helper|folks|folk|adults|kids|"
    "children|participants|came|come|turned up|showed up|attended|joined|of us|us|were|we were|"
    "there were|pickers|neighbours|neighbors|ppl|peeps|team of|group of",
    de="leute|personen|person|menschen|helfer|helferinnen|helfende|freiwillige|teilnehmer|"
    "teilnehmende|kinder|erwachsene|kamen|gekommen|da|waren|von uns|mitmacher|nachbarn",
    fr="personnes|personne|gens|bénévoles|bénévole|participants|participantes|enfants|adultes|"
    "venus|venues|venu|étions|était|étaient|sommes|d'entre nous|voisins",
    es="personas|persona|gente|voluntarios|voluntarias|voluntario|participantes|niños|adultos|"
    "vinieron|vino|éramos|fuimos|vinimos|de nosotros|vecinos",
    it="persone|persona|gente|volontari|volontarie|volontario|partecipanti|bambini|adulti|"
    "venute|venuti|eravamo|siamo|stati|state|di noi|vicini",
    pt="pessoas|pessoa|gente|voluntários|voluntárias|voluntário|participantes|crianças|adultos|"
    "vieram|veio|éramos|fomos|viemos|de nós|vizinhos",
    nl="mensen|personen|persoon|vrijwilligers|vrijwilliger|deelnemers|kinderen|volwassenen|"
    "kwamen|gekomen|waren|van ons|z'n|buren|helpers",
    da="personer|person|folk|mennesker|frivillige|deltagere|børn|voksne|kom|mødte|var|af os|"
    "naboer|hjælpere",
)

# Words that mean "one" before a noun ("a shopping trolley", "ein Einkaufswagen").
ARTICLES = _words(
    en="a|an|one",
    de="ein|eine|einen|einem|einer|eins",
    fr="un|une",
    es="un|una|uno",
    it="un|una|uno|un'",
    pt="um|uma",
    nl="een|één",
    da="en|et|én|ét",
)

# Words that join the items of a list.
CONJUNCTIONS = _words(
    en="and|plus|also|with",
    de="und|sowie|plus|mit",
    fr="et|plus|avec",
    es="y|e|más|con",
    it="e|ed|più|con",
    pt="e|mais|com",
    nl="en|plus|met",
    da="og|plus|med",
)

# "about 20 of us": words that soften a number and are not part of the noun.
APPROX = _words(
    en="about|around|roughly|approx|approximately|ca|circa|some|nearly|almost|over|full|big|ish|"
    "small|large",
    de="etwa|ungefähr|rund|knapp|über|fast|ca|circa|volle|große|kleine|gut",
    fr="environ|presque|pleins|grands|petits",
    es="unos|unas|aproximadamente|casi|cerca|llenas|llenos|grandes|pequeñas",
    it="circa|quasi|oltre|pieni|piene|grandi|piccoli",
    pt="cerca|uns|umas|quase|cheios|cheias|grandes|pequenos",
    nl="ongeveer|zo'n|bijna|ruim|circa|volle|grote|kleine",
    da="omkring|cirka|ca|næsten|over|fulde|store|små",
)

# A counted thing's noun ends before these ("32 bags of litter", "25 Säcke voll Müll").
STOPS = _words(
    en="of|with|from|in|on|at|for|to|full|filled|collected|picked|and|the|we|it|that|which|"
    "were|was|came|got|cleared|removed|recovered|found|planted|fixed|repaired|gathered",
    de="voll|mit|von|aus|im|in|am|an|für|gesammelt|und|die|der|das|wir|es|waren|sind",
    fr="de|d'|du|des|pleins|remplis|ramassés|avec|pour|et|nous|on|ont|sont",
    es="de|del|llenas|llenos|recogidas|recogidos|con|para|y|nosotros|fueron",
    it="di|del|della|pieni|piene|raccolti|raccolte|con|per|e|abbiamo|sono",
    pt="de|do|da|cheios|cheias|recolhidos|recolhidas|com|para|e|nós|foram",
    nl="vol|met|van|uit|in|op|voor|opgehaald|verzameld|en|we|wij|de|het",
    da="fulde|med|af|fra|i|på|til|samlet|og|vi|det|den",
)

# Nouns after a number that are not something achieved: times, and "a lot", "a great day".
NOT_THINGS = _words(
    en="hour|hours|hrs|h|minutes|mins|am|pm|o'clock|lot|lots|bit|few|couple|great|good|nice|"
    "fun|lovely|day|time|morning|afternoon|evening|success|while|bunch|times|blast|laugh|"
    "team|group|chat|cuppa",
    de="stunde|stunden|std|minuten|uhr|menge|paar|bisschen|tag|tolle|toller|schöner|schönen|"
    "erfolg|spaß|mal",
    fr="heure|heures|h|minutes|peu|beaucoup|belle|bon|bonne|journée|succès|fois|matinée",
    es="hora|horas|minutos|poco|montón|gran|buen|buena|día|éxito|mañana|veces",
    it="ora|ore|minuti|po|sacco|bella|bel|buona|giornata|successo|mattinata|volte",
    pt="hora|horas|minutos|pouco|monte|bela|belo|bom|boa|dia|sucesso|manhã|vezes",
    nl="uur|uren|minuten|beetje|hoop|mooie|leuke|goede|dag|succes|ochtend|keer",
    da="time|timer|minutter|smule|masse|dejlig|god|godt|dag|succes|formiddag|gang|gange",
)

# Words before a clock time: "14 came at 10" is 14 people, not 24.
CLOCK = _words(
    en="at|by|until|till|from|since|around",
    de="um|bis|ab|gegen|seit",
    fr="à|vers|jusqu'à|dès|depuis",
    es="a|las|hasta|desde",
    it="alle|verso|fino|dalle",
    pt="às|até|desde",
    nl="om|tot|vanaf|sinds",
    da="kl|klokken|til|fra|indtil",
)

# Leads a counted noun after a number written as a word ("une vingtaine de bénévoles",
# "a dozen of us"): skipped there, so the noun or people word after it is read.
OF = _words(en="of", de="von", fr="de|d'|d’", es="de", it="di", pt="de", nl="van", da="af")


def _numbers(words: str) -> dict[str, int]:
    """"two|three|..." from 2 up, then "tens:20|..." for the rest: the value of each word."""
    table: dict[str, int] = {}
    for value, word in enumerate(words.split("|"), start=2):
        name, _, given = word.partition(":")
        table[name.strip()] = int(given) if given else value
    return table


# Numbers written as words, 2 to 20 in order, then the round ones and the "about so many"
# nouns ("a dozen", "une vingtaine", "una decina"); "one" is an article (ARTICLES).
NUMBER_WORDS: dict[str, dict[str, int]] = {
    "en": _numbers(
        "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
        "sixteen|seventeen|eighteen|nineteen|twenty|thirty:30|forty:40|fifty:50|hundred:100|"
        "dozen:12|score:20"
    ),
    "de": _numbers(
        "zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|dreizehn|vierzehn|fünfzehn|"
        "sechzehn|siebzehn|achtzehn|neunzehn|zwanzig|dreißig:30|vierzig:40|fünfzig:50|"
        "hundert:100|dutzend:12|zweit:2|dritt:3|viert:4|fünft:5|sechst:6|siebt:7|neunt:9|"
        "zehnt:10|elft:11|zwölft:12|zwanzigst:20"
    ),
    "fr": _numbers(
        "deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|"
        "dix-sept|dix-huit|dix-neuf|vingt|trente:30|quarante:40|cinquante:50|cent:100|"
        "dizaine:10|douzaine:12|quinzaine:15|vingtaine:20|trentaine:30|quarantaine:40|"
        "cinquantaine:50|centaine:100"
    ),
    "es": _numbers(
        "dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|trece|catorce|quince|"
        "dieciséis|diecisiete|dieciocho|diecinueve|veinte|treinta:30|cuarenta:40|cincuenta:50|"
        "cien:100|decena:10|docena:12|veintena:20|treintena:30|centenar:100"
    ),
    "it": _numbers(
        "due|tre|quattro|cinque|sei|sette|otto|nove|dieci|undici|dodici|tredici|quattordici|"
        "quindici|sedici|diciassette|diciotto|diciannove|venti|trenta:30|quaranta:40|"
        "cinquanta:50|cento:100|decina:10|dozzina:12|quindicina:15|ventina:20|trentina:30|"
        "cinquantina:50|centinaio:100"
    ),
    "pt": _numbers(
        "dois|três|quatro|cinco|seis|sete|oito|nove|dez|onze|doze|treze|catorze|quinze|"
        "dezesseis|dezassete|dezoito|dezenove|vinte|trinta:30|quarenta:40|cinquenta:50|"
        "cem:100|duas:2|dezessete:17|dezasseis:16|dezanove:19|dezena:10|dúzia:12|vintena:20|"
        "centena:100"
    ),
    "nl": _numbers(
        "twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|dertien|veertien|vijftien|"
        "zestien|zeventien|achttien|negentien|twintig|dertig:30|veertig:40|vijftig:50|"
        "honderd:100|dozijn:12|tiental:10|twintigtal:20|dertigtal:30"
    ),
    "da": _numbers(
        "to|tre|fire|fem|seks|syv|otte|ni|ti|elleve|tolv|tretten|fjorten|femten|seksten|"
        "sytten|atten|nitten|tyve|tredive:30|fyrre:40|halvtreds:50|hundrede:100|dusin:12"
    ),
}
