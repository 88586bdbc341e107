"""The relationship rules of DESIGN.md, in pure Python: no Flask, no SQLAlchemy.

They take plain values (dates, kinds, counts) and return plain values, so that they
can be read, tested and changed on their own. Where the database applies a rule for
speed, its SQL form sits in the module of tracker.services.sql named after the rule's
module here, and a parity test proves the two agree.
"""

from tracker.relationships.cadence import (
    DEFAULT_CADENCES,
    Cadence,
    effective_cadence,
    parse_cadence,
)
from tracker.relationships.cold_list import cold_list_key, is_faded, is_flagged, met_only_once
from tracker.relationships.derived import DERIVED_FIELDS, Derived, derive_fields
from tracker.relationships.evidence import (
    Evidence,
    evidence,
    evidence_from_counts,
    is_promotion_candidate,
    label_supported,
    unsupported_reason,
)
from tracker.relationships.follow_ups import (
    awaits_first_follow_up,
    first_follow_up_days_left,
    follow_up_when,
    met_on,
)
from tracker.relationships.history import Touch, first_touch, last_touch, pending_follow_up
from tracker.relationships.periods import window_start
from tracker.relationships.reciprocity import (
    ExchangeDates,
    Reciprocity,
    exchange_dates,
    one_way,
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
    due_date,
    is_snoozed,
    overdue_days,
    overdue_ratio,
    warmth,
    warmth_dates,
)

__all__ = [
    "DEFAULT_CADENCES",
    "DERIVED_FIELDS",
    "REFERRAL_DIRECTIONS",
    "REFERRAL_WEIGHT",
    "TOUCH_WEIGHTS",
    "WARMTHS",
    "Cadence",
    "Derived",
    "Evidence",
    "ExchangeDates",
    "Reciprocity",
    "Referral",
    "Touch",
    "WarmthDates",
    "awaits_first_follow_up",
    "bond_strength",
    "cold_list_key",
    "derive_fields",
    "due_date",
    "effective_cadence",
    "evidence",
    "evidence_from_counts",
    "exchange_dates",
    "first_follow_up_days_left",
    "first_touch",
    "follow_up_when",
    "is_faded",
    "is_flagged",
    "is_promotion_candidate",
    "is_snoozed",
    "label_supported",
    "last_touch",
    "met_on",
    "met_only_once",
    "one_way",
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
    "unsupported_reason",
    "warmth",
    "warmth_dates",
    "window_start",
]
