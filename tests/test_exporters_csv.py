"""CSV export: formulas neutralised (OWASP), a BOM for Excel, and cells that read back whole."""

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.exporters import neutralise, write_csv


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+81 90 0000 0000", "'+81 90 0000 0000"),
        ("-5", "'-5"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("", ""),
        ("山田", "山田"),
        ("a=b", "a=b"),
        (" =1", " =1"),
        ("'=1", "'=1"),
        # Full-width forms and the pipe (issue 15, finding 10).
        ("＝SUM(A1)", "'＝SUM(A1)"),
        ("＋81", "'＋81"),
        ("－5", "'－5"),
        ("＠SUM(1)", "'＠SUM(1)"),
        ("|cmd", "'|cmd"),
        ("｜cmd", "'｜cmd"),
        ("a|b", "a|b"),
    ],
)
def test_neutralise(cell: str, expected: str) -> None:
    assert neutralise(cell) == expected


def _read(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_header_rows_and_crlf() -> None:
    text = write_csv(
        [{"name": "山田 太郎", "note": 'a, "b"\nc'}, {"name": "=cmd|' /C calc'!A0"}],
        ["name", "note"],
    )
    assert text.startswith("name,note\r\n")
    assert text.endswith("\r\n")
    assert _read(text) == [
        ["name", "note"],
        ["山田 太郎", 'a, "b"\nc'],
        ["'=cmd|' /C calc'!A0", ""],
    ]


def test_columns_choose_and_order_the_cells() -> None:
    text = write_csv([{"b": "2", "a": "1", "extra": "x"}], ["a", "b", "missing"])
    assert _read(text) == [["a", "b", "missing"], ["1", "2", ""]]


def test_bom_for_excel() -> None:
    text = write_csv([{"名前": "山田"}], ["名前"], bom=True)
    assert text.startswith("\ufeff名前\r\n")
    assert not write_csv([], ["a"]).startswith("\ufeff")
    assert text.encode("utf-8").startswith(b"\xef\xbb\xbf")


def test_no_rows_is_just_the_header() -> None:
    assert write_csv([], ["a", "b"]) == "a,b\r\n"


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.lists(st.text(st.characters(codec="utf-8")), min_size=3, max_size=3),
        max_size=5,
    )
)
def test_any_cells_read_back_neutralised(rows: list[list[str]]) -> None:
    columns = ["a", "b", "c"]
    text = write_csv([dict(zip(columns, row, strict=True)) for row in rows], columns)
    assert _read(text) == [columns, *([neutralise(cell) for cell in row] for row in rows)]
