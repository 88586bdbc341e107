"""Helpers shared by the parsers: clean text, read dates and labels, split names, join addresses."""

import re
from collections.abc import Iterable, Iterator
from datetime import date

from tracker.importers.errors import N_
from tracker.importers.records import Card, Method, Problem
from tracker.text import has_cjk

MAX_FIELD = 10_000
# Problem params quote what the file said; a short excerpt is enough to find it.
MAX_QUOTED = 40

_BREAKS = re.compile(r"\r\n|[\r\n\t]")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_NOTE_CONTROLS = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_NEEDS_NOTE_CLEANING = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"\s+")

_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_YMD = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[T ].*)?")
_YMD_BASIC = re.compile(r"(\d{4})(\d{2})(\d{2})(?:T.*)?")
_DMY_NAMED = re.compile(r"(\d{1,2})[ -]([A-Za-z]{3,})\.?,?[ -](\d{4})(?:,?\s+\d{1,2}:\d{2}.*)?")
_MDY_NAMED = re.compile(r"([A-Za-z]{3,})\.? (\d{1,2}),? (\d{4})")
# 1/8/18, 6:14 PM (LinkedIn until 2019) or 12/31/2025: month first when the caller says so.
_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?:,?\s+\d{1,2}:\d{2}.*)?")
_NO_YEAR = re.compile(r"(?:--|0000-?)(\d{2})-?(\d{2})(?:T.*)?")
# Apple and Thunderbird (CardBook) write a birthday without a year in the year 1604.
NO_YEAR = 1604

# Labels that files spell in English, folded to the ones the app knows; others are kept.
_LABELS = {
    "work": "work",
    "business": "work",
    "home": "home",
    "personal": "home",
    "mobile": "mobile",
    "cell": "mobile",
    "iphone": "mobile",
    "fax": "fax",
    "work fax": "fax",
    "home fax": "fax",
    "workfax": "fax",
    "homefax": "fax",
    "other fax": "fax",
    "pager": "pager",
    "main": "main",
    "other": "other",
}
_JAPAN = {"japan", "jp", "jpn", "日本", "日本国"}


def clean(value: str) -> str:
    """A one-line value: line breaks and tabs become spaces, other control characters go."""
    if _CONTROLS.search(value):
        value = _CONTROLS.sub("", _BREAKS.sub(" ", value))
    return value.strip()


def clean_note(value: str) -> str:
    """A multi-line value: line breaks become \\n, tabs spaces, other control characters go."""
    if _NEEDS_NOTE_CLEANING.search(value):
        value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
        value = _NOTE_CONTROLS.sub("", value)
    return value.strip()


def quoted(value: str) -> str:
    """A short, clean excerpt of a value, to quote in a problem."""
    value = clean(value)
    return value if len(value) <= MAX_QUOTED else value[: MAX_QUOTED - 1] + "…"


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_day(value: str, *, month_first: bool = False) -> date | None:
    """A date as 2025-12-07, 2025/12/07, 20251207, 2025年12月7日, 07 Dec 2025 or Dec 7, 2025;
    with ``month_first``, also 1/8/18 or 1/8/2018 (January 8) as US exports write it."""
    value = value.strip()
    if month_first and (match := _SLASHED.fullmatch(value)):
        year = int(match[3]) + (2000 if len(match[3]) == 2 else 0)
        return _day(year, int(match[1]), int(match[2]))
    if match := _YMD.fullmatch(value) or _YMD_BASIC.fullmatch(value):
        return _day(int(match[1]), int(match[2]), int(match[3]))
    if match := _DMY_NAMED.fullmatch(value):
        month = _MONTHS.get(match[2][:3].lower())
        return _day(int(match[3]), month, int(match[1])) if month else None
    if match := _MDY_NAMED.fullmatch(value):
        month = _MONTHS.get(match[1][:3].lower())
        return _day(int(match[3]), month, int(match[2])) if month else None
    return None


def parse_birthday(value: str, *, month_first: bool = False) -> str | None:
    """A birthday as "YYYY-MM-DD", or "--MM-DD" when the file gives no year; None if invalid."""
    value = value.strip()
    if match := _NO_YEAR.fullmatch(value):
        month, day = int(match[1]), int(match[2])
        # A leap year, so that --02-29 is a real birthday.
        return f"--{month:02d}-{day:02d}" if _day(2000, month, day) else None
    found = parse_day(value, month_first=month_first)
    if found and found.year == NO_YEAR:
        return f"--{found.month:02d}-{found.day:02d}"
    return found.isoformat() if found else None


