"""The malformed corpus: each file gives a clear error or a partial result, never a traceback."""

from pathlib import Path

import pytest

from tracker.importers import ImportFormatError, ParseResult, parse

MALFORMED = Path(__file__).resolve().parent / "fixtures" / "import" / "malformed"


def _parse(name: str) -> ParseResult:
    return parse((MALFORMED / name).read_bytes())


def _refusal(name: str) -> ImportFormatError:
    with pytest.raises(ImportFormatError) as raised:
        _parse(name)
    return raised.value


@pytest.mark.parametrize("path", sorted(MALFORMED.iterdir()), ids=lambda path: path.name)
def test_every_file_gives_a_result_or_a_clear_error(path: Path) -> None:
    try:
        result = parse(path.read_bytes())
    except ImportFormatError as error:
        assert error.message and str(error)
        return
    assert result.cards or result.errors or result.warnings
    for problem in result.errors + result.warnings:
        assert problem.message != "the record could not be read"


def test_truncated_keeps_the_cards_before_the_cut() -> None:
    result = _parse("truncated.vcf")
    assert [card.family_name for card in result.cards] == ["Tanaka", "Kato"]
    [error] = result.errors
    assert (error.record, error.line) == (3, 13)
    assert error.message == "the record is cut off: it has no END:VCARD"


def test_image_renamed_is_refused_as_an_image() -> None:
    error = _refusal("image_renamed.vcf")
    assert (error.message, error.params) == (
        "the file is a %(kind)s image, not a contacts file",
        {"kind": "PNG"},
    )


def test_invalid_dates_are_warnings_not_errors() -> None:
    result = _parse("invalid_dates.vcf")
    assert result.errors == []
    assert [(card.family_name, card.birthday) for card in result.cards] == [
        ("Mori", None),
        ("Ueda", None),
    ]
    assert [(warning.record, warning.line, warning.params) for warning in result.warnings] == [
        (1, 5, {"value": "2025-13-45"}),
        (2, 11, {"value": "--1340"}),
    ]


def test_huge_field_fails_only_its_record() -> None:
    result = _parse("huge_field.vcf")
    assert [card.family_name for card in result.cards] == ["Before", "After"]
    [error] = result.errors
    assert (error.record, error.line) == (2, 6)
    assert error.message == "field too long: %(field)s has more than %(limit)s characters"
    assert error.params == {"field": "notes", "limit": 10_000}


def test_nul_bytes_are_dropped_from_values() -> None:
    result = _parse("nul_bytes.vcf")
    assert result.errors == [] and result.warnings == []
    [card] = result.cards
    assert (card.family_name, card.given_name, card.company) == ("Yamada", "Taro", "Null Corp")
    assert card.notes == "line one\nline two"
    assert [method.value for method in card.methods] == ["taro@example.jp"]


def test_wrong_encoding_is_read_by_falling_back_to_cp932() -> None:
    result = _parse("wrong_encoding.csv")
    assert (result.format, result.encoding) == ("eight", "cp932")
    assert [card.family_name for card in result.cards] == ["鈴木", "髙橋", "山田"]
    assert result.warnings[0].message == (
        "the file begins as UTF-8 but is in Shift_JIS; it was read as Shift_JIS"
    )


def test_empty_is_refused() -> None:
    assert _refusal("empty.vcf").message == "the file is empty"


def test_header_only_is_no_error_but_a_warning() -> None:
    result = _parse("header_only.csv")
    assert (result.format, result.cards, result.errors) == ("google", [], [])
    assert [warning.message for warning in result.warnings] == ["no contacts in the file"]
