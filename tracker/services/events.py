"""Events: the places where people are met."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Subquery, func, or_, select
from sqlalchemy.orm import Session

from tracker.models import Contact, Event, Touchpoint, touchpoint_contacts
from tracker.series import suggest_series
from tracker.services import N_, ServiceError
from tracker.services.ownership import find_owned, owned
from tracker.vocabulary import EVENT_KINDS


@dataclass
class EventData:
    name: str
    kind: str = "networking"
    held_on: date | None = None
    place: str = ""
    notes: str = ""
    series: str = ""  # the series it belongs to ("" for an event of its own)


def get_event(session: Session, user_id: int, event_id: int) -> Event:
    """The user's event with this id (``NotFound`` for any other)."""
    return owned(session, Event, user_id, event_id)


def _apply(event: Event, data: EventData) -> None:
    if not data.name.strip():
        raise ServiceError(N_("Enter the event's name."))
    if data.kind not in EVENT_KINDS:
        raise ServiceError(N_("Choose a kind of event from the list."))
    event.name = data.name.strip()
    event.kind = data.kind
    event.held_on = data.held_on
    event.place = data.place.strip()
    event.notes = data.notes.strip()
    event.series = " ".join(data.series.split())


def create_event(session: Session, user_id: int, data: EventData) -> Event:
    event = Event(user_id=user_id)
    _apply(event, data)
    session.add(event)
    session.flush()
    return event


def update_event(session: Session, user_id: int, event_id: int, data: EventData) -> Event:
    """Save the user's event with these values (``NotFound`` for any other id)."""
    event = owned(session, Event, user_id, event_id)
    _apply(event, data)
    session.flush()
    return event


def delete_event(session: Session, user_id: int, event_id: int) -> None:
    """Delete an event; contacts and touchpoints keep everything but the link to it."""
    session.delete(owned(session, Event, user_id, event_id))
    session.flush()


def find_or_create(session: Session, user_id: int, name: str, held_on: date | None) -> Event:
    """The user's event with this name (the one on this date if several), or a new one."""
    candidates = list(
        session.scalars(
            select(Event)
            .where(Event.user_id == user_id, Event.name == name.strip())
            .order_by(Event.id)
        )
    )
    same_day = [event for event in candidates if event.held_on == held_on]
    if same_day or candidates:
        return (same_day or candidates)[0]
    return create_event(session, user_id, EventData(name=name, held_on=held_on))


def list_events(
    session: Session, user_id: int, series: str | None = None
) -> list[tuple[Event, int]]:
    """The user's events (of one series, if given), newest first, each with the number of
    people met there."""
    met = met_at_events(user_id)
    stmt = (
        select(Event, func.count(func.distinct(met.c.contact_id)))
        .outerjoin(met, met.c.event_id == Event.id)
        .where(Event.user_id == user_id)
        .group_by(Event.id)
        .order_by(Event.held_on.desc().nulls_last(), Event.id.desc())
    )
    if series is not None:
        stmt = stmt.where(Event.series == series)
    return [(event, count) for event, count in session.execute(stmt)]


def ungrouped_series(session: Session, user_id: int) -> list[tuple[str, int]]:
    """Series that events of no series seem to belong to, with how many: the suggestion
    from their names, where two or more share it (or it names a series already)."""
    found: dict[str, int] = {}
    for name in session.scalars(
        select(Event.name).where(Event.user_id == user_id, Event.series == "")
    ):
        suggestion = suggest_series(name)
        if suggestion:
            found[suggestion] = found.get(suggestion, 0) + 1
    existing = set(series_names(session, user_id))
    return sorted(
        ((name, count) for name, count in found.items() if count > 1 or name in existing),
        key=lambda item: (-item[1], item[0]),
    )


def group_series(session: Session, user_id: int, series: str) -> int:
    """Put the user's events of no series whose name suggests this one into it; returns how
    many (a series set by hand is left as it is)."""
    events = session.scalars(select(Event).where(Event.user_id == user_id, Event.series == ""))
    grouped = [event for event in events if series and suggest_series(event.name) == series]
    for event in grouped:
        event.series = series
    session.flush()
    return len(grouped)


def series_names(session: Session, user_id: int) -> list[str]:
    """The series the user's events belong to, by name."""
    stmt = (
        select(Event.series)
        .where(Event.user_id == user_id, Event.series != "")
        .distinct()
        .order_by(Event.series)
    )
    return list(session.scalars(stmt))


def met_at_events(user_id: int) -> Subquery:
    """(event_id, contact_id) for everyone met at an event: by origin or by a touchpoint there."""
    by_origin = select(
        Contact.origin_event_id.label("event_id"), Contact.id.label("contact_id")
    ).where(Contact.user_id == user_id, Contact.origin_event_id.is_not(None))
    by_touchpoint = (
        select(Touchpoint.event_id.label("event_id"), touchpoint_contacts.c.contact_id)
        .join(touchpoint_contacts, touchpoint_contacts.c.touchpoint_id == Touchpoint.id)
        .where(Touchpoint.user_id == user_id, Touchpoint.event_id.is_not(None))
    )
    return by_origin.union(by_touchpoint).subquery("met_at_event")


def people_met(session: Session, event: Event) -> list[Contact]:
    """The contacts met at an event, in name order."""
    stmt = (
        select(Contact)
        .where(
            Contact.user_id == event.user_id,
            or_(
                Contact.origin_event_id == event.id,
                Contact.id.in_(
                    select(touchpoint_contacts.c.contact_id)
                    .join(Touchpoint, Touchpoint.id == touchpoint_contacts.c.touchpoint_id)
                    .where(Touchpoint.event_id == event.id)
                ),
            ),
        )
        .order_by(Contact.sort_key, Contact.id)
    )
    return list(session.scalars(stmt))


def event_names(session: Session, user_id: int, *, limit: int = 50) -> list[tuple[int, str]]:
    """(id, name) of the user's recent events, newest first: for a select box."""
    stmt = (
        select(Event.id, Event.name)
        .where(Event.user_id == user_id)
        .order_by(Event.held_on.desc().nulls_last(), Event.id.desc())
        .limit(limit)
    )
    return [(row.id, row.name) for row in session.execute(stmt)]


def recent_events(session: Session, user_id: int, *, limit: int = 50) -> list[Event]:
    stmt = (
        select(Event)
        .where(Event.user_id == user_id)
        .order_by(Event.held_on.desc().nulls_last(), Event.id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


def events_to_pick(session: Session, user_id: int, selected: int | None) -> list[Event]:
    """The recent events for an event select, and the selected one if it is older."""
    events = recent_events(session, user_id)
    if selected is not None and all(event.id != selected for event in events):
        extra = find_owned(session, Event, user_id, selected)
        if extra is not None:
            events.append(extra)
    return events
