"""Import jobs as rows: an upload's draft, then its import's status, progress and error.

An upload is kept as a draft with its preview. When the user confirms it, the draft becomes
a running import owned by one run (a random token): the process that runs it
(tracker.jobs) writes into the row how many of how many records are done and a heartbeat,
so every process shows the same progress, and nothing about an import is kept in memory.
A running import whose heartbeat has not moved for the stale time was interrupted: its
process died. At most one import runs at a time in an account: a partial unique index
holds that whichever process starts it.

An import writes its new contacts in batches, each committed on its own, so that no write
transaction lasts longer than one batch; it stays all or nothing because a run that fails
removes what it saved (abandon), and so does the next import of the account, or `flask
purge-trash`, for a run that died (recover_interrupted). What a run saved is exactly the
contacts it made, listed in import_job_contacts in the transaction that made them, and the
tags it made: it merges into existing contacts only in its last transaction, the one that
marks it done.
"""

import json
import secrets
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, delete, exists, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker.models import Contact, ImportDraft, Tag, contact_tags, import_job_contacts
from tracker.services import N_, ServiceError
from tracker.services.contacts import delete_contacts
from tracker.services.imports import BatchTags, Summary
from tracker.services.ownership import find_owned

DRAFT_LIFETIME = timedelta(days=1)
RESTARTABLE = ("previewed", "failed")
INTERRUPTED = N_("The import was interrupted: the server running it stopped.")
FAILED = N_("The import failed because of an error on the server.")


class ImportBusy(ServiceError):
    """Another import of the account is running; ``draft_id`` is its draft."""

    def __init__(self, draft_id: int) -> None:
        super().__init__(
            N_("Another import is running in your account. Start this one when it is done.")
        )
        self.draft_id = draft_id


class JobLost(Exception):
    """The run no longer owns its import: it was given up for dead and what it saved removed."""


