"""vCard 4.0 and 3.0 export: the exact text, folding and escaping, and the round trip
through parse()."""

import dataclasses
import importlib.util
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.exporters import write_vcards
from tracker.exporters.vcard import VERSIONS, Version, fold
from tracker.importers import Card, Method, parse
from tracker.importers.values import method_key

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BUILDER = _builder()


def _bare(card: Card) -> Card:
    """The card without where it was read from, to compare with the one written."""
    return dataclasses.replace(card, record=0, line=None)


def _round_trip(cards: list[Card], version: Version = "4.0") -> list[Card]:
    result = parse(write_vcards(cards, version).encode("utf-8"))
    assert result.errors == [] and result.warnings == [] and not result.not_kept
    return [_bare(card) for card in result.cards]


YAMADA = Card(
    family_name="山田",
    given_name="太郎",
    family_reading="やまだ",
    given_reading="たろう",
    company="山田税理士事務所",
    department="相続部",
    title="所長",
    notes="交流会で名刺交換。\n相続, 事業承継; 紹介\\依頼",
    methods=[
        Method("phone", "090-0000-1234", "mobile"),
        Method("phone", "03-0000-5678", "work"),
        Method("phone", "03-0000-5679", "fax"),
        Method("email", "taro@example.co.jp", "work"),
        Method("phone", "03-0000-5680", "直通"),
        Method("address", "〒100-0005 東京都千代田区丸の内1-1-1", "work"),
        Method("url", "https://yamada-tax.example.co.jp/", ""),
    ],
    tags=["取引先", "税理士, 会計"],
    first_met_on=date(2025, 12, 7),
    birthday="--11-27",
)


def test_the_exact_text() -> None:
    assert write_vcards([YAMADA]).split("\r\n") == [
        "BEGIN:VCARD",
        "VERSION:4.0",
        'N;SORT-AS="やまだ,たろう":山田;太郎;;;',
        "FN:山田 太郎",
        "X-PHONETIC-LAST-NAME:やまだ",
        "X-PHONETIC-FIRST-NAME:たろう",
        "ORG:山田税理士事務所;相続部",
        "TITLE:所長",
        "TEL;TYPE=cell:090-0000-1234",
        "TEL;TYPE=work:03-0000-5678",
        "TEL;TYPE=fax:03-0000-5679",
        "EMAIL;TYPE=work:taro@example.co.jp",
        "item1.TEL:03-0000-5680",
        "item1.X-ABLabel:直通",
        "ADR;TYPE=work:;;〒100-0005 東京都千代田区丸の内1-1-1;;;;",
        "URL:https://yamada-tax.example.co.jp/",
        "NOTE:交流会で名刺交換。\\n相続\\, 事業承継\\; 紹介\\\\依頼",
        "CATEGORIES:取引先,税理士\\, 会計",
        "BDAY:--1127",
        "X-JINMYAKU-FIRST-MET-ON:2025-12-07",
        "END:VCARD",
        "",
    ]


def test_western_names_in_western_order() -> None:
    card = Card(family_name="Smith", given_name="Jane", birthday="1980-02-29")
    text = write_vcards([card])
    assert "\r\nN:Smith;Jane;;;\r\nFN:Jane Smith\r\n" in text
    assert "\r\nBDAY:19800229\r\n" in text
    assert "SORT-AS" not in text and "X-PHONETIC" not in text


def test_a_company_card_shows_the_company_and_stays_a_company() -> None:
    card = Card(company="Acme; Corp", methods=[Method("email", "info@example.com")])
    assert "\r\nFN:Acme\\; Corp\r\n" in write_vcards([card])
    assert _round_trip([card]) == [card]


def test_department_without_company() -> None:
    card = Card(family_name="Ito", department="Tax")
    assert "\r\nORG:;Tax\r\n" in write_vcards([card])
    assert _round_trip([card]) == [card]


