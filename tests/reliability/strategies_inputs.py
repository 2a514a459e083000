"""Hypothesis strategies for the newer inputs: OpenAPI bodies of REST APIs, WAF rule groups,
Terraform provider configurations (HCL, .tf.json, plans) and `accounts` configuration entries.

Each mixes the shapes the loaders read with the wrong types, `$ref`s and intrinsics in their
places, so that every branch that checks a type is reached.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from tests.reliability.strategies import intrinsics, scalars, values

_OPENAPI_KEYS = (
    "paths",
    "get",
    "post",
    "x-amazon-apigateway-any-method",
    "security",
    "securityDefinitions",
    "components",
    "securitySchemes",
    "servers",
    "basePath",
    "$ref",
    "type",
    "name",
    "in",
    "api_key",
    "x-amazon-apigateway-policy",
    "x-amazon-apigateway-api-key-source",
    "x-amazon-apigateway-endpoint-configuration",
    "x-amazon-apigateway-authorizer",
    "x-amazon-apigateway-authtype",
    "x-amazon-apigateway-auth",
    "vpcEndpointIds",
    "disableExecuteApiEndpoint",
    "Statement",
    "Fn::Sub",
    "x-policylint-unread",
)


def _odd(leaf: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly `leaf`; else a wrong-typed value in its place: a scalar, a list, a `$ref`, an
    intrinsic."""
    wrong = st.one_of(
        scalars,
        st.lists(scalars, max_size=2),
        st.just({"$ref": "#/components/x"}),
        intrinsics(st.text(max_size=4)),
    )
    return st.integers(0, 5).flatmap(lambda n: wrong if n == 0 else leaf)


def _garbage_bodies() -> st.SearchStrategy[Any]:
    return st.recursive(
        st.one_of(scalars, st.sampled_from(("x-api-key", "header", "apiKey", "token", "awsSigv4"))),
        lambda inner: st.one_of(
            st.lists(inner, max_size=3),
            st.dictionaries(
                st.one_of(st.sampled_from(_OPENAPI_KEYS), st.text(max_size=5)), inner, max_size=4
            ),
        ),
        max_leaves=25,
    )


def _schemes() -> st.SearchStrategy[Any]:
    scheme = st.fixed_dictionaries(
        {},
        optional={
            "type": _odd(st.sampled_from(("apiKey", "oauth2", "http"))),
            "name": _odd(st.sampled_from(("x-api-key", "Authorization", "X-API-KEY"))),
            "in": _odd(st.sampled_from(("header", "query"))),
            "x-amazon-apigateway-authtype": _odd(
                st.sampled_from(("awsSigv4", "custom", "cognito_user_pools"))
            ),
            "x-amazon-apigateway-authorizer": _odd(
                st.fixed_dictionaries(
                    {}, optional={"type": _odd(st.sampled_from(("token", "request", "JWT")))}
                )
            ),
        },
    )
    valid = {
        "api_key": {"type": "apiKey", "name": "x-api-key", "in": "header"},
        "sigv4": {"type": "apiKey", "x-amazon-apigateway-authtype": "awsSigv4"},
        "lambda": {"type": "apiKey", "x-amazon-apigateway-authorizer": {"type": "token"}},
    }
    return _odd(
        st.one_of(
            st.just(valid),
            st.dictionaries(st.sampled_from(("api_key", "sigv4", "lambda", "")), _odd(scheme)),
        )
    )


def _operation() -> st.SearchStrategy[Any]:
    requirement = st.dictionaries(
        st.sampled_from(("api_key", "sigv4", "lambda", "missing")), st.lists(scalars, max_size=1)
    )
    return _odd(
        st.fixed_dictionaries(
            {},
            optional={
                "security": _odd(
                    st.one_of(
                        st.sampled_from(
                            (
                                [{"api_key": []}],
                                [{"sigv4": []}],
                                [{"lambda": []}],
                                [{"api_key": [], "lambda": []}],
                                [{"api_key": []}, {"sigv4": []}],
                            )
                        ),
                        st.lists(_odd(requirement), max_size=3),
                    )
                ),
                "x-amazon-apigateway-auth": _odd(
                    st.fixed_dictionaries({}, optional={"type": _odd(st.just("NONE"))})
                ),
            },
        )
    )


