"""The collaborators review: who has trust both ways, who is ready to be promoted, which
labels the evidence does not support and why, and which relationships run one way."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Integer, Select, func, literal, null, select, union_all
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
SECTIONS = ("collaborators", "candidates", "unsupported", "one_way")


@dataclass(frozen=True)
class Reviewed:
    contact: Contact
    evidence: Evidence
    warmth: str | None
    supported: str  # the stage the evidence supports as a label today
    reason: str | None = None  # why a label is unsupported: evidence or no_exchange


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


def _section_rows(user_id: int, today: date, names: tuple[str, ...] = SECTIONS) -> Select[Any]:
    """(section, id, reason, supported stage, direction, total) of the first rows of each
    section, strongest first: one statement, decided on the stored evidence and exchanges
    (an index covers them, so the wide rows are not read)."""
    supported = evidence_sql.label_supported(today)
    reason = evidence_sql.unsupported_reason(today)
    direction = reciprocity_sql.one_way(today)
    strongest = [Contact.strength_level.desc().nulls_last(), Contact.sort_key, Contact.id]

    def section(name: str, where: ColumnElement[bool], order: list[Any]) -> Any:
        return (
            select(
                literal(name).label("section"),
                Contact.id.label("id"),
                reason.label("reason") if name == "unsupported" else null().label("reason"),
                supported.label("supported"),
                direction.label("direction") if name == "one_way" else null().label("direction"),
                func.count().over().cast(Integer).label("total"),
            )
            .where(Contact.user_id == user_id, sql.active(), where)
            .order_by(*order)
            .limit(LIST_LIMIT)
            .subquery()
        )

    wanted: dict[str, tuple[ColumnElement[bool], list[Any]]] = {
        "collaborators": (Contact.stage == "collaborator", strongest),
        "candidates": (
            evidence_sql.promotion_candidate(today),
            [stage_rank_of(supported).desc(), *strongest],
        ),
        "unsupported": (reason.is_not(None), strongest),
        "one_way": (direction.is_not(None), strongest),
    }
    parts = [section(name, *wanted[name]).select() for name in names]
    return parts[0] if len(parts) == 1 else union_all(*parts)  # type: ignore[return-value]


def exchanges(
    session: Session, user_id: int, ids: list[int], today: date, months: int = RECIPROCITY_MONTHS
) -> dict[int, Reciprocity]:
    """What went each way with these contacts (the user's) over the last months, counted by
    the rule itself on their narrow rows."""
    since = window_start(today, months)
    touches, referrals = reciprocity_sql.exchanges_since(session, user_id, ids, since, today)
    return {i: reciprocity(touches[i], referrals[i], today, months) for i in ids}


def _contacts(session: Session, ids: set[int]) -> dict[int, Contact]:
    """Whole contacts by id, in one query (also when there are none: a fixed count)."""
    return {c.id: c for c in session.scalars(select(Contact).where(Contact.id.in_(sorted(ids))))}


def _one_way_entries(
    session: Session, user_id: int, rows: list[Any], contacts: dict[int, Contact], today: date
) -> list[OneWay]:
    """The one-way rows shown, with what went each way (counted for them alone)."""
    shown = [row for row in rows if row.section == "one_way"]
    ties = exchanges(session, user_id, [row.id for row in shown], today)
    return [
        OneWay(contacts[row.id], ties[row.id].gave, ties[row.id].received, row.direction)
        for row in shown
    ]


def review(session: Session, user_id: int, today: date) -> Review:
    """Everything the review page shows, in a fixed number of queries.

    Who belongs where is decided by the database from the stored evidence and exchanges;
    whole contacts, and what went each way with the one-way relationships shown, are read
    only for the people shown.
    """
    rows = list(session.execute(_section_rows(user_id, today)))
    contacts = _contacts(session, {row.id for row in rows})

    def reviewed(name: str) -> list[Reviewed]:
        return [
            Reviewed(
                contact=contacts[row.id],
                evidence=evidence_sql.stored_evidence(contacts[row.id]),
                warmth=warmth_of(contacts[row.id], today),
                supported=row.supported,
                reason=row.reason,
            )
            for row in rows
            if row.section == name
        ]

    totals = dict.fromkeys(SECTIONS, 0) | {row.section: row.total for row in rows}
    return Review(
        collaborators=reviewed("collaborators"),
        candidates=reviewed("candidates"),
        unsupported=reviewed("unsupported"),
        one_way=_one_way_entries(session, user_id, rows, contacts, today),
        totals=totals,
    )


def one_way_relationships(session: Session, user_id: int, today: date) -> list[OneWay]:
    """Contacts with whom giving ran one way over the last 24 months, the strongest first."""
    rows = list(session.execute(_section_rows(user_id, today, ("one_way",))))
    contacts = _contacts(session, {row.id for row in rows})
    return _one_way_entries(session, user_id, rows, contacts, today)


def recent_exchanges(
    session: Session, user_id: int, ids: list[int], today: date
) -> dict[int, Reciprocity]:
    """What went each way with these contacts in the 12 months a collaborator label asks of."""
    return exchanges(session, user_id, ids, today, RECENT_MONTHS)
