"""Creating the first account, logging in (with the second step when it is on) and out."""

import time
from datetime import UTC, datetime

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.security import check_password_hash

from tracker import auth
from tracker.db import get_session, write_session
from tracker.forms import ConfirmForm, LoginForm, SecondStepForm, SetupForm
from tracker.i18n import log_detail
from tracker.services import N_, ServiceError, two_step
from tracker.services.security import record
from tracker.services.users import (
    Account,
    create_user,
    dummy_hash,
    find_by_email,
    second_step_account,
    user_count,
)
from tracker.views.helpers import safe_next
from tracker.web import error_message

bp = Blueprint("auth", __name__)

# Between a right password and the second step, the cookie holds who is signing in.
PENDING_KEY = "second_step"
SECOND_STEP_SECONDS = 5 * 60


@bp.route("/setup", methods=["GET", "POST"])
def setup() -> ResponseReturnValue:
    """Create the first account of a new installation."""
    if user_count(get_session()) > 0:
        abort(404)
    form = SetupForm()
    if form.validate_on_submit():
        db = write_session()
        if user_count(db) > 0:  # another browser was quicker
            abort(404)
        try:
            user = create_user(
                db,
                email=form.email.data or "",
                password=form.password.data or "",
                hash_method=current_app.config["PASSWORD_HASH_METHOD"],
                display_name=form.display_name.data or "",
                language=form.language.data,
                time_zone=current_app.config["DEFAULT_TIMEZONE"],
            )
        except ServiceError as error:
            db.rollback()
            form.email.errors = [*form.email.errors, error_message(error)]
        else:
            auth.start_session(user, remember=False)
            record(db, user.id, "login", log_detail(N_("account created")), auth.client_ip())
            db.commit()
            flash(_("Your account is ready. Welcome to Jinmyaku."), "success")
            return redirect(url_for("home.index"))
    return render_template("auth/setup.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    """Log in with email and password (at most 10 failures in 15 minutes)."""
    if user_count(get_session()) == 0:
        return redirect(url_for("auth.setup"))
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        email, ip = (form.email.data or "").strip().lower(), auth.client_ip()
        password = form.password.data or ""
        account = find_by_email(get_session(), email)
        # A wrong email costs as long as a wrong password.
        password_hash = (
            account.password_hash
            if account is not None
            else dummy_hash(current_app.config["PASSWORD_HASH_METHOD"])
        )
        right = auth.guarded(
            email, lambda: check_password_hash(password_hash, password) and account is not None
        )
        db = write_session()
        if not right or account is None:
            current_app.logger.info("Login failed for %s from %s", email, ip)
            if account is not None:
                record(db, account.id, "login_failed", "", ip)
            db.commit()
            form.password.errors = [*form.password.errors, _("Wrong email address or password.")]
        elif account.totp_secret:
            db.commit()
            session.clear()
            session[PENDING_KEY] = {
                "user": account.id,
                "at": int(time.time()),
                "remember": bool(form.remember.data),
                "next": safe_next(""),
            }
            return redirect(url_for("auth.second_step"))
        else:
            auth.start_session(account, remember=bool(form.remember.data))
            record(db, account.id, "login", "", ip)
            db.commit()
            current_app.logger.info("Login succeeded for user %s from %s", account.id, ip)
            return redirect(safe_next(url_for("home.index")))
    return render_template("auth/login.html", form=form)


def _pending() -> tuple[Account, dict[str, object]] | None:
    """Who is between the password and the second step, if they still have time."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    started, user_id = pending.get("at"), pending.get("user")
    if not isinstance(started, int) or not isinstance(user_id, int):
        return None
    if time.time() - started > SECOND_STEP_SECONDS:
        return None
    account = second_step_account(get_session(), user_id)
    if account is None:
        return None
    return account, pending


@bp.route("/login/code", methods=["GET", "POST"])
def second_step() -> ResponseReturnValue:
    """Finish logging in with a code from the authenticator app, or a recovery code."""
    found = _pending()
    if found is None:
        session.pop(PENDING_KEY, None)
        if current_user.is_authenticated:
            return redirect(url_for("home.index"))
        flash(_("Please log in again."), "info")
        return redirect(url_for("auth.login"))
    account, pending = found
    form = SecondStepForm()
    if form.validate_on_submit():
        code, ip = form.code.data or "", auth.client_ip()
        used_recovery = False

        def check() -> bool:
            nonlocal used_recovery
            if two_step.spend_code(get_session(), account, code, datetime.now(UTC)):
                return True
            used_recovery = two_step.use_recovery_code(get_session(), account.id, code)
            return used_recovery

        right = auth.guarded(account.email, check, cheap=True)
        db = write_session()
        if not right:
            current_app.logger.info("Second step failed for user %s from %s", account.id, ip)
            record(db, account.id, "login_failed", log_detail(N_("wrong code")), ip)
            db.commit()
            form.code.errors = [*form.code.errors, _("That code is not right.")]
        else:
            left = two_step.recovery_codes_left(db, account.id) if used_recovery else None
            if used_recovery:
                record(
                    db,
                    account.id,
                    "recovery_code_used",
                    log_detail(N_("%(num)d left"), num=left),
                    ip,
                )
            auth.start_session(account, remember=bool(pending.get("remember")))
            record(db, account.id, "login", log_detail(N_("with two-step sign-in")), ip)
            db.commit()
            current_app.logger.info("Login succeeded for user %s from %s", account.id, ip)
            if used_recovery:
                flash(
                    _(
                        "You signed in with a recovery code; %(num)d are left. "
                        "If your phone is lost, set up two-step sign-in again in Settings.",
                        num=left,
                    ),
                    "info",
                )
            target = pending.get("next")
            return redirect(target if isinstance(target, str) and target else url_for("home.index"))
    return render_template("auth/second_step.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout() -> ResponseReturnValue:
    """Log out of this browser: its session ends on the server too."""
    if ConfirmForm().validate_on_submit():
        db = write_session()
        if current_user.is_authenticated:
            record(db, auth.user_id(), "logout", "", auth.client_ip())
        auth.end_session()
        db.commit()
        flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))
