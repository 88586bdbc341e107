"""Creating the first account, logging in and out."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from tracker.db import get_session
from tracker.forms import ConfirmForm, LoginForm, SetupForm
from tracker.services import ServiceError
from tracker.services.users import authenticate, create_user, user_count
from tracker.views.helpers import safe_next
from tracker.web import error_message

bp = Blueprint("auth", __name__)


@bp.route("/setup", methods=["GET", "POST"])
def setup() -> str | Response:
    """Create the first account of a new installation."""
    session = get_session()
    if user_count(session) > 0:
        abort(404)
    form = SetupForm()
    if form.validate_on_submit():
        try:
            user = create_user(
                session,
                email=form.email.data or "",
                password=form.password.data or "",
                hash_method=current_app.config["PASSWORD_HASH_METHOD"],
                display_name=form.display_name.data or "",
                language=form.language.data,
                time_zone=current_app.config["DEFAULT_TIMEZONE"],
            )
        except ServiceError as error:
            form.email.errors = [*form.email.errors, error_message(error)]
        else:
            session.commit()
            login_user(user)
            flash(_("Your account is ready. Welcome to Jinmyaku."), "success")
            return redirect(url_for("home.index"))
    return render_template("auth/setup.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    """Log in with email and password."""
    session = get_session()
    if user_count(session) == 0:
        return redirect(url_for("auth.setup"))
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(session, form.email.data or "", form.password.data or "")
        if user is None:
            form.password.errors = [*form.password.errors, _("Wrong email address or password.")]
        else:
            login_user(user, remember=bool(form.remember.data))
            return redirect(safe_next(url_for("home.index")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    """Log out of this browser."""
    if ConfirmForm().validate_on_submit():
        logout_user()
        flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))
