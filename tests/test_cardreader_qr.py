"""Contact QR codes: vCard 2.1, 3.0 and 4.0 and MECARD are read exactly, escapes and all."""

import io
from pathlib import Path

import numpy as np
import pytest
import zxingcpp
from PIL import Image

from tracker.cardreader import Reader, ocr, qr
from tracker.cardreader.ocr import OcrUnavailable
from tracker.cardreader.reader import Engine
from tracker.cardreader.result import OCR_OFF


def test_mecard_with_its_escapes() -> None:
    text = (
        r"MECARD:N:山田,太郎;SOUND:ヤマダ,タロウ;TEL:03-1234-5678;TEL:090-1111-2222;"
        r"EMAIL:taro\:yamada@example.jp;URL:https\://mirai.example.jp/a\;b;"
        r"ADR:〒150-0002 東京都渋谷区渋谷2-21-1\, 12F;ORG:株式会社みらい\; 本社;"
        r"TITLE:部長\\課長;NOTE:ignored;;"
    )
    found = qr.contact_from(text)
    assert found is not None
    assert (found.family_name, found.given_name) == ("山田", "太郎")
    assert (found.family_reading, found.given_reading) == ("やまだ", "たろう")
    assert found.phones == ["03-1234-5678", "090-1111-2222"]
    assert found.emails == ["taro:yamada@example.jp"]
    assert found.urls == ["https://mirai.example.jp/a;b"]
    assert found.address == "〒150-0002 東京都渋谷区渋谷2-21-1, 12F"
    assert found.company == "株式会社みらい; 本社"
    assert found.title == "部長\\課長"
    assert found.source == "qr"


def test_mecard_name_without_a_comma_is_family_first() -> None:
    found = qr.contact_from("MECARD:N:Yamada Taro;EMAIL:t@example.jp;;")
    assert found is not None
    assert (found.family_name, found.given_name) == ("Yamada", "Taro")


def test_mecard_address_in_seven_parts() -> None:
    found = qr.contact_from("MECARD:N:Smith,Jane;ADR:,,1 Main St.,Springfield,IL,62701,USA;;")
    assert found is not None
    assert found.address == "1 Main St., Springfield, IL 62701, USA"


VCARD_21 = (
    "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8:佐藤;花子;;;\r\n"
    "SOUND;X-IRMC-N;CHARSET=UTF-8:ｻﾄｳ;ﾊﾅｺ;;;\r\nORG:佐藤社労士事務所;相談部\r\nTITLE:所長\r\n"
    "TEL;WORK;VOICE:03-1111-2222\r\nTEL;WORK;FAX:03-1111-3333\r\nEMAIL;INTERNET:h@example.jp\r\n"
    "ADR;WORK:;;東京都新宿区西新宿1-1-1;;;160-0023;\r\nEND:VCARD\r\n"
)
VCARD_30 = (
    "BEGIN:VCARD\nVERSION:3.0\nN:Smith;Jane;;;\nFN:Jane Smith\nORG:Acme\\, Inc.;Sales\n"
    "TITLE:Manager\\; Sales\nTEL;TYPE=WORK,VOICE:+1 415 555 0100\nTEL;TYPE=WORK,FAX:+1 415 555 0101\n"
    "EMAIL;TYPE=INTERNET:jane@acme.example\nURL:https://acme.example\nEND:VCARD\n"
)
VCARD_40 = (
    'BEGIN:VCARD\r\nVERSION:4.0\r\nN;SORT-AS="たなか,けんた":田中;健太;;;\r\nFN:田中 健太\r\n'
    "ORG:株式会社青葉\r\nTEL;TYPE=work;VALUE=uri:tel:+81-3-1234-5678\r\n"
    "TEL;TYPE=fax;VALUE=uri:tel:+81-3-1234-5679\r\nEMAIL:kenta@aoba.example.jp\r\nEND:VCARD\r\n"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            VCARD_21,
            {
                "family_name": "佐藤",
                "given_name": "花子",
                "family_reading": "さとう",
                "given_reading": "はなこ",
                "company": "佐藤社労士事務所",
                "department": "相談部",
                "title": "所長",
                "phones": ["03-1111-2222"],
                "emails": ["h@example.jp"],
                "address": "〒160-0023 東京都新宿区西新宿1-1-1",
            },
        ),
        (
            VCARD_30,
            {
                "family_name": "Smith",
                "given_name": "Jane",
                "company": "Acme, Inc.",
                "department": "Sales",
                "title": "Manager; Sales",
                "phones": ["+1 415 555 0100"],
                "urls": ["https://acme.example"],
            },
        ),
        (
            VCARD_40,
            {
                "family_name": "田中",
                "given_name": "健太",
                "family_reading": "たなか",
                "given_reading": "けんた",
                "phones": ["+81-3-1234-5678"],
            },
        ),
    ],
    ids=["2.1", "3.0", "4.0"],
)
def test_vcards_of_every_version(text: str, expected: dict[str, object]) -> None:
    found = qr.contact_from(text)
    assert found is not None
    assert found.source == "qr"
    for name, value in expected.items():
        assert getattr(found, name) == value, name


