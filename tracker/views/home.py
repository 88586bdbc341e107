"""The dashboard: who is going cold, who needs a first follow-up, what is due, the counts."""

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker import auth
from tracker.db import get_session
from tracker.forms import QuickTouchForm, SnoozeForm
from tracker.services.dashboard import dashboard
from tracker.services.users import user_count
from tracker.views.charts import paired_bars
from tracker.web import today

bp = Blueprint("home", __name__)


@bp.route("/")
def index() -> str | Response:
    """Show what needs attention today."""
    session = get_session()
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login" if user_count(session) else "auth.setup"))
    board = dashboard(session, auth.user_id(), today())
    pairs = [(given, received) for _month, given, received in board.referral_months]
    return render_template(
        "home/index.html",
        board=board,
        referral_bars=zip(
            board.referral_months, paired_bars(pairs, width=288, height=56), strict=True
        ),
        touch_form=QuickTouchForm(),
        snooze_form=SnoozeForm(),
    )
