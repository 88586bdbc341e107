"""The relationship rules of DESIGN.md, in pure Python: no Flask, no SQLAlchemy.

They take plain values (dates, kinds, counts) and return plain values, so that they
can be read, tested and changed on their own.
"""

from tracker.relationships.cadence import (
    DEFAULT_CADENCES,
    Cadence,
    effective_cadence,
    parse_cadence,
)
from tracker.relationships.evidence import (
    Evidence,
    evidence,
    evidence_from_counts,
    is_promotion_candidate,
    is_unsupported_label,
)
from tracker.relationships.history import Touch, last_touch, pending_follow_up
from tracker.relationships.periods import in_window, window_start
from tracker.relationships.reciprocity import (
    Reciprocity,
    one_way,
    overall_reciprocity,
    reciprocity,
)
from tracker.relationships.referrals import REFERRAL_DIRECTIONS, Referral
from tracker.relationships.stages import stage_rank
from tracker.relationships.strength import (
    REFERRAL_WEIGHT,
    TOUCH_WEIGHTS,
    bond_strength,
    strength_from_level,
    strength_level,
    strength_series,
    strength_series_dates,
    touch_weight,
)
from tracker.relationships.warmth import (
    WARMTHS,
    WarmthDates,
    cold_list_key,
    due_date,
    is_flagged,
    is_snoozed,
    overdue_days,
    overdue_ratio,
    warmth,
    warmth_dates,
)

__all__ = [
    "DEFAULT_CADENCES",
    "REFERRAL_DIRECTIONS",
    "REFERRAL_WEIGHT",
    "TOUCH_WEIGHTS",
    "WARMTHS",
    "Cadence",
    "Evidence",
    "Reciprocity",
    "Referral",
    "Touch",
    "WarmthDates",
    "bond_strength",
    "cold_list_key",
    "due_date",
    "effective_cadence",
    "evidence",
    "evidence_from_counts",
    "in_window",
    "is_flagged",
    "is_promotion_candidate",
    "is_snoozed",
    "is_unsupported_label",
    "last_touch",
    "one_way",
    "overall_reciprocity",
    "overdue_days",
    "overdue_ratio",
    "parse_cadence",
    "pending_follow_up",
    "reciprocity",
    "stage_rank",
    "strength_from_level",
    "strength_level",
    "strength_series",
    "strength_series_dates",
    "touch_weight",
    "warmth",
    "warmth_dates",
    "window_start",
]
