"""The layer contract of pyproject.toml ([tool.importlinter]) holds, and would catch a breach.

import-linter reads every import in the package, function-local ones included, so an
upward import hidden in a function body fails here as surely as one at the top.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")


def _lint(cwd: Path, pythonpath: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    return subprocess.run(
        [str(LINT), "--config", str(cwd / "pyproject.toml"), "--no-cache"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_imports_point_one_way() -> None:
    result = _lint(ROOT, ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_the_contract_catches_an_upward_import(tmp_path: Path) -> None:
    """A copy of the layer names, one module importing the layer above: the contract breaks."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (layers,) = [c["layers"] for c in config["tool"]["importlinter"]["contracts"]]
    pkg = tmp_path / "khazna"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    names = [n.strip() for layer in layers for n in layer.replace("|", ":").split(":")]
    for name in names:
        (pkg / name).mkdir()
        (pkg / name / "__init__.py").write_text("")
    (pkg / "tools" / "leak.py").write_text("from khazna.agents import something\n")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    result = _lint(tmp_path, tmp_path)
    assert result.returncode != 0
    assert "khazna.tools is not allowed to import khazna.agents" in result.stdout
