"""Restoring a JSON backup (see docs/backup-format.md) into an empty account.

Everything is checked before anything is written: the format version, every reference
between rows, every kind, direction, stage and status, every length. One bad row and the
whole restore is refused, with the row named.

Ids never travel: each row gets a new id in the account it is restored into, and a
reference is followed only through the backup's own numbering to a row this restore made
for this account. A number that names nothing in the backup is refused, whatever it may
name in the database.
"""

import base64
import binascii
import re
from datetime import date, datetime, time
from typing import Any, TypeVar
from zoneinfo import available_timezones

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
from tracker.services.contacts import check_cadence
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

# NUL and lone surrogates: no database stores them, and the app never writes them.
_NO_TEXT = re.compile(r"[\x00\ud800-\udfff]")


_Iso = TypeVar("_Iso", date, datetime, time)
_ISO_NAMES = {date: "a date", datetime: "a date and time", time: "a time"}


class RestoreError(ServiceError):
    """A backup that cannot be restored; nothing was written."""


def _fail(where: str, what: str) -> RestoreError:
    return RestoreError(N_("%(where)s: %(what)s"), where=where, what=what)


def _iso(value: Any, kind: type[_Iso], where: str) -> _Iso | None:
    """A date, a date and time or a time as the backup writes it (ISO 8601), or None."""
    if value is None:
        return None
    try:
        return kind.fromisoformat(value)
    except (TypeError, ValueError) as error:
        raise _fail(where, f"not {_ISO_NAMES[kind]}: {value!r}") from error


def _stamps(row: dict[str, Any], where: str) -> dict[str, datetime]:
    """created_at as the backup has it (missing: now). updated_at is the restore's own."""
    created = _iso(row.get("created_at"), datetime, where)
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
    if _NO_TEXT.search(value):
        raise _fail(where, f"{name} holds a character no text can hold")
    return value


def _cadence(row: dict[str, Any], where: str) -> str | None:
    value = _text(row, "cadence", where, 40) or None
    try:
        check_cadence(value)
    except ServiceError as error:
        raise _fail(where, f"not a cadence: {value!r}") from error
    return value


def _birthday(value: Any, where: str) -> str | None:
    if value in (None, ""):
        return None
    text = value if isinstance(value, str) else ""
    try:
        if text.startswith("--") and len(text) == 7:
            date(2000, int(text[2:4]), int(text[5:7]))
        else:
            date.fromisoformat(text)
    except ValueError as error:
        raise _fail(where, f"not a birthday: {value!r}") from error
    return text


def _list(row: dict[str, Any], name: str, where: str) -> list[Any]:
    value = row.get(name)
    if value is None:
        return []
    if not isinstance(value, list):
        raise _fail(where, f"{name} is not a list")
    return value


def _backup_id(row: dict[str, Any], seen: set[int], table: str) -> int:
    """A row's number in the backup: an integer, once per table."""
    number = row.get("id")
    if not isinstance(number, int) or isinstance(number, bool) or number in seen:
        raise _fail(f"{table}[{number!r}]", "each row needs its own whole-number id")
    seen.add(number)
    return number


def _field(row: dict[str, Any], spec: fields.FieldSpec, where: str) -> Any:
    """A contact field's value from a backup row, checked as its column holds it."""
    if spec.kind == "date":
        return _iso(row.get(spec.backup_key), date, where)
    if spec.kind == "birthday":
        return _birthday(row.get(spec.backup_key), where)
    limit = spec.length if spec.kind == "line" else None
    return _text(row, spec.backup_key, where, limit)


def _items(data: dict[str, Any], name: str) -> list[dict[str, Any]]:
    items = data.get(name, [])
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise _fail(name, "not a list of objects")
    return items


def _lookup(numbers: dict[int, int], value: Any, where: str) -> int | None:
    """The new id of the row the backup numbers ``value``: never an id from elsewhere."""
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value not in numbers:
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
        time_zone = settings.get("time_zone")
        if isinstance(time_zone, str) and time_zone in available_timezones():
            user.time_zone = time_zone

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
    ids: dict[int, int] = {}
    names: set[str] = set()
    for row in rows:
        number = _backup_id(row, set(ids), "tags")
        where = f"tags[{number}]"
        name = " ".join(_text(row, "name", where, 60).split()) or "tag"
        if name in names:
            raise _fail(where, f"the tag name {name!r} is used twice")
        names.add(name)
        ids[number] = _new_id(
            session,
            Tag(
                user_id=user_id,
                name=name,
                cadence=_cadence(row, where),
                imported_at=_iso(row.get("imported_at"), datetime, where),
            ),
        )
    return ids


