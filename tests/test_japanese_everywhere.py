"""Japanese everywhere: every page a Japanese user can open shows no English word the UI
uses (the words of the catalogue's English messages, the cadence phrases and the method
labels), and writes dates in one style (2026年11月27日), ISO only in inputs and files.

The pages come from the app's url_map (tests/security_support.py), filled with one of
everything, including what tends to leak English: imported method labels ("WORK",
"CELL"), cadences typed in English, the security log, an import batch and the trash.
"""

import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask import Flask
from sqlalchemy import update

from tests.security_support import (
    Factories,
    app_rules,
    methods,
    populate,
    sign_in,
    urls,
)
from tracker.db import write_transaction
from tracker.i18n import METHOD_LABEL_SPELLINGS, METHOD_LABELS, format_day_text
from tracker.models import ApiToken, Contact, SecurityEvent, Tag
from tracker.relationships.cadence import _ENGLISH_UNITS, _ENGLISH_WORDS

CATALOGUE = Path(__file__).resolve().parent.parent / "tracker/translations/ja/LC_MESSAGES"
# Names that are the same in Japanese text: the app, formats, products and protocols.
PROPER_NAMES = {
    "Jinmyaku",
    "vCard",
    "CSV",
    "JSON",
    "Google",
    "LinkedIn",
    "Eight",
    "CardDAV",
    "API",
    "URL",
    "iPhone",
    "Android",
    "DAVx5",
    "Thunderbird",
    "Outlook",
    "Evolution",
    "vdirsyncer",
    "OpenAPI",
    "QR",
    "OCR",
    "JPEG",
    "PNG",
    "WebP",
    "FAX",
    "Excel",
    "UTF",
    "README",  # the file named for the server's administrator
    "English",  # the language picker names each language in its own words
    "HTTPS",
    "SSL",
}
PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|%[sd]|\{\w*\}")
WORD = re.compile(r"[A-Za-z][A-Za-z']+")
# A chunk of text that is an address, a file, a path or a zone name, not words.
NOT_WORDS = re.compile(r"\S*[@/\\_.:=]\S*[A-Za-z]\S*|\S*[A-Za-z]\S*[@/\\_.:=]\S*")
ISO_OR_SLASHED_DATE = re.compile(r"\b\d{4}[-/]\d{1,2}[-/]\d{1,2}\b")


def ui_words() -> set[str]:
    """The English words the UI is made of (lower case, three letters or more)."""
    with open(CATALOGUE / "messages.po", "rb") as handle:
        catalogue = read_po(handle)
    texts: list[str] = []
    for message in catalogue:
        ids = (message.id,) if isinstance(message.id, str) else message.id  # plurals: several
        texts.extend(PLACEHOLDER.sub(" ", text) for text in ids if text)
    texts += list(_ENGLISH_WORDS) + list(_ENGLISH_UNITS)
    texts += list(METHOD_LABELS) + list(METHOD_LABEL_SPELLINGS)
    words = {word.lower() for text in texts for word in WORD.findall(text) if len(word) >= 3}
    return words - {name.lower() for name in PROPER_NAMES}


