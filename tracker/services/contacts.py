"""Contacts: create, update, tag, archive, delete, list and look up."""

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, delete, func, or_, select, union
from sqlalchemy.orm import Session, defer, joinedload, selectinload

from tracker import fields, text
from tracker.method_values import EMAIL_TERM, normal_email, normal_value, searched_digits
from tracker.models import (
    TAG_LEN,
    CardImage,
    Contact,
    ContactMethod,
    Event,
    Referral,
    Tag,
    Touchpoint,
    contact_tags,
    touchpoint_contacts,
)
from tracker.relationships import WARMTHS, parse_cadence
from tracker.services import N_, ServiceError, sql
from tracker.services.derived import refresh_contacts
from tracker.services.ownership import NotFound, belongs, find_owned, owned
from tracker.services.pages import Page
from tracker.services.sql.cold_list import cold_order, faded, on_cold_list
from tracker.services.sql.follow_ups import follow_up_due, met_on, waiting_for_first_follow_up
from tracker.services.sql.warmth import warmth_clause
from tracker.services.tags import tags_named
from tracker.services.trash import trash_contacts
from tracker.vocabulary import METHOD_KINDS, STAGES

MAX_TAGS = 30
SORTS = ("reading", "last_touch", "strength", "overdue", "due")
_TAG_SEPARATORS = re.compile(r"[,、，]")


@dataclass
class MethodData:
    kind: str
    value: str
    label: str = ""


@dataclass
class ContactData(fields.ContactFields):
    """A contact as a form gives it: its fields (those marked editable are written), where
    they were met, its stage and cadence, methods and tags."""

    origin_event_id: int | None = None
    introduced_by_id: int | None = None
    origin_note: str = ""
    stage: str = "card"
    cadence: str = ""
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


def get_contact(session: Session, user_id: int, contact_id: int) -> Contact:
    """The user's contact with this id (``NotFound`` for any other)."""
    return owned(session, Contact, user_id, contact_id)


def find_contact(session: Session, user_id: int, contact_id: int | None) -> Contact | None:
    """The user's contact with this id, else None (a filter naming nobody of theirs)."""
    return find_owned(session, Contact, user_id, contact_id)


def _check(session: Session, user_id: int, data: ContactData, contact: Contact | None) -> None:
    if not (data.family_name.strip() or data.given_name.strip()):
        raise ServiceError(N_("Enter a family name or a given name."))
    if data.stage not in STAGES:
        raise ServiceError(N_("Choose a stage from the list."))
    if (
        data.origin_event_id is not None
        and find_owned(session, Event, user_id, data.origin_event_id) is None
    ):
        raise ServiceError(N_("That event does not exist."))
    if data.introduced_by_id is not None:
        if find_owned(session, Contact, user_id, data.introduced_by_id) is None:
            raise ServiceError(N_("That contact does not exist."))
        if contact is not None and data.introduced_by_id == contact.id:
            raise ServiceError(N_("A contact cannot have introduced themselves."))
    if len(data.tags) > MAX_TAGS:
        raise ServiceError(N_("At most %(count)d tags."), count=MAX_TAGS)
    if any(len(name) > TAG_LEN for name in data.tags):
        raise ServiceError(N_("A tag has at most %(count)d characters."), count=TAG_LEN)
    if any(method.kind not in METHOD_KINDS for method in data.methods):
        raise ServiceError(N_("Choose a kind of contact method from the list."))
    check_cadence(data.cadence)


def check_cadence(phrase: str | None) -> None:
    """Refuse a cadence phrase the rules cannot read."""
    if phrase and phrase.strip():
        try:
            parse_cadence(phrase)
        except ValueError as error:
            raise ServiceError(
                N_("Write the cadence as, for example, 2w, monthly, every 3 months or 毎月.")
            ) from error


def _apply(session: Session, user_id: int, contact: Contact, data: ContactData) -> None:
    for name, value in fields.values(data, fields.EDITABLE).items():
        setattr(contact, name, value.strip() if isinstance(value, str) else value)
    contact.origin_event_id = data.origin_event_id
    contact.introduced_by_id = data.introduced_by_id
    contact.stage = data.stage
    contact.cadence = data.cadence.strip() or None
    values = [(m, normal_value(m.kind, m.value)) for m in data.methods]
    contact.methods = [
        ContactMethod(kind=m.kind, value=value, label=m.label.strip(), position=i)
        for i, (m, value) in enumerate(pair for pair in values if pair[1])
    ]
    contact.tags = tags_named(session, user_id, data.tags)


