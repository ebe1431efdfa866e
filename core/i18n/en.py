"""English: the reference catalogue. Every key lives here; other languages fall back to it.

These texts reproduce the bot's English exactly as it was before there were catalogues (tests
across the project assert them), including "1 people are coming" in `its_on.coming`, which is
one text for every count for that reason.
"""

from __future__ import annotations

MESSAGES: dict[str, str | dict[str, str]] = {
    # The date when only the day is known.
    "when.time_tbc": "{day} (time to be confirmed)",
    # The count line: "7 going of 20 needed (max 30), 2 on the waitlist".
    "count.going": "{n} going",
    "count.of_needed": " of {n} needed",
    "count.max": " (max {n})",
    "count.waitlist": ", {n} on the waitlist",
    # The announcement.
    "announcement.cancelled": "CANCELLED: ",
    "announcement.on": "✅ It's on! The target is reached.",
    "announcement.short_again": "⚠️ Short again: {n} more needed.",
    "announcement.code": "Code: ",
    "button.join": "I'm in",
    "button.leave": "Can't make it",
    "button.guest": "+1 guest",
    # "Title (CODE), date, at place" in DMs.
    "headline.at": ", at ",
    # DMs about a gathering someone joined.
    "its_on.title": "It's on! ",
    "its_on.coming": "{n} people are coming to:",
    "its_on.leave": "See you there. Can't make it after all? Send ",
    "changed.title": "Changed: ",
    "changed.time": "the time of a gathering you joined is now:",
    "changed.place": "the place of a gathering you joined is now:",
    "changed.place_and_time": "the place and time of a gathering you joined is now:",
    "changed.leave": "Can't make it now? Send ",
    "cancelled.title": "Cancelled: ",
    "cancelled.reason": "The organiser says: ",
    "promoted.title": "You're in! ",
    "promoted.body": "A place came free, so you are off the waitlist for:",
    "promoted.leave": "Can't make it? Send ",
    # A DM posted in the room instead, after the mentions of those it is for.
    "room.you": "you",
    "room.news": ", news (I couldn't message you directly):",
    "room.message": ", a message (I couldn't message you directly):",
    "room.reminder": ", a reminder (I couldn't message you directly):",
    "room.start": "To get messages privately, open a chat with me and send /start.",
    # Reminders: "Reminder: <title> starts in 2 hours."
    "reminder.title": "Reminder: ",
    "reminder.starts": " starts {when}.",
    "reminder.map": "map",
    "reminder.still_coming": "Still coming? If not, send ",
    "reminder.so_others_can_plan": " so others can plan.",
    "reminder.cant_make_it": "Can't make it after all? ",
    # An hour before: "We need 2 more people for <title> at <place>!"
    "short.need": {"one": "We need {n} more person", "other": "We need {n} more people"},
    "short.for": " for ",
    "short.place_before": " at ",
    "short.place_after": "",
    "short.end": "!",
    "short.starts": "Starts {when}. Join with ",
    # Time left: "in 1 hour 40 minutes", "today at 18:00", "tomorrow at 10:00", "on <date>".
    "left.in": "in {time}",
    "left.hours": {"one": "{n} hour", "other": "{n} hours"},
    "left.minutes": {"one": "{n} minute", "other": "{n} minutes"},
    "left.and": " ",
    "left.today": "today at {time}",
    "left.tomorrow": "tomorrow at {time}",
    "left.on": "on {when}",
}
