"""IAM050 with `--scp FILE`; silent without SCPs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policylint.cli import main

FIXTURE = "tests/rules/IAM050/good_scp_denies_other_service.yaml"


def test_scp_file_denies(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scp = tmp_path / "scp.json"
    deny = {"Effect": "Deny", "Action": "sqs:*", "Resource": "*"}
    scp.write_text(json.dumps({"Version": "2012-10-17", "Statement": [deny]}))
    code = main(["check", "--no-config", "--select", "IAM050", "-q", "--scp", str(scp), FIXTURE])
    assert code == 1
    assert "IAM050" in capsys.readouterr().out


def test_without_scp_silent(capsys: pytest.CaptureFixture[str]) -> None:
    path = "tests/rules/IAM040/good_boundary_allows.yaml"
    assert main(["check", "--no-config", "--select", "IAM050", "-q", path]) == 0


def test_missing_scp_file_is_a_usage_error() -> None:
    assert main(["check", "--no-config", "--scp", "/nonexistent.json", FIXTURE]) == 2
