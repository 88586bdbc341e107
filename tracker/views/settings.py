"""The user's settings: name, language, time zone, password, two-step sign-in, sessions,
the security log, and deleting the account."""

from datetime import UTC, datetime

import segno
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import refresh
from markupsafe import Markup
from werkzeug.security import check_password_hash, generate_password_hash

from tracker import auth
from tracker.db import get_session, write_session
from tracker.forms import (
    ConfirmForm,
    DeleteAccountForm,
    IdentityForm,
    PasswordForm,
    SettingsForm,
    TokenForm,
    TwoStepCodeForm,
)
from tracker.i18n import log_detail
from tracker.services import N_, ServiceError, two_step
from tracker.services.calendar import new_token
from tracker.services.security import recent_events, record
from tracker.services.tokens import active_tokens, create_token, revoke_all_tokens, revoke_token
from tracker.services.users import delete_user
from tracker.views import mail
from tracker.views.helpers import ask_identity, identity_confirmed
from tracker.web import error_message

bp = Blueprint("settings", __name__, url_prefix="/settings")
auth.require_login(bp)

ISSUER = "Jinmyaku"


def _page(
    form: SettingsForm | None = None,
    password_form: PasswordForm | None = None,
    two_step_form: IdentityForm | None = None,
    delete_form: DeleteAccountForm | None = None,
    token_form: TokenForm | None = None,
    new_api_token: str = "",
) -> str:
    user = auth.user()
    return render_template(
        "settings/index.html",
        form=form or SettingsForm(obj=user, formdata=None),
        password_form=password_form or PasswordForm(formdata=None),
        two_step_form=two_step_form or ask_identity(IdentityForm(formdata=None, prefix="twostep")),
        delete_form=delete_form or ask_identity(DeleteAccountForm(formdata=None, prefix="delete")),
        codes_left=two_step.recovery_codes_left(get_session(), user.id) if user.totp_secret else 0,
        events=recent_events(get_session(), user.id),
        **mail.section(user),
        tokens=active_tokens(get_session(), user.id),
        token_form=token_form or ask_identity(TokenForm(formdata=None)),
        new_token=new_api_token,
        dav_url=request.host_url.rstrip("/") + request.script_root + "/",
    )


def _new_calendar_address() -> None:
    """A feed address that leaked with the password or a session stops working too."""
    user = auth.user()
    if user.calendar_token:
        user.calendar_token = new_token()


@bp.route("", methods=["GET", "POST"])
def index() -> ResponseReturnValue:
    """Change your name, language and time zone."""
    form = SettingsForm(obj=auth.user())
    if form.validate_on_submit():
        write_session()
        user = auth.user()
        user.display_name = form.display_name.data or ""
        user.language = form.language.data or None
        user.time_zone = form.time_zone.data or user.time_zone
        get_session().commit()
        refresh()
        flash(_("Settings saved."), "success")
        return redirect(url_for("settings.index"))
    return _page(form=form)


@bp.route("/password", methods=["POST"])
def password() -> ResponseReturnValue:
    """Change your password: every other session ends and the calendar feed moves."""
    user = auth.user()
    form = PasswordForm()
    if form.validate_on_submit():
        current, new = form.current.data or "", form.new.data or ""
        password_hash = user.password_hash
        right = auth.guarded(user.email, lambda: check_password_hash(password_hash, current))
        new_hash = ""
        if right:
            # The try is marked a success; the new hash (slow on purpose) is made with no
            # write lock held, then the change is written under a fresh one.
            get_session().commit()
            new_hash = generate_password_hash(
                new, method=current_app.config["PASSWORD_HASH_METHOD"]
            )
        db = write_session()
        if not right:
            record(db, user.id, "password_change_failed", "", auth.client_ip())
            db.commit()
            form.current.errors = [_("That is not your current password.")]
        else:
            user.password_hash = new_hash
            _new_calendar_address()
            revoke_all_tokens(db, user.id, auth.client_ip())
            auth.revoke_all(user.id)
            auth.start_session(user, remember=False)
            record(db, user.id, "password_changed", "", auth.client_ip())
            db.commit()
            flash(
                _(
                    "Your password was changed. Every other session has ended, the "
                    "calendar feed has a new address, and every token was revoked."
                ),
                "success",
            )
            return redirect(url_for("settings.index"))
    return _page(password_form=form), 200


@bp.route("/logout-everywhere", methods=["POST"])
def logout_everywhere() -> ResponseReturnValue:
    """End every session of yours, on every device, this one included; the calendar feed
    gets a new address."""
    if ConfirmForm().validate_on_submit():
        db = write_session()
        user_id = auth.user_id()
        _new_calendar_address()
        revoke_all_tokens(db, user_id, auth.client_ip())
        auth.revoke_all(user_id)
        record(db, user_id, "logout_everywhere", "", auth.client_ip())
        auth.end_session()
        db.commit()
        flash(_("You are logged out on every device."), "info")
        return redirect(url_for("auth.login"))
    return redirect(url_for("settings.index"))


@bp.route("/tokens", methods=["POST"])
def create_api_token() -> ResponseReturnValue:
    """Make a token for the JSON API or a phone's address book; it is shown this once."""
    form = ask_identity(TokenForm())
    secret = ""
    if form.validate_on_submit() and identity_confirmed(
        form, log_detail(N_("token %(name)s"), name=form.name.data or "")
    ):
        db = write_session()
        try:
            _token, secret = create_token(
                db, auth.user_id(), form.name.data or "", auth.client_ip()
            )
        except ServiceError as error:
            db.rollback()
            form.name.errors = [error_message(error)]
        else:
            db.commit()
            form = ask_identity(TokenForm(formdata=None))
    return _page(token_form=form, new_api_token=secret), 201 if secret else 200


