"""Dates as people type them, and "today" in the user's time zone."""

import re
import unicodedata
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import parser as date_parser

MIN_YEAR, MAX_YEAR = 1900, 2200
_JAPANESE_DATE = re.compile(r"(\d{1,4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?")


def parse_date(value: str, *, today: date) -> date:
    """Read a date typed leniently: 2026-11-27, 2026/11/27, 27 Nov 2026, 2026年11月27日.

    Missing parts come from ``today`` ("Nov 27" is this year's). Raises ValueError when
    the text is not a date or lies outside the years 1900–2200.
    """
    text = unicodedata.normalize("NFKC", value).strip()
    text = _JAPANESE_DATE.sub(r"\1-\2-\3", text)
    if not text or not re.search(r"\d", text):
        raise ValueError("not a date")
    try:
        parsed = date_parser.parse(
            text, yearfirst=True, default=datetime(today.year, today.month, today.day)
        )
    except (ValueError, OverflowError) as exc:
        raise ValueError("not a date") from exc
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise ValueError("year out of range")
    return parsed.date()


def zone(name: str | None, fallback: str = "Asia/Tokyo") -> ZoneInfo:
    try:
        return ZoneInfo(name or fallback)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(fallback)


def today_in(time_zone: str | None, fixed: str | date | None = None) -> date:
    """Today's date in a time zone, unless a fixed date is configured (tests, digest)."""
    if fixed:
        return fixed if isinstance(fixed, date) else date.fromisoformat(fixed)
    return datetime.now(zone(time_zone)).date()
