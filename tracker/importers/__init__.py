"""Read contacts files into plain cards: vCard, LinkedIn, Google Contacts and Eight CSV.

Pure code: bytes in, dataclasses out, no Flask and no database. ``parse`` finds the
encoding and the format from the content (never from a file name). A file that cannot
be read at all raises ``ImportFormatError``; a record that cannot be read becomes an
error in the result, with its record number and line, and the others are still read.
"""

import re

from tracker.importers import eight, google, linkedin, mailers
from tracker.importers.detect import decode
from tracker.importers.errors import N_, ImportFormatError
from tracker.importers.records import Card, Method, ParseResult, Problem
from tracker.importers.tabular import open_table, read_table
from tracker.importers.vcard import looks_like_vcard, parse_vcards

__all__ = ["Card", "ImportFormatError", "Method", "ParseResult", "Problem", "parse"]

# LinkedIn before the others: they all have "First Name" and "Last Name" columns.
CSV_READERS = (
    linkedin.READER,
    google.LEGACY,
    google.CURRENT,
    eight.READER,
    mailers.OUTLOOK,
    mailers.THUNDERBIRD,
)


_STARTS_AS_VCARD = re.compile(r"\s*BEGIN[ \t]*:[ \t]*VCARD[ \t]*(\r|\n|$)", re.IGNORECASE)


def _parse_text(text: str, encoding: str) -> ParseResult:
    if _STARTS_AS_VCARD.match(text):
        return parse_vcards(text, encoding)
    table = open_table(text, CSV_READERS)
    if table:
        return read_table(table, encoding)
    if looks_like_vcard(text):
        return parse_vcards(text, encoding)
    raise ImportFormatError(
        N_(
            "unknown format: export your contacts as vCard, or as a CSV of Google Contacts, "
            "LinkedIn, Eight, Outlook or Thunderbird"
        )
    )


def parse(data: bytes) -> ParseResult:
    """The cards in a contacts file, with per-record errors and warnings."""
    decoded = decode(data)
    result = _parse_text(decoded.text, decoded.encoding)
    result.warnings[:0] = decoded.warnings
    if not result.cards and not result.errors:
        result.warnings.append(Problem(0, None, N_("no contacts in the file")))
    return result
