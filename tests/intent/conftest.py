"""Configuration-to-rule tests: a `.policylint.yaml` in an isolated repository changes a rule."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from policylint.cli import main

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "tests" / "rules"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty repository root (`.git` stops config discovery) as the working directory."""
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def copy_fixture(repo: Path, rel: str) -> str:
    """Copy tests/rules/<rel> (a file or a module directory) into the repository."""
    src, dst = RULES / rel, repo / Path(rel).name
    if src.is_dir():
        shutil.copytree(src, dst)
    else:
        shutil.copyfile(src, dst)
    return dst.name


def findings(
    capsys: pytest.CaptureFixture[str], path: str, *, select: str
) -> list[dict[str, object]]:
    """JSON findings of `policylint check` with the repository's `.policylint.yaml`, if any."""
    main(["check", "--format", "json", "--select", select, path])
    out, err = capsys.readouterr()
    assert out, err
    data = json.loads(out)
    assert not data.get("problems"), data["problems"]
    found: list[dict[str, object]] = data["findings"]
    return found


def rules_of(found: list[dict[str, object]], severity: str | None = None) -> list[str]:
    return sorted(str(f["rule"]) for f in found if severity in (None, f["severity"]))