@bp.route("/tokens/<int:token_id>/revoke", methods=["GET", "POST"])
def revoke_api_token(token_id: int) -> ResponseReturnValue:
    """Revoke a token: whatever uses it stops working."""
    user_id = auth.user_id()
    token = next((t for t in active_tokens(get_session(), user_id) if t.id == token_id), None)
    if token is None:
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        name = token.name
        db = write_session()
        revoke_token(db, user_id, token_id, auth.client_ip())
        db.commit()
        flash(_("The token “%(name)s” no longer works.", name=name), "success")
        return redirect(url_for("settings.index"))
    return render_template("settings/revoke_token.html", token=token, form=form)


@bp.route("/two-step/start", methods=["POST"])
def two_step_start() -> ResponseReturnValue:
    """Begin setting up two-step sign-in, after your password: a secret for the app."""
    form = IdentityForm(prefix="twostep")
    if form.validate_on_submit() and identity_confirmed(
        form, log_detail(N_("two-step sign-in set-up"))
    ):
        two_step.start(auth.user())
        get_session().commit()
        return redirect(url_for("settings.two_step_page"))
    return _page(two_step_form=form)


def _qr(secret: str) -> Markup:
    """The QR code of the app's set-up address, as inline SVG (made here: nothing leaves)."""
    uri = two_step.provisioning_uri(secret, auth.user().email, ISSUER)
    code = segno.make(uri, error="m")
    svg = code.svg_inline(scale=5, dark="#000", light="#fff", border=2, omitsize=True)
    return Markup(svg)  # segno's own markup: the address is inside the drawing, not as text


@bp.route("/two-step")
def two_step_page() -> ResponseReturnValue:
    """Show the QR code for the authenticator app, and ask for a code from it."""
    if not auth.user().totp_pending or auth.user().totp_secret:
        return redirect(url_for("settings.index"))
    return _set_up_page(TwoStepCodeForm())


def _set_up_page(form: TwoStepCodeForm) -> str:
    """The QR code and the key of the secret being set up, and the form for a code."""
    secret = auth.user().totp_pending or ""
    return render_template(
        "settings/two_step.html",
        qr=_qr(secret),
        secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        form=form,
    )


@bp.route("/two-step", methods=["POST"])
def two_step_confirm() -> ResponseReturnValue:
    """Turn two-step sign-in on with a code from the app; shows the recovery codes once."""
    form = TwoStepCodeForm()
    if form.validate_on_submit():
        db = write_session()
        user = auth.user()
        codes = two_step.confirm(db, user, form.code.data or "", datetime.now(UTC))
        if codes is not None:
            record(db, user.id, "two_step_enabled", "", auth.client_ip())
            db.commit()
            flash(_("Two-step sign-in is on."), "success")
            return render_template("settings/recovery_codes.html", codes=codes)
        db.rollback()
        form.code.errors = [
            _("That code is not right. Check the phone's clock, and type the newest code.")
        ]
    if not auth.user().totp_pending:
        return redirect(url_for("settings.index"))
    return _set_up_page(form)


@bp.route("/two-step/recovery-codes", methods=["POST"])
def recovery_codes() -> ResponseReturnValue:
    """Replace your recovery codes with ten new ones, after your password or a code."""
    form = ask_identity(IdentityForm(prefix="twostep"))
    if not auth.user().totp_secret:
        return redirect(url_for("settings.index"))
    if form.validate_on_submit() and identity_confirmed(form, log_detail(N_("new recovery codes"))):
        db = get_session()
        codes = two_step.new_recovery_codes(db, auth.user_id())
        record(db, auth.user_id(), "recovery_codes_renewed", "", auth.client_ip())
        db.commit()
        return render_template("settings/recovery_codes.html", codes=codes)
    return _page(two_step_form=form)


@bp.route("/two-step/off", methods=["POST"])
def two_step_off() -> ResponseReturnValue:
    """Turn two-step sign-in off, after your password or a code."""
    form = ask_identity(IdentityForm(prefix="twostep"))
    if form.validate_on_submit() and identity_confirmed(
        form, log_detail(N_("turning two-step sign-in off"))
    ):
        db = get_session()
        two_step.turn_off(db, auth.user())
        record(db, auth.user_id(), "two_step_disabled", "", auth.client_ip())
        db.commit()
        flash(_("Two-step sign-in is off: your password alone signs you in."), "info")
        return redirect(url_for("settings.index"))
    return _page(two_step_form=form)


@bp.route("/delete-account", methods=["POST"])
def delete_account() -> ResponseReturnValue:
    """Delete your account and everything in it, after your password (or a code)."""
    form = ask_identity(DeleteAccountForm(prefix="delete"))
    if form.validate_on_submit() and identity_confirmed(
        form, log_detail(N_("deleting the account"))
    ):
        db = get_session()
        user_id = auth.user_id()
        current_app.logger.warning("Account %s deleted by its user", user_id)
        auth.end_session()
        delete_user(db, user_id)
        db.commit()
        flash(_("Your account and everything in it were deleted."), "info")
        return redirect(url_for("auth.login"))
    return _page(delete_form=form)
