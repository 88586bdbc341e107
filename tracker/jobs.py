"""Long imports run on a thread of the serving process, and report their progress.

The import is one transaction: it commits everything, and the draft's "done" status with
it, or nothing. Progress lives in this process's memory (the database is busy writing);
a page in another process, or after a crash, sees only the stored status.
"""

import json
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from flask import Flask

from tracker.db import write_transaction
from tracker.models import ImportDraft
from tracker.services.imports import apply, plan

STALE_AFTER = timedelta(minutes=2)
_lock = threading.Lock()
_progress: dict[int, tuple[int, int, float]] = {}  # draft id -> (done, total, started)


def progress_of(draft_id: int) -> tuple[int, int, float] | None:
    with _lock:
        return _progress.get(draft_id)


def _report(draft_id: int, started: float) -> Callable[[int, int], None]:
    def report(done: int, total: int) -> None:
        with _lock:
            _progress[draft_id] = (done, total, started)

    return report


def run(app: Flask, draft_id: int, policy: str, batch_name: str, today: date) -> None:
    """Import a previewed draft, then record its summary (or its failure)."""
    started = time.monotonic()
    _report(draft_id, started)(0, 0)
    try:
        with app.app_context(), write_transaction(app) as session:
            draft = session.get(ImportDraft, draft_id)
            assert draft is not None
            found = plan(session, draft.user_id, draft.data)
            summary = apply(
                session,
                draft.user_id,
                found,
                policy=policy,
                batch_name=batch_name,
                today=today,
                progress=_report(draft_id, started),
            )
            draft.status = "done"
            draft.tag_id = summary.tag_id
            draft.summary = json.dumps(summary.as_dict())
            draft.data = b""
    except Exception as error:  # any failure is recorded; nothing was imported
        app.logger.exception("Import %s failed", draft_id, exc_info=error)
        with app.app_context(), write_transaction(app) as session:
            draft = session.get(ImportDraft, draft_id)
            if draft is not None:
                draft.status = "failed"
    finally:
        with _lock:
            _progress.pop(draft_id, None)


def start(app: Flask, draft_id: int, policy: str, batch_name: str, today: date) -> threading.Thread:
    thread = threading.Thread(
        target=run,
        args=(app, draft_id, policy, batch_name, today),
        name=f"import-{draft_id}",
        daemon=True,
    )
    thread.start()
    return thread


def interrupted(draft: ImportDraft) -> bool:
    """A draft marked running that no thread here runs, for longer than an import takes."""
    if draft.status != "running" or progress_of(draft.id) is not None:
        return False
    changed = draft.updated_at if draft.updated_at.tzinfo else draft.updated_at.replace(tzinfo=UTC)
    return datetime.now(UTC) - changed > STALE_AFTER
