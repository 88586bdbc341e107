"""Importing a contacts file: plan (preview) and apply, in one transaction.

The plan reads the file, leaves out records that break a field's length, merges the
records of one person that appear twice in the file, and sorts the rest into new
contacts and likely duplicates of existing ones. Applying it creates the new contacts
with bulk inserts, merges or skips the duplicates, and tags everything it touched with
one import-batch tag, so the batch can be reviewed or removed together.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, selectinload

from tracker import fields, text
from tracker.importers import Card, Method, ParseResult, Problem, parse
from tracker.method_values import normal_value
from tracker.models import (
    EMAIL_LEN,
    LABEL_LEN,
    METHOD_LEN,
    TAG_LEN,
    CardImage,
    Contact,
    ContactMethod,
    Tag,
    Touchpoint,
    contact_tags,
    touchpoint_contacts,
)
from tracker.services import N_
from tracker.services.derived import refresh_contacts
from tracker.services.matching import PERSON_FIELDS, STRONG, Index, Keys, keys_for
from tracker.services.merging import Changes, apply_changes, changes, undo_of
from tracker.services.tags import TagBook
from tracker.services.trash import trash_import_merge

POLICIES = ("merge", "skip", "new")  # what to do with likely duplicates
# The name of a file's source, as a touchpoint it gives is summarised.
FORMAT_NAMES = {"eight": "Eight"}
BATCH = 1_000
TEXT = fields.TEXT_FIELDS
Progress = Callable[[int, int], None]


@dataclass
class Duplicate:
    """A record of the file that is a contact you have, and why."""

    card: Card
    contact_id: int
    contact_name: str
    reason: str  # one of matching.REASONS
    shared: str  # the email, number, company or name the two share
    additions: list[str]  # what merging would add to the existing contact


@dataclass
class Folded:
    """A record folded into an earlier record of the same person in the file, and why."""

    record: int
    line: int | None
    into_record: int
    name: str
    reason: str
    shared: str


@dataclass
class Plan:
    result: ParseResult
    new: list[Card] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)  # records that cannot be imported
    folded: list[Folded] = field(default_factory=list)

    @property
    def merged_in_file(self) -> int:
        return len(self.folded)


@dataclass
class Summary:
    created: int
    merged: int
    skipped: int
    errors: int
    tag_id: int | None
    tag_name: str

    def as_dict(self) -> dict[str, Any]:
        return dict(vars(self))


def too_long(card: Card) -> Problem | None:
    """A problem when a field is longer than the app keeps (nothing is cut silently)."""
    checked = [(spec.name, value, spec.length) for spec, value in fields.items(card, TEXT)]
    checked += [
        (method.kind, method.value, EMAIL_LEN if method.kind == "email" else METHOD_LEN)
        for method in card.methods
    ]
    checked += [("label", method.label, LABEL_LEN) for method in card.methods]
    checked += [("tags", tag, TAG_LEN) for tag in card.tags]
    for name, value, limit in checked:
        if len(value or "") > limit:
            return Problem(
                card.record,
                card.line,
                N_("field too long: %(field)s has more than %(limit)s characters"),
                {"field": name, "limit": limit},
            )
    return None


def normalise_methods(card: Card) -> None:
    """Put the card's emails, phones and postal codes in the form the app stores."""
    methods = [Method(m.kind, normal_value(m.kind, m.value), m.label) for m in card.methods]
    card.methods = [method for method in methods if method.value]


def card_keys(card: Card) -> Keys:
    return keys_for(card, [(method.kind, method.value) for method in card.methods])


def existing_index(session: Session, user_id: int) -> tuple[Index, dict[int, str]]:
    """An index of the user's contacts by their keys, and their names by id."""
    person = [getattr(Contact, name) for name in PERSON_FIELDS]
    contacts = session.execute(
        select(Contact.id, *person).where(Contact.user_id == user_id).order_by(Contact.id)
    ).all()
    methods: dict[int, list[tuple[str, str]]] = {}
    for contact_id, kind, value in session.execute(
        select(ContactMethod.contact_id, ContactMethod.kind, ContactMethod.value)
        .join(Contact, Contact.id == ContactMethod.contact_id)
        .where(Contact.user_id == user_id, ContactMethod.kind.in_(("email", "phone")))
    ):
        methods.setdefault(contact_id, []).append((kind, value))
    index = Index()
    names = {}
    for row in contacts:
        index.add(row.id, keys_for(row, methods.get(row.id, [])))
        names[row.id] = text.display_name(row.family_name, row.given_name) or row.company
    return index, names


def merge_cards(target: Card, extra: Card) -> None:
    """Fold a second record of one person into the first (within one file)."""
    found = changes(target, extra, into_tags=target.tags, source_tags=extra.tags)
    apply_changes(target, found)
    target.methods += [Method(kind, value, label) for kind, value, label in found.methods]
    target.tags += found.tags
    if target.photo is None:
        target.photo, target.photo_type = extra.photo, extra.photo_type


