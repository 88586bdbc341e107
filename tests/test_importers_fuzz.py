"""Fuzzing parse(): random bytes and near-vCard or near-CSV text; only ImportFormatError escapes."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.importers import ImportFormatError, ParseResult, parse
from tracker.importers.records import METHOD_KINDS, PHOTO_TYPES
from tracker.importers.values import MAX_FIELD

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FORMATS = {"vcard", "linkedin", "google", "google_legacy", "eight"}
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
NOTE_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
BIRTHDAY = re.compile(r"(\d{4}|-)-\d{2}-\d{2}")


def _check(result: ParseResult) -> None:
    """What holds for any result: clean, bounded values and located problems."""
    assert result.format in FORMATS
    for card in result.cards:
        for value in (
            card.family_name,
            card.given_name,
            card.family_reading,
            card.given_reading,
            card.company,
            card.department,
            card.title,
            *card.tags,
        ):
            assert not CONTROL.search(value) and value == value.strip()
            assert len(value) <= MAX_FIELD
        assert not NOTE_CONTROL.search(card.notes) and len(card.notes) <= MAX_FIELD
        for method in card.methods:
            assert method.kind in METHOD_KINDS
            assert method.value and not CONTROL.search(method.value + method.label)
        assert card.birthday is None or BIRTHDAY.fullmatch(card.birthday)
        assert (card.photo is None) == (card.photo_type is None)
        assert card.photo_type is None or card.photo_type in PHOTO_TYPES
        assert card.record >= 1
    for problem in result.errors + result.warnings:
        assert problem.record >= 0 and problem.message
        # The catch-all for a bug in a record's reader must never be needed.
        assert problem.message != "the record could not be read"


def _parse(data: bytes) -> None:
    try:
        result = parse(data)
    except ImportFormatError as error:
        assert error.message
        return
    _check(result)


@FUZZ
@given(st.binary(max_size=3000))
def test_random_bytes(data: bytes) -> None:
    _parse(data)


@FUZZ
@given(st.binary(max_size=500))
def test_random_bytes_after_a_vcard_start(data: bytes) -> None:
    _parse(b"BEGIN:VCARD\r\nVERSION:2.1\r\n" + data)


NAMES = st.sampled_from(
    [
        "N", "FN", "ORG", "TITLE", "TEL", "EMAIL", "ADR", "URL", "NOTE", "CATEGORIES", "BDAY",
        "PHOTO", "SORT-STRING", "X-PHONETIC-FIRST-NAME", "X-PHONETIC-LAST-NAME", "VERSION",
        "item1.TEL", "item1.X-ABLabel", "X-JINMYAKU-FIRST-MET-ON", "AGENT", "begin", "END",
    ]
)  # fmt: skip
PARAMS = st.sampled_from(
    [
        "", ";CHARSET=SHIFT_JIS", ";CHARSET=UTF-8", ";CHARSET=rot13", ";CHARSET=base64",
        ";CHARSET=nonsense", ";ENCODING=QUOTED-PRINTABLE", ";QUOTED-PRINTABLE",
        ";ENCODING=b", ";ENCODING=BASE64", ";TYPE=WORK,VOICE", ";CELL", ';TYPE="work,cell"',
        ';SORT-AS="やまだ,たろう"', ';SORT-AS="^^^n^\'"', ';X-APPLE-OMIT-YEAR=1604', ";VALUE=uri",
        ';LABEL="a:b;c"', ';"', ";=", ";TYPE=x-", ";TYPE=X-会社",
    ]
)  # fmt: skip
VALUES = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "", "=", "=E5=B1=B1=", "=8E=52=93=63", "\\", "\\n", ";;;;;;", ",,,", "data:",
            "data:image/png;base64,iVBORw0KGgo=", "data:image/jpeg;base64,/9j/4AAQ",
            "/9j/4AAQSkZJRg==", "R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7",
            "--1127", "--1340", "2025-13-45", "19801127", "1604-11-27", "tel:+81", "VCARD",
            "_$!<Mobile>!$_", "山田;太郎;;;", "x" * 10_001,
        ]
    ),
)  # fmt: skip
LINES = st.one_of(
    st.builds(lambda n, p, v: f"{n}{p}:{v}", NAMES, PARAMS, VALUES),
    st.sampled_from(["BEGIN:VCARD", "END:VCARD", " folded", "\tfolded", "", "no colon"]),
    st.text(max_size=40),
)
ENDINGS = st.sampled_from(["\r\n", "\n", "\r"])
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp932", "iso2022_jp"])


@st.composite
def near_vcards(draw: st.DrawFn) -> bytes:
    lines = draw(st.lists(LINES, max_size=30))
    if draw(st.booleans()):
        lines = ["BEGIN:VCARD", *lines]
    if draw(st.booleans()):
        lines = [*lines, "END:VCARD"]
    text = draw(ENDINGS).join(lines)
    return text.encode(draw(ENCODINGS), errors="replace")


@FUZZ
@given(near_vcards())
def test_near_vcard_text(data: bytes) -> None:
    _parse(data)


HEADERS = st.sampled_from(
    [
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On",
        "First Name,Middle Name,Last Name,Phonetic First Name,Organization Name,Labels,"
        "E-mail 1 - Label,E-mail 1 - Value,Address 1 - Formatted,Address 1 - Street",
        "Name,Given Name,Additional Name,Family Name,Yomi Name,Group Membership,"
        "Phone 1 - Type,Phone 1 - Value,Organization 1 - Name",
        "会社名,部署名,役職,姓,名,e-mail,郵便番号,住所,TEL会社,携帯電話,URL,名刺交換日,フリガナ",
    ]
)
CELLS = st.one_of(
    st.text(max_size=30),
    st.sampled_from(['"', '""', "a ::: b", "* myContacts", "07 Dec 2025", "2025/12/07", "\n"]),
)


@st.composite
def near_csvs(draw: st.DrawFn) -> bytes:
    rows = draw(st.lists(st.lists(CELLS, max_size=14), max_size=8))
    lines = [draw(HEADERS), *(",".join(row) for row in rows)]
    text = draw(ENDINGS).join(lines)
    return text.encode(draw(ENCODINGS), errors="replace")


@FUZZ
@given(near_csvs())
def test_near_csv_text(data: bytes) -> None:
    _parse(data)