def test_photo_as_a_data_uri_and_only_the_kept_types() -> None:
    jpeg = Card(family_name="A", photo=BUILDER.tiny_jpeg(), photo_type="image/jpeg")
    png = Card(family_name="B", photo=BUILDER.tiny_png(), photo_type="image/png")
    webp = Card(family_name="D", photo=BUILDER.tiny_webp(), photo_type="image/webp")
    gif = Card(family_name="C", photo=BUILDER.tiny_gif(), photo_type="image/gif")
    text = write_vcards([jpeg, png, webp, gif])
    assert text.count("PHOTO:data:image/jpeg;base64,/9j/") == 1
    assert text.count("PHOTO:data:image/png;base64,iVBOR") == 1
    assert text.count("PHOTO:data:image/webp;base64,UklGR") == 1
    assert text.count("PHOTO") == 3
    assert _round_trip([jpeg, png, webp]) == [jpeg, png, webp]


def test_photo_in_3_0_is_inline_base64() -> None:
    webp = Card(family_name="D", photo=BUILDER.tiny_webp(), photo_type="image/webp")
    jpeg = Card(family_name="A", photo=BUILDER.tiny_jpeg(), photo_type="image/jpeg")
    text = write_vcards([webp, jpeg], "3.0")
    assert "\r\nPHOTO;ENCODING=b;TYPE=WEBP:UklGR" in text
    assert "\r\nPHOTO;ENCODING=b;TYPE=JPEG:/9j/" in text
    assert _round_trip([webp, jpeg], "3.0") == [webp, jpeg]


def test_invalid_birthday_is_left_out() -> None:
    assert "BDAY" not in write_vcards([Card(family_name="A", birthday="1980-02-30")])


def test_unknown_method_kinds_and_empty_values_are_left_out() -> None:
    card = Card(family_name="A", methods=[Method("fax", "1"), Method("phone", "", "work")])
    assert "TEL" not in write_vcards([card]) and "FAX" not in write_vcards([card])


def test_reading_with_a_comma_or_quote_in_sort_as() -> None:
    card = Card(family_name="O'Neil", family_reading='o"neil, jr', given_reading="^")
    text = write_vcards([card])
    assert 'N;SORT-AS="o^\'neil  jr,^^":' in text
    assert _round_trip([card]) == [card]


def test_line_endings_are_crlf_only() -> None:
    text = write_vcards([YAMADA, YAMADA])
    assert text.count("\n") == text.count("\r\n") and text.count("\r") == text.count("\r\n")
    assert text.endswith("END:VCARD\r\n")


@pytest.mark.parametrize(
    "line",
    [
        "NOTE:" + "a" * 300,
        "NOTE:" + "山田太郎" * 50,
        "NOTE:" + "a" + "é" * 100,
        "NOTE:" + "🙂" * 60,
        "NOTE:" + "x" * 74 + "山" * 10,
        "PHOTO:data:image/jpeg;base64," + "A" * 1000,
    ],
)
def test_folding_keeps_lines_within_75_octets(line: str) -> None:
    folded = fold(line)
    physical = folded.split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in physical)
    assert all(part.startswith(" ") for part in physical[1:])
    # Unfolding (drop CRLF and the one space) gives back the line.
    assert folded.replace("\r\n ", "") == line
    # Each physical line is whole UTF-8: no character is cut between two of them.
    assert all(part.encode("utf-8").decode("utf-8") == part for part in physical)


def test_short_lines_are_not_folded() -> None:
    line = "NOTE:" + "a" * 70
    assert fold(line) == line
    assert fold(line + "a") != line + "a"


KONDO = dataclasses.replace(
    YAMADA,
    additional_name="伊予",
    nickname="ごろちゃん",
    company_reading="やまだぜいりしじむしょ",
    anniversary="2001-06-02",
    methods=[
        *YAMADA.methods,
        Method("im", "goro.kondo", "Skype"),
        Method("im", "android@sip.example.jp", "sip"),
        Method("im", "kondo_line", "LINE"),
        Method("im", "no.service"),
        Method("related", "近藤花子", "spouse"),
        Method("related", "佐藤秘書", "秘書"),
        Method("related", "名無し"),
    ],
)


