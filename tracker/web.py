"""What every page shares: CSRF protection, error pages, "today", template helpers."""

from datetime import date

from flask import Flask, current_app, render_template
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException

from tracker.dates import today_in
from tracker.services import ServiceError
from tracker.services.dashboard import warmth_of

csrf = CSRFProtect()

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


def today() -> date:
    """Today in the signed-in user's time zone (or the configured fixed date)."""
    time_zone = (
        current_user.time_zone
        if current_user and current_user.is_authenticated
        else current_app.config["DEFAULT_TIMEZONE"]
    )
    return today_in(time_zone, current_app.config.get("TODAY"))


def error_message(error: ServiceError) -> str:
    """A service's message, translated into the user's language."""
    return gettext(error.message, **error.params)


def render_error(code: int, detail: str | None = None) -> tuple[str, int]:
    title, text = ERROR_TEXTS.get(code, ERROR_TEXTS[500])
    return render_template("errors/error.html", code=code, title=title, text=detail or text), code


def init_app(app: Flask) -> None:
    csrf.init_app(app)

    @app.errorhandler(CSRFError)
    def _csrf_error(_error: CSRFError) -> tuple[str, int]:
        return render_error(
            400, gettext("The form had expired or was sent from elsewhere. Please try again.")
        )

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> HTTPException | tuple[str, int]:
        if error.code is None or error.code < 400:
            return error
        return render_error(error.code)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> tuple[str, int]:
        current_app.logger.exception("Unhandled error", exc_info=error)
        return render_error(500)

    app.jinja_env.globals["today"] = today
    app.jinja_env.globals["warmth_of"] = lambda contact: warmth_of(contact, today())
