"""The README's main command: every broken example reports, no fixed one does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policylint.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_check_examples_reports_each_broken_twin_once(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", "--format", "json", str(ROOT / "examples")])
    data = json.loads(capsys.readouterr().out)
    assert code == 1 and data["errors"] == []
    errors = [f for f in data["findings"] if f["severity"] == "error"]
    broken = sorted({Path(f["file"]).parent.parent.name for f in errors if "/broken/" in f["file"]})
    assert broken == ["cloudfront-s3-oac", "terraform-cloudfront-s3-oac"]
    assert all(f["rule"] == "CF010" for f in errors)
    assert not [f for f in data["findings"] if "/fixed/" in f["file"]]
