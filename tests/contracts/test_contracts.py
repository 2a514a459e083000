"""Access contracts (`expect`) and `policylint access`: proved, refuted or unproven."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from policylint.cli import main

ROOT = Path(__file__).resolve().parents[2]

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Other:
    Type: String
Resources:
  Data:
    Type: AWS::S3::Bucket
  DataPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Data
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: s3:GetObject
            Resource: !Sub "${Data.Arn}/public/*"
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: read
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: s3:GetObject
                Resource: !Sub "${Data.Arn}/*"
              - Effect: Allow
                Action: s3:PutObject
                Resource: !Sub "arn:aws:s3:::${Other}/*"
"""


def _run(tmp_path: Path, expect: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:
    (tmp_path / "t.yaml").write_text(TEMPLATE)
    cfg = tmp_path / "policylint.yaml"
    cfg.write_text("expect:\n" + textwrap.indent(textwrap.dedent(expect), "  "))
    code = main(
        [
            "check",
            "--config",
            str(cfg),
            "--select",
            "PL",
            "--format",
            "json",
            str(tmp_path / "t.yaml"),
        ]
    )
    return code, json.loads(capsys.readouterr().out)


def test_can_contract_that_holds_is_silent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, data = _run(
        tmp_path,
        """\
        - principal: AppRole
          can: [s3:GetObject]
          on: Data/reports/1.csv
        """,
        capsys,
    )
    assert code == 0 and data["findings"] == [] and data["errors"] == []


def test_can_contract_denied_is_pl010_at_the_config_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, data = _run(
        tmp_path,
        """\
        - principal: role:AppRole
          can: [s3:GetObject]
          on: Data/reports/1.csv
        - principal: AppRole
          can: [s3:DeleteObject]
          on: Data/reports/1.csv
        """,
        capsys,
    )
    assert code == 1
    [finding] = data["findings"]
    assert finding["rule"] == "PL010" and finding["severity"] == "error"
    assert finding["file"].endswith("policylint.yaml") and finding["line"] == 5
    assert "s3:DeleteObject" in finding["message"] and "implicit_deny" in finding["message"]


def test_cannot_contract_allowed_is_pl011_with_the_allowing_statement(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, data = _run(
        tmp_path,
        """\
        - principal: anonymous
          cannot: [s3:GetObject]
          on: Data/public/logo.png
        - principal: anonymous
          cannot: [s3:GetObject]
          on: Data/private/secret.txt
        """,
        capsys,
    )
    assert code == 1
    [finding] = data["findings"]
    assert finding["rule"] == "PL011" and finding["line"] == 2
    assert any(step["file"] and step["file"].endswith("t.yaml") for step in finding["trace"])


def test_contract_depending_on_an_unknown_is_info_not_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The PutObject grant names a bucket from a parameter without a value: unknown.
    code, data = _run(
        tmp_path,
        """\
        - principal: AppRole
          cannot: [s3:PutObject]
          on: arn:aws:s3:::some-bucket/x
        """,
        capsys,
    )
    assert code == 0
    assert [f["severity"] for f in data["findings"]] == ["info"]


def test_contract_naming_nothing_in_the_run_is_a_config_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, data = _run(
        tmp_path,
        """\
        - principal: NoSuchRole
          can: [s3:GetObject]
          on: Data
        """,
        capsys,
    )
    assert code == 2
    [error] = data["errors"]
    assert error["file"].endswith("policylint.yaml") and error["line"] == 2
    assert "NoSuchRole" in error["message"]


def test_access_command(capsys: pytest.CaptureFixture[str]) -> None:
    broken = str(ROOT / "examples/cloudfront-s3-oac/broken")
    fixed = str(ROOT / "examples/cloudfront-s3-oac/fixed")
    args = [
        "--from",
        "cloudfront:SiteDistribution",
        "--to",
        "SiteBucket/index.html",
        "--action",
        "s3:GetObject",
    ]
    assert main(["access", broken, *args]) == 1
    assert capsys.readouterr().out.startswith("IMPLICIT_DENY")
    assert main(["access", fixed, *args]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ALLOW") and "AllowCloudFrontRead" in out and "template.yaml:" in out
    assert (
        main(
            [
                "access",
                fixed,
                "--from",
                "role:Nobody",
                "--to",
                "SiteBucket",
                "--action",
                "s3:GetObject",
            ]
        )
        == 2
    )
