"""The SQL form of tracker.relationships.warmth, on the warmth dates stored on each contact."""

from datetime import date

from sqlalchemy import and_, case
from sqlalchemy.sql.elements import ColumnElement

from tracker.models import Contact
from tracker.services.sql import day, days_between


def warmth_clause(warmth: str, today: date) -> ColumnElement[bool]:
    """Contacts whose stored dates put them at this warmth today."""
    if warmth == "warm":
        return Contact.cooling_on > today
    if warmth == "cooling":
        return and_(Contact.cooling_on <= today, Contact.next_due_on >= today)
    if warmth == "cold":
        return and_(Contact.next_due_on < today, Contact.dormant_after >= today)
    if warmth == "dormant":
        return Contact.dormant_after < today
    raise ValueError(f"unknown warmth: {warmth!r}")


def warmth_case(today: date) -> ColumnElement[str]:
    """The warmth of each contact today ("none" before any real touch)."""
    return case(
        (Contact.next_due_on.is_(None), "none"),
        (warmth_clause("warm", today), "warm"),
        (warmth_clause("cooling", today), "cooling"),
        (warmth_clause("cold", today), "cold"),
        else_="dormant",
    )


def overdue_ratio(today: date) -> ColumnElement[float]:
    """Days past due as a share of the cadence's days."""
    return days_between(Contact.next_due_on, day(today)) / days_between(
        Contact.last_touch_on, Contact.next_due_on
    )
