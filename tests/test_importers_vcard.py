"""vCard 2.1, 3.0 and 4.0: the fixtures field by field, then each rule of the reader alone."""

import base64
import importlib.util
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

from tracker.importers import Card, Method, ParseResult, parse

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BUILDER = _builder()


def _fixture(name: str) -> ParseResult:
    return parse((FIXTURES / name).read_bytes())


def _one(text: str) -> Card:
    result = parse(text.encode("utf-8"))
    assert result.errors == [], result.errors
    assert len(result.cards) == 1
    return result.cards[0]


def _vcard(*lines: str, version: str = "3.0") -> str:
    return "\r\n".join(["BEGIN:VCARD", f"VERSION:{version}", *lines, "END:VCARD"]) + "\r\n"


# -- the fixtures ----------------------------------------------------------------------------


def test_vcard21_quoted_printable_shift_jis() -> None:
    result = _fixture("vcard21_iphone_qp_sjis.vcf")
    assert (result.format, result.encoding) == ("vcard", "utf-8")
    assert result.errors == [] and result.warnings == []
    yamada, smith, sato = result.cards
    assert (yamada.family_name, yamada.given_name) == ("山田", "太郎")
    assert (yamada.family_reading, yamada.given_reading) == ("ヤマダ", "タロウ")
    assert (yamada.company, yamada.department, yamada.title) == (
        "山田税理士事務所",
        "相続部",
        "所長",
    )
    assert (
        yamada.notes == "異業種交流会で名刺交換。\n相続案件の紹介について、来月また話す約束をした。"
    )
    assert yamada.methods == [
        Method("phone", "090-0000-1234", "mobile"),
        Method("phone", "03-0000-5678", "work"),
        Method("phone", "03-0000-5679", "fax"),
        Method("phone", "03-0000-5680", "直通"),
        Method("email", "taro.yamada@example.co.jp", "work"),
        Method("address", "〒100-0005 東京都千代田区丸の内1-1-1 丸の内ビル3F", "work"),
        Method("url", "https://yamada-tax.example.co.jp/", "work"),
    ]
    assert yamada.birthday == "1975-04-12"
    assert (yamada.record, yamada.line) == (1, 1)
    assert (smith.family_name, smith.given_name) == ("Smith", "Jane")
    assert smith.additional_name == "Q."
    assert (smith.company, smith.department, smith.title) == ("Acme Corp", "Legal", "Counsel")
    assert smith.methods == [
        Method("phone", "+1-555-0100", "home"),
        Method("email", "jane@example.com", "home"),
        Method("address", "1 Main St, Springfield, IL 62701, USA", "home"),
    ]
    assert (smith.record, smith.line) == (2, 28)
    # Only FN, in kanji without a space: all of it is the family name.
    assert (sato.family_name, sato.given_name) == ("佐藤花子", "")
    assert sato.methods == [Method("phone", "080-0000-9876", "mobile")]
    assert (sato.record, sato.line) == (3, 38)


