"""The SQL form of tracker.relationships.cold_list: who is on the cold list, in its order."""

from datetime import date
from typing import Any

from sqlalchemy import and_, or_
from sqlalchemy.sql.elements import ColumnElement

from tracker.models import Contact
from tracker.services.sql import active
from tracker.services.sql.stages import stage_rank
from tracker.services.sql.warmth import overdue_ratio


def not_snoozed(today: date) -> ColumnElement[bool]:
    """The snooze holds through its last day."""
    return or_(Contact.snoozed_until.is_(None), Contact.snoozed_until < today)


def flagged(today: date) -> ColumnElement[bool]:
    """On the cold list: cold or dormant, active, not snoozed."""
    return and_(Contact.next_due_on < today, active(), not_snoozed(today))


def cold_order(today: date) -> list[Any]:
    """The cold list's order (as cold_list_key), then by name and id; contacts never
    touched (no ratio) last, when a list holds them."""
    return [
        overdue_ratio(today).desc().nulls_last(),
        stage_rank().desc(),
        Contact.sort_key,
        Contact.id,
    ]
