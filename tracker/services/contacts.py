"""Contacts: create, update, tag, archive, delete, list and look up."""

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Select, delete, func, or_, select
from sqlalchemy.orm import Session, selectinload

from tracker import text
from tracker.models import (
    TAG_LEN,
    Contact,
    ContactMethod,
    Event,
    Tag,
    Touchpoint,
    touchpoint_contacts,
)
from tracker.services import N_, ServiceError
from tracker.services.pages import Page
from tracker.vocabulary import METHOD_KINDS, STAGES

MAX_TAGS = 30
SORTS = ("reading", "last_touch")
_TAG_SEPARATORS = re.compile(r"[,、，]")


@dataclass
class MethodData:
    kind: str
    value: str
    label: str = ""


@dataclass
class ContactData:
    family_name: str = ""
    given_name: str = ""
    family_reading: str = ""
    given_reading: str = ""
    company: str = ""
    department: str = ""
    title: str = ""
    expertise: str = ""
    notes: str = ""
    first_met_on: date | None = None
    origin_event_id: int | None = None
    introduced_by_id: int | None = None
    origin_note: str = ""
    stage: str = "card"
    methods: list[MethodData] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


def parse_tags(value: str) -> list[str]:
    """Split "a, b、c" into distinct tag names, keeping the first spelling of each."""
    names: dict[str, str] = {}
    for raw in _TAG_SEPARATORS.split(value):
        name = " ".join(raw.split())
        if name:
            names.setdefault(text.normalise(name), name)
    return list(names.values())


def owned(session: Session, model: type, user_id: int, object_id: int | None) -> object | None:
    """The row of ``model`` with this id if it belongs to the user, else None."""
    if object_id is None:
        return None
    row = session.get(model, object_id)
    return row if row is not None and row.user_id == user_id else None


def _check(session: Session, user_id: int, data: ContactData, contact: Contact | None) -> None:
    if not (data.family_name.strip() or data.given_name.strip()):
        raise ServiceError(N_("Enter a family name or a given name."))
    if data.stage not in STAGES:
        raise ServiceError(N_("Choose a stage from the list."))
    if (
        data.origin_event_id is not None
        and owned(session, Event, user_id, data.origin_event_id) is None
    ):
        raise ServiceError(N_("That event does not exist."))
    if data.introduced_by_id is not None:
        if owned(session, Contact, user_id, data.introduced_by_id) is None:
            raise ServiceError(N_("That contact does not exist."))
        if contact is not None and data.introduced_by_id == contact.id:
            raise ServiceError(N_("A contact cannot have introduced themselves."))
    if len(data.tags) > MAX_TAGS:
        raise ServiceError(N_("At most %(count)d tags."), count=MAX_TAGS)
    if any(len(name) > TAG_LEN for name in data.tags):
        raise ServiceError(N_("A tag has at most %(count)d characters."), count=TAG_LEN)
    if any(method.kind not in METHOD_KINDS for method in data.methods):
        raise ServiceError(N_("Choose a kind of contact method from the list."))


def tags_named(session: Session, user_id: int, names: list[str]) -> list[Tag]:
    """The user's tags with these names, creating the missing ones."""
    wanted = {text.normalise(name): name for name in names}
    if not wanted:
        return []
    existing = {
        text.normalise(tag.name): tag
        for tag in session.scalars(select(Tag).where(Tag.user_id == user_id))
    }
    tags = []
    for key, name in wanted.items():
        tag = existing.get(key)
        if tag is None:
            tag = Tag(user_id=user_id, name=name)
            session.add(tag)
            existing[key] = tag
        tags.append(tag)
    return tags


def _apply(session: Session, user_id: int, contact: Contact, data: ContactData) -> None:
    for name in (
        "family_name",
        "given_name",
        "family_reading",
        "given_reading",
        "company",
        "department",
        "title",
        "expertise",
        "notes",
        "origin_note",
    ):
        setattr(contact, name, getattr(data, name).strip())
    contact.first_met_on = data.first_met_on
    contact.origin_event_id = data.origin_event_id
    contact.introduced_by_id = data.introduced_by_id
    contact.stage = data.stage
    contact.methods = [
        ContactMethod(kind=m.kind, value=m.value.strip(), label=m.label.strip(), position=i)
        for i, m in enumerate(m for m in data.methods if m.value.strip())
    ]
    contact.tags = tags_named(session, user_id, data.tags)


