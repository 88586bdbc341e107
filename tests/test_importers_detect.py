"""Encoding and format come from the content: every encoding × format pair, and refusals."""

import codecs
import struct
import zlib

import pytest

from tracker.importers import ImportFormatError, parse

SAMPLES = {
    "vcard": (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:山田;太郎;;;\r\nFN:山田 太郎\r\n"
        "ORG:山田商店\r\nTEL;TYPE=CELL:090-0000-0000\r\nEND:VCARD\r\n"
    ),
    "linkedin": (
        'Notes:\r\n"Some notes"\r\n\r\n'
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
        "太郎,山田,https://www.linkedin.com/in/x,,山田商店,店主,07 Dec 2025\r\n"
    ),
    "google": (
        "First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,"
        "Phonetic Last Name,Organization Name,Labels\r\n太郎,,山田,たろう,,やまだ,山田商店,\r\n"
    ),
    "google_legacy": (
        "Name,Given Name,Additional Name,Family Name,Yomi Name,Given Name Yomi,"
        "Additional Name Yomi,Family Name Yomi,Group Membership\r\n"
        "山田 太郎,太郎,,山田,,たろう,,やまだ,* My Contacts\r\n"
    ),
    "eight": (
        "会社名,部署名,役職,姓,名,e-mail,郵便番号,住所,TEL会社,TEL部門,TEL直通,Fax,携帯電話,URL,"
        "名刺交換日\r\n山田商店,,店主,山田,太郎,,,,,,,,,,2025/12/07\r\n"
    ),
}


def _utf16le_no_bom(text: str) -> bytes:
    return text.encode("utf-16-le")


def _utf16be_no_bom(text: str) -> bytes:
    return text.encode("utf-16-be")


ENCODINGS = {
    "utf-8": (lambda text: text.encode("utf-8"), "utf-8"),
    "utf-8 with BOM": (lambda text: codecs.BOM_UTF8 + text.encode("utf-8"), "utf-8-sig"),
    "utf-16-le with BOM": (
        lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
        "utf-16-le",
    ),
    "utf-16-be with BOM": (
        lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
        "utf-16-be",
    ),
    "utf-16-le without BOM": (_utf16le_no_bom, "utf-16-le"),
    "utf-16-be without BOM": (_utf16be_no_bom, "utf-16-be"),
    "cp932": (lambda text: text.encode("cp932"), "cp932"),
    "utf-32 with BOM": (lambda text: codecs.BOM_UTF32_LE + text.encode("utf-32-le"), "utf-32-le"),
}


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("file_format", SAMPLES)
def test_every_encoding_of_every_format(file_format: str, encoding: str) -> None:
    encode, expected_encoding = ENCODINGS[encoding]
    result = parse(encode(SAMPLES[file_format]))
    assert (result.format, result.encoding) == (file_format, expected_encoding)
    assert result.errors == [] and result.warnings == []
    [card] = result.cards
    assert (card.family_name, card.given_name) == ("山田", "太郎")


def test_iso_2022_jp_vcard() -> None:
    result = parse(SAMPLES["vcard"].encode("iso2022_jp"))
    assert result.encoding == "iso-2022-jp"
    assert result.cards[0].company == "山田商店"


def test_utf8_bom_on_a_cp932_file_is_read_as_cp932_with_a_warning() -> None:
    result = parse(codecs.BOM_UTF8 + SAMPLES["eight"].encode("cp932"))
    assert (result.format, result.encoding) == ("eight", "cp932")
    assert result.cards[0].company == "山田商店"
    assert [warning.message for warning in result.warnings] == [
        "the file begins as UTF-8 but is in Shift_JIS; it was read as Shift_JIS"
    ]


