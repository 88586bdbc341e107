"""The morning digest as a mail: one multipart/alternative message, text and HTML, UTF-8,
in the user's language, every person linked to their page at PUBLIC_URL."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from typing import Any

from flask import current_app, render_template, url_for
from flask_babel import force_locale, gettext, ngettext
from sqlalchemy.orm import Session

from tracker.i18n import STAGE_LABELS, WARMTH_LABELS, format_day
from tracker.mail.settings import MailSettings
from tracker.models import User
from tracker.services.digest import digest

# A mail read on a phone over breakfast: the first few of each list, and a link to the rest.
ROWS_PER_SECTION = 10


@dataclass(frozen=True)
class Row:
    """One person in the mail: their name, stage, why they are there, and two links."""

    name: str
    stage: str
    detail: str
    url: str
    log_url: str


@dataclass(frozen=True)
class Section:
    title: str
    total: int
    rows: list[Row]
    hint: str = ""
    more_url: str = ""


def _day(value: str | None) -> str:
    return format_day(date.fromisoformat(value)) if value else ""


def _row(person: dict[str, Any], *details: str) -> Row:
    return Row(
        name=person["name"],
        stage=str(STAGE_LABELS.get(person["stage"], person["stage"])),
        detail=" · ".join(detail for detail in details if detail),
        url=url_for("contacts.detail", contact_id=person["id"], _external=True),
        # A GET to the touchpoint form with the person picked and today's date filled in:
        # one tap, then Save (a link in a mail cannot write anything by itself).
        log_url=url_for("touchpoints.new", contact=person["id"], _external=True),
    )


def _section(
    title: str,
    people: list[dict[str, Any]],
    detail: Callable[[dict[str, Any]], list[str]],
    *,
    more: str,
    total: int | None = None,
    hint: str = "",
    **more_args: Any,
) -> Section:
    """A list of the mail, its first rows, and a link to the page with all of them."""
    shown = people[:ROWS_PER_SECTION]
    total = len(people) if total is None else total
    return Section(
        title=title,
        total=total,
        rows=[_row(person, *detail(person)) for person in shown],
        hint=hint,
        more_url=url_for(more, _external=True, **more_args) if total > len(shown) else "",
    )


def _when(person: dict[str, Any]) -> str:
    if person["when"] == "overdue":
        return gettext("Overdue since %(date)s", date=_day(person["due_on"]))
    if person["when"] == "today":
        return gettext("Due today")
    return gettext("Due %(date)s", date=_day(person["due_on"]))


def _evidence(person: dict[str, Any]) -> list[str]:
    stage = person["evidence_stage"]
    return [gettext("the evidence supports %(stage)s", stage=STAGE_LABELS.get(stage, stage))]


def _one_way(person: dict[str, Any]) -> list[str]:
    only_i = person["direction"] == "only_i_give"
    return [
        gettext("Only you give") if only_i else gettext("Only they give"),
        gettext(
            "gave %(given)d, received %(received)d",
            given=person["given"],
            received=person["received"],
        ),
    ]


def sections(data: dict[str, Any]) -> list[Section]:
    """The digest's lists, in the order a phone's first screen wants them: what is due
    today, the new cards whose month runs out, then who is going cold; only those with
    someone in them."""
    found = [
        _section(
            gettext("Follow-ups due"),
            data["follow_ups_due"],
            lambda p: [_when(p)],
            total=data["follow_ups_due_total"],
            more="contacts.index",
            due="follow_up",
            sort="due",
        ),
        _section(
            gettext("New cards waiting for a first follow-up"),
            data["first_follow_up"],
            lambda p: [
                ngettext("%(num)d day left", "%(num)d days left", p["days_left"]),
                gettext("met %(date)s", date=_day(p["met_on"])) if p["met_on"] else "",
            ],
            total=data["first_follow_up_total"],
            hint=gettext(
                "After a month people no longer remember the face. Meet, call or write before then."
            ),
            more="contacts.index",
            due="first",
            sort="due",
        ),
        _section(
            gettext("Going cold"),
            data["cold"],
            lambda p: [
                str(WARMTH_LABELS.get(p["warmth"], p["warmth"])),
                ngettext("%(num)d day past due", "%(num)d days past due", p["overdue_days"]),
                gettext("last touch %(date)s", date=_day(p["last_touch_on"]))
                if p["last_touch_on"]
                else "",
            ],
            total=data["cold_total"],
            more="contacts.index",
            warmth="going_cold",
            sort="overdue",
        ),
        _section(
            gettext("Cooling down"),
            data["cooling"],
            lambda p: [gettext("due %(date)s", date=_day(p["due_on"]))],
            more="home.index",
        ),
        _section(
            gettext("Ready for promotion"),
            data["promotion_candidates"],
            _evidence,
            more="review.index",
        ),
        _section(
            gettext("Labels without evidence"),
            data["unsupported_labels"],
            _evidence,
            more="review.index",
        ),
        _section(
            gettext("One-way relationships (24 months)"),
            data["one_way"],
            _one_way,
            more="review.index",
        ),
    ]
    return [section for section in found if section.rows]


def subject(data: dict[str, Any]) -> str:
    """The subject line: the date and the three counts that call for action today, short
    enough for a phone's list of mails (and for one header line)."""
    parts = []
    if count := data["follow_ups_due_total"]:
        parts.append(ngettext("%(num)d follow-up due", "%(num)d follow-ups due", count))
    if count := data["first_follow_up_total"]:
        parts.append(ngettext("%(num)d new card", "%(num)d new cards", count))
    if count := data["cold_total"]:
        parts.append(ngettext("%(num)d going cold", "%(num)d going cold", count))
    summary = gettext(", ").join(parts) if parts else gettext("nothing needs you today")
    return gettext(
        "Jinmyaku %(date)s: %(summary)s",
        date=format_day(date.fromisoformat(data["today"]), short=True),
        summary=summary,
    )