def contact_data(contact: Contact) -> ContactData:
    """A contact's current values, to change some of them and save the rest unchanged."""
    return ContactData(
        **fields.values(contact),
        origin_event_id=contact.origin_event_id,
        introduced_by_id=contact.introduced_by_id,
        stage=contact.stage,
        cadence=contact.cadence or "",
        methods=[MethodData(m.kind, m.value, m.label) for m in contact.methods],
        tags=[tag.name for tag in contact.tags],
    )


def create_contact(session: Session, user_id: int, data: ContactData, today: date) -> Contact:
    _check(session, user_id, data, None)
    contact = Contact(user_id=user_id)
    _apply(session, user_id, contact, data)
    session.add(contact)
    session.flush()
    refresh_contacts(session, [contact.id], today)
    return contact


def update_contact(
    session: Session, user_id: int, contact_id: int, data: ContactData, today: date
) -> Contact:
    """Save the user's contact with these values (``NotFound`` for any other id)."""
    contact = get_contact(session, user_id, contact_id)
    _check(session, user_id, data, contact)
    _apply(session, user_id, contact, data)
    refresh_contacts(session, [contact.id], today)
    return contact


def set_stage(session: Session, user_id: int, contact_id: int, stage: str, today: date) -> Contact:
    """Set the trust stage (a promotion, say); the cadence and warmth follow it."""
    if stage not in STAGES:
        raise ServiceError(N_("Choose a stage from the list."))
    contact = get_contact(session, user_id, contact_id)
    contact.stage = stage
    refresh_contacts(session, [contact.id], today)
    return contact


def set_cadence(session: Session, user_id: int, contact_id: int, phrase: str, today: date) -> None:
    """Give the contact a cadence of its own ("" goes back to its tags' or stage's)."""
    check_cadence(phrase)
    contact = get_contact(session, user_id, contact_id)
    contact.cadence = phrase.strip() or None
    refresh_contacts(session, [contact.id], today)


def snooze(
    session: Session, user_id: int, contact_id: int, until: date | None, today: date
) -> Contact:
    """Keep the contact off the cold list through a date (None ends the snooze)."""
    if until is not None and until < today:
        raise ServiceError(N_("Snooze until a day from today on."))
    contact = get_contact(session, user_id, contact_id)
    contact.snoozed_until = until
    session.flush()
    return contact


def set_archived(session: Session, user_id: int, contact_id: int, archived: bool) -> Contact:
    """Archive the user's contact (kept, off every list), or bring it back."""
    contact = get_contact(session, user_id, contact_id)
    contact.archived_at = datetime.now(UTC) if archived else None
    session.flush()
    return contact


def delete_contact(session: Session, user_id: int, contact_id: int, today: date) -> None:
    """Move a contact to the trash; touchpoints left with nobody, and its referrals, go too."""
    delete_contacts(session, user_id, [get_contact(session, user_id, contact_id).id], today)


def delete_contacts(session: Session, user_id: int, contact_ids: list[int], today: date) -> int:
    """Move these contacts of the user to the trash at once (an import batch, say)."""
    ids = (
        list(
            session.scalars(
                select(Contact.id).where(Contact.user_id == user_id, Contact.id.in_(contact_ids))
            )
        )
        if contact_ids
        else []
    )
    if not ids:
        return 0
    touchpoint_ids = list(
        session.scalars(
            select(touchpoint_contacts.c.touchpoint_id)
            .where(touchpoint_contacts.c.contact_id.in_(ids))
            .distinct()
        )
    )
    partners = {
        partner_id
        for referral in session.scalars(
            select(Referral).where(
                or_(Referral.contact_id.in_(ids), Referral.other_contact_id.in_(ids))
            )
        )
        for partner_id, _direction in referral.partners()
    }
    session.flush()
    trash_contacts(session, user_id, ids)
    for start in range(0, len(ids), 500):
        session.execute(
            delete(Contact)
            .where(Contact.id.in_(ids[start : start + 500]))
            .execution_options(synchronize_session=False)
        )
    session.expire_all()
    delete_orphaned_touchpoints(session, touchpoint_ids)
    refresh_contacts(session, partners - set(ids), today)
    return len(ids)


