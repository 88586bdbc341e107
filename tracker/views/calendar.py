"""The calendar feed: an iCalendar address with a secret, for a phone or desktop calendar."""

from flask import Blueprint, Response, abort, current_app, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import gettext as _

from tracker import auth
from tracker.dates import today_in
from tracker.db import get_session, write_session
from tracker.forms import ConfirmForm
from tracker.services.calendar import feed, new_token
from tracker.services.users import by_calendar_token

bp = Blueprint("calendar", __name__)


@bp.route("/calendar/<token>.ics")
def ics(token: str) -> ResponseReturnValue:
    """Serve a user's feed to whoever holds its secret address (a calendar app)."""
    if len(token) < 20:
        abort(404)
    session = get_session()
    user = by_calendar_token(session, token)
    if user is None:
        abort(404)
    with force_locale(user.language or current_app.config["BABEL_DEFAULT_LOCALE"]):
        body = feed(
            session,
            user,
            today_in(user.time_zone, current_app.config.get("TODAY")),
            follow_up_title=_("Follow up: %(name)s"),
            due_title=_("Keep in touch: %(name)s"),
            calendar_name=_("Jinmyaku follow-ups"),
        )
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="jinmyaku.ics"'
    return response


@bp.route("/settings/calendar", methods=["POST"])
@auth.login_required
def renew() -> ResponseReturnValue:
    """Give the calendar feed a new secret address (the old one stops working)."""
    if ConfirmForm().validate_on_submit():
        write_session()
        auth.user().calendar_token = new_token()
        get_session().commit()
        flash(_("Your calendar feed has a new address; the old one no longer works."), "success")
    return redirect(url_for("settings.index"))


@bp.route("/settings/calendar/off", methods=["POST"])
@auth.login_required
def turn_off() -> ResponseReturnValue:
    """Turn the calendar feed off."""
    if ConfirmForm().validate_on_submit():
        write_session()
        auth.user().calendar_token = None
        get_session().commit()
        flash(_("The calendar feed is off."), "success")
    return redirect(url_for("settings.index"))