def _restore_events(session: Session, user_id: int, rows: list[dict[str, Any]]) -> dict[int, int]:
    ids: dict[int, int] = {}
    for row in rows:
        number = _backup_id(row, set(ids), "events")
        where = f"events[{number}]"
        ids[number] = _new_id(
            session,
            Event(
                user_id=user_id,
                name=_text(row, "name", where, 200),
                kind=_choice(row.get("kind"), EVENT_KINDS, where),
                held_on=_iso(row.get("held_on"), date, where),
                place=_text(row, "place", where, 200),
                notes=_text(row, "notes", where),
                series=_text(row, "series", where, 200),
                **_stamps(row, where),
            ),
        )
    return ids


def _restore_contacts(
    session: Session,
    user_id: int,
    rows: list[dict[str, Any]],
    tag_ids: dict[int, int],
    event_ids: dict[int, int],
) -> dict[int, int]:
    ids: dict[int, int] = {}
    for row in rows:
        number = _backup_id(row, set(ids), "contacts")
        where = f"contacts[{number}]"
        tags = [
            t
            for tag in _list(row, "tags", where)
            if (t := _lookup(tag_ids, tag, where)) is not None
        ]
        # The model works out the search and sort keys; recompute_user refreshes them once
        # the tags are linked.
        contact = Contact(
            user_id=user_id,
            **{spec.name: _field(row, spec, where) for spec in fields.FIELDS},
            origin_event_id=_lookup(event_ids, row.get("origin_event"), where),
            stage=_choice(row.get("stage"), STAGES, where),
            cadence=_cadence(row, where),
            snoozed_until=_iso(row.get("snoozed_until"), date, where),
            archived_at=_iso(row.get("archived_at"), datetime, where),
            **_stamps(row, where),
        )
        ids[number] = _new_id(session, contact)
        if not all(isinstance(m, dict) for m in _list(row, "methods", where)):
            raise _fail(where, "methods is not a list of objects")
        methods = [
            {
                "contact_id": contact.id,
                "kind": _choice(m.get("kind"), METHOD_KINDS, where),
                "label": _text(m, "label", where, 60),
                "value": _text(m, "value", where, 500),
                "position": position,
            }
            for position, m in enumerate(_list(row, "methods", where))
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
        where = f"contacts[{row['id']}]"
        introducer = _lookup(ids, row.get("introduced_by"), where)
        if introducer is not None:
            if introducer == ids[row["id"]]:
                raise _fail(where, "a contact cannot have introduced themselves")
            session.get(Contact, ids[row["id"]]).introduced_by_id = introducer  # type: ignore[union-attr]
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
    seen: set[int] = set()
    for row in rows:
        where = f"touchpoints[{_backup_id(row, seen, 'touchpoints')}]"
        people = [
            p
            for c in _list(row, "contacts", where)
            if (p := _lookup(contact_ids, c, where)) is not None
        ]
        if not people:
            raise _fail(where, "a touchpoint needs at least one contact")
        touchpoint = Touchpoint(
            user_id=user_id,
            occurred_on=_iso(row.get("occurred_on"), date, where),
            occurred_at=_iso(row.get("occurred_at"), time, where),
            kind=_choice(row.get("kind"), TOUCHPOINT_KINDS, where),
            summary=_text(row, "summary", where, 300),
            notes=_text(row, "notes", where),
            initiated_by=row.get("initiated_by")
            if row.get("initiated_by") in ("me", "them")
            else None,
            follow_up_on=_iso(row.get("follow_up_on"), date, where),
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
    seen: set[int] = set()
    for row in rows:
        where = f"referrals[{_backup_id(row, seen, 'referrals')}]"
        contact = _lookup(contact_ids, row.get("contact"), where)
        if contact is None:
            raise _fail(where, "a referral needs a contact")
        referred_on = _iso(row.get("referred_on"), date, where)
        if referred_on is None:
            raise _fail(where, "a referral needs a date")
        direction = _choice(row.get("direction"), REFERRAL_DIRECTIONS, where)
        other = _lookup(contact_ids, row.get("other_contact"), where)
        if direction == "introduction" and other in (None, contact):
            raise _fail(where, "an introduction needs two different contacts")
        if direction != "introduction" and other is not None:
            raise _fail(where, "only an introduction has a second contact")
        session.add(
            Referral(
                user_id=user_id,
                referred_on=referred_on,
                direction=direction,
                contact_id=contact,
                other_contact_id=other,
                subject=_text(row, "subject", where, 200),
                subject_contact_id=_lookup(contact_ids, row.get("subject_contact"), where),
                status=_choice(row.get("status"), REFERRAL_STATUSES, where),
                notes=_text(row, "notes", where),
                **_stamps(row, where),
            )
        )
    return len(rows)
