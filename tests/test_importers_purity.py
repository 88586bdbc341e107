"""The importers and exporters stay pure: no Flask, no SQLAlchemy, no app module with either."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "tracker"
PACKAGES = ("importers", "exporters")
FORBIDDEN_ROOTS = ("flask", "sqlalchemy", "werkzeug", "wtforms", "alembic", "vobject")
# Pure app modules: tracker.services itself holds only N_ and ServiceError (its submodules
# use the database), tracker.text only names and sort keys, tracker.fields the contact's
# fields, tracker.method_values the normal form of emails and phones.
ALLOWED_EXACT = ("tracker.services", "tracker.text", "tracker.fields", "tracker.method_values")
ALLOWED_TREES = ("tracker.importers", "tracker.exporters")


def _imported(source: str) -> list[str]:
    modules = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "use absolute imports"
            modules.append(node.module or "")
    return modules


def _forbidden(module: str) -> bool:
    root = module.split(".")[0]
    if root in FORBIDDEN_ROOTS:
        return True
    if root != "tracker":
        return False
    in_tree = any(module == tree or module.startswith(f"{tree}.") for tree in ALLOWED_TREES)
    return not (in_tree or module in ALLOWED_EXACT)


def _files() -> list[Path]:
    return sorted(path for package in PACKAGES for path in (ROOT / package).rglob("*.py"))


def test_the_packages_are_scanned() -> None:
    names = {path.name for path in _files()}
    assert {"__init__.py", "vcard.py", "csv.py", "detect.py", "records.py"} <= names


@pytest.mark.parametrize("path", _files(), ids=lambda path: f"{path.parent.name}/{path.name}")
def test_module_is_pure(path: Path) -> None:
    imported = _imported(path.read_text(encoding="utf-8"))
    assert [module for module in imported if _forbidden(module)] == []


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
