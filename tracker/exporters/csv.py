"""CSV for spreadsheets, safe to open in Excel: formulas neutralised, optional UTF-8 BOM."""

import csv
import io
from collections.abc import Iterable, Mapping

# OWASP's CSV-injection guidance: a cell starting with one of these may run as a formula.
# Japanese Excel reads the full-width forms (＝ ＋ － ＠) as their ASCII selves, and `|`
# starts a DDE call in older spreadsheets.
_FORMULA_STARTS = ("=", "+", "-", "@", "|", "\t", "\r", "＝", "＋", "－", "＠", "｜")


def neutralise(cell: str) -> str:
    """The cell, with a leading ' when a spreadsheet would read it as a formula."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def write_csv(rows: Iterable[Mapping[str, str]], columns: list[str], *, bom: bool = False) -> str:
    """A CSV text with a header row; with ``bom`` it starts with U+FEFF so Excel reads UTF-8."""
    out = io.StringIO()
    # CRLF, as RFC 4180 and Excel expect; cells with a comma, quote or line break are quoted.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(column) for column in columns])
    for row in rows:
        writer.writerow([neutralise(row.get(column) or "") for column in columns])
    return ("\ufeff" if bom else "") + out.getvalue()
