"""LinkedIn, Google Contacts (current and legacy) and Eight CSV exports, field by field."""

import codecs
from datetime import date
from pathlib import Path

import pytest

from tracker.importers import ImportFormatError, Method, ParseResult, parse

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
GOOGLE_HEADER = (
    "First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,"
    "Phonetic Last Name,Name Prefix,Name Suffix,Nickname,File As,Organization Name,"
    "Organization Title,Organization Department,Birthday,Notes,Photo,Labels,E-mail 1 - Label,"
    "E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value"
)
EIGHT_HEADER = (
    "会社名,部署名,役職,姓,名,e-mail,郵便番号,住所,"
    "TEL会社,TEL部門,TEL直通,Fax,携帯電話,URL,名刺交換日"
)


def _fixture(name: str) -> ParseResult:
    return parse((FIXTURES / name).read_bytes())


def test_linkedin_connections() -> None:
    result = _fixture("linkedin_connections.csv")
    assert (result.format, result.encoding) == ("linkedin", "utf-8")
    assert result.errors == [] and result.warnings == []
    smith, yamada, dupont = result.cards
    assert (smith.family_name, smith.given_name) == ("Smith", "Jane")
    assert (smith.company, smith.title) == ("Acme, Inc.", "General Counsel")
    assert smith.methods == [
        Method("email", "jane.smith@example.com", ""),
        Method("url", "https://www.linkedin.com/in/janesmith-example", "LinkedIn"),
    ]
    assert smith.first_met_on == date(2025, 12, 7)
    # The caller tags an import batch; the parser adds no "LinkedIn" tag of its own.
    assert smith.tags == []
    assert (smith.record, smith.line) == (1, 5)
    assert (yamada.family_name, yamada.given_name) == ("山田", "太郎")
    assert (yamada.company, yamada.title) == ("山田税理士事務所", "税理士")
    assert yamada.methods == [
        Method("url", "https://www.linkedin.com/in/taro-yamada-example", "LinkedIn")
    ]
    assert yamada.first_met_on == date(2024, 11, 15)
    assert (dupont.company, dupont.title, dupont.first_met_on) == ("", "", date(2020, 1, 1))
    assert (dupont.record, dupont.line) == (3, 7)


def test_google_contacts_current_format() -> None:
    result = _fixture("google_contacts.csv")
    assert (result.format, result.encoding) == ("google", "utf-8-sig")
    assert result.errors == [] and result.warnings == []
    sato, garcia, info = result.cards
    assert (sato.family_name, sato.given_name) == ("佐藤", "健")
    assert (sato.family_reading, sato.given_reading) == ("さとう", "けん")
    assert (sato.company, sato.department, sato.title) == ("株式会社サンプル", "経理部", "課長")
    assert sato.birthday == "1979-03-15"
    assert sato.notes == "紹介: 山田さん\n次回は4月, 決算後"
    assert sato.tags == ["取引先"]
    assert sato.methods == [
        Method("email", "ken.sato@example.co.jp", "work"),
        Method("email", "k.sato@example.net", "work"),
        Method("phone", "090-0000-7777", "mobile"),
        Method("phone", "03-0000-8888", "fax"),
        Method("address", "〒100-0001 東京都千代田区千代田1-1", "work"),
        Method("url", "https://sample.example.co.jp/sato", "Profile"),
    ]
    assert (sato.record, sato.line) == (1, 2)
    # The middle name is kept apart from the given name.
    assert (garcia.family_name, garcia.given_name) == ("Garcia", "Maria")
    assert garcia.additional_name == "Luisa"
    assert garcia.birthday == "--05-20"
    assert garcia.tags == ["Designers"]
    assert garcia.methods == [
        Method("email", "maria@example.es", "home"),
        Method("address", "Calle Mayor 1, Madrid, 28013, Spain", "home"),
    ]
    # The notes cell of the row before spans two lines.
    assert (garcia.record, garcia.line) == (2, 4)
    assert (info.family_name, info.given_name, info.tags) == ("", "", [])
    assert info.methods == [Method("email", "info@example.org", "")]


