"""The contact fields derived from history, kept exact in the writing transaction.

The fields (FIELDS) are worked out by tracker.relationships.derive from the contact's
touchpoints and referrals, its stage, its own cadence and its tags' cadences. Every
service that changes one of those calls refresh_contacts before it returns; `flask
recompute` rebuilds them all.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, selectinload

from tracker.dates import today_in
from tracker.models import Contact, Referral, Touchpoint, User, touchpoint_contacts
from tracker.relationships import DERIVED_FIELDS, Touch, derive_fields
from tracker.relationships import Referral as RuleReferral

BATCH = 500


def load_histories(
    session: Session, contact_ids: list[int]
) -> tuple[dict[int, list[Touch]], dict[int, list[RuleReferral]]]:
    """The touchpoints and referrals of these contacts, as the rules take them."""
    touches: dict[int, list[Touch]] = defaultdict(list)
    referrals: dict[int, list[RuleReferral]] = defaultdict(list)
    for start in range(0, len(contact_ids), BATCH):
        _load_batch(session, contact_ids[start : start + BATCH], touches, referrals)
    return touches, referrals


def _load_batch(
    session: Session,
    contact_ids: list[int],
    touches: dict[int, list[Touch]],
    referrals: dict[int, list[RuleReferral]],
) -> None:
    touches.update(load_touches(session, contact_ids))
    wanted = set(contact_ids)
    for referral in session.scalars(
        select(Referral).where(
            or_(Referral.contact_id.in_(contact_ids), Referral.other_contact_id.in_(contact_ids))
        )
    ):
        for partner_id, direction in referral.partners():
            if partner_id in wanted:
                referrals[partner_id].append(
                    RuleReferral(on=referral.referred_on, direction=direction)
                )


def load_touches(session: Session, contact_ids: list[int]) -> dict[int, list[Touch]]:
    """The touchpoints of these contacts as the rules take them (narrow rows only)."""
    touches: dict[int, list[Touch]] = defaultdict(list)
    rows = session.execute(
        select(
            touchpoint_contacts.c.contact_id,
            Touchpoint.id,
            Touchpoint.occurred_on,
            Touchpoint.kind,
            Touchpoint.follow_up_on,
        )
        .join(Touchpoint, Touchpoint.id == touchpoint_contacts.c.touchpoint_id)
        .where(touchpoint_contacts.c.contact_id.in_(contact_ids))
    )
    for contact_id, tp_id, on, kind, follow_up_on in rows:
        touches[contact_id].append(Touch(on=on, kind=kind, follow_up_on=follow_up_on, order=tp_id))
    return touches


def referrals_of(referrals: Iterable[Referral], contact_id: int) -> list[RuleReferral]:
    """Loaded referrals, as the rules take them for one of their contacts."""
    return [
        RuleReferral(on=referral.referred_on, direction=direction)
        for referral in referrals
        for partner_id, direction in referral.partners()
        if partner_id == contact_id
    ]


# The contact columns derive() sets: worked out from the history, never entered.
FIELDS = DERIVED_FIELDS


def derived_values(
    stage: str,
    cadence: str | None,
    tag_cadences: Iterable[str | None],
    touches: list[Touch],
    referrals: list[RuleReferral],
    today: date,
) -> dict[str, Any]:
    """Work out the derived fields (FIELDS) of a contact from its stage, cadences and history.

    The one derivation (tracker.relationships.derive_fields): derive() stores it on a
    contact, and seeding on the rows it inserts.
    """
    return derive_fields(
        stage=stage,
        own_cadence=cadence,
        tag_cadences=tag_cadences,
        touches=touches,
        referrals=referrals,
        today=today,
    ).as_dict()


def derive(
    contact: Contact, touches: list[Touch], referrals: list[RuleReferral], today: date
) -> None:
    """Set a contact's derived fields from its history (its tags must be loaded)."""
    tag_cadences = [tag.cadence for tag in contact.tags]
    values = derived_values(contact.stage, contact.cadence, tag_cadences, touches, referrals, today)
    for name, value in values.items():
        setattr(contact, name, value)


def _batches(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def refresh_contacts(session: Session, contact_ids: Iterable[int], today: date) -> None:
    """Recompute the derived fields of these contacts from their history.

    The contact rows are locked first (FOR NO KEY UPDATE on PostgreSQL, and read afresh;
    SQLite's write transaction already holds the database), so two writers cannot
    interleave.
    """
    ids = sorted({contact_id for contact_id in contact_ids if contact_id is not None})
    if not ids:
        return
    session.flush()
    for batch in _batches(ids):
        contacts = session.scalars(
            select(Contact)
            .where(Contact.id.in_(batch))
            .order_by(Contact.id)
            .options(selectinload(Contact.tags))
            # NO KEY UPDATE: it serialises writers of these rows, yet does not wait for the
            # KEY SHARE locks that inserting a touchpoint's links takes (that would deadlock).
            .with_for_update(key_share=True)
            .execution_options(populate_existing=True)
        ).all()
        touches, referrals = load_histories(session, batch)
        for contact in contacts:
            derive(contact, touches[contact.id], referrals[contact.id], today)
    session.flush()


def recompute_user(session: Session, user_id: int, today: date) -> int:
    """Rebuild the derived fields of all of a user's contacts; returns how many."""
    ids = list(session.scalars(select(Contact.id).where(Contact.user_id == user_id)))
    refresh_contacts(session, ids, today)
    return len(ids)


def recompute_stale(session: Session) -> int:
    """Recompute contacts whose derived fields were never set (after an upgrade, or rows
    written without them): no warmth dates despite a touch, or no evidence counts."""
    stale = session.execute(
        select(Contact.id, User.time_zone)
        .join(User, User.id == Contact.user_id)
        .where(
            or_(
                and_(Contact.last_touch_on.is_not(None), Contact.next_due_on.is_(None)),
                Contact.real_touches.is_(None),
            )
        )
    ).all()
    by_zone: dict[str, list[int]] = defaultdict(list)
    for contact_id, zone in stale:
        by_zone[zone].append(contact_id)
    for zone, ids in by_zone.items():
        refresh_contacts(session, ids, today_in(zone))
    return len(stale)
