"""What every page shares: CSRF protection, security headers, request ids, error pages,
"today", template helpers.

Errors are answered by a page that cannot fail: when the template (or the database it
needs to know who is signed in) fails too, a plain page says the same. Each error is
logged once, with the request id the page shows. A database that stays busy past the
timeout, or is restarting, is a 503 with Retry-After, not a 500.
"""

import gc
import html
import logging
import uuid
from collections.abc import Iterable
from datetime import date
from math import ceil
from typing import Any

from flask import Flask, current_app, g, has_request_context, render_template, request
from flask.logging import default_handler
from flask.typing import ResponseReturnValue
from flask_babel import gettext, lazy_gettext, ngettext
from flask_login import current_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from markupsafe import Markup, escape
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import ObjectDeletedError
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, Map
from werkzeug.wrappers import Response

from tracker import drafts
from tracker.api.errors import API_PATH, from_exception, json_error
from tracker.auth import Throttled
from tracker.dates import today_in
from tracker.db import saved
from tracker.messages import UserError
from tracker.method_values import tel_uri
from tracker.requests import RequestGuard
from tracker.services.dashboard import warmth_of
from tracker.services.ownership import NotFound

csrf = CSRFProtect()

# No inline script or style anywhere: everything the pages need comes from /static.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)
ERROR_TEXTS = {
    400: (lazy_gettext("Bad request"), lazy_gettext("The request could not be understood.")),
    403: (lazy_gettext("Not allowed"), lazy_gettext("You are not allowed to do this.")),
    404: (lazy_gettext("Not found"), lazy_gettext("There is nothing here.")),
    405: (lazy_gettext("Not allowed"), lazy_gettext("This page does not accept that request.")),
    413: (
        lazy_gettext("Too large"),
        lazy_gettext("The file or form you sent is larger than this app accepts."),
    ),
    429: (lazy_gettext("Too many attempts"), lazy_gettext("Please wait and try again.")),
    500: (
        lazy_gettext("Something went wrong"),
        lazy_gettext("Nothing was saved. Please try again."),
    ),
    503: (
        lazy_gettext("Busy"),
        lazy_gettext(
            "The database is busy or restarting. Nothing was saved. Please try again in a moment."
        ),
    ),
}
# Said instead of "Nothing was saved" when the error came after the change was committed.
SAVED_TEXT = lazy_gettext(
    "Your change was saved, but the page that follows failed. Check before trying again."
)
RETRY_AFTER_SECONDS = 5


# The largest id an INTEGER column holds on PostgreSQL (and the most ids we will ever make):
# anything larger is no id of ours.
MAX_ID = 2**31 - 1


def db_int(value: str | int) -> int:
    """An integer a database column can hold, or ValueError (for ids from requests)."""
    number = int(value)
    if not -MAX_ID <= number <= MAX_ID:
        raise ValueError("out of range")
    return number


def page_number(value: str) -> int:
    """A page number from a query string: 1 to a million."""
    number = int(value)
    if not 1 <= number <= 1_000_000:
        raise ValueError("out of range")
    return number


class IdConverter(IntegerConverter):
    """<int:…> in a URL: a number beyond the database's integers is a 404, not a crash."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def today() -> date:
    """Today in the signed-in user's time zone (or the configured fixed date)."""
    time_zone = (
        current_user.time_zone
        if current_user and current_user.is_authenticated
        else current_app.config["DEFAULT_TIMEZONE"]
    )
    return today_in(time_zone, current_app.config.get("TODAY"))


def error_message(error: UserError) -> str:
    """A service's or an importer's message, translated into the user's language."""
    return gettext(error.message, **error.params)


def request_id() -> str:
    """This request's reference, made on first use: an error can come before any
    before_request function has run (a refused CSRF token), and its page still names it."""
    if not has_request_context():
        return "-"
    if "request_id" not in g:
        g.request_id = uuid.uuid4().hex[:16]
    return str(g.request_id)


def render_error(code: int, detail: str | None = None) -> tuple[str, int]:
    """The error page; a plain one when the page itself fails (no template, no database)."""
    title, text = ERROR_TEXTS.get(code, ERROR_TEXTS[500])
    if code >= 500 and detail is None and has_request_context() and _saved():
        text = SAVED_TEXT
    try:
        page = render_template(
            "errors/error.html",
            code=code,
            title=title,
            text=detail or text,
            request_id=request_id(),
        )
    except Exception as error:  # the page cannot fail: say it plainly
        # The error this page reports is logged already (and is most often the cause).
        current_app.logger.debug("plain error page sent (the page failed: %r)", error)
        return plain_page(code, title, detail or text), code
    return page, code


