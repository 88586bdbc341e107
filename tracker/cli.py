"""The flask commands: database migrations and accounts."""

import sys
from pathlib import Path

import click
from alembic import command as alembic_command
from alembic.config import Config
from flask import Flask, current_app
from flask.cli import with_appcontext

from tracker.db import database, write_transaction
from tracker.services import ServiceError
from tracker.services.users import create_user

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def register(app: Flask) -> None:
    app.cli.add_command(db_group)
    app.cli.add_command(create_user_command)


def alembic_config(app: Flask) -> Config:
    """Alembic's configuration, bound to this app's engine."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = database(app).engine
    return config


def upgrade(app: Flask, revision: str = "head") -> None:
    alembic_command.upgrade(alembic_config(app), revision)


@click.group("db")
def db_group() -> None:
    """Apply and write database migrations."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (the newest by default)."""
    upgrade(current_app, revision)


@db_group.command("downgrade")
@click.argument("revision")
@with_appcontext
def db_downgrade(revision: str) -> None:
    """Undo migrations down to REVISION ("base" undoes them all)."""
    alembic_command.downgrade(alembic_config(current_app), revision)


@db_group.command("current")
@with_appcontext
def db_current() -> None:
    """Show the revision the database is at."""
    alembic_command.current(alembic_config(current_app))


@db_group.command("revision")
@click.option("-m", "--message", required=True)
@click.option("--autogenerate/--empty", default=True)
@with_appcontext
def db_revision(message: str, autogenerate: bool) -> None:
    """Write a new migration, comparing the models with the database by default."""
    alembic_command.revision(alembic_config(current_app), message, autogenerate=autogenerate)


@click.command("create-user")
@click.argument("email")
@click.option("--name", default="", help="The name shown in the app.")
@click.option("--language", type=click.Choice(["ja", "en"]), default=None)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create_user_command(email: str, name: str, language: str | None, password_stdin: bool) -> None:
    """Create an account; asks for its password."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        with write_transaction() as session:
            user = create_user(
                session,
                email=email,
                password=password,
                hash_method=current_app.config["PASSWORD_HASH_METHOD"],
                display_name=name,
                language=language,
                time_zone=current_app.config["DEFAULT_TIMEZONE"],
            )
    except ServiceError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Created the account {user.email}.")
