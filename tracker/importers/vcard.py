"""vCard 2.1, 3.0 and 4.0: several contacts per file, as phones and address books write them.

The reading goes in three steps: physical lines become logical ones (folding and
quoted-printable soft line breaks undone), logical lines are grouped into cards between
BEGIN:VCARD and END:VCARD, and each card's properties fill a ``Card``.
"""

import base64
import binascii
import codecs
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from tracker.importers import values
from tracker.importers.records import Card, ParseResult, Problem
from tracker.services import N_

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_BEGIN = re.compile(r"^[ \t]*BEGIN[ \t]*:[ \t]*VCARD[ \t\r]*$", re.IGNORECASE | re.MULTILINE)
_ESCAPE = re.compile(r"\\([\\,;:nN])")
_UNESCAPED = {"n": "\n", "N": "\n"}
_CARET = re.compile(r"\^([n'^])")
_UNCARETED = {"n": "\n", "'": '"', "^": "^"}
_APPLE_LABEL = re.compile(r"_\$!<(.*)>!\$_")
# Parameters that vCard 2.1 writes bare (TEL;CELL;VOICE) are types, except these encodings.
_BARE_ENCODINGS = {"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"}
_TYPE_LABELS = {
    "fax": "fax",
    "cell": "mobile",
    "mobile": "mobile",
    "iphone": "mobile",
    "pager": "pager",
    "work": "work",
    "home": "home",
    "main": "main",
    "other": "other",
}
# When a value has several types, the most telling one names it (WORK,FAX is a fax).
_LABEL_ORDER = ("fax", "mobile", "pager", "work", "home", "main", "other")
_CHARSETS = {
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "ms932": "cp932",
    "windows-31j": "cp932",
    "cp932": "cp932",
    "utf-8": "utf-8",
    "utf8": "utf-8",
}
_METHOD_PROPERTIES = {"TEL": "phone", "EMAIL": "email", "ADR": "address", "URL": "url"}


@dataclass
class _Line:
    """One logical line and the physical line it starts on."""

    number: int
    text: str
    continues: str = ""  # "qp" or "b64" when the next physical lines may belong to it


@dataclass
class _Property:
    group: str
    name: str
    params: dict[str, list[str]]
    value: str
    line: int

    def param(self, key: str) -> str:
        found = self.params.get(key)
        return found[0] if found else ""

    def types(self) -> list[str]:
        return [
            kind.strip().lower()
            for raw in self.params.get("TYPE", ())
            for kind in raw.split(",")
            if kind.strip()
        ]


@dataclass
class _Block:
    """The lines of one card, its record number, and whether END:VCARD closed it."""

    record: int
    line: int
    lines: list[_Line] = field(default_factory=list)
    closed: bool = False


@dataclass
class _Context:
    """What a card's properties say that is only settled once all of them are read."""

    record: int
    version: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    full_name: str = ""
    sort_as: tuple[str, str] = ("", "")
    sort_string: str = ""
    phonetic: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def warn(self, prop: _Property, message: str, **params: object) -> None:
        self.warnings.append(Problem(self.record, prop.line, message, dict(params)))


def looks_like_vcard(text: str) -> bool:
    """True when a line of the text is BEGIN:VCARD."""
    return bool(_BEGIN.search(text))


# -- lines ---------------------------------------------------------------------------------


def _continuation(text: str) -> str:
    """Whether lines after this one may continue it: quoted-printable or base64, else ""."""
    head = text.partition(":")[0].upper()
    if "QUOTED-PRINTABLE" in head:
        return "qp"
    if "BASE64" in head or "ENCODING=B" in head:
        return "b64"
    return ""


def _is_boundary(raw: str) -> bool:
    upper = raw.strip().upper()
    return upper.startswith(("END:VCARD", "BEGIN:VCARD"))


def _joins(last: _Line, raw: str) -> bool:
    """Join a raw line to the last logical one: folded, a QP soft break, or 2.1 base64 data."""
    if last.continues == "qp" and last.text.endswith("=") and not _is_boundary(raw):
        last.text = last.text[:-1] + raw
        return True
    if raw[:1] in (" ", "\t"):
        last.text += raw[1:]
        return True
    # vCard 2.1 writers often leave base64 lines unindented; base64 has no colon.
    if last.continues == "b64" and raw.strip() and ":" not in raw:
        last.text += raw.strip()
        return True
    return False


