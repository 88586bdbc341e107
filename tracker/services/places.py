"""Places that suit you: for each event and each introducer, how many people were met
there, how far they came, and how many referrals they have given and received."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, case, func, select, union_all
from sqlalchemy.orm import Session

from tracker.models import Contact, Event, Referral
from tracker.services.sql.stages import stage_rank
from tracker.text import display_name

SORTS = ("best", "people", "acquaintance", "trusted", "collaborator", "rate", "referrals")


@dataclass(frozen=True)
class Place:
    kind: str  # event or introducer
    id: int
    name: str
    detail: str  # an event's date and kind, or an introducer's company
    people: int
    acquaintance: int  # reached acquaintance or further
    trusted: int
    collaborator: int
    given: int  # referrals I gave to the people met there
    received: int  # referrals they gave me

    def share(self, count: int) -> int:
        """A count as a whole percentage of the people met."""
        return round(100 * count / self.people) if self.people else 0

    @property
    def sort_keys(self) -> dict[str, tuple[Any, ...]]:
        referrals = self.given + self.received
        return {
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


def _referrals_by(session: Session, user_id: int, group_column: Any) -> dict[int, tuple[int, int]]:
    """Referrals given to and received from contacts, summed per value of a contact column."""
    partners = union_all(
        select(
            Referral.contact_id.label("contact_id"), Referral.direction.label("direction")
        ).where(Referral.user_id == user_id),
        select(Referral.other_contact_id, Referral.direction).where(
            Referral.user_id == user_id, Referral.other_contact_id.is_not(None)
        ),
    ).subquery()
    received = func.sum(case((partners.c.direction == "received", 1), else_=0)).cast(Integer)
    given = func.sum(case((partners.c.direction != "received", 1), else_=0)).cast(Integer)
    rows = session.execute(
        select(group_column, given, received)
        .join(Contact, Contact.id == partners.c.contact_id)
        .where(group_column.is_not(None))
        .group_by(group_column)
    )
    return {key: (g or 0, r or 0) for key, g, r in rows}


def places(session: Session, user_id: int, sort: str = "best") -> list[Place]:
    """Every event and introducer that brought at least one person, best first."""
    found: list[Place] = []
    event_rows = session.execute(
        select(Event, func.count(Contact.id), _reached(1), _reached(2), _reached(3))
        .join(Contact, Contact.origin_event_id == Event.id)
        .where(Event.user_id == user_id)
        .group_by(Event.id)
    )
    event_referrals = _referrals_by(session, user_id, Contact.origin_event_id)
    for event, people, acquaintance, trusted, collaborator in event_rows:
        given, received = event_referrals.get(event.id, (0, 0))
        detail = event.held_on.isoformat() if event.held_on else ""
        found.append(
            Place(
                "event",
                event.id,
                event.name,
                detail,
                people,
                acquaintance,
                trusted,
                collaborator,
                given,
                received,
            )
        )
    introducer = Contact.__table__.alias("introducer")
    introducer_rows = session.execute(
        select(
            introducer.c.id,
            introducer.c.family_name,
            introducer.c.given_name,
            introducer.c.company,
            func.count(Contact.id),
            _reached(1),
            _reached(2),
            _reached(3),
        )
        .join(Contact, Contact.introduced_by_id == introducer.c.id)
        .where(introducer.c.user_id == user_id)
        .group_by(
            introducer.c.id, introducer.c.family_name, introducer.c.given_name, introducer.c.company
        )
    )
    introducer_referrals = _referrals_by(session, user_id, Contact.introduced_by_id)
    for (
        contact_id,
        family,
        given_name,
        company,
        people,
        acquaintance,
        trusted,
        collaborator,
    ) in introducer_rows:
        given, received = introducer_referrals.get(contact_id, (0, 0))
        found.append(
            Place(
                "introducer",
                contact_id,
                display_name(family, given_name),
                company,
                people,
                acquaintance,
                trusted,
                collaborator,
                given,
                received,
            )
        )
    key = sort if sort in SORTS else "best"
    found.sort(key=lambda place: (place.sort_keys[key], place.name), reverse=True)
    return found
