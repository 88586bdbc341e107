"""Cadence phrases, their arithmetic and which cadence applies to a contact."""

from datetime import date

import pytest

from tracker.relationships import DEFAULT_CADENCES, Cadence, effective_cadence, parse_cadence
from tracker.vocabulary import STAGES

WEEK = Cadence(days=7)
TWO_WEEKS = Cadence(days=14)
MONTHLY = Cadence(months=1)
QUARTERLY = Cadence(months=3)
YEARLY = Cadence(months=12)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("2w", TWO_WEEKS),
        ("2 weeks", TWO_WEEKS),
        ("1 week", WEEK),
        ("6 weeks", Cadence(days=42)),
        ("10d", Cadence(days=10)),
        ("10 days", Cadence(days=10)),
        ("3m", QUARTERLY),
        ("monthly", MONTHLY),
        ("every month", MONTHLY),
        ("every 3 months", QUARTERLY),
        ("3 months", QUARTERLY),
        ("every 2 weeks", TWO_WEEKS),
        ("weekly", WEEK),
        ("biweekly", TWO_WEEKS),
        ("quarterly", QUARTERLY),
        ("half-yearly", Cadence(months=6)),
        ("yearly", YEARLY),
        ("annually", YEARLY),
        ("1y", YEARLY),
        ("every year", YEARLY),
        ("every 2 years", Cadence(months=24)),
        ("daily", Cadence(days=1)),
        ("fortnightly", TWO_WEEKS),
        # Case, width and spacing do not matter.
        ("Monthly", MONTHLY),
        ("  EVERY 3 MONTHS  ", QUARTERLY),
        ("every   2\tweeks", TWO_WEEKS),
        ("ＥＶＥＲＹ　２　ＷＥＥＫＳ", TWO_WEEKS),
        ("２ｗ", TWO_WEEKS),
        ("HALF－YEARLY", Cadence(months=6)),
        # Japanese.
        ("毎週", WEEK),
        ("隔週", TWO_WEEKS),
        ("毎月", MONTHLY),
        ("2ヶ月ごと", Cadence(months=2)),
        ("2ヵ月ごと", Cadence(months=2)),
        ("2か月ごと", Cadence(months=2)),
        ("2カ月ごと", Cadence(months=2)),
        ("2ｶ月ごと", Cadence(months=2)),
        ("5ヶ月ごと", Cadence(months=5)),
        ("２ヶ月ごと", Cadence(months=2)),
        ("3ヶ月ごと", QUARTERLY),
        ("三ヶ月ごと", QUARTERLY),
        ("十八ヶ月ごと", Cadence(months=18)),
        ("3ヶ月", QUARTERLY),
        ("四半期ごと", QUARTERLY),
        ("半年ごと", Cadence(months=6)),
        ("毎年", YEARLY),
        ("1年ごと", YEARLY),
        ("2週間ごと", TWO_WEEKS),
        ("2 週間 ごと", TWO_WEEKS),
        ("10日ごと", Cadence(days=10)),
        ("45日ごと", Cadence(days=45)),
        ("月に1回", MONTHLY),
        ("週1回", WEEK),
    ],
)
def test_parse_accepts(phrase: str, expected: Cadence) -> None:
    assert parse_cadence(phrase) == expected


@pytest.mark.parametrize(
    "phrase",
    [
        "",
        "   ",
        "0w",
        "0 days",
        "every 0 months",
        "0ヶ月ごと",
        "-2w",
        "-1 month",
        "2.5 weeks",
        "weeks",
        "month",
        "every",
        "3",
        "sometimes",
        "monthly please",
        "every 3 months or so",
        "2 fortnights",
        "6 years",
        "61 months",
        "1827 days",
        "every 300 weeks",
        "9999999999 days",
        "2月",  # February, not two months
        "10日",  # the 10th of a month
        "2年",
        "一二ヶ月ごと",
        "ヶ月ごと",
        "毎",
    ],
)
def test_parse_rejects(phrase: str) -> None:
    with pytest.raises(ValueError):
        parse_cadence(phrase)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("5 years", Cadence(months=60)),
        ("60m", Cadence(months=60)),
        ("1826 days", Cadence(days=1826)),
    ],
)
def test_five_years_is_the_longest_cadence(phrase: str, expected: Cadence) -> None:
    assert parse_cadence(phrase) == expected


@pytest.mark.parametrize(
    ("months", "days"),
    [
        (0, 0),
        (-1, 0),
        (0, -1),
        (2, -1),
        (61, 0),
        (0, 1827),
        (59, 32),
        (10**9, 0),
        (0, 10**9),
        (10**12, 0),
        (0, 10**12),
    ],
)
def test_cadence_rejects_empty_negative_and_absurd_spans(months: int, days: int) -> None:
    with pytest.raises(ValueError):
        Cadence(months=months, days=days)


def test_cadence_allows_exactly_five_years_in_mixed_units() -> None:
    assert Cadence(months=59, days=31).after(date(2001, 1, 1)) == date(2006, 1, 1)


