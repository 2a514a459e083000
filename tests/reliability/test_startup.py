"""Start-up stays lean: no heavy import unless its input is present."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.reliability.conftest import ROOT

HEAVY = ("cfnlint", "samtranslator", "hcl2", "lark", "networkx", "jsonschema", "boto3", "pydantic")
PROBE = """\
import sys
from policylint.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
print("exit", code, file=sys.stderr)
print(" ".join(sorted({m.split(".")[0] for m in sys.modules})))
"""

SMALL = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "site-${AWS::AccountId}"
  Policy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: cloudfront.amazonaws.com}
            Action: s3:GetObject
            Resource: !Sub "${Bucket.Arn}/*"
"""


def imported(*argv: str, cwd: Path = ROOT) -> set[str]:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *argv],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
        timeout=120,
    )
    assert "exit" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    return set(proc.stdout.split())


def test_version_imports_nothing_heavy() -> None:
    modules = imported("--version")
    assert not modules & set(HEAVY), sorted(modules & set(HEAVY))
    assert "yaml" not in modules


def test_small_template_does_not_import_cfnlint_sam_or_hcl(tmp_path: Path) -> None:
    (tmp_path / "small.yaml").write_text(SMALL)
    modules = imported("check", "--jobs", "1", "small.yaml", cwd=tmp_path)
    assert "policylint" in modules
    unwanted = {"cfnlint", "samtranslator", "hcl2", "lark", "boto3", "pydantic"}
    assert not modules & unwanted, sorted(modules & unwanted)


def test_terraform_json_does_not_import_hcl_or_cfnlint(tmp_path: Path) -> None:
    (tmp_path / "main.tf.json").write_text(
        '{"resource": {"aws_s3_bucket": {"b": {"bucket": "site"}}}}'
    )
    modules = imported("check", "--jobs", "1", ".", cwd=tmp_path)
    assert not modules & {"cfnlint", "samtranslator", "hcl2", "lark"}, sorted(modules)
