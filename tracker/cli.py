"""The flask commands: migrations, accounts, recomputing derived fields, the digest."""

import json
import sqlite3
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import click
from alembic import command as alembic_command
from alembic.config import Config
from alembic.migration import MigrationContext
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_babel import force_locale, gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker import jobs
from tracker.dates import today_in
from tracker.db import database, read_transaction, write_transaction
from tracker.i18n import format_day, log_detail
from tracker.importers import ImportFormatError, Problem
from tracker.mail.digest import digest_mail, render
from tracker.mail.settings import MailSettings, mail_settings
from tracker.mail.smtp import MailError, send
from tracker.models import User
from tracker.seeding import seed_command
from tracker.services import N_, ServiceError, exports, import_jobs
from tracker.services.derived import recompute_stale, recompute_user
from tracker.services.digest import digest
from tracker.services.imports import POLICIES, Plan, Summary, plan
from tracker.services.restore import restore
from tracker.services.security import record
from tracker.services.tokens import create_token
from tracker.services.trash import purge
from tracker.services.users import create_user, find_by_email

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def register(app: Flask) -> None:
    for command in (
        db_group,
        create_user_command,
        recompute_command,
        digest_command,
        import_command,
        export_command,
        restore_command,
        purge_trash_command,
        backup_command,
        seed_command,
        create_token_command,
        read_card_command,
    ):
        app.cli.add_command(command)


# Where `make run` serves the app (README): the printed digest links there without PUBLIC_URL.
LOCAL_URL = "http://127.0.0.1:5000"


def user_by_email(session: Session, email: str) -> User:
    user = find_by_email(session, email)
    if user is None:
        raise click.ClickException(f"No account with the email address {email}.")
    return user


def in_language(user: User, words: Callable[[], str]) -> str:
    """Text made in the user's language (a request context gives Babel its locale)."""
    language = user.language or current_app.config["BABEL_DEFAULT_LOCALE"]
    with current_app.test_request_context(), force_locale(language):
        return words()


def user_today(user: User, fixed: str | None = None) -> date:
    """Today for a user: --today, else the app's fixed TODAY, else the user's own date."""
    try:
        return today_in(user.time_zone, fixed or current_app.config.get("TODAY"))
    except ValueError as error:
        raise click.BadParameter("use the form YYYY-MM-DD", param_hint="--today") from error


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
    with database().engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    click.echo(f"The database is at revision {current}.")
    if revision == "head":
        with write_transaction() as session:
            stale = recompute_stale(session)
        if stale:
            click.echo(f"Recomputed the derived fields of {stale} contacts.")


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


@click.command("create-token")
@click.option("--user", "email", required=True, help="The account the token acts for.")
@click.option("--name", required=True, help="What uses it: a phone, a script.")
@with_appcontext
def create_token_command(email: str, name: str) -> None:
    """Make a token for the JSON API or phone sync and print it (it is shown only once)."""
    try:
        with write_transaction() as session:
            user = user_by_email(session, email)
            _token, secret = create_token(session, user.id, name)
    except ServiceError as error:
        raise click.ClickException(str(error)) from error
    click.echo(secret)
    click.echo("Keep it now: it is not shown again. Revoke it in Settings.", err=True)


@click.command("recompute")
@click.option("--user", "email", help="Only this account (all accounts by default).")
@click.option("--today", help="The date to compute for (YYYY-MM-DD); tests and scripts only.")
@with_appcontext
def recompute_command(email: str | None, today: str | None) -> None:
    """Rebuild every contact's last touch, due date, warmth dates, evidence and strength."""
    with write_transaction() as session:
        users = [user_by_email(session, email)] if email else list(session.scalars(select(User)))
        total = sum(recompute_user(session, user.id, user_today(user, today)) for user in users)
    click.echo(f"Recomputed {total} contacts.")


def mail_settings_or_exit() -> MailSettings:
    try:
        return mail_settings()
    except MailError as error:
        raise click.ClickException(str(error)) from None


def send_digest_now(email: str, today: str | None) -> str:
    """Mail a user's digest to them now: the address it went to, once the server took it."""
    settings = mail_settings_or_exit()
    with database().sessionmaker() as session:
        user = user_by_email(session, email)
        message = digest_mail(session, user, user_today(user, today), settings)
    # The session is closed: nothing of the database is held while the server is waited on.
    try:
        send(settings.server, message, timeout=settings.timeout)
    except MailError as error:
        raise click.ClickException(str(error)) from None
    return user.email