def _structured_bodies() -> st.SearchStrategy[dict[str, Any]]:
    op = _operation()
    item = st.fixed_dictionaries(
        {"get": op}, optional={"post": op, "x-amazon-apigateway-any-method": op, "parameters": op}
    )
    ref = st.fixed_dictionaries({"$ref": st.just("#/x")}, optional={"GET": op})
    path_item = _odd(st.integers(0, 5).flatmap(lambda n: ref if n == 0 else item))
    endpoint = _odd(
        st.fixed_dictionaries(
            {},
            optional={
                "vpcEndpointIds": _odd(st.lists(st.text(max_size=4), max_size=2)),
                "disableExecuteApiEndpoint": _odd(st.sampled_from((True, "false", "TRUE"))),
            },
        )
    )
    return st.fixed_dictionaries(
        {
            "paths": _odd(
                st.dictionaries(
                    st.one_of(st.sampled_from(("/a", "/{id}", "/")), st.text(max_size=4)),
                    path_item,
                    min_size=1,
                    max_size=3,
                )
            ),
        },
        optional={
            "swagger": st.just("2.0"),
            "openapi": st.just("3.0.1"),
            "security": _odd(st.lists(st.dictionaries(st.just("api_key"), st.just([])))),
            "securityDefinitions": _schemes(),
            "components": _odd(st.fixed_dictionaries({}, optional={"securitySchemes": _schemes()})),
            "servers": _odd(
                st.lists(
                    _odd(
                        st.fixed_dictionaries(
                            {"url": st.just("/")},
                            optional={"x-amazon-apigateway-endpoint-configuration": endpoint},
                        )
                    ),
                    max_size=2,
                )
            ),
            "basePath": _odd(st.just("/v1")),
            "x-amazon-apigateway-policy": _odd(
                st.just({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*"}]})
            ),
            "x-amazon-apigateway-api-key-source": _odd(st.sampled_from(("HEADER", "AUTHORIZER"))),
            "x-amazon-apigateway-endpoint-configuration": endpoint,
        },
    )


def openapi_bodies() -> st.SearchStrategy[Any]:
    """An OpenAPI definition: well-shaped with odd parts, garbage, JSON text, or deeply nested."""
    deep = st.integers(1, 400).map(lambda n: '{"paths": ' * n + "{}" + "}" * n)
    return st.one_of(
        _structured_bodies(),
        _structured_bodies(),
        _structured_bodies().map(json.dumps),
        _garbage_bodies(),
        deep,
        st.sampled_from(("{", "{]", "not json", "{}", "${var.x}", "\ue000x\ue001")),
    )


def rest_api_template(body: Any, extra: dict[str, Any]) -> dict[str, Any]:
    """A template with a REST API defined by `body`, a deployment, a stage and a usage plan."""
    api: dict[str, Any] = {"Body": body, **extra}
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "Api": {"Type": "AWS::ApiGateway::RestApi", "Properties": api},
            "Dep": {
                "Type": "AWS::ApiGateway::Deployment",
                "Properties": {"RestApiId": {"Ref": "Api"}, "StageName": "prod"},
            },
            "Plan": {
                "Type": "AWS::ApiGateway::UsagePlan",
                "Properties": {"ApiStages": [{"ApiId": {"Ref": "Api"}, "Stage": "prod"}]},
            },
        },
    }


def rest_api_extras() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {},
        optional={
            "BodyS3Location": _odd(st.just({"Bucket": "b", "Key": "k"})),
            "Parameters": _odd(
                st.fixed_dictionaries(
                    {},
                    optional={
                        "basepath": _odd(st.just("prepend")),
                        "endpointConfigurationTypes": _odd(st.just("REGIONAL")),
                    },
                )
            ),
            "ApiKeySourceType": _odd(st.just("HEADER")),
            "Policy": _odd(st.just({"Statement": []})),
            "DisableExecuteApiEndpoint": _odd(st.just(True)),
            "EndpointConfiguration": _odd(st.just({"Types": ["PRIVATE"]})),
        },
    )


