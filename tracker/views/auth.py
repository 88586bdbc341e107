"""Creating the first account, logging in and out."""

from datetime import timedelta
from math import ceil

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from tracker import auth
from tracker.db import get_session
from tracker.forms import ConfirmForm, LoginForm, SetupForm
from tracker.i18n import log_detail
from tracker.services import N_, ServiceError
from tracker.services.security import (
    forget_attempts,
    note_attempt,
    record,
    wait_before_login,
)
from tracker.services.users import authenticate, create_user, find_by_email, user_count
from tracker.views.helpers import safe_next
from tracker.web import error_message

bp = Blueprint("auth", __name__)


@bp.route("/setup", methods=["GET", "POST"])
def setup() -> ResponseReturnValue:
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
            auth.start_session(user, remember=False)
            record(session, user.id, "login", log_detail(N_("account created")), auth.client_ip())
            session.commit()
            flash(_("Your account is ready. Welcome to Jinmyaku."), "success")
            return redirect(url_for("home.index"))
    return render_template("auth/setup.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    """Log in with email and password (at most 10 failures in 15 minutes)."""
    session = get_session()
    if user_count(session) == 0:
        return redirect(url_for("auth.setup"))
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        email, ip = form.email.data or "", auth.client_ip()
        config = current_app.config
        wait = wait_before_login(
            session,
            email,
            ip,
            limit=config["LOGIN_FAILURE_LIMIT"],
            window=timedelta(minutes=config["LOGIN_WINDOW_MINUTES"]),
        )
        if wait is not None:
            minutes = max(1, ceil(wait.total_seconds() / 60))
            current_app.logger.warning("Login refused (throttled) for %s from %s", email, ip)
            page = render_template("auth/throttled.html", minutes=minutes)
            return page, 429, {"Retry-After": str(ceil(wait.total_seconds()))}
        user = authenticate(session, email, form.password.data or "")
        note_attempt(session, email, ip, success=user is not None)
        forget_attempts(session)
        if user is None:
            current_app.logger.info("Login failed for %s from %s", email, ip)
            account = find_by_email(session, email)
            if account is not None:
                record(session, account.id, "login_failed", "", ip)
            session.commit()
            form.password.errors = [*form.password.errors, _("Wrong email address or password.")]
        else:
            auth.start_session(user, remember=bool(form.remember.data))
            record(session, user.id, "login", "", ip)
            session.commit()
            current_app.logger.info("Login succeeded for user %s from %s", user.id, ip)
            return redirect(safe_next(url_for("home.index")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout() -> ResponseReturnValue:
    """Log out of this browser: its session ends on the server too."""
    if ConfirmForm().validate_on_submit():
        if current_user.is_authenticated:
            record(get_session(), auth.user_id(), "logout", "", auth.client_ip())
        auth.end_session()
        get_session().commit()
        flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))
