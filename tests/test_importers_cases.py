"""The cases real exports showed (issue 12), one fixture each: readings from every place,
every property a person would miss, photos in every encoding, year-less birthdays, LinkedIn
old and new, Eight as its users download it, Outlook and Thunderbird CSV."""

from datetime import date
from pathlib import Path

import pytest

from tracker.importers import Card, Method, ParseResult, parse

CASES = Path(__file__).resolve().parent / "fixtures" / "import" / "cases"


def _parse(name: str) -> ParseResult:
    return parse((CASES / name).read_bytes())


def _by_family(result: ParseResult) -> dict[str, Card]:
    return {card.family_name: card for card in result.cards}


def test_carrier_phones_reading_in_half_width_katakana_is_kept_full_width() -> None:
    result = _parse("carrier_readings_sjis.vcf")
    okamoto, mori = result.cards
    # The whole name is in the family part, so the whole reading is too.
    assert (okamoto.family_name, okamoto.family_reading) == ("岡本五郎", "オカモトゴロウ")
    assert (mori.family_reading, mori.given_reading) == ("モリ", "ハナ")
    assert result.errors == [] and result.warnings == []


def test_sort_as_per_component_and_sort_string_only_when_kana() -> None:
    result = _parse("readings_elsewhere.vcf")
    cards = _by_family(result)
    assert (cards["安藤"].family_reading, cards["安藤"].given_reading) == ("あんどう", "ろいど")
    # Some writers part SORT-AS with a semicolon: still one reading per component.
    assert (cards["伊藤"].family_reading, cards["伊藤"].given_reading) == ("いとう", "けん")
    assert (cards["北村"].family_reading, cards["北村"].given_reading) == ("きたむら", "はじめ")
    # SORT-STRING:JOHN is a sort key, and a recording is a sound: neither is a reading.
    assert (cards["Dawson"].family_reading, cards["Dawson"].given_reading) == ("", "")
    assert (cards["Klang"].family_reading, cards["Klang"].given_reading) == ("", "")
    assert result.not_kept == {"SOUND": 1}


def test_every_property_a_person_would_miss_is_kept() -> None:
    result = _parse("everything_kept.vcf")
    doe, nick, winter = result.cards
    assert (doe.family_name, doe.given_name, doe.additional_name) == (
        "Doe",
        "John",
        "Richter James",
    )
    assert doe.nickname == "Johnny, JD"
    # The preferred ORG comes first, with its own TITLE: never the first title with it.
    assert (doe.company, doe.department, doe.title) == ("Second Org", "", "Director")
    assert doe.company_reading == "せかんど"
    assert doe.anniversary == "2009-10-10"
    assert [m for m in doe.methods if m.kind in ("im", "url", "related")] == [
        Method("im", "jd@sip.example.org", "sip"),
        Method("im", "john.doe", "Skype"),
        Method("im", "johnaim", "AIM"),
        Method("im", "jd@example.org", "Google Talk"),
        Method("url", "https://twitter.example/jd", "twitter"),
        Method("related", "Kid Doe", "child"),
        Method("related", "Jane Doe", "Spouse"),
    ]
    # A card with no name but a nickname (Android's custom row) and a chat address.
    assert (nick.family_name, nick.nickname) == ("", "Nick")
    assert nick.methods == [Method("im", "nick@example.org", "Google Talk")]
    # Apple's labelled date is the anniversary; the AGENT's nested card is no record.
    assert (winter.family_name, winter.anniversary) == ("Winter", "2001-06-02")
    assert len(result.cards) == 3 and result.errors == []
    # What has no place is named with its count, never dropped in silence.
    assert result.not_kept == {"N (prefix)": 1, "N (suffix)": 1, "GEO": 1, "ORG": 1, "TITLE": 1}


def test_photos_in_every_encoding_and_type_the_app_keeps() -> None:
    result = _parse("photos_every_way.vcf")
    photos = {card.family_name: card.photo_type for card in result.cards}
    assert photos == {
        "Bare": "image/jpeg",  # base64 without ENCODING, as Thunderbird writes it
        "Webp": "image/webp",
        "Datauri": "image/png",
        "Four": "image/webp",
        "Encoded": "image/png",
        "Link": None,  # nothing is fetched: counted as not kept
        "Gif": None,  # a type the app does not keep: a warning says so
    }
    assert result.not_kept == {"PHOTO (link)": 1}
    [warning] = result.warnings
    assert warning.message == "the photo is not a JPEG, PNG or WebP image and was left out"


def test_year_less_birthdays() -> None:
    birthdays = {c.family_name: c.birthday for c in _parse("yearless_birthdays.vcf").cards}
    assert birthdays == {
        "Apple": "--11-27",
        "Card": "--01-01",  # 1604 is the year-less convention, not a year
        "Four": "--04-16",
        "Dash": "--04-17",
        "Year": "1980-03-22",
    }


