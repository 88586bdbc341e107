"""Languages: Japanese and English, chosen by the user's setting or the browser."""

from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime
from typing import Any

from babel.dates import format_date
from flask import Flask, current_app, request
from flask_babel import Babel, format_datetime, get_locale, gettext, lazy_gettext, ngettext
from flask_babel.speaklater import LazyString
from flask_login import current_user

from tracker.relationships import Evidence

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
    "im": lazy_gettext("Chat / call"),
    "related": lazy_gettext("Related person"),
}
REFERRAL_DIRECTION_LABELS = {
    "given": lazy_gettext("I referred someone to them"),
    "received": lazy_gettext("They referred someone to me"),
    "introduction": lazy_gettext("I introduced two contacts to each other"),
}
REFERRAL_DIRECTION_SHORT = {
    "given": lazy_gettext("Given"),
    "received": lazy_gettext("Received"),
    "introduction": lazy_gettext("Introduction"),
}
REFERRAL_STATUS_LABELS = {
    "introduced": lazy_gettext("Introduced"),
    "met": lazy_gettext("They met"),
    "engaged": lazy_gettext("Work came of it"),
    "not_a_fit": lazy_gettext("Not a fit"),
}
WARMTH_LABELS = {
    "warm": lazy_gettext("Warm"),
    "cooling": lazy_gettext("Cooling"),
    "cold": lazy_gettext("Cold"),
    "dormant": lazy_gettext("Dormant"),
    "none": lazy_gettext("Not in touch yet"),
}
REASON_LABELS = {
    "expertise": lazy_gettext("Can help with"),
    "tags": lazy_gettext("Tags"),
    "title": lazy_gettext("Title"),
    "company": lazy_gettext("Company"),
    "department": lazy_gettext("Department"),
    "notes": lazy_gettext("Notes"),
    "name": lazy_gettext("Name"),
}
MATCH_REASONS = {
    "name_email": lazy_gettext("same name and email address"),
    "name_phone": lazy_gettext("same name and phone number"),
    "name_company": lazy_gettext("same name and company"),
    "no_name_email": lazy_gettext("no name, same email address"),
    "no_name_phone": lazy_gettext("no name, same phone number"),
    "name": lazy_gettext("same name, neither has a company"),
}
FORMAT_LABELS = {
    "vcard": lazy_gettext("vCard"),
    "linkedin": lazy_gettext("LinkedIn CSV"),
    "google": lazy_gettext("Google Contacts CSV"),
    "google_legacy": lazy_gettext("Google Contacts CSV (older format)"),
    "eight": lazy_gettext("Eight CSV"),
}
SECURITY_EVENT_LABELS = {
    "login": lazy_gettext("Logged in"),
    "login_failed": lazy_gettext("Failed login"),
    "logout": lazy_gettext("Logged out"),
    "logout_everywhere": lazy_gettext("Logged out everywhere"),
    "password_changed": lazy_gettext("Password changed"),
    "export": lazy_gettext("Export"),
    "import": lazy_gettext("Import"),
    "deletion": lazy_gettext("Deleted"),
    "restore": lazy_gettext("Restored"),
    "merge": lazy_gettext("Merged two contacts"),
    "token_created": lazy_gettext("Token created"),
    "token_revoked": lazy_gettext("Token revoked"),
}
INITIATOR_LABELS = {"me": lazy_gettext("I did"), "them": lazy_gettext("They did")}
LANGUAGE_NAMES = {"ja": "日本語", "en": "English"}


class Labels(Mapping[str, str]):
    """Fixed labels (stages, kinds…), translated once per language instead of on every use:
    a dashboard shows hundreds of them."""

    def __init__(self, lazy: dict[str, LazyString]) -> None:
        self.lazy = lazy
        self.cache: dict[str, dict[str, str]] = {}

    def _current(self) -> dict[str, str]:
        lang = language()
        if lang not in self.cache:
            self.cache[lang] = {key: str(value) for key, value in self.lazy.items()}
        return self.cache[lang]

    def __getitem__(self, key: str) -> str:
        return self._current()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.lazy)

    def __len__(self) -> int:
        return len(self.lazy)


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


