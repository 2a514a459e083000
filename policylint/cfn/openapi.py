"""REST API methods and authorizers from a CloudFormation OpenAPI `Body` (SAM's DefinitionBody
after the transform); `BodyS3Location` and unresolvable bodies are unknown."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from policylint.apigw_openapi import POLICY, OpenApiBody, read_body
from policylint.model.apigw import ApiAuthorizer, ApiMethod
from policylint.values import Unknown, resource_sym

if TYPE_CHECKING:
    from policylint.cfn.common import Res
    from policylint.model.apigw import RestApi
    from policylint.policy.document import PolicyDocument
    from policylint.source import SourceRef

Element = tuple[str, Any]


def read_cfn_body(res: Res) -> OpenApiBody | Unknown | None:
    """The OpenAPI definition: inline `Body`, or Unknown (`BodyS3Location`, intrinsics)."""
    if res.get("BodyS3Location") is not None:
        return Unknown(f"the OpenAPI definition of {res.name} is read from S3", res.at("Body"))
    raw = res.get("Body")
    if raw is None:
        return None
    return read_body(raw, res.name)


def policy_ref(res: Res, body: OpenApiBody | Unknown | None) -> SourceRef | None:
    if res.get("Policy") is not None:
        return res.at("Policy")
    if isinstance(body, OpenApiBody) and body.has_policy:
        return res.at("Body", POLICY)
    return None


def body_policy(res: Res, body: OpenApiBody) -> PolicyDocument | Unknown:
    """The body's x-amazon-apigateway-policy; a `Body` written as JSON text is read decoded."""
    name = f"{res.name}.Body"
    if not isinstance(res.get("Body"), str):
        return res.policy("Body", POLICY, name=name)
    from dataclasses import replace

    from policylint.cfn.common import parse_policy_value
    from policylint.errors import PolicyError
    from policylint.findings import InputProblem

    at = res.at("Body")
    try:
        return replace(parse_policy_value(body.data.get(POLICY), at, res.r), name=name)
    except PolicyError as exc:
        res.t.problems.append(InputProblem(f"{res.logical}: {exc.message}", exc.ref or at))
        return Unknown(f"invalid policy: {exc.message}", exc.ref or at)


def body_elements(res: Res, api: RestApi, body: OpenApiBody) -> Iterator[Element]:
    """The methods and authorizers of an inline OpenAPI definition."""
    # With a basepath import parameter, basePath may be part of every resource path.
    exact = not (body.has_base_path and res.get("Parameters", "basepath") is not None)
    methods = body.methods
    for m in () if isinstance(methods, Unknown) else methods:
        yield (
            "api_methods",
            ApiMethod(
                id=f"{res.id}:{m.verb} {m.path}",
                name=f"{res.name} {m.verb} {m.path}",
                ref=res.at("Body", *m.keys),
                api_id=api.api_id,
                http_method=m.verb,
                authorization_type=m.authorization_type,
                api_key_required=m.api_key_required,
                authorizer_id=_authorizer_id(res, m.authorizer),
                path=m.path if exact else None,
                key_source="its OpenAPI security requires an API key (x-api-key)",
            ),
        )
    for a in body.authorizers:
        yield (
            "api_authorizers",
            ApiAuthorizer(
                id=f"{res.id}:authorizer {a.name}",
                name=f"{res.name} authorizer {a.name}",
                ref=res.at("Body", *a.keys),
                authorizer_id=_authorizer_id(res, a.name) or a.name,
                api_id=api.api_id,
                type=a.type,
            ),
        )


def _authorizer_id(res: Res, scheme: str | None) -> str | None:
    return None if scheme is None else resource_sym(f"{res.id}:authorizer {scheme}", "Id")
