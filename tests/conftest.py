"""Fixtures: a fresh migrated database per test, clients, a signed-in user, factories.

The suite runs in parallel (pytest-xdist, `make test`): every test has its own database
(a SQLite file in the worker's own temporary directory, or a PostgreSQL database named
after the worker), servers bind port 0, and nothing is written to a shared place.
"""

import importlib.util
import io
import os
import secrets
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from hypothesis import HealthCheck, settings
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from tracker import create_app
from tracker.auth import SEEN_KEY, TOKEN_KEY, token_hash
from tracker.cli import upgrade
from tracker.db import database, write_transaction
from tracker.models import Contact, Event, User, UserSession
from tracker.services.contacts import ContactData, MethodData, create_contact
from tracker.services.events import EventData, create_event
from tracker.services.touchpoints import TouchpointData, create_touchpoint

PASSWORD = "correct horse battery"
# Tests run on a fixed day, so that warmth, due dates and windows never depend on the clock.
TODAY = date(2026, 11, 27)
# Password hashes in tests cost 1,000 PBKDF2 rounds instead of 600,000: the cost is a setting,
# and at full cost the suite's sign-ins alone took 40 s of CPU. The default cost is tested
# where it is set (tests/test_auth.py, tests/test_cli.py).
HASH_METHOD = "pbkdf2:sha256:1000"


# PostgreSQL runs the suite when this points at a server (make test-postgres sets it).
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
ON_POSTGRES = TEST_DATABASE_URL.startswith("postgres")
sqlite_only = pytest.mark.skipif(ON_POSTGRES, reason="exercises SQLite itself")
# Hypothesis's deadline and its too_slow health check time each example: wall-clock checks
# that fail on a busy machine, not on a bug. Speed is measured by make bench instead.
settings.register_profile("suite", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("suite")

# The pytest-xdist worker ("gw0", "gw1", …), in the names of its PostgreSQL databases.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
ROOT = Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the slow tests first, so that the parallel workers finish at about the same time."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say how many browser tests ran, so a CI log shows they were not skipped.

    Here rather than in tests/browser/conftest.py: under xdist the main process collects
    nothing, so only this conftest's hooks run where the summary is written.
    """
    outcomes = {}
    for outcome in ("passed", "failed", "error", "skipped"):
        reports = terminalreporter.stats.get(outcome, [])
        count = sum(
            1
            for report in reports
            if "browser" in getattr(report, "keywords", {}) and report.when in ("call", "setup")
        )
        if count:
            outcomes[outcome] = count
    if outcomes:
        summary = ", ".join(f"{count} {outcome}" for outcome, count in outcomes.items())
        terminalreporter.write_line(f"browser tests (Chromium): {summary}")


Row = TypeVar("Row")


def stored(session: Session, model: type[Row], ident: Any) -> Row:
    """The row of this model and id, which the test knows is there (so never None)."""
    row = session.get(model, ident)
    assert row is not None, f"{model} {ident} is not in the database"
    return row


def make_config(database: Path | str, **overrides: Any) -> dict[str, Any]:
    """A test app's config; ``database`` is a SQLite file or a database URL."""
    url = f"sqlite:///{database}" if isinstance(database, Path) else database
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "DATABASE_URL": url,
        "WTF_CSRF_ENABLED": False,
        "TODAY": TODAY.isoformat(),
        "PASSWORD_HASH_METHOD": HASH_METHOD,
        **overrides,
    }


def _postgres_admin() -> Any:
    import psycopg

    return psycopg.connect(TEST_DATABASE_URL.replace("+psycopg", ""), autocommit=True)


def _postgres_url(name: str) -> str:
    base, _, _old = TEST_DATABASE_URL.rpartition("/")
    return f"{base}/{name}"


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path | str:
    """A database migrated to the newest revision once; each test gets a copy of it
    (a file copy on SQLite, a CREATE DATABASE … TEMPLATE on PostgreSQL)."""
    if ON_POSTGRES:
        name = f"jinmyaku_template_{WORKER}_{os.getpid()}"
        with _postgres_admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
        app = create_app(make_config(_postgres_url(name)))
        upgrade(app)
        database(app).engine.dispose()
        return name
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    app = create_app(make_config(path))
    upgrade(app)
    database(app).engine.dispose()
    return path


@pytest.fixture
def fresh_database(
    tmp_path: Path, migrated_template: Path | str
) -> Iterator[Callable[[], Path | str]]:
    """Make new migrated databases: a SQLite file path, or a PostgreSQL URL."""
    made: list[str] = []
    counter = iter(range(1_000))

    def make() -> Path | str:
        number = next(counter)
        if ON_POSTGRES:
            name = f"jt_{WORKER}_{os.getpid()}_{uuid.uuid4().hex[:12]}"
            with _postgres_admin() as admin:
                admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{migrated_template}"')
            made.append(name)
            return _postgres_url(name)
        path = tmp_path / f"jinmyaku{number or ''}.sqlite3"
        shutil.copyfile(migrated_template, path)
        return path

    yield make
    if made:
        with _postgres_admin() as admin:
            for name in made:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def password_hash() -> str:
    return generate_password_hash(PASSWORD, method=HASH_METHOD)


@pytest.fixture
def database_url(fresh_database: Callable[[], Path | str]) -> Path | str:
    """This test's own migrated database."""
    return fresh_database()


