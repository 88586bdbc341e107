"""The morning digest: what the dashboard shows, as plain data for text or JSON."""

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from tracker.models import Contact
from tracker.services.dashboard import DIGEST_LIMIT, dashboard, warmth_of
from tracker.services.places import places
from tracker.services.review import recent_exchanges, review


def _person(contact: Contact, **figures: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": contact.id, "name": contact.name, "stage": contact.stage}
    entry.update(figures)
    return entry


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
            _person(
                item.contact,
                evidence_stage=item.evidence.stage,
                supported_stage=item.supported,
                given=item.evidence.given,
                received=item.evidence.received,
            )
            for item in checked.candidates
        ],
        "unsupported_labels": [
            _person(
                item.contact,
                evidence_stage=item.evidence.stage,
                supported_stage=item.supported,
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


def as_text(
    data: dict[str, Any], gettext: Callable[..., str] = lambda s, **k: s % k if k else s
) -> str:
    """The digest as a short plain-text mail, in the language of the gettext given."""
    _ = gettext
    lines = [_("Jinmyaku — %(date)s", date=data["today"]), ""]

    # A person's line names the digest's own keys, so each line is formatted from the entry.
    def section(title: str, people: list[dict[str, Any]], line: Callable[..., str]) -> None:
        if people:
            lines.extend([title, *("  - " + line(p) for p in people), ""])

    section(
        _("Going cold (%(count)d):", count=data["cold_total"]),
        data["cold"],
        lambda p: _(
            "%(name)s [%(stage)s] %(warmth)s, %(overdue_ratio).1f× its cadence past due "
            "(%(overdue_days)d days; last touch %(last_touch_on)s)",
            **p,
        ),
    )
    section(
        _(
            "Faded cards (%(count)d): met once, long ago. Try once more, or let go:",
            count=data["faded_total"],
        ),
        data["faded"],
        lambda p: _("%(name)s: met %(met_on)s", **p),
    )
    section(
        _("New cards still waiting for a first follow-up:"),
        data["first_follow_up"],
        lambda p: _("%(name)s: %(days_left)d days left before the one-month mark", **p),
    )
    section(
        _("Follow-ups due:"),
        data["follow_ups_due"],
        lambda p: _("%(name)s: %(when)s (%(due_on)s)", **p),
    )
    section(
        _("Cooling down:"),
        data["cooling"],
        lambda p: _("%(name)s [%(stage)s] due %(due_on)s", **p),
    )
    section(
        _("Ready for promotion:"),
        data["promotion_candidates"],
        lambda p: _("%(name)s: %(stage)s, the evidence supports %(evidence_stage)s", **p),
    )
    section(
        _("Labels without evidence:"),
        data["unsupported_labels"],
        lambda p: (
            _("%(name)s: %(stage)s, but no referral or consultation either way in 12 months", **p)
            if p["reason"] == "no_exchange"
            else _("%(name)s: %(stage)s, but the evidence supports only %(evidence_stage)s", **p)
        ),
    )
    section(
        _("One-way relationships:"),
        data["one_way"],
        lambda p: _("%(name)s: gave %(given)d, received %(received)d", **p),
    )
    if len(lines) == 2:
        lines.append(_("Nothing needs you today."))
    return "\n".join(lines).rstrip() + "\n"
