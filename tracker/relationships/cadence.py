"""How often a contact should be touched: parse a phrase and pick the one that applies.

Readings chosen:
- A cadence is a number of calendar months or a number of days (weeks are stored as
  days). Month arithmetic uses relativedelta, so 31 Jan + 1 month = 28 Feb.
- A cadence must be positive and at most 5 years long; anything else is an error.
- Cadences are compared by the days each covers from one fixed reference day
  (1 Jan 2001), so "monthly" (31 days from there) is longer than "4 weeks" (28).
- Japanese month counts need a counter (ヶ月, か月, …): "2月" is February, not a span.
  Bare day, week and year counts need a suffix (ごと, 毎, に1回) for the same reason:
  "10日" is a day of the month.
"""

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from dateutil.relativedelta import relativedelta

from tracker.vocabulary import STAGES

# The fixed day from which cadences are measured when they are compared.
REFERENCE_DAY = date(2001, 1, 1)
MAX_YEARS = 5
# Guards applied before any date arithmetic, so a huge number cannot overflow a date.
_MAX_MONTHS = 12 * MAX_YEARS
_MAX_DAYS = 366 * MAX_YEARS


@dataclass(frozen=True)
class Cadence:
    months: int = 0
    days: int = 0  # weeks are stored as days

    def __post_init__(self) -> None:
        if self.months < 0 or self.days < 0 or (self.months, self.days) == (0, 0):
            raise ValueError("a cadence must be a positive span")
        if self.months > _MAX_MONTHS or self.days > _MAX_DAYS or self._too_long():
            raise ValueError(f"a cadence may be at most {MAX_YEARS} years")

    def _too_long(self) -> bool:
        return self.after(REFERENCE_DAY) > REFERENCE_DAY + relativedelta(years=MAX_YEARS)

    def after(self, start: date, times: int = 1) -> date:
        """Return the day `times` cadences after start."""
        return start + relativedelta(months=self.months * times, days=self.days * times)

    @property
    def nominal_days(self) -> int:
        """Return how many days the cadence covers from the reference day."""
        return (self.after(REFERENCE_DAY) - REFERENCE_DAY).days

    def __str__(self) -> str:
        """Return the canonical English phrase; parse_cadence reads it back."""
        if self.months and self.days:
            # Only a direct construction mixes units; no phrase parses to this.
            return f"every {self.months} months and {self.days} days"
        if self.months:
            return _months_phrase(self.months)
        return _days_phrase(self.days)


def _months_phrase(months: int) -> str:
    """Phrase a whole number of months."""
    if months % 12 == 0:
        return "yearly" if months == 12 else f"every {months // 12} years"
    return "monthly" if months == 1 else f"every {months} months"


def _days_phrase(days: int) -> str:
    """Phrase a whole number of days."""
    if days % 7 == 0:
        return "weekly" if days == 7 else f"every {days // 7} weeks"
    return "daily" if days == 1 else f"every {days} days"


DEFAULT_CADENCES: Mapping[str, Cadence] = MappingProxyType(
    {
        "card": Cadence(months=1),  # the first follow-up: after a month they forget the face
        "acquaintance": Cadence(months=3),
        "trusted": Cadence(months=2),
        "collaborator": Cadence(days=42),
    }
)

# Unit spans as (months, days) per one unit.
_UNIT_SPANS: Mapping[str, tuple[int, int]] = MappingProxyType(
    {"day": (0, 1), "week": (0, 7), "month": (1, 0), "year": (12, 0)}
)

_ENGLISH_UNITS: Mapping[str, str] = MappingProxyType(
    {
        **dict.fromkeys(("d", "day", "days"), "day"),
        **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), "week"),
        **dict.fromkeys(("m", "mo", "mos", "month", "months"), "month"),
        **dict.fromkeys(("y", "yr", "yrs", "year", "years"), "year"),
    }
)

_ENGLISH_WORDS: Mapping[str, Cadence] = MappingProxyType(
    {
        **dict.fromkeys(("daily", "every day", "once a day"), Cadence(days=1)),
        **dict.fromkeys(("weekly", "once a week"), Cadence(days=7)),
        **dict.fromkeys(
            ("biweekly", "bi-weekly", "fortnightly", "every other week"), Cadence(days=14)
        ),
        **dict.fromkeys(("monthly", "once a month"), Cadence(months=1)),
        **dict.fromkeys(("every other month",), Cadence(months=2)),
        **dict.fromkeys(("quarterly", "every quarter"), Cadence(months=3)),
        **dict.fromkeys(
            (
                "half-yearly",
                "half yearly",
                "semiannually",
                "semi-annually",
                "twice a year",
                "every half year",
            ),
            Cadence(months=6),
        ),
        **dict.fromkeys(("yearly", "annually", "annual", "once a year"), Cadence(months=12)),
    }
)

# "2w", "2 weeks", "every 3 months", "every month"; at most six digits, so no huge ints.
_ENGLISH_PATTERN = re.compile(r"(?P<every>every ?)?(?P<count>[0-9]{1,6})? ?(?P<unit>[a-z]+)")

_ONCE = ("に1回", "に一回", "に1度", "に一度")
_EVERY = ("ごと", "毎", *_ONCE)