def _saved() -> bool:
    db = g.get("db_session")
    return db is not None and saved(db)


def plain_page(code: int, title: Any, text: Any) -> str:
    """A page that needs neither the templates nor the database."""
    try:
        title, text = str(title), str(text)
    except Exception:  # no translations either: English
        title, text = "Something went wrong", "Please try again."
    reference = f" · {html.escape(request_id())}" if has_request_context() else ""
    return (
        '<!doctype html><html><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)} · Jinmyaku</title></head><body>"
        f"<h1>{html.escape(title)}</h1><p>{html.escape(text)}</p>"
        f'<p>Error {code}{reference}</p><p><a href="/">Jinmyaku</a></p></body></html>'
    )


def database_unavailable(error: BaseException) -> bool:
    """A database that is locked past the timeout, restarting or unreachable."""
    if isinstance(error, PoolTimeout):
        return True
    if not isinstance(error, OperationalError):
        return False
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    if type(error.orig).__module__.startswith("sqlite3"):
        message = str(error.orig).lower()
        return "locked" in message or "busy" in message
    return True  # psycopg's OperationalError: connection lost, shutting down, lock timeout


def _discard_failed_transaction() -> None:
    """Roll back what failed, so the error page reads (who is signed in) afresh."""
    db = g.get("db_session")
    if db is None:
        return
    try:
        db.rollback()
    except Exception:  # the connection is gone: the page will do without
        g.pop("db_session", None)
        try:
            db.close()
        except Exception:
            current_app.logger.debug("closing a broken session failed", exc_info=True)


