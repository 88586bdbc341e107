"""The SQL form of tracker.relationships.reciprocity: which relationships ran one way, on
the days of the latest exchanges stored on each contact; and the exchanges themselves, read
narrowly for the few contacts a page shows, for the rule to count."""

from collections import defaultdict
from datetime import date

from sqlalchemy import and_, case, null, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from tracker.models import Contact, Referral, Touchpoint, touchpoint_contacts
from tracker.relationships import Referral as RuleReferral
from tracker.relationships import Touch
from tracker.relationships.periods import window_start
from tracker.relationships.reciprocity import RECIPROCITY_MONTHS


def one_way(today: date) -> ColumnElement[str | None]:
    """only_i_give, only_they_give, or NULL, over the last 24 months (nothing is dated after
    today): two or more items one way (ONE_WAY_MINIMUM) is the second latest inside the
    window, none the other way is the latest outside it."""
    since = window_start(today, RECIPROCITY_MONTHS)
    gave_none = or_(Contact.last_gave_on.is_(None), Contact.last_gave_on < since)
    received_none = or_(Contact.last_received_on.is_(None), Contact.last_received_on < since)
    return case(
        (and_(Contact.second_gave_on >= since, received_none), "only_i_give"),
        (and_(Contact.second_received_on >= since, gave_none), "only_they_give"),
        else_=null(),
    )


def exchanges_since(
    session: Session, user_id: int, ids: list[int], since: date, today: date
) -> tuple[dict[int, list[Touch]], dict[int, list[RuleReferral]]]:
    """The consultations and referrals of these contacts (the user's) from a day to today,
    as the rules take them (an introduction counts as given to each of its two contacts).
    Two queries, however many contacts (none too), so that a page's query count stays fixed.

    The touchpoints are found from the contacts' links, then by their ids: filtering them by
    owner or kind first would send SQLite through the index of every consultation the user
    has, probing each for these contacts.
    """
    touches: dict[int, list[Touch]] = defaultdict(list)
    referrals: dict[int, list[RuleReferral]] = defaultdict(list)
    for contact_id, on, kind in session.execute(
        select(touchpoint_contacts.c.contact_id, Touchpoint.occurred_on, Touchpoint.kind)
        .join(Touchpoint, Touchpoint.id == touchpoint_contacts.c.touchpoint_id)
        .where(
            touchpoint_contacts.c.contact_id.in_(ids),
            Touchpoint.kind.in_(("consulted_me", "consulted_them")),
            Touchpoint.occurred_on >= since,
            Touchpoint.occurred_on <= today,
        )
    ):
        touches[contact_id].append(Touch(on=on, kind=kind))
    wanted = set(ids)
    for first, second, on, direction in session.execute(
        select(
            Referral.contact_id, Referral.other_contact_id, Referral.referred_on, Referral.direction
        ).where(
            Referral.user_id == user_id,
            or_(Referral.contact_id.in_(ids), Referral.other_contact_id.in_(ids)),
            Referral.referred_on >= since,
            Referral.referred_on <= today,
        )
    ):
        for partner, counted in Referral.partners_of(direction, first, second):
            if partner in wanted:
                referrals[partner].append(RuleReferral(on=on, direction=counted))
    return touches, referrals
