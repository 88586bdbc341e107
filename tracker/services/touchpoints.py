"""Touchpoints: log, edit and delete contact with one or more people; the timelines."""

from dataclasses import dataclass, field
from datetime import date, time

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from tracker.models import Contact, Event, Touchpoint, touchpoint_contacts
from tracker.services import N_, ServiceError
from tracker.services.contacts import owned_contacts
from tracker.services.derived import refresh_contacts
from tracker.services.ownership import find_owned, owned
from tracker.services.pages import Page
from tracker.services.trash import trash_touchpoint
from tracker.vocabulary import INITIATORS, TOUCHPOINT_KINDS


@dataclass
class TouchpointData:
    occurred_on: date
    kind: str
    contact_ids: list[int] = field(default_factory=list)
    occurred_at: time | None = None
    summary: str = ""
    notes: str = ""
    initiated_by: str | None = None
    follow_up_on: date | None = None
    event_id: int | None = None


def get_touchpoint(session: Session, user_id: int, touchpoint_id: int) -> Touchpoint:
    """The user's touchpoint with this id (``NotFound`` for any other)."""
    return owned(session, Touchpoint, user_id, touchpoint_id)


def _apply(session: Session, touchpoint: Touchpoint, data: TouchpointData, today: date) -> None:
    if data.occurred_on > today:
        raise ServiceError(
            N_("A touchpoint records what happened: its date cannot be after today.")
        )
    if data.kind not in TOUCHPOINT_KINDS:
        raise ServiceError(N_("Choose a kind of touchpoint from the list."))
    if data.initiated_by is not None and data.initiated_by not in INITIATORS:
        raise ServiceError(N_("Choose who reached out from the list."))
    contacts = owned_contacts(session, touchpoint.user_id, data.contact_ids)
    if not contacts or len(contacts) != len(set(data.contact_ids)):
        raise ServiceError(N_("Choose at least one of your contacts."))
    if (
        data.event_id is not None
        and find_owned(session, Event, touchpoint.user_id, data.event_id) is None
    ):
        raise ServiceError(N_("That event does not exist."))
    touchpoint.occurred_on = data.occurred_on
    touchpoint.occurred_at = data.occurred_at
    touchpoint.kind = data.kind
    touchpoint.summary = data.summary.strip()
    touchpoint.notes = data.notes.strip()
    touchpoint.initiated_by = data.initiated_by
    touchpoint.follow_up_on = data.follow_up_on
    touchpoint.event_id = data.event_id
    touchpoint.contacts = contacts


def create_touchpoint(
    session: Session, user_id: int, data: TouchpointData, today: date
) -> Touchpoint:
    touchpoint = Touchpoint(user_id=user_id)
    _apply(session, touchpoint, data, today)
    session.add(touchpoint)
    refresh_contacts(session, data.contact_ids, today)
    return touchpoint


def update_touchpoint(
    session: Session, user_id: int, touchpoint_id: int, data: TouchpointData, today: date
) -> Touchpoint:
    """Save the user's touchpoint with these values (``NotFound`` for any other id)."""
    touchpoint = owned(session, Touchpoint, user_id, touchpoint_id)
    before = [contact.id for contact in touchpoint.contacts]
    _apply(session, touchpoint, data, today)
    refresh_contacts(session, [*before, *data.contact_ids], today)
    return touchpoint


def delete_touchpoint(session: Session, user_id: int, touchpoint_id: int, today: date) -> None:
    """Move the user's touchpoint to the trash."""
    touchpoint = owned(session, Touchpoint, user_id, touchpoint_id)
    contact_ids = [contact.id for contact in touchpoint.contacts]
    trash_touchpoint(session, touchpoint)
    session.delete(touchpoint)
    refresh_contacts(session, contact_ids, today)


def timeline(session: Session, contact: Contact, *, limit: int | None = None) -> list[Touchpoint]:
    """A contact's touchpoints, newest first (the newest ``limit``), with everyone involved."""
    stmt = (
        select(Touchpoint)
        .join(touchpoint_contacts, touchpoint_contacts.c.touchpoint_id == Touchpoint.id)
        .where(touchpoint_contacts.c.contact_id == contact.id)
        .options(selectinload(Touchpoint.contacts), joinedload(Touchpoint.event))
        .order_by(Touchpoint.occurred_on.desc(), Touchpoint.id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


def list_touchpoints(
    session: Session,
    user_id: int,
    *,
    contact_id: int | None = None,
    page: int = 1,
    per_page: int = 50,
) -> Page[Touchpoint]:
    """The user's touchpoints (one contact's, when given), newest first, a page at a time."""
    stmt = select(Touchpoint).where(Touchpoint.user_id == user_id)
    if contact_id is not None:
        stmt = stmt.where(
            Touchpoint.id.in_(
                select(touchpoint_contacts.c.touchpoint_id).where(
                    touchpoint_contacts.c.contact_id == contact_id
                )
            )
        )
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    page = max(1, page)
    items = session.scalars(
        stmt.options(selectinload(Touchpoint.contacts))
        .order_by(Touchpoint.occurred_on.desc(), Touchpoint.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return Page(items=list(items), number=page, per_page=per_page, total=total)
