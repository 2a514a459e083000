"""What both loaders build from a read OpenAPI body (`apigw_openapi.read_body`): the API's
methods and authorizers as model elements, and the API settings where the resource's own
arguments and the body's extensions meet."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from policylint.apigw_openapi import OpenApiBody
from policylint.model.apigw import ApiAuthorizer, ApiMethod
from policylint.values import Unknown, resource_sym

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from policylint.apigw_openapi import MaybeStr
    from policylint.source import DocPath, SourceRef

Element = tuple[str, Any]


def body_elements(
    body: OpenApiBody,
    *,
    owner: str,
    name: str,
    api_id: MaybeStr,
    params: Any,
    at: Callable[[DocPath], SourceRef],
) -> Iterator[Element]:
    """The methods and authorizers of API `owner`, named `name`, whose import `params` are
    given (`at` turns a path below the body into a position)."""
    # With a basepath import parameter (or parameters not known), basePath may be part of
    # every resource path.
    exact = not body.has_base_path or (
        params is None or (isinstance(params, dict) and "basepath" not in params)
    )
    for m in () if isinstance(body.methods, Unknown) else body.methods:
        yield (
            "api_methods",
            ApiMethod(
                id=f"{owner}:{m.verb} {m.path}",
                name=f"{name} {m.verb} {m.path}",
                ref=at(m.keys),
                api_id=api_id,
                http_method=m.verb,
                authorization_type=m.authorization_type,
                api_key_required=m.api_key_required,
                authorizer_id=_authorizer_id(owner, m.authorizer),
                path=m.path if exact else None,
                key_source="its OpenAPI security requires an API key (x-api-key)",
            ),
        )
    for a in body.authorizers:
        yield (
            "api_authorizers",
            ApiAuthorizer(
                id=f"{owner}:authorizer {a.name}",
                name=f"{name} authorizer {a.name}",
                ref=at(a.keys),
                authorizer_id=_authorizer_id(owner, a.name) or a.name,
                api_id=api_id,
                type=a.type,
            ),
        )


def _authorizer_id(owner: str, scheme: str | None) -> str | None:
    return None if scheme is None else resource_sym(f"{owner}:authorizer {scheme}", "Id")


EndpointIds = tuple[str, ...] | Unknown


def with_body(
    body: OpenApiBody | Unknown | None,
    settings: tuple[EndpointIds, bool | Unknown, MaybeStr],
    *,
    disabled_set: bool,
    source_set: bool,
    ref: SourceRef,
) -> tuple[EndpointIds, bool | Unknown, MaybeStr]:
    """(VPC endpoint ids, disableExecuteApiEndpoint, API key source) of an API: what the
    resource sets itself wins over the body's extensions."""
    ids, disabled, source = settings
    if isinstance(body, OpenApiBody):
        if not ids and body.vpc_endpoint_ids is not None:
            ids = body.vpc_endpoint_ids
        if not disabled_set and body.disable_execute_api_endpoint:
            disabled = body.disable_execute_api_endpoint
        if not source_set and body.api_key_source is not None:
            source = body.api_key_source
    elif isinstance(body, Unknown) and not source_set:
        source = Unknown("the OpenAPI definition may set the API key source", ref)
    return ids, disabled, source
