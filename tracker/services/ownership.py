"""Ownership: the one place that decides whether a row is the user's.

Every service that loads a row by an id it was given loads it here, so that another
user's row is, to the caller, a row that does not exist. The web turns ``NotFound`` into
a 404, as it does for an id nobody has.
"""

from collections.abc import Iterable
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

T = TypeVar("T")


class NotFound(LookupError):
    """No row of the user's has this id (none has it, or another user's has)."""


def belongs(row: object, user_id: int) -> bool:
    """True when the row is the user's: the owner check of the whole app."""
    return getattr(row, "user_id", None) == user_id


def find_owned(session: Session, model: type[T], user_id: int, object_id: int | None) -> T | None:
    """The user's row of ``model`` with this id, else None."""
    if object_id is None:
        return None
    row = session.get(model, object_id)
    return row if row is not None and belongs(row, user_id) else None


def owned(session: Session, model: type[T], user_id: int, object_id: int | None) -> T:
    """The user's row of ``model`` with this id; ``NotFound`` for any other id."""
    row = find_owned(session, model, user_id, object_id)
    if row is None:
        raise NotFound(f"{model.__name__} {object_id}")
    return row


def owned_ids(session: Session, model: Any, user_id: int, ids: Iterable[object]) -> set[int]:
    """Those of these ids that name a row of the user's, in one query."""
    wanted = sorted({i for i in ids if isinstance(i, int)})
    if not wanted:
        return set()
    return set(
        session.scalars(select(model.id).where(model.user_id == user_id, model.id.in_(wanted)))
    )