@click.command("digest")
@click.option("--user", "email", required=True, help="The account to report on.")
@click.option("--today", help="Report as of this date (YYYY-MM-DD).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.option("--send", "send_mail", is_flag=True, help="Mail it to the user (see SMTP_URL).")
@with_appcontext
def digest_command(email: str, today: str | None, as_json: bool, send_mail: bool) -> None:
    """Print the morning digest (or mail it): who is going cold, first follow-ups, what is due."""
    if send_mail:
        if as_json:
            raise click.UsageError("--send mails the digest and --json prints it: choose one.")
        click.echo(f"Sent the digest to {send_digest_now(email, today)}.")
        return
    with database().sessionmaker() as session:
        user = user_by_email(session, email)
        data = digest(session, user.id, user_today(user, today))
        if as_json:
            click.echo(json.dumps(data, ensure_ascii=False, indent=2))
            return
        # The text part of the mail --send would send, in the user's language; its links
        # point at PUBLIC_URL, or at the address `make run` serves when that is not set.
        public_url = str(current_app.config.get("PUBLIC_URL") or "").strip().rstrip("/")
        click.echo(render(data, user, public_url or LOCAL_URL)[1], nl=False)


def _problem_line(problem: Problem) -> str:
    where = f"record {problem.record}" + (f" (line {problem.line})" if problem.line else "")
    return f"{where}: {problem.message % problem.params if problem.params else problem.message}"


def _not_kept_line(not_kept: dict[str, int]) -> str:
    parts = [f"{name} ({count})" for name, count in sorted(not_kept.items())]
    return "not kept (no field for them): " + ", ".join(parts)


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--user", "email", required=True, help="The account to import into.")
@click.option("--duplicates", type=click.Choice(POLICIES), default="merge", show_default=True)
@click.option("--dry-run", is_flag=True, help="Only report what would be imported.")
@click.option("--strict", is_flag=True, help="Import nothing when any record cannot be imported.")
@with_appcontext
def import_command(path: Path, email: str, duplicates: str, dry_run: bool, strict: bool) -> None:
    """Import a vCard or a contacts CSV; records that cannot be read are skipped and listed."""
    data = path.read_bytes()
    with read_transaction() as reader:  # reading and matching never hold the write lock
        user = user_by_email(reader, email)
        user_id, today = user.id, user_today(user)
        batch_name = in_language(
            user,
            lambda: gettext("import %(date)s %(file)s", date=format_day(today), file=path.name),
        )
        try:
            found = plan(reader, user_id, data)
        except (ServiceError, ImportFormatError) as error:
            raise click.ClickException(str(error)) from error
    for warning in found.result.warnings:
        click.echo(f"warning: {_problem_line(warning)}", err=True)
    for problem in found.skipped:
        click.echo(f"skipped: {_problem_line(problem)}", err=True)
    for folded in found.folded:
        click.echo(
            f"folded: record {folded.record} into record {folded.into_record}"
            f" ({folded.reason}: {folded.shared})",
            err=True,
        )
    for dup in found.duplicates:
        click.echo(
            f"duplicate: record {dup.card.record} is contact #{dup.contact_id}"
            f" {dup.contact_name} ({dup.reason}: {dup.shared})",
            err=True,
        )
    if found.result.not_kept:
        click.echo(_not_kept_line(found.result.not_kept), err=True)
    if found.skipped and strict:
        raise click.ClickException(
            f"{len(found.skipped)} records cannot be imported; nothing was written (--strict)."
        )
    click.echo(
        f"{len(found.new)} new, {len(found.duplicates)} likely duplicates, "
        f"{found.merged_in_file} folded together in the file, {len(found.skipped)} skipped."
    )
    if dry_run:
        click.echo("Dry run: nothing was written.")
        return
    summary = _run_import(user_id, path.name, data, found, duplicates, today, batch_name)
    with write_transaction() as session:
        record(
            session,
            user_id,
            "import",
            log_detail(
                N_(
                    "%(file)s: %(created)d new, %(merged)d merged, %(skipped)d skipped"
                    " (command line)"
                ),
                file=path.name,
                created=summary.created,
                merged=summary.merged,
                skipped=len(found.skipped),
            ),
        )
    click.echo(
        f"Imported: {summary.created} created, {summary.merged} merged, {summary.skipped} skipped;"
        f" tagged “{summary.tag_name}”."
    )


def _run_import(
    user_id: int, name: str, data: bytes, found: Plan, policy: str, today: date, batch_name: str
) -> Summary:
    """Run an import as the web does (a job in its row, written in batches), here inline."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    size = {"new_count": len(found.new), "duplicate_count": len(found.duplicates)}
    with write_transaction() as session:
        draft = import_jobs.create_draft(session, user_id, name[:200], data, size)
        try:
            token = import_jobs.claim(
                session, user_id, draft.id, policy, datetime.now(UTC), jobs.stale_after(app)
            )
        except import_jobs.ImportBusy as error:
            raise click.ClickException(
                f"Another import is running in this account (import #{error.draft_id}); "
                "nothing was written. Try again when it is done."
            ) from error
        assert token is not None
    summary = jobs.run(app, draft.id, token, batch_name, today)
    if summary is None:
        raise click.ClickException("The import failed; nothing was written (see the log).")
    return summary


@click.command("export")
@click.option("--user", "email", required=True, help="The account to export.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["vcf", "vcf3", "csv", "json"]),
    required=True,
    help="vcf is vCard 4.0; vcf3 is vCard 3.0, for older phones and iOS.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here, not to standard output.",
)
@with_appcontext
def export_command(email: str, fmt: str, output: Path | None) -> None:
    """Export contacts as vCard 4.0 or 3.0 or CSV, or the whole account as a JSON backup."""
    with read_transaction() as reader:  # a long read, in one snapshot, never the write lock
        user = user_by_email(reader, email)
        user_id = user.id
        body = exports.export(reader, user_id, fmt, user_today(user).isoformat()).body
    with write_transaction() as session:
        record(session, user_id, "export", log_detail(N_("%(format)s (command line)"), format=fmt))
    if output is None:
        click.echo(body, nl=False)
    else:
        try:
            output.write_text(body, encoding="utf-8")
        except OSError as error:
            raise click.ClickException(f"Cannot write {output}: {error.strerror}") from error
        click.echo(f"Wrote {output}.", err=True)


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--user", "email", required=True, help="The (empty) account to restore into.")
@with_appcontext
def restore_command(path: Path, email: str) -> None:
    """Load a JSON backup into an empty account; nothing is written on error."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise click.ClickException(f"{path} is not a JSON backup: {error}") from error
    try:
        with write_transaction() as session:
            user = user_by_email(session, email)
            counts = restore(session, user, data, user_today(user))
            detail = log_detail(N_("backup %(file)s (command line)"), file=path.name)
            record(session, user.id, "restore", detail)
    except ServiceError as error:
        raise click.ClickException(str(error)) from error
    click.echo("Restored " + ", ".join(f"{count} {name}" for name, count in counts.items()) + ".")


@click.command("purge-trash")
@click.option("--days", type=int, default=None, help="Keep this many days (TRASH_DAYS by default).")
@with_appcontext
def purge_trash_command(days: int | None) -> None:
    """Delete trash entries older than 30 days (or --days) for good, and what interrupted
    imports had saved."""
    keep = days if days is not None else current_app.config["TRASH_DAYS"]
    stale = jobs.stale_after(current_app)
    with write_transaction() as session:
        count = purge(session, timedelta(days=keep))
        interrupted = import_jobs.recover_interrupted(session, datetime.now(UTC), stale)
    click.echo(f"Purged {count} trash entries older than {keep} days.")
    if interrupted:
        click.echo(f"Removed what {interrupted} interrupted imports had saved.")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path) -> None:
    """Copy the SQLite database to PATH, consistently, while the app keeps serving."""
    engine = database().engine
    if engine.dialect.name != "sqlite":
        raise click.ClickException(
            "This database is PostgreSQL: back it up with pg_dump (see README, Backups)."
        )
    if path.exists():
        raise click.ClickException(f"{path} exists; choose a new file.")
    source_path = engine.url.database
    if not source_path:
        raise click.ClickException("The database has no file to back up.")
    source = sqlite3.connect(source_path, timeout=30)
    target = sqlite3.connect(path)
    try:
        # SQLite's online backup copies a consistent snapshot, page by page, while writers
        # go on; each step takes the read lock briefly.
        source.backup(target, pages=256, sleep=0.005)
        result = target.execute("PRAGMA integrity_check").fetchone()
    finally:
        target.close()
        source.close()
    if result is None or result[0] != "ok":
        raise click.ClickException(f"The copy failed its integrity check: {result}")
    click.echo(f"Backed up {source_path} to {path} (integrity check: ok).")


