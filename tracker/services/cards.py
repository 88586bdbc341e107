"""The quick card exchange: one step from a business card to a contact and its first touchpoint."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from tracker import fields
from tracker.models import Contact, Event
from tracker.services import N_, ServiceError
from tracker.services.contacts import ContactData, MethodData, create_contact, owned
from tracker.services.events import find_or_create
from tracker.services.touchpoints import TouchpointData, create_touchpoint


@dataclass(kw_only=True)
class CardData(fields.ContactFields):
    """A card as the quick form gives it: the contact's fields (the form asks those marked
    on_card), the day met, which becomes the contact's first_met_on, and what was said."""

    met_on: date
    email: str = ""
    phone: str = ""
    event_id: int | None = None
    new_event_name: str = ""
    talked_about: str = ""
    follow_up_on: date | None = None


def resolve_event(session: Session, user_id: int, card: CardData) -> Event | None:
    """The event typed as a new name, or the one picked, or none."""
    if card.new_event_name.strip():
        return find_or_create(session, user_id, card.new_event_name, card.met_on)
    if card.event_id is None:
        return None
    event = owned(session, Event, user_id, card.event_id)
    if not isinstance(event, Event):
        raise ServiceError(N_("That event does not exist."))
    return event


def log_card_exchange(session: Session, user_id: int, card: CardData, today: date) -> Contact:
    """Create the contact met today and its card_exchange touchpoint."""
    event = resolve_event(session, user_id, card)
    methods = [
        MethodData(kind="email", value=card.email, label=""),
        MethodData(kind="phone", value=card.phone, label=""),
    ]
    contact = create_contact(
        session,
        user_id,
        today=today,
        data=ContactData(
            **{**fields.values(card), "first_met_on": card.met_on},
            origin_event_id=event.id if event else None,
            stage="card",
            methods=[method for method in methods if method.value.strip()],
        ),
    )
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
    return contact
