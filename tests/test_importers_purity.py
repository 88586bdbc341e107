"""The importers and exporters stay pure: no Flask, no SQLAlchemy, no app module with either."""

from pathlib import Path

import pytest

from tests.purity_support import WEB_AND_DATABASE, forbidden, imported

ROOT = Path(__file__).resolve().parents[1] / "tracker"
PACKAGES = ("importers", "exporters")
FORBIDDEN_ROOTS = (*WEB_AND_DATABASE, "vobject")
# Pure app modules: tracker.services itself holds only N_ and ServiceError (its submodules
# use the database), tracker.text only names and sort keys, tracker.fields the contact's
# fields, tracker.method_values the normal form of emails and phones.
ALLOWED_EXACT = ("tracker.services", "tracker.text", "tracker.fields", "tracker.method_values")
ALLOWED_TREES = ("tracker.importers", "tracker.exporters")


def _forbidden(module: str) -> bool:
    return forbidden(module, FORBIDDEN_ROOTS, ALLOWED_TREES, ALLOWED_EXACT)


def _files() -> list[Path]:
    return sorted(path for package in PACKAGES for path in (ROOT / package).rglob("*.py"))


def test_the_packages_are_scanned() -> None:
    names = {path.name for path in _files()}
    assert {"__init__.py", "vcard.py", "csv.py", "detect.py", "records.py"} <= names


@pytest.mark.parametrize("path", _files(), ids=lambda path: f"{path.parent.name}/{path.name}")
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
        ("tracker.services", False),
        ("tracker.text", False),
        ("tracker.fields", False),
        ("tracker.importers.records", False),
        ("csv", False),
    ],
)
def test_the_scanner(module: str, forbidden: bool) -> None:
    assert _forbidden(module) is forbidden