def delete_orphaned_touchpoints(session: Session, touchpoint_ids: list[int]) -> None:
    """Delete those of these touchpoints that no longer involve any contact."""
    if not touchpoint_ids:
        return
    linked = select(touchpoint_contacts.c.touchpoint_id).where(
        touchpoint_contacts.c.touchpoint_id == Touchpoint.id
    )
    for start in range(0, len(touchpoint_ids), 500):
        session.execute(
            delete(Touchpoint)
            .where(Touchpoint.id.in_(touchpoint_ids[start : start + 500]), ~linked.exists())
            .execution_options(synchronize_session=False)
        )


MAX_QUERY = 200  # characters searched for, at most
MAX_TERMS = 10


def search_filter(query: str, *, methods: bool = True) -> list[Any]:
    """WHERE clauses: every term of the query appears (in one of its spellings) in the key,
    or (with ``methods``) in an email address, or, as digits, in a phone number; a query
    that is a phone number with spaces (042 361 1234) is also looked for whole."""
    query = query[:MAX_QUERY]
    clauses: list[ColumnElement[bool]] = []
    terms = text.query_terms(query)[:MAX_TERMS]
    for spellings in terms:
        keys = _method_keys(spellings[0]) if methods else []
        if keys:
            # One list of ids from both indexes: an OR of the key's test and the methods'
            # would keep PostgreSQL from using the key's trigram index.
            in_keys = [select(Contact.id).where(sql.search_key_contains(s)) for s in spellings]
            clauses.append(Contact.id.in_(union(*in_keys, _having_a_method(keys))))
        else:
            clauses.append(or_(*(sql.search_key_contains(s) for s in spellings)))
    whole = searched_digits(query) if methods and len(terms) > 1 else []
    if whole:
        return [or_(and_(*clauses), Contact.id.in_(_having_a_method(whole)))]
    return clauses


def _having_a_method(keys: list[str]) -> Select:
    """The ids of contacts with a method whose search key holds one of these."""
    holding = or_(*(ContactMethod.search_key.contains(key, autoescape=True) for key in keys))
    return select(ContactMethod.contact_id).where(holding)


def _method_keys(term: str) -> list[str]:
    """What a search term is looked for as in the methods' search keys: the digits of a
    piece of a phone number, a piece of an email address."""
    keys = searched_digits(term)
    if EMAIL_TERM.match(term):
        keys.append(normal_email(term).lower())
    return list(dict.fromkeys(keys))


@dataclass(frozen=True)
class ContactFilter:
    query: str = ""
    archived: bool = False
    stage: str = ""
    # warm, cooling, cold, dormant, none; going_cold (the cold list) or faded (faded cards)
    warmth: str = ""
    due: str = ""  # follow_up (due within a week) or first (a first follow-up waiting)
    tag_id: int | None = None
    event_id: int | None = None


def contacts_query(user_id: int, wanted: ContactFilter, today: date | None = None) -> Select:
    """The user's contacts that pass the filter (warmth filters need today)."""
    stmt = select(Contact).where(Contact.user_id == user_id)
    stmt = stmt.where(Contact.archived_at.is_not(None) if wanted.archived else sql.active())
    stmt = stmt.where(*search_filter(wanted.query))
    if wanted.stage in STAGES:
        stmt = stmt.where(Contact.stage == wanted.stage)
    if wanted.warmth and today is not None:
        if wanted.warmth == "going_cold":
            stmt = stmt.where(on_cold_list(today))
        elif wanted.warmth == "faded":
            stmt = stmt.where(faded(today))
        elif wanted.warmth == "none":
            stmt = stmt.where(Contact.next_due_on.is_(None))
        elif wanted.warmth in WARMTHS:
            stmt = stmt.where(warmth_clause(wanted.warmth, today))
    if wanted.tag_id is not None:
        stmt = stmt.where(
            select(contact_tags.c.contact_id)
            .where(contact_tags.c.contact_id == Contact.id, contact_tags.c.tag_id == wanted.tag_id)
            .exists()
        )
    if wanted.event_id is not None:
        stmt = stmt.where(Contact.origin_event_id == wanted.event_id)
    if wanted.due == "follow_up" and today is not None:
        stmt = stmt.where(follow_up_due(today))
    elif wanted.due == "first" and today is not None:
        stmt = stmt.where(waiting_for_first_follow_up(today))
    return stmt


