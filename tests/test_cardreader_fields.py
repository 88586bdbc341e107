"""The field rules on text lines as an OCR engine returns them (no pictures, no model)."""

import dataclasses

import pytest

from tracker.cardreader.fields import clean, read_fields
from tracker.cardreader.ocr import TextLine
from tracker.cardreader.reader import merge
from tracker.cardreader.result import LIST_FIELDS, TEXT_FIELDS, CardFields


def card(*rows: tuple[str, float] | tuple[str, float, float]) -> list[TextLine]:
    """Text lines stacked down a card: (text, text height[, x of its left edge])."""
    lines, y = [], 40.0
    for row in rows:
        text, size = row[0], row[1]
        x = row[2] if len(row) == 3 else 60.0
        width = size * 0.9 * len(text)
        lines.append(TextLine(text, x, y, x + width, y + size, 0.99))
        y += size * 1.5
    return lines


def test_a_japanese_card() -> None:
    found = read_fields(
        card(
            ("株式会社みらい会計事務所", 34),
            ("経営支援部 第二課 課長", 28),
            ("やまだ たろう", 22),
            ("山田 太郎", 70),
            ("〒150-0002 東京都渋谷区渋谷2-21-1", 24),
            ("渋谷ヒカリエ12F", 24),
            ("TEL 03-1234-5678 FAX 03-1234-5679", 24),
            ("携帯 090-1111-2222", 24),
            ("E-mail taro.yamada@mirai-kaikei.co.jp", 24),
            ("https://www.mirai-kaikei.co.jp", 24),
        )
    )
    assert (found.family_name, found.given_name) == ("山田", "太郎")
    assert (found.family_reading, found.given_reading) == ("やまだ", "たろう")
    assert not found.readings_suggested
    assert found.company == "株式会社みらい会計事務所"
    assert (found.department, found.title) == ("経営支援部 第二課", "課長")
    assert found.address == "〒150-0002 東京都渋谷区渋谷2-21-1 渋谷ヒカリエ12F"
    assert found.phones == ["03-1234-5678", "090-1111-2222"]
    assert found.emails == ["taro.yamada@mirai-kaikei.co.jp"]
    assert found.urls == ["https://www.mirai-kaikei.co.jp"]
    assert found.source == "ocr"


@pytest.mark.parametrize(
    "line",
    ["FAX 03-1234-5679", "Fax. 03-1234-5679", "F 03-1234-5679", "ファックス 03-1234-5679"],
)
def test_a_fax_number_is_no_phone(line: str) -> None:
    found = read_fields(card(("佐藤 花子", 60), ("TEL 03-1234-5678", 24), (line, 24)))
    assert found.phones == ["03-1234-5678"]


def test_a_postal_code_is_no_phone_and_starts_the_address() -> None:
    found = read_fields(
        card(("鈴木 一郎", 60), ("〒100-0005", 24), ("東京都千代田区丸の内1-1-1", 24))
    )
    assert found.phones == []
    assert found.address == "〒100-0005 東京都千代田区丸の内1-1-1"


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("亍150-0002 東京都", "〒150-0002 東京都"),
        ("ヒカリ工12F", "ヒカリエ12F"),
        ("マネージャ一", "マネージャー"),
        ("第一ビル", "第一ビル"),  # 一 after a kanji stays a kanji
        ("第ービル", "第一ビル"),  # and a long-vowel mark after a kanji is one
        ("協力会社", "協力会社"),
        ("ＴＥＬ ０３－１２３４－５６７８", "TEL 03-1234-5678"),
    ],
)
def test_ocr_text_is_put_right(raw: str, cleaned: str) -> None:
    assert clean(raw) == cleaned


def test_the_largest_name_like_line_is_the_name_and_its_reading_is_suggested() -> None:
    found = read_fields(card(("青葉商事株式会社", 30), ("営業部 部長", 24), ("佐藤花子", 64)))
    assert (found.family_name, found.given_name) == ("佐藤", "花子")
    assert (found.family_reading, found.given_reading) == ("さとう", "はなこ")
    assert found.readings_suggested


def test_furigana_in_katakana_without_a_space_is_split_by_the_name() -> None:
    found = read_fields(card(("ハセガワケンタ", 20), ("長谷川 健太", 64)))
    assert (found.family_reading, found.given_reading) == ("はせがわ", "けんた")


@pytest.mark.parametrize("romaji", ["Taro Yamada", "YAMADA Taro", "Yamada Taro"])
def test_romaji_under_the_name_gives_the_reading(romaji: str) -> None:
    found = read_fields(card(("山田 太郎", 64), (romaji, 24)))
    assert (found.family_reading, found.given_reading) == ("やまだ", "たろう")
    assert not found.readings_suggested


