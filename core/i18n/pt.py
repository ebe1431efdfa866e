"""Portuguese: addressed with third-person verbs ("Não pode ir?"), which read naturally in
Portugal and in Brazil alike; dates and plural rules are European Portuguese (see __init__).

A place is shown after a label ("local: ") or in brackets: the parser keeps the contracted
preposition people wrote ("na praia"), so adding one would clash.
"""

from __future__ import annotations

MESSAGES: dict[str, str | dict[str, str]] = {
    "when.time_tbc": "{day} (hora a confirmar)",
    "count.going": {"one": "{n} confirmado", "other": "{n} confirmados"},
    "count.of_needed": {"one": " de {n} necessário", "other": " de {n} necessários"},
    "count.max": " (máx. {n})",
    "count.waitlist": ", {n} em lista de espera",
    "announcement.cancelled": "CANCELADO: ",
    "announcement.on": "✅ Vai acontecer! O objetivo foi atingido.",
    "announcement.short_again": {
        "one": "⚠️ Voltou a faltar gente: falta {n}.",
        "other": "⚠️ Voltou a faltar gente: faltam {n}.",
    },
    "announcement.code": "Código: ",
    "button.join": "Eu vou",
    "button.leave": "Não posso",
    "button.guest": "+1 convidado",
    "headline.at": ", local: ",
    "its_on.title": "Vai acontecer! ",
    "its_on.coming": {"one": "{n} pessoa vai a:", "other": "{n} pessoas vão a:"},
    "its_on.leave": "Até lá! Afinal não pode ir? Envie ",
    "changed.title": "Alterado: ",
    "changed.time": "a hora de um evento em que se inscreveu passou a ser:",
    "changed.place": "o local de um evento em que se inscreveu passou a ser:",
    "changed.place_and_time": "o local e a hora de um evento em que se inscreveu passaram a ser:",
    "changed.leave": "Já não pode ir? Envie ",
    "cancelled.title": "Cancelado: ",
    "cancelled.reason": "Mensagem da organização: ",
    "promoted.title": "Está dentro! ",
    "promoted.body": "Vagou um lugar, por isso saiu da lista de espera de:",
    "promoted.leave": "Não pode ir? Envie ",
    "room.you": "você",
    "room.news": ", novidades (não consegui enviar mensagem privada):",
    "room.message": ", uma mensagem (não consegui enviar mensagem privada):",
    "room.reminder": ", um lembrete (não consegui enviar mensagem privada):",
    "room.start": "Para receber as mensagens em privado, abra uma conversa comigo e envie /start.",
    "reminder.title": "Lembrete: ",
    "reminder.starts": " começa {when}.",
    "reminder.map": "mapa",
    "reminder.still_coming": "Ainda vem? Se não, envie ",
    "reminder.so_others_can_plan": " para os outros se poderem organizar.",
    "reminder.cant_make_it": "Afinal não pode ir? ",
    "short.need": {"one": "Falta mais {n} pessoa", "other": "Faltam mais {n} pessoas"},
    "short.for": " para ",
    "short.place_before": " (",
    "short.place_after": ")",
    "short.end": "!",
    "short.starts": "Começa {when}. Participe com ",
    "left.in": "daqui a {time}",
    "left.hours": {"one": "{n} hora", "other": "{n} horas"},
    "left.minutes": {"one": "{n} minuto", "other": "{n} minutos"},
    "left.and": " e ",
    "left.today": "hoje às {time}",
    "left.tomorrow": "amanhã às {time}",
    # "começa sábado 28 novembro": no preposition needed before a date here.
    "left.on": "{when}",
}
