"""No signed-in user can block the others' writes (issue 15, finding 3).

A request reads, parses and validates in a read transaction; it takes SQLite's write lock
only for its writes. So a slow upload, an export or a password hash never holds the lock,
and another account's login goes through meanwhile. A database that stays locked past the
timeout is a 503 with Retry-After that says nothing was saved, never a 500.
"""

import sqlite3
import threading
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import PASSWORD, log_in, make_config, sqlite_only, upload_import
from tests.live import LiveServer
from tests.test_durability import Browser, multipart
from tracker import create_app
from tracker.db import WriteOutsideWriteTransaction, database, write_transaction
from tracker.models import Contact, Event, SecurityEvent

# A vCard whose one note runs on for two megabytes of folded continuation lines: what made
# the old reader take seconds per megabyte (whatever the reader's speed now, the test holds).
PATHOLOGICAL = (
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:\xe9\x95\xb7\xe6\x96\x87;;;;\r\nNOTE:x"
    + b"\r\n a" * (2 * 1024 * 1024 // 4)
    + b"\r\nEND:VCARD\r\n"
)


@pytest.fixture
def live_app(database_url):
    # A short busy timeout: a login that had to wait for the lock would fail, not wait long.
    app = create_app(make_config(database_url, SQLITE_BUSY_TIMEOUT_MS=3_000))
    yield app
    database(app).engine.dispose()


@sqlite_only
def test_a_write_in_a_read_transaction_is_refused(app, user):
    """A transaction that began as a read and then writes fails under load: never allowed."""
    with database(app).sessionmaker() as session:
        session.scalar(select(func.count()).select_from(Contact))
        session.add(Event(user_id=user.id, name="会"))
        with pytest.raises(WriteOutsideWriteTransaction):
            session.flush()


@pytest.mark.slow
def test_another_accounts_login_goes_through_while_a_2_mb_upload_is_parsed(
    live_app, make_user, monkeypatch
):
    from tracker.views import transfer

    uploader, other = make_user(email="uploader@example.jp"), make_user(email="other@example.jp")
    assert len(PATHOLOGICAL) > 2 * 1024 * 1024
    real_plan = transfer.plan
    parsing, login_done = threading.Event(), threading.Event()

    def plan_after_the_login(*args, **kwargs):
        # The upload is inside its request, signed in and past its checks: hold it here until
        # the other account's login has been answered, then parse for real.
        parsing.set()
        login_done.wait(timeout=60)
        return real_plan(*args, **kwargs)

    monkeypatch.setattr(transfer, "plan", plan_after_the_login)
    statuses: Counter[int] = Counter()
    with LiveServer(live_app, threads=4) as server:
        up = Browser(server.port)
        up.post_form("/login", [("email", uploader.email), ("password", PASSWORD)])
        result: dict[str, int] = {}

        def send_upload() -> None:
            body, content_type = multipart(PATHOLOGICAL)
            result["status"], _, _ = up.request("POST", "/import", body, content_type)

        thread = threading.Thread(target=send_upload)
        thread.start()
        assert parsing.wait(timeout=60), "the upload never reached the parser"
        try:
            status, _, _ = Browser(server.port).post_form(
                "/login", [("email", other.email), ("password", PASSWORD)]
            )
        finally:
            login_done.set()
        assert status == 302  # signed in, while the upload was being processed
        # And logins keep going through for as long as the real parse runs.
        while thread.is_alive():
            status, _, _ = Browser(server.port).post_form(
                "/login", [("email", other.email), ("password", PASSWORD)]
            )
            statuses[status] += 1
        thread.join()
    print(f"\nlogins during the parse itself: {dict(statuses)}")
    assert all(code < 500 for code in statuses)
    assert result["status"] < 500


def _lock_is_free(db_path: Path) -> bool:
    """Whether another connection could take the write lock right now."""
    connection = sqlite3.connect(db_path, timeout=0, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        connection.close()


@sqlite_only
@pytest.mark.parametrize(
    "slow_work", ["upload parse", "export", "password hash", "new password hash"]
)
def test_the_write_lock_is_free_during_slow_work(
    slow_work, app, db_path, user, client, make_contact, monkeypatch
):
    from tracker.views import auth as auth_views
    from tracker.views import settings as settings_views
    from tracker.views import transfer

    make_contact(family_name="山田")
    seen: list[bool] = []

    def watching(real):
        def wrapper(*args, **kwargs):
            seen.append(_lock_is_free(db_path))
            return real(*args, **kwargs)

        return wrapper

    if slow_work == "upload parse":
        monkeypatch.setattr(transfer, "plan", watching(transfer.plan))
        log_in(client, user)
        response = upload_import(client, b"BEGIN:VCARD\r\nN:a;;;;\r\nEND:VCARD\r\n", "a.vcf")
    elif slow_work == "export":
        monkeypatch.setattr(transfer.exports, "backup_json", watching(transfer.exports.backup_json))
        log_in(client, user)
        response = client.post("/export", data={"format": "json", "password": PASSWORD})
    elif slow_work == "password hash":
        monkeypatch.setattr(
            auth_views, "check_password_hash", watching(auth_views.check_password_hash)
        )
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    else:
        monkeypatch.setattr(
            settings_views,
            "generate_password_hash",
            watching(settings_views.generate_password_hash),
        )
        log_in(client, user)
        new = "a brand new passphrase"
        response = client.post(
            "/settings/password", data={"current": PASSWORD, "new": new, "confirm": new}
        )
    assert response.status_code in (200, 302)
    assert seen == [True], f"the write lock was held during the {slow_work}"


@sqlite_only
def test_a_database_locked_past_the_timeout_is_a_503_that_says_nothing_was_saved(
    database_url, user
):
    app = create_app(make_config(database_url, SQLITE_BUSY_TIMEOUT_MS=200))
    client = app.test_client()
    log_in(client, user)
    holder = sqlite3.connect(database_url, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        response = client.post(
            "/cards/new", data={"family_name": "保存されない", "met_on": "2026-11-01", "save": "1"}
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert "Nothing was saved" in page and response.headers["X-Request-Id"] in page
    with write_transaction(app) as session:
        assert session.scalar(select(func.count()).select_from(Contact)) == 0
        assert session.scalar(select(func.count()).select_from(SecurityEvent)) == 0
    # Once the lock is free, the same form saves.
    response = client.post(
        "/cards/new", data={"family_name": "保存される", "met_on": "2026-11-01", "save": "1"}
    )
    assert response.status_code == 302
    database(app).engine.dispose()


@sqlite_only
def test_reads_go_on_while_another_connection_holds_the_write_lock(database_url, user):
    """Pages, and the checks before a write (here a form with an error), need no lock."""
    app = create_app(make_config(database_url, SQLITE_BUSY_TIMEOUT_MS=200))
    client = app.test_client()
    log_in(client, user)
    holder = sqlite3.connect(database_url, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        assert client.get("/contacts").status_code == 200
        refused = client.post(
            "/cards/new", data={"family_name": "", "met_on": str(date(2026, 11, 1)), "save": "1"}
        )
        assert refused.status_code == 200  # the form's own error, no lock needed
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    database(app).engine.dispose()
