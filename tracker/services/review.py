"""The collaborators review: who has trust both ways, who is ready to be promoted, which
labels the evidence does not support, and which relationships run one way."""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import case, func, or_, select, union_all
from sqlalchemy.orm import Session

from tracker.models import Contact, Referral, Touchpoint, touchpoint_contacts
from tracker.relationships import (
    Evidence,
    evidence_from_counts,
    one_way,
    stage_rank,
)
from tracker.relationships.evidence import RECENT_MONTHS
from tracker.relationships.periods import window_start
from tracker.relationships.reciprocity import RECIPROCITY_MONTHS
from tracker.services import sql
from tracker.services.dashboard import warmth_of
from tracker.vocabulary import STAGES

LIST_LIMIT = 50  # rows per section: the strongest first


@dataclass(frozen=True)
class Reviewed:
    contact: Contact
    evidence: Evidence
    warmth: str | None


@dataclass(frozen=True)
class OneWay:
    contact: Contact
    gave: int
    received: int
    direction: str  # only_i_give / only_they_give


@dataclass
class Review:
    collaborators: list[Reviewed]
    candidates: list[Reviewed]
    unsupported: list[Reviewed]
    one_way: list[OneWay]


def evidence_for(session: Session, contacts: list[Contact], today: date) -> dict[int, Evidence]:
    """The evidence of each contact, counted by the database rather than read row by row
    (a collaborator may have hundreds of touchpoints)."""
    ids = [contact.id for contact in contacts]
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


def _labels(session: Session, user_id: int, today: date) -> list[Any]:
    """(id, stage, evidence stage, referred in the last 12 months) of every collaborator
    and every contact whose label and evidence differ, strongest first: narrow rows only."""
    since = window_start(today, RECENT_MONTHS)
    lately = (
        select(Referral.id)
        .where(
            or_(Referral.contact_id == Contact.id, Referral.other_contact_id == Contact.id),
            Referral.referred_on >= since,
            Referral.referred_on <= today,
        )
        .exists()
    )
    stmt = (
        select(Contact.id, Contact.stage, Contact.evidence_stage, lately)
        .where(
            Contact.user_id == user_id,
            sql.active(),
            or_(
                Contact.stage == "collaborator",
                sql.stage_rank() != sql.stage_rank_of(Contact.evidence_stage),
            ),
        )
        .order_by(Contact.strength_level.desc().nulls_last(), Contact.sort_key, Contact.id)
    )
    return list(session.execute(stmt))


def exchange_counts(
    session: Session, user_id: int, since: date, today: date
) -> dict[int, list[int]]:
    """Per contact, [what I gave, what I received] since a date: referrals (an introduction
    counts as given to both) and consultations either way."""
    referral_partners = union_all(
        select(
            Referral.contact_id.label("contact_id"), Referral.direction.label("direction")
        ).where(
            Referral.user_id == user_id,
            Referral.referred_on >= since,
            Referral.referred_on <= today,
        ),
        select(Referral.other_contact_id, Referral.direction).where(
            Referral.user_id == user_id,
            Referral.other_contact_id.is_not(None),
            Referral.referred_on >= since,
            Referral.referred_on <= today,
        ),
    ).subquery()
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for contact_id, direction, count in session.execute(
        select(
            referral_partners.c.contact_id, referral_partners.c.direction, func.count()
        ).group_by(referral_partners.c.contact_id, referral_partners.c.direction)
    ):
        totals[contact_id][1 if direction == "received" else 0] += count
    for contact_id, kind, count in session.execute(
        select(touchpoint_contacts.c.contact_id, Touchpoint.kind, func.count())
        .join(Touchpoint, Touchpoint.id == touchpoint_contacts.c.touchpoint_id)
        .where(
            Touchpoint.user_id == user_id,
            Touchpoint.kind.in_(("consulted_me", "consulted_them")),
            Touchpoint.occurred_on >= since,
            Touchpoint.occurred_on <= today,
        )
        .group_by(touchpoint_contacts.c.contact_id, Touchpoint.kind)
    ):
        totals[contact_id][0 if kind == "consulted_me" else 1] += count
    return totals