def test_vcard30_android() -> None:
    result = _fixture("vcard30_android.vcf")
    assert (result.format, result.encoding) == ("vcard", "utf-8")
    assert result.errors == []
    suzuki, brown, takahashi = result.cards
    assert (suzuki.family_name, suzuki.given_name) == ("鈴木", "一郎")
    assert (suzuki.family_reading, suzuki.given_reading) == ("すずき", "いちろう")
    assert (suzuki.company, suzuki.department, suzuki.title) == (
        "株式会社サンプル商事",
        "営業部",
        "部長",
    )
    assert suzuki.methods == [
        Method("phone", "06-0000-1111", "work"),
        Method("phone", "080-0000-2222", "mobile"),
        Method("phone", "06-0000-1112", "会社"),
        Method("email", "ichiro.suzuki@example.jp", "work"),
        Method("address", "〒530-0001 大阪府大阪市北区梅田1-2-3 サンプルビル10階", "work"),
    ]
    assert suzuki.notes == (
        "2025年12月の交流会で紹介された。法人税, 消費税; 相続税に強い。"
        "\n次回は1月にランチ。\nBackslash: C:\\share"
    )
    assert suzuki.tags == ["取引先", "税理士会"]
    assert suzuki.birthday == "--11-27"
    assert suzuki.photo == BUILDER.tiny_jpeg()
    assert suzuki.photo_type == "image/jpeg"

    assert (brown.family_name, brown.given_name, brown.company) == (
        "Brown",
        "Alice",
        "Example Design Ltd.",
    )
    assert brown.methods == [
        Method("phone", "+44 20 0000 0000", "home"),
        Method("email", "alice@example.org", "home"),
        Method("url", "https://alice.example.org/portfolio", ""),
    ]
    assert brown.birthday == "1988-02-29"
    assert brown.photo is None and brown.photo_type is None
    [warning] = result.warnings
    assert warning.message == "the photo is not a JPEG, PNG or WebP image and was left out"
    assert (warning.record, warning.line) == (2, 35)

    assert (takahashi.family_name, takahashi.given_name) == ("高橋", "")
    assert takahashi.family_reading == "たかはし"
    assert takahashi.company.startswith("高橋法律事務所（東京・") and takahashi.company.endswith(
        "那覇の各オフィス）"
    )
    assert takahashi.tags == ["弁護士"]


def test_vcard40_sort_as_and_type_lists() -> None:
    result = _fixture("vcard40_sort_as.vcf")
    assert result.errors == [] and result.warnings == []
    tanaka, doe = result.cards
    assert (tanaka.family_name, tanaka.given_name) == ("田中", "花子")
    assert (tanaka.family_reading, tanaka.given_reading) == ("たなか", "はなこ")
    assert (tanaka.company, tanaka.department, tanaka.title) == ("田中デザイン事務所", "", "代表")
    assert tanaka.methods == [
        Method("phone", "+81-3-0000-3333", "work"),
        Method("phone", "+81-90-0000-4444", "mobile"),
        Method("email", "hanako@example.jp", "work"),
        Method("email", "hanako.private@example.net", "home"),
        Method("phone", "06-0000-5555", "会社"),
        Method("address", "〒150-0001 東京都渋谷区神宮前1-1-1", "home"),
        Method("url", "https://tanaka-design.example.jp/", "work"),
    ]
    assert tanaka.tags == ["デザイナー", "紹介者"]
    assert tanaka.birthday == "1985-04-12"
    assert tanaka.photo == BUILDER.tiny_png() and tanaka.photo_type == "image/png"
    assert (tanaka.record, tanaka.line) == (1, 1)

    # SORT-AS that only repeats the name is no reading.
    assert (doe.family_name, doe.given_name, doe.family_reading, doe.given_reading) == (
        "Doe",
        "John",
        "",
        "",
    )
    assert (doe.company, doe.department) == ("Doe & Partners", "Tax")
    assert doe.methods == [
        Method("email", "john@example.com", "work"),
        Method("url", "https://doe.example.com/", "HomePage"),
        Method("phone", "+1-555-0111", "mobile"),
    ]
    assert doe.birthday == "--07-04"
    assert (
        doe.notes == "Met at the chamber of commerce, Tokyo.\nFollow up in March; bring the deck."
    )


# -- lines -------------------------------------------------------------------------------------


def test_folded_lines_are_unfolded_with_space_or_tab() -> None:
    card = _one(_vcard("N:Yama", " da;Ta", "\tro;;;", "NOTE:one", "  two"))
    assert (card.family_name, card.given_name) == ("Yamada", "Taro")
    # Only the one whitespace that marks the fold goes; the next is content.
    assert card.notes == "one two"


def test_lf_and_cr_line_endings() -> None:
    text = "BEGIN:VCARD\nVERSION:3.0\nFN:Ken Ito\nEND:VCARD\rBEGIN:VCARD\rFN:Ai Ono\rEND:VCARD"
    result = parse(text.encode())
    assert [(card.family_name, card.given_name) for card in result.cards] == [
        ("Ito", "Ken"),
        ("Ono", "Ai"),
    ]