def hcl(value: Any) -> str:
    """`value` (JSON-like data) as an HCL expression, for `jsonencode(...)`."""
    if isinstance(value, dict):
        items = ", ".join(f"{json.dumps(str(k))} = {hcl(v)}" for k, v in value.items())
        return "{" + items + "}"
    if isinstance(value, list):
        return "[" + ", ".join(hcl(v) for v in value) + "]"
    if isinstance(value, str):
        return json.dumps(value).replace("${", "$${").replace("%{", "%%{")
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value)


# --- WAF rule groups --------------------------------------------------------------------


def _waf_statements() -> st.SearchStrategy[Any]:
    names = st.sampled_from(("r1", "r2", "NoUserAgent_HEADER", "SizeRestrictions_BODY", ""))
    return st.one_of(
        values(6),
        st.builds(
            lambda arn, ex, over: {
                "RuleGroupReferenceStatement": {
                    "Arn": arn,
                    "ExcludedRules": ex,
                    "RuleActionOverrides": over,
                }
            },
            st.one_of(st.just({"Fn::GetAtt": ["Group", "Arn"]}), scalars),
            _odd(st.lists(_odd(st.builds(lambda n: {"Name": n}, names)), max_size=2)),
            _odd(
                st.lists(
                    _odd(
                        st.builds(
                            lambda n, a: {"Name": n, "ActionToUse": a},
                            _odd(names),
                            _odd(st.sampled_from(({"Count": {}}, {"Block": {}}, {}))),
                        )
                    ),
                    max_size=2,
                )
            ),
        ),
        st.builds(
            lambda arn: {"IPSetReferenceStatement": {"Arn": arn}},
            st.one_of(st.just({"Fn::GetAtt": ["Ips", "Arn"]}), scalars),
        ),
        st.builds(lambda s: {"NotStatement": {"Statement": s}}, values(3)),
        st.builds(lambda s: {"AndStatement": {"Statements": s}}, _odd(st.lists(values(3)))),
    )


def _waf_rules() -> st.SearchStrategy[Any]:
    action = _odd(st.sampled_from(({"Allow": {}}, {"Block": {}}, {"Count": {}}, {}, {"A": 1})))
    rule = st.fixed_dictionaries(
        {},
        optional={
            "Name": _odd(st.sampled_from(("r1", "r2", "NoUserAgent_HEADER"))),
            "Priority": _odd(st.integers(-1, 3)),
            "Action": action,
            "OverrideAction": _odd(st.sampled_from(({"None": {}}, {"Count": {}}))),
            "Statement": _waf_statements(),
        },
    )
    return _odd(st.lists(_odd(rule), max_size=3))


@st.composite
def waf_templates(draw: st.DrawFn) -> dict[str, Any]:
    """A web ACL whose rules reference a rule group of the same template (and an IP set)."""
    scope = draw(_odd(st.sampled_from(("REGIONAL", "CLOUDFRONT"))))
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "Acl": {
                "Type": "AWS::WAFv2::WebACL",
                "Properties": {
                    "Scope": scope,
                    "DefaultAction": draw(_odd(st.sampled_from(({"Block": {}}, {"Allow": {}})))),
                    "Rules": draw(_waf_rules()),
                },
            },
            "Group": {
                "Type": "AWS::WAFv2::RuleGroup",
                "Properties": {"Scope": scope, "Capacity": 10, "Rules": draw(_waf_rules())},
            },
            "Ips": {
                "Type": "AWS::WAFv2::IPSet",
                "Properties": {
                    "Scope": scope,
                    "IPAddressVersion": draw(_odd(st.just("IPV4"))),
                    "Addresses": draw(_odd(st.lists(st.sampled_from(("0.0.0.0/0", "1.2.3.4/32"))))),
                },
            },
            "Alb": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {}},
            "Assoc": {
                "Type": "AWS::WAFv2::WebACLAssociation",
                "Properties": {
                    "WebACLArn": {"Fn::GetAtt": ["Acl", "Arn"]},
                    "ResourceArn": {"Ref": "Alb"},
                },
            },
        },
    }


