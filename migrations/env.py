"""Alembic's environment: migrations run on the app's own engine (see tracker.cli)."""

from alembic import context

from tracker import models  # noqa: F401  (registers the tables on the metadata)
from tracker.db import WRITE_OPTION, Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        from tracker import create_app
        from tracker.db import database

        engine = database(create_app()).engine
    with engine.connect() as connection:
        connection = connection.execution_options(**{WRITE_OPTION: True})
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("Offline (SQL script) migrations are not supported; run `flask db upgrade`.")
run_migrations_online()
