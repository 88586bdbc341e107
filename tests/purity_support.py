"""Shared by the purity tests: which modules a source file imports, and which are forbidden."""

import ast
from collections.abc import Iterable

WEB_AND_DATABASE = ("flask", "sqlalchemy", "werkzeug", "wtforms", "alembic")


def imported(source: str) -> list[str]:
    """The modules a source file imports (absolute imports only)."""
    modules = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "use absolute imports"
            modules.append(node.module or "")
    return modules


def forbidden(
    module: str, roots: Iterable[str], trees: Iterable[str], exact: Iterable[str] = ()
) -> bool:
    """Whether a pure package may not import a module: a forbidden library, or an app
    module outside the allowed trees and exact names."""
    root = module.split(".")[0]
    if root in roots:
        return True
    if root != "tracker":
        return False
    in_tree = any(module == tree or module.startswith(f"{tree}.") for tree in trees)
    return not (in_tree or module in exact)