def _one_way_rows(session: Session, user_id: int, today: date) -> list[tuple[int, int, int, str]]:
    """(contact id, gave, received, direction) of the relationships that ran one way over
    the last 24 months, the most lopsided first: decided on narrow rows (a firm has
    thousands), so that only the people shown are read whole."""
    since = today - relativedelta(months=RECIPROCITY_MONTHS)
    totals = exchange_counts(session, user_id, since, today)
    lopsided = {
        contact_id: (gave, received, direction)
        for contact_id, (gave, received) in totals.items()
        if (direction := one_way(gave, received))
    }
    if not lopsided:
        return []
    rows = session.execute(
        select(Contact.id, Contact.sort_key).where(
            Contact.id.in_(lopsided), Contact.user_id == user_id, sql.active()
        )
    )
    ranked = sorted(rows, key=lambda row: (-max(lopsided[row.id][:2]), row.sort_key))
    return [(row.id, *lopsided[row.id]) for row in ranked[:LIST_LIMIT]]


def _contacts(session: Session, ids: Iterable[int]) -> dict[int, Contact]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    return {c.id: c for c in session.scalars(select(Contact).where(Contact.id.in_(wanted)))}


def one_way_relationships(session: Session, user_id: int, today: date) -> list[OneWay]:
    """Contacts with whom giving ran one way over the last 24 months."""
    rows = _one_way_rows(session, user_id, today)
    return _one_way_entries(rows, _contacts(session, (row[0] for row in rows)))


def _one_way_entries(
    rows: list[tuple[int, int, int, str]], contacts: dict[int, Contact]
) -> list[OneWay]:
    return [OneWay(contacts[i], gave, received, way) for i, gave, received, way in rows]


def review(session: Session, user_id: int, today: date) -> Review:
    """Everything the review page shows, in a fixed number of queries.

    Who belongs where is decided from narrow rows (the stored evidence stage, and whether a
    referral went either way in the last 12 months); whole contacts and their evidence in
    words are read only for the people shown.
    """
    labels = _labels(session, user_id, today)
    collaborators = [row.id for row in labels if row.stage == "collaborator"][:LIST_LIMIT]
    candidates = [
        row.id
        for row in sorted(
            (r for r in labels if stage_rank(r.evidence_stage) > stage_rank(r.stage)),
            key=lambda r: -stage_rank(r.evidence_stage),
        )
    ][:LIST_LIMIT]
    # The rule of is_unsupported_label, on the stored evidence stage and the referral flag.
    unsupported = [
        row.id
        for row in labels
        if stage_rank(row.stage) > stage_rank(row.evidence_stage)
        or (row.stage == "collaborator" and not row[3])
    ][:LIST_LIMIT]
    one_way_rows = _one_way_rows(session, user_id, today)
    contacts = _contacts(
        session, [*collaborators, *candidates, *unsupported, *(row[0] for row in one_way_rows)]
    )
    labelled = {*collaborators, *candidates, *unsupported}
    found = evidence_for(session, [c for c in contacts.values() if c.id in labelled], today)

    def reviewed(ids: list[int]) -> list[Reviewed]:
        return [Reviewed(contacts[i], found[i], warmth_of(contacts[i], today)) for i in ids]

    return Review(
        collaborators=reviewed(collaborators),
        candidates=reviewed(candidates),
        unsupported=reviewed(unsupported),
        one_way=_one_way_entries(one_way_rows, contacts),
    )


def next_stage(stage: str) -> str:
    """The stage one step up (collaborator stays collaborator)."""
    return STAGES[min(stage_rank(stage) + 1, len(STAGES) - 1)]
