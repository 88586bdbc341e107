"""Tags: a user's labels, found by their normalised name and made when missing."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker import text
from tracker.models import Tag, contact_tags
from tracker.services.ownership import owned


class TagBook:
    """A user's tags by their normalised name, creating the missing ones on request."""

    def __init__(self, session: Session, user_id: int) -> None:
        self.session, self.user_id = session, user_id
        self.by_key = {
            text.normalise(tag.name): tag
            for tag in session.scalars(select(Tag).where(Tag.user_id == user_id))
        }

    def get(self, names: list[str]) -> list[Tag]:
        """The tags with these names, once each, in order."""
        tags: dict[str, Tag] = {}
        for name in names:
            key = text.normalise(name)
            if not key or key in tags:
                continue
            tag = self.by_key.get(key)
            if tag is None:
                tag = Tag(user_id=self.user_id, name=" ".join(name.split()))
                self.session.add(tag)
                self.by_key[key] = tag
            tags[key] = tag
        return list(tags.values())


def tags_named(session: Session, user_id: int, names: list[str]) -> list[Tag]:
    """The user's tags with these names, creating the missing ones."""
    return TagBook(session, user_id).get(names)


def get_tag(session: Session, user_id: int, tag_id: int) -> Tag:
    """The user's tag with this id (``NotFound`` for any other)."""
    return owned(session, Tag, user_id, tag_id)


def tags_with_counts(session: Session, user_id: int) -> list[tuple[Tag, int]]:
    """The user's tags by name, each with how many contacts carry it."""
    rows = session.execute(
        select(Tag, func.count(contact_tags.c.contact_id))
        .outerjoin(contact_tags, contact_tags.c.tag_id == Tag.id)
        .where(Tag.user_id == user_id)
        .group_by(Tag.id)
        .order_by(Tag.name)
    )
    return [(tag, count) for tag, count in rows]
