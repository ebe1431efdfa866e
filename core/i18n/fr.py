"""French: informal "tu", as people write in group chats.

Before ":", "!" and "?" French puts a space; it is a no-break space (U+00A0) so a narrow
screen never starts a line with the mark. A place is shown after a label ("lieu : ") or in
brackets: the parser keeps the preposition people wrote ("à la plage"), so adding one clashes.
"""

from __future__ import annotations

MESSAGES: dict[str, str | dict[str, str]] = {
    "when.time_tbc": "{day} (heure à confirmer)",
    "count.going": {"one": "{n} participant", "other": "{n} participants"},
    "count.of_needed": " sur {n} requis",
    "count.max": " (max. {n})",
    "count.waitlist": ", {n} en liste d'attente",
    "announcement.cancelled": "ANNULÉ\u00a0: ",
    "announcement.on": "✅ C'est confirmé\u00a0! L'objectif est atteint.",
    "announcement.short_again": {
        "one": "⚠️ Pas assez de monde\u00a0: il manque {n} personne.",
        "other": "⚠️ Pas assez de monde\u00a0: il manque {n} personnes.",
    },
    "announcement.code": "Code\u00a0: ",
    "button.join": "J'en suis",
    "button.leave": "Je ne peux pas",
    "button.guest": "+1 invité",
    "headline.at": ", lieu\u00a0: ",
    "its_on.title": "C'est confirmé\u00a0! ",
    "its_on.coming": {
        "one": "{n} personne participe à\u00a0:",
        "other": "{n} personnes participent à\u00a0:",
    },
    "its_on.leave": "À bientôt\u00a0! Finalement, tu ne peux pas venir\u00a0? Envoie ",
    "changed.title": "Modifié\u00a0: ",
    "changed.time": "l'heure d'un événement auquel tu participes est maintenant\u00a0:",
    "changed.place": "le lieu d'un événement auquel tu participes est maintenant\u00a0:",
    "changed.place_and_time": (
        "le lieu et l'heure d'un événement auquel tu participes sont maintenant\u00a0:"
    ),
    "changed.leave": "Tu ne peux plus venir\u00a0? Envoie ",
    "cancelled.title": "Annulé\u00a0: ",
    "cancelled.reason": "Message de l'organisation\u00a0: ",
    "promoted.title": "Tu en es\u00a0! ",
    "promoted.body": "Une place s'est libérée, tu n'es plus en liste d'attente pour\u00a0:",
    "promoted.leave": "Tu ne peux pas venir\u00a0? Envoie ",
    "room.you": "toi",
    "room.news": ", du nouveau (je n'ai pas pu écrire en privé)\u00a0:",
    "room.message": ", un message (je n'ai pas pu écrire en privé)\u00a0:",
    "room.reminder": ", un rappel (je n'ai pas pu écrire en privé)\u00a0:",
    "room.start": (
        "Pour recevoir les messages en privé, ouvre une conversation avec moi et envoie /start."
    ),
    "reminder.title": "Rappel\u00a0: ",
    "reminder.starts": " commence {when}.",
    "reminder.map": "carte",
    "reminder.still_coming": "Tu viens toujours\u00a0? Sinon, envoie ",
    "reminder.so_others_can_plan": " pour que les autres puissent s'organiser.",
    "reminder.cant_make_it": "Finalement, tu ne peux pas\u00a0? ",
    "short.need": {
        "one": "Il manque encore {n} personne",
        "other": "Il manque encore {n} personnes",
    },
    "short.for": " pour ",
    "short.place_before": " (",
    "short.place_after": ")",
    "short.end": "\u00a0!",
    "short.starts": "Début {when}. Pour participer\u00a0: ",
    "left.in": "dans {time}",
    "left.hours": {"one": "{n} heure", "other": "{n} heures"},
    "left.minutes": {"one": "{n} minute", "other": "{n} minutes"},
    "left.and": " et ",
    "left.today": "aujourd'hui à {time}",
    "left.tomorrow": "demain à {time}",
    "left.on": "le {when}",
}
