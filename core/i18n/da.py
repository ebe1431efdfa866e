"""Danish: "du", as people write in group chats.

A place is shown after a label ("sted: ") or in brackets: the parser keeps the preposition
people wrote ("på stranden"), so adding one would clash.
"""

from __future__ import annotations

MESSAGES: dict[str, str | dict[str, str]] = {
    "when.time_tbc": "{day} (tidspunkt følger)",
    "count.going": {"one": "{n} tilmeldt", "other": "{n} tilmeldte"},
    "count.of_needed": {"one": " af {n} nødvendig", "other": " af {n} nødvendige"},
    "count.max": " (maks. {n})",
    "count.waitlist": ", {n} på ventelisten",
    "announcement.cancelled": "AFLYST: ",
    "announcement.on": "✅ Det bliver til noget! Målet er nået.",
    "announcement.short_again": {
        "one": "⚠️ For få igen: der mangler {n} person.",
        "other": "⚠️ For få igen: der mangler {n} personer.",
    },
    "announcement.code": "Kode: ",
    "button.join": "Jeg er med",
    "button.leave": "Kan ikke",
    "button.guest": "+1 gæst",
    "headline.at": ", sted: ",
    "its_on.title": "Det bliver til noget! ",
    "its_on.coming": {"one": "{n} person kommer til:", "other": "{n} personer kommer til:"},
    "its_on.leave": "Vi ses! Kan du alligevel ikke? Send ",
    "changed.title": "Ændret: ",
    "changed.time": "tidspunktet for et arrangement, du er tilmeldt, er nu:",
    "changed.place": "stedet for et arrangement, du er tilmeldt, er nu:",
    "changed.place_and_time": "sted og tidspunkt for et arrangement, du er tilmeldt, er nu:",
    "changed.leave": "Kan du ikke længere? Send ",
    "cancelled.title": "Aflyst: ",
    "cancelled.reason": "Arrangøren skriver: ",
    "promoted.title": "Du er med! ",
    "promoted.body": "Der er blevet en plads ledig, så du er ikke længere på ventelisten til:",
    "promoted.leave": "Kan du ikke? Send ",
    "room.you": "du",
    "room.news": ", nyt (jeg kunne ikke skrive privat):",
    "room.message": ", en besked (jeg kunne ikke skrive privat):",
    "room.reminder": ", en påmindelse (jeg kunne ikke skrive privat):",
    "room.start": "Vil du have beskeder privat? Åbn en chat med mig og send /start.",
    "reminder.title": "Påmindelse: ",
    "reminder.starts": " starter {when}.",
    "reminder.map": "kort",
    "reminder.still_coming": "Kommer du stadig? Hvis ikke, så send ",
    "reminder.so_others_can_plan": ", så de andre kan planlægge.",
    "reminder.cant_make_it": "Kan du alligevel ikke? ",
    "short.need": {"one": "Vi mangler {n} person mere", "other": "Vi mangler {n} personer mere"},
    "short.for": " til ",
    "short.place_before": " (",
    "short.place_after": ")",
    "short.end": "!",
    "short.starts": "Starter {when}. Vær med: ",
    "left.in": "om {time}",
    "left.hours": {"one": "{n} time", "other": "{n} timer"},
    "left.minutes": {"one": "{n} minut", "other": "{n} minutter"},
    "left.and": " og ",
    "left.today": "i dag kl. {time}",
    "left.tomorrow": "i morgen kl. {time}",
    # "starter lørdag 28 november": no preposition needed before a date.
    "left.on": "{when}",
}
