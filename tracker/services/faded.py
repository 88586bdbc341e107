"""Faded cards: met once, never again, long past their cadence. They leave the cold list
for a short list of their own ("try once more, or let go"), and can be archived in one step
each or all together, and brought back the same way."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import Session

from tracker.models import Contact
from tracker.services.pages import Page, first_rows
from tracker.services.sql.cold_list import faded


@dataclass(frozen=True)
class FadedEntry:
    contact: Contact
    met_on: date  # the one day they met


def faded_cards(
    session: Session, user_id: int, today: date, limit: int, offset: int = 0
) -> tuple[list[FadedEntry], int]:
    """Faded cards, the most recently met first (the likeliest to remember you), and how
    many there are: ordered and counted on narrow columns, only those shown read whole."""
    rows = first_rows(
        session,
        and_(Contact.user_id == user_id, faded(today)),
        [Contact.last_touch_on.desc(), Contact.sort_key, Contact.id],
        limit,
        offset=offset,
    )
    entries = []
    for contact, _total in rows:
        # Met once: the first real touch is that day (a first-met day is never earlier).
        assert contact.first_touch_on is not None
        entries.append(FadedEntry(contact, contact.first_touch_on))
    return entries, rows[0][1] if rows else 0


def faded_page(
    session: Session, user_id: int, today: date, *, page: int, per_page: int
) -> Page[FadedEntry]:
    """One page of the faded cards, with how many there are."""
    page = max(1, page)
    items, total = faded_cards(session, user_id, today, per_page, (page - 1) * per_page)
    if not items and page > 1:  # past the last page: the count comes from the first
        total = faded_cards(session, user_id, today, 1)[1]
    return Page(items=items, number=page, per_page=per_page, total=total)


def archive_faded(
    session: Session, user_id: int, today: date, contact_id: int | None = None
) -> tuple[list[str], datetime]:
    """Archive one faded card of the user (or all of them when no id is given); returns the
    names archived and the moment, which names this batch for restore_batch."""
    stamp = datetime.now(UTC)
    wanted = [Contact.user_id == user_id, faded(today)]
    if contact_id is not None:
        wanted.append(Contact.id == contact_id)
    contacts = list(session.scalars(select(Contact).where(*wanted).order_by(Contact.sort_key)))
    for contact in contacts:
        contact.archived_at = stamp
    session.flush()
    return [contact.name for contact in contacts], stamp


def batch_size(session: Session, user_id: int, stamp: datetime) -> int:
    """How many of the user's contacts are archived at exactly this moment (one batch)."""
    count = session.scalar(
        select(func.count()).where(Contact.user_id == user_id, Contact.archived_at == stamp)
    )
    return count or 0


def restore_batch(session: Session, user_id: int, stamp: datetime) -> int:
    """Bring back the user's contacts archived together at this moment; returns how many."""
    result = session.execute(
        update(Contact)
        .where(Contact.user_id == user_id, Contact.archived_at == stamp)
        .values(archived_at=None)
        .execution_options(synchronize_session=False)
    )
    session.expire_all()
    return int(getattr(result, "rowcount", 0) or 0)
