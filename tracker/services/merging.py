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

from tracker import fields

# Fields of a contact outside the specification (where they met, their cadence): filled on
# the contact that stays when empty there.
CONTACT_ONLY = ("origin_event_id", "introduced_by_id", "cadence")


class _Method(Protocol):
    kind: str
    value: str
    label: str


@dataclass
class Changes:
    """What merging a second record into a first changes on the first."""

    fields: dict[str, Any] = field(default_factory=dict)
    methods: list[tuple[str, str, str]] = field(default_factory=list)  # kind, value, label
    tags: list[str] = field(default_factory=list)

    def describe(self) -> list[tuple[str, str, str]]:
        """The changes for a preview, each as (what, name, value): ("field", its name, ""),
        ("method", its kind, the value) or ("tag", "", the tag); the page words them."""
        added = [("field", name, "") for name in self.fields]
        added += [("method", kind, value) for kind, value, _label in self.methods]
        added += [("tag", "", tag) for tag in self.tags]
        return added

    def __bool__(self) -> bool:
        return bool(self.fields or self.methods or self.tags)


def merged_value(spec: fields.FieldSpec, mine: Any, theirs: Any) -> Any:
    """The value of a field once a second record is merged in, as the field's spec says:
    fill an empty value, join two texts (the second only when it says something new), or
    keep the earlier date."""
    if spec.merge == "join":
        mine = mine or ""
        return f"{mine}\n{theirs}".strip() if theirs and theirs not in mine else mine
    if spec.merge == "earliest":
        return theirs if theirs is not None and (mine is None or theirs < mine) else mine
    return mine if mine or not theirs else theirs


def changes(
    into: Any,
    source: Any,
    *,
    extra: Iterable[str] = (),
    into_tags: Iterable[str] = (),
    source_tags: Iterable[str] = (),
) -> Changes:
    """What ``source`` adds to ``into`` (a Card or a Contact each): every field of the
    specification, then the ``extra`` attributes (filled when empty)."""
    found = Changes()
    for spec, theirs in fields.items(source):
        mine = getattr(into, spec.name, None)
        value = merged_value(spec, mine, theirs)
        if value != (spec.empty if mine is None else mine):
            found.fields[spec.name] = value
    for name in extra:
        if not getattr(into, name) and getattr(source, name):
            found.fields[name] = getattr(source, name)
    methods: Iterable[_Method] = into.methods
    have = {(m.kind, m.value) for m in methods}
    for method in source.methods:
        if (method.kind, method.value) not in have:
            have.add((method.kind, method.value))
            found.methods.append((method.kind, method.value, method.label))
    tags = set(into_tags)
    found.tags = [tag for tag in dict.fromkeys(source_tags) if tag not in tags]
    return found


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def undo_of(into: Any, found: Changes, added_tags: Iterable[str] = ()) -> dict[str, Any]:
    """What it takes to undo the changes on the record that stays (JSON-ready): the values
    they replace, and the methods and tags they add. The trash keeps it with the merge."""
    return {
        "into": into.id,
        "fields": {name: _json(getattr(into, name)) for name in found.fields},
        "stage": into.stage,
        "snoozed_until": _json(into.snoozed_until),
        "methods": [[kind, value] for kind, value, _label in found.methods],
        "tags": [*found.tags, *added_tags],
        "touchpoints": [],
        "referrals": [],
        "introduced": [],
        "image_moved": False,
    }


def apply_changes(into: Any, found: Changes, *, cut: bool = False) -> None:
    """Set the changed fields on the record that stays; with ``cut``, texts are cut to the
    length their field keeps (joined notes may outgrow it)."""
    for name, value in found.fields.items():
        spec = fields.BY_NAME.get(name)
        if cut and spec is not None and spec.is_text:
            value = value[: spec.length]
        setattr(into, name, value)
