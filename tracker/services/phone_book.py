"""The address book a phone syncs over CardDAV: each active contact as one vCard 3.0 card.

A card's text is made from the contact every time it is asked for, so it is the same
text, and so has the same ETag, in a listing, a multiget and a GET. A contact made in the
app lives at ``jinmyaku-<id>.vcf`` with that UID; a card a phone uploads keeps the file
name and UID the phone gave it (a SyncedCard row). The app keeps what it has fields for
(names and readings, company, department, title, phones, emails, addresses, web
addresses, the note, the birthday); every other property the phone sent is kept as it
came and written back into the card, so an edit the app cannot show is not lost. Tags,
stage, history and the card image stay in the app: a phone has no place for them.

A phone deleting a card archives the contact (its history stays; unarchiving it puts the
card back on the phone).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from tracker.exporters.vcard import escape, fold, write_vcards
from tracker.importers import Card
from tracker.importers.vcard import parse_vcards
from tracker.models import SYNC_NAME_LEN, Contact, SyncedCard
from tracker.services import N_, ServiceError, sql
from tracker.services.contacts import (
    ContactData,
    MethodData,
    contact_data,
    create_contact,
    set_archived,
    update_contact,
)
from tracker.services.exports import to_card
from tracker.services.imports import too_long
from tracker.services.ownership import find_owned

UID_PREFIX = "jinmyaku-"
SUFFIX = ".vcf"


@dataclass(frozen=True)
class BookCard:
    """One card of the address book: its file name, UID, text and when it last changed."""

    href: str
    uid: str
    text: str
    modified: datetime
    contact_id: int


def _app_name(contact_id: int) -> str:
    return f"{UID_PREFIX}{contact_id}"


def _card_text(contact: Contact, synced: SyncedCard | None) -> str:
    card = to_card(contact, None)
    # What only the app knows (tags, the day first met) is not the phone's to edit.
    card.tags = []
    card.first_met_on = None
    text = write_vcards([card], version="3.0")
    uid = synced.uid if synced else _app_name(contact.id)
    end = text.rindex("END:VCARD")
    extra = synced.extra if synced else ""
    return text[:end] + fold(f"UID:{escape(uid)}") + "\r\n" + extra + text[end:]


def _book_card(contact: Contact, synced: SyncedCard | None) -> BookCard:
    href = synced.href if synced else _app_name(contact.id) + SUFFIX
    times = [contact.updated_at, *([synced.updated_at] if synced else [])]
    # SQLite hands back naive times; they are UTC.
    modified = max(t if t.tzinfo else t.replace(tzinfo=UTC) for t in times)
    return BookCard(
        href=href,
        uid=synced.uid if synced else _app_name(contact.id),
        text=_card_text(contact, synced),
        modified=modified,
        contact_id=contact.id,
    )


def _app_id(href: str) -> int | None:
    """The contact id in a file name the app gave (jinmyaku-12.vcf), else None."""
    stem = href.removesuffix(SUFFIX)
    if href.endswith(SUFFIX) and stem.startswith(UID_PREFIX):
        digits = stem[len(UID_PREFIX) :]
        if digits.isdigit() and len(digits) < 10:
            return int(digits)
    return None


def cards(session: Session, user_id: int, hrefs: Iterable[str] | None = None) -> list[BookCard]:
    """The user's cards (only those at these file names, when given), in contact order."""
    stmt = (
        select(Contact, SyncedCard)
        .outerjoin(SyncedCard, SyncedCard.contact_id == Contact.id)
        .where(Contact.user_id == user_id, sql.active())
        .options(selectinload(Contact.methods))
        .order_by(Contact.id)
    )
    if hrefs is not None:
        wanted = set(hrefs)
        ids = [found for href in wanted if (found := _app_id(href)) is not None]
        stmt = stmt.where(
            or_(
                SyncedCard.href.in_(wanted),
                Contact.id.in_(ids) & SyncedCard.id.is_(None),
            )
        )
    return [_book_card(contact, synced) for contact, synced in session.execute(stmt)]


