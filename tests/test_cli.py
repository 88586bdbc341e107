"""The flask commands, run for real in an app context."""

import pytest
from sqlalchemy import inspect, select
from werkzeug.security import check_password_hash

from tracker.cli import alembic_config
from tracker.config import PASSWORD_HASH_METHOD
from tracker.db import database, write_transaction
from tracker.models import User


def user_named(app, email):
    with write_transaction(app) as session:
        return session.scalar(select(User).where(User.email == email))


def test_create_user_reads_the_password_from_stdin(runner, app):
    app.config["PASSWORD_HASH_METHOD"] = PASSWORD_HASH_METHOD  # the default, at full cost
    result = runner.invoke(
        args=["create-user", "New@Example.JP", "--password-stdin", "--language", "ja"],
        input="a long passphrase\n",
    )
    assert result.exit_code == 0, result.output
    user = user_named(app, "new@example.jp")
    assert user.language == "ja"
    assert check_password_hash(user.password_hash, "a long passphrase")
    assert user.password_hash.startswith("pbkdf2:sha256:600000$")


def test_create_user_prompts_twice(runner, app):
    result = runner.invoke(
        args=["create-user", "p@example.jp"], input="a long passphrase\na long passphrase\n"
    )
    assert result.exit_code == 0, result.output
    assert "Password" in result.output
    assert user_named(app, "p@example.jp") is not None


def test_create_user_refuses_bad_input(runner, app, user):
    for args, stdin in [
        (["create-user", user.email, "--password-stdin"], "a long passphrase\n"),
        (["create-user", "short@example.jp", "--password-stdin"], "short\n"),
        (["create-user", "not-an-email", "--password-stdin"], "a long passphrase\n"),
    ]:
        result = runner.invoke(args=args, input=stdin)
        assert result.exit_code != 0
        assert "Error:" in result.output
    assert user_named(app, "short@example.jp") is None


def test_db_downgrade_and_upgrade(runner, app):
    assert runner.invoke(args=["db", "downgrade", "base"]).exit_code == 0
    tables = set(inspect(database(app).engine).get_table_names())
    assert tables <= {"alembic_version"}
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    tables = set(inspect(database(app).engine).get_table_names())
    assert {"users", "contacts", "touchpoints", "events", "tags", "contact_methods"} <= tables
    result = runner.invoke(args=["db", "current"])
    assert result.exit_code == 0


# SQLite does not reflect indexes on expressions (0007's); they are left to the migrations.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_migrations_match_the_models(app):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from tracker.db import Base, include_object

    assert alembic_config(app)  # the migrations folder is found
    with database(app).engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": include_object}
        )
        assert compare_metadata(context, Base.metadata) == []
