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
    "there were|pickers|neighbours|neighbors",
    de="leute|personen|person|menschen|helfer|helferinnen|helfende|freiwillige|teilnehmer|"
    "teilnehmende|kinder|erwachsene|kamen|gekommen|da|waren|von uns|mitmacher|nachbarn",
    fr="personnes|personne|gens|bénévoles|bénévole|participants|participantes|enfants|adultes|"
    "venus|venues|venu|étions|sommes|d'entre nous|voisins",
    es="personas|persona|gente|voluntarios|voluntarias|voluntario|participantes|niños|adultos|"
    "vinieron|vino|éramos|fuimos|vinimos|de nosotros|vecinos",
    it="persone|persona|gente|volontari|volontarie|volontario|partecipanti|bambini|adulti|"
    "venute|venuti|eravamo|siamo|di noi|vicini",
    pt="pessoas|pessoa|gente|voluntários|voluntárias|voluntário|participantes|crianças|adultos|"
    "vieram|veio|éramos|fomos|viemos|de nós|vizinhos",
    nl="mensen|personen|persoon|vrijwilligers|vrijwilliger|deelnemers|kinderen|volwassenen|"
    "kwamen|gekomen|waren|van ons|buren|helpers",
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
    en="about|around|roughly|approx|approximately|ca|circa|some|nearly|almost|over|full|big|"
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
    "were|was|came|got",
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
    "fun|lovely|day|time|morning|afternoon|evening|success|while|bunch|times",
    de="stunde|stunden|std|minuten|uhr|menge|paar|bisschen|tag|tolle|toller|schöner|schönen|"
    "erfolg|spaß|mal",
    fr="heure|heures|h|minutes|peu|beaucoup|belle|bon|bonne|journée|succès|fois|matinée",
    es="hora|horas|minutos|poco|montón|gran|buen|buena|día|éxito|mañana|veces",
    it="ora|ore|minuti|po|sacco|bella|bel|buona|giornata|successo|mattinata|volte",
    pt="hora|horas|minutos|pouco|monte|bela|belo|bom|boa|dia|sucesso|manhã|vezes",
    nl="uur|uren|minuten|beetje|hoop|mooie|leuke|goede|dag|succes|ochtend|keer",
    da="time|timer|minutter|smule|masse|dejlig|god|godt|dag|succes|formiddag|gang|gange",
)
