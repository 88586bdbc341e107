"""The quick card exchange: one step from a business card to a contact and its first
touchpoint, or to a touchpoint with the contact the card turns out to be already."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from tracker import fields, text
from tracker.method_values import normal_email, normal_value, phone_digits, searched_digits
from tracker.models import CardImage, Contact, ContactMethod, Event
from tracker.services import N_, ServiceError, sql
from tracker.services.contacts import (
    ContactData,
    MethodData,
    card_image_of,
    create_contact,
    set_card_image,
)
from tracker.services.drafts import Draft
from tracker.services.events import find_or_create
from tracker.services.matching import Index, keys_for
from tracker.services.ownership import find_owned
from tracker.services.touchpoints import TouchpointData, create_touchpoint

# The label a card's mobile number is kept with (shown in the user's language).
MOBILE_LABEL = "mobile"
# Records looked at for a likely duplicate: those sharing a name, a reading, an email
# address or a phone number with the card. More namesakes than this are not looked at.
_CANDIDATES = 200


@dataclass(kw_only=True)
class CardData(fields.ContactFields):
    """A card as the quick form gives it: the contact's fields (the form asks those marked
    on_card), the day met, which becomes the contact's first_met_on, and what was said."""

    met_on: date
    email: str = ""
    phone: str = ""
    mobile: str = ""
    address: str = ""
    url: str = ""
    event_id: int | None = None
    new_event_name: str = ""
    talked_about: str = ""
    follow_up_on: date | None = None

    def methods(self) -> list[MethodData]:
        """The card's email, phones, address and web address, those it has."""
        found = [
            MethodData(kind="email", value=self.email),
            MethodData(kind="phone", value=self.phone),
            MethodData(kind="phone", value=self.mobile, label=MOBILE_LABEL),
            MethodData(kind="address", value=self.address),
            MethodData(kind="url", value=self.url),
        ]
        return [method for method in found if method.value.strip()]


@dataclass(frozen=True)
class Logged:
    """What logging a card did: the contact, and the event it was met at (made from a new
    name, perhaps), for the next card of the same evening."""

    contact: Contact
    event: Event | None


def resolve_event(session: Session, user_id: int, card: CardData) -> Event | None:
    """The event typed as a new name, or the one picked, or none."""
    if card.new_event_name.strip():
        return find_or_create(session, user_id, card.new_event_name, card.met_on)
    if card.event_id is None:
        return None
    event = find_owned(session, Event, user_id, card.event_id)
    if not isinstance(event, Event):
        raise ServiceError(N_("That event does not exist."))
    return event


def draft_image(draft: Draft | None) -> CardImage | None:
    """The card image a kept form's front photo becomes, if it has one."""
    if draft is None or draft.photo is None or not draft.photo_type:
        return None
    return CardImage(content_type=draft.photo_type, data=draft.photo)


def log_card_exchange(
    session: Session,
    user_id: int,
    card: CardData,
    today: date,
    image: CardImage | None = None,
) -> Logged:
    """Create the contact met today, its card_exchange touchpoint and its card image."""
    event = resolve_event(session, user_id, card)
    contact = create_contact(
        session,
        user_id,
        today=today,
        data=ContactData(
            **{**fields.values(card), "first_met_on": card.met_on},
            origin_event_id=event.id if event else None,
            stage="card",
            methods=card.methods(),
        ),
    )
    _exchange(session, user_id, contact, card, event, today)
    if image is not None:
        set_card_image(session, contact, image)
    return Logged(contact, event)


def log_card_with(
    session: Session,
    user_id: int,
    contact_id: int,
    card: CardData,
    today: date,
    image: CardImage | None = None,
) -> Logged:
    """Log the card exchange with a contact the user has already: the touchpoint, what the
    card adds (fields the contact lacks, new addresses and numbers) and, when the contact
    has none, the card's picture."""
    contact = find_owned(session, Contact, user_id, contact_id)
    if not isinstance(contact, Contact):
        raise ServiceError(N_("That contact does not exist."))
    event = resolve_event(session, user_id, card)
    for spec, value in fields.items(card, fields.ON_CARD):
        if value and not getattr(contact, spec.name):
            setattr(contact, spec.name, value.strip())
    have = {(m.kind, normal_value(m.kind, m.value).casefold()) for m in contact.methods}
    for method in card.methods():
        value = normal_value(method.kind, method.value)
        if (method.kind, value.casefold()) not in have:
            contact.methods.append(
                ContactMethod(
                    kind=method.kind, value=value, label=method.label, position=len(contact.methods)
                )
            )
    session.flush()
    _exchange(session, user_id, contact, card, event, today)
    if image is not None and card_image_of(session, contact.id, data=False) is None:
        set_card_image(session, contact, image)
    return Logged(contact, event)


def _exchange(
    session: Session,
    user_id: int,
    contact: Contact,
    card: CardData,
    event: Event | None,
    today: date,
) -> None:
    create_touchpoint(
        session,
        user_id,
        TouchpointData(
            occurred_on=card.met_on,
            kind="card_exchange",
            contact_ids=[contact.id],
            summary=card.talked_about,
            follow_up_on=card.follow_up_on,
            event_id=event.id if event else None,
        ),
        today,
    )


def likely_duplicate(
    session: Session, user_id: int, card: fields.ContactFields, methods: list[MethodData]
) -> tuple[Contact, str] | None:
    """The user's contact this card is likely the same person as, and why (the app's
    duplicate matching decides: a shared email address or number alone is no match), or
    None.

    Only the contacts that could match are read: those whose search key holds the card's
    family name or reading (or given name, when there is no family name), and those with
    one of its email addresses or phone numbers.
    """
    names = [card.family_name, card.family_reading]
    if not any(name.strip() for name in names):
        names = [card.given_name, card.given_reading]
    terms = {text.normalise(name) for name in names if name.strip()}
    details: list[str] = []
    for method in methods:
        if method.kind == "email" and "@" in method.value:
            details.append(normal_email(method.value).lower())
        elif method.kind == "phone" and len(phone_digits(method.value)) >= 7:
            details.extend(searched_digits(method.value))
    clauses = [sql.search_key_contains(term) for term in sorted(terms)]
    if details:
        having = select(ContactMethod.contact_id).where(ContactMethod.search_key.in_(details))
        clauses.append(Contact.id.in_(having))
    if not clauses:
        return None
    candidates = session.scalars(
        select(Contact)
        .where(Contact.user_id == user_id, or_(*clauses))
        .order_by(Contact.id)
        .limit(_CANDIDATES)
        .options(selectinload(Contact.methods))
    )
    index = Index()
    for contact in candidates:
        index.add(contact, keys_for(contact, [(m.kind, m.value) for m in contact.methods]))
    found = index.find(keys_for(card, [(m.kind, m.value) for m in methods]))
    if found is None:
        return None
    match, why = found
    assert isinstance(match, Contact)
    return match, why.reason
