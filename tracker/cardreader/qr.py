"""Contact QR codes: a vCard (2.1, 3.0 or 4.0) or a MECARD, read exactly.

vCards are read by the importer's own parser, so a QR code and an imported file give the
same fields. MECARD (NTT docomo's format: ``MECARD:N:山田,太郎;SOUND:やまだ,たろう;TEL:…;;``)
is read here, with its escapes: ``\\:``, ``\\;``, ``\\,`` and ``\\\\``.
"""

import re
import unicodedata
from dataclasses import dataclass

import jaconv
import numpy as np

from tracker.cardreader.result import CardFields, add_unique
from tracker.importers.vcard import looks_like_vcard, parse_vcards, split_escaped

_MECARD = re.compile(r"^\s*MECARD:", re.IGNORECASE)
_ESCAPED = re.compile(r"\\(.)")
# vCard 2.1 from Japanese phones carries the reading as SOUND;X-IRMC-N:ヤマダ;タロウ;;;
_SOUND = re.compile(r"^SOUND(?:;[^:\r\n]*)?:(.*)$", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class QrCode:
    """The text of one QR code found in a picture."""

    text: str


def find_codes(image: np.ndarray) -> list[QrCode]:
    """The QR codes in an RGB picture, their bytes decoded as UTF-8, else Shift_JIS.

    A photo's light and blur defeat one way of telling dark modules from light ones more
    often than all of them: each is tried in turn (a try takes milliseconds), then the
    photo sharpened, thresholded by neighbourhood, and enlarged, until a code reads.
    """
    import cv2
    import zxingcpp

    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    formats = zxingcpp.barcode_formats_from_str("QRCode,MicroQRCode")
    attempts = [
        lambda: (gray, zxingcpp.Binarizer.LocalAverage),
        lambda: (gray, zxingcpp.Binarizer.GlobalHistogram),
        lambda: (gray, zxingcpp.Binarizer.FixedThreshold),
        lambda: (_sharpened(gray), zxingcpp.Binarizer.LocalAverage),
        lambda: (_adaptive(gray), zxingcpp.Binarizer.FixedThreshold),
    ]
    if max(gray.shape) <= 2000:
        # Small modules (a small code, or a photo from afar) read better enlarged.
        attempts.append(lambda: (_enlarged(gray), zxingcpp.Binarizer.LocalAverage))
    for attempt in attempts:
        picture, binarizer = attempt()
        found = zxingcpp.read_barcodes(picture, formats=formats, binarizer=binarizer)
        codes = [QrCode(_text(code.bytes, code.text)) for code in found if code.valid]
        if codes:
            return codes
    return []


def _sharpened(gray: np.ndarray) -> np.ndarray:
    import cv2

    blurred = cv2.GaussianBlur(gray, (0, 0), 2)
    return np.asarray(cv2.addWeighted(gray, 1.8, blurred, -0.8, 0))


def _adaptive(gray: np.ndarray) -> np.ndarray:
    """Black and white by each pixel's neighbourhood: evens out glare and shadow."""
    import cv2

    return np.asarray(
        cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, 31, 5)
    )


def _enlarged(gray: np.ndarray) -> np.ndarray:
    import cv2

    return np.asarray(cv2.resize(gray, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC))


def _text(raw: bytes, decoded: str) -> str:
    for codec in ("utf-8", "cp932"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    return decoded


def contact_from(text: str) -> CardFields | None:
    """The card a QR code's text describes, or None when it holds no contact."""
    if _MECARD.match(text):
        return _mecard(text)
    if looks_like_vcard(text):
        return _vcard(text)
    return None


def reading(text: str) -> str:
    """A reading as the app keeps it: hiragana, with half-width kana made whole."""
    return str(jaconv.kata2hira(unicodedata.normalize("NFKC", text))).strip()


# -- vCard ----------------------------------------------------------------------------------


def _vcard(text: str) -> CardFields | None:
    parsed = parse_vcards(text, "utf-8")
    if not parsed.cards:
        return None
    card = parsed.cards[0]
    fields = CardFields(
        family_name=card.family_name,
        given_name=card.given_name,
        family_reading=reading(card.family_reading),
        given_reading=reading(card.given_reading),
        company=card.company,
        department=card.department,
        title=card.title,
        source="qr",
    )
    for method in card.methods:
        if method.kind == "email":
            fields.emails.append(method.value)
        elif method.kind == "phone" and method.label != "fax":
            fields.phones.append(method.value)
        elif method.kind == "url":
            fields.urls.append(method.value)
        elif method.kind == "address" and not fields.address:
            fields.address = method.value
    if not (fields.family_reading or fields.given_reading):
        sound = _SOUND.search(text)
        if sound:
            parts = [*split_escaped(sound[1].strip(), ";"), "", ""]
            fields.family_reading, fields.given_reading = reading(parts[0]), reading(parts[1])
    return fields


# -- MECARD ---------------------------------------------------------------------------------


def _split(text: str, separator: str) -> list[str]:
    r"""Split on separators no backslash escapes; \x stands for x."""
    parts, current, escaped = [], [], False
    for char in text:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _unescape(text: str) -> str:
    return _ESCAPED.sub(r"\1", text)


def _raw_split(text: str, separator: str) -> list[str]:
    """Split on unescaped separators, keeping the escapes for a second split."""
    parts, start, index = [], 0, 0
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        if text[index] == separator:
            parts.append(text[start:index])
            start = index + 1
        index += 1
    parts.append(text[start:])
    return parts


def _mecard(text: str) -> CardFields | None:
    body = _MECARD.sub("", text.strip(), count=1)
    fields = CardFields(source="qr")
    for item in _raw_split(body, ";"):
        key, colon, value = item.partition(":")
        if not colon:
            continue
        key = key.strip().upper()
        if key == "N":
            names = [part.strip() for part in _split(value, ",")]
            if len(names) == 1 and " " in names[0].strip():
                # "Yamada Taro" without the comma: MECARD puts the family name first.
                names = names[0].split(None, 1)
            fields.family_name, fields.given_name = ([*names, "", ""])[:2]
        elif key == "SOUND":
            sounds = [reading(part) for part in _split(value, ",")]
            if len(sounds) == 1 and " " in sounds[0]:
                sounds = sounds[0].split(None, 1)
            fields.family_reading, fields.given_reading = ([*sounds, "", ""])[:2]
        elif key in ("TEL", "TEL-AV"):
            add_unique(fields.phones, _unescape(value))
        elif key == "EMAIL":
            add_unique(fields.emails, _unescape(value))
        elif key == "URL":
            add_unique(fields.urls, _unescape(value))
        elif key == "ADR" and not fields.address:
            fields.address = _address(_split(value, ","))
        elif key == "ORG":
            fields.company = _unescape(value).strip()
        elif key == "TITLE":
            fields.title = _unescape(value).strip()
    return None if fields.is_empty() else fields


def _address(parts: list[str]) -> str:
    """MECARD's ADR: one text, or vCard's seven parts separated by commas."""
    from tracker.importers.values import join_address

    parts = [part.strip() for part in parts]
    if len(parts) < 7:
        return ", ".join(part for part in parts if part)
    po_box, extended, street, locality, region, code, country = parts[:7]
    return join_address(street, locality, region, code, country, extended, po_box)
