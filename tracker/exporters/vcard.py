"""vCard 4.0 (RFC 6350) that phones, address books and this app's own importer read back,
or vCard 3.0 (RFC 2426) for the phones that want it (iPhones over CardDAV).

Labels the standard knows (work, home, mobile, fax) go in TYPE; any other label goes on an
Apple-style group (item1.TEL + item1.X-ABLabel), which Apple Contacts shows and the importer
reads back as the same label.
"""

import base64
from collections.abc import Iterable, Iterator

from tracker.importers.records import PHOTO_TYPES, Card, Method
from tracker.importers.values import parse_birthday
from tracker.text import display_name

_FOLD_AT = 75  # octets per line, CRLF excluded (RFC 6350 section 3.2)
_PROPERTIES = {"email": "EMAIL", "phone": "TEL", "address": "ADR", "url": "URL"}
_TYPES = {
    "phone": {"work": "work", "home": "home", "mobile": "cell", "fax": "fax", "pager": "pager"},
    "email": {"work": "work", "home": "home"},
    "address": {"work": "work", "home": "home"},
    "url": {"work": "work", "home": "home"},
}


def escape(value: str) -> str:
    r"""A TEXT value with \, comma, semicolon and line breaks escaped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace(",", "\\,").replace(";", "\\;")


def _param(value: str) -> str:
    """A quoted parameter value, with RFC 6868's ^ escapes for ^, newline and double quote."""
    value = value.replace("^", "^^").replace("\r\n", "^n").replace("\n", "^n")
    return '"' + value.replace("\r", "").replace('"', "^'") + '"'


def _utf8_length(char: str) -> int:
    code = ord(char)
    return 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4


def _fold_ascii(line: str) -> list[str]:
    step = _FOLD_AT - 1
    return [line[:_FOLD_AT]] + [
        line[start : start + step] for start in range(_FOLD_AT, len(line), step)
    ]


def _fold_text(line: str) -> list[str]:
    chunks: list[str] = []
    current: list[str] = []
    size, limit = 0, _FOLD_AT
    for char in line:
        length = _utf8_length(char)
        if size + length > limit:
            chunks.append("".join(current))
            # Each continuation line begins with the space that marks it, one octet.
            current, size, limit = [], 0, _FOLD_AT - 1
        current.append(char)
        size += length
    chunks.append("".join(current))
    return chunks


def fold(line: str) -> str:
    """A content line folded at 75 octets, never inside a UTF-8 sequence."""
    if len(line) <= _FOLD_AT // 4 or len(line.encode("utf-8")) <= _FOLD_AT:
        return line
    return "\r\n ".join(_fold_ascii(line) if line.isascii() else _fold_text(line))


def _name_lines(card: Card, version: str) -> Iterator[str]:
    readings = (card.family_reading, card.given_reading)
    # SORT-AS is a comma-separated list, so a comma inside a reading cannot stay there.
    sort_as = ",".join(reading.replace(",", " ") for reading in readings)
    # vCard 3.0 has no SORT-AS: the X-PHONETIC lines below carry the readings there.
    sort_param = f";SORT-AS={_param(sort_as)}" if any(readings) and version == "4.0" else ""
    yield f"N{sort_param}:{escape(card.family_name)};{escape(card.given_name)};;;"
    # FN is required; a company's card shows the company, as Apple Contacts does.
    full_name = display_name(card.family_name, card.given_name) or card.company
    yield f"FN:{escape(full_name)}"
    if card.family_reading:
        yield f"X-PHONETIC-LAST-NAME:{escape(card.family_reading)}"
    if card.given_reading:
        yield f"X-PHONETIC-FIRST-NAME:{escape(card.given_reading)}"


def _organisation_lines(card: Card) -> Iterator[str]:
    if card.company or card.department:
        department = f";{escape(card.department)}" if card.department else ""
        yield f"ORG:{escape(card.company)}{department}"
    if card.title:
        yield f"TITLE:{escape(card.title)}"


def _method_value(method: Method) -> str:
    if method.kind == "address":
        # One readable line is all the app keeps, so it goes whole in the street component.
        return f";;{escape(method.value)};;;;"
    return escape(method.value)


def _method_lines(methods: list[Method]) -> Iterator[str]:
    group = 0
    for method in methods:
        name = _PROPERTIES.get(method.kind)
        if not name or not method.value:
            continue
        value = _method_value(method)
        known = _TYPES[method.kind].get(method.label)
        if known or not method.label:
            type_param = f";TYPE={known}" if known else ""
            yield f"{name}{type_param}:{value}"
            continue
        group += 1
        yield f"item{group}.{name}:{value}"
        yield f"item{group}.X-ABLabel:{escape(method.label)}"


def _birthday(value: str | None, version: str) -> str | None:
    """The birthday in RFC 6350's basic form: 19801127, or --1127 without a year; in 3.0,
    1980-11-27, or Apple's 1604-11-27 marked as a year left out."""
    found = parse_birthday(value) if value else None
    if not found:
        return None
    if version == "3.0":
        return (
            f";X-APPLE-OMIT-YEAR=1604:1604-{found[2:]}" if found.startswith("--") else f":{found}"
        )
    if found.startswith("--"):
        return ":--" + found[2:].replace("-", "")
    return ":" + found.replace("-", "")


def _other_lines(card: Card, version: str) -> Iterator[str]:
    if card.notes:
        yield f"NOTE:{escape(card.notes)}"
    if card.tags:
        yield "CATEGORIES:" + ",".join(escape(tag) for tag in card.tags)
    birthday = _birthday(card.birthday, version)
    if birthday:
        yield f"BDAY{birthday}"
    if card.first_met_on:
        yield f"X-JINMYAKU-FIRST-MET-ON:{card.first_met_on.isoformat()}"
    if card.photo and card.photo_type in PHOTO_TYPES:
        data = base64.b64encode(card.photo).decode("ascii")
        if version == "3.0":
            yield f"PHOTO;ENCODING=b;TYPE={card.photo_type.split('/')[1].upper()}:{data}"
        else:
            yield f"PHOTO:data:{card.photo_type};base64,{data}"


def _card_lines(card: Card, version: str) -> Iterator[str]:
    yield "BEGIN:VCARD"
    yield f"VERSION:{version}"
    yield from _name_lines(card, version)
    yield from _organisation_lines(card)
    yield from _method_lines(card.methods)
    yield from _other_lines(card, version)
    yield "END:VCARD"


def write_vcards(cards: Iterable[Card], version: str = "4.0") -> str:
    """The cards as one vCard text (4.0, or 3.0), CRLF line endings, lines folded at 75
    octets."""
    if version not in ("3.0", "4.0"):
        raise ValueError(f"vCard version 3.0 or 4.0, not {version!r}")
    return "".join(fold(line) + "\r\n" for card in cards for line in _card_lines(card, version))
