"""Places that suit you: for each place (a series of events, an event of its own) and each
introducer, how many people were met there, how far they came, and how many referrals they
have given and received."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Integer, case, func, select
from sqlalchemy.orm import Session

from tracker.models import Contact, Event
from tracker.services.sql.stages import stage_rank
from tracker.text import display_name

SORTS = ("best", "people", "acquaintance", "trusted", "collaborator", "rate", "referrals")
# The counts of a place, in the order the queries return them.
PEOPLE, ACQUAINTANCE, TRUSTED, COLLABORATOR, GIVEN, RECEIVED = range(6)


@dataclass(frozen=True)
class Place:
    kind: str  # series, event or introducer
    id: int | None  # the event's or the introducer's (None for a series)
    name: str
    detail: str  # an introducer's company
    people: int
    acquaintance: int  # reached acquaintance or further
    trusted: int
    collaborator: int
    given: int  # referrals I gave to the people met there
    received: int  # referrals they gave me
    events: int = 0  # how many events the place holds (a series: all of them)
    last_held_on: date | None = None  # a series: its latest event; an event: its date

    def share(self, count: int) -> int:
        """A count as a whole percentage of the people met."""
        return round(100 * count / self.people) if self.people else 0


# What a place is ranked by, for each sort, from its counts (most first).
_KEYS: dict[str, Callable[[list[int]], tuple[Any, ...]]] = {
    "best": lambda c: (
        c[COLLABORATOR],
        c[TRUSTED],
        c[GIVEN] + c[RECEIVED],
        c[ACQUAINTANCE],
        c[PEOPLE],
    ),
    "people": lambda c: (c[PEOPLE],),
    "acquaintance": lambda c: (c[ACQUAINTANCE], c[PEOPLE]),
    "trusted": lambda c: (c[TRUSTED], c[PEOPLE]),
    "collaborator": lambda c: (c[COLLABORATOR], c[PEOPLE]),
    "rate": lambda c: (
        c[COLLABORATOR] / c[PEOPLE] if c[PEOPLE] else 0,
        c[TRUSTED] / max(c[PEOPLE], 1),
    ),
    "referrals": lambda c: (c[GIVEN] + c[RECEIVED], c[COLLABORATOR]),
}


def _count_columns(counted: Any) -> list[Any]:
    """The count columns of a _counted_by subquery, in the order of PEOPLE … RECEIVED."""
    names = ("people", "acquaintance", "trusted", "collaborator", "given", "received")
    return [counted.c[name] for name in names]


def _reached(rank: int) -> Any:
    return func.sum(case((stage_rank() >= rank, 1), else_=0)).cast(Integer)


def _counted_by(column: Any, user_id: int) -> Any:
    """The user's contacts counted per value of a column (their event, their introducer):
    how many, how far they came, the referrals they gave and received. An index covers
    every column read, so no contact row is read."""
    return (
        select(
            column.label("key"),
            func.count().label("people"),
            _reached(1).label("acquaintance"),
            _reached(2).label("trusted"),
            _reached(3).label("collaborator"),
            func.sum(Contact.referrals_given).cast(Integer).label("given"),
            func.sum(Contact.referrals_received).cast(Integer).label("received"),
        )
        .where(Contact.user_id == user_id, column.is_not(None))
        .group_by(column)
        .subquery()
    )


# A place while it is ranked: (kind, its counts, its name, the row that names it).
Ranked = tuple[str, list[int], str, Any]


def _event_places(session: Session, user_id: int) -> list[Ranked]:
    """Each series, and each event of its own, that brought someone: a series adds up its
    events."""
    counted = _counted_by(Contact.origin_event_id, user_id)
    events: list[Ranked] = []
    series: dict[str, Ranked] = {}
    # Counts are read by position: a thousand rows of named lookups cost more than the SQL.
    for row in session.execute(
        select(Event.id, Event.name, Event.series, Event.held_on, *_count_columns(counted))
        .join(counted, counted.c.key == Event.id)
        .where(Event.user_id == user_id)
    ):
        counts = list(row[4:])
        if not row[2]:
            events.append(("event", counts, row[1], row))
        elif row[2] in series:
            total = series[row[2]][1]
            for index, count in enumerate(counts):
                total[index] += count
        else:
            series[row[2]] = ("series", counts, row[2], row)
    return events + list(series.values())


def _series_events(session: Session, user_id: int) -> dict[str, tuple[int, date | None]]:
    """How many events each series holds, and its latest."""
    rows = session.execute(
        select(Event.series, func.count(), func.max(Event.held_on))
        .where(Event.user_id == user_id, Event.series != "")
        .group_by(Event.series)
    )
    return {series: (count, _day(last)) for series, count, last in rows}


def _day(value: date | str | None) -> date | None:
    """A date as SQLite returns an aggregate of dates (text) or PostgreSQL does (a date)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def _introducers(session: Session, user_id: int) -> list[Ranked]:
    """Each introducer who brought someone."""
    counted = _counted_by(Contact.introduced_by_id, user_id)
    introducer = Contact.__table__.alias("introducer")
    rows = session.execute(
        select(
            introducer.c.id,
            introducer.c.family_name,
            introducer.c.given_name,
            introducer.c.company,
            *_count_columns(counted),
        )
        .join(counted, counted.c.key == introducer.c.id)
        .where(introducer.c.user_id == user_id)
    )
    return [("introducer", list(row[4:]), display_name(row[1], row[2]), row) for row in rows]


def _place(item: Ranked, series: dict[str, Any]) -> Place:
    """The place a ranked row stands for, as the report shows it."""
    kind, counts, name, row = item
    people, acquaintance, trusted, collaborator, given, received = counts
    if kind == "introducer":
        place_id, detail, events, last = row.id, row.company, 0, None
    elif kind == "series":
        place_id, detail = None, ""
        events, last = series.get(row.series, (0, None))
    else:
        # The date goes out as a date, for the page to write in the reader's language.
        place_id, detail, events, last = row.id, "", 1, row.held_on
    return Place(
        kind,
        place_id,
        name,
        detail,
        people,
        acquaintance,
        trusted,
        collaborator,
        given,
        received,
        events,
        last,
    )


def places(
    session: Session, user_id: int, sort: str = "best", limit: int | None = None
) -> tuple[list[Place], int]:
    """The best places and introducers (the first ``limit``, or all), and how many there are.

    Ranked on their counts alone; only the places returned are made whole.
    """
    found = _event_places(session, user_id) + _introducers(session, user_id)
    rank = _KEYS[sort if sort in SORTS else "best"]
    found.sort(key=lambda item: (rank(item[1]), item[2]), reverse=True)
    series = _series_events(session, user_id)
    shown = found if limit is None else found[:limit]
    return [_place(item, series) for item in shown], len(found)
