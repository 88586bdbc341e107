"""Reciprocity: what I gave a contact against what I received from them.

What I gave: referrals given and their consultations of me (consulted_me). What I
received: referrals received and my consultations of them (consulted_them). Counted
over the last 24 months (see periods for the window's edges).

The database keeps, for each contact, the days of the two latest items each way
(exchange_dates): a window holds two or more items one way exactly when the second latest
is inside it, and none when the latest is not. That is enough for the one-way rule and for
the 12 months a collaborator label asks of its exchanges, on any later day.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from tracker.relationships.history import Touch
from tracker.relationships.periods import window_start
from tracker.relationships.referrals import Referral

RECIPROCITY_MONTHS = 24
ONE_WAY_MINIMUM = 2  # one side needs at least this many, the other none


@dataclass(frozen=True)
class Reciprocity:
    gave: int
    received: int
    gave_referrals: int
    received_referrals: int
    consulted_me: int
    consulted_them: int
    one_way: str | None  # None, "only_i_give" or "only_they_give"


def reciprocity(
    touches: Iterable[Touch],
    referrals: Iterable[Referral],
    today: date,
    months: int = RECIPROCITY_MONTHS,
) -> Reciprocity:
    """Count what went each way in the window that ends today."""
    since = window_start(today, months)  # once, not per item: it is relativedelta
    kinds = [touch.kind for touch in touches if since <= touch.on <= today]
    recent = [referral for referral in referrals if since <= referral.on <= today]
    gave_referrals = sum(1 for referral in recent if referral.is_given)
    received_referrals = len(recent) - gave_referrals
    consulted_me = kinds.count("consulted_me")
    consulted_them = kinds.count("consulted_them")
    gave = gave_referrals + consulted_me
    received = received_referrals + consulted_them
    return Reciprocity(
        gave=gave,
        received=received,
        gave_referrals=gave_referrals,
        received_referrals=received_referrals,
        consulted_me=consulted_me,
        consulted_them=consulted_them,
        one_way=one_way(gave, received),
    )


@dataclass(frozen=True)
class ExchangeDates:
    last_gave_on: date | None
    second_gave_on: date | None  # the day of the item before the latest (may be the same)
    last_received_on: date | None
    second_received_on: date | None


def exchange_dates(
    touches: Iterable[Touch], referrals: Iterable[Referral], today: date
) -> ExchangeDates:
    """Return the days of the two latest items each way, up to today."""
    gave: list[date] = []
    received: list[date] = []
    for touch in touches:
        if touch.on <= today and touch.kind in ("consulted_me", "consulted_them"):
            (gave if touch.kind == "consulted_me" else received).append(touch.on)
    for referral in referrals:
        if referral.on <= today:
            (gave if referral.is_given else received).append(referral.on)
    gave.sort(reverse=True)
    received.sort(reverse=True)
    return ExchangeDates(
        last_gave_on=gave[0] if gave else None,
        second_gave_on=gave[1] if len(gave) > 1 else None,
        last_received_on=received[0] if received else None,
        second_received_on=received[1] if len(received) > 1 else None,
    )


def one_way(gave: int, received: int) -> str | None:
    """Name the one-way direction, if one side has given enough and the other nothing."""
    if gave >= ONE_WAY_MINIMUM and received == 0:
        return "only_i_give"
    if received >= ONE_WAY_MINIMUM and gave == 0:
        return "only_they_give"
    return None