def create_contact(session: Session, user_id: int, data: ContactData) -> Contact:
    _check(session, user_id, data, None)
    contact = Contact(user_id=user_id)
    _apply(session, user_id, contact, data)
    session.add(contact)
    session.flush()
    return contact


def update_contact(session: Session, contact: Contact, data: ContactData) -> Contact:
    _check(session, contact.user_id, data, contact)
    _apply(session, contact.user_id, contact, data)
    session.flush()
    return contact


def set_archived(session: Session, contact: Contact, archived: bool) -> None:
    contact.archived_at = datetime.now(UTC) if archived else None
    session.flush()


def delete_contact(session: Session, contact: Contact) -> None:
    """Delete a contact; touchpoints left with nobody are deleted with it."""
    touchpoint_ids = list(
        session.scalars(
            select(touchpoint_contacts.c.touchpoint_id).where(
                touchpoint_contacts.c.contact_id == contact.id
            )
        )
    )
    session.delete(contact)
    session.flush()
    delete_orphaned_touchpoints(session, touchpoint_ids)


def delete_orphaned_touchpoints(session: Session, touchpoint_ids: list[int]) -> None:
    """Delete those of these touchpoints that no longer involve any contact."""
    if not touchpoint_ids:
        return
    linked = select(touchpoint_contacts.c.touchpoint_id).where(
        touchpoint_contacts.c.touchpoint_id == Touchpoint.id
    )
    session.execute(
        delete(Touchpoint)
        .where(Touchpoint.id.in_(touchpoint_ids), ~linked.exists())
        .execution_options(synchronize_session=False)
    )


def search_filter(query: str) -> list:
    """WHERE clauses: every term of the query appears (in one of its spellings) in the key."""
    clauses = []
    for spellings in text.query_terms(query):
        clauses.append(or_(*(Contact.search_key.contains(s, autoescape=True) for s in spellings)))
    return clauses


def contacts_query(user_id: int, *, query: str = "", archived: bool = False) -> Select:
    stmt = select(Contact).where(Contact.user_id == user_id)
    stmt = stmt.where(
        Contact.archived_at.is_not(None) if archived else Contact.archived_at.is_(None)
    )
    return stmt.where(*search_filter(query))


def list_contacts(
    session: Session,
    user_id: int,
    *,
    query: str = "",
    sort: str = "reading",
    archived: bool = False,
    page: int = 1,
    per_page: int = 50,
) -> Page[Contact]:
    """One page of the user's contacts, searched and sorted."""
    stmt = contacts_query(user_id, query=query, archived=archived)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    order: list[Any] = [Contact.sort_key, Contact.id]
    if sort == "last_touch":
        order.insert(0, Contact.last_touch_on.desc().nulls_last())
    page = max(1, page)
    items = session.scalars(
        stmt.options(selectinload(Contact.tags))
        .order_by(*order)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return Page(items=list(items), number=page, per_page=per_page, total=total)


def lookup(session: Session, user_id: int, query: str, *, limit: int = 10) -> list[Contact]:
    """Active contacts matching a query, for pickers."""
    if not text.query_terms(query):
        return []
    stmt = contacts_query(user_id, query=query).order_by(Contact.sort_key, Contact.id).limit(limit)
    return list(session.scalars(stmt))


def owned_contacts(session: Session, user_id: int, ids: list[int]) -> list[Contact]:
    """Those of these contacts that belong to the user, in name order."""
    if not ids:
        return []
    stmt = (
        select(Contact)
        .where(Contact.user_id == user_id, Contact.id.in_(set(ids)))
        .order_by(Contact.sort_key, Contact.id)
    )
    return list(session.scalars(stmt))


def follow_ups_due(session: Session, user_id: int, until: date) -> list[Contact]:
    """Active contacts with a follow-up waiting on or before a date, soonest first."""
    stmt = (
        select(Contact)
        .where(
            Contact.user_id == user_id,
            Contact.archived_at.is_(None),
            Contact.follow_up_on.is_not(None),
            Contact.follow_up_on <= until,
        )
        .order_by(Contact.follow_up_on, Contact.sort_key)
    )
    return list(session.scalars(stmt))
