"""A firm's deployment, as the README describes it, under load (issue 15, deployment findings).

The test follows the README's steps literally: `make firm` (the venv, the PostgreSQL extra,
the translations, the migrations), `flask create-user`, then gunicorn with the settings in
docs/deploy/. It signs in and saves cards from several threads, kills one app process with
SIGKILL, restarts PostgreSQL, and checks that:

- every write the server acknowledged is in the database;
- the killed process is replaced by a new one, and the app keeps serving;
- while PostgreSQL restarts, requests get the app's 503 (never a 500, never a bare page),
  each logged once, with its request id.

It starts its own PostgreSQL cluster (it must restart it), so it runs with the PostgreSQL
suite only (`make test-postgres`).
"""

import contextlib
import http.client
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import ON_POSTGRES
from tests.test_durability import Browser

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: p.parent.name)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not ON_POSTGRES, reason="the firm's deployment runs on PostgreSQL"),
    pytest.mark.skipif(not PG_BIN, reason="PostgreSQL's server binaries are not installed"),
]


class Cluster:
    """A throwaway PostgreSQL cluster this test can stop and start."""

    def __init__(self) -> None:
        self.bin = PG_BIN[-1]
        # Not under pytest's own folder, which the postgres user cannot enter.
        self.dir = Path(tempfile.mkdtemp(prefix="jinmyaku-pg-"))
        # Only a Unix socket in its own folder: no TCP port to collide with a parallel test.
        self.port = 5432
        self.root = os.geteuid() == 0
        if self.root:  # initdb refuses to run as root: the cluster is the postgres user's
            subprocess.run(["chown", "postgres", str(self.dir)], check=True)

    def run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.root:
            command = ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(f"'{a}'" for a in command)]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def init(self) -> None:
        self.run(
            "initdb",
            "-D",
            f"{self.dir}/data",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "-U",
            "postgres",
        )
        self.start()

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses="
        self.run(
            "pg_ctl",
            "-D",
            f"{self.dir}/data",
            "-l",
            f"{self.dir}/log",
            "-w",
            "-o",
            options,
            "start",
        )

    def restart(self) -> None:
        self.run("pg_ctl", "-D", f"{self.dir}/data", "-m", "fast", "-w", "stop")
        time.sleep(0.5)
        self.start()

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.run("pg_ctl", "-D", f"{self.dir}/data", "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgresql://postgres@/{database}?host={self.dir}&port={self.port}"

    def sql(self, query: str, database: str = "postgres") -> list[tuple[object, ...]]:
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as connection:
            cursor = connection.execute(query)
            return cursor.fetchall() if cursor.description else []


def live_children(pid: int) -> set[int]:
    """The processes whose parent is pid (not zombies)."""
    found = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        state, parent = stat.rsplit(")", 1)[1].split()[:2]
        if int(parent) == pid and state != "Z":
            found.add(int(entry))
    return found


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_the_firm_deployment_keeps_every_acknowledged_write_through_a_kill_and_a_restart(
    tmp_path,
):
    cluster = Cluster()
    cluster.init()
    server = None
    log_path = tmp_path / "gunicorn.log"
    log = log_path.open("wb")
    try:
        cluster.sql("CREATE DATABASE jinmyaku")
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("TEST_DATABASE", "PYTEST", "FLASK_"))
        }
        env.update(
            DATABASE_URL=cluster.url("jinmyaku"),
            SECRET_KEY=uuid.uuid4().hex,
            JINMYAKU_BIND="127.0.0.1:0",  # gunicorn says which port it got
            JINMYAKU_WORKERS="2",
            JINMYAKU_THREADS="4",
        )
        # The README's steps, as written.
        made = subprocess.run(["make", "firm"], cwd=ROOT, env=env, capture_output=True, text=True)
        assert made.returncode == 0, made.stdout + made.stderr
        assert (ROOT / "tracker/translations/ja/LC_MESSAGES/messages.mo").exists()
        assert cluster.sql("SELECT version_num FROM alembic_version", "jinmyaku")
        created = subprocess.run(
            [
                ".venv/bin/flask",
                "--app",
                "app",
                "create-user",
                "firm@example.jp",
                "--password-stdin",
            ],
            cwd=ROOT,
            env=env,
            input="a long firm passphrase\n",
            capture_output=True,
            text=True,
        )
        assert created.returncode == 0, created.stderr
        server = subprocess.Popen(
            [".venv/bin/gunicorn", "--config", "docs/deploy/gunicorn.conf.py", "app:app"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=log,
        )
        port = int(
            wait_for(
                lambda: re.search(rb"Listening at: http://127.0.0.1:(\d+)", log_path.read_bytes()),
                30,
                "gunicorn to listen",
            ).group(1)
        )
        workers = wait_for(
            lambda: len(live_children(server.pid)) == 2 and live_children(server.pid),
            30,
            "two workers",
        )

        def signed_in() -> Browser:
            browser = Browser(port)
            token = wait_for(lambda: _token(browser, "/login"), 30, "the login page")
            status, _, _ = browser.post_form(
                "/login",
                [
                    ("csrf_token", token),
                    ("email", "firm@example.jp"),
                    ("password", "a long firm passphrase"),
                ],
            )
            assert status == 302
            return browser

        first = signed_in()
        token = _token(first, "/cards/new")
        assert token, "no CSRF token on the card form"
        acknowledged: list[str] = []
        statuses: Counter[str] = Counter()
        reads: Counter[str] = Counter()
        request_ids_503: list[str] = []
        lock = threading.Lock()
        stop = threading.Event()

        def load(number: int) -> None:
            browser = Browser(port)
            browser.cookies = dict(first.cookies)
            n = 0
            while not stop.is_set():
                name = f"負荷{number}-{n}"
                n += 1
                try:
                    status, _, _, request_id = _post(browser, token, name)
                except (ConnectionError, http.client.HTTPException, OSError):
                    with lock:
                        statuses["connection lost"] += 1  # in flight when its process died
                    continue
                with lock:
                    statuses[str(status)] += 1
                    if status == 302:
                        acknowledged.append(name)
                    elif status == 503:
                        request_ids_503.append(request_id)
                if n % 3 == 0:  # and pages are read meanwhile
                    try:
                        status, _, _, request_id = _get(browser, "/contacts")
                    except (ConnectionError, http.client.HTTPException, OSError):
                        continue
                    with lock:
                        reads[str(status)] += 1
                        if status == 503:
                            request_ids_503.append(request_id)

        threads = [threading.Thread(target=load, args=(n,)) for n in range(6)]
        for thread in threads:
            thread.start()
        try:
            time.sleep(2)
            victim = sorted(workers)[0]
            os.kill(victim, signal.SIGKILL)
            replaced = wait_for(
                lambda: (
                    (kids := live_children(server.pid))
                    and len(kids) == 2
                    and victim not in kids
                    and kids
                ),
                30,
                "a new worker in place of the killed one",
            )
            time.sleep(1.5)
            served_before_restart = len(acknowledged)
            cluster.restart()
            time.sleep(2.5)
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=60)
        assert server.poll() is None, "the gunicorn master itself died"
        assert len(acknowledged) > served_before_restart, "nothing was saved after the restart"
        # The restart's errors are the app's own 503s, never a 500.
        assert set(statuses) <= {"302", "503", "connection lost"}, statuses
        assert set(reads) <= {"200", "503"}, reads
        saved = {
            row[0]
            for row in cluster.sql(
                "SELECT family_name FROM contacts WHERE family_name LIKE '負荷%'", "jinmyaku"
            )
        }
        missing = set(acknowledged) - saved
        assert not missing, f"{len(missing)} acknowledged writes lost: {sorted(missing)[:5]}"
        status, page, _, _ = _get(first, "/contacts")
        assert status == 200 and "負荷" in page
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        log.close()
        cluster.stop()
    text = log_path.read_text(encoding="utf-8", errors="replace")
    for request_id in request_ids_503:
        assert text.count(f"[{request_id}]") == 1, request_id
    assert " 500 " not in text and "Exception while serving" not in text
    print(
        f"\n{sum(statuses.values())} card POSTs: {dict(statuses)}, {sum(reads.values())} GETs:"
        f" {dict(reads)}; {len(acknowledged)} acknowledged,"
        f" all in the database; worker {victim} killed, replaced by"
        f" {sorted(replaced - workers)}; {len(request_ids_503)} 503s logged once each"
    )


def _request(
    browser: Browser,
    method: str,
    path: str,
    body: bytes | None = None,
    content_type: str | None = None,
):
    connection = http.client.HTTPConnection("127.0.0.1", browser.port, timeout=60)
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in browser.cookies.items())}
    if content_type:
        headers["Content-Type"] = content_type
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        return (
            response.status,
            text,
            response.getheader("Location") or "",
            response.getheader("X-Request-Id") or "",
        )
    finally:
        connection.close()


def _get(browser: Browser, path: str):
    return _request(browser, "GET", path)


def _post(browser: Browser, token: str, name: str):
    from urllib.parse import urlencode

    body = urlencode(
        [("csrf_token", token), ("family_name", name), ("met_on", "2026-11-01"), ("save", "1")]
    ).encode()
    return _request(browser, "POST", "/cards/new", body, "application/x-www-form-urlencoded")


def _token(browser: Browser, path: str) -> str | None:
    try:
        _status, page, _ = browser.request("GET", path)
    except OSError:
        return None
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    return found.group(1) if found else None
