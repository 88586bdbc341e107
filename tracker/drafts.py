"""Nothing typed is lost to an ended session.

A form sent after its session ended (idle too long, or past its age) is kept as a draft for
the user the session belonged to, and the login sends them back to the form, filled in
(``?draft=…``; forms fill themselves from it, see ``tracker.forms.BaseForm``). A form sent
with a CSRF token that no longer matches (the user signed in again in another tab) is shown
again, filled in, with a new token; nothing of it is saved.

Only a browser whose cookie still holds a session of the user that was not revoked (by
logging out or a new password) can leave a draft, and only from this site's own pages.
"""

from contextlib import suppress
from urllib.parse import urlencode, urlsplit

from flask import (
    Flask,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from tracker import auth
from tracker.db import get_session, write_session
from tracker.images import MAX_PHOTO_BYTES, card_picture, readable_photo
from tracker.models import FormDraft, UserSession
from tracker.services.drafts import draft_fields, find_draft, make_draft

# Fields never kept: the CSRF token (a new one is made) and anything holding a password.
_NEVER_KEPT = ("csrf_token", "password", "current", "new", "confirm", "code")
# File fields kept with the form: a business card's photos (front and back).
KEPT_PHOTOS = ("photo", "back")


def sender_id() -> int | None:
    """The user this browser is signed in as, or whose session it held until that session
    ended by itself (a revoked session, a logout or a new password, counts for nobody)."""
    if current_user.is_authenticated:
        return int(current_user.id)
    token, user_id = session.get(auth.TOKEN_KEY), session.get("_user_id")
    if not isinstance(token, str) or not isinstance(user_id, str) or not user_id.isdigit():
        return None
    row = get_session().scalar(
        select(UserSession).where(
            UserSession.token_hash == auth.token_hash(token), UserSession.revoked_at.is_(None)
        )
    )
    return row.user_id if row is not None and row.user_id == int(user_id) else None


def _same_origin() -> bool:
    """The request came from a page of this site (or says nothing about where from)."""
    origin = request.headers.get("Origin")
    if origin is None or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.host


def _is_form_page() -> bool:
    """The address also shows a page (GET), so a kept form has somewhere to come back to."""
    rule = request.url_rule
    return rule is not None and "GET" in (rule.methods or ())


def sent_fields() -> list[tuple[str, str]]:
    """The sent form's fields worth keeping, in order."""
    return [
        (name, value)
        for name, value in request.form.items(multi=True)
        if name not in _NEVER_KEPT and "password" not in name and len(value) <= 20_000
    ]


def draft_url(draft: FormDraft) -> str:
    """The form's page with the draft to fill it (and the page's own query arguments)."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "draft"]
    return f"{draft.path}?{urlencode([*args, ('draft', draft.token)])}"


def keep_sent_form() -> FormDraft | None:
    """Keep the form this request sent as a draft of its user's, when there is one."""
    if request.method != "POST" or not _is_form_page() or not _same_origin():
        return None
    user_id = sender_id()
    if user_id is None:
        return None
    fields = sent_fields()
    photos = {}
    for name in KEPT_PHOTOS:
        upload = request.files.get(name)
        data = upload.read(MAX_PHOTO_BYTES + 1) if upload else b""
        if data and len(data) <= MAX_PHOTO_BYTES and readable_photo(data):
            with suppress(ValueError):  # not a picture after all: not kept
                photos[name] = card_picture(data)
    if not photos and not any(value.strip() for _name, value in fields):
        return None
    draft = make_draft(write_session(), user_id, request.path, "kept", fields)
    for name, data in photos.items():
        setattr(draft, name, data)
        setattr(draft, f"{name}_type", "image/jpeg")
    return draft


def _back_after_login() -> str | None:
    """Where the login should lead: this page, or for a button's POST the page it was on."""
    if request.method == "GET":
        return request.full_path.rstrip("?")
    if _is_form_page():
        return request.path
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and referrer.path.startswith("/"):
        return referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return None


def unauthorized() -> Response:
    """Send a signed-out request to the login, keeping the form it sent."""
    draft = keep_sent_form()
    if draft is not None:
        get_session().commit()
        flash(gettext("Your session had ended. Log in again: what you typed is kept."), "info")
        return redirect(url_for("auth.login", next=draft_url(draft)))
    flash(str(auth.login_manager.login_message), "info")
    back = _back_after_login()
    return redirect(url_for("auth.login", next=back) if back else url_for("auth.login"))


def show_form_again(message: str) -> Response | None:
    """For a form refused for its CSRF token: the same page, filled in with what was sent
    and with a new token, for the signed-in user to send again (status 400: nothing was
    saved). None when it cannot be shown (signed out, not a form page, another site)."""
    if (
        request.method != "POST"
        or not current_user.is_authenticated
        or not _is_form_page()
        or not _same_origin()
        or request.endpoint is None
    ):
        return None
    view = current_app.view_functions[request.endpoint]
    g.form_shown_again = True
    flash(message, "error")
    try:
        response = make_response(view(**(request.view_args or {})))
    except HTTPException:
        return None
    if response.status_code != 200 or response.mimetype != "text/html":
        flashes = session.get("_flashes")
        if flashes:
            flashes.pop()  # the message was for the page that is not shown
        return None
    response.status_code = 400
    return response


def restore() -> None:
    """Fill the forms of a page opened with ?draft=… from the user's draft for that page."""
    token = request.args.get("draft")
    if request.method != "GET" or not token or not current_user.is_authenticated:
        return
    draft = find_draft(get_session(), int(current_user.id), token, request.path)
    if draft is None:
        return
    g.form_draft = draft
    g.form_draft_fields = MultiDict(draft_fields(draft))
    if draft.reason == "kept":
        flash(gettext("What you typed before logging in again is back. Check it and save."))


def init_app(app: Flask) -> None:
    auth.login_manager.unauthorized_handler(unauthorized)
    app.before_request(restore)
