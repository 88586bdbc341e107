"""What the database keeps of a contact's history, so that lists can filter and sort by it.

Each field is worked out by the rules of this package from the contact's touchpoints and
referrals, its stage and the cadences that apply. tracker.services.derived stores them in
the transaction of every change to those; `flask recompute` and the seeded datasets use
this same function, so a stored contact always equals one derived afresh.
"""

from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass, fields
from datetime import date

from tracker.relationships.cadence import effective_cadence
from tracker.relationships.evidence import evidence
from tracker.relationships.history import Touch, first_touch, last_touch, pending_follow_up
from tracker.relationships.reciprocity import exchange_dates
from tracker.relationships.referrals import Referral
from tracker.relationships.strength import strength_level
from tracker.relationships.warmth import warmth_dates


@dataclass(frozen=True)
class Derived:
    last_touch_on: date | None
    follow_up_on: date | None
    cooling_on: date | None
    next_due_on: date | None
    dormant_after: date | None
    evidence_stage: str
    strength_level: float | None
    first_touch_on: date | None
    # The evidence's counts (its stage above; its span is last_touch_on − first_touch_on).
    real_touches: int
    touch_days: int
    worked_together: int
    consulted_me: int
    consulted_them: int
    referrals_given: int
    referrals_received: int
    # The two latest days something went each way (tracker.relationships.reciprocity).
    last_gave_on: date | None
    second_gave_on: date | None
    last_received_on: date | None
    second_received_on: date | None

    def as_dict(self) -> dict[str, object]:
        """Return the fields by name, as the contact's columns take them."""
        return dict(zip(DERIVED_FIELDS, astuple(self), strict=True))


DERIVED_FIELDS = tuple(field.name for field in fields(Derived))


def derive_fields(
    *,
    stage: str,
    own_cadence: str | None,
    tag_cadences: Iterable[str | None],
    touches: Sequence[Touch],
    referrals: Sequence[Referral],
    today: date,
) -> Derived:
    """Work out every stored field of a contact from its history."""
    last = last_touch(touches)
    dates = warmth_dates(last, effective_cadence(stage, own_cadence, tag_cadences))
    exchanged = exchange_dates(touches, referrals, today)
    found = evidence(touches, referrals, today)
    return Derived(
        last_touch_on=last,
        follow_up_on=pending_follow_up(touches),
        cooling_on=dates.cooling_on if dates else None,
        next_due_on=dates.due_on if dates else None,
        dormant_after=dates.dormant_after if dates else None,
        evidence_stage=found.stage,
        strength_level=strength_level(touches, referrals),
        first_touch_on=first_touch(touches),
        real_touches=found.real_count,
        touch_days=found.distinct_days,
        worked_together=found.worked_together,
        consulted_me=found.consulted_me,
        consulted_them=found.consulted_them,
        referrals_given=found.given,
        referrals_received=found.received,
        last_gave_on=exchanged.last_gave_on,
        second_gave_on=exchanged.second_gave_on,
        last_received_on=exchanged.last_received_on,
        second_received_on=exchanged.second_received_on,
    )
