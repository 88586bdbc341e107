"""Which follow-ups the morning asks for: new cards still inside their first month, and
follow-up dates that are past, today or coming within a week.

Readings chosen:
- The day a contact was met is the first-met date when there is one, else the last real
  touch (a card logged without a date was met when it was logged).
- A new card waits for its first follow-up while it is labelled a card, its evidence is
  still a card's (no second day of contact), it has been touched, and the month after the
  day met has not run out (the day a month later is the last day). Snoozed and archived
  contacts wait for nothing.
- A follow-up date is overdue before today, due today on the day, and soon within the
  next seven days; later dates are not yet asked for. Archived contacts are not asked for.
"""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from tracker.relationships.warmth import is_snoozed

FIRST_FOLLOW_UP = relativedelta(months=1)  # the essay's "after a month I don't remember the face"
DUE_HORIZON_DAYS = 7


def met_on(first_met_on: date | None, last_touch_on: date | None) -> date | None:
    """Return the day the contact was met: the first-met date, else the last real touch."""
    return first_met_on or last_touch_on


def awaits_first_follow_up(
    *,
    stage: str,
    evidence_stage: str,
    met: date | None,
    last_touch_on: date | None,
    today: date,
    snoozed_until: date | None,
    archived: bool,
) -> bool:
    """Tell whether a new card still waits for its first follow-up, inside its month."""
    return (
        stage == "card"
        and evidence_stage == "card"
        and last_touch_on is not None
        and met is not None
        and met >= today - FIRST_FOLLOW_UP
        and not archived
        and not is_snoozed(snoozed_until, today)
    )


def first_follow_up_days_left(met: date, today: date) -> int:
    """Return the days left before the one-month mark (0 on its last day)."""
    return ((met + FIRST_FOLLOW_UP) - today).days


def follow_up_when(follow_up_on: date | None, today: date, *, archived: bool) -> str | None:
    """Return overdue, today or soon for a follow-up the morning asks for, else None."""
    if follow_up_on is None or archived or follow_up_on > today + timedelta(DUE_HORIZON_DAYS):
        return None
    if follow_up_on < today:
        return "overdue"
    return "today" if follow_up_on == today else "soon"