def render(data: dict[str, Any], user: User, public_url: str) -> tuple[str, str, str]:
    """(subject, text, HTML) of the user's digest, in their language, linked to the app."""
    language = user.language or current_app.config["BABEL_DEFAULT_LOCALE"]
    # A request at PUBLIC_URL, so that url_for builds the addresses users reach the app at
    # (a path such as https://example.jp/crm included).
    with current_app.test_request_context(base_url=public_url + "/"), force_locale(language):
        context = {
            "subject": subject(data),
            "heading": gettext(
                "Jinmyaku — %(date)s", date=format_day(date.fromisoformat(data["today"]))
            ),
            "sections": sections(data),
            "language": language,
            "email": user.email,
            "home_url": url_for("home.index", _external=True),
            "settings_url": url_for("settings.index", _external=True),
        }
        text = render_template("mail/digest.txt", **context)
        return context["subject"], _tidy(text), render_template("mail/digest.html", **context)


def _tidy(text: str) -> str:
    """The text part without the blank lines the template's blocks leave: one at most."""
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"


def _message_id_domain(sender: str) -> str:
    # The From address's domain: make_msgid would otherwise look up this machine's name.
    return parseaddr(sender)[1].rpartition("@")[2] or "jinmyaku.invalid"


def digest_mail(session: Session, user: User, today: date, settings: MailSettings) -> EmailMessage:
    """The user's morning mail for ``today``, ready to send to their own address."""
    title, text, html = render(digest(session, user.id, today), user, settings.public_url)
    message = EmailMessage()
    message["Subject"] = title
    message["From"] = settings.sender
    # A header is one line: a name typed with a line break in it would make it two.
    name = " ".join((user.display_name or "").split())
    message["To"] = Address(display_name=name, addr_spec=user.email)
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid("digest", domain=_message_id_domain(settings.sender))
    # RFC 3834: an automatic mail, so that out-of-office replies leave it alone.
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text, subtype="plain", charset="utf-8")
    message.add_alternative(html, subtype="html", charset="utf-8")
    return message
