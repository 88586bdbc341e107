"""The reader: pictures of a card's sides in, its fields out; QR first, else OCR."""

import threading
from collections.abc import Callable, Sequence

import numpy as np

from tracker.cardreader import fields as layout
from tracker.cardreader import images, qr, readings
from tracker.cardreader.ocr import OcrUnavailable, PPOCRv5, TextLine
from tracker.cardreader.result import LIST_FIELDS, TEXT_FIELDS, CardFields, OcrStatus, add_unique
from tracker.text import has_cjk

Engine = Callable[[np.ndarray], list[TextLine]]


class Reader:
    """Reads cards with one OCR engine, loaded on first use and kept for the process."""

    def __init__(self, load_engine: Callable[[], Engine] = PPOCRv5) -> None:
        self._load_engine = load_engine
        self._engine: Engine | None = None
        self._failure = ""
        self._lock = threading.Lock()

    def status(self) -> OcrStatus:
        """Whether OCR can run (loading the engine if it is not loaded yet)."""
        with self._lock:
            if self._engine is None and not self._failure:
                try:
                    self._engine = self._load_engine()
                except OcrUnavailable as error:
                    self._failure = str(error)
                except Exception as error:  # a broken runtime must not take the QR path down
                    self._failure = f"the OCR engine failed to start: {error}"
        return OcrStatus(self._engine is not None, self._failure)

    def read(self, sides: Sequence[bytes]) -> CardFields:
        """The fields of a card from one or two pictures (front, then back).

        A contact QR code on either side wins; otherwise the printed text of both sides is
        read and merged. Raises ``images.ImageError`` when a picture cannot be opened.
        """
        pictures = [images.decode(data) for data in sides]
        codes = [code.text for picture in pictures for code in qr.find_codes(picture)]
        for text in codes:
            found = qr.contact_from(text)
            if found is not None:
                found.ocr_off = self.status().reason
                return found
        status = self.status()
        if self._engine is None:
            return CardFields(source="none", ocr_off=status.reason)
        # The photo is read as taken: the engine's boxes are set upright by their tilt.
        # (Warping the card flat by its outline first lost more than it gained: a dark
        # band of the card against a dark table was cut off; see docs/card-reading.md.)
        result = merge([layout.read_fields(self._engine(picture)) for picture in pictures])
        for text in codes:
            if text.startswith(("http://", "https://")):
                add_unique(result.urls, text)
        return result


def merge(sides: list[CardFields]) -> CardFields:
    """One card from the fields of its sides: the side with a Japanese name leads."""
    if not sides:
        return CardFields()
    order = sorted(sides, key=lambda side: not has_cjk(side.family_name))
    result = order[0]
    for other in order[1:]:
        latin_name = other.family_name and not has_cjk(other.family_name)
        if has_cjk(result.family_name) and latin_name and result.readings_suggested:
            # The other side spells the name in romaji: a better reading than a guess.
            found = readings.readings_from_romaji(
                result.family_name,
                result.given_name,
                f"{other.family_name.upper()} {other.given_name}",
            )
            if found and all(found):
                result.family_reading, result.given_reading = found
                result.readings_suggested = False
        for name in TEXT_FIELDS:
            if not getattr(result, name) and not name.endswith(("_name", "_reading")):
                setattr(result, name, getattr(other, name))
        if not result.family_name and not result.given_name:
            result.family_name, result.given_name = other.family_name, other.given_name
            result.family_reading, result.given_reading = other.family_reading, other.given_reading
            result.readings_suggested = other.readings_suggested
        for name in LIST_FIELDS:
            for value in getattr(other, name):
                add_unique(getattr(result, name), value)
        if result.source == "none":
            result.source = other.source
    return result
