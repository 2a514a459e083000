"""CloudFront distributions, origins, behaviors and origin identities."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from policylint.values import Unknown

if TYPE_CHECKING:
    from policylint.source import SourceRef

MaybeStr = str | Unknown


@dataclass(frozen=True, slots=True, kw_only=True)
class Origin:
    ref: SourceRef
    origin_id: MaybeStr
    domain_name: MaybeStr  # resolved (e.g. "<bucket>.s3.<region>.amazonaws.com")
    origin_path: MaybeStr | None = None
    oac_id: MaybeStr | None = None  # OriginAccessControlId as resolved
    oai: MaybeStr | None = None  # S3OriginConfig.OriginAccessIdentity as resolved
    s3_origin_config: bool = False
    custom_origin_config: bool = False
    origin_protocol_policy: MaybeStr | None = None
    custom_headers: tuple[tuple[MaybeStr, MaybeStr], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Behavior:
    ref: SourceRef
    path_pattern: MaybeStr | None  # None for the default behavior
    target_origin_id: MaybeStr
    viewer_protocol_policy: MaybeStr | None = None
    allowed_methods: tuple[str, ...] | Unknown = ("GET", "HEAD")
    trusted_key_groups: tuple[str, ...] | Unknown = ()
    trusted_signers: tuple[str, ...] | Unknown = ()
    origin_request_policy_id: MaybeStr | None = None
    cache_policy_id: MaybeStr | None = None
    forwarded_headers: tuple[str, ...] | Unknown = ()  # legacy ForwardedValues.Headers
    function_associations: tuple[str, ...] = ()  # event types with a function attached


@dataclass(frozen=True, slots=True, kw_only=True)
class CustomErrorResponse:
    ref: SourceRef
    error_code: int | Unknown
    response_code: int | Unknown | None = None
    response_page_path: MaybeStr | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class GeoRestriction:
    ref: SourceRef
    restriction_type: MaybeStr  # none, whitelist, blacklist
    locations: tuple[str, ...] | Unknown = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Distribution:
    id: str
    name: str
    ref: SourceRef
    distribution_id: str  # symbolic: what Ref / .id returns
    arn: str  # arn:<partition>:cloudfront::<account>:distribution/<distribution_id>
    domain_name: str  # <symbol>.cloudfront.net
    account: str
    origins: tuple[Origin, ...] | Unknown = ()
    default_behavior: Behavior | None = None
    behaviors: tuple[Behavior, ...] | Unknown = ()  # ordered cache behaviors
    default_root_object: MaybeStr | None = None
    web_acl_id: MaybeStr | None = None
    web_acl_ref: SourceRef | None = None
    aliases: tuple[str, ...] | Unknown = ()
    custom_error_responses: tuple[CustomErrorResponse, ...] | Unknown = ()
    geo_restriction: GeoRestriction | None = None
    ipv6_enabled: bool | Unknown | None = None
    enabled: bool | Unknown = True
    viewer_certificate_arn: MaybeStr | None = None  # ViewerCertificate.AcmCertificateArn
    minimum_protocol_version: MaybeStr | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class OriginAccessControl:
    id: str
    name: str
    ref: SourceRef
    oac_id: str  # what GetAtt Id / .id returns
    origin_type: MaybeStr  # s3, mediastore, lambda, mediapackagev2
    signing_behavior: MaybeStr  # always, never, no-override
    signing_protocol: MaybeStr = "sigv4"


@dataclass(frozen=True, slots=True, kw_only=True)
class OriginAccessIdentity:
    id: str
    name: str
    ref: SourceRef
    oai_id: str  # Ref / .id
    canonical_user_id: str  # GetAtt S3CanonicalUserId / .s3_canonical_user_id
    iam_arn: str  # arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity <oai_id>


@dataclass(frozen=True, slots=True, kw_only=True)
class OriginRequestPolicy:
    id: str
    name: str
    ref: SourceRef
    policy_id: str
    header_behavior: MaybeStr | None = None
    headers: tuple[str, ...] | Unknown = ()