def _logical_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    for number, raw in enumerate(_LINE_BREAK.split(text), 1):
        if lines and _joins(lines[-1], raw):
            continue
        if raw.strip():
            lines.append(_Line(number, raw, _continuation(raw)))
    return lines


def _blocks(lines: list[_Line]) -> Iterator[_Block]:
    """The cards' lines; a card that a new BEGIN or the end of the file cuts is not closed."""
    block: _Block | None = None
    record = 0
    for line in lines:
        # Both markers are short: a long line (a photo, a note) is neither.
        marker = line.text.strip().upper().replace(" ", "") if len(line.text) < 24 else ""
        if marker == "BEGIN:VCARD":
            if block:
                yield block
            record += 1
            block = _Block(record, line.number)
        elif marker == "END:VCARD":
            if block:
                block.closed = True
                yield block
            block = None
        elif block:
            block.lines.append(line)
    if block:
        yield block


# -- properties ----------------------------------------------------------------------------


def _split_quoted(text: str, separator: str, stop: str = "") -> tuple[list[str], int]:
    """Split on a separator outside double quotes, up to a stop character; where it stopped."""
    parts, start, quoted = [], 0, False
    for index, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char == separator:
            parts.append(text[start:index])
            start = index + 1
        elif char == stop:
            parts.append(text[start:index])
            return parts, index
    parts.append(text[start:])
    return parts, -1


def _head_and_value(text: str) -> tuple[list[str], str] | None:
    """The name-and-parameters pieces of a content line, and its value."""
    colon = text.find(":")
    if colon < 0:
        return None
    if '"' not in text[:colon]:
        return text[:colon].split(";"), text[colon + 1 :]
    pieces, stop = _split_quoted(text, ";", ":")
    return (pieces, text[stop + 1 :]) if stop >= 0 else None


def _param_value(raw: str) -> str:
    raw = raw.strip()
    if len(raw) >= 2 and raw[0] == raw[-1] == '"':
        raw = raw[1:-1]
    # RFC 6868: ^n, ^' and ^^ stand for a newline, a double quote and a caret.
    return _CARET.sub(lambda match: _UNCARETED[match[1]], raw) if "^" in raw else raw


def _params(pieces: list[str]) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for piece in pieces:
        key, equals, raw = piece.partition("=")
        if equals:
            params.setdefault(key.strip().upper(), []).append(_param_value(raw))
        elif piece.strip().upper() in _BARE_ENCODINGS:
            params.setdefault("ENCODING", []).append(piece.strip())
        elif piece.strip():
            params.setdefault("TYPE", []).append(piece.strip())
    return params


def _codec(charset: str) -> str | None:
    name = charset.strip().lower()
    if name in _CHARSETS:
        return _CHARSETS[name]
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _text_of(data: bytes, codec: str | None) -> str:
    """Bytes as text: in the named codec if it reads them, else UTF-8, else cp932."""
    for candidate in (codec, "utf-8", "cp932"):
        if candidate:
            try:
                return data.decode(candidate)
            except (UnicodeError, LookupError):
                continue
    return data.decode("utf-8", errors="replace")


def _decoded_value(params: dict[str, list[str]], value: str, encoding: str) -> str:
    """The value with quoted-printable and CHARSET undone; base64 is left to PHOTO."""
    charset = params.get("CHARSET")
    codec = _codec(charset[0]) if charset else None
    if any(enc.upper() in ("QUOTED-PRINTABLE", "QP") for enc in params.get("ENCODING", ())):
        raw = value.encode("utf-8", errors="replace")
        return _text_of(binascii.a2b_qp(raw, header=False), codec)
    # A cp932 file may still carry UTF-8 lines that say so: undo the wrong reading.
    if codec and encoding == "cp932" and codec != "cp932" and not value.isascii():
        try:
            return value.encode("cp932").decode(codec)
        except (UnicodeError, LookupError):
            return value
    return value


def _property(line: _Line, encoding: str) -> _Property | None:
    found = _head_and_value(line.text)
    if not found:
        return None
    pieces, value = found
    group, _, name = pieces[0].strip().rpartition(".")
    params = _params(pieces[1:]) if len(pieces) > 1 else {}
    if params:
        value = _decoded_value(params, value, encoding)
    return _Property(group.lower(), name.upper(), params, value, line.number)


# -- values --------------------------------------------------------------------------------