def test_google_contacts_legacy_format_in_utf16() -> None:
    result = _fixture("google_contacts_legacy.csv")
    assert (result.format, result.encoding) == ("google_legacy", "utf-16-le")
    assert result.errors == [] and result.warnings == []
    ito, baker = result.cards
    assert (ito.family_name, ito.given_name) == ("伊藤", "美咲")
    assert (ito.family_reading, ito.given_reading) == ("いとう", "みさき")
    assert (ito.company, ito.department, ito.title) == ("伊藤司法書士事務所", "登記部", "代表")
    assert ito.birthday == "1990-07-01"
    assert ito.notes == "司法書士。登記の相談先。"
    assert ito.tags == ["士業"]
    assert ito.methods == [
        Method("email", "misaki.ito@example.jp", "work"),
        Method("phone", "070-0000-3333", "mobile"),
        Method("phone", "052-000-4444", "work"),
        Method("address", "〒460-0008 愛知県名古屋市中区栄3-4-5", "work"),
        Method("url", "https://ito-shihou.example.jp/", "work"),
    ]
    # Only "Name": split as a Western name.
    assert (baker.family_name, baker.given_name) == ("Baker", "Tom")
    assert baker.methods == [Method("email", "tom@example.co.uk", "home")]
    assert baker.tags == []


def test_legacy_yomi_name_is_split_when_the_parts_are_missing() -> None:
    header = "Name,Given Name,Family Name,Yomi Name,Group Membership"
    text = header + "\n山田 太郎,太郎,山田,やまだ たろう,\n"
    [card] = parse(text.encode()).cards
    assert (card.family_reading, card.given_reading) == ("やまだ", "たろう")


def test_eight_in_cp932() -> None:
    result = _fixture("eight.csv")
    assert (result.format, result.encoding) == ("eight", "cp932")
    assert result.errors == []
    suzuki, takahashi, yamada = result.cards
    assert (suzuki.family_name, suzuki.given_name) == ("鈴木", "一郎")
    assert (suzuki.company, suzuki.department, suzuki.title) == (
        "株式会社サンプル商事",
        "営業部",
        "部長",
    )
    assert suzuki.methods == [
        Method("email", "ichiro.suzuki@example.jp", "work"),
        Method("phone", "06-0000-1111", "work"),
        Method("phone", "06-0000-1112", "部門"),
        Method("phone", "06-0000-1113", "直通"),
        Method("phone", "06-0000-1119", "fax"),
        Method("phone", "080-0000-2222", "mobile"),
        Method("address", "〒530-0001 大阪府大阪市北区梅田1-2-3", "work"),
        Method("url", "https://sample-shoji.example.jp/", "work"),
    ]
    assert suzuki.first_met_on == date(2025, 12, 7)
    assert (suzuki.record, suzuki.line) == (1, 2)
    # 髙 and ① exist in cp932 but not in plain Shift_JIS.
    assert (takahashi.family_name, takahashi.company) == ("髙橋", "合同会社テスト, デザイン")
    assert takahashi.methods[-1] == Method(
        "address", "〒810-0001 福岡県福岡市中央区天神1-1-1 ビル①", "work"
    )
    assert takahashi.first_met_on == date(2024, 1, 5)
    assert (yamada.family_name, yamada.first_met_on) == ("山田", None)
    [warning] = result.warnings
    assert (warning.record, warning.line) == (3, 4)
    assert warning.message == "%(column)s: %(value)s is not a valid date"
    assert warning.params == {"column": "名刺交換日", "value": "2025/13/40"}


