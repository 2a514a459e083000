"""The normalized model: what CloudFormation and Terraform inputs both become.

Every element carries `id` (unique in the run: ``file#LogicalId`` or ``dir#tf.address``),
`name` (what users call it: the logical id or the Terraform address) and `ref` (its source).
Strings may hold symbols (`policylint.values`); `Unknown` marks whole values that cannot be
resolved. None means "not set".
"""

from __future__ import annotations

from dataclasses import dataclass

from policylint.findings import InputProblem, Suppression
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
from policylint.model.iam import ManagedPolicy, Role, ScpPolicy
from policylint.model.kms import KmsAlias, KmsKey
from policylint.model.s3 import (
    Bucket,
    BucketEncryption,
    BucketPolicy,
    PublicAccessBlock,
    Website,
)
from policylint.model.waf import IpSet, WafRule, WebAcl, WebAclAssociation

__all__ = [
    "Behavior",
    "Bucket",
    "BucketEncryption",
    "BucketPolicy",
    "CustomErrorResponse",
    "Distribution",
    "GeoRestriction",
    "IpSet",
    "KmsAlias",
    "KmsKey",
    "LoadResult",
    "ManagedPolicy",
    "Model",
    "Origin",
    "OriginAccessControl",
    "OriginAccessIdentity",
    "OriginRequestPolicy",
    "PublicAccessBlock",
    "Role",
    "ScpPolicy",
    "WafRule",
    "WebAcl",
    "WebAclAssociation",
    "Website",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Model:
    """Everything one run read. Merge the per-file models with `Model.merge`."""

    buckets: tuple[Bucket, ...] = ()
    bucket_policies: tuple[BucketPolicy, ...] = ()
    distributions: tuple[Distribution, ...] = ()
    oacs: tuple[OriginAccessControl, ...] = ()
    oais: tuple[OriginAccessIdentity, ...] = ()
    origin_request_policies: tuple[OriginRequestPolicy, ...] = ()
    keys: tuple[KmsKey, ...] = ()
    key_aliases: tuple[KmsAlias, ...] = ()
    web_acls: tuple[WebAcl, ...] = ()
    web_acl_associations: tuple[WebAclAssociation, ...] = ()
    ip_sets: tuple[IpSet, ...] = ()
    roles: tuple[Role, ...] = ()
    managed_policies: tuple[ManagedPolicy, ...] = ()
    scps: tuple[ScpPolicy, ...] = ()

    @staticmethod
    def merge(models: list[Model]) -> Model:
        """One model from many: each field is the concatenation, in the order given."""
        if len(models) == 1:
            return models[0]
        fields = Model.__dataclass_fields__
        merged = {name: tuple(x for m in models for x in getattr(m, name)) for name in fields}
        return Model(**merged)


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What a loader returns for one input unit (a template, a Terraform module, a plan)."""

    model: Model
    problems: tuple[InputProblem, ...] = ()
    suppressions: tuple[Suppression, ...] = ()
