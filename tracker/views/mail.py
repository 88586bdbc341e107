"""The morning mail in Settings: turn it on or off, choose its hour, send a test."""

from typing import Any

from flask import Blueprint, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from tracker import auth
from tracker.db import get_session, write_session
from tracker.forms import ConfirmForm, DigestForm
from tracker.mail.digest import digest_mail
from tracker.mail.settings import mail_is_set_up, mail_settings
from tracker.mail.smtp import MailError, send
from tracker.services.digest_mails import latest, set_hour
from tracker.services.users import Account
from tracker.web import today

bp = Blueprint("mail", __name__, url_prefix="/settings/mail")
auth.require_login(bp)

ANCHOR = "#mail-heading"


def section(user: Account) -> dict[str, Any]:
    """What the Settings page shows of the morning mail."""
    hour = user.digest_hour
    form = DigestForm(
        prefix="digest",
        formdata=None,
        data={"enabled": hour is not None, "hour": 7 if hour is None else hour},
    )
    form.hour.description = _("The hour is in your time zone, %(zone)s.", zone=user.time_zone)
    return {
        "digest_form": form,
        "last_digest": latest(get_session(), user.id),
        "mail_ready": mail_is_set_up(),
    }


@bp.route("", methods=["POST"])
def save() -> ResponseReturnValue:
    """Turn the morning mail on or off, and choose the hour it goes out after."""
    form = DigestForm(prefix="digest")
    if form.validate_on_submit():
        write_session()
        user = auth.user()
        set_hour(user, form.hour.data if form.enabled.data else None)
        get_session().commit()
        if user.digest_hour is None:
            flash(_("The morning mail is off."), "success")
        else:
            flash(
                _(
                    "The morning mail goes out each day after %(hour)s.",
                    hour=f"{user.digest_hour:02d}:00",
                ),
                "success",
            )
    else:
        flash(_("Choose an hour from 0 to 23."), "error")
    return redirect(url_for("settings.index") + ANCHOR)


@bp.route("/test", methods=["POST"])
def test() -> ResponseReturnValue:
    """Mail yourself today's morning digest now, to see that it arrives."""
    if ConfirmForm().validate_on_submit():
        user = auth.user()
        session = get_session()
        try:
            settings = mail_settings()
            message = digest_mail(session, user, today(), settings)
            # End the transaction first: SQLite's write lock is not held while the mail
            # server is waited on.
            session.commit()
            send(settings.server, message, timeout=settings.timeout)
        except MailError as error:
            flash(_("The test mail was not sent: %(error)s", error=str(error)), "error")
        else:
            flash(_("A test mail is on its way to %(email)s.", email=user.email), "success")
    return redirect(url_for("settings.index") + ANCHOR)
