"""Turn a file's bytes into text: refuse what is not a text file and find the encoding.

The order of the checks:
1. nothing but whitespace → "the file is empty";
2. an image or document signature (PNG, JPEG, GIF, WebP, HEIC, TIFF, PDF, ZIP/xlsx, xls,
   gzip) → an error that names what the file is;
3. a UTF-32 or UTF-16 byte-order mark, or (without one) NUL bytes in every other
   position as ASCII text in UTF-16 has → UTF-32/UTF-16;
4. many control bytes (NUL and the like) in the first 8 KiB → "not a text file";
5. ISO-2022-JP escape sequences → ISO-2022-JP;
6. valid UTF-8 (with or without a BOM) → UTF-8;
7. otherwise, mostly valid UTF-8 with a few broken lines → decoded line by line;
8. valid cp932 (Shift_JIS as Windows writes it) → cp932, with a warning when the file
   began with a UTF-8 BOM that it did not honour;
9. otherwise line by line: UTF-8, the line's vCard CHARSET, cp932, and at last UTF-8
   with replacement characters (and a warning).
"""

import codecs
import re
from dataclasses import dataclass, field

from tracker.images import image_format
from tracker.importers.errors import N_, ImportFormatError
from tracker.importers.records import Problem

_SAMPLE = 8192
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_DOCUMENTS = (
    (b"%PDF-", "PDF"),
    (b"PK\x03\x04", "ZIP (an Excel .xlsx or Numbers file?)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Excel .xls"),
    (b"\x1f\x8b", "gzip"),
)
# Bytes that a text file has no business holding in quantity (tab, LF, CR, FF and ESC excepted).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\x0c\x1b")
_CHARSET = re.compile(rb";CHARSET=([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_NON_ASCII = re.compile("[^\x00-\x7f\ufffd]")
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
# Every name Shift_JIS goes by is read as cp932, the Shift_JIS that phones and Windows write.
_SJIS_NAMES = {"shift_jis", "shift-jis", "sjis", "x-sjis", "ms932", "windows-31j", "cp932"}


@dataclass(frozen=True)
class Decoded:
    """A file's text, the encoding it was read in, and what the reading had to guess."""

    text: str
    encoding: str
    warnings: tuple[Problem, ...] = field(default=())


def _refuse_non_text(data: bytes) -> None:
    """Raise for an empty file or one whose signature says it is an image or a document."""
    if not data.strip(b" \t\r\n\x00") or data.strip() in _BOMS:
        raise ImportFormatError(N_("the file is empty"))
    kind = image_format(data)
    if kind:
        raise ImportFormatError(N_("the file is a %(kind)s image, not a contacts file"), kind=kind)
    for magic, kind in _DOCUMENTS:
        if data.startswith(magic):
            raise ImportFormatError(
                N_("the file is a %(kind)s file, not a contacts file: export vCard or CSV"),
                kind=kind,
            )


def _bom_codec(data: bytes) -> tuple[str, int] | None:
    """The UTF-32/UTF-16 codec a byte-order mark names, and the mark's length."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return ("utf-32-le" if data[0] == 0xFF else "utf-32-be"), 4
    if data.startswith(b"\xff\xfe"):
        return "utf-16-le", 2
    if data.startswith(b"\xfe\xff"):
        return "utf-16-be", 2
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16LE or BE when NULs fill one byte of most pairs, as ASCII in UTF-16 does."""
    sample = data[:_SAMPLE]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    # Japanese text in UTF-16 has few NULs, but its commas, digits and line breaks have them.
    if odd >= pairs * 0.2 and even <= odd * 0.1:
        return "utf-16-le"
    if even >= pairs * 0.2 and odd <= even * 0.1:
        return "utf-16-be"
    return None


def _looks_binary(data: bytes) -> bool:
    sample = data[:_SAMPLE]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > len(sample) * 0.05


def _strict(data: bytes, codec: str) -> str | None:
    try:
        text = data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None
    # Python's cp932 maps bytes no Shift_JIS text uses (0xFD-0xFF, user-defined rows) to the
    # private use area: take that as "not cp932" rather than keep invisible characters.
    if codec == "cp932" and _PRIVATE_USE.search(text):
        return None
    return text


def codec_for(charset: str) -> str | None:
    """The Python codec for a charset name a file gives, or None when there is none."""
    name = charset.strip().lower()
    if name in _SJIS_NAMES:
        return "cp932"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _declared_codec(line: bytes) -> str | None:
    """The codec a vCard line's CHARSET parameter names, if it names one Python knows."""
    match = _CHARSET.search(line)
    return codec_for(match[1].decode("ascii")) if match else None


def _decode_line(line: bytes) -> tuple[str, str]:
    """One line in the first encoding that reads it, and how: "ok", "guessed" or "replaced"."""
    for codec in ("utf-8", _declared_codec(line)):
        text = _strict(line, codec) if codec else None
        if text is not None:
            return text, "ok"
    text = _strict(line, "cp932")
    if text is not None:
        return text, "guessed"
    return line.decode("utf-8", errors="replace"), "replaced"


def _mostly_utf8(data: bytes) -> bool:
    """True when UTF-8 reads most of the non-ASCII text: a few broken bytes, not cp932."""
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    readable = len(_NON_ASCII.findall(text))
    return readable >= 4 * broken


def _mixed(data: bytes) -> Decoded:
    """A file whose lines are in different encodings, read line by line."""
    # cp932 never uses the LF byte inside a character, so splitting there is safe.
    parts = [_decode_line(line) for line in data.split(b"\n")]
    text = "\n".join(part for part, _ in parts)
    how = {status for _, status in parts}
    if "replaced" in how:
        message = N_("some lines were not valid text; unreadable characters were replaced")
    elif "guessed" in how:
        message = N_("some lines were not UTF-8 and were read as Shift_JIS; check them")
    else:
        return Decoded(text, "mixed")
    return Decoded(text, "mixed", (Problem(0, None, message),))


def _decode_8bit(data: bytes) -> Decoded:
    had_bom = data.startswith(codecs.BOM_UTF8)
    body = data[3:] if had_bom else data
    if b"\x1b$B" in body or b"\x1b$@" in body:
        text = _strict(body, "iso2022_jp")
        if text is not None:
            return Decoded(text, "iso-2022-jp")
    text = _strict(body, "utf-8")
    if text is not None:
        return Decoded(text, "utf-8-sig" if had_bom else "utf-8")
    if _mostly_utf8(body):
        return _mixed(body)
    text = _strict(body, "cp932")
    if text is not None:
        warning = Problem(
            0, None, N_("the file begins as UTF-8 but is in Shift_JIS; it was read as Shift_JIS")
        )
        return Decoded(text, "cp932", (warning,) if had_bom else ())
    return _mixed(body)


def _decode_wide(data: bytes, codec: str) -> Decoded:
    text = _strict(data, codec)
    if text is not None:
        return Decoded(text, codec)
    warning = Problem(0, None, N_("some characters could not be read and were replaced"))
    return Decoded(data.decode(codec, errors="replace"), codec, (warning,))


def decode(data: bytes) -> Decoded:
    """The text of a file, or ImportFormatError when it is empty or not a text file."""
    _refuse_non_text(data)
    found = _bom_codec(data)
    if found:
        decoded = _decode_wide(data[found[1] :], found[0])
    elif codec := _utf16_without_bom(data):
        decoded = _decode_wide(data, codec)
    elif _looks_binary(data):
        raise ImportFormatError(
            N_("the file is not a text file: export your contacts as vCard or CSV")
        )
    else:
        decoded = _decode_8bit(data)
    # NUL bytes are never content; the record parsers drop the other control characters.
    text = decoded.text.replace("\x00", "").removeprefix("\ufeff")
    if not text.strip():
        raise ImportFormatError(N_("the file is empty"))
    return Decoded(text, decoded.encoding, decoded.warnings)
