"""Malformed HCL, .tf.json or plan JSON: one error with file and line, exit 2, no traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policylint.cli import main

CASES = {
    "hcl-unclosed-block": (
        "main.tf",
        'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n  tags = {\n}\n',
        "invalid HCL",
        5,
    ),
    "hcl-unterminated-string": (
        "main.tf",
        'resource "aws_s3_bucket" "a" {}\n\nresource "aws_s3_bucket" "b" {\n  bucket = "x\n}\n',
        "invalid HCL",
        4,
    ),
    "hcl-stray-brace": (
        "main.tf",
        'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n}\n',
        "invalid HCL",
        4,
    ),
    "tf-json-trailing-comma": (
        "main.tf.json",
        '{\n  "resource": {\n    "aws_s3_bucket": {"b": {"bucket": "x",}}\n  }\n}\n',
        "invalid JSON",
        3,
    ),
    "plan-missing-comma": (
        "plan.json",
        '{\n  "format_version": "1.2",\n  "planned_values": {\n    "root_module": {\n'
        '      "resources": [\n        {"address": "aws_s3_bucket.b" "mode": "managed"}\n'
        "      ]\n    }\n  }\n}\n",
        "invalid JSON",
        6,
    ),
    "plan-truncated": (
        "plan.json",
        '{\n  "format_version": "1.2",\n  "planned_values": {\n    "root_module": {\n',
        "invalid JSON",
        5,
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("given", ["file", "directory"])
def test_one_error_with_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str, given: str
) -> None:
    name, text, what, line = CASES[case]
    path = tmp_path / name
    path.write_text(text)
    target = path if given == "file" else tmp_path
    assert main(["check", "--no-config", str(target)]) == 2
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    lines = [x for x in (out + err).splitlines() if f"{path}:" in x]
    assert len(lines) == 1, out + err
    assert lines[0].startswith(f"{path}:{line}:"), lines[0]
    assert what in lines[0]


@pytest.mark.parametrize("case", sorted(CASES))
def test_json_report_names_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    name, text, what, line = CASES[case]
    (tmp_path / name).write_text(text)
    assert main(["check", "--no-config", "--format", "json", str(tmp_path)]) == 2
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    report = json.loads(out)
    (error,) = report["errors"]
    assert error["file"] == str(tmp_path / name)
    assert error["line"] == line
    assert what in error["message"]


def test_other_modules_still_checked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """One broken module does not hide findings elsewhere; the exit code stays 2."""
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "main.tf").write_text('resource "aws_s3_bucket" "b" {\n')
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "main.tf").write_text(
        'resource "aws_s3_bucket" "logs" {}\n'
        'resource "aws_s3_bucket_acl" "logs" {\n'
        "  bucket = aws_s3_bucket.logs.id\n"
        '  acl    = "log-delivery-write"\n'
        "}\n"
    )
    assert main(["check", "--no-config", "--format", "json", str(tmp_path)]) == 2
    report = json.loads(capsys.readouterr().out)
    assert [e["file"] for e in report["errors"]] == [str(tmp_path / "broken" / "main.tf")]
    assert {f["rule"] for f in report["findings"]} == {"S3030"}
