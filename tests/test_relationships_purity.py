"""The relationship rules stay pure: no Flask, no SQLAlchemy, no app module, even indirectly."""

import ast
from pathlib import Path

import pytest

PACKAGE = "tracker.relationships"
PACKAGE_DIR = Path(__file__).resolve().parents[1] / "tracker" / "relationships"
FORBIDDEN_ROOTS = ("flask", "sqlalchemy", "werkzeug", "wtforms", "alembic")
# The app's own modules import Flask and SQLAlchemy; only these pure ones may be used.
ALLOWED_APP_MODULES = ("tracker.vocabulary", "tracker.relationships")
DYNAMIC_IMPORTERS = ("__import__", "import_module")


def _resolve(node: ast.ImportFrom) -> str:
    """Turn a relative `from .. import x` into the absolute module it names."""
    if node.level == 0:
        return node.module or ""
    parts = PACKAGE.split(".")
    base = parts[: len(parts) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _targets(node: ast.AST) -> list[str]:
    """List the module names one AST node imports (static or through a literal string)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        module = _resolve(node)
        return [f"{module}.{alias.name}" for alias in node.names]
    if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if name in DYNAMIC_IMPORTERS and isinstance(node.args[0].value, str):
            return [node.args[0].value]
    return []


def _is_forbidden(module: str) -> bool:
    """Tell whether importing this module would bring in the web or database stack."""
    root = module.split(".")[0]
    if any(root == name or root.startswith(f"{name}_") for name in FORBIDDEN_ROOTS):
        return True
    if root != "tracker":
        return False
    return not any(module == ok or module.startswith(f"{ok}.") for ok in ALLOWED_APP_MODULES)


def forbidden_imports(source: str) -> list[str]:
    """Return the forbidden modules a piece of source imports."""
    tree = ast.parse(source)
    return [module for node in ast.walk(tree) for module in _targets(node) if _is_forbidden(module)]


def _package_files() -> list[Path]:
    return sorted(PACKAGE_DIR.rglob("*.py"))


def test_the_package_is_scanned() -> None:
    names = {path.name for path in _package_files()}
    assert {"__init__.py", "history.py", "cadence.py", "warmth.py"} <= names


@pytest.mark.parametrize("path", _package_files(), ids=lambda path: path.name)
def test_module_imports_no_flask_or_sqlalchemy(path: Path) -> None:
    assert forbidden_imports(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "source",
    [
        "import flask",
        "from flask import g",
        "import flask_login",
        "from flask_wtf import FlaskForm",
        "import sqlalchemy.orm",
        "from sqlalchemy.orm import Session",
        "import os, sqlalchemy",
        "def f():\n    import flask\n",
        "__import__('flask')",
        "import importlib\nimportlib.import_module('sqlalchemy')",
        "from tracker.models import Contact",
        "from tracker import db",
        "import tracker.services.contacts",
        "from .. import models",
        "from ..services import derived",
    ],
)
def test_the_scanner_catches_forbidden_imports(source: str) -> None:
    assert forbidden_imports(source) != []


@pytest.mark.parametrize(
    "source",
    [
        "from tracker.vocabulary import STAGES",
        "from tracker import vocabulary",
        "from tracker.relationships.history import Touch",
        "from . import history",
        "from ..vocabulary import STAGES",
        "from dateutil.relativedelta import relativedelta",
        "import math\nfrom datetime import date",
        "import flasky_thing_named_alike",
    ],
)
def test_the_scanner_allows_pure_imports(source: str) -> None:
    assert forbidden_imports(source) == []
