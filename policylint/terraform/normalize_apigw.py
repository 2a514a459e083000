"""API Gateway REST APIs, Lambda function URLs and permissions, VPC endpoints (Terraform).

`tf_attribute` gives the computed attributes of these types in the formats CloudFormation's
loader uses too (hooked into `policylint.terraform.attributes.managed`).
"""

from __future__ import annotations

import functools
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from policylint.apigw_body_model import body_elements, with_body
from policylint.apigw_openapi import POLICY, OpenApiBody, read_body
from policylint.model.apigw import (
    ApiAuthorizer,
    ApiDomainName,
    ApiKey,
    ApiMapping,
    ApiMethod,
    ApiStage,
    RestApi,
    UsagePlan,
    UsagePlanKey,
)
from policylint.model.lambda_ import FunctionUrl, LambdaPermission
from policylint.model.network import VpcEndpoint
from policylint.source import SourceRef
from policylint.terraform.apigw_deployment import deployment
from policylint.terraform.attributes import A, P, R
from policylint.terraform.common import b, s, s_req, strs
from policylint.terraform.expressions import JsonEncoded, to_str
from policylint.terraform.instances import block, blocks
from policylint.values import Unknown, has_symbol, is_resource_symbol, resource_sym, symbols

if TYPE_CHECKING:
    from policylint.policy.document import PolicyDocument
    from policylint.source import DocPath
    from policylint.terraform.attributes import Arg
    from policylint.terraform.common import Ctx
    from policylint.terraform.instances import Instance

MaybeStr = str | Unknown

_IDS = {
    "aws_api_gateway_rest_api": "RestApiId",
    "aws_api_gateway_deployment": "DeploymentId",
    "aws_api_gateway_usage_plan": "Id",
    "aws_api_gateway_api_key": "APIKeyId",
    "aws_api_gateway_authorizer": "AuthorizerId",
    "aws_vpc_endpoint": "Id",
}


def tf_attribute(rtype: str, owner: str, attr: str, arg: Arg) -> Any:
    """A computed attribute of these types; None when not modelled here."""
    if rtype in _IDS and attr == "id":
        return resource_sym(owner, _IDS[rtype])
    if rtype == "aws_api_gateway_rest_api":
        api = resource_sym(owner, "RestApiId")
        return {
            "execution_arn": f"arn:{P}:execute-api:{R}:{A}:{api}",
            "arn": f"arn:{P}:apigateway:{R}::/restapis/{api}",
        }.get(attr)
    if rtype in ("aws_api_gateway_stage", "aws_api_gateway_deployment"):
        target = to_str(arg("rest_api_id"))
        stage = to_str(arg("stage_name"))
        if target is None:
            return None
        if attr == "invoke_url":
            return f"https://{target}.execute-api.{R}.amazonaws.com/{stage or ''}"
        if attr == "execution_arn":
            return f"arn:{P}:execute-api:{R}:{A}:{target}/{stage or ''}"
        return None
    if rtype == "aws_api_gateway_domain_name" and attr in ("id", "domain_name"):
        return arg("domain_name")
    if rtype == "aws_lambda_function_url":
        url_id = resource_sym(owner, "UrlId")
        return {
            "url_id": url_id,
            "function_url": f"https://{url_id}.lambda-url.{R}.on.aws/",
        }.get(attr)
    if rtype == "aws_lambda_alias" and attr in ("arn", "name"):
        from policylint.lambda_refs import function_ref

        fn, name = to_str(arg("function_name")), to_str(arg("name"))
        if fn is None or name is None:
            return None
        if attr == "name":
            return name
        return f"arn:{P}:lambda:{R}:{A}:function:{function_ref(fn).name}:{name}"
    return None


def normalize_apigw(ctx: Ctx) -> dict[str, tuple[Any, ...]]:
    """The model fields this module fills, ready for `Model(**...)`."""
    from_bodies = _body_elements(ctx)
    return {
        "rest_apis": tuple(_rest_apis(ctx)),
        "api_methods": tuple(_method(m) for m in ctx.of("aws_api_gateway_method"))
        + tuple(from_bodies["api_methods"]),
        "api_stages": tuple(
            x
            for x in (
                _stage(i) for i in ctx.of("aws_api_gateway_stage", "aws_api_gateway_deployment")
            )
            if x is not None
        ),
        "api_deployments": tuple(deployment(d) for d in ctx.of("aws_api_gateway_deployment")),
        "usage_plans": tuple(_usage_plan(p) for p in ctx.of("aws_api_gateway_usage_plan")),
        "usage_plan_keys": tuple(_plan_key(k) for k in ctx.of("aws_api_gateway_usage_plan_key")),
        "api_keys": tuple(_api_key(k) for k in ctx.of("aws_api_gateway_api_key")),
        "api_authorizers": tuple(_authorizer(a) for a in ctx.of("aws_api_gateway_authorizer"))
        + tuple(from_bodies["api_authorizers"]),
        "api_domain_names": tuple(
            ApiDomainName(id=d.id, name=d.address, ref=d.ref, domain_name=_req(d, "domain_name"))
            for d in ctx.of("aws_api_gateway_domain_name")
        ),
        "api_mappings": tuple(
            _mapping(m, "api_id", "stage_name") for m in ctx.of("aws_api_gateway_base_path_mapping")
        )
        + tuple(_mapping(m, "api_id", "stage") for m in ctx.of("aws_apigatewayv2_api_mapping")),
        "function_urls": tuple(_url(u) for u in ctx.of("aws_lambda_function_url")),
        "lambda_permissions": tuple(_permission(p) for p in ctx.of("aws_lambda_permission")),
        "vpc_endpoints": tuple(_endpoint(ctx, e) for e in ctx.of("aws_vpc_endpoint")),
    }