def card_at(session: Session, user_id: int, href: str) -> BookCard | None:
    found = cards(session, user_id, [href])
    return found[0] if found else None


def uid_taken(session: Session, user_id: int, uid: str) -> bool:
    """Whether an active card of the user has this UID."""
    if uid.startswith(UID_PREFIX) and (_app_id(uid + SUFFIX) is not None):
        return bool(cards(session, user_id, [uid + SUFFIX]))
    stmt = (
        select(SyncedCard.id)
        .join(Contact, Contact.id == SyncedCard.contact_id)
        .where(SyncedCard.user_id == user_id, SyncedCard.uid == uid, sql.active())
    )
    return session.scalar(stmt) is not None


def _read(text: str) -> Card:
    """The one card of an uploaded text, read by the importer's own vCard reader."""
    result = parse_vcards(text, "utf-8")
    if len(result.cards) != 1 or result.errors:
        raise ServiceError(N_("The card could not be read."))
    card = result.cards[0]
    if not (card.family_name or card.given_name):
        # A company's card: the app needs a name, and the company's is the one it has.
        card.family_name = card.company
    problem = too_long(card)
    if problem:
        raise ServiceError(problem.message, **problem.params)
    return card


def _with_card(data: ContactData, card: Card) -> ContactData:
    """The contact's values with those a card carries replaced by the card's."""
    data.family_name = card.family_name
    data.given_name = card.given_name
    data.family_reading = card.family_reading
    data.given_reading = card.given_reading
    data.company = card.company
    data.department = card.department
    data.title = card.title
    data.notes = card.notes
    data.methods = [MethodData(m.kind, m.value, m.label) for m in card.methods]
    return data


def _has_synced(session: Session, contact_id: int) -> bool:
    found = session.scalar(select(SyncedCard.id).where(SyncedCard.contact_id == contact_id))
    return found is not None


def save_card(
    session: Session,
    user_id: int,
    href: str,
    uid: str,
    text: str,
    extra: str,
    today: date,
) -> BookCard:
    """Store a card a phone uploaded: a new contact, or the changes to the one at ``href``.

    ``extra`` holds the card's properties the app has no field for, as content lines.
    """
    if len(href) > SYNC_NAME_LEN or len(uid) > SYNC_NAME_LEN or not uid:
        raise ServiceError(N_("The card's name or UID is too long."))
    card = _read(text)
    synced = session.scalar(
        select(SyncedCard).where(SyncedCard.user_id == user_id, SyncedCard.href == href)
    )
    contact: Contact | None = None
    if synced is not None:
        contact = find_owned(session, Contact, user_id, synced.contact_id)
    else:
        # A card the app made, edited on the phone for the first time.
        app_id = _app_id(href)
        found = find_owned(session, Contact, user_id, app_id)
        if found is not None and not _has_synced(session, found.id):
            contact = found
    if contact is None:
        contact = create_contact(session, user_id, _with_card(ContactData(), card), today)
    else:
        update_contact(session, user_id, contact.id, _with_card(contact_data(contact), card), today)
        if contact.archived_at is not None:
            set_archived(session, user_id, contact.id, False)
    contact.birthday = card.birthday
    if synced is None:
        synced = SyncedCard(user_id=user_id, contact_id=contact.id, href=href)
        session.add(synced)
    synced.uid = uid
    synced.raw = text
    synced.extra = extra
    synced.updated_at = datetime.now(UTC)
    session.flush()
    return _book_card(contact, synced)


def archive_card(session: Session, user_id: int, href: str) -> bool:
    """Archive the contact whose card a phone deleted; False when there is no such card."""
    found = card_at(session, user_id, href)
    contact = find_owned(session, Contact, user_id, found.contact_id) if found else None
    if contact is None:
        return False
    set_archived(session, user_id, contact.id, True)
    return True
