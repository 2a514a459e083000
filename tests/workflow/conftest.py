"""Shared helpers for the workflow tests: an isolated repository and synthetic findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from policylint.cli import main
from policylint.findings import Finding, Severity
from policylint.source import SourceRef, Span

ROOT = Path(__file__).resolve().parents[2]
BROKEN = ROOT / "examples/cloudfront-s3-oac/broken/template.yaml"
FIXED = ROOT / "examples/cloudfront-s3-oac/fixed/template.yaml"
TF_BROKEN = ROOT / "examples/terraform-cloudfront-s3-oac/broken/main.tf"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty repository root (a `.git` directory stops config discovery) as the cwd."""
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def finding(
    rule: str = "CF010",
    file: str = "t.yaml",
    resource: str = "Site",
    line: int = 3,
    message: str = "bucket policy grants nothing",
    severity: Severity = Severity.ERROR,
    fingerprint: str | None = None,
) -> Finding:
    return Finding(
        rule=rule,
        name="some-rule",
        severity=severity,
        message=message,
        fix="grant it",
        ref=SourceRef(file, (), Span(line, 5)),
        resource=resource,
        trace=(),
        fingerprint=fingerprint or f"fp-{rule}-{file}-{resource}",
    )