class RequestIdFilter(logging.Filter):
    """Put the request id on every log record (a dash outside requests)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id()
        return True


def _ip() -> str:
    return (request.remote_addr or "")[:64]


# Programs, not browsers, call these paths (the JSON API, CardDAV): they sign in on every
# request with a token, so no cookie is read from them or set on them.
MACHINE_PATHS = ("/api/", "/dav/", "/.well-known/")
MACHINE_METHODS = frozenset({"PROPFIND", "PROPPATCH", "REPORT", "MKCOL", "MOVE"})


def is_machine_request(environ: dict[str, Any]) -> bool:
    path = str(environ.get("PATH_INFO", "")) + "/"
    return path.startswith(MACHINE_PATHS) or environ.get("REQUEST_METHOD") in MACHINE_METHODS


class NoCookies:
    """WSGI middleware: requests to the machine paths neither send nor receive cookies."""

    def __init__(self, wsgi_app: Any) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if not is_machine_request(environ):
            return self.wsgi_app(environ, start_response)
        environ.pop("HTTP_COOKIE", None)

        def start(status: str, headers: list[tuple[str, str]], *args: Any) -> Any:
            kept = [(name, value) for name, value in headers if name.lower() != "set-cookie"]
            return start_response(status, kept, *args)

        return self.wsgi_app(environ, start)


def set_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers["X-Request-Id"] = request_id()
    machine = is_machine_request(request.environ)
    try:
        signed_in = not machine and bool(current_user and current_user.is_authenticated)
    except Exception:  # the database is down (an error page): assume the worst
        signed_in = True
    if signed_in or machine or request.endpoint in ("calendar.ics", "auth.login", "auth.setup"):
        headers["Cache-Control"] = "no-store"
    if current_app.config["PREFER_HTTPS"]:
        headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
    return response


def settle(app: Flask) -> None:
    """Take the built app out of the garbage collector's sight (not under test).

    The app, its modules, SQLAlchemy's and Jinja's machinery live as long as the process;
    a full collection walked them all, pausing one request in twenty by some 45 ms. Frozen,
    they are never walked; what requests make is collected as before. Tests build hundreds
    of apps in one process, so theirs are left alone.
    """
    if not app.testing:
        gc.freeze()


def configure_logging(app: Flask) -> None:
    """One handler prints each record once, with the request id.

    Flask gives its logger a handler of its own, and waitress (or gunicorn) gives the root
    logger another, so every record came out twice, and a failing error page added its own
    tracebacks. The app's records now go to the root logger alone; when nothing has set one
    up, one is made here.
    """
    app.logger.removeHandler(default_handler)
    log_filter = RequestIdFilter()
    app.logger.addFilter(log_filter)
    if app.logger.level == logging.NOTSET:
        app.logger.setLevel(logging.INFO)
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(
            logging.Formatter("[%(asctime)s] %(levelname)s [%(request_id)s] %(name)s: %(message)s")
        )
        handler.addFilter(log_filter)
        root.addHandler(handler)


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = IdConverter
    csrf.init_app(app)
    app.wsgi_app = RequestGuard(app.wsgi_app)  # type: ignore[method-assign]
    if app.config["PROXY_COUNT"]:
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)  # type: ignore[method-assign]
    app.wsgi_app = NoCookies(app.wsgi_app)  # type: ignore[method-assign]
    configure_logging(app)

    @app.before_request
    def _request_id() -> None:
        request_id()

    app.after_request(set_headers)

    @app.errorhandler(CSRFError)
    def _csrf_error(_error: CSRFError) -> ResponseReturnValue:
        app.logger.info("400 CSRF refused: %s %s", request.method, request.path)
        shown = drafts.show_form_again(
            gettext("The form had expired. What you typed is below: check it and save again.")
        )
        if shown is not None:
            return shown
        return render_error(
            400, gettext("The form had expired or was sent from elsewhere. Please try again.")
        )

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> ResponseReturnValue:
        if error.code is None or error.code < 400:
            return error
        app.logger.info("%s %s %s", error.code, request.method, request.path)
        if request.path.startswith(API_PATH):
            return from_exception(error)
        return render_error(error.code)

    @app.errorhandler(Throttled)
    def _throttled(error: Throttled) -> ResponseReturnValue:
        app.logger.warning("429 throttled: %s %s from %s", request.method, request.path, _ip())
        minutes = max(1, ceil(error.wait.total_seconds() / 60))
        try:
            page = render_template("auth/throttled.html", minutes=minutes)
        except Exception:
            page = plain_page(
                429,
                ERROR_TEXTS[429][0],
                ngettext("Try again in %(num)d minute.", "Try again in %(num)d minutes.", minutes),
            )
        return page, 429, {"Retry-After": str(ceil(error.wait.total_seconds()))}

    @app.errorhandler(NotFound)
    @app.errorhandler(ObjectDeletedError)
    def _gone(error: Exception) -> ResponseReturnValue:
        # Another user's row or none (NotFound: the same 404 as an id nobody has), or one
        # deleted by another request between this one's reads and its write.
        _discard_failed_transaction()
        why = "gone meanwhile" if isinstance(error, ObjectDeletedError) else "not found"
        app.logger.info("404 %s: %s %s", why, request.method, request.path)
        if request.path.startswith(API_PATH):
            return json_error(404, "Not found.")
        return render_error(404)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> ResponseReturnValue:
        _discard_failed_transaction()
        if database_unavailable(error):
            app.logger.warning(
                "503 database unavailable: %s %s: %s",
                request.method,
                request.path,
                str(getattr(error, "orig", error)).strip().splitlines()[0][:200],
            )
            retry = {"Retry-After": str(RETRY_AFTER_SECONDS)}
            if request.path.startswith(API_PATH):
                message = f"The database is busy; nothing was saved (request {request_id()})."
                return json_error(503, message), retry
            page, code = render_error(503)
            return page, code, retry
        app.logger.error(
            "500 %s %s",
            request.method,
            request.path,
            exc_info=(type(error), error, error.__traceback__),
        )
        if request.path.startswith(API_PATH):
            return json_error(500, f"Nothing was saved (request {request_id()}).")
        return render_error(500)

    app.jinja_env.globals["today"] = today
    app.jinja_env.globals["warmth_of"] = lambda contact: warmth_of(contact, today())
    app.jinja_env.globals["options"] = options
    app.jinja_env.filters["tel_uri"] = tel_uri


def options(choices: Iterable[tuple[Any, str]], selected: Any = None) -> Markup:
    """The <option>s of a select, the selected value marked: built in one pass, not by a
    template loop (a filter may offer hundreds of events)."""
    return Markup(
        "".join(
            f'<option value="{escape(value)}"{" selected" if value == selected else ""}>'
            f"{escape(label)}</option>"
            for value, label in choices
        )
    )
