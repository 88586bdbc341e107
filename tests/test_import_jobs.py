"""Import jobs as rows: progress any process can show, a heartbeat that tells an interrupted
import from a slow one, one import at a time per account, writes in short batches that stay
all or nothing, and long reads (planning, exports) that never hold the write lock.

The tests stop a run between two of its transactions (or a request in the middle of a read)
with a gate, and look at the database and the pages from another app meanwhile, as another
process would.
"""

import json
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tests.conftest import PASSWORD, log_in, make_config, upload_import
from tracker import create_app
from tracker.db import database, write_transaction
from tracker.i18n import format_log_detail
from tracker.jobs import WRITE_BATCH
from tracker.models import Contact, ImportDraft, SecurityEvent, Tag, import_job_contacts
from tracker.services.contacts import ContactData, create_contact

BATCH = WRITE_BATCH
CARDS = 5 * BATCH // 2  # three batches of writes, the last one half full
WAIT = 60  # seconds; only a broken test waits that long


@pytest.fixture
def app_config() -> dict[str, Any]:
    # No heartbeat of its own during a test: the tests age the heartbeat themselves.
    return {"IMPORT_STALE_SECONDS": 3600}


def cards(count: int, tag: str = "", first: int = 0) -> bytes:
    category = f"CATEGORIES:{tag}\r\n" if tag else ""
    return "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nN:行{n};太郎;;;\r\nORG:会社{n}\r\n"
        f"EMAIL:job{n}@example.jp\r\n{category}END:VCARD\r\n"
        for n in range(first, first + count)
    ).encode()


def upload(client, data: bytes) -> int:
    response = upload_import(client, data, "cards.vcf")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return int(response.location.rsplit("/", 1)[1])


def contacts(app) -> int:
    with write_transaction(app) as session:
        return session.scalars(select(func.count()).select_from(Contact)).one()


def job(app, draft_id: int) -> ImportDraft:
    with write_transaction(app) as session:
        draft = session.get(ImportDraft, draft_id)
        assert draft is not None
        return draft


class Gate:
    """Stops one thread at a point until the test lets it go on."""

    def __init__(self) -> None:
        self.reached, self.go = threading.Event(), threading.Event()
        self.thread: threading.Thread | None = None

    def stop_here(self) -> None:
        self.thread = threading.current_thread()
        self.reached.set()
        self.go.wait(WAIT)

    def wait(self) -> None:
        assert self.reached.wait(WAIT), "the thread never reached the gate"


# The listeners stay for good and call the hooks of the moment: removing a listener while a
# stopped thread is inside it would change the list of listeners it is going through.
AFTER_COMMIT: list[Callable[[], None]] = []
BEFORE_STATEMENT: list[Callable[[str], None]] = []


@event.listens_for(Session, "after_commit")
def _after_commit(_session: Session) -> None:
    for hook in list(AFTER_COMMIT):
        hook()