@pytest.mark.parametrize(
    ("cadence", "text"),
    [
        (Cadence(days=1), "daily"),
        (Cadence(days=7), "weekly"),
        (Cadence(days=14), "every 2 weeks"),
        (Cadence(days=42), "every 6 weeks"),
        (Cadence(days=10), "every 10 days"),
        (Cadence(months=1), "monthly"),
        (Cadence(months=3), "every 3 months"),
        (Cadence(months=12), "yearly"),
        (Cadence(months=24), "every 2 years"),
        (Cadence(months=18), "every 18 months"),
        (Cadence(months=1, days=3), "every 1 months and 3 days"),
    ],
)
def test_str_is_canonical(cadence: Cadence, text: str) -> None:
    assert str(cadence) == text


@pytest.mark.parametrize(
    "phrase", ["2w", "10 days", "quarterly", "half-yearly", "1y", "毎週", "3ヶ月ごと", "daily"]
)
def test_str_reads_back(phrase: str) -> None:
    cadence = parse_cadence(phrase)
    assert parse_cadence(str(cadence)) == cadence


@pytest.mark.parametrize(
    ("start", "cadence", "times", "expected"),
    [
        (date(2025, 1, 31), MONTHLY, 1, date(2025, 2, 28)),
        (date(2028, 1, 31), MONTHLY, 1, date(2028, 2, 29)),
        (date(2024, 2, 29), YEARLY, 1, date(2025, 2, 28)),
        (date(2024, 2, 29), YEARLY, 4, date(2028, 2, 29)),
        # Three cadences are one jump of three months, not three clamped steps.
        (date(2025, 1, 31), MONTHLY, 3, date(2025, 4, 30)),
        (date(2025, 3, 1), Cadence(days=42), 1, date(2025, 4, 12)),
        (date(2025, 3, 1), Cadence(days=42), 3, date(2025, 7, 5)),
        (date(2025, 12, 25), TWO_WEEKS, 1, date(2026, 1, 8)),
        (date(2025, 1, 31), Cadence(months=1, days=3), 1, date(2025, 3, 3)),
        (date(2025, 5, 5), QUARTERLY, 0, date(2025, 5, 5)),
    ],
)
def test_after(start: date, cadence: Cadence, times: int, expected: date) -> None:
    assert cadence.after(start, times) == expected


@pytest.mark.parametrize(
    ("cadence", "days"),
    [(MONTHLY, 31), (QUARTERLY, 90), (Cadence(months=2), 59), (YEARLY, 365), (TWO_WEEKS, 14)],
)
def test_nominal_days_count_from_the_reference_day(cadence: Cadence, days: int) -> None:
    assert cadence.nominal_days == days


def test_default_cadences() -> None:
    assert dict(DEFAULT_CADENCES) == {
        "card": Cadence(months=1),
        "acquaintance": Cadence(months=3),
        "trusted": Cadence(months=2),
        "collaborator": Cadence(days=42),
    }
    assert set(DEFAULT_CADENCES) == set(STAGES)


@pytest.mark.parametrize(
    ("stage", "own", "tags", "expected"),
    [
        # The stage's default when nothing else is set.
        ("card", None, [], MONTHLY),
        ("acquaintance", None, [], QUARTERLY),
        ("trusted", None, [], Cadence(months=2)),
        ("collaborator", None, [], Cadence(days=42)),
        # The contact's own phrase beats everything, even when longer.
        ("trusted", "yearly", ["2w", "monthly"], YEARLY),
        ("collaborator", "2w", [], TWO_WEEKS),
        # A tag beats the stage default, even when longer.
        ("card", None, ["yearly"], YEARLY),
        # The shortest tag wins.
        ("trusted", None, ["quarterly", "monthly", "6 weeks"], MONTHLY),
        ("trusted", None, ["monthly", "4 weeks"], Cadence(days=28)),
        ("trusted", None, ["30 days", "monthly"], Cadence(days=30)),
        # Equal lengths resolve the same way whatever the order of the tags.
        ("trusted", None, ["monthly", "31 days"], Cadence(days=31)),
        ("trusted", None, ["31 days", "monthly"], Cadence(days=31)),
        # Bad, empty or missing phrases are ignored.
        ("trusted", "whenever", ["monthly", "2w"], TWO_WEEKS),
        ("trusted", "", ["monthly"], MONTHLY),
        ("trusted", "   ", ["monthly"], MONTHLY),
        ("trusted", None, [None, "??", "0w", "monthly"], MONTHLY),
        ("trusted", "nonsense", [None, "??", "", "10 years"], Cadence(months=2)),
    ],
)
def test_effective_cadence(
    stage: str, own: str | None, tags: list[str | None], expected: Cadence
) -> None:
    assert effective_cadence(stage, own, tags) == expected


def test_effective_cadence_takes_any_iterable() -> None:
    tags = (phrase for phrase in ["quarterly", "2w"])
    assert effective_cadence("card", None, tags) == TWO_WEEKS


def test_effective_cadence_rejects_an_unknown_stage() -> None:
    with pytest.raises(ValueError):
        effective_cadence("friend", None, [])
