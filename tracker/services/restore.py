"""Restoring a JSON backup (see docs/backup-format.md) into an empty account.

Everything is checked before anything is written: the format version, every reference
between rows, every kind, direction, stage and status, every length. One bad row and the
whole restore is refused, with the row named.
"""

import base64
import binascii
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from tracker import fields
from tracker.images import image_type
from tracker.models import (
    CardImage,
    Contact,
    ContactMethod,
    Event,
    Referral,
    Tag,
    Touchpoint,
    User,
    contact_tags,
    touchpoint_contacts,
)
from tracker.services import N_, ServiceError
from tracker.services.derived import recompute_user
from tracker.services.exports import FORMAT_VERSION
from tracker.vocabulary import (
    EVENT_KINDS,
    METHOD_KINDS,
    REFERRAL_DIRECTIONS,
    REFERRAL_STATUSES,
    STAGES,
    TOUCHPOINT_KINDS,
)


class RestoreError(ServiceError):
    """A backup that cannot be restored; nothing was written."""


def _fail(where: str, what: str) -> RestoreError:
    return RestoreError(N_("%(where)s: %(what)s"), where=where, what=what)


def _day(value: Any, where: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError) as error:
        raise _fail(where, f"not a date: {value!r}") from error


def _moment(value: Any, where: str) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError) as error:
        raise _fail(where, f"not a date and time: {value!r}") from error


def _stamps(row: dict[str, Any], where: str) -> dict[str, datetime]:
    """created_at as the backup has it (missing: now). updated_at is the restore's own."""
    created = _moment(row.get("created_at"), where)
    return {"created_at": created} if created is not None else {}


def _choice(value: Any, allowed: tuple[str, ...], where: str) -> str:
    if value not in allowed:
        raise _fail(where, f"{value!r} is not one of {', '.join(allowed)}")
    return str(value)


def _text(row: dict[str, Any], name: str, where: str, limit: int | None = None) -> str:
    value = row.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str) or (limit is not None and len(value) > limit):
        raise _fail(where, f"{name} is not text of at most {limit} characters")
    return value


def _field(row: dict[str, Any], spec: fields.FieldSpec, where: str) -> Any:
    """A contact field's value from a backup row, checked as its column holds it."""
    if spec.kind == "date":
        return _day(row.get(spec.backup_key), where)
    if spec.kind == "birthday":
        return row.get(spec.backup_key) or None
    limit = spec.length if spec.kind == "line" else None
    return _text(row, spec.backup_key, where, limit)


def _items(data: dict[str, Any], name: str) -> list[dict[str, Any]]:
    items = data.get(name, [])
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise _fail(name, "not a list of objects")
    return items


def _lookup(numbers: dict[int, int], value: Any, where: str) -> int | None:
    if value is None:
        return None
    if value not in numbers:
        raise _fail(where, f"refers to a missing row {value!r}")
    return numbers[value]


def is_empty(session: Session, user_id: int) -> bool:
    """True when the account holds no tags, events, contacts, touchpoints or referrals."""
    for model in (Tag, Event, Contact, Touchpoint, Referral):
        if session.scalar(select(func.count()).select_from(model).where(model.user_id == user_id)):
            return False
    return True


def restore(session: Session, user: User, data: Any, today: date) -> dict[str, int]:
    """Load a backup into the user's empty account; returns the counts restored."""
    if not isinstance(data, dict) or data.get("format_version") != FORMAT_VERSION:
        raise RestoreError(
            N_("This is not a Jinmyaku backup of format version %(version)d."),
            version=FORMAT_VERSION,
        )
    if not is_empty(session, user.id):
        raise RestoreError(N_("A backup can only be restored into an empty account."))
    settings = data.get("settings") or {}
    if isinstance(settings, dict):
        user.display_name = _text(settings, "display_name", "settings", 100)
        language = settings.get("language")
        user.language = language if language in ("ja", "en") else None
        if isinstance(settings.get("time_zone"), str):
            user.time_zone = settings["time_zone"][:64]

    tag_ids = _restore_tags(session, user.id, _items(data, "tags"))
    event_ids = _restore_events(session, user.id, _items(data, "events"))
    contacts = _items(data, "contacts")
    contact_ids = _restore_contacts(session, user.id, contacts, tag_ids, event_ids)
    touch_count = _restore_touchpoints(
        session, user.id, _items(data, "touchpoints"), contact_ids, event_ids
    )
    referral_count = _restore_referrals(session, user.id, _items(data, "referrals"), contact_ids)
    session.flush()
    recompute_user(session, user.id, today)
    return {
        "tags": len(tag_ids),
        "events": len(event_ids),
        "contacts": len(contact_ids),
        "touchpoints": touch_count,
        "referrals": referral_count,
    }


def _new_id(session: Session, row: Any) -> int:
    session.add(row)
    session.flush()
    return int(row.id)


def _restore_tags(session: Session, user_id: int, rows: list[dict[str, Any]]) -> dict[int, int]:
    ids = {}
    for row in rows:
        where = f"tags[{row.get('id')}]"
        ids[row.get("id")] = _new_id(
            session,
            Tag(
                user_id=user_id,
                name=_text(row, "name", where, 60) or "tag",
                cadence=row.get("cadence") or None,
                imported_at=_moment(row.get("imported_at"), where),
            ),
        )
    return ids  # type: ignore[return-value]


