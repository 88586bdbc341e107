"""The collaborators review: who has trust both ways, who is ready to be promoted, which
labels the evidence does not support and why, and which relationships run one way."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Integer, func, literal, select, union_all
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from tracker.models import Contact
from tracker.relationships import Evidence, Reciprocity, reciprocity, window_start
from tracker.relationships.evidence import RECENT_MONTHS
from tracker.relationships.reciprocity import RECIPROCITY_MONTHS
from tracker.services import sql
from tracker.services.dashboard import warmth_of
from tracker.services.sql import evidence as evidence_sql
from tracker.services.sql import reciprocity as reciprocity_sql
from tracker.services.sql.stages import stage_rank_of

LIST_LIMIT = 50  # rows per section: the strongest first


@dataclass(frozen=True)
class Reviewed:
    contact: Contact
    evidence: Evidence
    warmth: str | None
    supported: str  # the stage the evidence supports as a label today
    reason: str | None = None  # why a label is unsupported: evidence or no_exchange
    recent: Reciprocity | None = None  # unsupported labels: what passed in 12 months


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
    totals: dict[str, int] = field(default_factory=dict)  # section: how many in all


def _sections(session: Session, user_id: int, today: date) -> list[Any]:
    """(section, id, reason, supported stage, total) of the first rows of each labelled
    section, strongest first, in one statement over narrow rows."""
    supported = evidence_sql.label_supported(today)
    reason = evidence_sql.unsupported_reason(today)
    strongest = [Contact.strength_level.desc().nulls_last(), Contact.sort_key, Contact.id]

    def section(name: str, where: ColumnElement[bool], order: list[Any]) -> Any:
        return (
            select(
                literal(name).label("section"),
                Contact.id.label("id"),
                reason.label("reason"),
                supported.label("supported"),
                func.count().over().cast(Integer).label("total"),
            )
            .where(Contact.user_id == user_id, sql.active(), where)
            .order_by(*order)
            .limit(LIST_LIMIT)
            .subquery()
        )

    parts = [
        section("collaborators", Contact.stage == "collaborator", strongest),
        section(
            "candidates",
            evidence_sql.promotion_candidate(today),
            [stage_rank_of(supported).desc(), *strongest],
        ),
        section("unsupported", reason.is_not(None), strongest),
    ]
    return list(session.execute(union_all(*(part.select() for part in parts))))


def _one_way_rows(session: Session, user_id: int, today: date) -> list[Any]:
    """(id, direction, sort key) of every relationship that ran one way over 24 months."""
    direction = reciprocity_sql.one_way(today).label("direction")
    return list(
        session.execute(
            select(Contact.id, direction, Contact.sort_key).where(
                Contact.user_id == user_id, sql.active(), direction.is_not(None)
            )
        )
    )


def _exchanges(
    session: Session, user_id: int, ids: list[int], today: date
) -> tuple[dict[int, Reciprocity], dict[int, Reciprocity]]:
    """What went each way with these contacts, counted by the rule itself: over the last
    24 months, and over the last 12."""
    since = window_start(today, RECIPROCITY_MONTHS)
    touches, referrals = reciprocity_sql.exchanges_since(session, user_id, ids, since, today)
    return (
        {i: reciprocity(touches[i], referrals[i], today) for i in ids},
        {i: reciprocity(touches[i], referrals[i], today, months=RECENT_MONTHS) for i in ids},
    )


def _most_lopsided(rows: list[Any], ties: dict[int, Reciprocity]) -> list[Any]:
    """The one-way rows shown: the most given one way first, then by name."""
    return sorted(
        rows, key=lambda row: (-max(ties[row.id].gave, ties[row.id].received), row.sort_key)
    )[:LIST_LIMIT]


def one_way_relationships(session: Session, user_id: int, today: date) -> list[OneWay]:
    """Contacts with whom giving ran one way over the last 24 months, most lopsided first."""
    rows = _one_way_rows(session, user_id, today)
    ties, _recent = _exchanges(session, user_id, [row.id for row in rows], today)
    shown = _most_lopsided(rows, ties)
    contacts = _contacts(session, {row.id for row in shown})
    return _one_way_entries(shown, ties, contacts)


def _one_way_entries(
    rows: list[Any], ties: dict[int, Reciprocity], contacts: dict[int, Contact]
) -> list[OneWay]:
    return [
        OneWay(contacts[row.id], ties[row.id].gave, ties[row.id].received, row.direction)
        for row in rows
    ]


def _contacts(session: Session, ids: set[int]) -> dict[int, Contact]:
    """Whole contacts by id, in one query (also when there are none: a fixed count)."""
    return {c.id: c for c in session.scalars(select(Contact).where(Contact.id.in_(sorted(ids))))}


def review(session: Session, user_id: int, today: date) -> Review:
    """Everything the review page shows, in a fixed number of queries.

    Who belongs where is decided by the database from the stored evidence and exchanges;
    whole contacts, their evidence in words and what went each way are read only for the
    people shown.
    """
    rows = _sections(session, user_id, today)
    one_way_rows = _one_way_rows(session, user_id, today)
    exchanged = [row.id for row in one_way_rows]
    exchanged += [row.id for row in rows if row.section == "unsupported"]
    ties, recent = _exchanges(session, user_id, exchanged, today)
    one_way_shown = _most_lopsided(one_way_rows, ties)
    contacts = _contacts(session, {row.id for row in rows} | {row.id for row in one_way_shown})

    def reviewed(name: str) -> list[Reviewed]:
        return [
            Reviewed(
                contact=contacts[row.id],
                evidence=evidence_sql.stored_evidence(contacts[row.id]),
                warmth=warmth_of(contacts[row.id], today),
                supported=row.supported,
                reason=row.reason,
                recent=recent[row.id] if name == "unsupported" else None,
            )
            for row in rows
            if row.section == name
        ]

    totals = {row.section: row.total for row in rows}
    return Review(
        collaborators=reviewed("collaborators"),
        candidates=reviewed("candidates"),
        unsupported=reviewed("unsupported"),
        one_way=_one_way_entries(one_way_shown, ties, contacts),
        totals={
            "collaborators": totals.get("collaborators", 0),
            "candidates": totals.get("candidates", 0),
            "unsupported": totals.get("unsupported", 0),
            "one_way": len(one_way_rows),
        },
    )
