"""Spanish: informal "tú", in words used both in Spain and in Latin America where possible
("confirmados", "evento"); opening ¡ and ¿ as written Spanish has them.

"en" before a place is the general preposition of location, so it reads right whatever the
place is ("en la playa", "en casa de Ana").
"""

from __future__ import annotations

MESSAGES: dict[str, str | dict[str, str]] = {
    "when.time_tbc": "{day} (hora por confirmar)",
    "count.going": {"one": "{n} confirmado", "other": "{n} confirmados"},
    "count.of_needed": {"one": " de {n} necesario", "other": " de {n} necesarios"},
    "count.max": " (máx. {n})",
    "count.waitlist": ", {n} en lista de espera",
    "announcement.cancelled": "CANCELADO: ",
    "announcement.on": "✅ ¡Confirmado! Se ha alcanzado el objetivo.",
    "announcement.short_again": {
        "one": "⚠️ Vuelve a faltar gente: se necesita {n} más.",
        "other": "⚠️ Vuelve a faltar gente: se necesitan {n} más.",
    },
    "announcement.code": "Código: ",
    "button.join": "Me apunto",
    "button.leave": "No puedo",
    "button.guest": "+1 invitado",
    "headline.at": ", en ",
    "its_on.title": "¡Confirmado! ",
    "its_on.coming": {"one": "Va {n} persona a:", "other": "Van {n} personas a:"},
    "its_on.leave": "¡Nos vemos allí! ¿Al final no puedes ir? Envía ",
    "changed.title": "Cambio: ",
    "changed.time": "la hora de un evento al que te has apuntado ahora es:",
    "changed.place": "el lugar de un evento al que te has apuntado ahora es:",
    "changed.place_and_time": "el lugar y la hora de un evento al que te has apuntado ahora son:",
    "changed.leave": "¿Ya no puedes ir? Envía ",
    "cancelled.title": "Cancelado: ",
    "cancelled.reason": "Mensaje de la organización: ",
    "promoted.title": "¡Estás dentro! ",
    "promoted.body": "Se ha liberado una plaza, así que ya no estás en la lista de espera de:",
    "promoted.leave": "¿No puedes ir? Envía ",
    "room.you": "tú",
    "room.news": ", novedades (no he podido escribir en privado):",
    "room.message": ", un mensaje (no he podido escribir en privado):",
    "room.reminder": ", un recordatorio (no he podido escribir en privado):",
    "room.start": "Para recibir los mensajes en privado, abre un chat conmigo y envía /start.",
    "reminder.title": "Recordatorio: ",
    "reminder.starts": " empieza {when}.",
    "reminder.map": "mapa",
    "reminder.still_coming": "¿Sigues pensando en ir? Si no, envía ",
    "reminder.so_others_can_plan": " para que los demás puedan organizarse.",
    "reminder.cant_make_it": "¿Al final no puedes ir? ",
    "short.need": {"one": "¡Falta {n} persona más", "other": "¡Faltan {n} personas más"},
    "short.for": " para ",
    "short.place_before": " en ",
    "short.place_after": "",
    "short.end": "!",
    "short.starts": "Empieza {when}. Apúntate con ",
    "left.in": "dentro de {time}",
    "left.hours": {"one": "{n} hora", "other": "{n} horas"},
    "left.minutes": {"one": "{n} minuto", "other": "{n} minutos"},
    "left.and": " y ",
    "left.today": "hoy a las {time}",
    "left.tomorrow": "mañana a las {time}",
    "left.on": "el {when}",
}