def test_quoted_printable_soft_line_breaks_in_utf8() -> None:
    encoded = "".join(f"={byte:02X}" for byte in "株式会社サンプル".encode())
    lines = ["FN:Ken Ito", f"ORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{encoded[:30]}="]
    lines += [f"{encoded[30:]};=E5=96=B6=E6=A5=AD=E9=83=A8"]
    card = _one(_vcard(*lines, version="2.1"))
    assert (card.company, card.department) == ("株式会社サンプル", "営業部")


def test_quoted_printable_note_keeps_line_breaks() -> None:
    card = _one(
        _vcard("FN:Ken Ito", "NOTE;ENCODING=QUOTED-PRINTABLE:first=0D=0Asecond=", "=20third")
    )
    assert card.notes == "first\nsecond third"


def test_quoted_printable_soft_break_before_end_does_not_eat_end() -> None:
    result = parse(_vcard("FN:Ken Ito", "NOTE;QUOTED-PRINTABLE:cut=", version="2.1").encode())
    assert [card.family_name for card in result.cards] == ["Ito"]


def test_plain_charset_line_in_a_shift_jis_file() -> None:
    # A cp932 file in which one line is UTF-8 and says so.
    data = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=SHIFT_JIS:山田;太郎\r\n".encode("cp932")
        + "ORG;CHARSET=UTF-8:山田商店\r\n".encode()
        + b"END:VCARD\r\n"
    )
    result = parse(data)
    assert result.cards[0].family_name == "山田"
    assert result.cards[0].company == "山田商店"


# -- names and readings ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("full_name", "family", "given"),
    [
        ("Jane Smith", "Smith", "Jane"),
        ("Mary Ann van Dyke", "Dyke", "Mary Ann van"),
        ("Cher", "Cher", ""),
        ("山田太郎", "山田太郎", ""),
        ("山田 太郎", "山田", "太郎"),
        ("山田\u3000太郎", "山田", "太郎"),
    ],
)
def test_full_name_is_the_fallback(full_name: str, family: str, given: str) -> None:
    card = _one(_vcard(f"FN:{full_name}"))
    assert (card.family_name, card.given_name) == (family, given)


def test_empty_n_falls_back_to_full_name() -> None:
    card = _one(_vcard("N:;;;;", "FN:Jane Smith"))
    assert (card.family_name, card.given_name) == ("Smith", "Jane")


def test_a_company_card_does_not_become_a_person() -> None:
    card = _one(_vcard("N:;;;;", "FN:Acme Corp", "ORG:Acme Corp"))
    assert (card.family_name, card.given_name, card.company) == ("", "", "Acme Corp")


def test_readings_from_sort_string() -> None:
    card = _one(_vcard("N:山田;太郎;;;", "SORT-STRING:やまだ"))
    assert (card.family_reading, card.given_reading) == ("やまだ", "")


def test_phonetic_names_win_over_sort_keys() -> None:
    lines = ['N;SORT-AS="やまだ,たろう":山田;太郎;;;', "X-PHONETIC-LAST-NAME:ヤマダ"]
    card = _one(_vcard(*lines, version="4.0"))
    assert (card.family_reading, card.given_reading) == ("ヤマダ", "たろう")


def test_sort_as_param_with_caret_escapes() -> None:
    card = _one(_vcard("N;SORT-AS=\"o^'brien,jo\":O'Brien;Jo;;;", version="4.0"))
    assert card.family_reading == 'o"brien'


# -- organisation, methods, labels -------------------------------------------------------------


def test_org_with_several_units_and_escapes() -> None:
    card = _one(_vcard("FN:A B", "ORG:Smith\\, Jones\\; Co;Tax;Inheritance", "TITLE:Partner"))
    assert (card.company, card.department, card.title) == (
        "Smith, Jones; Co",
        "Tax Inheritance",
        "Partner",
    )


