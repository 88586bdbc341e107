"""Read a business card from photos: a contact QR code exactly, else the printed text.

Pure code: picture bytes in, a plain ``CardFields`` out; no Flask, no database. The OCR
models load on first use, once per process, and stay loaded; if they cannot load,
``ocr_status()`` says why, QR codes are still read, and each result's ``ocr_off`` says why
its printed text was not.

    from tracker.cardreader import read_card, ocr_status
    fields = read_card([front_bytes, back_bytes])   # one or two sides
"""

from collections.abc import Sequence

from tracker.cardreader.images import ImageError
from tracker.cardreader.reader import Reader
from tracker.cardreader.result import CardFields, OcrStatus

__all__ = ["CardFields", "ImageError", "OcrStatus", "Reader", "ocr_status", "read_card"]

_READER = Reader()


def read_card(sides: Sequence[bytes]) -> CardFields:
    """The fields of a card from the bytes of one or two photos (front, then back)."""
    return _READER.read(sides)


def ocr_status() -> OcrStatus:
    """Whether the OCR engine is available, and why not when it is not."""
    return _READER.status()
