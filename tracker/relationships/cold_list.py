"""Which contacts the morning's cold list holds, and in which order.

Readings chosen:
- A contact is on the cold list when it is cold or dormant, not archived, and not snoozed
  (a snooze holds through its last day).
- The list is ordered by how overdue each contact is for its own cadence (days past due as
  a share of the cadence's days), and on equal shares by the closer stage first.
"""

from datetime import date

from tracker.relationships.stages import stage_rank
from tracker.relationships.warmth import is_snoozed

FLAGGED_WARMTHS = frozenset({"cold", "dormant"})


def is_flagged(
    warmth: str | None, *, today: date, snoozed_until: date | None, archived: bool
) -> bool:
    """Tell whether the contact belongs on the cold list today."""
    return warmth in FLAGGED_WARMTHS and not archived and not is_snoozed(snoozed_until, today)


def cold_list_key(stage: str, ratio: float) -> tuple[float, int]:
    """Sort key for the cold list: most overdue for its cadence first, closer stages on ties."""
    return (-ratio, -stage_rank(stage))
