"""Property tests: whatever the input, the CLI reports; it never crashes.

For generated CloudFormation templates, Terraform JSON configurations, plans and policy
documents (valid, near-valid, garbage): no exception escapes, the exit code is 0, 1 or 2, and
every input problem names a file and a line. `POLICYLINT_LONG_TESTS=1` runs many more examples.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from policylint.errors import InputError
from tests.reliability import strategies as gen
from tests.reliability.conftest import PROFILE, assert_clean_run, run_main


def check_files(files: list[tuple[str, str]], *, as_dir: bool) -> dict[str, Any]:
    """Write `files` to a fresh directory and run `check --format json` over it."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for name, text in files:
            path = Path(tmp) / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            paths.append(str(path))
        targets = [tmp] if as_dir else paths
        run = run_main(["check", "--format", "json", "--jobs", "1", "--no-color", *targets])
        data = assert_clean_run(run)
        for error in data["errors"]:
            assert error["file"].startswith(tmp), error
        return data


@PROFILE
@given(gen.cfn_files())
def test_cloudformation_templates(file: tuple[str, str]) -> None:
    check_files([file], as_dir=False)


@PROFILE
@given(gen.cfn_templates(), st.booleans())
def test_well_shaped_templates_parse_without_syntax_errors(data: Any, short: bool) -> None:
    """Syntactically valid templates: any problem reported is about content, at a line."""
    data = check_files([("t.yaml", gen.dump_yaml(data, short))], as_dir=False)
    for error in data["errors"]:
        assert not error["message"].startswith("invalid YAML"), error


@PROFILE
@given(gen.tf_json_files())
def test_terraform_json_configurations(file: tuple[str, str]) -> None:
    check_files([(f"mod/{file[0]}", file[1])], as_dir=True)


@PROFILE
@given(gen.plan_files())
def test_terraform_plans(file: tuple[str, str]) -> None:
    check_files([file], as_dir=False)


@PROFILE
@given(gen.policy_documents(), st.sampled_from(("bucket", "key", "role")))
def test_policy_documents_in_templates(policy: Any, where: str) -> None:
    """A random policy document wired where the checks evaluate it (with an OAC distribution)."""
    template: dict[str, Any] = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "Key": {
                "Type": "AWS::KMS::Key",
                "Properties": {"KeyPolicy": policy if where == "key" else {"Statement": []}},
            },
            "Bucket": {
                "Type": "AWS::S3::Bucket",
                "Properties": {
                    "BucketEncryption": {
                        "ServerSideEncryptionConfiguration": [
                            {
                                "ServerSideEncryptionByDefault": {
                                    "SSEAlgorithm": "aws:kms",
                                    "KMSMasterKeyID": {"Fn::GetAtt": ["Key", "Arn"]},
                                }
                            }
                        ]
                    }
                },
            },
            "Oac": {
                "Type": "AWS::CloudFront::OriginAccessControl",
                "Properties": {
                    "OriginAccessControlConfig": {
                        "Name": "o",
                        "OriginAccessControlOriginType": "s3",
                        "SigningBehavior": "always",
                        "SigningProtocol": "sigv4",
                    }
                },
            },
            "Dist": {
                "Type": "AWS::CloudFront::Distribution",
                "Properties": {
                    "DistributionConfig": {
                        "Enabled": True,
                        "Origins": [
                            {
                                "Id": "o",
                                "DomainName": {"Fn::GetAtt": ["Bucket", "RegionalDomainName"]},
                                "OriginAccessControlId": {"Fn::GetAtt": ["Oac", "Id"]},
                                "S3OriginConfig": {"OriginAccessIdentity": ""},
                            }
                        ],
                        "DefaultCacheBehavior": {
                            "TargetOriginId": "o",
                            "ViewerProtocolPolicy": "redirect-to-https",
                        },
                    }
                },
            },
            "Role": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "AssumeRolePolicyDocument": {
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Principal": {"Service": "lambda.amazonaws.com"},
                                "Action": "sts:AssumeRole",
                            }
                        ]
                    },
                    "Policies": [
                        {
                            "PolicyName": "p",
                            "PolicyDocument": policy if where == "role" else {"Statement": []},
                        }
                    ],
                },
            },
        },
    }
    if where == "bucket":
        template["Resources"]["BucketPolicy"] = {
            "Type": "AWS::S3::BucketPolicy",
            "Properties": {"Bucket": {"Ref": "Bucket"}, "PolicyDocument": policy},
        }
    check_files([("site.json", gen.dump_json(template))], as_dir=False)


@PROFILE
@given(gen.policy_documents())
def test_parse_policy_raises_only_policy_errors(policy: Any) -> None:
    """The policy parser either returns a document or raises an InputError with a path."""
    from policylint.policy.parse import parse_policy

    try:
        doc = parse_policy(policy)
    except InputError as exc:
        assert exc.message
        return
    assert isinstance(doc.statements, tuple)


@PROFILE
@given(st.lists(st.one_of(gen.cfn_files(), gen.plan_files()), min_size=2, max_size=4))
def test_several_files_in_one_directory(files: list[tuple[str, str]]) -> None:
    numbered = [(f"d{i}/{name}", text) for i, (name, text) in enumerate(files)]
    check_files(numbered, as_dir=True)
