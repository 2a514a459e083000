"""API010 sub-check: a key-protected REST API behind CloudFront never receives `x-api-key`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from policylint.checks.common import (
    custom_orp_forwards,
    origin_id,
    origin_trace,
    pattern_of,
    text,
)
from policylint.findings import Hit, Severity, TraceStep
from policylint.graph_types import EndpointKind
from policylint.values import Tri, Unknown

if TYPE_CHECKING:
    from policylint.checks.context import CheckContext
    from policylint.graph_types import OriginView
    from policylint.model import Behavior, RestApi

API_KEY = "x-api-key"
# Managed origin request policies that forward every viewer header (but maybe Host).
_ALL_VIEWER_ORPS = frozenset(
    {
        "216adef6-5c7f-47e4-b989-5492eafa07d3",  # AllViewer
        "33f36d7e-f396-46d9-90e0-52428a34d9dc",  # AllViewerAndCloudFrontHeaders-2022-06
        "b689b0a8-53d0-40ab-baf2-68738e2966ac",  # AllViewerExceptHostHeader
    }
)
# Managed origin request policies that forward named headers, none of them x-api-key.
_OTHER_MANAGED_ORPS = frozenset(
    {
        "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf",  # CORS-S3Origin
        "59781a5b-3903-41f3-afcb-af62929ccde1",  # CORS-CustomOrigin
        "acba4595-bd28-49b8-b9fe-13317c0390fa",  # UserAgentRefererHeaders
        "775133bc-15f2-49f9-abea-afb2e0bf67d2",  # Elemental-MediaTailor-PersonalizedManifests
    }
)
# Managed cache policies that put no header in the cache key (so forward none).
_NO_HEADER_CACHE = frozenset(
    {
        "658327ea-f89d-4fab-a63d-7e88639e58f6",  # CachingOptimized
        "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",  # CachingDisabled
        "b2884449-e4de-46a7-ac36-70bc7f1ddd6d",  # CachingOptimizedForUncompressedObjects
    }
)


def api_of(ctx: CheckContext, view: OriginView) -> RestApi | None:
    """The REST API of the run an apigw origin's domain names (None if none)."""
    dom = view.origin.domain_name
    if view.endpoint.kind is not EndpointKind.APIGW or not isinstance(dom, str):
        return None
    return next((a for a in ctx.model.rest_apis if a.api_id in dom), None)


def _orp_forwards(ctx: CheckContext, orp: str | Unknown | None) -> Tri:
    if orp is None or orp == "":
        return Tri.FALSE
    if not isinstance(orp, str):
        return Tri.MAYBE
    if orp in _ALL_VIEWER_ORPS:
        return Tri.TRUE
    if orp in _OTHER_MANAGED_ORPS:
        return Tri.FALSE
    return custom_orp_forwards(ctx.model, orp, API_KEY)


def forwards_api_key(ctx: CheckContext, beh: Behavior) -> Tri:
    """Does the behavior forward the viewer's x-api-key header to the origin?"""
    result = _orp_forwards(ctx, beh.origin_request_policy_id)
    cache = beh.cache_policy_id
    if isinstance(cache, Unknown) or (isinstance(cache, str) and cache):
        result = result | (Tri.FALSE if cache in _NO_HEADER_CACHE else Tri.MAYBE)
    legacy = beh.forwarded_headers
    if isinstance(legacy, Unknown):
        return result | Tri.MAYBE
    return result | Tri.of(any(h == "*" or h.lower() == API_KEY for h in legacy))


def sets_api_key(view: OriginView) -> Tri:
    """Does the origin set x-api-key as a custom origin header?"""
    result = Tri.FALSE
    for name, _ in view.origin.custom_headers:
        if not isinstance(name, str):
            result = result | Tri.MAYBE
        elif name.lower() == API_KEY:
            return Tri.TRUE
    return result


def origin_key_hits(ctx: CheckContext, api: RestApi, names: str) -> Iterator[Hit]:
    """Warnings for CloudFront behaviors that send no x-api-key to this key-protected API."""
    for view in ctx.graph.origins():
        if api_of(ctx, view) is not api or sets_api_key(view) is not Tri.FALSE:
            continue
        for beh in view.behaviors:
            if forwards_api_key(ctx, beh) is not Tri.FALSE:
                continue
            d = view.distribution
            msg = (
                f"behavior {pattern_of(beh)} of distribution {d.name} sends requests to API "
                f"{api.name} (origin {origin_id(view)}), whose methods {names} require an API "
                "key, but neither forwards the viewer's x-api-key header nor sets it as an origin "
                "custom header: API Gateway answers 403 Forbidden"
            )
            yield Hit(
                ref=beh.ref,
                resource=api.name,
                message=msg,
                fix="Forward x-api-key with an origin request policy (HeaderBehavior whitelist "
                "with x-api-key, or the managed AllViewerExceptHostHeader policy), or set it in "
                "the origin's OriginCustomHeaders (custom_header).",
                key=f"{api.name}|{d.name}|{pattern_of(beh)}|x-api-key",
                trace=(
                    *origin_trace(view),
                    TraceStep(
                        f"behavior {pattern_of(beh)} forwards no x-api-key "
                        f"(origin request policy {text(beh.origin_request_policy_id or 'none')})",
                        beh.ref,
                        denies=True,
                    ),
                ),
                severity=Severity.WARNING,
            )
