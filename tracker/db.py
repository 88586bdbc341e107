"""The database: declarative base, engine set-up per backend, and one session per request.

SQLite gets foreign keys, WAL and a busy timeout on every connection. Python's sqlite3
module would otherwise start transactions itself, lazily, at the first INSERT; that lets a
read-modify-write lose updates and makes a transaction that began as a read fail with
"database is locked". So the driver is put in autocommit mode and SQLAlchemy's "begin"
event emits the BEGIN: ``BEGIN IMMEDIATE`` (take the write lock now) for write
transactions, a deferred BEGIN for reads.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import Engine, MetaData, create_engine, event
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
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


class Database:
    """The engine and session factory of one app."""

    def __init__(self, url: str, *, busy_timeout_ms: int = 15_000, echo: bool = False) -> None:
        self.engine = make_engine(url, busy_timeout_ms=busy_timeout_ms, echo=echo)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"


def begin_write(session: Session) -> None:
    """Start the session's transaction as a write transaction (BEGIN IMMEDIATE on SQLite)."""
    session.connection(execution_options={WRITE_OPTION: True})


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
    """The session of this request (or app context), created on first use.

    A request that may write (any method but GET, HEAD and OPTIONS) begins its
    transaction at once as a write transaction.
    """
    if "db_session" not in g:
        session = database().sessionmaker()
        if has_request_context() and request.method not in SAFE_METHODS:
            begin_write(session)
        g.db_session = session
    session_: Session = g.db_session
    return session_


def close_session(_exc: BaseException | None = None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


@contextmanager
def write_transaction(app: Flask | None = None) -> Iterator[Session]:
    """A session in a write transaction, committed on success (for commands and scripts)."""
    with database(app).sessionmaker() as session:
        begin_write(session)
        yield session
        session.commit()


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
