"""The quick card exchange: one step from a business card to a contact and its first touchpoint."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from tracker.models import Contact, Event
from tracker.services import N_, ServiceError
from tracker.services.contacts import ContactData, MethodData, create_contact, owned
from tracker.services.events import find_or_create
from tracker.services.touchpoints import TouchpointData, create_touchpoint


@dataclass
class CardData:
    met_on: date
    family_name: str = ""
    given_name: str = ""
    family_reading: str = ""
    given_reading: str = ""
    company: str = ""
    department: str = ""
    title: str = ""
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
            family_name=card.family_name,
            given_name=card.given_name,
            family_reading=card.family_reading,
            given_reading=card.given_reading,
            company=card.company,
            department=card.department,
            title=card.title,
            first_met_on=card.met_on,
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