def test_the_exact_text_of_3_0() -> None:
    assert write_vcards([KONDO], "3.0").split("\r\n") == [
        "BEGIN:VCARD",
        "VERSION:3.0",
        "N:山田;太郎;伊予;;",
        "FN:山田 太郎",
        "X-PHONETIC-LAST-NAME:やまだ",
        "X-PHONETIC-FIRST-NAME:たろう",
        "NICKNAME:ごろちゃん",
        "ORG:山田税理士事務所;相続部",
        "X-PHONETIC-ORG:やまだぜいりしじむしょ",
        "TITLE:所長",
        "TEL;TYPE=cell:090-0000-1234",
        "TEL;TYPE=work:03-0000-5678",
        "TEL;TYPE=fax:03-0000-5679",
        "EMAIL;TYPE=work:taro@example.co.jp",
        "item1.TEL:03-0000-5680",
        "item1.X-ABLabel:直通",
        "ADR;TYPE=work:;;〒100-0005 東京都千代田区丸の内1-1-1;;;;",
        "URL:https://yamada-tax.example.co.jp/",
        "IMPP;X-SERVICE-TYPE=Skype:skype:goro.kondo",
        "IMPP;X-SERVICE-TYPE=sip:sip:android@sip.example.jp",
        "item2.IMPP:x-apple:kondo_line",
        "item2.X-ABLabel:LINE",
        "IMPP:x-apple:no.service",
        "item3.X-ABRELATEDNAMES:近藤花子",
        "item3.X-ABLabel:spouse",
        "item4.X-ABRELATEDNAMES:佐藤秘書",
        "item4.X-ABLabel:秘書",
        "X-ABRELATEDNAMES:名無し",
        "NOTE:交流会で名刺交換。\\n相続\\, 事業承継\\; 紹介\\\\依頼",
        "CATEGORIES:取引先,税理士\\, 会計",
        "BDAY;X-APPLE-OMIT-YEAR=1604:1604-11-27",
        "X-ANNIVERSARY:2001-06-02",
        "X-JINMYAKU-FIRST-MET-ON:2025-12-07",
        "END:VCARD",
        "",
    ]


def test_4_0_keeps_the_new_fields_its_own_way() -> None:
    text = write_vcards([KONDO]).replace("\r\n ", "")  # unfolded
    assert '\r\nN;SORT-AS="やまだ,たろう":山田;太郎;伊予;;\r\n' in text
    assert '\r\nORG;SORT-AS="やまだぜいりしじむしょ":山田税理士事務所;相続部\r\n' in text
    assert "\r\nRELATED;VALUE=text;TYPE=spouse:近藤花子\r\n" in text
    assert "\r\nitem3.RELATED;VALUE=text:佐藤秘書\r\nitem3.X-ABLabel:秘書\r\n" in text
    assert "\r\nANNIVERSARY:20010602\r\n" in text
    assert "\r\nBDAY:--1127\r\n" in text


def test_an_unknown_version_is_refused() -> None:
    with pytest.raises(ValueError, match=r"2\.1"):
        write_vcards([YAMADA], "2.1")  # type: ignore[arg-type]


@pytest.mark.parametrize("version", VERSIONS)
def test_round_trip_of_the_example(version: Version) -> None:
    assert _round_trip([YAMADA, KONDO], version) == [YAMADA, KONDO]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(
    "name",
    ["vcard21_iphone_qp_sjis.vcf", "vcard30_android.vcf", "vcard40_sort_as.vcf", "eight.csv"],
)
def test_round_trip_of_the_fixtures(name: str, version: Version) -> None:
    cards = [_bare(card) for card in parse((FIXTURES / name).read_bytes()).cards]
    assert _round_trip(cards, version) == cards


# -- Hypothesis: any card survives the round trip ---------------------------------------------

_CHARS = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs"))
_NOTE_CHARS = st.one_of(_CHARS, st.just("\n"))