@pytest.mark.parametrize("text", ["https://example.jp", "hello", "MECARD:;;", ""])
def test_a_code_without_a_contact_is_none(text: str) -> None:
    assert qr.contact_from(text) is None


def _qr_photo(payload: bytes) -> bytes:
    """A QR code on a grey card-sized picture, as JPEG."""
    code = zxingcpp.create_barcode(payload, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    symbol = Image.fromarray(np.asarray(code.to_image(scale=6, add_quiet_zones=True)))
    picture = Image.new("RGB", (1000, 700), (200, 200, 200))
    picture.paste(symbol.convert("RGB"), (400, 200))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _no_ocr() -> Engine:
    raise OcrUnavailable("the OCR models could not be loaded: test")


def test_a_qr_code_is_read_when_ocr_cannot_load() -> None:
    reader = Reader(_no_ocr)
    front = _qr_photo("MECARD:N:山田,太郎;TEL:03-1234-5678;;".encode())
    found = reader.read([front])
    assert (found.source, found.family_name, found.phones) == ("qr", "山田", ["03-1234-5678"])
    assert found.ocr_off == "the OCR models could not be loaded: test"
    assert reader.status().available is False


def test_a_shift_jis_vcard_is_decoded() -> None:
    reader = Reader(_no_ocr)
    payload = VCARD_21.replace("CHARSET=UTF-8", "CHARSET=SHIFT_JIS").encode("cp932")
    found = reader.read([_qr_photo(payload)])
    assert (found.family_name, found.family_reading, found.source) == ("佐藤", "さとう", "qr")


def test_the_back_side_qr_code_counts_too() -> None:
    reader = Reader(_no_ocr)
    blank = _qr_photo(b"https://example.jp")
    back = _qr_photo(VCARD_30.encode())
    assert reader.read([blank, back]).family_name == "Smith"


def test_without_ocr_a_printed_card_reads_as_nothing_and_says_why() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 500), "white").save(buffer, "PNG")
    found = Reader(_no_ocr).read([buffer.getvalue()])
    assert found.source == "none"
    assert found.is_empty()
    assert "could not be loaded" in found.ocr_off


def test_missing_models_turn_ocr_off_with_the_reason(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(ocr, "model_dir", lambda: tmp_path)  # an install without the models
    reader = Reader()
    status = reader.status()
    assert not status.available
    assert status.reason.startswith("the OCR models could not be loaded")
    assert status.message == OCR_OFF  # what the page shows, translated
    found = reader.read([_qr_photo(b"MECARD:N:Smith,Jane;EMAIL:jane@example.com;;")])
    assert (found.source, found.emails) == ("qr", ["jane@example.com"])
    assert found.ocr_off == status.reason
