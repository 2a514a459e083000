"""Kinds, query results and endpoint classification for the access graph (no networkx)."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from policylint.values import SYM_CLOSE, SYM_OPEN, Unknown, split_symbols, sym

if TYPE_CHECKING:
    from policylint.model import (
        Behavior,
        Bucket,
        BucketEncryption,
        Distribution,
        KmsAlias,
        KmsKey,
        Model,
        Origin,
        OriginAccessControl,
        OriginAccessIdentity,
        WebAcl,
    )


class NodeKind(enum.Enum):
    DISTRIBUTION = "distribution"
    ORIGIN = "origin"
    BEHAVIOR = "behavior"
    BUCKET = "bucket"
    BUCKET_POLICY = "bucket-policy"
    OAC = "oac"
    OAI = "oai"
    KMS_KEY = "kms-key"
    KMS_ALIAS = "kms-alias"
    WEB_ACL = "web-acl"
    EXTERNAL = "external"  # a target outside the run (unknown bucket, other host)
    CALLER = "caller"  # synthetic: anonymous viewer, CloudFront for D via OAC, an OAI
    WORKLOAD = "workload"  # Lambda, ECS task, instance profile, state machine, CodeBuild
    ROLE = "role"
    DATA = "data"  # queue, topic, table, stream


class EdgeKind(enum.Enum):
    HAS_ORIGIN = "has-origin"  # distribution -> origin
    HAS_BEHAVIOR = "has-behavior"  # distribution -> behavior
    TARGETS = "targets"  # behavior -> origin (TargetOriginId)
    FETCHES_FROM = "fetches-from"  # origin -> bucket / external (attr endpoint)
    SIGNS_WITH = "signs-with"  # origin -> OAC / OAI
    HAS_POLICY = "has-policy"  # bucket -> bucket policy
    ENCRYPTED_WITH = "encrypted-with"  # bucket -> KMS key / alias
    ALIAS_OF = "alias-of"  # alias -> key
    PROTECTED_BY = "protected-by"  # distribution -> web ACL
    REQUESTS = "requests"  # anonymous viewer -> distribution
    CALLS = "calls"  # synthetic caller -> bucket
    ACTS_FOR = "acts-for"  # CloudFront caller -> the distribution it signs for
    ASSUMES = "assumes"  # workload -> its role
    WIRED_TO = "wired-to"  # workload -> resource named in its environment (attr wire)


class EndpointKind(enum.Enum):
    REST = "rest"
    WEBSITE = "website"
    APIGW = "apigw"
    LAMBDA_URL = "lambda-url"
    CLOUDFRONT = "cloudfront"
    ALB = "alb"
    OTHER = "other"
    UNKNOWN = "unknown"  # the domain cannot be resolved before deploy


class CallerKind(enum.Enum):
    ANONYMOUS = "anonymous"
    CLOUDFRONT_OAC = "cloudfront-oac"
    CLOUDFRONT_OAI = "cloudfront-oai"


class KeyKind(enum.Enum):
    AWS_MANAGED = "aws-managed"  # aws/s3: its key policy cannot be edited
    IN_RUN = "in-run"  # resolved to a key of this run
    EXTERNAL = "external"  # a key (or alias) defined elsewhere, or unresolvable


@dataclass(frozen=True, slots=True)
class Endpoint:
    """An origin domain, classified: kind, bucket name part (S3 only) and region part."""

    kind: EndpointKind
    host: str = ""
    bucket_name: str | None = None
    region: str | None = None
    global_form: bool = False  # <bucket>.s3.amazonaws.com (no region)


@dataclass(frozen=True, slots=True, kw_only=True)
class OriginView:
    """One origin of one distribution with everything linked to it."""

    node: str
    distribution: Distribution
    origin: Origin
    behaviors: tuple[Behavior, ...]  # the behaviors whose TargetOriginId is this origin
    endpoint: Endpoint
    bucket: Bucket | None  # None: not an S3 endpoint, or the bucket is not in the run
    oac: OriginAccessControl | None
    oai: OriginAccessIdentity | None

    @property
    def oac_unresolved(self) -> bool:
        """OriginAccessControlId is set but names no OAC of the run."""
        return self.origin.oac_id not in (None, "") and self.oac is None

    @property
    def oai_unresolved(self) -> bool:
        return self.origin.oai not in (None, "") and self.oai is None

    @property
    def is_default_target(self) -> bool:
        dflt = self.distribution.default_behavior
        return dflt is not None and any(b is dflt for b in self.behaviors)


@dataclass(frozen=True, slots=True, kw_only=True)
class KeyLink:
    """The KMS key behind a bucket's default SSE-KMS encryption."""

    encryption: BucketEncryption
    kind: KeyKind
    key: KmsKey | None = None
    alias: KmsAlias | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Caller:
    """A synthetic caller of a bucket: who S3 sees when the request arrives."""

    node: str
    kind: CallerKind
    label: str
    distribution: Distribution | None = None
    oac: OriginAccessControl | None = None
    oai: OriginAccessIdentity | None = None


