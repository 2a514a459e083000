"""What `Ref` and `Fn::GetAtt` return, per resource type, in the documented formats."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from policylint.values import resource_sym

# GetAtt attributes of the types we build values for (no cfn-lint needed for these).
KNOWN_ATTRIBUTES: dict[str, frozenset[str]] = {
    "AWS::S3::Bucket": frozenset(
        {"Arn", "DomainName", "DualStackDomainName", "RegionalDomainName", "WebsiteURL"}
    ),
    "AWS::S3::BucketPolicy": frozenset(),
    "AWS::CloudFront::Distribution": frozenset({"Id", "DomainName"}),
    "AWS::CloudFront::OriginAccessControl": frozenset({"Id"}),
    "AWS::CloudFront::CloudFrontOriginAccessIdentity": frozenset({"Id", "S3CanonicalUserId"}),
    "AWS::CloudFront::OriginRequestPolicy": frozenset({"Id", "LastModifiedTime"}),
    "AWS::CloudFront::CachePolicy": frozenset({"Id", "LastModifiedTime"}),
    "AWS::CloudFront::ResponseHeadersPolicy": frozenset({"Id", "LastModifiedTime"}),
    "AWS::KMS::Key": frozenset({"Arn", "KeyId"}),
    "AWS::KMS::Alias": frozenset(),
    "AWS::IAM::Role": frozenset({"Arn", "RoleId"}),
    "AWS::IAM::Policy": frozenset({"Id"}),
    "AWS::IAM::ManagedPolicy": frozenset(
        {"PolicyArn", "PolicyId", "AttachmentCount", "CreateDate", "DefaultVersionId"}
        | {"IsAttachable", "PermissionsBoundaryUsageCount", "UpdateDate"}
    ),
    "AWS::WAFv2::WebACL": frozenset({"Arn", "Capacity", "Id", "LabelNamespace"}),
    "AWS::WAFv2::IPSet": frozenset({"Arn", "Id"}),
    "AWS::WAFv2::RuleGroup": frozenset({"Arn", "Capacity", "Id", "LabelNamespace"}),
    "AWS::WAFv2::WebACLAssociation": frozenset(),
    "AWS::Lambda::Function": frozenset(
        {"Arn", "SnapStartResponse.ApplyOn", "SnapStartResponse.OptimizationStatus"}
    ),
}


class Env:
    """What format builders need: the pseudo values and a property getter per resource."""

    __slots__ = ("account", "partition", "prop", "region")

    def __init__(
        self, partition: str, account: str, region: str, prop: Callable[[str, str], Any]
    ) -> None:
        self.partition = partition
        self.account = account
        self.region = region
        self.prop = prop  # (logical id, property name) -> resolved value as a string or None


def _named(env: Env, logical: str, owner: str, prop: str, attr: str) -> str:
    value = env.prop(logical, prop)
    return value if isinstance(value, str) and value else resource_sym(owner, attr)


def bucket_name(env: Env, logical: str, owner: str) -> str:
    """BucketName, or the name CloudFormation generates."""
    return _named(env, logical, owner, "BucketName", "BucketName")


def role_path(env: Env, logical: str) -> str:
    value = env.prop(logical, "Path")
    return value if isinstance(value, str) and value else "/"


def role_name(env: Env, logical: str, owner: str) -> str:
    return _named(env, logical, owner, "RoleName", "RoleName")


def role_arn(env: Env, logical: str, owner: str) -> str:
    name = role_name(env, logical, owner)
    return f"arn:{env.partition}:iam::{env.account}:role{role_path(env, logical)}{name}"


def managed_policy_arn(env: Env, logical: str, owner: str) -> str:
    name = _named(env, logical, owner, "ManagedPolicyName", "PolicyName")
    return f"arn:{env.partition}:iam::{env.account}:policy{role_path(env, logical)}{name}"


def distribution_arn(env: Env, owner: str) -> str:
    return f"arn:{env.partition}:cloudfront::{env.account}:distribution/{resource_sym(owner, 'Id')}"


def key_arn(env: Env, owner: str) -> str:
    key_id = resource_sym(owner, "KeyId")
    return f"arn:{env.partition}:kms:{env.region}:{env.account}:key/{key_id}"


def waf_arn(env: Env, logical: str, owner: str, kind: str) -> str:
    """WAFv2 ARN: CLOUDFRONT scope lives in us-east-1 under `global/`."""
    name = _named(env, logical, owner, "Name", "Name")
    scope = env.prop(logical, "Scope")
    acl_id = resource_sym(owner, "Id")
    if scope == "CLOUDFRONT":
        return f"arn:{env.partition}:wafv2:us-east-1:{env.account}:global/{kind}/{name}/{acl_id}"
    return f"arn:{env.partition}:wafv2:{env.region}:{env.account}:regional/{kind}/{name}/{acl_id}"


def function_name(env: Env, logical: str, owner: str) -> str:
    return _named(env, logical, owner, "FunctionName", "FunctionName")


def ref_value(env: Env, rtype: str, logical: str, owner: str) -> Any:
    """What `Ref` returns for a resource."""
    data = _data_return(env, rtype, logical, owner, None)
    if data is not None:
        return data
    apigw = _apigw_return(env, rtype, logical, owner, None)
    if apigw is not None:
        return apigw
    if rtype == "AWS::S3::Bucket":
        return bucket_name(env, logical, owner)
    if rtype == "AWS::IAM::Role":
        return role_name(env, logical, owner)
    if rtype == "AWS::IAM::ManagedPolicy":
        return managed_policy_arn(env, logical, owner)
    if rtype == "AWS::KMS::Key":
        return resource_sym(owner, "KeyId")
    if rtype == "AWS::KMS::Alias":
        return _named(env, logical, owner, "AliasName", "AliasName")
    if rtype in ("AWS::WAFv2::WebACL", "AWS::WAFv2::IPSet"):
        name = _named(env, logical, owner, "Name", "Name")
        scope = env.prop(logical, "Scope")
        return f"{name}|{resource_sym(owner, 'Id')}|{scope if isinstance(scope, str) else ''}"
    if rtype == "AWS::Lambda::Function":
        return function_name(env, logical, owner)
    if rtype.startswith("AWS::CloudFront::"):
        return resource_sym(owner, "Id")
    return resource_sym(owner, "Ref")


def getatt_value(env: Env, rtype: str, logical: str, owner: str, attr: str) -> Any:
    """What `Fn::GetAtt [logical, attr]` returns (the attribute is already validated)."""
    p, r = env.partition, env.region
    if (rtype, attr) in _ID_ATTRIBUTES:  # GetAtt X.VpcId is what Ref X returns
        return ref_value(env, rtype, logical, owner)
    data = _data_return(env, rtype, logical, owner, attr)
    if data is not None:
        return data
    apigw = _apigw_return(env, rtype, logical, owner, attr)
    if apigw is not None:
        return apigw
    if rtype == "AWS::S3::Bucket":
        name = bucket_name(env, logical, owner)
        formats = {
            "Arn": f"arn:{p}:s3:::{name}",
            "DomainName": f"{name}.s3.amazonaws.com",
            "RegionalDomainName": f"{name}.s3.{r}.amazonaws.com",
            "DualStackDomainName": f"{name}.s3.dualstack.{r}.amazonaws.com",
            "WebsiteURL": f"http://{name}.s3-website-{r}.amazonaws.com",
        }
        if attr in formats:
            return formats[attr]
    elif rtype == "AWS::IAM::Role" and attr == "Arn":
        return role_arn(env, logical, owner)
    elif rtype == "AWS::IAM::ManagedPolicy" and attr == "PolicyArn":
        return managed_policy_arn(env, logical, owner)
    elif rtype == "AWS::KMS::Key":
        if attr == "Arn":
            return key_arn(env, owner)
        if attr == "KeyId":
            return resource_sym(owner, "KeyId")
    elif rtype == "AWS::WAFv2::WebACL" and attr == "Arn":
        return waf_arn(env, logical, owner, "webacl")
    elif rtype == "AWS::WAFv2::IPSet" and attr == "Arn":
        return waf_arn(env, logical, owner, "ipset")
    elif rtype == "AWS::WAFv2::RuleGroup" and attr == "Arn":
        return waf_arn(env, logical, owner, "rulegroup")
    elif rtype == "AWS::Lambda::Function" and attr == "Arn":
        return f"arn:{p}:lambda:{r}:{env.account}:function:{function_name(env, logical, owner)}"
    return resource_sym(owner, attr)


_ID_ATTRIBUTES = frozenset(
    {
        ("AWS::EC2::VPC", "VpcId"),
        ("AWS::EC2::Subnet", "SubnetId"),
        ("AWS::EC2::RouteTable", "RouteTableId"),
    }
)


def _data_return(env: Env, rtype: str, logical: str, owner: str, attr: str | None) -> Any:
    """SQS queues, SNS topics, DynamoDB tables, Kinesis streams (`policylint.model.data`)."""
    if rtype not in _DATA_TYPES:
        return None
    from policylint.model.data import cfn_return, name_property

    name = env.prop(logical, name_property(rtype))
    name = name if isinstance(name, str) and name else None
    return cfn_return(rtype, owner, name, attr, env.partition, env.region, env.account)


_DATA_TYPES = ("AWS::SQS::Queue", "AWS::SNS::Topic", "AWS::DynamoDB::Table", "AWS::Kinesis::Stream")


def _apigw_return(env: Env, rtype: str, logical: str, owner: str, attr: str | None) -> Any:
    """API Gateway, Lambda URLs/aliases, VPC endpoints (`policylint.cfn.normalize_apigw`)."""
    if not rtype.startswith(("AWS::ApiGateway", "AWS::Lambda::", "AWS::EC2::VPCEndpoint")):
        return None
    from policylint.cfn.normalize_apigw import cfn_return

    return cfn_return(env, rtype, logical, owner, attr)


def attribute_allowed(rtype: str, attr: str) -> bool | None:
    """Whether `rtype` has GetAtt attribute `attr`; None when the type is not known at all."""
    known = KNOWN_ATTRIBUTES.get(rtype)
    if known is not None and attr in known:
        return True
    if rtype.startswith("Custom::") or rtype == "AWS::CloudFormation::CustomResource":
        return True
    if "::" not in rtype or rtype.count("::") != 2 or rtype.endswith("::MODULE"):
        return None
    patterns = _schema_attributes(rtype)
    if patterns is None:
        return None
    return any(p.fullmatch(attr) for p in patterns)


@functools.cache
def _schema_attributes(rtype: str) -> tuple[re.Pattern[str], ...] | None:
    """GetAtt attribute patterns from cfn-lint's shipped schemas (imported lazily, cached)."""
    try:
        from cfnlint.schema import PROVIDER_SCHEMA_MANAGER
        from cfnlint.schema._exceptions import ResourceNotFoundError
    except ImportError:  # pragma: no cover - cfn-lint is a dependency
        return None
    try:
        schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema("us-east-1", rtype)
    except ResourceNotFoundError:
        return None
    except Exception:  # a broken or unexpected schema: treat as unknown
        return None
    return tuple(re.compile(key) for key in schema.get_atts)