@click.command("read-card")
@click.argument("images", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array, one object per image.")
def read_card_command(images: tuple[Path, ...], as_json: bool) -> None:
    """Read business cards from photos: a QR code exactly, else the printed text."""
    # Imported here: numpy and the reader are not needed by the other commands.
    from tracker import cardreader

    results: list[dict[str, object]] = []
    failed = False
    for path in images:
        entry: dict[str, object] = {"file": str(path)}
        try:
            entry.update(cardreader.read_card([path.read_bytes()]).as_dict())
        except (OSError, cardreader.ImageError) as error:
            failed = True
            reason = error.strerror if isinstance(error, OSError) else str(error)
            entry.update(cardreader.CardFields().as_dict(), error=reason or str(error))
            click.echo(f"error: {path}: {entry['error']}", err=True)
        results.append(entry)
    if not cardreader.ocr_status().available:
        click.echo(f"warning: OCR is off: {cardreader.ocr_status().reason}", err=True)
    if as_json:
        click.echo(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        for entry in results:
            click.echo(f"{entry['file']} ({entry['source']})")
            for key, value in entry.items():
                if key not in ("file", "source") and value and isinstance(value, str | list):
                    shown = ", ".join(value) if isinstance(value, list) else value
                    click.echo(f"  {key}: {shown}")
    if failed:
        raise SystemExit(1)
