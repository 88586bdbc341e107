"""SQL expressions the pages share, written once for SQLite and PostgreSQL.

The SQL forms of the relationship rules sit in the modules of this package named after
the rule they mirror (sql.warmth mirrors tracker.relationships.warmth, and so on); a
parity test over random histories proves each agrees with its rule. This module holds
what they share: dates, the active contacts, and the search.
"""

from datetime import date
from typing import Any

from sqlalchemy import Boolean, Date, Float, bindparam, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import BindParameter, ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.visitors import InternalTraversal

from tracker.models import Contact


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
    """A date as a bound literal of type DATE."""
    return literal(value, Date)


def active() -> ColumnElement[bool]:
    return Contact.archived_at.is_(None)


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
