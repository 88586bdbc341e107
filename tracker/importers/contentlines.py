"""The syntax of vCard files: physical lines into content lines, cards and properties.

Folding, quoted-printable soft line breaks and vCard 2.1's unindented base64 are undone in
one pass over the lines, each joined piece kept in a list and the line built once, so the
work grows with the size of the file however long a run of continuation lines is.
"""

import binascii
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from tracker.importers.detect import codec_for

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_CARET = re.compile(r"\^([n'^])")
_UNCARETED = {"n": "\n", "'": '"', "^": "^"}
# Parameters that vCard 2.1 writes bare (TEL;CELL;VOICE) are types, except these encodings.
_BARE_ENCODINGS = {"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"}
# Both markers are short: a longer line (a photo, a note) is neither.
_MARKER_MAX = 24


@dataclass
class Line:
    """One logical line and the physical line it starts on."""

    number: int
    text: str


@dataclass
class Property:
    """One content line: group, name, parameters, value, and the line it starts on."""

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

    def preference(self) -> int:
        """How preferred the value is: PREF=1 (4.0) or TYPE=pref (3.0) first; 100 when not."""
        pref = self.param("PREF")
        if pref.isdigit():
            return int(pref)
        return 1 if "pref" in self.types() else 100


@dataclass
class Block:
    """The lines of one card, its record number, and whether END:VCARD closed it."""

    record: int
    line: int
    lines: list[Line] = field(default_factory=list)
    closed: bool = False


class _Joiner:
    """The logical line being built: its pieces, and how the next physical line may join it."""

    def __init__(self, number: int, raw: str) -> None:
        self.number = number
        self.pieces = [raw]
        head = raw.partition(":")[0].upper()
        self.continues = (
            "qp"
            if "QUOTED-PRINTABLE" in head
            else "b64"
            if "BASE64" in head or "ENCODING=B" in head
            else ""
        )

    def joins(self, raw: str) -> bool:
        """Take a raw line that continues this one: folded, a QP soft break, or 2.1 base64."""
        last = self.pieces[-1]
        if self.continues == "qp" and last.endswith("=") and not _is_boundary(raw):
            self.pieces[-1] = last[:-1]
            self.pieces.append(raw)
            return True
        if raw[:1] in (" ", "\t"):
            self.pieces.append(raw[1:])
            return True
        # vCard 2.1 writers often leave base64 lines unindented; base64 has no colon.
        if self.continues == "b64" and raw.strip() and ":" not in raw:
            self.pieces.append(raw.strip())
            return True
        return False

    def line(self) -> Line:
        return Line(self.number, "".join(self.pieces))


def _is_boundary(raw: str) -> bool:
    if len(raw) > _MARKER_MAX:
        return False
    upper = raw.strip().upper()
    return upper.startswith(("END:VCARD", "BEGIN:VCARD"))


def logical_lines(text: str) -> Iterator[Line]:
    """The content lines of a text, with folding and soft line breaks undone."""
    current: _Joiner | None = None
    for number, raw in enumerate(_LINE_BREAK.split(text), 1):
        if current and current.joins(raw):
            continue
        if current:
            yield current.line()
            current = None
        if raw.strip():
            current = _Joiner(number, raw)
    if current:
        yield current.line()


def _marker(line: Line) -> str:
    if len(line.text) >= _MARKER_MAX:
        return ""
    return line.text.strip().upper().replace(" ", "")


def blocks(lines: Iterator[Line]) -> Iterator[Block]:
    """The cards' lines; a card that a new BEGIN or the end of the file cuts is not closed.

    vCard 2.1 may nest a whole card in an AGENT property (AGENT: on its own line, then
    BEGIN:VCARD…END:VCARD); that card is part of the outer one, not a new record.
    """
    block: Block | None = None
    record = 0
    nested = 0
    for line in lines:
        marker = _marker(line)
        if marker == "BEGIN:VCARD":
            if nested or (block and block.lines and _marker(block.lines[-1]) == "AGENT:"):
                nested += 1
                continue
            if block:
                yield block
            record += 1
            block = Block(record, line.number)
        elif marker == "END:VCARD":
            if nested:
                nested -= 1
                continue
            if block:
                block.closed = True
                yield block
            block = None
        elif block and not nested:
            block.lines.append(line)
    if block:
        yield block


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


def text_of(data: bytes, codec: str | None) -> str:
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
    codec = codec_for(charset[0]) if charset else None
    if any(enc.upper() in ("QUOTED-PRINTABLE", "QP") for enc in params.get("ENCODING", ())):
        raw = value.encode("utf-8", errors="replace")
        return text_of(binascii.a2b_qp(raw, header=False), codec)
    # A cp932 file may still carry UTF-8 lines that say so: undo the wrong reading.
    if codec and encoding == "cp932" and codec != "cp932" and not value.isascii():
        try:
            return value.encode("cp932").decode(codec)
        except (UnicodeError, LookupError):
            return value
    return value


def parse_property(line: Line, encoding: str) -> Property | None:
    """The property on a content line, or None when the line has no colon."""
    found = _head_and_value(line.text)
    if not found:
        return None
    pieces, value = found
    group, _, name = pieces[0].strip().rpartition(".")
    params = _params(pieces[1:]) if len(pieces) > 1 else {}
    if params:
        value = _decoded_value(params, value, encoding)
    return Property(group.lower(), name.strip().upper(), params, value, line.number)