def _name_the_nameless(card: Card) -> None:
    """Every contact has a name: a card without one is named after what it has."""
    if not (card.family_name or card.given_name):
        first_method = card.methods[0].value if card.methods else ""
        card.family_name = card.company or card.nickname or first_method


def plan(session: Session, user_id: int, data: bytes) -> Plan:
    """Read a file and sort its records: new, likely duplicates, folded, and skipped.

    Raises ImportFormatError when the file cannot be read at all.
    """
    result = parse(data)
    found = Plan(result=result, skipped=list(result.errors))
    existing, names = existing_index(session, user_id)
    in_file = Index(STRONG)
    for card in result.cards:
        normalise_methods(card)
        problem = too_long(card)
        if problem:
            found.skipped.append(problem)
            continue
        keys = card_keys(card)
        _name_the_nameless(card)
        hit = existing.find(keys)
        if hit is not None:
            contact_id = int(hit[0])  # type: ignore[call-overload]
            found.duplicates.append(
                Duplicate(card, contact_id, names[contact_id], hit[1].reason, hit[1].shared, [])
            )
            continue
        earlier = in_file.find(keys)
        if earlier is not None:
            first: Card = earlier[0]  # type: ignore[assignment]
            found.folded.append(
                Folded(
                    card.record,
                    card.line,
                    first.record,
                    text.display_name(card.family_name, card.given_name),
                    earlier[1].reason,
                    earlier[1].shared,
                )
            )
            merge_cards(first, card)
            continue
        in_file.add(card, keys)
        found.new.append(card)
    found.skipped.sort(key=lambda problem: problem.record)
    _describe_additions(session, found.duplicates)
    return found


def _existing_contacts(session: Session, ids: Iterable[int]) -> dict[int, Contact]:
    ids = sorted(set(ids))
    contacts: dict[int, Contact] = {}
    for start in range(0, len(ids), BATCH):
        for contact in session.scalars(
            select(Contact)
            .where(Contact.id.in_(ids[start : start + BATCH]))
            .options(selectinload(Contact.methods), selectinload(Contact.tags))
        ):
            contacts[contact.id] = contact
    return contacts


def _card_changes(contact: Contact, card: Card) -> Changes:
    return changes(
        contact,
        card,
        into_tags=[tag.name for tag in contact.tags],
        source_tags=card.tags,
    )


def _describe_additions(session: Session, duplicates: list[Duplicate]) -> None:
    """Say, for each likely duplicate, what a merge would add to the existing contact."""
    contacts = _existing_contacts(session, (dup.contact_id for dup in duplicates))
    for dup in duplicates:
        dup.additions = _card_changes(contacts[dup.contact_id], dup.card).describe()


def _merge_into(contact: Contact, card: Card, book: TagBook, batch_tag: Tag) -> None:
    """Merge a record into a contact you have; the trash keeps what it takes to undo it."""
    found = _card_changes(contact, card)
    name = text.display_name(card.family_name, card.given_name) or card.company
    label = f"{name} → {contact.name} ({batch_tag.name})"
    trash_import_merge(contact, undo_of(contact, found, [batch_tag.name]), label)
    apply_changes(contact, found, cut=True)
    position = len(contact.methods)
    for kind, value, label in found.methods:
        contact.methods.append(
            ContactMethod(kind=kind, value=value, label=label, position=position)
        )
        position += 1
    contact.tags = book.get([*(tag.name for tag in contact.tags), *found.tags, batch_tag.name])


def _contact_row(
    user_id: int, card: Card, tag_names: tuple[str, ...], now: datetime
) -> dict[str, Any]:
    return {
        "user_id": user_id,
        **fields.values(card),
        "stage": "card",
        "evidence_stage": "card",
        "created_at": now,
        "updated_at": now,
        **text.contact_keys(card, tag_names)._asdict(),
    }


def _create(
    session: Session,
    user_id: int,
    cards: list[Card],
    book: TagBook,
    batch_tag: Tag,
    progress: Progress,
    total: int,
    exchanges: str = "",
) -> list[int]:
    """Insert new contacts with their methods, tags and card images, in batches; with
    ``exchanges`` (the app the cards come from), a card exchange on each first-met day.
    The ids of the contacts that got one."""
    now = datetime.now(UTC)
    done = 0
    exchanged: list[int] = []
    tags = book.get(sorted({tag for card in cards for tag in card.tags}))
    session.flush()
    tag_ids = {text.normalise(tag.name): tag.id for tag in tags}
    for start in range(0, len(cards), BATCH):
        chunk = cards[start : start + BATCH]
        rows = [_contact_row(user_id, card, tuple(card.tags), now) for card in chunk]
        ids = session.scalars(
            insert(Contact).returning(Contact.id, sort_by_parameter_order=True), rows
        ).all()
        methods = [
            {
                "contact_id": contact_id,
                "kind": m.kind,
                "value": m.value,
                "label": m.label,
                "position": i,
            }
            for contact_id, card in zip(ids, chunk, strict=True)
            for i, m in enumerate(card.methods)
        ]
        links = [
            {"contact_id": contact_id, "tag_id": tag_id}
            for contact_id, card in zip(ids, chunk, strict=True)
            for tag_id in {*(_ids(tag_ids, card.tags)), batch_tag.id}
        ]
        images = [
            {
                "contact_id": contact_id,
                "content_type": card.photo_type,
                "data": card.photo,
                "created_at": now,
            }
            for contact_id, card in zip(ids, chunk, strict=True)
            if card.photo and card.photo_type
        ]
        for table, values in ((ContactMethod, methods), (contact_tags, links), (CardImage, images)):
            if values:
                session.execute(insert(table), values)
        if exchanges:
            exchanged += _card_exchanges(session, user_id, ids, chunk, exchanges, now)
        done += len(chunk)
        progress(done, total)
    return exchanged