def label_for(raw: str) -> str:
    """The app's label for a label given in a file: common English ones folded, others kept."""
    text = clean(raw)
    # Google marks the primary value with "* ": that is not part of the label.
    if text.startswith("*"):
        text = text[1:].strip()
    return _LABELS.get(_SPACES.sub(" ", text).casefold(), text)


def split_full_name(full: str) -> tuple[str, str]:
    """Family and given name in a one-line name: 山田 太郎 (family first), Jane Smith (last)."""
    full = _SPACES.sub(" ", clean(full))
    if has_cjk(full):
        family, _, given = full.partition(" ")
        return family, given
    given, _, family = full.rpartition(" ")
    return family, given


def join_address(
    street: str,
    locality: str = "",
    region: str = "",
    postal_code: str = "",
    country: str = "",
    extended: str = "",
    po_box: str = "",
) -> str:
    """One readable line: 〒code region locality street for Japanese, else Western order."""
    street, locality, region = clean(street), clean(locality), clean(region)
    postal_code, country = clean(postal_code), clean(country)
    extended, po_box = clean(extended), clean(po_box)
    # Romanised Japanese addresses read best in Western order, so the script decides.
    if has_cjk(street + locality + region + extended):
        code = f"〒{postal_code.removeprefix('〒')}" if postal_code else ""
        abroad = "" if country.casefold() in _JAPAN else country
        parts = [code, region + locality + street, extended, po_box, abroad]
        return " ".join(part for part in parts if part)
    region_code = " ".join(part for part in (region, postal_code) if part)
    parts = [street, extended, po_box, locality, region_code, country]
    return ", ".join(part for part in parts if part)


def add_method(card: Card, kind: str, value: str, label: str = "") -> None:
    """Add a contact method when it has a value."""
    value = clean(value)
    if value:
        card.methods.append(Method(kind, value, clean(label)))


def unique(values: Iterable[str]) -> list[str]:
    """The non-empty values, each once, in their first order."""
    seen: dict[str, None] = {}
    for value in values:
        value = clean(value)
        if value:
            seen.setdefault(value, None)
    return list(seen)


def _text_fields(card: Card) -> Iterator[tuple[str, str]]:
    yield from (
        ("family_name", card.family_name),
        ("given_name", card.given_name),
        ("family_reading", card.family_reading),
        ("given_reading", card.given_reading),
        ("additional_name", card.additional_name),
        ("nickname", card.nickname),
        ("company", card.company),
        ("company_reading", card.company_reading),
        ("department", card.department),
        ("title", card.title),
        ("notes", card.notes),
    )
    for method in card.methods:
        yield method.kind, method.value
        yield "label", method.label
    for tag in card.tags:
        yield "tags", tag


def method_key(method: Method) -> tuple[str, str]:
    """What makes two methods of a card the same: kind and value (a phone by its digits)."""
    # A number written twice in two ways (03-0000-1111 and 0300001111) is one number.
    if method.kind == "phone" and any(char.isdigit() for char in method.value):
        return method.kind, "".join(char for char in method.value if char.isdigit())
    return method.kind, method.value.casefold() if method.kind == "email" else method.value


def _distinct(methods: Iterable[Method]) -> list[Method]:
    """The methods, each value once: the first one listed keeps its label."""
    seen: dict[tuple[str, str], Method] = {}
    for method in methods:
        seen.setdefault(method_key(method), method)
    return list(seen.values())


def tidy(card: Card) -> None:
    """Clean every text field of a card in place, whatever the parser left in it."""
    card.family_name = clean(card.family_name)
    card.given_name = clean(card.given_name)
    card.family_reading = clean(card.family_reading)
    card.given_reading = clean(card.given_reading)
    card.additional_name = clean(card.additional_name)
    card.nickname = clean(card.nickname)
    card.company = clean(card.company)
    card.company_reading = clean(card.company_reading)
    card.department = clean(card.department)
    card.title = clean(card.title)
    card.notes = clean_note(card.notes)
    card.methods = _distinct(
        Method(method.kind, clean(method.value), clean(method.label))
        for method in card.methods
        if clean(method.value)
    )
    card.tags = unique(card.tags)


def check(card: Card) -> Problem | None:
    """Why a tidied card cannot be imported, or None when it can."""
    for name, value in _text_fields(card):
        if len(value) > MAX_FIELD:
            return Problem(
                card.record,
                card.line,
                N_("field too long: %(field)s has more than %(limit)s characters"),
                {"field": name, "limit": MAX_FIELD},
            )
    if not (card.family_name or card.given_name or card.company or card.nickname or card.methods):
        return Problem(
            card.record, card.line, N_("the record has no name, company or contact details")
        )
    return None


def finish(card: Card) -> Problem | None:
    """Tidy a card, then say why it cannot be imported (None when it can)."""
    tidy(card)
    return check(card)
