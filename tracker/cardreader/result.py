"""What the reader returns: the fields of one card, as plain values."""

from dataclasses import asdict, dataclass, field
from typing import Any

from tracker.fields import N_, ON_CARD

SOURCES = ("qr", "ocr", "none")
# The contact's fields a card shows (tracker.fields names them once), and its address.
TEXT_FIELDS = (*(spec.name for spec in ON_CARD), "address")
LIST_FIELDS = ("emails", "phones", "urls")


@dataclass
class CardFields:
    """A card's fields; "" or [] when the card does not show one.

    ``source`` says where they came from: ``qr`` (a vCard or MECARD in a QR code, read
    exactly), ``ocr`` (the printed text), or ``none`` (nothing could be read).
    ``readings_suggested`` is true when the readings are a guess from the name rather than
    printed on the card. ``ocr_off`` says why the printed text could not be read (the OCR
    models did not load), "" when OCR was available.
    """

    family_name: str = ""
    given_name: str = ""
    family_reading: str = ""
    given_reading: str = ""
    company: str = ""
    department: str = ""
    title: str = ""
    address: str = ""
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    source: str = "none"
    readings_suggested: bool = False
    ocr_off: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def is_empty(self) -> bool:
        """True when no field holds anything."""
        return not any(getattr(self, name) for name in TEXT_FIELDS + LIST_FIELDS)


OCR_OFF = N_("Printed cards cannot be read here: the OCR engine did not start. QR codes still can.")


@dataclass(frozen=True)
class OcrStatus:
    """Whether printed text can be read here. When not: ``message`` tells the user (marked
    for translation; the page translates it), ``reason`` says why in English, for the log."""

    available: bool
    reason: str = ""

    @property
    def message(self) -> str:
        return "" if self.available else OCR_OFF


def add_unique(values: list[str], value: str) -> None:
    """Append a value (stripped) unless the list has it already, in any case."""
    value = value.strip()
    if value and value.casefold() not in (known.casefold() for known in values):
        values.append(value)
