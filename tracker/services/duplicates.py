"""Likely duplicates inside an account, and merging two contacts into one.

A merge keeps everything of both: every touchpoint, referral, tag and contact method of the
contact that goes is moved to the one that stays, and its fields are merged as
``tracker.services.merging`` merges every record. The contact that goes is put in the
trash, so that the merge can be undone, and the merge is written to the security log.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.orm import Session, selectinload

from tracker.messages import log_detail
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
from tracker.services.merging import CONTACT_ONLY, apply_changes, changes, undo_of
from tracker.services.ownership import owned
from tracker.services.security import record
from tracker.services.trash import trash_merged

PAIR_LIMIT = 200
_REFERRAL_COLUMNS = ("contact_id", "other_contact_id", "subject_contact_id")


@dataclass(frozen=True)
class Pair:
    first: Contact
    second: Contact
    reason: str
    shared: str  # the email, number, company or name the two share


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
            pairs.append(Pair(match[0], contact, match[1].reason, match[1].shared))  # type: ignore[arg-type]
            if len(pairs) >= PAIR_LIMIT:
                break
        else:
            index.add(contact, keys)
    return pairs


def merge(
    session: Session, user_id: int, keep_id: int, drop_id: int, today: date, ip: str = ""
) -> Contact:
    """Merge the user's contact drop into keep, keeping every touchpoint, referral, tag and
    method of both; the contact that stays is returned.

    The contact that goes is put in the trash first, whole, with what the merge changed on
    the one that stays, so that restoring it from the trash undoes the merge.
    """
    keep, drop = (
        owned(session, Contact, user_id, keep_id),
        owned(session, Contact, user_id, drop_id),
    )
    if keep.id == drop.id:
        raise ServiceError(N_("Choose two different contacts of yours."))
    found = changes(
        keep,
        drop,
        extra=CONTACT_ONLY,
        into_tags=[tag.name for tag in keep.tags],
        source_tags=[tag.name for tag in drop.tags],
    )
    if found.fields.get("introduced_by_id") == keep.id:
        del found.fields["introduced_by_id"]
    undo = {
        **undo_of(keep, found),
        "touchpoints": _moved_touchpoints(session, keep.id, drop.id),
        "referrals": _referral_moves(session, keep.id, drop.id),
        "introduced": list(
            session.scalars(select(Contact.id).where(Contact.introduced_by_id == drop.id))
        ),
        "image_moved": _image_moves(session, keep.id, drop.id),
    }
    trash_merged(session, keep.user_id, drop.id, undo, f"{drop.name} → {keep.name}")
    apply_changes(keep, found, cut=True)
    keep.stage = max((keep.stage, drop.stage), key=stage_rank)
    keep.snoozed_until = keep.snoozed_until or drop.snoozed_until
    for kind, value, label in found.methods:
        keep.methods.append(
            ContactMethod(kind=kind, label=label, value=value, position=len(keep.methods))
        )
    keep.tags = list({tag.id: tag for tag in [*keep.tags, *drop.tags]}.values())
    session.flush()
    _move_links(session, keep.id, drop.id)
    partners = _referral_partners(session, drop.id)
    for referral_id, column, _before, after in undo["referrals"]:
        session.execute(update(Referral).where(Referral.id == referral_id).values({column: after}))
    session.execute(
        update(Contact).where(Contact.introduced_by_id == drop.id).values(introduced_by_id=keep.id)
    )
    if undo["image_moved"]:
        session.execute(
            update(CardImage).where(CardImage.contact_id == drop.id).values(contact_id=keep.id)
        )
    session.expire_all()
    session.delete(session.get(Contact, drop.id))
    session.flush()
    detail = log_detail(N_("%(drop)s merged into %(keep)s"), drop=drop.name, keep=keep.name)
    record(session, keep.user_id, "merge", detail, ip)
    refresh_contacts(session, {keep.id, *partners} - {drop.id}, today)
    return keep


def _moved_touchpoints(session: Session, keep_id: int, drop_id: int) -> list[int]:
    """Drop's touchpoints that keep is not on (the ones the merge moves)."""
    shared = select(touchpoint_contacts.c.touchpoint_id).where(
        touchpoint_contacts.c.contact_id == keep_id
    )
    return list(
        session.scalars(
            select(touchpoint_contacts.c.touchpoint_id).where(
                touchpoint_contacts.c.contact_id == drop_id,
                touchpoint_contacts.c.touchpoint_id.not_in(shared),
            )
        )
    )


def _referral_moves(session: Session, keep_id: int, drop_id: int) -> list[list[Any]]:
    """[referral id, column, before, after] for each reference to drop the merge changes."""
    moves = []
    for referral in session.scalars(
        select(Referral).where(
            or_(*(getattr(Referral, column) == drop_id for column in _REFERRAL_COLUMNS))
        )
    ):
        for column in _REFERRAL_COLUMNS:
            if getattr(referral, column) == drop_id:
                # An introduction of the two to each other keeps only the contact that stays.
                partner = referral.contact_id if column == "other_contact_id" else None
                after = None if partner == keep_id else keep_id
                moves.append([referral.id, column, drop_id, after])
    return moves


def _image_moves(session: Session, keep_id: int, drop_id: int) -> bool:
    """Whether drop's card image goes to keep (keep has none of its own)."""
    has_own = session.scalar(select(CardImage.id).where(CardImage.contact_id == keep_id))
    theirs = session.scalar(select(CardImage.id).where(CardImage.contact_id == drop_id))
    return has_own is None and theirs is not None


def _move_links(session: Session, keep_id: int, drop_id: int) -> None:
    """Move drop's touchpoints to keep (a touchpoint with both keeps one link)."""
    moved = _moved_touchpoints(session, keep_id, drop_id)
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
