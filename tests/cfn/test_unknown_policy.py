"""A policy built from a parameter without a value is unknown, never an invalid-policy error."""

from __future__ import annotations

from pathlib import Path

from policylint.findings import Severity
from policylint.pipeline import check_paths

TEMPLATE = """\
Parameters:
  Doc:
    Type: String
Resources:
  Policy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: site-content
      PolicyDocument: !Ref Doc
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: !Sub '{"Version": "2012-10-17", "Statement": [${Doc}]}'
"""


def test_parameter_policies_are_unknown(tmp_path: Path) -> None:
    path = tmp_path / "template.yaml"
    path.write_text(TEMPLATE, encoding="utf-8")
    report = check_paths([str(path)])
    assert report.problems == []
    assert not [f for f in report.findings if f.severity is Severity.ERROR]


def test_a_malformed_literal_policy_is_still_reported(tmp_path: Path) -> None:
    path = tmp_path / "template.yaml"
    path.write_text(TEMPLATE.replace("!Ref Doc", "'{not json'"), encoding="utf-8")
    report = check_paths([str(path)])
    assert any("not valid JSON" in p.message for p in report.problems)
