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
    # Replies to the person who typed a command (core/app.py, attendance.py, gatherings.py).
    "reply.too_long": "That message is too long for me. Keep it under a few paragraphs.",
    "reply.not_understood": "I didn't catch that. Send /help to see what I can do.",
    "reply.trouble": (
        "Something went wrong on my side and nothing was changed. Please try again in a minute."
    ),
    "reply.unknown_code": (
        "I don't know a gathering with code {code}. Codes are four letters "
        "and digits (never O, 0, I or 1); /list shows what's on."
    ),
    "reply.empty_code": "(empty)",
    "reply.which": "Which gathering? Give its code, e.g. /{verb} K7QF. /list shows what's on.",
    "reply.guests_format": "Write guests as +N, e.g. /join K7QF +2",
    "reply.too_many_guests": "At most {n} guests per person; ask them to join themselves.",
    "reply.was_cancelled": "{code} was cancelled.",
    "reply.has_started": "{code} has already started or finished.",
    "join.full": "It's full, ",
    "join.waitlisted": "so you're on the waitlist for ",
    "join.waitlisted_end": ". I'll tell you if a place comes free.",
    "join.already": "You're already in for ",
    "join.in": "You're in",
    "join.guests": {"one": " with {n} guest", "other": " with {n} guests"},
    "join.for": " for ",
    "join.calendar": "Add it to your calendar: ",
    "join.calendar_link": "calendar",
    "join.its_on": "✅ That makes it: it's on!",
    "join.few_places": {
        "one": "Only {n} more place left, so your guests stay at {guests}.",
        "other": "Only {n} more places left, so your guests stay at {guests}.",
    },
    "leave.not_signed_up": "You weren't signed up for ",
    "leave.not_signed_up_end": ").",
    "leave.dropped": "You've dropped out of ",
    "leave.changed_mind": "). Changed your mind? ",
    "list.nothing": "Nothing coming up here yet. Start something: ",
    "list.example": "/gather Litter pick at the park, Sunday 2pm, need 10 people",
    "list.title": "Coming up:",
    "list.going": "{n}{of} going",
    "list.join_with": "Join with ",
    "who.cancelled": "CANCELLED",
    "who.coming": "Coming: ",
    "who.hidden": "and {n} more who keep their names private.",
    "who.map": "Map: ",
    "who.you_going": "You are going.",
    "who.you_waitlisted": "You are on the waitlist.",
    "gather.example": "/gather Beach clean at Portobello beach, Saturday 10am, need 20 people",
    "gather.tell_me": "Tell me what, when and where, for example:",
    "gather.what_and_when": "What are we doing, and at what time? For example:",
    "gather.too_many_by_person": (
        "You've started a lot of gatherings this hour. Please try again later."
    ),
    "gather.too_many_by_room": (
        "This room has started a lot of gatherings this hour. Please try again later."
    ),
    "gather.started": "Started ",
    "gather.need": "need {n}",
    "gather.max": "max {n}",
    "gather.announced": {"one": "Announced in {n} room.", "other": "Announced in {n} rooms."},
    "gather.counted": " You're counted as going. Change it with ",
    "gather.note": "Note: ",
    # /help: the command words stay English, only the explanations are translated.
    "help.intro": "Gather gets people in one place at one time. Commands:",
    "help.join": " (add ",
    "help.join_end": " for friends coming with you)",
    "help.leave": ": drop out",
    "help.list": ": what's coming up here",
    "help.who": ": details and headcount",
    "help.edit_example": "K7QF when Sunday 11am",
    "help.edit": " (or where, need, max, title)",
    "help.cancel": ": for organisers and admins",
    "help.link": ": count your accounts on different networks as one person",
    "help.settings": ": reminders on|off, names on|off (show your name in /who)",
    "help.forget": ": erase everything Gather knows about you",
    "help.latest": "Without a code, /join and /leave mean the latest gathering in this room.",
    # /edit and /cancel (core/handlers/editing.py); the field words (when, where, need, max, title) stay
    # English, because those are what the bot reads.
    "manage.which": "Which gathering? Give its code, e.g. /{verb} K7QF",
    "manage.only_edit": "Only the organiser or an admin can edit {code}.",
    "manage.only_cancel": "Only the organiser or an admin can cancel {code}.",
    "manage.cancelled": "{code} is cancelled; it can't be changed any more.",
    "edit.what": "What should change? Start with when, where, need, max or title, e.g.",
    "edit.start_with": "Start with what to change (when, where, need, max or title), e.g.",
    "edit.for_example": "For example:",
    "edit.give_new": "Give the new {field}, e.g. {example}",
    "edit.below_going": {
        "one": "{n} are already going; the maximum can't be lower than that.",
        "other": "{n} are already going; the maximum can't be lower than that.",
    },
    "edit.number": "Give {field} as a number of people, e.g. /edit K7QF {field} 20",
    "edit.past": (
        "That would be in the past. Give a day and time ahead, e.g. /edit K7QF when Sunday 11am"
    ),
    "edit.unchanged": "That's what it says already; nothing changed.",
    "edit.updated": "Updated ",
    "edit.target": "Target: {n}",
    "edit.max": ", max {n}",
    "cancel.done": "Cancelled ",
    "cancel.told": "). Everyone who joined will be told.",
    # /link, /forget and /settings (core/handlers/accounts.py).
    "link.send": (
        "To count your accounts on other networks as one person, send this from the other "
        "account (within 15 minutes):"
    ),
    "link.unknown": (
        "That link code is unknown or expired. Send /link on your other account to get a new one."
    ),
    "link.same": "That code is for this same account; send it from your other network.",
    "link.linked": "Linked: ",
    "link.your": "your {network} account ",
    "link.one": " and this one now count as one person.",
    "forget.done": "Done. ",
    "forget.erased": (
        "I've erased your accounts, pledges, settings and queued messages on every network."
    ),
    "forget.started": "Gatherings you started stay up, without your name: ",
    "forget.admins": ". From now on only the room's admins can edit or cancel them.",
    "settings.reminders_how": (
        "Say /settings reminders off, on, or times like: /settings reminders 1d 2h"
    ),
    "settings.reminders_limit": (
        "Up to 5 reminder times, at most 14 days before, e.g. /settings reminders 1d 2h"
    ),
    "settings.names_how": ("Say /settings names on (show my name in /who) or /settings names off"),
    "settings.try": "Try /settings reminders off, /settings reminders 1d 2h, or /settings names on",
    "settings.off": "off",
    "settings.none": "none",
    "settings.yours": "{when} (yours)",
    "settings.default": "{when} (this community's default)",
    "settings.state": "Reminders: {state}. Name shown in /who: {shown}.",
    "settings.yes": "yes",
    "settings.no": "no",
    "settings.change": "Change with ",
    "settings.or": " or ",
    "settings.days": {"one": "{n} day", "other": "{n} days"},
    "settings.hours": {"one": "{n} hour", "other": "{n} hours"},
    "settings.minutes": {"one": "{n} minute", "other": "{n} minutes"},
    "settings.and": " and ",
    "settings.before": "{when} before",
    # The parser's complaints and notes (core/words/parse_problems.py recognises its English
    # sentences; these say them again). English never uses them: it shows the parser's own text.
    "parse.try": " Try e.g.: {example}",
    "parse.no_date": "I couldn't find a date in that: say which day it is.",
    "parse.empty": "That announcement is empty.",
    "parse.not_text": "I need the announcement as text.",
    "parse.too_long": (
        "That announcement is too long ({length} characters; the limit is {limit}). "
        "Keep it to one short message."
    ),
    "parse.no_such_time": "There is no such time as {time}: write it like 10:00 or 2pm.",
    "parse.time_passed": "{time} on {day} has already passed. Give a time that is still ahead.",
    "parse.phrase_passed": "'{phrase}' has already passed. Give a time that is still ahead.",
    "parse.no_such_day": "There is no {day}. Check the date.",
    "parse.in_the_past": "{day} is in the past. Check the date.",
    "parse.day_or_month": (
        "'{phrase}' could be {first} or {second}: write the month as a word, e.g. {example}."
    ),
    "parse.no_time": "No time given: add one, e.g. Saturday 10am.",
    "parse.no_place": "No meeting point found: add one, e.g. 'meet at the park gate'.",
    "parse.no_title": "No clear title found: start with what you'll do, e.g. 'Beach clean'.",
    "parse.range": "Read '{low} to {high}' as {high} people needed.",
    "parse.assumed_time": (
        "No clock time given: I assumed {time} for '{phrase}'. Add a time if you meant another."
    ),
    "parse.several_dates": "Several dates are mentioned; I used {weekday} {day}.",
    "parse.next_year": "That date has passed this year, so I read it as {day}.",
    "parse.wrong_weekday": "{day} is a {weekday}, not a {written}: check the date.",
    "parse.next_week": "That time has already passed today, so I read it as next {weekday}, {day}.",
    # Web pages (adapters/web) and the organiser's private link.
    "announcement.page": "Page, live count and calendar",
    "organiser.dm_title": "Your organiser page for ",
    "organiser.dm_body": "Only you have this private link: it shows who is coming and downloads the list. ",
    "organiser.dm_open": "Open the organiser page",
    "organiser.dm_close": "To close this link, send ",
    "organiser.how": "Send /organiser CODE for a new private link to the organiser page, or /organiser CODE off to close every link to it.",
    "organiser.no_pages": "Gather has no web pages here, so there is no organiser page.",
    "organiser.not_yours": "Only the organiser or an admin can do that, with the code of a gathering.",
    "organiser.closed": "Every link to the organiser page of {code} is closed now.",
    "web.not_found": "Page not found",
    "web.not_found_body": "There is nothing at this address. Check the link you were given.",
    "web.too_many": "Too many requests. Wait a moment and try again.",
    "web.when": "When",
    "web.your_time": "In your time zone: {when}",
    "web.how_long": "How long",
    "web.where": "Where",
    "web.map": "Map (OpenStreetMap)",
    "web.coming": "Who's coming",
    "web.progress": "{going} of {target} needed",
    "web.places_left": {"one": "{n} place left.", "other": "{n} places left."},
    "web.full": "It's full: new joiners go on the waitlist.",
    "web.cancelled": "CANCELLED: this gathering will not take place.",
    "web.happened": "This gathering has happened.",
    "web.names": "Coming, among those who show their name:",
    "web.join": "Join",
    "web.join_telegram": "Join on Telegram",
    "web.join_discord": "Open the announcement on Discord",
    "web.join_mastodon": "Boost the post on Mastodon",
    "web.join_command": "Or send {command} in any chat of the community.",
    "web.calendar": "Add to your calendar",
    "web.calendar_file": "Calendar file (.ics)",
    "web.original": "As the organiser wrote it",
    "web.community": "Coming up in {community}",
    "web.community_none": "Nothing is planned yet.",
    "web.community_feed": "Subscribe to this calendar",
    "web.organiser_title": "Organiser's page: {title}",
    "web.pledgers": "Who has joined",
    "web.organiser_private": "This page is private: anyone with its address can see it. Do not share it.",
    "web.someone": "someone on {network}",
    "web.going": "Going",
    "web.waitlisted": "Waitlist",
    "web.csv": "Download the list (CSV)",
    "web.column_name": "Name",
    "web.column_network": "Network",
    "web.column_guests": "Guests",
    "web.column_state": "State",
    "web.column_since": "Since",
    "web.nobody": "Nobody yet.",
}
