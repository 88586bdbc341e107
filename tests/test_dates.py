"""Dates typed leniently, and today in a time zone."""

from datetime import date

import pytest

from tracker.dates import parse_date, today_in

TODAY = date(2026, 11, 27)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-11-27", date(2026, 11, 27)),
        ("2026/11/27", date(2026, 11, 27)),
        ("27 Nov 2026", date(2026, 11, 27)),
        ("Nov 27, 2026", date(2026, 11, 27)),
        ("2026年11月27日", date(2026, 11, 27)),
        ("２０２６／１１／２７", date(2026, 11, 27)),
        ("2024-02-29", date(2024, 2, 29)),
        ("3 Dec", date(2026, 12, 3)),
        (" 2026-1-5 ", date(2026, 1, 5)),
    ],
)
def test_lenient_dates(typed, expected):
    assert parse_date(typed, today=TODAY) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "tomorrow-ish",
        "2026-02-30",
        "2026-13-01",
        "1800-01-01",
        "9999-01-01",
        "x" * 10_000,
        "31/31/31",
    ],
)
def test_not_dates(typed):
    with pytest.raises(ValueError):
        parse_date(typed, today=TODAY)


def test_today_uses_the_time_zone_or_the_fixed_date():
    assert today_in("Asia/Tokyo", "2026-11-27") == TODAY
    assert today_in("Not/A_Zone", TODAY) == TODAY
    assert isinstance(today_in("Pacific/Kiritimati"), date)
