"""CloudFront distributions, OACs, OAIs and origin request policies."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from policylint.cfn import returns
from policylint.cfn.common import BrokenResource
from policylint.model.cloudfront import (
    Behavior,
    CustomErrorResponse,
    Distribution,
    GeoRestriction,
    Origin,
    OriginAccessControl,
    OriginAccessIdentity,
    OriginRequestPolicy,
)
from policylint.values import Unknown, resource_sym

if TYPE_CHECKING:
    from policylint.cfn.common import Res

Element = tuple[str, Any]
DC = "DistributionConfig"


def distribution(res: Res) -> Iterator[Element]:
    """A Distribution with everything of DistributionConfig that the model holds."""
    env = res.env
    config = res.mapping(DC)
    if config is None:
        raise BrokenResource(f"{res.logical} needs a DistributionConfig", res.base)
    if isinstance(config, Unknown):
        raise BrokenResource(f"the DistributionConfig of {res.logical} is unresolved", res.base)
    default = res.mapping(DC, "DefaultCacheBehavior")
    web_acl = res.string(DC, "WebACLId")
    enabled = res.boolean(DC, "Enabled")
    yield (
        "distributions",
        Distribution(
            id=res.id,
            name=res.name,
            ref=res.ref,
            distribution_id=resource_sym(res.id, "Id"),
            arn=returns.distribution_arn(env, res.id),
            domain_name=resource_sym(res.id, "DomainName"),
            account=env.account,
            origins=_origins(res),
            default_behavior=_behavior(res, (DC, "DefaultCacheBehavior"), None)
            if isinstance(default, dict)
            else None,
            behaviors=_behaviors(res),
            default_root_object=res.string(DC, "DefaultRootObject"),
            web_acl_id=web_acl,
            web_acl_ref=res.at(DC, "WebACLId") if web_acl is not None else None,
            aliases=res.strings(DC, "Aliases"),
            custom_error_responses=_error_responses(res),
            geo_restriction=_geo(res),
            ipv6_enabled=res.boolean(DC, "IPV6Enabled"),
            enabled=True if enabled is None else enabled,
            viewer_certificate_arn=res.string(DC, "ViewerCertificate", "AcmCertificateArn"),
            minimum_protocol_version=res.string(DC, "ViewerCertificate", "MinimumProtocolVersion"),
        ),
    )


def _origins(res: Res) -> tuple[Origin, ...] | Unknown:
    items = res.items(DC, "Origins")
    if isinstance(items, Unknown):
        return items
    out: list[Origin] = []
    for i in range(len(items)):
        key = (DC, "Origins", i)
        headers = res.items(*key, "OriginCustomHeaders")
        pairs: tuple[tuple[str | Unknown, str | Unknown], ...] = ()
        if not isinstance(headers, Unknown):
            pairs = tuple(
                (
                    res.string(*key, "OriginCustomHeaders", j, "HeaderName") or "",
                    res.string(*key, "OriginCustomHeaders", j, "HeaderValue") or "",
                )
                for j in range(len(headers))
            )
        out.append(
            Origin(
                ref=res.at(*key),
                origin_id=res.string(*key, "Id") or "",
                domain_name=res.string(*key, "DomainName") or "",
                origin_path=res.string(*key, "OriginPath"),
                oac_id=res.string(*key, "OriginAccessControlId") or None,
                oai=res.string(*key, "S3OriginConfig", "OriginAccessIdentity") or None,
                s3_origin_config=res.get(*key, "S3OriginConfig") is not None,
                custom_origin_config=res.get(*key, "CustomOriginConfig") is not None,
                origin_protocol_policy=res.string(
                    *key, "CustomOriginConfig", "OriginProtocolPolicy"
                ),
                custom_headers=pairs,
            )
        )
    return tuple(out)


def _behaviors(res: Res) -> tuple[Behavior, ...] | Unknown:
    items = res.items(DC, "CacheBehaviors")
    if isinstance(items, Unknown):
        return items
    out = []
    for i in range(len(items)):
        key = (DC, "CacheBehaviors", i)
        out.append(_behavior(res, key, res.string(*key, "PathPattern") or ""))
    return tuple(out)


def _behavior(res: Res, key: tuple[str | int, ...], pattern: str | Unknown | None) -> Behavior:
    methods = res.strings(*key, "AllowedMethods")
    events: list[str] = []
    for assoc in ("FunctionAssociations", "LambdaFunctionAssociations"):
        items = res.items(*key, assoc)
        if not isinstance(items, Unknown):
            for j in range(len(items)):
                event = res.text(*key, assoc, j, "EventType")
                if event:
                    events.append(event)
    return Behavior(
        ref=res.at(*key),
        path_pattern=pattern,
        target_origin_id=res.string(*key, "TargetOriginId") or "",
        viewer_protocol_policy=res.string(*key, "ViewerProtocolPolicy"),
        allowed_methods=methods if methods else ("GET", "HEAD"),
        trusted_key_groups=res.strings(*key, "TrustedKeyGroups"),
        trusted_signers=res.strings(*key, "TrustedSigners"),
        origin_request_policy_id=res.string(*key, "OriginRequestPolicyId"),
        cache_policy_id=res.string(*key, "CachePolicyId"),
        forwarded_headers=res.strings(*key, "ForwardedValues", "Headers"),
        function_associations=tuple(events),
    )


def _error_responses(res: Res) -> tuple[CustomErrorResponse, ...] | Unknown:
    items = res.items(DC, "CustomErrorResponses")
    if isinstance(items, Unknown):
        return items
    out = []
    for i in range(len(items)):
        key = (DC, "CustomErrorResponses", i)
        code = res.integer(*key, "ErrorCode")
        out.append(
            CustomErrorResponse(
                ref=res.at(*key),
                error_code=code if code is not None else 0,
                response_code=res.integer(*key, "ResponseCode"),
                response_page_path=res.string(*key, "ResponsePagePath"),
            )
        )
    return tuple(out)


def _geo(res: Res) -> GeoRestriction | None:
    key = (DC, "Restrictions", "GeoRestriction")
    if res.get(*key) is None:
        return None
    return GeoRestriction(
        ref=res.at(*key),
        restriction_type=res.string(*key, "RestrictionType") or "none",
        locations=res.strings(*key, "Locations"),
    )


def oac(res: Res) -> Iterator[Element]:
    key = "OriginAccessControlConfig"
    yield (
        "oacs",
        OriginAccessControl(
            id=res.id,
            name=res.name,
            ref=res.ref,
            oac_id=resource_sym(res.id, "Id"),
            origin_type=res.string(key, "OriginAccessControlOriginType") or "s3",
            signing_behavior=res.string(key, "SigningBehavior") or "always",
            signing_protocol=res.string(key, "SigningProtocol") or "sigv4",
        ),
    )


def oai(res: Res) -> Iterator[Element]:
    oai_id = resource_sym(res.id, "Id")
    yield (
        "oais",
        OriginAccessIdentity(
            id=res.id,
            name=res.name,
            ref=res.ref,
            oai_id=oai_id,
            canonical_user_id=resource_sym(res.id, "S3CanonicalUserId"),
            iam_arn=f"arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity {oai_id}",
        ),
    )


def origin_request_policy(res: Res) -> Iterator[Element]:
    key = ("OriginRequestPolicyConfig", "HeadersConfig")
    yield (
        "origin_request_policies",
        OriginRequestPolicy(
            id=res.id,
            name=res.name,
            ref=res.ref,
            policy_id=resource_sym(res.id, "Id"),
            header_behavior=res.string(*key, "HeaderBehavior"),
            headers=res.strings(*key, "Headers"),
        ),
    )


HANDLERS = {
    "AWS::CloudFront::Distribution": distribution,
    "AWS::CloudFront::OriginAccessControl": oac,
    "AWS::CloudFront::CloudFrontOriginAccessIdentity": oai,
    "AWS::CloudFront::OriginRequestPolicy": origin_request_policy,
}
