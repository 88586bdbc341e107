"""When a relationship cools down: warm, cooling, cold, dormant.

Readings chosen:
- The warmth boundaries are three dates worked out from the last real touch, so that
  the database can store them and filter by them:
  warm while today < cooling_on; cooling from cooling_on through due_on (the due day
  itself is "due today", still cooling); cold from the day after due_on through
  dormant_after; dormant from the day after dormant_after.
- cooling_on is 75 % of the cadence's days after the last touch, rounded up, so a
  contact is never called cooling before three quarters have fully passed.
- A snooze lasts through the snooze date itself: the contact is flagged again the
  day after it.
- overdue_days and overdue_ratio are signed: before the due day they are negative.
"""

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import overload

from tracker.relationships.cadence import Cadence

WARMTHS = ("warm", "cooling", "cold", "dormant")  # warmest first
COOLING_SHARE = 0.75
DORMANT_CADENCES = 3


@dataclass(frozen=True)
class WarmthDates:
    # last_touch is kept so that the cadence's length in days stays known (overdue_ratio).
    last_touch: date
    cooling_on: date
    due_on: date
    dormant_after: date

    def __post_init__(self) -> None:
        if not self.last_touch < self.cooling_on <= self.due_on < self.dormant_after:
            raise ValueError("warmth dates must run last touch < cooling <= due < dormant")

    @property
    def cadence_days(self) -> int:
        """Return the days from the last touch to the due day."""
        return (self.due_on - self.last_touch).days


def due_date(last_touch: date, cadence: Cadence) -> date:
    """Return the day the next touch is due."""
    return cadence.after(last_touch)


@overload
def warmth_dates(last_touch: date, cadence: Cadence) -> WarmthDates: ...
@overload
def warmth_dates(last_touch: None, cadence: Cadence) -> None: ...
def warmth_dates(last_touch: date | None, cadence: Cadence) -> WarmthDates | None:
    """Work out the warmth boundaries from the last real touch; None if there is none."""
    if last_touch is None:
        return None
    due_on = due_date(last_touch, cadence)
    cadence_days = (due_on - last_touch).days
    return WarmthDates(
        last_touch=last_touch,
        cooling_on=last_touch + timedelta(days=math.ceil(COOLING_SHARE * cadence_days)),
        due_on=due_on,
        dormant_after=cadence.after(last_touch, DORMANT_CADENCES),
    )


def warmth(dates: WarmthDates | None, today: date) -> str | None:
    """Return warm, cooling, cold or dormant; None before any real touch."""
    if dates is None:
        return None
    if today < dates.cooling_on:
        return "warm"
    if today <= dates.due_on:
        return "cooling"
    if today <= dates.dormant_after:
        return "cold"
    return "dormant"


def is_snoozed(snoozed_until: date | None, today: date) -> bool:
    """Tell whether a snooze still holds today (it holds through its last day)."""
    return snoozed_until is not None and today <= snoozed_until


def overdue_days(due_on: date, today: date) -> int:
    """Return the days past the due day (negative while it is still ahead)."""
    return (today - due_on).days


def overdue_ratio(dates: WarmthDates, today: date) -> float:
    """Return the days past due as a share of the cadence's days."""
    return overdue_days(dates.due_on, today) / dates.cadence_days
