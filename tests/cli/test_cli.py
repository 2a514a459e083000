"""The command line end to end: exit codes, formats, errors that name file and line."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from policylint.cli import main

BROKEN = "examples/cloudfront-s3-oac/broken/template.yaml"
FIXED = "examples/cloudfront-s3-oac/fixed/template.yaml"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _in_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_broken_example_reports_cf010_with_trace_and_fix(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "check", "--no-color", BROKEN)
    assert code == 1
    first = out.splitlines()[0]
    assert first.startswith(f"{BROKEN}:") and " CF010 error: " in first
    assert "fix:" in out and "cloudfront.amazonaws.com" in out
    assert any(line.lstrip().startswith("x ") for line in out.splitlines())


def test_fixed_example_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "--fail-on", "warning", FIXED)
    assert code == 0, out
    assert out.strip().startswith("Found 0 findings")


def test_json_report_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "--format", "json", BROKEN)
    data = json.loads(out)
    assert code == 1 and data["version"] == 1 and data["errors"] == []
    cf010 = [f for f in data["findings"] if f["rule"] == "CF010"]
    assert cf010, data
    finding = cf010[0]
    for key in (
        "rule",
        "severity",
        "file",
        "line",
        "column",
        "resource",
        "message",
        "fix",
        "trace",
    ):
        assert key in finding
    assert finding["file"] == BROKEN and finding["severity"] == "error"
    assert finding["resource"] in {"SiteDistribution", "SiteBucketPolicy", "SiteBucket"}
    assert data["summary"]["error"] >= 1


def test_sarif_validates_against_the_official_schema(
    capsys: pytest.CaptureFixture[str], shared: Path
) -> None:
    import jsonschema

    code, out, _ = run(capsys, "check", "--format", "sarif", BROKEN)
    sarif = json.loads(out)
    schema = json.loads((shared / "schemas" / "sarif-schema-2.1.0.json").read_text())
    jsonschema.validate(sarif, schema)
    results = sarif["runs"][0]["results"]
    assert code == 1 and any(r["ruleId"] == "CF010" for r in results)
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        assert r["partialFingerprints"]["policylint/v1"]
        assert r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == BROKEN


def test_missing_path_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "does/not/exist.yaml")
    assert code == 2
    assert "does/not/exist.yaml" in out and "no such file" in out


def test_bad_file_is_reported_and_other_files_still_checked(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A: [unclosed\n")
    code, out, _ = run(capsys, "check", "--no-color", str(bad), BROKEN)
    assert code == 2
    assert f"{bad}:" in out and "CF010" in out
    assert "Traceback" not in out


def test_unknown_rule_selection_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", "--select", "ZZ999", FIXED)
    assert code == 2 and "ZZ999" in err


def test_select_and_ignore_filter_rules(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "--ignore", "CF010", "--format", "json", BROKEN)
    assert code != 2 and all(f["rule"] != "CF010" for f in json.loads(out)["findings"])
    code, out, _ = run(capsys, "check", "--select", "S3", "--format", "json", BROKEN)
    assert code != 2 and all(f["rule"].startswith("S3") for f in json.loads(out)["findings"])


def test_rules_and_rule_commands(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules")
    assert code == 0 and "CF010" in out and "error" in out
    code, out, _ = run(capsys, "rule", "cf010")
    assert code == 0
    for heading in ("## What it does", "## Why", "## Fix", "## References", "https://"):
        assert heading in out
    code, _, err = run(capsys, "rule", "XX999")
    assert code == 2 and "XX999" in err


def test_parameter_file_formats(tmp_path: Path) -> None:
    from policylint.cli import load_parameter_file
    from policylint.errors import UsageError

    cli_style = tmp_path / "p.json"
    cli_style.write_text(json.dumps([{"ParameterKey": "Env", "ParameterValue": "prod"}]))
    assert load_parameter_file(str(cli_style)) == {"Env": "prod"}
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    with pytest.raises(UsageError):
        load_parameter_file(str(bad))


def test_no_color_unless_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "check", BROKEN)
    assert "\x1b[" not in out


def test_output_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    code, out, _ = run(capsys, "check", "--format", "json", "--output", str(target), BROKEN)
    assert code == 1 and out == ""
    assert json.loads(target.read_text())["version"] == 1
    assert os.path.getsize(target) > 0


def test_python_dash_m(tmp_path: Path) -> None:
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "policylint", "check", FIXED],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
