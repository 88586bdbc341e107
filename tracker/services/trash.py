"""The trash: a deleted contact or touchpoint is kept whole for 30 days, then purged.

Deleting writes a snapshot of the object and everything attached to it (for a contact:
its methods, tags, card image, touchpoints, referrals, and who it introduced or was
referred as), then deletes the rows. Restoring puts the contact, touchpoints and referrals
back with their own ids (ids are never reused, so theirs are free), gives methods and the
card image new ones, and links them again to whatever of the owner's still exists: a
reference is followed only to a row of the same owner.
"""

import base64
import json
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Protocol

from sqlalchemy import Date, DateTime, Time, delete, insert, or_, select, update
from sqlalchemy.orm import Session, object_session, selectinload

from tracker.models import (
    CardImage,
    Contact,
    ContactMethod,
    Event,
    Referral,
    Touchpoint,
    TrashEntry,
    touchpoint_contacts,
)
from tracker.services import N_, ServiceError, derived
from tracker.services.derived import refresh_contacts
from tracker.services.ownership import find_owned, owned, owned_ids
from tracker.services.tags import TagBook

BATCH = 500
# Worked out again on restore, so not kept: the history's fields and the name keys.
DERIVED = {*derived.FIELDS, "search_key", "sort_key"}


def _plain(row: Any) -> dict[str, Any]:
    """A row's columns as JSON-ready values."""
    values = {}
    for column in row.__table__.columns:
        if column.key in DERIVED:
            continue
        value = getattr(row, column.key)
        values[column.key] = value.isoformat() if isinstance(value, date | time) else value
    return values


def _typed(model: type, values: dict[str, Any]) -> dict[str, Any]:
    """JSON values back into column values."""
    typed = {}
    for column in model.__table__.columns:  # type: ignore[attr-defined]
        if column.key not in values:
            continue
        value = values[column.key]
        if value is not None and isinstance(column.type, DateTime):
            value = datetime.fromisoformat(value)
        elif value is not None and isinstance(column.type, Date):
            value = date.fromisoformat(value)
        elif value is not None and isinstance(column.type, Time):
            value = time.fromisoformat(value)
        typed[column.key] = value
    return typed


def trash_contacts(session: Session, user_id: int, ids: list[int]) -> None:
    """Snapshot these contacts and all that hangs on them into the trash."""
    for start in range(0, len(ids), BATCH):
        _trash_contact_batch(session, user_id, ids[start : start + BATCH])


def trash_merged(
    session: Session, user_id: int, contact_id: int, merged: dict[str, Any], label: str
) -> None:
    """Snapshot a contact merged into another, with what the merge changed on the other:
    restoring the entry undoes the merge."""
    _trash_contact_batch(session, user_id, [contact_id], merged, label)


