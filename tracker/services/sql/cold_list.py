"""The SQL form of tracker.relationships.cold_list: who is flagged, which faded cards leave
the cold list, and the cold list's order."""

from datetime import date
from typing import Any

from sqlalchemy import and_, not_, or_
from sqlalchemy.sql.elements import ColumnElement

from tracker.models import Contact
from tracker.services.sql import active
from tracker.services.sql.stages import stage_rank
from tracker.services.sql.warmth import overdue_ratio, warmth_clause


def not_snoozed(today: date) -> ColumnElement[bool]:
    """The snooze holds through its last day."""
    return or_(Contact.snoozed_until.is_(None), Contact.snoozed_until < today)


def flagged(today: date) -> ColumnElement[bool]:
    """Cold or dormant, active, not snoozed."""
    return and_(Contact.next_due_on < today, active(), not_snoozed(today))


def met_only_once() -> ColumnElement[bool]:
    """Every real touch fell on the first day (the day first met, or the first touch).
    Never NULL, so that its negation is exact."""
    return and_(
        Contact.first_touch_on.is_not(None),
        Contact.last_touch_on.is_not(None),
        Contact.last_touch_on <= Contact.first_touch_on,
        or_(Contact.first_met_on.is_(None), Contact.last_touch_on <= Contact.first_met_on),
    )


def fades(today: date) -> ColumnElement[bool]:
    """Of a flagged contact: whether it is a faded card (a card met once, dormant)."""
    return and_(Contact.stage == "card", warmth_clause("dormant", today), met_only_once())


def faded(today: date) -> ColumnElement[bool]:
    """The faded cards: flagged, and fading."""
    return and_(flagged(today), fades(today))


def on_cold_list(today: date) -> ColumnElement[bool]:
    """The cold list: flagged, and not a faded card."""
    return and_(flagged(today), not_(fades(today)))


def cold_order(today: date) -> list[Any]:
    """The cold list's order (as cold_list_key), then by name and id; contacts never
    touched (no ratio) last, when a list holds them."""
    return [
        stage_rank().desc(),
        overdue_ratio(today).desc().nulls_last(),
        Contact.sort_key,
        Contact.id,
    ]