def test_a_few_broken_bytes_in_utf8_cost_only_their_line() -> None:
    text = SAMPLES["vcard"] * 3
    data = text.encode("utf-8").replace("山田商店".encode(), b"\xff\xfe\xfd", 1)
    result = parse(data)
    assert result.encoding == "mixed"
    assert [card.family_name for card in result.cards] == ["山田", "山田", "山田"]
    assert [card.company for card in result.cards][1:] == ["山田商店", "山田商店"]
    assert len(result.warnings) == 1


def test_lines_in_different_encodings() -> None:
    data = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=SHIFT_JIS:鈴木;一郎\r\n".encode("cp932")
        + "ORG;CHARSET=UTF-8:鈴木商店\r\nTITLE:社長\r\n".encode()
        + b"END:VCARD\r\n"
    )
    result = parse(data)
    assert result.encoding == "mixed"
    card = result.cards[0]
    assert (card.family_name, card.company, card.title) == ("鈴木", "鈴木商店", "社長")


def test_format_is_read_from_the_content_not_the_first_line() -> None:
    result = parse(b"\r\n\r\n  \r\n" + SAMPLES["vcard"].encode())
    assert result.format == "vcard"


def test_csv_wins_over_a_vcard_quoted_in_a_cell() -> None:
    text = SAMPLES["google"] + '太郎,,山田,,,,"BEGIN:VCARD\nEND:VCARD",\r\n'
    assert parse(text.encode()).format == "google"


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


IMAGE = "the file is a %(kind)s image, not a contacts file"
DOCUMENT = "the file is a %(kind)s file, not a contacts file: export vCard or CSV"
NOT_TEXT = "the file is not a text file: export your contacts as vCard or CSV"
EMPTY = "the file is empty"


@pytest.mark.parametrize(
    ("data", "message", "params"),
    [
        (b"", EMPTY, {}),
        (b"  \r\n\t\r\n", EMPTY, {}),
        (codecs.BOM_UTF8, EMPTY, {}),
        (codecs.BOM_UTF16_LE + " \r\n".encode("utf-16-le"), EMPTY, {}),
        (_png(), IMAGE, {"kind": "PNG"}),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", IMAGE, {"kind": "JPEG"}),
        (b"GIF89a\x01\x00\x01\x00", IMAGE, {"kind": "GIF"}),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 ", IMAGE, {"kind": "WebP"}),
        (b"\x00\x00\x00\x18ftypheic\x00\x00", IMAGE, {"kind": "HEIC"}),
        (b"%PDF-1.7\n", DOCUMENT, {"kind": "PDF"}),
        (b"PK\x03\x04\x14\x00", DOCUMENT, {"kind": "ZIP (an Excel .xlsx or Numbers file?)"}),
        (bytes(range(256)) * 4, NOT_TEXT, {}),
    ],
)
def test_files_that_are_not_contacts_are_refused(
    data: bytes, message: str, params: dict[str, str]
) -> None:
    with pytest.raises(ImportFormatError) as raised:
        parse(data)
    assert (raised.value.message, raised.value.params) == (message, params)


@pytest.mark.parametrize(
    "text",
    [
        "Dear Ken,\nthanks for the card.\n",
        '{"contacts": [{"name": "Ken"}]}',
        "<html><body>contacts</body></html>",
        "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
    ],
)
def test_text_in_no_known_format_is_refused(text: str) -> None:
    with pytest.raises(ImportFormatError) as raised:
        parse(text.encode())
    assert raised.value.message == (
        "unknown format: export your contacts as vCard, or as a CSV of Google Contacts, "
        "LinkedIn, Eight, Outlook or Thunderbird"
    )


def test_the_error_is_the_importers_own() -> None:
    with pytest.raises(ImportFormatError) as raised:
        parse(b"")
    error = raised.value
    # The importers depend on no service: their error is a ValueError of their own.
    assert isinstance(error, ValueError)
    assert type(error).__module__ == "tracker.importers.errors"
    assert (str(error), error.message, error.params) == (
        "the file is empty",
        "the file is empty",
        {},
    )
