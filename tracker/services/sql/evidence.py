"""The SQL form of tracker.relationships.evidence: the evidence as each contact's row keeps
it, the label it supports today, promotion candidates and unsupported labels."""

from datetime import date

from sqlalchemy import and_, case, not_, null, or_
from sqlalchemy.sql.elements import ColumnElement

from tracker.models import Contact
from tracker.relationships import Evidence
from tracker.relationships.evidence import RECENT_MONTHS
from tracker.relationships.periods import window_start
from tracker.services.sql.stages import stage_rank, stage_rank_of


def stored_evidence(contact: Contact) -> Evidence:
    """The evidence as the contact's row keeps it (its stage as derived, its counts)."""
    span = 0
    if contact.first_touch_on is not None and contact.last_touch_on is not None:
        span = (contact.last_touch_on - contact.first_touch_on).days
    return Evidence(
        stage=contact.evidence_stage,
        real_count=contact.real_touches or 0,
        distinct_days=contact.touch_days,
        span_days=span,
        worked_together=contact.worked_together,
        consulted_me=contact.consulted_me,
        consulted_them=contact.consulted_them,
        given=contact.referrals_given,
        received=contact.referrals_received,
    )


def exchanged_lately(today: date) -> ColumnElement[bool]:
    """A referral or a consultation went either way in the last 12 months (the stored days
    of the latest exchanges; nothing is dated after today)."""
    since = window_start(today, RECENT_MONTHS)
    return or_(Contact.last_gave_on >= since, Contact.last_received_on >= since)


def label_supported(today: date) -> ColumnElement[str]:
    """The highest stage the evidence supports as a label today."""
    stale = and_(Contact.evidence_stage == "collaborator", not_(exchanged_lately(today)))
    return case((stale, "trusted"), else_=Contact.evidence_stage)


def promotion_candidate(today: date) -> ColumnElement[bool]:
    """The evidence supports a higher label than the one set."""
    return stage_rank_of(label_supported(today)) > stage_rank()


def unsupported_reason(today: date) -> ColumnElement[str | None]:
    """Why the stage set is ahead of the evidence: evidence, no_exchange, or NULL."""
    return case(
        (stage_rank() > stage_rank_of(Contact.evidence_stage), "evidence"),
        (and_(Contact.stage == "collaborator", not_(exchanged_lately(today))), "no_exchange"),
        else_=null(),
    )
