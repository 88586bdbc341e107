"""The plain records an import produces: cards with their contact methods, and problems."""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from tracker.fields import ContactFields

# The kinds of contact method, as in ``tracker.vocabulary.METHOD_KINDS``: an "im" is an
# instant-messaging or internet-call address (its label names the service), a "related"
# entry names a person related to the contact (its label says how: spouse, child, assistant).
METHOD_KINDS = ("email", "phone", "address", "url", "im", "related")
# The pictures the app keeps, as ``tracker.images.KEPT`` lists them.
PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp")


@dataclass
class Method:
    """One email address, phone number, postal address, web or IM address, or related person."""

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
    photo_type: str | None = None  # one of PHOTO_TYPES
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
    errors: list[Problem]  # records that cannot be imported, each with its line and reason
    warnings: list[Problem]
    # What the file holds that the app has no place for: vCard property or CSV column, and
    # how many records had it. The preview lists it, so nothing is dropped in silence.
    not_kept: Counter[str] = field(default_factory=Counter)
    # True when each card's first_met_on is the day business cards were exchanged (Eight):
    # the import then logs a card exchange that day.
    card_exchanges: bool = False
