"""Turn a numbered draft into table rows, derived fields included, and insert them.

Rows are inserted in batches with SQLAlchemy Core. The fields the app derives come from
tracker.services.derived (the one derivation the app runs), so that a `flask recompute`
afterwards changes nothing.
"""

import time as clock
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.orm import Session

from tracker import fields
from tracker import text as names
from tracker.db import Base
from tracker.models import Tag
from tracker.relationships import evidence
from tracker.seeding.data import HORIZON_DAYS, TAGS
from tracker.seeding.generator import (
    Chooser,
    Draft,
    Generator,
    Person,
    SeedPlan,
    assign_ids,
    collect_histories,
    label_stage,
)
from tracker.services.derived import derived_values

BATCH_ROWS = 5_000


@dataclass
class SeedCounts:
    """What a seeding run inserted, and how long it took."""

    events: int = 0
    tags: int = 0
    contacts: int = 0
    methods: int = 0
    touchpoints: int = 0
    touchpoint_links: int = 0
    referrals: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, float]:
        """Return the counts as a plain dict."""
        return dict(self.__dict__)


def name_keys(person: Person, tag_names: list[str]) -> dict[str, str]:
    """The search and sort keys Contact.refresh_keys would store (tags in name order)."""
    return names.contact_keys(person, sorted(tag_names))._asdict()


# --- Rows --------------------------------------------------------------------------------


def _stamp(day: date, at: time | None = None) -> datetime:
    """A deterministic creation time on a day (noon UTC unless a time is given)."""
    return datetime.combine(day, at or time(12, 0), tzinfo=UTC)


def _draw_status(person: Person, choose: Chooser, today: date) -> None:
    """Archive a few long-dormant people and snooze a few others."""
    last = person.last_on
    if last is not None and (today - last).days > 365 and choose.chance(0.08):
        person.archived_at = _stamp(choose.day_between(last + timedelta(days=180), today))
    elif choose.chance(0.02):
        person.snoozed_until = today + timedelta(days=choose.rng.randint(-20, 40))


def contact_rows(
    draft: Draft, user_id: int, tags: list[tuple[int, str, str | None]], seed: int
) -> list[dict[str, Any]]:
    """The contact rows, with every derived field computed."""
    choose = Chooser(seed * 7919 + 1)
    rows = []
    for person in draft.people:
        _draw_status(person, choose, draft.today)
        found = evidence(person.touches, person.referrals, draft.today)
        stage = label_stage(found.stage, choose)
        own_tags = [tags[i] for i in person.tags]
        tag_cadences = [tag[2] for tag in own_tags]
        created = _stamp(person.first_met_on or draft.today - timedelta(days=HORIZON_DAYS))
        rows.append(
            {
                "id": person.id,
                "user_id": user_id,
                **fields.values(person),
                "origin_event_id": _event_id(draft, person.origin_event),
                "introduced_by_id": _person_id(draft, person.introduced_by),
                "stage": stage,
                "cadence": person.cadence,
                "snoozed_until": person.snoozed_until,
                "archived_at": person.archived_at,
                "created_at": created,
                "updated_at": created,
                **derived_values(
                    stage,
                    person.cadence,
                    tag_cadences,
                    person.touches,
                    person.referrals,
                    draft.today,
                ),
                **name_keys(person, [t[1] for t in own_tags]),
            }
        )
    return rows


def _event_id(draft: Draft, index: int | None) -> int | None:
    """The id of an event index."""
    return None if index is None else draft.events[index].id


def _person_id(draft: Draft, index: int | None) -> int | None:
    """The id of a person index."""
    return None if index is None else draft.people[index].id


def event_rows(draft: Draft, user_id: int) -> list[dict[str, Any]]:
    """The event rows."""
    return [
        {
            "id": event.id,
            "user_id": user_id,
            "name": event.name,
            "kind": event.kind,
            "held_on": event.held_on,
            "place": event.place,
            "notes": "",
            "created_at": _stamp(event.held_on),
        }
        for event in draft.events
    ]


def method_rows(draft: Draft) -> list[dict[str, Any]]:
    """Each person's email address and phone number, where they have them."""
    rows = []
    for person in draft.people:
        values = [("email", "仕事", person.email), ("phone", "携帯", person.phone)]
        present = [(kind, label, value) for kind, label, value in values if value]
        for position, (kind, label, value) in enumerate(present):
            if person.western:
                label = "work" if kind == "email" else "mobile"
            rows.append(
                {
                    "contact_id": person.id,
                    "kind": kind,
                    "label": label,
                    "value": value,
                    "position": position,
                }
            )
    return rows


def touchpoint_rows(draft: Draft, user_id: int) -> list[dict[str, Any]]:
    """The touchpoint rows."""
    rows = []
    for touch in draft.touches:
        stamp = _stamp(touch.on, touch.at)
        rows.append(
            {
                "id": touch.id,
                "user_id": user_id,
                "occurred_on": touch.on,
                "occurred_at": touch.at,
                "kind": touch.kind,
                "summary": touch.summary,
                "notes": touch.notes,
                "initiated_by": touch.initiated_by,
                "follow_up_on": touch.follow_up_on,
                "event_id": _event_id(draft, touch.event),
                "created_at": stamp,
                "updated_at": stamp,
            }
        )
    return rows


