"""The SQL form of tracker.relationships.reciprocity: what went each way, counted by the
database for every contact at once."""

from collections import defaultdict
from datetime import date

from sqlalchemy import func, select, union_all
from sqlalchemy.orm import Session

from tracker.models import Referral, Touchpoint, touchpoint_contacts


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
