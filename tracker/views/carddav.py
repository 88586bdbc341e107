"""Phone sync: CardDAV discovery, sign-in with the account's email and a token, and the
hand-over of every request under /dav/ to Radicale (see tracker.carddav)."""

from flask import Blueprint, Response, current_app, g, redirect, request
from flask.typing import ResponseReturnValue

from tracker import carddav
from tracker.carddav.storage import BOOK, USER_KEY
from tracker.db import SAFE_METHODS, get_session
from tracker.services.tokens import user_for_token
from tracker.services.users import Account
from tracker.web import csrf

bp = Blueprint("carddav", __name__)
# Phones sign in on every request with a token, so there is no form and no CSRF token.
csrf.exempt(bp)

PREFIX = "/dav"
METHODS = [
    "GET",
    "HEAD",
    "OPTIONS",
    "PROPFIND",
    "PROPPATCH",
    "REPORT",
    "PUT",
    "DELETE",
    "MKCOL",
    "MOVE",
]
REALM = 'Basic realm="Jinmyaku", charset="UTF-8"'


def _user() -> Account | None:
    """The user whose email and token the request carries (HTTP Basic), if they match."""
    credentials = request.authorization
    if credentials is None or credentials.type != "basic":
        return None
    email, token = credentials.username or "", credentials.password or ""
    if not email or not token:
        return None
    return user_for_token(get_session(), token, email)


def _challenge() -> Response:
    response = Response("Sign in with your email address and a token.\n", 401)
    response.headers["WWW-Authenticate"] = REALM
    response.mimetype = "text/plain"
    return response


def principal_path(user: Account) -> str:
    return f"{request.script_root}{PREFIX}/{user.id}/"


def _hand_over(path: str) -> ResponseReturnValue:
    """Let Radicale answer the request for this path of the DAV tree, as the signed-in user."""
    user = _user()
    if user is None and request.method != "OPTIONS":
        return _challenge()
    g.carddav_user = user
    environ = dict(request.environ)
    environ["SCRIPT_NAME"] = request.script_root + PREFIX
    environ["PATH_INFO"] = "/" + path
    environ[USER_KEY] = str(user.id) if user else ""
    # Radicale reads Basic credentials itself unless told who signed in; it is told.
    environ.pop("HTTP_AUTHORIZATION", None)
    response = Response.from_app(carddav.server(current_app._get_current_object()), environ)  # type: ignore[attr-defined]
    if request.method not in SAFE_METHODS and response.status_code < 400:
        get_session().commit()
    return response


@bp.route("/.well-known/carddav", methods=METHODS)
def well_known() -> ResponseReturnValue:
    """Send a phone looking for the address book to the user's principal."""
    user = _user()
    if user is None:
        return _challenge()
    return redirect(principal_path(user), 301)


@bp.route("/", methods=["PROPFIND"])
def root() -> ResponseReturnValue:
    """Answer a client that starts at the site's root (vdirsyncer does) with the principal."""
    return _hand_over("")


@bp.route(PREFIX, methods=METHODS, strict_slashes=False)
@bp.route(f"{PREFIX}/<path:path>", methods=METHODS)
def dav(path: str = "") -> ResponseReturnValue:
    """Serve the address book over CardDAV."""
    return _hand_over(path)


def book_url(user: Account) -> str:
    """The address of the user's address book, for the settings page."""
    return f"{request.host_url.rstrip('/')}{principal_path(user)}{BOOK}/"
