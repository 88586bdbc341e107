"""The start page: follow-ups due and the latest touchpoints."""

from datetime import timedelta

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker import auth
from tracker.db import get_session
from tracker.services.contacts import follow_ups_due
from tracker.services.touchpoints import latest
from tracker.services.users import user_count
from tracker.web import today

bp = Blueprint("home", __name__)


@bp.route("/")
def index() -> str | Response:
    """Show the follow-ups due this week and the latest touchpoints."""
    session = get_session()
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login" if user_count(session) else "auth.setup"))
    day = today()
    return render_template(
        "home/index.html",
        follow_ups=follow_ups_due(session, auth.user_id(), day + timedelta(days=7)),
        touchpoints=latest(session, auth.user_id()),
        day=day,
    )
