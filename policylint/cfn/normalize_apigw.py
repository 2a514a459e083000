"""API Gateway REST APIs, Lambda function URLs and permissions, VPC endpoints (CloudFormation).

Identifiers are computed with the template's own resolver (`_ref` / `_getatt`), so that a
usage plan's `ApiId: !Ref Api` and the API's own id are the same string. `cfn_return` is the
part of `returns` for these types (what `Ref` and `Fn::GetAtt` give).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from policylint.apigw_body_model import with_body
from policylint.apigw_openapi import OpenApiBody
from policylint.cfn.normalize_network import id_list
from policylint.cfn.openapi import body_elements, body_policy, policy_ref, read_cfn_body
from policylint.model.apigw import (
    ApiAuthorizer,
    ApiDeployment,
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
from policylint.values import Unknown, resource_sym

if TYPE_CHECKING:
    from policylint.cfn.common import Res
    from policylint.cfn.returns import Env
    from policylint.policy.document import PolicyDocument

Element = tuple[str, Any]
MaybeStr = str | Unknown


def _req(res: Res, *keys: str | int) -> MaybeStr:
    value = res.string(*keys)
    if value is not None:
        return value
    return Unknown(f"{'.'.join(map(str, keys))} is not set", res.ref)


def rest_api(res: Res) -> Iterator[Element]:
    body = read_cfn_body(res)
    in_body = res.get("Policy") is None and isinstance(body, OpenApiBody) and body.has_policy
    policy: PolicyDocument | Unknown | None = None
    if res.get("Policy") is not None:
        policy = res.policy("Policy", name=f"{res.name}.Policy")
    elif isinstance(body, Unknown):  # an OpenAPI file may carry x-amazon-apigateway-policy
        policy = Unknown("the OpenAPI definition may hold the resource policy", res.ref)
    elif in_body and isinstance(body, OpenApiBody):
        policy = body_policy(res, body)
    types = res.strings("EndpointConfiguration", "Types")
    if not types and not isinstance(types, Unknown):
        param = res.string("Parameters", "endpointConfigurationTypes")
        types = ("EDGE",) if param is None else param if isinstance(param, Unknown) else (param,)
    ids, disabled, source = with_body(
        body,
        (
            res.strings("EndpointConfiguration", "VpcEndpointIds"),
            _flag(res, "DisableExecuteApiEndpoint", False),
            res.string("ApiKeySourceType") or "HEADER",
        ),
        disabled_set=res.get("DisableExecuteApiEndpoint") is not None,
        source_set=res.get("ApiKeySourceType") is not None,
        ref=res.ref,
    )
    api = RestApi(
        id=res.id,
        name=res.name,
        ref=res.ref,
        api_id=res.own_ref(),
        account=res.env.account,
        region=res.env.region,
        policy=policy,
        policy_ref=policy_ref(res, body),
        policy_in_body=in_body,
        endpoint_types=types,
        vpc_endpoint_ids=ids,
        disable_execute_api_endpoint=disabled,
        api_key_source=source,
        unknown_methods=body if isinstance(body, Unknown) else None,
    )
    yield "rest_apis", api
    if isinstance(body, OpenApiBody):
        yield from body_elements(res, api, body)


def _flag(res: Res, key: str, default: bool | None) -> bool | Unknown:
    value = res.boolean(key)
    if value is None:
        return default if default is not None else Unknown(f"{key} is not set", res.ref)
    return value


def method(res: Res) -> Iterator[Element]:
    yield (
        "api_methods",
        ApiMethod(
            id=res.id,
            name=res.name,
            ref=res.ref,
            api_id=_req(res, "RestApiId"),
            http_method=_req(res, "HttpMethod"),
            authorization_type=res.string("AuthorizationType") or "NONE",
            api_key_required=_flag(res, "ApiKeyRequired", False),
            authorizer_id=res.string("AuthorizerId"),
        ),
    )


def stage(res: Res) -> Iterator[Element]:
    api, name = _req(res, "RestApiId"), _req(res, "StageName")
    yield "api_stages", ApiStage(id=res.id, name=res.name, ref=res.ref, api_id=api, stage_name=name)


def deployment(res: Res) -> Iterator[Element]:
    """A Deployment (never replaced when the API's Policy changes); with StageName, a stage.

    SAM names the Deployments it generates after a hash of the OpenAPI body, resource policy
    included, so a policy change there makes a new deployment."""
    api = _req(res, "RestApiId")
    sam = _from_sam(res)
    yield (
        "api_deployments",
        ApiDeployment(
            id=res.id,
            name=res.name,
            ref=res.ref,
            api_id=api,
            redeploys_on_policy=sam,
            redeploys_on_body=sam,
        ),
    )
    name = res.string("StageName")
    if name is None:
        return
    # SAM's fixed stage "Stage" (no OpenApiVersion set) is not the stage the API is used with.
    artifact = sam and name == "Stage"
    stage = ApiStage(
        id=res.id, name=res.name, ref=res.ref, api_id=api, stage_name=name, sam_artifact=artifact
    )
    yield "api_stages", stage


def _from_sam(res: Res) -> bool:
    from policylint.cfn.sam import SAM_ID_KEY

    metadata = res.t.resources[res.logical].get("Metadata")
    return isinstance(metadata, dict) and SAM_ID_KEY in metadata


def usage_plan(res: Res) -> Iterator[Element]:
    stages: list[tuple[MaybeStr, MaybeStr]] = []
    items = res.items("ApiStages")
    if not isinstance(items, Unknown):
        for i, item in enumerate(items):
            if isinstance(item, Unknown):
                items = item
                break
            stages.append((_req(res, "ApiStages", i, "ApiId"), _req(res, "ApiStages", i, "Stage")))
    yield (
        "usage_plans",
        UsagePlan(
            id=res.id,
            name=res.name,
            ref=res.ref,
            plan_id=res.own_ref(),
            api_stages=items if isinstance(items, Unknown) else tuple(stages),
        ),
    )


def usage_plan_key(res: Res) -> Iterator[Element]:
    plan, key = _req(res, "UsagePlanId"), _req(res, "KeyId")
    yield (
        "usage_plan_keys",
        UsagePlanKey(id=res.id, name=res.name, ref=res.ref, plan_id=plan, key_id=key),
    )


def api_key(res: Res) -> Iterator[Element]:
    stage_keys: list[tuple[MaybeStr, MaybeStr]] = []
    items = res.items("StageKeys")
    for i in range(0 if isinstance(items, Unknown) else len(items)):
        stage_keys.append(
            (_req(res, "StageKeys", i, "RestApiId"), _req(res, "StageKeys", i, "StageName"))
        )
    # Enabled: CreateApiKey's default is false; we do not guess when it is absent.
    yield (
        "api_keys",
        ApiKey(
            id=res.id,
            name=res.name,
            ref=res.ref,
            key_id=res.own_ref(),
            enabled=_flag(res, "Enabled", None),
            stage_keys=tuple(stage_keys),
        ),
    )


def authorizer(res: Res) -> Iterator[Element]:
    yield (
        "api_authorizers",
        ApiAuthorizer(
            id=res.id,
            name=res.name,
            ref=res.ref,
            authorizer_id=res.own_ref(),
            api_id=_req(res, "RestApiId"),
            type=_req(res, "Type"),
        ),
    )


def domain_name(res: Res) -> Iterator[Element]:
    name = res.string("DomainName") or Unknown("DomainName is not set", res.ref)
    yield "api_domain_names", ApiDomainName(id=res.id, name=res.name, ref=res.ref, domain_name=name)


def _mapping(api_key: str) -> Callable[[Res], Iterator[Element]]:
    """A REST BasePathMapping (`RestApiId`) or an ApiGatewayV2 ApiMapping (`ApiId`)."""

    def build(res: Res) -> Iterator[Element]:
        yield (
            "api_mappings",
            ApiMapping(
                id=res.id,
                name=res.name,
                ref=res.ref,
                domain_name=_req(res, "DomainName"),
                api_id=_req(res, api_key),
                stage=res.string("Stage"),
            ),
        )

    return build


def function_url(res: Res) -> Iterator[Element]:
    yield (
        "function_urls",
        FunctionUrl(
            id=res.id,
            name=res.name,
            ref=res.ref,
            target_function=_req(res, "TargetFunctionArn"),
            auth_type=_req(res, "AuthType"),
            qualifier=res.string("Qualifier"),
            url=res.own_getatt("FunctionUrl"),
        ),
    )


def permission(res: Res) -> Iterator[Element]:
    yield (
        "lambda_permissions",
        LambdaPermission(
            id=res.id,
            name=res.name,
            ref=res.ref,
            function=_req(res, "FunctionName"),
            action=_req(res, "Action"),
            principal=_req(res, "Principal"),
            source_arn=res.string("SourceArn"),
            source_account=res.string("SourceAccount"),
            function_url_auth_type=res.string("FunctionUrlAuthType"),
        ),
    )


def vpc_endpoint(res: Res) -> Iterator[Element]:
    policy = res.get("PolicyDocument")
    yield (
        "vpc_endpoints",
        VpcEndpoint(
            id=res.id,
            name=res.name,
            ref=res.ref,
            endpoint_id=res.own_ref(),
            service_name=_req(res, "ServiceName"),
            endpoint_type=res.string("VpcEndpointType") or "Gateway",
            vpc_id=res.string("VpcId"),
            private_dns_enabled=_flag(res, "PrivateDnsEnabled", None),
            policy=None if policy is None else res.policy("PolicyDocument", name=res.name),
            route_table_ids=id_list(res, "RouteTableIds"),
            subnet_ids=id_list(res, "SubnetIds"),
        ),
    )


HANDLERS = {
    "AWS::ApiGateway::RestApi": rest_api,
    "AWS::ApiGateway::Method": method,
    "AWS::ApiGateway::Stage": stage,
    "AWS::ApiGateway::Deployment": deployment,
    "AWS::ApiGateway::UsagePlan": usage_plan,
    "AWS::ApiGateway::UsagePlanKey": usage_plan_key,
    "AWS::ApiGateway::ApiKey": api_key,
    "AWS::ApiGateway::Authorizer": authorizer,
    "AWS::ApiGateway::DomainName": domain_name,
    "AWS::ApiGateway::BasePathMapping": _mapping("RestApiId"),
    "AWS::ApiGatewayV2::ApiMapping": _mapping("ApiId"),
    "AWS::Lambda::Url": function_url,
    "AWS::Lambda::Permission": permission,
    "AWS::EC2::VPCEndpoint": vpc_endpoint,
}


# --- Ref / Fn::GetAtt of these types (hooked into `policylint.cfn.returns`) ---------------

_IDS: dict[str, tuple[str, tuple[str, ...]]] = {
    # type: (symbol attribute, GetAtt names returning the same id)
    "AWS::ApiGateway::RestApi": ("RestApiId", ("RestApiId",)),
    "AWS::ApiGateway::Deployment": ("DeploymentId", ("DeploymentId",)),
    "AWS::ApiGateway::UsagePlan": ("Id", ("Id",)),
    "AWS::ApiGateway::ApiKey": ("APIKeyId", ("APIKeyId",)),
    "AWS::ApiGateway::Authorizer": ("AuthorizerId", ("AuthorizerId",)),
    "AWS::EC2::VPCEndpoint": ("Id", ("Id",)),
}


def _function_name(value: str | None) -> str | None:
    """The function name inside a name, a partial ARN or an ARN (unqualified)."""
    if value is None:
        return None
    from policylint.lambda_refs import function_ref

    return function_ref(value).name


def cfn_return(env: Env, rtype: str, logical: str, owner: str, attr: str | None) -> Any:
    """What `Ref` (attr None) or `Fn::GetAtt` returns for these types; None: not handled."""
    p, r, a = env.partition, env.region, env.account
    if rtype in _IDS:
        sym_attr, same = _IDS[rtype]
        if attr is None or attr in same:
            return resource_sym(owner, sym_attr)
        return None
    if rtype == "AWS::ApiGateway::Stage" and attr is None:
        name = env.prop(logical, "StageName")
        return name if isinstance(name, str) and name else resource_sym(owner, "StageName")
    if rtype == "AWS::ApiGateway::DomainName" and attr is None:
        name = env.prop(logical, "DomainName")
        return name if isinstance(name, str) and name else resource_sym(owner, "DomainName")
    if rtype == "AWS::Lambda::Url":
        if attr == "FunctionUrl":
            return f"https://{resource_sym(owner, 'UrlId')}.lambda-url.{r}.on.aws/"
        if attr == "FunctionArn":
            return env.prop(logical, "TargetFunctionArn")
        return None
    if rtype == "AWS::Lambda::Alias" and attr in (None, "AliasArn"):
        fn = _function_name(env.prop(logical, "FunctionName"))
        alias = env.prop(logical, "Name")
        if fn is None or not isinstance(alias, str) or not alias:
            return None
        return f"arn:{p}:lambda:{r}:{a}:function:{fn}:{alias}"
    return None
