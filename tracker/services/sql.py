"""SQL expressions the pages share, written once for SQLite and PostgreSQL.

The warmth expressions mirror tracker.relationships.warmth on the stored dates
(a test checks that they agree on every boundary).
"""

from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import Boolean, Date, Float, Integer, and_, bindparam, case, func, literal, or_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import BindParameter, ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.visitors import InternalTraversal

from tracker.models import Contact
from tracker.vocabulary import STAGES


class days_between(FunctionElement[float]):
    """The number of days from the first date to the second."""

    type = Float()
    inherit_cache = True


@compiles(days_between, "sqlite")
def _days_between_sqlite(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = list(element.clauses)
    return (
        f"(julianday({compiler.process(end, **kw)}) - julianday({compiler.process(start, **kw)}))"
    )


@compiles(days_between)
def _days_between_default(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = list(element.clauses)
    return f"(({compiler.process(end, **kw)}) - ({compiler.process(start, **kw)}))"


def day(value: date) -> ColumnElement[date]:
    return literal(value, Date)


def stage_rank_of(column: ColumnElement[str] | Any) -> ColumnElement[int]:
    """card 0 … collaborator 3, as tracker.relationships.stage_rank."""
    ranks = {stage: rank for rank, stage in enumerate(STAGES)}
    return case(ranks, value=column, else_=0).cast(Integer)


def stage_rank() -> ColumnElement[int]:
    """The rank of the stage the user set."""
    return stage_rank_of(Contact.stage)


def warmth_clause(warmth: str, today: date) -> ColumnElement[bool]:
    """Contacts whose stored dates put them at this warmth today."""
    if warmth == "warm":
        return Contact.cooling_on > today
    if warmth == "cooling":
        return and_(Contact.cooling_on <= today, Contact.next_due_on >= today)
    if warmth == "cold":
        return and_(Contact.next_due_on < today, Contact.dormant_after >= today)
    if warmth == "dormant":
        return Contact.dormant_after < today
    raise ValueError(f"unknown warmth: {warmth!r}")


def warmth_case(today: date) -> ColumnElement[str]:
    """The warmth of each contact today ("none" before any real touch)."""
    return case(
        (Contact.next_due_on.is_(None), "none"),
        (warmth_clause("warm", today), "warm"),
        (warmth_clause("cooling", today), "cooling"),
        (warmth_clause("cold", today), "cold"),
        else_="dormant",
    )


def active() -> ColumnElement[bool]:
    return Contact.archived_at.is_(None)


def not_snoozed(today: date) -> ColumnElement[bool]:
    """The snooze holds through its last day."""
    return or_(Contact.snoozed_until.is_(None), Contact.snoozed_until < today)


def flagged(today: date) -> ColumnElement[bool]:
    """On the cold list: cold or dormant, active, not snoozed."""
    return and_(Contact.next_due_on < today, active(), not_snoozed(today))


def overdue_ratio(today: date) -> ColumnElement[float]:
    """Days past due as a share of the cadence's days."""
    return days_between(Contact.next_due_on, day(today)) / days_between(
        Contact.last_touch_on, Contact.next_due_on
    )


def met_on() -> ColumnElement[date]:
    """The day a contact was first met (else their last touch)."""
    return func.coalesce(Contact.first_met_on, Contact.last_touch_on)


def waiting_for_first_follow_up(today: date, month: relativedelta) -> ColumnElement[bool]:
    """New cards with no second meeting yet, still inside their first month."""
    return and_(
        active(),
        not_snoozed(today),
        Contact.stage == "card",
        Contact.evidence_stage == "card",
        Contact.last_touch_on.is_not(None),
        met_on() >= today - month,
    )


def follow_up_due(until: date) -> ColumnElement[bool]:
    """A follow-up date that is past, today, or before ``until``."""
    return and_(active(), Contact.follow_up_on.is_not(None), Contact.follow_up_on <= until)


# Terms this long and longer are found through the search index (trigrams).
INDEXED_TERM = 3


class key_contains(ColumnElement[bool]):
    """contacts.search_key contains this text: through the FTS5 trigram table on SQLite,
    as a LIKE (which PostgreSQL answers from its trigram index) elsewhere."""

    # The text is a bound parameter and part of the cache key, so the compiled SQL is
    # cached once and each search brings its own value.
    _traverse_internals = [  # noqa: RUF012  (SQLAlchemy's own declaration)
        ("phrase", InternalTraversal.dp_clauseelement),
        ("substring", InternalTraversal.dp_clauseelement),
    ]
    inherit_cache = True
    type = Boolean()
    _is_implicitly_boolean = True  # a predicate as it stands, not a value to compare to 1

    def __init__(self, value: str) -> None:
        # A quoted FTS5 phrase is matched as a substring by the trigram tokenizer.
        quoted = '"' + value.replace('"', '""') + '"'
        self.phrase: BindParameter[str] = bindparam(None, quoted, unique=True)
        self.substring = Contact.search_key.contains(value, autoescape=True)


@compiles(key_contains, "sqlite")
def _key_contains_sqlite(element: key_contains, compiler: SQLCompiler, **kw: Any) -> str:
    phrase = compiler.process(element.phrase, **kw)
    contact_id = compiler.process(Contact.__table__.c.id, **kw)
    matching = f"SELECT rowid FROM contacts_search WHERE contacts_search MATCH {phrase}"
    return f"{contact_id} IN ({matching})"


@compiles(key_contains)
def _key_contains_default(element: key_contains, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.substring, **kw)


def search_key_contains(value: str) -> ColumnElement[bool]:
    """The search key contains the text, from the index when the text is long enough."""
    if len(value) >= INDEXED_TERM:
        return key_contains(value)
    return Contact.search_key.contains(value, autoescape=True)
