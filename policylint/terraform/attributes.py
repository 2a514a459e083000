"""Computed attributes of Terraform resources, in the formats architecture.md fixes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from policylint.terraform.expressions import JsonEncoded, to_str
from policylint.values import Unknown, resource_sym, sym

P = sym("AWS::Partition")
A = sym("AWS::AccountId")
R = sym("AWS::Region")
URL_SUFFIX = sym("AWS::URLSuffix")

Arg = Callable[[str], Any]  # the evaluated configuration argument (None if absent)


def _s(v: Any, fallback: str) -> str:
    s = to_str(v) if v is not None else None
    return s if s is not None else fallback


def bucket_name(owner: str, arg: Arg) -> str:
    """The bucket's name: the `bucket` argument, or a generated (symbolic) one."""
    return _s(arg("bucket"), resource_sym(owner, "BucketName"))


def _bucket(owner: str, attr: str, arg: Arg) -> Any:
    name = bucket_name(owner, arg)
    return {
        "bucket": name,
        "id": name,
        "arn": f"arn:{P}:s3:::{name}",
        "bucket_regional_domain_name": f"{name}.s3.{R}.amazonaws.com",
        "bucket_domain_name": f"{name}.s3.amazonaws.com",
        "website_endpoint": f"{name}.s3-website-{R}.amazonaws.com",
        "website_domain": f"s3-website-{R}.amazonaws.com",
        "region": R,
    }.get(attr)


def distribution_id(owner: str) -> str:
    return resource_sym(owner, "Id")


def distribution_arn(owner: str) -> str:
    return f"arn:{P}:cloudfront::{A}:distribution/{distribution_id(owner)}"


def oai_values(owner: str) -> dict[str, str]:
    oai = resource_sym(owner, "Id")
    return {
        "id": oai,
        "iam_arn": f"arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity {oai}",
        "cloudfront_access_identity_path": f"origin-access-identity/cloudfront/{oai}",
        "s3_canonical_user_id": resource_sym(owner, "S3CanonicalUserId"),
        "etag": resource_sym(owner, "ETag"),
    }


def key_id(owner: str) -> str:
    return resource_sym(owner, "KeyId")


def key_arn(owner: str) -> str:
    return f"arn:{P}:kms:{R}:{A}:key/{key_id(owner)}"


def role_name(owner: str, arg: Arg, kind: str = "RoleName") -> str:
    return _s(arg("name"), resource_sym(owner, kind))


def role_arn(owner: str, arg: Arg) -> str:
    path = _s(arg("path"), "/")
    return f"arn:{P}:iam::{A}:role{path}{role_name(owner, arg)}"


def policy_arn(owner: str, arg: Arg) -> str:
    path = _s(arg("path"), "/")
    return f"arn:{P}:iam::{A}:policy{path}{role_name(owner, arg, 'PolicyName')}"


def waf_arn(owner: str, arg: Arg, kind: str) -> str:
    scope = to_str(arg("scope"))
    region, where = ("us-east-1", "global") if scope == "CLOUDFRONT" else (R, "regional")
    name = _s(arg("name"), resource_sym(owner, "Name"))
    return f"arn:{P}:wafv2:{region}:{A}:{where}/{kind}/{name}/{resource_sym(owner, 'Id')}"


_SPLIT_BY_BUCKET = (
    "aws_s3_bucket_policy",
    "aws_s3_bucket_public_access_block",
    "aws_s3_bucket_ownership_controls",
    "aws_s3_bucket_acl",
    "aws_s3_bucket_server_side_encryption_configuration",
    "aws_s3_bucket_request_payment_configuration",
    "aws_s3_bucket_versioning",
    "aws_s3_bucket_logging",
    "aws_s3_bucket_cors_configuration",
)


_DATA_TYPES = (
    "aws_sqs_queue",
    "aws_sns_topic",
    "aws_dynamodb_table",
    "aws_kinesis_stream",
    "aws_lambda_function",
)


_APIGW_PREFIXES = (
    "aws_api_gateway_",
    "aws_lambda_function_url",
    "aws_lambda_alias",
    "aws_vpc_endpoint",
)