def _trash_contact_batch(
    session: Session,
    user_id: int,
    ids: list[int],
    merged: dict[str, Any] | None = None,
    label: str = "",
) -> None:
    contacts = session.scalars(
        select(Contact)
        .where(Contact.user_id == user_id, Contact.id.in_(ids))
        .options(selectinload(Contact.methods), selectinload(Contact.tags))
    ).all()
    images = {
        i.contact_id: i
        for i in session.scalars(select(CardImage).where(CardImage.contact_id.in_(ids)))
    }
    links: dict[int, list[int]] = defaultdict(list)
    touch_ids: dict[int, list[int]] = defaultdict(list)
    for touchpoint_id, contact_id in session.execute(
        select(touchpoint_contacts.c.touchpoint_id, touchpoint_contacts.c.contact_id).where(
            touchpoint_contacts.c.touchpoint_id.in_(
                select(touchpoint_contacts.c.touchpoint_id).where(
                    touchpoint_contacts.c.contact_id.in_(ids)
                )
            )
        )
    ):
        links[touchpoint_id].append(contact_id)
        if contact_id in ids:
            touch_ids[contact_id].append(touchpoint_id)
    touchpoints = {
        t.id: t for t in session.scalars(select(Touchpoint).where(Touchpoint.id.in_(list(links))))
    }
    referrals = list(
        session.scalars(
            select(Referral).where(
                or_(Referral.contact_id.in_(ids), Referral.other_contact_id.in_(ids))
            )
        )
    )
    introduced: dict[int, list[int]] = defaultdict(list)
    for contact_id, introducer in session.execute(
        select(Contact.id, Contact.introduced_by_id).where(Contact.introduced_by_id.in_(ids))
    ):
        if introducer is not None:
            introduced[introducer].append(contact_id)
    subject_of: dict[int, list[int]] = defaultdict(list)
    for referral_id, subject in session.execute(
        select(Referral.id, Referral.subject_contact_id).where(Referral.subject_contact_id.in_(ids))
    ):
        if subject is not None:
            subject_of[subject].append(referral_id)
    now = datetime.now(UTC)
    for contact in contacts:
        image = images.get(contact.id)
        payload = {
            "contact": _plain(contact),
            "methods": [_plain(m) for m in contact.methods],
            "tags": [tag.name for tag in contact.tags],
            "card_image": (
                {
                    "content_type": image.content_type,
                    "base64": base64.b64encode(image.data).decode("ascii"),
                }
                if image
                else None
            ),
            "touchpoints": [
                {**_plain(touchpoints[t]), "contacts": sorted(links[t])}
                for t in sorted(touch_ids[contact.id])
            ],
            "referrals": [
                _plain(r) for r in referrals if contact.id in (r.contact_id, r.other_contact_id)
            ],
            "introduced": sorted(introduced[contact.id]),
            "subject_of": sorted(subject_of[contact.id]),
        }
        if merged is not None:
            payload["merged"] = merged
        session.add(
            TrashEntry(
                user_id=user_id,
                kind="merge" if merged is not None else "contact",
                object_id=contact.id,
                label=(label or contact.name)[:300],
                deleted_at=now,
                payload=json.dumps(payload, ensure_ascii=False),
            )
        )


def trash_import_merge(contact: Contact, merged: dict[str, Any], label: str) -> None:
    """Keep what an import's merge changed on a contact, so that the trash can undo it."""
    session = object_session(contact)
    assert session is not None  # the contact was read in the import's session
    session.add(
        TrashEntry(
            user_id=contact.user_id,
            kind="import_merge",
            object_id=contact.id,
            label=label[:300],
            payload=json.dumps({"merged": merged}, ensure_ascii=False),
        )
    )


def trash_touchpoint(session: Session, touchpoint: Touchpoint) -> None:
    """Snapshot one touchpoint (with the contacts it involves) into the trash."""
    payload = {**_plain(touchpoint), "contacts": sorted(c.id for c in touchpoint.contacts)}
    names = ", ".join(c.name for c in touchpoint.contacts)
    session.add(
        TrashEntry(
            user_id=touchpoint.user_id,
            kind="touchpoint",
            object_id=touchpoint.id,
            label=f"{touchpoint.occurred_on.isoformat()} {touchpoint.kind} · {names}"[:300],
            payload=json.dumps(payload, ensure_ascii=False),
        )
    )


def _taken(session: Session, model: Any, row_id: Any) -> bool:
    return not isinstance(row_id, int) or session.get(model, row_id) is not None


def _insert(session: Session, model: Any, values: dict[str, Any], old_id: Any) -> int:
    """Insert a row with its old id when no row has it (ids are never reused, so it is
    free unless this very row is back), else with a new one; returns the id."""
    values = {k: v for k, v in values.items() if k != "id"}
    if not _taken(session, model, old_id):
        values["id"] = old_id
    row = model(**values)
    session.add(row)
    session.flush()
    return int(row.id)


def _put_back_touchpoint(
    session: Session, user_id: int, data: dict[str, Any], present: set[int], ids: dict[int, int]
) -> tuple[int, list[int]]:
    """Recreate a touchpoint (or relink the user's own, if it still exists) with the
    contacts present; returns its id and the contacts it involves."""
    people = [ids.get(c, c) for c in data["contacts"] if ids.get(c, c) in present]
    old_id = data["id"] if isinstance(data["id"], int) else None
    existing = find_owned(session, Touchpoint, user_id, old_id)
    if existing is not None:
        touchpoint_id = existing.id
    else:
        values = _typed(Touchpoint, data)
        values["user_id"] = user_id
        if values.get("event_id") not in owned_ids(
            session, Event, user_id, [values.get("event_id")]
        ):
            values["event_id"] = None
        touchpoint_id = _insert(session, Touchpoint, values, data["id"])
    linked = set(
        session.scalars(
            select(touchpoint_contacts.c.contact_id).where(
                touchpoint_contacts.c.touchpoint_id == touchpoint_id
            )
        )
    )
    new = [c for c in people if c not in linked]
    if new:
        session.execute(
            insert(touchpoint_contacts),
            [{"touchpoint_id": touchpoint_id, "contact_id": c} for c in new],
        )
    return touchpoint_id, people


