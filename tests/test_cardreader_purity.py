"""The card reader stays pure: no Flask, no SQLAlchemy, no app module with either."""

import ast
from pathlib import Path

import pytest

PACKAGE_DIR = Path(__file__).resolve().parents[1] / "tracker" / "cardreader"
FORBIDDEN_ROOTS = ("flask", "sqlalchemy", "werkzeug", "wtforms", "alembic", "flask_babel")
# Pure app modules it may use: the importers' vCard parser and the name helpers.
ALLOWED_TREES = ("tracker.cardreader", "tracker.importers")
ALLOWED_EXACT = ("tracker.text",)


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
    return sorted(PACKAGE_DIR.rglob("*.py"))


def test_the_package_is_scanned() -> None:
    assert {"__init__.py", "ocr.py", "qr.py", "fields.py", "reader.py"} <= {
        path.name for path in _files()
    }


@pytest.mark.parametrize("path", _files(), ids=lambda path: path.name)
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
        ("tracker", True),
        ("tracker.text", False),
        ("tracker.importers.vcard", False),
        ("numpy", False),
    ],
)
def test_the_scanner(module: str, forbidden: bool) -> None:
    assert _forbidden(module) is forbidden
