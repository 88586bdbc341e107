"""The layers hold: the import-linter contracts in pyproject.toml pass (make lint runs them
too; here CI checks them with the suite)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _lint(*args: str) -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).parent / "lint-imports"), "--no-cache", *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


def test_every_import_contract_is_kept() -> None:
    result = _lint()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_broken_contract_is_caught(tmp_path: Path) -> None:
    # The importers' contract, pointed at a package that breaks it: the linter must say so.
    config = tmp_path / "contracts.toml"
    config.write_text(
        '[tool.importlinter]\nroot_package = "tracker"\n\n'
        "[[tool.importlinter.contracts]]\n"
        'name = "cli imports no services (false on purpose)"\n'
        'type = "forbidden"\n'
        'source_modules = ["tracker.cli"]\n'
        'forbidden_modules = ["tracker.services"]\n',
        encoding="utf-8",
    )
    result = _lint(str(config))
    assert result.returncode != 0 and "BROKEN" in result.stdout


def test_the_views_contract_catches_a_view_that_queries(tmp_path: Path) -> None:
    # The views' contract from pyproject.toml, over the real tree plus a view that imports
    # SQLAlchemy and a model: the linter must name both.
    package = tmp_path / "tracker"
    (package / "views").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "models.py").write_text("", encoding="utf-8")
    (package / "relationships.py").write_text("", encoding="utf-8")
    (package / "views" / "__init__.py").write_text("", encoding="utf-8")
    (package / "views" / "fat.py").write_text(
        "import sqlalchemy\nfrom tracker import models\n", encoding="utf-8"
    )
    contract = ROOT.joinpath("pyproject.toml").read_text(encoding="utf-8")
    start = contract.index('[[tool.importlinter.contracts]]\nname = "Views are thin')
    end = contract.index("[[tool.importlinter.contracts]]", start + 1)
    config = tmp_path / "contracts.toml"
    config.write_text(
        '[tool.importlinter]\nroot_package = "tracker"\ninclude_external_packages = true\n\n'
        + contract[start:end],
        encoding="utf-8",
    )
    command = [str(Path(sys.executable).parent / "lint-imports"), "--no-cache", str(config)]
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    result = subprocess.run(
        command, cwd=tmp_path, capture_output=True, text=True, check=False, env=env
    )
    assert result.returncode != 0 and "BROKEN" in result.stdout, result.stdout + result.stderr
    assert "tracker.views.fat -> sqlalchemy" in result.stdout
    assert "tracker.views.fat -> tracker.models" in result.stdout
