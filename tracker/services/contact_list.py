"""The contact list page: each row's values worked out once, from narrow rows, so that the
page renders 50 rows without a query, an object or a lookup per row."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from tracker import text
from tracker.models import Contact
from tracker.services.contacts import ContactFilter, page_query
from tracker.services.pages import Page
from tracker.services.sql.warmth import warmth_case


@dataclass(frozen=True)
class ContactRow:
    id: int
    name: str
    reading: str
    detail: str  # company · title
    stage: str
    warmth: str | None  # None before any real touch
    last_touch_on: date | None


def contact_list(
    session: Session,
    user_id: int,
    wanted: ContactFilter,
    *,
    today: date,
    sort: str = "reading",
    page: int = 1,
    per_page: int = 50,
) -> Page[ContactRow]:
    """One page of the user's contacts as the list shows them, filtered and sorted."""
    stmt, total, page = page_query(session, user_id, wanted, today, sort, page, per_page)
    rows = session.execute(
        stmt.with_only_columns(
            Contact.id,
            Contact.family_name,
            Contact.given_name,
            Contact.family_reading,
            Contact.given_reading,
            Contact.company,
            Contact.title,
            Contact.stage,
            warmth_case(today),
            Contact.last_touch_on,
        )
    )
    items = [
        ContactRow(
            id=contact_id,
            name=Contact.name_of(family, given, company),
            reading=text.display_reading(family_reading, given_reading),
            detail=" · ".join(part for part in (company, title) if part),
            stage=stage,
            warmth=None if warmth == "none" else warmth,
            last_touch_on=last_touch_on,
        )
        for (
            contact_id,
            family,
            given,
            family_reading,
            given_reading,
            company,
            title,
            stage,
            warmth,
            last_touch_on,
        ) in rows
    ]
    return Page(items=items, number=page, per_page=per_page, total=total)
