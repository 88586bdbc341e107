"""The SQL form of tracker.relationships.follow_ups: new cards inside their first month,
and follow-up dates the morning asks for."""

from datetime import date, timedelta

from sqlalchemy import and_, func
from sqlalchemy.sql.elements import ColumnElement

from tracker.models import Contact
from tracker.relationships.follow_ups import DUE_HORIZON_DAYS, FIRST_FOLLOW_UP
from tracker.services.sql import active
from tracker.services.sql.cold_list import not_snoozed


def met_on() -> ColumnElement[date]:
    """The day a contact was first met (else their last touch)."""
    return func.coalesce(Contact.first_met_on, Contact.last_touch_on)


def waiting_for_first_follow_up(today: date) -> ColumnElement[bool]:
    """New cards with no second meeting yet, still inside their first month."""
    return and_(
        active(),
        not_snoozed(today),
        Contact.stage == "card",
        Contact.evidence_stage == "card",
        Contact.last_touch_on.is_not(None),
        met_on() >= today - FIRST_FOLLOW_UP,
    )


def follow_up_due(today: date) -> ColumnElement[bool]:
    """A follow-up date that is past, today, or within the next seven days."""
    until = today + timedelta(days=DUE_HORIZON_DAYS)
    return and_(active(), Contact.follow_up_on.is_not(None), Contact.follow_up_on <= until)