_JAPANESE_WORDS: Mapping[str, Cadence] = MappingProxyType(
    {
        "毎日": Cadence(days=1),
        "毎週": Cadence(days=7),
        "隔週": Cadence(days=14),
        "毎月": Cadence(months=1),
        "隔月": Cadence(months=2),
        "毎年": Cadence(months=12),
        **{f"四半期{suffix}": Cadence(months=3) for suffix in ("", *_EVERY)},
        **{f"半年{suffix}": Cadence(months=6) for suffix in ("", *_EVERY)},
        # 週1回, 月に1回, 年に一度: once per week / month / year.
        **{
            f"{unit}{joiner}{once}": cadence
            for unit, cadence in (
                ("週", Cadence(days=7)),
                ("月", Cadence(months=1)),
                ("年", Cadence(months=12)),
            )
            for joiner in ("", "に")
            for once in ("1回", "一回", "1度", "一度")
        },
    }
)

_KANJI_DIGITS: Mapping[str, int] = MappingProxyType(
    {digit: value for value, digit in enumerate("一二三四五六七八九", start=1)}
)
_JAPANESE_NUMBER = r"(?P<count>[0-9]{1,6}|[一二三四五六七八九十]{1,3})"
_EVERY_PATTERN = "|".join(_EVERY)
# A month counter makes a span on its own ("3ヶ月"); so does 週間 ("2週間").
_JAPANESE_SPAN_PATTERN = re.compile(
    _JAPANESE_NUMBER + rf"(?P<unit>[ヶヵかカケ箇]月|週間)(?:{_EVERY_PATTERN})?"
)
# A bare 日, 週 or 年 needs a suffix: "10日" alone is a day of the month.
_JAPANESE_BARE_PATTERN = re.compile(_JAPANESE_NUMBER + rf"(?P<unit>日|週|年)(?:{_EVERY_PATTERN})")
_JAPANESE_UNITS: Mapping[str, str] = MappingProxyType(
    {"日": "day", "週": "week", "週間": "week", "年": "year"}
)


def parse_cadence(text: str) -> Cadence:
    """Read a cadence phrase in English or Japanese; raise ValueError if it is not one."""
    phrase = _normalise(text)
    cadence = _parse_english(phrase) or _parse_japanese(re.sub(r"\s", "", phrase))
    if cadence is None:
        raise ValueError(f"not a cadence: {text!r}")
    return cadence


def _normalise(text: str) -> str:
    """Fold width, case and runs of spaces, so "２ Ｗｅｅｋｓ " reads as "2 weeks"."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(folded.split())


def _parse_english(phrase: str) -> Cadence | None:
    """Read an English phrase, or return None."""
    if phrase in _ENGLISH_WORDS:
        return _ENGLISH_WORDS[phrase]
    match = _ENGLISH_PATTERN.fullmatch(phrase)
    if match is None or match["unit"] not in _ENGLISH_UNITS:
        return None
    # A bare unit ("weeks") says nothing about how many; "every week" and "3w" do.
    if match["every"] is None and match["count"] is None:
        return None
    return _span(int(match["count"] or 1), _ENGLISH_UNITS[match["unit"]])


def _parse_japanese(phrase: str) -> Cadence | None:
    """Read a Japanese phrase (spaces removed), or return None."""
    if phrase in _JAPANESE_WORDS:
        return _JAPANESE_WORDS[phrase]
    match = _JAPANESE_SPAN_PATTERN.fullmatch(phrase) or _JAPANESE_BARE_PATTERN.fullmatch(phrase)
    if match is None:
        return None
    unit = "month" if match["unit"].endswith("月") else _JAPANESE_UNITS[match["unit"]]
    return _span(_japanese_count(match["count"]), unit)


def _japanese_count(text: str) -> int:
    """Read Arabic digits or a kanji number up to 99 (三, 十二, 二十四)."""
    if text.isascii():
        return int(text)
    tens, ten, ones = text.partition("十")
    if not ten:
        return _kanji_digit(text)
    return (_kanji_digit(tens) if tens else 1) * 10 + (_kanji_digit(ones) if ones else 0)


def _kanji_digit(text: str) -> int:
    """Read one kanji digit 一 to 九."""
    if text not in _KANJI_DIGITS:
        raise ValueError(f"not a kanji number: {text!r}")
    return _KANJI_DIGITS[text]


def _span(count: int, unit: str) -> Cadence:
    """Build count × unit; the Cadence itself rejects zero and absurd lengths."""
    months, days = _UNIT_SPANS[unit]
    return Cadence(months=months * count, days=days * count)


def _parse_or_none(text: str | None) -> Cadence | None:
    """Read a phrase that may be missing or wrong; a bad phrase counts as none."""
    if text is None or not text.strip():
        return None
    try:
        return parse_cadence(text)
    except ValueError:
        return None


def effective_cadence(stage: str, own: str | None, tag_cadences: Iterable[str | None]) -> Cadence:
    """Pick the contact's own cadence, else its tags' shortest, else its stage's default.

    Phrases that are missing or do not parse are skipped, never raised. Tag cadences of
    equal length ("monthly" and "31 days" both cover 31 days from the reference day)
    resolve to the one with fewer months, so the answer does not depend on tag order.
    """
    if stage not in STAGES:
        raise ValueError(f"unknown stage: {stage!r}")
    own_cadence = _parse_or_none(own)
    if own_cadence is not None:
        return own_cadence
    tagged = [cadence for text in tag_cadences if (cadence := _parse_or_none(text)) is not None]
    if tagged:
        return min(tagged, key=lambda cadence: (cadence.nominal_days, cadence.months))
    return DEFAULT_CADENCES[stage]