@pytest.fixture
def db_path(database_url: Path | str) -> Path:
    """This test's SQLite file, for the tests about SQLite itself."""
    if not isinstance(database_url, Path):
        pytest.skip("exercises SQLite itself")
    return database_url


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Overrides a test module may set for its app."""
    return {}


class _MemoryBytecodeCache(BytecodeCache):
    """Compiled templates shared by the tests' apps (keyed by the template's source): every
    test has a new app, which would otherwise compile every template it renders again."""

    def __init__(self) -> None:
        self.codes: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.codes:
            bucket.bytecode_from_string(self.codes[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.codes[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CACHE = _MemoryBytecodeCache()


def share_compiled_templates(app: Flask) -> None:
    app.jinja_env.bytecode_cache = TEMPLATE_CACHE


@pytest.fixture
def app(database_url: Path | str, app_config: dict[str, Any]) -> Iterator[Flask]:
    app = create_app(make_config(database_url, **app_config))
    share_compiled_templates(app)
    yield app
    database(app).engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def make_user(app: Flask, password_hash: str) -> Callable[..., User]:
    counter = iter(range(1, 10_000))

    def make(**overrides: Any) -> User:
        n = next(counter)
        values = {
            "email": f"user{n}@example.jp",
            "password_hash": password_hash,
            "display_name": f"User {n}",
            "language": "en",
            "time_zone": "Asia/Tokyo",
            **overrides,
        }
        with write_transaction(app) as session:
            user = User(**values)
            session.add(user)
        return user

    return make


@pytest.fixture
def user(make_user: Callable[..., User]) -> User:
    return make_user()


def log_in(client: FlaskClient, user: User) -> None:
    """Sign a test client in as a user, as tracker.auth.start_session would."""
    token = secrets.token_urlsafe(32)
    with write_transaction(client.application) as db:
        db.add(
            UserSession(
                user_id=user.id,
                token_hash=token_hash(token),
                expires_at=datetime.now(UTC) + timedelta(days=1),
            )
        )
    with client.session_transaction() as session:
        session.clear()
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
        session[TOKEN_KEY] = token
        session[SEEN_KEY] = int(time.time())


def upload_import(client: FlaskClient, data: bytes | str, name: str = "contacts.vcf") -> Any:
    """Send a contacts file to /import as the page's form does; the response redirects to
    the import's preview."""
    raw = data.encode() if isinstance(data, str) else data
    return client.post(
        "/import", data={"file": (io.BytesIO(raw), name)}, content_type="multipart/form-data"
    )


@pytest.fixture
def signed_in(client: FlaskClient, user: User) -> FlaskClient:
    log_in(client, user)
    return client


@pytest.fixture
def make_contact(app: Flask, user: User) -> Callable[..., Contact]:
    def make(owner: User | None = None, **overrides: Any) -> Contact:
        owner = owner or user
        methods = overrides.pop("methods", [])
        data = ContactData(**{"family_name": "山田", "given_name": "太郎", **overrides})
        data.methods = [MethodData(**m) for m in methods]
        with write_transaction(app) as session:
            return create_contact(session, owner.id, data, TODAY)

    return make


@pytest.fixture
def make_event(app: Flask, user: User) -> Callable[..., Event]:
    def make(owner: User | None = None, **overrides: Any) -> Event:
        owner = owner or user
        with write_transaction(app) as session:
            return create_event(session, owner.id, EventData(**{"name": "交流会", **overrides}))

    return make


@pytest.fixture
def make_touchpoint(app: Flask, user: User) -> Callable[..., Any]:
    def make(contacts: list[Contact], owner: User | None = None, **overrides: Any) -> Any:
        owner = owner or user
        values = {"occurred_on": date(2026, 11, 1), "kind": "meeting", **overrides}
        data = TouchpointData(contact_ids=[c.id for c in contacts], **values)
        with write_transaction(app) as session:
            return create_touchpoint(session, owner.id, data, TODAY)

    return make


@pytest.fixture
def count_queries(app: Flask) -> Callable[..., int]:
    """Count the SQL statements a callable runs (BEGIN/COMMIT excluded)."""
    from sqlalchemy import event

    def count(action: Callable[[], Any]) -> int:
        statements: list[str] = []

        def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA")):
                statements.append(statement)

        engine = database(app).engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            action()
        finally:
            event.remove(engine, "before_cursor_execute", record)
        return len(statements)

    return count


@pytest.fixture
def make_referral(app: Flask, user: User) -> Callable[..., Any]:
    from tracker.services.referrals import ReferralData, create_referral

    def make(contact: Contact, owner: User | None = None, **overrides: Any) -> Any:
        owner = owner or user
        values = {
            "referred_on": date(2026, 10, 1),
            "direction": "given",
            "subject": "顧問先の社長",
            **overrides,
        }
        with write_transaction(app) as session:
            return create_referral(
                session, owner.id, ReferralData(contact_id=contact.id, **values), TODAY
            )

    return make


def logged_kinds(app: Flask, user_id: int) -> list[str]:
    """The kinds of a user's security log entries, oldest first."""
    from sqlalchemy import select

    from tracker.models import SecurityEvent

    with write_transaction(app) as session:
        return list(
            session.scalars(
                select(SecurityEvent.kind)
                .where(SecurityEvent.user_id == user_id)
                .order_by(SecurityEvent.id)
            )
        )


@pytest.fixture(scope="session")
def bench() -> ModuleType:
    """scripts/bench.py as a module, to test the benchmark's machinery on tiny inputs."""
    spec = importlib.util.spec_from_file_location("bench", ROOT / "scripts" / "bench.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