def unescape(value: str) -> str:
    r"""A text value with \n, \, \; \: and \\ undone; other backslashes are kept as written."""
    if "\\" not in value:
        return value
    return _ESCAPE.sub(lambda match: _UNESCAPED.get(match[1], match[1]), value)


def split_escaped(value: str, separator: str) -> list[str]:
    """Split on separators that no backslash escapes, then unescape each part."""
    if "\\" not in value:
        return value.split(separator)
    parts, current, index = [], [], 0
    while index < len(value):
        char = value[index]
        if char == "\\" and index + 1 < len(value):
            current.append(value[index : index + 2])
            index += 2
            continue
        if char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    parts.append("".join(current))
    return [unescape(part) for part in parts]


def _components(value: str, count: int) -> list[str]:
    parts = split_escaped(value, ";")
    return parts + [""] * (count - len(parts))


def _image_type(data: bytes) -> str | None:
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG"):
        return "image/png"
    return None


def _base64(text: str) -> bytes | None:
    compact = "".join(text.split())
    compact += "=" * (-len(compact) % 4)
    try:
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        return None


def _photo_bytes(prop: _Property) -> bytes | bool | None:
    """The photo's bytes, None when they cannot be decoded, False when it is only a link."""
    value = prop.value.strip()
    if value[:5].lower() == "data:":
        header, _, payload = value.partition(",")
        return _base64(payload) if ";base64" in header.lower() else None
    if any(enc.upper() in ("B", "BASE64") for enc in prop.params.get("ENCODING", ())):
        return _base64(value)
    # A photo given by URL: the importer fetches nothing, so there is nothing to keep.
    return False


# -- properties into a card ----------------------------------------------------------------


def _method_label(prop: _Property, context: _Context) -> str:
    if prop.group and prop.group in context.labels:
        return context.labels[prop.group]
    found = {_TYPE_LABELS[kind] for kind in prop.types() if kind in _TYPE_LABELS}
    for label in _LABEL_ORDER:
        if label in found:
            return label
    custom = [kind[2:] for kind in prop.types() if kind.startswith("x-") and len(kind) > 2]
    return custom[0] if custom else ""


def _method_value(prop: _Property, kind: str, context: _Context) -> str:
    if kind == "address":
        po_box, extended, street, locality, region, code, country = _components(prop.value, 7)[:7]
        return values.join_address(street, locality, region, code, country, extended, po_box)
    value = unescape(prop.value)
    tel_uri = prop.param("VALUE").lower() == "uri" or context.version == "4.0"
    if kind == "phone" and tel_uri and value[:4].lower() == "tel:":
        value = value[4:]
    return value


def _on_method(card: Card, prop: _Property, context: _Context) -> None:
    kind = _METHOD_PROPERTIES[prop.name]
    values.add_method(card, kind, _method_value(prop, kind, context), _method_label(prop, context))


def _on_name(card: Card, prop: _Property, context: _Context) -> None:
    family, given, additional = _components(prop.value, 3)[:3]
    card.family_name = family
    card.given_name = " ".join(part for part in (given.strip(), additional.strip()) if part)
    sort_as = prop.param("SORT-AS")
    if sort_as:
        family_reading, _, given_reading = sort_as.partition(",")
        context.sort_as = (family_reading.strip(), given_reading.strip())


def _on_org(card: Card, prop: _Property, context: _Context) -> None:
    parts = split_escaped(prop.value, ";")
    card.company = parts[0]
    card.department = " ".join(part.strip() for part in parts[1:] if part.strip())


def _on_birthday(card: Card, prop: _Property, context: _Context) -> None:
    raw = unescape(prop.value).strip()
    omitted = prop.param("X-APPLE-OMIT-YEAR")
    # Apple writes a birthday without a year as 1604-11-27 and says so in this parameter.
    if omitted and raw.startswith(omitted) and len(omitted) == 4:
        raw = "--" + raw[4:].lstrip("-")
    card.birthday = values.parse_birthday(raw)
    if card.birthday is None and raw:
        context.warn(prop, N_("birthday %(value)s is not a valid date"), value=values.quoted(raw))


def _on_photo(card: Card, prop: _Property, context: _Context) -> None:
    if card.photo is not None:
        return
    data = _photo_bytes(prop)
    if data is False:
        return
    if not isinstance(data, bytes) or not data:
        context.warn(prop, N_("the photo could not be decoded and was left out"))
        return
    kind = _image_type(data)
    if kind is None:
        context.warn(prop, N_("the photo is not a JPEG or PNG image and was left out"))
        return
    card.photo, card.photo_type = data, kind


