"""What a contact's touchpoint history says on its own: the first and last real touch and
the follow-up still waiting.

Reading chosen: a follow-up date belongs to the touchpoint that set it. It stays
pending until a later real touchpoint with the contact is logged ("later" by date, and
on the same date by the order they were logged). Only the most recent follow-up date
counts; a private note neither sets contact nor clears a follow-up.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from tracker.vocabulary import REAL_TOUCHPOINT_KINDS


@dataclass(frozen=True)
class Touch:
    on: date
    kind: str
    follow_up_on: date | None = None
    order: int = 0  # the order logged (the row id): breaks ties between touches of one day

    @property
    def is_real(self) -> bool:
        return self.kind in REAL_TOUCHPOINT_KINDS


def last_touch(history: Iterable[Touch]) -> date | None:
    """The date of the most recent real touchpoint, or None."""
    return max((touch.on for touch in history if touch.is_real), default=None)


def first_touch(history: Iterable[Touch]) -> date | None:
    """The date of the earliest real touchpoint, or None."""
    return min((touch.on for touch in history if touch.is_real), default=None)


def pending_follow_up(history: Iterable[Touch]) -> date | None:
    """The follow-up date still waiting for contact, or None."""
    touches = list(history)
    setters = [touch for touch in touches if touch.follow_up_on is not None]
    if not setters:
        return None
    latest = max(setters, key=lambda touch: (touch.on, touch.order))
    answered = any(
        touch.is_real and (touch.on, touch.order) > (latest.on, latest.order) for touch in touches
    )
    return None if answered else latest.follow_up_on
