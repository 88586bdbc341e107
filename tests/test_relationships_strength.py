"""Bond strength: exact values, fading, and the monthly series."""

from datetime import date, timedelta
from itertools import pairwise

import pytest

from tracker.relationships import (
    Referral,
    Touch,
    bond_strength,
    strength_series,
    strength_series_dates,
    touch_weight,
)
from tracker.vocabulary import TOUCHPOINT_KINDS

TODAY = date(2025, 6, 15)


def t(days_ago: int, kind: str = "meeting") -> Touch:
    return Touch(on=TODAY - timedelta(days=days_ago), kind=kind)


def r(days_ago: int, direction: str = "given") -> Referral:
    return Referral(on=TODAY - timedelta(days=days_ago), direction=direction)


@pytest.mark.parametrize(
    ("touches", "referrals", "expected"),
    [
        pytest.param([], [], 0.0, id="nothing"),
        pytest.param([t(0)], [], 3.0, id="meeting-today"),
        pytest.param([t(180, "meal")], [], 2.0, id="meal-180-days-ago"),
        pytest.param([], [r(360, "given")], 2.0, id="referral-given-360-days-ago"),
        pytest.param([], [r(360, "received")], 2.0, id="referral-received-360-days-ago"),
        pytest.param([t(0, "note")], [], 0.0, id="note"),
        pytest.param([t(-1), t(-200, "worked_together")], [r(-1)], 0.0, id="future-ignored"),
        pytest.param([t(0), t(180, "meal")], [r(360)], 7.0, id="sum"),
        pytest.param([t(0), t(0)], [r(0), r(0, "received")], 22.0, id="each-item-counts"),
        pytest.param([t(540, "worked_together")], [], 0.75, id="three-half-lives"),
    ],
)
def test_bond_strength(touches: list[Touch], referrals: list[Referral], expected: float) -> None:
    assert bond_strength(touches, referrals, TODAY) == expected


def test_strength_fades_smoothly() -> None:
    assert bond_strength([t(90, "message")], [], TODAY) == pytest.approx(2**-0.5)


@pytest.mark.parametrize(
    ("kind", "weight"),
    [
        ("note", 0),
        ("message", 1),
        ("call", 2),
        ("card_exchange", 2),
        ("event", 2),
        ("meeting", 3),
        ("meal", 4),
        ("consulted_me", 5),
        ("consulted_them", 5),
        ("worked_together", 6),
    ],
)
def test_weights(kind: str, weight: int) -> None:
    assert touch_weight(kind) == weight
    assert bond_strength([t(0, kind)], [], TODAY) == weight


def test_every_kind_has_a_weight() -> None:
    assert all(touch_weight(kind) >= 0 for kind in TOUCHPOINT_KINDS)


def test_an_unknown_kind_is_an_error() -> None:
    with pytest.raises(ValueError):
        bond_strength([t(0, "lunch")], [], TODAY)


@pytest.mark.parametrize(
    ("today", "months", "expected"),
    [
        (TODAY, 1, [TODAY]),
        (TODAY, 3, [date(2025, 4, 30), date(2025, 5, 31), TODAY]),
        (date(2024, 3, 15), 2, [date(2024, 2, 29), date(2024, 3, 15)]),
        (date(2025, 5, 31), 2, [date(2025, 4, 30), date(2025, 5, 31)]),
        (date(2025, 1, 10), 3, [date(2024, 11, 30), date(2024, 12, 31), date(2025, 1, 10)]),
    ],
)
def test_series_dates(today: date, months: int, expected: list[date]) -> None:
    assert strength_series_dates(today, months) == expected


def test_series_dates_default_to_a_year() -> None:
    days = strength_series_dates(TODAY)
    assert len(days) == 12
    assert days[0] == date(2024, 7, 31)
    assert days[-1] == TODAY
    assert days == sorted(set(days))


@pytest.mark.parametrize("months", [0, -1])
def test_series_needs_a_month(months: int) -> None:
    with pytest.raises(ValueError):
        strength_series([], [], TODAY, months)


@pytest.mark.parametrize("months", [1, 6, 12, 24])
def test_series_length_and_last_point(months: int) -> None:
    touches = [t(400), t(100, "meal")]
    series = strength_series(touches, [r(50)], TODAY, months)
    assert len(series) == months
    assert series[-1] == bond_strength(touches, [r(50)], TODAY)


def test_series_points_are_the_strength_on_their_days() -> None:
    touches = [t(300), t(200, "meal"), t(20, "call")]
    referrals = [r(150, "received")]
    expected = [bond_strength(touches, referrals, day) for day in strength_series_dates(TODAY)]
    assert strength_series(touches, referrals, TODAY) == expected


def test_series_falls_between_touches_and_jumps_at_one() -> None:
    touches = [
        Touch(on=date(2024, 7, 10), kind="meeting"),
        Touch(on=date(2025, 1, 10), kind="meal"),
    ]
    series = strength_series(touches, [], TODAY)
    jump = strength_series_dates(TODAY).index(date(2025, 1, 31))
    before, after = series[:jump], series[jump:]
    assert all(a > b for a, b in pairwise(before))
    assert series[jump] > series[jump - 1]
    assert all(a > b for a, b in pairwise(after))


def test_series_counts_an_item_only_from_its_day() -> None:
    series = strength_series([Touch(on=date(2025, 3, 5), kind="meeting")], [], TODAY)
    days = strength_series_dates(TODAY)
    for day, value in zip(days, series, strict=True):
        assert (value > 0) is (day >= date(2025, 3, 5))


def test_the_stored_level_gives_back_the_strength_of_any_later_day():
    from tracker.relationships import strength_from_level, strength_level

    touches = [
        Touch(date(2024, 2, 29), "meal"),
        Touch(date(2026, 1, 31), "meeting"),
        Touch(date(2026, 11, 1), "note"),
    ]
    referrals = [Referral(date(2025, 6, 1), "given")]
    level = strength_level(touches, referrals)
    for today in [date(2026, 11, 1), date(2027, 5, 1), date(2030, 1, 1)]:
        assert strength_from_level(level, today) == pytest.approx(
            bond_strength(touches, referrals, today), rel=1e-9
        )
    assert strength_level([Touch(date(2026, 1, 1), "note")], []) is None
    assert strength_from_level(None, date(2026, 1, 1)) == 0.0


def test_levels_order_contacts_as_their_strengths_do():
    from tracker.relationships import strength_level

    today = date(2026, 11, 27)
    histories = [
        [Touch(date(2026, 11, 20), "message")],
        [Touch(date(2025, 1, 1), "worked_together"), Touch(date(2025, 2, 1), "meal")],
        [Touch(date(2026, 6, 1), "meeting")],
    ]
    by_level = sorted(range(3), key=lambda i: strength_level(histories[i], []) or 0.0)
    by_strength = sorted(range(3), key=lambda i: bond_strength(histories[i], [], today))
    assert by_level == by_strength
