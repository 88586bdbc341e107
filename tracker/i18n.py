"""Languages: Japanese and English, chosen by the user's setting or the browser."""

import json
import re
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from babel.dates import format_date
from babel.support import NullTranslations
from flask import Flask, current_app, g, request
from flask_babel import Babel, format_datetime, get_locale, get_translations, lazy_gettext
from flask_babel.speaklater import LazyString
from flask_login import current_user

from tracker.fields import FIELDS
from tracker.messages import N_
from tracker.messages import log_detail as log_detail  # re-exported: views import it here
from tracker.relationships import Evidence
from tracker.relationships.cadence import Cadence

babel = Babel()

# The one date style of each language, in every text the app writes (2026年11月27日 /
# 27 Nov 2026); ISO dates only in inputs and files.
DATE_PATTERNS = {"ja": "y年M月d日", "en": "d MMM y"}
SHORT_DATE_PATTERNS = {"ja": "M月d日", "en": "d MMM"}
MOMENT_PATTERNS = {"ja": "y年M月d日 H:mm", "en": "d MMM y, HH:mm"}

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
    "password_change_failed": lazy_gettext("Wrong password at a password change"),
    "confirmation_failed": lazy_gettext("Wrong password or code to confirm"),
    "two_step_enabled": lazy_gettext("Two-step sign-in turned on"),
    "two_step_disabled": lazy_gettext("Two-step sign-in turned off"),
    "recovery_code_used": lazy_gettext("Recovery code used"),
    "recovery_codes_renewed": lazy_gettext("New recovery codes"),
    "export": lazy_gettext("Export"),
    "import": lazy_gettext("Import"),
    "deletion": lazy_gettext("Deleted"),
    "restore": lazy_gettext("Restored"),
    "merge": lazy_gettext("Merged two contacts"),
    "token_created": lazy_gettext("Token created"),
    "token_revoked": lazy_gettext("Token revoked"),
    "archive": lazy_gettext("Archived"),
    "unarchive": lazy_gettext("Brought back from the archive"),
}
# The labels of contact methods the app and the importers use (tracker.importers.values
# folds a file's "WORK", "Cell", "iPhone"… into these), and other spellings of them.
METHOD_LABELS = {
    "work": lazy_gettext("work"),
    "home": lazy_gettext("home"),
    "mobile": lazy_gettext("mobile"),
    "fax": lazy_gettext("fax"),
    "pager": lazy_gettext("pager"),
    "main": lazy_gettext("main"),
    "other": lazy_gettext("other"),
}
METHOD_LABEL_SPELLINGS = {
    "business": "work",
    "office": "work",
    "personal": "home",
    "cell": "mobile",
    "cellular": "mobile",
    "iphone": "mobile",
    "work fax": "fax",
    "home fax": "fax",
    "workfax": "fax",
    "homefax": "fax",
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

    def resolved(self) -> dict[str, str]:
        """The labels in the current language, as a plain dict (for a page's many rows)."""
        return self._current()

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


def _current() -> tuple[str, NullTranslations]:
    """The language and translations of this request, looked up once per locale.

    Flask-Babel finds them anew on every call (several context lookups each), and a page
    translates hundreds of strings. They are kept beside Flask-Babel's own cache on its
    context, keyed by its locale object, so that force_locale and refresh still apply.
    """
    context = g.get("_flask_babel") if g else None
    locale = getattr(context, "babel_locale", None)
    found = getattr(context, "jinmyaku_current", None)
    if found is not None and locale is not None and found[0] is locale:
        return found[1]
    locale = get_locale()
    current = (locale.language if locale is not None else "en", get_translations())
    context = g.get("_flask_babel") if g else None
    if context is not None and locale is not None:
        context.jinmyaku_current = (locale, current)
    return current


def language() -> str:
    return _current()[0]


def gettext(string: str, **variables: Any) -> str:
    """Translate a string, as flask_babel.gettext does (its lookups made once a request)."""
    translated = _current()[1].ugettext(string)
    return translated % variables if variables else translated


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    """Translate a count, as flask_babel.ngettext does (num is a variable too)."""
    variables.setdefault("num", num)
    return _current()[1].ungettext(singular, plural, num) % variables


def format_day(value: date | None, *, short: bool = False) -> str:
    """A date as the current language writes it."""
    if value is None:
        return ""
    return _format_day(value, language(), short)


@lru_cache(maxsize=8192)
def _format_day(value: date, lang: str, short: bool) -> str:
    """Babel's formatting of a day (slow, and the same for every page that shows it)."""
    patterns = SHORT_DATE_PATTERNS if short else DATE_PATTERNS
    return format_date(value, patterns.get(lang, patterns["en"]), locale=lang)


def format_day_text(value: date | str | None) -> str:
    """A date, or an ISO date kept as text (in a digest, a report), as the language writes
    it; other text unchanged."""
    if isinstance(value, str):
        try:
            return format_day(date.fromisoformat(value)) if _ISO_DAY.match(value) else value
        except ValueError:
            return value
    return format_day(value)


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def format_moment(value: datetime | None) -> str:
    """A moment in the user's time zone, as the language writes it (2026年11月27日 9:05)."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    lang = language()
    return str(format_datetime(value, MOMENT_PATTERNS.get(lang, MOMENT_PATTERNS["en"])))


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


def method_label(label: str) -> str:
    """A contact method's label in the current language: "WORK", "Cell" or "work" as 勤務先
    or 携帯 in Japanese; a label of the user's own as they wrote it."""
    key = " ".join(label.split()).casefold()
    key = METHOD_LABEL_SPELLINGS.get(key, key)
    return str(METHOD_LABELS[key]) if key in METHOD_LABELS else label


def cadence_words(cadence: Cadence) -> str:
    """A cadence in the current language: monthly, every 6 weeks / 毎月, 6週間ごと."""
    months, days = cadence.months, cadence.days
    if months and days:
        return gettext("every %(months)d months and %(days)d days", months=months, days=days)
    if months:
        if months == 12:
            return gettext("yearly")
        if months % 12 == 0:
            return gettext("every %(num)d years", num=months // 12)
        return gettext("monthly") if months == 1 else gettext("every %(num)d months", num=months)
    if days % 7 == 0:
        weeks = days // 7
        return gettext("weekly") if weeks == 1 else gettext("every %(num)d weeks", num=weeks)
    return gettext("daily") if days == 1 else gettext("every %(num)d days", num=days)


# The details the log wrote in English before they were messages, read back as messages.
_OLD_DETAILS = (
    (re.compile(r"^account created$"), N_("account created")),
    (re.compile(r"^contact (?P<name>.+)$"), N_("contact %(name)s")),
    (re.compile(r"^touchpoint (?P<id>\d+)$"), N_("touchpoint %(id)s")),
    (re.compile(r"^touchpoint (?P<name>.+)$"), N_("touchpoint %(name)s")),
    (re.compile(r"^(?P<count>\d+) records, on a thread$"), N_("%(count)d records, on a thread")),
    (
        re.compile(r"^(?P<count>\d+) contacts of (?P<batch>.+)$"),
        N_("%(count)d contacts of %(batch)s"),
    ),
    (
        re.compile(r"^(?P<file>.+): (?P<count>\d+) new \(command line\)$"),
        N_("%(file)s: %(count)d new (command line)"),
    ),
    (
        re.compile(
            r"^(?P<file>.+): (?P<created>\d+) new, (?P<merged>\d+) merged,"
            r" (?P<skipped>\d+) skipped \(command line\)$"
        ),
        N_("%(file)s: %(created)d new, %(merged)d merged, %(skipped)d skipped (command line)"),
    ),
    (re.compile(r"^backup (?P<file>.+) \(command line\)$"), N_("backup %(file)s (command line)")),
    (
        re.compile(
            r"^(?P<file>.+): (?P<created>\d+) new, (?P<merged>\d+) merged,"
            r" (?P<skipped>\d+) skipped$"
        ),
        N_("%(file)s: %(created)d new, %(merged)d merged, %(skipped)d skipped"),
    ),
    (re.compile(r"^wrong code$"), N_("wrong code")),
    (re.compile(r"^with two-step sign-in$"), N_("with two-step sign-in")),
    (re.compile(r"^(?P<num>\d+) left$"), N_("%(num)d left")),
    (re.compile(r"^event (?P<name>.+)$"), N_("event %(name)s")),
    (re.compile(r"^tag (?P<name>.+)$"), N_("tag %(name)s")),
    (re.compile(r"^(?P<format>vcf|csv|json) \(command line\)$"), N_("%(format)s (command line)")),
)
# Kinds whose detail is the user's own words (a token's name), never a message.
_OWN_WORDS = frozenset({"token_created", "token_revoked"})


# A log detail keeps dates (ISO) and the vocabulary's codes under these names, and they are
# worded when the log is read, in the reader's language.
_DETAIL_WORDS: dict[str, Mapping[str, Any]] = {
    "direction": REFERRAL_DIRECTION_SHORT,
    "kind": TOUCHPOINT_KIND_LABELS,
    "stage": STAGE_LABELS,
}


def _detail_param(name: str, value: Any) -> Any:
    if name == "date" and isinstance(value, str):
        return format_day_text(value)
    if name in _DETAIL_WORDS and isinstance(value, str):
        return str(_DETAIL_WORDS[name].get(value, value))
    return value


def format_log_detail(detail: str, kind: str = "") -> str:
    """A security log detail in the current language."""
    if detail.startswith('{"message"'):
        try:
            found = json.loads(detail)
            params = {
                name: _detail_param(name, value)
                for name, value in dict(found.get("params") or {}).items()
            }
            return gettext(str(found["message"]), **params)
        except (ValueError, KeyError, TypeError):
            return detail
    if kind not in _OWN_WORDS:
        for pattern, message in _OLD_DETAILS:
            if match := pattern.match(detail):
                values = {
                    key: int(value)
                    if key in ("count", "created", "merged", "skipped", "num")
                    else value
                    for key, value in match.groupdict().items()
                }
                return gettext(message, **values)
    return detail


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    # The templates' _() and ngettext(), through the per-request lookup above.
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda string: _current()[1].ugettext(string),
        ngettext=lambda singular, plural, num: _current()[1].ungettext(singular, plural, num),
        newstyle=True,
    )
    app.jinja_env.globals.update(
        STAGE_LABELS=Labels(STAGE_LABELS),
        TOUCHPOINT_KIND_LABELS=Labels(TOUCHPOINT_KIND_LABELS),
        EVENT_KIND_LABELS=Labels(EVENT_KIND_LABELS),
        METHOD_KIND_LABELS=Labels(METHOD_KIND_LABELS),
        FIELD_LABELS=Labels({spec.name: lazy_gettext(spec.label) for spec in FIELDS}),
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
    app.jinja_env.filters["day"] = format_day_text
    app.jinja_env.filters["method_label"] = method_label
    app.jinja_env.filters["cadence_words"] = cadence_words
    app.jinja_env.filters["log_detail"] = format_log_detail
    app.jinja_env.filters["evidence_words"] = describe_evidence
    app.jinja_env.filters["birthday"] = format_birthday
    app.jinja_env.filters["moment"] = format_moment
    app.jinja_env.filters["shortday"] = lambda value: format_day(value, short=True)