def list_contacts(
    session: Session,
    user_id: int,
    wanted: ContactFilter,
    *,
    today: date,
    sort: str = "reading",
    page: int = 1,
    per_page: int = 50,
) -> Page[Contact]:
    """One page of the user's contacts, filtered and sorted."""
    stmt, total, page = page_query(session, user_id, wanted, today, sort, page, per_page)
    items = session.scalars(stmt.options(selectinload(Contact.tags))).all()
    return Page(items=list(items), number=page, per_page=per_page, total=total)


def page_query(
    session: Session,
    user_id: int,
    wanted: ContactFilter,
    today: date,
    sort: str,
    page: int,
    per_page: int,
) -> tuple[Select[Any], int, int]:
    """The statement of one page of the list (ordered, offset), how many contacts match,
    and the page's number."""
    stmt = contacts_query(user_id, wanted, today)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    page = max(1, page)
    ordered = stmt.order_by(*list_order(sort, today)).limit(per_page)
    return ordered.offset((page - 1) * per_page), total, page


def list_order(sort: str, today: date) -> list[Any]:
    """The ORDER BY of a sort of the contact list (name, last touch, strength, cold list,
    follow-up date), ending with the name and id so that pages never overlap."""
    order: list[Any] = [Contact.sort_key, Contact.id]
    if sort == "overdue":
        order = cold_order(today)
    elif sort == "last_touch":
        order.insert(0, Contact.last_touch_on.desc().nulls_last())
    elif sort == "strength":
        order.insert(0, Contact.strength_level.desc().nulls_last())
    elif sort == "due":
        order[:0] = [Contact.follow_up_on.nulls_last(), met_on()]
    return order


def lookup(session: Session, user_id: int, query: str, *, limit: int = 10) -> list[Contact]:
    """Active contacts matching a query, for pickers."""
    if not text.query_terms(query):
        return []
    stmt = (
        contacts_query(user_id, ContactFilter(query=query))
        .order_by(Contact.sort_key, Contact.id)
        .limit(limit)
    )
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


def user_tags(session: Session, user_id: int) -> list[Tag]:
    return list(session.scalars(select(Tag).where(Tag.user_id == user_id).order_by(Tag.name)))


def set_tag_cadence(session: Session, user_id: int, tag_id: int, phrase: str, today: date) -> Tag:
    """Give the user's tag a cadence ("" removes it); every contact with the tag follows."""
    check_cadence(phrase)
    tag = owned(session, Tag, user_id, tag_id)
    tag.cadence = phrase.strip() or None
    tagged = session.scalars(
        select(contact_tags.c.contact_id).where(contact_tags.c.tag_id == tag.id)
    )
    refresh_contacts(session, list(tagged), today)
    return tag


def card_image_of(session: Session, contact_id: int, *, data: bool = True) -> CardImage | None:
    """A contact's card image (without loading its bytes when ``data`` is False)."""
    stmt = select(CardImage).where(CardImage.contact_id == contact_id)
    if not data:
        stmt = stmt.options(defer(CardImage.data))
    return session.scalar(stmt)


def set_card_image(session: Session, contact: Contact, image: CardImage | None) -> None:
    """Replace (or, with None, remove) a contact's card image."""
    session.execute(delete(CardImage).where(CardImage.contact_id == contact.id))
    if image is not None:
        image.contact_id = contact.id
        session.add(image)
    session.flush()


def attach_card_image(
    session: Session, user_id: int, contact_id: int, picture: tuple[str, bytes] | None
) -> None:
    """Replace the card image of the user's contact with a picture (its type and bytes), or
    remove it (None)."""
    contact = get_contact(session, user_id, contact_id)
    image = None if picture is None else CardImage(content_type=picture[0], data=picture[1])
    set_card_image(session, contact, image)


def contact_page(session: Session, user_id: int, contact_id: int) -> tuple[Contact, bool]:
    """The user's contact with what its page shows of it, and whether it has a card image,
    in the fewest queries (``NotFound`` for another user's)."""
    row = session.execute(
        select(Contact, select(CardImage.id).where(CardImage.contact_id == Contact.id).exists())
        .where(Contact.id == contact_id)
        .options(
            joinedload(Contact.origin_event),
            joinedload(Contact.introduced_by),
            selectinload(Contact.methods),
            selectinload(Contact.tags),
        )
    ).first()
    if row is None or not belongs(row[0], user_id):
        raise NotFound(f"Contact {contact_id}")
    return row[0], bool(row[1])
