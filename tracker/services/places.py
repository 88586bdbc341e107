"""Places that suit you: for each place (a series of events, an event of its own) and each
introducer, how many people were met there, how far they came, and how many referrals they
have given and received."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Integer, case, func, select
from sqlalchemy.orm import Session

from tracker.models import Contact, Event
from tracker.services.sql.stages import stage_rank
from tracker.text import display_name

SORTS = ("best", "people", "acquaintance", "trusted", "collaborator", "rate", "referrals")


@dataclass
class Place:
    kind: str  # series, event or introducer
    id: int | None  # the event's or the introducer's (None for a series)
    name: str
    detail: str  # an event's date, or an introducer's company
    people: int = 0
    acquaintance: int = 0  # reached acquaintance or further
    trusted: int = 0
    collaborator: int = 0
    given: int = 0  # referrals I gave to the people met there
    received: int = 0  # referrals they gave me
    events: int = 0  # how many events the place holds (a series: all of them)
    last_held_on: date | None = None  # a series: its latest event
    sort_keys: dict[str, tuple[Any, ...]] = field(default_factory=dict, compare=False)

    def share(self, count: int) -> int:
        """A count as a whole percentage of the people met."""
        return round(100 * count / self.people) if self.people else 0

    def add(self, counts: Iterable[int]) -> None:
        """Add the people met at one more event (or by one introducer) and how far they came."""
        people, acquaintance, trusted, collaborator, given, received = counts
        self.people += people
        self.acquaintance += acquaintance
        self.trusted += trusted
        self.collaborator += collaborator
        self.given += given
        self.received += received

    def rank(self) -> None:
        """Work out the keys each sort orders by."""
        referrals = self.given + self.received
        self.sort_keys = {
            "best": (self.collaborator, self.trusted, referrals, self.acquaintance, self.people),
            "people": (self.people,),
            "acquaintance": (self.acquaintance, self.people),
            "trusted": (self.trusted, self.people),
            "collaborator": (self.collaborator, self.people),
            "rate": (
                self.collaborator / self.people if self.people else 0,
                self.trusted / max(self.people, 1),
            ),
            "referrals": (referrals, self.collaborator),
        }


def _reached(rank: int) -> Any:
    return func.sum(case((stage_rank() >= rank, 1), else_=0)).cast(Integer)


# What each place's people add up to: read from the stored stage and referral counts.
_COUNTS = (
    func.count(Contact.id),
    _reached(1),
    _reached(2),
    _reached(3),
    func.sum(Contact.referrals_given).cast(Integer),
    func.sum(Contact.referrals_received).cast(Integer),
)


def _event_places(session: Session, user_id: int) -> list[Place]:
    """One place per series, and one per event of its own, that brought someone."""
    found: dict[Any, Place] = {}
    rows = session.execute(
        select(Event.id, Event.name, Event.series, Event.held_on, *_COUNTS)
        .join(Contact, Contact.origin_event_id == Event.id)
        .where(Event.user_id == user_id)
        .group_by(Event.id, Event.name, Event.series, Event.held_on)
    )
    for event_id, name, series, held_on, *counts in rows:
        if series:
            place = found.setdefault(series, Place("series", None, series, ""))
        else:
            detail = held_on.isoformat() if held_on else ""
            place = found.setdefault(event_id, Place("event", event_id, name, detail, events=1))
        place.add(count or 0 for count in counts)
    for series, events, last in session.execute(
        select(Event.series, func.count(), func.max(Event.held_on))
        .where(Event.user_id == user_id, Event.series != "")
        .group_by(Event.series)
    ):
        if series in found:
            found[series].events = events
            found[series].last_held_on = _day(last)
    return list(found.values())


def _day(value: date | str | None) -> date | None:
    """A date as SQLite returns an aggregate of dates (text) or PostgreSQL does (a date)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def _introducers(session: Session, user_id: int) -> list[Place]:
    """One place per introducer who brought someone."""
    introducer = Contact.__table__.alias("introducer")
    rows = session.execute(
        select(
            introducer.c.id,
            introducer.c.family_name,
            introducer.c.given_name,
            introducer.c.company,
            *_COUNTS,
        )
        .join(Contact, Contact.introduced_by_id == introducer.c.id)
        .where(introducer.c.user_id == user_id)
        .group_by(
            introducer.c.id, introducer.c.family_name, introducer.c.given_name, introducer.c.company
        )
    )
    found = []
    for contact_id, family, given_name, company, *counts in rows:
        place = Place("introducer", contact_id, display_name(family, given_name), company)
        place.add(count or 0 for count in counts)
        found.append(place)
    return found


def places(session: Session, user_id: int, sort: str = "best") -> list[Place]:
    """Every place and introducer that brought at least one person, best first."""
    found = _event_places(session, user_id) + _introducers(session, user_id)
    key = sort if sort in SORTS else "best"
    for place in found:
        place.rank()
    found.sort(key=lambda place: (place.sort_keys[key], place.name), reverse=True)
    return found