def _tf_waf_statement() -> st.SearchStrategy[Any]:
    """Terraform's shape: nested blocks as lists of objects, snake_case names."""
    override = st.fixed_dictionaries(
        {"name": _odd(st.sampled_from(("r1", "r2")))},
        optional={"action_to_use": _odd(st.just([{"count": [{}]}]))},
    )
    group_ref = st.fixed_dictionaries(
        {"arn": st.one_of(st.just("${aws_wafv2_rule_group.g.arn}"), scalars)},
        optional={
            "rule_action_override": _odd(st.lists(_odd(override), max_size=2)),
            "excluded_rule": _odd(st.lists(_odd(st.just({"name": "r1"})), max_size=2)),
        },
    )
    return st.one_of(
        st.builds(lambda g: [{"rule_group_reference_statement": [g]}], group_ref),
        st.builds(lambda g: {"rule_group_reference_statement": g}, _odd(group_ref)),
        values(5),
    )


def _tf_waf_rules() -> st.SearchStrategy[Any]:
    action = _odd(st.sampled_from(([{"block": [{}]}], [{"allow": [{}]}], [], [{"count": []}])))
    rule = st.fixed_dictionaries(
        {},
        optional={
            "name": _odd(st.sampled_from(("r1", "r2", "${var.n}"))),
            "priority": _odd(st.integers(0, 3)),
            "action": action,
            "override_action": _odd(st.sampled_from(([{"none": [{}]}], [{"count": [{}]}]))),
            "statement": _tf_waf_statement(),
        },
    )
    return _odd(st.lists(_odd(rule), max_size=3))


@st.composite
def tf_waf_configs(draw: st.DrawFn) -> dict[str, Any]:
    scope = draw(_odd(st.sampled_from(("REGIONAL", "CLOUDFRONT"))))
    return {
        "resource": {
            "aws_wafv2_web_acl": {
                "acl": {
                    "name": "acl",
                    "scope": scope,
                    "default_action": draw(_odd(st.just([{"block": [{}]}]))),
                    "rule": draw(_tf_waf_rules()),
                }
            },
            "aws_wafv2_rule_group": {
                "g": {"name": "g", "scope": scope, "capacity": 10, "rule": draw(_tf_waf_rules())}
            },
        }
    }


# --- Terraform provider configurations --------------------------------------------------

_REGIONS = ("us-east-1", "eu-west-1", "moon-base-1", "", "US-EAST-1", "us-east-1 ")


def _hcl_region() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(_REGIONS).map(json.dumps),
        st.sampled_from(
            (
                "var.r",
                "var.missing",
                "local.r",
                "null",
                "1",
                "true",
                '["us-east-1"]',
                "{ a = 1 }",
                '"us-${var.r}"',
                "data.aws_region.current.name",
                "aws.virginia",
            )
        ),
    )


