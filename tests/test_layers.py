"""The layers hold: the import-linter contracts in pyproject.toml pass (make lint runs them
too; here CI checks them with the suite)."""

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
