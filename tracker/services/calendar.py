"""The calendar feed: follow-ups due and contacts coming due, as all-day iCalendar events.

The text is written by the ``icalendar`` library (RFC 5545: escaping, line breaks of any
kind, CRLF line ends, folding at 75 octets); control characters, which no calendar text may
hold, are dropped first.
"""

import secrets
from datetime import UTC, date, datetime, timedelta

import icalendar
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from tracker.models import Contact, User
from tracker.services import sql
from tracker.services.sql.cold_list import not_snoozed
from tracker.text import storable

PAST_DAYS = 30  # keep what fell due lately in the feed, so it is not silently dropped
AHEAD_DAYS = 90


def new_token() -> str:
    return secrets.token_urlsafe(32)


def _event(uid: str, day: date, summary: str, description: str, stamp: datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", storable(summary))
    event.add("description", storable(description))
    event.add("transp", "TRANSPARENT")
    return event


def feed(
    session: Session,
    user: User,
    today: date,
    *,
    follow_up_title: str,
    due_title: str,
    calendar_name: str,
) -> str:
    """The user's feed: titles come translated from the caller ("… %(name)s …")."""
    start, end = today - timedelta(days=PAST_DAYS), today + timedelta(days=AHEAD_DAYS)
    stamp = datetime.now(UTC).replace(microsecond=0)
    contacts = session.scalars(
        select(Contact)
        .where(
            Contact.user_id == user.id,
            sql.active(),
            or_(
                Contact.follow_up_on.between(start, end),
                Contact.next_due_on.between(start, end) & not_snoozed(today),
            ),
        )
        .order_by(Contact.id)
    )
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Jinmyaku//Jinmyaku//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", storable(calendar_name))
    for contact in contacts:
        detail = " · ".join(part for part in (contact.company, contact.title) if part)
        for kind, day, title in (
            ("follow-up", contact.follow_up_on, follow_up_title),
            ("due", contact.next_due_on, due_title),
        ):
            if day and start <= day <= end:
                calendar.add_component(
                    _event(
                        f"{kind}-{contact.id}-{day:%Y%m%d}@jinmyaku",
                        day,
                        title % {"name": contact.name},
                        detail,
                        stamp,
                    )
                )
    return calendar.to_ical().decode("utf-8")
