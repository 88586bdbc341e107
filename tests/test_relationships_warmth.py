"""Due dates, warmth on its exact boundary days, flags and the cold list's order."""

from datetime import date, timedelta

import pytest

from tracker.relationships import (
    Cadence,
    WarmthDates,
    due_date,
    is_flagged,
    is_snoozed,
    overdue_days,
    overdue_ratio,
    warmth,
    warmth_dates,
)

MONTHLY = Cadence(months=1)
SIX_WEEKS = Cadence(days=42)
LAST = date(2025, 3, 1)
DAY = timedelta(days=1)


@pytest.mark.parametrize(
    ("last", "cadence", "expected"),
    [
        (date(2025, 1, 31), MONTHLY, date(2025, 2, 28)),
        (date(2028, 1, 31), MONTHLY, date(2028, 2, 29)),
        (date(2024, 2, 29), Cadence(months=12), date(2025, 2, 28)),
        (date(2025, 3, 31), Cadence(months=3), date(2025, 6, 30)),
        (date(2025, 3, 1), SIX_WEEKS, date(2025, 4, 12)),
        (date(2025, 12, 20), Cadence(days=14), date(2026, 1, 3)),
    ],
)
def test_due_date(last: date, cadence: Cadence, expected: date) -> None:
    assert due_date(last, cadence) == expected


@pytest.mark.parametrize(
    ("last", "cadence", "expected"),
    [
        # 31 days: cooling after ceil(23.25) = 24 days; dormant after 3 months.
        (LAST, MONTHLY, (date(2025, 3, 25), date(2025, 4, 1), date(2025, 6, 1))),
        # 42 days: cooling after ceil(31.5) = 32 days; dormant after 126 days.
        (LAST, SIX_WEEKS, (date(2025, 4, 2), date(2025, 4, 12), date(2025, 7, 5))),
        # A short month: 28 days, so cooling after 21; dormant on the 30 Apr jump.
        (date(2025, 1, 31), MONTHLY, (date(2025, 2, 21), date(2025, 2, 28), date(2025, 4, 30))),
        # 28 days exactly: 75 % is a whole 21 days, no rounding.
        (LAST, Cadence(days=28), (date(2025, 3, 22), date(2025, 3, 29), date(2025, 5, 24))),
        # One day: cooling and due fall on the same day.
        (LAST, Cadence(days=1), (date(2025, 3, 2), date(2025, 3, 2), date(2025, 3, 4))),
    ],
)
def test_warmth_dates(last: date, cadence: Cadence, expected: tuple[date, date, date]) -> None:
    dates = warmth_dates(last, cadence)
    assert (dates.cooling_on, dates.due_on, dates.dormant_after) == expected
    assert dates.last_touch == last
    assert dates.cadence_days == (dates.due_on - last).days


def test_no_real_touch_means_no_warmth() -> None:
    assert warmth_dates(None, MONTHLY) is None
    assert warmth(None, date(2025, 1, 1)) is None


@pytest.mark.parametrize(
    ("cadence", "day", "expected"),
    [
        (MONTHLY, LAST, "warm"),
        (MONTHLY, date(2025, 3, 24), "warm"),  # the day before cooling_on
        (MONTHLY, date(2025, 3, 25), "cooling"),  # cooling_on
        (MONTHLY, date(2025, 4, 1), "cooling"),  # due_on: "due today"
        (MONTHLY, date(2025, 4, 2), "cold"),  # the day after due_on
        (MONTHLY, date(2025, 6, 1), "cold"),  # dormant_after
        (MONTHLY, date(2025, 6, 2), "dormant"),  # the day after dormant_after
        (MONTHLY, date(2030, 1, 1), "dormant"),
        (SIX_WEEKS, LAST, "warm"),
        (SIX_WEEKS, date(2025, 4, 1), "warm"),
        (SIX_WEEKS, date(2025, 4, 2), "cooling"),
        (SIX_WEEKS, date(2025, 4, 12), "cooling"),
        (SIX_WEEKS, date(2025, 4, 13), "cold"),
        (SIX_WEEKS, date(2025, 7, 5), "cold"),
        (SIX_WEEKS, date(2025, 7, 6), "dormant"),
    ],
)
def test_warmth_boundaries(cadence: Cadence, day: date, expected: str) -> None:
    assert warmth(warmth_dates(LAST, cadence), day) == expected


def test_warmth_reads_dates_rebuilt_from_storage() -> None:
    stored = WarmthDates(
        last_touch=LAST,
        cooling_on=date(2025, 3, 25),
        due_on=date(2025, 4, 1),
        dormant_after=date(2025, 6, 1),
    )
    assert stored == warmth_dates(LAST, MONTHLY)
    assert warmth(stored, date(2025, 4, 2)) == "cold"


@pytest.mark.parametrize(
    "order",
    [
        (LAST, LAST, date(2025, 4, 1), date(2025, 6, 1)),  # cooling on the touch day
        (LAST, date(2025, 4, 2), date(2025, 4, 1), date(2025, 6, 1)),  # cooling after due
        (LAST, date(2025, 3, 25), date(2025, 4, 1), date(2025, 4, 1)),  # dormant on due
    ],
)
def test_warmth_dates_refuse_an_impossible_order(order: tuple[date, date, date, date]) -> None:
    with pytest.raises(ValueError):
        WarmthDates(*order)


TODAY = date(2025, 5, 10)


@pytest.mark.parametrize(
    ("state", "snoozed_until", "archived", "expected"),
    [
        ("cold", None, False, True),
        ("dormant", None, False, True),
        ("warm", None, False, False),
        ("cooling", None, False, False),
        (None, None, False, False),
        ("cold", None, True, False),
        ("dormant", None, True, False),
        # A snooze holds through its own day and lapses the day after.
        ("cold", TODAY + DAY, False, False),
        ("cold", TODAY, False, False),
        ("cold", TODAY - DAY, False, True),
        ("dormant", TODAY, False, False),
        ("dormant", TODAY - timedelta(days=400), False, True),
        ("cold", TODAY - DAY, True, False),
    ],
)
def test_is_flagged(
    state: str | None, snoozed_until: date | None, archived: bool, expected: bool
) -> None:
    flagged = is_flagged(state, today=TODAY, snoozed_until=snoozed_until, archived=archived)
    assert flagged is expected


@pytest.mark.parametrize(
    ("snoozed_until", "expected"),
    [(None, False), (TODAY - DAY, False), (TODAY, True), (TODAY + DAY, True)],
)
def test_is_snoozed(snoozed_until: date | None, expected: bool) -> None:
    assert is_snoozed(snoozed_until, TODAY) is expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [(date(2025, 4, 11), 10), (date(2025, 4, 1), 0), (date(2025, 3, 30), -2)],
)
def test_overdue_days(day: date, expected: int) -> None:
    assert overdue_days(date(2025, 4, 1), day) == expected


@pytest.mark.parametrize(
    ("cadence", "day", "expected"),
    [
        (MONTHLY, date(2025, 5, 2), 1.0),  # 31 days past a 31-day cadence
        (MONTHLY, date(2025, 4, 1), 0.0),
        (SIX_WEEKS, date(2025, 5, 3), 0.5),  # 21 days past a 42-day cadence
        (SIX_WEEKS, date(2025, 4, 1), -11 / 42),
        (Cadence(days=10), date(2025, 3, 31), 2.0),
    ],
)
def test_overdue_ratio(cadence: Cadence, day: date, expected: float) -> None:
    assert overdue_ratio(warmth_dates(LAST, cadence), day) == pytest.approx(expected)
