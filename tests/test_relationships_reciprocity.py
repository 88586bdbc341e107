"""Reciprocity: what went each way over 24 months, and one-way relationships."""

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta

from tracker.relationships import (
    ExchangeDates,
    Reciprocity,
    Referral,
    Touch,
    exchange_dates,
    one_way,
    reciprocity,
)

TODAY = date(2025, 6, 15)
TWO_YEARS_AGO = TODAY - relativedelta(months=24)


def t(days_ago: int, kind: str) -> Touch:
    return Touch(on=TODAY - timedelta(days=days_ago), kind=kind)


def r(days_ago: int, direction: str) -> Referral:
    return Referral(on=TODAY - timedelta(days=days_ago), direction=direction)


@pytest.mark.parametrize(
    ("touches", "referrals", "expected"),
    [
        pytest.param([], [], (0, 0, None), id="nothing"),
        pytest.param([], [r(10, "given"), r(5, "given")], (2, 0, "only_i_give"), id="2-given"),
        pytest.param(
            [t(10, "consulted_them"), t(5, "consulted_them")],
            [],
            (0, 2, "only_they_give"),
            id="2-consulted-them",
        ),
        pytest.param(
            [t(10, "consulted_me")], [r(5, "given")], (2, 0, "only_i_give"), id="counted-together"
        ),
        pytest.param(
            [t(10, "consulted_me")],
            [r(5, "given"), r(3, "received")],
            (2, 1, None),
            id="2-vs-1",
        ),
        pytest.param([], [r(5, "received")], (0, 1, None), id="1-vs-0"),
        pytest.param(
            [t(1, "meeting"), t(2, "worked_together"), t(3, "note")],
            [r(5, "received"), r(4, "received")],
            (0, 2, "only_they_give"),
            id="other-kinds-dont-count",
        ),
        pytest.param(
            [],
            [r(10, "given"), r(5, "given"), r(800, "received")],
            (2, 0, "only_i_give"),
            id="older-than-24-months-ignored",
        ),
        pytest.param(
            [t(800, "consulted_them")],
            [r(10, "given"), r(5, "given")],
            (2, 0, "only_i_give"),
            id="old-consultation-ignored",
        ),
        pytest.param(
            [t(-1, "consulted_them")],
            [r(10, "given"), r(5, "given"), r(-3, "received")],
            (2, 0, "only_i_give"),
            id="future-ignored",
        ),
    ],
)
def test_reciprocity(
    touches: list[Touch], referrals: list[Referral], expected: tuple[int, int, str | None]
) -> None:
    found = reciprocity(touches, referrals, TODAY)
    assert (found.gave, found.received, found.one_way) == expected


def test_reciprocity_counts() -> None:
    touches = [t(10, "consulted_me"), t(20, "consulted_them"), t(30, "consulted_them")]
    referrals = [r(1, "given"), r(2, "given"), r(3, "given"), r(4, "received")]
    assert reciprocity(touches, referrals, TODAY) == Reciprocity(
        gave=4,
        received=3,
        gave_referrals=3,
        received_referrals=1,
        consulted_me=1,
        consulted_them=2,
        one_way=None,
    )


@pytest.mark.parametrize(
    ("on", "counted"),
    [(TWO_YEARS_AGO, True), (TWO_YEARS_AGO - timedelta(days=1), False)],
)
def test_the_24_month_window_includes_its_first_day(on: date, counted: bool) -> None:
    referrals = [Referral(on=on, direction="received"), r(1, "given"), r(2, "given")]
    found = reciprocity([], referrals, TODAY)
    assert found.received_referrals == (1 if counted else 0)
    assert found.one_way == (None if counted else "only_i_give")


def test_the_window_can_be_shortened() -> None:
    found = reciprocity([], [r(10, "given"), r(200, "given")], TODAY, months=6)
    assert (found.gave, found.one_way) == (1, None)


@pytest.mark.parametrize(
    ("gave", "received", "expected"),
    [
        (0, 0, None),
        (1, 0, None),
        (2, 0, "only_i_give"),
        (5, 0, "only_i_give"),
        (0, 2, "only_they_give"),
        (2, 1, None),
        (1, 2, None),
        (3, 3, None),
    ],
)
def test_one_way(gave: int, received: int, expected: str | None) -> None:
    assert one_way(gave, received) == expected


def test_exchange_dates_keep_the_two_latest_days_each_way() -> None:
    touches = [
        t(50, "consulted_me"),
        t(10, "consulted_me"),
        t(5, "consulted_them"),
        t(3, "meeting"),
        t(-1, "consulted_me"),  # after today: not yet
    ]
    referrals = [r(10, "given"), r(400, "received")]
    dates = exchange_dates(touches, referrals, TODAY)
    day = TODAY - timedelta(days=10)
    assert (dates.last_gave_on, dates.second_gave_on) == (day, day)  # two items on one day
    assert dates.last_received_on == TODAY - timedelta(days=5)
    assert dates.second_received_on == TODAY - timedelta(days=400)
    assert exchange_dates([], [], TODAY) == ExchangeDates(None, None, None, None)
