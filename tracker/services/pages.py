"""A page of results, and the first contacts of a list read narrowly."""

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, func, literal, select
from sqlalchemy.orm import Session

from tracker.models import Contact

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def first_rows(
    session: Session,
    where: ColumnElement[bool],
    order: list[Any],
    limit: int,
    *,
    offset: int = 0,
    with_total: bool = True,
) -> list[tuple[Contact, int]]:
    """The first contacts in an order, each with how many match in all, in one query.

    The order and the count are worked out on the narrow columns alone (an index covers
    them); only the rows shown are read whole.
    """
    total = func.count().over() if with_total else literal(0)
    top = (
        select(Contact.id.label("id"), total.label("total"))
        .where(where)
        .order_by(*order)
        .limit(limit)
        .offset(offset)
        .subquery()
    )
    rows = session.execute(
        select(Contact, top.c.total).join(top, top.c.id == Contact.id).order_by(*order)
    )
    return [(contact, count) for contact, count in rows]
