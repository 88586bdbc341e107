"""The collaborators review: who has trust both ways, who is ready to be promoted, which
labels the evidence does not support, and which relationships run one way."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from tracker.models import Contact
from tracker.relationships import (
    Evidence,
    is_promotion_candidate,
    is_unsupported_label,
    one_way,
    stage_rank,
    window_start,
)
from tracker.relationships.reciprocity import RECIPROCITY_MONTHS
from tracker.services import sql
from tracker.services.dashboard import warmth_of
from tracker.services.sql.evidence import evidence_for, referred_lately
from tracker.services.sql.reciprocity import exchange_counts
from tracker.services.sql.stages import stage_rank_of
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


def _labels(session: Session, user_id: int, today: date) -> list[Any]:
    """(id, stage, evidence stage, referred in the last 12 months) of every collaborator
    and every contact whose label and evidence differ, strongest first: narrow rows only."""
    stmt = (
        select(Contact.id, Contact.stage, Contact.evidence_stage, referred_lately(today))
        .where(
            Contact.user_id == user_id,
            sql.active(),
            or_(
                Contact.stage == "collaborator",
                stage_rank_of(Contact.stage) != stage_rank_of(Contact.evidence_stage),
            ),
        )
        .order_by(Contact.strength_level.desc().nulls_last(), Contact.sort_key, Contact.id)
    )
    return list(session.execute(stmt))


def _one_way_rows(session: Session, user_id: int, today: date) -> list[tuple[int, int, int, str]]:
    """(contact id, gave, received, direction) of the relationships that ran one way over
    the last 24 months, the most lopsided first: decided on narrow rows (a firm has
    thousands), so that only the people shown are read whole."""
    since = window_start(today, RECIPROCITY_MONTHS)
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
            (r for r in labels if is_promotion_candidate(r.stage, r.evidence_stage)),
            key=lambda r: -stage_rank(r.evidence_stage),
        )
    ][:LIST_LIMIT]
    unsupported = [
        row.id
        for row in labels
        if is_unsupported_label(row.stage, row.evidence_stage, 1 if row[3] else 0)
    ][:LIST_LIMIT]
    one_way_rows = _one_way_rows(session, user_id, today)
    contacts = _contacts(
        session, [*collaborators, *candidates, *unsupported, *(row[0] for row in one_way_rows)]
    )
    labelled = {*collaborators, *candidates, *unsupported}
    found = evidence_for(session, [i for i in contacts if i in labelled], today)

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
