"""The card reader stays pure: no Flask, no SQLAlchemy, no app module with either."""

from pathlib import Path

import pytest

from tests.purity_support import WEB_AND_DATABASE, forbidden, imported

PACKAGE_DIR = Path(__file__).resolve().parents[1] / "tracker" / "cardreader"
FORBIDDEN_ROOTS = (*WEB_AND_DATABASE, "flask_babel")
# Pure app modules it may use: the importers' vCard parser, the name helpers, the field list.
ALLOWED_TREES = ("tracker.cardreader", "tracker.importers")
ALLOWED_EXACT = ("tracker.text", "tracker.fields")


def _forbidden(module: str) -> bool:
    return forbidden(module, FORBIDDEN_ROOTS, ALLOWED_TREES, ALLOWED_EXACT)


def _files() -> list[Path]:
    return sorted(PACKAGE_DIR.rglob("*.py"))


def test_the_package_is_scanned() -> None:
    assert {"__init__.py", "ocr.py", "qr.py", "fields.py", "reader.py"} <= {
        path.name for path in _files()
    }


@pytest.mark.parametrize("path", _files(), ids=lambda path: path.name)
def test_module_is_pure(path: Path) -> None:
    found = imported(path.read_text(encoding="utf-8"))
    assert [module for module in found if _forbidden(module)] == []


@pytest.mark.parametrize(
    ("module", "forbidden"),
    [
        ("flask", True),
        ("sqlalchemy.orm", True),
        ("tracker.models", True),
        ("tracker.services.contacts", True),
        ("tracker.db", True),
        ("tracker", True),
        ("tracker.text", False),
        ("tracker.importers.vcard", False),
        ("numpy", False),
    ],
)
def test_the_scanner(module: str, forbidden: bool) -> None:
    assert _forbidden(module) is forbidden
