"""What every page shares: CSRF protection, security headers, request ids, error pages,
"today", template helpers."""

import logging
import uuid
from datetime import date
from typing import Any

from flask import Flask, current_app, g, has_request_context, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, Map
from werkzeug.wrappers import Response

from tracker.api.errors import API_PATH, from_exception, json_error
from tracker.dates import today_in
from tracker.messages import UserError
from tracker.method_values import tel_uri
from tracker.services.dashboard import warmth_of

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
}


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
    return str(g.get("request_id", "-")) if has_request_context() else "-"


def render_error(code: int, detail: str | None = None) -> tuple[str, int]:
    title, text = ERROR_TEXTS.get(code, ERROR_TEXTS[500])
    page = render_template(
        "errors/error.html", code=code, title=title, text=detail or text, request_id=request_id()
    )
    return page, code


class RequestIdFilter(logging.Filter):
    """Put the request id on every log record (a dash outside requests)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id()
        return True


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
    signed_in = not machine and current_user and current_user.is_authenticated
    if signed_in or machine or request.endpoint in ("calendar.ics", "auth.login", "auth.setup"):
        headers["Cache-Control"] = "no-store"
    if current_app.config["PREFER_HTTPS"]:
        headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
    return response


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = IdConverter
    csrf.init_app(app)
    if app.config["PROXY_COUNT"]:
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)  # type: ignore[method-assign]
    app.wsgi_app = NoCookies(app.wsgi_app)  # type: ignore[method-assign]
    log_filter = RequestIdFilter()
    app.logger.addFilter(log_filter)
    for handler in app.logger.handlers:
        handler.setFormatter(
            logging.Formatter("[%(asctime)s] %(levelname)s [%(request_id)s] %(name)s: %(message)s")
        )

    @app.before_request
    def _request_id() -> None:
        g.request_id = uuid.uuid4().hex[:16]

    app.after_request(set_headers)

    @app.errorhandler(CSRFError)
    def _csrf_error(_error: CSRFError) -> ResponseReturnValue:
        app.logger.info("400 CSRF refused: %s %s", request.method, request.path)
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

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> ResponseReturnValue:
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
    app.jinja_env.filters["tel_uri"] = tel_uri
