"""Likely duplicates: when two records are one person, and an index to find them.

A shared email address or phone number alone is never a match: a company's main number, a
shared mailbox (info@, admin@) and a family's landline belong to several people. Two
records are one person when their names agree — the same name once script, width, case
and spacing are folded, the same reading, or a Latin name that is the romaji of the other's
reading — and something else agrees too: an email address, a phone number (compared by its
digits, +81 read as a leading 0) or the company. A record with no name matches a record
that shares an email address or a phone number with it. Two records whose names agree and
that have no company either are still a likely pair ("name"), for the user to decide.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from tracker import text

# Why two records are one person, strongest first.
REASONS = ("name_email", "name_phone", "name_company", "no_name_email", "no_name_phone", "name")
# Strong enough to fold two records of one file together without asking.
STRONG = frozenset(REASONS) - {"name"}
_DIGITS = re.compile(r"\d+")
_LONG_VOWELS = (("ou", "o"), ("oo", "o"), ("uu", "u"), ("aa", "a"), ("ii", "i"), ("ee", "e"))
_CANDIDATES = 50  # records looked at per name; more people than this never share one


def email_key(value: str) -> str | None:
    value = unicodedata.normalize("NFKC", value).strip().lower()
    return value if "@" in value else None


def phone_key(value: str) -> str | None:
    digits = "".join(_DIGITS.findall(unicodedata.normalize("NFKC", value)))
    if digits.startswith("81") and len(digits) >= 11:
        digits = "0" + digits[2:]
    return digits if len(digits) >= 7 else None


def _squeezed(value: str) -> str:
    return text.normalise(value).replace(" ", "")


def _plain_romaji(latin: str) -> str:
    """Romaji as people write it in Latin letters: long vowels single (Tarou, Taroo: Taro)."""
    for long, short in _LONG_VOWELS:
        latin = latin.replace(long, short)
    return "ローマ字:" + latin


def name_forms(family: str, given: str, family_reading: str, given_reading: str) -> frozenset[str]:
    """Every spelling under which a name may agree with another: as written (either order,
    for Latin names), its reading, and the romaji of its reading."""
    forms = set()
    if (family + given).strip():
        forms.add(_squeezed(family + given))
        if not text.has_cjk(family + given):
            for latin in (_squeezed(family + given), _squeezed(given + family)):
                forms.update((latin, _plain_romaji(latin)))
    reading = family_reading + given_reading
    if reading.strip():
        forms.add("よみ:" + _squeezed(reading))
        for first, second in ((family_reading, given_reading), (given_reading, family_reading)):
            romaji = _squeezed(text.romaji(first + " " + second))
            if romaji.isascii() and romaji:
                forms.add(_plain_romaji(romaji))
    forms.discard("")
    return frozenset(forms)


@dataclass(frozen=True)
class Keys:
    """What matching compares of one record."""

    names: frozenset[str] = field(default_factory=frozenset)
    emails: frozenset[str] = field(default_factory=frozenset)
    phones: frozenset[str] = field(default_factory=frozenset)
    company: str = ""
    label: str = ""  # the name as shown, for the preview's "why"

    @property
    def named(self) -> bool:
        return bool(self.names)


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
    methods = list(methods)
    family_name, given_name = person.family_name, person.given_name
    family_reading, given_reading = person.family_reading, person.given_reading
    return Keys(
        names=name_forms(family_name, given_name, family_reading, given_reading),
        emails=frozenset(k for kind, v in methods if kind == "email" and (k := email_key(v))),
        phones=frozenset(k for kind, v in methods if kind == "phone" and (k := phone_key(v))),
        company=_squeezed(person.company),
        label=text.display_name(family_name, given_name),
    )


@dataclass(frozen=True)
class Match:
    """Why two records are taken for one person: the reason, and what they share."""

    reason: str
    shared: str  # the email address, number, company or name they share


def match(first: Keys, second: Keys) -> Match | None:
    """Whether two records are one person, and why; None when they are not."""
    if first.named and second.named:
        common = first.names & second.names
        if not common:
            return None
        if emails := first.emails & second.emails:
            return Match("name_email", min(emails))
        if phones := first.phones & second.phones:
            return Match("name_phone", min(phones))
        if first.company and first.company == second.company:
            return Match("name_company", first.company)
        if not first.company and not second.company:
            return Match("name", first.label or second.label)
        return None
    if emails := first.emails & second.emails:
        return Match("no_name_email", min(emails))
    if phones := first.phones & second.phones:
        return Match("no_name_phone", min(phones))
    return None


class Index:
    """Records by their names and details, to find the record a new one is the same person as."""

    def __init__(self, reasons: frozenset[str] = frozenset(REASONS)) -> None:
        self.reasons = reasons
        self._by_name: dict[str, list[tuple[object, Keys]]] = {}
        self._by_detail: dict[str, tuple[object, Keys]] = {}  # the first record with it
        self._nameless: dict[str, tuple[object, Keys]] = {}  # the first nameless one

    def add(self, record: object, keys: Keys) -> None:
        for form in keys.names:
            found = self._by_name.setdefault(form, [])
            if len(found) < _CANDIDATES:
                found.append((record, keys))
        details = [f"e:{e}" for e in keys.emails] + [f"p:{p}" for p in keys.phones]
        for detail in details:
            self._by_detail.setdefault(detail, (record, keys))
            if not keys.named:
                self._nameless.setdefault(detail, (record, keys))

    def _candidates(self, keys: Keys) -> Iterable[tuple[object, Keys]]:
        details = [f"e:{e}" for e in sorted(keys.emails)] + [f"p:{p}" for p in sorted(keys.phones)]
        if keys.named:
            for form in sorted(keys.names):
                yield from self._by_name.get(form, ())
            yield from (self._nameless[d] for d in details if d in self._nameless)
        else:
            yield from (self._by_detail[d] for d in details if d in self._by_detail)

    def find(self, keys: Keys) -> tuple[object, Match] | None:
        """The record these keys are one person with (the strongest reason), or None."""
        best: tuple[object, Match] | None = None
        for record, other in self._candidates(keys):
            found = match(keys, other)
            if found is None or found.reason not in self.reasons:
                continue
            if best is None or REASONS.index(found.reason) < REASONS.index(best[1].reason):
                best = (record, found)
        return best
