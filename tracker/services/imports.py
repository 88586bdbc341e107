"""Importing a contacts file: the plan (preview), and the steps that carry it out.

The plan reads the file, leaves out records that break a field's length, merges the
records of one person that appear twice in the file, and sorts the rest into new
contacts and likely duplicates of existing ones: it only reads. Carrying it out creates
the new contacts with bulk inserts, a batch at a time, merges or skips the duplicates, and
tags everything it touched with one import-batch tag, so the batch can be reviewed or
removed together. tracker.jobs runs these steps, each batch in a short write transaction
of its own, and tracker.services.import_jobs keeps the import all or nothing.
"""

from collections.abc import Iterable
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


@dataclass
class Duplicate:
    """A record of the file that is a contact you have, and why."""

    card: Card
    contact_id: int
    contact_name: str
    reason: str  # one of matching.REASONS
    shared: str  # the email, number, company or name the two share
    additions: list[tuple[str, str, str]]  # what merging would add (Changes.describe)


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


@dataclass
class Work:
    """What carrying out a plan does under a duplicate policy."""

    create: list[Card]
    merge: list[Duplicate]
    skipped: int
    errors: int
    exchanges: str = ""  # the app the cards come from, when each is a card exchange

    @property
    def total(self) -> int:
        return len(self.create) + len(self.merge)

    def cards(self) -> list[Card]:
        """Every card this work writes, created or merged."""
        return [*self.create, *(dup.card for dup in self.merge)]


def work_for(found: Plan, policy: str) -> Work:
    """The cards to create and the duplicates to merge under a policy for likely duplicates."""
    if policy not in POLICIES:
        raise ValueError(f"unknown duplicate policy: {policy!r}")
    create = list(found.new)
    if policy == "new":
        create += [dup.card for dup in found.duplicates]
    # Eight holds business cards: the day on each is a card exchange, which starts the
    # first-follow-up clock (and makes an old card a faded one).
    source = FORMAT_NAMES.get(found.result.format, "") if found.result.card_exchanges else ""
    return Work(
        create=create,
        merge=found.duplicates if policy == "merge" else [],
        skipped=len(found.duplicates) if policy == "skip" else 0,
        errors=len(found.skipped),
        exchanges=source,
    )


@dataclass
class BatchTags:
    """An import's batch tag, the ids of the tags its cards carry, and the tags it made."""

    user_id: int
    batch_id: int
    batch_name: str
    ids: dict[str, int]  # by normalised name
    created: list[int]


def prepare_tags(session: Session, user_id: int, batch_name: str, cards: list[Card]) -> BatchTags:
    """Find or make the import's batch tag and every tag its cards carry."""
    book = TagBook(session, user_id)
    had = set(book.by_key)
    batch_tag = book.get([batch_name[:TAG_LEN]])[0]
    # The contacts made since are the batch's own (those merged into were there before).
    batch_tag.imported_at = datetime.now(UTC)
    tags = book.get(sorted({tag for card in cards for tag in card.tags}))
    session.flush()
    return BatchTags(
        user_id=user_id,
        batch_id=batch_tag.id,
        batch_name=batch_tag.name,
        ids={text.normalise(tag.name): tag.id for tag in tags},
        created=[tag.id for key, tag in book.by_key.items() if key not in had],
    )


def contact_rows(user_id: int, cards: list[Card], now: datetime) -> list[dict[str, Any]]:
    """The rows of new contacts, keys included (worked out before any write transaction)."""
    return [_contact_row(user_id, card, tuple(card.tags), now) for card in cards]


def insert_contacts(
    session: Session,
    cards: list[Card],
    rows: list[dict[str, Any]],
    tags: BatchTags,
    now: datetime,
    today: date,
    exchanges: str = "",
) -> list[int]:
    """Insert a batch of new contacts with their methods, tags and card images; with
    ``exchanges`` (the app the cards come from), a card exchange on each first-met day.
    Their ids."""
    ids = list(
        session.scalars(
            insert(Contact).returning(Contact.id, sort_by_parameter_order=True), rows
        ).all()
    )
    methods = [
        {
            "contact_id": contact_id,
            "kind": m.kind,
            "value": m.value,
            "label": m.label,
            "position": i,
        }
        for contact_id, card in zip(ids, cards, strict=True)
        for i, m in enumerate(card.methods)
    ]
    links = [
        {"contact_id": contact_id, "tag_id": tag_id}
        for contact_id, card in zip(ids, cards, strict=True)
        for tag_id in {*(_ids(tags.ids, card.tags)), tags.batch_id}
    ]
    images = [
        {
            "contact_id": contact_id,
            "content_type": card.photo_type,
            "data": card.photo,
            "created_at": now,
        }
        for contact_id, card in zip(ids, cards, strict=True)
        if card.photo and card.photo_type
    ]
    for table, values in ((ContactMethod, methods), (contact_tags, links), (CardImage, images)):
        if values:
            session.execute(insert(table), values)
    if exchanges:
        exchanged = _card_exchanges(session, tags.user_id, ids, cards, exchanges, now)
        refresh_contacts(session, exchanged, today)
    return ids


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


def merge_duplicates(
    session: Session, user_id: int, duplicates: list[Duplicate], tags: BatchTags, today: date
) -> int:
    """Merge likely duplicates into the user's contacts they match (those still there),
    tag those contacts with the batch, and return how many contacts were merged into."""
    book = TagBook(session, user_id)
    batch_tag = session.get(Tag, tags.batch_id)
    assert batch_tag is not None
    wanted = sorted({dup.contact_id for dup in duplicates})
    present: set[int] = set()
    for start in range(0, len(wanted), BATCH):
        present.update(
            session.scalars(
                select(Contact.id).where(
                    Contact.user_id == user_id, Contact.id.in_(wanted[start : start + BATCH])
                )
            )
        )
    # A duplicate with nothing new only joins the batch; the others are merged field by field.
    unchanged = {d.contact_id for d in duplicates if not d.additions and d.contact_id in present}
    changed = [d for d in duplicates if d.additions and d.contact_id in present]
    already = set(
        session.scalars(
            select(contact_tags.c.contact_id).where(contact_tags.c.tag_id == batch_tag.id)
        )
    )
    links = [{"contact_id": cid, "tag_id": batch_tag.id} for cid in unchanged - already]
    if links:
        session.execute(insert(contact_tags), links)
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
    refresh_contacts(session, merged_ids, today)
    return len(unchanged | set(merged_ids))


def summary_of(work: Work, merged: int, tags: BatchTags) -> Summary:
    """What an import did, for its summary page and its log line."""
    return Summary(
        created=len(work.create),
        merged=merged,
        skipped=work.skipped,
        errors=work.errors,
        tag_id=tags.batch_id,
        tag_name=tags.batch_name,
    )