@st.composite
def provider_modules(draw: st.DrawFn) -> dict[str, str]:
    """A root module (HCL) with provider blocks, a certificate and a child module call."""
    blocks = []
    for _ in range(draw(st.integers(0, 3))):
        lines = []
        if draw(st.booleans()):
            lines.append(f"  region = {draw(_hcl_region())}")
        if draw(st.booleans()):
            alias = draw(st.sampled_from(('"virginia"', '"a.b"', '""', "var.r", "1", '"9x"')))
            lines.append(f"  alias = {alias}")
        if draw(st.booleans()):
            lines.append('  version = "~> 5.0"')
        name = draw(st.sampled_from(("aws", "aws", "google", "aws-x")))
        blocks.append(f'provider "{name}" {{\n' + "\n".join(lines) + "\n}\n")
    provider_ref = draw(
        st.sampled_from(
            (
                "",
                "provider = aws",
                "provider = aws.virginia",
                "provider = aws.x.y",
                'provider = "aws"',
            )
        )
    )
    own_region = draw(st.one_of(st.just(""), _hcl_region().map(lambda r: f"region = {r}")))
    cert = (
        f'resource "aws_acm_certificate" "c" {{\n  {provider_ref}\n  {own_region}\n'
        '  domain_name = "example.com"\n}\n'
    )
    providers = draw(
        st.sampled_from(
            (
                "",
                "providers = { aws = aws.virginia }",
                "providers = { aws.cdn = aws }",
                "providers = local.p",
                'providers = { "aws" = "aws" }',
                "providers = { aws = 1 }",
                "providers = [aws]",
            )
        )
    )
    call = f'module "m" {{\n  source = "./child"\n  {providers}\n}}\n'
    head = 'variable "r" {\n  default = "eu-west-1"\n}\nlocals {\n  r = "us-east-1"\n  p = {}\n}\n'
    child_cert = cert.replace('"c"', '"cc"')
    child_blocks = draw(st.sampled_from(("", 'provider "aws" {\n  alias = "cdn"\n}\n')))
    return {
        "main.tf": head + "".join(blocks) + cert + call,
        "child/main.tf": child_blocks + child_cert,
    }


@st.composite
def tf_json_providers(draw: st.DrawFn) -> dict[str, Any]:
    """A .tf.json with a `provider` section of odd shapes and a certificate using it."""
    config = st.fixed_dictionaries(
        {},
        optional={
            "region": _odd(st.sampled_from((*_REGIONS, "${var.r}"))),
            "alias": _odd(st.sampled_from(("virginia", "a.b", "", "${var.r}"))),
        },
    )
    provider = _odd(
        st.dictionaries(st.sampled_from(("aws", "")), _odd(st.lists(config, max_size=2)))
    )
    return {
        "provider": draw(st.one_of(provider, st.builds(lambda c: {"aws": c}, config))),
        "resource": {
            "aws_acm_certificate": {
                "c": {
                    "domain_name": "example.com",
                    "provider": draw(_odd(st.sampled_from(("aws.virginia", "aws", "${aws.x}")))),
                    "region": draw(st.one_of(st.none(), _odd(st.sampled_from(_REGIONS)))),
                }
            }
        },
    }


@st.composite
def provider_plans(draw: st.DrawFn) -> dict[str, Any]:
    """A plan whose `configuration.provider_config` and `variables` have odd shapes."""
    expr = _odd(
        st.fixed_dictionaries(
            {},
            optional={
                "constant_value": _odd(st.sampled_from(_REGIONS)),
                "references": _odd(
                    st.lists(_odd(st.sampled_from(("var.r", "var.r.x", "local.r"))), max_size=2)
                ),
            },
        )
    )
    pc = _odd(
        st.fixed_dictionaries(
            {},
            optional={
                "expressions": _odd(st.fixed_dictionaries({}, optional={"region": expr})),
                "module_address": _odd(st.just("module.m")),
            },
        )
    )
    values_ = _odd(st.fixed_dictionaries({}, optional={"region": _odd(st.just("eu-west-1"))}))
    resource = {
        "address": "aws_acm_certificate.c",
        "mode": "managed",
        "type": draw(_odd(st.just("aws_acm_certificate"))),
        "name": "c",
        "values": draw(values_),
    }
    return {
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": [resource]}},
        "variables": draw(
            _odd(st.dictionaries(st.just("r"), _odd(st.just({"value": "us-east-1"}))))
        ),
        "configuration": draw(
            _odd(
                st.fixed_dictionaries(
                    {},
                    optional={
                        "provider_config": _odd(
                            st.dictionaries(st.sampled_from(("aws", "aws.virginia")), pc)
                        ),
                        "root_module": _odd(
                            st.just(
                                {
                                    "resources": [
                                        {
                                            "address": "aws_acm_certificate.c",
                                            "mode": "managed",
                                            "type": "aws_acm_certificate",
                                            "name": "c",
                                            "provider_config_key": "aws.virginia",
                                        }
                                    ]
                                }
                            )
                        ),
                    },
                )
            )
        ),
    }


# --- accounts ---------------------------------------------------------------------------


