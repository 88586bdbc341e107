"""vCard 4.0 (RFC 6350) and 3.0 (RFC 2426) that phones, address books and this app read back.

4.0 is the default. 3.0 is for older phones and for iOS and CardDAV clients that still
expect it: readings go in Apple's X-PHONETIC-* properties (3.0 has no SORT-AS), the photo
is inline base64 with ENCODING=b, and a birthday without a year uses Apple's
X-APPLE-OMIT-YEAR. Labels the standard knows (work, home, mobile, fax) go in TYPE; any
other label goes on an Apple-style group (item1.TEL + item1.X-ABLabel), which Apple
Contacts shows and the importer reads back as the same label.
"""

import base64
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from tracker.importers.records import PHOTO_TYPES, Card, Method
from tracker.importers.values import parse_birthday
from tracker.text import display_name

Version = Literal["4.0", "3.0"]
VERSIONS: tuple[Version, ...] = ("4.0", "3.0")

_FOLD_AT = 75  # octets per line, CRLF excluded (RFC 6350 section 3.2, RFC 2425 5.8.1)
_PROPERTIES = {"email": "EMAIL", "phone": "TEL", "address": "ADR", "url": "URL", "im": "IMPP"}
_TYPES = {
    "phone": {"work": "work", "home": "home", "mobile": "cell", "fax": "fax", "pager": "pager"},
    "email": {"work": "work", "home": "home"},
    "address": {"work": "work", "home": "home"},
    "url": {"work": "work", "home": "home"},
    "im": {},
}
# IM services whose URI scheme is settled; the importer takes the label back from
# X-SERVICE-TYPE. Any other service is written Apple's way, as x-apple:handle.
IM_SCHEMES = {
    "aim": "aim",
    "facebook": "xmpp",
    "gadu-gadu": "x-apple",
    "google talk": "xmpp",
    "gtalk": "xmpp",
    "icq": "aim",
    "jabber": "xmpp",
    "msn": "msnim",
    "qq": "x-apple",
    "sip": "sip",
    "skype": "skype",
    "xmpp": "xmpp",
    "yahoo": "ymsgr",
}
# RFC 6350's RELATED types; any other relation is written as a labelled group.
RELATED_TYPES = frozenset(
    {
        *("contact", "acquaintance", "friend", "met", "co-worker", "colleague", "co-resident"),
        *("neighbor", "child", "parent", "sibling", "spouse", "kin", "muse", "crush", "date"),
        *("sweetheart", "me", "agent", "emergency"),
    }
)
_PHOTO_TYPE_NAMES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}


@dataclass(frozen=True)
class _Dialect:
    version: Version

    @property
    def v4(self) -> bool:
        return self.version == "4.0"

    def type_param(self, value: str) -> str:
        # TYPE values are case-insensitive in both versions; phone sync's tests expect these.
        return f";TYPE={value}"


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


def _sort_as(*readings: str) -> str:
    """A SORT-AS parameter: one value per component, so a comma cannot stay in a reading."""
    if not any(readings):
        return ""
    return f";SORT-AS={_param(','.join(reading.replace(',', ' ') for reading in readings))}"


def _name_lines(card: Card, dialect: _Dialect) -> Iterator[str]:
    sort_param = _sort_as(card.family_reading, card.given_reading) if dialect.v4 else ""
    names = (card.family_name, card.given_name, card.additional_name)
    yield f"N{sort_param}:{';'.join(escape(name) for name in names)};;"
    # FN is required; a company's card shows the company, as Apple Contacts does.
    full_name = display_name(card.family_name, card.given_name) or card.company or card.nickname
    yield f"FN:{escape(full_name)}"
    if card.family_reading:
        yield f"X-PHONETIC-LAST-NAME:{escape(card.family_reading)}"
    if card.given_reading:
        yield f"X-PHONETIC-FIRST-NAME:{escape(card.given_reading)}"
    if card.nickname:
        yield f"NICKNAME:{escape(card.nickname)}"


def _organisation_lines(card: Card, dialect: _Dialect) -> Iterator[str]:
    if card.company or card.department:
        department = f";{escape(card.department)}" if card.department else ""
        sort_param = _sort_as(card.company_reading) if dialect.v4 else ""
        yield f"ORG{sort_param}:{escape(card.company)}{department}"
    if card.company_reading:
        yield f"X-PHONETIC-ORG:{escape(card.company_reading)}"
    if card.title:
        yield f"TITLE:{escape(card.title)}"