def _policy(ctx: Ctx, value: Any, ref: SourceRef) -> PolicyDocument | Unknown | None:
    """A policy argument; a whole value that is not known (a variable) stays Unknown."""
    if isinstance(value, str) and has_symbol(value) and not value.lstrip().startswith("{"):
        return Unknown(f"the policy at {ref.display()} is not known before apply", ref)
    return ctx.policy(value, ref)


def _req(i: Instance, key: str) -> MaybeStr:
    return s_req(i.values.get(key), resource_sym(i.id, key))


def _floating(target: object) -> bool:
    """An API id that is neither a literal nor a resource of the run: not known before apply."""
    if isinstance(target, Unknown):
        return True
    return isinstance(target, str) and any(not is_resource_symbol(n) for n in symbols(target))


def _rest_apis(ctx: Ctx) -> list[RestApi]:
    separate = [(_req(p, "rest_api_id"), p) for p in ctx.of("aws_api_gateway_rest_api_policy")]
    # A policy resource whose API is not known (a variable, a module output) may be any API's.
    floating = [p for target, p in separate if _floating(target)]
    out: list[RestApi] = []
    for api in ctx.of("aws_api_gateway_rest_api"):
        v = api.values
        api_id = resource_sym(api.id, "RestApiId")
        body = _body(api)
        policy = _policy(ctx, v.get("policy"), api.at("policy"))
        policy_ref = api.at("policy") if policy is not None else None
        in_body = False
        for target, p in separate:
            if target == api_id:
                policy = _policy(ctx, p.values.get("policy"), p.at("policy"))
                policy_ref = p.at("policy")
        if policy is None and floating:
            policy = Unknown(
                "an aws_api_gateway_rest_api_policy for an unknown API", floating[0].ref
            )
        # The arguments override what the body says (the provider's documented behaviour).
        if policy is None and isinstance(body, Unknown):
            policy = Unknown("the OpenAPI body may hold the resource policy", api.ref)
        elif policy is None and isinstance(body, OpenApiBody) and body.has_policy:
            policy_ref, in_body = _body_ref(api, (POLICY,)), True
            policy = ctx.policy(body.data.get(POLICY), policy_ref)
        conf = block(v, "endpoint_configuration")
        types: tuple[str, ...] | Unknown = ("EDGE",)
        vpce: tuple[str, ...] | Unknown = ()
        if isinstance(conf, Unknown):
            types = vpce = conf
        elif isinstance(conf, dict):
            types = strs(conf.get("types")) or ("EDGE",)
            vpce = strs(conf.get("vpc_endpoint_ids"))
        disabled = b(v.get("disable_execute_api_endpoint"), False)
        vpce, disabled, source = with_body(
            body,
            (
                vpce,
                disabled if disabled is not None else False,
                s(v.get("api_key_source")) or "HEADER",
            ),
            disabled_set=v.get("disable_execute_api_endpoint") is not None,
            source_set=v.get("api_key_source") is not None,
            ref=api.ref,
        )
        out.append(
            RestApi(
                id=api.id,
                name=api.address,
                ref=api.ref,
                api_id=api_id,
                account=A,
                region=R,
                policy=policy,
                policy_ref=policy_ref,
                policy_in_body=in_body,
                endpoint_types=types,
                vpc_endpoint_ids=vpce,
                disable_execute_api_endpoint=disabled,
                api_key_source=source,
                unknown_methods=body if isinstance(body, Unknown) else None,
            )
        )
    return out


def _body(api: Instance) -> OpenApiBody | Unknown | None:
    """The OpenAPI `body`: jsonencode({...}) or JSON text; file() / templatefile() are unknown."""
    value = api.values.get("body")
    if value is None:
        return None
    return read_body(value.data if isinstance(value, JsonEncoded) else value, api.address)


def _body_ref(api: Instance, keys: DocPath) -> SourceRef:
    """The position of `keys` inside the body (a jsonencode() argument keeps its lines)."""
    value = api.values.get("body")
    at = api.at("body")
    spans = value.spans if isinstance(value, JsonEncoded) else {}
    p = keys
    while p and p not in spans:
        p = p[:-1]
    span = spans.get(p) if p else None
    return SourceRef(at.file, (*at.path, *keys), span or at.span)


