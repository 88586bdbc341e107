"""The contact fields derived from touchpoints, kept exact in the writing transaction."""

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import Contact, Touchpoint, touchpoint_contacts
from tracker.relationships.history import Touch, last_touch, pending_follow_up


def refresh_contacts(session: Session, contact_ids: Iterable[int]) -> None:
    """Recompute last touch and pending follow-up of these contacts from their history.

    The contact rows are locked first (FOR UPDATE on PostgreSQL; SQLite's write
    transaction already holds the database), so two writers cannot interleave.
    """
    ids = sorted(set(contact_ids))
    if not ids:
        return
    session.flush()
    contacts = session.scalars(
        select(Contact).where(Contact.id.in_(ids)).order_by(Contact.id).with_for_update()
    ).all()
    histories: dict[int, list[Touch]] = defaultdict(list)
    rows = session.execute(
        select(
            touchpoint_contacts.c.contact_id,
            Touchpoint.id,
            Touchpoint.occurred_on,
            Touchpoint.kind,
            Touchpoint.follow_up_on,
        )
        .join(Touchpoint, Touchpoint.id == touchpoint_contacts.c.touchpoint_id)
        .where(touchpoint_contacts.c.contact_id.in_(ids))
    )
    for contact_id, tp_id, on, kind, follow_up_on in rows:
        histories[contact_id].append(
            Touch(on=on, kind=kind, follow_up_on=follow_up_on, order=tp_id)
        )
    for contact in contacts:
        history = histories[contact.id]
        contact.last_touch_on = last_touch(history)
        contact.follow_up_on = pending_follow_up(history)
