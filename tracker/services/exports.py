"""Exports of an account: vCard 4.0 and CSV for other tools, and the JSON backup.

The backup's format is documented in docs/backup-format.md; tracker.services.restore
reads it back. Its ids are the backup's own (1, 2, 3… in the order the rows were made),
so that exporting, restoring into an empty account and exporting again gives the same
text.
"""

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker import fields
from tracker.exporters import write_csv, write_vcards
from tracker.exporters.vcard import Version
from tracker.importers import Card, Method
from tracker.models import (
    CardImage,
    Contact,
    Event,
    Referral,
    Tag,
    Touchpoint,
    User,
    touchpoint_contacts,
)

FORMAT_VERSION = 1
# Who they are and where they work, their stage and how to reach them, then the rest of
# their fields, then what the app worked out.
CSV_COLUMNS = [
    *fields.csv_columns(("name", "work")),
    "stage",
    "emails",
    "phones",
    "addresses",
    "urls",
    "tags",
    *fields.csv_columns(("about", "origin")),
    "last_touch_on",
    "next_due_on",
    "archived",
]
BATCH = 1_000


def _contacts(session: Session, user_id: int) -> Iterator[Contact]:
    """The user's contacts in creation order, with methods and tags, a batch at a time."""
    last_id = 0
    while True:
        batch = list(
            session.scalars(
                select(Contact)
                .where(Contact.user_id == user_id, Contact.id > last_id)
                .order_by(Contact.id)
                .limit(BATCH)
                .options(selectinload(Contact.methods), selectinload(Contact.tags))
            )
        )
        if not batch:
            return
        yield from batch
        last_id = batch[-1].id


def _images(session: Session, user_id: int) -> dict[int, CardImage]:
    rows = session.scalars(
        select(CardImage)
        .join(Contact, Contact.id == CardImage.contact_id)
        .where(Contact.user_id == user_id)
    )
    return {image.contact_id: image for image in rows}


def to_card(contact: Contact, image: CardImage | None) -> Card:
    return Card(
        **fields.values(contact),
        methods=[Method(m.kind, m.value, m.label) for m in contact.methods],
        tags=[tag.name for tag in contact.tags],
        photo=image.data if image else None,
        photo_type=image.content_type if image else None,
    )


def vcards(session: Session, user_id: int, version: Version = "4.0") -> str:
    """Every contact as vCard 4.0, or 3.0 for older phones and iOS."""
    images = _images(session, user_id)
    cards = (to_card(c, images.get(c.id)) for c in _contacts(session, user_id))
    return write_vcards(cards, version)


def csv_text(session: Session, user_id: int) -> str:
    """One row per contact, safe to open in a spreadsheet (UTF-8 with BOM)."""

    def values(contact: Contact, kind: str) -> str:
        return "; ".join(m.value for m in contact.methods if m.kind == kind)

    def row(contact: Contact) -> dict[str, str]:
        return {
            **{spec.csv_column: _cell(value) for spec, value in fields.items(contact) if spec.csv},
            "stage": contact.stage,
            "emails": values(contact, "email"),
            "phones": values(contact, "phone"),
            "addresses": values(contact, "address"),
            "urls": values(contact, "url"),
            "tags": ", ".join(tag.name for tag in contact.tags),
            "last_touch_on": _iso(contact.last_touch_on),
            "next_due_on": _iso(contact.next_due_on),
            "archived": "yes" if contact.archived_at else "",
        }

    return write_csv((row(c) for c in _contacts(session, user_id)), CSV_COLUMNS, bom=True)


def _iso(value: Any) -> str:
    return value.isoformat() if value is not None else ""


def _cell(value: Any) -> str:
    """A field's value as text: a date in ISO form, nothing as ""."""
    return _iso(value) if isinstance(value, date) else value or ""


def _number(rows: list[Any]) -> dict[int, int]:
    """Backup ids: 1, 2, 3… in the order the rows were made."""
    return {row.id: number for number, row in enumerate(sorted(rows, key=lambda r: r.id), start=1)}


