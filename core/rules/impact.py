"""What gatherings achieved: reports, the gathering that awaits one, and totals.

A gathering has ended at its end time, 2 hours after its start when it has none (as its
calendar entry says), and at the end of its last day when it is a whole-day one. Its people
are the reported number where the organiser gave one, otherwise the pledged count, marked
"pledged, not confirmed". Volunteer hours are people × duration, with 2 hours for a
gathering that has no end time (whole-day ones included: a day is not 24 hours of work).

`totals` sums over any set of gatherings: a community's, one gathering's, or a series'.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.parsing.impact_report import Count, ReportFigures, key
from core.storage.models import Gathering, Identity
from core.storage.reports import ImpactReport
from core.storage.statuses import GatheringStatus

ASSUMED_LENGTH = timedelta(hours=2)
# A plain DM is read as the answer to "how did it go?" for this long after the end.
ANSWER_WINDOW = timedelta(days=7)
# Longest gathering looked back over when finding the one that awaits a report.
LONGEST = timedelta(days=31)


def ended_at(gathering: Gathering) -> datetime:
    """When the gathering is over (see the module's docstring)."""
    return gathering.ends_at or gathering.starts_at + ASSUMED_LENGTH


def duration(gathering: Gathering) -> tuple[timedelta, bool]:
    """How long it lasted, and whether that is the 2 hours assumed for want of an end."""
    if gathering.ends_at is None or gathering.all_day:
        return ASSUMED_LENGTH, True
    return max(gathering.ends_at - gathering.starts_at, timedelta(0)), False


def report_of(session: Session, gathering_id: int) -> ImpactReport | None:
    return session.get(ImpactReport, gathering_id)


def things_of(report: ImpactReport | None) -> list[tuple[str, Count]]:
    if report is None:
        return []
    return [(str(noun), _count(count)) for noun, count in json.loads(report.things or "[]")]


def _count(stored: object) -> Count:
    """32 stays whole; 3.5 (tonnes) keeps its fraction."""
    value = float(str(stored))
    return int(value) if value.is_integer() else value


def record(
    session: Session, gathering: Gathering, figures: ReportFigures, person_id: int, now: datetime
) -> ImpactReport:
    """Store what a report says; a later report replaces an earlier one whole."""
    report = report_of(session, gathering.id)
    if report is None:
        report = ImpactReport(gathering_id=gathering.id, reported_at=now)
        session.add(report)
    report.people = figures.people
    report.things = json.dumps([list(thing) for thing in figures.things], ensure_ascii=False)
    report.reported_by = person_id
    report.reported_at = now
    return report


def awaiting_report(session: Session, person_id: int, now: datetime) -> Gathering | None:
    """The latest gathering this person organised that has ended, within the answer window,
    not cancelled and with no report yet: what a plain DM from them reports on."""
    candidates = session.scalars(
        select(Gathering)
        .outerjoin(ImpactReport, ImpactReport.gathering_id == Gathering.id)
        .where(
            Gathering.organiser_id == person_id,
            Gathering.status == GatheringStatus.OPEN,
            Gathering.starts_at <= now,
            Gathering.starts_at > now - ANSWER_WINDOW - LONGEST,
            ImpactReport.gathering_id.is_(None),
        )
        .order_by(Gathering.starts_at.desc())
    )
    for gathering in candidates:
        if ended_at(gathering) <= now < ended_at(gathering) + ANSWER_WINDOW:
            return gathering
    return None


def report_awaited_from(session: Session, network: str, native_id: str, now: datetime) -> bool:
    """Whether this account's person has an ended gathering awaiting a report."""
    person_id = session.scalar(
        select(Identity.person_id).where(
            Identity.network == network, Identity.native_id == native_id
        )
    )
    return person_id is not None and awaiting_report(session, person_id, now) is not None


@dataclass
class Totals:
    """What a set of gatherings achieved, with nobody's name in it."""

    gatherings: int = 0
    people: int = 0
    # Of `people`, those only pledged (no report said how many came).
    unconfirmed: int = 0
    hours: float = 0.0
    # Some gathering had no end time: its hours count 2 hours each.
    hours_assumed: bool = False
    # key -> (the noun as shown, count); the form written with the largest count is shown.
    things: dict[str, tuple[str, Count]] = field(default_factory=dict)

    def add(self, gathering: Gathering, report: ImpactReport | None) -> None:
        self.gatherings += 1
        if report is not None and report.people is not None:
            people = report.people
        else:
            people = gathering.headcount
            self.unconfirmed += people
        self.people += people
        length, assumed = duration(gathering)
        self.hours += people * length.total_seconds() / 3600
        self.hours_assumed = self.hours_assumed or (assumed and people > 0)
        for noun, count in things_of(report):
            shown, total = self.things.get(key(noun), (noun, 0))
            if count > total:
                shown = noun
            self.things[key(noun)] = (shown, round(total + count, 3))

    def counted(self) -> list[tuple[str, Count]]:
        """Counted things, most first."""
        return sorted(self.things.values(), key=lambda thing: (-thing[1], thing[0].lower()))


def held(
    session: Session, gatherings: Iterable[Gathering], now: datetime, since: datetime | None = None
) -> Totals:
    """Totals over `gatherings` that were held (not cancelled, ended by `now`), from `since`."""
    chosen = [
        g
        for g in gatherings
        if g.status == GatheringStatus.OPEN
        and ended_at(g) <= now
        and (since is None or g.starts_at >= since)
    ]
    reports = {
        r.gathering_id: r
        for r in session.scalars(
            select(ImpactReport).where(ImpactReport.gathering_id.in_([g.id for g in chosen]))
        )
    } if chosen else {}
    totals = Totals()
    for gathering in chosen:
        totals.add(gathering, reports.get(gathering.id))
    return totals


def community_gatherings(session: Session, community: str, now: datetime) -> list[Gathering]:
    return list(
        session.scalars(
            select(Gathering).where(
                Gathering.community == community,
                Gathering.status == GatheringStatus.OPEN,
                Gathering.starts_at <= now,
            )
        )
    )


def forget_reporter(session: Session, person_id: int) -> None:
    """/forget: the reports stay as anonymous figures, no longer linked to the person."""
    for report in session.scalars(select(ImpactReport).where(ImpactReport.reported_by == person_id)):
        report.reported_by = None