def accounts_entries() -> st.SearchStrategy[Any]:
    """`accounts` entries: valid ones, odd globs, and wrong types (refused by the schema)."""
    glob = st.one_of(
        st.sampled_from(
            ("*", "**", "a/**", "[z-a]", "[]", "[!]", "[", "../x", "/abs", "?", "\\", "a[b-]c")
        ),
        st.text(min_size=1, max_size=6),
    )
    entry = st.fixed_dictionaries(
        {"path": _odd(glob), "account-id": _odd(st.just("123456789012"))},
        optional={"region": _odd(st.sampled_from(("eu-west-1", "us-east-1", "x")))},
    )
    return st.lists(_odd(entry), max_size=3)


@st.composite
def apigw_plans(draw: st.DrawFn) -> dict[str, Any]:
    """A plan of a REST API (body in `values`) and a deployment whose configuration
    expressions (what its triggers reference) have odd shapes."""
    body = draw(openapi_bodies())
    api_values = {"name": "a", "body": body if isinstance(body, str) else json.dumps(body)}
    dep_values = draw(
        _odd(
            st.fixed_dictionaries(
                {"rest_api_id": st.just("abc")},
                optional={"triggers": _odd(st.just({"r": "x"})), "description": _odd(st.just("d"))},
            )
        )
    )
    refs = _odd(st.lists(_odd(st.sampled_from(("aws_api_gateway_rest_api.api.body", "var.x")))))
    expressions = _odd(
        st.fixed_dictionaries(
            {},
            optional={
                "triggers": _odd(st.fixed_dictionaries({}, optional={"references": refs})),
                "description": _odd(st.just({"constant_value": "d"})),
            },
        )
    )
    dep_conf = {"address": "aws_api_gateway_deployment.d", "expressions": draw(expressions)}
    resources = [
        {"address": "aws_api_gateway_rest_api.api", "mode": "managed", "name": "api"}
        | {"type": "aws_api_gateway_rest_api", "values": api_values},
        {"address": "aws_api_gateway_deployment.d", "mode": "managed", "name": "d"}
        | {"type": "aws_api_gateway_deployment", "values": dep_values},
    ]
    root = draw(_odd(st.just({"resources": [dep_conf]})))
    return {
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": resources}},
        "configuration": draw(_odd(st.just({"root_module": root}))),
    }


# --- IAM050: deploy-time calls ----------------------------------------------------------

_TYPE_PARTS = ("S3", "Bucket", "WAFv2", "WebACL", "", ".", "..", "__init__", "x.y", "Ä")


def resource_types() -> st.SearchStrategy[str]:
    """CloudFormation-like type names, real and hostile (they become module names)."""
    part = st.one_of(st.sampled_from(_TYPE_PARTS), st.text(max_size=6))
    return st.one_of(
        st.builds(lambda a, b: f"AWS::{a}::{b}", part, part),
        st.sampled_from(("AWS::S3::Bucket", "AWS::CloudFront::Distribution", "aws_s3_bucket")),
        st.text(max_size=12),
    )


@st.composite
def scp_templates(draw: st.DrawFn) -> dict[str, Any]:
    """An SCP of the run next to resources of random types (IAM050 asks each type's calls)."""
    resources: dict[str, Any] = {
        "Scp": {
            "Type": "AWS::Organizations::Policy",
            "Properties": {
                "Type": "SERVICE_CONTROL_POLICY",
                "TargetIds": [{"Ref": "AWS::AccountId"}],
                "Content": {
                    "Statement": [
                        {
                            "Effect": "Deny",
                            "NotAction": ["iam:*"],
                            "Resource": "*",
                            "Condition": {
                                "StringNotEquals": {"aws:RequestedRegion": draw(_odd(st.just("x")))}
                            },
                        }
                    ]
                },
            },
        }
    }
    for n, rtype in enumerate(draw(st.lists(resource_types(), max_size=4))):
        resources[f"R{n}"] = {"Type": rtype, "Properties": draw(_odd(st.just({"Scope": "X"})))}
    return {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}
