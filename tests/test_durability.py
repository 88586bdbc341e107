"""Writes under load, crashes and backups: nothing acknowledged is lost, nothing half-done.

- 16 threads × 60 touchpoint POSTs through waitress against SQLite.
- kill -9 of the server 20 times in the middle of a large import (written in batches).
- an online backup taken while another thread writes.
"""

import http.client
import os
import random
import re
import selectors
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import PASSWORD, TODAY, make_config, sqlite_only
from tests.live import LiveServer
from tracker import create_app
from tracker.db import database, write_transaction
from tracker.models import Contact, ImportDraft, Touchpoint, User
from tracker.services.derived import recompute_user
from tracker.services.import_jobs import recover_interrupted
from tracker.services.touchpoints import TouchpointData, create_touchpoint

ROOT = Path(__file__).resolve().parent.parent


class Browser:
    """A tiny HTTP client that keeps one cookie jar (enough for a signed session)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: bytes | None = None, content_type: str | None = None
    ) -> tuple[int, str, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if content_type:
            headers["Content-Type"] = content_type
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        location = response.getheader("Location") or ""
        connection.close()
        return response.status, text, location

    def post_form(self, path: str, fields: list[tuple[str, str]]) -> tuple[int, str, str]:
        return self.request(
            "POST",
            path,
            urllib.parse.urlencode(fields).encode(),
            "application/x-www-form-urlencoded",
        )

    def token(self, path: str = "/cards/new") -> str:
        _status, page, _ = self.request("GET", path)
        found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
        assert found is not None, path
        return found.group(1)

    def log_in(self, email: str) -> None:
        token = self.token("/login")
        status, _, _ = self.post_form(
            "/login", [("csrf_token", token), ("email", email), ("password", PASSWORD)]
        )
        assert status == 302


@pytest.fixture
def csrf_app(database_url):
    # 16 writers queue for SQLite's lock, and SQLite's busy wait is not fair: on a machine
    # busy with other work one of them can wait past the app's 15 s. This test is about
    # losing nothing, not about waiting times (make bench measures those).
    config = make_config(database_url, WTF_CSRF_ENABLED=True, SQLITE_BUSY_TIMEOUT_MS=120_000)
    app = create_app(config)
    yield app
    database(app).engine.dispose()


@pytest.mark.slow
def test_sixteen_threads_of_touchpoint_posts(csrf_app, password_hash):
    app = csrf_app
    with write_transaction(app) as session:
        user = User(email="load@example.jp", password_hash=password_hash)
        session.add(user)
    from tracker.services.contacts import ContactData, create_contact

    with write_transaction(app) as session:
        contacts = [
            create_contact(session, user.id, ContactData(family_name=f"人{i}"), TODAY).id
            for i in range(10)
        ]
    threads, per_thread = 16, 60
    statuses: Counter[int] = Counter()
    posted: list[tuple[int, int]] = []
    lock = threading.Lock()
    with LiveServer(app, threads=16) as server:
        browser = Browser(server.port)
        browser.log_in(user.email)
        token = browser.token("/touchpoints/new")

        def worker(number: int) -> None:
            mine = Browser(server.port)
            mine.cookies = dict(browser.cookies)
            rng = random.Random(number)
            for i in range(per_thread):
                contact_id = contacts[(number + i) % len(contacts)]
                back = rng.randrange(0, 400)
                status, _, _ = mine.post_form(
                    "/touchpoints/new",
                    [
                        ("csrf_token", token),
                        ("contacts", str(contact_id)),
                        ("kind", "meeting"),
                        ("occurred_on", (TODAY - timedelta(days=back)).isoformat()),
                        ("summary", f"t{number}-{i}"),
                        ("save", "1"),
                    ],
                )
                with lock:
                    statuses[status // 100 * 100] += 1
                    if status == 302:
                        posted.append((contact_id, back))

        pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
        started = time.monotonic()
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()
        elapsed = time.monotonic() - started
    print(f"\n{threads * per_thread} touchpoint POSTs in {elapsed:.1f}s: {dict(statuses)}")
    assert statuses == Counter({300: threads * per_thread})
    with write_transaction(app) as session:
        assert session.scalar(select(func.count()).select_from(Touchpoint)) == threads * per_thread
        stored = {
            c.id: (c.last_touch_on, c.next_due_on, c.strength_level)
            for c in session.scalars(select(Contact))
        }
        recompute_user(session, user.id, TODAY)
        session.flush()
        rebuilt = {
            c.id: (c.last_touch_on, c.next_due_on, c.strength_level)
            for c in session.scalars(select(Contact))
        }
    assert stored == rebuilt
    newest = {cid: min(back for c, back in posted if c == cid) for cid in contacts}
    assert {cid: stored[cid][0] for cid in contacts} == {
        cid: TODAY - timedelta(days=b) for cid, b in newest.items()
    }


SERVER = """
import sys
from waitress import create_server
from tracker import create_app
server = create_server(create_app(), host="127.0.0.1", port=0, threads=4)
print(server.effective_port, flush=True)
server.run()
"""


def start_server(db: Path | str) -> tuple[subprocess.Popen[bytes], int]:
    """Serve the app from a subprocess (as `make run` does) on a SQLite file or a URL.

    The server binds port 0 and says which port it got: a port chosen here and handed over
    could be taken meanwhile by a parallel test.
    """
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}" if isinstance(db, Path) else db,
        "SECRET_KEY": "crash-test-secret",
        "FLASK_WTF_CSRF_ENABLED": "false",
    }
    process = subprocess.Popen(
        [sys.executable, "-c", SERVER],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert process.stdout is not None
    with process.stdout, selectors.DefaultSelector() as waiting:
        waiting.register(process.stdout, selectors.EVENT_READ)
        line = process.stdout.readline() if waiting.select(timeout=30) else b""
    if not line.strip().isdigit():
        process.kill()
        process.wait()
        raise RuntimeError("the server did not start")
    return process, int(line)


def vcards(count: int, run: int) -> bytes:
    return "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nN:試{run}_{n};太郎;;;\r\nORG:会社{n}\r\n"
        f"EMAIL:r{run}n{n}@example.jp\r\nTEL:090{run:02d}{n:06d}\r\nEND:VCARD\r\n"
        for n in range(count)
    ).encode()


def multipart(data: bytes) -> tuple[bytes, str]:
    boundary = "jinmyakuboundary7"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="c.vcf"\r\n'
            "Content-Type: text/vcard\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


@pytest.mark.slow
def test_kill_minus_nine_in_the_middle_of_imports(db_path, password_hash):
    """An import writes in batches, each committed on its own; killed at any moment, it is
    all or nothing once what it saved is removed (as the account's next import, its "Import
    again" or `flask purge-trash` does), and its row counts exactly what it had saved."""
    with sqlite3.connect(db_path) as connection:
        connection.execute(
            "INSERT INTO users (email, password_hash, display_name, time_zone, created_at) "
            "VALUES ('crash@example.jp', ?, '', 'Asia/Tokyo', '2026-01-01')",
            (password_hash,),
        )
    checker = create_app(make_config(db_path))
    rng = random.Random(7)
    acknowledged: list[str] = []
    outcomes: Counter[str] = Counter()
    runs, size = 20, 2000  # two batches of writes each
    for run in range(runs):
        server, port = start_server(db_path)
        try:
            browser = Browser(port)
            status, _, _ = browser.post_form(
                "/login", [("email", "crash@example.jp"), ("password", PASSWORD)]
            )
            assert status == 302
            name = f"確認{run}"
            status, _, _ = browser.post_form(
                "/cards/new", [("family_name", name), ("met_on", "2026-11-01"), ("save", "1")]
            )
            assert status == 302
            acknowledged.append(name)
            body, content_type = multipart(vcards(size, run))
            status, _, draft = browser.request("POST", "/import", body, content_type)
            assert status == 302, status
            path = urllib.parse.urlsplit(draft).path
            status, _, _ = browser.post_form(path + "/confirm", [("duplicates", "merge")])
            assert status == 302
            time.sleep(rng.uniform(0.0, 1.2))
        finally:
            server.send_signal(signal.SIGKILL)
            server.wait()
        draft_id = int(path.rsplit("/", 1)[1])
        with sqlite3.connect(db_path) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        job, saved = _import_state(checker, draft_id, f"試{run}_")
        if job.status == "running":  # the row counts exactly what the killed run committed
            assert saved == job.done_count, f"run {run}: {saved} saved, {job.done_count} counted"
        else:
            assert job.status == "done" and saved == size, f"run {run}: {job.status}, {saved}"
        with write_transaction(checker) as session:
            # The server is dead: no need to wait for its heartbeat to go stale.
            recover_interrupted(session, datetime.now(UTC), timedelta(0))
        job, imported = _import_state(checker, draft_id, f"試{run}_")
        assert imported in (0, size), f"run {run}: {imported} of {size} imported"
        if job.status == "done":
            outcomes["whole"] += 1
        else:
            assert job.status == "failed" and imported == 0
            outcomes["partly, then removed" if saved else "none"] += 1
        with sqlite3.connect(db_path) as connection:
            present = {
                row[0]
                for row in connection.execute(
                    "SELECT family_name FROM contacts WHERE family_name LIKE '確認%'"
                )
            }
        assert set(acknowledged) <= present
    database(checker).engine.dispose()
    print(
        f"\n{runs} crash runs: {dict(outcomes)}, {len(acknowledged)} acknowledged writes all kept"
    )
    assert outcomes["whole"] < runs  # at least one kill landed before the import was done


def _import_state(app, draft_id: int, prefix: str) -> tuple[ImportDraft, int]:
    """An import's row, and how many contacts of its file are in the database."""
    with write_transaction(app) as session:
        job = session.get(ImportDraft, draft_id)
        assert job is not None
        saved = session.scalar(
            select(func.count()).where(func.substr(Contact.family_name, 1, len(prefix)) == prefix)
        )
    return job, saved or 0


@sqlite_only
def test_an_online_backup_under_write_load(app, runner, user, make_contact, tmp_path):
    people = [make_contact(family_name=f"人{i}") for i in range(5)]
    stop = threading.Event()
    written: Counter[str] = Counter()

    def writer() -> None:
        n = 0
        while not stop.is_set():
            with write_transaction(app) as session:
                data = TouchpointData(
                    occurred_on=TODAY - timedelta(days=n % 300),
                    kind="call",
                    contact_ids=[people[n % 5].id],
                )
                create_touchpoint(session, user.id, data, TODAY)
            written["touchpoints"] += 1
            n += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        time.sleep(0.3)
        target = tmp_path / "copy.sqlite3"
        result = runner.invoke(args=["backup", str(target)])
        time.sleep(0.2)
    finally:
        stop.set()
        thread.join()
    assert result.exit_code == 0, result.output
    assert "integrity check: ok" in result.output
    with sqlite3.connect(target) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        copied = connection.execute("SELECT count(*) FROM touchpoints").fetchone()[0]
    assert 0 < copied <= written["touchpoints"]
    restored = create_app(make_config(target))
    client = restored.test_client()
    from tests.conftest import log_in

    log_in(client, user)
    assert client.get("/contacts").status_code == 200
    assert runner.invoke(args=["backup", str(target)]).exit_code != 0  # never overwrites
    database(restored).engine.dispose()
