"""CloudFront distributions, origin access controls / identities, origin request policies."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from policylint.model import (
    Behavior,
    CustomErrorResponse,
    Distribution,
    GeoRestriction,
    Origin,
    OriginAccessControl,
    OriginAccessIdentity,
    OriginRequestPolicy,
)
from policylint.terraform import attributes as attrs
from policylint.terraform.common import b, i, s, s_req, strs
from policylint.terraform.instances import block, blocks, known
from policylint.values import Unknown, resource_sym

if TYPE_CHECKING:
    from policylint.terraform.common import Ctx
    from policylint.terraform.instances import Instance


def normalize_cloudfront(
    ctx: Ctx,
) -> tuple[
    list[Distribution],
    list[OriginAccessControl],
    list[OriginAccessIdentity],
    list[OriginRequestPolicy],
]:
    dists = [_distribution(d) for d in ctx.of("aws_cloudfront_distribution")]
    oacs = [
        OriginAccessControl(
            id=o.id,
            name=o.address,
            ref=o.ref,
            oac_id=known(o, "id") or resource_sym(o.id, "Id"),
            origin_type=s_req(o.values.get("origin_access_control_origin_type")),
            signing_behavior=s_req(o.values.get("signing_behavior")),
            signing_protocol=s_req(o.values.get("signing_protocol"), "sigv4"),
        )
        for o in ctx.of("aws_cloudfront_origin_access_control")
    ]
    oais = []
    for o in ctx.of("aws_cloudfront_origin_access_identity"):
        v = attrs.oai_values(o.id)
        if known(o, "id"):  # a plan of an existing identity
            v = {k: known(o, k) or v[k] for k in v}
        oais.append(
            OriginAccessIdentity(
                id=o.id,
                name=o.address,
                ref=o.ref,
                oai_id=v["id"],
                canonical_user_id=v["s3_canonical_user_id"],
                iam_arn=v["iam_arn"],
            )
        )
    orps = [_origin_request_policy(p) for p in ctx.of("aws_cloudfront_origin_request_policy")]
    return dists, oacs, oais, orps


def _distribution(d: Instance) -> Distribution:
    v = d.values
    origins = blocks(v, "origin")
    ordered = blocks(v, "ordered_cache_behavior")
    default = block(v, "default_cache_behavior")
    errors = blocks(v, "custom_error_response")
    restrictions = block(v, "restrictions")
    geo = block(restrictions, "geo_restriction") if isinstance(restrictions, dict) else None
    web_acl = v.get("web_acl_id")
    cert = block(v, "viewer_certificate")
    return Distribution(
        id=d.id,
        name=d.address,
        ref=d.ref,
        distribution_id=known(d, "id") or attrs.distribution_id(d.id),
        arn=known(d, "arn") or attrs.distribution_arn(d.id),
        domain_name=known(d, "domain_name") or resource_sym(d.id, "DomainName"),
        account=attrs.A,
        origins=origins
        if isinstance(origins, Unknown)
        else tuple(_origin(o, d, n) for n, o in enumerate(origins)),
        default_behavior=_behavior(default, d, ("default_cache_behavior", 0))
        if isinstance(default, dict)
        else None,
        behaviors=ordered
        if isinstance(ordered, Unknown)
        else tuple(_behavior(x, d, ("ordered_cache_behavior", n)) for n, x in enumerate(ordered)),
        default_root_object=s(v.get("default_root_object")) or None,
        web_acl_id=s(web_acl) or None,
        web_acl_ref=d.at("web_acl_id") if web_acl else None,
        aliases=strs(v.get("aliases")),
        custom_error_responses=errors
        if isinstance(errors, Unknown)
        else tuple(
            CustomErrorResponse(
                ref=d.at("custom_error_response", n),
                error_code=i(e.get("error_code")),
                response_code=i(e["response_code"]) if e.get("response_code") is not None else None,
                response_page_path=s(e.get("response_page_path")),
            )
            for n, e in enumerate(errors)
        ),
        geo_restriction=_geo(geo, d),
        ipv6_enabled=b(v.get("is_ipv6_enabled")),
        enabled=b(v.get("enabled"), True),  # type: ignore[arg-type]
        viewer_certificate_arn=_cert_field(cert, "acm_certificate_arn"),
        minimum_protocol_version=_cert_field(cert, "minimum_protocol_version"),
    )


def _cert_field(cert: Any, key: str) -> str | Unknown | None:
    """A viewer_certificate argument (None if absent or empty)."""
    if isinstance(cert, Unknown):
        return cert
    return (s(cert.get(key)) or None) if isinstance(cert, dict) else None


def _geo(geo: Any, d: Instance) -> GeoRestriction | None:
    if not isinstance(geo, dict):
        return None
    return GeoRestriction(
        ref=d.at("restrictions", 0, "geo_restriction", 0),
        restriction_type=s_req(geo.get("restriction_type"), "none"),
        locations=strs(geo.get("locations")),
    )


def _origin(o: dict[str, Any], d: Instance, n: int) -> Origin:
    s3 = block(o, "s3_origin_config")
    custom = block(o, "custom_origin_config")
    headers = blocks(o, "custom_header")
    return Origin(
        ref=d.at("origin", n),
        origin_id=s_req(o.get("origin_id")),
        domain_name=s_req(o.get("domain_name")),
        origin_path=s(o.get("origin_path")),
        oac_id=s(o.get("origin_access_control_id")) or None,
        oai=(s(s3.get("origin_access_identity")) or None) if isinstance(s3, dict) else None,
        s3_origin_config=s3 is not None,
        custom_origin_config=custom is not None,
        origin_protocol_policy=s(custom.get("origin_protocol_policy"))
        if isinstance(custom, dict)
        else None,
        custom_headers=()
        if isinstance(headers, Unknown)
        else tuple((s_req(h.get("name")), s_req(h.get("value"))) for h in headers),
    )


def _behavior(x: dict[str, Any], d: Instance, path: tuple[str, int]) -> Behavior:
    fwd = block(x, "forwarded_values")
    headers: tuple[str, ...] | Unknown = ()
    if isinstance(fwd, Unknown):
        headers = fwd
    elif fwd is not None:
        headers = strs(fwd.get("headers"))
    events: list[str] = []
    for key in ("function_association", "lambda_function_association"):
        fa = blocks(x, key)
        if not isinstance(fa, Unknown):
            events.extend(str(f.get("event_type")) for f in fa if f.get("event_type"))
    allowed = (
        strs(x.get("allowed_methods")) if x.get("allowed_methods") is not None else ("GET", "HEAD")
    )
    return Behavior(
        ref=d.at(*path),
        path_pattern=s(x.get("path_pattern")),
        target_origin_id=s_req(x.get("target_origin_id")),
        viewer_protocol_policy=s(x.get("viewer_protocol_policy")),
        allowed_methods=allowed,
        trusted_key_groups=strs(x.get("trusted_key_groups")),
        trusted_signers=strs(x.get("trusted_signers")),
        origin_request_policy_id=s(x.get("origin_request_policy_id")) or None,
        cache_policy_id=s(x.get("cache_policy_id")) or None,
        forwarded_headers=headers,
        function_associations=tuple(events),
    )


def _origin_request_policy(p: Instance) -> OriginRequestPolicy:
    hc = block(p.values, "headers_config")
    behavior: str | Unknown | None = None
    headers: tuple[str, ...] | Unknown = ()
    if isinstance(hc, Unknown):
        behavior, headers = hc, hc
    elif hc is not None:
        behavior = s(hc.get("header_behavior"))
        items = block(hc, "headers")
        headers = items if isinstance(items, Unknown) else strs((items or {}).get("items"))
    return OriginRequestPolicy(
        id=p.id,
        name=p.address,
        ref=p.ref,
        policy_id=resource_sym(p.id, "Id"),
        header_behavior=behavior,
        headers=headers,
    )