def test_romaji_without_long_vowels_keeps_the_names_reading() -> None:
    found = read_fields(card(("伊藤 裕子", 64), ("Yuko Ito", 24)))
    assert (found.family_reading, found.given_reading) == ("いとう", "ゆうこ")


def test_a_misread_voicing_mark_in_furigana_is_put_right() -> None:
    found = read_fields(card(("すずき かすや", 20), ("鈴木 和也", 64)))
    assert (found.family_reading, found.given_reading) == ("すずき", "かずや")


def test_an_english_card() -> None:
    found = read_fields(
        card(
            ("Blue River Design Inc.", 34),
            ("Jane Smith", 64),
            ("Senior Manager, Marketing Department", 26),
            ("Suite 201, 1-2-3 Marunouchi,", 22),
            ("Chiyoda-ku, Tokyo 100-0005, Japan", 22),
            ("Tel +81-3-1234-5678  Fax +81-3-1234-5679", 22),
            ("jane.smith@blueriver.example.com", 22),
            ("www.blueriver.example.com", 22),
        )
    )
    assert (found.family_name, found.given_name) == ("Smith", "Jane")
    assert found.company == "Blue River Design Inc."
    assert (found.title, found.department) == ("Senior Manager", "Marketing Department")
    assert found.address == "Suite 201, 1-2-3 Marunouchi, Chiyoda-ku, Tokyo 100-0005, Japan"
    assert found.phones == ["+81-3-1234-5678"]
    assert found.emails == ["jane.smith@blueriver.example.com"]
    assert found.urls == ["www.blueriver.example.com"]
    assert (found.family_reading, found.given_reading) == ("", "")


def test_a_family_name_in_capitals_comes_first() -> None:
    found = read_fields(card(("SMITH Jane", 64), ("jane@example.com", 22)))
    assert (found.family_name, found.given_name) == ("Smith", "Jane")


def test_a_department_and_title_read_as_one_word_are_split() -> None:
    found = read_fields(
        card(("株式会社青葉", 30), ("営業本部第一営業部代表取締役", 24), ("田中 誠", 64))
    )
    assert (found.department, found.title) == ("営業本部第一営業部", "代表取締役")


def test_a_profession_is_a_title() -> None:
    found = read_fields(card(("みらい税理士事務所", 30), ("税理士", 24), ("木村 直子", 64)))
    assert (found.company, found.title, found.department) == ("みらい税理士事務所", "税理士", "")


def test_name_boxes_apart_on_one_row_are_family_and_given() -> None:
    lines = [
        TextLine("長谷川", 60, 100, 250, 170, 0.99),
        TextLine("健", 330, 100, 400, 170, 0.99),
    ]
    found = read_fields(lines)
    assert (found.family_name, found.given_name) == ("長谷川", "健")


def test_the_back_in_english_gives_the_front_its_reading() -> None:
    front = read_fields(card(("株式会社青葉", 30), ("小野 誠", 64), ("TEL 03-1234-5678", 24)))
    back = read_fields(
        card(("Aoba Co., Ltd.", 30), ("Makoto Ono", 64), ("Mobile 090-1234-5678", 24))
    )
    found = merge([back, front])
    assert (found.family_name, found.given_name) == ("小野", "誠")
    assert (found.family_reading, found.given_reading) == ("おの", "まこと")
    assert not found.readings_suggested
    assert found.company == "株式会社青葉"
    assert found.phones == ["03-1234-5678", "090-1234-5678"]


def test_no_lines_is_no_card() -> None:
    found = read_fields([])
    assert found.source == "none"
    assert found.is_empty()


def test_a_given_name_gets_its_usual_reading_not_just_any_known_one() -> None:
    # The name lists know 陽子 as あきこ, きよこ … and ようこ, in no order of likelihood.
    found = read_fields(card(("佐藤 陽子", 64), ("TEL 03-1234-5678", 24)))
    assert (found.family_reading, found.given_reading) == ("さとう", "ようこ")
    assert found.readings_suggested


def test_the_result_has_every_field_a_card_shows() -> None:
    names = [field.name for field in dataclasses.fields(CardFields)]
    assert set(TEXT_FIELDS) | set(LIST_FIELDS) <= set(names)
    assert {"family_name", "given_name", "family_reading", "given_reading", "address"} <= set(
        TEXT_FIELDS
    )


@pytest.mark.parametrize(
    "line", ["Marketing Department Senior Manager", "Senior Manager, Marketing Department"]
)
def test_an_english_department_and_title_on_one_line(line: str) -> None:
    found = read_fields(card(("Aoba Co., Ltd.", 30), ("Jane Smith", 64), (line, 24)))
    assert (found.department, found.title) == ("Marketing Department", "Senior Manager")
