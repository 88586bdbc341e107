"""Bond strength: a figure that rises with each touchpoint and referral and fades.

strength = Σ weight · 2^(−age_days / 180): an item loses half its weight every 180 days.

Readings chosen:
- Items dated after the day the strength is taken for have not happened yet and
  count for nothing.
- The monthly series has one point per calendar month: the last day of each of the
  months before this one, and today for this month, which has not ended yet.
"""

import math
from collections.abc import Iterable, Mapping
from datetime import date
from types import MappingProxyType

from dateutil.relativedelta import relativedelta

from tracker.relationships.history import Touch
from tracker.relationships.referrals import Referral

HALF_LIFE_DAYS = 180
TOUCH_WEIGHTS: Mapping[str, int] = MappingProxyType(
    {
        "note": 0,  # a private note is not contact
        "message": 1,
        "call": 2,
        "card_exchange": 2,
        "event": 2,
        "meeting": 3,
        "meal": 4,
        "consulted_me": 5,
        "consulted_them": 5,
        "worked_together": 6,
    }
)
REFERRAL_WEIGHT = 8  # each referral, either direction


def touch_weight(kind: str) -> int:
    """Return the weight of one touchpoint kind."""
    if kind not in TOUCH_WEIGHTS:
        raise ValueError(f"unknown touchpoint kind: {kind!r}")
    return TOUCH_WEIGHTS[kind]


def _weighted(touches: Iterable[Touch], referrals: Iterable[Referral]) -> list[tuple[date, int]]:
    """List every item as (date, weight)."""
    items = [(touch.on, touch_weight(touch.kind)) for touch in touches]
    return items + [(referral.on, REFERRAL_WEIGHT) for referral in referrals]


def _strength_on(items: list[tuple[date, int]], day: date) -> float:
    """Sum the faded weights of the items dated on or before day."""
    return math.fsum(
        weight * 2 ** (-(day - on).days / HALF_LIFE_DAYS) for on, weight in items if on <= day
    )


def bond_strength(touches: Iterable[Touch], referrals: Iterable[Referral], today: date) -> float:
    """Return the bond strength as of today."""
    return _strength_on(_weighted(touches, referrals), today)


def strength_series_dates(today: date, months: int = 12) -> list[date]:
    """Return the days the series is taken on: past month ends, then today, oldest first."""
    if months < 1:
        raise ValueError("a series needs at least one month")
    # day=31 is clamped to the month's last day by relativedelta.
    month_ends = [today + relativedelta(months=-back, day=31) for back in range(months - 1, 0, -1)]
    return [*month_ends, today]


def strength_series(
    touches: Iterable[Touch], referrals: Iterable[Referral], today: date, months: int = 12
) -> list[float]:
    """Return the bond strength on each day of strength_series_dates, oldest first."""
    items = _weighted(touches, referrals)
    return [_strength_on(items, day) for day in strength_series_dates(today, months)]


# The stored form of the strength. Every item fades by the same factor each day, so
#   strength(today) = 2^(−(today − EPOCH)/180) · Σ weight · 2^((on − EPOCH)/180)
# and the sum does not depend on today. Its log2 (the "level") can be stored on the
# contact, sorted by directly, and turned back into the strength of any day. Items after
# that day must not exist for the identity to hold: the app refuses future-dated items.
LEVEL_EPOCH = date(2000, 1, 1)


def strength_level(touches: Iterable[Touch], referrals: Iterable[Referral]) -> float | None:
    """Return log2 of the unfaded weighted sum, or None when nothing carries weight."""
    exponents = [
        (on - LEVEL_EPOCH).days / HALF_LIFE_DAYS + math.log2(weight)
        for on, weight in _weighted(touches, referrals)
        if weight > 0
    ]
    if not exponents:
        return None
    top = max(exponents)
    return top + math.log2(math.fsum(2 ** (exponent - top) for exponent in exponents))


def strength_from_level(level: float | None, today: date) -> float:
    """Return the bond strength on a day from a stored level (0 for no level)."""
    if level is None:
        return 0.0
    return float(2 ** (level - (today - LEVEL_EPOCH).days / HALF_LIFE_DAYS))