def test_linkedin_2018_dates_month_first_with_a_time() -> None:
    result = _parse("linkedin_2018.csv")
    assert [(c.given_name, c.first_met_on) for c in result.cards] == [
        ("Claes", date(2018, 1, 8)),
        ("Vik", date(2017, 12, 31)),
    ]
    assert result.errors == [] and result.warnings == []


def test_linkedin_hidden_profiles_are_skipped_and_counted_the_rest_imported() -> None:
    result = _parse("linkedin_2024_hidden.csv")
    assert [(c.given_name, c.first_met_on) for c in result.cards] == [
        ("Anna", date(2024, 2, 5)),
        ("Alison", date(2018, 1, 8)),
        ("Alison", date(2024, 5, 30)),
    ]
    assert [(p.record, p.line, p.message) for p in result.errors] == [
        (2, 6, "a LinkedIn member who hides their profile: the row holds only a date"),
        (5, 9, "a LinkedIn member who hides their profile: the row holds only a date"),
    ]


def test_eight_with_a_preamble_and_one_name_column() -> None:
    result = _parse("eight_shimei.csv")
    assert result.format == "eight" and result.card_exchanges
    kondo, yamakawa = result.cards
    # A space in 氏名 parts family from given name; without one the name stays whole.
    assert (kondo.family_name, kondo.given_name) == ("近藤", "五郎")
    assert (kondo.family_reading, kondo.given_reading) == ("こんどう", "ごろう")
    assert (kondo.company, kondo.company_reading, kondo.title) == (
        "株式会社エイト商事",
        "えいとしょうじ",
        "部長",
    )
    assert kondo.first_met_on == date(2022, 5, 26)
    assert (yamakawa.family_name, yamakawa.given_name) == ("山川六実", "")
    assert yamakawa.family_reading == "やまかわむつみ"
    # Eight's own flags say nothing of the person: not listed as not kept.
    assert result.not_kept == {}


def test_outlook_csv() -> None:
    result = _parse("outlook_contacts.csv")
    assert result.format == "outlook"
    public, lee = result.cards
    assert (public.family_name, public.given_name, public.additional_name) == (
        "Public",
        "John",
        "Q",
    )
    assert (public.company, public.department, public.title) == ("Example Corp", "Sales", "Manager")
    assert (public.birthday, public.anniversary, public.nickname) == (
        "1980-03-21",
        "2001-06-02",
        "Johnny",
    )
    assert public.tags == ["Clients", "Golf"]
    assert public.methods == [
        Method("email", "john@example.com", ""),
        Method("email", "jqp@example.org", ""),
        Method("phone", "(217) 555-0100", "work"),
        Method("phone", "(217) 555-0101", "mobile"),
        Method("phone", "(217) 555-0199", "fax"),
        Method("address", "1 Main St, Springfield, IL 62701, United States", "work"),
        Method("url", "https://example.com", ""),
        Method("related", "Jane Public", "spouse"),
    ]
    # 0/0/00 is Outlook's "no date".
    assert (lee.birthday, lee.anniversary) == (None, None)
    # The name's prefix (Outlook's "Title") and a hobby have no field: counted.
    assert result.not_kept == {"title": 1, "hobby": 1}


def test_thunderbird_csv() -> None:
    result = _parse("thunderbird_contacts.csv")
    assert result.format == "thunderbird"
    sato, mori = result.cards
    assert (sato.family_name, sato.given_name, sato.nickname) == ("Sato", "Ken", "Kenny")
    assert (sato.company, sato.department, sato.title) == ("Sato Ltd", "Finance", "CFO")
    assert sato.birthday == "--11-27"
    assert sato.notes == "line one\nCustom 1: golf"
    assert Method("im", "kensato", "AIM") in sato.methods
    assert Method("address", "1-1 Marunouchi, Chiyoda-ku, Tokyo 100-0005, Japan", "work") in (
        sato.methods
    )
    # Only a display name: it is split as a name.
    assert (mori.given_name, mori.family_name) == ("Mori", "Aki")


@pytest.mark.parametrize(
    ("value", "month_first", "expected"),
    [
        ("1/8/18, 6:14 PM", True, date(2018, 1, 8)),
        ("12/31/2017", True, date(2017, 12, 31)),
        ("05 Feb 2024", False, date(2024, 2, 5)),
        ("08 Jan 2018", False, date(2018, 1, 8)),
        ("Jan 8, 2018", False, date(2018, 1, 8)),
        ("1/8/18", False, None),  # day or month first is the caller's to say
    ],
)
def test_connected_on_in_every_format(value: str, month_first: bool, expected: date | None) -> None:
    from tracker.importers.values import parse_day

    assert parse_day(value, month_first=month_first) == expected
