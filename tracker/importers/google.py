"""Google Contacts CSV exports, in the current layout and in the legacy "Google CSV" one.

Both put several values in one cell, separated by " ::: ", and mark system groups and the
primary value with a leading "* ".
"""

import re
from functools import lru_cache

from tracker.importers.records import Card
from tracker.importers.tabular import Reader, Row
from tracker.importers.values import add_method, join_address, label_for, split_full_name

_SEPARATOR = " ::: "
_NUMBERED = re.compile(r"(e-mail|phone|address|website) (\d+) - (value|formatted)")
_KINDS = {"e-mail": "email", "phone": "phone", "address": "address", "website": "url"}
# In the order of join_address's parameters.
_ADDRESS_PARTS = ("street", "city", "region", "postal code", "country", "extended address")


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(_SEPARATOR.strip())]


@lru_cache(maxsize=16)
def _slots(columns: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The numbered contact-method columns of a header, as (kind, "phone 1") pairs, in order."""
    slots: dict[tuple[str, str], None] = {}
    for key in columns:
        if match := _NUMBERED.fullmatch(key):
            slots.setdefault((_KINDS[match[1]], f"{match[1]} {match[2]}"), None)
    return tuple(slots)


def _address(row: Row, prefix: str) -> str:
    formatted = row.get(f"{prefix} - formatted")
    if formatted:
        return formatted
    parts = [row.get(f"{prefix} - {part}") for part in _ADDRESS_PARTS]
    return join_address(*parts)


def _add_methods(card: Card, row: Row) -> None:
    for kind, prefix in _slots(row.columns):
        raw = _address(row, prefix) if kind == "address" else row.get(f"{prefix} - value")
        label = label_for(row.get(f"{prefix} - label", f"{prefix} - type"))
        for value in _split(raw) if raw else ():
            add_method(card, kind, value, label)


def _groups(cell: str) -> list[str]:
    """User labels; system ones such as "* myContacts" and "* starred" start with "* "."""
    return [name for name in _split(cell) if name and not name.startswith("*")]


def _joined(*parts: str) -> str:
    return " ".join(part.strip() for part in parts if part.strip())


def _matches_current(columns: frozenset[str]) -> bool:
    return {"first name", "last name"} <= columns and bool(
        {"labels", "phonetic first name", "organization name", "file as"} & columns
    )


def _read_current(row: Row) -> Card:
    card = Card(
        family_name=row.get("last name"),
        given_name=_joined(row.get("first name"), row.get("middle name")),
        family_reading=row.get("phonetic last name"),
        given_reading=_joined(row.get("phonetic first name"), row.get("phonetic middle name")),
        company=row.get("organization name", "organization 1 - name"),
        department=row.get("organization department", "organization 1 - department"),
        title=row.get("organization title", "organization 1 - title"),
        notes=row.get("notes"),
        tags=_groups(row.get("labels", "group membership")),
    )
    _add_methods(card, row)
    card.birthday = row.birthday("birthday")
    return card


def _matches_legacy(columns: frozenset[str]) -> bool:
    return {"given name", "family name"} <= columns and bool(
        {"name", "group membership", "yomi name", "given name yomi"} & columns
    )


def _read_legacy(row: Row) -> Card:
    family = row.get("family name")
    given = _joined(row.get("given name"), row.get("additional name"))
    if not (family or given):
        family, given = split_full_name(row.get("name"))
    family_reading = row.get("family name yomi")
    given_reading = _joined(row.get("given name yomi"), row.get("additional name yomi"))
    if not (family_reading or given_reading):
        family_reading, given_reading = split_full_name(row.get("yomi name"))
    card = Card(
        family_name=family,
        given_name=given,
        family_reading=family_reading,
        given_reading=given_reading,
        company=row.get("organization 1 - name"),
        department=row.get("organization 1 - department"),
        title=row.get("organization 1 - title"),
        notes=row.get("notes"),
        tags=_groups(row.get("group membership")),
    )
    _add_methods(card, row)
    card.birthday = row.birthday("birthday")
    return card


CURRENT = Reader("google", _matches_current, _read_current)
LEGACY = Reader("google_legacy", _matches_legacy, _read_legacy)
