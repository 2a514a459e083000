"""Packaging: every subpackage ships, the rules ship, and start-up stays light."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_subpackage_is_listed_in_pyproject() -> None:
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "policylint").rglob("__init__.py")
    }
    assert found <= listed, f"add to pyproject.toml packages: {sorted(found - listed)}"


def test_version_does_not_import_heavy_modules() -> None:
    code = (
        "import sys; from policylint.cli import main; main(['--version']) if False else None;"
        "import policylint.cli;"
        "heavy = [m for m in ('networkx', 'yaml', 'cfnlint', 'hcl2', 'jsonschema', 'samtranslator')"
        " if m in sys.modules]; print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
    proc = subprocess.run(
        [sys.executable, "-m", "policylint", "--version"], capture_output=True, text=True
    )
    assert proc.returncode == 0 and proc.stdout.startswith("policylint ")
