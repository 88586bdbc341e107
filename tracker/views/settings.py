"""The user's settings: name, language, time zone."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import refresh
from werkzeug.wrappers import Response

from tracker import auth
from tracker.db import get_session
from tracker.forms import SettingsForm

bp = Blueprint("settings", __name__, url_prefix="/settings")
auth.require_login(bp)


@bp.route("", methods=["GET", "POST"])
def index() -> str | Response:
    """Change your name, language and time zone."""
    user = auth.user()
    form = SettingsForm(obj=user)
    if form.validate_on_submit():
        user.display_name = form.display_name.data or ""
        user.language = form.language.data or None
        user.time_zone = form.time_zone.data or user.time_zone
        get_session().commit()
        refresh()
        flash(_("Settings saved."), "success")
        return redirect(url_for("settings.index"))
    return render_template("settings/index.html", form=form)
