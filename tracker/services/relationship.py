"""What a contact's page shows of the relationship: the stage the evidence supports next to
the one set, warmth and cadence, bond strength, give and take, and the referrals."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from tracker.models import Contact, Referral
from tracker.relationships import (
    Cadence,
    Evidence,
    Reciprocity,
    awaits_first_follow_up,
    bond_strength,
    effective_cadence,
    evidence,
    first_follow_up_days_left,
    first_touch,
    is_faded,
    is_flagged,
    is_promotion_candidate,
    is_snoozed,
    label_supported,
    last_touch,
    met_on,
    met_only_once,
    reciprocity,
    strength_series,
    unsupported_reason,
)
from tracker.relationships.evidence import RECENT_MONTHS
from tracker.services.dashboard import warmth_of
from tracker.services.derived import load_touches, referrals_of
from tracker.services.referrals import of_contact


@dataclass(frozen=True)
class Relationship:
    evidence: Evidence
    supported: str  # the stage the evidence supports as a label today
    promote: bool  # the evidence supports a higher stage than the one set
    reason: str | None  # why the stage set is ahead of the evidence: evidence, no_exchange
    recent: Reciprocity  # what went each way in the last 12 months
    warmth: str | None
    flagged: bool  # on the cold list, or faded
    faded: bool  # a card met once, long past its cadence
    first_follow_up_days: int | None  # a new card: days left to follow up (else None)
    cadence: Cadence
    snoozed: bool
    strength: float
    strength_series: list[float]  # monthly, the last 12 months, oldest first
    give_and_take: Reciprocity  # the last 24 months
    touchpoints: int  # how many the contact has in all (the page shows the newest)
    referrals: list[Referral]  # newest first, with the people in them


def relationship(session: Session, contact: Contact, today: date) -> Relationship:
    """Work out the relationship panel of a contact from its whole history (its tags
    must be loaded); the touchpoints are read as narrow rows."""
    touches = load_touches(session, [contact.id])[contact.id]
    referrals = of_contact(session, contact.id)
    given_and_received = referrals_of(referrals, contact.id)
    found = evidence(touches, given_and_received, today)
    recent = reciprocity(touches, given_and_received, today, months=RECENT_MONTHS)
    exchanges = recent.gave + recent.received
    warmth = warmth_of(contact, today)
    flagged = is_flagged(
        warmth, today=today, snoozed_until=contact.snoozed_until, archived=bool(contact.archived_at)
    )
    last = last_touch(touches)
    once = met_only_once(contact.first_met_on, first_touch(touches), last)
    met = met_on(contact.first_met_on, last)
    waiting = awaits_first_follow_up(
        stage=contact.stage,
        evidence_stage=found.stage,
        met=met,
        last_touch_on=last,
        today=today,
        snoozed_until=contact.snoozed_until,
        archived=bool(contact.archived_at),
    )
    return Relationship(
        evidence=found,
        supported=label_supported(found.stage, exchanges),
        promote=is_promotion_candidate(contact.stage, found.stage, exchanges),
        reason=unsupported_reason(contact.stage, found.stage, exchanges),
        recent=recent,
        warmth=warmth,
        flagged=flagged,
        faded=flagged and is_faded(contact.stage, warmth, met_once=once),
        first_follow_up_days=first_follow_up_days_left(met, today) if waiting and met else None,
        cadence=effective_cadence(
            contact.stage, contact.cadence, [t.cadence for t in contact.tags]
        ),
        snoozed=is_snoozed(contact.snoozed_until, today),
        strength=bond_strength(touches, given_and_received, today),
        strength_series=strength_series(touches, given_and_received, today),
        give_and_take=reciprocity(touches, given_and_received, today),
        touchpoints=len(touches),
        referrals=referrals,
    )
