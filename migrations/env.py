"""Alembic's environment: migrations run on the app's own engine (see tracker.cli)."""

from alembic import context

from tracker import models  # noqa: F401  (registers the tables on the metadata)
from tracker.db import WRITE_OPTION, Base, include_object

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        from tracker import create_app
        from tracker.db import database

        engine = database(create_app()).engine
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # A batch migration rebuilds a table; with foreign keys on, dropping the old one
            # would delete the rows that refer to it. SQLite's own procedure: turn them off
            # outside the transaction, migrate, check, turn them back on.
            raw = connection.connection.driver_connection
            raw.execute("PRAGMA foreign_keys = OFF")
        try:
            connection = connection.execution_options(**{WRITE_OPTION: True})
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                render_as_batch=sqlite,
                compare_type=True,
                include_object=include_object,
            )
            with context.begin_transaction():
                context.run_migrations()
                if sqlite:
                    problems = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if problems:
                        raise RuntimeError(f"foreign key check failed: {problems[:5]}")
            if connection.in_transaction():
                connection.commit()
        finally:
            if sqlite:
                raw.execute("PRAGMA foreign_keys = ON")


if context.is_offline_mode():
    raise SystemExit("Offline (SQL script) migrations are not supported; run `flask db upgrade`.")
run_migrations_online()