def _card_exchanges(
    session: Session,
    user_id: int,
    ids: Iterable[int],
    cards: list[Card],
    source: str,
    now: datetime,
) -> list[int]:
    """A card_exchange touchpoint on each card's first-met day; the contacts that got one."""
    met = [(contact_id, card.first_met_on) for contact_id, card in zip(ids, cards, strict=True)]
    met = [(contact_id, day) for contact_id, day in met if day is not None]
    if not met:
        return []
    rows = [
        {
            "user_id": user_id,
            "occurred_on": day,
            "kind": "card_exchange",
            "summary": source,
            "notes": "",
            "created_at": now,
            "updated_at": now,
        }
        for _contact_id, day in met
    ]
    touch_ids = session.scalars(
        insert(Touchpoint).returning(Touchpoint.id, sort_by_parameter_order=True), rows
    ).all()
    session.execute(
        insert(touchpoint_contacts),
        [
            {"touchpoint_id": touch_id, "contact_id": contact_id}
            for touch_id, (contact_id, _day) in zip(touch_ids, met, strict=True)
        ],
    )
    return [contact_id for contact_id, _day in met]


def _ids(tag_ids: dict[str, int], names: list[str]) -> list[int]:
    return [tag_ids[key] for name in names if (key := text.normalise(name)) in tag_ids]


def apply(
    session: Session,
    user_id: int,
    found: Plan,
    *,
    policy: str,
    batch_name: str,
    today: date,
    progress: Progress = lambda done, total: None,
) -> Summary:
    """Carry out a plan in the session's transaction (the caller commits, or rolls back)."""
    if policy not in POLICIES:
        raise ValueError(f"unknown duplicate policy: {policy!r}")
    book = TagBook(session, user_id)
    batch_tag = book.get([batch_name[:TAG_LEN]])[0]
    batch_tag.imported_at = datetime.now(UTC)
    session.flush()
    to_create = list(found.new)
    to_merge = found.duplicates if policy == "merge" else []
    if policy == "new":
        to_create += [dup.card for dup in found.duplicates]
    total = len(to_create) + len(to_merge)
    # Eight holds business cards: the day on each is a card exchange, which starts the
    # first-follow-up clock (and makes an old card a faded one).
    source = FORMAT_NAMES.get(found.result.format, "") if found.result.card_exchanges else ""
    exchanged = _create(session, user_id, to_create, book, batch_tag, progress, total, source)
    done = len(to_create)
    # A duplicate with nothing new only joins the batch; the others are merged field by field.
    unchanged = [dup for dup in to_merge if not dup.additions]
    changed = [dup for dup in to_merge if dup.additions]
    links = [
        {"contact_id": cid, "tag_id": batch_tag.id} for cid in {d.contact_id for d in unchanged}
    ]
    already = set(
        session.scalars(
            select(contact_tags.c.contact_id).where(contact_tags.c.tag_id == batch_tag.id)
        )
    )
    links = [link for link in links if link["contact_id"] not in already]
    if links:
        session.execute(insert(contact_tags), links)
    done += len(unchanged)
    progress(done, total)
    merged_ids = []
    for start in range(0, len(changed), BATCH):
        chunk = changed[start : start + BATCH]
        contacts = {
            c.id: c
            for c in session.scalars(
                select(Contact)
                .where(Contact.id.in_({dup.contact_id for dup in chunk}))
                .options(selectinload(Contact.methods), selectinload(Contact.tags))
            )
        }
        for dup in chunk:
            _merge_into(contacts[dup.contact_id], dup.card, book, batch_tag)
            merged_ids.append(dup.contact_id)
        session.flush()
        done += len(chunk)
        progress(done, total)
    refresh_contacts(session, [*merged_ids, *exchanged], today)
    return Summary(
        created=len(to_create),
        merged=len({dup.contact_id for dup in to_merge}),
        skipped=len(found.duplicates) if policy == "skip" else 0,
        errors=len(found.skipped),
        tag_id=batch_tag.id,
        tag_name=batch_tag.name,
    )