@pytest.mark.parametrize(
    ("extra_header", "extra_cells"),
    [
        ("姓(読み),名(読み)", "スズキ,イチロウ"),
        ("姓（よみ）,名（よみ）", "スズキ,イチロウ"),
        ("セイ,メイ", "スズキ,イチロウ"),
        ("フリガナ", "スズキ イチロウ"),
        ("氏名（フリガナ）,メモ", "スズキ イチロウ,どうでもよい列"),
    ],
)
def test_eight_readings_when_present(extra_header: str, extra_cells: str) -> None:
    text = (
        f"{EIGHT_HEADER},{extra_header}\r\n"
        f"サンプル商事,,,鈴木,一郎,,,,,,,,,,2025/12/07,{extra_cells}\r\n"
    )
    [card] = parse(text.encode("cp932")).cards
    assert (card.family_reading, card.given_reading) == ("スズキ", "イチロウ")


def test_tab_separated_google_export() -> None:
    text = GOOGLE_HEADER.replace(",", "\t") + "\n" + "\t".join(["Ken", "", "Ito"] + [""] * 18)
    result = parse(text.encode("utf-16"))
    assert result.format == "google"
    assert (result.cards[0].family_name, result.cards[0].given_name) == ("Ito", "Ken")


def test_a_row_with_a_field_too_long_is_an_error_and_the_others_parse() -> None:
    rows = ["Ken,,Ito", "Long,,Note" + "," * 12 + "x" * 10_001, "Ai,,Ono"]
    text = GOOGLE_HEADER + "\n" + "\n".join(rows) + "\n"
    result = parse(text.encode())
    assert [card.family_name for card in result.cards] == ["Ito", "Ono"]
    [error] = result.errors
    assert (error.record, error.line) == (2, 3)
    assert error.message == "field too long: %(field)s has more than %(limit)s characters"
    assert error.params == {"field": "notes", "limit": 10_000}


def test_a_field_at_the_limit_is_kept_whole() -> None:
    text = GOOGLE_HEADER + "\nLong,,Note" + "," * 12 + "x" * 10_000 + "\n"
    assert parse(text.encode()).cards[0].notes == "x" * 10_000


def test_a_row_with_nothing_to_import_is_an_error() -> None:
    text = GOOGLE_HEADER + "\n,,,,,,,,,,,,,,,,* myContacts,,,,\nKen,,Ito\n"
    result = parse(text.encode())
    assert [card.family_name for card in result.cards] == ["Ito"]
    [error] = result.errors
    assert (error.record, error.line, error.message) == (
        1,
        2,
        "the record has no name, company or contact details",
    )


def test_blank_rows_are_skipped_without_counting() -> None:
    text = GOOGLE_HEADER + "\n\n,,,\nKen,,Ito\n"
    [card] = parse(text.encode()).cards
    assert (card.record, card.line) == (1, 4)


def test_short_and_long_rows() -> None:
    text = GOOGLE_HEADER + "\nKen\nAi,,Ono,,,,,,,,,,,,,,,,,,,,extra,cells\n"
    cards = parse(text.encode()).cards
    assert [(card.given_name, card.family_name) for card in cards] == [("Ken", ""), ("Ai", "Ono")]


def test_header_only_gives_no_cards_and_a_warning() -> None:
    result = parse(codecs.BOM_UTF8 + (GOOGLE_HEADER + "\r\n").encode())
    assert result.cards == [] and result.errors == []
    assert [warning.message for warning in result.warnings] == ["no contacts in the file"]


def test_unknown_csv_is_refused() -> None:
    with pytest.raises(ImportFormatError) as raised:
        parse(b"Name,Phone\nKen,123\n")
    assert raised.value.message.startswith("unknown format")


def test_a_cell_beyond_the_csv_modules_limit_fails_only_its_row() -> None:
    header = "First Name,Last Name,Notes,Labels\n"
    text = header + 'Ken,Ito,"' + "x" * 200_000 + '",\nAi,Ono,short,\n'
    result = parse(text.encode())
    assert [card.family_name for card in result.cards] == ["Ono"]
    [error] = result.errors
    assert (error.record, error.line) == (1, 2)
    assert error.message == "field too long: %(field)s has more than %(limit)s characters"