class VisibleText(HTMLParser):
    """The text a person sees or hears on a page: its text, and the attributes read out
    (labels, placeholders, titles, alternative text, button values). Text marked
    lang="en" (a server message kept as written) and scripts are left out."""

    SKIPPED = frozenset({"script", "style"})
    VOID = frozenset({"input", "img", "br", "hr", "meta", "link", "source", "wbr", "col", "area"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[bool] = []  # per open element: is its text skipped?

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        skipped = (self.stack[-1] if self.stack else False) or tag in self.SKIPPED
        skipped = skipped or values.get("lang", "ja").startswith("en")
        if not skipped:
            for name in ("placeholder", "title", "alt", "aria-label"):
                if values.get(name):
                    self.parts.append(values[name])
            if tag == "input" and values.get("type") in ("submit", "button"):
                self.parts.append(values.get("value", ""))
        if tag not in self.VOID:
            self.stack.append(skipped)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def visible_text(page: str) -> str:
    parser = VisibleText()
    parser.feed(page)
    parser.close()
    return " ".join(" ".join(parser.parts).split())


def english_words(text: str, vocabulary: set[str]) -> list[str]:
    """The UI's English words in a text (addresses, files and paths aside)."""
    text = NOT_WORDS.sub(" ", text)
    found = []
    for word in WORD.findall(text):
        if word in PROPER_NAMES:
            continue
        if word.lower() in vocabulary:
            found.append(word)
    return found


def test_the_word_list_knows_the_ui() -> None:
    vocabulary = ui_words()
    assert {"monthly", "work", "mobile", "cell", "account", "created", "import"} <= vocabulary
    assert {"save", "contacts", "touchpoint"} <= vocabulary
    assert "jinmyaku" not in vocabulary


def test_the_checker_finds_english_and_leaves_the_rest() -> None:
    vocabulary = ui_words()
    page = (
        '<p>間隔: monthly</p><p>メール (work)</p><input type="submit" value="Save">'
        '<p title="Log in">x</p><p lang="en">no such file</p><script>var save;</script>'
        "<p>taro@example.jp https://example.jp/work Asia/Tokyo vCard CSV</p>"
    )
    assert english_words(visible_text(page), vocabulary) == ["monthly", "work", "Save", "Log"]


def test_every_date_style_is_written_one_way(app) -> None:
    with app.test_request_context(headers={"Accept-Language": "ja"}):
        assert format_day_text(date(2026, 12, 1)) == "2026年12月1日"
        assert format_day_text("2026-12-01") == "2026年12月1日"
        assert format_day_text("佐藤社労士事務所") == "佐藤社労士事務所"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert format_day_text(date(2026, 12, 1)) == "1 Dec 2026"


@pytest.fixture
def japanese_account(
    app: Flask, make_user, make_contact, make_event, make_touchpoint, make_referral
):
    user = make_user(language="ja", display_name="天野")
    client = app.test_client()
    sign_in(client, user)
    make = Factories(make_contact, make_event, make_touchpoint, make_referral)
    owned = populate(app, client, user, make, "")
    labelled = make_contact(
        owner=user,
        family_name="高橋",
        given_name="誠",
        cadence="every 6 weeks",
        methods=[
            {"kind": "email", "value": "makoto@example.jp", "label": "WORK"},
            {"kind": "phone", "value": "090-1111-2222", "label": "CELL"},
            {"kind": "phone", "value": "03-1111-2222", "label": "work"},
            {"kind": "phone", "value": "03-1111-3333", "label": "Mobile"},
        ],
    )
    monthly = make_contact(owner=user, family_name="中村", given_name="直子", cadence="monthly")
    with write_transaction(app) as session:
        # What the populate names in English for its own tests.
        session.execute(update(ApiToken).where(ApiToken.user_id == user.id).values(name="スマホ"))
        session.execute(
            update(SecurityEvent)
            .where(SecurityEvent.kind == "token_created")
            .values(detail="スマホ")
        )
        # The log as an older version wrote it, in English.
        for kind, detail in [
            ("login", "account created"),
            ("deletion", "contact 山田 太郎"),
            ("deletion", "touchpoint 12"),
            ("import", "cards.vcf: 3 new (command line)"),
            ("import", "400 records, on a thread"),
            ("export", "csv (command line)"),
            ("restore", "backup jinmyaku.json (command line)"),
        ]:
            session.add(SecurityEvent(user_id=user.id, kind=kind, detail=detail))
        session.execute(update(Tag).where(Tag.user_id == user.id).values(cadence="monthly"))
        session.execute(update(Contact).where(Contact.user_id == user.id).values(expertise="相続"))
    owned.ids["contact"] = [labelled.id, monthly.id, *owned.ids["contact"]]
    return client, owned


@pytest.mark.slow
def test_no_english_on_any_page_in_japanese(app, japanese_account) -> None:
    client, owned = japanese_account
    vocabulary = ui_words()
    problems: dict[str, list[str]] = {}
    dates: dict[str, list[str]] = {}
    shown = 0
    for rule in app_rules(app):
        if "GET" not in methods(rule):
            continue
        for url in urls(rule, owned):
            response = client.get(url)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            shown += 1
            text = visible_text(response.get_data(as_text=True))
            if found := english_words(text, vocabulary):
                problems[url] = sorted(set(found))
            if found_dates := ISO_OR_SLASHED_DATE.findall(text):
                dates[url] = sorted(set(found_dates))
    print(f"\n{shown} pages in Japanese: {len(problems)} with English, {len(dates)} with ISO dates")
    assert shown >= 30
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())
    assert dates == {}


@pytest.mark.parametrize(
    ("phrase", "ja", "en"),
    [
        ("monthly", "毎月", "monthly"),
        ("6 weeks", "6週間ごと", "every 6 weeks"),
        ("毎週", "毎週", "weekly"),
        ("quarterly", "3か月ごと", "every 3 months"),
        ("yearly", "毎年", "yearly"),
        ("every 2 years", "2年ごと", "every 2 years"),
        ("10日ごと", "10日ごと", "every 10 days"),
    ],
)
def test_cadences_are_said_in_the_users_language(app, phrase, ja, en) -> None:
    from tracker.i18n import cadence_words
    from tracker.relationships import parse_cadence

    cadence = parse_cadence(phrase)
    with app.test_request_context(headers={"Accept-Language": "ja"}):
        assert cadence_words(cadence) == ja
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert cadence_words(cadence) == en == str(cadence)


@pytest.mark.parametrize(
    ("label", "ja"),
    [
        ("work", "勤務先"),
        ("WORK", "勤務先"),
        ("CELL", "携帯"),
        ("Mobile", "携帯"),
        ("iPhone", "携帯"),
        ("home", "自宅"),
        ("Work Fax", "FAX"),
        ("直通", "直通"),
        ("", ""),
    ],
)
def test_method_labels_are_said_in_the_users_language(app, label, ja) -> None:
    from tracker.i18n import method_label

    with app.test_request_context(headers={"Accept-Language": "ja"}):
        assert method_label(label) == ja


def test_the_security_log_is_read_in_the_users_language(app) -> None:
    from datetime import UTC, datetime

    from tracker.i18n import format_log_detail, format_moment, log_detail

    stored = log_detail("contact %(name)s", name="山田 太郎")
    with app.test_request_context(headers={"Accept-Language": "ja"}):
        assert format_log_detail(stored) == "連絡先 山田 太郎"
        assert format_log_detail("account created", "login") == "アカウント作成"
        assert format_log_detail("contact x", "token_created") == "contact x"  # a token's name
        assert (
            format_moment(datetime(2026, 12, 1, 0, 5, tzinfo=UTC)) == "2026年12月1日 0:05"
        )  # UTC: nobody is signed in
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert format_log_detail(stored) == "contact 山田 太郎"
        assert format_moment(datetime(2026, 12, 1, 0, 5, tzinfo=UTC)) == "1 Dec 2026, 00:05"
