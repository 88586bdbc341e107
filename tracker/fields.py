"""The contact's own fields, specified once: what a card, a form, an import or a backup says
of a person. Pure code: no Flask, no database, so that importers and exporters use it too.

``ContactFields`` is a typed dataclass with one attribute per field; each attribute's
``Annotated`` metadata is its ``FieldSpec`` (label, kind, length, where it is shown, how it
is exported and merged). The data classes that carry a contact's fields inherit it:
``ContactData`` (the service's input), ``CardData`` (the quick card form), the importers'
``Card`` and ``NameParts`` (the search and sort keys). ``FIELDS`` lists the specs in order;
the forms, exports, restore, merges and keys read it instead of naming the fields.

Adding a field means: one attribute here, its column on ``tracker.models.Contact`` with
a migration, and the templates that show it. The model spells its columns out rather than
having them generated from this module: mypy (and a reader) can only see an attribute
that is written in the class, and a generated column would make every ``contact.title``
untyped. ``tests/test_fields.py`` checks that each field here has its column, of the
type, length and default the spec gives, so the two cannot drift apart.

vCard is not driven from here: it writes the names and the organisation as structured
properties (N with SORT-AS, ORG of company and department) in an order its readers and
tests expect, so ``tracker.exporters.vcard`` maps the fields it carries itself.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from typing import Annotated, Any, Literal, get_type_hints

from tracker.messages import N_

# Column sizes, shared by the forms so that a form never accepts what the table cannot hold.
NAME_LEN = 100
ORG_LEN = 200
LONG_TEXT_LEN = 10_000
EXPERTISE_LEN = 2_000
BIRTHDAY_LEN = 10  # YYYY-MM-DD, or --MM-DD when the year is unknown

# line: one line of text; text: several lines; date: a day; birthday: YYYY-MM-DD or --MM-DD.
Kind = Literal["line", "text", "date", "birthday"]
# Where the field sits on a card and on the contact form (the CSV export keeps name and
# work together before the stage and the contact methods, the others after them).
Group = Literal["name", "work", "about", "origin"]
# How a merge combines two records: fill an empty value from the other record, join two
# texts, or keep the earlier date.
Merge = Literal["fill", "join", "earliest"]


@dataclass(frozen=True)
class FieldSpec:
    """What the app knows of one field of a contact; ``name`` is filled in from the
    attribute of ``ContactFields`` it annotates."""

    label: str
    kind: Kind = "line"
    length: int = ORG_LEN  # the most characters a form or an import accepts
    group: Group = "about"
    editable: bool = True  # on the contact form, and written back from it
    on_card: bool = False  # asked on the quick card-exchange form
    search: bool = False  # part of the search key (the names always are)
    csv: bool = True  # a column of the CSV export
    merge: Merge = "fill"
    autocomplete: bool = True  # False where a browser would offer the user's own name
    name: str = ""

    @property
    def is_text(self) -> bool:
        return self.kind in ("line", "text")

    @property
    def empty(self) -> Any:
        """The value of the field when nothing is known: "" for text, None otherwise."""
        return "" if self.is_text else None

    @property
    def csv_column(self) -> str:
        """The field's column in the CSV export: its name."""
        return self.name

    @property
    def backup_key(self) -> str:
        """The field's key in a contact of the JSON backup: its name."""
        return self.name


_NAME = FieldSpec("", length=NAME_LEN, group="name", on_card=True, autocomplete=False)
_WORK = FieldSpec("", group="work", on_card=True, search=True)


@dataclass
class ContactFields:
    """A contact's own fields, each annotated with its spec."""

    family_name: Annotated[str, replace(_NAME, label=N_("Family name"))] = ""
    given_name: Annotated[str, replace(_NAME, label=N_("Given name"))] = ""
    family_reading: Annotated[str, replace(_NAME, label=N_("Family name reading"))] = ""
    given_reading: Annotated[str, replace(_NAME, label=N_("Given name reading"))] = ""
    # Middle names, kept apart from the given name (N's additional names, Google's Middle Name).
    additional_name: Annotated[
        str, replace(_NAME, label=N_("Middle name"), on_card=False, search=True)
    ] = ""
    nickname: Annotated[str, replace(_NAME, label=N_("Nickname"), on_card=False, search=True)] = ""
    company: Annotated[str, replace(_WORK, label=N_("Company"))] = ""
    # The company's reading (X-PHONETIC-ORG, Eight's 会社名よみ): sorts a company's card in
    # 五十音 order and finds it by kana.
    company_reading: Annotated[
        str, replace(_WORK, label=N_("Company reading"), on_card=False, autocomplete=False)
    ] = ""
    department: Annotated[str, replace(_WORK, label=N_("Department"))] = ""
    title: Annotated[str, replace(_WORK, label=N_("Title"))] = ""
    expertise: Annotated[
        str, FieldSpec(N_("What they can help with"), "text", EXPERTISE_LEN, search=True)
    ] = ""
    notes: Annotated[
        str, FieldSpec(N_("Notes"), "text", LONG_TEXT_LEN, search=True, merge="join")
    ] = ""
    first_met_on: Annotated[
        date | None, FieldSpec(N_("First met on"), "date", group="origin", merge="earliest")
    ] = None
    # Read from imports and kept in exports; no form edits it yet.
    birthday: Annotated[
        str | None, FieldSpec(N_("Birthday"), "birthday", BIRTHDAY_LEN, editable=False)
    ] = None
    anniversary: Annotated[
        str | None, FieldSpec(N_("Anniversary"), "birthday", BIRTHDAY_LEN, editable=False)
    ] = None
    origin_note: Annotated[str, FieldSpec(N_("Or, how you met"), group="origin", csv=False)] = ""


def _specs() -> tuple[FieldSpec, ...]:
    hints = get_type_hints(ContactFields, include_extras=True)
    return tuple(
        replace(spec, name=name)
        for name, hint in hints.items()
        for spec in hint.__metadata__
        if isinstance(spec, FieldSpec)
    )


FIELDS: tuple[FieldSpec, ...] = _specs()
BY_NAME = {spec.name: spec for spec in FIELDS}
EDITABLE = tuple(spec for spec in FIELDS if spec.editable)
ON_CARD = tuple(spec for spec in FIELDS if spec.on_card)
TEXT_FIELDS = tuple(spec for spec in FIELDS if spec.is_text)


def items(source: object, specs: Iterable[FieldSpec] = FIELDS) -> Iterator[tuple[FieldSpec, Any]]:
    """Each field with its value, read from any object that has them (a contact, a card),
    a missing text as ""."""
    for spec in specs:
        value = getattr(source, spec.name, None)
        yield spec, spec.empty if value is None else value


def values(source: object, specs: Iterable[FieldSpec] = FIELDS) -> dict[str, Any]:
    """The fields' values by name, read as ``items`` reads them."""
    return {spec.name: value for spec, value in items(source, specs)}


def csv_columns(groups: Iterable[Group]) -> list[str]:
    """The CSV columns of the fields in these groups, in the order of the fields."""
    wanted = set(groups)
    return [spec.csv_column for spec in FIELDS if spec.csv and spec.group in wanted]
