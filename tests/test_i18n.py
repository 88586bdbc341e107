"""Japanese and English: the catalogue is complete and the language follows the user."""

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tests.conftest import log_in, stored
from tracker.db import write_transaction
from tracker.models import User

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "tracker/translations/ja/LC_MESSAGES/messages.po"
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "lazy_gettext": None,
    "_l": None,
    "N_": None,
}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def marked_strings() -> set[str]:
    """Every string the code and templates mark for translation."""
    found = set()
    method_map = [
        ("tracker/**.py", "python"),
        ("templates/**.html", "jinja2"),
        ("templates/**.txt", "jinja2"),
    ]
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map=method_map, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def strings(message: Message) -> list[str]:
    if message.pluralizable and isinstance(message.string, tuple | list):
        return list(message.string)
    return [str(message.string)]


def test_the_japanese_catalogue_translates_every_marked_string():
    with CATALOGUE.open("rb") as fh:
        catalogue = read_po(fh)
    assert not catalogue.fuzzy
    translations = {(m.id if isinstance(m.id, str) else m.id[0]): m for m in catalogue if m.id}
    missing = sorted(s for s in marked_strings() if s not in translations)
    assert missing == [], f"not in the catalogue (run make messages): {missing}"
    untranslated = sorted(key for key, m in translations.items() if not all(strings(m)))
    fuzzy = sorted(key for key, m in translations.items() if m.fuzzy)
    assert untranslated == [] and fuzzy == []
    for key, message in translations.items():
        # A plural's translation may use the count (%(num)d) even where the singular does not.
        source = str(message.id[-1] if message.pluralizable else message.id)
        for translated in strings(message):
            assert set(PLACEHOLDER.findall(translated)) == set(PLACEHOLDER.findall(source)), key


def test_accept_language_chooses_japanese(client, user):
    log_in(client, user)
    with write_transaction(client.application) as session:
        stored(session, User, user.id).language = None
    page = client.get("/", headers={"Accept-Language": "ja,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="ja">' in page
    assert "はじめの一歩" in page  # a new account is shown its first steps
    page = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Your first steps" in page


def test_the_users_setting_wins_over_the_browser(signed_in, app, user):
    response = signed_in.post(
        "/settings", data={"display_name": "天野", "language": "ja", "time_zone": "Asia/Tokyo"}
    )
    assert response.status_code == 302
    page = signed_in.get("/contacts", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="ja">' in page and "連絡先" in page


@pytest.mark.parametrize(
    ("language", "expected"), [("ja", "2026年11月20日"), ("en", "20 Nov 2026")]
)
def test_dates_are_written_as_the_language_expects(
    client, app, make_user, make_contact, language, expected
):
    from datetime import date

    owner = make_user(language=language)
    contact = make_contact(owner=owner, first_met_on=date(2026, 11, 20))
    log_in(client, owner)
    assert expected in client.get(f"/contacts/{contact.id}").get_data(as_text=True)


def test_form_errors_are_translated(client, make_user):
    log_in(client, make_user(language="ja"))
    page = client.post("/cards/new", data={"met_on": "", "family_name": "山田"}).get_data(
        as_text=True
    )
    assert "この項目は必須です" in page or "必須" in page
    page = client.post("/cards/new", data={"met_on": "someday", "family_name": "山田"}).get_data(
        as_text=True
    )
    assert "2026-11-27 のように日付を入力してください。" in page


def test_error_pages_are_translated(client, make_user):
    log_in(client, make_user(language="ja"))
    page = client.get("/contacts/424242").get_data(as_text=True)
    assert "見つかりません" in page
