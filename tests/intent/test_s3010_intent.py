"""S3010 with declared intent: `public-buckets` names a bucket that Block Public Access keeps
private; which rule owns a website origin without a grant (CF030(b)); account-level setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.intent.conftest import copy_fixture, findings, rules_of, write

BUCKET_CFN = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Assets:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: example-public-assets
{pab}"""
PAB_OFF_CFN = """\
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        IgnorePublicAcls: true
        BlockPublicPolicy: false
        RestrictPublicBuckets: false
"""
BUCKET_TF = """\
resource "aws_s3_bucket" "assets" {{
  bucket = "example-public-assets"
}}
{pab}"""
PAB_OFF_TF = """
resource "aws_s3_bucket_public_access_block" "assets" {
  bucket                  = aws_s3_bucket.assets.id
  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = false
  restrict_public_buckets = false
}
"""


def _template(repo: Path, fmt: str, *, pab_off: bool = False) -> str:
    if fmt == "cfn":
        write(repo / "t.yaml", BUCKET_CFN.format(pab=PAB_OFF_CFN if pab_off else ""))
        return "t.yaml"
    write(repo / "mod" / "main.tf", BUCKET_TF.format(pab=PAB_OFF_TF if pab_off else ""))
    return "mod"


@pytest.mark.parametrize(
    ("fmt", "name"),
    [
        ("cfn", "Assets"),  # logical id
        ("cfn", "example-public-assets"),  # bucket name
        ("tf", "aws_s3_bucket.assets"),  # Terraform address
        ("tf", "example-public-assets"),
    ],
)
def test_declared_public_bucket_blocked_by_default_bpa(
    repo: Path, capsys: pytest.CaptureFixture[str], fmt: str, name: str
) -> None:
    path = _template(repo, fmt)
    assert rules_of(findings(capsys, path, select="S3010")) == []  # nothing declared
    write(repo / ".policylint.yaml", f"public-buckets: [{name}]\n")
    found = findings(capsys, path, select="S3010")
    assert rules_of(found, "error") == ["S3010"], found
    message = str(found[0]["message"])
    assert "declared public" in message and "Block Public Access" in message
    assert "restrict_public_buckets = false" in str(found[0]["fix"]) or fmt == "cfn"


@pytest.mark.parametrize("fmt", ["cfn", "tf"])
def test_declared_public_bucket_with_bpa_off_is_not_s3010(
    repo: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    path = _template(repo, fmt, pab_off=True)
    write(repo / ".policylint.yaml", "public-buckets: [example-public-assets]\n")
    assert rules_of(findings(capsys, path, select="S3010")) == []


def test_other_buckets_are_not_declared(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _template(repo, "cfn")
    write(repo / ".policylint.yaml", "public-buckets: [SomeOtherBucket]\n")
    assert rules_of(findings(capsys, path, select="S3010")) == []


def test_declared_bucket_with_blocked_public_policy_is_reported_once(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:

    path = copy_fixture(repo, "S3010/bad_restrict_public_buckets.yaml")
    write(repo / ".policylint.yaml", "public-buckets: [SiteBucket]\n")
    found = findings(capsys, path, select="S3010")
    assert rules_of(found) == ["S3010"], found
    assert "declared in public-buckets" in str(found[0]["message"])


@pytest.mark.parametrize(
    "fixture", ["CF030/bad_website_private_bucket.yaml", "CF030/tf_bad_website_private_bucket"]
)
def test_website_origin_without_grant_is_cf030s_even_when_declared(
    repo: Path, capsys: pytest.CaptureFixture[str], fixture: str
) -> None:

    path = copy_fixture(repo, fixture)
    write(repo / ".policylint.yaml", "public-buckets: [SiteBucket, aws_s3_bucket.site]\n")
    found = findings(capsys, path, select="S3010,CF030")
    assert rules_of(found, "error") == ["CF030"], found
    assert "Block Public Access" in str(found[0]["message"])  # one finding names both blockers