def _stripped(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    # The importer trims values, so the cards it is given are trimmed already.
    return strategy.map(str.strip)


ONE_LINE = _stripped(
    st.one_of(
        st.text(_CHARS, max_size=25),
        st.text(st.sampled_from("山田太郎やまだカナ,;\\:\"'^ =-abc"), max_size=25),
    )
)
NON_EMPTY = ONE_LINE.filter(bool)
NOTES = _stripped(st.text(_NOTE_CHARS, max_size=200))
PHONES = _stripped(st.text(st.sampled_from("0123456789+-() "), min_size=1, max_size=20)).filter(
    bool
)
LABELS = st.one_of(
    st.sampled_from(
        ["", "work", "home", "mobile", "fax", "pager", "main", "other", "会社", "携帯"]
    ),
    NON_EMPTY.filter(lambda label: not label.startswith("_$!<")),
)
METHODS = st.one_of(
    st.builds(Method, st.just("phone"), PHONES, LABELS),
    st.builds(Method, st.sampled_from(["email", "address", "url"]), NON_EMPTY, LABELS),
    st.builds(
        Method,
        st.just("im"),
        NON_EMPTY,
        st.one_of(LABELS, st.sampled_from(["Skype", "sip", "xmpp", "AIM", "LINE"])),
    ),
    st.builds(
        Method,
        st.just("related"),
        NON_EMPTY,
        st.one_of(LABELS, st.sampled_from(["spouse", "child", "Spouse", "秘書"])),
    ),
)
# Half-width katakana in a reading is made full-width on import, by design.
READINGS = ONE_LINE.filter(lambda text: not any("\uff61" <= char <= "\uff9f" for char in text))
DAYS = st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31))
BIRTHDAYS = st.one_of(
    st.none(),
    DAYS.map(date.isoformat),
    DAYS.map(lambda day: day.strftime("--%m-%d")),
)


@st.composite
def photos(draw: st.DrawFn) -> tuple[bytes | None, str | None]:
    kind = draw(st.sampled_from([None, "image/jpeg", "image/png", "image/webp"]))
    if kind is None:
        return None, None
    body = draw(st.binary(max_size=300))
    if kind == "image/webp":
        return b"RIFF" + len(body).to_bytes(4, "little") + b"WEBP" + body, kind
    magic = b"\xff\xd8\xff" if kind == "image/jpeg" else b"\x89PNG\r\n\x1a\n"
    return magic + body, kind


@st.composite
def cards(draw: st.DrawFn) -> Card:
    photo, photo_type = draw(photos())
    company = draw(ONE_LINE)
    card = Card(
        family_name=draw(ONE_LINE),
        given_name=draw(ONE_LINE),
        family_reading=draw(READINGS),
        given_reading=draw(READINGS),
        additional_name=draw(ONE_LINE),
        nickname=draw(ONE_LINE),
        company=company,
        # A company reading that only repeats the company is no reading, by design.
        company_reading=draw(READINGS.filter(lambda text: text != company)),
        anniversary=draw(BIRTHDAYS),
        department=draw(ONE_LINE),
        title=draw(ONE_LINE),
        notes=draw(NOTES),
        # One value once per card: the importer keeps a number or address listed twice once.
        methods=draw(st.lists(METHODS, max_size=6, unique_by=method_key)),
        tags=draw(st.lists(NON_EMPTY, max_size=5, unique=True)),
        first_met_on=draw(st.none() | DAYS),
        birthday=draw(BIRTHDAYS),
        photo=photo,
        photo_type=photo_type,
    )
    # A card with nothing in it is refused on import, by design.
    if not (card.family_name or card.given_name or card.company or card.methods):
        card.company = "会社"
    return card


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(cards(), min_size=1, max_size=4), st.sampled_from(VERSIONS))
def test_any_card_survives_the_round_trip(written: list[Card], version: Version) -> None:
    text = write_vcards(written, version)
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))
    assert _round_trip(written, version) == written