def _on_first_met(card: Card, prop: _Property, context: _Context) -> None:
    card.first_met_on = values.parse_day(unescape(prop.value))


def _on_text(card: Card, prop: _Property, context: _Context) -> None:
    """Properties whose value is one text: kept aside until all of the card is read."""
    value = unescape(prop.value)
    if prop.name == "FN":
        context.full_name = value
    elif prop.name == "TITLE":
        card.title = card.title or value
    elif prop.name == "NOTE":
        context.notes.append(value)
    elif prop.name == "SORT-STRING":
        context.sort_string = value
    elif prop.name == "VERSION":
        context.version = value.strip()
    else:
        context.phonetic[prop.name] = value


def _on_categories(card: Card, prop: _Property, context: _Context) -> None:
    card.tags.extend(split_escaped(prop.value, ","))


_Handler = Callable[[Card, _Property, _Context], None]
_HANDLERS: dict[str, _Handler] = {
    "N": _on_name,
    "FN": _on_text,
    "TITLE": _on_text,
    "NOTE": _on_text,
    "SORT-STRING": _on_text,
    "VERSION": _on_text,
    "X-PHONETIC-FIRST-NAME": _on_text,
    "X-PHONETIC-LAST-NAME": _on_text,
    "ORG": _on_org,
    "TEL": _on_method,
    "EMAIL": _on_method,
    "ADR": _on_method,
    "URL": _on_method,
    "CATEGORIES": _on_categories,
    "BDAY": _on_birthday,
    "PHOTO": _on_photo,
    "X-JINMYAKU-FIRST-MET-ON": _on_first_met,
}


def _apple_labels(props: list[_Property]) -> dict[str, str]:
    """Labels Apple gives grouped values (item1.X-ABLabel:会社), by group."""
    labels = {}
    for prop in props:
        if prop.name == "X-ABLABEL" and prop.group:
            text = unescape(prop.value).strip()
            apple = _APPLE_LABEL.fullmatch(text)
            labels[prop.group] = values.label_for(apple[1]) if apple else values.clean(text)
    return labels


def _settle(card: Card, context: _Context) -> None:
    """Fill what depends on several properties: readings, the name from FN, the notes."""
    family_sort, given_sort = context.sort_as
    if not family_sort and context.sort_string:
        family_sort = context.sort_string
    # A sort key that only repeats the name (Smith,John) is no reading.
    family_sort = "" if family_sort == card.family_name.strip() else family_sort
    given_sort = "" if given_sort == card.given_name.strip() else given_sort
    card.family_reading = context.phonetic.get("X-PHONETIC-LAST-NAME") or family_sort
    card.given_reading = context.phonetic.get("X-PHONETIC-FIRST-NAME") or given_sort
    full_name = values.clean(context.full_name)
    named = card.family_name.strip() or card.given_name.strip()
    # Apple writes the company as FN for a company's card: that is no person's name.
    if not named and full_name and full_name != values.clean(card.company):
        card.family_name, card.given_name = values.split_full_name(full_name)
    card.notes = "\n".join(context.notes)


def _card(block: _Block, encoding: str) -> tuple[Card, list[Problem]]:
    props = [prop for line in block.lines if (prop := _property(line, encoding))]
    context = _Context(block.record, labels=_apple_labels(props))
    card = Card(record=block.record, line=block.line)
    for prop in props:
        handler = _HANDLERS.get(prop.name)
        if handler:
            handler(card, prop, context)
    _settle(card, context)
    return card, context.warnings


def _read_block(block: _Block, encoding: str, result: ParseResult) -> None:
    if not block.closed:
        message = N_("the record is cut off: it has no END:VCARD")
        result.errors.append(Problem(block.record, block.line, message))
        return
    try:
        card, warnings = _card(block, encoding)
    except Exception:  # one odd card must not cost the user the whole preview
        message = N_("the record could not be read")
        result.errors.append(Problem(block.record, block.line, message))
        return
    result.warnings.extend(warnings)
    problem = values.finish(card)
    if problem:
        result.errors.append(problem)
    else:
        result.cards.append(card)


def parse_vcards(text: str, encoding: str) -> ParseResult:
    """Every card in a vCard text; a card that cannot be read becomes an error."""
    result = ParseResult("vcard", encoding, [], [], [])
    for block in _blocks(_logical_lines(text)):
        _read_block(block, encoding, result)
    return result