@pytest.mark.parametrize(
    ("line", "label"),
    [
        ("TEL;CELL;VOICE:1", "mobile"),
        ("TEL;WORK;FAX:1", "fax"),
        ("TEL;TYPE=HOME,FAX:1", "fax"),
        ("TEL;TYPE=work;TYPE=voice:1", "work"),
        ('TEL;TYPE="cell,voice":1', "mobile"),
        ("TEL;type=IPHONE:1", "mobile"),
        ("TEL;TYPE=PAGER:1", "pager"),
        ("TEL;TYPE=VOICE:1", ""),
        ("TEL;PREF:1", ""),
        ("TEL;TYPE=X-会社:1", "会社"),
        ("TEL:1", ""),
    ],
)
def test_phone_labels_from_types(line: str, label: str) -> None:
    card = _one(_vcard("FN:A B", line))
    assert card.methods == [Method("phone", "1", label)]


def test_apple_group_labels() -> None:
    lines = [
        "FN:A B",
        "item1.TEL;type=pref:1",
        "item1.X-ABLabel:_$!<Mobile>!$_",
        "item2.EMAIL;type=INTERNET:a@example.jp",
        "item2.X-ABLabel:会社",
        "ITEM3.URL:https://example.jp",
        "item3.X-ABLABEL:_$!<HomePage>!$_",
    ]
    card = _one(_vcard(*lines))
    assert card.methods == [
        Method("phone", "1", "mobile"),
        Method("email", "a@example.jp", "会社"),
        Method("url", "https://example.jp", "HomePage"),
    ]


def test_tel_uri_in_vcard4() -> None:
    card = _one(_vcard("FN:A B", "TEL;VALUE=uri;TYPE=cell:tel:+81-90-0000-0000", version="4.0"))
    assert card.methods == [Method("phone", "+81-90-0000-0000", "mobile")]


@pytest.mark.parametrize(
    ("adr", "expected"),
    [
        (
            ";;1-1 Chiyoda;Chiyoda-ku;Tokyo;100-0001;Japan",
            "1-1 Chiyoda, Chiyoda-ku, Tokyo 100-0001, Japan",
        ),
        (";;千代田1-1;千代田区;東京都;100-0001;", "〒100-0001 東京都千代田区千代田1-1"),
        (";;千代田1-1;千代田区;東京都;;", "東京都千代田区千代田1-1"),
        (
            ";Suite 4;1 Main St;Arlington;VA;22201;USA",
            "1 Main St, Suite 4, Arlington, VA 22201, USA",
        ),
        ("PO Box 7;;;Leeds;;LS1 1AA;UK", "PO Box 7, Leeds, LS1 1AA, UK"),
        (";;Line 1\\nLine 2;;;;", "Line 1 Line 2"),
        (";;Only\\, street", "Only, street"),
    ],
)
def test_addresses_become_one_line(adr: str, expected: str) -> None:
    card = _one(_vcard("FN:A B", f"ADR;TYPE=WORK:{adr}"))
    assert card.methods == [Method("address", expected, "work")]


def test_empty_methods_are_dropped() -> None:
    card = _one(_vcard("FN:A B", "TEL:", "EMAIL: ", "ADR:;;;;;;"))
    assert card.methods == []


# -- notes, tags, dates, photos ----------------------------------------------------------------


def test_note_escapes_and_several_notes() -> None:
    card = _one(_vcard("FN:A B", "NOTE:a\\nb\\Nc\\, d\\; e\\\\f \\x", "NOTE:second"))
    assert card.notes == "a\nb\nc, d; e\\f \\x\nsecond"


def test_categories_become_unique_tags() -> None:
    card = _one(_vcard("FN:A B", "CATEGORIES:取引先,a\\,b, 取引先 ,", "CATEGORIES:VIP"))
    assert card.tags == ["取引先", "a,b", "VIP"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("--1127", "--11-27"),
        ("--11-27", "--11-27"),
        ("19801127", "1980-11-27"),
        ("1980-11-27", "1980-11-27"),
        ("1980-11-27T00:00:00Z", "1980-11-27"),
        ("19801127T000000", "1980-11-27"),
        ("--0229", "--02-29"),
    ],
)
def test_birthday_forms(value: str, expected: str) -> None:
    assert _one(_vcard("FN:A B", f"BDAY:{value}")).birthday == expected


