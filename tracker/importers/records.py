"""The plain records an import produces: cards with their contact methods, and problems."""

from dataclasses import dataclass, field
from typing import Any

from tracker.fields import ContactFields

# The kinds of contact method, as in ``tracker.vocabulary.METHOD_KINDS``.
METHOD_KINDS = ("email", "phone", "address", "url")
PHOTO_TYPES = ("image/jpeg", "image/png")


@dataclass
class Method:
    """One email address, phone number, postal address or web address, with its label."""

    kind: str
    value: str
    label: str = ""


@dataclass
class Card(ContactFields):
    """One person read from a file: a contact's fields (birthday "YYYY-MM-DD", or "--MM-DD"
    when the year is unknown), with methods, tags and photo."""

    methods: list[Method] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    photo: bytes | None = None
    photo_type: str | None = None  # only "image/jpeg" or "image/png"
    record: int = 0  # 1-based record number in the file
    line: int | None = None  # 1-based line where the record starts


@dataclass
class Problem:
    """A record that could not be read, or a part of one that was left out."""

    record: int  # 0 for the file as a whole
    line: int | None
    message: str  # marked with N_; shown as ``message % params`` once translated
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class ParseResult:
    """What a file holds: the cards that parsed, and what went wrong with the others."""

    format: str
    encoding: str
    cards: list[Card]
    errors: list[Problem]
    warnings: list[Problem]
