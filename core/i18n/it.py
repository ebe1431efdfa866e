"""Italian: informal "tu", as people write in group chats.

A place is shown after a label ("luogo: ") or in brackets: the right preposition depends on
the place ("a Roma", "in piazza", "al bar"), and the parser sometimes keeps the one people wrote.
"""

from __future__ import annotations

MESSAGES: dict[str, str | dict[str, str]] = {
    "when.time_tbc": "{day} (orario da confermare)",
    "count.going": {"one": "{n} partecipante", "other": "{n} partecipanti"},
    "count.of_needed": {"one": " su {n} necessario", "other": " su {n} necessari"},
    "count.max": " (max {n})",
    "count.waitlist": ", {n} in lista d'attesa",
    "announcement.cancelled": "ANNULLATO: ",
    "announcement.on": "✅ Si fa! L'obiettivo è raggiunto.",
    "announcement.short_again": {
        "one": "⚠️ Di nuovo pochi: ne manca ancora {n}.",
        "other": "⚠️ Di nuovo pochi: ne mancano ancora {n}.",
    },
    "announcement.code": "Codice: ",
    "button.join": "Ci sono",
    "button.leave": "Non posso",
    "button.guest": "+1 ospite",
    "headline.at": ", luogo: ",
    "its_on.title": "Si fa! ",
    "its_on.coming": {
        "one": "{n} persona partecipa a:",
        "other": "{n} persone partecipano a:",
    },
    "its_on.leave": "Ci vediamo lì! Alla fine non puoi? Invia ",
    "changed.title": "Modificato: ",
    "changed.time": "l'orario di un evento a cui partecipi ora è:",
    "changed.place": "il luogo di un evento a cui partecipi ora è:",
    "changed.place_and_time": "il luogo e l'orario di un evento a cui partecipi ora sono:",
    "changed.leave": "Non puoi più venire? Invia ",
    "cancelled.title": "Annullato: ",
    "cancelled.reason": "Messaggio dell'organizzazione: ",
    "promoted.title": "Ci sei! ",
    "promoted.body": "Si è liberato un posto, quindi non sei più in lista d'attesa per:",
    "promoted.leave": "Non puoi venire? Invia ",
    "room.you": "tu",
    "room.news": ", novità (non ho potuto scrivere in privato):",
    "room.message": ", un messaggio (non ho potuto scrivere in privato):",
    "room.reminder": ", un promemoria (non ho potuto scrivere in privato):",
    "room.start": "Per ricevere i messaggi in privato, apri una chat con me e invia /start.",
    "reminder.title": "Promemoria: ",
    "reminder.starts": " inizia {when}.",
    "reminder.map": "mappa",
    "reminder.still_coming": "Vieni ancora? Se no, invia ",
    "reminder.so_others_can_plan": " così gli altri possono organizzarsi.",
    "reminder.cant_make_it": "Alla fine non puoi? ",
    "short.need": {"one": "Serve ancora {n} persona", "other": "Servono ancora {n} persone"},
    "short.for": " per ",
    "short.place_before": " (",
    "short.place_after": ")",
    "short.end": "!",
    "short.starts": "Inizia {when}. Partecipa con ",
    "left.in": "tra {time}",
    "left.hours": {"one": "{n} ora", "other": "{n} ore"},
    "left.minutes": {"one": "{n} minuto", "other": "{n} minuti"},
    "left.and": " e ",
    "left.today": "oggi alle {time}",
    "left.tomorrow": "domani alle {time}",
    # "inizia sabato 28 novembre": Italian needs no preposition before a date.
    "left.on": "{when}",
}
