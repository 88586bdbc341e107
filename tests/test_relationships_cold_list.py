"""The cold list: who is on it, faded cards, and its order (stage first, then overdue)."""

from datetime import date

import pytest

from tracker.relationships import (
    Cadence,
    cold_list_key,
    is_faded,
    met_only_once,
    overdue_ratio,
    warmth_dates,
)

MET = date(2025, 1, 10)


def test_the_cold_list_leads_with_the_closest_stages() -> None:
    rows = [
        ("a", 0.2, "card"),
        ("b", 3.0, "card"),
        ("c", 0.1, "collaborator"),
        ("d", 0.9, "trusted"),
        ("e", 1.5, "collaborator"),
        ("f", 2.0, "acquaintance"),
    ]
    ordered = sorted(rows, key=lambda row: cold_list_key(row[2], row[1]))
    assert [name for name, _, _ in ordered] == ["e", "c", "d", "f", "b", "a"]


def test_within_a_stage_the_most_overdue_for_its_cadence_comes_first() -> None:
    monthly = warmth_dates(date(2025, 1, 1), Cadence(months=1))  # due 1 Feb
    yearly = warmth_dates(date(2024, 1, 1), Cadence(months=12))  # due 1 Jan 2025
    today = date(2025, 2, 15)
    # A fortnight over a month's cadence (0.45) before six weeks over a year's (0.12).
    keys = {
        "monthly": cold_list_key("card", overdue_ratio(monthly, today)),
        "yearly": cold_list_key("card", overdue_ratio(yearly, today)),
    }
    assert sorted(keys, key=keys.__getitem__) == ["monthly", "yearly"]


def test_cold_list_key_rejects_an_unknown_stage() -> None:
    with pytest.raises(ValueError):
        cold_list_key("friend", 1.0)


@pytest.mark.parametrize(
    ("first_met_on", "first_touch_on", "last_touch_on", "expected"),
    [
        pytest.param(None, MET, MET, True, id="one-day-of-touches"),
        pytest.param(MET, MET, MET, True, id="met-and-touched-that-day"),
        pytest.param(None, MET, date(2025, 1, 11), False, id="a-second-day"),
        pytest.param(date(2024, 12, 1), MET, MET, False, id="touched-after-the-day-met"),
        pytest.param(date(2025, 2, 1), MET, MET, True, id="met-day-after-the-touch"),
        pytest.param(MET, None, None, False, id="never-touched"),
    ],
)
def test_met_only_once(
    first_met_on: date | None,
    first_touch_on: date | None,
    last_touch_on: date | None,
    expected: bool,
) -> None:
    assert met_only_once(first_met_on, first_touch_on, last_touch_on) is expected


@pytest.mark.parametrize(
    ("stage", "warmth", "met_once", "expected"),
    [
        ("card", "dormant", True, True),
        ("card", "cold", True, False),  # not yet past 3 × its cadence
        ("card", "dormant", False, False),  # met again after the first day
        ("acquaintance", "dormant", True, False),  # labelled more than a card
        ("card", None, True, False),
    ],
)
def test_is_faded(stage: str, warmth: str | None, met_once: bool, expected: bool) -> None:
    assert is_faded(stage, warmth, met_once=met_once) is expected