def restore(session: Session, user_id: int, entry_id: int, today: date) -> tuple[str, int]:
    """Put the user's trashed contact or touchpoint back; returns its name or label and its
    id (``NotFound`` for another user's entry).

    Nothing in the snapshot is trusted to name the owner's rows: every event, contact and
    tag it refers to is looked up among the owner's own, and a reference to anything else
    (gone, or never theirs) is dropped. Methods and the card image get new ids.
    """
    entry = get_entry(session, user_id, entry_id)
    data = json.loads(entry.payload)
    if entry.kind == "touchpoint":
        if find_owned(session, Touchpoint, user_id, data["id"]) is not None:
            raise ServiceError(N_("This is already back."))
        present = owned_ids(session, Contact, user_id, data["contacts"])
        if not present:
            raise ServiceError(
                N_("Nobody this touchpoint involved is there any more; restore them first.")
            )
        object_id, touched = _put_back_touchpoint(session, user_id, data, present, {})
    elif entry.kind == "import_merge":
        touched = undo_merge(session, user_id, data["merged"])
        object_id = int(data["merged"]["into"])
    elif entry.kind == "merge":
        touched = undo_merge(session, user_id, data["merged"])
        object_id, restored = _restore_contact(session, user_id, data)
        touched += restored
        after_undo(session, user_id, data["merged"], object_id)
    else:
        object_id, touched = _restore_contact(session, user_id, data)
    session.delete(entry)
    session.flush()
    refresh_contacts(session, touched, today)
    return entry.label, object_id


def _restore_contact(session: Session, user_id: int, data: dict[str, Any]) -> tuple[int, list[int]]:
    row = data["contact"]
    old_id = row["id"]
    if find_owned(session, Contact, user_id, old_id) is not None:
        raise ServiceError(N_("This is already back."))
    values = _typed(Contact, row)
    values["user_id"] = user_id
    if values.get("introduced_by_id") not in owned_ids(
        session, Contact, user_id, [values.get("introduced_by_id")]
    ):
        values["introduced_by_id"] = None
    if values.get("origin_event_id") not in owned_ids(
        session, Event, user_id, [values.get("origin_event_id")]
    ):
        values["origin_event_id"] = None
    contact_id = _insert(session, Contact, values, old_id)
    ids = {old_id: contact_id}
    contact = session.get(Contact, contact_id)
    assert contact is not None
    contact.tags = TagBook(session, user_id).get(data["tags"])
    if data["methods"]:
        session.execute(
            insert(ContactMethod),
            [
                {
                    **{k: v for k, v in _typed(ContactMethod, m).items() if k != "id"},
                    "contact_id": contact_id,
                }
                for m in data["methods"]
            ],
        )
    image = data.get("card_image")
    if image:
        session.add(
            CardImage(
                contact_id=contact_id,
                content_type=image["content_type"],
                data=base64.b64decode(image["base64"]),
            )
        )
    everyone = {c for t in data["touchpoints"] for c in t["contacts"]}
    everyone |= {
        r[k]
        for r in data["referrals"]
        for k in ("contact_id", "other_contact_id", "subject_contact_id")
        if r.get(k)
    }
    present = owned_ids(session, Contact, user_id, sorted(everyone - {old_id})) | {contact_id}
    touched = {contact_id}
    for touchpoint in data["touchpoints"]:
        touched.update(_put_back_touchpoint(session, user_id, touchpoint, present, ids)[1])
    for referral in data["referrals"]:
        parties = [ids.get(referral["contact_id"], referral["contact_id"])]
        other = referral.get("other_contact_id")
        if other is not None:
            parties.append(ids.get(other, other))
        if find_owned(session, Referral, user_id, referral["id"]) is not None:
            continue  # it stayed (it was not this contact's alone)
        if not all(p in present for p in parties):
            continue  # the other party is gone: the referral cannot come back without them
        values = _typed(Referral, referral)
        values["user_id"] = user_id
        values["contact_id"] = parties[0]
        values["other_contact_id"] = parties[1] if len(parties) > 1 else None
        subject = referral.get("subject_contact_id")
        values["subject_contact_id"] = (
            ids.get(subject, subject) if ids.get(subject, subject) in present else None
        )
        _insert(session, Referral, values, referral["id"])
        touched.update(parties)
    _repoint(session, user_id, Contact, data["introduced"], "introduced_by_id", None, contact_id)
    _repoint(session, user_id, Referral, data["subject_of"], "subject_contact_id", None, contact_id)
    return contact_id, sorted(touched)


