"""Which contacts the morning's cold list holds, in which order, and which faded cards
leave it for a list of their own.

Readings chosen:
- A contact is flagged when it is cold or dormant, not archived, and not snoozed (a snooze
  holds through its last day).
- A faded card is a flagged contact labelled a card, dormant (past 3 × its cadence), with no
  real touchpoint after the first day: the day first met, or the first real touch when that
  is earlier or no first-met day is known. Faded cards leave the cold list.
- The cold list is ordered by stage first (collaborators, trusted, acquaintances, cards)
  and, within a stage, by how overdue each contact is for its own cadence: days past due as
  a share of the cadence's days.
"""

from datetime import date

from tracker.relationships.stages import stage_rank
from tracker.relationships.warmth import is_snoozed

FLAGGED_WARMTHS = frozenset({"cold", "dormant"})


def is_flagged(
    warmth: str | None, *, today: date, snoozed_until: date | None, archived: bool
) -> bool:
    """Tell whether the contact is cold or dormant and neither snoozed nor archived."""
    return warmth in FLAGGED_WARMTHS and not archived and not is_snoozed(snoozed_until, today)


def met_only_once(
    first_met_on: date | None, first_touch_on: date | None, last_touch_on: date | None
) -> bool:
    """Tell whether every real touch fell on the first day (and there was one)."""
    if first_touch_on is None or last_touch_on is None:
        return False
    first_day = min(first_touch_on, first_met_on) if first_met_on else first_touch_on
    return last_touch_on <= first_day


def is_faded(stage: str, warmth: str | None, *, met_once: bool) -> bool:
    """Tell whether a flagged contact is a faded card: met once, long past its cadence."""
    return stage == "card" and warmth == "dormant" and met_once


def cold_list_key(stage: str, ratio: float) -> tuple[int, float]:
    """Sort key for the cold list: closer stages first, then most overdue for its cadence."""
    return (-stage_rank(stage), -ratio)