def _before_statement(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
    for hook in list(BEFORE_STATEMENT):
        hook(statement)


@contextmanager
def after_commits(thread_name: str, commits: int) -> Iterator[Gate]:
    """Stop the thread of this name right after its n-th committed transaction."""
    gate, seen = Gate(), [0]

    def hook() -> None:
        if threading.current_thread().name == thread_name:
            seen[0] += 1
            if seen[0] == commits:
                gate.stop_here()

    AFTER_COMMIT.append(hook)
    try:
        yield gate
    finally:
        AFTER_COMMIT.remove(hook)
        gate.go.set()


@contextmanager
def before_statement(app, thread_name: str, fragment: str) -> Iterator[Gate]:
    """Stop the thread of this name before the first statement that contains a fragment."""
    gate = Gate()

    def hook(statement: str) -> None:
        here = threading.current_thread().name == thread_name and fragment in statement
        if here and not gate.reached.is_set():
            gate.stop_here()

    event.listen(database(app).engine, "before_cursor_execute", _before_statement)
    BEFORE_STATEMENT.append(hook)
    try:
        yield gate
    finally:
        BEFORE_STATEMENT.remove(hook)
        gate.go.set()


def join_runs(draft_id: int, but: threading.Thread | None = None) -> None:
    """Wait for the import threads of a draft (all but one) to end."""
    for thread in threading.enumerate():
        if thread.name == f"import-{draft_id}" and thread is not but:
            thread.join(WAIT)
            assert not thread.is_alive()


@pytest.fixture
def other_process(database_url, user) -> Iterator[Callable[..., Any]]:
    """Another app on the same database, as another process would be, with a short busy
    timeout: a write that has to wait for the write lock fails within a second."""
    made = []

    def make() -> Any:
        app = create_app(make_config(database_url, SQLITE_BUSY_TIMEOUT_MS=1000))
        made.append(app)
        return app

    yield make
    for app in made:
        database(app).engine.dispose()


def write_elsewhere(app, user, name: str) -> None:
    """A write of another request, which must not wait for the import or the export."""
    with write_transaction(app) as session:
        create_contact(session, user.id, ContactData(family_name=name), datetime.now(UTC).date())


def test_progress_lives_in_the_row_and_any_process_shows_it(signed_in, app, user, other_process):
    draft_id = upload(signed_in, cards(CARDS))
    other = other_process()
    elsewhere = other.test_client()
    log_in(elsewhere, user)
    with after_commits(f"import-{draft_id}", 2) as gate:  # the tags, then the first batch
        confirmed = signed_in.post(f"/import/{draft_id}/confirm", data={"duplicates": "merge"})
        assert confirmed.status_code == 302
        gate.wait()
        page = elsewhere.get(f"/import/{draft_id}").get_data(as_text=True)
        assert "Importing…" in page and f"{BATCH} of {CARDS} contacts" in page
        running = job(other, draft_id)
        assert (running.status, running.done_count, running.total_count) == (
            "running",
            BATCH,
            CARDS,
        )
        assert contacts(other) == BATCH  # the batch is committed, and the lock free:
        write_elsewhere(other, user, "割り込み")
        # A running import is no batch yet: it cannot be removed while it grows.
        assert "Remove these contacts" not in elsewhere.get("/import").get_data(as_text=True)
        assert elsewhere.get(f"/import/batches/{running.tag_id}/delete").status_code == 404
    join_runs(draft_id)
    page = elsewhere.get(f"/import/{draft_id}").get_data(as_text=True)
    assert "Import finished" in page and f"{CARDS} new contacts" in page
    assert "Remove these contacts" in elsewhere.get("/import").get_data(as_text=True)
    assert contacts(app) == CARDS + 1
    finished = job(app, draft_id)
    assert finished.status == "done" and finished.done_count == CARDS and finished.data == b""
    with write_transaction(app) as session:
        assert session.scalar(select(func.count()).select_from(import_job_contacts)) == 0
        logged = session.scalars(select(SecurityEvent.kind)).all()
    assert "import" in logged


def test_a_small_import_is_logged_and_done_at_once(signed_in, app):
    draft_id = upload(signed_in, cards(3))
    signed_in.post(f"/import/{draft_id}/confirm", data={"duplicates": "merge"})
    assert job(app, draft_id).status == "done" and contacts(app) == 3
    with write_transaction(app) as session:
        events = session.scalars(select(SecurityEvent).where(SecurityEvent.kind == "import"))
        with app.test_request_context():
            details = [format_log_detail(event.detail) for event in events]
    assert details == ["cards.vcf: 3 new, 0 merged, 0 skipped"]


def age_heartbeat(app, draft_id: int, minutes: int = 120) -> None:
    """Make a run look dead: its heartbeat stopped long ago."""
    with write_transaction(app) as session:
        session.execute(
            update(ImportDraft)
            .where(ImportDraft.id == draft_id)
            .values(heartbeat_at=datetime.now(UTC) - timedelta(minutes=minutes))
        )


def test_a_stopped_heartbeat_is_an_interruption_and_starting_again_removes_what_it_saved(
    signed_in, app
):
    draft_id = upload(signed_in, cards(CARDS))
    with after_commits(f"import-{draft_id}", 2) as gate:
        signed_in.post(f"/import/{draft_id}/confirm", data={"duplicates": "merge"})
        gate.wait()
        # A slow import: its heartbeat is fresh, so it is shown running.
        assert "Importing…" in signed_in.get(f"/import/{draft_id}").get_data(as_text=True)
        # Its process dies (the paused run stands for it): the heartbeat stops.
        age_heartbeat(app, draft_id)
        page = signed_in.get(f"/import/{draft_id}").get_data(as_text=True)
        assert "interrupted before the end" in page and "Import again" in page
        assert contacts(app) == BATCH  # a page (a GET) changes nothing
        signed_in.post(f"/import/{draft_id}/confirm", data={"duplicates": "merge"})
        join_runs(draft_id, but=gate.thread)
        assert job(app, draft_id).status == "done" and contacts(app) == CARDS
    # The dead run wakes up: it no longer owns the import, and writes nothing.
    assert gate.thread is not None
    gate.thread.join(WAIT)
    assert contacts(app) == CARDS and job(app, draft_id).status == "done"
    page = signed_in.get(f"/import/{draft_id}").get_data(as_text=True)
    assert "Import finished" in page and f"{CARDS} new contacts" in page


def test_purge_trash_removes_what_an_interrupted_import_saved(signed_in, app, runner):
    draft_id = upload(signed_in, cards(CARDS, tag="新しいタグ"))
    with after_commits(f"import-{draft_id}", 2) as gate:
        signed_in.post(f"/import/{draft_id}/confirm", data={"duplicates": "merge"})
        gate.wait()
        assert contacts(app) == BATCH
        age_heartbeat(app, draft_id)
        result = runner.invoke(args=["purge-trash"])
        assert "Removed what 1 interrupted imports had saved." in result.output
        assert contacts(app) == 0
        with write_transaction(app) as session:
            assert session.scalars(select(Tag.name)).all() == []  # its tags went too
        interrupted = job(app, draft_id)
        assert interrupted.status == "failed" and "interrupted" in interrupted.error
    assert gate.thread is not None
    gate.thread.join(WAIT)
    assert contacts(app) == 0
    page = signed_in.get(f"/import/{draft_id}").get_data(as_text=True)
    assert "server running it stopped" in page and "Nothing of it was saved." in page


def test_a_failing_import_removes_what_it_saved(signed_in, app, make_contact):
    kept = make_contact(family_name="残る")
    draft_id = upload(signed_in, cards(CARDS, tag="新しいタグ"))
    with after_commits(f"import-{draft_id}", 2) as gate:
        signed_in.post(f"/import/{draft_id}/confirm", data={"duplicates": "merge"})
        gate.wait()
        # Someone deletes the import's batch tag meanwhile: the next batch cannot link to it.
        batch_tag = job(app, draft_id).tag_id
        with write_transaction(app) as session:
            session.delete(session.get(Tag, batch_tag))
    join_runs(draft_id)
    failed = job(app, draft_id)
    assert failed.status == "failed" and failed.error
    with write_transaction(app) as session:
        assert [c.id for c in session.scalars(select(Contact))] == [kept.id]
        assert session.scalars(select(Tag.name)).all() == []
    page = signed_in.get(f"/import/{draft_id}").get_data(as_text=True)
    assert "error on the server" in page and "Nothing of it was saved." in page


def test_one_import_at_a_time_per_account(signed_in, app, make_user):
    first = upload(signed_in, cards(CARDS))
    second = upload(signed_in, cards(5, first=CARDS))
    with after_commits(f"import-{first}", 2) as gate:
        signed_in.post(f"/import/{first}/confirm", data={"duplicates": "merge"})
        gate.wait()
        refused = signed_in.post(f"/import/{second}/confirm", data={"duplicates": "merge"})
        assert refused.location.endswith(f"/import/{second}")
        page = signed_in.get(refused.location).get_data(as_text=True)
        assert "Another import is running in your account" in page
        assert f'href="/import/{first}"' in page and "See its progress" in page
        assert job(app, second).status == "previewed"
        assert f'href="/import/{first}"' in signed_in.get("/import").get_data(as_text=True)
    join_runs(first)
    signed_in.post(f"/import/{second}/confirm", data={"duplicates": "merge"})
    assert job(app, second).status == "done" and contacts(app) == CARDS + 5


def test_the_database_holds_one_running_import_per_account(app, user, make_user):
    def running(owner) -> dict[str, Any]:
        return {"user_id": owner.id, "data": b"", "status": "running"}

    other = make_user()
    with write_transaction(app) as session:
        session.execute(insert(ImportDraft), [running(user), running(other)])
    with pytest.raises(IntegrityError), write_transaction(app) as session:
        session.execute(insert(ImportDraft), [running(user)])


def test_reading_the_upload_does_not_hold_the_write_lock(signed_in, app, user, other_process):
    other = other_process()
    outcome: dict[str, Any] = {}

    def upload_in_thread() -> None:
        outcome["draft"] = upload(signed_in, cards(50))

    thread = threading.Thread(target=upload_in_thread, name="uploading")
    with before_statement(app, "uploading", "FROM contact_methods") as gate:
        thread.start()
        gate.wait()  # matching the file against the account
        write_elsewhere(other, user, "読み込み中に")
    thread.join(WAIT)
    assert job(app, outcome["draft"]).status == "previewed"


@pytest.mark.parametrize("fmt", ["json", "csv", "vcf"])
def test_an_export_never_holds_the_write_lock(signed_in, app, user, other_process, fmt):
    for n in range(3):
        write_elsewhere(app, user, f"書出{n}")
    other = other_process()
    outcome: dict[str, Any] = {}

    def export_in_thread() -> None:
        outcome["response"] = signed_in.post("/export", data={"format": fmt, "password": PASSWORD})

    thread = threading.Thread(target=export_in_thread, name="exporting")
    with before_statement(app, "exporting", "FROM contact_methods") as gate:
        thread.start()
        gate.wait()  # in the middle of reading the account
        write_elsewhere(other, user, "書出中に")
    thread.join(WAIT)
    response = outcome["response"]
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    # One snapshot: the contact written during the export is not in it.
    assert "書出0" in body and "書出中に" not in body
    if fmt == "json":
        assert len(json.loads(body)["contacts"]) == 3


def test_an_import_batch_of_the_command_line_is_a_job_too(runner, app, user, tmp_path):
    path = tmp_path / "cards.vcf"
    path.write_bytes(cards(1_200))
    result = runner.invoke(args=["import", str(path), "--user", user.email])
    assert result.exit_code == 0, result.output
    assert re.search(r"Imported: 1200 created, 0 merged, 0 skipped", result.output)
    with write_transaction(app) as session:
        (draft,) = session.scalars(select(ImportDraft)).all()
        assert (draft.status, draft.done_count, draft.total_count) == ("done", 1200, 1200)
    assert contacts(app) == 1_200
