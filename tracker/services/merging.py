"""The one merge: what a second record of a person adds to the first.

Imports fold two records of one file together and merge a record into a contact you have;
the duplicates page merges two contacts. All three ask ``changes`` what the second record
adds — empty fields filled, notes joined, new contact methods and tags, the earlier first
meeting — and apply it. Whether the two are one person is decided before, by
``tracker.services.matching``: a merge never runs on two records that matching keeps apart.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

# Filled on the record that stays when it is empty there: the fields a card carries.
CARD_FIELDS = (
    "family_name",
    "given_name",
    "additional_name",
    "family_reading",
    "given_reading",
    "nickname",
    "company",
    "company_reading",
    "department",
    "title",
    "birthday",
    "anniversary",
)
# And those only a contact has.
CONTACT_FIELDS = (
    *CARD_FIELDS,
    "expertise",
    "origin_event_id",
    "introduced_by_id",
    "origin_note",
    "cadence",
)


class _Method(Protocol):
    kind: str
    value: str
    label: str


@dataclass
class Changes:
    """What merging a second record into a first changes on the first."""

    fields: dict[str, Any] = field(default_factory=dict)
    notes: str | None = None  # the joined notes, when they change
    methods: list[tuple[str, str, str]] = field(default_factory=list)  # kind, value, label
    tags: list[str] = field(default_factory=list)
    first_met_on: date | None = None  # when the second record met them earlier

    def describe(self) -> list[str]:
        """The changes in a few words each, for a preview."""
        added = [name for name in self.fields]
        if self.notes is not None:
            added.append("notes")
        added += [f"{kind}: {value}" for kind, value, _label in self.methods]
        added += [f"tag: {tag}" for tag in self.tags]
        if self.first_met_on is not None:
            added.append("first_met_on")
        return added

    def __bool__(self) -> bool:
        return bool(self.describe())


def join_notes(first: str, second: str) -> str:
    """The first notes, then the second when they say something the first does not."""
    if not second or second in first:
        return first
    return f"{first}\n\n{second}".strip()


def changes(
    into: Any,
    source: Any,
    *,
    fields: Iterable[str] = CARD_FIELDS,
    into_tags: Iterable[str] = (),
    source_tags: Iterable[str] = (),
) -> Changes:
    """What ``source`` adds to ``into`` (a Card or a Contact each)."""
    found = Changes()
    for name in fields:
        if not getattr(into, name, None) and getattr(source, name, None):
            found.fields[name] = getattr(source, name)
    notes = join_notes(into.notes or "", source.notes or "")
    if notes != (into.notes or ""):
        found.notes = notes
    methods: Iterable[_Method] = into.methods
    have = {(m.kind, m.value) for m in methods}
    for method in source.methods:
        if (method.kind, method.value) not in have:
            have.add((method.kind, method.value))
            found.methods.append((method.kind, method.value, method.label))
    tags = set(into_tags)
    found.tags = [tag for tag in dict.fromkeys(source_tags) if tag not in tags]
    earlier = source.first_met_on
    if earlier and (into.first_met_on is None or earlier < into.first_met_on):
        found.first_met_on = earlier
    return found


def apply_fields(into: Any, found: Changes, notes_limit: int | None = None) -> None:
    """Set the filled fields, the notes and the first meeting on the record that stays."""
    for name, value in found.fields.items():
        setattr(into, name, value)
    if found.notes is not None:
        into.notes = found.notes[:notes_limit] if notes_limit else found.notes
    if found.first_met_on is not None:
        into.first_met_on = found.first_met_on