def _method_value(method: Method) -> str:
    if method.kind == "address":
        # One readable line is all the app keeps, so it goes whole in the street component.
        return f";;{escape(method.value)};;;;"
    if method.kind == "im":
        # The label decides the URI's scheme; the value is escaped as text is, which the
        # importer undoes, so a handle with a comma or semicolon comes back whole.
        return f"{IM_SCHEMES.get(method.label.casefold(), 'x-apple')}:{escape(method.value)}"
    return escape(method.value)


def _related_line(method: Method, dialect: _Dialect) -> tuple[str, bool]:
    """A related person (RELATED in 4.0, Apple's X-ABRELATEDNAMES in 3.0), and whether its
    label needs a group of its own."""
    if dialect.v4 and method.label in RELATED_TYPES:
        return f"RELATED;VALUE=text;TYPE={method.label}:{escape(method.value)}", False
    name = "RELATED;VALUE=text" if dialect.v4 else "X-ABRELATEDNAMES"
    return f"{name}:{escape(method.value)}", bool(method.label)


def _method_line(method: Method, dialect: _Dialect) -> tuple[str, bool] | None:
    """The content line of a method, and whether its label needs a group of its own."""
    if method.kind == "related":
        return _related_line(method, dialect)
    name = _PROPERTIES.get(method.kind)
    if not name:
        return None
    value = _method_value(method)
    known = _TYPES[method.kind].get(method.label)
    if known or not method.label:
        return f"{name}{dialect.type_param(known) if known else ''}:{value}", False
    if method.kind == "im" and method.label.casefold() in IM_SCHEMES:
        return f"{name};X-SERVICE-TYPE={method.label}:{value}", False
    return f"{name}:{value}", True


def _method_lines(methods: list[Method], dialect: _Dialect) -> Iterator[str]:
    group = 0
    for method in methods:
        found = _method_line(method, dialect) if method.value else None
        if found is None:
            continue
        line, grouped = found
        if grouped:
            group += 1
            yield f"item{group}.{line}"
            yield f"item{group}.X-ABLabel:{escape(method.label)}"
        else:
            yield line


def _date_line(name: str, value: str | None, dialect: _Dialect) -> str | None:
    """A birthday or anniversary: 19801127 or --1127 in 4.0, 1980-11-27 in 3.0.

    3.0 has no form for a date without a year, so it is written as Apple does: the year
    1604 and X-APPLE-OMIT-YEAR=1604.
    """
    found = parse_birthday(value) if value else None
    if not found:
        return None
    if dialect.v4:
        basic = found.replace("-", "")  # 19801127, or 1127 for --11-27
        return f"{name}:{'--' + basic if found.startswith('--') else basic}"
    if found.startswith("--"):
        return f"{name};X-APPLE-OMIT-YEAR=1604:1604{found[1:]}"
    return f"{name}:{found}"


def _photo_line(card: Card, dialect: _Dialect) -> str | None:
    if not card.photo or card.photo_type not in PHOTO_TYPES:
        return None
    data = base64.b64encode(card.photo).decode("ascii")
    if dialect.v4:
        return f"PHOTO:data:{card.photo_type};base64,{data}"
    return f"PHOTO;ENCODING=b;TYPE={_PHOTO_TYPE_NAMES[card.photo_type]}:{data}"


def _other_lines(card: Card, dialect: _Dialect) -> Iterator[str]:
    if card.notes:
        yield f"NOTE:{escape(card.notes)}"
    if card.tags:
        yield "CATEGORIES:" + ",".join(escape(tag) for tag in card.tags)
    anniversary = "ANNIVERSARY" if dialect.v4 else "X-ANNIVERSARY"
    for line in (
        _date_line("BDAY", card.birthday, dialect),
        _date_line(anniversary, card.anniversary, dialect),
    ):
        if line:
            yield line
    if card.first_met_on:
        yield f"X-JINMYAKU-FIRST-MET-ON:{card.first_met_on.isoformat()}"
    photo = _photo_line(card, dialect)
    if photo:
        yield photo


def _card_lines(card: Card, dialect: _Dialect) -> Iterator[str]:
    yield "BEGIN:VCARD"
    yield f"VERSION:{dialect.version}"
    yield from _name_lines(card, dialect)
    yield from _organisation_lines(card, dialect)
    yield from _method_lines(card.methods, dialect)
    yield from _other_lines(card, dialect)
    yield "END:VCARD"


def write_vcards(cards: Iterable[Card], version: Version = "4.0") -> str:
    """The cards as one vCard text (4.0 or 3.0), CRLF line endings, lines folded at 75 octets."""
    if version not in VERSIONS:
        raise ValueError(f"unknown vCard version: {version!r}")
    dialect = _Dialect(version)
    return "".join(fold(line) + "\r\n" for card in cards for line in _card_lines(card, dialect))
