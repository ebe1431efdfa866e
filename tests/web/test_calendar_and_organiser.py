"""Calendar files read by an independent parser, and the organiser's private page."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import ics

from core.contract.messages import Message
from tests.web.conftest import Site
from tests.web.test_pages import GATHER, start


def event_of(text: str) -> ics.Event:
    calendar = ics.Calendar(text)
    (event,) = calendar.events
    return event


def field(text: str, name: str) -> str:
    match = re.search(rf"^{name}:(.*)$", text, re.MULTILINE)
    assert match, f"no {name} in {text}"
    return match.group(1).strip()


async def test_the_calendar_file_imports_the_right_instant_in_three_zones(site: Site) -> None:
    code = start(site, "/gather Beach clean at Portobello beach, Saturday 10am to 12pm")
    status, text, headers = await site.get(f"/g/{code}.ics")
    assert status == 200 and headers["Content-Type"].startswith("text/calendar")
    event = event_of(text)
    assert event.name == "Beach clean" and event.location == "Portobello beach"
    begin = event.begin.datetime
    expected = datetime(2026, 11, 21, 10, 0, tzinfo=ZoneInfo("Europe/London"))
    assert begin == expected
    for zone, local in (("America/New_York", 5), ("Asia/Tokyo", 19), ("Europe/Berlin", 11)):
        assert begin.astimezone(ZoneInfo(zone)).hour == local
    assert (event.end.datetime - begin).total_seconds() == 2 * 3600
    assert field(text, "SEQUENCE") == "1" and field(text, "STATUS") == "CONFIRMED"
    assert field(text, "UID") == f"{code}@gather"


async def test_a_change_raises_the_sequence_and_a_cancellation_cancels(site: Site) -> None:
    code = start(site)
    site.chat.say("alice", f"/edit {code} when Saturday 11am")
    _, text, _ = await site.get(f"/g/{code}.ics")
    assert int(field(text, "SEQUENCE")) == 2
    assert event_of(text).begin.datetime.astimezone(ZoneInfo("Europe/London")).hour == 11
    site.chat.say("alice", f"/cancel {code}")
    _, text, _ = await site.get(f"/g/{code}.ics")
    assert field(text, "STATUS") == "CANCELLED" and field(text, "METHOD") == "CANCEL"
    assert int(field(text, "SEQUENCE")) > 2


async def test_the_community_feed_holds_every_coming_gathering(site: Site) -> None:
    codes = {start(site), start(site, "/gather Litter pick at the park, Sunday 2pm")}
    status, text, _ = await site.get("/c/portobello.ics")
    assert status == 200
    calendar = ics.Calendar(text)
    assert {e.uid for e in calendar.events} == {f"{code}@gather" for code in codes}


def organiser_link(site: Site) -> str:
    dms = [d for d in site.chat.deliver("console") if d.purpose == "organiser_link"]
    assert len(dms) == 1 and dms[0].recipient is not None
    assert dms[0].recipient.native_id == "alice"
    return link_in(dms[0].message)


def link_in(message: Message) -> str:
    (target,) = [s.target for p in message.paragraphs for s in p if s.style == "link"]
    assert target is not None
    return target


async def test_the_organiser_gets_a_private_page_by_dm(site: Site) -> None:
    code = start(site)
    link = organiser_link(site)
    assert link.startswith(f"{site.url}/o/") and len(link.rsplit("/", 1)[1]) >= 30
    site.chat.say("bob", "/settings names on")
    site.chat.say("bob", f"/join {code} +2")
    site.chat.say("telegram:dave", f"/join {code}", room="telegram:-100200")
    status, body, headers = await site.get(link.removeprefix(site.url))
    assert status == 200
    assert headers["Cache-Control"] == "no-store" and "noindex" in headers["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex, nofollow">' in body
    assert "<td>Bob</td>" in body and "<td>someone on Telegram</td>" in body
    assert "<td>someone on Console</td>" in body  # alice never allowed her name
    status, sheet, headers = await site.get(link.removeprefix(site.url) + ".csv")
    assert status == 200 and headers["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(sheet)))
    assert rows[0] == ["Name", "Network", "Guests", "State", "Since"]
    assert rows[2][:4] == ["Bob", "Console", "2", "Going"]


async def test_a_spreadsheet_formula_in_a_name_stays_text(site: Site) -> None:
    code = start(site)
    link = organiser_link(site)
    site.chat.say("=cmd", "/settings names on")
    site.chat.say("=cmd", f"/join {code}")
    _, sheet, _ = await site.get(link.removeprefix(site.url) + ".csv")
    assert all(not row[0].startswith("=") for row in csv.reader(io.StringIO(sheet)))


async def test_the_organiser_link_can_be_renewed_and_closed(site: Site) -> None:
    code = start(site)
    first = organiser_link(site)
    renewed = site.chat.say("alice", f"/organiser {code}")
    assert renewed.ok and renewed.private
    second = link_in(renewed.message) if renewed.message else ""
    assert (await site.get(first.removeprefix(site.url)))[0] == 404
    assert (await site.get(second.removeprefix(site.url)))[0] == 200
    refused = site.chat.say("mallory", f"/organiser {code}")
    assert not refused.ok
    assert site.chat.say("alice", f"/organiser {code} off").ok
    assert (await site.get(second.removeprefix(site.url)))[0] == 404
    assert (await site.get("/o/" + "A" * 32))[0] == 404


async def test_a_telegram_deep_link_from_the_page_joins(site: Site) -> None:
    code = start(site, GATHER)
    reply = site.chat.say("telegram:erin", f"/start join-{code}", room="telegram:77", private=True)
    assert reply.ok and reply.gathering_code == code
    count = site.gather.pages.count(code)
    assert count is not None and count[1].going == 2


async def test_whole_days_are_dates_in_the_calendar_file_and_the_page_links(site: Site) -> None:
    code = start(site, "/gather Hedge planting 28-29 November at the allotments")
    _, text, _ = await site.get(f"/g/{code}.ics")
    assert field(text, "DTSTART;VALUE=DATE") == "20261128"
    assert field(text, "DTEND;VALUE=DATE") == "20261130"
    _, page, _ = await site.get(f"/g/{code}")
    assert "dates=20261128%2F20261130" in page and "allday=true" in page
    assert "(all day)" in page


async def test_a_whole_day_today_stays_in_the_community_feed_all_day(site: Site) -> None:
    code = start(site, "/gather Hedge planting today at the allotments")
    _, text, _ = await site.get("/c/portobello.ics")
    assert f"{code}@gather" in text