def managed(rtype: str, owner: str, attr: str, arg: Arg) -> Any:
    """A computed attribute of a managed resource; None if not modelled here."""
    if rtype in _DATA_TYPES:  # queues, topics, tables, streams, functions: model/data.py
        from policylint.model.data import tf_attribute

        return tf_attribute(rtype, owner, attr, arg, P, R, A)
    if rtype.startswith(_APIGW_PREFIXES):  # API Gateway, function URLs: normalize_apigw.py
        from policylint.terraform import normalize_apigw

        return normalize_apigw.tf_attribute(rtype, owner, attr, arg)
    if rtype == "aws_s3_bucket":
        return _bucket(owner, attr, arg)
    if rtype in _SPLIT_BY_BUCKET and attr == "id":
        return arg("bucket")
    if rtype == "aws_s3_bucket_website_configuration":
        b = to_str(arg("bucket"))
        if b is None:
            return None
        return {
            "id": b,
            "website_endpoint": f"{b}.s3-website-{R}.amazonaws.com",
            "website_domain": f"s3-website-{R}.amazonaws.com",
        }.get(attr)
    if rtype == "aws_cloudfront_distribution":
        return {
            "id": distribution_id(owner),
            "arn": distribution_arn(owner),
            "domain_name": resource_sym(owner, "DomainName"),
            "hosted_zone_id": "Z2FDTNDATAQYW2",
        }.get(attr)
    if rtype == "aws_cloudfront_origin_access_identity":
        return oai_values(owner).get(attr)
    if (
        rtype
        in (
            "aws_cloudfront_origin_access_control",
            "aws_cloudfront_origin_request_policy",
            "aws_cloudfront_cache_policy",
            "aws_cloudfront_response_headers_policy",
            "aws_cloudfront_key_group",
            "aws_cloudfront_public_key",
            "aws_cloudfront_function",
            "aws_organizations_policy",
        )
        and attr == "id"
    ):
        return resource_sym(owner, "Id")
    if rtype == "aws_kms_key":
        return {"id": key_id(owner), "key_id": key_id(owner), "arn": key_arn(owner)}.get(attr)
    if rtype == "aws_kms_alias":
        name = to_str(arg("name"))
        if attr == "arn" and name is not None:
            return f"arn:{P}:kms:{R}:{A}:{name}"
        if attr == "id":
            return name
        return None
    if rtype == "aws_iam_role":
        return {
            "name": role_name(owner, arg),
            "id": role_name(owner, arg),
            "arn": role_arn(owner, arg),
        }.get(attr)
    if rtype == "aws_iam_policy":
        return {
            "name": role_name(owner, arg, "PolicyName"),
            "arn": policy_arn(owner, arg),
            "id": policy_arn(owner, arg),
        }.get(attr)
    if rtype == "aws_wafv2_web_acl" and attr in ("arn", "id"):
        return waf_arn(owner, arg, "webacl") if attr == "arn" else resource_sym(owner, "Id")
    if rtype == "aws_wafv2_ip_set" and attr in ("arn", "id"):
        return waf_arn(owner, arg, "ipset") if attr == "arn" else resource_sym(owner, "Id")
    if rtype == "aws_acm_certificate" and attr == "arn":
        return resource_sym(owner, "arn")  # the evaluator's own fallback, so plans link by it
    if rtype == "aws_wafv2_rule_group" and attr in ("arn", "id"):
        return waf_arn(owner, arg, "rulegroup") if attr == "arn" else resource_sym(owner, "Id")
    return None


def data(dtype: str, owner: str, attr: str, arg: Arg, policy_json: Callable[[], Any]) -> Any:
    """A computed attribute of a data source; None if not modelled here."""
    if dtype == "aws_caller_identity" and attr in ("account_id", "id"):
        return A
    if dtype == "aws_partition":
        return {"partition": P, "id": P, "dns_suffix": URL_SUFFIX}.get(attr)
    if dtype == "aws_region" and attr in ("name", "id", "region"):
        given = arg("name") or arg("region")
        return given if given is not None else R
    if dtype == "aws_iam_policy_document" and attr in ("json", "minified_json"):
        doc = policy_json()
        return doc if isinstance(doc, (JsonEncoded, Unknown)) else None
    if dtype == "aws_s3_bucket" and arg("bucket") is not None:
        return _bucket(owner, attr, arg)
    return None
