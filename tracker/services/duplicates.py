"""Likely duplicates inside an account, and merging two contacts into one.

A merge keeps everything of both: every touchpoint, referral, tag and contact method of the
contact that goes is moved to the one that stays; empty fields of the one that stays are
filled from the other, and notes are joined.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.orm import Session, selectinload

from tracker import fields
from tracker.models import (
    CardImage,
    Contact,
    ContactMethod,
    Referral,
    touchpoint_contacts,
)
from tracker.relationships import stage_rank
from tracker.services import N_, ServiceError
from tracker.services.derived import refresh_contacts
from tracker.services.matching import Index, keys_for

PAIR_LIMIT = 200
# Filled from the contact that goes where the one that stays has nothing; texts the spec
# joins (the notes) are joined instead.
FILLED_FIELDS = (
    *(spec.name for spec in fields.FIELDS if spec.merge != "join"),
    "origin_event_id",
    "introduced_by_id",
    "cadence",
)
JOINED = tuple(spec for spec in fields.FIELDS if spec.merge == "join")


@dataclass(frozen=True)
class Pair:
    first: Contact
    second: Contact
    reason: str


def likely_duplicates(session: Session, user_id: int) -> list[Pair]:
    """Pairs of the user's contacts that look like one person, oldest contact first."""
    contacts = list(
        session.scalars(
            select(Contact)
            .where(Contact.user_id == user_id)
            .order_by(Contact.id)
            .options(selectinload(Contact.methods))
        )
    )
    index = Index()
    pairs = []
    for contact in contacts:
        keys = keys_for(contact, [(m.kind, m.value) for m in contact.methods])
        match = index.find(keys)
        if match is not None:
            pairs.append(Pair(match[0], contact, match[1]))  # type: ignore[arg-type]
            if len(pairs) >= PAIR_LIMIT:
                break
        else:
            index.add(contact, keys)
    return pairs


def merge(session: Session, keep: Contact, drop: Contact, today: date) -> None:
    """Merge drop into keep, keeping every touchpoint, referral, tag and method of both."""
    if keep.id == drop.id or keep.user_id != drop.user_id:
        raise ServiceError(N_("Choose two different contacts of yours."))
    for name in FILLED_FIELDS:
        if not getattr(keep, name) and getattr(drop, name):
            setattr(keep, name, getattr(drop, name))
    if keep.introduced_by_id == keep.id:
        keep.introduced_by_id = None
    for spec in JOINED:
        mine, theirs = getattr(keep, spec.name), getattr(drop, spec.name)
        if theirs and theirs not in mine:
            setattr(keep, spec.name, f"{mine}\n\n{theirs}".strip()[: spec.length])
    keep.stage = max((keep.stage, drop.stage), key=stage_rank)
    keep.snoozed_until = keep.snoozed_until or drop.snoozed_until
    have = {(m.kind, m.value) for m in keep.methods}
    for method in drop.methods:
        if (method.kind, method.value) not in have:
            keep.methods.append(
                ContactMethod(
                    kind=method.kind,
                    label=method.label,
                    value=method.value,
                    position=len(keep.methods),
                )
            )
    keep.tags = list({tag.id: tag for tag in [*keep.tags, *drop.tags]}.values())
    session.flush()
    _move_links(session, keep.id, drop.id)
    partners = _referral_partners(session, drop.id)
    session.execute(
        update(Referral).where(Referral.contact_id == drop.id).values(contact_id=keep.id)
    )
    session.execute(
        update(Referral)
        .where(Referral.other_contact_id == drop.id)
        .values(other_contact_id=keep.id)
    )
    session.execute(
        update(Referral)
        .where(Referral.subject_contact_id == drop.id)
        .values(subject_contact_id=keep.id)
    )
    # An introduction of the two to each other becomes one with only the contact that stays.
    session.execute(
        update(Referral)
        .where(Referral.contact_id == keep.id, Referral.other_contact_id == keep.id)
        .values(other_contact_id=None)
    )
    session.execute(
        update(Contact).where(Contact.introduced_by_id == drop.id).values(introduced_by_id=keep.id)
    )
    session.execute(
        update(Contact)
        .where(Contact.id == keep.id, Contact.introduced_by_id == keep.id)
        .values(introduced_by_id=None)
    )
    if session.scalar(select(CardImage.id).where(CardImage.contact_id == keep.id)) is None:
        session.execute(
            update(CardImage).where(CardImage.contact_id == drop.id).values(contact_id=keep.id)
        )
    session.expire_all()
    session.delete(session.get(Contact, drop.id))
    session.flush()
    refresh_contacts(session, {keep.id, *partners} - {drop.id}, today)


def _move_links(session: Session, keep_id: int, drop_id: int) -> None:
    """Move drop's touchpoints to keep (a touchpoint with both keeps one link)."""
    shared = select(touchpoint_contacts.c.touchpoint_id).where(
        touchpoint_contacts.c.contact_id == keep_id
    )
    moved = list(
        session.scalars(
            select(touchpoint_contacts.c.touchpoint_id).where(
                touchpoint_contacts.c.contact_id == drop_id,
                touchpoint_contacts.c.touchpoint_id.not_in(shared),
            )
        )
    )
    session.execute(delete(touchpoint_contacts).where(touchpoint_contacts.c.contact_id == drop_id))
    if moved:
        session.execute(
            insert(touchpoint_contacts),
            [{"touchpoint_id": t, "contact_id": keep_id} for t in moved],
        )


def _referral_partners(session: Session, contact_id: int) -> set[int]:
    partners: set[int] = set()
    for referral in session.scalars(
        select(Referral).where(
            or_(Referral.contact_id == contact_id, Referral.other_contact_id == contact_id)
        )
    ):
        partners.update(partner for partner, _direction in referral.partners())
    return partners