def backup(session: Session, user: User) -> dict[str, Any]:
    """The whole account as plain data (see docs/backup-format.md)."""
    user_id = user.id
    tags = list(session.scalars(select(Tag).where(Tag.user_id == user_id).order_by(Tag.id)))
    events = list(session.scalars(select(Event).where(Event.user_id == user_id).order_by(Event.id)))
    contacts = list(_contacts(session, user_id))
    touchpoints = list(
        session.scalars(
            select(Touchpoint).where(Touchpoint.user_id == user_id).order_by(Touchpoint.id)
        )
    )
    referrals = list(
        session.scalars(select(Referral).where(Referral.user_id == user_id).order_by(Referral.id))
    )
    links: dict[int, list[int]] = {}
    for touchpoint_id, contact_id in session.execute(
        select(touchpoint_contacts.c.touchpoint_id, touchpoint_contacts.c.contact_id)
        .join(Touchpoint, Touchpoint.id == touchpoint_contacts.c.touchpoint_id)
        .where(Touchpoint.user_id == user_id)
    ):
        links.setdefault(touchpoint_id, []).append(contact_id)
    images = _images(session, user_id)
    tag_no, event_no, contact_no = _number(tags), _number(events), _number(contacts)
    touch_no, referral_no = _number(touchpoints), _number(referrals)

    def ref(numbers: dict[int, int], value: int | None) -> int | None:
        return numbers[value] if value is not None else None

    return {
        "format_version": FORMAT_VERSION,
        "settings": {
            "display_name": user.display_name,
            "language": user.language,
            "time_zone": user.time_zone,
        },
        "tags": [
            {
                "id": tag_no[t.id],
                "name": t.name,
                "cadence": t.cadence,
                "imported_at": _iso(t.imported_at) or None,
            }
            for t in tags
        ],
        "events": [
            {
                "id": event_no[e.id],
                "name": e.name,
                "kind": e.kind,
                "held_on": _iso(e.held_on) or None,
                "place": e.place,
                "notes": e.notes,
                "series": e.series,
                "created_at": _iso(e.created_at),
            }
            for e in events
        ],
        "contacts": [
            {
                "id": contact_no[c.id],
                **{spec.backup_key: _cell(value) or spec.empty for spec, value in fields.items(c)},
                "origin_event": ref(event_no, c.origin_event_id),
                "introduced_by": ref(contact_no, c.introduced_by_id),
                "stage": c.stage,
                "cadence": c.cadence,
                "snoozed_until": _iso(c.snoozed_until) or None,
                "archived_at": _iso(c.archived_at) or None,
                "created_at": _iso(c.created_at),
                "methods": [
                    {"kind": m.kind, "label": m.label, "value": m.value} for m in c.methods
                ],
                "tags": sorted(tag_no[t.id] for t in c.tags),
                "card_image": (
                    {
                        "content_type": images[c.id].content_type,
                        "base64": base64.b64encode(images[c.id].data).decode("ascii"),
                    }
                    if c.id in images
                    else None
                ),
            }
            for c in contacts
        ],
        "touchpoints": [
            {
                "id": touch_no[t.id],
                "occurred_on": t.occurred_on.isoformat(),
                "occurred_at": t.occurred_at.isoformat() if t.occurred_at else None,
                "kind": t.kind,
                "summary": t.summary,
                "notes": t.notes,
                "initiated_by": t.initiated_by,
                "follow_up_on": _iso(t.follow_up_on) or None,
                "event": ref(event_no, t.event_id),
                "contacts": sorted(contact_no[cid] for cid in links.get(t.id, [])),
                "created_at": _iso(t.created_at),
            }
            for t in touchpoints
        ],
        "referrals": [
            {
                "id": referral_no[r.id],
                "referred_on": r.referred_on.isoformat(),
                "direction": r.direction,
                "contact": contact_no[r.contact_id],
                "other_contact": ref(contact_no, r.other_contact_id),
                "subject": r.subject,
                "subject_contact": ref(contact_no, r.subject_contact_id),
                "status": r.status,
                "notes": r.notes,
                "created_at": _iso(r.created_at),
            }
            for r in referrals
        ],
    }


def backup_json(session: Session, user: User) -> str:
    return json.dumps(backup(session, user), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


@dataclass(frozen=True)
class Download:
    """An export, ready to be sent: its text, its media type and a file name."""

    body: str
    mimetype: str
    filename: str


FORMATS = ("vcf", "vcf3", "csv", "json")


def export(session: Session, user_id: int, fmt: str, stamp: str) -> Download:
    """Export a user's contacts as vCard (4.0, or 3.0 with vcf3) or CSV, or the whole
    account as a JSON backup.

    It reads the whole account: give it a read transaction of its own
    (tracker.db.read_transaction), so that it never holds the write lock.
    """
    if fmt in ("vcf", "vcf3"):
        version: Version = "3.0" if fmt == "vcf3" else "4.0"
        body = vcards(session, user_id, version)
        return Download(body, "text/vcard", f"jinmyaku-{stamp}.vcf")
    if fmt == "csv":
        return Download(csv_text(session, user_id), "text/csv", f"jinmyaku-{stamp}.csv")
    if fmt == "json":
        user = session.get(User, user_id)
        assert user is not None
        return Download(
            backup_json(session, user), "application/json", f"jinmyaku-backup-{stamp}.json"
        )
    raise ValueError(f"unknown export format: {fmt!r}")
