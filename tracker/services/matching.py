"""Likely duplicates: the keys two records of one person share, and an index to find them.

Two records are likely the same person when they share an email address, a phone number
(compared by its digits, +81 read as a leading 0), a name and company, or a full reading.
A record with a name and no company also matches the same name with no company.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from tracker import text

REASONS = ("email", "phone", "name_company", "reading", "name")
# Strong enough to fold two records of one file together without asking.
STRONG = frozenset({"email", "phone", "name_company"})
_DIGITS = re.compile(r"\d+")


def email_key(value: str) -> str | None:
    value = unicodedata.normalize("NFKC", value).strip().lower()
    return value if "@" in value else None


def phone_key(value: str) -> str | None:
    digits = "".join(_DIGITS.findall(unicodedata.normalize("NFKC", value)))
    if digits.startswith("81") and len(digits) >= 11:
        digits = "0" + digits[2:]
    return digits if len(digits) >= 7 else None


@dataclass(frozen=True)
class Keys:
    emails: frozenset[str] = field(default_factory=frozenset)
    phones: frozenset[str] = field(default_factory=frozenset)
    name_company: str | None = None
    reading: str | None = None
    name_only: str | None = None

    def pairs(self) -> Iterable[tuple[str, str]]:
        """(reason, key) for every key, strongest reasons first."""
        yield from (("email", key) for key in sorted(self.emails))
        yield from (("phone", key) for key in sorted(self.phones))
        if self.name_company:
            yield "name_company", self.name_company
        if self.reading:
            yield "reading", self.reading
        if self.name_only:
            yield "name", self.name_only


class Person(Protocol):
    """What identifies a person's record: a contact, a card, a row of them."""

    family_name: str
    given_name: str
    family_reading: str
    given_reading: str
    company: str


# The columns to read for a Person (the rest of a contact does not say who it is).
PERSON_FIELDS = tuple(Person.__annotations__)


def keys_for(person: Person, methods: Iterable[tuple[str, str]]) -> Keys:
    """The keys of one person's record; methods are (kind, value) pairs."""
    name = text.normalise(person.family_name + person.given_name).replace(" ", "")
    company_key = text.normalise(person.company).replace(" ", "")
    readings = (person.family_reading, person.given_reading)
    reading = text.normalise("".join(readings)).replace(" ", "")
    emails = {key for kind, value in methods if kind == "email" and (key := email_key(value))}
    phones = {key for kind, value in methods if kind == "phone" and (key := phone_key(value))}
    return Keys(
        emails=frozenset(emails),
        phones=frozenset(phones),
        name_company=f"{name}|{company_key}" if name and company_key else None,
        reading=reading if len(reading) >= 3 and all(readings) else None,
        name_only=name if name and not company_key else None,
    )


class Index:
    """Records by each of their keys, to find the first record a new one matches."""

    def __init__(self, reasons: frozenset[str] = frozenset(REASONS)) -> None:
        self._by: dict[tuple[str, str], object] = {}
        self.reasons = reasons

    def add(self, record: object, keys: Keys) -> None:
        for pair in keys.pairs():
            if pair[0] in self.reasons:
                self._by.setdefault(pair, record)

    def find(self, keys: Keys) -> tuple[object, str] | None:
        """The record sharing a key with these, and the reason (strongest first)."""
        for pair in keys.pairs():
            if pair[0] in self.reasons and pair in self._by:
                return self._by[pair], pair[0]
        return None
