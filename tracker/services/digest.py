"""The morning digest: what the dashboard shows, as plain data for the mail and JSON."""

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from tracker.models import Contact
from tracker.services.dashboard import DIGEST_LIMIT, dashboard, warmth_of
from tracker.services.places import places
from tracker.services.review import Reviewed, recent_exchanges, review


def _person(contact: Contact, **figures: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": contact.id, "name": contact.name, "stage": contact.stage}
    entry.update(figures)
    return entry


def _judged(item: Reviewed, **figures: Any) -> dict[str, Any]:
    """A person whose stage the review weighed: the stage the evidence shows and supports."""
    return _person(
        item.contact, evidence_stage=item.evidence.stage, supported_stage=item.supported, **figures
    )


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def digest(session: Session, user_id: int, today: date) -> dict[str, Any]:
    """Everything a morning mail needs, with the figures that put each person there."""
    board = dashboard(session, user_id, today, DIGEST_LIMIT, DIGEST_LIMIT)
    checked = review(session, user_id, today)
    recent = recent_exchanges((item.contact for item in checked.unsupported), today)
    return {
        "today": today.isoformat(),
        "cold": [
            _person(
                entry.contact,
                last_touch_on=_iso(entry.contact.last_touch_on),
                due_on=_iso(entry.contact.next_due_on),
                warmth=entry.warmth,
                overdue_days=entry.overdue_days,
                overdue_ratio=round(entry.ratio, 2),
            )
            for entry in board.cold
        ],
        "cold_total": board.cold_total,
        "faded": [
            _person(
                entry.contact,
                met_on=_iso(entry.met_on),
                due_on=_iso(entry.contact.next_due_on),
                overdue_days=(today - entry.contact.next_due_on).days
                if entry.contact.next_due_on
                else None,
            )
            for entry in board.faded
        ],
        "faded_total": board.faded_total,
        "cooling": [
            _person(
                contact,
                last_touch_on=_iso(contact.last_touch_on),
                due_on=_iso(contact.next_due_on),
                warmth=warmth_of(contact, today),
            )
            for contact in board.cooling
        ],
        "first_follow_up": [
            _person(
                entry.contact,
                last_touch_on=_iso(entry.contact.last_touch_on),
                met_on=_iso(entry.met_on),
                days_left=entry.days_left,
            )
            for entry in board.first_follow_ups
        ],
        "first_follow_up_total": board.first_total,
        "follow_ups_due_total": board.follow_up_total,
        "follow_ups_due": [
            _person(entry.contact, due_on=_iso(entry.due_on), when=entry.when)
            for entry in board.follow_ups
        ],
        "promotion_candidates": [
            _judged(item, given=item.evidence.given, received=item.evidence.received)
            for item in checked.candidates
        ],
        "unsupported_labels": [
            _judged(
                item,
                reason=item.reason,
                given=recent[item.contact.id].gave,
                received=recent[item.contact.id].received,
            )
            for item in checked.unsupported
        ],
        "one_way": [
            _person(item.contact, given=item.gave, received=item.received, direction=item.direction)
            for item in checked.one_way
        ],
        "places": [
            {
                "kind": place.kind,
                "id": place.id,
                "name": place.name,
                "people": place.people,
                "acquaintance": place.acquaintance,
                "trusted": place.trusted,
                "collaborator": place.collaborator,
                "given": place.given,
                "received": place.received,
                "events": place.events,
            }
            for place in places(session, user_id)[0]
        ],
        "counts": {"stage": board.stage_counts, "warmth": board.warmth_counts},
        "referrals_12_months": {
            "given": board.referrals_given,
            "received": board.referrals_received,
        },
    }