def test_apple_birthday_without_a_year() -> None:
    card = _one(_vcard("FN:A B", "BDAY;X-APPLE-OMIT-YEAR=1604:1604-11-27"))
    assert card.birthday == "--11-27"


@pytest.mark.parametrize("value", ["2025-13-45", "--1340", "1980-02-30", "circa 1800", "1980"])
def test_invalid_birthday_is_a_warning(value: str) -> None:
    result = parse(_vcard("FN:A B", f"BDAY:{value}").encode())
    assert result.errors == []
    assert result.cards[0].birthday is None
    [warning] = result.warnings
    assert warning.message == "birthday %(value)s is not a valid date"
    assert warning.params == {"value": value}
    assert (warning.record, warning.line) == (1, 4)


def test_vcard21_base64_photo_with_bare_lines() -> None:
    jpeg = base64.b64encode(BUILDER.tiny_jpeg()).decode()
    lines = ["FN:A B", f"PHOTO;ENCODING=BASE64;JPEG:{jpeg[:60]}", jpeg[60:120], f"  {jpeg[120:]}"]
    card = _one(_vcard(*lines, "", version="2.1"))
    assert card.photo == BUILDER.tiny_jpeg()


def test_photo_that_is_a_link_is_ignored_quietly() -> None:
    result = parse(_vcard("FN:A B", "PHOTO;VALUE=uri:https://example.com/a.jpg").encode())
    assert result.cards[0].photo is None and result.warnings == []


def test_photo_that_cannot_be_decoded_is_a_warning() -> None:
    result = parse(_vcard("FN:A B", "PHOTO;ENCODING=b;TYPE=JPEG:@@@notbase64@@@").encode())
    assert result.cards[0].photo is None
    assert [warning.message for warning in result.warnings] == [
        "the photo could not be decoded and was left out"
    ]


def test_first_met_on_from_this_apps_export() -> None:
    card = _one(_vcard("FN:A B", "X-JINMYAKU-FIRST-MET-ON:2025-12-07", version="4.0"))
    assert card.first_met_on == date(2025, 12, 7)


# -- records -----------------------------------------------------------------------------------


def test_several_cards_and_lines_between_them() -> None:
    text = "junk before\r\n" + _vcard("FN:A B") + "\r\nstray line\r\n" + _vcard("FN:C D")
    result = parse(text.encode())
    assert [(card.record, card.line, card.family_name) for card in result.cards] == [
        (1, 2, "B"),
        (2, 8, "D"),
    ]


def test_begin_inside_an_open_card_cuts_it() -> None:
    text = "BEGIN:VCARD\r\nFN:Cut Off\r\n" + _vcard("FN:Whole One")
    result = parse(text.encode())
    assert [card.family_name for card in result.cards] == ["One"]
    [error] = result.errors
    assert (error.record, error.line) == (1, 1)
    assert error.message == "the record is cut off: it has no END:VCARD"


def test_a_card_with_nothing_in_it_is_an_error() -> None:
    result = parse((_vcard("NOTE:only a note") + _vcard("FN:A B")).encode())
    assert len(result.cards) == 1
    [error] = result.errors
    assert error.message == "the record has no name, company or contact details"
    assert error.record == 1


def test_lower_case_names_and_parameters() -> None:
    card = _one(_vcard("n:Smith;Jane;;;", "tel;type=cell:1", "email;type=work:j@example.com"))
    assert card.family_name == "Smith"
    assert card.methods == [
        Method("phone", "1", "mobile"),
        Method("email", "j@example.com", "work"),
    ]


def test_control_characters_are_stripped() -> None:
    card = _one(_vcard("N:Ya\x01ma\x7fda;Ta\x0bro;;;", "NOTE:a\\nb\x07c"))
    assert (card.family_name, card.given_name, card.notes) == ("Yamada", "Taro", "a\nbc")


def test_values_are_not_truncated() -> None:
    long_title = "部長" * 4_000
    assert _one(_vcard("FN:A B", f"TITLE:{long_title}")).title == long_title