def link_rows(draft: Draft) -> list[dict[str, int]]:
    """Which contacts each touchpoint involves."""
    return [
        {"touchpoint_id": touch.id, "contact_id": draft.people[index].id}
        for touch in draft.touches
        for index in touch.contacts
    ]


def referral_rows(draft: Draft, user_id: int) -> list[dict[str, Any]]:
    """The referral rows, oldest first."""
    rows = []
    for referral in sorted(draft.referrals, key=lambda r: r.on):
        stamp = _stamp(referral.on)
        rows.append(
            {
                "user_id": user_id,
                "referred_on": referral.on,
                "direction": referral.direction,
                "contact_id": draft.people[referral.contact].id,
                "other_contact_id": _person_id(draft, referral.other),
                "subject": referral.subject,
                "subject_contact_id": _person_id(draft, referral.subject_contact),
                "status": referral.status,
                "notes": referral.notes,
                "created_at": stamp,
                "updated_at": stamp,
            }
        )
    return rows


# --- Writing -----------------------------------------------------------------------------

ID_TABLES = ("events", "tags", "contacts", "touchpoints")
LOCKED_TABLES = "events, tags, contacts, contact_methods, contact_tags, touchpoints, referrals"


def table(name: str) -> Table:
    """The Core table of this name."""
    return Base.metadata.tables[name]


def insert_batches(session: Session, name: str, rows: list[dict[str, Any]]) -> None:
    """Insert rows with SQLAlchemy Core, a batch at a time."""
    statement = insert(table(name))
    for start in range(0, len(rows), BATCH_ROWS):
        session.execute(statement, rows[start : start + BATCH_ROWS])


def next_ids(session: Session) -> dict[str, int]:
    """The first free id of each table whose ids the rows set themselves."""
    return {
        name: (session.scalar(select(func.max(table(name).c.id))) or 0) + 1 for name in ID_TABLES
    }


def lock_for_ids(session: Session) -> None:
    """Keep other writers out while ids are chosen (SQLite: BEGIN IMMEDIATE already does)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"LOCK TABLE {LOCKED_TABLES} IN SHARE ROW EXCLUSIVE MODE"))


def sync_sequences(session: Session) -> None:
    """Move PostgreSQL's id sequences past the ids inserted explicitly."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for name in ID_TABLES:
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"
            )
        )


def ensure_tags(session: Session, user_id: int, first_id: int) -> list[tuple[int, str, str | None]]:
    """The user's tags for TAGS, as (id, name, cadence): existing ones kept, others added."""
    existing = {
        names.normalise(tag.name): (tag.id, tag.name, tag.cadence)
        for tag in session.scalars(select(Tag).where(Tag.user_id == user_id))
    }
    tags: list[tuple[int, str, str | None]] = []
    new_rows: list[dict[str, Any]] = []
    for name, cadence, _weight in TAGS:
        found = existing.get(names.normalise(name))
        if found is None:
            found = (first_id + len(new_rows), name, cadence)
            new_rows.append({"id": found[0], "user_id": user_id, "name": name, "cadence": cadence})
        tags.append(found)
    insert_batches(session, "tags", new_rows)
    return tags


def seed_user(session: Session, user_id: int, plan: SeedPlan, today: date) -> SeedCounts:
    """Add a generated dataset to a user's account, in the session's transaction."""
    started = clock.perf_counter()
    lock_for_ids(session)
    starts = next_ids(session)
    draft = Generator(plan, today).draft()
    assign_ids(draft, starts)
    collect_histories(draft)
    tags = ensure_tags(session, user_id, starts["tags"])
    contacts = contact_rows(draft, user_id, tags, plan.seed)
    methods = method_rows(draft)
    tag_links = [
        {"contact_id": person.id, "tag_id": tags[i][0]}
        for person in draft.people
        for i in person.tags
    ]
    touchpoints = touchpoint_rows(draft, user_id)
    links = link_rows(draft)
    referrals = referral_rows(draft, user_id)
    insert_batches(session, "events", event_rows(draft, user_id))
    insert_batches(session, "contacts", contacts)
    insert_batches(session, "contact_methods", methods)
    insert_batches(session, "contact_tags", tag_links)
    insert_batches(session, "touchpoints", touchpoints)
    insert_batches(session, "touchpoint_contacts", links)
    insert_batches(session, "referrals", referrals)
    sync_sequences(session)
    return SeedCounts(
        events=len(draft.events),
        tags=len(tags),
        contacts=len(contacts),
        methods=len(methods),
        touchpoints=len(touchpoints),
        touchpoint_links=len(links),
        referrals=len(referrals),
        seconds=clock.perf_counter() - started,
    )