def _aware(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes; the app stores UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def create_draft(
    session: Session, user_id: int, filename: str, data: bytes, preview: dict[str, Any]
) -> ImportDraft:
    """Keep an upload and its preview until it is imported, and forget the user's old drafts."""
    now = datetime.now(UTC)
    session.execute(
        delete(ImportDraft).where(
            ImportDraft.user_id == user_id,
            ImportDraft.created_at < now - DRAFT_LIFETIME,
            ImportDraft.status != "running",
        )
    )
    draft = ImportDraft(
        user_id=user_id,
        filename=filename,
        data=data,
        summary=json.dumps(preview, ensure_ascii=False),
    )
    session.add(draft)
    session.flush()
    return draft


def owned_draft(session: Session, user_id: int, draft_id: int) -> ImportDraft | None:
    """The user's draft with this id, or None."""
    return find_owned(session, ImportDraft, user_id, draft_id)


def is_interrupted(draft: ImportDraft, now: datetime, stale_after: timedelta) -> bool:
    """Tell whether a running import's heartbeat stopped: the process running it died."""
    if draft.status != "running":
        return False
    return now - _aware(draft.heartbeat_at or draft.updated_at) > stale_after


def running_import(
    session: Session, user_id: int, now: datetime, stale_after: timedelta
) -> ImportDraft | None:
    """The account's running import, unless it was interrupted."""
    draft = session.scalars(
        select(ImportDraft).where(ImportDraft.user_id == user_id, ImportDraft.status == "running")
    ).first()
    return None if draft is None or is_interrupted(draft, now, stale_after) else draft


def progress_of(draft: ImportDraft) -> tuple[int, int]:
    """How many of how many records a running import has written."""
    return draft.done_count, draft.total_count


def claim(
    session: Session,
    user_id: int,
    draft_id: int,
    policy: str,
    now: datetime,
    stale_after: timedelta,
) -> str | None:
    """Start the import of a previewed (or failed) draft: mark it running for a new run and
    return that run's token; None when the draft cannot start (done, or running).

    Imports of the account that were interrupted are removed first. Raises ImportBusy when
    another import of the account is running.
    """
    recover_interrupted(session, now, stale_after, user_id=user_id)
    draft = owned_draft(session, user_id, draft_id)
    if draft is None or draft.status not in RESTARTABLE:
        return None
    other = running_import(session, user_id, now, stale_after)
    if other is not None:
        raise ImportBusy(other.id)
    preview = json.loads(draft.summary or "{}")  # a failed import keeps its preview
    token = secrets.token_hex(16)
    draft.status, draft.runner, draft.policy, draft.error = "running", token, policy, ""
    draft.started_at = draft.heartbeat_at = now
    draft.finished_at = draft.tag_id = None
    draft.done_count = 0
    draft.total_count = preview.get("new_count", 0) + preview.get("duplicate_count", 0)
    draft.new_tag_ids = ""
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as error:  # another process started one meanwhile: name it
        other = running_import(session, user_id, now, stale_after)
        raise ImportBusy(other.id if other is not None else draft_id) from error
    return token


def run_of(session: Session, draft_id: int, token: str) -> ImportDraft:
    """The import a run owns; JobLost when it no longer owns it."""
    draft = session.get(ImportDraft, draft_id)
    if draft is None or draft.status != "running" or draft.runner != token:
        raise JobLost(draft_id)
    return draft


def record_progress(session: Session, draft_id: int, token: str, **values: Any) -> None:
    """Write a run's progress and heartbeat into its row, first thing in each of its write
    transactions; JobLost when the run no longer owns its import (then nothing it wrote in
    this transaction may be kept: the caller's transaction rolls back)."""
    result = session.execute(
        update(ImportDraft)
        .where(
            ImportDraft.id == draft_id,
            ImportDraft.runner == token,
            ImportDraft.status == "running",
        )
        .values(heartbeat_at=datetime.now(UTC), **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise JobLost(draft_id)


def note_tags(session: Session, draft_id: int, token: str, tags: BatchTags) -> None:
    """Remember the import's batch tag and the tags it made, to remove them if it fails."""
    record_progress(
        session, draft_id, token, tag_id=tags.batch_id, new_tag_ids=json.dumps(tags.created)
    )


def finish(session: Session, draft_id: int, token: str, summary: Summary) -> None:
    """Mark a run's import done, with its summary (the uploaded file is dropped)."""
    session.execute(delete(import_job_contacts).where(import_job_contacts.c.draft_id == draft_id))
    record_progress(
        session,
        draft_id,
        token,
        status="done",
        runner="",
        summary=json.dumps(summary.as_dict()),
        data=b"",
        done_count=ImportDraft.total_count,
        finished_at=datetime.now(UTC),
    )


def abandon(session: Session, draft_id: int, token: str, error: str) -> bool:
    """Remove what a failing run saved and mark its import failed; False if it lost it."""
    draft = session.scalars(
        select(ImportDraft)
        .where(
            ImportDraft.id == draft_id,
            ImportDraft.runner == token,
            ImportDraft.status == "running",
        )
        .with_for_update()
    ).first()
    if draft is None:
        return False
    _give_up(session, draft, error)
    return True


def recover_interrupted(
    session: Session, now: datetime, stale_after: timedelta, user_id: int | None = None
) -> int:
    """Remove what interrupted imports saved (of one user, or of all) and mark them failed;
    return how many there were."""
    query = (
        select(ImportDraft)
        .where(
            ImportDraft.status == "running",
            func.coalesce(ImportDraft.heartbeat_at, ImportDraft.updated_at) < now - stale_after,
        )
        .order_by(ImportDraft.id)
        .with_for_update()
    )
    if user_id is not None:
        query = query.where(ImportDraft.user_id == user_id)
    drafts = session.scalars(query).all()
    for draft in drafts:
        _give_up(session, draft, INTERRUPTED)
    return len(drafts)


def note_contacts(session: Session, draft_id: int, contact_ids: list[int]) -> None:
    """Remember the contacts a run made, in the transaction that made them."""
    if contact_ids:
        session.execute(
            insert(import_job_contacts),
            [{"draft_id": draft_id, "contact_id": contact_id} for contact_id in contact_ids],
        )


def _give_up(session: Session, draft: ImportDraft, error: str) -> None:
    """Delete the contacts and tags an unfinished import made, and mark it failed."""
    made = select(import_job_contacts.c.contact_id).where(
        import_job_contacts.c.draft_id == draft.id
    )
    session.execute(
        delete(Contact)
        .where(Contact.user_id == draft.user_id, Contact.id.in_(made))
        .execution_options(synchronize_session=False)
    )
    session.execute(delete(import_job_contacts).where(import_job_contacts.c.draft_id == draft.id))
    new_tags = json.loads(draft.new_tag_ids or "[]")
    if new_tags:
        in_use = exists().where(contact_tags.c.tag_id == Tag.id)
        session.execute(
            delete(Tag)
            .where(Tag.user_id == draft.user_id, Tag.id.in_(new_tags), ~in_use)
            .execution_options(synchronize_session=False)
        )
    draft.status, draft.runner, draft.error = "failed", "", error
    draft.tag_id, draft.new_tag_ids, draft.done_count = None, "", 0
    draft.finished_at = datetime.now(UTC)
    session.flush()


def _running_batches(user_id: int) -> Select[Any]:
    """The batch tags of the user's running imports: no batch to review or remove yet."""
    return select(ImportDraft.tag_id).where(
        ImportDraft.user_id == user_id,
        ImportDraft.status == "running",
        ImportDraft.tag_id.is_not(None),
    )


def batches(session: Session, user_id: int) -> list[tuple[Tag, int]]:
    """The user's finished import batches, newest first, with their number of contacts."""
    rows = session.execute(
        select(Tag, func.count(contact_tags.c.contact_id))
        .outerjoin(contact_tags, contact_tags.c.tag_id == Tag.id)
        .where(
            Tag.user_id == user_id,
            Tag.imported_at.is_not(None),
            Tag.id.not_in(_running_batches(user_id)),
        )
        .group_by(Tag.id)
        .order_by(Tag.imported_at.desc())
    )
    return [(tag, count) for tag, count in rows]


def owned_batch(session: Session, user_id: int, tag_id: int) -> tuple[Tag, list[int]] | None:
    """One of the user's finished import batches and the ids of the contacts it created
    (a contact it merged into was the user's before: its merge is undone from the trash
    instead), or None."""
    tag = find_owned(session, Tag, user_id, tag_id)
    if tag is None or tag.imported_at is None:
        return None
    if tag.id in set(session.scalars(_running_batches(user_id))):
        return None
    ids = list(
        session.scalars(
            select(contact_tags.c.contact_id)
            .join(Contact, Contact.id == contact_tags.c.contact_id)
            .where(contact_tags.c.tag_id == tag.id, Contact.created_at >= tag.imported_at)
        )
    )
    return tag, ids


def delete_batch(session: Session, user_id: int, tag_id: int, today: date) -> tuple[str, int]:
    """Move every contact of one of the user's import batches to the trash and delete its
    tag; return the tag's name and how many contacts went."""
    found = owned_batch(session, user_id, tag_id)
    if found is None:
        raise ServiceError(N_("This import batch does not exist."))
    tag, ids = found
    deleted = delete_contacts(session, user_id, ids, today)
    name = tag.name
    session.delete(tag)
    session.flush()
    return name, deleted