def _body_elements(ctx: Ctx) -> dict[str, list[Any]]:
    """The methods and authorizers of the APIs' OpenAPI bodies, by model field."""
    out: dict[str, list[Any]] = {"api_methods": [], "api_authorizers": []}
    for api in ctx.of("aws_api_gateway_rest_api"):
        body = _body(api)
        if not isinstance(body, OpenApiBody):
            continue
        for field, element in body_elements(
            body,
            owner=api.id,
            name=api.address,
            api_id=resource_sym(api.id, "RestApiId"),
            params=api.values.get("parameters"),
            at=functools.partial(_body_ref, api),
        ):
            out[field].append(element)
    return out


def _method(m: Instance) -> ApiMethod:
    v = m.values
    required = b(v.get("api_key_required"), False)
    return ApiMethod(
        id=m.id,
        name=m.address,
        ref=m.ref,
        api_id=_req(m, "rest_api_id"),
        http_method=_req(m, "http_method"),
        authorization_type=s(v.get("authorization")) or "NONE",
        api_key_required=required if required is not None else False,
        authorizer_id=s(v.get("authorizer_id")),
    )


def _stage(i: Instance) -> ApiStage | None:
    name = s(i.values.get("stage_name"))
    if name is None:
        return None
    return ApiStage(
        id=i.id, name=i.address, ref=i.ref, api_id=_req(i, "rest_api_id"), stage_name=name
    )


def _usage_plan(p: Instance) -> UsagePlan:
    items = blocks(p.values, "api_stages")
    stages: tuple[tuple[MaybeStr, MaybeStr], ...] | Unknown
    if isinstance(items, Unknown):
        stages = items
    else:
        stages = tuple(
            (
                s_req(x.get("api_id"), resource_sym(p.id, "api_id")),
                s_req(x.get("stage"), resource_sym(p.id, "stage")),
            )
            for x in items
        )
    plan_id = resource_sym(p.id, "Id")
    return UsagePlan(id=p.id, name=p.address, ref=p.ref, plan_id=plan_id, api_stages=stages)


def _plan_key(k: Instance) -> UsagePlanKey:
    return UsagePlanKey(
        id=k.id,
        name=k.address,
        ref=k.ref,
        plan_id=_req(k, "usage_plan_id"),
        key_id=_req(k, "key_id"),
    )


def _api_key(k: Instance) -> ApiKey:
    enabled = b(k.values.get("enabled"), True)
    return ApiKey(
        id=k.id,
        name=k.address,
        ref=k.ref,
        key_id=resource_sym(k.id, "APIKeyId"),
        enabled=enabled if enabled is not None else True,
    )


def _authorizer(a: Instance) -> ApiAuthorizer:
    return ApiAuthorizer(
        id=a.id,
        name=a.address,
        ref=a.ref,
        authorizer_id=resource_sym(a.id, "AuthorizerId"),
        api_id=_req(a, "rest_api_id"),
        type=s(a.values.get("type")) or "TOKEN",
    )


def _mapping(m: Instance, api_key: str, stage_key: str) -> ApiMapping:
    return ApiMapping(
        id=m.id,
        name=m.address,
        ref=m.ref,
        domain_name=_req(m, "domain_name"),
        api_id=_req(m, api_key),
        stage=s(m.values.get(stage_key)),
    )


def _url(u: Instance) -> FunctionUrl:
    url_id = resource_sym(u.id, "UrlId")
    return FunctionUrl(
        id=u.id,
        name=u.address,
        ref=u.ref,
        target_function=_req(u, "function_name"),
        auth_type=_req(u, "authorization_type"),
        qualifier=s(u.values.get("qualifier")),
        url=f"https://{url_id}.lambda-url.{R}.on.aws/",
    )


def _permission(p: Instance) -> LambdaPermission:
    v = p.values
    return LambdaPermission(
        id=p.id,
        name=p.address,
        ref=p.ref,
        function=_req(p, "function_name"),
        action=_req(p, "action"),
        principal=_req(p, "principal"),
        source_arn=s(v.get("source_arn")),
        source_account=s(v.get("source_account")),
        function_url_auth_type=s(v.get("function_url_auth_type")),
        qualifier=s(v.get("qualifier")),
    )


def _endpoint(ctx: Ctx, e: Instance) -> VpcEndpoint:
    v = e.values
    dns = b(v.get("private_dns_enabled"), False)
    ep = VpcEndpoint(
        id=e.id,
        name=e.address,
        ref=e.ref,
        endpoint_id=resource_sym(e.id, "Id"),
        service_name=_req(e, "service_name"),
        endpoint_type=s(v.get("vpc_endpoint_type")) or "Gateway",
        vpc_id=s(v.get("vpc_id")),
        private_dns_enabled=dns if dns is not None else False,
        route_table_ids=strs(v.get("route_table_ids")),
        subnet_ids=strs(v.get("subnet_ids")),
    )
    return replace(ep, policy=_policy(ctx, v.get("policy"), e.at("policy")))