def _repoint(
    session: Session,
    user_id: int,
    model: type[Contact] | type[Referral],
    ids: list[int],
    column: str,
    before: int | None,
    after: int,
) -> None:
    """Point the user's rows ``ids`` at contact ``after`` through ``column`` where it still
    holds ``before`` (a row changed since keeps its change)."""
    if ids:
        session.execute(
            update(model)
            .where(model.user_id == user_id, model.id.in_(ids), getattr(model, column) == before)
            .values({column: after})
        )


def undo_merge(session: Session, user_id: int, undo: dict[str, Any]) -> list[int]:
    """Take back what a merge did to the contact that stayed (the trash restores the other);
    the contacts whose history changed."""
    keep = find_owned(session, Contact, user_id, undo["into"])
    if keep is None:
        raise ServiceError(
            N_("The contact this one was merged into is gone; restore that one first.")
        )
    for name, value in undo["fields"].items():
        setattr(keep, name, _typed(Contact, {name: value})[name])
    keep.stage = undo["stage"]
    keep.snoozed_until = _typed(Contact, {"snoozed_until": undo["snoozed_until"]})["snoozed_until"]
    added = {tuple(pair) for pair in undo["methods"]}
    keep.methods = [m for m in keep.methods if (m.kind, m.value) not in added]
    keep.tags = [tag for tag in keep.tags if tag.name not in set(undo["tags"])]
    if undo["image_moved"]:
        session.execute(delete(CardImage).where(CardImage.contact_id == keep.id))
    session.flush()
    return [keep.id]


def after_undo(session: Session, user_id: int, undo: dict[str, Any], drop_id: int) -> None:
    """Once the merged-away contact is back: its touchpoints, referrals and introductions
    are its own again (the owner's rows only: the snapshot's ids are not trusted)."""
    keep_id = undo["into"]
    if undo["touchpoints"]:
        session.execute(
            delete(touchpoint_contacts).where(
                touchpoint_contacts.c.contact_id == keep_id,
                touchpoint_contacts.c.touchpoint_id.in_(undo["touchpoints"]),
            )
        )
    for referral_id, column, before, _after in undo["referrals"]:
        session.execute(
            update(Referral)
            .where(Referral.id == referral_id, Referral.user_id == user_id)
            .values({column: before})
        )
    _repoint(session, user_id, Contact, undo["introduced"], "introduced_by_id", keep_id, drop_id)


class Labelled(Protocol):
    """What a trash entry's label is made of, for the page that lists it."""

    @property
    def kind(self) -> str: ...

    @property
    def label(self) -> str: ...

    @property
    def payload(self) -> str: ...


def get_entry(session: Session, user_id: int, entry_id: int) -> TrashEntry:
    """The user's trash entry with this id (``NotFound`` for any other)."""
    return owned(session, TrashEntry, user_id, entry_id)


def discard(session: Session, user_id: int, entry_id: int) -> None:
    """Delete one of the user's trash entries for good."""
    session.delete(get_entry(session, user_id, entry_id))
    session.flush()


def entries(session: Session, user_id: int) -> list[TrashEntry]:
    stmt = (
        select(TrashEntry)
        .where(TrashEntry.user_id == user_id)
        .order_by(TrashEntry.deleted_at.desc(), TrashEntry.id.desc())
    )
    return list(session.scalars(stmt))


def purge(session: Session, older_than: timedelta) -> int:
    """Delete trash entries older than this; returns how many."""
    result = session.execute(
        delete(TrashEntry).where(TrashEntry.deleted_at < datetime.now(UTC) - older_than)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
