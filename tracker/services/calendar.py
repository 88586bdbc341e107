"""The calendar feed: follow-ups due and contacts coming due, as all-day iCalendar events.

Text is written by hand to RFC 5545: CRLF line ends, lines folded at 75 octets, and
commas, semicolons, backslashes and newlines escaped in text values.
"""

import secrets
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from tracker.models import Contact, User
from tracker.services import sql
from tracker.services.sql.cold_list import not_snoozed

PAST_DAYS = 30  # keep what fell due lately in the feed, so it is not silently dropped
AHEAD_DAYS = 90


def new_token() -> str:
    return secrets.token_urlsafe(32)


def escape(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> Iterator[str]:
    """Split a content line into pieces of at most 75 octets, never inside a character;
    each continuation starts with a space (which counts towards its 75)."""
    piece, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > 75:
            yield piece
            piece, size = " ", 1
        piece += char
        size += width
    yield piece


def _event(uid: str, day: date, summary: str, description: str, stamp: str) -> list[str]:
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{escape(summary)}",
        f"DESCRIPTION:{escape(description)}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


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
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
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
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Jinmyaku//Jinmyaku//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{escape(calendar_name)}",
    ]
    for contact in contacts:
        detail = " · ".join(part for part in (contact.company, contact.title) if part)
        if contact.follow_up_on and start <= contact.follow_up_on <= end:
            lines += _event(
                f"follow-up-{contact.id}-{contact.follow_up_on:%Y%m%d}@jinmyaku",
                contact.follow_up_on,
                follow_up_title % {"name": contact.name},
                detail,
                stamp,
            )
        if contact.next_due_on and start <= contact.next_due_on <= end:
            lines += _event(
                f"due-{contact.id}-{contact.next_due_on:%Y%m%d}@jinmyaku",
                contact.next_due_on,
                due_title % {"name": contact.name},
                detail,
                stamp,
            )
    lines.append("END:VCALENDAR")
    return "".join(piece + "\r\n" for line in lines for piece in fold(line))