def format_moment(value: datetime | None) -> str:
    """A moment in the user's time zone, as the language writes it."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return str(format_datetime(value, "medium"))


def format_birthday(value: str | None) -> str:
    """A birthday as the language writes it; without the year when it is not known."""
    if not value:
        return ""
    try:
        if value.startswith("--"):
            return format_day(date(2000, int(value[2:4]), int(value[5:7])), short=True)
        return format_day(date.fromisoformat(value))
    except ValueError:
        return value


WHEN_LABELS = {
    "overdue": lazy_gettext("overdue"),
    "today": lazy_gettext("due today"),
    "soon": lazy_gettext("due soon"),
}


def localize_digest(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of the digest with stages, warmths and due words in the current language."""
    tables = {
        "stage": STAGE_LABELS,
        "evidence_stage": STAGE_LABELS,
        "warmth": WARMTH_LABELS,
        "when": WHEN_LABELS,
    }

    def entry(item: Any) -> Any:
        if not isinstance(item, dict):
            return item
        return {
            key: str(tables[key].get(value, value))
            if key in tables and isinstance(value, str)
            else value
            for key, value in item.items()
        }

    return {
        key: [entry(i) for i in value] if isinstance(value, list) else value
        for key, value in data.items()
    }


def describe_evidence(found: Evidence) -> str:
    """The evidence in words: "5 touchpoints over 140 days, worked together once, …"."""
    parts = [
        ngettext(
            "%(num)d touchpoint over %(days)d days",
            "%(num)d touchpoints over %(days)d days",
            found.real_count,
            days=found.span_days,
        )
    ]
    if found.worked_together:
        parts.append(
            ngettext("worked together once", "worked together %(num)d times", found.worked_together)
        )
    if found.consulted_me:
        parts.append(
            ngettext(
                "they consulted you once", "they consulted you %(num)d times", found.consulted_me
            )
        )
    if found.consulted_them:
        parts.append(
            ngettext(
                "you consulted them once", "you consulted them %(num)d times", found.consulted_them
            )
        )
    parts.append(
        gettext(
            "%(given)d referrals given, %(received)d received",
            given=found.given,
            received=found.received,
        )
    )
    return gettext(", ").join(parts)


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.jinja_env.globals.update(
        STAGE_LABELS=Labels(STAGE_LABELS),
        TOUCHPOINT_KIND_LABELS=Labels(TOUCHPOINT_KIND_LABELS),
        EVENT_KIND_LABELS=Labels(EVENT_KIND_LABELS),
        METHOD_KIND_LABELS=Labels(METHOD_KIND_LABELS),
        INITIATOR_LABELS=Labels(INITIATOR_LABELS),
        REFERRAL_DIRECTION_LABELS=Labels(REFERRAL_DIRECTION_LABELS),
        REFERRAL_DIRECTION_SHORT=Labels(REFERRAL_DIRECTION_SHORT),
        REFERRAL_STATUS_LABELS=Labels(REFERRAL_STATUS_LABELS),
        WARMTH_LABELS=Labels(WARMTH_LABELS),
        REASON_LABELS=Labels(REASON_LABELS),
        MATCH_REASONS=Labels(MATCH_REASONS),
        FORMAT_LABELS=Labels(FORMAT_LABELS),
        SECURITY_EVENT_LABELS=Labels(SECURITY_EVENT_LABELS),
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        current_language=language,
    )
    app.jinja_env.filters["day"] = format_day
    app.jinja_env.filters["evidence_words"] = describe_evidence
    app.jinja_env.filters["birthday"] = format_birthday
    app.jinja_env.filters["moment"] = format_moment
    app.jinja_env.filters["shortday"] = lambda value: format_day(value, short=True)
