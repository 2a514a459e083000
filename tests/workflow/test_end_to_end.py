"""The workflow features through `policylint check` on the real examples: suppressions,
per-file ignores, baselines, several formats in one run."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.workflow.conftest import BROKEN, TF_BROKEN, run

POLICY_HEADER = "  SiteBucketPolicy:\n    Type: AWS::S3::BucketPolicy\n"
IGNORE_CF010 = (
    "    Metadata:\n      policylint:\n        ignore:\n"
    "          - rule: CF010\n            reason: {reason}\n"
)


@pytest.fixture
def broken(repo: Path) -> Path:
    target = repo / "site" / "template.yaml"
    target.parent.mkdir()
    shutil.copyfile(BROKEN, target)
    assert POLICY_HEADER in target.read_text()
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object]]:
    code, out, _ = run(capsys, "check", "--format", "json", *argv)
    data: dict[str, object] = json.loads(out)
    return code, data


def _rules(data: dict[str, object]) -> list[tuple[str, str]]:
    findings = data["findings"]
    assert isinstance(findings, list)
    return [(f["rule"], f["resource"]) for f in findings]


def test_broken_example_has_its_finding(broken: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, data = _json(capsys, "site")
    assert code == 1 and _rules(data) == [("CF010", "SiteBucketPolicy")]


def test_cfn_metadata_suppresses(broken: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(broken, POLICY_HEADER, POLICY_HEADER + IGNORE_CF010.format(reason="granted by StackSet"))
    code, data = _json(capsys, "site")
    assert code == 0 and _rules(data) == []


def test_unused_suppression_is_a_pl001_warning(
    broken: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header = "  SiteBucket:\n    Type: AWS::S3::Bucket\n"
    _edit(broken, header, header + IGNORE_CF010.format(reason="old exception"))
    code, data = _json(capsys, "site")
    assert code == 1 and _rules(data) == [("PL001", "SiteBucket"), ("CF010", "SiteBucketPolicy")]
    code, data = _json(capsys, "site", "--ignore", "CF010")
    assert code == 0 and _rules(data) == []  # CF010 did not run: nothing to call unused
    code, data = _json(capsys, "site", "--ignore", "PL001", "--fail-on", "warning")
    assert code == 1 and _rules(data) == [("CF010", "SiteBucketPolicy")]
    code, out, _ = run(capsys, "check", "--select", "CF010,PL", "--fail-on", "warning", "site")
    assert (
        code == 1 and "PL001 warning: unused suppression: no CF010 finding on `SiteBucket`" in out
    )


def test_suppression_without_reason_is_an_input_error(
    broken: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(broken, POLICY_HEADER, POLICY_HEADER + IGNORE_CF010.format(reason="''"))
    code, out, _ = run(capsys, "check", "site")
    assert code == 2
    assert "site/template.yaml:22:13: error: policylint ignore of CF010 needs a `reason`" in out


def test_terraform_comment_suppresses(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    module = repo / "infra"
    module.mkdir()
    shutil.copyfile(TF_BROKEN, module / "main.tf")
    code, data = _json(capsys, "infra")
    assert code == 1 and _rules(data) == [("CF010", "aws_s3_bucket_policy.site")]
    _edit(
        module / "main.tf",
        'resource "aws_s3_bucket_policy" "site" {',
        "# policylint:ignore=CF010 granted by the platform account\n"
        'resource "aws_s3_bucket_policy" "site" {',
    )
    code, data = _json(capsys, "infra")
    assert code == 0 and _rules(data) == []
    _edit(module / "main.tf", "CF010 granted by the platform account", "CF010")
    code, out, _ = run(capsys, "check", "infra")
    assert code == 2 and "infra/main.tf:" in out and "needs a reason" in out


def test_per_file_ignores_and_fail_on_from_config(
    broken: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = broken.parent.parent / ".policylint.yaml"
    config.write_text('per-file-ignores:\n  "site/*.yaml": [CF]\n')
    code, data = _json(capsys)
    assert code == 0 and _rules(data) == []
    config.write_text("exclude: [site]\n")
    code, data = _json(capsys)
    assert code == 0 and _rules(data) == [] and data["summary"]["files"] == 0  # type: ignore[index]
    config.write_text("select: [S3]\n")
    code, data = _json(capsys)
    assert code == 0 and _rules(data) == []
    code, data = _json(capsys, "--select", "CF010")  # the command line wins
    assert code == 1 and _rules(data) == [("CF010", "SiteBucketPolicy")]


def test_baseline_round_trip_survives_moving_lines(
    broken: Path, repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "check", "--write-baseline", "baseline.json", "site")
    assert code == 0 and "wrote 1 finding to baseline.json" in err
    first = (repo / "baseline.json").read_text()
    data = json.loads(first)
    assert data["version"] == 1
    assert [(e["rule"], e["file"], e["resource"]) for e in data["findings"]] == [
        ("CF010", "site/template.yaml", "SiteBucketPolicy")
    ]
    assert "SiteBucket" in data["findings"][0]["message"]
    run(capsys, "check", "--write-baseline", "baseline.json", "site")
    assert (repo / "baseline.json").read_text() == first  # deterministic

    code, out, _ = run(capsys, "check", "--baseline", "baseline.json", "site")
    assert code == 0 and "Found 0 findings" in out

    # move the resource 10 lines down: the finding's line changes, its fingerprint does not
    _edit(broken, POLICY_HEADER, "".join(f"  # note {i}\n" for i in range(10)) + POLICY_HEADER)
    code, data = _json(capsys, "site")
    assert code == 1 and data["findings"][0]["line"] == 27  # type: ignore[index]
    code, out, _ = run(capsys, "check", "--baseline", "baseline.json", "site")
    assert code == 0 and "Found 0 findings" in out

    # a new finding elsewhere is still reported
    shutil.copytree(TF_BROKEN.parent, repo / "infra")
    code, data = _json(capsys, "--baseline", "baseline.json", "site", "infra")
    assert code == 1 and _rules(data) == [("CF010", "aws_s3_bucket_policy.site")]


def test_bad_baseline_file_is_a_usage_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", "--baseline", "missing.json", ".")
    assert code == 2 and "cannot read baseline missing.json" in err
    (repo / "b.json").write_text('{"findings": 3}')
    code, _, err = run(capsys, "check", "--baseline", "b.json", ".")
    assert code == 2 and "not a policylint baseline" in err


def test_several_formats_in_one_run(
    broken: Path, repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys,
        "check",
        "--format", "sarif:out.sarif",
        "--format", "text",
        "--format", "junit:out.xml",
        "--format", "github:github.txt",
        "--format", "json:out.json",
        "site",
    )  # fmt: skip
    assert code == 1
    assert out.startswith("site/template.yaml:17:3: CF010 error: ") and "Found 1 finding" in out
    sarif = json.loads((repo / "out.sarif").read_text())
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["CF010"]
    assert json.loads((repo / "out.json").read_text())["findings"][0]["rule"] == "CF010"
    suite = ET.parse(repo / "out.xml").getroot().find("testsuite")
    assert suite is not None and suite.get("failures") == "1" and suite.get("errors") == "0"
    case = suite.find("testcase")
    assert case is not None and case.get("classname") == "site/template.yaml"
    failure = case.find("failure")
    assert failure is not None and "CF010" in (failure.get("type") or "")
    github = (repo / "github.txt").read_text().splitlines()
    assert len(github) == 1
    assert github[0].startswith("::error file=site/template.yaml,line=17,")
    assert ",title=CF010 " in github[0] and "%0AFix: " in github[0]


def test_github_format_reports_input_problems(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "t.yaml").write_text("Resources:\n  A: [unclosed\n")
    code, out, _ = run(capsys, "check", "--format", "github", "t.yaml")
    assert code == 2 and out.startswith("::error file=t.yaml,line=")
    assert "title=policylint input error::" in out


def test_version_stays_light() -> None:
    code = (
        "import sys; from policylint.cli import main\n"
        "try: main(['--version'])\nexcept SystemExit: pass\n"
        "import policylint.config, policylint.suppress, policylint.baseline\n"
        "import policylint.report.github, policylint.report.junit\n"
        "print(','.join(m for m in ('yaml', 'jsonschema', 'networkx') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    version, heavy = out.stdout.splitlines()
    assert version.startswith("policylint ") and heavy == ""


def test_include_and_fail_on_from_config(broken: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = broken.parent.parent / ".policylint.yaml"
    config.write_text("include: ['other/**']\n")
    code, data = _json(capsys)
    assert code == 0 and data["summary"]["files"] == 0  # type: ignore[index]
    header = "  SiteBucket:\n    Type: AWS::S3::Bucket\n"
    _edit(broken, header, header + IGNORE_CF010.format(reason="old exception"))
    config.write_text("include: ['site/*.yaml']\nper-file-ignores: {'site/*': [CF010]}\n")
    code, data = _json(capsys)
    assert code == 0 and _rules(data) == [("PL001", "SiteBucket")]  # a warning
    config.write_text(config.read_text() + "fail-on: warning\n")
    code, data = _json(capsys)
    assert code == 1 and _rules(data) == [("PL001", "SiteBucket")]
    code, data = _json(capsys, "--fail-on", "error")  # the command line wins
    assert code == 0
