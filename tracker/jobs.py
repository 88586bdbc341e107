"""Run an import: read first, then write in short batches, recording each step in its row.

A claimed import (tracker.services.import_jobs.claim) runs here: inline for a small file
and for `flask import`, on a thread of the process that got the request for a large one.
The run keeps nothing in memory that another process would need: its status, progress,
error and heartbeat are in the draft's row.

1. The file is parsed and matched against the account in a read transaction: the long
   work never holds the write lock.
2. The batch tag and the cards' tags are made in a short write transaction.
3. New contacts are inserted a batch at a time, each batch in a write transaction of its
   own that first writes the progress (and checks that the run still owns its import);
   the rows of a batch, keys included, are built before its transaction begins.
4. The likely duplicates are merged and the import is marked done in a last short
   transaction.

A heartbeat thread keeps the row's heartbeat fresh while the run lasts, so a heartbeat that
stops means the process died. If the run fails it removes what it saved (abandon).
"""

import threading
from datetime import UTC, date, datetime, timedelta

from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from tracker.db import read_transaction, write_transaction
from tracker.services import import_jobs
from tracker.services.import_jobs import JobLost
from tracker.services.imports import (
    Summary,
    contact_rows,
    insert_contacts,
    merge_duplicates,
    plan,
    prepare_tags,
    summary_of,
    work_for,
)

# New contacts per write transaction: a few tenths of a second of holding the write lock (each
# transaction also pays for its commit, so smaller batches make the import longer).
WRITE_BATCH = 1_000


def stale_after(app: Flask) -> timedelta:
    """How long a running import's heartbeat may stay still before it counts as interrupted."""
    return timedelta(seconds=float(app.config["IMPORT_STALE_SECONDS"]))


def start(app: Flask, draft_id: int, token: str, batch_name: str, today: date) -> threading.Thread:
    """Run a claimed import on a thread of this process."""
    thread = threading.Thread(
        target=run,
        args=(app, draft_id, token, batch_name, today),
        name=f"import-{draft_id}",
        daemon=True,
    )
    thread.start()
    return thread


def run(app: Flask, draft_id: int, token: str, batch_name: str, today: date) -> Summary | None:
    """Carry out a claimed import; on failure remove what it saved. Its summary, or None."""
    with app.app_context(), Heartbeat(app, draft_id, token):
        try:
            return _carry_out(app, draft_id, token, batch_name, today)
        except JobLost:
            app.logger.warning(
                "Import %s was given up for dead elsewhere; this run stopped", draft_id
            )
        except Exception as error:  # any failure is recorded, and what was saved removed
            app.logger.exception("Import %s failed", draft_id, exc_info=error)
            with write_transaction(app) as session:
                import_jobs.abandon(session, draft_id, token, import_jobs.FAILED)
    return None


def _carry_out(app: Flask, draft_id: int, token: str, batch_name: str, today: date) -> Summary:
    with read_transaction(app) as reader:
        job = import_jobs.run_of(reader, draft_id, token)
        user_id = job.user_id
        work = work_for(plan(reader, user_id, job.data), job.policy)
    with write_transaction(app) as session:
        import_jobs.record_progress(session, draft_id, token, total_count=work.total)
        tags = prepare_tags(session, user_id, batch_name, work.cards())
        import_jobs.note_tags(session, draft_id, token, tags)
    done = 0
    for start in range(0, len(work.create), WRITE_BATCH):
        cards = work.create[start : start + WRITE_BATCH]
        now = datetime.now(UTC)
        rows = contact_rows(user_id, cards, now)
        done += len(cards)
        with write_transaction(app) as session:
            import_jobs.record_progress(session, draft_id, token, done_count=done)
            made = insert_contacts(session, cards, rows, tags, now, today, work.exchanges)
            import_jobs.note_contacts(session, draft_id, made)
    with write_transaction(app) as session:
        import_jobs.record_progress(session, draft_id, token)
        merged = merge_duplicates(session, user_id, work.merge, tags, today)
        summary = summary_of(work, merged, tags)
        import_jobs.finish(session, draft_id, token, summary)
    return summary


class Heartbeat:
    """Write the heartbeat into a run's row every quarter of the stale time while it lasts."""

    def __init__(self, app: Flask, draft_id: int, token: str) -> None:
        self.app, self.draft_id, self.token = app, draft_id, token
        self.every = stale_after(app).total_seconds() / 4
        self.stopped = threading.Event()
        self.thread = threading.Thread(
            target=self._beat, name=f"import-{draft_id}-heartbeat", daemon=True
        )

    def __enter__(self) -> "Heartbeat":
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stopped.set()
        self.thread.join()

    def _beat(self) -> None:
        while not self.stopped.wait(self.every):
            try:
                with write_transaction(self.app) as session:
                    import_jobs.record_progress(session, self.draft_id, self.token)
            except JobLost:
                return
            except SQLAlchemyError:  # a busy database: the next beat may get through
                self.app.logger.warning("Heartbeat of import %s failed", self.draft_id)
