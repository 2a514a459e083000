"""Model builders for graph and check unit tests (a CloudFormation-like site, symbolically)."""

from __future__ import annotations

from typing import Any

from policylint.model import (
    Behavior,
    Bucket,
    BucketEncryption,
    BucketPolicy,
    Distribution,
    KmsKey,
    Model,
    Origin,
    OriginAccessControl,
    OriginAccessIdentity,
)
from policylint.policy.parse import parse_policy
from policylint.source import SourceRef, Span
from policylint.values import resource_sym, sym

F = "t.yaml"
P, A, R = sym("AWS::Partition"), sym("AWS::AccountId"), sym("AWS::Region")


def ref(line: int) -> SourceRef:
    return SourceRef(F, (), Span(line, 1))


def bucket(name: str = "SiteBucket", **kw: Any) -> Bucket:
    bname = kw.pop("bucket_name", resource_sym(f"{F}#{name}", "Name"))
    return Bucket(
        id=f"{F}#{name}",
        name=name,
        ref=ref(10),
        bucket_name=bname,
        arn=f"arn:{P}:s3:::{bname}",
        account=A,
        region=R,
        **kw,
    )


def dist(origins: tuple[Origin, ...], name: str = "Site", **kw: Any) -> Distribution:
    did = resource_sym(f"{F}#{name}", "Id")
    beh = kw.pop(
        "default_behavior",
        Behavior(
            ref=ref(40),
            path_pattern=None,
            target_origin_id="S3",
            viewer_protocol_policy="redirect-to-https",
        ),
    )
    return Distribution(
        id=f"{F}#{name}",
        name=name,
        ref=ref(30),
        distribution_id=did,
        arn=f"arn:{P}:cloudfront::{A}:distribution/{did}",
        domain_name=f"{resource_sym(f'{F}#{name}', 'DomainName')}",
        account=A,
        origins=origins,
        default_behavior=beh,
        default_root_object=kw.pop("default_root_object", "index.html"),
        **kw,
    )


def oac(name: str = "OAC", signing: str = "always") -> OriginAccessControl:
    return OriginAccessControl(
        id=f"{F}#{name}",
        name=name,
        ref=ref(20),
        oac_id=resource_sym(f"{F}#{name}", "Id"),
        origin_type="s3",
        signing_behavior=signing,
    )


def oai(name: str = "OAI") -> OriginAccessIdentity:
    oid = resource_sym(f"{F}#{name}", "Id")
    return OriginAccessIdentity(
        id=f"{F}#{name}",
        name=name,
        ref=ref(25),
        oai_id=oid,
        canonical_user_id=resource_sym(f"{F}#{name}", "S3CanonicalUserId"),
        iam_arn=f"arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity {oid}",
    )


def rest_origin(b: Bucket, **kw: Any) -> Origin:
    return Origin(
        ref=ref(35),
        origin_id="S3",
        domain_name=f"{b.bucket_name}.s3.{R}.amazonaws.com",
        s3_origin_config=True,
        **kw,
    )


def policy(b: Bucket, *statements: dict[str, Any], name: str = "SitePolicy") -> BucketPolicy:
    doc = parse_policy({"Version": "2012-10-17", "Statement": list(statements)}, at=ref(50))
    return BucketPolicy(
        id=f"{F}#{name}", name=name, ref=ref(50), bucket=b.bucket_name, document=doc
    )


def oac_grant(b: Bucket, d: Distribution, **cond: Any) -> dict[str, Any]:
    return {
        "Effect": "Allow",
        "Principal": {"Service": "cloudfront.amazonaws.com"},
        "Action": "s3:GetObject",
        "Resource": f"{b.arn}/*",
        "Condition": cond or {"StringEquals": {"AWS:SourceArn": d.arn}},
    }


def site(*statements: dict[str, Any] | str, **kw: Any) -> Model:
    """Bucket + OAC + distribution; statements may use "GRANT" for the documented OAC grant."""
    b = kw.pop("bucket", None) or bucket()
    o = oac()
    d = dist((rest_origin(b, oac_id=o.oac_id),), **kw)
    stmts = [oac_grant(b, d) if isinstance(s, str) else s for s in statements]
    pols = (policy(b, *stmts),) if stmts else ()
    return Model(buckets=(b,), bucket_policies=pols, distributions=(d,), oacs=(o,))


def kms_key(name: str = "Key", statements: list[dict[str, Any]] | None = None) -> KmsKey:
    kid = resource_sym(f"{F}#{name}", "KeyId")
    doc = None if statements is None else parse_policy({"Statement": statements}, at=ref(60))
    return KmsKey(
        id=f"{F}#{name}",
        name=name,
        ref=ref(60),
        key_id=kid,
        arn=f"arn:{P}:kms:{R}:{A}:key/{kid}",
        account=A,
        region=R,
        policy=doc,
    )


def sse_kms(key: str | None) -> BucketEncryption:
    return BucketEncryption(ref=ref(12), algorithm="aws:kms", kms_key=key)