def _restore_events(session: Session, user_id: int, rows: list[dict[str, Any]]) -> dict[int, int]:
    ids = {}
    for row in rows:
        where = f"events[{row.get('id')}]"
        ids[row.get("id")] = _new_id(
            session,
            Event(
                user_id=user_id,
                name=_text(row, "name", where, 200),
                kind=_choice(row.get("kind"), EVENT_KINDS, where),
                held_on=_day(row.get("held_on"), where),
                place=_text(row, "place", where, 200),
                notes=_text(row, "notes", where),
                **_stamps(row, where),
            ),
        )
    return ids  # type: ignore[return-value]


def _restore_contacts(
    session: Session,
    user_id: int,
    rows: list[dict[str, Any]],
    tag_ids: dict[int, int],
    event_ids: dict[int, int],
) -> dict[int, int]:
    ids: dict[int, int] = {}
    for row in rows:
        where = f"contacts[{row.get('id')}]"
        tags = [
            t for tag in row.get("tags") or [] if (t := _lookup(tag_ids, tag, where)) is not None
        ]
        # The model works out the search and sort keys; recompute_user refreshes them once
        # the tags are linked.
        contact = Contact(
            user_id=user_id,
            **{spec.name: _field(row, spec, where) for spec in fields.FIELDS},
            origin_event_id=_lookup(event_ids, row.get("origin_event"), where),
            stage=_choice(row.get("stage"), STAGES, where),
            cadence=row.get("cadence") or None,
            snoozed_until=_day(row.get("snoozed_until"), where),
            archived_at=_moment(row.get("archived_at"), where),
            **_stamps(row, where),
        )
        ids[row.get("id")] = _new_id(session, contact)  # type: ignore[index]
        methods = [
            {
                "contact_id": contact.id,
                "kind": _choice(m.get("kind"), METHOD_KINDS, where),
                "label": _text(m, "label", where, 60),
                "value": _text(m, "value", where, 500),
                "position": position,
            }
            for position, m in enumerate(row.get("methods") or [])
        ]
        if methods:
            session.execute(insert(ContactMethod), methods)
        if tags:
            session.execute(
                insert(contact_tags),
                [{"contact_id": contact.id, "tag_id": t} for t in sorted(set(tags))],
            )
        image = row.get("card_image")
        if image:
            _restore_image(session, contact.id, image, where)
    for row in rows:
        introducer = _lookup(ids, row.get("introduced_by"), f"contacts[{row.get('id')}]")
        if introducer is not None:
            session.get(Contact, ids[row.get("id")]).introduced_by_id = introducer  # type: ignore[union-attr,index]
    return ids


def _restore_image(session: Session, contact_id: int, image: Any, where: str) -> None:
    try:
        data = base64.b64decode(image.get("base64", ""), validate=True)
    except (binascii.Error, AttributeError, TypeError) as error:
        raise _fail(where, "the card image is not base64") from error
    content_type = image_type(data)
    if content_type is None:
        raise _fail(where, "the card image is not a JPEG, PNG or WebP picture")
    session.execute(
        insert(CardImage), [{"contact_id": contact_id, "content_type": content_type, "data": data}]
    )


def _restore_touchpoints(
    session: Session,
    user_id: int,
    rows: list[dict[str, Any]],
    contact_ids: dict[int, int],
    event_ids: dict[int, int],
) -> int:
    for row in rows:
        where = f"touchpoints[{row.get('id')}]"
        people = [
            p
            for c in row.get("contacts") or []
            if (p := _lookup(contact_ids, c, where)) is not None
        ]
        if not people:
            raise _fail(where, "a touchpoint needs at least one contact")
        at = row.get("occurred_at")
        touchpoint = Touchpoint(
            user_id=user_id,
            occurred_on=_day(row.get("occurred_on"), where),
            occurred_at=time.fromisoformat(at) if isinstance(at, str) else None,
            kind=_choice(row.get("kind"), TOUCHPOINT_KINDS, where),
            summary=_text(row, "summary", where, 300),
            notes=_text(row, "notes", where),
            initiated_by=row.get("initiated_by")
            if row.get("initiated_by") in ("me", "them")
            else None,
            follow_up_on=_day(row.get("follow_up_on"), where),
            event_id=_lookup(event_ids, row.get("event"), where),
            **_stamps(row, where),
        )
        if touchpoint.occurred_on is None:
            raise _fail(where, "a touchpoint needs a date")
        tid = _new_id(session, touchpoint)
        session.execute(
            insert(touchpoint_contacts),
            [{"touchpoint_id": tid, "contact_id": c} for c in sorted(set(people))],
        )
    return len(rows)


def _restore_referrals(
    session: Session, user_id: int, rows: list[dict[str, Any]], contact_ids: dict[int, int]
) -> int:
    for row in rows:
        where = f"referrals[{row.get('id')}]"
        contact = _lookup(contact_ids, row.get("contact"), where)
        if contact is None:
            raise _fail(where, "a referral needs a contact")
        referred_on = _day(row.get("referred_on"), where)
        if referred_on is None:
            raise _fail(where, "a referral needs a date")
        session.add(
            Referral(
                user_id=user_id,
                referred_on=referred_on,
                direction=_choice(row.get("direction"), REFERRAL_DIRECTIONS, where),
                contact_id=contact,
                other_contact_id=_lookup(contact_ids, row.get("other_contact"), where),
                subject=_text(row, "subject", where, 200),
                subject_contact_id=_lookup(contact_ids, row.get("subject_contact"), where),
                status=_choice(row.get("status"), REFERRAL_STATUSES, where),
                notes=_text(row, "notes", where),
                **_stamps(row, where),
            )
        )
    return len(rows)