_URL_SUFFIX = sym("AWS::URLSuffix")
_PLACEHOLDER = re.compile(f"{SYM_OPEN}[0-9]+{SYM_CLOSE}")
_SUFFIX = rf"(?:amazonaws\.com(?:\.cn)?|{SYM_OPEN}U{SYM_CLOSE})"
_WEBSITE = re.compile(rf"^(?P<b>.+?)\.s3-website[.-](?P<r>[^.]+)\.{_SUFFIX}$")
_REST_REGIONAL = re.compile(
    rf"^(?P<b>.+?)\.s3(?:\.dualstack)?[.-](?P<r>(?!website)[^.]+)\.{_SUFFIX}$"
)
_REST_GLOBAL = re.compile(rf"^(?P<b>.+?)\.s3\.{_SUFFIX}$")
_OTHERS = (
    (re.compile(r"\.execute-api\."), EndpointKind.APIGW),
    (re.compile(r"\.lambda-url\."), EndpointKind.LAMBDA_URL),
    (re.compile(r"\.cloudfront\.net$"), EndpointKind.CLOUDFRONT),
    (re.compile(r"\.elb\.(?:[^.]+\.)?amazonaws\.com(?:\.cn)?$"), EndpointKind.ALB),
)


def classify_domain(domain: str | Unknown) -> Endpoint:
    """Classify an origin domain; symbols stay opaque (placeholders keep dots out of regexes)."""
    if isinstance(domain, Unknown):
        return Endpoint(EndpointKind.UNKNOWN)
    names: list[str] = []
    parts: list[str] = []
    for is_sym, text in split_symbols(domain.strip()):
        if not is_sym:
            parts.append(text)
        elif sym(text) == _URL_SUFFIX:
            parts.append(f"{SYM_OPEN}U{SYM_CLOSE}")
        else:
            names.append(text)
            parts.append(f"{SYM_OPEN}{len(names) - 1}{SYM_CLOSE}")
    # WebsiteURL is "http://host"; drop any scheme and path.
    flat = re.sub(r"^[a-zA-Z]+://", "", "".join(parts)).split("/", 1)[0]

    def restore(text: str) -> str:
        text = text.replace(f"{SYM_OPEN}U{SYM_CLOSE}", _URL_SUFFIX)
        return _PLACEHOLDER.sub(lambda m: sym(names[int(m.group(0)[1:-1])]), text)

    host = restore(flat)
    if not _PLACEHOLDER.sub("", flat).strip("."):
        return Endpoint(EndpointKind.UNKNOWN, host)
    for pattern, kind, is_global in (
        (_WEBSITE, EndpointKind.WEBSITE, False),
        (_REST_GLOBAL, EndpointKind.REST, True),
        (_REST_REGIONAL, EndpointKind.REST, False),
    ):
        m = pattern.match(flat)
        if m:
            region = None if is_global else restore(m.group("r"))
            return Endpoint(kind, host, restore(m.group("b")), region, is_global)
    for pattern, kind in _OTHERS:
        if pattern.search(flat):
            return Endpoint(kind, host)
    return Endpoint(EndpointKind.OTHER, host)


def web_acl_of(model: Model, dist: Distribution) -> WebAcl | None:
    """The web ACL named by WebACLId (by ARN or id)."""
    wanted = dist.web_acl_id
    if not isinstance(wanted, str):
        return None
    return next((a for a in model.web_acls if wanted in (a.arn, a.acl_id)), None)


def oai_matching(model: Model, value: str) -> OriginAccessIdentity | None:
    """The OAI an origin names: by id, access-identity path or IAM ARN."""
    for oai in model.oais:
        forms = (oai.oai_id, f"origin-access-identity/cloudfront/{oai.oai_id}", oai.iam_arn)
        if value in forms:
            return oai
    return None


class BucketIndex:
    """Buckets by name. Two inputs of one run may use the same literal name (a broken and a
    fixed twin): a reference then means the bucket of its own input, and is ambiguous
    (unknown) from any other input."""

    def __init__(self, buckets: tuple[Bucket, ...]) -> None:
        self._by_name: dict[str, list[Bucket]] = {}
        for b in buckets:
            self._by_name.setdefault(b.bucket_name, []).append(b)

    def find(self, name: str, near: str) -> Bucket | None:
        found = self._by_name.get(name, [])
        if len(found) == 1:
            return found[0]
        unit = _unit(near)
        local = [b for b in found if _unit(b.id) == unit]
        return local[0] if len(local) == 1 else None


def _unit(model_id: str) -> str:
    """The input a model id belongs to: the template file or Terraform module directory."""
    return model_id.rsplit("#", 1)[0]
