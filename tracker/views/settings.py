"""The user's settings: name, language, time zone, password, sessions, the security log."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import refresh
from werkzeug.security import check_password_hash, generate_password_hash

from tracker import auth
from tracker.db import get_session
from tracker.forms import ConfirmForm, PasswordForm, SettingsForm, TokenForm
from tracker.services import ServiceError
from tracker.services.security import recent_events, record
from tracker.services.tokens import active_tokens, create_token, revoke_token
from tracker.views import mail
from tracker.web import error_message

bp = Blueprint("settings", __name__, url_prefix="/settings")
auth.require_login(bp)


def _page(
    form: SettingsForm,
    password_form: PasswordForm,
    token_form: TokenForm | None = None,
    new_token: str = "",
) -> str:
    return render_template(
        "settings/index.html",
        form=form,
        password_form=password_form,
        events=recent_events(get_session(), auth.user_id()),
        **mail.section(auth.user()),
        tokens=active_tokens(get_session(), auth.user_id()),
        token_form=token_form or TokenForm(formdata=None),
        new_token=new_token,
        dav_url=request.host_url.rstrip("/") + request.script_root + "/",
    )


@bp.route("", methods=["GET", "POST"])
def index() -> ResponseReturnValue:
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
    return _page(form, PasswordForm(formdata=None))


@bp.route("/password", methods=["POST"])
def password() -> ResponseReturnValue:
    """Change your password; every other session of yours ends."""
    user = auth.user()
    form = PasswordForm()
    if form.validate_on_submit():
        if not check_password_hash(user.password_hash, form.current.data or ""):
            form.current.errors = [_("That is not your current password.")]
        else:
            user.password_hash = generate_password_hash(
                form.new.data or "", method=current_app.config["PASSWORD_HASH_METHOD"]
            )
            auth.revoke_all(user.id)
            auth.start_session(user, remember=False)
            record(get_session(), user.id, "password_changed", "", auth.client_ip())
            get_session().commit()
            flash(_("Your password was changed. Every other session has ended."), "success")
            return redirect(url_for("settings.index"))
    return _page(SettingsForm(obj=user, formdata=None), form), 200


@bp.route("/logout-everywhere", methods=["POST"])
def logout_everywhere() -> ResponseReturnValue:
    """End every session of yours, on every device, this one included."""
    if ConfirmForm().validate_on_submit():
        user_id = auth.user_id()
        auth.revoke_all(user_id)
        record(get_session(), user_id, "logout_everywhere", "", auth.client_ip())
        auth.end_session()
        get_session().commit()
        flash(_("You are logged out on every device."), "info")
        return redirect(url_for("auth.login"))
    return redirect(url_for("settings.index"))


@bp.route("/tokens", methods=["POST"])
def create_api_token() -> ResponseReturnValue:
    """Make a token for the JSON API or a phone's address book; it is shown this once."""
    user = auth.user()
    form = TokenForm()
    secret = ""
    if form.validate_on_submit():
        try:
            _token, secret = create_token(
                get_session(), user.id, form.name.data or "", auth.client_ip()
            )
        except ServiceError as error:
            form.name.errors = [error_message(error)]
        else:
            get_session().commit()
            form = TokenForm(formdata=None)
    page = _page(SettingsForm(obj=user, formdata=None), PasswordForm(formdata=None), form, secret)
    return page, 201 if secret else 200


@bp.route("/tokens/<int:token_id>/revoke", methods=["GET", "POST"])
def revoke_api_token(token_id: int) -> ResponseReturnValue:
    """Revoke a token: whatever uses it stops working."""
    user_id = auth.user_id()
    token = next((t for t in active_tokens(get_session(), user_id) if t.id == token_id), None)
    if token is None:
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        revoke_token(get_session(), user_id, token_id, auth.client_ip())
        get_session().commit()
        flash(_("The token “%(name)s” no longer works.", name=token.name), "success")
        return redirect(url_for("settings.index"))
    return render_template("settings/revoke_token.html", token=token, form=form)
