"""REST API methods and authorizers from a CloudFormation OpenAPI `Body` (SAM's DefinitionBody
after the transform); `BodyS3Location` and unresolvable bodies are unknown."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from policylint.apigw_openapi import POLICY, OpenApiBody, read_body
from policylint.values import Unknown

if TYPE_CHECKING:
    from policylint.cfn.common import Res
    from policylint.model.apigw import RestApi
    from policylint.policy.document import PolicyDocument
    from policylint.source import DocPath, SourceRef

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
    from policylint.apigw_body_model import body_elements as elements

    def at(keys: DocPath) -> SourceRef:
        return res.at("Body", *keys)

    params = res.get("Parameters")
    yield from elements(body, owner=res.id, name=res.name, api_id=api.api_id, params=params, at=at)
