"""Who can help with…: contacts whose expertise, tags, title, company or notes match,
ranked by stage, then warmth, then bond strength, each with the reason it matched."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, select
from sqlalchemy.orm import Session, selectinload

from tracker import text
from tracker.models import Contact
from tracker.relationships import strength_from_level
from tracker.services import sql
from tracker.services.contacts import search_filter
from tracker.services.dashboard import warmth_of

RESULT_LIMIT = 50


@dataclass(frozen=True)
class Helper:
    contact: Contact
    warmth: str | None
    strength: float
    reasons: list[tuple[str, str]]  # (field, the text that matched)


def _field_texts(contact: Contact) -> dict[str, str]:
    """The fields a match is explained by, in the order they are looked at."""
    return {
        "expertise": contact.expertise,
        "tags": ", ".join(tag.name for tag in contact.tags),
        "title": contact.title,
        "company": contact.company,
        "department": contact.department,
        "notes": contact.notes,
        "name": f"{contact.name} {contact.reading}",
    }


def _excerpt(value: str, spelling: str, width: int = 60) -> str:
    """The part of a field around the matched term."""
    folded = text.normalise(value)
    at = max(folded.find(spelling), 0)
    start = max(at - width // 3, 0)
    snippet = " ".join(value.split())[start : start + width]
    return ("…" if start else "") + snippet + ("…" if start + width < len(value) else "")


def reasons(contact: Contact, query: str) -> list[tuple[str, str]]:
    """Which fields hold the query's terms, with an excerpt of each."""
    found = []
    for field, value in _field_texts(contact).items():
        folded = text.normalise(value)
        for spellings in text.query_terms(query):
            hit = next((s for s in spellings if s in folded), None)
            if hit:
                found.append((field, _excerpt(value, hit)))
                break
    return found


def who_can_help(session: Session, user_id: int, query: str, today: date) -> list[Helper]:
    """Active contacts matching every term of the query, most trusted, warmest, strongest first."""
    if not text.query_terms(query):
        return []
    warmth_rank = case(
        (sql.warmth_clause("warm", today), 4),
        (sql.warmth_clause("cooling", today), 3),
        (sql.warmth_clause("cold", today), 2),
        (sql.warmth_clause("dormant", today), 1),
        else_=0,
    )
    stmt = (
        select(Contact)
        # What people can help with is in what they do, not in their addresses.
        .where(Contact.user_id == user_id, sql.active(), *search_filter(query, methods=False))
        .options(selectinload(Contact.tags))
        .order_by(
            sql.stage_rank().desc(),
            warmth_rank.desc(),
            Contact.strength_level.desc().nulls_last(),
            Contact.sort_key,
        )
        .limit(RESULT_LIMIT)
    )
    return [
        Helper(
            contact=contact,
            warmth=warmth_of(contact, today),
            strength=strength_from_level(contact.strength_level, today),
            reasons=reasons(contact, query),
        )
        for contact in session.scalars(stmt)
    ]
