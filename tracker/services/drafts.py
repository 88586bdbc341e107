"""Form drafts: what a form held before it could be saved, kept on the server for its user.

A draft is found again by the token in its form's address (``?draft=…``), only by the user
it belongs to and only on the page it was made for. Drafts are small and short-lived: a
user keeps the newest few for a week.
"""

import json
import secrets
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tracker.models import FORM_PATH_LEN, FormDraft

# A kept form (and its photos), as the card page holds it.
Draft = FormDraft

KEEP_FOR = timedelta(days=7)
KEEP_AT_MOST = 20  # drafts per user; older ones go first
REASONS = ("photo", "kept")


def new_token() -> str:
    """A secret for a form's address or a form's one-time token."""
    return secrets.token_urlsafe(32)


def make_draft(
    session: Session,
    user_id: int,
    path: str,
    reason: str,
    fields: Iterable[tuple[str, str]] = (),
) -> FormDraft:
    """A new draft of the user's form on this page (the oldest drafts make room)."""
    if reason not in REASONS:
        raise ValueError(f"unknown draft reason: {reason!r}")
    purge_drafts(session, user_id, keep=KEEP_AT_MOST - 1)
    draft = FormDraft(user_id=user_id, token=new_token(), path=path[:FORM_PATH_LEN], reason=reason)
    set_fields(draft, fields)
    session.add(draft)
    session.flush()
    return draft


def find_draft(
    session: Session, user_id: int, token: str, path: str | None = None
) -> FormDraft | None:
    """The user's draft with this token (on this page, when given), unless it is too old."""
    if not token or len(token) > 100:
        return None
    draft = session.scalar(
        select(FormDraft).where(FormDraft.token == token, FormDraft.user_id == user_id)
    )
    if draft is None or (path is not None and draft.path != path):
        return None
    created = draft.created_at
    if created.tzinfo is None:
        created = created.replace(tzinfo=UTC)
    return draft if created > datetime.now(UTC) - KEEP_FOR else None


def draft_fields(draft: FormDraft) -> list[tuple[str, str]]:
    """The form's fields as they were kept: (name, value) pairs in the order sent."""
    try:
        pairs = json.loads(draft.fields or "[]")
    except json.JSONDecodeError:
        return []
    return [(str(name), str(value)) for name, value in pairs if isinstance(name, str)]


def set_fields(draft: FormDraft, fields: Iterable[tuple[str, str]]) -> None:
    draft.fields = json.dumps([[name, value] for name, value in fields], ensure_ascii=False)


def drop_draft(session: Session, draft: FormDraft) -> None:
    session.delete(draft)
    session.flush()


def purge_drafts(session: Session, user_id: int, keep: int = KEEP_AT_MOST) -> None:
    """Delete the user's drafts older than a week, and all but the newest ``keep``."""
    cutoff = datetime.now(UTC) - KEEP_FOR
    session.execute(
        delete(FormDraft).where(FormDraft.user_id == user_id, FormDraft.created_at < cutoff)
    )
    newest = select(FormDraft.id).where(FormDraft.user_id == user_id)
    kept = list(session.scalars(newest.order_by(FormDraft.id.desc()).limit(keep)))
    session.execute(
        delete(FormDraft).where(FormDraft.user_id == user_id, FormDraft.id.not_in(kept))
    )
