"""The contact page: the contact, its timeline and its relationship panel, in one call."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from tracker.models import Contact, Touchpoint
from tracker.services.contacts import contact_page
from tracker.services.relationship import Relationship, relationship
from tracker.services.touchpoints import timeline


@dataclass(frozen=True)
class ContactDetail:
    contact: Contact
    has_image: bool  # a card image is attached
    timeline: list[Touchpoint]  # the newest first, whole
    panel: Relationship


def contact_detail(
    session: Session, user_id: int, contact_id: int, today: date, *, shown: int | None
) -> ContactDetail:
    """What the user's contact's page shows (``NotFound`` for another user's): the newest
    ``shown`` touchpoints whole (all with None), and the panel read from every one."""
    contact, has_image = contact_page(session, user_id, contact_id)
    touchpoints = timeline(session, contact, limit=shown)
    return ContactDetail(contact, has_image, touchpoints, relationship(session, contact, today))
