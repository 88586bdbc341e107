"""The SQLite connection settings and write transactions the app relies on."""

import threading

import pytest
from sqlalchemy import select, text

from tests.conftest import sqlite_only, stored
from tracker.db import begin_write, database, write_transaction
from tracker.models import Contact

pytestmark = sqlite_only


def test_every_connection_has_foreign_keys_wal_and_a_busy_timeout(app):
    with database(app).engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15_000


def test_write_transactions_begin_immediate(app):
    statements = []
    engine = database(app).engine

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    from sqlalchemy import event

    event.listen(engine, "before_cursor_execute", record)
    try:
        with database(app).sessionmaker() as session:
            begin_write(session)
            session.execute(text("SELECT 1"))
            session.rollback()
        with database(app).sessionmaker() as session:
            session.execute(text("SELECT 1"))
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert "BEGIN IMMEDIATE" in statements
    assert statements.count("BEGIN") == 1


def test_concurrent_read_modify_write_loses_no_update(app, make_contact):
    """Threads each read a counter and write it back +1: with BEGIN IMMEDIATE none is lost."""
    contact = make_contact(notes="0")
    errors = []

    def bump(times):
        try:
            for _ in range(times):
                with write_transaction(app) as session:
                    row = stored(session, Contact, contact.id)
                    row.notes = str(int(row.notes) + 1)
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=bump, args=(25,)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with write_transaction(app) as session:
        assert session.scalar(select(Contact.notes).where(Contact.id == contact.id)) == "200"


def test_foreign_keys_are_enforced(app, user):
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), write_transaction(app) as session:
        session.add(Contact(user_id=999_999, family_name="誰"))
