"""The database: declarative base, engine set-up per backend, and one session per request.

SQLite gets foreign keys, WAL and a busy timeout on every connection. Python's sqlite3
module would otherwise start transactions itself, lazily, at the first INSERT; that lets a
read-modify-write lose updates and makes a transaction that began as a read fail with
"database is locked". So the driver is put in autocommit mode and SQLAlchemy's "begin"
event emits the BEGIN: ``BEGIN IMMEDIATE`` (take the write lock now) for write
transactions, a deferred BEGIN for reads. A statement that writes after a read inside a
read transaction is refused (``WriteOutsideWriteTransaction``), so the mistake shows in
tests instead of as "database is locked" under load.

A request reads in a read transaction: signing in, parsing and validating what was sent,
loading what the page needs. Only when a view is about to write does it call
``write_session()``, which ends the reads and takes the write lock, so the lock is held
for the writes alone and never while an upload is parsed or a password hashed.
"""

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import Connection, Engine, MetaData, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Requests that only read; PROPFIND and REPORT are how CardDAV clients read.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PROPFIND", "REPORT"})
# Made by migrations alone, not by the models: the search index of 0006 (and the FTS5
# table's shadow tables) and 0007's index on an expression, which SQLite cannot reflect.
# Autogenerate and the schema test leave them alone.
OUTSIDE_MODELS = ("contacts_search", "ix_contacts_search_key_trgm", "ix_contacts_user_id_met_on")
WRITE_OPTION = "jinmyaku_write"
# A write transaction that commits marks the session, so an error page can tell the truth
# about whether anything was saved.
SAVED_KEY = "jinmyaku_saved"
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
_READ_KEY = "jinmyaku_has_read"


class WriteOutsideWriteTransaction(RuntimeError):
    """A statement that writes, sent in a transaction that began as a read (a bug)."""


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def include_object(_object: Any, name: str | None, _type: str, _reflected: bool, _to: Any) -> bool:
    """Alembic's filter: everything but what migrations make outside the models."""
    return not (name or "").startswith(OUTSIDE_MODELS)


def normalise_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs that name no driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str, *, busy_timeout_ms: int = 15_000, echo: bool = False) -> Engine:
    """Create an engine with the per-connection settings this app relies on."""
    url = normalise_url(url)
    if not url.startswith("sqlite"):
        return create_engine(url, echo=echo, pool_pre_ping=True)

    engine = create_engine(url, echo=echo, connect_args={"timeout": busy_timeout_ms / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        write = connection.get_execution_options().get(WRITE_OPTION)
        connection.info[_READ_KEY] = False
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    @event.listens_for(engine, "before_cursor_execute")
    def _writes_only_in_write_transactions(
        connection: Any, _cursor: Any, statement: str, *_args: Any
    ) -> None:
        # A deferred transaction that has read and then writes fails under concurrency
        # (its snapshot is stale once another write commits): refuse it always.
        if connection.get_execution_options().get(WRITE_OPTION) or not connection.in_transaction():
            return
        head = statement.lstrip()[:7].upper()
        if head.startswith(_WRITES) and connection.info.get(_READ_KEY):
            raise WriteOutsideWriteTransaction(
                "a write after a read in a read transaction: begin the transaction with "
                "write_session() or begin_write()"
            )
        if head.startswith(("SELECT", "WITH")):
            connection.info[_READ_KEY] = True

    return engine


class Database:
    """The engine and session factory of one app."""

    def __init__(self, url: str, *, busy_timeout_ms: int = 15_000, echo: bool = False) -> None:
        self.engine = make_engine(url, busy_timeout_ms=busy_timeout_ms, echo=echo)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)
        event.listen(self.sessionmaker, "after_commit", _after_commit)
        event.listen(self.sessionmaker, "after_soft_rollback", _after_soft_rollback)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"


def begin_write(session: Session) -> None:
    """Start the session's transaction as a write transaction (BEGIN IMMEDIATE on SQLite)."""
    session.connection(execution_options={WRITE_OPTION: True})
    session.info[WRITE_OPTION] = True


def in_write_transaction(session: Session) -> bool:
    return session.in_transaction() and bool(session.info.get(WRITE_OPTION))


def init_app(app: Flask) -> None:
    app.extensions["jinmyaku_db"] = Database(
        app.config["DATABASE_URL"],
        busy_timeout_ms=app.config["SQLITE_BUSY_TIMEOUT_MS"],
        echo=app.config["SQL_ECHO"],
    )
    app.teardown_appcontext(close_session)


def database(app: Flask | None = None) -> Database:
    db: Database = (app or current_app).extensions["jinmyaku_db"]
    return db


def get_session() -> Session:
    """The session of this request (or app context), created on first use; it reads in a
    read transaction until ``write_session()``."""
    if "db_session" not in g:
        g.db_session = database().sessionmaker()
    session_: Session = g.db_session
    return session_


def write_session() -> Session:
    """This request's session, in a write transaction from now on.

    The reads so far end (nothing was written in them) and what they loaded is expired,
    so whatever the write reads, it reads again under the write lock: no lost update.
    Call it right before the first read a write depends on, after the parsing and the
    validation, and commit soon after.
    """
    session = get_session()
    if in_write_transaction(session):
        return session
    if session.new or session.dirty or session.deleted:
        raise WriteOutsideWriteTransaction("changes were made before write_session()")
    if session.in_transaction():
        session.commit()
    session.expire_all()
    begin_write(session)
    return session


def saved(session: Session) -> bool:
    """True once a write transaction of this session has committed."""
    return bool(session.info.get(SAVED_KEY))


def _after_commit(session: Session) -> None:
    if session.info.pop(WRITE_OPTION, False):
        session.info[SAVED_KEY] = True


def _after_soft_rollback(session: Session, previous: Any) -> None:
    if previous.parent is None:  # the outermost transaction ended
        session.info.pop(WRITE_OPTION, None)


def close_session(_exc: BaseException | None = None) -> None:
    """End the request's session; a connection that died meanwhile (the database restarted
    under a page that had already been answered) is dropped, never raised from here."""
    session = g.pop("db_session", None)
    if session is None:
        return
    try:
        session.close()
    except Exception:
        current_app.logger.info("dropped a broken database connection", exc_info=False)
        with suppress(Exception):
            session.invalidate()


@contextmanager
def write_transaction(app: Flask | None = None) -> Iterator[Session]:
    """A session in a write transaction, committed on success (for commands and scripts)."""
    with database(app).sessionmaker() as session:
        begin_write(session)
        yield session
        session.commit()


@contextmanager
def write_connection(engine: Engine) -> Iterator[Connection]:
    """A Core connection in a write transaction, committed on success (tests, scripts)."""
    with engine.connect() as connection:
        connection.execution_options(**{WRITE_OPTION: True})
        with connection.begin():
            yield connection


@contextmanager
def read_transaction(app: Flask | None = None) -> Iterator[Session]:
    """A session that only reads, in one snapshot, for long reads (imports' planning,
    exports): it never takes the write lock, so other writers never wait for it.

    SQLite's deferred BEGIN reads one snapshot from the first SELECT on; PostgreSQL is asked
    for a read-only REPEATABLE READ transaction, one snapshot too.
    """
    db = database(app)
    with db.sessionmaker() as session:
        if not db.is_sqlite:
            session.connection(
                execution_options={
                    "isolation_level": "REPEATABLE READ",
                    "postgresql_readonly": True,
                }
            )
        yield session
        session.rollback()
