"""The morning mail's commands: send the day's digests (cron) and set a user's hour.

``flask digest --send``, which mails one digest now, is the digest command's (tracker.cli).
"""

from datetime import UTC, date, datetime

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from tracker.cli import mail_settings_or_exit, user_by_email
from tracker.db import database, write_transaction
from tracker.mail.digest import digest_mail
from tracker.mail.settings import MailSettings, mail_is_set_up
from tracker.mail.smtp import MailError, send
from tracker.models import User
from tracker.services import ServiceError
from tracker.services.digest_mails import claim, due, finish, set_hour


def register(app: Flask) -> None:
    app.cli.add_command(send_digests_command)
    app.cli.add_command(digest_schedule_command)


def _moment(value: str | None) -> datetime:
    if not value:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise click.BadParameter(
            "use the form 2026-11-27T07:30+09:00 (with its offset, or Z for UTC)",
            param_hint="--now",
        )
    return moment


def _send_one(user: User, day: date, settings: MailSettings) -> MailError | None:
    """Compose and send one claimed mail: None once accepted, else why not."""
    try:
        with database().sessionmaker() as session:
            message = digest_mail(session, user, day, settings)
    except Exception:
        # A fault of ours, before anything reached the server: the mail was not sent.
        current_app.logger.exception("The morning mail to %s could not be composed", user.email)
        return MailError("The mail could not be composed; the log has the details.")
    try:
        send(settings.server, message, timeout=settings.timeout)
    except MailError as error:
        return error
    return None


@click.command("send-digests")
@click.option("--now", help="Act as at this moment (2026-11-27T07:30+09:00); for tests.")
@with_appcontext
def send_digests_command(now: str | None) -> None:
    """Send each opted-in user's morning mail, once a day, after their hour (cron: */15)."""
    moment = _moment(now)
    with database().sessionmaker() as session:
        waiting = due(session, moment)
    if not waiting:
        return
    settings = mail_settings_or_exit()
    failed = 0
    for item in waiting:
        # The claim is committed before anything is sent: a run that overlaps this one
        # finds it and leaves this user's mail alone.
        with write_transaction() as session:
            claimed = claim(session, item.user.id, item.day, datetime.now(UTC))
        if claimed is None:
            continue
        error = _send_one(item.user, item.day, settings)
        with write_transaction() as session:
            finish(
                session,
                claimed.id,
                datetime.now(UTC),
                error=str(error) if error else "",
                maybe_sent=bool(error and error.maybe_sent),
            )
        if error is None:
            click.echo(f"Sent the morning mail of {item.day.isoformat()} to {item.user.email}.")
        else:
            failed += 1
            if error.maybe_sent:
                after = " It is not tried again, so as never to send it twice."
            elif claimed.last_attempt:
                after = f" That was try {claimed.attempt}, the last for today."
            else:
                after = f" That was try {claimed.attempt}; the next run tries again."
            click.echo(f"Not sent to {item.user.email}: {error}{after}", err=True)
    if failed:
        mails = "mail was" if failed == 1 else "mails were"
        raise click.ClickException(f"{failed} morning {mails} not sent.")


@click.command("digest-schedule")
@click.option("--user", "email", required=True, help="The account whose mail this is.")
@click.option("--hour", type=click.IntRange(0, 23), help="Send it after this hour (0–23).")
@click.option("--off", is_flag=True, help="Stop sending it.")
@with_appcontext
def digest_schedule_command(email: str, hour: int | None, off: bool) -> None:
    """Send a user the morning mail each day after an hour of their own day, or stop it."""
    if (hour is None) == (not off):
        raise click.UsageError("Give either --hour H (0–23) or --off.")
    with write_transaction() as session:
        user = user_by_email(session, email)
        try:
            set_hour(user, None if off else hour)
        except ServiceError as error:
            raise click.ClickException(str(error)) from None
    if off:
        click.echo(f"The morning mail to {user.email} is off.")
        return
    click.echo(
        f"The morning mail goes to {user.email} each day after {hour:02d}:00, "
        f"{user.time_zone} time."
    )
    if not mail_is_set_up():
        click.echo(
            "Mail is not set up yet: send-digests needs SMTP_URL, MAIL_FROM and PUBLIC_URL.",
            err=True,
        )
