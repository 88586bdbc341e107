"""Languages: Japanese and English, chosen by the user's setting or the browser."""

from datetime import date

from babel.dates import format_date
from flask import Flask, current_app, request
from flask_babel import Babel, get_locale, lazy_gettext
from flask_login import current_user

babel = Babel()

# The patterns people expect: 2026年11月27日 / 27 Nov 2026.
DATE_PATTERNS = {"ja": "y年M月d日", "en": "d MMM y"}
SHORT_DATE_PATTERNS = {"ja": "M月d日", "en": "d MMM"}

STAGE_LABELS = {
    "card": lazy_gettext("Card only"),
    "acquaintance": lazy_gettext("Acquaintance"),
    "trusted": lazy_gettext("Trusted"),
    "collaborator": lazy_gettext("Collaborator"),
}
TOUCHPOINT_KIND_LABELS = {
    "card_exchange": lazy_gettext("Card exchange"),
    "meeting": lazy_gettext("Meeting"),
    "meal": lazy_gettext("Meal"),
    "call": lazy_gettext("Call"),
    "message": lazy_gettext("Message"),
    "event": lazy_gettext("Met at an event"),
    "worked_together": lazy_gettext("Worked together"),
    "consulted_me": lazy_gettext("They consulted me"),
    "consulted_them": lazy_gettext("I consulted them"),
    "note": lazy_gettext("Private note"),
}
EVENT_KIND_LABELS = {
    "networking": lazy_gettext("Networking event"),
    "seminar": lazy_gettext("Seminar"),
    "community": lazy_gettext("Community"),
    "client": lazy_gettext("Client"),
    "introduction": lazy_gettext("Introduction"),
    "other": lazy_gettext("Other"),
}
METHOD_KIND_LABELS = {
    "email": lazy_gettext("Email"),
    "phone": lazy_gettext("Phone"),
    "address": lazy_gettext("Address"),
    "url": lazy_gettext("Web"),
}
INITIATOR_LABELS = {"me": lazy_gettext("I did"), "them": lazy_gettext("They did")}
LANGUAGE_NAMES = {"ja": "日本語", "en": "English"}


def select_locale() -> str | None:
    if current_user and current_user.is_authenticated and current_user.language:
        return str(current_user.language)
    languages = current_app.config["LANGUAGES"]
    return request.accept_languages.best_match(languages)


def select_timezone() -> str | None:
    if current_user and current_user.is_authenticated:
        return str(current_user.time_zone)
    return None


def language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "en"


def format_day(value: date | None, *, short: bool = False) -> str:
    """A date as the current language writes it."""
    if value is None:
        return ""
    lang = language()
    patterns = SHORT_DATE_PATTERNS if short else DATE_PATTERNS
    return format_date(value, patterns.get(lang, patterns["en"]), locale=lang)


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.jinja_env.globals.update(
        STAGE_LABELS=STAGE_LABELS,
        TOUCHPOINT_KIND_LABELS=TOUCHPOINT_KIND_LABELS,
        EVENT_KIND_LABELS=EVENT_KIND_LABELS,
        METHOD_KIND_LABELS=METHOD_KIND_LABELS,
        INITIATOR_LABELS=INITIATOR_LABELS,
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        current_language=language,
    )
    app.jinja_env.filters["day"] = format_day
    app.jinja_env.filters["shortday"] = lambda value: format_day(value, short=True)
