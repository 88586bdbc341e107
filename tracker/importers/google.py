"""Google Contacts CSV exports, in the current layout and in the legacy "Google CSV" one.

Both put several values in one cell, separated by " ::: ", and mark system groups and the
primary value with a leading "* ". Numbered groups of columns ("Phone 1 - Value",
"Relation 2 - Label") hold the contact methods, related people, dates and IM addresses.
"""

import re
from functools import lru_cache

from tracker.importers.records import Card
from tracker.importers.tabular import Reader, Row
from tracker.importers.values import (
    add_method,
    clean,
    join_address,
    label_for,
    parse_birthday,
)

_SEPARATOR = " ::: "
_NUMBERED = re.compile(
    r"(e-mail|phone|address|website|relation|im|event|custom field) (\d+) - "
    r"(value|formatted|label|type|service)"
)
_KINDS = {
    "e-mail": "email",
    "phone": "phone",
    "address": "address",
    "website": "url",
    "relation": "related",
    "im": "im",
}
# In the order of join_address's parameters.
_ADDRESS_PARTS = ("street", "city", "region", "postal code", "country", "extended address")
_ANNIVERSARY = {"anniversary", "記念日"}
# The file's own bookkeeping: how Google files the name, and its initials.
_IGNORED = frozenset({"file as", "initials", "sensitivity", "priority"})


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(_SEPARATOR.strip())]


@lru_cache(maxsize=16)
def _slots(columns: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The numbered groups of a header, as (what, "phone 1") pairs, in order."""
    slots: dict[tuple[str, str], None] = {}
    for key in columns:
        if match := _NUMBERED.fullmatch(key):
            slots.setdefault((match[1], f"{match[1]} {match[2]}"), None)
    return tuple(slots)


def _address(row: Row, prefix: str) -> str:
    formatted = row.get(f"{prefix} - formatted")
    street, city, region, code, country, extended = (
        row.get(f"{prefix} - {part}") for part in _ADDRESS_PARTS
    )
    po_box = row.get(f"{prefix} - po box")
    return formatted or join_address(street, city, region, code, country, extended, po_box)


def _add_slot(card: Card, row: Row, what: str, prefix: str) -> None:
    label = label_for(row.get(f"{prefix} - label", f"{prefix} - type"))
    if what == "event":
        day = parse_birthday(row.get(f"{prefix} - value"))
        if label.casefold() in _ANNIVERSARY and day:
            card.anniversary = card.anniversary or day
        else:
            row.read.discard(f"{prefix} - value")  # another kind of date: not kept
        return
    if what == "custom field":
        value = row.get(f"{prefix} - value")
        if value.strip():
            # A field the user made up in Google: the notes keep it, with its name.
            card.notes = "\n".join(part for part in (card.notes, f"{label}: {value}") if part)
        return
    if what == "im":
        label = clean(row.get(f"{prefix} - service")) or label
    raw = _address(row, prefix) if what == "address" else row.get(f"{prefix} - value")
    for value in _split(raw) if raw else ():
        add_method(card, _KINDS[what], value, label)


def _add_slots(card: Card, row: Row) -> None:
    for what, prefix in _slots(row.columns):
        _add_slot(card, row, what, prefix)


def _groups(cell: str) -> list[str]:
    """User labels; system ones such as "* myContacts" and "* starred" start with "* "."""
    return [name for name in _split(cell) if name and not name.startswith("*")]


def _joined(*parts: str) -> str:
    return " ".join(part.strip() for part in parts if part.strip())


def _matches_current(columns: frozenset[str]) -> bool:
    return {"first name", "last name"} <= columns and bool(
        {"labels", "phonetic first name", "organization name", "file as"} & columns
    )


def _matches_legacy(columns: frozenset[str]) -> bool:
    return {"given name", "family name"} <= columns and bool(
        {"name", "group membership", "yomi name", "given name yomi"} & columns
    )


def _read(row: Row) -> Card:
    """A row of either layout: they name the same columns differently, and the legacy one
    may hold the name (and its reading) whole."""
    family, given = row.name(("last name", "family name"), ("first name", "given name"), "name")
    family_reading, given_reading = row.name(
        ("phonetic last name", "family name yomi"),
        ("phonetic first name", "given name yomi"),
        "yomi name",
    )
    card = Card(
        family_name=family,
        given_name=given,
        additional_name=row.get("middle name", "additional name"),
        family_reading=family_reading,
        given_reading=given_reading,
        nickname=row.get("nickname"),
        company=row.get("organization name", "organization 1 - name"),
        company_reading=row.get("organization phonetic name", "organization 1 - yomi name"),
        department=row.get("organization department", "organization 1 - department"),
        title=row.get("organization title", "organization 1 - title"),
        notes=row.get("notes"),
        tags=_groups(row.get("labels", "group membership")),
    )
    _add_slots(card, row)
    card.birthday = row.birthday("birthday")
    return card


CURRENT = Reader("google", _matches_current, _read, ignored=_IGNORED)
LEGACY = Reader("google_legacy", _matches_legacy, _read, ignored=_IGNORED)
