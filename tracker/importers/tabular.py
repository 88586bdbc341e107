"""CSV files: find the header row, tell which export it is, and read each row into a card."""

import csv
import io
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import islice

from tracker.importers import values
from tracker.importers.errors import N_
from tracker.importers.records import Card, ParseResult, Problem

# LinkedIn and Eight put a few lines of notes above their header; none puts more than this.
_HEADER_SEARCH_ROWS = 30


def column_key(name: str) -> str:
    """A header cell as the readers look it up: width-folded, trimmed, case-folded."""
    return unicodedata.normalize("NFKC", name).replace("\ufeff", "").strip().strip('"').casefold()


@dataclass
class Row:
    """One data row: its cells by column key, where it is, and what was wrong in it.

    The row remembers which columns the reader looked at, so that a cell no reader asked
    for is counted as not kept instead of dropped in silence.
    """

    cells: dict[str, str]
    columns: tuple[str, ...]
    record: int
    line: int
    warnings: list[Problem] = field(default_factory=list)
    read: set[str] = field(default_factory=set)
    skipped: str = ""  # why the row is no person, when the reader says so

    def get(self, *keys: str) -> str:
        """The first non-empty cell among these columns, or ""."""
        self.read.update(keys)
        for key in keys:
            value = self.cells.get(key, "")
            if value.strip():
                return value
        return ""

    def name(self, family: tuple[str, ...], given: tuple[str, ...], whole: str) -> tuple[str, str]:
        """Family and given name from their columns, else split from the one that holds the
        name whole (read either way: beside the parts it says the same)."""
        parts = self.get(*family), self.get(*given)
        whole_name = self.get(whole)
        return parts if any(parts) else values.split_full_name(whole_name)

    def unread(self, ignored: frozenset[str]) -> list[str]:
        """The non-empty cells no reader asked for, by column (what the app does not keep)."""
        return [
            key
            for key, value in self.cells.items()
            if value.strip() and key not in self.read and key not in ignored and key
        ]

    def skip(self, message: str) -> None:
        """Say that this row is no person, and why; the reader then returns None."""
        self.skipped = message

    def warn(self, message: str, **params: object) -> None:
        """Note a problem with this row that does not stop it being imported."""
        self.warnings.append(Problem(self.record, self.line, message, dict(params)))

    def date(self, *keys: str, month_first: bool = False) -> date | None:
        """The date in the first non-empty of these columns; a warning when it is no date."""
        raw = self.get(*keys)
        if not raw:
            return None
        found = values.parse_day(raw, month_first=month_first)
        if found is None:
            message = N_("%(column)s: %(value)s is not a valid date")
            self.warn(message, column=keys[0], value=values.quoted(raw))
        return found

    def birthday(self, *keys: str) -> str | None:
        """The birthday in these columns, as Card.birthday holds it; a warning when invalid."""
        raw = self.get(*keys)
        if not raw:
            return None
        found = values.parse_birthday(raw)
        if found is None:
            self.warn(N_("birthday %(value)s is not a valid date"), value=values.quoted(raw))
        return found


@dataclass(frozen=True)
class Reader:
    """One CSV export: how to recognise its header, and how to read a row of it.

    ``read`` returns None for a row that is no person (a LinkedIn member who hides their
    profile), after ``row.skip`` said why. ``ignored`` are the columns that say nothing
    about the person (a writer's own bookkeeping). ``card_exchanges`` says that each row's
    first-met date is the day business cards were exchanged.
    """

    format: str
    matches: Callable[[frozenset[str]], bool]
    read: Callable[[Row], Card | None]
    ignored: frozenset[str] = frozenset()
    card_exchanges: bool = False


@dataclass
class Table:
    """A CSV file whose header row says which export it is, and the rows after the header."""

    reader: Reader
    columns: tuple[str, ...]
    rows: Iterator[tuple[int, list[str] | str]]


def _numbered_rows(text: str, delimiter: str) -> Iterator[tuple[int, list[str] | str]]:
    """Each row with the line it starts on; the csv module's complaint for a row it refused."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    while True:
        row: list[str] | str
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            if reader.line_num < start:
                return
            row = str(error)
        yield start, row
        start = reader.line_num + 1


def _find_header(text: str, delimiter: str, readers: tuple[Reader, ...]) -> Table | None:
    rows = _numbered_rows(text, delimiter)
    for _line, row in islice(rows, _HEADER_SEARCH_ROWS):
        if not row or isinstance(row, str):
            continue
        columns = tuple(column_key(cell) for cell in row)
        names = frozenset(columns)
        for reader in readers:
            if reader.matches(names):
                return Table(reader, columns, rows)
    return None


def open_table(text: str, readers: tuple[Reader, ...]) -> Table | None:
    """The table in a CSV text (comma- or tab-separated), or None when no reader knows it."""
    for delimiter in (",", "\t"):
        table = _find_header(text, delimiter, readers)
        if table:
            return table
    return None


def _cells(columns: tuple[str, ...], row: list[str]) -> dict[str, str]:
    cells: dict[str, str] = {}
    for key, value in zip(columns, row, strict=False):
        # A repeated column keeps its first non-empty value.
        if not cells.get(key):
            cells[key] = value
    return cells


def _read_row(table: Table, row: Row) -> tuple[Card | None, Problem | None]:
    try:
        card = table.reader.read(row)
    except Exception:  # one odd row must not cost the user the whole preview
        message = N_("the record could not be read")
        return None, Problem(row.record, row.line, message)
    if card is None:
        return None, Problem(
            row.record, row.line, row.skipped or N_("the record could not be read")
        )
    card.record, card.line = row.record, row.line
    return (None, problem) if (problem := values.finish(card)) else (card, None)


def _refused_row(record: int, line: int, complaint: str) -> Problem:
    """The problem for a row the csv module refused: a huge cell, or broken quoting."""
    if complaint.startswith("field larger than field limit"):
        message = N_("field too long: %(field)s has more than %(limit)s characters")
        return Problem(record, line, message, {"field": "cell", "limit": values.MAX_FIELD})
    return Problem(record, line, N_("the row is not valid CSV"))


def read_table(table: Table, encoding: str) -> ParseResult:
    """Every data row of a table as a card, or as a problem when it cannot be one."""
    result = ParseResult(table.reader.format, encoding, [], [], [])
    result.card_exchanges = table.reader.card_exchanges
    record = 0
    for line, raw in table.rows:
        if not isinstance(raw, str) and not any(cell.strip() for cell in raw):
            continue
        record += 1
        if isinstance(raw, str):
            result.errors.append(_refused_row(record, line, raw))
            continue
        row = Row(_cells(table.columns, raw), table.columns, record, line)
        card, problem = _read_row(table, row)
        result.warnings.extend(row.warnings)
        if card:
            result.cards.append(card)
            result.not_kept.update(row.unread(table.reader.ignored))
        if problem:
            result.errors.append(problem)
    return result
