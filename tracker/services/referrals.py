"""Referrals: given to a contact, received from one, or an introduction of two contacts."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, extract, func, or_, select
from sqlalchemy.orm import Session, joinedload

from tracker.models import Contact, Referral
from tracker.services import N_, ServiceError
from tracker.services.derived import refresh_contacts
from tracker.services.ownership import find_owned, owned
from tracker.services.pages import Page
from tracker.vocabulary import REFERRAL_DIRECTIONS, REFERRAL_STATUSES


@dataclass
class ReferralData:
    referred_on: date
    direction: str
    contact_id: int | None
    other_contact_id: int | None = None
    subject: str = ""
    subject_contact_id: int | None = None
    status: str = "introduced"
    notes: str = ""


@dataclass(frozen=True)
class LedgerFilter:
    direction: str = ""
    status: str = ""
    contact_id: int | None = None
    year: int | None = None


def get_referral(session: Session, user_id: int, referral_id: int) -> Referral:
    """The user's referral with this id (``NotFound`` for any other)."""
    return owned(session, Referral, user_id, referral_id)


def _own_contact(session: Session, user_id: int, contact_id: int | None) -> Contact | None:
    return find_owned(session, Contact, user_id, contact_id)


def _apply(session: Session, referral: Referral, data: ReferralData, today: date) -> None:
    user_id = referral.user_id
    if data.referred_on > today:
        raise ServiceError(N_("A referral records what happened: its date cannot be after today."))
    if data.direction not in REFERRAL_DIRECTIONS:
        raise ServiceError(N_("Choose a direction from the list."))
    if data.status not in REFERRAL_STATUSES:
        raise ServiceError(N_("Choose a status from the list."))
    if _own_contact(session, user_id, data.contact_id) is None:
        raise ServiceError(N_("Choose one of your contacts."))
    other_id = data.other_contact_id if data.direction == "introduction" else None
    if data.direction == "introduction":
        if _own_contact(session, user_id, other_id) is None:
            raise ServiceError(N_("Choose the second contact you introduced."))
        if other_id == data.contact_id:
            raise ServiceError(N_("An introduction needs two different contacts."))
    if (
        data.subject_contact_id is not None
        and _own_contact(session, user_id, data.subject_contact_id) is None
    ):
        raise ServiceError(N_("Choose one of your contacts."))
    if data.direction != "introduction" and not (data.subject.strip() or data.subject_contact_id):
        raise ServiceError(N_("Say who was referred: a name, or one of your contacts."))
    referral.referred_on = data.referred_on
    referral.direction = data.direction
    referral.contact_id = data.contact_id  # type: ignore[assignment]
    referral.other_contact_id = other_id
    referral.subject = data.subject.strip()
    referral.subject_contact_id = data.subject_contact_id
    referral.status = data.status
    referral.notes = data.notes.strip()


def _partner_ids(referral: Referral) -> list[int]:
    return [partner_id for partner_id, _direction in referral.partners()]


def create_referral(session: Session, user_id: int, data: ReferralData, today: date) -> Referral:
    referral = Referral(user_id=user_id)
    _apply(session, referral, data, today)
    session.add(referral)
    session.flush()
    refresh_contacts(session, _partner_ids(referral), today)
    return referral


def update_referral(
    session: Session, user_id: int, referral_id: int, data: ReferralData, today: date
) -> Referral:
    """Save the user's referral with these values (``NotFound`` for any other id)."""
    referral = owned(session, Referral, user_id, referral_id)
    before = _partner_ids(referral)
    _apply(session, referral, data, today)
    session.flush()
    refresh_contacts(session, [*before, *_partner_ids(referral)], today)
    return referral


def delete_referral(session: Session, user_id: int, referral_id: int, today: date) -> None:
    """Delete the user's referral; its people's evidence follows."""
    referral = owned(session, Referral, user_id, referral_id)
    partners = _partner_ids(referral)
    session.delete(referral)
    refresh_contacts(session, partners, today)


def _with_people(stmt: Select[Referral]) -> Select[Referral]:
    return stmt.options(
        joinedload(Referral.contact),
        joinedload(Referral.other_contact),
        joinedload(Referral.subject_contact),
    )


def ledger(
    session: Session, user_id: int, wanted: LedgerFilter, *, page: int = 1, per_page: int = 50
) -> Page[Referral]:
    """The user's referrals, newest first, filtered."""
    stmt = select(Referral).where(Referral.user_id == user_id)
    if wanted.direction:
        stmt = stmt.where(Referral.direction == wanted.direction)
    if wanted.status:
        stmt = stmt.where(Referral.status == wanted.status)
    if wanted.contact_id is not None:
        stmt = stmt.where(
            or_(
                Referral.contact_id == wanted.contact_id,
                Referral.other_contact_id == wanted.contact_id,
                Referral.subject_contact_id == wanted.contact_id,
            )
        )
    if wanted.year is not None:
        stmt = stmt.where(
            Referral.referred_on >= date(wanted.year, 1, 1),
            Referral.referred_on <= date(wanted.year, 12, 31),
        )
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    page = max(1, page)
    items = session.scalars(
        _with_people(stmt)
        .order_by(Referral.referred_on.desc(), Referral.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return Page(items=list(items), number=page, per_page=per_page, total=total)


def years(session: Session, user_id: int) -> list[int]:
    """The years in which the user has referrals, newest first."""
    year = extract("year", Referral.referred_on)
    rows = session.scalars(
        select(year).where(Referral.user_id == user_id).group_by(year).order_by(year.desc())
    )
    return [int(value) for value in rows]


def of_contact(session: Session, contact_id: int) -> list[Referral]:
    """The referrals a contact takes part in, newest first."""
    stmt = select(Referral).where(
        or_(Referral.contact_id == contact_id, Referral.other_contact_id == contact_id)
    )
    return list(
        session.scalars(
            _with_people(stmt).order_by(Referral.referred_on.desc(), Referral.id.desc())
        )
    )
