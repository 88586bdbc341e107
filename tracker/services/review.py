"""The collaborators review: who has trust both ways, who is ready to be promoted, which
labels the evidence does not support, and which relationships run one way."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, or_, select, union_all
from sqlalchemy.orm import Session

from tracker.models import Contact, Referral, Touchpoint, touchpoint_contacts
from tracker.relationships import (
    Evidence,
    evidence,
    is_unsupported_label,
    one_way,
    stage_rank,
)
from tracker.relationships.reciprocity import RECIPROCITY_MONTHS
from tracker.services import sql
from tracker.services.dashboard import warmth_of
from tracker.services.derived import load_histories
from tracker.vocabulary import STAGES

LIST_LIMIT = 100


@dataclass(frozen=True)
class Reviewed:
    contact: Contact
    evidence: Evidence
    warmth: str | None


@dataclass(frozen=True)
class OneWay:
    contact: Contact
    gave: int
    received: int
    direction: str  # only_i_give / only_they_give


@dataclass
class Review:
    collaborators: list[Reviewed]
    candidates: list[Reviewed]
    unsupported: list[Reviewed]
    one_way: list[OneWay]


def evidence_for(session: Session, contacts: list[Contact], today: date) -> dict[int, Evidence]:
    touches, referrals = load_histories(session, [contact.id for contact in contacts])
    return {c.id: evidence(touches[c.id], referrals[c.id], today) for c in contacts}


def _labelled_against_evidence(session: Session, user_id: int) -> list[Contact]:
    """Collaborators, and every contact whose label and evidence differ, strongest first."""
    stmt = (
        select(Contact)
        .where(
            Contact.user_id == user_id,
            sql.active(),
            or_(
                Contact.stage == "collaborator",
                sql.stage_rank() != sql.stage_rank_of(Contact.evidence_stage),
            ),
        )
        .order_by(Contact.strength_level.desc().nulls_last(), Contact.sort_key, Contact.id)
    )
    return list(session.scalars(stmt))


def exchange_counts(
    session: Session, user_id: int, since: date, today: date
) -> dict[int, list[int]]:
    """Per contact, [what I gave, what I received] since a date: referrals (an introduction
    counts as given to both) and consultations either way."""
    referral_partners = union_all(
        select(
            Referral.contact_id.label("contact_id"), Referral.direction.label("direction")
        ).where(
            Referral.user_id == user_id,
            Referral.referred_on >= since,
            Referral.referred_on <= today,
        ),
        select(Referral.other_contact_id, Referral.direction).where(
            Referral.user_id == user_id,
            Referral.other_contact_id.is_not(None),
            Referral.referred_on >= since,
            Referral.referred_on <= today,
        ),
    ).subquery()
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for contact_id, direction, count in session.execute(
        select(
            referral_partners.c.contact_id, referral_partners.c.direction, func.count()
        ).group_by(referral_partners.c.contact_id, referral_partners.c.direction)
    ):
        totals[contact_id][1 if direction == "received" else 0] += count
    for contact_id, kind, count in session.execute(
        select(touchpoint_contacts.c.contact_id, Touchpoint.kind, func.count())
        .join(Touchpoint, Touchpoint.id == touchpoint_contacts.c.touchpoint_id)
        .where(
            Touchpoint.user_id == user_id,
            Touchpoint.kind.in_(("consulted_me", "consulted_them")),
            Touchpoint.occurred_on >= since,
            Touchpoint.occurred_on <= today,
        )
        .group_by(touchpoint_contacts.c.contact_id, Touchpoint.kind)
    ):
        totals[contact_id][0 if kind == "consulted_me" else 1] += count
    return totals


def one_way_relationships(session: Session, user_id: int, today: date) -> list[OneWay]:
    """Contacts with whom giving ran one way over the last 24 months."""
    since = today - relativedelta(months=RECIPROCITY_MONTHS)
    totals = exchange_counts(session, user_id, since, today)
    lopsided = {
        contact_id: (gave, received, direction)
        for contact_id, (gave, received) in totals.items()
        if (direction := one_way(gave, received))
    }
    if not lopsided:
        return []
    contacts = session.scalars(
        select(Contact).where(Contact.id.in_(lopsided), Contact.user_id == user_id, sql.active())
    )
    entries = [OneWay(c, *lopsided[c.id]) for c in contacts]
    entries.sort(key=lambda e: (-max(e.gave, e.received), e.contact.sort_key))
    return entries[:LIST_LIMIT]


def review(session: Session, user_id: int, today: date) -> Review:
    """Everything the review page shows, in a fixed number of queries."""
    contacts = _labelled_against_evidence(session, user_id)
    collaborators = [c for c in contacts if c.stage == "collaborator"]
    candidates = sorted(
        (c for c in contacts if stage_rank(c.evidence_stage) > stage_rank(c.stage)),
        key=lambda c: -stage_rank(c.evidence_stage),
    )[:LIST_LIMIT]
    maybe_unsupported = [
        c
        for c in contacts
        if c.stage == "collaborator" or stage_rank(c.stage) > stage_rank(c.evidence_stage)
    ]
    shown = {c.id: c for c in [*collaborators, *candidates, *maybe_unsupported]}
    found = evidence_for(session, list(shown.values()), today)

    def reviewed(items: list[Contact]) -> list[Reviewed]:
        return [Reviewed(c, found[c.id], warmth_of(c, today)) for c in items]

    unsupported = [c for c in maybe_unsupported if is_unsupported_label(c.stage, found[c.id])]
    return Review(
        collaborators=reviewed(collaborators[:LIST_LIMIT]),
        candidates=reviewed(candidates),
        unsupported=reviewed(unsupported[:LIST_LIMIT]),
        one_way=one_way_relationships(session, user_id, today),
    )


def next_stage(stage: str) -> str:
    """The stage one step up (collaborator stays collaborator)."""
    return STAGES[min(stage_rank(stage) + 1, len(STAGES) - 1)]
