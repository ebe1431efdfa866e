"""Dutch: informal "je", as people write in group chats.

A place is shown after a label ("plek: ") or in brackets: the parser sometimes keeps the
preposition people wrote ("op het strand"), so adding one would clash.
"""

from __future__ import annotations

MESSAGES: dict[str, str | dict[str, str]] = {
    "when.time_tbc": "{day} (tijd volgt nog)",
    "count.going": {"one": "{n} komt", "other": "{n} komen"},
    "count.of_needed": ", {n} nodig",
    "count.max": " (max. {n})",
    "count.waitlist": ", {n} op de wachtlijst",
    "announcement.cancelled": "AFGELAST: ",
    "announcement.on": "✅ Het gaat door! Het doel is bereikt.",
    "announcement.short_again": "⚠️ Weer te weinig: nog {n} nodig.",
    "announcement.code": "Code: ",
    "button.join": "Ik doe mee",
    "button.leave": "Kan niet",
    "button.guest": "+1 gast",
    "headline.at": ", plek: ",
    "its_on.title": "Het gaat door! ",
    "its_on.coming": {"one": "{n} persoon komt naar:", "other": "{n} mensen komen naar:"},
    "its_on.leave": "Tot dan! Kun je toch niet? Stuur ",
    "changed.title": "Gewijzigd: ",
    "changed.time": "de tijd van een activiteit waarvoor je je hebt aangemeld is nu:",
    "changed.place": "de plek van een activiteit waarvoor je je hebt aangemeld is nu:",
    "changed.place_and_time": (
        "de plek en tijd van een activiteit waarvoor je je hebt aangemeld zijn nu:"
    ),
    "changed.leave": "Kun je nu niet meer? Stuur ",
    "cancelled.title": "Afgelast: ",
    "cancelled.reason": "De organisator laat weten: ",
    "promoted.title": "Je bent erbij! ",
    "promoted.body": "Er is een plek vrijgekomen, dus je staat niet meer op de wachtlijst voor:",
    "promoted.leave": "Kun je niet? Stuur ",
    "room.you": "jij",
    "room.news": ", nieuws (ik kon geen privébericht sturen):",
    "room.message": ", een bericht (ik kon geen privébericht sturen):",
    "room.reminder": ", een herinnering (ik kon geen privébericht sturen):",
    "room.start": "Wil je berichten privé krijgen? Open een chat met mij en stuur /start.",
    "reminder.title": "Herinnering: ",
    "reminder.starts": " begint {when}.",
    "reminder.map": "kaart",
    "reminder.still_coming": "Kom je nog? Zo niet, stuur ",
    "reminder.so_others_can_plan": ", dan kunnen anderen plannen.",
    "reminder.cant_make_it": "Kun je toch niet? ",
    "short.need": {"one": "We zoeken nog {n} persoon", "other": "We zoeken nog {n} mensen"},
    "short.for": " voor ",
    "short.place_before": " (",
    "short.place_after": ")",
    "short.end": "!",
    "short.starts": "Begint {when}. Doe mee met ",
    "left.in": "over {time}",
    # "2 uur", not "2 uren": after a number Dutch keeps "uur" singular.
    "left.hours": "{n} uur",
    "left.minutes": {"one": "{n} minuut", "other": "{n} minuten"},
    "left.and": " en ",
    "left.today": "vandaag om {time}",
    "left.tomorrow": "morgen om {time}",
    "left.on": "op {when}",
}
