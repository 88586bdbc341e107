"""The SQL form of tracker.relationships.evidence: the evidence counted by the database,
and whether a referral went either way lately."""

from collections import Counter, defaultdict
from datetime import date
from typing import Any

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from tracker.models import Contact, Referral, Touchpoint, touchpoint_contacts
from tracker.relationships import Evidence, evidence_from_counts
from tracker.relationships.evidence import RECENT_MONTHS
from tracker.relationships.periods import window_start


def evidence_for(session: Session, ids: list[int], today: date) -> dict[int, Evidence]:
    """The evidence of each contact, counted by the database rather than read row by row
    (a collaborator may have hundreds of touchpoints)."""
    if not ids:
        return {}
    real = Touchpoint.kind != "note"

    def kind(name: str) -> Any:
        return func.sum(case((Touchpoint.kind == name, 1), else_=0))

    touched = {
        row.contact_id: row
        for row in session.execute(
            select(
                touchpoint_contacts.c.contact_id,
                func.sum(case((real, 1), else_=0)).label("real_count"),
                func.count(func.distinct(case((real, Touchpoint.occurred_on)))).label("days"),
                func.min(case((real, Touchpoint.occurred_on))).label("first"),
                func.max(case((real, Touchpoint.occurred_on))).label("last"),
                kind("worked_together").label("worked_together"),
                kind("consulted_me").label("consulted_me"),
                kind("consulted_them").label("consulted_them"),
            )
            .join(Touchpoint, Touchpoint.id == touchpoint_contacts.c.touchpoint_id)
            .where(touchpoint_contacts.c.contact_id.in_(ids), Touchpoint.occurred_on <= today)
            .group_by(touchpoint_contacts.c.contact_id)
        )
    }
    since = window_start(today, RECENT_MONTHS)
    referred: dict[int, Counter[str]] = defaultdict(Counter)
    for referral in session.scalars(
        select(Referral).where(
            or_(Referral.contact_id.in_(ids), Referral.other_contact_id.in_(ids)),
            Referral.referred_on <= today,
        )
    ):
        for partner_id, direction in referral.partners():
            referred[partner_id][direction] += 1
            if referral.referred_on >= since:
                referred[partner_id][direction + "_12m"] += 1
    found = {}
    for contact_id in ids:
        row, counts = touched.get(contact_id), referred[contact_id]
        found[contact_id] = evidence_from_counts(
            real_count=int(row.real_count or 0) if row else 0,
            distinct_days=int(row.days or 0) if row else 0,
            span_days=(_day(row.last) - _day(row.first)).days if row and row.first else 0,
            worked_together=int(row.worked_together or 0) if row else 0,
            consulted_me=int(row.consulted_me or 0) if row else 0,
            consulted_them=int(row.consulted_them or 0) if row else 0,
            given=counts["given"],
            received=counts["received"],
            given_12m=counts["given_12m"],
            received_12m=counts["received_12m"],
        )
    return found


def _day(value: date | str) -> date:
    """A date as SQLite returns an aggregate of dates (text) or PostgreSQL does (a date)."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def referred_lately(today: date) -> ColumnElement[bool]:
    """A referral went either way with the contact in the last 12 months."""
    since = window_start(today, RECENT_MONTHS)
    return (
        select(Referral.id)
        .where(
            or_(Referral.contact_id == Contact.id, Referral.other_contact_id == Contact.id),
            Referral.referred_on >= since,
            Referral.referred_on <= today,
        )
        .exists()
    )
