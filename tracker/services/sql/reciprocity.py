"""The SQL form of tracker.relationships.reciprocity: which relationships ran one way, on
the days of the latest exchanges stored on each contact."""

from datetime import date

from sqlalchemy import and_, case, null, or_
from sqlalchemy.sql.elements import ColumnElement

from tracker.models import Contact
from tracker.relationships.periods import window_start
from tracker.relationships.reciprocity import RECIPROCITY_MONTHS


def one_way(today: date) -> ColumnElement[str | None]:
    """only_i_give, only_they_give, or NULL, over the last 24 months (nothing is dated after
    today): two or more items one way (ONE_WAY_MINIMUM) is the second latest inside the
    window, none the other way is the latest outside it."""
    since = window_start(today, RECIPROCITY_MONTHS)
    gave_none = or_(Contact.last_gave_on.is_(None), Contact.last_gave_on < since)
    received_none = or_(Contact.last_received_on.is_(None), Contact.last_received_on < since)
    return case(
        (and_(Contact.second_gave_on >= since, received_none), "only_i_give"),
        (and_(Contact.second_received_on >= since, gave_none), "only_they_give"),
        else_=null(),
    )
